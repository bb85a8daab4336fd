//! Shared helpers for the workspace integration tests.

use std::path::PathBuf;

use csrubric::health::{HealthResult, HealthRubric, ScoreOptions};
use csrubric::input::Record;
use rust_decimal::Decimal;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Path of a shipped rubric, e.g. `rubric_path("health/slavkokernel.toml")`.
pub fn rubric_path(name: &str) -> PathBuf {
    repo().join("rubrics").join(name)
}

/// Loads a shipped health rubric, panicking with the loader's message on failure.
pub fn health(name: &str) -> HealthRubric {
    HealthRubric::from_path(&rubric_path(&format!("health/{name}.toml")))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Loads an inline TOML health rubric.
pub fn inline(text: &str) -> HealthRubric {
    HealthRubric::from_toml_str("inline.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// A decimal from text (exact).
pub fn d(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("bad decimal {s}"))
}

/// A record with numeric cells given as text.
pub fn rec(id: &str, cells: &[(&str, &str)]) -> Record {
    cells
        .iter()
        .fold(Record::new(id), |r, (k, v)| r.with(*k, d(v)))
}

/// Options with a fixed instant, so override expiry is deterministic.
pub fn opts() -> ScoreOptions {
    ScoreOptions {
        as_of: csrubric::parse_instant("2026-11-23T10:00:00Z").ok(),
        what_it_takes: true,
    }
}

/// Scores and unwraps, panicking with the error message.
pub fn score(r: &HealthRubric, account: &Record) -> HealthResult {
    r.score(account, &opts()).unwrap_or_else(|e| panic!("{e}"))
}

/// The rounded score as text, or `-` when not scored.
pub fn score_text(r: &HealthResult) -> String {
    r.score.map_or_else(|| "-".to_string(), |s| s.to_string())
}

/// The band label, or `-`.
pub fn band(r: &HealthResult) -> String {
    r.band
        .as_ref()
        .map_or_else(|| "-".to_string(), |b| b.label.clone())
}
