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
use crate::script::{Hook, LimitsSpec, Script, ScriptEngine, ScriptRef, ScriptTrace};

/// The `kind` every escalation matrix file declares.
pub const MATRIX_KIND: &str = "escalation";

/// Input combinations beyond which the static checks are skipped (with a warning).
use crate::limits::MATRIX_COMBINATIONS as MAX_COMBINATIONS;

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
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
    /// Settings for the rows' script criteria: `params`, tightened limits, and the case
    /// fields scripts read besides the inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scripts: Option<MatrixScriptsSpec>,
}

/// A matrix's `[scripts]` table.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MatrixScriptsSpec {
    /// Tightened sandbox limits.
    #[serde(default)]
    pub limits: LimitsSpec,
    /// Values every script sees as `params` (numbers are decimals).
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Case fields that scripts read besides the declared inputs (numbers such as
    /// `days_open`): they reach a script's `facts` map (numbers as decimals, other text as
    /// strings, `()` when the case does not give them). Any value is allowed; they are not
    /// part of the static checks.
    #[serde(default)]
    pub fields: Vec<String>,
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
    /// A script criterion next to (or instead of) `when`: the row matches when its
    /// conditions hold and the script returns `true`. The script sees `id` (the case),
    /// `facts` (map: every input, booleans as `true`/`false`, and each `[scripts] fields`
    /// entry), `level` (this row's level) and `params`. (`case` is a Rhai keyword.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<ScriptRef>,
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
    /// The row has a script criterion: it may or may not hold for a given input.
    scripted: bool,
}

#[derive(Debug)]
struct Compiled {
    file: MatrixFile,
    stamp: Stamp,
    domains: Vec<(String, Vec<String>, Option<String>)>,
    rows: Vec<Row>,
    /// Each row's compiled script criterion.
    scripts: Vec<Option<Script>>,
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
    /// For a row with a script criterion: what the script returned (`true`) and printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<ScriptTrace>,
}

/// A row's script criterion as evaluated for a case (whether it held or not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScriptCheck {
    /// 1-based row in the matrix.
    pub row: usize,
    /// The row's level.
    pub level: String,
    /// Whether the script returned `true` (the row matched).
    pub holds: bool,
    /// What the script returned and printed.
    pub script: ScriptTrace,
}

/// The rows a case matches under the matrix's hit policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixResult {
    /// The hit policy used.
    pub hit_policy: HitPolicy,
    /// The matching rows, in file order (at most one under `first`).
    pub matches: Vec<LevelMatch>,
    /// Every script criterion evaluated for this case, in row order, with what it
    /// returned: the decision's explanation when a scripted row did not hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<ScriptCheck>,
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
        rows.push(Row {
            conds,
            within,
            scripted: level.script.is_some(),
        });
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
        // A row with a script criterion may not hold: it is tried (reachable) wherever it
        // comes before the first row with column criteria only, which certainly holds.
        let certain = hits
            .iter()
            .position(|h| rows.get(*h).is_some_and(|r| !r.scripted));
        for h in hits.iter().take(certain.map_or(hits.len(), |c| c + 1)) {
            if let Some(x) = reachable.get_mut(*h) {
                *x = true;
            }
        }
        if let Some(first) = certain.and_then(|c| hits.get(c)) {
            for h in hits.iter().skip_while(|h| *h != first).skip(1) {
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
    let scripted = if rows.iter().any(|r| r.scripted) {
        " (or only rows with a script criterion, which may not hold)"
    } else {
        ""
    };
    let gap_messages = if gap_count > 0 {
        vec![format!(
            "{gap_count} input combination(s) match no row{scripted}, such as: {}",
            gaps.join("; ")
        )]
    } else {
        Vec::new()
    };
    (errors, gap_messages, None)
}

impl Validate for MatrixFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
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
            if let Some(s) = &l.script {
                s.validate(&format!("levels[{r}].script"), p);
            }
        }
        if let Some(s) = &self.scripts {
            s.limits.validate("scripts.limits", p);
            let mut seen = BTreeSet::new();
            for (i, f) in s.fields.iter().enumerate() {
                if f.trim().is_empty() || !seen.insert(f.as_str()) {
                    p.push(
                        format!("scripts.fields[{i}]"),
                        format!("field `{f}` must be non-empty and listed once"),
                    );
                } else if names.contains(f.as_str()) {
                    p.push(
                        format!("scripts.fields[{i}]"),
                        format!("`{f}` is a declared input: scripts see it already"),
                    );
                }
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
        Self::from_str_with_reader(file, text, format, base, &crate::script::read_from_disk)
    }

    /// Loads a matrix from text, reading the script files its rows name through `reader`.
    /// Script files are relative to `base`, or else to `file`'s folder; each script is
    /// compiled here, once.
    ///
    /// # Errors
    /// See [`EscalationMatrix::from_path`]; a script that does not compile is a problem at
    /// its row (`levels[3].script`) naming the script file, line and column.
    ///
    /// # Example
    /// ```
    /// use std::collections::BTreeMap;
    /// use csrubric::escalation::EscalationMatrix;
    /// use csrubric::rubric::Format;
    /// let m = EscalationMatrix::from_str_with_reader("m.toml", r#"
    ///     kind = "escalation"
    ///     id = "m"
    ///     version = "1"
    ///     title = "M"
    ///     source = "example"
    ///     hit_policy = "first"
    ///     scripts = { fields = ["days_open"] }
    ///     [[inputs]]
    ///     name = "strategic"
    ///     boolean = true
    ///     [[levels]]
    ///     level = "Management"
    ///     owner = "Manager"
    ///     script = { source = "facts.strategic && facts.days_open != () && facts.days_open > 30" }
    ///     [[levels]]
    ///     level = "L1"
    ///     owner = "Engineer"
    /// "#, Format::Toml, None, &csrubric::script::read_from_disk)?;
    /// let facts = BTreeMap::from([
    ///     ("strategic".to_string(), "true".to_string()),
    ///     ("days_open".to_string(), "45".to_string()),
    /// ]);
    /// let r = m.evaluate_case("c-1", &facts, "2026-11-23T10:00:00Z".parse()?, None).unwrap();
    /// assert_eq!(r.level().unwrap().level, "Management");
    /// assert_eq!(r.scripts[0].script.returned.to_string(), "true");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_str_with_reader(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
        reader: crate::script::FileReader<'_>,
    ) -> Result<EscalationMatrix, RubricError> {
        let parsed: MatrixFile = rubric::load(file, text, format)?;
        let script_base = base
            .map(Path::to_path_buf)
            .or_else(|| Path::new(file).parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let (scripts, file_texts) = compile_scripts(&parsed, file, &script_base, reader)?;
        let hashed = format!("{text}{file_texts}");
        let stamp = Stamp::new(&parsed.id, &parsed.version, hashed.as_bytes());
        let calendar = match &parsed.calendar {
            Some(c) => Some(Calendar::load_linked(file, base, c, "calendar", reader)?),
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
                scripts,
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

    /// The names of the case fields the matrix reads: its inputs, then the extra fields
    /// its scripts read (`[scripts] fields`).
    pub fn input_names(&self) -> Vec<&str> {
        let fields = self.inner.file.scripts.iter().flat_map(|s| &s.fields);
        self.inner
            .domains
            .iter()
            .map(|d| d.0.as_str())
            .chain(fields.map(String::as_str))
            .collect()
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
        self.evaluate_case("(unnamed case)", facts, since, sla_due)
    }

    /// [`EscalationMatrix::evaluate`] for the case `id`, which script criteria see as `id`
    /// and their errors name.
    ///
    /// # Errors
    /// As [`EscalationMatrix::evaluate`]; a script criterion that fails, hits a sandbox
    /// limit or returns something other than `true`/`false` is an error at
    /// `levels[i].script` naming the script, the hook and the case.
    pub fn evaluate_case(
        &self,
        id: &str,
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
        let mut checks = Vec::new();
        let mut case_map = None;
        for (r, (row, spec)) in c.rows.iter().zip(&c.file.levels).enumerate() {
            if !row_matches(row, &combo, &c.domains) {
                continue;
            }
            let mut script = None;
            if let Some(s) = c.scripts.get(r).and_then(Option::as_ref) {
                let case = case_map.get_or_insert_with(|| self.case_map(facts, &combo));
                let (holds, trace) = run_criterion(s, id, case, &spec.level)
                    .map_err(|e| (format!("levels[{r}].script"), e.to_string()))?;
                checks.push(ScriptCheck {
                    row: r + 1,
                    level: spec.level.clone(),
                    holds,
                    script: trace.clone(),
                });
                if !holds {
                    continue;
                }
                script = Some(trace);
            }
            let deadline = match row.within {
                Some(Within::PerSla) => sla_due,
                Some(Within::Time(t)) => Some(
                    self.deadline(since, t)
                        .map_err(|e| ("within".to_string(), e.to_string()))?,
                ),
                None => None,
            };
            let mut matched: Vec<String> = row
                .conds
                .iter()
                .filter_map(|(i, _)| {
                    let d = c.domains.get(*i)?;
                    let v = d.1.get(*combo.get(*i)?)?;
                    Some(format!("{} = {}", d.0, v))
                })
                .collect();
            if let Some(t) = &script {
                matched.push(format!("script `{}` = true", t.script));
            }
            matches.push(LevelMatch {
                row: r + 1,
                level: spec.level.clone(),
                owner: spec.owner.clone(),
                within: spec.within.clone(),
                deadline,
                matched,
                criteria: spec.criteria.clone(),
                communication: spec.communication.clone(),
                script,
            });
            if c.file.hit_policy == HitPolicy::First {
                break;
            }
        }
        Ok(MatrixResult {
            hit_policy: c.file.hit_policy,
            matches,
            scripts: checks,
            matrix: c.stamp.clone(),
        })
    }

    /// The case as scripts see it (`facts`): each input's value (booleans as `true`/`false`, `()`
    /// when absent) and each `[scripts] fields` entry as given.
    fn case_map(&self, facts: &BTreeMap<String, String>, combo: &[usize]) -> rhai::Map {
        let c = &self.inner;
        let mut map = rhai::Map::new();
        for (i, (name, dom, _)) in c.domains.iter().enumerate() {
            let value = combo.get(i).and_then(|v| dom.get(*v));
            let boolean = c.file.inputs.get(i).is_some_and(|s| s.boolean);
            let v = match value {
                None => rhai::Dynamic::UNIT,
                Some(v) if boolean => rhai::Dynamic::from_bool(v == "true"),
                Some(v) => rhai::Dynamic::from(v.clone()),
            };
            map.insert(name.as_str().into(), v);
        }
        for f in c.file.scripts.iter().flat_map(|s| &s.fields) {
            let v = facts
                .get(f)
                .and_then(|v| crate::input::Value::from_cell(v))
                .map_or(rhai::Dynamic::UNIT, |v| crate::script::value_to_dynamic(&v));
            map.insert(f.as_str().into(), v);
        }
        map
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

/// Compiles each row's script criterion (one engine per matrix); returns them with the text
/// of the script files, for the content hash.
fn compile_scripts(
    file: &MatrixFile,
    name: &str,
    base: &Path,
    reader: crate::script::FileReader<'_>,
) -> Result<(Vec<Option<Script>>, String), RubricError> {
    if file.levels.iter().all(|l| l.script.is_none()) {
        return Ok((Vec::new(), String::new()));
    }
    let spec = file.scripts.clone().unwrap_or_default();
    let engine = ScriptEngine::new(
        spec.limits.resolve(),
        crate::script::params_map(&spec.params),
    );
    let mut problems = Vec::new();
    let mut texts = String::new();
    let mut scripts = Vec::with_capacity(file.levels.len());
    for (r, level) in file.levels.iter().enumerate() {
        let Some(s) = &level.script else {
            scripts.push(None);
            continue;
        };
        let at = format!("levels[{r}].script");
        let compiled =
            crate::script::load_ref(s.file.as_deref(), s.source.as_deref(), base, &at, reader)
                .and_then(|(script, text)| {
                    if let Some(f) = &s.file {
                        texts.push_str(&format!("\n# script {f}\n{text}"));
                    }
                    ScriptEngine::compile(&engine, &script, Hook::Escalation, &text)
                });
        match compiled {
            Ok(s) => scripts.push(Some(s)),
            Err(e) => {
                scripts.push(None);
                problems.push(Problem {
                    path: at,
                    message: e.to_string(),
                    line: None,
                    column: None,
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(RubricError::Invalid {
            file: name.to_string(),
            problems,
        });
    }
    Ok((scripts, texts))
}

/// Runs a row's script criterion: `true` or `false`, with what it returned and printed.
fn run_criterion(
    script: &Script,
    id: &str,
    case: &rhai::Map,
    level: &str,
) -> Result<(bool, ScriptTrace), crate::script::ScriptError> {
    let out = script.run(id, |v| match v {
        "id" => rhai::Dynamic::from(id.to_string()),
        "facts" => rhai::Dynamic::from_map(case.clone()),
        "level" => rhai::Dynamic::from(level.to_string()),
        _ => rhai::Dynamic::UNIT,
    })?;
    match out.value.as_bool() {
        Ok(b) => Ok((b, out.trace())),
        Err(_) => Err(out.wrong_type("true or false")),
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
