//! `csrubric test RUBRIC...`: run the `[[examples]]` of rubric files and print
//! `N passed, N failed`, with a diff per failure.

use std::path::PathBuf;

use csrubric::api::AnyRubric;
use csrubric::rubric::RubricError;

use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct TestArgs {
    /// Rubric files (.toml or .json) carrying `[[examples]]`.
    #[arg(required = true)]
    rubrics: Vec<PathBuf>,
    /// Also list the examples that pass.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: TestArgs) -> CliResult {
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    for path in &args.rubrics {
        let name = path.display().to_string();
        let outcomes = match load(path) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: {e}");
                broken += 1;
                continue;
            }
        };
        if outcomes.is_empty() {
            outln!("{name}: no examples");
        }
        for o in outcomes {
            if o.passed {
                passed += 1;
                if args.verbose {
                    outln!("ok   {name}: {}", o.name);
                }
            } else {
                failed += 1;
                outln!("FAIL {name}: {}", o.name);
                for d in &o.diffs {
                    outln!("  {}", d.field);
                    outln!("    - expected: {}", d.expected);
                    outln!("    + actual:   {}", d.actual);
                }
            }
        }
    }
    outln!("{passed} passed, {failed} failed");
    if broken > 0 {
        return Err(format!("{broken} rubric file(s) could not be loaded").into());
    }
    if failed > 0 {
        return Err(format!("{failed} example(s) failed").into());
    }
    Ok(Outcome::Ok)
}

fn load(path: &std::path::Path) -> Result<Vec<csrubric::selftest::ExampleOutcome>, RubricError> {
    let rubric = AnyRubric::from_path(path)?;
    Ok(rubric.test(&csrubric::rubric::read_from_disk).examples)
}
