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

/// Reads accounts, reporting bad rows on stderr; `failed` is set when any row is bad.
fn read_accounts(
    path: &std::path::Path,
    failed: &mut bool,
) -> Result<Vec<csrubric::input::Record>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for r in csrubric::input::read_path(path)? {
        match r {
            Ok(r) => out.push(r),
            Err(e) => {
                eprintln!("error: {e}");
                *failed = true;
            }
        }
    }
    Ok(out)
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
    let mut failed = false;
    let accounts = read_accounts(&args.input, &mut failed)?;
    let options = csrubric::health::ScoreOptions {
        as_of: None,
        what_it_takes: false,
    };
    let rows = csrubric::history::shadow(&current, &candidate, &accounts, &options);
    let mut report = Report::new(&[
        "id",
        "current_score",
        "current_band",
        "candidate_score",
        "candidate_band",
        "changed",
    ]);
    let score = |r: &Result<csrubric::health::HealthResult, csrubric::history::ErrorInfo>| match r {
        Ok(r) => r.score.map(|s| s.to_string()).unwrap_or_default(),
        Err(e) => format!("error: {}", e.code),
    };
    let changed = rows.iter().filter(|r| r.band_changed).count();
    for r in rows.iter().filter(|r| args.all || r.band_changed) {
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
        "{changed} of {} accounts change band ({} -> {})",
        rows.len(),
        current.stamp().version,
        candidate.stamp().version
    );
    Ok(if failed {
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
    let mut failed = false;
    let accounts = read_accounts(&args.input, &mut failed)?;
    let mut outcomes = std::collections::BTreeMap::new();
    for a in &accounts {
        let Some(cell) = a.text("churned") else {
            continue;
        };
        let churned = match cell.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => true,
            "false" | "no" | "n" | "0" => false,
            other => {
                eprintln!(
                    "error: account `{}`: `churned` = `{other}` is not true/false",
                    a.id
                );
                failed = true;
                continue;
            }
        };
        outcomes.insert(a.id.clone(), churned);
    }
    let options = csrubric::health::ScoreOptions {
        as_of: None,
        what_it_takes: false,
    };
    let bt = csrubric::history::backtest(&rubric, &accounts, &outcomes, &options)?;
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
        println!("{}", serde_json::to_string_pretty(&bt)?);
    } else {
        report.emit(args.format)?;
        println!(
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
