//! Health scoring throughput: accounts per second for the slavkokernel rubric, one account at
//! a time (with and without the explanation extras) and as a batch.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric_benches::{accounts, rubric_path};
use std::hint::black_box;

const COMPONENTS: &[&str] = &[
    "product_adoption",
    "technical_health",
    "business_outcomes",
    "relationship_health",
    "growth_potential",
];

fn bench(c: &mut Criterion) {
    let Ok(rubric) = HealthRubric::from_path(&rubric_path("health/slavkokernel.toml")) else {
        eprintln!("cannot load the slavkokernel rubric");
        return;
    };
    let at = csrubric::parse_instant("2026-11-23T00:00:00Z").ok();
    let plain = ScoreOptions {
        as_of: at,
        what_it_takes: false,
    };
    let explained = ScoreOptions {
        as_of: at,
        what_it_takes: true,
    };
    let one = accounts(1, COMPONENTS);

    let mut g = c.benchmark_group("slavkokernel/single");
    g.throughput(Throughput::Elements(1));
    g.bench_function("score", |b| {
        b.iter(|| rubric.score(black_box(&one[0]), &plain))
    });
    g.bench_function("score+what_it_takes", |b| {
        b.iter(|| rubric.score(black_box(&one[0]), &explained))
    });
    g.finish();

    let mut g = c.benchmark_group("slavkokernel/batch");
    for n in [1_000usize, 100_000] {
        let batch = accounts(n, COMPONENTS);
        g.throughput(Throughput::Elements(n as u64));
        g.sample_size(10);
        g.bench_with_input(BenchmarkId::from_parameter(n), &batch, |b, batch| {
            b.iter(|| rubric.score_batch(black_box(batch), &plain))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
