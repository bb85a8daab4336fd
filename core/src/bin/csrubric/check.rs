//! `csrubric check RUBRIC...`: load and validate rubric files of any kind.

use std::path::PathBuf;

use csrubric::api::AnyRubric;
use csrubric::rubric::RubricError;

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
            Ok(summary) => outln!("ok: {}: {summary}", path.display()),
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
    let r = AnyRubric::from_path(path)?;
    for w in r.warnings() {
        eprintln!("warning: {}: {}: {}", path.display(), w.path, w.message);
    }
    Ok(r.summary())
}
