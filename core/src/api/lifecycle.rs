//! Renewals (`renewals`), portfolio KPIs (`kpi`) and journey stages ([`journey`]): what
//! `csrubric renewals`, `csrubric kpi` and `csrubric journey` print with `--format json`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use super::ApiError;
use crate::answer::{Row, RowFailure};
use crate::calendar::Calendar;
use crate::input::{Record, Rows};
use crate::journey::{touch_points, JourneyDates, JourneyMap, StageInfo, TouchPoint};
use crate::kpi::{KpiInput, KpiRubric, KpiValue};
use crate::renewal::{RenewalPlaybook, RenewalResult};
use crate::rubric::{self, FileReader, RubricError, Stamp};
use crate::segment::{AdvocacyLevel, EngagementModel, Success, Tier};

/// Reads a date written `YYYY-MM-DD` (surrounding blanks allowed), with an error naming
/// the text: how every date option and date cell of these operations is read.
///
/// # Errors
/// A message naming the text and the expected form.
///
/// # Example
/// ```
/// use csrubric::api::lifecycle::parse_day;
/// assert_eq!(parse_day(" 2027-06-30 ")?.to_string(), "2027-06-30");
/// assert_eq!(parse_day("2026-13-01").unwrap_err(),
///     "`2026-13-01` is not a date (expected YYYY-MM-DD, such as 2026-11-23)");
/// # Ok::<(), String>(())
/// ```
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (expected YYYY-MM-DD, such as 2026-11-23)"))
}

/// Serde `deserialize_with` for an optional `YYYY-MM-DD` date option (`null` is absent).
pub(super) fn optional_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|s| parse_day(&s).map_err(serde::de::Error::custom))
        .transpose()
}

/// Loads a calendar an option names: `path` is read through `reader` (relative paths are
/// relative to the current directory), with errors naming the file.
pub(super) fn read_calendar(path: &Path, reader: FileReader<'_>) -> Result<Calendar, ApiError> {
    let file = path.display().to_string();
    let format = rubric::Format::from_path(path)?;
    let text = reader(path).map_err(|e| RubricError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    Ok(Calendar::from_str_with_format(&file, &text, format)?)
}

fn today_or_now(day: Option<NaiveDate>) -> NaiveDate {
    day.unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Options of the `renewals` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalsRequest {
    /// The day to schedule for (`YYYY-MM-DD`). Default: today (UTC).
    #[serde(default, deserialize_with = "optional_day")]
    pub today: Option<NaiveDate>,
    /// A working-day calendar file (`kind = "calendar"`, `.toml` or `.json`), read through
    /// the operation's reader, relative to the current directory: needed by playbooks with
    /// business-day offsets or `adjust = "previous_working_day"`.
    #[serde(default)]
    pub calendar: Option<PathBuf>,
}

/// The renewal pipeline of the contracts in `rows`: the `renewals` operation. One row per
/// contract, sorted by the next due milestone (see [`RenewalPlaybook::pipeline`]); a
/// contract that cannot be dated is a failed row (after the dated ones, in file order).
///
/// # Errors
/// [`ApiError::Options`] when the playbook needs a calendar and none is given;
/// [`ApiError::Rubric`] when the calendar cannot be read or loaded.
///
/// # Example
/// ```
/// use csrubric::api::lifecycle::{renewals, RenewalsRequest};
/// use csrubric::input::read_csv;
/// use csrubric::renewal::RenewalPlaybook;
/// use csrubric::rubric::read_from_disk;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/renewal/slavkokernel.toml");
/// let playbook = RenewalPlaybook::from_path(path.as_ref())?;
/// let rows = read_csv("c.csv", "id,start,end\nnorthwind,2026-07-01,2027-06-30\nbad,2026-01-01,never\n")?;
/// let request = RenewalsRequest { today: "2026-11-23".parse().ok(), calendar: None };
/// let out = renewals(&playbook, &rows, &request, &read_from_disk)?;
/// // Seed 001's renewal planning, 180 days before 2027-06-30: 2027-01-01.
/// assert_eq!(out[0].ok().unwrap().next_due.unwrap().to_string(), "2027-01-01");
/// assert_eq!(out[1].failure().unwrap().error.code, "renewal_bad_value");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn renewals(
    playbook: &RenewalPlaybook,
    rows: &Rows,
    request: &RenewalsRequest,
    reader: FileReader<'_>,
) -> Result<Vec<Row<RenewalResult>>, ApiError> {
    let with_calendar;
    let playbook = match &request.calendar {
        Some(path) => {
            with_calendar = playbook.clone().with_calendar(read_calendar(path, reader)?);
            &with_calendar
        }
        None => {
            if let Some(m) = playbook.needs_calendar() {
                return Err(ApiError::Options {
                    op: "renewals".into(),
                    option: Some("calendar".into()),
                    message: format!(
                        "milestone `{m}` counts business days or moves dates to working days: give a `calendar`"
                    ),
                });
            }
            playbook
        }
    };
    let today = today_or_now(request.today);
    Ok(playbook
        .pipeline(rows, today)
        .into_iter()
        .map(|r| match r {
            Ok(r) => Row::Ok(r),
            Err(e) => Row::Failed(RowFailure::new(
                e.id().map(str::to_string),
                e.row().unwrap_or(0),
                e.code(),
                e.to_string(),
            )),
        })
        .collect())
}

/// Options of the `kpi` operation (it has none).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiRequest {}

/// A KPI report (what `csrubric kpi --format json` prints): every KPI with its target, the
/// number of rows counted, and the rows left out as failures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiAnswer {
    /// Every KPI, in [`crate::kpi::KpiId::ALL`] order.
    pub kpis: Vec<KpiValue>,
    /// Rows read successfully and counted.
    pub rows: usize,
    /// Rows left out of every KPI, each with the reason (never silently dropped).
    pub rejected: Vec<RowFailure>,
    /// The targets rubric.
    pub rubric: Stamp,
}

/// Portfolio KPIs of the accounts (or survey responses) in `rows` against a targets rubric:
/// the `kpi` operation. A row that cannot be read is left out of every KPI and listed in
/// `rejected`.
///
/// # Example
/// ```
/// use csrubric::api::lifecycle::{kpi, KpiRequest};
/// use csrubric::input::read_csv;
/// use csrubric::kpi::{KpiId, KpiRubric};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/kpi/slavkokernel.toml");
/// let rubric = KpiRubric::from_path(path.as_ref())?;
/// let rows = read_csv("k.csv", "id,mrr_start,mrr_end\na,100,112\nb,100,oops\n")?;
/// let answer = kpi(&rubric, &rows, &KpiRequest {});
/// let nrr = answer.kpis.iter().find(|k| k.kpi == KpiId::Nrr).unwrap();
/// assert_eq!(nrr.value.unwrap().to_string(), "112.00");
/// assert_eq!((answer.rows, answer.rejected[0].row), (1, 2));
/// assert_eq!(answer.rejected[0].error.code, "kpi_bad_value");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn kpi(rubric: &KpiRubric, rows: &Rows, _request: &KpiRequest) -> KpiAnswer {
    let mut inputs = Vec::new();
    let mut rejected = Vec::new();
    for row in rows {
        match row {
            Err(e) => rejected.push(RowFailure::from_input(e)),
            Ok(r) => match KpiInput::from_record(r) {
                Ok(i) => inputs.push(i),
                Err(e) => rejected.push(RowFailure::new(
                    Some(r.id.clone()),
                    e.row().unwrap_or(r.row),
                    e.code(),
                    e.to_string(),
                )),
            },
        }
    }
    KpiAnswer {
        kpis: rubric.evaluate(&inputs),
        rows: inputs.len(),
        rejected,
        rubric: rubric.stamp().clone(),
    }
}

/// Options of [`journey`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JourneyRequest {
    /// The day to place accounts on (`YYYY-MM-DD`). Default: today (UTC).
    #[serde(default, deserialize_with = "optional_day")]
    pub today: Option<NaiveDate>,
    /// The journey map: `cradle-to-grave` (seed 004's six stages, the default) or
    /// `slavkokernel` (seed 001's five phases).
    #[serde(default)]
    pub map: JourneyMap,
}

/// One account's place on its journey (a row of `csrubric journey --format json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JourneyRow {
    /// The account id.
    pub id: String,
    /// 1-based data row.
    pub row: usize,
    /// The stage on the day.
    pub stage: StageInfo,
    /// Segment and engagement model, when `employees` is given.
    pub engagement: Option<EngagementModel>,
    /// `strategic` when the account is marked strategic, else `standard`.
    pub tier: Tier,
    /// Advocacy level, when `nps` and `success` are given and qualify.
    pub advocacy: Option<AdvocacyLevel>,
    /// The first touch point on or after the day (looking 13 months ahead).
    pub next_touch_point: Option<TouchPoint>,
}

/// Journey stage, owner, segment, engagement tier, advocacy level and next touch point of
/// each account in `rows` (`id`, `go_live` and optional `signed`, `contract_end`,
/// `employees`, `strategic`, `nps`, `success`): what `csrubric journey` prints. Journeys
/// need no rubric. A row that cannot be placed is a failed row in its place.
///
/// # Example
/// ```
/// use csrubric::api::lifecycle::{journey, JourneyRequest};
/// use csrubric::input::read_csv;
/// let rows = read_csv("j.csv", "id,go_live,contract_end\nacme,2026-01-12,2027-01-11\nx,soon,\n")?;
/// let request = JourneyRequest { today: "2026-11-23".parse().ok(), ..JourneyRequest::default() };
/// let out = journey(&rows, &request);
/// // 90 days before 2027-01-11 is 2026-10-13: the renewal stage.
/// assert_eq!(out[0].ok().unwrap().stage.stage, "Renewal or Transition");
/// assert_eq!(out[1].failure().unwrap().error.code, "invalid_input");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn journey(rows: &Rows, request: &JourneyRequest) -> Vec<Row<JourneyRow>> {
    let today = today_or_now(request.today);
    rows.iter()
        .map(|row| match row {
            Err(e) => Row::Failed(RowFailure::from_input(e)),
            Ok(r) => match journey_row(r, request.map, today) {
                Ok(j) => Row::Ok(j),
                Err((code, m)) => Row::Failed(RowFailure::new(
                    Some(r.id.clone()),
                    r.row,
                    code,
                    format!("row {} (account `{}`): {m}", r.row, r.id),
                )),
            },
        })
        .collect()
}

/// A journey row's problem: a stable code and the message (without the row).
type JourneyProblem = (&'static str, String);

fn bad(message: String) -> JourneyProblem {
    ("invalid_input", message)
}

fn date_cell(r: &Record, column: &str) -> Result<Option<NaiveDate>, JourneyProblem> {
    r.text(column)
        .map(|t| parse_day(&t).map_err(|m| bad(format!("`{column}`: {m}"))))
        .transpose()
}

fn journey_row(
    r: &Record,
    map: JourneyMap,
    today: NaiveDate,
) -> Result<JourneyRow, JourneyProblem> {
    let go_live = date_cell(r, "go_live")?.ok_or_else(|| bad("missing `go_live`".into()))?;
    let dates = JourneyDates {
        signed: date_cell(r, "signed")?,
        go_live,
        contract_end: date_cell(r, "contract_end")?,
    };
    let stage = map
        .stage(&dates, today)
        .map_err(|e| (e.code(), e.to_string()))?;
    let strategic = match r.text("strategic") {
        None => false,
        Some(t) => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => true,
            "false" | "no" | "n" | "0" => false,
            _ => return Err(bad(format!("`strategic`: `{t}` is not a yes/no value"))),
        },
    };
    let engagement = match r.number("employees") {
        None => None,
        Some(n) => {
            let n = n.map_err(|m| bad(format!("`employees`: {m}")))?;
            let n = u64::try_from(n.trunc().mantissa())
                .ok()
                .filter(|_| n.fract().is_zero() && n.scale() == 0)
                .ok_or_else(|| bad(format!("`employees`: `{n}` is not a whole number")))?;
            Some(
                EngagementModel::new(n, strategic)
                    .map_err(|e| (e.code(), format!("`employees`: {e}")))?,
            )
        }
    };
    let tier = if strategic {
        Tier::Strategic
    } else {
        Tier::Standard
    };
    let advocacy = match (r.number("nps"), r.text("success")) {
        (Some(n), Some(s)) => {
            let n = n.map_err(|m| bad(format!("`nps`: {m}")))?;
            let nps = u8::try_from(n.mantissa())
                .ok()
                .filter(|_| n.scale() == 0)
                .ok_or_else(|| bad(format!("`nps`: `{n}` is not a whole number 0-10")))?;
            let success: Success = serde_json::from_value(serde_json::Value::String(s.clone()))
                .map_err(|_| {
                    bad(format!(
                        "`success`: `{s}` is not one of not_met, met, exceeded, exceptional"
                    ))
                })?;
            AdvocacyLevel::assess(nps, success).map_err(|e| (e.code(), format!("`nps`: {e}")))?
        }
        _ => None,
    };
    // The next touch point within a year of today (or of go-live, when it is ahead).
    let from = today.max(go_live);
    let horizon = from
        .checked_add_months(chrono::Months::new(13))
        .ok_or_else(|| ("journey_horizon", "date out of range".to_string()))?;
    let next_touch_point = if horizon > go_live {
        let ten_years = go_live
            .checked_add_months(chrono::Months::new(120))
            .unwrap_or(horizon);
        touch_points(tier, go_live, horizon.min(ten_years))
            .map_err(|e| (e.code(), e.to_string()))?
            .into_iter()
            .find(|t| t.date >= today)
    } else {
        None
    };
    Ok(JourneyRow {
        id: r.id.clone(),
        row: r.row,
        stage,
        engagement,
        tier,
        advocacy,
        next_touch_point,
    })
}
