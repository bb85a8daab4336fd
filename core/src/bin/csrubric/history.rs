//! `csrubric history RUBRIC SNAPSHOTS`: score each account's dated snapshots, with the
//! trend over a window and the alerts that fire on each date.

use std::path::PathBuf;

use csrubric::answer::{failures, Row};
use csrubric::api::history::{backtest, history, shadow, BacktestRequest, HistoryRequest};
use csrubric::health::HealthRubric;
use csrubric::history::read_snapshots;

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
    let rows = read_snapshots(&file, &text, format)?;
    let request = HistoryRequest {
        carry_forward_days: args.carry_forward_days,
        window_days: args.window_days,
        explain: false,
    };
    let answer = history(&rubric, &rows, &request);
    let columns = [
        "id", "date", "score", "band", "trend", "alerts", "carried", "error",
    ];
    let mut report = Report::new(&columns);
    let mut failed = failures(&answer);
    for entry in &answer {
        let json = serde_json::to_value(entry)?;
        let p = match entry {
            Row::Ok(p) => p,
            Row::Failed(f) => {
                eprintln!("error: {}", f.error.message);
                let mut cells = vec![f.id.clone().unwrap_or_default()];
                cells.resize(columns.len() - 1, String::new());
                cells.push(f.error.message.clone());
                report.push(cells, json, Vec::new());
                continue;
            }
        };
        if p.error.is_some() {
            failed += 1;
        }
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
                p.id.clone(),
                p.date.to_string(),
                p.score.map(|s| s.to_string()).unwrap_or_default(),
                p.band.clone().unwrap_or_default(),
                trend,
                alerts.join(" "),
                carried.join(", "),
                p.error
                    .as_ref()
                    .map(|e| e.message.clone())
                    .unwrap_or_default(),
            ],
            json,
            details,
        );
    }
    report.emit(args.format)?;
    Ok(if failed > 0 {
        Outcome::RowsFailed
    } else {
        Outcome::Ok
    })
}

#[derive(clap::Args)]
pub struct ShadowArgs {
    /// The current health rubric.
    current: PathBuf,
    /// The candidate health rubric.
    candidate: PathBuf,
    /// Accounts (CSV or JSON).
    input: PathBuf,
    /// List every account, not only those whose band changes.
    #[arg(long)]
    all: bool,
    /// Output format (JSON includes both full results, so both ledgers).
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

/// `csrubric shadow CURRENT CANDIDATE ACCOUNTS`: the accounts whose band a rubric change moves.
pub fn run_shadow(args: ShadowArgs) -> CliResult {
    let current = HealthRubric::from_path(&args.current)?;
    let candidate = HealthRubric::from_path(&args.candidate)?;
    let rows = csrubric::input::read_path(&args.input)?;
    let answer = shadow(&current, &candidate, &rows);
    let mut report = Report::new(&[
        "id",
        "current_score",
        "current_band",
        "candidate_score",
        "candidate_band",
        "changed",
    ]);
    let score = |r: &Result<csrubric::health::HealthResult, csrubric::answer::ErrorInfo>| match r {
        Ok(r) => r.score.map(|s| s.to_string()).unwrap_or_default(),
        Err(e) => format!("error: {}", e.code),
    };
    let mut changed = 0;
    let mut compared = 0;
    for row in &answer {
        let r = match row {
            Row::Ok(r) => r,
            Row::Failed(f) => {
                eprintln!("error: {}", f.error.message);
                continue;
            }
        };
        compared += 1;
        if r.band_changed {
            changed += 1;
        } else if !args.all {
            continue;
        }
        report.push(
            vec![
                r.id.clone(),
                score(&r.current),
                r.current_band.clone().unwrap_or_default(),
                score(&r.candidate),
                r.candidate_band.clone().unwrap_or_default(),
                if r.band_changed { "yes" } else { "" }.into(),
            ],
            serde_json::to_value(r)?,
            Vec::new(),
        );
    }
    report.emit(args.format)?;
    eprintln!(
        "{changed} of {compared} accounts change band ({} -> {})",
        current.stamp().version,
        candidate.stamp().version
    );
    Ok(if failures(&answer) > 0 {
        Outcome::RowsFailed
    } else {
        Outcome::Ok
    })
}

#[derive(clap::Args)]
pub struct BacktestArgs {
    /// Health rubric file.
    rubric: PathBuf,
    /// Accounts (CSV or JSON) with a `churned` column (true/false, yes/no, 1/0).
    input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

/// `csrubric backtest RUBRIC ACCOUNTS`: ROC AUC and churn rate per band.
pub fn run_backtest(args: BacktestArgs) -> CliResult {
    let rubric = HealthRubric::from_path(&args.rubric)?;
    let rows = csrubric::input::read_path(&args.input)?;
    let answer = backtest(&rubric, &rows, &BacktestRequest::default())?;
    for f in &answer.failed {
        eprintln!("error: {}", f.error.message);
    }
    let failed = !answer.failed.is_empty();
    let bt = &answer.backtest;
    let mut report = Report::new(&["band", "accounts", "churned", "churn_rate_pct"]);
    for b in &bt.bands {
        report.push(
            vec![
                b.band.clone(),
                b.accounts.to_string(),
                b.churned.to_string(),
                b.churn_rate_pct.map(|r| r.to_string()).unwrap_or_default(),
            ],
            serde_json::to_value(b)?,
            Vec::new(),
        );
    }
    if args.format == OutputFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        report.emit(args.format)?;
        outln!(
            "ROC AUC {} ({} retained-over-churned pairs won, {} tied, of {}); {} accounts scored, {} skipped",
            bt.auc.round_dp(4),
            bt.pairs_won,
            bt.pairs_tied,
            bt.pairs,
            bt.scored,
            bt.skipped.len()
        );
    }
    for (id, why) in &bt.skipped {
        eprintln!("skipped `{id}`: {why}");
    }
    Ok(if failed {
        Outcome::RowsFailed
    } else {
        Outcome::Ok
    })
}
