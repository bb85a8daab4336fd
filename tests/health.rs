//! Health scores through the public API: the seed rubrics, band edges, rounding, scales,
//! scoring functions, missing data, overrides, what-it-takes, stamps, batches and
//! validation errors. Every expected value is computed by hand in a comment or taken from
//! the seed tables.

use csrubric::health::{ComponentSource, HealthRubric, Override, OverrideTarget, Status};
use csrubric::input::read_csv;
use csrubric::rubric::RubricError;
use csrubric_tests::*;

const SK: [&str; 5] = [
    "product_adoption",
    "technical_health",
    "business_outcomes",
    "relationship_health",
    "growth_potential",
];

fn all(columns: &[&str], value: &str) -> Vec<(String, String)> {
    columns
        .iter()
        .map(|c| (c.to_string(), value.to_string()))
        .collect()
}

fn rec_owned(id: &str, cells: &[(String, String)]) -> csrubric::input::Record {
    let borrowed: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    rec(id, &borrowed)
}

// --- the seed rubrics encode the seed tables ---------------------------------------------

#[test]
fn slavkokernel_encodes_seed_001_weights_and_bands() {
    let r = health("slavkokernel");
    let weights: Vec<(String, String)> = r
        .spec()
        .components
        .iter()
        .map(|c| (c.id.clone(), c.weight.to_string()))
        .collect();
    let expected = [
        ("product_adoption", "25"),
        ("technical_health", "20"),
        ("business_outcomes", "25"),
        ("relationship_health", "15"),
        ("growth_potential", "15"),
    ];
    assert_eq!(
        weights,
        expected
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .to_vec()
    );
    // Seed 001 "Health Score Interpretation".
    let bands: Vec<(String, String, String, String, String)> = r
        .bands()
        .map(|b| {
            (
                b.min.to_string(),
                b.label.clone(),
                b.action.clone(),
                b.owner.clone(),
                b.urgency.clone(),
            )
        })
        .collect();
    let expected = [
        (
            "85",
            "Excellent",
            "Maintain, develop advocacy",
            "CSM",
            "Low",
        ),
        (
            "70",
            "Good",
            "Targeted improvements, growth planning",
            "CSM",
            "Low",
        ),
        (
            "55",
            "Moderate",
            "Improvement plan, increased engagement",
            "CSM",
            "Medium",
        ),
        (
            "40",
            "At Risk",
            "Remediation plan, executive engagement",
            "CSM + Manager",
            "High",
        ),
        (
            "0",
            "Critical",
            "Rescue plan, executive escalation",
            "CSM + Director",
            "Urgent",
        ),
    ];
    assert_eq!(
        bands,
        expected
            .map(|(a, b, c, d, e)| (a.into(), b.into(), c.into(), d.into(), e.into()))
            .to_vec()
    );
}

#[test]
fn ai_ecosystem_and_cradle_to_grave_encode_their_seeds() {
    let ai = health("ai-ecosystem");
    assert!(ai
        .spec()
        .components
        .iter()
        .all(|c| c.weight.to_string() == "25"));
    assert_eq!(ai.spec().scale, "0-10");
    let mins: Vec<String> = ai
        .bands()
        .map(|b| format!("{} {}", b.min, b.label))
        .collect();
    assert_eq!(mins, ["8 Green", "5 Yellow", "0 Red"]);

    let c2g = health("cradle-to-grave");
    assert_eq!(c2g.spec().scale, "points");
    let pts: Vec<String> = c2g
        .spec()
        .components
        .iter()
        .map(|c| format!("{} {}", c.id, c.weight))
        .collect();
    assert_eq!(
        pts,
        [
            "usage 30",
            "business_value 30",
            "relationship 20",
            "growth 20"
        ]
    );
    let mins: Vec<String> = c2g
        .bands()
        .map(|b| format!("{} {}", b.min, b.label))
        .collect();
    assert_eq!(mins, ["80 Green", "60 Yellow", "0 Red"]);
}

// --- bands: lower-bound, half-open, chosen on the rounded score -------------------------

#[test]
fn slavkokernel_band_edges() {
    let r = health("slavkokernel");
    // All components equal to x gives exactly x (the weights sum to 100%).
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
        let res = score(&r, &rec_owned("a", &all(&SK, x)));
        assert_eq!(band(&res), expected, "score {x}");
        assert_eq!(res.score.unwrap(), d(x), "score {x}");
    }
}

#[test]
fn ai_ecosystem_and_points_band_edges() {
    let ai = health("ai-ecosystem");
    let cols = ["usage", "engagement", "success", "growth"];
    for (x, expected) in [
        ("10", "Green"),
        ("8", "Green"),
        ("7.99", "Yellow"),
        ("7.5", "Yellow"),
        ("5", "Yellow"),
        ("4.99", "Red"),
        ("0", "Red"),
    ] {
        assert_eq!(
            band(&score(&ai, &rec_owned("a", &all(&cols, x)))),
            expected,
            "ai-ecosystem {x}"
        );
    }
    let c2g = health("cradle-to-grave");
    // Points: the score is the sum of the points earned.
    for (u, bv, rel, g, total, expected) in [
        ("30", "30", "20", "0", "80.00", "Green"),
        ("30", "29.99", "20", "0", "79.99", "Yellow"),
        ("20", "20", "10", "10", "60.00", "Yellow"),
        ("20", "20", "10", "9.99", "59.99", "Red"),
        ("30", "30", "20", "20", "100.00", "Green"),
    ] {
        let res = score(
            &c2g,
            &rec(
                "a",
                &[
                    ("usage", u),
                    ("business_value", bv),
                    ("relationship", rel),
                    ("growth", g),
                ],
            ),
        );
        assert_eq!(
            (score_text(&res).as_str(), band(&res).as_str()),
            (total, expected)
        );
    }
}

#[test]
fn points_inputs_are_bounded_by_each_components_points() {
    let c2g = health("cradle-to-grave");
    let err = c2g
        .score(
            &rec(
                "a",
                &[
                    ("usage", "31"),
                    ("business_value", "1"),
                    ("relationship", "1"),
                    ("growth", "1"),
                ],
            ),
            &opts(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "out_of_scale");
    assert!(
        err.to_string()
            .contains("`usage` = 31 is outside the component scale 0-30"),
        "{err}"
    );
    let err = c2g
        .score(&rec("a", &[("relationship", "20.01")]), &opts())
        .unwrap_err();
    assert!(err.to_string().contains("0-20"), "{err}");
}

#[test]
fn exactly_85_is_excellent_even_when_floats_say_otherwise() {
    let inputs = ["86.9", "84.02", "86.89", "86.05", "78.94"];
    let weights = [25.0, 20.0, 25.0, 15.0, 15.0];
    // What a spreadsheet or numpy computes:
    let float_sum: f64 = inputs
        .iter()
        .zip(weights)
        .map(|(x, w)| x.parse::<f64>().unwrap() * (w / 100.0))
        .sum();
    assert!(
        float_sum < 85.0,
        "the float sum must be below 85 for this test to mean anything: {float_sum}"
    );
    // Exact: 86.9*25 + 84.02*20 + 86.89*25 + 86.05*15 + 78.94*15
    //      = 2172.5 + 1680.4 + 2172.25 + 1290.75 + 1184.1 = 8500 -> 85.
    let cells: Vec<(&str, &str)> = SK.iter().copied().zip(inputs).collect();
    let res = score(&health("slavkokernel"), &rec("edge", &cells));
    assert_eq!(res.raw_score.unwrap(), d("85"));
    assert_eq!(score_text(&res), "85.00");
    assert_eq!(band(&res), "Excellent");
}

const TWO_HALVES: &str = r#"
kind = "health"
id = "t/halves"
version = "1"
title = "t"
source = "test"
scale = "0-100"
rounding = { decimals = DECIMALS, mode = "MODE" }
[[components]]
id = "a"
weight = 50
[[components]]
id = "b"
weight = 50
[[bands]]
min = 85
label = "Excellent"
action = "x"
owner = "x"
urgency = "x"
[[bands]]
min = 0
label = "Good"
action = "x"
owner = "x"
urgency = "x"
"#;

fn halves(decimals: u32, mode: &str) -> HealthRubric {
    inline(
        &TWO_HALVES
            .replace("DECIMALS", &decimals.to_string())
            .replace("MODE", mode),
    )
}

#[test]
fn rounding_is_declared_once_and_bands_use_the_rounded_score() {
    // (84 + 85) / 2 = 84.5: a tie at 0 decimals.
    let acct = rec("t", &[("a", "84"), ("b", "85")]);
    let up = score(&halves(0, "half_up"), &acct);
    assert_eq!(
        (score_text(&up).as_str(), band(&up).as_str()),
        ("85", "Excellent")
    );
    assert_eq!(up.raw_score.unwrap(), d("84.5"));
    let even = score(&halves(0, "half_even"), &acct);
    assert_eq!(
        (score_text(&even).as_str(), band(&even).as_str()),
        ("84", "Good")
    );
    // (84.99 + 85) / 2 = 84.995 -> half_up 85.00 (Excellent); 84.97/85 -> 84.985 -> half_even 84.98.
    let r = score(
        &halves(2, "half_up"),
        &rec("t", &[("a", "84.99"), ("b", "85")]),
    );
    assert_eq!(
        (score_text(&r).as_str(), band(&r).as_str()),
        ("85.00", "Excellent")
    );
    let r = score(
        &halves(2, "half_even"),
        &rec("t", &[("a", "84.97"), ("b", "85")]),
    );
    assert_eq!(score_text(&r), "84.98");
    let r = score(
        &halves(2, "half_up"),
        &rec("t", &[("a", "84.97"), ("b", "85")]),
    );
    assert_eq!(score_text(&r), "84.99");
}

// --- scoring functions, hand-computed ---------------------------------------------------

const FUNCTIONS: &str = r#"
kind = "health"
id = "t/functions"
version = "1"
title = "t"
source = "test"
scale = "0-100"
[[components]]
id = "lin"
weight = 20
  [[components.metrics]]
  id = "lin_up"
  weight = 50
  scoring = { type = "linear", from = 10, to = 30 }
  [[components.metrics]]
  id = "lin_down"
  weight = 50
  direction = "lower_is_better"
  scoring = { type = "linear", from = 200, to = 2000 }
[[components]]
id = "step"
weight = 20
  [[components.metrics]]
  id = "meetings"
  weight = 100
  scoring = { type = "steps", steps = [{ at_least = 1, score = 50 }, { at_least = 2, score = 80 }, { at_least = 3, score = 100 }] }
[[components]]
id = "tgt"
weight = 20
  [[components.metrics]]
  id = "attain"
  weight = 100
  scoring = { type = "target", target = 80, cap = 1.25 }
[[components]]
id = "tgt_down"
weight = 20
  [[components.metrics]]
  id = "resolution_hours"
  weight = 100
  direction = "lower_is_better"
  scoring = { type = "target", target = 8 }
[[components]]
id = "direct_down"
weight = 20
direction = "lower_is_better"
[[bands]]
min = 0
label = "All"
action = "x"
owner = "x"
urgency = "x"
"#;

fn component_score(res: &csrubric::health::HealthResult, id: &str) -> String {
    res.components
        .iter()
        .find(|c| c.id.as_ref() == id)
        .and_then(|c| c.score)
        .map(|s| s.normalize().to_string())
        .unwrap()
}

#[test]
fn scoring_functions_match_hand_calculation() {
    let r = inline(FUNCTIONS);
    // (input cells, component, expected component score)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        // linear up: (15-10)/(30-10) = 25%; linear down: (2000-650)/(1800) = 75% -> mean 50
        (&[("lin_up", "15"), ("lin_down", "650")], "lin", "50"),
        // clamped at both ends: 5 -> 0, 100 -> 100% ; lower-is-better 100 -> 100%, 5000 -> 0
        (&[("lin_up", "5"), ("lin_down", "100")], "lin", "50"),
        (&[("lin_up", "100"), ("lin_down", "5000")], "lin", "50"),
        (&[("lin_up", "30"), ("lin_down", "200")], "lin", "100"),
        // steps: below the first step scores the first step; 2.5 reaches the `2` step
        (&[("meetings", "0")], "step", "50"),
        (&[("meetings", "2.5")], "step", "80"),
        (&[("meetings", "3")], "step", "100"),
        // target 80 with cap 1.25: full score at 100; 80 (= target) scores 80/100 = 80
        (&[("attain", "80")], "tgt", "80"),
        (&[("attain", "40")], "tgt", "40"),
        (&[("attain", "150")], "tgt", "100"),
        (&[("attain", "-3")], "tgt", "0"),
        // lower-is-better target 8h: 4h -> full, 16h -> 8/16 = 50%, 0h -> full
        (&[("resolution_hours", "4")], "tgt_down", "100"),
        (&[("resolution_hours", "16")], "tgt_down", "50"),
        (&[("resolution_hours", "0")], "tgt_down", "100"),
        // a lower-is-better direct score is reversed on its scale: 30 -> 70
        (&[("direct_down", "30")], "direct_down", "70"),
    ];
    for (cells, comp, expected) in cases {
        let res = score(&r, &rec("f", cells));
        assert_eq!(component_score(&res, comp), *expected, "{cells:?}");
    }
}

#[test]
fn steps_rise_with_the_value() {
    let r = inline(FUNCTIONS);
    let mut last = d("-1");
    for m in ["0", "0.99", "1", "1.5", "2", "2.99", "3", "10"] {
        let s = d(&component_score(
            &score(&r, &rec("f", &[("meetings", m)])),
            "step",
        ));
        assert!(s >= last, "steps must not fall: {m}");
        last = s;
    }
}

// --- missing data ------------------------------------------------------------------------

#[test]
fn renormalize_is_default_and_ledger_shows_declared_and_effective_weights() {
    let r = health("slavkokernel");
    // growth_potential missing: (90*25 + 80*20 + 85*25 + 70*15) / 85 = 7025/85 = 82.647... -> 82.65
    let res = score(
        &r,
        &rec(
            "m",
            &[
                ("product_adoption", "90"),
                ("technical_health", "80"),
                ("business_outcomes", "85"),
                ("relationship_health", "70"),
            ],
        ),
    );
    assert_eq!(score_text(&res), "82.65");
    let growth = &res.components[4];
    assert_eq!(growth.source, ComponentSource::MissingRenormalized);
    assert_eq!(
        (growth.declared_weight, growth.effective_weight),
        (d("15"), d("0"))
    );
    let adoption = &res.components[0];
    // 25 / 85 = 29.411764...%
    assert_eq!(adoption.declared_weight, d("25"));
    assert!(
        adoption
            .effective_weight
            .to_string()
            .starts_with("29.41176470588235294117647"),
        "{}",
        adoption.effective_weight
    );
    assert_eq!(res.measured_weight, d("85"));
}

#[test]
fn weights_must_sum_to_exactly_100() {
    let text = r#"
kind = "health"
id = "t"
version = "1"
title = "t"
source = "test"
scale = "0-10"
[[components]]
id = "a"
weight = 33.3
[[components]]
id = "b"
weight = 33.3
[[components]]
id = "c"
weight = 33.3
[[bands]]
min = 0
label = "All"
action = "x"
owner = "x"
urgency = "x"
"#;
    let err = HealthRubric::from_toml_str("w.toml", text).unwrap_err();
    assert!(
        err.to_string()
            .contains("component weights sum to 99.9%, they must sum to exactly 100%"),
        "{err}"
    );
    let ok = text
        .replacen("33.3", "33.33", 2)
        .replacen("weight = 33.3\n", "weight = 33.34\n", 1);
    HealthRubric::from_toml_str("w.toml", &ok)
        .unwrap_or_else(|e| panic!("33.33+33.33+33.34 is exactly 100: {e}"));
}

const POLICIES: &str = r#"
kind = "health"
id = "t/policy"
version = "1"
title = "t"
source = "test"
scale = "0-10"
missing = { policy = "POLICY" MINPRESENT }
[[components]]
id = "a"
weight = 50
[[components]]
id = "b"
weight = 30
[[components]]
id = "c"
weight = 20
missing = "fixed"
default = 5
[[bands]]
min = 5
label = "Ok"
action = "x"
owner = "x"
urgency = "x"
[[bands]]
min = 0
label = "Low"
action = "x"
owner = "x"
urgency = "x"
"#;

fn policies(policy: &str, min_present: Option<&str>) -> HealthRubric {
    let mp = min_present.map_or(String::new(), |m| format!(", min_present = {m}"));
    inline(
        &POLICIES
            .replace("POLICY", policy)
            .replace(" MINPRESENT", &mp),
    )
}

#[test]
fn missing_policies_renormalize_zero_fixed_error() {
    let only_a = rec("p", &[("a", "8")]);
    // renormalize: b dropped, c fixed at 5 keeps its 20: (8*50 + 5*20) / 70 = 500/70 = 7.142857 -> 7.14
    let res = score(&policies("renormalize", None), &only_a);
    assert_eq!(score_text(&res), "7.14");
    assert_eq!(res.components[2].source, ComponentSource::MissingFixed);
    // zero: b scores 0 and keeps 30: (8*50 + 0 + 5*20) / 100 = 5.00
    let res = score(&policies("zero", None), &only_a);
    assert_eq!(score_text(&res), "5.00");
    assert_eq!(res.components[1].source, ComponentSource::MissingZero);
    assert_eq!(res.components[1].effective_weight, d("30"));
    // error: b is missing -> error naming it (c keeps its own fixed policy)
    let err = policies("error", None).score(&only_a, &opts()).unwrap_err();
    assert_eq!(err.code(), "missing_input");
    assert!(
        err.to_string().contains("component `b` is missing"),
        "{err}"
    );
    // measured share: only a (50%) measured; c is imputed and does not count.
    assert_eq!(
        score(&policies("renormalize", None), &only_a).measured_weight,
        d("50")
    );
    let res = score(&policies("renormalize", Some("60")), &only_a);
    assert_eq!(res.status, Status::InsufficientData);
    assert_eq!((res.score, res.band.is_none()), (None, true));
    let res = score(&policies("renormalize", Some("50")), &only_a);
    assert_eq!(res.status, Status::Scored);
}

#[test]
fn nothing_measured_is_insufficient_data_not_zero() {
    let r = health("slavkokernel");
    let res = score(&r, &rec("empty", &[]));
    assert_eq!(res.status, Status::InsufficientData);
    assert!(res.score.is_none());
}

#[test]
fn partially_missing_metrics_renormalize_within_the_component() {
    let r = health("slavkokernel");
    // product_adoption from metrics: active_users_pct 60 of target 80 -> 75;
    // feature_adoption_pct missing; usage_days_per_week 5 -> 100.
    // (75*40 + 100*25) / 65 = 5500/65 = 84.615384...
    let res = score(
        &r,
        &rec(
            "m",
            &[("active_users_pct", "60"), ("usage_days_per_week", "5")],
        ),
    );
    let pa = &res.components[0];
    assert_eq!(pa.source, ComponentSource::Metrics);
    assert!(
        pa.score
            .unwrap()
            .to_string()
            .starts_with("84.6153846153846153846153846"),
        "{:?}",
        pa.score
    );
    assert_eq!(pa.metrics[1].value, None);
    assert_eq!(pa.metrics[1].effective_weight, d("0"));
    // Only product_adoption measured: the score is that component's score, rounded.
    assert_eq!(score_text(&res), "84.62");
}

#[test]
fn direct_score_and_metrics_together_are_ambiguous() {
    let r = health("slavkokernel");
    let err = r
        .score(
            &rec(
                "x",
                &[("product_adoption", "50"), ("active_users_pct", "60")],
            ),
            &opts(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "ambiguous_input");
    assert!(err.to_string().contains("active_users_pct"), "{err}");
}

#[test]
fn text_in_a_numeric_column_names_the_column() {
    let rows = read_csv("a.csv", "id,product_adoption\nx,\"1,000\"\n").unwrap();
    let acct = rows[0].as_ref().unwrap();
    let err = health("slavkokernel").score(acct, &opts()).unwrap_err();
    assert_eq!(err.code(), "not_a_number");
    assert!(
        err.to_string()
            .contains("row 1 (account `x`): `product_adoption`: `1,000` is not a number"),
        "{err}"
    );
}

// --- overrides ---------------------------------------------------------------------------

fn ov(json: serde_json::Value) -> Vec<Override> {
    Override::parse_list(&csrubric::input::Value::Json(json)).unwrap()
}

#[test]
fn component_override_counts_until_it_expires() {
    let r = health("slavkokernel");
    let acct = rec_owned("o", &all(&SK, "90"));
    let active = ov(
        serde_json::json!([{"component": "relationship_health", "score": 40, "author": "dana", "reason": "sponsor left", "expires": "2026-12-31"}]),
    );
    let res = r.score_with_overrides(&acct, &active, &opts()).unwrap();
    // 90*85% + 40*15% = 76.5 + 6 = 82.50
    assert_eq!(
        (score_text(&res).as_str(), band(&res).as_str()),
        ("82.50", "Good")
    );
    let line = &res.components[3];
    assert_eq!(line.source, ComponentSource::Override);
    assert_eq!(line.computed_score, Some(d("90")));
    let applied = line.r#override.as_ref().unwrap();
    assert!(applied.counts);
    assert_eq!(
        (applied.author.as_str(), applied.reason.as_str()),
        ("dana", "sponsor left")
    );

    let expired = ov(
        serde_json::json!([{"component": "relationship_health", "score": 40, "author": "dana", "reason": "old", "expires": "2026-11-22"}]),
    );
    let res = r.score_with_overrides(&acct, &expired, &opts()).unwrap();
    assert_eq!(score_text(&res), "90.00");
    assert!(!res.components[3].r#override.as_ref().unwrap().counts);
}

#[test]
fn band_override_shows_computed_and_counted_band() {
    let r = health("slavkokernel");
    let acct = rec_owned("o", &all(&SK, "90"));
    let o = ov(
        serde_json::json!([{"band": "At Risk", "author": "li", "reason": "exec sponsor left", "expires": "2027-01-01T00:00:00Z"}]),
    );
    let res = r.score_with_overrides(&acct, &o, &opts()).unwrap();
    assert_eq!(score_text(&res), "90.00");
    assert_eq!(res.computed_band.as_deref(), Some("Excellent"));
    let b = res.band.as_ref().unwrap();
    assert_eq!(
        (b.label.as_str(), b.owner.as_str(), b.urgency.as_str()),
        ("At Risk", "CSM + Manager", "High")
    );
    assert!(res.band_override.as_ref().unwrap().counts);
}

#[test]
fn invalid_overrides_are_errors() {
    let r = health("slavkokernel");
    let acct = rec_owned("o", &all(&SK, "90"));
    for (json, needle) in [
        (
            serde_json::json!([{"band": "Platinum", "author": "a", "reason": "r"}]),
            "unknown band `Platinum`",
        ),
        (
            serde_json::json!([{"component": "nope", "score": 1, "author": "a", "reason": "r"}]),
            "unknown component `nope`",
        ),
        (
            serde_json::json!([{"component": "growth_potential", "score": 101, "author": "a", "reason": "r"}]),
            "outside the component scale",
        ),
    ] {
        let err = r
            .score_with_overrides(&acct, &ov(json), &opts())
            .unwrap_err();
        assert_eq!(err.code(), "invalid_override");
        assert!(err.to_string().contains(needle), "{err}");
    }
    for bad in [
        serde_json::json!([{"band": "Good", "reason": "r"}]),
        serde_json::json!([{"band": "Good", "author": "a"}]),
        serde_json::json!([{"band": "Good", "component": "x", "author": "a", "reason": "r"}]),
        serde_json::json!([{"band": "Good", "author": "a", "reason": "r", "expires": "tomorrow"}]),
    ] {
        assert!(
            Override::parse_list(&csrubric::input::Value::Json(bad.clone())).is_err(),
            "{bad}"
        );
    }
    let t = ov(serde_json::json!([{"band": "Good", "author": "a", "reason": "r"}]));
    assert_eq!(t[0].target, OverrideTarget::Band("Good".into()));
}

// --- what would it take -------------------------------------------------------------------

#[test]
fn what_it_takes_finds_the_smallest_input() {
    let r = health("slavkokernel");
    let res = score(
        &r,
        &rec(
            "w",
            &[
                ("product_adoption", "70"),
                ("technical_health", "65"),
                ("business_outcomes", "72"),
                ("relationship_health", "60"),
                ("growth_potential", "55"),
            ],
        ),
    );
    // raw = 17.5 + 13 + 18 + 9 + 8.25 = 65.75 (Moderate). Good needs a rounded 70.00, i.e.
    // raw >= 69.995. product_adoption: 70 + 4.245/0.25 = 86.98 (86.97 gives 69.9925 -> 69.99).
    // growth_potential: 55 + 4.245/0.15 = 83.3.
    assert_eq!(
        (score_text(&res).as_str(), band(&res).as_str()),
        ("65.75", "Moderate")
    );
    let w = res.what_it_takes.as_ref().unwrap();
    assert_eq!((w.next_band.as_str(), w.next_band_min), ("Good", d("70")));
    let pa = &w.components[0];
    assert!(pa.reachable);
    assert_eq!(
        (pa.current, pa.required, pa.change),
        (Some(d("70")), Some(d("86.98")), Some(d("16.98")))
    );
    assert_eq!(w.components[4].required, Some(d("83.3")));
    // Check independently that the answer works and one step less does not.
    for (v, expected) in [("86.98", "Good"), ("86.97", "Moderate")] {
        let res = score(
            &r,
            &rec(
                "w",
                &[
                    ("product_adoption", v),
                    ("technical_health", "65"),
                    ("business_outcomes", "72"),
                    ("relationship_health", "60"),
                    ("growth_potential", "55"),
                ],
            ),
        );
        assert_eq!(band(&res), expected, "{v}");
    }
}

#[test]
fn what_it_takes_says_when_one_component_cannot_do_it() {
    let r = health("slavkokernel");
    let res = score(&r, &rec_owned("w", &all(&SK, "20")));
    // 20 (Critical); At Risk needs 40: relationship (15%) at 100 gives 20 + 80*0.15 = 32: not reachable.
    // product_adoption (25%) at 100 gives 20 + 80*0.25 = 40: reachable at exactly 100.
    let w = res.what_it_takes.as_ref().unwrap();
    assert_eq!(w.next_band, "At Risk");
    assert!(!w.components[3].reachable);
    assert_eq!(
        w.components[3].note.as_deref(),
        Some("not reachable by this component alone")
    );
    assert_eq!(w.components[0].required, Some(d("99.98")));
    // 99.98: 20 + 79.98*0.25 = 39.995 -> 40.00 (half-up).
}

#[test]
fn no_what_it_takes_in_the_top_band() {
    let res = score(&health("slavkokernel"), &rec_owned("w", &all(&SK, "95")));
    assert!(res.what_it_takes.is_none());
}

// --- stamps, batches, JSON twin -------------------------------------------------------------

#[test]
fn results_are_stamped_with_id_version_and_file_hash() {
    let path = rubric_path("health/slavkokernel.toml");
    let out = std::process::Command::new("sha256sum")
        .arg(&path)
        .output()
        .expect("sha256sum");
    let hex = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let res = score(&health("slavkokernel"), &rec_owned("s", &all(&SK, "50")));
    assert_eq!(res.rubric.id, "health/slavkokernel");
    assert_eq!(res.rubric.version, "1.0.0");
    assert_eq!(res.rubric.hash, format!("sha256:{hex}"));
}

#[test]
fn batch_keeps_order_and_reports_each_failure_with_its_row() {
    let rows = read_csv(
        "b.csv",
        "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential\n\
         a,90,90,90,90,90\nb,101,90,90,90,90\nc,50,50,50,50,50\nd,x,1,1,1,1\n",
    )
    .unwrap();
    let accounts: Vec<_> = rows.into_iter().map(Result::unwrap).collect();
    let out = health("slavkokernel").score_batch(&accounts, &opts());
    assert_eq!(out.len(), 4);
    assert_eq!(score_text(out[0].as_ref().unwrap()), "90.00");
    assert!(out[1]
        .as_ref()
        .unwrap_err()
        .to_string()
        .starts_with("row 2 (account `b`)"));
    assert_eq!(score_text(out[2].as_ref().unwrap()), "50.00");
    assert!(out[3]
        .as_ref()
        .unwrap_err()
        .to_string()
        .starts_with("row 4 (account `d`)"));
}

fn toml_to_json(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn toml_and_json_twins_score_identically() {
    for name in ["slavkokernel", "ai-ecosystem", "cradle-to-grave"] {
        let path = rubric_path(&format!("health/{name}.toml"));
        let t = health(name);
        let j = HealthRubric::from_json_str("twin.json", &toml_to_json(&path))
            .unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<String> = t.input_columns().iter().map(|s| s.to_string()).collect();
        for (k, v) in [(0usize, "3"), (1, "7.25"), (2, "12"), (3, "0.5")] {
            let cells: Vec<(String, String)> = ids
                .iter()
                .skip(k)
                .step_by(3)
                .map(|c| (c.clone(), v.to_string()))
                .collect();
            let acct = rec_owned("twin", &cells);
            let (a, b) = (t.score(&acct, &opts()), j.score(&acct, &opts()));
            match (a, b) {
                (Ok(mut a), Ok(mut b)) => {
                    a.rubric = b.rubric.clone(); // the hash differs: the texts differ
                    b.rubric = a.rubric.clone();
                    assert_eq!(a, b, "{name}");
                }
                (Err(a), Err(b)) => assert_eq!(a, b),
                (a, b) => panic!("{name}: {a:?} vs {b:?}"),
            }
        }
    }
}

// --- validation errors name the path and the line:column -----------------------------------

/// The first problem whose path starts with `prefix`: (path, message, line, column).
fn problem_at(text: &str, prefix: &str) -> (String, String, Option<usize>, Option<usize>) {
    match HealthRubric::from_toml_str("bad.toml", text).unwrap_err() {
        RubricError::Invalid { problems, .. } => {
            let p = problems
                .iter()
                .find(|p| p.path.starts_with(prefix))
                .unwrap_or_else(|| panic!("no problem at {prefix}: {problems:?}"));
            (p.path.clone(), p.message.clone(), p.line, p.column)
        }
        other => panic!("expected invalid, got {other}"),
    }
}

const BASE: &str = "kind = \"health\"\nid = \"t\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-100\"\n\
[[components]]\nid = \"a\"\nweight = 60\n\
[[components]]\nid = \"b\"\nweight = 40\n\
[[bands]]\nmin = 50\nlabel = \"Hi\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n\
[[bands]]\nmin = 0\nlabel = \"Lo\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n";

#[test]
fn base_rubric_is_valid() {
    inline(BASE);
}

#[test]
fn validation_errors_point_at_path_line_and_column() {
    // line 12 is `weight = 40` of components[1]
    let (path, msg, line, col) = problem_at(
        &BASE.replace("weight = 40", "weight = -40"),
        "components[1]",
    );
    assert_eq!(
        (path.as_str(), line, col),
        ("components[1].weight", Some(12), Some(1))
    );
    assert!(msg.contains("weight `-40` must be positive"), "{msg}");

    let (path, msg, line, _) =
        problem_at(&BASE.replace("id = \"b\"", "id = \"a\""), "components[1]");
    assert_eq!((path.as_str(), line), ("components[1].id", Some(11)));
    assert!(msg.contains("duplicate component id `a`"));

    // no band at the bottom: a gap below 50
    let (path, msg, _, _) = problem_at(&BASE.replace("min = 0", "min = 10"), "bands");
    assert!(path == "bands" || path.starts_with("bands"), "{path}");
    assert!(
        msg.contains("no band starts at the bottom of the scale"),
        "{msg}"
    );

    // two bands starting at the same score overlap
    let (path, msg, line, _) = problem_at(&BASE.replace("min = 0", "min = 50"), "bands[1]");
    assert_eq!((path.as_str(), line), ("bands[1].min", Some(20)));
    assert!(msg.contains("overlap"), "{msg}");

    let (path, msg, line, col) =
        problem_at(&BASE.replace("weight = 60", "weigth = 60"), "components[0]");
    assert!(path.starts_with("components[0]"), "{path}");
    assert!(msg.contains("unknown field `weigth`"), "{msg}");
    assert_eq!((line, col), (Some(9), Some(1)));

    let (path, msg, _, _) = problem_at(
        &BASE.replace("scale = \"0-100\"", "scale = \"100-0\""),
        "scale",
    );
    assert_eq!(path, "scale");
    assert!(msg.contains("bottom must be below the top"), "{msg}");

    // `default` does not exist: the problem points at the component (lines 10-13).
    let (path, msg, line, _) = problem_at(
        &BASE.replace("weight = 40", "weight = 40\nmissing = \"fixed\""),
        "components[1].default",
    );
    assert_eq!(path, "components[1].default");
    assert!(matches!(line, Some(10..=13)), "{line:?}");
    assert!(msg.contains("needs a `default`"), "{msg}");

    let (path, _, _, _) = problem_at(
        &BASE.replace("kind = \"health\"", "kind = \"priority\""),
        "kind",
    );
    assert_eq!(path, "kind");
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = BASE
        .replace("weight = 40", "weight = 0")
        .replace("min = 0", "min = 10");
    let RubricError::Invalid { problems, .. } =
        HealthRubric::from_toml_str("bad.toml", &text).unwrap_err()
    else {
        panic!()
    };
    assert!(problems.len() >= 3, "{problems:?}"); // weight, sum, gap
}

#[test]
fn json_rubric_errors_name_the_path() {
    let err = HealthRubric::from_json_str("bad.json", r#"{"kind":"health","id":"t","version":"1","title":"t","source":"s","scale":"0-10","components":[{"id":"a","weight":"x"}],"bands":[]}"#).unwrap_err();
    let RubricError::Invalid { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(problems[0].path, "components[0].weight");
    assert!(err.to_string().starts_with("bad.json:1:"), "{err}");
    assert!(
        err.to_string()
            .contains("invalid rubric: components[0].weight: "),
        "{err}"
    );
}

// --- hostile numbers never panic -------------------------------------------------------------

#[test]
fn huge_numbers_are_rejected_or_scored_without_overflow() {
    let err = HealthRubric::from_toml_str(
        "big.toml",
        &BASE.replace(
            "scale = \"0-100\"",
            "scale = \"0-79228162514264337593543950335\"",
        ),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("scale bounds must be at most 1000000000000"),
        "{err}"
    );
    let r = inline(FUNCTIONS);
    for v in [
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "0.0000000000000000000000000001",
    ] {
        for m in [
            "lin_up",
            "lin_down",
            "meetings",
            "attain",
            "resolution_hours",
        ] {
            let res = score(&r, &rec("h", &[(m, v)]));
            let s = res.score.unwrap();
            assert!(s >= d("0") && s <= d("100"), "{m}={v}: {s}");
        }
    }
}

#[test]
fn an_expired_band_override_does_not_hide_an_active_one() {
    let r = health("slavkokernel");
    let acct = rec_owned("o", &all(&SK, "90"));
    let o = ov(serde_json::json!([
        {"band": "Critical", "author": "a", "reason": "active", "expires": "2027-01-01"},
        {"band": "Good", "author": "b", "reason": "old", "expires": "2026-01-01"}
    ]));
    let res = r.score_with_overrides(&acct, &o, &opts()).unwrap();
    assert_eq!(band(&res), "Critical");
    assert_eq!(res.band_override.as_ref().unwrap().reason, "active");
}
