//! `csrubric plan`, `csrubric triage`, `csrubric capacity`, `csrubric interventions`:
//! playbooks from rubric files.

use std::path::PathBuf;

use chrono::NaiveDate;
use csrubric::answer::{failures, Row};
use csrubric::api::playbook::{
    capacity as capacity_report, interventions as evaluate, plan as schedule,
    triage as triage_tickets, CapacityRequest, InterventionsRequest, PlanRequest, TriageRequest,
};
use csrubric::input;
use csrubric::playbook::{CapacityRatios, InterventionRules, PlanTemplate, TriageRules};
use csrubric::rubric::read_from_disk;

use crate::output::{failure_cells, print_json, OutputFormat, Report};
use crate::{CliResult, Outcome};

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| format!("`{s}` is not a date such as 2027-01-04 ({e})"))
}

#[derive(clap::Args)]
pub struct PlanArgs {
    /// Plan template (kind `plan`).
    template: PathBuf,
    /// Kickoff date (YYYY-MM-DD); moved to the next working day when it is not one.
    #[arg(long, value_parser = parse_date)]
    kickoff: NaiveDate,
    /// Implementation package (or segment) of the template.
    #[arg(long)]
    package: Option<String>,
    /// Industry template.
    #[arg(long)]
    industry: Option<String>,
    /// Working calendar (kind `calendar`); default: the template's `calendar`.
    #[arg(long)]
    calendar: Option<PathBuf>,
    /// Report the plan's status on this date: current phase, late activities, projected
    /// go-live.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// An activity already done (repeat for several), for `--as-of`.
    #[arg(long = "done", value_name = "ACTIVITY")]
    done: Vec<String>,
    /// Output format (`csv`: the activities only).
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

pub fn plan(args: PlanArgs) -> CliResult {
    let template = PlanTemplate::from_path(&args.template)?;
    if args.calendar.is_none() && template.calendar().is_none() {
        return Err(format!(
            "{}: the template names no `calendar`: give `--calendar FILE`",
            args.template.display()
        )
        .into());
    }
    if args.as_of.is_none() && !args.done.is_empty() {
        return Err("`--done` needs `--as-of`".into());
    }
    let request = PlanRequest {
        kickoff: Some(args.kickoff),
        package: args.package,
        industry: args.industry,
        calendar: args.calendar,
        as_of: args.as_of,
        done: args.done,
    };
    let answer = schedule(&template, &Vec::new(), &request, &read_from_disk)?;
    if args.format == OutputFormat::Json {
        print_json(&answer)?;
        return Ok(Outcome::Ok);
    }
    let (plan, status) = (&answer.plan, &answer.status);
    let late = |name: &str| {
        status
            .as_ref()
            .and_then(|s| s.late.iter().find(|l| l.activity == name))
            .map(|l| format!("late {}d", l.working_days_late))
            .unwrap_or_default()
    };
    let mut report = Report::new(&["activity", "phase", "start", "due", "owner", "late"]);
    for a in &plan.activities {
        report.push(
            vec![
                a.activity.clone(),
                a.phase.clone(),
                a.start.to_string(),
                a.due.to_string(),
                a.owner.clone(),
                late(&a.activity),
            ],
            serde_json::Value::Null,
            Vec::new(),
        );
    }
    if args.format == OutputFormat::Table {
        outln!(
            "plan {} {}: {}; scheduled to {} weeks",
            plan.template.id,
            plan.template.version,
            plan.rule,
            plan.planned_weeks
        );
        if !plan.team.is_empty() {
            outln!("team: {}", plan.team.join(", "));
        }
        outln!(
            "start {}, go-live {} (range {} .. {})",
            plan.start,
            plan.go_live,
            plan.go_live_range[0],
            plan.go_live_range[1]
        );
        for p in &plan.phases {
            outln!("phase {}: {} .. {}", p.phase, p.start, p.due);
        }
        if let Some(s) = status {
            outln!(
                "as of {}: {}, phase {}, {} late, projected go-live {} ({} working days slip)",
                s.as_of,
                serde_json::to_value(s.state)?.as_str().unwrap_or_default(),
                s.current_phase.as_deref().unwrap_or("-"),
                s.late.len(),
                s.projected_go_live,
                s.slip_working_days
            );
        }
        outln!();
    }
    report.emit(args.format)?;
    Ok(Outcome::Ok)
}

#[derive(clap::Args)]
pub struct TriageArgs {
    /// Triage rules (kind `triage`).
    rules: PathBuf,
    /// Tickets: CSV or JSON with `id` and a column per input (`system_down`, `impact`,
    /// `workaround`, `category`, `tier`).
    tickets: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

const TRIAGE_COLUMNS: &[&str] = &[
    "id",
    "row",
    "priority",
    "priority_rule",
    "team",
    "owner",
    "route_rule",
    "note",
];

pub fn triage(args: TriageArgs) -> CliResult {
    let rules = TriageRules::from_path(&args.rules)?;
    for w in rules.warnings() {
        eprintln!(
            "warning: {}: {}: {}",
            args.rules.display(),
            w.path,
            w.message
        );
    }
    let rows = input::read_path(&args.tickets)?;
    let answer = triage_tickets(&rules, &rows, &TriageRequest {});
    let mut report = Report::new(TRIAGE_COLUMNS);
    for row in &answer {
        let cells = match row {
            Row::Ok(t) => {
                for w in &t.warnings {
                    eprintln!("warning: row {} (`{}`): {w}", t.row, t.id);
                }
                vec![
                    t.id.clone(),
                    t.row.to_string(),
                    t.priority.clone(),
                    t.priority_rule.to_string(),
                    t.team.clone(),
                    t.owner.clone(),
                    t.route_rule
                        .map_or_else(|| "fallback".to_string(), |r| r.to_string()),
                    t.warnings.join("; "),
                ]
            }
            Row::Failed(f) => {
                eprintln!("error: {}", f.error.message);
                failure_cells(f, TRIAGE_COLUMNS.len())
            }
        };
        report.push(cells, serde_json::Value::Null, Vec::new());
    }
    if args.format == OutputFormat::Json {
        print_json(&answer)?;
    } else {
        report.emit(args.format)?;
    }
    rows_outcome(failures(&answer), rows.len())
}

fn rows_outcome(failed: usize, rows: usize) -> CliResult {
    if failed > 0 {
        eprintln!("{failed} of {rows} rows failed");
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

#[derive(clap::Args)]
pub struct CapacityArgs {
    /// Capacity ratios (kind `capacity`).
    ratios: PathBuf,
    /// Portfolio: CSV or JSON with `id`, `segment` and optional `tier`, `implementing`, `csm`.
    portfolio: PathBuf,
    /// Roster: CSV or JSON with `id` (the person) and `role`.
    #[arg(long)]
    roster: Option<PathBuf>,
    /// Output format (`csv`: the role table only).
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

pub fn capacity(args: CapacityArgs) -> CliResult {
    let ratios = CapacityRatios::from_path(&args.ratios)?;
    let portfolio = input::read_path(&args.portfolio)?;
    let roster = match &args.roster {
        Some(p) => Some(input::read_path(p)?),
        None => None,
    };
    let answer = capacity_report(&ratios, &portfolio, &CapacityRequest { roster });
    for f in &answer.portfolio_errors {
        eprintln!("error: {}: {}", args.portfolio.display(), f.error.message);
    }
    if let Some(path) = &args.roster {
        for f in &answer.roster_errors {
            let message = &f.error.message;
            let message = message.strip_prefix("roster: ").unwrap_or(message);
            eprintln!("error: {}: {message}", path.display());
        }
    }
    let r = &answer.report;
    if args.format == OutputFormat::Json {
        print_json(&answer)?;
    } else {
        let mut report = Report::new(&[
            "role",
            "basis",
            "accounts",
            "ratio",
            "min_headcount",
            "max_headcount",
            "roster",
            "status",
        ]);
        for d in &r.roles {
            report.push(
                vec![
                    d.role.clone(),
                    d.basis.clone(),
                    d.accounts.to_string(),
                    format!("{}-{}", d.ratio[0], d.ratio[1]),
                    d.min_headcount.to_string(),
                    d.max_headcount.to_string(),
                    d.roster.map(|n| n.to_string()).unwrap_or_default(),
                    d.status.clone().unwrap_or_default(),
                ],
                serde_json::Value::Null,
                Vec::new(),
            );
        }
        report.emit(args.format)?;
        if args.format == OutputFormat::Table {
            outln!();
            outln!("accounts: {}", r.accounts);
            for s in &r.split {
                outln!(
                    "split {}: {} accounts, {}% (target {}) owner {}; {}",
                    s.tier,
                    s.accounts,
                    s.share,
                    s.target
                        .map(|t| format!("{t}%"))
                        .unwrap_or_else(|| "-".into()),
                    s.owner.as_deref().unwrap_or("-"),
                    s.cadence.as_deref().unwrap_or("-")
                );
            }
            for u in &r.uncovered {
                outln!("uncovered {} ({}): {}", u.account, u.segment, u.reason);
            }
            for o in &r.overloaded {
                outln!(
                    "overloaded {} ({}): {} accounts, ratio allows {}",
                    o.name,
                    o.role,
                    o.accounts,
                    o.limit
                );
            }
        }
    }
    let failed = answer.portfolio_errors.len() + answer.roster_errors.len();
    if failed == 0 {
        Ok(Outcome::Ok)
    } else {
        eprintln!("{failed} rows failed");
        Ok(Outcome::RowsFailed)
    }
}

#[derive(clap::Args)]
pub struct InterventionsArgs {
    /// Intervention playbooks (kind `interventions`).
    playbooks: PathBuf,
    /// Accounts: JSON or CSV with `id`, `band`, `start`, optional `risks`; for exit checks
    /// `measured`, `baseline_<metric>`, `current_<metric>`.
    accounts: PathBuf,
    /// Output format (table and CSV: one line per selected playbook).
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

const INTERVENTION_COLUMNS: &[&str] = &[
    "id",
    "row",
    "risk_level",
    "owner",
    "level_due",
    "scenario",
    "due",
    "exit",
    "exit_status",
    "error",
];

pub fn interventions(args: InterventionsArgs) -> CliResult {
    let rules = InterventionRules::from_path(&args.playbooks)?;
    let rows = input::read_path(&args.accounts)?;
    let answer = evaluate(&rules, &rows, &InterventionsRequest {});
    let mut report = Report::new(INTERVENTION_COLUMNS);
    for row in &answer {
        let a = match row {
            Row::Ok(a) => a,
            Row::Failed(f) => {
                eprintln!("error: {}", f.error.message);
                report.push(
                    failure_cells(f, INTERVENTION_COLUMNS.len()),
                    serde_json::Value::Null,
                    Vec::new(),
                );
                continue;
            }
        };
        let p = &a.plan;
        let head = |scenario: String, due: String, exit: String, status: String| {
            vec![
                p.id.clone(),
                a.row.to_string(),
                p.risk_level.clone(),
                p.owner.clone(),
                p.due.map(|d| d.to_string()).unwrap_or_default(),
                scenario,
                due,
                exit,
                status,
                String::new(),
            ]
        };
        if p.playbooks.is_empty() {
            report.push(
                head(String::new(), String::new(), String::new(), String::new()),
                serde_json::Value::Null,
                Vec::new(),
            );
            continue;
        }
        for (pb, st) in p.playbooks.iter().zip(&a.exits) {
            let exit = format!(
                "{} {:?} within {}d",
                pb.exit.metric, pb.exit.direction, pb.exit.within_days
            )
            .replace("Increase", "increase")
            .replace("Decrease", "decrease");
            let status = match st {
                Some(s) => serde_json::to_value(s)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                None => String::new(),
            };
            report.push(
                head(pb.scenario.clone(), pb.due.to_string(), exit, status),
                serde_json::Value::Null,
                Vec::new(),
            );
        }
    }
    if args.format == OutputFormat::Json {
        print_json(&answer)?;
    } else {
        report.emit(args.format)?;
    }
    rows_outcome(failures(&answer), rows.len())
}
