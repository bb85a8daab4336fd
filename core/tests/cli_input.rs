//! The `csrubric` binary's input and output paths end to end: exact JSON numbers, CSV and
//! JSON files with broken rows, pipes and odd files, streaming, and every input format
//! giving the answers CSV gives.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn health(name: &str) -> PathBuf {
    root().join("rubrics/health").join(format!("{name}.toml"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csrubric-input-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn csrubric() -> Command {
    Command::new(env!("CARGO_BIN_EXE_csrubric"))
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    csrubric()
        .args(args.iter().map(|a| a.as_ref()))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}\n{}", stdout(o)))
}

const SLAVKO: [&str; 5] = [
    "product_adoption",
    "technical_health",
    "business_outcomes",
    "relationship_health",
    "growth_potential",
];

/// Issue 16 item 3. Every component at 84.99499999999999999: the weighted mean is that
/// number, below the tie 84.995, so half-up to two decimals gives 84.99 (Good, 70 to 85). A
/// JSON number used to go through the nearest binary float (84.995) and score 85.00
/// Excellent.
#[test]
fn a_json_number_literal_scores_exactly_as_the_same_csv_cell() {
    let dir = scratch("exact");
    let v = "84.99499999999999999";
    let csv = dir.join("a.csv");
    std::fs::write(
        &csv,
        format!("id,{}\na,{}\n", SLAVKO.join(","), [v; 5].join(",")),
    )
    .unwrap();
    let fields: Vec<String> = SLAVKO.iter().map(|c| format!("\"{c}\": {v}")).collect();
    let object = format!("{{\"id\": \"a\", {}}}", fields.join(", "));
    let json_file = dir.join("a.json");
    std::fs::write(&json_file, format!("[{object}]")).unwrap();
    let rubric = health("slavkokernel");
    for input in [&csv, &json_file] {
        for command in [
            vec![
                "score".to_string(),
                rubric.display().to_string(),
                input.display().to_string(),
                "--format".into(),
                "json".into(),
            ],
            vec![
                "run".to_string(),
                rubric.display().to_string(),
                "score".into(),
                input.display().to_string(),
            ],
        ] {
            let out = csrubric().args(&command).output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{command:?}: {}", stderr(&out));
            let answer = json(&out);
            assert_eq!(answer[0]["score"], "84.99", "{command:?}: {answer}");
            assert_eq!(answer[0]["band"], "Good", "{command:?}: {answer}");
        }
    }
}

/// A JSON rubric whose step edge has more digits than a binary float holds: 0.3 (a CSV
/// cell, exact) is below 0.30000000000000000001, so it earns the lower step (0, band Low).
/// Through a float the edge was 0.3 and the account scored 100 (High).
const STEPS_RUBRIC: &str = r#"{
  "kind": "health", "id": "test/steps", "version": "1", "title": "Steps", "source": "test",
  "scale": "0-100",
  "components": [{ "id": "c", "label": "C", "weight": 100, "metrics": [
    { "id": "m", "label": "M", "weight": 100, "scoring": { "type": "steps", "steps": [
      { "at_least": 0, "score": 0 }, { "at_least": 0.30000000000000000001, "score": 100 } ] } } ] }],
  "bands": [
    { "min": 50, "label": "High", "action": "a", "owner": "o", "urgency": "u" },
    { "min": 0, "label": "Low", "action": "a", "owner": "o", "urgency": "u" } ]
}"#;

#[test]
fn a_json_rubric_number_is_read_exactly() {
    let dir = scratch("exact-rubric");
    let rubric = dir.join("steps.json");
    std::fs::write(&rubric, STEPS_RUBRIC).unwrap();
    let accounts = dir.join("a.csv");
    std::fs::write(&accounts, "id,m\nbelow,0.3\nat,0.30000000000000000001\n").unwrap();
    let out = run(&[&"score", &rubric, &accounts, &"--format", &"json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let answer = json(&out);
    assert_eq!(
        (answer[0]["score"].as_str(), answer[0]["band"].as_str()),
        (Some("0.00"), Some("Low")),
        "{answer}"
    );
    assert_eq!(
        (answer[1]["score"].as_str(), answer[1]["band"].as_str()),
        (Some("100.00"), Some("High")),
        "{answer}"
    );
}
