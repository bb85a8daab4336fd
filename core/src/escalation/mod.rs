//! Escalation matrices and SLA clocks on business-hours calendars.
//!
//! Three rubric kinds live here:
//!
//! * `sla` ([`SlaPolicy`]): support tier x priority -> first-response, resolution and
//!   management-notification targets, each tier on a coverage [`Calendar`]; which ticket
//!   statuses pause which clock. The SLA state of a ticket ([`SlaPolicy::evaluate`]) is a
//!   pure function of its event log and the instant asked about.
//! * `escalation` ([`EscalationMatrix`]): ordered levels whose criteria are data, with an
//!   explicit hit policy (`first` or `collect`, as in DMN) and static checks for unreachable
//!   rows and gaps when the matrix is loaded.
//! * `alerts` ([`AlertRules`]): proactive-monitoring triggers mapped to a response protocol,
//!   an owner and an SLA.
//!
//! Targets are written `"30m"`, `"4h"` (open time on the tier's calendar: a target of N
//! business hours counts only open hours) or `"3bd"` (N whole working days, see
//! [`Calendar::add_business_days`]).
//!
//! # Example
//! ```
//! use csrubric::escalation::{SlaPolicy, Ticket};
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-sla.toml");
//! let policy = SlaPolicy::from_path(path.as_ref())?;
//! // An Enterprise P1 (24/7, 30 minutes to first response, 4 hours to resolution).
//! let ticket = Ticket::new("T-1", "enterprise", "P1", "2026-11-21T23:50:00+01:00".parse()?);
//! let state = policy.evaluate(&ticket, "2026-11-22T00:30:00+01:00".parse()?)?;
//! assert_eq!(state.breached, vec!["first_response".to_string()]);
//! assert_eq!(state.target("resolution").unwrap().due.unwrap().to_rfc3339(),
//!            "2026-11-22T02:50:00+00:00"); // 22:50 UTC + 4h
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod alerts;
mod matrix;
mod sla;

pub use alerts::{AlertResult, AlertRule, AlertRules, AlertRulesFile, ALERTS_KIND};
pub use matrix::{
    Condition, EscalationMatrix, GapPolicy, HitPolicy, InputSpec, LevelMatch, LevelSpec,
    MatrixFile, MatrixResult, MatrixScriptsSpec, MatrixWarning, ScriptCheck, Within, MATRIX_KIND,
};
pub use sla::{
    ClockState, Event, EventKind, NextEscalation, PausingSpec, SlaPolicies, SlaPolicy,
    SlaPolicyFile, SlaResult, TargetStatus, Ticket, TierSpec, SLA_KIND,
};

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::calendar::{Calendar, CalendarError};

/// Errors evaluating one ticket or case. The other rows of a batch are unaffected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EscalationError {
    /// A field of the ticket or case is missing or malformed.
    #[error("{at}: `{field}`: {message}")]
    Input {
        /// Which ticket or case.
        at: CaseRef,
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The ticket names a tier or priority the policy does not have.
    #[error("{at}: `{field}` = `{value}` is not in the policy (known: {known})")]
    Unknown {
        /// Which ticket.
        at: CaseRef,
        /// `tier` or `priority`.
        field: String,
        /// The value given.
        value: String,
        /// The values the policy knows.
        known: String,
    },
    /// A calendar computation failed.
    #[error("{at}: {source}")]
    Calendar {
        /// Which ticket or case.
        at: CaseRef,
        /// The calendar's error.
        source: CalendarError,
    },
}

impl EscalationError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            EscalationError::Input { .. } => "invalid_input",
            EscalationError::Unknown { .. } => "unknown_value",
            EscalationError::Calendar { source, .. } => source.code(),
        }
    }
}

/// Which ticket or case (and input row) an error is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRef {
    /// The ticket or case id.
    pub id: String,
    /// 1-based data row, 0 when built in code.
    pub row: usize,
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.row > 0 {
            write!(f, "row {} (`{}`)", self.row, self.id)
        } else {
            write!(f, "`{}`", self.id)
        }
    }
}

/// A target duration: open time, or whole working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Open time on the calendar (`"30m"`, `"4h"`); `"0m"` or `"immediate"` is zero.
    OpenTime(TimeDelta),
    /// N whole working days (`"3bd"`).
    BusinessDays(i64),
}

impl Target {
    /// Parses `"30m"`, `"4h"`, `"3bd"` or `"immediate"`.
    ///
    /// # Errors
    /// A message saying what the text should look like.
    ///
    /// # Example
    /// ```
    /// use csrubric::escalation::Target;
    /// use chrono::TimeDelta;
    /// assert_eq!(Target::parse("4h")?, Target::OpenTime(TimeDelta::hours(4)));
    /// assert_eq!(Target::parse("10bd")?, Target::BusinessDays(10));
    /// assert!(Target::parse("4 hours").is_err());
    /// # Ok::<(), String>(())
    /// ```
    pub fn parse(text: &str) -> Result<Target, String> {
        let t = text.trim();
        if t == "immediate" {
            return Ok(Target::OpenTime(TimeDelta::zero()));
        }
        let bad = || {
            format!("`{t}` is not a target: write minutes `30m`, hours `4h`, business days `3bd` or `immediate`")
        };
        let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let (num, unit) = t.split_at(split);
        let n: i64 = num.parse().map_err(|_| bad())?;
        if n > 100_000 {
            return Err(format!("`{t}` is too long a target"));
        }
        match unit {
            "m" => Ok(Target::OpenTime(TimeDelta::minutes(n))),
            "h" => Ok(Target::OpenTime(TimeDelta::hours(n))),
            "bd" => Ok(Target::BusinessDays(n)),
            _ => Err(bad()),
        }
    }

    /// The open time this target amounts to for a clock started at `start` (for business
    /// days: the open time in `start` + N whole working days).
    fn open_time(self, cal: &Calendar, start: DateTime<Utc>) -> Result<TimeDelta, CalendarError> {
        match self {
            Target::OpenTime(d) => Ok(d),
            Target::BusinessDays(n) => {
                let due = cal.add_business_days(start, n)?;
                cal.working_time(start, due)
            }
        }
    }
}

/// Formats a duration as `1h 30m` (seconds shown only when not whole minutes).
pub fn format_duration(d: TimeDelta) -> String {
    let neg = d < TimeDelta::zero();
    let total = d.num_seconds().unsigned_abs();
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 || (h == 0 && s == 0) {
        if h > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!(" {s}s"));
    }
    out
}

/// Parses an RFC 3339 instant with an offset; naive timestamps are rejected.
///
/// # Errors
/// A message naming the text.
///
/// # Example
/// ```
/// use csrubric::escalation::parse_instant;
/// assert!(parse_instant("2026-11-23T10:00:00+01:00").is_ok());
/// assert!(parse_instant("2026-11-23T10:00:00").is_err());
/// ```
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "`{text}` is not an RFC 3339 timestamp with an offset (such as `2026-11-23T10:00:00+01:00`); naive timestamps are rejected"
            )
        })
}
