//! Health scoring throughput (accounts per second) for each seed health rubric: one account
//! explained, batches of 1k / 100k / 1M accounts on the row path and on the columnar path,
//! batches with missing values, and a rubric with a component script.
//!
//! Under `cargo test` or `--test` (CI's smoke run) the 1M batches shrink to 10k rows.

use std::hint::black_box;
use std::sync::OnceLock;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use csrubric::health::{BatchOptions, Column, ColumnBatch, HealthRubric, ScoreOptions};
use csrubric_benches::{rubric_path, smoke, HealthBatch};

const RUBRICS: [&str; 3] = ["slavkokernel", "ai-ecosystem", "cradle-to-grave"];

fn rubric(name: &str) -> HealthRubric {
    HealthRubric::from_path(&rubric_path(&format!("health/{name}.toml")))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn options(explain: bool) -> ScoreOptions {
    ScoreOptions {
        as_of: csrubric::parse_instant("2026-11-23T00:00:00Z").ok(),
        what_it_takes: explain,
    }
}

/// Scores a batch on the columnar path.
fn columnar(rubric: &HealthRubric, b: &HealthBatch, threads: Option<usize>) -> usize {
    let mut batch = ColumnBatch::new("bench", b.ids.iter().map(|s| Some(s.as_str())));
    for (name, v) in &b.columns {
        batch.push(
            name,
            Column::Float {
                values: v,
                validity: None,
            },
        );
    }
    let opts = BatchOptions {
        threads,
        ..BatchOptions::default()
    };
    rubric.score_columns(&batch, &opts).map_or(0, |r| r.len())
}

fn sizes() -> [usize; 3] {
    [1_000, 100_000, if smoke() { 10_000 } else { 1_000_000 }]
}

/// Batches are made once per (rubric, size, missing share).
fn batch(rubric: &HealthRubric, n: usize, missing: u64) -> &'static HealthBatch {
    type Cache = std::sync::Mutex<Vec<((String, usize, u64), &'static HealthBatch)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut list = cache.lock().unwrap_or_else(|e| e.into_inner());
    let key = (rubric.stamp().id.clone(), n, missing);
    if let Some((_, b)) = list.iter().find(|(k, _)| *k == key) {
        return b;
    }
    let b: &'static HealthBatch = Box::leak(Box::new(HealthBatch::new(rubric, n, missing, true)));
    list.push((key, b));
    b
}

fn bench(c: &mut Criterion) {
    for name in RUBRICS {
        let r = rubric(name);
        let one = HealthBatch::new(&r, 1, 0, true);
        let mut g = c.benchmark_group(format!("{name}/single"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("explained", |b| {
            b.iter(|| r.score(black_box(&one.records[0]), &options(true)))
        });
        g.bench_function("plain", |b| {
            b.iter(|| r.score(black_box(&one.records[0]), &options(false)))
        });
        g.finish();

        for (label, missing) in [("batch", 0u64), ("batch_missing_20pct", 20)] {
            let mut g = c.benchmark_group(format!("{name}/{label}"));
            g.sample_size(10);
            for n in sizes() {
                if missing > 0 && n == 1_000 {
                    continue;
                }
                g.throughput(Throughput::Elements(n as u64));
                g.bench_with_input(BenchmarkId::new("row_path", n), &n, |b, &n| {
                    let data = batch(&r, n, missing);
                    b.iter(|| {
                        r.score_batch(black_box(&data.records), &options(false))
                            .len()
                    })
                });
                g.bench_with_input(BenchmarkId::new("columnar_1_thread", n), &n, |b, &n| {
                    let data = batch(&r, n, missing);
                    b.iter(|| columnar(&r, black_box(data), Some(1)))
                });
                g.bench_with_input(BenchmarkId::new("columnar", n), &n, |b, &n| {
                    let data = batch(&r, n, missing);
                    b.iter(|| columnar(&r, black_box(data), None))
                });
            }
            g.finish();
        }
    }

    // A component script: the columnar path hands every row to the row path (same answers).
    let text = std::fs::read_to_string(rubric_path("health/slavkokernel.toml")).unwrap_or_default();
    let scripted = HealthRubric::from_toml_str(
        "slavkokernel-scripted.toml",
        &text.replacen(
            "id = \"technical_health\"",
            "id = \"technical_health\"\nscoring = { type = \"script\", source = \"if score == () { () } else { clamp(score * 0.9 + 5, lo, hi) }\" }",
            1,
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut g = c.benchmark_group("slavkokernel/component_script");
    g.sample_size(10);
    let n = 10_000;
    g.throughput(Throughput::Elements(n as u64));
    let data = HealthBatch::new(&scripted, n, 0, true);
    g.bench_function("row_path", |b| {
        b.iter(|| {
            scripted
                .score_batch(black_box(&data.records), &options(false))
                .len()
        })
    });
    g.bench_function("columnar", |b| {
        b.iter(|| columnar(&scripted, black_box(&data), None))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
