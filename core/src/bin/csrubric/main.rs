//! The `csrubric` command-line tool: validate rubrics and score files of accounts.
//!
//! Exit codes: 0 success; 1 the command could not run (bad rubric, unreadable file, bad
//! arguments); 2 some rows failed (they are reported on stderr and in the output, and the
//! other rows are still scored).

mod check;
mod journey;
mod kpi;
mod output;
mod renewals;
mod score;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Customer-success scoring and rules, from rubric files.
#[derive(Parser)]
#[command(name = "csrubric", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate rubric files; exit 1 with the precise error.
    Check(check::CheckArgs),
    /// Score accounts (CSV or JSON) with a health rubric.
    Score(score::ScoreArgs),
    /// Date renewal milestones for a file of contracts (the renewal pipeline).
    Renewals(renewals::RenewalsArgs),
    /// Portfolio KPIs (NRR, GRR, churn, NPS...) against a targets rubric.
    Kpi(kpi::KpiArgs),
    /// Journey stage, owner, segment, advocacy level and next touch point per account.
    Journey(journey::JourneyArgs),
}

/// The outcome of a command that ran: success or some rows failed.
pub enum Outcome {
    Ok,
    RowsFailed,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Score(args) => score::run(args),
        Command::Renewals(args) => renewals::run(args),
        Command::Kpi(args) => kpi::run(args),
        Command::Journey(args) => journey::run(args),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::RowsFailed) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// A command error: printed as `error: ...`, exit code 1.
pub type CliResult = Result<Outcome, Box<dyn std::error::Error>>;

/// Parses `--at`: an RFC 3339 instant with an offset (naive times are rejected).
pub fn parse_instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("`{s}` is not an RFC 3339 instant with an offset, such as 2026-11-23T10:00:00Z ({e})"))
}
