//! Shared data generators for the csrubric benchmarks.
//!
//! Accounts are generated deterministically (a fixed linear congruential sequence), so every
//! run scores the same inputs.

use csrubric::input::Record;
use rust_decimal::Decimal;

/// Path of a shipped rubric, from this crate's directory.
pub fn rubric_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rubrics")
        .join(name)
}

/// `n` accounts with direct component scores (two decimals, 0-100) for `columns`.
pub fn accounts(n: usize, columns: &[&str]) -> Vec<Record> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|i| {
            let mut r = Record::new(format!("acct-{i:07}"));
            r.row = i + 1;
            for c in columns {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let hundredths = (state >> 33) % 10_001;
                r = r.with(*c, Decimal::new(hundredths as i64, 2));
            }
            r
        })
        .collect()
}
