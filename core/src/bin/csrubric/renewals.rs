//! `csrubric renewals PLAYBOOK CONTRACTS`: the renewal pipeline of a file of contracts.

use std::path::PathBuf;

use chrono::NaiveDate;
use csrubric::calendar::Calendar;
use csrubric::input;
use csrubric::renewal::{RenewalPlaybook, RenewalResult};

use crate::output::{OutputFormat, Report};
use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct RenewalsArgs {
    /// Renewal playbook file (.toml or .json).
    playbook: PathBuf,
    /// Contracts: CSV with columns `id`, `start`, `end` (ISO dates) and optional
    /// `notice_days`, `auto_renew`, `path`, `completed`; or a JSON array of such objects.
    input: PathBuf,
    /// The day to schedule for (YYYY-MM-DD). Default: today (UTC).
    #[arg(long, value_parser = parse_day)]
    today: Option<NaiveDate>,
    /// Working-day calendar (.toml or .json, `kind = "calendar"`), for playbooks with
    /// business-day offsets or `adjust = "previous_working_day"`.
    #[arg(long)]
    calendar: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (expected YYYY-MM-DD, such as 2026-11-23)"))
}

pub fn run(args: RenewalsArgs) -> CliResult {
    let mut playbook = RenewalPlaybook::from_path(&args.playbook)?;
    match (&args.calendar, playbook.needs_calendar()) {
        (Some(c), _) => playbook = playbook.with_calendar(Calendar::from_path(c)?),
        (None, Some(m)) => {
            return Err(format!(
                "{}: milestone `{m}` counts business days or moves dates to working days: pass --calendar",
                args.playbook.display()
            )
            .into())
        }
        (None, None) => {}
    }
    let rows = input::read_path(&args.input)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut report = Report::new(&[
        "id",
        "row",
        "renewal_date",
        "days_to_renewal",
        "current_milestone",
        "next_milestone",
        "next_due",
        "overdue",
        "notice_deadline",
        "error",
    ]);
    let mut failed = 0usize;
    for result in playbook.pipeline(&rows, today) {
        match result {
            Ok(r) => push(&mut report, &r, args.format),
            Err(e) => {
                failed += 1;
                let message = e.to_string();
                eprintln!("error: {message}");
                let row = e.row().unwrap_or(0);
                let mut cells = vec![e.id().unwrap_or_default().to_string(), row.to_string()];
                cells.extend(std::iter::repeat_n(String::new(), 7));
                cells.push(message.clone());
                report.push(
                    cells,
                    serde_json::json!({
                        "id": e.id(), "row": row, "status": "error",
                        "error": { "code": e.code(), "message": message },
                    }),
                    Vec::new(),
                );
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

fn push(report: &mut Report, r: &RenewalResult, format: OutputFormat) {
    let cells = vec![
        r.id.clone(),
        r.row.to_string(),
        r.renewal_date.to_string(),
        r.days_to_renewal.to_string(),
        r.current_milestone.clone().unwrap_or_default(),
        r.next_milestone.clone().unwrap_or_default(),
        r.next_due.map(|d| d.to_string()).unwrap_or_default(),
        r.overdue.join(";"),
        r.notice_deadline.map(|d| d.to_string()).unwrap_or_default(),
        String::new(),
    ];
    // The JSON form is only built when it is printed.
    let json = if format == OutputFormat::Json {
        serde_json::to_value(r).unwrap_or_default()
    } else {
        serde_json::Value::Null
    };
    report.push(cells, json, Vec::new());
}

/// `csrubric check` for the lifecycle kinds (`renewal`, `kpi`): load and summarise.
pub fn check_summary(
    kind: &str,
    file: &str,
    text: &str,
    format: csrubric::rubric::Format,
) -> Result<String, csrubric::rubric::RubricError> {
    if kind == csrubric::kpi::KIND {
        let r = csrubric::kpi::KpiRubric::from_str_with_format(file, text, format)?;
        let s = r.stamp();
        return Ok(format!(
            "{} {} ({} targets) {}",
            s.id,
            s.version,
            r.spec().targets.len(),
            s.hash
        ));
    }
    let r = csrubric::renewal::RenewalPlaybook::from_str_with_format(file, text, format)?;
    let s = r.stamp();
    Ok(format!(
        "{} {} ({} milestones, paths: {}) {}",
        s.id,
        s.version,
        r.spec().milestones.len(),
        r.paths().join(", "),
        s.hash
    ))
}
