//! Intervention and risk playbooks: from an account's health band and flagged risk
//! categories to a risk level (with its owner and timeline) and the applicable intervention
//! playbooks, each with a due date and a measurable exit condition; and, later, whether the
//! exit condition was met.
//!
//! Selection, as data in the file:
//! * the risk level is the highest of the level the health band maps to (`band_levels`)
//!   and the levels the flagged risk categories raise it to (`risks[].raises_to`);
//! * a playbook applies when one of its `risks` is flagged or the risk level is one of its
//!   `levels`;
//! * a playbook is due `exit.within_days` calendar days after the start date; its exit
//!   condition is met when the metric moved in its direction by at least `min_change`
//!   from the baseline, measured no later than the due date.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::PlaybookError;
use crate::decimal::Dec;
use crate::health::HealthResult;
use crate::input::{Record, Value};
use crate::rubric::{self, Format, Problems, RubricError, Stamp, Validate};

/// The `kind` every interventions file declares.
pub const INTERVENTIONS_KIND: &str = "interventions";

/// An interventions file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionsFile {
    /// Always `"interventions"`.
    pub kind: String,
    /// Stable identifier.
    pub id: String,
    /// Version.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section encoded.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// Risk levels, lowest first (Risk Mitigation Playbooks).
    pub levels: Vec<RiskLevelSpec>,
    /// Health band label -> risk level.
    pub band_levels: BTreeMap<String, String>,
    /// Risk categories with their early-warning indicators (Risk Identification Framework).
    #[serde(default)]
    pub risks: Vec<RiskSpec>,
    /// The intervention playbooks.
    pub playbooks: Vec<PlaybookSpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// A risk level and its response.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RiskLevelSpec {
    /// `low`, `medium`...
    pub name: String,
    /// The intervention.
    pub intervention: String,
    /// Key activities.
    pub activities: String,
    /// Who owns it.
    pub owner: String,
    /// The timeline as the seed words it.
    pub timeline: String,
    /// Days from the start by which the plan is due (the timeline's long end; 0 for
    /// immediate action); none for the normal cadence.
    #[serde(default)]
    pub due_days: Option<u32>,
}

/// A risk category.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    /// Its name, as flagged on an account (`adoption`).
    pub name: String,
    /// Early-warning indicators, for readers.
    pub indicators: String,
    /// Who owns it.
    pub owner: String,
    /// The lowest risk level an account with this risk flagged is at.
    pub raises_to: String,
}

/// An intervention playbook.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PlaybookSpec {
    /// The scenario (`Adoption Challenges`).
    pub scenario: String,
    /// The intervention approach.
    pub approach: String,
    /// Key activities.
    pub activities: String,
    /// The seed's success metric, in words.
    pub success_metric: String,
    /// Applies when one of these risks is flagged.
    #[serde(default)]
    pub risks: Vec<String>,
    /// Applies at these risk levels.
    #[serde(default)]
    pub levels: Vec<String>,
    /// The measurable exit condition.
    pub exit: ExitSpec,
}

/// A measurable exit condition.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExitSpec {
    /// The metric (an account column: `usage`, `health_score`).
    pub metric: String,
    /// `increase` or `decrease`.
    pub direction: Direction,
    /// The smallest change that counts (default: any change, `0` exclusive).
    #[serde(default)]
    pub min_change: Option<Dec>,
    /// Calendar days from the start.
    pub within_days: u32,
}

/// Which way a metric must move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Up.
    Increase,
    /// Down.
    Decrease,
}

/// An account's risk inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRisk {
    /// The account.
    pub id: String,
    /// The health band label (`At Risk`).
    pub band: String,
    /// Flagged risk categories (`adoption`).
    pub risks: Vec<String>,
    /// When the interventions start.
    pub start: NaiveDate,
}

impl AccountRisk {
    /// From a health result's band (the overridden band when one applies).
    ///
    /// # Errors
    /// [`PlaybookError::Input`] when the result has no band (it failed).
    pub fn from_health(
        result: &HealthResult,
        risks: Vec<String>,
        start: NaiveDate,
    ) -> Result<AccountRisk, PlaybookError> {
        let band = result.band.as_ref().ok_or_else(|| PlaybookError::Input {
            at: format!("`{}`", result.id),
            field: "band".into(),
            message: "the health result has no band".into(),
        })?;
        Ok(AccountRisk {
            id: result.id.clone(),
            band: band.label.clone(),
            risks,
            start,
        })
    }
}

/// The interventions of one input row, with exit results when the row gives metrics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInterventions {
    /// 1-based input row.
    pub row: usize,
    /// The plan.
    pub plan: InterventionPlan,
    /// Per selected playbook (same order): its exit status, when the row gives
    /// `baseline_<metric>`, `current_<metric>` and `measured`.
    pub exits: Vec<Option<ExitStatus>>,
}

/// A selected playbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedPlaybook {
    /// The scenario.
    pub scenario: String,
    /// The approach.
    pub approach: String,
    /// Key activities.
    pub activities: String,
    /// Why it applies (`risk = adoption`, `level = high`).
    pub because: Vec<String>,
    /// The seed's success metric.
    pub success_metric: String,
    /// The exit condition.
    pub exit: ExitSpec,
    /// Start + `within_days`.
    pub due: NaiveDate,
}

/// The interventions for one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterventionPlan {
    /// The account.
    pub id: String,
    /// The risk level.
    pub risk_level: String,
    /// Why (`band At Risk -> high`, `risk contract -> high`).
    pub level_reasons: Vec<String>,
    /// The level's intervention.
    pub intervention: String,
    /// Its owner.
    pub owner: String,
    /// Its timeline, as worded.
    pub timeline: String,
    /// When the level's plan is due, when the timeline has one.
    pub due: Option<NaiveDate>,
    /// The playbooks that apply, in file order.
    pub playbooks: Vec<SelectedPlaybook>,
}

/// Whether an exit condition was met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitStatus {
    /// Moved enough, measured by the due date.
    Met,
    /// Not yet, and the window is still open.
    Open,
    /// Not met by the due date.
    Missed,
}

impl SelectedPlaybook {
    /// Whether the exit condition holds for a metric moving from `baseline` to `current`,
    /// measured on `measured`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use csrubric::playbook::{ExitStatus, InterventionRules, AccountRisk};
    /// use rust_decimal::Decimal;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-interventions.toml");
    /// let rules = InterventionRules::from_path(path.as_ref())?;
    /// let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    /// let plan = rules.select(&AccountRisk { id: "A".into(), band: "Good".into(), risks: vec!["adoption".into()], start })?;
    /// let p = &plan.playbooks[0]; // Adoption Challenges: usage increase within 30 days
    /// let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
    /// assert_eq!(p.exit_status(Decimal::from(100), Decimal::from(120), day(20)), ExitStatus::Met);
    /// assert_eq!(p.exit_status(Decimal::from(100), Decimal::from(100), day(20)), ExitStatus::Open);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exit_status(
        &self,
        baseline: Decimal,
        current: Decimal,
        measured: NaiveDate,
    ) -> ExitStatus {
        let (from, to) = match self.exit.direction {
            Direction::Increase => (baseline, current),
            Direction::Decrease => (current, baseline),
        };
        // `to - from` overflows only when it is beyond any decimal `min_change`: then its sign
        // (that of `to - from`) decides.
        let enough = match (to.checked_sub(from), self.exit.min_change) {
            (Some(change), Some(Dec(m))) => change >= m,
            (Some(change), None) => change > Decimal::ZERO,
            (None, _) => to > from,
        };
        if enough && measured <= self.due {
            ExitStatus::Met
        } else if measured < self.due {
            ExitStatus::Open
        } else {
            ExitStatus::Missed
        }
    }
}

/// Loaded intervention playbooks.
#[derive(Clone, Debug)]
pub struct InterventionRules {
    file: InterventionsFile,
    stamp: Stamp,
}

impl Validate for InterventionsFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            INTERVENTIONS_KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        let levels: Vec<&str> = self.levels.iter().map(|l| l.name.as_str()).collect();
        let known = levels.join(", ");
        if levels.is_empty() {
            p.push("levels", "list at least one risk level");
        }
        if levels.iter().collect::<BTreeSet<_>>().len() != levels.len() {
            p.push("levels", "a level is declared twice");
        }
        for (band, level) in &self.band_levels {
            if !levels.contains(&level.as_str()) {
                p.push(
                    format!("band_levels.{band}"),
                    format!("`{level}` is not a level ({known})"),
                );
            }
        }
        for (i, r) in self.risks.iter().enumerate() {
            if !levels.contains(&r.raises_to.as_str()) {
                p.push(
                    format!("risks[{i}].raises_to"),
                    format!("`{}` is not a level ({known})", r.raises_to),
                );
            }
        }
        for (i, pb) in self.playbooks.iter().enumerate() {
            if pb.risks.is_empty() && pb.levels.is_empty() {
                p.push(
                    format!("playbooks[{i}]"),
                    "give `risks` or `levels`: when does it apply?",
                );
            }
            for r in &pb.risks {
                if !self.risks.iter().any(|x| &x.name == r) {
                    p.push(
                        format!("playbooks[{i}].risks"),
                        format!("`{r}` is not a risk category"),
                    );
                }
            }
            for l in &pb.levels {
                if !levels.contains(&l.as_str()) {
                    p.push(
                        format!("playbooks[{i}].levels"),
                        format!("`{l}` is not a level ({known})"),
                    );
                }
            }
            if pb.exit.metric.trim().is_empty() {
                p.push(format!("playbooks[{i}].exit.metric"), "must not be empty");
            }
        }
    }
}

impl InterventionRules {
    /// Loads an interventions file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path and the problem.
    pub fn from_path(path: &Path) -> Result<InterventionRules, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads from text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`InterventionRules::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<InterventionRules, RubricError> {
        let parsed: InterventionsFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        Ok(InterventionRules {
            file: parsed,
            stamp,
        })
    }

    /// The file's id, version and hash.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The file as written.
    pub fn spec(&self) -> &InterventionsFile {
        &self.file
    }

    /// Reads one account row and selects its interventions: `id`, `band`, `start`
    /// (YYYY-MM-DD), optional `risks` (a JSON list, or text separated by `;` or spaces);
    /// for exit checks `measured` (a date) with `baseline_<metric>` and `current_<metric>`.
    ///
    /// # Errors
    /// [`PlaybookError::Input`] naming the row and column; see also
    /// [`InterventionRules::select`].
    pub fn evaluate_record(&self, r: &Record) -> Result<AccountInterventions, PlaybookError> {
        let at = format!("row {} (`{}`)", r.row, r.id);
        let bad = |field: &str, message: String| PlaybookError::Input {
            at: at.clone(),
            field: field.into(),
            message,
        };
        let text = |c: &str| {
            r.text(c)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let date = |c: &str| -> Result<Option<NaiveDate>, PlaybookError> {
            text(c)
                .map(|s| {
                    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
                        bad(c, format!("`{s}` is not a date such as 2027-01-04 ({e})"))
                    })
                })
                .transpose()
        };
        let band = text("band").ok_or_else(|| bad("band", "missing".into()))?;
        let start = date("start")?.ok_or_else(|| bad("start", "missing".into()))?;
        let risks: Vec<String> = match r.values.get("risks") {
            None => Vec::new(),
            Some(Value::Json(serde_json::Value::Array(items))) => items
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => Ok(s.trim().to_string()),
                    other => Err(bad("risks", format!("`{other}` is not a risk name"))),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => text("risks")
                .unwrap_or_default()
                .split([';', ' ', ','])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        };
        let plan = self
            .select(&AccountRisk {
                id: r.id.clone(),
                band,
                risks,
                start,
            })
            .map_err(|e| match e {
                PlaybookError::Unknown { what, value, known } => bad(
                    &what,
                    format!("`{value}` is not in the playbooks (known: {known})"),
                ),
                other => other,
            })?;
        let measured = date("measured")?;
        let mut exits = Vec::new();
        for pb in &plan.playbooks {
            let m = &pb.exit.metric;
            let num = |c: String| -> Result<Option<Decimal>, PlaybookError> {
                r.number(&c).transpose().map_err(|e| bad(&c, e))
            };
            let base = num(format!("baseline_{m}"))?;
            let cur = num(format!("current_{m}"))?;
            exits.push(match (base, cur, measured) {
                (Some(b), Some(c), Some(d)) => Some(pb.exit_status(b, c, d)),
                _ => None,
            });
        }
        Ok(AccountInterventions {
            row: r.row,
            plan,
            exits,
        })
    }

    /// The risk level and playbooks for an account.
    ///
    /// # Errors
    /// [`PlaybookError::Unknown`] for a band or risk the file does not know;
    /// [`PlaybookError::Input`] when a due date is out of range.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use csrubric::playbook::{AccountRisk, InterventionRules};
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-interventions.toml");
    /// let rules = InterventionRules::from_path(path.as_ref())?;
    /// let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    /// let plan = rules.select(&AccountRisk { id: "A".into(), band: "At Risk".into(), risks: vec![], start })?;
    /// assert_eq!((plan.risk_level.as_str(), plan.owner.as_str()), ("high", "CS Manager + Director"));
    /// assert_eq!(plan.playbooks[0].scenario, "At-Risk Account");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn select(&self, account: &AccountRisk) -> Result<InterventionPlan, PlaybookError> {
        let f = &self.file;
        let rank = |name: &str| f.levels.iter().position(|l| l.name == name);
        let level_of_band =
            f.band_levels
                .get(&account.band)
                .ok_or_else(|| PlaybookError::Unknown {
                    what: "band".into(),
                    value: account.band.clone(),
                    known: f.band_levels.keys().cloned().collect::<Vec<_>>().join(", "),
                })?;
        let mut best = rank(level_of_band).unwrap_or(0);
        let mut reasons = vec![format!("band {} -> {level_of_band}", account.band)];
        for r in &account.risks {
            let spec =
                f.risks
                    .iter()
                    .find(|x| &x.name == r)
                    .ok_or_else(|| PlaybookError::Unknown {
                        what: "risk".into(),
                        value: r.clone(),
                        known: f
                            .risks
                            .iter()
                            .map(|x| x.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })?;
            let k = rank(&spec.raises_to).unwrap_or(0);
            if k > best {
                best = k;
                reasons.push(format!("risk {r} -> {}", spec.raises_to));
            }
        }
        let level = f.levels.get(best).ok_or_else(|| PlaybookError::Input {
            at: format!("`{}`", account.id),
            field: "risk_level".into(),
            message: "no risk level".into(),
        })?;
        let add = |days: u32| {
            account
                .start
                .checked_add_days(Days::new(u64::from(days)))
                .ok_or_else(|| PlaybookError::Input {
                    at: format!("`{}`", account.id),
                    field: "start".into(),
                    message: "due date out of range".into(),
                })
        };
        let due = level.due_days.map(add).transpose()?;
        let mut playbooks = Vec::new();
        for pb in &f.playbooks {
            let mut because: Vec<String> = pb
                .risks
                .iter()
                .filter(|r| account.risks.contains(r))
                .map(|r| format!("risk = {r}"))
                .collect();
            if pb.levels.contains(&level.name) {
                because.push(format!("level = {}", level.name));
            }
            if because.is_empty() {
                continue;
            }
            playbooks.push(SelectedPlaybook {
                scenario: pb.scenario.clone(),
                approach: pb.approach.clone(),
                activities: pb.activities.clone(),
                because,
                success_metric: pb.success_metric.clone(),
                exit: pb.exit.clone(),
                due: add(pb.exit.within_days)?,
            });
        }
        Ok(InterventionPlan {
            id: account.id.clone(),
            risk_level: level.name.clone(),
            level_reasons: reasons,
            intervention: level.intervention.clone(),
            owner: level.owner.clone(),
            timeline: level.timeline.clone(),
            due,
            playbooks,
        })
    }
}
