//! Ticket triage: a priority from impact and urgency attributes, then a route by category,
//! tier and priority. Both tables are escalation-module decision tables
//! ([`EscalationMatrix`]): the same criteria model (`when = { input = value | [values] }`),
//! the same DMN-style hit policies and the same static checks (unreachable rows, gaps).
//! The priority table must be gap-free (`gaps = "error"`), so every valid ticket gets a
//! priority; a ticket no routing rule matches gets the file's `fallback` route and a
//! warning.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::PlaybookError;
use crate::escalation::{
    EscalationMatrix, GapPolicy, HitPolicy, InputSpec, LevelSpec, MatrixFile, MATRIX_KIND,
};
use crate::input::Record;
use crate::rubric::{self, Format, Problems, RubricError, Stamp, Validate};

/// The `kind` every triage file declares.
pub const TRIAGE_KIND: &str = "triage";

/// A triage file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TriageFile {
    /// Always `"triage"`.
    pub kind: String,
    /// Stable identifier.
    pub id: String,
    /// Version of the rules.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the rules encode.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// Priority table: each rule's `level` is the priority (`P1`).
    pub priority: DecisionTable,
    /// Routing table: each rule's `level` is the team, `owner` the skill or queue; may test
    /// `priority` (the priority just classified) when it declares it as an input.
    pub routing: DecisionTable,
    /// The route of a ticket no routing rule matches.
    pub fallback: Route,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// A decision table: the escalation matrix model (inputs, rules as `levels`, hit policy,
/// gap policy) without the file header.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTable {
    /// `first` or `collect`.
    pub hit_policy: HitPolicy,
    /// Whether inputs matching no rule are an `error` (default) or a `warn`ing.
    #[serde(default)]
    pub gaps: GapPolicy,
    /// The inputs rules may test, each with its values.
    pub inputs: Vec<InputSpec>,
    /// The rules, in evaluation order (`level`, `owner`, `when`, `criteria`).
    pub rules: Vec<LevelSpec>,
}

/// A route: team and skill or queue owner.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The team.
    pub team: String,
    /// Who owns it there (a skill or queue).
    pub owner: String,
    /// Why, for readers.
    #[serde(default)]
    pub criteria: Option<String>,
}

/// A warning found when loading a triage file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageWarning {
    /// Rubric path (`routing.rules`).
    pub path: String,
    /// What was found.
    pub message: String,
}

/// The triage of one ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketTriage {
    /// The ticket's id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// `P1`...`P4`.
    pub priority: String,
    /// 1-based priority rule that fired.
    pub priority_rule: usize,
    /// Its criteria, as `input = value`.
    pub priority_matched: Vec<String>,
    /// The seed's definition of the rule.
    pub priority_criteria: Option<String>,
    /// The team routed to.
    pub team: String,
    /// The skill or queue owner there.
    pub owner: String,
    /// 1-based routing rule that fired; `None` for the fallback route.
    pub route_rule: Option<usize>,
    /// Its criteria, as `input = value`.
    pub route_matched: Vec<String>,
    /// True when no routing rule matched.
    pub fallback: bool,
    /// Warnings (fallback routing).
    pub warnings: Vec<String>,
}

/// Loaded triage rules: two checked decision tables and a fallback route.
#[derive(Clone, Debug)]
pub struct TriageRules {
    file: TriageFile,
    stamp: Stamp,
    priority: EscalationMatrix,
    routing: EscalationMatrix,
    warnings: Vec<TriageWarning>,
}

/// The table as an escalation matrix file, in JSON.
fn matrix_json(f: &TriageFile, name: &str, t: &DecisionTable) -> String {
    let m = MatrixFile {
        kind: MATRIX_KIND.into(),
        id: format!("{}#{name}", f.id),
        version: f.version.clone(),
        title: format!("{} ({name})", f.title),
        source: f.source.clone(),
        description: None,
        hit_policy: t.hit_policy,
        gaps: t.gaps,
        calendar: None,
        inputs: t.inputs.clone(),
        levels: t.rules.clone(),
        examples: Vec::new(),
        scripts: None,
    };
    serde_json::to_string(&m).unwrap_or_default()
}

/// `levels[2].when.x` -> `routing.rules[2].when.x`.
fn table_path(name: &str, path: &str) -> String {
    let rest = path
        .strip_prefix("levels")
        .map(|r| format!("rules{r}"))
        .unwrap_or_else(|| path.to_string());
    format!("{name}.{rest}")
}

impl Validate for TriageFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            TRIAGE_KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        if self.priority.gaps != GapPolicy::Error {
            p.push(
                "priority.gaps",
                "the priority table must give every ticket a priority: use `gaps = \"error\"`",
            );
        }
        if self.fallback.team.trim().is_empty() {
            p.push("fallback.team", "must not be empty");
        }
        if self.fallback.owner.trim().is_empty() {
            p.push("fallback.owner", "must not be empty");
        }
        for (name, t) in [("priority", &self.priority), ("routing", &self.routing)] {
            for (i, r) in t.rules.iter().enumerate() {
                if r.within.is_some() {
                    p.push(
                        format!("{name}.rules[{i}].within"),
                        "triage sets no clock: response times belong in an `sla` policy",
                    );
                }
            }
            if self.id.trim().is_empty() || self.version.trim().is_empty() {
                continue; // reported above; the table check would repeat it
            }
            let json = matrix_json(self, name, t);
            if let Err(e) = rubric::load::<MatrixFile>(name, &json, Format::Json) {
                for problem in e.problems() {
                    p.push(table_path(name, &problem.path), problem.message);
                }
            }
        }
    }
}

impl TriageRules {
    /// Loads a triage file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rule (`routing.rules[3]`) and the problem,
    /// including unreachable rules and gaps in the priority table.
    ///
    /// # Example
    /// ```
    /// use csrubric::playbook::TriageRules;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-triage.toml");
    /// let t = TriageRules::from_path(path.as_ref())?;
    /// assert_eq!(t.stamp().id, "playbooks/slavkokernel-triage");
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<TriageRules, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads triage rules from text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`TriageRules::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<TriageRules, RubricError> {
        let parsed: TriageFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        let load = |name: &str, t: &DecisionTable| {
            EscalationMatrix::from_str_with_format(
                file,
                &matrix_json(&parsed, name, t),
                Format::Json,
                None,
            )
        };
        let priority = load("priority", &parsed.priority)?;
        let routing = load("routing", &parsed.routing)?;
        let warnings = priority
            .warnings()
            .iter()
            .map(|w| ("priority", w))
            .chain(routing.warnings().iter().map(|w| ("routing", w)))
            .map(|(name, w)| TriageWarning {
                path: table_path(name, &w.path),
                message: format!("{} (they get the fallback route)", w.message),
            })
            .collect();
        Ok(TriageRules {
            file: parsed,
            stamp,
            priority,
            routing,
            warnings,
        })
    }

    /// The file's id, version and hash.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The file as written.
    pub fn spec(&self) -> &TriageFile {
        &self.file
    }

    /// Gaps found at load time (routing inputs no rule matches).
    pub fn warnings(&self) -> &[TriageWarning] {
        &self.warnings
    }

    /// Every input the tables read (ticket columns), without `priority` when the routing
    /// table reads the classified priority.
    pub fn input_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for n in self
            .priority
            .input_names()
            .into_iter()
            .chain(self.routing.input_names())
        {
            if n != "priority" && !names.iter().any(|x| x == n) {
                names.push(n.to_string());
            }
        }
        names
    }

    /// Triages one ticket read from a CSV or JSON row (columns named after the inputs).
    ///
    /// # Errors
    /// [`PlaybookError::Input`] naming the row and the column when a value is missing or
    /// not one of its input's values.
    pub fn triage_record(&self, record: &Record) -> Result<TicketTriage, PlaybookError> {
        let facts: BTreeMap<String, String> = self
            .input_names()
            .into_iter()
            .filter_map(|n| record.text(&n).map(|v| (n, v)))
            .collect();
        self.triage(&record.id, record.row, &facts)
    }

    /// Triages one ticket: `facts` maps input names to values.
    ///
    /// # Errors
    /// See [`TriageRules::triage_record`].
    ///
    /// # Example
    /// ```
    /// use std::collections::BTreeMap;
    /// use csrubric::playbook::TriageRules;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-triage.toml");
    /// let t = TriageRules::from_path(path.as_ref())?;
    /// let facts = BTreeMap::from([
    ///     ("system_down".to_string(), "true".to_string()),
    ///     ("impact".to_string(), "severe".to_string()),
    ///     ("category".to_string(), "technical".to_string()),
    ///     ("tier".to_string(), "enterprise".to_string()),
    /// ]);
    /// let r = t.triage("T-1", 0, &facts)?;
    /// assert_eq!(r.priority, "P1");
    /// assert!(!r.fallback);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn triage(
        &self,
        id: &str,
        row: usize,
        facts: &BTreeMap<String, String>,
    ) -> Result<TicketTriage, PlaybookError> {
        let at = if row > 0 {
            format!("row {row} (`{id}`)")
        } else {
            format!("`{id}`")
        };
        let err = |(field, message): (String, String)| PlaybookError::Input {
            at: at.clone(),
            field,
            message,
        };
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        let pr = self.priority.evaluate(facts, epoch, None).map_err(err)?;
        let Some(p) = pr.level() else {
            // Unreachable: the priority table is checked gap-free at load.
            return Err(PlaybookError::Input {
                at,
                field: "priority".into(),
                message: "no priority rule matches".into(),
            });
        };
        let mut route_facts = facts.clone();
        route_facts.insert("priority".into(), p.level.clone());
        let rr = self
            .routing
            .evaluate(&route_facts, epoch, None)
            .map_err(err)?;
        let (team, owner, route_rule, route_matched, fallback, warnings) = match rr.level() {
            Some(m) => (
                m.level.clone(),
                m.owner.clone(),
                Some(m.row),
                m.matched.clone(),
                false,
                Vec::new(),
            ),
            None => {
                let given: Vec<String> = self
                    .routing
                    .input_names()
                    .iter()
                    .map(|n| {
                        format!(
                            "{n} = {}",
                            route_facts.get(*n).map_or("(none)", String::as_str)
                        )
                    })
                    .collect();
                let fb = &self.file.fallback;
                (
                    fb.team.clone(),
                    fb.owner.clone(),
                    None,
                    Vec::new(),
                    true,
                    vec![format!(
                        "no routing rule matches {}: fallback route `{}` ({})",
                        given.join(", "),
                        fb.team,
                        fb.owner
                    )],
                )
            }
        };
        Ok(TicketTriage {
            id: id.to_string(),
            row,
            priority: p.level.clone(),
            priority_rule: p.row,
            priority_matched: p.matched.clone(),
            priority_criteria: p.criteria.clone(),
            team,
            owner,
            route_rule,
            route_matched,
            fallback,
            warnings,
        })
    }
}
