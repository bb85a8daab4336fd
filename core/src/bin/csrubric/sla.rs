//! `csrubric sla POLICY TICKETS --at T`: the SLA state of each ticket at an instant.

use std::path::PathBuf;

use csrubric::answer::{failures, Row};
use csrubric::api::escalation::sla_versions;
use csrubric::escalation::{ClockState, SlaPolicies, SlaPolicy, SlaResult};
use csrubric::input;

use crate::output::{failure_cells, OutputFormat, Report};
use crate::{parse_instant, CliResult, Outcome};

#[derive(clap::Args)]
pub struct SlaArgs {
    /// SLA policy file (kind `sla`).
    policy: PathBuf,
    /// Tickets: CSV or JSON with `id, tier, priority, opened_at` and optional `category`,
    /// `first_response_at`, `resolved_at` (JSON also `events`).
    tickets: PathBuf,
    /// The instant to evaluate at (RFC 3339 with an offset). Default: now.
    #[arg(long, value_parser = parse_instant)]
    at: Option<chrono::DateTime<chrono::Utc>>,
    /// Other versions of the policy (each with `effective_from`): a ticket follows the
    /// version in force when it opened.
    #[arg(long = "also", value_name = "POLICY")]
    also: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

const COLUMNS: &[&str] = &[
    "id",
    "row",
    "tier",
    "priority",
    "response_due",
    "resolution_due",
    "breached",
    "level",
    "owner",
    "next_escalation",
    "error",
];

pub fn run(args: SlaArgs) -> CliResult {
    let mut versions = vec![SlaPolicy::from_path(&args.policy)?];
    for p in &args.also {
        versions.push(SlaPolicy::from_path(p)?);
    }
    let policy = SlaPolicies::new(versions)?;
    let rows = input::read_path(&args.tickets)?;
    let answer = sla_versions(&policy, &rows, args.at.unwrap_or_else(chrono::Utc::now));
    let mut report = Report::new(COLUMNS);
    for row in &answer {
        match row {
            Row::Ok(s) => push(&mut report, s),
            Row::Failed(f) => {
                eprintln!("error: {}", f.error.message);
                report.push(
                    failure_cells(f, COLUMNS.len()),
                    serde_json::to_value(f)?,
                    Vec::new(),
                );
            }
        }
    }
    report.emit(args.format)?;
    let failed = failures(&answer);
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

fn due_cell(s: &SlaResult, target: &str) -> String {
    match s.target(target) {
        Some(t) => match (t.state, t.due) {
            (ClockState::Met, _) => format!(
                "met {}",
                t.met_at.map(|m| m.to_rfc3339()).unwrap_or_default()
            ),
            (ClockState::Paused, None) => {
                format!("paused ({} left)", t.remaining.clone().unwrap_or_default())
            }
            (ClockState::Paused, Some(d)) => format!("paused, {}", d.to_rfc3339()),
            (_, Some(d)) => d.to_rfc3339(),
            (_, None) => String::new(),
        },
        None => String::new(),
    }
}

fn push(report: &mut Report, s: &SlaResult) {
    let next = s
        .next_escalation
        .as_ref()
        .map(|n| format!("{} ({}) at {}", n.level, n.owner, n.at.to_rfc3339()))
        .unwrap_or_default();
    let cells = vec![
        s.id.clone(),
        s.row.to_string(),
        s.tier.clone(),
        s.priority.clone(),
        due_cell(s, "first_response"),
        due_cell(s, "resolution"),
        s.breached.join(" "),
        s.level
            .as_ref()
            .map(|l| l.level.clone())
            .unwrap_or_default(),
        s.level
            .as_ref()
            .map(|l| l.owner.clone())
            .unwrap_or_default(),
        next,
        String::new(),
    ];
    let json = serde_json::to_value(s).unwrap_or_default();
    report.push(cells, json, Vec::new());
}
