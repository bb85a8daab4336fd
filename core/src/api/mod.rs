//! One entry point for every rubric kind: load any rubric, run any of its operations on rows
//! of JSON-shaped data, get the same serde answer from the CLI, Rust, Python and WASM.
//!
//! * [`AnyRubric`] loads a rubric of any kind (health, priority, sla, renewal, plan...) from
//!   a file or text, through a [`FileReader`] for the calendars, matrices and scripts it
//!   links to (the file system, or the bundled rubrics, see [`crate::bundled`]).
//! * Each kind has named operations ([`AnyRubric::ops`]): `score` for health, `prioritize`
//!   for priority, `sla` for SLA policies, `plan` for plan templates... and `test` (the
//!   rubric's own `[[examples]]`) for every kind. [`AnyRubric::run`] takes the operation's
//!   name, the input rows and the options as JSON and returns the answer as JSON; the typed
//!   functions in the submodules ([`health`], [`priority`], [`escalation`], [`lifecycle`],
//!   [`playbook`], [`history`]) return the same answers as Rust types, which is what the CLI
//!   prints with `--format json`.
//! * A row that fails is a [`crate::answer::RowFailure`] in its place in the answer (`{id, row, status:
//!   "error", error: {code, message}}`), never a dropped row; only a problem with the whole
//!   request (a bad rubric, unknown option, unreadable input) is an [`ApiError`].
//!
//! # Example
//! ```
//! use csrubric::api::AnyRubric;
//! use serde_json::json;
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/priority/kinos.toml");
//! let rubric = AnyRubric::from_path(path.as_ref())?;
//! assert_eq!(rubric.kind(), "priority");
//! assert_eq!(rubric.ops(), ["prioritize", "test"]);
//! // Seed 000's case study: 5*.30 + 4*.25 + 4*.20 + (6-2)*.15 + 3*.10 = 4.20
//! let rows = json!([{ "id": "HLT-101", "customer_impact": 5, "strategic_alignment": 4,
//!     "revenue_impact": 4, "implementation_effort": 2, "cross_vertical_value": 3 }]);
//! let answer = rubric.run_json("prioritize", &rows, &json!({}))?;
//! assert_eq!(answer[0]["score"], "4.20");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::input::{InputError, Rows};
use crate::rubric::{self, FileReader, Format, Problem, RubricError, Stamp};
use crate::selftest::Report;

pub mod escalation;
pub mod health;
pub mod history;
pub mod lifecycle;
pub mod playbook;
pub mod priority;

/// A problem with a whole request (not with one row): the rubric, the options or the input
/// file. Row problems are [`crate::answer::RowFailure`]s inside the answer.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The rubric (or a rubric an option names) could not be loaded.
    #[error(transparent)]
    Rubric(#[from] RubricError),
    /// The input as a whole could not be read (malformed JSON/CSV, no `id` column).
    #[error(transparent)]
    Input(#[from] InputError),
    /// An option is unknown or has the wrong type or value.
    #[error("`{op}` options: {message}")]
    Options {
        /// The operation.
        op: String,
        /// The option at fault (`min_score`, `calendar`...), when one is.
        option: Option<String>,
        /// What is wrong, naming the option.
        message: String,
    },
    /// The rubric's kind has no such operation.
    #[error("a `{kind}` rubric has no operation `{op}` (it has: {})", ops.join(", "))]
    Unsupported {
        /// The rubric's kind.
        kind: String,
        /// The operation asked for.
        op: String,
        /// The operations the kind has.
        ops: Vec<&'static str>,
    },
    /// The operation could not run as a whole (a plan for an unknown package, SLA policy
    /// versions that overlap...).
    #[error("{message}")]
    Failed {
        /// Stable short code from the domain error (`unknown_value`, `invalid_input`...).
        code: String,
        /// The domain error's message.
        message: String,
    },
}

impl ApiError {
    /// A short stable code for bindings: the rubric and input errors' own codes,
    /// `invalid_options`, `unsupported_operation`, or the domain error's code.
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/priority/kinos.toml");
    /// let rubric = AnyRubric::from_path(path.as_ref())?;
    /// let err = rubric.run_json("score", &serde_json::json!([]), &serde_json::json!({})).unwrap_err();
    /// assert_eq!(err.code(), "unsupported_operation");
    /// let err = rubric.run_json("prioritize", &serde_json::json!([]), &serde_json::json!({"relatve": true})).unwrap_err();
    /// assert_eq!(err.code(), "invalid_options");
    /// assert!(err.to_string().contains("unknown field `relatve`"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn code(&self) -> &str {
        match self {
            ApiError::Rubric(e) => e.code(),
            ApiError::Input(e) => e.code(),
            ApiError::Options { .. } => "invalid_options",
            ApiError::Unsupported { .. } => "unsupported_operation",
            ApiError::Failed { code, .. } => code,
        }
    }

    /// A whole-operation failure from a domain error's code and message.
    pub fn failed(code: &str, message: impl std::fmt::Display) -> ApiError {
        ApiError::Failed {
            code: code.to_string(),
            message: message.to_string(),
        }
    }

    /// The option at fault in an [`ApiError::Options`] (an unknown one, or one with a wrong
    /// type or value), for bindings that point at it.
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// use serde_json::json;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/priority/kinos.toml");
    /// let rubric = AnyRubric::from_path(path.as_ref())?;
    /// let err = rubric.run_json("prioritize", &json!([]), &json!({"relatve": true})).unwrap_err();
    /// assert_eq!(err.option(), Some("relatve"));
    /// let err = rubric.run_json("prioritize", &json!([]), &json!({"min_score": [1]})).unwrap_err();
    /// assert_eq!(err.option(), Some("min_score"));
    /// let err = rubric.run_json("prioritize", &json!([]), &json!(42)).unwrap_err();
    /// assert_eq!((err.code(), err.option()), ("invalid_options", None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn option(&self) -> Option<&str> {
        match self {
            ApiError::Options { option, .. } => option.as_deref(),
            _ => None,
        }
    }

    fn options(op: &str, option: Option<String>, message: impl std::fmt::Display) -> ApiError {
        ApiError::Options {
            op: op.to_string(),
            option,
            message: message.to_string(),
        }
    }
}

/// Reads an operation's options from JSON (`null` means all defaults); unknown options are
/// an error naming them.
///
/// # Errors
/// [`ApiError::Options`] naming the option and what is wrong.
pub fn parse_options<T: DeserializeOwned + Default>(
    op: &str,
    options: &serde_json::Value,
) -> Result<T, ApiError> {
    if options.is_null() {
        return Ok(T::default());
    }
    serde_path_to_error::deserialize(options).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner().to_string();
        if path == "." {
            // serde names an unknown (or missing) field in its message: "unknown field `x`, ...".
            let named = ["unknown field `", "missing field `"]
                .iter()
                .find_map(|p| inner.strip_prefix(p))
                .and_then(|rest| rest.split('`').next())
                .map(str::to_string);
            ApiError::options(op, named, inner)
        } else {
            let top = match e.path().iter().next() {
                Some(serde_path_to_error::Segment::Map { key }) => Some(key.clone()),
                _ => None,
            };
            ApiError::options(op, top, format!("`{path}`: {inner}"))
        }
    })
}

/// A loaded, validated rubric of any kind.
#[derive(Clone, Debug)]
pub enum AnyRubric {
    /// `kind = "health"`.
    Health(crate::health::HealthRubric),
    /// `kind = "calendar"`.
    Calendar(crate::calendar::Calendar),
    /// `kind = "sla"`.
    Sla(crate::escalation::SlaPolicy),
    /// `kind = "escalation"`.
    Escalation(crate::escalation::EscalationMatrix),
    /// `kind = "alerts"`.
    Alerts(crate::escalation::AlertRules),
    /// `kind = "priority"`.
    Priority(crate::priority::PriorityRubric),
    /// `kind = "renewal"`.
    Renewal(crate::renewal::RenewalPlaybook),
    /// `kind = "kpi"`.
    Kpi(crate::kpi::KpiRubric),
    /// `kind = "plan"`.
    Plan(crate::playbook::PlanTemplate),
    /// `kind = "triage"`.
    Triage(crate::playbook::TriageRules),
    /// `kind = "capacity"`.
    Capacity(crate::playbook::CapacityRatios),
    /// `kind = "interventions"`.
    Interventions(crate::playbook::InterventionRules),
}

impl AnyRubric {
    /// Loads a rubric file of any kind (`.toml` or `.json`); linked files (calendars,
    /// matrices, scripts) are read from disk next to it.
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path and (TOML) the line and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-sla.toml");
    /// let sla = AnyRubric::from_path(path.as_ref())?;
    /// assert_eq!((sla.kind(), sla.stamp().id.as_str()), ("sla", "escalation/slavkokernel-sla"));
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<AnyRubric, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::load(
            &path.display().to_string(),
            &text,
            format,
            &rubric::read_from_disk,
        )
    }

    /// Loads a rubric of any kind from text; `file` names it in errors and its folder is
    /// where linked files are looked up, through `reader`.
    ///
    /// # Errors
    /// [`RubricError`]; an unknown `kind` is a problem at `kind`.
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// use csrubric::rubric::{read_from_disk, Format};
    /// let err = AnyRubric::load("r.toml", "kind = \"healht\"\nid = \"x\"", Format::Toml, &read_from_disk).unwrap_err();
    /// assert!(err.to_string().starts_with("r.toml:1:1: invalid rubric: kind: unknown rubric kind `healht`"), "{err}");
    /// ```
    pub fn load(
        file: &str,
        text: &str,
        format: Format,
        reader: FileReader<'_>,
    ) -> Result<AnyRubric, RubricError> {
        use crate::{calendar, escalation, health, kpi, playbook, priority, renewal};
        let kind = rubric::peek_kind(file, text, format)?;
        let base = Path::new(file).parent();
        Ok(match kind.as_str() {
            health::KIND => AnyRubric::Health(health::HealthRubric::from_str_with_reader(
                file, text, format, reader,
            )?),
            calendar::KIND => AnyRubric::Calendar(calendar::Calendar::from_str_with_format(
                file, text, format,
            )?),
            escalation::SLA_KIND => AnyRubric::Sla(escalation::SlaPolicy::from_str_with_reader(
                file, text, format, base, reader,
            )?),
            escalation::MATRIX_KIND => {
                AnyRubric::Escalation(escalation::EscalationMatrix::from_str_with_reader(
                    file, text, format, base, reader,
                )?)
            }
            escalation::ALERTS_KIND => AnyRubric::Alerts(
                escalation::AlertRules::from_str_with_reader(file, text, format, base, reader)?,
            ),
            // Through `reader`: its scripts are linked files (the bundle, in bindings).
            priority::KIND => AnyRubric::Priority(priority::PriorityRubric::from_str_with_reader(
                file, text, format, reader,
            )?),
            renewal::KIND => AnyRubric::Renewal(renewal::RenewalPlaybook::from_str_with_format(
                file, text, format,
            )?),
            kpi::KIND => AnyRubric::Kpi(kpi::KpiRubric::from_str_with_format(file, text, format)?),
            playbook::PLAN_KIND => AnyRubric::Plan(playbook::PlanTemplate::from_str_with_reader(
                file, text, format, base, reader,
            )?),
            playbook::TRIAGE_KIND => AnyRubric::Triage(
                playbook::TriageRules::from_str_with_format(file, text, format)?,
            ),
            playbook::CAPACITY_KIND => AnyRubric::Capacity(
                playbook::CapacityRatios::from_str_with_format(file, text, format)?,
            ),
            playbook::INTERVENTIONS_KIND => AnyRubric::Interventions(
                playbook::InterventionRules::from_str_with_format(file, text, format)?,
            ),
            other => {
                let (line, column) = rubric::locate(text, format, "kind").unzip();
                return Err(RubricError::Invalid {
                    file: file.to_string(),
                    problems: vec![Problem {
                        path: "kind".into(),
                        message: format!(
                            "unknown rubric kind `{other}` (known: {})",
                            rubric::KINDS.join(", ")
                        ),
                        line,
                        column,
                    }],
                });
            }
        })
    }

    /// The rubric's kind, as written in its `kind` field.
    pub fn kind(&self) -> &'static str {
        use crate::{calendar, escalation, health, kpi, playbook, priority, renewal};
        match self {
            AnyRubric::Health(_) => health::KIND,
            AnyRubric::Calendar(_) => calendar::KIND,
            AnyRubric::Sla(_) => escalation::SLA_KIND,
            AnyRubric::Escalation(_) => escalation::MATRIX_KIND,
            AnyRubric::Alerts(_) => escalation::ALERTS_KIND,
            AnyRubric::Priority(_) => priority::KIND,
            AnyRubric::Renewal(_) => renewal::KIND,
            AnyRubric::Kpi(_) => kpi::KIND,
            AnyRubric::Plan(_) => playbook::PLAN_KIND,
            AnyRubric::Triage(_) => playbook::TRIAGE_KIND,
            AnyRubric::Capacity(_) => playbook::CAPACITY_KIND,
            AnyRubric::Interventions(_) => playbook::INTERVENTIONS_KIND,
        }
    }

    /// The rubric's id, version and content hash.
    pub fn stamp(&self) -> &Stamp {
        match self {
            AnyRubric::Health(r) => r.stamp(),
            AnyRubric::Calendar(r) => r.stamp(),
            AnyRubric::Sla(r) => r.stamp(),
            AnyRubric::Escalation(r) => r.stamp(),
            AnyRubric::Alerts(r) => r.stamp(),
            AnyRubric::Priority(r) => r.stamp(),
            AnyRubric::Renewal(r) => r.stamp(),
            AnyRubric::Kpi(r) => r.stamp(),
            AnyRubric::Plan(r) => r.stamp(),
            AnyRubric::Triage(r) => r.stamp(),
            AnyRubric::Capacity(r) => r.stamp(),
            AnyRubric::Interventions(r) => r.stamp(),
        }
    }

    /// The rubric's title.
    pub fn title(&self) -> &str {
        match self {
            AnyRubric::Health(r) => &r.spec().title,
            AnyRubric::Calendar(r) => &r.spec().title,
            AnyRubric::Sla(r) => &r.spec().title,
            AnyRubric::Escalation(r) => &r.spec().title,
            AnyRubric::Alerts(r) => &r.spec().title,
            AnyRubric::Priority(r) => &r.spec().title,
            AnyRubric::Renewal(r) => &r.spec().title,
            AnyRubric::Kpi(r) => &r.spec().title,
            AnyRubric::Plan(r) => &r.spec().title,
            AnyRubric::Triage(r) => &r.spec().title,
            AnyRubric::Capacity(r) => &r.spec().title,
            AnyRubric::Interventions(r) => &r.spec().title,
        }
    }

    /// A one-line summary of what the rubric holds (what `csrubric check` prints).
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
    /// let r = AnyRubric::from_path(path.as_ref())?;
    /// assert!(r.summary().starts_with("health/slavkokernel 1.0.0 (5 components, 5 bands) sha256:"), "{}", r.summary());
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn summary(&self) -> String {
        let s = self.stamp();
        let what = match self {
            AnyRubric::Health(r) => format!(
                "{} components, {} bands",
                r.spec().components.len(),
                r.spec().bands.len()
            ),
            AnyRubric::Calendar(r) => format!("zone {}", r.spec().zone),
            AnyRubric::Sla(r) => format!(
                "{} tiers x {} priorities",
                r.spec().tiers.len(),
                r.spec().priorities.len()
            ),
            AnyRubric::Escalation(r) => format!(
                "{} levels, hit policy {}",
                r.spec().levels.len(),
                serde_json::to_value(r.spec().hit_policy)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            AnyRubric::Alerts(r) => format!("{} alerts", r.spec().alerts.len()),
            AnyRubric::Priority(r) => format!(
                "{} criteria, {}",
                r.spec().criteria.len(),
                serde_json::to_value(r.spec().model)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            AnyRubric::Renewal(r) => format!(
                "{} milestones, paths: {}",
                r.spec().milestones.len(),
                r.paths().join(", ")
            ),
            AnyRubric::Kpi(r) => format!("{} targets", r.spec().targets.len()),
            AnyRubric::Plan(r) => playbook::plan_summary(r),
            AnyRubric::Triage(r) => playbook::triage_summary(r),
            AnyRubric::Capacity(r) => playbook::capacity_summary(r),
            AnyRubric::Interventions(r) => playbook::interventions_summary(r),
        };
        format!("{} {} ({what}) {}", s.id, s.version, s.hash)
    }

    /// Warnings about a rubric that loads but may not do what its author meant (escalation
    /// rows no case can reach, triage inputs no routing rule matches...), each with its
    /// rubric path.
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-triage.toml");
    /// let w = AnyRubric::from_path(path.as_ref())?.warnings();
    /// // Billing tickets of some tiers match no routing rule: they get the fallback route.
    /// assert_eq!((w.len(), w[0].path.as_str()), (1, "routing.rules"));
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn warnings(&self) -> Vec<Problem> {
        let problem = |path: &str, message: &str| Problem {
            path: path.to_string(),
            message: message.to_string(),
            line: None,
            column: None,
        };
        match self {
            AnyRubric::Triage(t) => t
                .warnings()
                .iter()
                .map(|w| problem(&w.path, &w.message))
                .collect(),
            AnyRubric::Escalation(m) => m
                .warnings()
                .iter()
                .map(|w| problem(&w.path, &w.message))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The rubric's `[[examples]]` (health rubrics keep theirs in their own form, see
    /// [`crate::health::run_examples`]).
    pub fn examples(&self) -> &[crate::selftest::Case] {
        match self {
            AnyRubric::Health(_) => &[],
            AnyRubric::Calendar(r) => &r.spec().examples,
            AnyRubric::Sla(r) => &r.spec().examples,
            AnyRubric::Escalation(r) => &r.spec().examples,
            AnyRubric::Alerts(r) => &r.spec().examples,
            AnyRubric::Priority(r) => &r.spec().examples,
            AnyRubric::Renewal(r) => &r.spec().examples,
            AnyRubric::Kpi(r) => &r.spec().examples,
            AnyRubric::Plan(r) => &r.spec().examples,
            AnyRubric::Triage(r) => &r.spec().examples,
            AnyRubric::Capacity(r) => &r.spec().examples,
            AnyRubric::Interventions(r) => &r.spec().examples,
        }
    }

    /// Runs the rubric's `[[examples]]` (the `test` operation): health examples through
    /// [`crate::health::run_examples`], the others by running their operation through
    /// [`AnyRubric::run`] and matching the answer against `expect`
    /// ([`crate::selftest::matches`]).
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// use csrubric::rubric::read_from_disk;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/kinos-health.toml");
    /// let report = AnyRubric::from_path(path.as_ref())?.test(&read_from_disk);
    /// assert!(report.passed > 0);
    /// assert_eq!(report.failed, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn test(&self, reader: FileReader<'_>) -> Report {
        use crate::selftest::{matches, Compare, Diff, ExampleOutcome};
        let rubric = self;
        let examples: Vec<ExampleOutcome> = match rubric {
            AnyRubric::Health(r) => crate::health::run_examples(r),
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
                        Err(ApiError::failed(
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

    /// The rubric's model as JSON: every field as loaded (defaults filled in, decimals as
    /// strings), for bindings that show or copy a rubric (`Rubric.to_dict()` in Python).
    ///
    /// # Example
    /// ```
    /// use csrubric::api::AnyRubric;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
    /// let spec = AnyRubric::from_path(path.as_ref())?.spec_json();
    /// assert_eq!((spec["kind"].as_str(), spec["components"][0]["weight"].as_str()), (Some("health"), Some("25")));
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn spec_json(&self) -> serde_json::Value {
        match self {
            AnyRubric::Health(r) => to_json(r.spec()),
            AnyRubric::Calendar(r) => to_json(r.spec()),
            AnyRubric::Sla(r) => to_json(r.spec()),
            AnyRubric::Escalation(r) => to_json(r.spec()),
            AnyRubric::Alerts(r) => to_json(r.spec()),
            AnyRubric::Priority(r) => to_json(r.spec()),
            AnyRubric::Renewal(r) => to_json(r.spec()),
            AnyRubric::Kpi(r) => to_json(r.spec()),
            AnyRubric::Plan(r) => to_json(r.spec()),
            AnyRubric::Triage(r) => to_json(r.spec()),
            AnyRubric::Capacity(r) => to_json(r.spec()),
            AnyRubric::Interventions(r) => to_json(r.spec()),
        }
    }

    /// The operations this rubric's kind offers, `test` last.
    pub fn ops(&self) -> &'static [&'static str] {
        match self {
            AnyRubric::Health(_) => &["score", "history", "backtest", "test"],
            AnyRubric::Calendar(_) => &["business_time", "test"],
            AnyRubric::Sla(_) => &["sla", "test"],
            AnyRubric::Escalation(_) => &["escalate", "test"],
            AnyRubric::Alerts(_) => &["alerts", "test"],
            AnyRubric::Priority(_) => &["prioritize", "test"],
            AnyRubric::Renewal(_) => &["renewals", "test"],
            AnyRubric::Kpi(_) => &["kpi", "test"],
            AnyRubric::Plan(_) => &["plan", "test"],
            AnyRubric::Triage(_) => &["triage", "test"],
            AnyRubric::Capacity(_) => &["capacity", "test"],
            AnyRubric::Interventions(_) => &["interventions", "test"],
        }
    }

    /// Runs operation `op` on `input` with `options` (a JSON object, or `null` for the
    /// defaults), and returns the answer as JSON: exactly what the CLI prints with
    /// `--format json` for the same input. `reader` reads files an option names (a
    /// `calendar` for renewals and plans).
    ///
    /// # Errors
    /// [`ApiError`] for an unknown operation or option, unreadable input, or an operation
    /// that cannot run as a whole; a row that fails is a failure object in its place in the
    /// answer.
    ///
    /// # Example
    /// ```
    /// use csrubric::api::{AnyRubric, Input};
    /// use csrubric::rubric::read_from_disk;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/ai-ecosystem.toml");
    /// let rubric = AnyRubric::from_path(path.as_ref())?;
    /// let csv = Input::Csv { file: "a.csv", text: "id,usage,engagement,success,growth\na,8,8,8,4\n" };
    /// let answer = rubric.run("score", csv, &serde_json::Value::Null, &read_from_disk)?;
    /// // (8 + 8 + 8 + 4) x 25% = 7.00: Yellow (5 to 8).
    /// assert_eq!((answer[0]["score"].as_str(), answer[0]["band"].as_str()), (Some("7.00"), Some("Yellow")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(
        &self,
        op: &str,
        input: Input<'_>,
        options: &serde_json::Value,
        reader: FileReader<'_>,
    ) -> Result<serde_json::Value, ApiError> {
        if !self.ops().contains(&op) {
            return Err(ApiError::Unsupported {
                kind: self.kind().to_string(),
                op: op.to_string(),
                ops: self.ops().to_vec(),
            });
        }
        if op == "test" {
            return Ok(to_json(&self.test(reader)));
        }
        if op == "history" {
            if let AnyRubric::Health(r) = self {
                let rows = input.snapshots()?;
                return Ok(to_json(&history::history(
                    r,
                    rows.as_ref(),
                    &parse_options(op, options)?,
                )));
            }
        }
        let rows = input.records()?;
        let rows = rows.as_ref();
        let value =
            match (self, op) {
                (AnyRubric::Health(r), "score") => {
                    let o: health::ScoreRequest = parse_options(op, options)?;
                    let explain = o.explain;
                    let answer = health::score(r, rows, &o)?;
                    serde_json::Value::Array(answer.iter().map(|r| r.to_json(explain)).collect())
                }
                (AnyRubric::Health(r), "backtest") => {
                    to_json(&history::backtest(r, rows, &parse_options(op, options)?)?)
                }
                (AnyRubric::Calendar(c), "business_time") => to_json(&escalation::business_time(
                    c,
                    rows,
                    &parse_options(op, options)?,
                )),
                (AnyRubric::Sla(p), "sla") => {
                    to_json(&escalation::sla(p, rows, &parse_options(op, options)?)?)
                }
                (AnyRubric::Escalation(m), "escalate") => {
                    to_json(&escalation::escalate(m, rows, &parse_options(op, options)?))
                }
                (AnyRubric::Alerts(a), "alerts") => {
                    to_json(&escalation::alerts(a, rows, &parse_options(op, options)?))
                }
                (AnyRubric::Priority(p), "prioritize") => to_json(&priority::prioritize(
                    p,
                    rows,
                    &parse_options(op, options)?,
                )?),
                (AnyRubric::Renewal(p), "renewals") => to_json(&lifecycle::renewals(
                    p,
                    rows,
                    &parse_options(op, options)?,
                    reader,
                )?),
                (AnyRubric::Kpi(k), "kpi") => {
                    to_json(&lifecycle::kpi(k, rows, &parse_options(op, options)?))
                }
                (AnyRubric::Plan(t), "plan") => to_json(&playbook::plan(
                    t,
                    rows,
                    &parse_options(op, options)?,
                    reader,
                )?),
                (AnyRubric::Triage(t), "triage") => {
                    to_json(&playbook::triage(t, rows, &parse_options(op, options)?))
                }
                (AnyRubric::Capacity(c), "capacity") => {
                    to_json(&playbook::capacity(c, rows, &parse_options(op, options)?))
                }
                (AnyRubric::Interventions(i), "interventions") => to_json(
                    &playbook::interventions(i, rows, &parse_options(op, options)?),
                ),
                _ => {
                    return Err(ApiError::Unsupported {
                        kind: self.kind().to_string(),
                        op: op.to_string(),
                        ops: self.ops().to_vec(),
                    })
                }
            };
        Ok(value)
    }

    /// [`AnyRubric::run`] with the input rows given as a JSON array of objects (each with an
    /// `id`), the way the bindings and the conformance vectors pass them; linked files an
    /// option names are read from disk.
    ///
    /// # Errors
    /// See [`AnyRubric::run`]; [`ApiError::Input`] when `rows` is not an array of objects.
    pub fn run_json(
        &self,
        op: &str,
        rows: &serde_json::Value,
        options: &serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        self.run(op, Input::Json(rows), options, &rubric::read_from_disk)
    }
}

/// The input rows of an operation, in whichever form the caller has them. Each operation
/// reads them as it needs: most require one row per id; a score `history` takes several
/// dated snapshots per id.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// No input (a plan from a template, a rubric's self-test).
    None,
    /// Rows already read (the CLI's files, the bindings' columns).
    Rows(&'a Rows),
    /// A JSON array of objects, each with an `id`.
    Json(&'a serde_json::Value),
    /// CSV text with a header row and an `id` column; `file` names it in errors.
    Csv {
        /// The name used in errors.
        file: &'a str,
        /// The CSV text.
        text: &'a str,
    },
}

impl<'a> Input<'a> {
    /// The rows, one per id (a repeated id is a failed row).
    ///
    /// # Errors
    /// [`ApiError::Input`] for input unreadable as a whole.
    pub fn records(self) -> Result<std::borrow::Cow<'a, Rows>, ApiError> {
        use std::borrow::Cow;
        Ok(match self {
            Input::None => Cow::Owned(Vec::new()),
            Input::Rows(r) => Cow::Borrowed(r),
            Input::Json(v) => Cow::Owned(rows_from_json("<input>", v)?),
            Input::Csv { file, text } => Cow::Owned(crate::input::read_csv(file, text)?),
        })
    }

    /// The rows as dated snapshots: an id may repeat (one row per account and date).
    ///
    /// # Errors
    /// [`ApiError::Input`] for input unreadable as a whole.
    pub fn snapshots(self) -> Result<std::borrow::Cow<'a, Rows>, ApiError> {
        use std::borrow::Cow;
        Ok(match self {
            Input::Json(serde_json::Value::Array(items)) => Cow::Owned(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        crate::input::record_from_json(
                            "<input>",
                            i + 1,
                            item,
                            &mut std::collections::HashSet::new(),
                        )
                    })
                    .collect(),
            ),
            Input::Csv { file, text } => {
                Cow::Owned(crate::history::read_snapshots(file, text, "csv")?)
            }
            other => other.records()?,
        })
    }
}

/// Reads input rows from a JSON value: `null` is no rows, an array of objects is read like
/// a JSON input file (each object one row with its `id`).
///
/// # Errors
/// [`ApiError::Input`] when the value is neither `null` nor an array of objects.
///
/// # Example
/// ```
/// use csrubric::api::rows_from_json;
/// let rows = rows_from_json("<input>", &serde_json::json!([{"id": "a", "x": 1}, {"x": 2}]))?;
/// assert_eq!(rows.len(), 2);
/// assert!(rows[0].is_ok() && rows[1].is_err());
/// # Ok::<(), csrubric::api::ApiError>(())
/// ```
pub fn rows_from_json(file: &str, rows: &serde_json::Value) -> Result<Rows, ApiError> {
    if rows.is_null() {
        return Ok(Vec::new());
    }
    Ok(crate::input::read_json_value(file, rows)?)
}

fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
