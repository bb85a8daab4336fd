//! `csrubric sla POLICY TICKETS --at T`: the SLA state of each ticket at an instant.

use std::path::PathBuf;

use csrubric::escalation::{ClockState, SlaPolicies, SlaPolicy, SlaResult, Ticket};
use csrubric::input;

use crate::output::{OutputFormat, Report};
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
    let at = args.at.unwrap_or_else(chrono::Utc::now);
    let mut report = Report::new(COLUMNS);
    let mut failed = 0usize;
    for row in &rows {
        let result = match row {
            Err(e) => Err((None, e.row().unwrap_or(0), e.code(), e.to_string())),
            Ok(r) => Ticket::from_record(r)
                .and_then(|t| policy.evaluate(&t, at))
                .map_err(|e| (Some(r.id.clone()), r.row, e.code(), e.to_string())),
        };
        match result {
            Ok(s) => push(&mut report, &s),
            Err((id, row, code, message)) => {
                failed += 1;
                eprintln!("error: {message}");
                let mut cells = vec![id.clone().unwrap_or_default(), row.to_string()];
                cells.extend(std::iter::repeat_n(String::new(), COLUMNS.len() - 3));
                cells.push(message.clone());
                let json = serde_json::json!({
                    "id": id, "row": row, "status": "error",
                    "error": { "code": code, "message": message },
                });
                report.push(cells, json, Vec::new());
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
