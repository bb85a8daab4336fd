//! The `csrubric` command-line tool: validate rubrics and score files of accounts.
//!
//! Exit codes: 0 success; 1 the command could not run (bad rubric, unreadable file, bad
//! arguments); 2 some rows failed (they are reported on stderr and in the output, and the
//! other rows are still scored).

/// `println!` that never panics: see [`output::write_line`].
macro_rules! outln {
    () => { $crate::output::write_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::output::write_line(format_args!($($arg)*)) };
}

mod check;
mod escalate;
mod history;
mod journey;
mod kpi;
mod output;
mod playbook;
mod prioritize;
mod renewals;
mod replay;
mod run;
mod score;
mod sla;
mod test;

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
    /// SLA state of tickets (CSV or JSON) at an instant: due times, breaches, escalation.
    Sla(sla::SlaArgs),
    /// Escalation level of cases (or alerts of accounts) under a matrix (or alert rules).
    Escalate(escalate::EscalateArgs),
    /// Rank enhancement requests (CSV or JSON) with a priority rubric.
    Prioritize(prioritize::PrioritizeArgs),
    /// Date renewal milestones for a file of contracts (the renewal pipeline).
    Renewals(renewals::RenewalsArgs),
    /// Portfolio KPIs (NRR, GRR, churn, NPS...) against a targets rubric.
    Kpi(kpi::KpiArgs),
    /// Journey stage, owner, segment, advocacy level and next touch point per account.
    Journey(journey::JourneyArgs),
    /// Any operation of any rubric, as JSON (what the Python and WASM bindings call).
    Run(run::RunArgs),
    /// Run the `[[examples]]` of rubric files: `N passed, N failed`, a diff per failure.
    Test(test::TestArgs),
    /// Score dated snapshots per account: trend and alerts on each date.
    History(history::HistoryArgs),
    /// Score accounts under two rubric versions; list those whose band changes.
    Shadow(history::ShadowArgs),
    /// ROC AUC and churn rate per band of a rubric, from accounts with a `churned` column.
    Backtest(history::BacktestArgs),
    /// Replay dated snapshots under two rubric versions; list the dates whose band changes.
    Replay(replay::ReplayArgs),
    /// A dated onboarding/implementation plan from a template (and its status on a date).
    Plan(playbook::PlanArgs),
    /// Priority and route of tickets (CSV or JSON) under triage rules.
    Triage(playbook::TriageArgs),
    /// CSM headcount for a portfolio under capacity ratios, against a roster.
    Capacity(playbook::CapacityArgs),
    /// Risk level and intervention playbooks of accounts (JSON or CSV), with exit checks.
    Interventions(playbook::InterventionsArgs),
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
        Command::Sla(args) => sla::run(args),
        Command::Escalate(args) => escalate::run(args),
        Command::Prioritize(args) => prioritize::run(args),
        Command::Renewals(args) => renewals::run(args),
        Command::Kpi(args) => kpi::run(args),
        Command::Journey(args) => journey::run(args),
        Command::Test(args) => test::run(args),
        Command::Run(args) => run::run(args),
        Command::History(args) => history::run(args),
        Command::Shadow(args) => history::run_shadow(args),
        Command::Backtest(args) => history::run_backtest(args),
        Command::Replay(args) => replay::run(args),
        Command::Plan(args) => playbook::plan(args),
        Command::Triage(args) => playbook::triage(args),
        Command::Capacity(args) => playbook::capacity(args),
        Command::Interventions(args) => playbook::interventions(args),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::RowsFailed) => ExitCode::from(2),
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                output::exit_on_write_error(io);
            }
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// A command error: printed as `error: ...`, exit code 1.
pub type CliResult = Result<Outcome, Box<dyn std::error::Error>>;

/// Parses `--at`: an RFC 3339 instant with an offset (naive times are rejected).
pub fn parse_instant(s: &str) -> Result<csrubric::Instant, String> {
    csrubric::parse_instant(s)
}
