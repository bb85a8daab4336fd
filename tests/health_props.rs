//! Property tests for health scores: the invariants a user relies on, over the three seed
//! rubrics and arbitrary accounts (direct component scores, raw metrics, gaps).

use csrubric::health::{Direction, HealthResult, HealthRubric};
use csrubric::input::Record;
use csrubric_tests::{health_rubric, options, rubric_path, toml_to_json};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::OnceLock;

const NAMES: [&str; 3] = ["slavkokernel", "ai-ecosystem", "cradle-to-grave"];

struct Loaded {
    toml: HealthRubric,
    json: HealthRubric,
}

fn rubrics() -> &'static [Loaded] {
    static CELL: OnceLock<Vec<Loaded>> = OnceLock::new();
    CELL.get_or_init(|| {
        NAMES
            .iter()
            .map(|n| {
                let text =
                    std::fs::read_to_string(rubric_path(&format!("health/{n}.toml"))).unwrap();
                Loaded {
                    toml: health_rubric(n),
                    json: HealthRubric::from_json_str("twin.json", &toml_to_json(&text)).unwrap(),
                }
            })
            .collect()
    })
}

/// Component bounds (bottom, top) of component `i`.
fn bounds(r: &HealthRubric, i: usize) -> (Decimal, Decimal) {
    r.scale().component_bounds(r.spec().components[i].weight.0)
}

/// A value in [lo, hi] at two decimals, from a fraction in 0..=10000.
fn within(lo: Decimal, hi: Decimal, frac: u32) -> Decimal {
    (lo + (hi - lo) * Decimal::from(frac) / Decimal::from(10_000)).round_dp(2)
}

/// An account of direct component scores: `Some(frac)` present, `None` missing.
fn direct_account(r: &HealthRubric, fracs: &[Option<u32>]) -> Record {
    let mut acc = Record::new("p");
    for (i, (c, f)) in r.spec().components.iter().zip(fracs).enumerate() {
        if let Some(f) = f {
            let (lo, hi) = bounds(r, i);
            acc = acc.with(c.id.as_str(), within(lo, hi, *f));
        }
    }
    acc
}

/// Every metric of the rubric, in order, with its direction.
fn metrics(r: &HealthRubric) -> Vec<(String, Direction)> {
    r.spec()
        .components
        .iter()
        .flat_map(|c| c.metrics.iter().map(|m| (m.id.clone(), m.direction)))
        .collect()
}

/// An account of raw metric values (hundredths in -200.00..=2000.00); `None` missing.
fn metric_account(r: &HealthRubric, values: &[Option<i64>]) -> Record {
    metrics(r)
        .iter()
        .zip(values)
        .filter_map(|((id, _), v)| v.map(|v| (id, Decimal::new(v, 2))))
        .fold(Record::new("m"), |acc, (id, v)| acc.with(id.as_str(), v))
}

fn scored(r: &HealthRubric, acc: &Record) -> HealthResult {
    r.score(acc, &options()).unwrap_or_else(|e| panic!("{e}"))
}

fn fracs() -> impl Strategy<Value = Vec<Option<u32>>> {
    prop::collection::vec(prop::option::weighted(0.85, 0..=10_000u32), 5)
}

fn metric_values() -> impl Strategy<Value = Vec<Option<i64>>> {
    prop::collection::vec(prop::option::weighted(0.85, -20_000i64..=200_000), 12)
}

fn within_scale(r: &HealthRubric, res: &HealthResult) -> bool {
    let (lo, hi) = r.scale().bounds();
    res.score.is_none_or(|s| lo <= s && s <= hi) && res.raw_score.is_none_or(|s| lo <= s && s <= hi)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn score_is_within_the_scale(which in 0..3usize, f in fracs(), m in metric_values()) {
        let r = &rubrics()[which].toml;
        let res = scored(r, &direct_account(r, &f));
        prop_assert!(within_scale(r, &res), "{:?}", res.score);
        let res = scored(r, &metric_account(r, &m));
        prop_assert!(within_scale(r, &res), "{:?}", res.score);
        for c in &res.components {
            if let Some(s) = c.score {
                let i = r.spec().components.iter().position(|x| x.id == *c.id).unwrap();
                let (lo, hi) = bounds(r, i);
                prop_assert!(lo <= s && s <= hi, "{} = {s}", c.id);
            }
        }
    }

    #[test]
    fn monotonic_in_every_component_input(
        which in 0..3usize,
        f in fracs(),
        i in 0..5usize,
        a in 0..=10_000u32,
        b in 0..=10_000u32,
    ) {
        let r = &rubrics()[which].toml;
        let i = i % r.spec().components.len();
        let (lo, hi) = bounds(r, i);
        let id = r.spec().components[i].id.as_str();
        let (a, b) = (a.min(b), a.max(b));
        let base = direct_account(r, &f);
        let low = scored(r, &base.clone().with(id, within(lo, hi, a)));
        let high = scored(r, &base.with(id, within(lo, hi, b)));
        prop_assert!(low.raw_score <= high.raw_score, "{id}: {:?} > {:?}", low.raw_score, high.raw_score);
        prop_assert!(low.score <= high.score);
    }

    #[test]
    fn monotonic_in_every_metric_as_its_direction_says(
        which in 0..3usize,
        m in prop::collection::vec(-20_000i64..=200_000, 12),
        j in 0..12usize,
        a in -20_000i64..=200_000,
        b in -20_000i64..=200_000,
    ) {
        let r = &rubrics()[which].toml;
        let list = metrics(r);
        let j = j % list.len();
        let (id, dir) = &list[j];
        let (a, b) = (a.min(b), a.max(b));
        let base = metric_account(r, &m.iter().copied().map(Some).collect::<Vec<_>>());
        let low = scored(r, &base.clone().with(id.as_str(), Decimal::new(a, 2)));
        let high = scored(r, &base.with(id.as_str(), Decimal::new(b, 2)));
        match dir {
            Direction::HigherIsBetter => prop_assert!(low.raw_score <= high.raw_score, "{id}: {:?} > {:?}", low.raw_score, high.raw_score),
            Direction::LowerIsBetter => prop_assert!(low.raw_score >= high.raw_score, "{id}: {:?} < {:?}", low.raw_score, high.raw_score),
        }
    }

    #[test]
    fn renormalized_effective_weights_sum_to_exactly_100(which in 0..3usize, f in fracs(), m in metric_values()) {
        let r = &rubrics()[which].toml;
        for res in [scored(r, &direct_account(r, &f)), scored(r, &metric_account(r, &m))] {
            if res.score.is_none() {
                continue;
            }
            let total: Decimal = res.components.iter().map(|c| c.effective_weight).sum();
            prop_assert_eq!(total, Decimal::ONE_HUNDRED, "{:?}", res.components.iter().map(|c| c.effective_weight).collect::<Vec<_>>());
            for c in &res.components {
                if !c.metrics.is_empty() && c.score.is_some() && c.metrics.iter().any(|m| m.value.is_some()) {
                    let t: Decimal = c.metrics.iter().map(|m| m.effective_weight).sum();
                    prop_assert_eq!(t, Decimal::ONE_HUNDRED, "metrics of {}", c.id);
                }
            }
        }
    }

    #[test]
    fn contributions_add_up_to_the_raw_score(which in 0..3usize, f in fracs(), m in metric_values()) {
        let r = &rubrics()[which].toml;
        let (bottom, _) = r.scale().bounds();
        for res in [scored(r, &direct_account(r, &f)), scored(r, &metric_account(r, &m))] {
            if let Some(raw) = res.raw_score {
                let sum: Decimal = res.components.iter().map(|c| c.contribution).sum();
                prop_assert_eq!(bottom + sum, raw);
            }
        }
    }

    #[test]
    fn same_input_same_output(which in 0..3usize, f in fracs(), m in metric_values()) {
        let r = &rubrics()[which].toml;
        let again = rubrics()[which].toml.clone();
        for acc in [direct_account(r, &f), metric_account(r, &m)] {
            let one = r.score(&acc, &options());
            prop_assert_eq!(&one, &r.score(&acc, &options()));
            prop_assert_eq!(&one, &again.score(&acc, &options()));
            let batch = r.score_batch(std::slice::from_ref(&acc), &options());
            prop_assert_eq!(&one, &batch[0]);
        }
    }

    #[test]
    fn toml_and_json_give_identical_results(which in 0..3usize, f in fracs(), m in metric_values()) {
        let l = &rubrics()[which];
        for acc in [direct_account(&l.toml, &f), metric_account(&l.toml, &m)] {
            let a = l.toml.score(&acc, &options()).unwrap();
            let b = l.json.score(&acc, &options()).unwrap();
            prop_assert_eq!(a.score, b.score);
            prop_assert_eq!(a.raw_score, b.raw_score);
            prop_assert_eq!(&a.band, &b.band);
            prop_assert_eq!(&a.components, &b.components);
            prop_assert_eq!(&a.what_it_takes, &b.what_it_takes);
            prop_assert_eq!((&a.rubric.id, &a.rubric.version), (&b.rubric.id, &b.rubric.version));
        }
    }
}

fn reversed() -> &'static HealthRubric {
    static CELL: OnceLock<HealthRubric> = OnceLock::new();
    CELL.get_or_init(|| {
        HealthRubric::from_toml_str(
            "reversed.toml",
            "kind = \"health\"\nid = \"t\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"test\"\nscale = \"0-10\"\n\
             [[components]]\nid = \"risk\"\nweight = 30\ndirection = \"lower_is_better\"\n\
             [[components]]\nid = \"usage\"\nweight = 70\n\
             [[bands]]\nmin = 5\nlabel = \"ok\"\naction = \"a\"\nowner = \"o\"\nurgency = \"u\"\n\
             [[bands]]\nmin = 0\nlabel = \"bad\"\naction = \"a\"\nowner = \"o\"\nurgency = \"u\"\n",
        )
        .unwrap()
    })
}

proptest! {
    #[test]
    fn non_increasing_in_a_lower_is_better_component(
        usage in prop::option::of(0..=1000i64),
        a in 0..=1000i64,
        b in 0..=1000i64,
    ) {
        let r = reversed();
        let (a, b) = (a.min(b), a.max(b));
        let base = usage.map_or(Record::new("r"), |u| Record::new("r").with("usage", Decimal::new(u, 2)));
        let low = scored(r, &base.clone().with("risk", Decimal::new(a, 2)));
        let high = scored(r, &base.with("risk", Decimal::new(b, 2)));
        prop_assert!(low.raw_score >= high.raw_score);
        prop_assert!(within_scale(r, &low) && within_scale(r, &high));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// "What would it take" is sufficient and minimal: the required input reaches the next
    /// band, one step less (at the rubric's precision) does not; an unreachable component
    /// does not reach it even at the top of its scale.
    #[test]
    fn what_it_takes_is_sufficient_and_minimal(which in 0..3usize, f in fracs()) {
        let r = &rubrics()[which].toml;
        let acc = direct_account(r, &f);
        let res = scored(r, &acc);
        let Some(w) = &res.what_it_takes else { return Ok(()) };
        let ulp = r.rounding().ulp();
        let next_or_above = |a: &Record| -> bool {
            scored(r, a).score.is_some_and(|s| s >= w.next_band_min)
        };
        for (i, lift) in w.components.iter().enumerate() {
            let id = lift.component.as_ref();
            let (_, hi) = bounds(r, i);
            if !acc.values.contains_key(id) {
                prop_assert!(!lift.reachable);
                continue;
            }
            if lift.reachable {
                let req = lift.required.unwrap();
                prop_assert!(next_or_above(&acc.clone().with(id, req)), "{id}: {req} does not reach {}", w.next_band);
                let less = req - ulp;
                if Some(less) >= lift.current {
                    prop_assert!(!next_or_above(&acc.clone().with(id, less)), "{id}: {less} already reaches {}", w.next_band);
                }
            } else {
                prop_assert!(!next_or_above(&acc.clone().with(id, hi)), "{id}: the top reaches {}", w.next_band);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// For components derived from metrics the answer is a component score; a component
    /// override of exactly that score reaches the next band and one step less does not.
    #[test]
    fn what_it_takes_on_metric_components_is_sufficient_and_minimal(which in 0..3usize, m in metric_values()) {
        use csrubric::health::{Override, OverrideTarget};
        let r = &rubrics()[which].toml;
        let acc = metric_account(r, &m);
        let res = scored(r, &acc);
        let Some(w) = &res.what_it_takes else { return Ok(()) };
        let ulp = r.rounding().ulp();
        let reaches = |id: &str, s: Decimal| -> bool {
            let o = Override {
                target: OverrideTarget::Component(id.to_string()),
                value: Some(s),
                author: "prop".into(),
                reason: "what it takes".into(),
                expires: None,
            };
            r.score_with_overrides(&acc, &[o], &options())
                .unwrap()
                .score
                .is_some_and(|x| x >= w.next_band_min)
        };
        for lift in w.components.iter().filter(|l| l.reachable) {
            prop_assert_eq!(lift.on, "component_score");
            let req = lift.required.unwrap();
            prop_assert!(reaches(&lift.component, req), "{}: {req}", lift.component);
            if Some(req - ulp) >= lift.current {
                prop_assert!(!reaches(&lift.component, req - ulp), "{}: {}", lift.component, req - ulp);
            }
        }
    }
}

fn extreme() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
        Just(Decimal::new(1, 28)),
        Just(Decimal::new(-1, 28)),
        any::<i64>().prop_map(|n| Decimal::new(n, 3)),
        (any::<i64>(), 0..=28u32).prop_map(|(n, s)| Decimal::new(n, s)),
    ]
}

proptest! {
    /// Extreme raw metric values never panic: each account scores (within the scale) or
    /// fails with an error.
    #[test]
    fn extreme_metric_values_never_panic(which in 0..3usize, values in prop::collection::vec(prop::option::of(extreme()), 12)) {
        let r = &rubrics()[which].toml;
        let acc = metrics(r)
            .iter()
            .zip(&values)
            .filter_map(|((id, _), v)| v.map(|v| (id, v)))
            .fold(Record::new("x"), |a, (id, v)| a.with(id.as_str(), v));
        if let Ok(res) = r.score(&acc, &options()) {
            prop_assert!(within_scale(r, &res), "{:?}", res.score);
        }
    }
}
