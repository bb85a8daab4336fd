//! SLA clocks (`sla`), escalation matrices (`escalate`), alert rules (`alerts`) and business
//! time on a calendar (`business_time`): one answer row per input row, in order.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::answer::{Row, RowFailure};
use crate::calendar::Calendar;
use crate::escalation::{
    format_duration, parse_instant, AlertResult, AlertRules, EscalationMatrix, LevelMatch,
    SlaPolicies, SlaPolicy, SlaResult, Target, Ticket,
};
use crate::input::{Record, Rows};
use crate::rubric::Stamp;
use crate::Instant;

/// Options of the `sla` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaRequest {
    /// The instant to evaluate at (RFC 3339 with an offset). Default: now.
    #[serde(default)]
    pub at: Option<Instant>,
}

/// Options of the `escalate` and `alerts` operations.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalateRequest {
    /// The instant to evaluate at (RFC 3339 with an offset): a case without `since` or
    /// `opened_at` (an account without `detected_at`) starts then. Default: now.
    #[serde(default)]
    pub at: Option<Instant>,
}

/// Options of the `business_time` operation (none yet).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessTimeRequest {}

/// The SLA state of `rows` (tickets) under one policy: the `sla` operation.
///
/// # Errors
/// None today (the signature leaves room for whole-request problems); every ticket problem
/// is a failed row.
///
/// # Example
/// ```
/// use csrubric::api::escalation::{sla, SlaRequest};
/// use csrubric::escalation::SlaPolicy;
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-sla.toml");
/// let policy = SlaPolicy::from_path(path.as_ref())?;
/// let rows = read_csv("t.csv", "id,tier,priority,opened_at\nT-1,standard,P2,2026-11-20T15:30:00+01:00\nT-2,gold,P2,2026-11-20T15:30:00+01:00\n")?;
/// let at = csrubric::parse_instant("2026-11-23T10:00:00+01:00")?;
/// let answer = sla(&policy, &rows, &SlaRequest { at: Some(at) })?;
/// // Standard P2 first response 8 business hours: 1.5h Friday + 6.5h Monday.
/// let t1 = answer[0].ok().unwrap();
/// assert_eq!(t1.target("first_response").unwrap().due.unwrap().to_rfc3339(), "2026-11-23T15:30:00+01:00");
/// assert_eq!(answer[1].failure().unwrap().row, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sla(
    policy: &SlaPolicy,
    rows: &Rows,
    request: &SlaRequest,
) -> Result<Vec<Row<SlaResult>>, ApiError> {
    let versions = SlaPolicies::new(vec![policy.clone()])
        .map_err(|m| ApiError::failed("invalid_policy", m))?;
    Ok(sla_versions(
        &versions,
        rows,
        request.at.unwrap_or_else(Utc::now),
    ))
}

/// The SLA state of `rows` at `at`, each ticket under the policy version in force when it
/// opened.
pub fn sla_versions(policies: &SlaPolicies, rows: &Rows, at: Instant) -> Vec<Row<SlaResult>> {
    rows.iter()
        .map(|row| match row {
            Err(e) => Row::Failed(RowFailure::from_input(e)),
            Ok(r) => match Ticket::from_record(r).and_then(|t| policies.evaluate(&t, at)) {
                Ok(s) => Row::Ok(s),
                Err(e) => Row::Failed(RowFailure::new(
                    Some(r.id.clone()),
                    r.row,
                    e.code(),
                    e.to_string(),
                )),
            },
        })
        .collect()
}

/// One case under an escalation matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EscalationRow {
    /// The case id.
    pub id: String,
    /// 1-based input row.
    pub row: usize,
    /// The matrix's hit policy.
    pub hit_policy: crate::escalation::HitPolicy,
    /// The levels that match, in file order (at most one under `first`).
    pub matches: Vec<LevelMatch>,
    /// Every script criterion evaluated for this case, with what it returned and printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<crate::escalation::ScriptCheck>,
    /// The matrix that decided.
    pub matrix: Stamp,
}

/// The escalation level of `rows` (cases) under a matrix: the `escalate` operation. A
/// case's clock starts at its `since` cell, else `opened_at`, else the request's `at`; an
/// `sla_due` cell is the SLA deadline rows may test.
///
/// # Example
/// ```
/// use csrubric::api::escalation::{escalate, EscalateRequest};
/// use csrubric::escalation::EscalationMatrix;
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/cradle-to-grave.toml");
/// let matrix = EscalationMatrix::from_path(path.as_ref())?;
/// let rows = read_csv("c.csv", "id,category\nc1,performance_issue\nc2,weather\n")?;
/// let answer = escalate(&matrix, &rows, &EscalateRequest::default());
/// // Seed 004: performance issues are a technical (Level 2) escalation.
/// assert_eq!(answer[0].ok().unwrap().matches[0].level, "Level 2");
/// assert_eq!(answer[1].failure().unwrap().error.code, "invalid_input");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn escalate(
    matrix: &EscalationMatrix,
    rows: &Rows,
    request: &EscalateRequest,
) -> Vec<Row<EscalationRow>> {
    let at = request.at.unwrap_or_else(Utc::now);
    rows.iter()
        .map(|row| {
            let r = match row {
                Ok(r) => r,
                Err(e) => return Row::Failed(RowFailure::from_input(e)),
            };
            let times = (|| {
                let since = match instant_cell(r, "since")? {
                    Some(s) => s,
                    None => instant_cell(r, "opened_at")?.unwrap_or(at),
                };
                Ok::<_, String>((since, instant_cell(r, "sla_due")?))
            })();
            let (since, sla_due) = match times {
                Ok(t) => t,
                Err(m) => return failed(r, format!("row {}: {m}", r.row)),
            };
            let facts: BTreeMap<String, String> = r
                .values
                .keys()
                .filter_map(|k| r.text(k).map(|v| (k.clone(), v)))
                .collect();
            match matrix.evaluate_case(&r.id, &facts, since, sla_due) {
                Ok(res) => Row::Ok(EscalationRow {
                    id: r.id.clone(),
                    row: r.row,
                    hit_policy: res.hit_policy,
                    matches: res.matches,
                    scripts: res.scripts,
                    matrix: res.matrix,
                }),
                Err((col, m)) => failed(r, format!("row {} (`{}`): `{col}`: {m}", r.row, r.id)),
            }
        })
        .collect()
}

/// The alerts one account fires.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertsRow {
    /// The account id.
    pub id: String,
    /// 1-based input row.
    pub row: usize,
    /// The alerts that fire, in rule order, each with its owner and due time.
    pub alerts: Vec<AlertResult>,
}

/// The alerts `rows` (accounts) fire under alert rules: the `alerts` operation. Each is
/// detected at the account's `detected_at` cell, else the request's `at`.
///
/// # Example
/// ```
/// use csrubric::api::escalation::{alerts, EscalateRequest};
/// use csrubric::escalation::AlertRules;
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-alerts.toml");
/// let rules = AlertRules::from_path(path.as_ref())?;
/// let rows = read_csv("a.csv", "id,detected_at\na1,yesterday\n")?;
/// let answer = alerts(&rules, &rows, &EscalateRequest::default());
/// assert!(answer[0].failure().unwrap().error.message.contains("`detected_at`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn alerts(rules: &AlertRules, rows: &Rows, request: &EscalateRequest) -> Vec<Row<AlertsRow>> {
    let at = request.at.unwrap_or_else(Utc::now);
    rows.iter()
        .map(|row| {
            let r = match row {
                Ok(r) => r,
                Err(e) => return Row::Failed(RowFailure::from_input(e)),
            };
            let detected = match instant_cell(r, "detected_at") {
                Ok(d) => d.unwrap_or(at),
                Err(m) => return failed(r, format!("row {}: {m}", r.row)),
            };
            match rules.evaluate(r, detected) {
                Ok(fired) => Row::Ok(AlertsRow {
                    id: r.id.clone(),
                    row: r.row,
                    alerts: fired,
                }),
                Err((col, m)) => failed(r, format!("row {} (`{}`): `{col}`: {m}", r.row, r.id)),
            }
        })
        .collect()
}

/// Business time on a calendar for one row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BusinessTime {
    /// The row id.
    pub id: String,
    /// 1-based input row.
    pub row: usize,
    /// The start, in the calendar's zone.
    pub start: String,
    /// The end (given, or the start plus `add` of open time), in the calendar's zone.
    pub end: String,
    /// The open time between start and end (`1h 30m`).
    pub working_time: String,
    /// The same in seconds.
    pub working_seconds: i64,
}

/// Business time on a calendar: the `business_time` operation. Each row has a `start`
/// instant and either an `end` instant (the answer gives the open time between them) or an
/// `add` target such as `4h`, `30m` or `3bd` (the answer gives the end: the earliest instant
/// with that much open time since `start`; `3bd` is three whole working days).
///
/// # Example
/// ```
/// use csrubric::api::escalation::{business_time, BusinessTimeRequest};
/// use csrubric::calendar::Calendar;
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
/// let cal = Calendar::from_path(path.as_ref())?;
/// let rows = read_csv("b.csv", "id,start,add,end\n\
///     a,2026-11-27T15:00:00+01:00,4h,\n\
///     b,2026-11-27T16:00:00+01:00,,2026-11-30T10:00:00+01:00\n")?;
/// let answer = business_time(&cal, &rows, &BusinessTimeRequest::default());
/// // 4 business hours from Friday 15:00 in Berlin: 2 on Friday, 2 on Monday.
/// assert_eq!(answer[0].ok().unwrap().end, "2026-11-30T11:00:00+01:00");
/// // Friday 16:00 to Monday 10:00: 1 hour each day.
/// assert_eq!(answer[1].ok().unwrap().working_time, "2h");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn business_time(
    cal: &Calendar,
    rows: &Rows,
    _request: &BusinessTimeRequest,
) -> Vec<Row<BusinessTime>> {
    rows.iter()
        .map(|row| {
            let r = match row {
                Ok(r) => r,
                Err(e) => return Row::Failed(RowFailure::from_input(e)),
            };
            match business_time_one(cal, r) {
                Ok((start, end, d)) => Row::Ok(BusinessTime {
                    id: r.id.clone(),
                    row: r.row,
                    start: cal.local(start).to_rfc3339(),
                    end: cal.local(end).to_rfc3339(),
                    working_time: format_duration(d),
                    working_seconds: d.num_seconds(),
                }),
                Err((code, m)) => Row::Failed(RowFailure::new(
                    Some(r.id.clone()),
                    r.row,
                    code,
                    format!("row {} (`{}`): {m}", r.row, r.id),
                )),
            }
        })
        .collect()
}

type Span = (DateTime<Utc>, DateTime<Utc>, TimeDelta);

fn business_time_one(cal: &Calendar, r: &Record) -> Result<Span, (&'static str, String)> {
    let input = |m: String| ("invalid_input", m);
    let calendar = |e: crate::calendar::CalendarError| (e.code(), e.to_string());
    let start = instant_cell(r, "start")
        .map_err(input)?
        .ok_or_else(|| input("`start` is required".into()))?;
    let end = instant_cell(r, "end").map_err(input)?;
    let add = r.text("add").filter(|s| !s.trim().is_empty());
    match (end, add) {
        (Some(end), None) => {
            let d = cal.working_time(start, end).map_err(calendar)?;
            Ok((start, end, d))
        }
        (None, Some(add)) => {
            let target = Target::parse(&add).map_err(|m| input(format!("`add`: {m}")))?;
            let end = match target {
                Target::OpenTime(d) => cal.add_working_time(start, d),
                Target::BusinessDays(n) => cal.add_business_days(start, n),
            }
            .map_err(calendar)?;
            let d = cal.working_time(start, end).map_err(calendar)?;
            Ok((start, end, d))
        }
        _ => Err(input("give exactly one of `end` and `add`".into())),
    }
}

fn failed<T>(r: &Record, message: String) -> Row<T> {
    Row::Failed(RowFailure::new(
        Some(r.id.clone()),
        r.row,
        "invalid_input",
        message,
    ))
}

fn instant_cell(r: &Record, col: &str) -> Result<Option<DateTime<Utc>>, String> {
    match r.text(col).filter(|s| !s.trim().is_empty()) {
        Some(s) => parse_instant(&s)
            .map(Some)
            .map_err(|m| format!("`{col}`: {m}")),
        None => Ok(None),
    }
}
