//! `csrubric score` on CSV input printed as CSV or JSON is streamed a chunk at a time; its
//! output must be exactly what the whole-file path prints: the expected bytes here are made
//! by the library's whole-file functions (`read_csv`, `score_health_rows`, `to_json`) and
//! printed the way the buffered report prints them (`to_writer_pretty` of one array, or one
//! CSV writer), over a file longer than one chunk with every kind of bad row.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use csrubric::health::{score_health_rows, HealthRow, HealthRubric, ScoreOptions};
use csrubric::input::read_csv;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// 20,000 rows (more than two chunks): good rows, gaps, a typo, a value out of scale, a
/// missing id, a repeated id, a ragged row, a band override, an unread column.
fn big_csv() -> String {
    let mut s = String::from(
        "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential,active_users_pct,note,overrides\n",
    );
    for i in 0..20_000u32 {
        let v = |k: u32| format!("{}.{:02}", (i * 7 + k * 13) % 101, (i * 3 + k) % 100);
        let line = match i % 997 {
            1 => format!("a{i},{},lots,{},{},{},,,\n", v(1), v(3), v(4), v(5)),
            2 => format!("a{i},{},{},100.5,{},{},,,\n", v(1), v(2), v(4), v(5)),
            3 => format!(",{},{},{},{},{},,,\n", v(1), v(2), v(3), v(4), v(5)),
            4 => format!("a{},{},{},{},{},{},,,\n", i - 1, v(1), v(2), v(3), v(4), v(5)),
            5 => format!("a{i},1,2\n"),
            6 => format!(
                "a{i},{},,,,,,x,\"[{{\"\"band\"\": \"\"Critical\"\", \"\"author\"\": \"\"dana\"\", \"\"reason\"\": \"\"churn\"\"}}]\"\n",
                v(1)
            ),
            7 => format!("a{i},,,,,,55,,\n"),
            8 => format!("a{i},,,,,,,,\n"),
            _ => format!("a{i},{},{},{},{},{},,,\n", v(1), v(2), v(3), v(4), v(5)),
        };
        s.push_str(&line);
    }
    s
}

fn expected(text: &str, file: &str, explain: bool, csv_out: bool) -> (String, Vec<String>) {
    let rubric = HealthRubric::from_path(&root().join("rubrics/health/slavkokernel.toml")).unwrap();
    let rows = read_csv(file, text).unwrap();
    let options = ScoreOptions {
        as_of: csrubric::parse_instant("2026-11-23T00:00:00Z").ok(),
        what_it_takes: explain,
    };
    let out = score_health_rows(&rubric, &rows, &options, |_| Vec::new());
    let errors: Vec<String> = out
        .iter()
        .filter_map(|r| match r {
            HealthRow::Failed(f) => Some(format!("error: {}", f.error.message)),
            HealthRow::Scored(_) => None,
        })
        .collect();
    if !csv_out {
        let json: Vec<serde_json::Value> = out.iter().map(|r| r.to_json(explain)).collect();
        return (serde_json::to_string_pretty(&json).unwrap() + "\n", errors);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "id", "row", "status", "score", "band", "action", "owner", "urgency", "error",
    ]
    .map(String::from)
    .to_vec();
    if explain {
        for c in &rubric.spec().components {
            for s in ["score", "effective_weight", "contribution"] {
                header.push(format!("{}.{s}", c.id));
            }
        }
    }
    w.write_record(&header).unwrap();
    for r in &out {
        let mut cells: Vec<String> = match r {
            HealthRow::Failed(f) => {
                let mut c = vec![
                    f.id.clone().unwrap_or_default(),
                    f.row.to_string(),
                    "error".into(),
                ];
                c.resize(8, String::new());
                c.push(f.error.message.clone());
                c
            }
            HealthRow::Scored(s) => {
                let b = s.band.as_deref();
                let mut c = vec![
                    s.id.clone(),
                    s.row.to_string(),
                    serde_json::to_value(s.status)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string(),
                    s.score.map(|x| x.to_string()).unwrap_or_default(),
                    b.map(|b| b.label.clone()).unwrap_or_default(),
                    b.map(|b| b.action.clone()).unwrap_or_default(),
                    b.map(|b| b.owner.clone()).unwrap_or_default(),
                    b.map(|b| b.urgency.clone()).unwrap_or_default(),
                    String::new(),
                ];
                if explain {
                    for l in &s.components {
                        c.push(l.score.map(|x| x.to_string()).unwrap_or_default());
                        c.push(l.effective_weight.to_string());
                        c.push(l.contribution.to_string());
                    }
                }
                c
            }
        };
        cells.resize(header.len(), String::new());
        w.write_record(&cells).unwrap();
    }
    (String::from_utf8(w.into_inner().unwrap()).unwrap(), errors)
}

#[test]
fn streamed_output_is_byte_for_byte_the_whole_file_output() {
    let dir = std::env::temp_dir().join(format!("csrubric-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.csv");
    let text = big_csv();
    std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    let file = path.display().to_string();
    for (format, explain) in [
        ("json", false),
        ("csv", false),
        ("json", true),
        ("csv", true),
    ] {
        let mut args = vec![
            "score".to_string(),
            root()
                .join("rubrics/health/slavkokernel.toml")
                .display()
                .to_string(),
            file.clone(),
            "--format".into(),
            format.into(),
            "--at".into(),
            "2026-11-23T00:00:00Z".into(),
        ];
        if explain {
            args.push("--explain".into());
        }
        let out = Command::new(env!("CARGO_BIN_EXE_csrubric"))
            .args(&args)
            .output()
            .unwrap();
        let (want, errors) = expected(&text, &file, explain, format == "csv");
        assert_eq!(out.status.code(), Some(2), "{format} {explain}");
        let got = String::from_utf8(out.stdout).unwrap();
        assert!(got == want, "{format} explain={explain}: stdout differs");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        let got_errors: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(got_errors, errors, "{format} explain={explain}");
        assert!(
            stderr.contains(&format!("{} of 20000 rows failed", errors.len())),
            "{stderr}"
        );
        assert!(
            stderr.contains("note: columns not read by rubric `health/slavkokernel`: `note`"),
            "{stderr}"
        );
    }
}

#[test]
fn an_empty_csv_streams_an_empty_array_and_bad_files_fail_whole() {
    let dir = std::env::temp_dir().join(format!("csrubric-stream-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rubric = root().join("rubrics/health/slavkokernel.toml");
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "id,product_adoption\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_csrubric"))
        .arg("score")
        .args([&rubric, &empty])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "[]\n");

    // Not UTF-8: the whole file is refused before anything is printed, as before.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, b"id,product_adoption\na,\xff\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_csrubric"))
        .arg("score")
        .args([&rubric, &bad])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let whole = std::fs::read_to_string(&bad).unwrap_err().to_string();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim_end(),
        format!("error: {}: cannot read input: {whole}", bad.display())
    );
}
