//! `csrubric replay CURRENT CANDIDATE SNAPSHOTS`: recompute each account's dated history
//! under two rubric versions and list the dates whose band changes.

use std::path::PathBuf;

use csrubric::health::HealthRubric;
use csrubric::history::{read_snapshots, replay, HistoryOptions};

use crate::output::{OutputFormat, Report};
use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// The current health rubric.
    current: PathBuf,
    /// The candidate health rubric.
    candidate: PathBuf,
    /// Snapshots: CSV with `id` and `date` (YYYY-MM-DD) columns, or a JSON array of objects;
    /// an account has one row per date.
    snapshots: PathBuf,
    /// List every dated score, not only those whose band changes.
    #[arg(long)]
    all: bool,
    /// Days a missing input may carry its last known value forward (0: never).
    #[arg(long, default_value_t = 0)]
    carry_forward_days: i64,
    /// Trend window in days.
    #[arg(long, default_value_t = 14)]
    window_days: i64,
    /// Output format (JSON includes both history points, so both ledgers).
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

pub fn run(args: ReplayArgs) -> CliResult {
    let current = HealthRubric::from_path(&args.current)?;
    let candidate = HealthRubric::from_path(&args.candidate)?;
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
    let result = replay(&current, &candidate, &rows, &options);
    let mut report = Report::new(&[
        "id",
        "date",
        "current_score",
        "current_band",
        "candidate_score",
        "candidate_band",
        "changed",
        "error",
    ]);
    let show = |p: &csrubric::history::HistoryPoint| match &p.result {
        Ok(r) => (r.score.map(|s| s.to_string()).unwrap_or_default(), None),
        Err(e) => (format!("error: {}", e.code), Some(e.message.clone())),
    };
    for a in &result.accounts {
        if let Some(e) = &a.error {
            eprintln!("error: {}", e.message);
            failed = true;
            let mut cells = vec![a.id.clone()];
            cells.resize(7, String::new());
            cells.push(e.message.clone());
            report.push(
                cells,
                serde_json::json!({"id": a.id, "error": e}),
                Vec::new(),
            );
            continue;
        }
        for p in &a.points {
            let (cs, ce) = show(&p.current);
            let (ns, ne) = show(&p.candidate);
            let error: Vec<String> = ce.into_iter().chain(ne).collect();
            if !error.is_empty() {
                failed = true;
            }
            if !(args.all || p.band_changed) {
                continue;
            }
            report.push(
                vec![
                    a.id.clone(),
                    p.date.to_string(),
                    cs,
                    p.current_band.clone().unwrap_or_default(),
                    ns,
                    p.candidate_band.clone().unwrap_or_default(),
                    if p.band_changed { "yes" } else { "" }.into(),
                    error.join("; "),
                ],
                serde_json::json!({"id": a.id, "replay": p}),
                Vec::new(),
            );
        }
    }
    report.emit(args.format)?;
    eprintln!(
        "{} of {} dated scores change band, in {} of {} accounts ({} -> {})",
        result.changed,
        result.points,
        result.accounts_changed,
        result.accounts.len(),
        result.current.version,
        result.candidate.version
    );
    Ok(if failed {
        Outcome::RowsFailed
    } else {
        Outcome::Ok
    })
}
