//! Decision tables over numeric ranges, dates, durations, enums and booleans, with exact
//! static checks.
//!
//! A decision table (`kind = "decision"`) declares typed `[[inputs]]`, named `[[outputs]]`
//! and `[[rows]]` whose cells are values, ranges with explicit open or closed ends
//! (`[1000, ..)`, `(7, 8]`), comparisons (`>= 7`), lists of those, or `any`. Its hit policy
//! says which matching rows answer: `first`, `unique`, `collect` or `priority`.
//!
//! When the table loads, the static checks run over the exact value sets (see
//! [`check`](self::Report)): overlapping rows under `unique`, rows that never answer under
//! `first` / `priority`, rows giving different outputs for exactly the same inputs, and
//! gaps, each reported with the rows at fault and a *witness*, an input that shows it.
//! Errors stop the table from loading (with file, rubric path, line and column); warnings
//! (redundant rows, gaps under `gaps = "warn"`, a check cut short) are kept in
//! [`DecisionTable::warnings`]. docs/decisions.md is the reference.
//!
//! # Example
//! ```
//! use csrubric::decision::DecisionTable;
//! use csrubric::input::Record;
//! use csrubric::rubric::Format;
//! let table = DecisionTable::from_str_with_format("segments.toml", r#"
//!     kind = "decision"
//!     id = "segments"
//!     version = "1"
//!     title = "Segments"
//!     source = "example"
//!     hit_policy = "unique"
//!     [[inputs]]
//!     name = "employees"
//!     type = "integer"
//!     domain = "[1, ..)"
//!     [[outputs]]
//!     name = "segment"
//!     [[rows]]
//!     inputs = { employees = "[1, 100)" }
//!     outputs = { segment = "Small Business" }
//!     [[rows]]
//!     inputs = { employees = "[100, 1000)" }
//!     outputs = { segment = "Mid-Market" }
//!     [[rows]]
//!     inputs = { employees = "[1000, ..)" }
//!     outputs = { segment = "Enterprise" }
//! "#, Format::Toml)?;
//! let acme = Record::new("acme").with("employees", 1000.into());
//! let d = table.decide(&acme)?;
//! assert_eq!(d.output("segment").map(|v| v.to_string()), Some("Enterprise".into()));
//! assert_eq!(d.matches[0].rule, 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same table with the seed's ranges written as closed on both ends (`[1, 100]`,
//! `[100, 1000]`) does not load: rows 1 and 2 overlap, such as `employees = 100`.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::input::{InputError, Record, Rows, Value};
use crate::rubric::{self, Format, Problem, RubricError, Stamp};

mod cell;
mod check;
mod model;

pub use cell::{Cell, InputType, OutValue};
pub use check::{Check, Finding, Report, Severity, CHECK_BUDGET};
pub use model::{
    DecisionFile, GapPolicy, HitPolicy, InputSpec, OutputSpec, RowSpec, KIND, MAX_COLUMNS,
    MAX_ROWS, MAX_VALUES,
};

use model::{Compiled, Scalar, Set};

/// Errors deciding one input row; each names the row, its id and the input at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecisionError {
    /// The input row does not give an input that has no default.
    #[error("row {row} (`{id}`): `{input}` is missing (the table gives it no default)")]
    MissingInput {
        /// The row's id.
        id: String,
        /// 1-based input row.
        row: usize,
        /// The input.
        input: String,
    },
    /// A value is not of the input's type (`abc` for a number, `2026-13-01` for a date).
    #[error("row {row} (`{id}`): `{input}`: {message}")]
    InvalidInput {
        /// The row's id.
        id: String,
        /// 1-based input row.
        row: usize,
        /// The input.
        input: String,
        /// What is wrong with the value.
        message: String,
    },
    /// A value is outside the input's declared domain.
    #[error("row {row} (`{id}`): `{input}`: {message}")]
    OutOfDomain {
        /// The row's id.
        id: String,
        /// 1-based input row.
        row: usize,
        /// The input.
        input: String,
        /// The value and the domain.
        message: String,
    },
    /// Under hit policy `unique`, several rows match (possible only when the static checks
    /// were cut short).
    #[error(
        "row {row} (`{id}`): rows {} all match under hit policy `unique`",
        join(rules)
    )]
    NotUnique {
        /// The row's id.
        id: String,
        /// 1-based input row.
        row: usize,
        /// The matching table rows, 1-based.
        rules: Vec<usize>,
    },
    /// The input reader rejected the row (no id, a repeated id).
    #[error(transparent)]
    Input(#[from] InputError),
}

fn join(rules: &[usize]) -> String {
    rules
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl DecisionError {
    /// A short stable code: `decision_missing_input`, `decision_invalid_input`,
    /// `decision_out_of_domain`, `decision_not_unique`, or the input reader's code.
    pub fn code(&self) -> &'static str {
        match self {
            DecisionError::MissingInput { .. } => "decision_missing_input",
            DecisionError::InvalidInput { .. } => "decision_invalid_input",
            DecisionError::OutOfDomain { .. } => "decision_out_of_domain",
            DecisionError::NotUnique { .. } => "decision_not_unique",
            DecisionError::Input(e) => e.code(),
        }
    }

    /// The id of the row, when it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            DecisionError::MissingInput { id, .. }
            | DecisionError::InvalidInput { id, .. }
            | DecisionError::OutOfDomain { id, .. }
            | DecisionError::NotUnique { id, .. } => Some(id),
            DecisionError::Input(_) => None,
        }
    }

    /// The 1-based input row (0 when unknown).
    pub fn row(&self) -> usize {
        match self {
            DecisionError::MissingInput { row, .. }
            | DecisionError::InvalidInput { row, .. }
            | DecisionError::OutOfDomain { row, .. }
            | DecisionError::NotUnique { row, .. } => *row,
            DecisionError::Input(e) => e.row().unwrap_or(0),
        }
    }
}

/// Output values by output name, in the table's output order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Outputs(pub Vec<(String, OutValue)>);

impl Serialize for Outputs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One table row that answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleMatch {
    /// 1-based row of the table (`rows[0]` is rule 1).
    pub rule: usize,
    /// Its outputs.
    pub outputs: Outputs,
    /// The row's tests, as `input = value in cell` (inputs it leaves `any` are left out).
    pub matched: Vec<String>,
    /// The row's note (the seed's words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The answer for one input row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The input row's id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// The table's hit policy.
    pub hit_policy: HitPolicy,
    /// The answer's outputs: the answering row's under `first`, `unique` and `priority`;
    /// `null` under `collect` (see `matches`) and when no row matches.
    pub outputs: Option<Outputs>,
    /// The rows that answer: at most one, except under `collect` (every matching row, in
    /// file order).
    pub matches: Vec<RuleMatch>,
    /// The table that decided.
    pub table: Stamp,
}

impl Decision {
    /// The value of output `name` in the answer (single-hit policies).
    pub fn output(&self, name: &str) -> Option<&OutValue> {
        self.outputs
            .as_ref()?
            .0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// Options of the `decide` operation (none yet).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {}

#[derive(Debug)]
struct Inner {
    file: DecisionFile,
    stamp: Stamp,
    table: Compiled,
    report: Report,
    warnings: Vec<Problem>,
}

/// A loaded, statically checked decision table. Cheap to clone.
#[derive(Clone, Debug)]
pub struct DecisionTable {
    inner: Arc<Inner>,
}

/// Parses and compiles a table, with every problem located (TOML: line and column).
fn parse(file: &str, text: &str, format: Format) -> Result<(DecisionFile, Compiled), RubricError> {
    let parsed: DecisionFile = rubric::load(file, text, format)?;
    let mut scratch = rubric::Problems::default();
    let compiled = model::compile(&parsed, &mut scratch);
    Ok((parsed, compiled))
}

fn located(text: &str, format: Format, f: &Finding) -> Problem {
    let (line, column) = rubric::locate(text, format, &f.path).unzip();
    Problem {
        path: f.path.clone(),
        message: f.message.clone(),
        line,
        column,
    }
}

/// Runs the static checks of a table and returns every finding, errors included, without
/// refusing the table: for editors and tests that want the witnesses as data.
///
/// # Errors
/// [`RubricError`] when the table does not parse or a cell is malformed (the checks need a
/// well-formed table).
///
/// # Example
/// ```
/// use csrubric::decision::{check_text, Check};
/// use csrubric::rubric::Format;
/// let report = check_text("nps.toml", r#"
///     kind = "decision"
///     id = "nps"
///     version = "1"
///     title = "NPS"
///     source = "example"
///     hit_policy = "unique"
///     [[inputs]]
///     name = "nps"
///     type = "integer"
///     domain = "[0, 10]"
///     [[outputs]]
///     name = "group"
///     [[rows]]
///     inputs = { nps = "[0, 6]" }
///     outputs = { group = "detractor" }
///     [[rows]]
///     inputs = { nps = "[9, 10]" }
///     outputs = { group = "promoter" }
/// "#, Format::Toml)?;
/// let gap = &report.findings[0];
/// assert_eq!(gap.check, Check::Gap);
/// assert_eq!(gap.message, "no row matches nps in [7, 8], such as nps = 7 (add rows for them, or set `gaps = \"warn\"`)");
/// assert_eq!(gap.witness.as_ref().unwrap()["nps"], "7");
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn check_text(file: &str, text: &str, format: Format) -> Result<Report, RubricError> {
    let (parsed, compiled) = parse(file, text, format)?;
    Ok(check::analyze(&compiled, parsed.gaps))
}

impl DecisionTable {
    /// Loads a table file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path (`rows[3].inputs.employees`), the
    /// line and column (TOML), and, for the static checks' errors, the rows at fault and a
    /// witness input.
    pub fn from_path(path: &Path) -> Result<DecisionTable, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads a table from text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`DecisionTable::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::decision::DecisionTable;
    /// use csrubric::rubric::Format;
    /// let err = DecisionTable::from_str_with_format("t.toml", r#"kind = "decision"
    /// id = "t"
    /// version = "1"
    /// title = "T"
    /// source = "example"
    /// hit_policy = "first"
    /// [[inputs]]
    /// name = "usage_drop"
    /// type = "number"
    /// [[outputs]]
    /// name = "alert"
    /// [[rows]]
    /// inputs = { usage_drop = ">= 20" }
    /// outputs = { alert = "Usage Drop" }
    /// [[rows]]
    /// inputs = { usage_drop = "[25, ..)" }
    /// outputs = { alert = "Severe drop" }
    /// [[rows]]
    /// inputs = { usage_drop = "< 20" }
    /// outputs = { alert = "none" }
    /// "#, Format::Toml).unwrap_err();
    /// assert_eq!(err.to_string(), "t.toml:15:1: invalid rubric: rows[1]: row 2 never answers under hit policy `first`: every input it matches is taken by earlier row(s) 1 (at usage_drop = 25, row 1 answers)");
    /// ```
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<DecisionTable, RubricError> {
        let (parsed, compiled) = parse(file, text, format)?;
        let report = check::analyze(&compiled, parsed.gaps);
        let errors: Vec<Problem> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| located(text, format, f))
            .collect();
        if !errors.is_empty() {
            return Err(RubricError::Invalid {
                file: file.to_string(),
                problems: errors,
            });
        }
        let warnings = report
            .findings
            .iter()
            .map(|f| located(text, format, f))
            .collect();
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        Ok(DecisionTable {
            inner: Arc::new(Inner {
                file: parsed,
                stamp,
                table: compiled,
                report,
                warnings,
            }),
        })
    }

    /// The table's id, version and content hash.
    pub fn stamp(&self) -> &Stamp {
        &self.inner.stamp
    }

    /// The table file as written.
    pub fn spec(&self) -> &DecisionFile {
        &self.inner.file
    }

    /// What the static checks found (only warnings: a table with errors does not load),
    /// with whether they ran to the end.
    pub fn report(&self) -> &Report {
        &self.inner.report
    }

    /// The warnings of the static checks, each at its rubric path (TOML: line and column).
    pub fn warnings(&self) -> &[Problem] {
        &self.inner.warnings
    }

    /// Decides one input row.
    ///
    /// # Errors
    /// [`DecisionError`] naming the row and the input: a missing input without a default, a
    /// value of the wrong type or outside the domain; under `unique`, several matching rows.
    pub fn decide(&self, record: &Record) -> Result<Decision, DecisionError> {
        let t = &self.inner.table;
        let values = self.read(record)?;
        let matching = t.matching(&values);
        let chosen: Vec<usize> = match t.policy {
            HitPolicy::Collect => matching,
            HitPolicy::Unique if matching.len() > 1 => {
                return Err(DecisionError::NotUnique {
                    id: record.id.clone(),
                    row: record.row,
                    rules: matching.iter().map(|r| r + 1).collect(),
                })
            }
            _ => t.winner(&matching).into_iter().collect(),
        };
        let matches: Vec<RuleMatch> = chosen
            .iter()
            .map(|r| self.rule_match(*r, &values))
            .collect();
        let outputs = match t.policy {
            HitPolicy::Collect => None,
            _ => matches.first().map(|m| m.outputs.clone()),
        };
        Ok(Decision {
            id: record.id.clone(),
            row: record.row,
            hit_policy: t.policy,
            outputs,
            matches,
            table: self.inner.stamp.clone(),
        })
    }

    /// Decides every input row, in order: each row's answer or its error (a row the input
    /// reader rejected stays in its place as [`DecisionError::Input`]).
    pub fn decide_rows(&self, rows: &Rows) -> Vec<Result<Decision, DecisionError>> {
        rows.iter()
            .map(|row| match row {
                Ok(r) => self.decide(r),
                Err(e) => Err(DecisionError::Input(e.clone())),
            })
            .collect()
    }

    fn read(&self, record: &Record) -> Result<Vec<Scalar>, DecisionError> {
        let t = &self.inner.table;
        t.dims
            .iter()
            .map(|d| {
                let invalid = |message: String| DecisionError::InvalidInput {
                    id: record.id.clone(),
                    row: record.row,
                    input: d.name.clone(),
                    message,
                };
                let cell = match record.values.get(&d.name) {
                    None => {
                        return d.default.ok_or_else(|| DecisionError::MissingInput {
                            id: record.id.clone(),
                            row: record.row,
                            input: d.name.clone(),
                        })
                    }
                    Some(Value::Number(n)) => Cell::Number((*n).into()),
                    Some(Value::Text(s)) => Cell::Text(s.clone()),
                    Some(Value::Bool(b)) => Cell::Bool(*b),
                    Some(Value::Json(j)) => {
                        return Err(invalid(format!(
                            "`{}` is not a single value",
                            crate::decimal::excerpt(&j.to_string())
                        )))
                    }
                };
                let v = d.parse_raw(&cell).map_err(invalid)?;
                d.check_domain(v)
                    .map_err(|message| DecisionError::OutOfDomain {
                        id: record.id.clone(),
                        row: record.row,
                        input: d.name.clone(),
                        message,
                    })
            })
            .collect()
    }

    fn rule_match(&self, r: usize, values: &[Scalar]) -> RuleMatch {
        let t = &self.inner.table;
        let rule = t.rules.get(r);
        let spec = self.inner.file.rows.get(r);
        let matched = rule
            .map(|rule| {
                t.dims
                    .iter()
                    .zip(&rule.sets)
                    .zip(values)
                    .filter(|((_, s), _)| !matches!(s, Set::Any))
                    .map(|((d, s), v)| format!("{} = {} in {}", d.name, d.show(*v), d.show_set(s)))
                    .collect()
            })
            .unwrap_or_default();
        RuleMatch {
            rule: r + 1,
            outputs: Outputs(
                t.out_names
                    .iter()
                    .cloned()
                    .zip(rule.map(|x| x.outputs.clone()).unwrap_or_default())
                    .collect(),
            ),
            matched,
            note: spec.and_then(|s| s.note.clone()),
        }
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
