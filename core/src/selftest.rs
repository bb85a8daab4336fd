//! Rubric self-tests: `[[examples]]` in a rubric file give inputs and the expected score,
//! band, component scores, alerts or error; [`run_examples`] checks them all, so a team can
//! test its rules (and scripts) without Rust. The CLI runs them with `csrubric test`.
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
//! use csrubric::health::HealthRubric;
//! use csrubric::selftest::run_examples;
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

use crate::decimal::Dec;
use crate::health::{HealthRubric, HealthRubricFile, ScoreOptions, Status};
use crate::input::{Record, Value};
use crate::rubric::Problems;

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

/// One difference between an example's expectation and the rubric's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// What differs (`score`, `band`, `components.usage`, `alerts`, `error`).
    pub field: String,
    /// What the example expects.
    pub expected: String,
    /// What the rubric gave.
    pub actual: String,
}

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: expected `{}`, got `{}`",
            self.field, self.expected, self.actual
        )
    }
}

/// The outcome of one example.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExampleOutcome {
    /// The example's name.
    pub name: String,
    /// Whether everything expected matched.
    pub passed: bool,
    /// Every mismatch.
    pub diffs: Vec<Diff>,
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
                for (spec, script) in crate::script::alert_hooks(compiled) {
                    match crate::script::run_alert(script, &record, &r, &rhai::Array::new()) {
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

/// An example for a rubric of any kind but health: an operation's input and options, and
/// what its answer must contain. Only what `expect` gives is checked (see [`matches`]).
///
/// ```toml
/// [[examples]]
/// name = "standard P2 opened Friday 15:30"
/// input = [{ id = "T-1", tier = "standard", priority = "P2", opened_at = "2026-11-20T15:30:00+01:00" }]
/// options = { at = "2026-11-23T10:00:00+01:00" }
/// # 8 business hours: 1.5 on Friday, 6.5 on Monday
/// expect = [{ targets = [{ target = "first_response", due = "2026-11-23T15:30:00+01:00" }] }]
/// ```
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the example shows.
    pub name: String,
    /// The operation (default: the kind's main one, such as `prioritize` or `sla`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    /// The input rows: an array of objects (or one object, one row), each with an `id`.
    #[serde(default)]
    pub input: serde_json::Value,
    /// The operation's options.
    #[serde(default)]
    pub options: serde_json::Value,
    /// What the answer must contain.
    #[serde(default)]
    pub expect: serde_json::Value,
    /// The code of the error the whole operation must fail with, instead of `expect`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Checks the `[[examples]]` of a non-health rubric at load: each has a name and either
/// `expect` or `error`, and never runs `test` itself.
pub(crate) fn validate_cases(cases: &[Case], p: &mut Problems) {
    for (i, c) in cases.iter().enumerate() {
        if c.name.trim().is_empty() {
            p.push(format!("examples[{i}].name"), "an example needs a name");
        }
        if c.op.as_deref() == Some("test") {
            p.push(format!("examples[{i}].op"), "an example cannot run `test`");
        }
        if c.expect.is_null() && c.error.is_none() {
            p.push(
                format!("examples[{i}]"),
                "an example needs `expect` (what the answer must contain) or `error`",
            );
        }
        if !c.expect.is_null() && c.error.is_some() {
            p.push(
                format!("examples[{i}]"),
                "give `expect` or `error`, not both",
            );
        }
    }
}

/// The self-test report of one rubric: every example's outcome, in file order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The rubric.
    pub rubric: crate::rubric::Stamp,
    /// Examples that passed.
    pub passed: usize,
    /// Examples that failed.
    pub failed: usize,
    /// Each example's outcome.
    pub examples: Vec<ExampleOutcome>,
}

/// Runs the `[[examples]]` of a rubric of any kind (the `test` operation): health examples
/// through [`run_examples`], the others by running their operation through
/// [`crate::api::AnyRubric::run`] and matching the answer against `expect`.
///
/// # Example
/// ```
/// use csrubric::api::AnyRubric;
/// use csrubric::rubric::read_from_disk;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/kinos-health.toml");
/// let report = csrubric::selftest::run(&AnyRubric::from_path(path.as_ref())?, &read_from_disk);
/// assert!(report.passed > 0);
/// assert_eq!(report.failed, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(rubric: &crate::api::AnyRubric, reader: crate::rubric::FileReader<'_>) -> Report {
    use crate::api::{AnyRubric, Input};
    let examples: Vec<ExampleOutcome> = match rubric {
        AnyRubric::Health(r) => run_examples(r),
        other => other
            .examples()
            .iter()
            .map(|case| {
                let op = case
                    .op
                    .as_deref()
                    .unwrap_or_else(|| other.ops().first().copied().unwrap_or("test"));
                let input = match &case.input {
                    serde_json::Value::Object(_) => {
                        serde_json::Value::Array(vec![case.input.clone()])
                    }
                    v => v.clone(),
                };
                let answer = if op == "test" {
                    Err(crate::api::ApiError::failed(
                        "invalid_example",
                        "an example cannot run `test`",
                    ))
                } else {
                    other.run(op, Input::Json(&input), &case.options, reader)
                };
                let mut diffs = Vec::new();
                match (answer, &case.error) {
                    (Ok(actual), None) => {
                        matches("", &case.expect, &actual, Compare::Numeric, &mut diffs)
                    }
                    (Ok(_), Some(code)) => diffs.push(Diff {
                        field: "error".into(),
                        expected: code.clone(),
                        actual: "(no error)".into(),
                    }),
                    (Err(e), Some(code)) if e.code() == code => {}
                    (Err(e), want) => diffs.push(Diff {
                        field: "error".into(),
                        expected: want.clone().unwrap_or_else(|| "(none)".into()),
                        actual: format!("{}: {e}", e.code()),
                    }),
                }
                ExampleOutcome {
                    name: case.name.clone(),
                    passed: diffs.is_empty(),
                    diffs,
                }
            })
            .collect(),
    };
    let passed = examples.iter().filter(|e| e.passed).count();
    Report {
        rubric: rubric.stamp().clone(),
        passed,
        failed: examples.len() - passed,
        examples,
    }
}

/// How scalars are compared by [`matches`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// Numbers and numeric strings as exact decimals (`90` matches `"90.00"`): what a rubric's
    /// `[[examples]]` use, so authors need not know how a result is printed.
    Numeric,
    /// Byte for byte (`"85.00"` matches only `"85.00"`): what the conformance vectors use.
    Exact,
}

/// Whether `actual` contains `expected`, recording every difference with its JSON path:
/// an expected object's keys must all be in the actual object and match (other keys are
/// ignored; an expected `null` also matches an absent key); an expected array must have the
/// actual array's length and match item by item; scalars compare as `how` says.
///
/// # Example
/// ```
/// use csrubric::selftest::{matches, Compare};
/// use serde_json::json;
/// let mut diffs = Vec::new();
/// matches("", &json!([{"score": 4.2, "id": "a"}]), &json!([{"id": "a", "score": "4.20", "rank": 1}]), Compare::Numeric, &mut diffs);
/// assert!(diffs.is_empty());
/// matches("", &json!([{"score": "4.3"}]), &json!([{"score": "4.20"}]), Compare::Numeric, &mut diffs);
/// assert_eq!(diffs[0].to_string(), "[0].score: expected `4.3`, got `4.20`");
/// matches("", &json!({"score": "4.2"}), &json!({"score": "4.20"}), Compare::Exact, &mut diffs);
/// assert_eq!(diffs.len(), 2);
/// ```
pub fn matches(
    path: &str,
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    how: Compare,
    diffs: &mut Vec<Diff>,
) {
    use serde_json::Value as J;
    let mut differ = |expected: String, actual: String| {
        diffs.push(Diff {
            field: if path.is_empty() {
                ".".into()
            } else {
                path.to_string()
            },
            expected,
            actual,
        })
    };
    match (expected, actual) {
        (J::Object(e), J::Object(a)) => {
            for (k, ev) in e {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match a.get(k) {
                    Some(av) => matches(&sub, ev, av, how, diffs),
                    None if ev.is_null() => {}
                    None => diffs.push(Diff {
                        field: sub,
                        expected: show(ev),
                        actual: "(absent)".into(),
                    }),
                }
            }
        }
        (J::Array(e), J::Array(a)) => {
            if e.len() != a.len() {
                differ(
                    format!("{} items", e.len()),
                    format!("{} items: {}", a.len(), show(actual)),
                );
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(&format!("{path}[{i}]"), ev, av, how, diffs);
            }
        }
        (e, a) => {
            let same = match (how, number(e), number(a)) {
                (Compare::Numeric, Some(x), Some(y)) => x == y,
                _ => e == a,
            };
            if !same {
                differ(show(e), show(a));
            }
        }
    }
}

fn number(v: &serde_json::Value) -> Option<rust_decimal::Decimal> {
    match v {
        serde_json::Value::Number(_) => Value::from_json(v).and_then(|v| v.as_number().ok()),
        serde_json::Value::String(s) => crate::decimal::parse_decimal(s).ok(),
        _ => None,
    }
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
