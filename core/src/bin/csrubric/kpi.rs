//! `csrubric kpi RUBRIC ACCOUNTS`: portfolio KPIs against a targets rubric.

use std::path::PathBuf;

use csrubric::api::lifecycle::{kpi, KpiRequest};
use csrubric::input;
use csrubric::kpi::{KpiRubric, TargetStatus};

use crate::output::{print_json, OutputFormat, Report};
use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct KpiArgs {
    /// KPI targets rubric (.toml or .json).
    rubric: PathBuf,
    /// Accounts or survey responses: CSV with an `id` column and any of `mrr_start`,
    /// `mrr_end`, `churned`, `nps`, `csat`, `ces`, `health`, `value_realized`,
    /// `time_to_first_value_days`; or a JSON array of such objects.
    input: PathBuf,
    /// Output format (`json` prints the whole report as one object).
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

pub fn run(args: KpiArgs) -> CliResult {
    let rubric = KpiRubric::from_path(&args.rubric)?;
    let rows = input::read_path(&args.input)?;
    let report = kpi(&rubric, &rows, &KpiRequest {});
    for r in &report.rejected {
        eprintln!("error: {}", r.error.message);
    }
    if args.format == OutputFormat::Json {
        print_json(&report)?;
    } else {
        let mut table = Report::new(&["kpi", "value", "unit", "target", "status", "n", "note"]);
        for k in &report.kpis {
            let (target, status) = match &k.target {
                Some(t) => (
                    format!("{} {}", t.op, t.value),
                    match t.status {
                        TargetStatus::Met => "met",
                        TargetStatus::Missed => "missed",
                        TargetStatus::Undefined => "undefined",
                    }
                    .to_string(),
                ),
                None => (String::new(), String::new()),
            };
            table.push(
                vec![
                    k.kpi.to_string(),
                    k.value
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| "undefined".into()),
                    k.unit.to_string(),
                    target,
                    status,
                    k.n.to_string(),
                    k.undefined.clone().unwrap_or_default(),
                ],
                serde_json::Value::Null,
                Vec::new(),
            );
        }
        table.emit(args.format)?;
    }
    if report.rejected.is_empty() {
        Ok(Outcome::Ok)
    } else {
        eprintln!("{} of {} rows rejected", report.rejected.len(), rows.len());
        Ok(Outcome::RowsFailed)
    }
}
