//! The `csrubric` binary end to end: exit codes, formats, per-row errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // test code

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csrubric"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run csrubric")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csrubric-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

#[test]
fn check_accepts_the_seed_rubrics() {
    let out = run(&[
        "check",
        "rubrics/health/slavkokernel.toml",
        "rubrics/health/ai-ecosystem.toml",
        "rubrics/health/cradle-to-grave.toml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("ok: "))
            .count(),
        3
    );
}

#[test]
fn check_rejects_a_broken_rubric_with_path_and_position() {
    let good = std::fs::read_to_string(repo().join("rubrics/health/slavkokernel.toml")).unwrap();
    let bad = good.replacen("weight = 20\n", "weight = 21\n", 1);
    let p = temp_file("bad.toml", &bad);
    let out = run(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("component weights sum to 101%"), "{err}");
    assert!(err.contains("bad.toml:"), "{err}");
    // The problem is located: `components` starts on a known line of the file.
    let line = bad
        .lines()
        .position(|l| l.starts_with("[[components]]"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(":{line}:")),
        "expected line {line} in {err}"
    );
}

#[test]
fn score_json_has_id_score_band_for_every_row() {
    let out = run(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "examples/health/slavkokernel.csv",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let csv = std::fs::read_to_string(repo().join("examples/health/slavkokernel.csv")).unwrap();
    assert_eq!(rows.len(), csv.lines().count() - 1);
    for r in rows {
        assert!(
            r["id"].is_string() && r["score"].is_string() && r["band"].is_string(),
            "{r}"
        );
    }
    // acme: 92*.25 + 88*.2 + 90*.25 + 80*.15 + 85*.15 = 23 + 17.6 + 22.5 + 12 + 12.75 = 87.85
    assert_eq!(rows[0]["id"], "acme");
    assert_eq!(rows[0]["score"], "87.85");
    assert_eq!(rows[0]["band"], "Excellent");
}

#[test]
fn bad_rows_exit_2_and_the_others_are_still_scored() {
    let p = temp_file(
        "accounts.csv",
        "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential\n\
         ok1,50,50,50,50,50\nbad,50,50,150,50,50\nok2,100,100,100,100,100\n",
    );
    let out = run(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        p.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "row 2 (account `bad`): `business_outcomes` = 150 is outside the component scale 0-100"
        ),
        "{err}"
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["score"], "50.00");
    assert_eq!(rows[1]["status"], "error");
    assert_eq!(rows[1]["error"]["code"], "out_of_scale");
    assert_eq!(rows[2]["score"], "100.00");
}

#[test]
fn table_and_csv_formats() {
    let out = run(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "examples/health/slavkokernel.csv",
    ]);
    let t = text(&out.stdout);
    assert!(t.lines().next().unwrap().starts_with("id"), "{t}");
    assert!(
        t.lines()
            .any(|l| l.starts_with("acme") && l.contains("87.85") && l.contains("Excellent")),
        "{t}"
    );
    let out = run(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "examples/health/slavkokernel.csv",
        "--format",
        "csv",
        "--explain",
    ]);
    let c = text(&out.stdout);
    let header = c.lines().next().unwrap();
    assert!(
        header.starts_with(
            "id,row,status,score,band,action,owner,urgency,error,product_adoption.score"
        ),
        "{header}"
    );
    assert!(
        c.lines()
            .nth(1)
            .unwrap()
            .starts_with("acme,1,scored,87.85,Excellent"),
        "{c}"
    );
}

#[test]
fn explain_adds_the_ledger_and_what_it_takes() {
    let out = run(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "examples/health/slavkokernel.csv",
        "--format",
        "json",
        "--explain",
        "--at",
        "2026-11-23T00:00:00Z",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let delta = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "delta")
        .unwrap();
    assert_eq!(delta["components"].as_array().unwrap().len(), 5);
    assert_eq!(delta["components"][0]["declared_weight"], "25");
    assert_eq!(delta["what_it_takes"]["next_band"], "Good");
    assert!(delta["rubric"]["hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
}

#[test]
fn naive_at_is_rejected() {
    let out = run(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "examples/health/slavkokernel.csv",
        "--at",
        "2026-11-23T10:00:00",
    ]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("RFC 3339"));
}

#[test]
fn unreadable_input_exits_1() {
    let out = run(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "no/such/file.csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no/such/file.csv"));
}

#[test]
fn sla_json_on_the_examples() {
    let out = run(&[
        "sla",
        "rubrics/escalation/slavkokernel-sla.toml",
        "examples/escalation/tickets.csv",
        "--at",
        "2026-11-23T10:00:00+01:00",
        "--format",
        "json",
    ]);
    // Two example rows are deliberately bad (unknown tier, naive timestamp): exit code 2.
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    // T-100: Standard P2 opened Friday 15:30: 1.5h Friday + 6.5h Monday -> Monday 15:30.
    assert_eq!(rows[0]["targets"][0]["due"], "2026-11-23T15:30:00+01:00");
    assert_eq!(rows[3]["breached"][0], "first_response");
    assert_eq!(rows[7]["status"], "error");
}
