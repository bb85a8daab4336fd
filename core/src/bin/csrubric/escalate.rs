//! `csrubric escalate MATRIX CASES --at T`: the escalation level of each case (or, with an
//! alerts file, the alerts each account fires); and `check` support for the escalation
//! rubric kinds.

use std::path::PathBuf;

use csrubric::answer::{failures, Row, RowFailure};
use csrubric::api::escalation::{alerts, escalate, EscalateRequest};
use csrubric::escalation::{AlertResult, AlertRules, EscalationMatrix, LevelMatch, ALERTS_KIND};
use csrubric::input;
use csrubric::rubric;

use crate::output::{OutputFormat, Report};
use crate::{parse_instant, CliResult, Outcome};

#[derive(clap::Args)]
pub struct EscalateArgs {
    /// Escalation matrix (kind `escalation`) or alert rules (kind `alerts`).
    matrix: PathBuf,
    /// Cases: CSV or JSON with `id` and the matrix's inputs; optional `since` (when the
    /// case reached its state; default `opened_at`, then `--at`) and `sla_due`. For alert
    /// rules: the tested columns and optional `detected_at`.
    cases: PathBuf,
    /// The instant to evaluate at (RFC 3339 with an offset). Default: now.
    #[arg(long, value_parser = parse_instant)]
    at: Option<chrono::DateTime<chrono::Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
}

pub fn run(args: EscalateArgs) -> CliResult {
    let (text, format) = rubric::read_file(&args.matrix)?;
    let kind = rubric::peek_kind(&args.matrix.display().to_string(), &text, format)?;
    let rows = input::read_path(&args.cases)?;
    let request = EscalateRequest { at: args.at };
    let mut report;
    let failed;
    if kind == ALERTS_KIND {
        let rules = AlertRules::from_path(&args.matrix)?;
        let answer = alerts(&rules, &rows, &request);
        let columns = ["id", "row", "alert", "owner", "due", "because", "error"];
        report = Report::new(&columns);
        for row in &answer {
            let json = serde_json::to_value(row)?;
            let cells = match row {
                Row::Ok(a) => {
                    let cell = |f: &dyn Fn(&AlertResult) -> String| {
                        a.alerts.iter().map(f).collect::<Vec<_>>().join("; ")
                    };
                    vec![
                        a.id.clone(),
                        a.row.to_string(),
                        cell(&|a| a.alert.clone()),
                        cell(&|a| a.owner.clone()),
                        cell(&|a| a.due.to_rfc3339()),
                        cell(&|a| a.because.clone()),
                        String::new(),
                    ]
                }
                Row::Failed(f) => failure_cells(f, columns.len()),
            };
            report.push(cells, json, Vec::new());
        }
        failed = failures(&answer);
    } else {
        let matrix = EscalationMatrix::from_path(&args.matrix)?;
        for w in matrix.warnings() {
            eprintln!(
                "warning: {}: {}: {}",
                args.matrix.display(),
                w.path,
                w.message
            );
        }
        let known = matrix.input_names();
        let unused: std::collections::BTreeSet<String> = rows
            .iter()
            .flatten()
            .flat_map(|r| r.values.keys())
            .filter(|k| {
                !known.contains(&k.as_str())
                    && !["since", "opened_at", "sla_due"].contains(&k.as_str())
            })
            .map(|k| format!("`{k}`"))
            .collect();
        if !unused.is_empty() {
            eprintln!(
                "note: columns not read by matrix `{}`: {}",
                matrix.stamp().id,
                unused.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
        let answer = escalate(&matrix, &rows, &request);
        let columns = [
            "id", "row", "level", "owner", "deadline", "matched", "error",
        ];
        report = Report::new(&columns);
        for row in &answer {
            let json = serde_json::to_value(row)?;
            let mut details = Vec::new();
            let cells = match row {
                Row::Ok(res) => {
                    for c in &res.scripts {
                        let what = format!("row {} ({}): script", c.row, c.level);
                        details.extend(crate::output::script_lines(&what, &c.script));
                    }
                    let join = |f: &dyn Fn(&LevelMatch) -> String| {
                        res.matches.iter().map(f).collect::<Vec<_>>().join("; ")
                    };
                    vec![
                        res.id.clone(),
                        res.row.to_string(),
                        join(&|l| l.level.clone()),
                        join(&|l| l.owner.clone()),
                        join(&|l| l.deadline.map(|d| d.to_rfc3339()).unwrap_or_default()),
                        join(&|l| l.matched.join(", ")),
                        String::new(),
                    ]
                }
                Row::Failed(f) => failure_cells(f, columns.len()),
            };
            report.push(cells, json, details);
        }
        failed = failures(&answer);
    }
    report.emit(args.format)?;
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

/// Table cells of a failed row (and its message on stderr).
fn failure_cells(f: &RowFailure, width: usize) -> Vec<String> {
    eprintln!("error: {}", f.error.message);
    let mut cells = vec![f.id.clone().unwrap_or_default(), f.row.to_string()];
    cells.resize(width - 1, String::new());
    cells.push(f.error.message.clone());
    cells
}
