//! Health scores: every rule of the foundation issue, against the seed rubrics and small
//! hand-written rubrics. Expected values come from the seeds or from the hand calculation
//! written next to each assertion, never from the library's own output.

use chrono::{TimeZone, Utc};
use csrubric::decimal::{Rounding, RoundingMode};
use csrubric::health::{
    ComponentSource, HealthError, HealthResult, HealthRubric, Override, OverrideTarget, Scale,
    Status,
};
use csrubric::input::{read_csv, read_json, Record, Value};
use csrubric::rubric::{Problem, RubricError};
use csrubric_tests::{
    as_of, dec, example_path, health_rubric, options, record, rubric_path, toml_to_json,
};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------------------
// Helpers

const SLAVKO: [&str; 5] = [
    "product_adoption",
    "technical_health",
    "business_outcomes",
    "relationship_health",
    "growth_potential",
];
const AI: [&str; 4] = ["usage", "engagement", "success", "growth"];
const C2G: [&str; 4] = ["usage", "business_value", "relationship", "growth"];

fn score(rubric: &HealthRubric, account: &Record) -> HealthResult {
    rubric
        .score(account, &options())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn band(result: &HealthResult) -> &str {
    result.band.as_ref().map_or("<none>", |b| b.label.as_str())
}

/// Every listed component given the same direct value.
fn all(id: &str, components: &[&str], value: &str) -> Record {
    components
        .iter()
        .fold(Record::new(id), |r, c| r.with(*c, dec(value)))
}

const HEAD: &str = "kind = \"health\"\nid = \"test/tiny\"\nversion = \"1\"\ntitle = \"Tiny\"\nsource = \"hand-written test rubric\"\n";

fn bands(list: &[(&str, &str)]) -> String {
    list.iter()
        .map(|(min, label)| {
            format!("\n[[bands]]\nmin = {min}\nlabel = \"{label}\"\naction = \"act {label}\"\nowner = \"CSM\"\nurgency = \"Low\"\n")
        })
        .collect()
}

fn bands_100() -> String {
    bands(&[("85", "High"), ("70", "Mid"), ("0", "Low")])
}

/// A hand-written rubric: `top` holds top-level keys (scale, rounding, missing).
fn tiny_text(top: &str, components: &str, bands: &str) -> String {
    format!("{HEAD}{top}\n{components}\n{bands}")
}

fn tiny(top: &str, components: &str, bands: &str) -> HealthRubric {
    let text = tiny_text(top, components, bands);
    HealthRubric::from_toml_str("tiny.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Components `a` 50, `b` 30, `c` 20 on 0-100 with the given rubric-wide missing table and
/// extra lines for `c`.
fn abc(missing: &str, c_extra: &str) -> HealthRubric {
    tiny(
        &format!("scale = \"0-100\"\n{missing}"),
        &format!("[[components]]\nid = \"a\"\nweight = 50\n[[components]]\nid = \"b\"\nweight = 30\n[[components]]\nid = \"c\"\nweight = 20\n{c_extra}\n"),
        &bands_100(),
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
        + 1
}

fn invalid(text: &str) -> (RubricError, Vec<Problem>) {
    let err = HealthRubric::from_toml_str("broken.toml", text)
        .err()
        .unwrap_or_else(|| panic!("rubric should be rejected:\n{text}"));
    let problems = err.problems();
    (err, problems)
}

// ---------------------------------------------------------------------------------------
// The seed rubrics

#[test]
fn slavkokernel_encodes_seed_001() {
    let r = health_rubric("slavkokernel");
    assert_eq!(r.stamp().id, "health/slavkokernel");
    assert_eq!(
        r.scale(),
        Scale::Range {
            min: dec("0"),
            max: dec("100")
        }
    );
    let weights: Vec<(String, Decimal)> = r
        .spec()
        .components
        .iter()
        .map(|c| (c.id.clone(), c.weight.0))
        .collect();
    // Seed 001 "Customer Health Score Components".
    let expected = [
        ("product_adoption", 25),
        ("technical_health", 20),
        ("business_outcomes", 25),
        ("relationship_health", 15),
        ("growth_potential", 15),
    ];
    assert_eq!(
        weights,
        expected
            .iter()
            .map(|(i, w)| (i.to_string(), Decimal::from(*w)))
            .collect::<Vec<_>>()
    );
    // Seed 001 "Health Score Interpretation".
    let table = [
        (85, "Excellent", "Maintain, develop advocacy", "CSM", "Low"),
        (
            70,
            "Good",
            "Targeted improvements, growth planning",
            "CSM",
            "Low",
        ),
        (
            55,
            "Moderate",
            "Improvement plan, increased engagement",
            "CSM",
            "Medium",
        ),
        (
            40,
            "At Risk",
            "Remediation plan, executive engagement",
            "CSM + Manager",
            "High",
        ),
        (
            0,
            "Critical",
            "Rescue plan, executive escalation",
            "CSM + Director",
            "Urgent",
        ),
    ];
    let got: Vec<_> = r.bands().collect();
    assert_eq!(got.len(), table.len());
    for (b, (min, label, action, owner, urgency)) in got.iter().zip(table) {
        assert_eq!(b.min, Decimal::from(min));
        assert_eq!((b.label.as_str(), b.action.as_str()), (label, action));
        assert_eq!((b.owner.as_str(), b.urgency.as_str()), (owner, urgency));
    }
}

#[test]
fn ai_ecosystem_encodes_seed_002() {
    let r = health_rubric("ai-ecosystem");
    assert_eq!(r.stamp().id, "health/ai-ecosystem");
    assert_eq!(
        r.scale(),
        Scale::Range {
            min: dec("0"),
            max: dec("10")
        }
    );
    let ids: Vec<_> = r.spec().components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, AI);
    assert!(r
        .spec()
        .components
        .iter()
        .all(|c| c.weight.0 == Decimal::from(25)));
    let edges: Vec<_> = r.bands().map(|b| (b.min, b.label.as_str())).collect();
    assert_eq!(
        edges,
        [(dec("8"), "Green"), (dec("5"), "Yellow"), (dec("0"), "Red")]
    );
    // Every component also lists raw metrics (the seed names them).
    assert!(r.spec().components.iter().all(|c| !c.metrics.is_empty()));
}

#[test]
fn cradle_to_grave_encodes_seed_004() {
    let r = health_rubric("cradle-to-grave");
    assert_eq!(r.stamp().id, "health/cradle-to-grave");
    assert_eq!(r.scale(), Scale::Points { total: dec("100") });
    let weights: Vec<_> = r
        .spec()
        .components
        .iter()
        .map(|c| (c.id.as_str(), c.weight.0))
        .collect();
    assert_eq!(
        weights,
        [
            ("usage", dec("30")),
            ("business_value", dec("30")),
            ("relationship", dec("20")),
            ("growth", dec("20"))
        ]
    );
    let edges: Vec<_> = r.bands().map(|b| (b.min, b.label.as_str())).collect();
    assert_eq!(
        edges,
        [
            (dec("80"), "Green"),
            (dec("60"), "Yellow"),
            (dec("0"), "Red")
        ]
    );
    assert!(r.spec().components.iter().all(|c| !c.metrics.is_empty()));
}

// ---------------------------------------------------------------------------------------
// Bands: lower-bound, half-open, chosen on the scored account

#[test]
fn slavkokernel_band_edges() {
    let r = health_rubric("slavkokernel");
    // All components equal to x scores exactly x (the weights sum to 100).
    for (x, expected) in [
        ("100", "Excellent"),
        ("85", "Excellent"),
        ("84.99", "Good"),
        ("70", "Good"),
        ("69.99", "Moderate"),
        ("55", "Moderate"),
        ("54.99", "At Risk"),
        ("40", "At Risk"),
        ("39.99", "Critical"),
        ("0", "Critical"),
    ] {
        let res = score(&r, &all("x", &SLAVKO, x));
        assert_eq!(res.score, Some(dec(x)), "score for {x}");
        assert_eq!(band(&res), expected, "band for {x}");
        assert_eq!(
            res.band.as_ref().map(|b| b.label.clone()),
            res.computed_band
        );
    }
    // The band API agrees at the edges.
    assert_eq!(
        r.band_for(dec("85")).map(|b| b.label.as_str()),
        Some("Excellent")
    );
    assert_eq!(
        r.band_for(dec("84.999")).map(|b| b.label.as_str()),
        Some("Good")
    );
}

#[test]
fn ai_ecosystem_band_edges() {
    let r = health_rubric("ai-ecosystem");
    for (x, expected) in [
        ("10", "Green"),
        ("8", "Green"),
        ("7.99", "Yellow"),
        ("7.5", "Yellow"),
        ("5", "Yellow"),
        ("4.99", "Red"),
        ("0", "Red"),
    ] {
        let res = score(&r, &all("x", &AI, x));
        assert_eq!(res.score, Some(dec(x)), "score for {x}");
        assert_eq!(band(&res), expected, "band for {x}");
    }
}

#[test]
fn cradle_to_grave_band_edges_on_points() {
    let r = health_rubric("cradle-to-grave");
    for (pts, total, expected) in [
        (["30", "30", "20", "20"], "100", "Green"),
        (["24", "24", "16", "16"], "80", "Green"),
        (["23.99", "24", "16", "16"], "79.99", "Yellow"),
        (["18", "18", "12", "12"], "60", "Yellow"),
        (["18", "18", "12", "11.99"], "59.99", "Red"),
        (["0", "0", "0", "0"], "0", "Red"),
    ] {
        let acc = C2G
            .iter()
            .zip(pts)
            .fold(Record::new("x"), |a, (c, p)| a.with(*c, dec(p)));
        let res = score(&r, &acc);
        assert_eq!(res.score, Some(dec(total)), "points {pts:?}");
        assert_eq!(band(&res), expected, "points {pts:?}");
    }
}

#[test]
fn exactly_85_is_excellent_even_when_the_float_sum_is_below_85() {
    let r = health_rubric("slavkokernel");
    let inputs = ["77.6", "94.64", "76.21", "89.71", "94.42"];
    // Hand check: 0.25*77.6 + 0.20*94.64 + 0.25*76.21 + 0.15*89.71 + 0.15*94.42
    //           = 19.4 + 18.928 + 19.0525 + 13.4565 + 14.163 = 85 exactly.
    // The same sum in binary floating point falls short of 85:
    let weights = [0.25_f64, 0.20, 0.25, 0.15, 0.15];
    let floats: Vec<f64> = inputs.iter().map(|s| s.parse::<f64>().unwrap()).collect();
    let float_sum: f64 = weights.iter().zip(&floats).map(|(w, x)| w * x).sum();
    assert!(
        float_sum < 85.0,
        "the f64 sum should be below 85, got {float_sum}"
    );
    let int_weights = [25.0_f64, 20.0, 25.0, 15.0, 15.0];
    let float_sum2: f64 = int_weights
        .iter()
        .zip(&floats)
        .map(|(w, x)| w * x)
        .sum::<f64>()
        / 100.0;
    assert!(float_sum2 < 85.0, "also with integer weights: {float_sum2}");

    let acc = SLAVKO
        .iter()
        .zip(inputs)
        .fold(Record::new("edge"), |a, (c, v)| a.with(*c, dec(v)));
    let res = score(&r, &acc);
    assert_eq!(res.raw_score, Some(dec("85")));
    assert_eq!(res.score.map(|s| s.to_string()), Some("85.00".into()));
    assert_eq!(band(&res), "Excellent");
    assert!(res.what_it_takes.is_none(), "top band: nothing to reach");

    // The points rubric: 26.81 + 27.96 + 11.35 + 13.88 = 80 exactly, but not in f64.
    let pts = ["26.81", "27.96", "11.35", "13.88"];
    let f: f64 = pts.iter().map(|s| s.parse::<f64>().unwrap()).sum();
    assert!(f < 80.0, "f64 sum {f}");
    let c2g = health_rubric("cradle-to-grave");
    let acc = C2G
        .iter()
        .zip(pts)
        .fold(Record::new("edge"), |a, (c, v)| a.with(*c, dec(v)));
    let res = score(&c2g, &acc);
    assert_eq!(res.score, Some(dec("80")));
    assert_eq!(band(&res), "Green");
}

#[test]
fn lower_bound_half_open_bands_with_odd_edges() {
    // A band may start anywhere; the edge belongs to the band above it.
    let r = tiny(
        "scale = \"0-100\"\nrounding = { decimals = 3 }",
        "[[components]]\nid = \"a\"\nweight = 100\n",
        &bands(&[("62.5", "Upper"), ("0", "Lower")]),
    );
    assert_eq!(band(&score(&r, &record("x", &[("a", "62.5")]))), "Upper");
    assert_eq!(band(&score(&r, &record("x", &[("a", "62.499")]))), "Lower");
    assert_eq!(band(&score(&r, &record("x", &[("a", "62.501")]))), "Upper");
}

// ---------------------------------------------------------------------------------------
// Rounding: declared once, applied to the final score only, bands on the rounded score

fn two_halves(rounding: &str) -> HealthRubric {
    tiny(
        &format!("scale = \"0-100\"\nrounding = {rounding}"),
        "[[components]]\nid = \"a\"\nweight = 50\n[[components]]\nid = \"b\"\nweight = 50\n",
        &bands_100(),
    )
}

#[test]
fn half_up_tie_rounds_up_into_the_band() {
    let r = two_halves("{ decimals = 2, mode = \"half_up\" }");
    assert_eq!(
        r.rounding(),
        Rounding {
            decimals: 2,
            mode: RoundingMode::HalfUp
        }
    );
    // (84.99 + 85) / 2 = 84.995: a tie at two decimals.
    let res = score(&r, &record("t", &[("a", "84.99"), ("b", "85")]));
    assert_eq!(res.raw_score, Some(dec("84.995")));
    assert_eq!(res.score.map(|s| s.to_string()), Some("85.00".into()));
    assert_eq!(
        band(&res),
        "High",
        "banded on the rounded 85.00, not the raw 84.995"
    );
    // Below the tie it stays.
    let res = score(&r, &record("t", &[("a", "84.98"), ("b", "85")]));
    assert_eq!(res.score.map(|s| s.to_string()), Some("84.99".into()));
    assert_eq!(band(&res), "Mid");
}

#[test]
fn half_even_tie_goes_to_the_even_neighbour() {
    let up = two_halves("{ decimals = 0, mode = \"half_up\" }");
    let even = two_halves("{ decimals = 0, mode = \"half_even\" }");
    // (84 + 85) / 2 = 84.5: half-up gives 85 (High), half-even gives 84 (Mid).
    let acc = record("t", &[("a", "84"), ("b", "85")]);
    let u = score(&up, &acc);
    let e = score(&even, &acc);
    assert_eq!(u.raw_score, Some(dec("84.5")));
    assert_eq!(e.raw_score, Some(dec("84.5")));
    assert_eq!(u.score.map(|s| s.to_string()), Some("85".into()));
    assert_eq!(e.score.map(|s| s.to_string()), Some("84".into()));
    assert_eq!((band(&u), band(&e)), ("High", "Mid"));
    // (85 + 86) / 2 = 85.5: both go up to 86 (86 is even).
    let acc = record("t", &[("a", "85"), ("b", "86")]);
    assert_eq!(score(&even, &acc).score, Some(dec("86")));
    assert_eq!(score(&up, &acc).score, Some(dec("86")));
    // Two decimals, half-even: (84.98 + 84.99) / 2 = 84.985 -> 84.98.
    let even2 = two_halves("{ decimals = 2, mode = \"half_even\" }");
    let res = score(&even2, &record("t", &[("a", "84.98"), ("b", "84.99")]));
    assert_eq!(res.score.map(|s| s.to_string()), Some("84.98".into()));
}

#[test]
fn rounding_applies_once_to_the_final_score_only() {
    // The ledger keeps exact contributions; only the final score is rounded (to 1 decimal).
    // 0.40*70.14 = 28.056, 0.35*70.14 = 24.549, 0.25*70.14 = 17.535; sum 70.14 -> 70.1.
    let r = tiny(
        "scale = \"0-100\"\nrounding = { decimals = 1, mode = \"half_up\" }",
        "[[components]]\nid = \"a\"\nweight = 40\n[[components]]\nid = \"b\"\nweight = 35\n[[components]]\nid = \"c\"\nweight = 25\n",
        &bands_100(),
    );
    let res = score(
        &r,
        &record("t", &[("a", "70.14"), ("b", "70.14"), ("c", "70.14")]),
    );
    assert_eq!(res.score.map(|s| s.to_string()), Some("70.1".into()));
    assert_eq!(res.raw_score, Some(dec("70.14")));
    let contributions: Vec<Decimal> = res.components.iter().map(|c| c.contribution).collect();
    assert_eq!(contributions, [dec("28.056"), dec("24.549"), dec("17.535")]);
    // Rolled up: the contributions sum to the raw score.
    assert_eq!(contributions.iter().copied().sum::<Decimal>(), dec("70.14"));
}

#[test]
fn default_rounding_is_two_decimals_half_up() {
    let r = tiny(
        "scale = \"0-100\"",
        "[[components]]\nid = \"a\"\nweight = 50\n[[components]]\nid = \"b\"\nweight = 50\n",
        &bands_100(),
    );
    assert_eq!(r.rounding(), Rounding::default());
    let res = score(&r, &record("t", &[("a", "84.99"), ("b", "85")]));
    assert_eq!(res.score.map(|s| s.to_string()), Some("85.00".into()));
}

// ---------------------------------------------------------------------------------------
// Points rubric

#[test]
fn points_inputs_are_points_and_the_score_is_their_sum() {
    let r = health_rubric("cradle-to-grave");
    // 25 + 22.5 + 15 + 12 = 74.5 points: Yellow (60 <= 74.5 < 80).
    let res = score(
        &r,
        &record(
            "p",
            &[
                ("usage", "25"),
                ("business_value", "22.5"),
                ("relationship", "15"),
                ("growth", "12"),
            ],
        ),
    );
    assert_eq!(res.score, Some(dec("74.5")));
    assert_eq!(band(&res), "Yellow");
    // Each component's contribution is its points; its effective weight is its share.
    let contrib: Vec<_> = res.components.iter().map(|c| c.contribution).collect();
    assert_eq!(contrib, [dec("25"), dec("22.5"), dec("15"), dec("12")]);
    let eff: Vec<_> = res.components.iter().map(|c| c.effective_weight).collect();
    assert_eq!(eff, [dec("30"), dec("30"), dec("20"), dec("20")]);
}

#[test]
fn points_outside_a_component_range_are_rejected() {
    let r = health_rubric("cradle-to-grave");
    for (column, value) in [("usage", "30.01"), ("relationship", "21"), ("growth", "-1")] {
        let mut acc = record(
            "p",
            &[
                ("usage", "10"),
                ("business_value", "10"),
                ("relationship", "10"),
                ("growth", "10"),
            ],
        );
        acc = acc.with(column, dec(value));
        let err = r.score(&acc, &options()).unwrap_err();
        assert_eq!(err.code(), "out_of_scale", "{column} = {value}");
        match &err {
            HealthError::OutOfScale {
                column: c,
                min,
                max,
                ..
            } => {
                assert_eq!(c, column);
                assert_eq!(*min, dec("0"));
                let top = if column == "usage" { "30" } else { "20" };
                assert_eq!(*max, dec(top));
            }
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains(&format!("`{column}`")), "{err}");
    }
    // Exactly the top of each range is fine: 30 + 30 + 20 + 20 = 100.
    let full = record(
        "p",
        &[
            ("usage", "30"),
            ("business_value", "30"),
            ("relationship", "20"),
            ("growth", "20"),
        ],
    );
    assert_eq!(score(&r, &full).score, Some(dec("100")));
}

#[test]
fn out_of_scale_direct_scores_are_rejected_on_every_scale() {
    let s = health_rubric("slavkokernel");
    let acc = all("x", &SLAVKO, "50").with("business_outcomes", dec("100.01"));
    assert_eq!(
        s.score(&acc, &options()).unwrap_err().code(),
        "out_of_scale"
    );
    let a = health_rubric("ai-ecosystem");
    let acc = all("x", &AI, "5").with("growth", dec("10.5"));
    assert_eq!(
        a.score(&acc, &options()).unwrap_err().code(),
        "out_of_scale"
    );
}

// ---------------------------------------------------------------------------------------
// Scoring functions (one metric carrying the whole score, so score = metric score)

fn one_metric(scale: &str, direction: &str, scoring: &str, bands: &str) -> HealthRubric {
    tiny(
        &format!("scale = \"{scale}\"\nrounding = {{ decimals = 4 }}"),
        &format!("[[components]]\nid = \"c\"\nweight = 100\n  [[components.metrics]]\n  id = \"m\"\n  weight = 100\n  direction = \"{direction}\"\n  scoring = {scoring}\n"),
        bands,
    )
}

fn metric_score(r: &HealthRubric, value: &str) -> Decimal {
    let res = score(r, &record("m", &[("m", value)]));
    assert_eq!(res.components[0].source, ComponentSource::Metrics);
    let s = res.components[0].metrics[0].score.unwrap();
    // With one metric and one component the score is the metric score.
    assert_eq!(res.raw_score, Some(s));
    s
}

fn check_fn(r: &HealthRubric, cases: &[(&str, &str)]) {
    for (value, expected) in cases {
        assert_eq!(metric_score(r, value), dec(expected), "value {value}");
    }
}

#[test]
fn linear_is_clamped_between_its_bounds() {
    let r = one_metric(
        "0-100",
        "higher_is_better",
        "{ type = \"linear\", from = 10, to = 30 }",
        &bands_100(),
    );
    // (v - 10) / 20 * 100, clamped to 0..100.
    check_fn(
        &r,
        &[
            ("-5", "0"),
            ("10", "0"),
            ("15", "25"),
            ("20", "50"),
            ("29", "95"),
            ("30", "100"),
            ("1000", "100"),
        ],
    );
}

#[test]
fn linear_lower_is_better_is_reversed() {
    let r = one_metric(
        "0-100",
        "lower_is_better",
        "{ type = \"linear\", from = 10, to = 30 }",
        &bands_100(),
    );
    // (30 - v) / 20 * 100, clamped.
    check_fn(
        &r,
        &[
            ("0", "100"),
            ("10", "100"),
            ("15", "75"),
            ("25", "25"),
            ("30", "0"),
            ("99", "0"),
        ],
    );
}

#[test]
fn linear_on_a_zero_to_ten_scale() {
    let r = one_metric(
        "0-10",
        "higher_is_better",
        "{ type = \"linear\", from = 0, to = 80 }",
        &bands(&[("8", "G"), ("0", "R")]),
    );
    // v / 80 * 10.
    check_fn(
        &r,
        &[("40", "5"), ("20", "2.5"), ("80", "10"), ("100", "10")],
    );
}

#[test]
fn steps_score_the_highest_step_reached() {
    let r = one_metric(
        "0-100",
        "higher_is_better",
        "{ type = \"steps\", steps = [{ at_least = 0, score = 10 }, { at_least = 5, score = 50 }, { at_least = 10, score = 90 }] }",
        &bands_100(),
    );
    // Below the first step scores the first step.
    check_fn(
        &r,
        &[
            ("-3", "10"),
            ("0", "10"),
            ("4.99", "10"),
            ("5", "50"),
            ("9.999", "50"),
            ("10", "90"),
            ("500", "90"),
        ],
    );
}

#[test]
fn steps_lower_is_better_take_falling_scores() {
    let r = one_metric(
        "0-100",
        "lower_is_better",
        "{ type = \"steps\", steps = [{ at_least = 0, score = 100 }, { at_least = 2, score = 60 }, { at_least = 5, score = 0 }] }",
        &bands_100(),
    );
    check_fn(
        &r,
        &[
            ("0", "100"),
            ("1.99", "100"),
            ("2", "60"),
            ("4", "60"),
            ("5", "0"),
            ("50", "0"),
        ],
    );
}

#[test]
fn target_attainment_is_capped() {
    let r = one_metric(
        "0-100",
        "higher_is_better",
        "{ type = \"target\", target = 80 }",
        &bands_100(),
    );
    // min(v / 80, 1) * 100; nothing below zero.
    check_fn(
        &r,
        &[
            ("-5", "0"),
            ("0", "0"),
            ("40", "50"),
            ("60", "75"),
            ("80", "100"),
            ("120", "100"),
        ],
    );
}

#[test]
fn target_with_a_cap_above_one() {
    let r = one_metric(
        "0-100",
        "higher_is_better",
        "{ type = \"target\", target = 80, cap = 1.2 }",
        &bands_100(),
    );
    // Attainment v/80 capped at 1.2; score = attainment / 1.2 * 100.
    // v = 48: 0.6 / 1.2 = 0.5 -> 50. v = 80: 1 / 1.2 = 83.333.. -> 83.3333 at 4 decimals.
    // v = 96: 1.2 -> 100. v = 200: capped -> 100.
    check_fn(&r, &[("48", "50"), ("96", "100"), ("200", "100")]);
    let res = score(&r, &record("m", &[("m", "80")]));
    assert_eq!(res.score, Some(dec("83.3333")));
}

#[test]
fn target_lower_is_better() {
    let r = one_metric(
        "0-100",
        "lower_is_better",
        "{ type = \"target\", target = 200 }",
        &bands_100(),
    );
    // min(200 / v, 1) * 100: 400 -> 50, 800 -> 25, 200 or less -> 100.
    check_fn(
        &r,
        &[
            ("400", "50"),
            ("800", "25"),
            ("200", "100"),
            ("100", "100"),
            ("0", "100"),
        ],
    );
    let capped = one_metric(
        "0-100",
        "lower_is_better",
        "{ type = \"target\", target = 200, cap = 1.25 }",
        &bands_100(),
    );
    // Full score once 200 / v >= 1.25, i.e. v <= 160; v = 320: (200/320) / 1.25 = 0.5 -> 50.
    check_fn(&capped, &[("160", "100"), ("320", "50"), ("100", "100")]);
}

#[test]
fn metric_functions_on_a_points_component() {
    let r = tiny(
        "scale = \"points\"",
        "[[components]]\nid = \"usage\"\nweight = 30\n  [[components.metrics]]\n  id = \"logins\"\n  weight = 100\n  scoring = { type = \"linear\", from = 0, to = 10 }\n[[components]]\nid = \"other\"\nweight = 70\n",
        &bands_100(),
    );
    // 5 logins: half of the 30 usage points = 15; plus 70 direct points = 85.
    let res = score(&r, &record("p", &[("logins", "5"), ("other", "70")]));
    assert_eq!(res.components[0].score, Some(dec("15")));
    assert_eq!(res.score, Some(dec("85")));
    assert_eq!(band(&res), "High");
}

#[test]
fn direct_lower_is_better_component_is_reversed() {
    let r = tiny(
        "scale = \"0-100\"",
        "[[components]]\nid = \"churn_risk\"\nweight = 40\ndirection = \"lower_is_better\"\n[[components]]\nid = \"usage\"\nweight = 60\n",
        &bands_100(),
    );
    // churn_risk 30 scores 70; 0.4*70 + 0.6*80 = 28 + 48 = 76.
    let res = score(&r, &record("d", &[("churn_risk", "30"), ("usage", "80")]));
    assert_eq!(res.components[0].input, Some(dec("30")));
    assert_eq!(res.components[0].score, Some(dec("70")));
    assert_eq!(res.score, Some(dec("76")));
}

#[test]
fn seed_rubrics_score_raw_metrics_as_hand_computed() {
    // SlavkoKernel: see each metric's function in rubrics/health/slavkokernel.toml.
    let s = health_rubric("slavkokernel");
    let res = score(&s, &slavko_metrics_account());
    let comp: Vec<_> = res.components.iter().map(|c| c.score.unwrap()).collect();
    // product_adoption: 0.40*(60/80*100) + 0.35*(35/70*100) + 0.25*(4/5*100) = 30+17.5+20
    // technical_health: availability (99.45-99)/0.9 = 50; errors (5-2.55)/4.9 = 50;
    //                   p95 (2000-1100)/1800 = 50
    // business_outcomes: 90/100 = 90
    // relationship_health: 0.5*80 (2 meetings) + 0.5*((4-1)/4*100 = 75) = 77.5
    // growth_potential: 0.6*60 (1 opportunity) + 0.4*50 = 56
    assert_eq!(
        comp,
        [dec("67.5"), dec("50"), dec("90"), dec("77.5"), dec("56")]
    );
    // 0.25*67.5 + 0.2*50 + 0.25*90 + 0.15*77.5 + 0.15*56 = 16.875+10+22.5+11.625+8.4 = 69.4
    assert_eq!(res.score, Some(dec("69.40")));
    assert_eq!(band(&res), "Moderate");

    // Cradle to grave (points).
    let c = health_rubric("cradle-to-grave");
    let acc = record(
        "c2g",
        &[
            ("logins_per_week", "5"),
            ("feature_utilization_pct", "60"),
            ("data_volume_vs_plan_pct", "50"),
            ("roi_achievement_pct", "100"),
            ("goal_completion_pct", "50"),
            ("time_savings_hours_per_month", "20"),
            ("stakeholders_engaged", "2"),
            ("ticket_sentiment", "0"),
            ("meeting_attendance_pct", "45"),
            ("expansion_discussions", "1"),
            ("reference_willing", "1"),
            ("feature_requests_per_quarter", "3"),
        ],
    );
    let res = score(&c, &acc);
    let comp: Vec<_> = res.components.iter().map(|c| c.score.unwrap()).collect();
    // usage: 0.4*15 + 0.4*(60/75*30 = 24) + 0.2*(50/100*30 = 15) = 6 + 9.6 + 3 = 18.6
    // business_value: 0.4*30 + 0.4*15 + 0.2*(20/40*30 = 15) = 21
    // relationship: 0.4*14 + 0.3*((0+1)/2*20 = 10) + 0.3*(45/90*20 = 10) = 11.6
    // growth: 0.5*12 + 0.3*20 + 0.2*20 = 16
    assert_eq!(comp, [dec("18.6"), dec("21"), dec("11.6"), dec("16")]);
    assert_eq!(res.score, Some(dec("67.2")));
    assert_eq!(band(&res), "Yellow");

    // AI ecosystem (0-10).
    let a = health_rubric("ai-ecosystem");
    let acc = record(
        "ai",
        &[
            ("login_days_per_week", "3"),
            ("feature_adoption_pct", "40"),
            ("team_activation_pct", "45"),
            ("training_completion_pct", "80"),
            ("touchpoints_per_month", "4"),
            ("goal_achievement_pct", "95"),
            ("milestones_completed_pct", "50"),
            ("usage_growth_pct", "20"),
            ("revenue_growth_pct", "-3"),
        ],
    );
    let res = score(&a, &acc);
    let comp: Vec<_> = res.components.iter().map(|c| c.score.unwrap()).collect();
    // usage: 0.5*7.5 + 0.25*(40/80*10) + 0.25*(45/90*10) = 3.75 + 1.25 + 1.25 = 6.25
    // engagement: 0.5*8 + 0.5*7.5 = 7.75
    // success: 0.6*7.5 + 0.4*5 = 6.5
    // growth: 0.5*7.5 + 0.5*1 = 4.25
    assert_eq!(comp, [dec("6.25"), dec("7.75"), dec("6.5"), dec("4.25")]);
    // (6.25 + 7.75 + 6.5 + 4.25) / 4 = 6.1875 -> 6.19 (half up)
    assert_eq!(res.raw_score, Some(dec("6.1875")));
    assert_eq!(res.score.map(|s| s.to_string()), Some("6.19".into()));
    assert_eq!(band(&res), "Yellow");
}

fn slavko_metrics_account() -> Record {
    record(
        "metrics",
        &[
            ("active_users_pct", "60"),
            ("feature_adoption_pct", "35"),
            ("usage_days_per_week", "4"),
            ("availability_pct", "99.45"),
            ("error_rate_pct", "2.55"),
            ("p95_latency_ms", "1100"),
            ("success_criteria_met_pct", "90"),
            ("exec_meetings_per_quarter", "2"),
            ("team_satisfaction", "4"),
            ("expansion_opportunities", "1"),
            ("reference_willingness", "5"),
        ],
    )
}

// ---------------------------------------------------------------------------------------
// Missing inputs

#[test]
fn renormalize_scales_present_weights_back_to_100() {
    let r = abc("", "");
    let res = score(&r, &record("m", &[("a", "80"), ("b", "60")]));
    // (50*80 + 30*60) / 80 = 5800 / 80 = 72.5
    assert_eq!(res.score, Some(dec("72.5")));
    assert_eq!(band(&res), "Mid");
    assert_eq!(res.measured_weight, dec("80"));
    let c = &res.components[2];
    assert_eq!(c.source, ComponentSource::MissingRenormalized);
    assert_eq!(
        (c.declared_weight, c.effective_weight),
        (dec("20"), dec("0"))
    );
    assert_eq!(c.score, None);
    // Declared AND effective weights are both in the ledger: 50 -> 62.5, 30 -> 37.5.
    let w: Vec<_> = res
        .components
        .iter()
        .map(|c| (c.declared_weight, c.effective_weight))
        .collect();
    assert_eq!(
        w,
        [
            (dec("50"), dec("62.5")),
            (dec("30"), dec("37.5")),
            (dec("20"), dec("0"))
        ]
    );
    // Contributions: 80*0.625 = 50, 60*0.375 = 22.5.
    assert_eq!(res.components[0].contribution, dec("50"));
    assert_eq!(res.components[1].contribution, dec("22.5"));
}

#[test]
fn zero_policy_scores_the_bottom_and_keeps_the_weight() {
    let r = abc("missing = { policy = \"zero\" }", "");
    let res = score(&r, &record("m", &[("a", "80"), ("b", "60")]));
    // (50*80 + 30*60 + 20*0) / 100 = 58
    assert_eq!(res.score, Some(dec("58")));
    assert_eq!(res.components[2].source, ComponentSource::MissingZero);
    assert_eq!(res.components[2].score, Some(dec("0")));
    assert_eq!(res.components[2].effective_weight, dec("20"));
    assert_eq!(res.measured_weight, dec("80"));
}

#[test]
fn fixed_policy_per_component() {
    let r = abc("", "missing = \"fixed\"\ndefault = 50");
    let res = score(&r, &record("m", &[("a", "80"), ("b", "60")]));
    // (50*80 + 30*60 + 20*50) / 100 = 68
    assert_eq!(res.score, Some(dec("68")));
    assert_eq!(res.components[2].source, ComponentSource::MissingFixed);
    assert_eq!(res.components[2].score, Some(dec("50")));
    assert_eq!(res.components[2].effective_weight, dec("20"));
    // A measured c wins over the default: (4000 + 1800 + 20*90) / 100 = 76.
    let res = score(&r, &record("m", &[("a", "80"), ("b", "60"), ("c", "90")]));
    assert_eq!(res.score, Some(dec("76")));
}

#[test]
fn error_policy_refuses_to_score() {
    let r = abc("missing = { policy = \"error\" }", "");
    let err = r
        .score(&record("m", &[("a", "80"), ("b", "60")]), &options())
        .unwrap_err();
    assert_eq!(err.code(), "missing_input");
    assert!(
        matches!(&err, HealthError::Missing { component, .. } if component == "c"),
        "{err}"
    );
    assert!(err.to_string().contains("`c`"), "{err}");
    // All present: scored.
    let res = score(&r, &record("m", &[("a", "80"), ("b", "60"), ("c", "10")]));
    // (4000 + 1800 + 200) / 100 = 60
    assert_eq!(res.score, Some(dec("60")));
}

#[test]
fn per_component_policy_overrides_the_rubric_policy() {
    // Rubric-wide renormalize, but c scores zero when missing.
    let r = abc("", "missing = \"zero\"");
    let res = score(&r, &record("m", &[("a", "80")]));
    // b is dropped (renormalize), c counts as 0: (50*80 + 20*0) / 70 = 57.142857.. -> 57.14
    assert_eq!(res.score.map(|s| s.to_string()), Some("57.14".into()));
    assert_eq!(
        res.components[1].source,
        ComponentSource::MissingRenormalized
    );
    assert_eq!(res.components[2].source, ComponentSource::MissingZero);
    assert_eq!(res.components[1].effective_weight, dec("0"));
    // Rubric-wide error, but c may be missing (renormalized).
    let r = abc(
        "missing = { policy = \"error\" }",
        "missing = \"renormalize\"",
    );
    let res = score(&r, &record("m", &[("a", "80"), ("b", "60")]));
    assert_eq!(res.score, Some(dec("72.5")));
    assert_eq!(
        r.score(&record("m", &[("a", "80"), ("c", "60")]), &options())
            .unwrap_err()
            .code(),
        "missing_input"
    );
}

#[test]
fn min_present_makes_thin_accounts_insufficient_data() {
    let r = abc(
        "missing = { policy = \"renormalize\", min_present = 50 }",
        "",
    );
    // Only b (30% of the weight) measured: below 50%.
    let res = score(&r, &record("m", &[("b", "90")]));
    assert_eq!(res.status, Status::InsufficientData);
    assert_eq!(
        (res.score, res.band.clone(), res.what_it_takes.clone()),
        (None, None, None)
    );
    assert_eq!(res.measured_weight, dec("30"));
    // Exactly 50% (a alone, or b + c) is enough: the bound is inclusive.
    let res = score(&r, &record("m", &[("a", "90")]));
    assert_eq!(res.status, Status::Scored);
    assert_eq!(res.score, Some(dec("90")));
    let res = score(&r, &record("m", &[("b", "90"), ("c", "40")]));
    // (30*90 + 20*40) / 50 = 70
    assert_eq!(res.score, Some(dec("70")));
    // Nothing at all: insufficient data, not an error.
    let res = score(&r, &Record::new("empty"));
    assert_eq!(res.status, Status::InsufficientData);
}

#[test]
fn imputed_components_do_not_count_as_measured() {
    let r = abc("missing = { min_present = 60 }", "missing = \"zero\"");
    // a (50) measured, c imputed as zero: measured 50% < 60%.
    let res = score(&r, &record("m", &[("a", "90")]));
    assert_eq!(res.status, Status::InsufficientData);
    assert_eq!(res.measured_weight, dec("50"));
}

fn metrics_rubric(policy: &str) -> HealthRubric {
    tiny(
        &format!("scale = \"0-100\"\nmissing = {{ policy = \"{policy}\" }}"),
        "[[components]]\nid = \"c\"\nweight = 60\n  [[components.metrics]]\n  id = \"m1\"\n  weight = 60\n  scoring = { type = \"linear\", from = 0, to = 100 }\n  [[components.metrics]]\n  id = \"m2\"\n  weight = 40\n  scoring = { type = \"linear\", from = 0, to = 100 }\n[[components]]\nid = \"d\"\nweight = 40\n",
        &bands_100(),
    )
}

#[test]
fn partially_missing_metrics_follow_the_policy() {
    // renormalize: c = m1's score alone = 50; 0.6*50 + 0.4*100 = 70.
    let r = metrics_rubric("renormalize");
    let res = score(&r, &record("p", &[("m1", "50"), ("d", "100")]));
    let c = &res.components[0];
    assert_eq!(c.source, ComponentSource::Metrics);
    assert_eq!(c.score, Some(dec("50")));
    let mw: Vec<_> = c
        .metrics
        .iter()
        .map(|m| (m.declared_weight, m.effective_weight))
        .collect();
    assert_eq!(mw, [(dec("60"), dec("100")), (dec("40"), dec("0"))]);
    assert_eq!(c.metrics[1].value, None);
    assert_eq!(res.score, Some(dec("70")));
    // zero: c = 0.6*50 + 0.4*0 = 30; 0.6*30 + 0.4*100 = 58.
    let r = metrics_rubric("zero");
    let res = score(&r, &record("p", &[("m1", "50"), ("d", "100")]));
    assert_eq!(res.components[0].score, Some(dec("30")));
    assert_eq!(res.score, Some(dec("58")));
    // error: names the missing metric.
    let r = metrics_rubric("error");
    let err = r
        .score(&record("p", &[("m1", "50"), ("d", "100")]), &options())
        .unwrap_err();
    assert_eq!(err.code(), "missing_input");
    assert!(err.to_string().contains("m2"), "{err}");
}

#[test]
fn direct_score_and_metrics_together_are_ambiguous() {
    let r = metrics_rubric("renormalize");
    let err = r
        .score(
            &record("p", &[("c", "70"), ("m2", "10"), ("d", "100")]),
            &options(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "ambiguous_input");
    assert!(
        err.to_string().contains("`c`") && err.to_string().contains("m2"),
        "{err}"
    );
}

#[test]
fn a_non_numeric_cell_is_an_error_naming_the_column() {
    let r = abc("", "");
    let acc = record("n", &[("a", "80")]).with_value("b", Value::Text("lots".into()));
    let err = r.score(&acc, &options()).unwrap_err();
    assert_eq!(err.code(), "not_a_number");
    assert!(
        err.to_string().contains("`b`") && err.to_string().contains("lots"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Overrides

fn ov(target: OverrideTarget, value: Option<&str>, expires: Option<&str>) -> Override {
    Override {
        target,
        value: value.map(dec),
        author: "dana".into(),
        reason: "exec sponsor left".into(),
        expires: expires.map(|e| {
            chrono::DateTime::parse_from_rfc3339(e)
                .unwrap()
                .with_timezone(&Utc)
        }),
    }
}

#[test]
fn active_component_override_replaces_the_computed_score() {
    let r = health_rubric("slavkokernel");
    let acc = all("o", &SLAVKO, "80");
    let o = ov(
        OverrideTarget::Component("relationship_health".into()),
        Some("40"),
        Some("2026-12-31T00:00:00Z"),
    );
    let res = r.score_with_overrides(&acc, &[o], &options()).unwrap();
    // 80 - 0.15 * (80 - 40) = 74
    assert_eq!(res.score, Some(dec("74")));
    let line = &res.components[3];
    assert_eq!(line.source, ComponentSource::Override);
    assert_eq!(
        (line.computed_score, line.score),
        (Some(dec("80")), Some(dec("40")))
    );
    let applied = line.r#override.as_ref().unwrap();
    assert!(applied.counts);
    assert_eq!(
        (applied.value.as_str(), applied.computed.as_deref()),
        ("40", Some("80"))
    );
    assert_eq!(
        (applied.author.as_str(), applied.reason.as_str()),
        ("dana", "exec sponsor left")
    );
}

#[test]
fn expired_component_override_no_longer_counts() {
    let r = health_rubric("slavkokernel");
    let acc = all("o", &SLAVKO, "80");
    let o = ov(
        OverrideTarget::Component("relationship_health".into()),
        Some("40"),
        Some("2026-01-01T00:00:00Z"),
    );
    let res = r.score_with_overrides(&acc, &[o], &options()).unwrap();
    assert_eq!(res.score, Some(dec("80")));
    let line = &res.components[3];
    assert_eq!(line.source, ComponentSource::Direct);
    assert_eq!(line.score, Some(dec("80")));
    let applied = line
        .r#override
        .as_ref()
        .expect("an expired override is still shown");
    assert!(!applied.counts);
}

#[test]
fn override_expiry_is_exclusive() {
    let r = health_rubric("slavkokernel");
    let acc = all("o", &SLAVKO, "80");
    let o = ov(
        OverrideTarget::Component("growth_potential".into()),
        Some("0"),
        Some("2026-06-01T12:00:00Z"),
    );
    // as_of is exactly the expiry instant: it no longer counts.
    let res = r
        .score_with_overrides(&acc, std::slice::from_ref(&o), &options())
        .unwrap();
    assert_eq!(res.score, Some(dec("80")));
    let mut earlier = options();
    earlier.as_of = Some(Utc.with_ymd_and_hms(2026, 6, 1, 11, 59, 59).unwrap());
    let res = r.score_with_overrides(&acc, &[o], &earlier).unwrap();
    // 80 - 0.15 * 80 = 68
    assert_eq!(res.score, Some(dec("68")));
}

#[test]
fn band_override_wins_while_active_and_shows_the_computed_band() {
    let r = health_rubric("slavkokernel");
    let acc = all("o", &SLAVKO, "80");
    let o = ov(OverrideTarget::Band("At Risk".into()), None, None);
    let res = r.score_with_overrides(&acc, &[o], &options()).unwrap();
    assert_eq!(
        res.score,
        Some(dec("80")),
        "a band override leaves the score alone"
    );
    assert_eq!(band(&res), "At Risk");
    assert_eq!(res.band.as_ref().unwrap().urgency, "High");
    assert_eq!(res.computed_band.as_deref(), Some("Good"));
    let applied = res.band_override.as_ref().unwrap();
    assert!(applied.counts);
    assert_eq!(
        (applied.value.as_str(), applied.computed.as_deref()),
        ("At Risk", Some("Good"))
    );

    let expired = ov(
        OverrideTarget::Band("At Risk".into()),
        None,
        Some("2026-05-01T00:00:00Z"),
    );
    let res = r
        .score_with_overrides(&acc, &[expired], &options())
        .unwrap();
    assert_eq!(band(&res), "Good");
    assert!(!res.band_override.as_ref().unwrap().counts);
}

#[test]
fn overrides_naming_unknown_targets_are_errors() {
    let r = health_rubric("slavkokernel");
    let acc = all("o", &SLAVKO, "80");
    for (o, needle) in [
        (
            ov(OverrideTarget::Component("nps".into()), Some("40"), None),
            "unknown component `nps`",
        ),
        (
            ov(OverrideTarget::Band("Purple".into()), None, None),
            "unknown band `Purple`",
        ),
        (
            ov(
                OverrideTarget::Component("growth_potential".into()),
                Some("101"),
                None,
            ),
            "outside the component scale",
        ),
    ] {
        let err = r.score_with_overrides(&acc, &[o], &options()).unwrap_err();
        assert_eq!(err.code(), "invalid_override");
        assert!(err.to_string().contains(needle), "{err}");
    }
}

#[test]
fn override_lists_require_author_and_reason() {
    let parse = |v: serde_json::Value| Override::parse_list(&Value::Json(v));
    let ok = parse(serde_json::json!([
        {"component": "growth_potential", "score": 40, "author": "dana", "reason": "lost champion", "expires": "2026-12-31"},
        {"band": "At Risk", "author": "dana", "reason": "exec sponsor left"}
    ]))
    .unwrap();
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].value, Some(dec("40")));
    // A date expiry means "through that day (UTC)".
    assert_eq!(
        ok[0].expires,
        Some(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(ok[1].expires, None);

    for (v, needle, index) in [
        (
            serde_json::json!([{"band": "Good", "reason": "r"}]),
            "`author` is required",
            0,
        ),
        (
            serde_json::json!([{"band": "Good", "author": "a", "reason": "r"}, {"band": "Good", "author": "a"}]),
            "`reason` is required",
            1,
        ),
        (
            serde_json::json!([{"band": "Good", "author": " ", "reason": "r"}]),
            "`author` is required",
            0,
        ),
        (
            serde_json::json!([{"component": "x", "author": "a", "reason": "r"}]),
            "numeric `score`",
            0,
        ),
        (
            serde_json::json!([{"band": "Good", "component": "x", "author": "a", "reason": "r"}]),
            "exactly one",
            0,
        ),
        (
            serde_json::json!([{"band": "Good", "author": "a", "reason": "r", "expires": "soon"}]),
            "`expires`",
            0,
        ),
        (
            serde_json::json!([{"band": "Good", "author": "a", "reason": "r", "note": "x"}]),
            "unknown field `note`",
            0,
        ),
    ] {
        let (i, message) = parse(v).unwrap_err();
        assert_eq!(i, index, "{message}");
        assert!(message.contains(needle), "{message}");
    }
}

#[test]
fn batch_reads_overrides_from_the_record() {
    let r = health_rubric("slavkokernel");
    let text = r#"[
      {"id": "a", "product_adoption": 80, "technical_health": 80, "business_outcomes": 80, "relationship_health": 80, "growth_potential": 80,
       "overrides": [{"band": "Excellent", "author": "dana", "reason": "renewed early"}]},
      {"id": "b", "product_adoption": 80, "technical_health": 80, "business_outcomes": 80, "relationship_health": 80, "growth_potential": 80,
       "overrides": [{"band": "Excellent", "reason": "no author"}]}
    ]"#;
    let rows: Vec<Record> = read_json("o.json", text)
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let results = r.score_batch(&rows, &options());
    assert_eq!(band(results[0].as_ref().unwrap()), "Excellent");
    let err = results[1].as_ref().unwrap_err();
    assert_eq!(err.code(), "invalid_override");
    assert_eq!(err.account().row, 2);
}

// ---------------------------------------------------------------------------------------
// What would it take

fn lifts(res: &HealthResult) -> Vec<(String, bool, Option<Decimal>, Option<Decimal>)> {
    res.what_it_takes
        .as_ref()
        .unwrap()
        .components
        .iter()
        .map(|l| (l.component.to_string(), l.reachable, l.current, l.required))
        .collect()
}

#[test]
fn what_it_takes_for_direct_inputs() {
    let r = health_rubric("slavkokernel");
    let res = score(&r, &all("w", &SLAVKO, "80"));
    assert_eq!(band(&res), "Good");
    let w = res.what_it_takes.as_ref().unwrap();
    assert_eq!(
        (w.next_band.as_str(), w.next_band_min),
        ("Excellent", dec("85"))
    );
    // Reaching 85.00 after half-up rounding needs a raw 84.995: +4.995 points.
    // product_adoption (25%): 80 + 4.995/0.25 = 99.98. technical_health (20%): 80 + 24.975 > 100.
    // business_outcomes (25%): 99.98. relationship/growth (15%): 80 + 33.3 > 100.
    assert_eq!(
        lifts(&res),
        [
            (
                "product_adoption".into(),
                true,
                Some(dec("80")),
                Some(dec("99.98"))
            ),
            ("technical_health".into(), false, Some(dec("80")), None),
            (
                "business_outcomes".into(),
                true,
                Some(dec("80")),
                Some(dec("99.98"))
            ),
            ("relationship_health".into(), false, Some(dec("80")), None),
            ("growth_potential".into(), false, Some(dec("80")), None),
        ]
    );
    let pa = &w.components[0];
    assert_eq!((pa.on, pa.change), ("input", Some(dec("19.98"))));
    let tech = &w.components[1];
    assert_eq!(
        tech.note.as_deref(),
        Some("not reachable by this component alone")
    );
    // The answer is minimal: 99.98 reaches Excellent and 99.97 does not.
    let at = |v: &str| {
        band(&score(
            &r,
            &all("w", &SLAVKO, "80").with("product_adoption", dec(v)),
        ))
        .to_string()
    };
    assert_eq!(at("99.98"), "Excellent");
    assert_eq!(at("99.97"), "Good");
}

#[test]
fn what_it_takes_for_metric_components() {
    let r = health_rubric("slavkokernel");
    let res = score(&r, &slavko_metrics_account());
    assert_eq!((res.score, band(&res)), (Some(dec("69.40")), "Moderate"));
    // Good needs a rounded 70.00, i.e. raw >= 69.995: +0.595 points.
    // product_adoption 67.5 + 0.595/0.25 = 69.88; technical 50 + 0.595/0.2 = 52.975 -> 52.98;
    // business 90 + 2.38 = 92.38; relationship 77.5 + 3.9667 = 81.4667 -> 81.47;
    // growth 56 + 3.9667 = 59.9667 -> 59.97.
    assert_eq!(
        lifts(&res),
        [
            (
                "product_adoption".into(),
                true,
                Some(dec("67.5")),
                Some(dec("69.88"))
            ),
            (
                "technical_health".into(),
                true,
                Some(dec("50")),
                Some(dec("52.98"))
            ),
            (
                "business_outcomes".into(),
                true,
                Some(dec("90")),
                Some(dec("92.38"))
            ),
            (
                "relationship_health".into(),
                true,
                Some(dec("77.5")),
                Some(dec("81.47"))
            ),
            (
                "growth_potential".into(),
                true,
                Some(dec("56")),
                Some(dec("59.97"))
            ),
        ]
    );
    assert!(res
        .what_it_takes
        .as_ref()
        .unwrap()
        .components
        .iter()
        .all(|l| l.on == "component_score"));
}

#[test]
fn what_it_takes_for_a_lower_is_better_input_asks_for_less() {
    let r = tiny(
        "scale = \"0-100\"",
        "[[components]]\nid = \"risk\"\nweight = 50\ndirection = \"lower_is_better\"\n[[components]]\nid = \"usage\"\nweight = 50\n",
        &bands_100(),
    );
    // risk 40 scores 60; (60 + 80) / 2 = 70: Mid. High needs raw 84.995:
    // risk score 89.99 -> risk input 10.01; usage 80 + 29.99 = 109.99 > 100: not alone.
    let res = score(&r, &record("l", &[("risk", "40"), ("usage", "80")]));
    assert_eq!(band(&res), "Mid");
    assert_eq!(
        lifts(&res),
        [
            ("risk".into(), true, Some(dec("40")), Some(dec("10.01"))),
            ("usage".into(), false, Some(dec("80")), None),
        ]
    );
    assert_eq!(
        res.what_it_takes.as_ref().unwrap().components[0].change,
        Some(dec("-29.99"))
    );
}

#[test]
fn what_it_takes_is_none_in_the_top_band_and_for_missing_components() {
    let r = health_rubric("slavkokernel");
    assert!(score(&r, &all("top", &SLAVKO, "90"))
        .what_it_takes
        .is_none());
    let res = score(
        &r,
        &record(
            "m",
            &[("product_adoption", "50"), ("technical_health", "50")],
        ),
    );
    let w = res.what_it_takes.as_ref().unwrap();
    let missing = &w.components[2];
    assert!(!missing.reachable);
    assert!(missing.note.as_deref().unwrap().contains("missing"));
    // Off by option.
    let mut o = options();
    o.what_it_takes = false;
    assert!(r
        .score(&all("x", &SLAVKO, "50"), &o)
        .unwrap()
        .what_it_takes
        .is_none());
}

// ---------------------------------------------------------------------------------------
// Stamp, batch, formats

#[test]
fn results_are_stamped_with_id_version_and_the_file_hash() {
    use sha2::{Digest, Sha256};
    for name in ["slavkokernel", "ai-ecosystem", "cradle-to-grave"] {
        let path = rubric_path(&format!("health/{name}.toml"));
        let bytes = std::fs::read(&path).unwrap();
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let r = health_rubric(name);
        let stamp = r.stamp();
        assert_eq!(stamp.id, format!("health/{name}"));
        assert_eq!(stamp.version, "1.0.0");
        assert_eq!(stamp.hash, format!("sha256:{hex}"));
        let res = score(
            &r,
            &Record::new("x").with(r.spec().components[0].id.as_str(), dec("1")),
        );
        assert_eq!(*res.rubric, *stamp);
    }
    // A one-byte change to the file changes the hash.
    let text = std::fs::read_to_string(rubric_path("health/slavkokernel.toml")).unwrap();
    let a = HealthRubric::from_toml_str("a.toml", &text).unwrap();
    let b = HealthRubric::from_toml_str("b.toml", &format!("{text}\n")).unwrap();
    assert_ne!(a.stamp().hash, b.stamp().hash);
    assert_eq!(a.stamp().id, b.stamp().id);
}

#[test]
fn batch_keeps_order_and_reports_each_bad_row() {
    let r = health_rubric("slavkokernel");
    let csv = "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential\n\
        first,90,90,90,90,90\n\
        second,90,lots,90,90,90\n\
        third,50,50,50,50,50\n\
        fourth,90,90,900,90,90\n\
        fifth,70,70,70,70,70\n";
    let rows: Vec<Record> = read_csv("accounts.csv", csv)
        .unwrap()
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let results = r.score_batch(&rows, &options());
    assert_eq!(results.len(), 5, "one result per row");
    let ok = |i: usize| results[i].as_ref().unwrap();
    assert_eq!(
        (ok(0).id.as_str(), ok(0).row, band(ok(0))),
        ("first", 1, "Excellent")
    );
    assert_eq!(
        (ok(2).id.as_str(), ok(2).row, band(ok(2))),
        ("third", 3, "At Risk")
    );
    assert_eq!(
        (ok(4).id.as_str(), ok(4).row, band(ok(4))),
        ("fifth", 5, "Good")
    );
    let e1 = results[1].as_ref().unwrap_err();
    assert_eq!(
        (e1.code(), e1.account().row, e1.account().id.as_str()),
        ("not_a_number", 2, "second")
    );
    assert!(
        e1.to_string().starts_with("row 2 (account `second`)"),
        "{e1}"
    );
    let e3 = results[3].as_ref().unwrap_err();
    assert_eq!((e3.code(), e3.account().row), ("out_of_scale", 4));
    // Batch and one-by-one agree.
    for (row, res) in rows.iter().zip(&results) {
        assert_eq!(&r.score(row, &options()), res);
    }
}

#[test]
fn the_shipped_example_accounts_score() {
    let r = health_rubric("slavkokernel");
    let rows = csrubric::input::read_path(&example_path("health/slavkokernel.csv")).unwrap();
    let accounts: Vec<Record> = rows.into_iter().map(Result::unwrap).collect();
    let results = r.score_batch(&accounts, &options());
    assert!(results.iter().all(Result::is_ok));
    let by_id = |id: &str| results.iter().flatten().find(|r| r.id == id).unwrap();
    // borealis: all 85 -> exactly 85, Excellent; cobalt: 0.25*84.99 + 0.75*85 = 84.9975 -> 85.00.
    assert_eq!(band(by_id("borealis")), "Excellent");
    assert_eq!(by_id("cobalt").raw_score, Some(dec("84.9975")));
    assert_eq!(
        by_id("cobalt").score.map(|s| s.to_string()),
        Some("85.00".into())
    );
    // garnet: only product_adoption 90 and business_outcomes 88: (25*90 + 25*88)/50 = 89.
    assert_eq!(by_id("garnet").score, Some(dec("89")));
}

fn without_stamp(res: &HealthResult) -> serde_json::Value {
    let mut v = serde_json::to_value(res).unwrap();
    v.as_object_mut().unwrap().remove("rubric");
    v
}

#[test]
fn toml_and_json_twins_give_identical_results() {
    for name in ["slavkokernel", "ai-ecosystem", "cradle-to-grave"] {
        let path = rubric_path(&format!("health/{name}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let toml_r = HealthRubric::from_toml_str(&format!("{name}.toml"), &text).unwrap();
        let json_r =
            HealthRubric::from_json_str(&format!("{name}.json"), &toml_to_json(&text)).unwrap();
        assert_eq!(toml_r.stamp().id, json_r.stamp().id);
        assert_eq!(toml_r.stamp().version, json_r.stamp().version);
        // Same model: every scoring function, weight and band came through identically.
        assert_eq!(
            serde_json::to_value(toml_r.spec()).unwrap(),
            serde_json::to_value(json_r.spec()).unwrap(),
            "{name}"
        );
        let mut accounts: Vec<Record> = vec![all(
            "hi",
            &toml_r
                .spec()
                .components
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            "1",
        )];
        accounts.push(slavko_metrics_account());
        for file in [
            "health/slavkokernel.csv",
            "health/ai-ecosystem.csv",
            "health/cradle-to-grave.csv",
        ] {
            if let Ok(rows) = csrubric::input::read_path(&example_path(file)) {
                accounts.extend(rows.into_iter().flatten());
            }
        }
        for acc in &accounts {
            let a = toml_r.score(acc, &options());
            let b = json_r.score(acc, &options());
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(without_stamp(&a), without_stamp(&b), "{name} {}", acc.id)
                }
                (Err(a), Err(b)) => assert_eq!(a, b),
                (a, b) => panic!("{name} {}: {a:?} vs {b:?}", acc.id),
            }
        }
    }
}

#[test]
fn the_shipped_json_fixtures_load() {
    // tests/fixtures/health/*.json are checked-in JSON twins of the seed rubrics.
    for name in ["slavkokernel", "ai-ecosystem", "cradle-to-grave"] {
        let path = csrubric_tests::fixture_path(&format!("health/{name}.json"));
        let r = HealthRubric::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.stamp().id, format!("health/{name}"));
        let t = health_rubric(name);
        assert_eq!(
            serde_json::to_value(r.spec()).unwrap(),
            serde_json::to_value(t.spec()).unwrap(),
            "{name}: the JSON fixture has drifted from the TOML rubric"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Validation errors: rubric path AND TOML line:col

const GOOD_COMPONENTS: &str =
    "[[components]]\nid = \"a\"\nweight = 50\n\n[[components]]\nid = \"b\"\nweight = 50\n";

/// Asserts one problem at `path` located at `needle`'s line, column `col`.
fn assert_problem(text: &str, path: &str, needle: &str, col: usize, message: &str) {
    let (err, problems) = invalid(text);
    let p = problems
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no problem at `{path}`: {err}"));
    let line = line_of(text, needle);
    assert_eq!((p.line, p.column), (Some(line), Some(col)), "{err}");
    assert!(p.message.contains(message), "{}", p.message);
    // One problem reads `file:line:col: invalid rubric: path: message`; several are listed
    // one per line as `file:line:col: path: message`.
    let shown = err.to_string();
    assert!(
        shown.contains(&format!("broken.toml:{line}:{col}: ")),
        "{shown}"
    );
    assert!(shown.contains(&format!("{path}: ")), "{shown}");
    assert!(shown.contains("invalid rubric"), "{shown}");
    assert_eq!(err.code(), "rubric_invalid");
}

#[test]
fn weights_must_sum_to_exactly_100_in_decimal() {
    let thirds = |a: &str, b: &str, c: &str| {
        tiny_text(
            "scale = \"0-100\"",
            &format!("[[components]]\nid = \"a\"\nweight = {a}\n[[components]]\nid = \"b\"\nweight = {b}\n[[components]]\nid = \"c\"\nweight = {c}\n"),
            &bands_100(),
        )
    };
    // 33.33 + 33.33 + 33.34 = 100 exactly.
    HealthRubric::from_toml_str("ok.toml", &thirds("33.33", "33.33", "33.34")).unwrap();
    // Also as strings (more digits than a float holds).
    HealthRubric::from_toml_str(
        "ok.toml",
        &thirds(
            "\"33.3333333333333333\"",
            "\"33.3333333333333333\"",
            "\"33.3333333333333334\"",
        ),
    )
    .unwrap();
    // 33.3 * 3 = 99.9.
    let text = thirds("33.3", "33.3", "33.3");
    let (err, problems) = invalid(&text);
    let p = problems.iter().find(|p| p.path == "components").unwrap();
    assert!(p.message.contains("99.9"), "{err}");
    assert_eq!(p.line, Some(line_of(&text, "[[components]]")), "{err}");
    assert!(p.column.is_some());
}

#[test]
fn non_positive_weight_is_rejected() {
    for w in ["0", "-5"] {
        let text = tiny_text(
            "scale = \"0-100\"",
            &format!("[[components]]\nid = \"a\"\nweight = 100\n\n[[components]]\nid = \"b\"\nweight = {w}\n"),
            &bands_100(),
        );
        assert_problem(
            &text,
            "components[1].weight",
            &format!("weight = {w}"),
            1,
            "must be positive",
        );
    }
}

#[test]
fn duplicate_component_ids_are_rejected() {
    let text = tiny_text(
        "scale = \"0-100\"",
        "[[components]]\nid = \"a\"\nweight = 50\n\n[[components]]\n  id = \"a\"\nweight = 50\n",
        &bands_100(),
    );
    assert_problem(
        &text,
        "components[1].id",
        "  id = \"a\"",
        3,
        "duplicate component id `a`",
    );
}

#[test]
fn a_band_gap_at_the_bottom_is_rejected() {
    let text = tiny_text(
        "scale = \"0-100\"",
        GOOD_COMPONENTS,
        &bands(&[("85", "High"), ("40", "Mid")]),
    );
    let (err, problems) = invalid(&text);
    let p = problems
        .iter()
        .find(|p| p.path == "bands")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(p.message.contains("no band starts at the bottom"), "{err}");
    assert_eq!(p.line, Some(line_of(&text, "[[bands]]")), "{err}");
    assert!(err.to_string().contains("broken.toml"));
}

#[test]
fn duplicate_band_minimums_are_rejected() {
    let text = tiny_text(
        "scale = \"0-100\"",
        GOOD_COMPONENTS,
        "[[bands]]\nmin = 50\nlabel = \"A\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n\n[[bands]]\nmin = 50.0\nlabel = \"B\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n\n[[bands]]\nmin = 0\nlabel = \"C\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n",
    );
    assert_problem(&text, "bands[1].min", "min = 50.0", 1, "overlap");
}

#[test]
fn band_outside_the_scale_is_rejected() {
    let text = tiny_text(
        "scale = \"0-10\"",
        GOOD_COMPONENTS,
        &bands(&[("85", "High"), ("0", "Low")]),
    );
    assert_problem(&text, "bands[0].min", "min = 85", 1, "outside the scale");
}

#[test]
fn unknown_fields_are_rejected() {
    let text = tiny_text(
        "scale = \"0-100\"",
        "[[components]]\nid = \"a\"\nweight = 50\n\n[[components]]\nid = \"b\"\nwieght = 50\n",
        &bands_100(),
    );
    let (err, problems) = invalid(&text);
    assert_eq!(problems.len(), 1, "{err}");
    let p = &problems[0];
    assert!(p.message.contains("unknown field `wieght`"), "{err}");
    assert!(p.path.starts_with("components[1]"), "{err}");
    assert_eq!(p.line, Some(line_of(&text, "wieght")), "{err}");
    assert_eq!(p.column, Some(1), "{err}");
    // At the top level too.
    let text = format!("{HEAD}scael = \"0-100\"\n{GOOD_COMPONENTS}{}", bands_100());
    let (err, problems) = invalid(&text);
    assert!(
        problems[0].message.contains("unknown field `scael`"),
        "{err}"
    );
    assert_eq!(problems[0].line, Some(line_of(&text, "scael")), "{err}");
}

#[test]
fn bad_scales_are_rejected() {
    for (scale, message) in [
        ("100-0", "bottom must be below the top"),
        ("0-lots", "unknown scale"),
        ("percent", "unknown scale"),
        ("5-5", "bottom must be below the top"),
    ] {
        let text = tiny_text(
            &format!("scale = \"{scale}\""),
            GOOD_COMPONENTS,
            &bands_100(),
        );
        assert_problem(&text, "scale", "scale =", 1, message);
    }
}

#[test]
fn fixed_policy_needs_a_default() {
    let text = tiny_text(
        "scale = \"0-100\"",
        "[[components]]\nid = \"a\"\nweight = 50\n\n[[components]]\nid = \"b\"\nweight = 50\nmissing = \"fixed\"\n",
        &bands_100(),
    );
    let (err, problems) = invalid(&text);
    let p = problems
        .iter()
        .find(|p| p.path == "components[1].default")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(p.message.contains("needs a `default`"), "{err}");
    // `default` is absent, so the problem points at the component that lacks it.
    let second = text.match_indices("[[components]]").nth(1).unwrap().0;
    let line = text[..second].matches('\n').count() + 1;
    assert_eq!(p.line, Some(line), "{err}");
    // Also via the rubric-wide policy.
    let text = tiny_text(
        "scale = \"0-100\"\nmissing = { policy = \"fixed\" }",
        GOOD_COMPONENTS,
        &bands_100(),
    );
    let (err, problems) = invalid(&text);
    assert_eq!(
        problems
            .iter()
            .filter(|p| p.path.ends_with(".default"))
            .count(),
        2,
        "{err}"
    );
}

#[test]
fn every_problem_is_listed_with_its_position() {
    let text = tiny_text(
        "scale = \"0-100\"",
        "[[components]]\nid = \"a\"\nweight = 0\n\n[[components]]\nid = \"a\"\nweight = 50\n",
        &bands(&[("85", "High"), ("85", "Also high")]),
    );
    let (err, problems) = invalid(&text);
    let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
    for expected in [
        "components[0].weight",
        "components[1].id",
        "components",
        "bands[1].min",
        "bands",
    ] {
        assert!(paths.contains(&expected), "missing {expected}: {err}");
    }
    assert!(
        problems
            .iter()
            .all(|p| p.line.is_some() && p.column.is_some()),
        "{err}"
    );
    // Listed in file order.
    let lines: Vec<_> = problems.iter().map(|p| p.line.unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn json_rubric_errors_name_the_path() {
    let text = toml_to_json(&tiny_text(
        "scale = \"0-100\"",
        GOOD_COMPONENTS,
        &bands_100(),
    ))
    .replace("\"weight\": 50", "\"weight\": true");
    let err = HealthRubric::from_json_str("r.json", &text).err().unwrap();
    let p = &err.problems()[0];
    assert_eq!(p.path, "components[0].weight", "{err}");
    assert!(
        err.to_string().starts_with("r.json:")
            && err
                .to_string()
                .contains(": invalid rubric: components[0].weight: "),
        "{err}"
    );
}

#[test]
fn from_path_names_the_file() {
    let err = HealthRubric::from_path(&rubric_path("health/nope.toml"))
        .err()
        .unwrap();
    assert_eq!(err.code(), "rubric_io");
    assert!(err.to_string().contains("nope.toml"), "{err}");
}

#[test]
fn as_of_is_fixed_in_these_tests() {
    assert_eq!(as_of().to_rfc3339(), "2026-06-01T12:00:00+00:00");
}

#[test]
fn a_tie_reached_through_non_terminating_shares_is_banded_on_one_division() {
    // AI ecosystem with growth missing: three components of 25% -> each counts 1/3.
    // (8 + 8 + 7.985) / 3 = 23.985 / 3 = 7.995 exactly: a half-up tie that rounds to 8.00,
    // Green. Adding three rounded thirds (2.666..7 + 2.666..7 + 2.661666..7) would miss it.
    let r = health_rubric("ai-ecosystem");
    let res = score(
        &r,
        &record(
            "tie",
            &[("usage", "8"), ("engagement", "8"), ("success", "7.985")],
        ),
    );
    assert_eq!(res.raw_score, Some(dec("7.995")));
    assert_eq!(res.score.map(|s| s.to_string()), Some("8.00".into()));
    assert_eq!(band(&res), "Green");
    // The ledger still adds up exactly: weights to 100, contributions to the raw score.
    let w: Decimal = res.components.iter().map(|c| c.effective_weight).sum();
    let c: Decimal = res.components.iter().map(|c| c.contribution).sum();
    assert_eq!((w, c), (dec("100"), dec("7.995")));
    // Each share is a third, to 20 decimals (the last takes the remainder).
    assert_eq!(
        res.components[0].effective_weight,
        dec("33.33333333333333333333")
    );
    assert_eq!(
        res.components[2].effective_weight,
        dec("33.33333333333333333334")
    );
}

/// Scores a shipped example file with a seed rubric: every row must score.
fn example_results(rubric: &str, file: &str) -> Vec<HealthResult> {
    let r = health_rubric(rubric);
    let rows = csrubric::input::read_path(&example_path(&format!("health/{file}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let accounts: Vec<Record> = rows
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    r.score_batch(&accounts, &options())
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn score_of<'a>(results: &'a [HealthResult], id: &str) -> (String, &'a str) {
    let r = results
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no {id}"));
    (r.score.unwrap().to_string(), band(r))
}

#[test]
fn ai_ecosystem_example_accounts() {
    let res = example_results("ai-ecosystem", "ai-ecosystem.csv");
    assert!((8..=12).contains(&res.len()));
    for b in ["Green", "Yellow", "Red"] {
        assert!(res.iter().any(|r| band(r) == b), "no {b} account");
    }
    // Both direct and metric-derived components appear.
    assert!(res.iter().any(|r| r
        .components
        .iter()
        .any(|c| c.source == ComponentSource::Metrics)));
    assert!(res.iter().any(|r| r
        .components
        .iter()
        .any(|c| c.source == ComponentSource::Direct)));
    // lumen, all metrics: usage 0.5*9.5 + 0.25*(72/80*10) + 0.25*(81/90*10) = 9.25;
    // engagement 0.5*9 + 0.5*9.5 = 9.25; success 0.6*9.5 + 0.4*10 = 9.7;
    // growth 0.5*9.5 + 0.5*7.5 = 8.5; (9.25 + 9.25 + 9.7 + 8.5) / 4 = 9.175 -> 9.18.
    assert_eq!(score_of(&res, "lumen"), ("9.18".into(), "Green"));
    // quarry, mixed: success 0.6*5.5 + 0.4*7 = 6.1; growth 0.5*5.5 + 0.5*3.5 = 4.5;
    // (7 + 6.5 + 6.1 + 4.5) / 4 = 6.025 -> 6.03.
    assert_eq!(score_of(&res, "quarry"), ("6.03".into(), "Yellow"));
    // kestrel: usage 0.5*3.5 + 0.25*1.25 + 0.25*(20/90*10) = 2.6180..; engagement 1.5;
    // success 1; growth 1: 6.1180.. / 4 = 1.5295.. -> 1.53.
    assert_eq!(score_of(&res, "kestrel"), ("1.53".into(), "Red"));
    assert_eq!(score_of(&res, "orchid"), ("4.99".into(), "Red"));
    assert_eq!(score_of(&res, "tandem"), ("5.00".into(), "Yellow"));
    assert_eq!(score_of(&res, "juniper"), ("8.00".into(), "Green"));
}

#[test]
fn cradle_to_grave_example_accounts() {
    let res = example_results("cradle-to-grave", "cradle-to-grave.csv");
    assert!((8..=12).contains(&res.len()));
    for b in ["Green", "Yellow", "Red"] {
        assert!(res.iter().any(|r| band(r) == b), "no {b} account");
    }
    // birch, all metrics: usage 30; business value 0.4*30 + 0.4*27 + 0.2*30 = 28.8;
    // relationship 0.4*20 + 0.3*16 + 0.3*20 = 18.8; growth 0.5*20 + 0.3*20 + 0.2*13.33.. =
    // 18.666..; total 96.266.. -> 96.27.
    assert_eq!(score_of(&res, "birch"), ("96.27".into(), "Green"));
    // elm, mixed: business value 0.4*21 + 0.4*18 + 0.2*7.5 = 17.1; growth
    // 0.5*12 + 0 + 0.2*6.66.. = 7.333..; 20 + 17.1 + 14 + 7.333.. = 58.433.. -> 58.43.
    assert_eq!(score_of(&res, "elm"), ("58.43".into(), "Red"));
    // ginkgo: 4.8 + 3.6 + 6.4 + 0 = 14.8.
    assert_eq!(score_of(&res, "ginkgo"), ("14.80".into(), "Red"));
    // ironwood: growth missing, renormalized: (27 + 26 + 17) / 80 * 100 = 87.5.
    assert_eq!(score_of(&res, "ironwood"), ("87.50".into(), "Green"));
    assert_eq!(score_of(&res, "dogwood"), ("79.99".into(), "Yellow"));
    assert_eq!(score_of(&res, "fir"), ("60.00".into(), "Yellow"));
}

#[test]
fn slavkokernel_json_example_matches_the_csv() {
    let r = health_rubric("slavkokernel");
    let json_rows: Vec<Record> =
        csrubric::input::read_path(&example_path("health/slavkokernel.json"))
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
    let csv_rows: Vec<Record> =
        csrubric::input::read_path(&example_path("health/slavkokernel.csv"))
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
    let ids = |rows: &[Record]| rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&json_rows), ids(&csv_rows));
    let with_overrides: Vec<_> = json_rows
        .iter()
        .filter(|r| r.values.contains_key("overrides"))
        .collect();
    assert_eq!(with_overrides.len(), 1);
    let results = r.score_batch(&json_rows, &options());
    for ((j, c), row) in results.iter().zip(&csv_rows).zip(&json_rows) {
        let j = j.as_ref().unwrap();
        if row.values.contains_key("overrides") {
            // Judged at 2026-06-01: both overrides of delta are active.
            assert_eq!(j.computed_band.as_deref(), Some("Moderate"));
            assert_eq!(band(j), "Good");
            continue;
        }
        assert_eq!(without_stamp(j), without_stamp(&score(&r, c)), "{}", row.id);
    }
}

#[test]
fn metric_and_function_problems_are_located() {
    let metric = |weight: &str, scoring: &str| {
        tiny_text(
            "scale = \"0-100\"",
            &format!("[[components]]\nid = \"a\"\nweight = 100\n  [[components.metrics]]\n  id = \"m1\"\n  weight = {weight}\n  scoring = {scoring}\n  [[components.metrics]]\n  id = \"m2\"\n  weight = 50\n  scoring = {{ type = \"target\", target = 10 }}\n"),
            &bands_100(),
        )
    };
    // Metric weights 40 + 50 = 90.
    let text = metric("40", "{ type = \"target\", target = 10 }");
    let (err, problems) = invalid(&text);
    let p = problems
        .iter()
        .find(|p| p.path == "components[0].metrics")
        .unwrap_or_else(|| panic!("{err}"));
    assert!(p.message.contains("sum to 90%"), "{err}");
    assert_eq!(
        p.line,
        Some(line_of(&text, "[[components.metrics]]")),
        "{err}"
    );
    // A reversed linear range, a non-positive target, descending steps.
    for (scoring, path, message) in [
        ("{ type = \"linear\", from = 10, to = 5 }", "components[0].metrics[0].scoring", "must be below `to`"),
        ("{ type = \"target\", target = 0 }", "components[0].metrics[0].scoring", "must be positive"),
        ("{ type = \"steps\", steps = [{ at_least = 5, score = 10 }, { at_least = 1, score = 20 }] }", "components[0].metrics[0].scoring", "ascending"),
        ("{ type = \"steps\", steps = [{ at_least = 1, score = 60 }, { at_least = 5, score = 20 }] }", "components[0].metrics[0].scoring", "must not fall"),
        ("{ type = \"steps\", steps = [{ at_least = 1, score = 160 }] }", "components[0].metrics[0].scoring", "outside the component scale"),
    ] {
        let text = metric("50", scoring);
        let (err, problems) = invalid(&text);
        let p = problems
            .iter()
            .find(|p| p.path.starts_with(path) && p.message.contains(message))
            .unwrap_or_else(|| panic!("no `{message}` at {path}: {err}"));
        // Located on the `scoring = ...` line of m1.
        assert_eq!(p.line, Some(line_of(&text, "scoring = { type = \"") ), "{err}");
    }
    // An unknown scoring type is a parse error at the field.
    let text = metric("50", "{ type = \"sigmoid\", target = 10 }");
    let (err, problems) = invalid(&text);
    assert!(problems[0].message.contains("sigmoid"), "{err}");
    assert_eq!(problems[0].line, Some(line_of(&text, "sigmoid")), "{err}");
}

#[test]
fn rounding_min_present_and_kind_are_validated() {
    for (top, path, message) in [
        (
            "scale = \"0-100\"\nrounding = { decimals = 11 }",
            "rounding.decimals",
            "at most 10",
        ),
        (
            "scale = \"0-100\"\nmissing = { min_present = 120 }",
            "missing.min_present",
            "between 0 and 100",
        ),
    ] {
        let text = tiny_text(top, GOOD_COMPONENTS, &bands_100());
        let (err, problems) = invalid(&text);
        let p = problems
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("{err}"));
        assert!(p.message.contains(message), "{err}");
        assert!(p.line.is_some(), "{err}");
    }
    let text = tiny_text(
        "scale = \"0-100\"\nrounding = { mode = \"half_down\" }",
        GOOD_COMPONENTS,
        &bands_100(),
    );
    let (err, _) = invalid(&text);
    assert!(err.to_string().contains("half_down"), "{err}");
    let text = tiny_text("scale = \"0-100\"", GOOD_COMPONENTS, &bands_100())
        .replace("kind = \"health\"", "kind = \"priority\"");
    let (err, problems) = invalid(&text);
    assert_eq!(problems[0].path, "kind", "{err}");
    assert_eq!(
        (problems[0].line, problems[0].column),
        (Some(1), Some(1)),
        "{err}"
    );
}

#[test]
fn metric_shares_add_up_to_100_with_many_metrics() {
    // Seven metrics of which three (weights 10, 20, 40 -> 70 present) are given: shares
    // 100/7, 200/7, 400/7 do not terminate; shown to 20 decimals, they still sum to 100.
    let metrics: String = [("m1", 10), ("m2", 20), ("m3", 40), ("m4", 5), ("m5", 5), ("m6", 10), ("m7", 10)]
        .iter()
        .map(|(id, w)| format!("  [[components.metrics]]\n  id = \"{id}\"\n  weight = {w}\n  scoring = {{ type = \"linear\", from = 0, to = 100 }}\n"))
        .collect();
    let r = tiny(
        "scale = \"0-100\"",
        &format!("[[components]]\nid = \"c\"\nweight = 100\n{metrics}"),
        &bands_100(),
    );
    let res = score(
        &r,
        &record("m", &[("m1", "70"), ("m2", "70"), ("m3", "70")]),
    );
    let shares: Vec<Decimal> = res.components[0]
        .metrics
        .iter()
        .map(|m| m.effective_weight)
        .collect();
    assert_eq!(shares.iter().copied().sum::<Decimal>(), dec("100"));
    assert_eq!(shares[0], dec("14.28571428571428571429"));
    assert_eq!(shares[1], dec("28.57142857142857142857"));
    assert_eq!(shares[3], dec("0"));
    assert_eq!(res.score, Some(dec("70")));
}

#[test]
fn what_it_takes_respects_half_even_at_zero_decimals() {
    let r = two_halves("{ decimals = 0, mode = \"half_even\" }");
    // (80 + 80) / 2 = 80: Mid. High needs a rounded 85: a = 89 gives 84.5 -> 84 (even), not
    // enough; a = 90 gives 85. So the answer is 90 on the 1-unit grid.
    let res = score(&r, &record("e", &[("a", "80"), ("b", "80")]));
    assert_eq!(
        lifts(&res),
        [
            ("a".into(), true, Some(dec("80")), Some(dec("90"))),
            ("b".into(), true, Some(dec("80")), Some(dec("90"))),
        ]
    );
    // Half-up: 89 already gives 84.5 -> 85.
    let r = two_halves("{ decimals = 0, mode = \"half_up\" }");
    let res = score(&r, &record("e", &[("a", "80"), ("b", "80")]));
    assert_eq!(lifts(&res)[0].3, Some(dec("89")));
}

#[test]
fn two_active_overrides_of_one_target_are_an_error_but_an_expired_one_may_stay() {
    let r = health_rubric("slavkokernel");
    let acc = all("o", &SLAVKO, "80");
    let target = || OverrideTarget::Component("growth_potential".into());
    let both = [
        ov(target(), Some("10"), None),
        ov(target(), Some("20"), None),
    ];
    let err = r.score_with_overrides(&acc, &both, &options()).unwrap_err();
    assert_eq!(err.code(), "invalid_override");
    assert!(
        matches!(err, HealthError::Override { index: 1, .. }),
        "{err}"
    );
    // An expired one next to an active one: the active one counts.
    let mixed = [
        ov(target(), Some("10"), Some("2026-01-01T00:00:00Z")),
        ov(target(), Some("20"), None),
    ];
    let res = r.score_with_overrides(&acc, &mixed, &options()).unwrap();
    // 80 - 0.15 * (80 - 20) = 71
    assert_eq!(res.score, Some(dec("71")));
    assert!(res.components[4].r#override.as_ref().unwrap().counts);
}

#[test]
fn ranges_too_wide_to_compute_are_refused_not_panicked_on() {
    // A linear range whose width overflows a decimal.
    let text = tiny_text(
        "scale = \"0-100\"",
        "[[components]]\nid = \"c\"\nweight = 100\n  [[components.metrics]]\n  id = \"m\"\n  weight = 100\n  scoring = { type = \"linear\", from = \"-79228162514264337593543950335\", to = \"79228162514264337593543950335\" }\n",
        &bands_100(),
    );
    let (err, problems) = invalid(&text);
    assert_eq!(
        problems[0].path, "components[0].metrics[0].scoring",
        "{err}"
    );
    assert!(problems[0].message.contains("too wide"), "{err}");
    // A scale whose top would overflow weight * span products.
    let text = tiny_text(
        "scale = \"0-79228162514264337593543950335\"",
        GOOD_COMPONENTS,
        &bands(&[("0", "Any")]),
    );
    let (err, problems) = invalid(&text);
    assert_eq!(problems[0].path, "scale", "{err}");
    assert!(problems[0].message.contains("at most 1000000000"), "{err}");
    // A wide but sane range still works: 0 is the midpoint of -1e12..1e12 and scores 50.
    let r = one_metric(
        "0-1000000000",
        "higher_is_better",
        "{ type = \"linear\", from = -1000000000000, to = 1000000000000 }",
        &bands(&[("0", "Any")]),
    );
    assert_eq!(
        score(&r, &record("x", &[("m", "0")])).score,
        Some(dec("500000000"))
    );
}
