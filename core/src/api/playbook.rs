//! Plans (`plan`), triage (`triage`), CSM capacity (`capacity`) and interventions
//! (`interventions`): what `csrubric plan`, `triage`, `capacity` and `interventions` print
//! with `--format json`; and the `csrubric check` summaries of these kinds.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::lifecycle::{optional_day, read_calendar};
use super::{rows_from_json, ApiError};
use crate::answer::{Row, RowFailure};
use crate::calendar::Calendar;
use crate::input::{InputError, Record, Rows};
use crate::playbook::{
    Account, AccountInterventions, CapacityRatios, CapacityReport, InterventionRules, Plan,
    PlanStatus, PlanTemplate, PlaybookError, RosterEntry, TicketTriage, TriageRules,
};
use crate::rubric::FileReader;

/// Options of the `plan` operation (it takes no input rows).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The kickoff date (`YYYY-MM-DD`), moved to the next working day when it is not one.
    /// Required.
    #[serde(default, deserialize_with = "optional_day")]
    pub kickoff: Option<NaiveDate>,
    /// An implementation package (or segment) of the template.
    #[serde(default)]
    pub package: Option<String>,
    /// An industry template.
    #[serde(default)]
    pub industry: Option<String>,
    /// A working calendar file (`kind = "calendar"`), read through the operation's reader,
    /// relative to the current directory. Default: the template's `calendar`.
    #[serde(default)]
    pub calendar: Option<PathBuf>,
    /// Report the plan's status on this date (`YYYY-MM-DD`): current phase, late
    /// activities, projected go-live.
    #[serde(default, deserialize_with = "optional_day")]
    pub as_of: Option<NaiveDate>,
    /// Activities already done, for `as_of`.
    #[serde(default)]
    pub done: Vec<String>,
}

/// A dated plan, with its status when `as_of` was given (what `csrubric plan --format
/// json` prints).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanAnswer {
    /// The dated plan.
    pub plan: Plan,
    /// Its status on `as_of`.
    pub status: Option<PlanStatus>,
}

fn plan_options(option: Option<&str>, message: impl Into<String>) -> ApiError {
    ApiError::Options {
        op: "plan".into(),
        option: option.map(str::to_string),
        message: message.into(),
    }
}

fn domain(e: &PlaybookError) -> ApiError {
    ApiError::failed(e.code(), e)
}

/// A dated onboarding or implementation plan from a template: the `plan` operation. The
/// plan comes from the options alone; `rows` must be empty.
///
/// # Errors
/// [`ApiError::Options`] when `kickoff` is missing, no calendar is known, `done` is given
/// without `as_of`, or rows are given; [`ApiError::Rubric`] for a calendar file that cannot
/// be loaded; [`ApiError::Failed`] with the [`PlaybookError`] code for an unknown package,
/// industry or activity.
///
/// # Example
/// ```
/// use csrubric::api::playbook::{plan, PlanRequest};
/// use csrubric::playbook::PlanTemplate;
/// use csrubric::rubric::read_from_disk;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-implementation.toml");
/// let template = PlanTemplate::from_path(path.as_ref())?;
/// let request = PlanRequest {
///     kickoff: "2027-01-04".parse().ok(),
///     package: Some("standard".into()),
///     ..PlanRequest::default()
/// };
/// let answer = plan(&template, &Vec::new(), &request, &read_from_disk)?;
/// // Standard is 8-10 weeks, planned to 10: go-live on the 50th working day, 2027-03-12.
/// assert_eq!(answer.plan.go_live.to_string(), "2027-03-12");
/// let err = plan(&template, &Vec::new(), &PlanRequest::default(), &read_from_disk).unwrap_err();
/// assert_eq!(err.code(), "invalid_options");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan(
    template: &PlanTemplate,
    rows: &Rows,
    request: &PlanRequest,
    reader: FileReader<'_>,
) -> Result<PlanAnswer, ApiError> {
    if !rows.is_empty() {
        return Err(plan_options(None, format!(
            "a plan takes no input rows (got {}): give `kickoff`, `package`, `industry`... as options",
            rows.len()
        )));
    }
    let kickoff = request.kickoff.ok_or_else(|| {
        plan_options(
            Some("kickoff"),
            "`kickoff` (the kickoff date, YYYY-MM-DD) is required",
        )
    })?;
    if request.as_of.is_none() && !request.done.is_empty() {
        return Err(plan_options(Some("done"), "`done` needs `as_of`"));
    }
    let own: Calendar;
    let cal = match (&request.calendar, template.calendar()) {
        (Some(path), _) => {
            own = read_calendar(path, reader)?;
            &own
        }
        (None, Some(c)) => c,
        (None, None) => {
            return Err(plan_options(
                Some("calendar"),
                "the template names no `calendar`: give a `calendar` file",
            ))
        }
    };
    let plan = template
        .schedule(
            cal,
            kickoff,
            request.package.as_deref(),
            request.industry.as_deref(),
        )
        .map_err(|e| domain(&e))?;
    let status = match request.as_of {
        Some(d) => Some(plan.status(cal, d, &request.done).map_err(|e| domain(&e))?),
        None => None,
    };
    Ok(PlanAnswer { plan, status })
}

/// Options of the `triage` operation (it has none).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageRequest {}

/// Priority and route of each ticket in `rows` (`id` and a column per input of the rules):
/// the `triage` operation. A ticket that cannot be triaged is a failed row in its place.
/// The rules' load-time warnings are [`crate::api::AnyRubric::warnings`]; a ticket's own
/// (the fallback route) are in its `warnings`.
///
/// # Example
/// ```
/// use csrubric::api::playbook::{triage, TriageRequest};
/// use csrubric::input::read_csv;
/// use csrubric::playbook::TriageRules;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-triage.toml");
/// let rules = TriageRules::from_path(path.as_ref())?;
/// let rows = read_csv("t.csv", "id,system_down,impact,workaround,category,tier\n\
///     T-1,true,severe,false,outage,enterprise\nT-2,false,huge,,technical,standard\n")?;
/// let out = triage(&rules, &rows, &TriageRequest {});
/// assert_eq!(out[0].ok().unwrap().priority, "P1");
/// assert_eq!(out[1].failure().unwrap().error.code, "invalid_input");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn triage(
    rules: &TriageRules,
    rows: &Rows,
    _request: &TriageRequest,
) -> Vec<Row<TicketTriage>> {
    each_row(rows, |r| rules.triage_record(r))
}

/// Options of the `capacity` operation: the input rows are the portfolio (`id`, `segment`,
/// optional `tier`, `implementing`, `csm`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityRequest {
    /// The roster: an array of objects with `id` (the person, as named in the portfolio's
    /// `csm` column) and `role`, read like input rows (see [`rows_from_json`]).
    #[serde(default, deserialize_with = "roster_rows")]
    pub roster: Option<Rows>,
}

fn roster_rows<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rows>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    if value.is_null() {
        return Ok(None);
    }
    match rows_from_json("roster", &value) {
        Ok(rows) => Ok(Some(rows)),
        Err(ApiError::Input(InputError::File { message, .. })) => {
            Err(serde::de::Error::custom(message))
        }
        Err(e) => Err(serde::de::Error::custom(e)),
    }
}

/// A capacity report with the rows left out of it (what `csrubric capacity --format json`
/// prints). In JSON the two lists of failed rows are one list, `errors`: the portfolio's
/// first, then the roster's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityAnswer {
    /// Headcount per role, the tier split, uncovered accounts, overloaded people.
    pub report: CapacityReport,
    /// Portfolio rows left out (unreadable, no `segment`...).
    pub portfolio_errors: Vec<RowFailure>,
    /// Roster rows left out; their messages start with `roster: `.
    pub roster_errors: Vec<RowFailure>,
}

impl Serialize for CapacityAnswer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let errors: Vec<&RowFailure> = self
            .portfolio_errors
            .iter()
            .chain(&self.roster_errors)
            .collect();
        let mut out = s.serialize_struct("CapacityAnswer", 2)?;
        out.serialize_field("report", &self.report)?;
        out.serialize_field("errors", &errors)?;
        out.end()
    }
}

/// CSM headcount for the portfolio in `rows` under capacity ratios, against the roster
/// when given: the `capacity` operation. Rows that cannot be read are left out and listed.
///
/// # Example
/// ```
/// use csrubric::api::playbook::{capacity, CapacityRequest};
/// use csrubric::input::read_csv;
/// use csrubric::playbook::CapacityRatios;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-capacity.toml");
/// let ratios = CapacityRatios::from_path(path.as_ref())?;
/// let rows = read_csv("p.csv", "id,segment\nA-1,enterprise\nA-2,\n")?;
/// let answer = capacity(&ratios, &rows, &CapacityRequest::default());
/// assert_eq!(answer.report.accounts, 1);
/// assert_eq!(answer.portfolio_errors[0].row, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn capacity(ratios: &CapacityRatios, rows: &Rows, request: &CapacityRequest) -> CapacityAnswer {
    let (accounts, portfolio_errors) = split(rows, Account::from_record, "");
    let (roster, roster_errors) = match &request.roster {
        Some(r) => {
            let (entries, errors) = split(r, RosterEntry::from_record, "roster: ");
            (Some(entries), errors)
        }
        None => (None, Vec::new()),
    };
    CapacityAnswer {
        report: ratios.report(&accounts, roster.as_deref()),
        portfolio_errors,
        roster_errors,
    }
}

/// Parses every row with `parse`; the failures go to the second list, the messages of the
/// rows' own problems (not the input reader's, which name their file) prefixed with
/// `prefix`.
fn split<T>(
    rows: &Rows,
    parse: impl Fn(&Record) -> Result<T, PlaybookError>,
    prefix: &str,
) -> (Vec<T>, Vec<RowFailure>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for row in rows {
        match row.as_ref().map(|r| (r, parse(r))) {
            Err(e) => failed.push(RowFailure::from_input(e)),
            Ok((_, Ok(t))) => ok.push(t),
            Ok((r, Err(e))) => failed.push(RowFailure::new(
                Some(r.id.clone()),
                r.row,
                e.code(),
                format!("{prefix}{e}"),
            )),
        }
    }
    (ok, failed)
}

/// Options of the `interventions` operation (it has none).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionsRequest {}

/// Risk level and intervention playbooks of each account in `rows` (`id`, `band`, `start`,
/// optional `risks`; for exit checks `measured`, `baseline_<metric>`, `current_<metric>`):
/// the `interventions` operation. An account that cannot be evaluated is a failed row in
/// its place.
///
/// # Example
/// ```
/// use csrubric::api::playbook::{interventions, InterventionsRequest};
/// use csrubric::input::read_csv;
/// use csrubric::playbook::InterventionRules;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-interventions.toml");
/// let rules = InterventionRules::from_path(path.as_ref())?;
/// let rows = read_csv("a.csv", "id,band,start\nA-4,Critical,2027-01-04\nA-6,Amber,2027-01-04\n")?;
/// let out = interventions(&rules, &rows, &InterventionsRequest {});
/// assert_eq!(out[0].ok().unwrap().plan.risk_level, "critical");
/// assert_eq!(out[1].failure().unwrap().error.code, "invalid_input");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn interventions(
    rules: &InterventionRules,
    rows: &Rows,
    _request: &InterventionsRequest,
) -> Vec<Row<AccountInterventions>> {
    each_row(rows, |r| rules.evaluate_record(r))
}

/// One answer row per input row: `f`'s result, or the failure of the row.
fn each_row<T>(rows: &Rows, f: impl Fn(&Record) -> Result<T, PlaybookError>) -> Vec<Row<T>> {
    rows.iter()
        .map(|row| match row {
            Err(e) => Row::Failed(RowFailure::from_input(e)),
            Ok(r) => match f(r) {
                Ok(t) => Row::Ok(t),
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

/// `csrubric check`'s summary of a plan template: phases, activities, packages and
/// industries.
///
/// # Example
/// ```
/// use csrubric::api::playbook::plan_summary;
/// use csrubric::playbook::PlanTemplate;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-implementation.toml");
/// let s = plan_summary(&PlanTemplate::from_path(path.as_ref())?);
/// assert!(s.starts_with("5 phases, "), "{s}");
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn plan_summary(t: &PlanTemplate) -> String {
    let s = t.spec();
    format!(
        "{} phases, {} activities, {} packages, {} industries",
        s.phases.len(),
        s.activities.len(),
        s.packages.len(),
        s.industries.len()
    )
}

/// `csrubric check`'s summary of triage rules: the number of priority and routing rules.
///
/// # Example
/// ```
/// use csrubric::api::playbook::triage_summary;
/// use csrubric::playbook::TriageRules;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-triage.toml");
/// let s = triage_summary(&TriageRules::from_path(path.as_ref())?);
/// assert!(s.ends_with(" routing rules"), "{s}");
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn triage_summary(t: &TriageRules) -> String {
    format!(
        "{} priority rules, {} routing rules",
        t.spec().priority.rules.len(),
        t.spec().routing.rules.len()
    )
}

/// `csrubric check`'s summary of capacity ratios: the number of roles and tiers.
///
/// # Example
/// ```
/// use csrubric::api::playbook::capacity_summary;
/// use csrubric::playbook::CapacityRatios;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-capacity.toml");
/// let s = capacity_summary(&CapacityRatios::from_path(path.as_ref())?);
/// assert_eq!(s, "4 roles, 2 tiers");
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn capacity_summary(c: &CapacityRatios) -> String {
    format!(
        "{} roles, {} tiers",
        c.spec().roles.len(),
        c.spec().tiers.len()
    )
}

/// `csrubric check`'s summary of intervention rules: levels, risks and playbooks.
///
/// # Example
/// ```
/// use csrubric::api::playbook::interventions_summary;
/// use csrubric::playbook::InterventionRules;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-interventions.toml");
/// let s = interventions_summary(&InterventionRules::from_path(path.as_ref())?);
/// assert!(s.ends_with(" playbooks"), "{s}");
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn interventions_summary(i: &InterventionRules) -> String {
    format!(
        "{} levels, {} risks, {} playbooks",
        i.spec().levels.len(),
        i.spec().risks.len(),
        i.spec().playbooks.len()
    )
}
