//! A health rubric's self-tests: its `[[examples]]` give an account's inputs and the
//! expected score, band, component scores, alerts or error; [`run_examples`] checks them
//! all, so a team can test its rules (and scripts) without Rust. The CLI runs them with
//! `csrubric test`.
//!
//! ```toml
//! [[examples]]
//! name = "all components at 90"
//! inputs = { usage = 90, sentiment = 90 }
//! # 90*60% + 90*40% = 90
//! expect = { score = "90.00", band = "Good" }
//! ```
//!
//! # Example
//! ```
//! use csrubric::health::{run_examples, HealthRubric};
//! let rubric = HealthRubric::from_toml_str("inline.toml", r#"
//!     kind = "health"
//!     id = "health/tiny"
//!     version = "1"
//!     title = "Tiny"
//!     source = "example"
//!     scale = "0-100"
//!     [[components]]
//!     id = "usage"
//!     weight = 60
//!     [[components]]
//!     id = "sentiment"
//!     weight = 40
//!     [[bands]]
//!     min = 70
//!     label = "Good"
//!     action = "Grow"
//!     owner = "CSM"
//!     urgency = "Low"
//!     [[bands]]
//!     min = 0
//!     label = "At Risk"
//!     action = "Rescue"
//!     owner = "CSM"
//!     urgency = "High"
//!     [[examples]]
//!     name = "80/55"
//!     inputs = { usage = 80, sentiment = 55 }
//!     expect = { score = 70, band = "Good" }     # 80*0.6 + 55*0.4 = 70
//!     [[examples]]
//!     name = "wrong on purpose"
//!     inputs = { usage = 80, sentiment = 55 }
//!     expect = { band = "At Risk" }
//! "#)?;
//! let outcomes = run_examples(&rubric);
//! assert!(outcomes[0].passed);
//! assert!(!outcomes[1].passed);
//! assert_eq!(outcomes[1].diffs[0].to_string(), "band: expected `At Risk`, got `Good`");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{HealthRubric, HealthRubricFile, ScoreOptions, Status};
use crate::decimal::Dec;
use crate::input::{Record, Value};
use crate::rubric::Problems;
use crate::selftest::{Diff, ExampleOutcome};

/// One example: an account's inputs and what the rubric must make of them.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What the example shows.
    pub name: String,
    /// The account's cells (numbers, text, booleans; JSON lists for `overrides`).
    #[serde(default)]
    pub inputs: serde_json::Map<String, serde_json::Value>,
    /// What must come out. Only the fields given are checked.
    pub expect: Expect,
}

/// What an example expects. Only the fields given are checked.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The rounded score (compared as a number: `90` equals `90.00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Dec>,
    /// The band label that counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// `scored` or `insufficient_data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Component scores that count, by component id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, Dec>,
    /// The ids of the custom alerts (`[[scripts.alerts]]`) that fire on these inputs alone,
    /// in rubric order; `[]` means none may fire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<String>>,
    /// The error code the account must fail with (`out_of_scale`, `script_limit`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The instant examples are scored at (overrides in examples are judged at it), fixed so
/// that examples give the same answer every day.
pub const EXAMPLES_AS_OF: &str = "2026-01-01T00:00:00Z";

/// Runs every `[[examples]]` of a health rubric, in file order.
pub fn run_examples(rubric: &HealthRubric) -> Vec<ExampleOutcome> {
    rubric
        .spec()
        .examples
        .iter()
        .enumerate()
        .map(|(i, e)| run_one(rubric, i, e))
        .collect()
}

fn show_opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "(none)".to_string(), |v| v.to_string())
}

fn run_one(rubric: &HealthRubric, index: usize, example: &Example) -> ExampleOutcome {
    let mut record = Record::new(format!("examples[{index}]"));
    for (k, v) in &example.inputs {
        if let Some(v) = Value::from_json(v) {
            record = record.with_value(k.clone(), v);
        }
    }
    let options = ScoreOptions {
        as_of: crate::parse_instant(EXAMPLES_AS_OF).ok(),
        what_it_takes: false,
    };
    let mut diffs = Vec::new();
    let mut diff = |field: &str, expected: String, actual: String| {
        diffs.push(Diff {
            field: field.to_string(),
            expected,
            actual,
        })
    };
    let want = &example.expect;
    let result = rubric
        .score_batch(std::slice::from_ref(&record), &options)
        .pop();
    match result {
        None => diff("result", "a result".into(), "(none)".into()),
        Some(Err(e)) => match &want.error {
            Some(code) if code == e.code() => {}
            Some(code) => diff("error", code.clone(), format!("{}: {e}", e.code())),
            None => diff("error", "(none)".into(), format!("{}: {e}", e.code())),
        },
        Some(Ok(r)) => {
            if let Some(code) = &want.error {
                diff("error", code.clone(), "(scored without error)".into());
            }
            if let Some(s) = want.score {
                if r.score != Some(s.0) {
                    diff("score", s.to_string(), show_opt(r.score));
                }
            }
            if let Some(b) = &want.band {
                let got = r.band.as_ref().map(|b| b.label.clone());
                if got.as_deref() != Some(b.as_str()) {
                    diff("band", b.clone(), show_opt(got));
                }
            }
            if let Some(st) = &want.status {
                let got = match r.status {
                    Status::Scored => "scored",
                    Status::InsufficientData => "insufficient_data",
                };
                if got != st {
                    diff("status", st.clone(), got.into());
                }
            }
            for (id, want_score) in &want.components {
                let got = r
                    .components
                    .iter()
                    .find(|c| c.id.as_ref() == id)
                    .and_then(|c| c.score);
                if got != Some(want_score.0) {
                    diff(
                        &format!("components.{id}"),
                        want_score.to_string(),
                        show_opt(got),
                    );
                }
            }
            if let Some(alerts) = &want.alerts {
                let compiled = rubric.compiled();
                let mut fired = Vec::new();
                let mut failed = None;
                for (spec, script) in crate::health::alert_hooks(compiled) {
                    match crate::health::run_alert(script, &record, &r, &rhai::Array::new()) {
                        Ok((Some(_), _)) => fired.push(spec.id.clone()),
                        Ok((None, _)) => {}
                        Err(e) => failed = Some(e.to_string()),
                    }
                }
                match failed {
                    Some(e) => diff("alerts", alerts.join(", "), format!("error: {e}")),
                    None if &fired != alerts => diff("alerts", alerts.join(", "), fired.join(", ")),
                    None => {}
                }
            }
        }
    }
    ExampleOutcome {
        name: example.name.clone(),
        passed: diffs.is_empty(),
        diffs,
    }
}

/// Checks the examples of a health rubric name things the rubric has.
pub(crate) fn validate_examples(file: &HealthRubricFile, p: &mut Problems) {
    let mut names = HashSet::new();
    let alert_ids: Vec<&str> = file
        .scripts
        .iter()
        .flat_map(|s| s.alerts.iter().map(|a| a.id.as_str()))
        .collect();
    for (i, e) in file.examples.iter().enumerate() {
        let at = format!("examples[{i}]");
        if e.name.trim().is_empty() || !names.insert(e.name.as_str()) {
            p.push(
                format!("{at}.name"),
                format!("example name `{}` must be non-empty and unique", e.name),
            );
        }
        let x = &e.expect;
        if x.score.is_none()
            && x.band.is_none()
            && x.status.is_none()
            && x.components.is_empty()
            && x.alerts.is_none()
            && x.error.is_none()
        {
            p.push(
                format!("{at}.expect"),
                "an example must expect something: score, band, status, components, alerts or error",
            );
        }
        if let Some(b) = &x.band {
            if !file.bands.iter().any(|fb| &fb.label == b) {
                p.push(format!("{at}.expect.band"), format!("unknown band `{b}`"));
            }
        }
        if let Some(st) = &x.status {
            if st != "scored" && st != "insufficient_data" {
                p.push(
                    format!("{at}.expect.status"),
                    format!("`{st}`: expected `scored` or `insufficient_data`"),
                );
            }
        }
        for id in x.components.keys() {
            if !file.components.iter().any(|c| &c.id == id) {
                p.push(
                    format!("{at}.expect.components.{id}"),
                    format!("unknown component `{id}`"),
                );
            }
        }
        for a in x.alerts.iter().flatten() {
            if !alert_ids.contains(&a.as_str()) {
                p.push(
                    format!("{at}.expect.alerts"),
                    format!("unknown alert `{a}` (the rubric's `[[scripts.alerts]]` ids)"),
                );
            }
        }
    }
}
