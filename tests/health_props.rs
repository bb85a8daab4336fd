//! Property tests: invariants users rely on, for every seed rubric.

use csrubric::health::HealthRubric;
use csrubric::input::Record;
use csrubric_tests::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn rubrics() -> Vec<(HealthRubric, Decimal, Decimal)> {
    ["slavkokernel", "ai-ecosystem", "cradle-to-grave"]
        .iter()
        .map(|n| {
            let r = health(n);
            let (lo, hi) = r.scale().bounds();
            (r, lo, hi)
        })
        .collect()
}

/// A direct score for component `i` from a fraction in [0, 1] given in 1/10000 steps.
fn direct(r: &HealthRubric, i: usize, frac: u32) -> Decimal {
    let w = r.spec().components[i].weight.0;
    let (lo, hi) = r.scale().component_bounds(w);
    (lo + (hi - lo) * Decimal::new(i64::from(frac), 4)).round_dp(2)
}

fn account(r: &HealthRubric, fracs: &[Option<u32>]) -> Record {
    let mut a = Record::new("p");
    for (i, f) in fracs.iter().enumerate().take(r.spec().components.len()) {
        if let Some(f) = f {
            a = a.with(r.spec().components[i].id.clone(), direct(r, i, *f));
        }
    }
    a
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn score_is_within_scale(which in 0usize..3, fracs in prop::collection::vec(prop::option::weighted(0.8, 0u32..=10_000), 5)) {
        let (r, lo, hi) = &rubrics()[which];
        let res = r.score(&account(r, &fracs), &opts()).unwrap();
        if let Some(s) = res.score {
            prop_assert!(*lo <= s && s <= *hi, "{s} outside {lo}..{hi}");
        }
    }

    #[test]
    fn monotonic_in_every_component(which in 0usize..3, fracs in prop::collection::vec(0u32..=10_000, 5), k in 0usize..5, bump in 1u32..=5_000) {
        let (r, _, _) = &rubrics()[which];
        let n = r.spec().components.len();
        let k = k % n;
        let base: Vec<Option<u32>> = fracs.iter().map(|f| Some(*f)).collect();
        let mut up = base.clone();
        up[k] = Some((fracs[k] + bump).min(10_000));
        let a = r.score(&account(r, &base), &opts()).unwrap();
        let b = r.score(&account(r, &up), &opts()).unwrap();
        prop_assert!(a.raw_score.unwrap() <= b.raw_score.unwrap());
        prop_assert!(a.score.unwrap() <= b.score.unwrap());
    }

    #[test]
    fn monotonic_in_every_metric(value in 0u32..5_000, bump in 1u32..2_000, which_metric in 0usize..64) {
        let r = health("slavkokernel");
        let metrics: Vec<(String, bool)> = r.spec().components.iter().flat_map(|c| c.metrics.iter()
            .map(|m| (m.id.clone(), m.direction == csrubric::health::Direction::HigherIsBetter))).collect();
        let (id, higher_is_better) = &metrics[which_metric % metrics.len()];
        let lo = Decimal::new(i64::from(value), 1);
        let hi = Decimal::new(i64::from(value + bump), 1);
        let a = r.score(&Record::new("m").with(id.clone(), lo), &opts()).unwrap();
        let b = r.score(&Record::new("m").with(id.clone(), hi), &opts()).unwrap();
        if *higher_is_better {
            prop_assert!(a.raw_score.unwrap() <= b.raw_score.unwrap(), "{id}");
        } else {
            prop_assert!(a.raw_score.unwrap() >= b.raw_score.unwrap(), "{id}");
        }
    }

    #[test]
    fn renormalized_weights_sum_to_100(which in 0usize..3, fracs in prop::collection::vec(prop::option::weighted(0.6, 0u32..=10_000), 5)) {
        let (r, _, _) = &rubrics()[which];
        prop_assume!(fracs.iter().take(r.spec().components.len()).any(Option::is_some));
        let res = r.score(&account(r, &fracs), &opts()).unwrap();
        let sum: Decimal = res.components.iter().map(|c| c.effective_weight).sum();
        // Each effective weight is w * 100 / W carried to 28 significant digits; W divides
        // 100 exactly unless components were dropped, so the sum is 100 to within 1e-24.
        prop_assert!((sum - Decimal::ONE_HUNDRED).abs() <= Decimal::new(1, 24), "{sum}");
    }

    #[test]
    fn same_input_same_output(which in 0usize..3, fracs in prop::collection::vec(prop::option::of(0u32..=10_000), 5)) {
        let (r, _, _) = &rubrics()[which];
        let a = r.score(&account(r, &fracs), &opts()).unwrap();
        let b = r.score(&account(r, &fracs), &opts()).unwrap();
        prop_assert_eq!(a, b);
    }
}
