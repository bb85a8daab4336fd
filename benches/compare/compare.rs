//! The Rust side of the comparison (benches/compare/run.sh): csrubric's columnar batch path
//! and its row path on the accounts `gen.py` wrote. Prints one JSON line per run: accounts
//! per second and accounts banded differently from the exact result.
//!
//!     cargo run --release -p csrubric-benches --example compare -- DIR

use std::time::Instant;

use csrubric::health::{BatchOptions, Column, ColumnBatch, HealthRubric, ScoreOptions};
use csrubric::input::{Record, Value};
use csrubric_benches::rubric_path;

const COLS: [&str; 5] = [
    "product_adoption",
    "technical_health",
    "business_outcomes",
    "relationship_health",
    "growth_potential",
];
const LABELS: [&str; 5] = ["Excellent", "Good", "Moderate", "At Risk", "Critical"];

fn code(label: Option<&str>) -> u8 {
    label
        .and_then(|l| LABELS.iter().position(|x| *x == l))
        .map_or(255, |i| i as u8)
}

fn report(name: &str, rows: usize, seconds: f64, errors: usize, note: &str) {
    println!(
        "{{\"impl\": \"{name}\", \"rows\": {rows}, \"seconds\": {seconds}, \"rows_per_s\": {}, \"band_errors\": {errors}, \"note\": \"{note}\"}}",
        rows as f64 / seconds
    );
}

fn best<T>(repeat: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = f();
    let mut t = f64::INFINITY;
    for _ in 0..repeat {
        let s = Instant::now();
        out = f();
        t = t.min(s.elapsed().as_secs_f64());
    }
    (t, out)
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: compare DIR");
    let raw = std::fs::read(format!("{dir}/data.bin")).expect("data.bin");
    let exact = std::fs::read(format!("{dir}/exact.bin")).expect("exact.bin");
    let n = u64::from_le_bytes(raw[..8].try_into().expect("header")) as usize;
    let columns: Vec<Vec<f64>> = (0..5)
        .map(|j| {
            raw[8 + j * n * 8..8 + (j + 1) * n * 8]
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
                .collect()
        })
        .collect();
    let ids: Vec<String> = (0..n).map(|i| format!("acct-{i:07}")).collect();
    let rubric = HealthRubric::from_path(&rubric_path("health/slavkokernel.toml")).expect("rubric");
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);

    for (label, threads) in [
        ("csrubric Rust, columnar, 1 thread", Some(1)),
        ("csrubric Rust, columnar", None),
    ] {
        let (t, out) = best(repeat, || {
            let mut batch = ColumnBatch::new("accounts", ids.iter().map(|s| Some(s.as_str())));
            for (c, v) in COLS.iter().zip(&columns) {
                batch.push(
                    c,
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
            rubric
                .score_columns(&batch, &opts)
                .expect("columns")
                .iter()
                .map(|r| code(r.band.map(|b| b.label.as_str())))
                .collect::<Vec<u8>>()
        });
        let errors = out.iter().zip(&exact).filter(|(a, b)| a != b).count();
        report(label, n, t, errors, "");
    }

    // The row path (records, full results without what-it-takes) on a tenth of the accounts.
    let m = n.div_ceil(10);
    let records: Vec<Record> = (0..m)
        .map(|i| {
            let mut r = Record::new(ids[i].clone());
            r.row = i + 1;
            for (c, v) in COLS.iter().zip(&columns) {
                if !v[i].is_nan() {
                    let d = csrubric::decimal::decimal_from_f64_literal(v[i]).expect("finite");
                    r = r.with_value(*c, Value::Number(d));
                }
            }
            r
        })
        .collect();
    let opts = ScoreOptions {
        as_of: None,
        what_it_takes: false,
    };
    let (t, out) = best(1, || {
        rubric
            .score_batch(&records, &opts)
            .iter()
            .map(|r| {
                code(
                    r.as_ref()
                        .ok()
                        .and_then(|r| r.band.as_ref())
                        .map(|b| b.label.as_str()),
                )
            })
            .collect::<Vec<u8>>()
    });
    let errors = out.iter().zip(&exact).filter(|(a, b)| a != b).count();
    report(
        "csrubric Rust, row path (records), 1 thread",
        m,
        t,
        errors,
        &format!("first {m} accounts"),
    );
}
