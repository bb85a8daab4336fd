//! `csrubric escalate MATRIX CASES --at T`: the escalation level of each case (or, with an
//! alerts file, the alerts each account fires); and `check` support for the escalation
//! rubric kinds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use csrubric::escalation::{
    parse_instant as parse_ts, AlertRules, EscalationMatrix, SlaPolicy, ALERTS_KIND, MATRIX_KIND,
    SLA_KIND,
};
use csrubric::input::{self, Record};
use csrubric::rubric::{self, Format, RubricError};

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

/// `csrubric check` for `sla`, `escalation` and `alerts` files.
pub fn check(path: &Path, kind: &str, text: &str, format: Format) -> Result<String, RubricError> {
    let file = path.display().to_string();
    let base = path.parent();
    match kind {
        SLA_KIND => {
            let p = SlaPolicy::from_str_with_format(&file, text, format, base)?;
            Ok(format!(
                "{} {} ({} tiers x {} priorities) {}",
                p.stamp().id,
                p.stamp().version,
                p.spec().tiers.len(),
                p.spec().priorities.len(),
                p.stamp().hash
            ))
        }
        MATRIX_KIND => {
            let m = EscalationMatrix::from_str_with_format(&file, text, format, base)?;
            for w in m.warnings() {
                eprintln!("warning: {file}: {}: {}", w.path, w.message);
            }
            Ok(format!(
                "{} {} ({} levels, hit policy {:?}) {}",
                m.stamp().id,
                m.stamp().version,
                m.spec().levels.len(),
                m.spec().hit_policy,
                m.stamp().hash
            )
            .replace("First", "first")
            .replace("Collect", "collect"))
        }
        _ => {
            let a = AlertRules::from_str_with_format(&file, text, format, base)?;
            Ok(format!(
                "{} {} ({} alerts) {}",
                a.stamp().id,
                a.stamp().version,
                a.spec().alerts.len(),
                a.stamp().hash
            ))
        }
    }
}

fn instant_cell(r: &Record, col: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
    match r.text(col).filter(|s| !s.trim().is_empty()) {
        Some(s) => parse_ts(&s).map(Some).map_err(|m| format!("`{col}`: {m}")),
        None => Ok(None),
    }
}

pub fn run(args: EscalateArgs) -> CliResult {
    let (text, format) = rubric::read_file(&args.matrix)?;
    let kind = rubric::peek_kind(&args.matrix.display().to_string(), &text, format)?;
    let rows = input::read_path(&args.cases)?;
    let at = args.at.unwrap_or_else(chrono::Utc::now);
    let alerts = kind == ALERTS_KIND;
    let columns: &[&str] = if alerts {
        &["id", "row", "alert", "owner", "due", "because", "error"]
    } else {
        &[
            "id", "row", "level", "owner", "deadline", "matched", "error",
        ]
    };
    let mut report = Report::new(columns);
    let mut failed = 0usize;
    let mut fail = |report: &mut Report, id: Option<String>, row: usize, message: String| {
        failed += 1;
        eprintln!("error: {message}");
        let mut cells = vec![id.clone().unwrap_or_default(), row.to_string()];
        cells.extend(std::iter::repeat_n(String::new(), columns.len() - 3));
        cells.push(message.clone());
        let json = serde_json::json!({"id": id, "row": row, "status": "error", "error": message});
        report.push(cells, json, Vec::new());
    };
    if alerts {
        let rules = AlertRules::from_path(&args.matrix)?;
        for row in &rows {
            let r = match row {
                Ok(r) => r,
                Err(e) => {
                    fail(&mut report, None, e.row().unwrap_or(0), e.to_string());
                    continue;
                }
            };
            let detected = match instant_cell(r, "detected_at") {
                Ok(d) => d.unwrap_or(at),
                Err(m) => {
                    fail(
                        &mut report,
                        Some(r.id.clone()),
                        r.row,
                        format!("row {}: {m}", r.row),
                    );
                    continue;
                }
            };
            match rules.evaluate(r, detected) {
                Ok(fired) => {
                    let json = serde_json::json!({"id": r.id, "row": r.row, "alerts": fired});
                    let cell = |f: &dyn Fn(&csrubric::escalation::AlertResult) -> String| {
                        fired.iter().map(f).collect::<Vec<_>>().join("; ")
                    };
                    let cells = vec![
                        r.id.clone(),
                        r.row.to_string(),
                        cell(&|a| a.alert.clone()),
                        cell(&|a| a.owner.clone()),
                        cell(&|a| a.due.to_rfc3339()),
                        cell(&|a| a.because.clone()),
                        String::new(),
                    ];
                    report.push(cells, json, Vec::new());
                }
                Err((col, m)) => fail(
                    &mut report,
                    Some(r.id.clone()),
                    r.row,
                    format!("row {} (`{}`): `{col}`: {m}", r.row, r.id),
                ),
            }
        }
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
        for row in &rows {
            let r = match row {
                Ok(r) => r,
                Err(e) => {
                    fail(&mut report, None, e.row().unwrap_or(0), e.to_string());
                    continue;
                }
            };
            let times = (|| {
                let since = match instant_cell(r, "since")? {
                    Some(s) => s,
                    None => instant_cell(r, "opened_at")?.unwrap_or(at),
                };
                Ok::<_, String>((since, instant_cell(r, "sla_due")?))
            })();
            let (since, sla_due) = match times {
                Ok(t) => t,
                Err(m) => {
                    fail(
                        &mut report,
                        Some(r.id.clone()),
                        r.row,
                        format!("row {}: {m}", r.row),
                    );
                    continue;
                }
            };
            let facts: BTreeMap<String, String> = r
                .values
                .keys()
                .filter_map(|k| r.text(k).map(|v| (k.clone(), v)))
                .collect();
            match matrix.evaluate(&facts, since, sla_due) {
                Ok(res) => {
                    let join = |f: &dyn Fn(&csrubric::escalation::LevelMatch) -> String| {
                        res.matches.iter().map(f).collect::<Vec<_>>().join("; ")
                    };
                    let cells = vec![
                        r.id.clone(),
                        r.row.to_string(),
                        join(&|l| l.level.clone()),
                        join(&|l| l.owner.clone()),
                        join(&|l| l.deadline.map(|d| d.to_rfc3339()).unwrap_or_default()),
                        join(&|l| l.matched.join(", ")),
                        String::new(),
                    ];
                    let json = serde_json::json!({
                        "id": r.id, "row": r.row, "hit_policy": res.hit_policy,
                        "matches": res.matches, "matrix": res.matrix,
                    });
                    report.push(cells, json, Vec::new());
                }
                Err((col, m)) => fail(
                    &mut report,
                    Some(r.id.clone()),
                    r.row,
                    format!("row {} (`{}`): `{col}`: {m}", r.row, r.id),
                ),
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
