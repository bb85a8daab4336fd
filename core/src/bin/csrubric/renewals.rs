//! `csrubric renewals PLAYBOOK CONTRACTS`: the renewal pipeline of a file of contracts.

use std::path::PathBuf;

use chrono::NaiveDate;
use csrubric::answer::{failures, Row};
use csrubric::api::lifecycle::{parse_day, renewals, RenewalsRequest};
use csrubric::input;
use csrubric::renewal::RenewalPlaybook;
use csrubric::rubric::read_from_disk;

use crate::output::{failure_cells, print_json, OutputFormat, Report};
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

pub fn run(args: RenewalsArgs) -> CliResult {
    let playbook = RenewalPlaybook::from_path(&args.playbook)?;
    if let (None, Some(m)) = (&args.calendar, playbook.needs_calendar()) {
        return Err(format!(
            "{}: milestone `{m}` counts business days or moves dates to working days: pass --calendar",
            args.playbook.display()
        )
        .into());
    }
    let rows = input::read_path(&args.input)?;
    let request = RenewalsRequest {
        today: args.today,
        calendar: args.calendar,
    };
    let answer = renewals(&playbook, &rows, &request, &read_from_disk)?;
    for f in answer.iter().filter_map(Row::failure) {
        eprintln!("error: {}", f.error.message);
    }
    if args.format == OutputFormat::Json {
        print_json(&answer)?;
    } else {
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
        for row in &answer {
            let cells = match row {
                Row::Ok(r) => vec![
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
                ],
                // id, row, 7 empty cells, the message.
                Row::Failed(f) => failure_cells(f, 10),
            };
            report.push(cells, serde_json::Value::Null, Vec::new());
        }
        report.emit(args.format)?;
    }
    let failed = failures(&answer);
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}
