//! `csrubric check RUBRIC...`: load and validate rubric files of any kind.

use std::path::PathBuf;

use csrubric::api::AnyRubric;
use csrubric::rubric::{self, RubricError};

use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Rubric files (.toml or .json).
    #[arg(required = true)]
    rubrics: Vec<PathBuf>,
}

pub fn run(args: CheckArgs) -> CliResult {
    let mut failed = false;
    for path in &args.rubrics {
        match check_one(path) {
            Ok(summary) => println!("ok: {}: {summary}", path.display()),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        Err("invalid rubric".into())
    } else {
        Ok(Outcome::Ok)
    }
}

fn check_one(path: &std::path::Path) -> Result<String, RubricError> {
    let (text, format) = rubric::read_file(path)?;
    let file = path.display().to_string();
    let kind = rubric::peek_kind(&file, &text, format)?;
    match kind.as_str() {
        csrubric::health::KIND => {
            let r = csrubric::health::HealthRubric::from_str_with_format(&file, &text, format)?;
            let s = r.stamp();
            Ok(format!(
                "{} {} ({} components, {} bands) {}",
                s.id,
                s.version,
                r.spec().components.len(),
                r.spec().bands.len(),
                s.hash
            ))
        }
        csrubric::calendar::KIND => {
            csrubric::calendar::Calendar::from_str_with_format(&file, &text, format).map(|c| {
                format!(
                    "{} {} (zone {}) {}",
                    c.stamp().id,
                    c.stamp().version,
                    c.spec().zone,
                    c.stamp().hash
                )
            })
        }
        k @ ("sla" | "escalation" | "alerts") => crate::escalate::check(path, k, &text, format),
        csrubric::priority::KIND => csrubric::priority::PriorityRubric::from_str_with_format(
            &file, &text, format,
        )
        .map(|r| {
            format!(
                "{} {} ({} criteria, {:?}) {}",
                r.stamp().id,
                r.stamp().version,
                r.spec().criteria.len(),
                r.spec().model,
                r.stamp().hash
            )
        }),
        "renewal" | "kpi" | "plan" | "triage" | "capacity" | "interventions" => {
            let r = AnyRubric::load(&file, &text, format, &rubric::read_from_disk)?;
            for w in r.warnings() {
                eprintln!("warning: {file}: {}: {}", w.path, w.message);
            }
            Ok(r.summary())
        }
        other => Err(RubricError::Invalid {
            file,
            problems: vec![rubric::Problem {
                path: "kind".into(),
                message: format!(
                    "unknown rubric kind `{other}` (known: {})",
                    rubric::KINDS.join(", ")
                ),
                line: None,
                column: None,
            }],
        }),
    }
}
