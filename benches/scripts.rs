//! Rule-script throughput: accounts per second for the slavkokernel rubric without scripts,
//! with a component scoring script, and with an adjustment script; and a script that
//! builds a 30k-element array with and without the sandbox's container-size limits.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric::script::{rhai, Hook, Limits, ScriptEngine};
use csrubric_benches::{accounts, rubric_path};
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
    let (Some(plain), Some(component), Some(adjust)) = (plain, component, adjust) else {
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
    ] {
        g.bench_function(name, |b| b.iter(|| r.score_batch(black_box(&batch), &opts)));
    }
    g.finish();

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

criterion_group!(benches, bench);
criterion_main!(benches);
