//! `csrubric journey ACCOUNTS`: journey stage, owner, segment, engagement tier, advocacy
//! level and next touch point of each account.

use std::path::PathBuf;

use chrono::NaiveDate;
use csrubric::input::{self, Record};
use csrubric::journey::{touch_points, JourneyDates, JourneyMap};
use csrubric::segment::{AdvocacyLevel, EngagementModel, Success};

use crate::output::{OutputFormat, Report};
use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct JourneyArgs {
    /// Accounts: CSV or JSON with `id`, `go_live` (ISO date) and optional `signed`,
    /// `contract_end`, `employees`, `strategic` (yes/no), `nps` (0-10) and `success`
    /// (`not_met`, `met`, `exceeded`, `exceptional`).
    input: PathBuf,
    /// The day to place accounts on (YYYY-MM-DD). Default: today (UTC).
    #[arg(long, value_parser = parse_day)]
    today: Option<NaiveDate>,
    /// Journey map: seed 004's six stages or seed 001's five phases.
    #[arg(long, value_enum, default_value = "cradle-to-grave")]
    map: MapArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum MapArg {
    CradleToGrave,
    Slavkokernel,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (expected YYYY-MM-DD, such as 2026-11-23)"))
}

pub fn run(args: JourneyArgs) -> CliResult {
    let rows = input::read_path(&args.input)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let map = match args.map {
        MapArg::CradleToGrave => JourneyMap::CradleToGrave,
        MapArg::Slavkokernel => JourneyMap::SlavkoKernel,
    };
    let mut report = Report::new(&[
        "id",
        "row",
        "stage",
        "owner",
        "segment",
        "tier",
        "advocacy",
        "next_touch_point",
        "next_touch_date",
        "error",
    ]);
    let mut failed = 0usize;
    for row in &rows {
        let result = match row {
            Err(e) => Err((None, e.row().unwrap_or(0), e.to_string())),
            Ok(r) => one(r, map, today).map_err(|m| {
                (
                    Some(r.id.clone()),
                    r.row,
                    format!("row {} (account `{}`): {m}", r.row, r.id),
                )
            }),
        };
        match result {
            Ok((cells, json)) => report.push(cells, json, Vec::new()),
            Err((id, row, message)) => {
                failed += 1;
                eprintln!("error: {message}");
                let mut cells = vec![id.clone().unwrap_or_default(), row.to_string()];
                cells.extend(std::iter::repeat_n(String::new(), 7));
                cells.push(message.clone());
                report.push(
                    cells,
                    serde_json::json!({"id": id, "row": row, "status": "error", "error": message}),
                    Vec::new(),
                );
            }
        }
    }
    report.emit(args.format)?;
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

fn date(r: &Record, column: &str) -> Result<Option<NaiveDate>, String> {
    r.text(column)
        .map(|t| parse_day(&t).map_err(|m| format!("`{column}`: {m}")))
        .transpose()
}

fn one(
    r: &Record,
    map: JourneyMap,
    today: NaiveDate,
) -> Result<(Vec<String>, serde_json::Value), String> {
    let go_live = date(r, "go_live")?.ok_or("missing `go_live`")?;
    let dates = JourneyDates {
        signed: date(r, "signed")?,
        go_live,
        contract_end: date(r, "contract_end")?,
    };
    let stage = map.stage(&dates, today).map_err(|e| e.to_string())?;
    let strategic = match r.text("strategic") {
        None => false,
        Some(t) => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => true,
            "false" | "no" | "n" | "0" => false,
            _ => return Err(format!("`strategic`: `{t}` is not a yes/no value")),
        },
    };
    let model = match r.number("employees") {
        None => None,
        Some(n) => {
            let n = n.map_err(|m| format!("`employees`: {m}"))?;
            let n = u64::try_from(n.trunc().mantissa())
                .ok()
                .filter(|_| n.fract().is_zero() && n.scale() == 0)
                .ok_or(format!("`employees`: `{n}` is not a whole number"))?;
            Some(EngagementModel::new(n, strategic).map_err(|e| format!("`employees`: {e}"))?)
        }
    };
    let tier = if strategic {
        csrubric::segment::Tier::Strategic
    } else {
        csrubric::segment::Tier::Standard
    };
    let advocacy = match (r.number("nps"), r.text("success")) {
        (Some(n), Some(s)) => {
            let n = n.map_err(|m| format!("`nps`: {m}"))?;
            let nps = u8::try_from(n.mantissa())
                .ok()
                .filter(|_| n.scale() == 0)
                .ok_or(format!("`nps`: `{n}` is not a whole number 0-10"))?;
            let success: Success = serde_json::from_value(serde_json::Value::String(s.clone()))
                .map_err(|_| {
                    format!("`success`: `{s}` is not one of not_met, met, exceeded, exceptional")
                })?;
            AdvocacyLevel::assess(nps, success).map_err(|e| format!("`nps`: {e}"))?
        }
        _ => None,
    };
    // The next touch point within a year of today (or of go-live, when it is ahead).
    let from = today.max(go_live);
    let horizon = from
        .checked_add_months(chrono::Months::new(13))
        .ok_or("date out of range")?;
    let next = if horizon > go_live {
        touch_points(
            tier,
            go_live,
            horizon.min(
                go_live
                    .checked_add_months(chrono::Months::new(120))
                    .unwrap_or(horizon),
            ),
        )
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|t| t.date >= today)
    } else {
        None
    };
    let advocacy_text = advocacy
        .map(|a| serde_json::to_value(a).unwrap_or_default())
        .and_then(|v| v.as_str().map(String::from));
    let cells = vec![
        r.id.clone(),
        r.row.to_string(),
        format!("{} {}", stage.number, stage.stage),
        stage.owner.to_string(),
        model
            .as_ref()
            .map(|m| m.segment.as_str().to_string())
            .unwrap_or_default(),
        if strategic { "strategic" } else { "standard" }.to_string(),
        advocacy_text.clone().unwrap_or_default(),
        next.as_ref()
            .map(|t| t.kind.to_string())
            .unwrap_or_default(),
        next.as_ref()
            .map(|t| t.date.to_string())
            .unwrap_or_default(),
        String::new(),
    ];
    let json = serde_json::json!({
        "id": r.id, "row": r.row, "stage": stage, "engagement": model,
        "tier": if strategic { "strategic" } else { "standard" },
        "advocacy": advocacy_text, "next_touch_point": next,
    });
    Ok((cells, json))
}
