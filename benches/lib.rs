//! Shared data generators for the csrubric benchmarks.
//!
//! Inputs are generated deterministically (a fixed linear congruential sequence), so every
//! run scores the same inputs. Big inputs are made lazily, once per process, and only for the
//! benchmarks that run.

use csrubric::health::HealthRubric;
use csrubric::input::{Record, Value};
use rust_decimal::Decimal;

/// Path of a shipped rubric, from this crate's directory.
pub fn rubric_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rubrics")
        .join(name)
}

/// True when criterion only tests the benches (each runs once) instead of measuring them:
/// under `cargo test` (no `--bench` argument, CI's smoke run) or `cargo bench -- --test`.
/// Benches then shrink their largest inputs.
pub fn smoke() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench")
}

/// A deterministic sequence of pseudo-random numbers.
pub struct Lcg(u64);

impl Lcg {
    /// A sequence from a seed.
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x2545_f491_4f6c_dd1d)
    }

    /// The next number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// `n` accounts with direct component scores (two decimals, 0-100) for `columns`.
pub fn accounts(n: usize, columns: &[&str]) -> Vec<Record> {
    let mut rng = Lcg::new(0);
    (0..n)
        .map(|i| {
            let mut r = Record::new(format!("acct-{i:07}"));
            r.row = i + 1;
            for c in columns {
                r = r.with(*c, Decimal::new(rng.below(10_001) as i64, 2));
            }
            r
        })
        .collect()
}

/// A batch of accounts held both ways: as columns (floats with two decimals, NaN missing,
/// as a DataFrame holds them) and as records (for the row path), for a health rubric's direct
/// component scores. `missing` is the share of cells left empty, in percent.
pub struct HealthBatch {
    /// Account ids.
    pub ids: Vec<String>,
    /// `(component id, values)`.
    pub columns: Vec<(String, Vec<f64>)>,
    /// The same accounts as records.
    pub records: Vec<Record>,
}

impl HealthBatch {
    /// `n` accounts for `rubric`, each component in its own scale.
    pub fn new(rubric: &HealthRubric, n: usize, missing: u64, records: bool) -> HealthBatch {
        let mut rng = Lcg::new(n as u64 + missing);
        let ids: Vec<String> = (0..n).map(|i| format!("acct-{i:07}")).collect();
        let mut columns = Vec::new();
        for c in &rubric.spec().components {
            let (lo, hi) = rubric.scale().component_bounds(c.weight.0);
            let width = ((hi - lo) * Decimal::ONE_HUNDRED).trunc();
            let width = u64::try_from(width.mantissa()).unwrap_or(10_000) + 1;
            let lo_f: f64 = lo.to_string().parse().unwrap_or(0.0);
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    if rng.below(100) < missing {
                        f64::NAN
                    } else {
                        lo_f + rng.below(width) as f64 / 100.0
                    }
                })
                .collect();
            columns.push((c.id.clone(), v));
        }
        let records = if records {
            (0..n)
                .map(|i| {
                    let mut r = Record::new(ids[i].clone());
                    r.row = i + 1;
                    for (name, v) in &columns {
                        let x = v[i];
                        if !x.is_nan() {
                            let d =
                                csrubric::decimal::decimal_from_f64_literal(x).unwrap_or_default();
                            r = r.with_value(name.as_str(), Value::Number(d));
                        }
                    }
                    r
                })
                .collect()
        } else {
            Vec::new()
        };
        HealthBatch {
            ids,
            columns,
            records,
        }
    }
}
