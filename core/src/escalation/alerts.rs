//! Proactive-monitoring alert triggers: a condition on an account's data -> response
//! protocol, owner and SLA.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::Target;
use crate::calendar::Calendar;
use crate::decimal::Dec;
use crate::input::{Record, Value};
use crate::rubric::{self, Format, Problems, RubricError, Stamp, Validate};

/// The `kind` every alert-rules file declares.
pub const ALERTS_KIND: &str = "alerts";

/// An alert-rules file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRulesFile {
    /// Always `"alerts"`.
    pub kind: String,
    /// Stable identifier.
    pub id: String,
    /// Version of the rules.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// The calendar (relative path) the SLAs run on.
    pub calendar: String,
    /// The alerts.
    pub alerts: Vec<AlertRule>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// One alert: fires when `column` is `true` (a flag), or when its number is at most
/// `at_most` / at least `at_least`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    /// Stable id (`usage_drop`).
    pub id: String,
    /// The seed's alert type.
    pub title: String,
    /// The seed's trigger conditions, for readers.
    pub trigger: String,
    /// The input column tested.
    pub column: String,
    /// Fires when the number is at most this (inclusive).
    #[serde(default)]
    pub at_most: Option<Dec>,
    /// Fires when the number is at least this (inclusive).
    #[serde(default)]
    pub at_least: Option<Dec>,
    /// The response protocol.
    pub protocol: String,
    /// Who responds.
    pub owner: String,
    /// Response SLA (`4h`, `1bd`).
    pub sla: String,
}

impl Validate for AlertRulesFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            ALERTS_KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        let mut ids = BTreeSet::new();
        for (i, a) in self.alerts.iter().enumerate() {
            if !ids.insert(a.id.as_str()) {
                p.push(
                    format!("alerts[{i}].id"),
                    format!("`{}` is listed twice", a.id),
                );
            }
            if let Err(e) = Target::parse(&a.sla) {
                p.push(format!("alerts[{i}].sla"), e);
            }
            if let (Some(lo), Some(hi)) = (a.at_least, a.at_most) {
                if lo > hi {
                    p.push(
                        format!("alerts[{i}].at_least"),
                        "`at_least` is above `at_most`: never fires",
                    );
                }
            }
        }
    }
}

/// A loaded set of alert rules with its calendar.
#[derive(Clone, Debug)]
pub struct AlertRules {
    inner: Arc<(AlertRulesFile, Stamp, Calendar)>,
}

/// One alert that fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlertResult {
    /// The alert id.
    pub alert: String,
    /// The alert type.
    pub title: String,
    /// Who responds.
    pub owner: String,
    /// The response protocol.
    pub protocol: String,
    /// The SLA as written.
    pub sla: String,
    /// When the response is due, in the calendar's zone.
    pub due: DateTime<FixedOffset>,
    /// Why it fired (`usage_change_pct = -25`).
    pub because: String,
}

impl AlertRules {
    /// Loads an alert-rules file; its calendar is resolved next to it.
    ///
    /// # Errors
    /// [`RubricError`] naming the file and the rubric path.
    pub fn from_path(path: &Path) -> Result<AlertRules, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format, path.parent())
    }

    /// Loads alert rules from text; the calendar path resolves against `base`.
    ///
    /// # Errors
    /// See [`AlertRules::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
    ) -> Result<AlertRules, RubricError> {
        Self::from_str_with_reader(file, text, format, base, &rubric::read_from_disk)
    }

    /// Loads alert rules from text, reading the calendar through `reader`.
    ///
    /// # Errors
    /// See [`AlertRules::from_path`].
    pub fn from_str_with_reader(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
        reader: rubric::FileReader<'_>,
    ) -> Result<AlertRules, RubricError> {
        let parsed: AlertRulesFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        let cal = Calendar::load_linked(file, base, &parsed.calendar, "calendar", reader)?;
        Ok(AlertRules {
            inner: Arc::new((parsed, stamp, cal)),
        })
    }

    /// The rules' id, version and hash.
    pub fn stamp(&self) -> &Stamp {
        &self.inner.1
    }

    /// The file as written.
    pub fn spec(&self) -> &AlertRulesFile {
        &self.inner.0
    }

    /// The alerts an account's data fires, detected at `detected_at`, each with its due
    /// time. Absent columns fire nothing.
    ///
    /// # Errors
    /// `(column, message)` when a tested cell is not a number (thresholds) or not a
    /// boolean (flags), or a due time cannot be computed.
    ///
    /// # Example
    /// ```
    /// use csrubric::escalation::AlertRules;
    /// use csrubric::input::Record;
    /// use rust_decimal::Decimal;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-alerts.toml");
    /// let rules = AlertRules::from_path(path.as_ref())?;
    /// let acme = Record::new("acme").with("usage_change_pct_2w", Decimal::from(-25));
    /// // Detected Friday 16:00 Berlin: 1 business day -> Monday 16:00.
    /// let fired = rules.evaluate(&acme, "2026-11-27T16:00:00+01:00".parse()?).unwrap();
    /// assert_eq!(fired[0].alert, "usage_drop");
    /// assert_eq!(fired[0].due.to_rfc3339(), "2026-11-30T16:00:00+01:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(
        &self,
        account: &Record,
        detected_at: DateTime<Utc>,
    ) -> Result<Vec<AlertResult>, (String, String)> {
        let (file, _, cal) = &*self.inner;
        let mut out = Vec::new();
        for a in &file.alerts {
            let Some(v) = account.values.get(&a.column) else {
                continue;
            };
            let because = if a.at_most.is_some() || a.at_least.is_some() {
                let n = v.as_number().map_err(|m| (a.column.clone(), m))?;
                let fires =
                    a.at_most.is_none_or(|m| n <= m.0) && a.at_least.is_none_or(|m| n >= m.0);
                fires.then(|| format!("{} = {n}", a.column))
            } else {
                let b = match v {
                    Value::Bool(b) => *b,
                    Value::Text(t) => match t.to_ascii_lowercase().as_str() {
                        "true" | "yes" => true,
                        "false" | "no" => false,
                        _ => return Err((a.column.clone(), format!("`{t}` is not true/false"))),
                    },
                    Value::Number(n) => !n.is_zero(),
                    Value::Json(j) => {
                        return Err((a.column.clone(), format!("`{j}` is not true/false")))
                    }
                };
                b.then(|| format!("{} = true", a.column))
            };
            let Some(because) = because else { continue };
            let due = match Target::parse(&a.sla) {
                Ok(Target::OpenTime(d)) => cal.add_working_time(detected_at, d),
                Ok(Target::BusinessDays(n)) => cal.add_business_days(detected_at, n),
                Err(e) => return Err(("sla".into(), e)),
            }
            .map_err(|e| ("sla".to_string(), e.to_string()))?;
            out.push(AlertResult {
                alert: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                protocol: a.protocol.clone(),
                sla: a.sla.clone(),
                due: cal.local(due).fixed_offset(),
                because,
            });
        }
        Ok(out)
    }
}
