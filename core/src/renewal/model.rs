//! The renewal playbook file format (serde model) and its validation.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::rubric::{Problems, Validate};

/// The `kind` every renewal playbook file declares.
pub const KIND: &str = "renewal";

/// The path a contract follows when none is given.
pub const DEFAULT_PATH: &str = "renewal";

// Largest offsets accepted (ten years in days, business days or months), so date
// arithmetic never overflows: see `crate::limits`.
pub(crate) use crate::limits::{
    RENEWAL_OFFSET_BUSINESS_DAYS as MAX_OFFSET_BUSINESS_DAYS,
    RENEWAL_OFFSET_DAYS as MAX_OFFSET_DAYS, RENEWAL_OFFSET_MONTHS as MAX_OFFSET_MONTHS,
};

/// A renewal playbook file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalPlaybookFile {
    /// Always `"renewal"`.
    pub kind: String,
    /// Stable identifier, such as `renewal/slavkokernel`.
    pub id: String,
    /// Version of the rules.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the milestones encode.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// Moves dates that are not working days (needs a calendar); default `none`. A
    /// milestone's own `adjust` overrides it.
    #[serde(default)]
    pub adjust: Adjust,
    /// The milestones, in the order they are worked through (per path).
    pub milestones: Vec<MilestoneSpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// How a milestone's offset is counted.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum OffsetUnit {
    /// Calendar days (the default): `-180` is 180 days before the contract end.
    #[default]
    Days,
    /// Calendar months: `6` is the same day of the month six months after the end, or the
    /// last day of that month when it is shorter (Aug 31 + 6 months = Feb 28/29).
    Months,
    /// Working days of the [`crate::calendar::Calendar`] the playbook is used with: `-10`
    /// is the tenth working day before the end date (the end date itself not counted).
    BusinessDays,
}

/// What happens to a milestone date that is not a working day.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Adjust {
    /// Dates are kept as computed (the default).
    #[default]
    None,
    /// A date on a weekend or holiday moves to the last working day before it.
    PreviousWorkingDay,
}

/// One milestone of a playbook: when it starts relative to the contract end, who owns it
/// and what it delivers.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneSpec {
    /// Identifier, unique in the playbook (`renewal_planning`).
    pub id: String,
    /// Human label (`Renewal Planning`).
    pub label: String,
    /// Which path the milestone belongs to: `renewal` (the default) or any other name, such
    /// as `departure`; a contract follows one path.
    #[serde(default = "default_path")]
    pub path: String,
    /// When the milestone is due, relative to the contract end, in `unit`s: negative is
    /// before the end (`-180`), `0` is the end date, positive is after it.
    pub offset: i64,
    /// When the milestone's window closes (same unit, same sign convention); absent means
    /// the milestone is a point in time and closes on its due date.
    #[serde(default)]
    pub until: Option<i64>,
    /// Unit of `offset` and `until` (default `days`).
    #[serde(default)]
    pub unit: OffsetUnit,
    /// Overrides the playbook's `adjust` for this milestone.
    #[serde(default)]
    pub adjust: Option<Adjust>,
    /// Who owns the milestone.
    pub owner: String,
    /// What is done.
    #[serde(default)]
    pub activities: Vec<String>,
    /// What the milestone produces.
    #[serde(default)]
    pub deliverable: Option<String>,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
}

fn default_path() -> String {
    DEFAULT_PATH.to_string()
}

impl Validate for RenewalPlaybookFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        if self.milestones.is_empty() {
            p.push("milestones", "a playbook needs at least one milestone");
        }
        if !self.milestones.iter().any(|m| m.path == DEFAULT_PATH) {
            p.push(
                "milestones",
                format!("no milestone on the `{DEFAULT_PATH}` path (the default path)"),
            );
        }
        let mut ids = HashSet::new();
        // Last offset seen per (path, unit), to check the playbook order.
        let mut last: BTreeMap<(&str, &str), (i64, usize)> = BTreeMap::new();
        for (i, m) in self.milestones.iter().enumerate() {
            let at = |field: &str| format!("milestones[{i}].{field}");
            if m.id.trim().is_empty() {
                p.push(at("id"), "`id` must not be empty");
            } else if !ids.insert(m.id.as_str()) {
                p.push(at("id"), format!("duplicate milestone id `{}`", m.id));
            }
            if m.label.trim().is_empty() {
                p.push(at("label"), "`label` must not be empty");
            }
            if m.owner.trim().is_empty() {
                p.push(at("owner"), "`owner` must not be empty");
            }
            if m.path.trim().is_empty() {
                p.push(at("path"), "`path` must not be empty");
            }
            let (max, unit) = match m.unit {
                OffsetUnit::Days => (MAX_OFFSET_DAYS, "days"),
                OffsetUnit::Months => (MAX_OFFSET_MONTHS, "months"),
                OffsetUnit::BusinessDays => (MAX_OFFSET_BUSINESS_DAYS, "business days"),
            };
            for (field, v) in [("offset", Some(m.offset)), ("until", m.until)] {
                if let Some(v) = v {
                    if v.unsigned_abs() > max.unsigned_abs() {
                        p.push(
                            at(field),
                            format!("`{field}` = {v} is beyond the limit of {max} {unit}"),
                        );
                    }
                }
            }
            if let Some(u) = m.until {
                if u < m.offset {
                    p.push(
                        at("until"),
                        format!(
                            "`until` = {u} is before `offset` = {}; a window closes after it opens",
                            m.offset
                        ),
                    );
                }
            }
            if let Some((prev, j)) = last.insert((m.path.as_str(), unit), (m.offset, i)) {
                if m.offset < prev {
                    p.push(
                        at("offset"),
                        format!(
                            "milestones must be listed in date order: `offset` = {} is earlier than milestones[{j}] (`offset` = {prev}) on path `{}`",
                            m.offset, m.path
                        ),
                    );
                }
            }
        }
    }
}
