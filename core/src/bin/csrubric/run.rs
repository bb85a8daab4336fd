//! `csrubric run RUBRIC OP [INPUT] [--options JSON]`: any operation of any rubric kind, as
//! JSON, through the same entry point the Python and WASM bindings use
//! ([`csrubric::api::AnyRubric::run`]).

use std::path::PathBuf;

use csrubric::api::{AnyRubric, Input};

use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct RunArgs {
    /// Rubric file of any kind (.toml or .json).
    rubric: PathBuf,
    /// The operation (`score`, `prioritize`, `sla`, `plan`, `test`...; `csrubric check`
    /// lists a rubric's operations).
    op: String,
    /// Input rows: CSV with an `id` column, or a JSON array of objects. None for operations
    /// without rows (`plan`, `test`).
    input: Option<PathBuf>,
    /// The operation's options as a JSON object (`{"at": "2026-11-23T10:00:00Z"}`), or
    /// `@FILE` to read them from a file.
    #[arg(long)]
    options: Option<String>,
}

pub fn run(args: RunArgs) -> CliResult {
    let rubric = AnyRubric::from_path(&args.rubric)?;
    let options: serde_json::Value = match &args.options {
        None => serde_json::Value::Null,
        Some(text) => {
            let (name, text) = match text.strip_prefix('@') {
                Some(path) => (
                    path.to_string(),
                    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?,
                ),
                None => ("--options".to_string(), text.clone()),
            };
            serde_json::from_str(&text).map_err(|e| format!("{name}: invalid JSON: {e}"))?
        }
    };
    let text;
    let file;
    let json: serde_json::Value;
    let input = match &args.input {
        None => Input::None,
        Some(path) => {
            file = path.display().to_string();
            text = std::fs::read_to_string(path).map_err(|e| format!("{file}: {e}"))?;
            let is_json = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if is_json {
                json = serde_json::from_str(&text)
                    .map_err(|e| format!("{file}: invalid JSON: {e}"))?;
                Input::Json(&json)
            } else {
                Input::Csv {
                    file: &file,
                    text: &text,
                }
            }
        }
    };
    let answer = rubric.run(&args.op, input, &options, &csrubric::rubric::read_from_disk)?;
    outln!("{}", serde_json::to_string_pretty(&answer)?);
    let failed = match &answer {
        serde_json::Value::Array(rows) => rows
            .iter()
            .filter(|r| r.get("status").and_then(|s| s.as_str()) == Some("error"))
            .count(),
        serde_json::Value::Object(o) => o
            .get("failed")
            .and_then(|f| f.as_u64())
            .map_or(0, |n| n as usize),
        _ => 0,
    };
    Ok(if failed > 0 {
        Outcome::RowsFailed
    } else {
        Outcome::Ok
    })
}
