//! Escalation matrices: ordered levels with criteria as data, an explicit hit policy and
//! static checks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Target;
use crate::calendar::{Calendar, CalendarError};
use crate::rubric::{self, Format, Problem, Problems, RubricError, Stamp, Validate};

/// The `kind` every escalation matrix file declares.
pub const MATRIX_KIND: &str = "escalation";

/// Input combinations beyond which the static checks are skipped (with a warning).
const MAX_COMBINATIONS: u64 = 200_000;

/// How many rows may match, as in DMN decision tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitPolicy {
    /// The first matching row, in file order, wins; a row every input of which is taken by
    /// earlier rows is unreachable, and that is an error.
    First,
    /// Every matching row, in file order.
    Collect,
}

/// What an input combination that matches no row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum GapPolicy {
    /// A gap is an error: the matrix does not load.
    #[default]
    Error,
    /// A gap is a warning ([`EscalationMatrix::warnings`]); such inputs get no level.
    Warn,
}

/// An escalation matrix file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixFile {
    /// Always `"escalation"`.
    pub kind: String,
    /// Stable identifier.
    pub id: String,
    /// Version of the rules.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the matrix encodes.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// `first` or `collect`.
    pub hit_policy: HitPolicy,
    /// Whether inputs matching no row are an `error` (default) or a `warn`ing.
    #[serde(default)]
    pub gaps: GapPolicy,
    /// Calendar file (relative to this file) on which `within` times run; wall-clock
    /// time when absent.
    #[serde(default)]
    pub calendar: Option<String>,
    /// The inputs criteria may test, each with its finite set of values.
    pub inputs: Vec<InputSpec>,
    /// The levels, in evaluation order.
    pub levels: Vec<LevelSpec>,
}

/// One input of a matrix.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// The field name on a case (`priority`, `breached`, `segment`...).
    pub name: String,
    /// Its possible values (omit for a boolean).
    #[serde(default)]
    pub values: Vec<String>,
    /// A yes/no input (values `true`, `false`; absent means `false`).
    #[serde(default)]
    pub boolean: bool,
    /// The value assumed when a case does not give one (booleans: `false`); without a
    /// default, a case must give the input.
    #[serde(default)]
    pub default: Option<String>,
    /// What it means, for readers.
    #[serde(default)]
    pub description: Option<String>,
}

/// A criterion value: one value or a list (any of them).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Condition {
    /// `true` / `false`.
    Bool(bool),
    /// One value.
    One(String),
    /// Any of these values.
    Any(Vec<Scalar>),
}

/// One value in a criterion list.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Scalar {
    /// `true` / `false`.
    Bool(bool),
    /// Text.
    Text(String),
}

impl Condition {
    fn values(&self) -> Vec<String> {
        match self {
            Condition::Bool(b) => vec![b.to_string()],
            Condition::One(s) => vec![s.clone()],
            Condition::Any(list) => list
                .iter()
                .map(|s| match s {
                    Scalar::Bool(b) => b.to_string(),
                    Scalar::Text(t) => t.clone(),
                })
                .collect(),
        }
    }
}

/// One level (row) of a matrix.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// The level's name (`Level 2`, `Management`).
    pub level: String,
    /// Who owns the case at this level (a role).
    pub owner: String,
    /// Response time: `per_sla`, or a target (`2h`, `1bd`); absent when the seed gives none.
    #[serde(default)]
    pub within: Option<String>,
    /// Criteria: input name -> value or list of values; all must hold. Empty: every case.
    #[serde(default)]
    pub when: BTreeMap<String, Condition>,
    /// The seed's criteria text, for readers and results.
    #[serde(default)]
    pub criteria: Option<String>,
    /// How the customer is kept informed.
    #[serde(default)]
    pub communication: Option<String>,
    /// The resolution approach.
    #[serde(default)]
    pub approach: Option<String>,
}

/// A parsed `within`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Within {
    /// The case's SLA response deadline.
    PerSla,
    /// A response time from when the case reached the level.
    Time(Target),
}

fn parse_within(s: &str) -> Result<Within, String> {
    if s.trim() == "per_sla" {
        Ok(Within::PerSla)
    } else {
        Target::parse(s).map(Within::Time)
    }
}

/// A warning found when loading a matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixWarning {
    /// Rubric path (`levels[3]`, or `.`).
    pub path: String,
    /// What was found.
    pub message: String,
}

#[derive(Debug)]
struct Row {
    conds: Vec<(usize, BTreeSet<String>)>,
    within: Option<Within>,
}

#[derive(Debug)]
struct Compiled {
    file: MatrixFile,
    stamp: Stamp,
    domains: Vec<(String, Vec<String>, Option<String>)>,
    rows: Vec<Row>,
    calendar: Option<Calendar>,
    warnings: Vec<MatrixWarning>,
}

/// A loaded, statically checked escalation matrix. Cheap to clone.
#[derive(Clone, Debug)]
pub struct EscalationMatrix {
    inner: Arc<Compiled>,
}

/// The level a case is at (one matching row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LevelMatch {
    /// 1-based row in the matrix.
    pub row: usize,
    /// The level's name.
    pub level: String,
    /// Who owns the case.
    pub owner: String,
    /// The response time as written (`per_sla`, `2h`).
    pub within: Option<String>,
    /// When the level's response is due, when it has a response time.
    pub deadline: Option<DateTime<Utc>>,
    /// The criteria that matched, as `input = value` (empty for a catch-all row).
    pub matched: Vec<String>,
    /// The seed's criteria text.
    pub criteria: Option<String>,
    /// How the customer is kept informed.
    pub communication: Option<String>,
}

/// The rows a case matches under the matrix's hit policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixResult {
    /// The hit policy used.
    pub hit_policy: HitPolicy,
    /// The matching rows, in file order (at most one under `first`).
    pub matches: Vec<LevelMatch>,
    /// The matrix's id, version and hash.
    pub matrix: Stamp,
}

impl MatrixResult {
    /// The level the case is at: the first match.
    pub fn level(&self) -> Option<&LevelMatch> {
        self.matches.first()
    }
}

fn domains(file: &MatrixFile) -> Vec<(String, Vec<String>, Option<String>)> {
    file.inputs
        .iter()
        .map(|i| {
            if i.boolean {
                (
                    i.name.clone(),
                    vec!["false".to_string(), "true".to_string()],
                    Some(i.default.clone().unwrap_or_else(|| "false".into())),
                )
            } else {
                (i.name.clone(), i.values.clone(), i.default.clone())
            }
        })
        .collect()
}

fn compile_rows(file: &MatrixFile, p: &mut Problems) -> Vec<Row> {
    let doms = domains(file);
    let mut rows = Vec::new();
    for (r, level) in file.levels.iter().enumerate() {
        let mut conds = Vec::new();
        for (name, cond) in &level.when {
            let path = format!("levels[{r}].when.{name}");
            let Some(idx) = doms.iter().position(|d| &d.0 == name) else {
                p.push(
                    path,
                    format!("`{name}` is not a declared input (add it to `[[inputs]]`)"),
                );
                continue;
            };
            let allowed: BTreeSet<String> = cond.values().into_iter().collect();
            if allowed.is_empty() {
                p.push(path.clone(), "list at least one value");
            }
            if let Some((_, dom, _)) = doms.get(idx) {
                for v in &allowed {
                    if !dom.contains(v) {
                        p.push(
                            path.clone(),
                            format!("`{v}` is not a value of `{name}` ({})", dom.join(", ")),
                        );
                    }
                }
            }
            conds.push((idx, allowed));
        }
        let within = match level.within.as_deref().map(parse_within) {
            Some(Ok(w)) => Some(w),
            Some(Err(e)) => {
                p.push(format!("levels[{r}].within"), e);
                None
            }
            None => None,
        };
        rows.push(Row { conds, within });
    }
    rows
}

fn row_matches(row: &Row, combo: &[usize], doms: &[(String, Vec<String>, Option<String>)]) -> bool {
    row.conds.iter().all(|(i, allowed)| {
        let value = combo
            .get(*i)
            .and_then(|v| doms.get(*i).and_then(|d| d.1.get(*v)));
        value.is_some_and(|v| allowed.contains(v))
    })
}

/// Unreachable rows (errors) and gaps (messages), by enumerating every input combination.
fn analyze(
    file: &MatrixFile,
    rows: &[Row],
) -> (Vec<(String, String)>, Vec<String>, Option<String>) {
    let doms = domains(file);
    let total = doms
        .iter()
        .try_fold(1u64, |acc, d| acc.checked_mul(d.1.len() as u64))
        .unwrap_or(u64::MAX);
    if total > MAX_COMBINATIONS {
        return (
            Vec::new(),
            Vec::new(),
            Some(format!(
                "{total} input combinations: gaps and unreachable rows were not checked (limit {MAX_COMBINATIONS})"
            )),
        );
    }
    if doms.iter().any(|d| d.1.is_empty()) {
        return (Vec::new(), Vec::new(), None);
    }
    let mut reachable = vec![false; rows.len()];
    let mut matched_any = vec![false; rows.len()];
    let mut shadowed_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); rows.len()];
    let mut gaps = Vec::new();
    let mut gap_count = 0u64;
    let mut combo = vec![0usize; doms.len()];
    for _ in 0..total {
        let hits: Vec<usize> = (0..rows.len())
            .filter(|r| {
                rows.get(*r)
                    .is_some_and(|row| row_matches(row, &combo, &doms))
            })
            .collect();
        if let Some(first) = hits.first() {
            if let Some(x) = reachable.get_mut(*first) {
                *x = true;
            }
            for h in hits.iter().skip(1) {
                if let Some(s) = shadowed_by.get_mut(*h) {
                    s.insert(*first);
                }
            }
        } else {
            gap_count += 1;
            if gaps.len() < 5 {
                let desc: Vec<String> = doms
                    .iter()
                    .zip(&combo)
                    .map(|(d, v)| format!("{} = {}", d.0, d.1.get(*v).map_or("?", String::as_str)))
                    .collect();
                gaps.push(desc.join(", "));
            }
        }
        for h in &hits {
            if let Some(x) = matched_any.get_mut(*h) {
                *x = true;
            }
        }
        // Next combination (odometer).
        for (i, c) in combo.iter_mut().enumerate() {
            let len = doms.get(i).map_or(1, |d| d.1.len());
            *c += 1;
            if *c < len {
                break;
            }
            *c = 0;
        }
    }
    let mut errors = Vec::new();
    for (r, row_reached) in reachable.iter().enumerate() {
        let never = !matched_any.get(r).copied().unwrap_or(false);
        if never {
            errors.push((
                format!("levels[{r}]"),
                format!(
                    "row {} matches no input: its criteria contradict each other",
                    r + 1
                ),
            ));
        } else if file.hit_policy == HitPolicy::First && !row_reached {
            let by: Vec<String> = shadowed_by
                .get(r)
                .map(|s| s.iter().map(|i| (i + 1).to_string()).collect())
                .unwrap_or_default();
            errors.push((
                format!("levels[{r}]"),
                format!(
                    "row {} is unreachable under hit policy `first`: every input it matches is matched earlier by row(s) {}",
                    r + 1,
                    by.join(", ")
                ),
            ));
        }
    }
    let gap_messages = if gap_count > 0 {
        vec![format!(
            "{gap_count} input combination(s) match no row, such as: {}",
            gaps.join("; ")
        )]
    } else {
        Vec::new()
    };
    (errors, gap_messages, None)
}

impl Validate for MatrixFile {
    fn validate(&self, p: &mut Problems) {
        crate::rubric::validate_header(
            MATRIX_KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        let mut names = BTreeSet::new();
        for (i, input) in self.inputs.iter().enumerate() {
            if !names.insert(input.name.as_str()) {
                p.push(
                    format!("inputs[{i}].name"),
                    format!("`{}` is declared twice", input.name),
                );
            }
            if input.boolean && !input.values.is_empty() {
                p.push(
                    format!("inputs[{i}].values"),
                    "a boolean input takes no `values`",
                );
            }
            if !input.boolean && input.values.is_empty() {
                p.push(
                    format!("inputs[{i}].values"),
                    "list the input's values (or set `boolean = true`)",
                );
            }
            if let Some(d) = &input.default {
                let ok = if input.boolean {
                    d == "true" || d == "false"
                } else {
                    input.values.contains(d)
                };
                if !ok {
                    p.push(
                        format!("inputs[{i}].default"),
                        format!("`{d}` is not one of the input's values"),
                    );
                }
            }
        }
        if self.levels.is_empty() {
            p.push("levels", "list at least one level");
        }
        for (r, l) in self.levels.iter().enumerate() {
            if l.level.trim().is_empty() {
                p.push(format!("levels[{r}].level"), "must not be empty");
            }
            if l.owner.trim().is_empty() {
                p.push(format!("levels[{r}].owner"), "must not be empty");
            }
        }
        let before = p.len();
        let rows = compile_rows(self, p);
        if p.len() > before {
            return;
        }
        let (errors, gaps, _) = analyze(self, &rows);
        for (path, message) in errors {
            p.push(path, message);
        }
        if self.gaps == GapPolicy::Error {
            for g in gaps {
                p.push(
                    "levels",
                    format!("{g} (add a catch-all row, or set `gaps = \"warn\"`)"),
                );
            }
        }
    }
}

impl EscalationMatrix {
    /// Loads a matrix file (`.toml` or `.json`); a `calendar` is resolved next to it.
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the row (`levels[3]`) and the problem, including
    /// unreachable rows and (with `gaps = "error"`) gaps.
    ///
    /// # Example
    /// ```
    /// use csrubric::escalation::EscalationMatrix;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-risk.toml");
    /// let m = EscalationMatrix::from_path(path.as_ref())?;
    /// assert!(m.warnings().is_empty());
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<EscalationMatrix, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format, path.parent())
    }

    /// Loads a matrix from TOML text; `file` names it in errors; a `calendar` path is
    /// resolved against `base` (the current directory when `None`).
    ///
    /// # Errors
    /// See [`EscalationMatrix::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::escalation::EscalationMatrix;
    /// let err = EscalationMatrix::from_toml_str("m.toml", r#"
    ///     kind = "escalation"
    ///     id = "m"
    ///     version = "1"
    ///     title = "M"
    ///     source = "example"
    ///     hit_policy = "first"
    ///     [[inputs]]
    ///     name = "breached"
    ///     boolean = true
    ///     [[levels]]
    ///     level = "L1"
    ///     owner = "Engineer"
    ///     [[levels]]
    ///     level = "Management"
    ///     owner = "Manager"
    ///     when = { breached = true }
    /// "#, None).unwrap_err();
    /// assert!(err.to_string().contains("levels[1]: row 2 is unreachable"), "{err}");
    /// ```
    pub fn from_toml_str(
        file: &str,
        text: &str,
        base: Option<&Path>,
    ) -> Result<EscalationMatrix, RubricError> {
        Self::from_str_with_format(file, text, Format::Toml, base)
    }

    /// Loads a matrix from text in the given format.
    ///
    /// # Errors
    /// See [`EscalationMatrix::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
    ) -> Result<EscalationMatrix, RubricError> {
        let parsed: MatrixFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        let calendar = match &parsed.calendar {
            Some(c) => Some(load_calendar(file, base, c, "calendar")?),
            None => None,
        };
        let mut scratch = Problems::default();
        let rows = compile_rows(&parsed, &mut scratch);
        let (_, gaps, skipped) = analyze(&parsed, &rows);
        let mut warnings: Vec<MatrixWarning> = gaps
            .into_iter()
            .map(|message| MatrixWarning {
                path: "levels".into(),
                message,
            })
            .collect();
        if let Some(message) = skipped {
            warnings.push(MatrixWarning {
                path: "inputs".into(),
                message,
            });
        }
        Ok(EscalationMatrix {
            inner: Arc::new(Compiled {
                domains: domains(&parsed),
                file: parsed,
                stamp,
                rows,
                calendar,
                warnings,
            }),
        })
    }

    /// The matrix's id, version and content hash.
    pub fn stamp(&self) -> &Stamp {
        &self.inner.stamp
    }

    /// The matrix file as written.
    pub fn spec(&self) -> &MatrixFile {
        &self.inner.file
    }

    /// Gaps found at load time under `gaps = "warn"` (and skipped checks).
    pub fn warnings(&self) -> &[MatrixWarning] {
        &self.inner.warnings
    }

    /// The names of the matrix's inputs.
    pub fn input_names(&self) -> Vec<&str> {
        self.inner.domains.iter().map(|d| d.0.as_str()).collect()
    }

    /// Evaluates a case: `facts` maps input names to values (booleans as `true`/`false`);
    /// `since` is when the case reached its current state (the start of a level's response
    /// time); `sla_due` is the case's SLA deadline, for `per_sla` levels.
    ///
    /// # Errors
    /// A message (`input`, text) when a fact is outside its input's values or a required
    /// input is missing; [`CalendarError`] text when a deadline cannot be computed.
    ///
    /// # Example
    /// ```
    /// use std::collections::BTreeMap;
    /// use csrubric::escalation::EscalationMatrix;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-risk.toml");
    /// let m = EscalationMatrix::from_path(path.as_ref())?;
    /// let facts = BTreeMap::from([("risk_level".to_string(), "critical".to_string())]);
    /// let r = m.evaluate(&facts, "2026-11-23T10:00:00Z".parse()?, None).unwrap();
    /// let level = r.level().unwrap();
    /// assert_eq!((level.level.as_str(), level.owner.as_str()), ("Level 4", "VP Customer Success"));
    /// assert_eq!(level.deadline.unwrap().to_rfc3339(), "2026-11-23T22:00:00+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(
        &self,
        facts: &BTreeMap<String, String>,
        since: DateTime<Utc>,
        sla_due: Option<DateTime<Utc>>,
    ) -> Result<MatrixResult, (String, String)> {
        let c = &self.inner;
        let mut combo = Vec::with_capacity(c.domains.len());
        for (name, dom, default) in &c.domains {
            let given = facts.get(name).map(|v| normalize(v, dom));
            let value = match (given, default) {
                (Some(v), _) => v,
                (None, Some(d)) => d.clone(),
                (None, None) => {
                    // Only an error when some row tests this input.
                    if c.rows.iter().any(|r| {
                        r.conds
                            .iter()
                            .any(|(i, _)| c.domains.get(*i).is_some_and(|d| &d.0 == name))
                    }) {
                        return Err((name.clone(), format!("missing; one of: {}", dom.join(", "))));
                    }
                    combo.push(usize::MAX);
                    continue;
                }
            };
            match dom.iter().position(|d| *d == value) {
                Some(i) => combo.push(i),
                None => {
                    return Err((
                        name.clone(),
                        format!("`{value}` is not one of: {}", dom.join(", ")),
                    ))
                }
            }
        }
        let mut matches = Vec::new();
        for (r, (row, spec)) in c.rows.iter().zip(&c.file.levels).enumerate() {
            if !row_matches(row, &combo, &c.domains) {
                continue;
            }
            let deadline = match row.within {
                Some(Within::PerSla) => sla_due,
                Some(Within::Time(t)) => Some(
                    self.deadline(since, t)
                        .map_err(|e| ("within".to_string(), e.to_string()))?,
                ),
                None => None,
            };
            let matched = row
                .conds
                .iter()
                .filter_map(|(i, _)| {
                    let d = c.domains.get(*i)?;
                    let v = d.1.get(*combo.get(*i)?)?;
                    Some(format!("{} = {}", d.0, v))
                })
                .collect();
            matches.push(LevelMatch {
                row: r + 1,
                level: spec.level.clone(),
                owner: spec.owner.clone(),
                within: spec.within.clone(),
                deadline,
                matched,
                criteria: spec.criteria.clone(),
                communication: spec.communication.clone(),
            });
            if c.file.hit_policy == HitPolicy::First {
                break;
            }
        }
        Ok(MatrixResult {
            hit_policy: c.file.hit_policy,
            matches,
            matrix: c.stamp.clone(),
        })
    }

    fn deadline(&self, since: DateTime<Utc>, t: Target) -> Result<DateTime<Utc>, CalendarError> {
        match (&self.inner.calendar, t) {
            (Some(cal), Target::OpenTime(d)) => cal.add_working_time(since, d),
            (Some(cal), Target::BusinessDays(n)) => cal.add_business_days(since, n),
            // Checked: a Rust caller may pass any instant (`DateTime + TimeDelta` panics).
            (None, t) => {
                let d = match t {
                    Target::OpenTime(d) => d,
                    Target::BusinessDays(n) => chrono::TimeDelta::days(n),
                };
                since
                    .checked_add_signed(d)
                    .ok_or_else(|| CalendarError::OutOfRange {
                        calendar: "(none)".into(),
                        message: format!("{since} plus the target is beyond the date range"),
                    })
            }
        }
    }
}

/// Booleans and case: `TRUE`, `yes`, `1` read as `true` for boolean inputs.
fn normalize(v: &str, dom: &[String]) -> String {
    let t = v.trim();
    if dom.len() == 2 && dom.iter().any(|d| d == "true") && dom.iter().any(|d| d == "false") {
        match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => return "true".into(),
            "false" | "no" | "0" | "" => return "false".into(),
            _ => {}
        }
    }
    t.to_string()
}

/// Loads a calendar named by a rubric, relative to `base`.
pub(crate) fn load_calendar(
    file: &str,
    base: Option<&Path>,
    rel: &str,
    path: &str,
) -> Result<Calendar, RubricError> {
    let full = match base {
        Some(b) => b.join(rel),
        None => Path::new(rel).to_path_buf(),
    };
    Calendar::from_path(&full).map_err(|e| RubricError::Invalid {
        file: file.to_string(),
        problems: vec![Problem {
            path: path.to_string(),
            message: format!("cannot load calendar `{rel}`: {e}"),
            line: None,
            column: None,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(body: &str) -> Result<EscalationMatrix, RubricError> {
        let text = format!(
            "kind = \"escalation\"\nid = \"m\"\nversion = \"1\"\ntitle = \"M\"\nsource = \"test\"\n{body}"
        );
        EscalationMatrix::from_toml_str("m.toml", &text, None)
    }

    const INPUTS: &str = "[[inputs]]\nname = \"priority\"\nvalues = [\"P1\", \"P2\"]\n[[inputs]]\nname = \"strategic\"\nboolean = true\n";

    #[test]
    fn gaps_are_errors_with_examples_or_warnings() {
        let body = format!("hit_policy = \"first\"\n{INPUTS}[[levels]]\nlevel = \"Exec\"\nowner = \"VP\"\nwhen = {{ priority = \"P1\", strategic = true }}\n");
        let err = matrix(&body).unwrap_err().to_string();
        assert!(err.contains("3 input combination(s) match no row"), "{err}");
        assert!(err.contains("priority = P2, strategic = false"), "{err}");
        let m = matrix(&format!("gaps = \"warn\"\n{body}")).unwrap();
        assert_eq!(m.warnings().len(), 1);
        // A gap input gets no level.
        let facts = BTreeMap::from([("priority".to_string(), "P2".to_string())]);
        let r = m.evaluate(&facts, Utc::now(), None).unwrap();
        assert!(r.matches.is_empty());
    }

    #[test]
    fn collect_returns_every_match_in_order_and_unknown_values_error() {
        let body = format!("hit_policy = \"collect\"\n{INPUTS}[[levels]]\nlevel = \"L1\"\nowner = \"Eng\"\nwithin = \"2h\"\n[[levels]]\nlevel = \"Exec\"\nowner = \"VP\"\nwhen = {{ priority = [\"P1\"], strategic = true }}\n");
        let m = matrix(&body).unwrap();
        let facts = BTreeMap::from([
            ("priority".to_string(), "P1".to_string()),
            ("strategic".to_string(), "yes".to_string()),
        ]);
        let since: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let r = m.evaluate(&facts, since, None).unwrap();
        assert_eq!(r.matches.len(), 2);
        assert_eq!(
            r.matches[0].deadline,
            Some("2026-11-23T12:00:00Z".parse().unwrap())
        );
        assert_eq!(
            r.matches[1].matched,
            vec!["priority = P1", "strategic = true"]
        );
        let bad = BTreeMap::from([("priority".to_string(), "P9".to_string())]);
        assert_eq!(m.evaluate(&bad, since, None).unwrap_err().0, "priority");
    }

    #[test]
    fn undeclared_inputs_and_values_name_the_row() {
        let body = format!("hit_policy = \"first\"\n{INPUTS}[[levels]]\nlevel = \"L\"\nowner = \"O\"\nwhen = {{ tier = \"gold\", priority = \"P7\" }}\n");
        let err = matrix(&body).unwrap_err().to_string();
        assert!(
            err.contains("levels[0].when.tier: `tier` is not a declared input"),
            "{err}"
        );
        assert!(
            err.contains("levels[0].when.priority: `P7` is not a value of `priority`"),
            "{err}"
        );
    }
}
