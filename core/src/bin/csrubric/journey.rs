//! `csrubric journey ACCOUNTS`: journey stage, owner, segment, engagement tier, advocacy
//! level and next touch point of each account.

use std::path::PathBuf;

use chrono::NaiveDate;
use csrubric::answer::{failures, Row};
use csrubric::api::lifecycle::{journey, parse_day, JourneyRequest};
use csrubric::input;
use csrubric::journey::JourneyMap;

use crate::output::{failure_cells, print_json, OutputFormat, Report};
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

/// A serde enum's name (`mid_market`, `champion`...).
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

pub fn run(args: JourneyArgs) -> CliResult {
    let rows = input::read_path(&args.input)?;
    let request = JourneyRequest {
        today: args.today,
        map: match args.map {
            MapArg::CradleToGrave => JourneyMap::CradleToGrave,
            MapArg::Slavkokernel => JourneyMap::SlavkoKernel,
        },
    };
    let answer = journey(&rows, &request);
    for f in answer.iter().filter_map(Row::failure) {
        eprintln!("error: {}", f.error.message);
    }
    if args.format == OutputFormat::Json {
        print_json(&answer)?;
    } else {
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
        for row in &answer {
            let cells = match row {
                Row::Ok(j) => vec![
                    j.id.clone(),
                    j.row.to_string(),
                    format!("{} {}", j.stage.number, j.stage.stage),
                    j.stage.owner.to_string(),
                    j.engagement
                        .as_ref()
                        .map(|m| m.segment.as_str().to_string())
                        .unwrap_or_default(),
                    name(&j.tier),
                    j.advocacy.as_ref().map(name).unwrap_or_default(),
                    j.next_touch_point
                        .as_ref()
                        .map(|t| t.kind.to_string())
                        .unwrap_or_default(),
                    j.next_touch_point
                        .as_ref()
                        .map(|t| t.date.to_string())
                        .unwrap_or_default(),
                    String::new(),
                ],
                // id, row, 7 empty cells, the message.
                Row::Failed(f) => failure_cells(f, 10),
            };
            report.push(cells, serde_json::Value::Null, Vec::new());
        }
        report.emit(args.format)?;
    }
    let failed = failures(&answer);
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}
