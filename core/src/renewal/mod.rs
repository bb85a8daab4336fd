//! Renewal timelines: playbooks of milestones dated from a contract's end, the renewal
//! pipeline of many contracts, what is current, next and overdue.
//!
//! A [`RenewalPlaybook`] is loaded from a playbook file (`kind = "renewal"`): milestones at
//! an offset from the contract end (`offset = -180` is 180 days before), each with an owner,
//! activities and a deliverable, on a *path* (`renewal`, or `departure` for a customer who
//! leaves). Given a [`Contract`] and today's date, [`RenewalPlaybook::schedule`] returns the
//! dated schedule, the current and next milestone, what is overdue and the days left.
//!
//! Date arithmetic is on calendar days by default: a milestone 180 days before a contract
//! ending 2027-06-30 is due 2027-01-01. Shifting a contract's end by *k* days shifts every
//! day-offset milestone by *k*. Month offsets (`unit = "months"`) land on the same day of the
//! month, or on the last day of a shorter month (Aug 31 + 6 months = the end of February).
//!
//! # Example
//! ```
//! use csrubric::renewal::{Contract, RenewalPlaybook};
//! use chrono::NaiveDate;
//!
//! let playbook = RenewalPlaybook::from_toml_str("inline.toml", r#"
//!     kind = "renewal"
//!     id = "renewal/tiny"
//!     version = "1"
//!     title = "Tiny"
//!     source = "example"
//!     [[milestones]]
//!     id = "planning"
//!     label = "Renewal Planning"
//!     offset = -180
//!     owner = "CS Manager"
//!     [[milestones]]
//!     id = "closure"
//!     label = "Renewal Closure"
//!     offset = -30
//!     until = 0
//!     owner = "Sales"
//! "#)?;
//! let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let contract = Contract::new("acme", d("2026-07-01"), d("2027-06-30"));
//! let r = playbook.schedule(&contract, d("2027-02-01"))?;
//! assert_eq!(r.schedule[0].due, d("2027-01-01"));
//! assert_eq!(r.current_milestone.as_deref(), Some("planning"));
//! assert_eq!(r.next_milestone.as_deref(), Some("closure"));
//! assert_eq!(r.next_due, Some(d("2027-05-31")));
//! assert_eq!(r.days_to_renewal, 149);
//! assert_eq!(r.overdue, vec!["planning".to_string()]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod model;

use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

pub use model::{Adjust, MilestoneSpec, OffsetUnit, RenewalPlaybookFile, DEFAULT_PATH, KIND};

use crate::calendar::Calendar;
use crate::input::{Record, Rows, Value};
use crate::rubric::{self, Format, RubricError, Stamp};

/// Errors dating one contract. The other contracts of a batch are unaffected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenewalError {
    /// A required column is absent.
    #[error("{at}: missing `{column}`")]
    Missing {
        /// Which contract.
        at: ContractRef,
        /// The column.
        column: String,
    },
    /// A cell does not hold what the column needs (a date, a whole number, a flag...).
    #[error("{at}: `{column}`: {message}")]
    BadValue {
        /// Which contract.
        at: ContractRef,
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// The contract ends before it starts.
    #[error("{at}: `end` {end} is before `start` {start}")]
    EndBeforeStart {
        /// Which contract.
        at: ContractRef,
        /// Contract start.
        start: NaiveDate,
        /// Contract end.
        end: NaiveDate,
    },
    /// The contract names a path the playbook does not have.
    #[error("{at}: unknown path `{path}` (this playbook has: {known})")]
    UnknownPath {
        /// Which contract.
        at: ContractRef,
        /// The path given.
        path: String,
        /// The playbook's paths.
        known: String,
    },
    /// A completed milestone the playbook does not have.
    #[error("{at}: `completed` names unknown milestone `{milestone}`")]
    UnknownMilestone {
        /// Which contract.
        at: ContractRef,
        /// The milestone given.
        milestone: String,
    },
    /// The playbook counts business days or moves dates to working days, and no calendar
    /// was given ([`RenewalPlaybook::with_calendar`]).
    #[error("{at}: milestone `{milestone}` needs a working-day calendar (business-day offset or `adjust`), and none was given")]
    NoCalendar {
        /// Which contract.
        at: ContractRef,
        /// The first milestone that needs one.
        milestone: String,
    },
    /// The calendar could not compute a date (no working day for years, out of range).
    #[error("{at}: milestone `{milestone}`: {message}")]
    Calendar {
        /// Which contract.
        at: ContractRef,
        /// The milestone.
        milestone: String,
        /// The calendar's message.
        message: String,
    },
    /// A date falls outside the supported range (years -262143..262142).
    #[error("{at}: date out of range computing `{what}`")]
    OutOfRange {
        /// Which contract.
        at: ContractRef,
        /// What was being computed.
        what: String,
    },
}

impl RenewalError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            RenewalError::Missing { .. } => "renewal_missing",
            RenewalError::BadValue { .. } => "renewal_bad_value",
            RenewalError::EndBeforeStart { .. } => "renewal_end_before_start",
            RenewalError::UnknownPath { .. } => "renewal_unknown_path",
            RenewalError::UnknownMilestone { .. } => "renewal_unknown_milestone",
            RenewalError::OutOfRange { .. } => "renewal_out_of_range",
            RenewalError::NoCalendar { .. } => "renewal_no_calendar",
            RenewalError::Calendar { .. } => "renewal_calendar",
        }
    }

    /// The contract the error is about.
    pub fn contract(&self) -> &ContractRef {
        match self {
            RenewalError::Missing { at, .. }
            | RenewalError::BadValue { at, .. }
            | RenewalError::EndBeforeStart { at, .. }
            | RenewalError::UnknownPath { at, .. }
            | RenewalError::UnknownMilestone { at, .. }
            | RenewalError::OutOfRange { at, .. }
            | RenewalError::NoCalendar { at, .. }
            | RenewalError::Calendar { at, .. } => at,
        }
    }
}

/// Which contract an error is about: its id and input row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContractRef {
    /// The contract id.
    pub id: String,
    /// 1-based row in its file (0 when built in code).
    pub row: usize,
}

impl std::fmt::Display for ContractRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row > 0 {
            write!(f, "row {} (contract `{}`)", self.row, self.id)
        } else {
            write!(f, "contract `{}`", self.id)
        }
    }
}

/// A contract whose renewal is scheduled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contract {
    /// The contract (or account) id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// First day of the term.
    pub start: NaiveDate,
    /// Last day of the term: milestones are dated from it.
    pub end: NaiveDate,
    /// Days of notice needed to cancel (or not renew) before `end`.
    pub notice_days: Option<u32>,
    /// The term renews by itself unless cancelled: once `end` has passed, the schedule is
    /// for the next term.
    pub auto_renew: bool,
    /// The playbook path the contract follows (default `renewal`).
    pub path: String,
    /// Milestones already done: they are never overdue.
    pub completed: Vec<String>,
}

impl Contract {
    /// A contract on the default path, not auto-renewing, with no notice period.
    ///
    /// # Example
    /// ```
    /// use csrubric::renewal::Contract;
    /// use chrono::NaiveDate;
    /// let c = Contract::new("acme", NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    ///     NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    /// assert_eq!(c.path, "renewal");
    /// ```
    pub fn new(id: impl Into<String>, start: NaiveDate, end: NaiveDate) -> Contract {
        Contract {
            id: id.into(),
            row: 0,
            start,
            end,
            notice_days: None,
            auto_renew: false,
            path: DEFAULT_PATH.to_string(),
            completed: Vec::new(),
        }
    }

    /// Reads a contract from an input record: `start` and `end` (ISO dates, required),
    /// `notice_days` (whole days), `auto_renew` (`true`/`false`, `yes`/`no`, `1`/`0`),
    /// `path` (text) and `completed` (milestone ids separated by `;`, or a JSON list).
    ///
    /// # Errors
    /// [`RenewalError`] naming the row, contract and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::renewal::Contract;
    /// use csrubric::input::read_csv;
    /// let rows = read_csv("c.csv", "id,start,end,auto_renew\nacme,2026-01-01,2026-12-31,yes\n")?;
    /// let c = Contract::from_record(rows[0].as_ref().unwrap())?;
    /// assert!(c.auto_renew);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_record(r: &Record) -> Result<Contract, RenewalError> {
        let at = ContractRef {
            id: r.id.clone(),
            row: r.row,
        };
        let date = |column: &str| -> Result<NaiveDate, RenewalError> {
            let text = r.text(column).ok_or_else(|| RenewalError::Missing {
                at: at.clone(),
                column: column.into(),
            })?;
            parse_date(&text).map_err(|message| RenewalError::BadValue {
                at: at.clone(),
                column: column.into(),
                message,
            })
        };
        let start = date("start")?;
        let end = date("end")?;
        if end < start {
            return Err(RenewalError::EndBeforeStart { at, start, end });
        }
        let bad = |column: &str, message: String| RenewalError::BadValue {
            at: at.clone(),
            column: column.into(),
            message,
        };
        let notice_days = match r.values.get("notice_days") {
            None => None,
            Some(v) => Some(whole_days(v).map_err(|m| bad("notice_days", m))?),
        };
        let auto_renew = match r.values.get("auto_renew") {
            None => false,
            Some(v) => parse_flag(v).map_err(|m| bad("auto_renew", m))?,
        };
        let path = r.text("path").unwrap_or_else(|| DEFAULT_PATH.to_string());
        let completed = match r.values.get("completed") {
            None => Vec::new(),
            Some(Value::Json(serde_json::Value::Array(items))) => items
                .iter()
                .map(|i| match i {
                    serde_json::Value::String(s) => Ok(s.trim().to_string()),
                    other => Err(bad(
                        "completed",
                        format!("expected milestone ids, found `{other}`"),
                    )),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => r
                .text("completed")
                .unwrap_or_default()
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        };
        Ok(Contract {
            id: r.id.clone(),
            row: r.row,
            start,
            end,
            notice_days,
            auto_renew,
            path,
            completed,
        })
    }

    fn at(&self) -> ContractRef {
        ContractRef {
            id: self.id.clone(),
            row: self.row,
        }
    }
}

/// Parses an ISO calendar date (`2027-06-30`).
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("`{t}` is not a date (expected YYYY-MM-DD, such as 2027-06-30)"))
}

/// Reads a yes/no cell.
pub(crate) fn parse_flag(v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.is_zero() => Ok(false),
        Value::Number(n) if *n == rust_decimal::Decimal::ONE => Ok(true),
        Value::Text(t) => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Ok(true),
            "false" | "no" | "n" => Ok(false),
            _ => Err(format!(
                "`{t}` is not a yes/no value (true/false, yes/no, 1/0)"
            )),
        },
        other => Err(format!(
            "`{}` is not a yes/no value (true/false, yes/no, 1/0)",
            value_text(other)
        )),
    }
}

/// Reads a whole, non-negative number of days.
pub(crate) fn whole_days(v: &Value) -> Result<u32, String> {
    let n = v.as_number()?;
    if !n.fract().is_zero() || n.is_sign_negative() {
        return Err(format!("`{n}` is not a whole, non-negative number of days"));
    }
    u32::try_from(n.mantissa() / 10i128.pow(n.scale()))
        .ok()
        .filter(|d| i64::from(*d) <= model::MAX_OFFSET_DAYS)
        .ok_or_else(|| format!("`{n}` days is too large"))
}

pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::Number(d) => d.to_string(),
        Value::Text(t) => t.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Json(j) => j.to_string(),
    }
}

/// Where a milestone stands on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Listed in the contract's `completed`.
    Done,
    /// Its window closed before today and it is not done.
    Overdue,
    /// Today is within its window (due date to closing date).
    Open,
    /// Due after today.
    Upcoming,
}

/// One dated milestone of a contract's schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScheduledMilestone {
    /// The milestone id.
    pub milestone: String,
    /// Its label.
    pub label: String,
    /// The date it is due (its window opens).
    pub due: NaiveDate,
    /// The date its window closes (the due date for a point milestone).
    pub until: NaiveDate,
    /// Who owns it.
    pub owner: String,
    /// What it produces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliverable: Option<String>,
    /// What is done.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    /// Where it stands today.
    pub status: MilestoneStatus,
}

/// A contract's renewal schedule on a given day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenewalResult {
    /// The contract id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// The path followed.
    pub path: String,
    /// The day the schedule was computed for.
    pub today: NaiveDate,
    /// The end of the term being renewed: the contract end, or for an auto-renewing contract
    /// whose end has passed, the end of the current term.
    pub renewal_date: NaiveDate,
    /// Which term `renewal_date` ends (1 = the contract as given, 2 = first automatic renewal).
    pub term: u32,
    /// Days from today to `renewal_date` (negative once it has passed).
    pub days_to_renewal: i64,
    /// The last day to give notice (`renewal_date` minus `notice_days`), when a notice
    /// period is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_deadline: Option<NaiveDate>,
    /// Days from today to the notice deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_notice_deadline: Option<i64>,
    /// The milestone being worked on: the last one (in playbook order) whose due date has
    /// come, while the schedule is not over; `None` before the first and after the last
    /// window closes.
    pub current_milestone: Option<String>,
    /// The first milestone due after today.
    pub next_milestone: Option<String>,
    /// Its due date.
    pub next_due: Option<NaiveDate>,
    /// Days from today to `next_due`.
    pub days_to_next: Option<i64>,
    /// Milestones whose window has closed and that are not completed, in playbook order.
    pub overdue: Vec<String>,
    /// Every milestone of the path, dated, in playbook order.
    pub schedule: Vec<ScheduledMilestone>,
    /// The playbook that made this schedule.
    pub rubric: Stamp,
}

/// A loaded, validated renewal playbook.
#[derive(Clone, Debug)]
pub struct RenewalPlaybook {
    spec: RenewalPlaybookFile,
    stamp: Stamp,
    calendar: Option<Calendar>,
}

impl RenewalPlaybook {
    /// Loads a playbook file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path and (TOML) the line and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::renewal::RenewalPlaybook;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/renewal/slavkokernel.toml");
    /// let playbook = RenewalPlaybook::from_path(path.as_ref())?;
    /// assert_eq!(playbook.stamp().id, "renewal/slavkokernel");
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<RenewalPlaybook, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads a playbook from TOML text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`RenewalPlaybook::from_path`].
    pub fn from_toml_str(file: &str, text: &str) -> Result<RenewalPlaybook, RubricError> {
        Self::from_str_with_format(file, text, Format::Toml)
    }

    /// Loads a playbook from text in the given format.
    ///
    /// # Errors
    /// See [`RenewalPlaybook::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::renewal::RenewalPlaybook;
    /// use csrubric::rubric::Format;
    /// let err = RenewalPlaybook::from_str_with_format("p.json", r#"{"kind": "renewal"}"#, Format::Json)
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("p.json:"));
    /// ```
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<RenewalPlaybook, RubricError> {
        let spec: RenewalPlaybookFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&spec.id, &spec.version, text.as_bytes());
        Ok(RenewalPlaybook {
            spec,
            stamp,
            calendar: None,
        })
    }

    /// Uses `calendar` for business-day offsets and for moving dates to working days.
    ///
    /// # Example
    /// ```
    /// use csrubric::calendar::Calendar;
    /// use csrubric::renewal::{Contract, RenewalPlaybook};
    /// use chrono::NaiveDate;
    /// let cal = Calendar::from_path(concat!(env!("CARGO_MANIFEST_DIR"),
    ///     "/../rubrics/calendars/business-hours-berlin.toml").as_ref())?;
    /// let playbook = RenewalPlaybook::from_toml_str("p.toml", r#"
    ///     kind = "renewal"
    ///     id = "renewal/bd"
    ///     version = "1"
    ///     title = "Business days"
    ///     source = "example"
    ///     adjust = "previous_working_day"
    ///     [[milestones]]
    ///     id = "reminder"
    ///     label = "Reminder"
    ///     offset = -31
    ///     owner = "CSM"
    ///     [[milestones]]
    ///     id = "sign"
    ///     label = "Signature"
    ///     offset = -5
    ///     unit = "business_days"
    ///     owner = "Sales"
    /// "#)?.with_calendar(cal);
    /// let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    /// // Ends Wednesday 2026-12-30: 31 days before is Sunday 2026-11-29, moved to Friday
    /// // 2026-11-27; 5 working days before skips the weekend and the Christmas holidays
    /// // (Dec 25 and 26 in the Berlin calendar): Dec 29, 28, 24, 23, 22.
    /// let r = playbook.schedule(&Contract::new("a", d(2026, 1, 1), d(2026, 12, 30)), d(2026, 11, 23))?;
    /// assert_eq!(r.schedule[0].due, d(2026, 11, 27));
    /// assert_eq!(r.schedule[1].due, d(2026, 12, 22));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_calendar(mut self, calendar: Calendar) -> RenewalPlaybook {
        self.calendar = Some(calendar);
        self
    }

    /// The first milestone that needs a calendar (business-day offset or `adjust`), if any.
    pub fn needs_calendar(&self) -> Option<&str> {
        self.spec
            .milestones
            .iter()
            .find(|m| {
                m.unit == OffsetUnit::BusinessDays
                    || m.adjust.unwrap_or(self.spec.adjust) != Adjust::None
            })
            .map(|m| m.id.as_str())
    }

    /// The playbook's id, version and hash.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The playbook as written.
    pub fn spec(&self) -> &RenewalPlaybookFile {
        &self.spec
    }

    /// The paths the playbook has, in first-appearance order.
    pub fn paths(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in &self.spec.milestones {
            if !out.contains(&m.path.as_str()) {
                out.push(&m.path);
            }
        }
        out
    }

    /// The schedule of one contract on `today`.
    ///
    /// # Errors
    /// [`RenewalError::UnknownPath`], [`RenewalError::UnknownMilestone`] for a contract
    /// that does not fit the playbook; [`RenewalError::OutOfRange`] for dates near the ends
    /// of the calendar.
    pub fn schedule(
        &self,
        contract: &Contract,
        today: NaiveDate,
    ) -> Result<RenewalResult, RenewalError> {
        let at = contract.at();
        let paths = self.paths();
        if !paths.contains(&contract.path.as_str()) {
            return Err(RenewalError::UnknownPath {
                at,
                path: contract.path.clone(),
                known: paths
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if let Some(unknown) = contract
            .completed
            .iter()
            .find(|c| !self.spec.milestones.iter().any(|m| &m.id == *c))
        {
            return Err(RenewalError::UnknownMilestone {
                at,
                milestone: unknown.clone(),
            });
        }
        let (renewal_date, term) = if contract.auto_renew {
            current_term_end(contract, today).ok_or_else(|| RenewalError::OutOfRange {
                at: at.clone(),
                what: "the current term end".into(),
            })?
        } else {
            (contract.end, 1)
        };
        let mut schedule = Vec::new();
        for m in self
            .spec
            .milestones
            .iter()
            .filter(|m| m.path == contract.path)
        {
            let shift = |o: i64| self.milestone_date(m, renewal_date, o, &at);
            let due = shift(m.offset)?;
            let until = match m.until {
                Some(u) => shift(u)?,
                None => due,
            };
            let status = if contract.completed.contains(&m.id) {
                MilestoneStatus::Done
            } else if until < today {
                MilestoneStatus::Overdue
            } else if due <= today {
                MilestoneStatus::Open
            } else {
                MilestoneStatus::Upcoming
            };
            schedule.push(ScheduledMilestone {
                milestone: m.id.clone(),
                label: m.label.clone(),
                due,
                until,
                owner: m.owner.clone(),
                deliverable: m.deliverable.clone(),
                activities: m.activities.clone(),
                status,
            });
        }
        let last_close = schedule.iter().map(|s| s.until).max();
        let current_milestone = if last_close.is_some_and(|c| c >= today) {
            schedule
                .iter()
                .rev()
                .find(|s| s.due <= today)
                .map(|s| s.milestone.clone())
        } else {
            None
        };
        let next = schedule
            .iter()
            .filter(|s| s.due > today)
            .min_by_key(|s| s.due);
        let notice_deadline = match contract.notice_days {
            Some(n) => Some(
                offset_date(renewal_date, -i64::from(n), OffsetUnit::Days).ok_or_else(|| {
                    RenewalError::OutOfRange {
                        at: at.clone(),
                        what: "the notice deadline".into(),
                    }
                })?,
            ),
            None => None,
        };
        Ok(RenewalResult {
            id: contract.id.clone(),
            row: contract.row,
            path: contract.path.clone(),
            today,
            renewal_date,
            term,
            days_to_renewal: (renewal_date - today).num_days(),
            notice_deadline,
            days_to_notice_deadline: notice_deadline.map(|d| (d - today).num_days()),
            current_milestone,
            next_milestone: next.map(|s| s.milestone.clone()),
            next_due: next.map(|s| s.due),
            days_to_next: next.map(|s| (s.due - today).num_days()),
            overdue: schedule
                .iter()
                .filter(|s| s.status == MilestoneStatus::Overdue)
                .map(|s| s.milestone.clone())
                .collect(),
            schedule,
            rubric: self.stamp.clone(),
        })
    }

    /// The renewal pipeline: one result per input row (none dropped), sorted by the next
    /// due milestone (earliest first; contracts with nothing left to do after those with
    /// something, by renewal date), then by id. Rows that failed keep their file order
    /// after the dated ones.
    ///
    /// # Example
    /// ```
    /// use csrubric::renewal::RenewalPlaybook;
    /// use csrubric::input::read_csv;
    /// use chrono::NaiveDate;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/renewal/cradle-to-grave.toml");
    /// let playbook = RenewalPlaybook::from_path(path.as_ref())?;
    /// let rows = read_csv("c.csv", "id,start,end\nlate,2026-01-01,2027-12-31\nsoon,2026-01-01,2027-03-31\nbad,2026-01-01,never\n")?;
    /// let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    /// let pipeline = playbook.pipeline(&rows, today);
    /// assert_eq!(pipeline.len(), 3);
    /// assert_eq!(pipeline[0].as_ref().unwrap().id, "soon");
    /// assert!(pipeline[2].is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pipeline(
        &self,
        rows: &Rows,
        today: NaiveDate,
    ) -> Vec<Result<RenewalResult, RenewalRowError>> {
        let mut out: Vec<Result<RenewalResult, RenewalRowError>> = rows
            .iter()
            .map(|row| match row {
                Err(e) => Err(RenewalRowError::Input(e.clone())),
                Ok(r) => Contract::from_record(r)
                    .and_then(|c| self.schedule(&c, today))
                    .map_err(RenewalRowError::Renewal),
            })
            .collect();
        out.sort_by(|a, b| match (a, b) {
            (Ok(a), Ok(b)) => pipeline_key(a).cmp(&pipeline_key(b)),
            (Ok(_), Err(_)) => std::cmp::Ordering::Less,
            (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
            (Err(_), Err(_)) => std::cmp::Ordering::Equal,
        });
        out
    }
}

impl RenewalPlaybook {
    /// The date of milestone `m` at offset `o` from `end`, moved as the playbook says.
    fn milestone_date(
        &self,
        m: &MilestoneSpec,
        end: NaiveDate,
        o: i64,
        at: &ContractRef,
    ) -> Result<NaiveDate, RenewalError> {
        let adjust = m.adjust.unwrap_or(self.spec.adjust);
        let calendar = || {
            self.calendar
                .as_ref()
                .ok_or_else(|| RenewalError::NoCalendar {
                    at: at.clone(),
                    milestone: m.id.clone(),
                })
        };
        let cal_err = |e: crate::calendar::CalendarError| RenewalError::Calendar {
            at: at.clone(),
            milestone: m.id.clone(),
            message: e.to_string(),
        };
        let date = match m.unit {
            OffsetUnit::BusinessDays => calendar()?.add_working_days(end, o).map_err(cal_err)?,
            unit => offset_date(end, o, unit).ok_or_else(|| RenewalError::OutOfRange {
                at: at.clone(),
                what: format!("milestone `{}`", m.id),
            })?,
        };
        match adjust {
            Adjust::None => Ok(date),
            Adjust::PreviousWorkingDay => {
                calendar()?.on_or_before_working_day(date).map_err(cal_err)
            }
        }
    }
}

fn pipeline_key(r: &RenewalResult) -> (bool, Option<NaiveDate>, NaiveDate, &str) {
    (r.next_due.is_none(), r.next_due, r.renewal_date, &r.id)
}

/// A pipeline row that could not be dated: the input row was unusable, or the contract did
/// not fit the playbook.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenewalRowError {
    /// The input row could not be read.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// The contract could not be scheduled.
    #[error(transparent)]
    Renewal(#[from] RenewalError),
}

impl RenewalRowError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            RenewalRowError::Input(e) => e.code(),
            RenewalRowError::Renewal(e) => e.code(),
        }
    }

    /// The 1-based input row.
    pub fn row(&self) -> Option<usize> {
        match self {
            RenewalRowError::Input(e) => e.row(),
            RenewalRowError::Renewal(e) => Some(e.contract().row),
        }
    }

    /// The contract id, when the row had one.
    pub fn id(&self) -> Option<&str> {
        match self {
            RenewalRowError::Input(_) => None,
            RenewalRowError::Renewal(e) => Some(&e.contract().id),
        }
    }
}

/// `date` moved by `offset` calendar units (negative is earlier). Business-day offsets are
/// counted by the playbook's calendar, never here; they are read as days if they come.
pub(crate) fn offset_date(date: NaiveDate, offset: i64, unit: OffsetUnit) -> Option<NaiveDate> {
    match unit {
        OffsetUnit::Days | OffsetUnit::BusinessDays => {
            date.checked_add_signed(chrono::TimeDelta::try_days(offset)?)
        }
        OffsetUnit::Months => {
            let m = Months::new(u32::try_from(offset.unsigned_abs()).ok()?);
            if offset >= 0 {
                date.checked_add_months(m)
            } else {
                date.checked_sub_months(m)
            }
        }
    }
}

/// The end of the term of an auto-renewing contract that contains `today` (or the first
/// term, when `today` is not past its end), and which term it is.
///
/// Terms repeat the contract's length: in whole months when the contract is a whole number
/// of months (`start + n months` is the day after `end`, as for 2026-01-01..2026-12-31, or
/// `end` itself), so month-end and leap-day contracts renew to the same calendar position;
/// otherwise in days (`end - start + 1` days per term).
fn current_term_end(c: &Contract, today: NaiveDate) -> Option<(NaiveDate, u32)> {
    if today <= c.end {
        return Some((c.end, 1));
    }
    let day_after = c.end.succ_opt()?;
    // Only month counts next to the calendar distance from start to the day after the end
    // can land on `end` or the day after it.
    let approx = (i64::from(day_after.year()) - i64::from(c.start.year())) * 12
        + i64::from(day_after.month())
        - i64::from(c.start.month());
    let months = (approx - 1..=approx + 1)
        .filter_map(|n| u32::try_from(n).ok().filter(|n| *n > 0))
        .find(|n| {
            c.start
                .checked_add_months(Months::new(*n))
                .is_some_and(|d| d == day_after || d == c.end)
        });
    let mut term = 1u32;
    let mut end = c.end;
    while end < today {
        term = term.checked_add(1)?;
        end = match months {
            Some(n) => {
                let next = c
                    .start
                    .checked_add_months(Months::new(n.checked_mul(term)?))?;
                if c.start.checked_add_months(Months::new(n))? == day_after {
                    next.pred_opt()?
                } else {
                    next
                }
            }
            None => {
                let len = (c.end - c.start).num_days() + 1;
                c.end.checked_add_signed(chrono::TimeDelta::try_days(
                    len.checked_mul(i64::from(term) - 1)?,
                )?)?
            }
        };
    }
    Some((end, term))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn offsets_in_days_and_months() {
        assert_eq!(
            offset_date(d("2027-06-30"), -180, OffsetUnit::Days),
            Some(d("2027-01-01"))
        );
        assert_eq!(
            offset_date(d("2028-02-29"), -90, OffsetUnit::Days),
            Some(d("2027-12-01"))
        );
        assert_eq!(
            offset_date(d("2026-08-31"), 6, OffsetUnit::Months),
            Some(d("2027-02-28"))
        );
        assert_eq!(
            offset_date(d("2027-08-31"), 6, OffsetUnit::Months),
            Some(d("2028-02-29"))
        );
        assert_eq!(
            offset_date(d("2027-03-31"), -1, OffsetUnit::Months),
            Some(d("2027-02-28"))
        );
        assert_eq!(
            offset_date(d("2026-01-01"), i64::MAX, OffsetUnit::Days),
            None
        );
    }

    #[test]
    fn auto_renew_rolls_whole_month_terms() {
        let mut c = Contract::new("a", d("2026-01-01"), d("2026-12-31"));
        c.auto_renew = true;
        assert_eq!(
            current_term_end(&c, d("2026-12-31")),
            Some((d("2026-12-31"), 1))
        );
        assert_eq!(
            current_term_end(&c, d("2027-01-01")),
            Some((d("2027-12-31"), 2))
        );
        assert_eq!(
            current_term_end(&c, d("2029-06-01")),
            Some((d("2029-12-31"), 4))
        );
        // A term starting on the 29th of February renews on the last day of February.
        let c2 = Contract {
            start: d("2024-02-29"),
            end: d("2025-02-28"),
            ..c.clone()
        };
        assert_eq!(
            current_term_end(&c2, d("2025-03-01")),
            Some((d("2026-02-28"), 2))
        );
        assert_eq!(
            current_term_end(&c2, d("2027-03-01")),
            Some((d("2028-02-29"), 4))
        );
        // Monthly term ending on the 31st: 2027-01-31 -> 2027-02-28 -> 2027-03-31.
        let c3 = Contract {
            start: d("2027-01-01"),
            end: d("2027-01-31"),
            ..c.clone()
        };
        assert_eq!(
            current_term_end(&c3, d("2027-02-15")),
            Some((d("2027-02-28"), 2))
        );
        assert_eq!(
            current_term_end(&c3, d("2027-03-01")),
            Some((d("2027-03-31"), 3))
        );
        // Not a whole number of months: 10-day terms.
        let c4 = Contract {
            start: d("2027-01-01"),
            end: d("2027-01-10"),
            ..c
        };
        assert_eq!(
            current_term_end(&c4, d("2027-01-11")),
            Some((d("2027-01-20"), 2))
        );
    }

    #[test]
    fn flags_and_days_are_strict() {
        assert_eq!(parse_flag(&Value::Text("Yes".into())), Ok(true));
        assert_eq!(
            parse_flag(&Value::Number(rust_decimal::Decimal::ZERO)),
            Ok(false)
        );
        assert!(parse_flag(&Value::Text("maybe".into())).is_err());
        assert_eq!(
            whole_days(&Value::Number(rust_decimal::Decimal::from(30))),
            Ok(30)
        );
        assert!(whole_days(&Value::Number(rust_decimal::Decimal::new(305, 1))).is_err());
        assert!(whole_days(&Value::Number(rust_decimal::Decimal::from(-1))).is_err());
    }
}
