//! Rule-script throughput: accounts per second for the slavkokernel rubric without scripts,
//! with a component scoring script, and with an adjustment script (one that reads only the
//! score, one that reads the account's inputs); requests per second for the KinOS scorecard
//! as a weighted model and as a formula + classification script; escalation cases per
//! second with and without a script criterion; and a script that builds a 30k-element
//! array with and without the sandbox's container-size limits.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use csrubric::escalation::EscalationMatrix;
use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric::input::{Record, Value};
use csrubric::priority::PriorityRubric;
use csrubric::script::{rhai, Hook, Limits, ScriptEngine};
use csrubric_benches::{accounts, rubric_path};
use std::collections::BTreeMap;
use std::hint::black_box;

const COMPONENTS: &[&str] = &[
    "product_adoption",
    "technical_health",
    "business_outcomes",
    "relationship_health",
    "growth_potential",
];

/// The slavkokernel rubric with `edit` applied to its text.
fn variant(edit: impl Fn(String) -> String) -> Option<HealthRubric> {
    let path = rubric_path("health/slavkokernel.toml");
    let text = std::fs::read_to_string(&path).ok()?;
    HealthRubric::from_toml_str("slavkokernel.toml", &edit(text)).ok()
}

fn bench(c: &mut Criterion) {
    let plain = variant(|t| t);
    // A 4-term expression on one component's score.
    let component = variant(|t| {
        t.replacen(
            "id = \"technical_health\"",
            "id = \"technical_health\"\nscoring = { type = \"script\", source = \"if score == () { () } else { clamp(score * 0.9 + 5, lo, hi) }\" }",
            1,
        )
    });
    let adjust = variant(|t| {
        t.replacen(
            "[[components]]",
            "[scripts]\nadjust = { source = \"if score < 40 { #{ cap_band: \\\"Critical\\\" } }\" }\n\n[[components]]",
            1,
        )
    });
    // Reads one input cell: the account's cells are copied into the script's `inputs` map.
    let adjust_inputs = variant(|t| {
        t.replacen(
            "[[components]]",
            "[scripts]\nadjust = { source = \"if inputs.product_adoption < 10 { #{ cap_band: \\\"At Risk\\\" } }\" }\n\n[[components]]",
            1,
        )
    });
    let (Some(plain), Some(component), Some(adjust), Some(adjust_inputs)) =
        (plain, component, adjust, adjust_inputs)
    else {
        eprintln!("cannot build the benchmark rubrics");
        return;
    };
    let opts = ScoreOptions {
        as_of: csrubric::parse_instant("2026-11-23T00:00:00Z").ok(),
        what_it_takes: false,
    };
    let batch = accounts(10_000, COMPONENTS);
    let mut g = c.benchmark_group("slavkokernel/scripts");
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.sample_size(10);
    for (name, r) in [
        ("plain", &plain),
        ("component_script", &component),
        ("adjust_script", &adjust),
        ("adjust_script_reading_inputs", &adjust_inputs),
    ] {
        g.bench_function(name, |b| b.iter(|| r.score_batch(black_box(&batch), &opts)));
    }
    g.finish();

    priority(c);
    escalation(c);

    // 30k pushes: quadratic under Rhai's size checks, linear without them.
    let src = "let a = []; for i in 0..30000 { a.push(i); } a.len()";
    let roomy = Limits {
        deadline_ms: 600_000,
        max_operations: 0,
        ..Limits::default()
    };
    let unlimited = Limits {
        max_array_size: 0,
        max_map_size: 0,
        max_string_size: 0,
        ..roomy
    };
    let mut g = c.benchmark_group("array_push_30k");
    g.sample_size(10);
    for (name, limits) in [("size_limits", roomy), ("no_size_limits", unlimited)] {
        let e = ScriptEngine::new(limits, rhai::Map::new());
        let Ok(s) = ScriptEngine::compile(&e, name, Hook::Adjust, src) else {
            return;
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                s.call("bench", &mut rhai::Scope::new())
                    .map(|o| o.value.as_int())
            })
        });
    }
    g.finish();
}

/// The KinOS scorecard: weighted model (kinos.toml) against the same weights in a formula
/// script plus a classification script (kinos-health.toml).
fn priority(c: &mut Criterion) {
    let load = |name: &str| PriorityRubric::from_path(&rubric_path(name)).ok();
    let (Some(weighted), Some(scripted)) = (
        load("priority/kinos.toml"),
        load("priority/kinos-health.toml"),
    ) else {
        eprintln!("cannot load the priority rubrics");
        return;
    };
    let columns = [
        "customer_impact",
        "strategic_alignment",
        "revenue_impact",
        "implementation_effort",
        "cross_vertical_value",
    ];
    let requests: Vec<Record> = (0..10_000usize)
        .map(|i| {
            columns
                .iter()
                .enumerate()
                .fold(Record::new(format!("r{i}")), |r, (j, col)| {
                    r.with(*col, rust_decimal::Decimal::from(((i + j) % 5 + 1) as i64))
                })
                .with_value("request_type", Value::Text("improvement".into()))
        })
        .collect();
    let mut g = c.benchmark_group("kinos/priority");
    g.throughput(Throughput::Elements(requests.len() as u64));
    g.sample_size(10);
    g.bench_function("weighted", |b| {
        b.iter(|| weighted.score_batch(black_box(&requests)))
    });
    g.bench_function("formula_and_classify_scripts", |b| {
        b.iter(|| scripted.score_batch(black_box(&requests)))
    });
    g.finish();
}

/// The seed 001 risk matrix with and without Level 2's script criterion, on medium-risk
/// cases (the ones that reach the script).
fn escalation(c: &mut Criterion) {
    let load = |name: &str| EscalationMatrix::from_path(&rubric_path(name)).ok();
    let (Some(columns), Some(scripted)) = (
        load("escalation/slavkokernel-risk.toml"),
        load("escalation/slavkokernel-risk-plans.toml"),
    ) else {
        eprintln!("cannot load the escalation matrices");
        return;
    };
    let Ok(at) = csrubric::parse_instant("2026-11-23T10:00:00Z") else {
        return;
    };
    let cases: Vec<BTreeMap<String, String>> = (0..1_000)
        .map(|i| {
            BTreeMap::from([
                ("risk_level".to_string(), "medium".to_string()),
                ("plan_age_days".to_string(), (i % 90).to_string()),
            ])
        })
        .collect();
    let mut g = c.benchmark_group("risk/escalation");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.sample_size(10);
    for (name, m) in [("columns", &columns), ("script_criterion", &scripted)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                cases
                    .iter()
                    .map(|f| m.evaluate_case("c", black_box(f), at, None).is_ok())
                    .filter(|ok| *ok)
                    .count()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
