//! `csrubric plan`, `csrubric triage`, `csrubric capacity`, `csrubric interventions`: playbooks from rubric files; and
//! `check` support for the `plan`, `triage`, `capacity` and `interventions` kinds.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use csrubric::calendar::Calendar;
use csrubric::input::{self, Record};
use csrubric::playbook::{
    Account, CapacityRatios, InterventionRules, Plan, PlanStatus, PlanTemplate, RosterEntry,
    TriageRules, CAPACITY_KIND, INTERVENTIONS_KIND, PLAN_KIND,
};
use csrubric::rubric::{Format, RubricError};
use serde::Serialize;

use crate::output::{OutputFormat, Report};
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

#[derive(Serialize)]
struct PlanOutput<'a> {
    plan: &'a Plan,
    status: Option<&'a PlanStatus>,
}

pub fn plan(args: PlanArgs) -> CliResult {
    let template = PlanTemplate::from_path(&args.template)?;
    let own;
    let cal: &Calendar = match (&args.calendar, template.calendar()) {
        (Some(p), _) => {
            own = Calendar::from_path(p)?;
            &own
        }
        (None, Some(c)) => c,
        (None, None) => {
            return Err(format!(
                "{}: the template names no `calendar`: give `--calendar FILE`",
                args.template.display()
            )
            .into())
        }
    };
    let plan = template.schedule(
        cal,
        args.kickoff,
        args.package.as_deref(),
        args.industry.as_deref(),
    )?;
    let status = match args.as_of {
        Some(d) => Some(plan.status(cal, d, &args.done)?),
        None => {
            if !args.done.is_empty() {
                return Err("`--done` needs `--as-of`".into());
            }
            None
        }
    };
    if args.format == OutputFormat::Json {
        let out = PlanOutput {
            plan: &plan,
            status: status.as_ref(),
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(Outcome::Ok);
    }
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
        println!(
            "plan {} {}: {}; scheduled to {} weeks",
            plan.template.id, plan.template.version, plan.rule, plan.planned_weeks
        );
        if !plan.team.is_empty() {
            println!("team: {}", plan.team.join(", "));
        }
        println!(
            "start {}, go-live {} (range {} .. {})",
            plan.start, plan.go_live, plan.go_live_range[0], plan.go_live_range[1]
        );
        for p in &plan.phases {
            println!("phase {}: {} .. {}", p.phase, p.start, p.due);
        }
        if let Some(s) = &status {
            println!(
                "as of {}: {}, phase {}, {} late, projected go-live {} ({} working days slip)",
                s.as_of,
                serde_json::to_value(s.state)?.as_str().unwrap_or_default(),
                s.current_phase.as_deref().unwrap_or("-"),
                s.late.len(),
                s.projected_go_live,
                s.slip_working_days
            );
        }
        println!();
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
    let mut report = Report::new(TRIAGE_COLUMNS);
    let mut failed = 0usize;
    for row in &rows {
        let result = match row {
            Err(e) => Err((None, e.row().unwrap_or(0), e.code(), e.to_string())),
            Ok(r) => rules
                .triage_record(r)
                .map_err(|e| (Some(r.id.clone()), r.row, e.code(), e.to_string())),
        };
        match result {
            Ok(t) => {
                for w in &t.warnings {
                    eprintln!("warning: row {} (`{}`): {w}", t.row, t.id);
                }
                let cells = vec![
                    t.id.clone(),
                    t.row.to_string(),
                    t.priority.clone(),
                    t.priority_rule.to_string(),
                    t.team.clone(),
                    t.owner.clone(),
                    t.route_rule
                        .map_or_else(|| "fallback".to_string(), |r| r.to_string()),
                    t.warnings.join("; "),
                ];
                report.push(cells, serde_json::to_value(&t)?, Vec::new());
            }
            Err((id, row, code, message)) => {
                failed += 1;
                eprintln!("error: {message}");
                let mut cells = vec![id.clone().unwrap_or_default(), row.to_string()];
                cells.extend(std::iter::repeat_n(String::new(), TRIAGE_COLUMNS.len() - 3));
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

fn read_rows<T>(
    path: &Path,
    parse: impl Fn(&Record) -> Result<T, csrubric::playbook::PlaybookError>,
    errors: &mut Vec<String>,
) -> Result<Vec<T>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for row in input::read_path(path)? {
        match row
            .map_err(|e| e.to_string())
            .and_then(|r| parse(&r).map_err(|e| e.to_string()))
        {
            Ok(t) => out.push(t),
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    Ok(out)
}

pub fn capacity(args: CapacityArgs) -> CliResult {
    let ratios = CapacityRatios::from_path(&args.ratios)?;
    let mut errors = Vec::new();
    let accounts = read_rows(&args.portfolio, Account::from_record, &mut errors)?;
    let roster = match &args.roster {
        Some(p) => Some(read_rows(p, RosterEntry::from_record, &mut errors)?),
        None => None,
    };
    for e in &errors {
        eprintln!("error: {e}");
    }
    let r = ratios.report(&accounts, roster.as_deref());
    if args.format == OutputFormat::Json {
        let out = serde_json::json!({ "report": r, "errors": errors });
        println!("{}", serde_json::to_string_pretty(&out)?);
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
            println!();
            println!("accounts: {}", r.accounts);
            for s in &r.split {
                println!(
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
                println!("uncovered {} ({}): {}", u.account, u.segment, u.reason);
            }
            for o in &r.overloaded {
                println!(
                    "overloaded {} ({}): {} accounts, ratio allows {}",
                    o.name, o.role, o.accounts, o.limit
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(Outcome::Ok)
    } else {
        eprintln!("{} rows failed", errors.len());
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
    let mut report = Report::new(INTERVENTION_COLUMNS);
    let mut failed = 0usize;
    for row in &rows {
        let result = match row {
            Err(e) => Err((None, e.row().unwrap_or(0), e.code(), e.to_string())),
            Ok(r) => rules
                .evaluate_record(r)
                .map_err(|e| (Some(r.id.clone()), r.row, e.code(), e.to_string())),
        };
        match result {
            Ok(a) => {
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
                let json = serde_json::to_value(&a)?;
                if p.playbooks.is_empty() {
                    report.push(
                        head(String::new(), String::new(), String::new(), String::new()),
                        json,
                        Vec::new(),
                    );
                    continue;
                }
                for (i, (pb, st)) in p.playbooks.iter().zip(&a.exits).enumerate() {
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
                    // JSON: one object per account (on its first line only).
                    let j = if i == 0 {
                        json.clone()
                    } else {
                        serde_json::Value::Null
                    };
                    report.push(
                        head(pb.scenario.clone(), pb.due.to_string(), exit, status),
                        j,
                        Vec::new(),
                    );
                }
            }
            Err((id, row, code, message)) => {
                failed += 1;
                eprintln!("error: {message}");
                let mut cells = vec![id.clone().unwrap_or_default(), row.to_string()];
                cells.extend(std::iter::repeat_n(
                    String::new(),
                    INTERVENTION_COLUMNS.len() - 3,
                ));
                cells.push(message.clone());
                let json = serde_json::json!({
                    "id": id, "row": row, "status": "error",
                    "error": { "code": code, "message": message },
                });
                report.push(cells, json, Vec::new());
            }
        }
    }
    report.json.retain(|j| !j.is_null());
    report.emit(args.format)?;
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

/// `csrubric check` for `plan`, `triage`, `capacity` and `interventions` files.
pub fn check(path: &Path, kind: &str, text: &str, format: Format) -> Result<String, RubricError> {
    let file = path.display().to_string();
    match kind {
        PLAN_KIND => {
            let t = PlanTemplate::from_str_with_format(&file, text, format, path.parent())?;
            let s = t.spec();
            Ok(format!(
                "{} {} ({} phases, {} activities, {} packages, {} industries) {}",
                t.stamp().id,
                t.stamp().version,
                s.phases.len(),
                s.activities.len(),
                s.packages.len(),
                s.industries.len(),
                t.stamp().hash
            ))
        }
        INTERVENTIONS_KIND => {
            let r = InterventionRules::from_str_with_format(&file, text, format)?;
            Ok(format!(
                "{} {} ({} levels, {} risks, {} playbooks) {}",
                r.stamp().id,
                r.stamp().version,
                r.spec().levels.len(),
                r.spec().risks.len(),
                r.spec().playbooks.len(),
                r.stamp().hash
            ))
        }
        CAPACITY_KIND => {
            let c = CapacityRatios::from_str_with_format(&file, text, format)?;
            Ok(format!(
                "{} {} ({} roles, {} tiers) {}",
                c.stamp().id,
                c.stamp().version,
                c.spec().roles.len(),
                c.spec().tiers.len(),
                c.stamp().hash
            ))
        }
        _ => {
            let t = TriageRules::from_str_with_format(&file, text, format)?;
            for w in t.warnings() {
                eprintln!("warning: {file}: {}: {}", w.path, w.message);
            }
            Ok(format!(
                "{} {} ({} priority rules, {} routing rules) {}",
                t.stamp().id,
                t.stamp().version,
                t.spec().priority.rules.len(),
                t.spec().routing.rules.len(),
                t.stamp().hash
            ))
        }
    }
}
