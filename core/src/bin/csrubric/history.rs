//! `csrubric history RUBRIC SNAPSHOTS`: score each account's dated snapshots, with the
//! trend over a window and the alerts that fire on each date.

use std::path::PathBuf;

use csrubric::health::HealthRubric;
use csrubric::history::{read_snapshots, score_portfolio_history, HistoryOptions};

use crate::output::{OutputFormat, Report};
use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// Health rubric file (.toml or .json).
    rubric: PathBuf,
    /// Snapshots: CSV with `id` and `date` (YYYY-MM-DD) columns, or a JSON array of objects;
    /// an account has one row per date.
    snapshots: PathBuf,
    /// Days a missing input may carry its last known value forward (0: never).
    #[arg(long, default_value_t = 0)]
    carry_forward_days: i64,
    /// Trend window in days.
    #[arg(long, default_value_t = 14)]
    window_days: i64,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

pub fn run(args: HistoryArgs) -> CliResult {
    let rubric = HealthRubric::from_path(&args.rubric)?;
    let file = args.snapshots.display().to_string();
    let text = std::fs::read_to_string(&args.snapshots)
        .map_err(|e| format!("{file}: cannot read: {e}"))?;
    let format = if file.ends_with(".json") {
        "json"
    } else {
        "csv"
    };
    let mut rows = Vec::new();
    let mut failed = false;
    for r in read_snapshots(&file, &text, format)? {
        match r {
            Ok(r) => rows.push(r),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    let options = HistoryOptions {
        carry_forward_days: args.carry_forward_days,
        trend_window_days: args.window_days,
        ..HistoryOptions::default()
    };
    let mut report = Report::new(&[
        "id", "date", "score", "band", "trend", "alerts", "carried", "error",
    ]);
    for (id, h) in score_portfolio_history(&rubric, &rows, &options) {
        let h = match h {
            Ok(h) => h,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                report.push(
                    vec![id.clone(), String::new(), String::new(), String::new(), String::new(), String::new(), String::new(), e.to_string()],
                    serde_json::json!({"id": id, "error": {"code": e.code(), "message": e.to_string()}}),
                    Vec::new(),
                );
                continue;
            }
        };
        for p in &h.points {
            let (score, band, error) = match &p.result {
                Ok(r) => (
                    r.score.map(|s| s.to_string()).unwrap_or_default(),
                    r.band.as_ref().map(|b| b.label.clone()).unwrap_or_default(),
                    String::new(),
                ),
                Err(e) => {
                    failed = true;
                    (String::new(), String::new(), e.message.clone())
                }
            };
            let trend = p
                .trend
                .as_ref()
                .map(|t| {
                    let sign = if t.delta.is_sign_positive() && !t.delta.is_zero() {
                        "+"
                    } else {
                        ""
                    };
                    format!("{sign}{} since {}", t.delta, t.from)
                })
                .unwrap_or_default();
            let alerts: Vec<String> = p.alerts.iter().map(|a| a.id.clone()).collect();
            let carried: Vec<String> = p
                .carried
                .iter()
                .map(|(c, d)| format!("{c} from {d}"))
                .collect();
            let details = p
                .alerts
                .iter()
                .map(|a| {
                    format!(
                        "  alert {}: {} -> {} ({}, {})",
                        a.id, a.message, a.protocol, a.owner, a.sla
                    )
                })
                .collect();
            report.push(
                vec![
                    h.id.clone(),
                    p.date.to_string(),
                    score,
                    band,
                    trend,
                    alerts.join(" "),
                    carried.join(", "),
                    error,
                ],
                serde_json::json!({"id": h.id, "point": p}),
                details,
            );
        }
    }
    report.emit(args.format)?;
    Ok(if failed {
        Outcome::RowsFailed
    } else {
        Outcome::Ok
    })
}
