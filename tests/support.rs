//! Shared helpers for the workspace-level integration tests: where the shipped rubrics and
//! examples live, exact decimals from text, and a fixed instant for overrides.
//!
//! Test support: a broken fixture should stop the test loudly, so panicking is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric::input::Record;
use rust_decimal::Decimal;

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A shipped rubric, such as `rubric_path("health/slavkokernel.toml")`.
pub fn rubric_path(name: &str) -> PathBuf {
    repo_root().join("rubrics").join(name)
}

/// A shipped example file, such as `example_path("health/slavkokernel.csv")`.
pub fn example_path(name: &str) -> PathBuf {
    repo_root().join("examples").join(name)
}

/// A test fixture under `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Loads a shipped health rubric, panicking with the error when it does not load.
pub fn health_rubric(name: &str) -> HealthRubric {
    let path = rubric_path(&format!("health/{name}.toml"));
    HealthRubric::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// An exact decimal from its text (`dec("84.99")`).
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap_or_else(|e| panic!("`{text}`: {e}"))
}

/// A record from `(column, decimal text)` pairs.
pub fn record(id: &str, cells: &[(&str, &str)]) -> Record {
    cells
        .iter()
        .fold(Record::new(id), |r, (c, v)| r.with(*c, dec(v)))
}

/// The instant every test judges overrides at: 2026-06-01T12:00:00Z.
pub fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// Scoring options fixed at [`as_of`], with "what would it take".
pub fn options() -> ScoreOptions {
    ScoreOptions {
        as_of: Some(as_of()),
        what_it_takes: true,
    }
}

/// The JSON twin of a TOML rubric text (same model, other format).
pub fn toml_to_json(text: &str) -> String {
    let value: serde_json::Value = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_string_pretty(&value).unwrap()
}

/// A fresh scratch directory for one test (removed first if left over).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csrubric-tests-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
