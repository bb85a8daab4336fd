//! Rubric self-tests: every rubric file may carry `[[examples]]`, worked by hand, that
//! `csrubric test` runs so a team can test its rules (and scripts) without Rust. Health
//! rubrics write theirs in their own form ([`crate::health::Example`]); every other kind
//! writes a [`Case`]: an operation's input and options, and what its answer must contain,
//! compared by [`matches`]. The runner over a rubric of any kind is
//! [`crate::api::AnyRubric::test`].

use serde::{Deserialize, Serialize};

use crate::input::Value;
use crate::rubric::Problems;

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
