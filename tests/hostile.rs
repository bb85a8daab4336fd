//! Hostile inputs for every reader (CSV, JSON, snapshots, id columns), every rubric kind
//! (TOML and JSON) and every script hook: each gets a clear error naming where (file, row,
//! column or rubric path), within bounded time and memory, and never a panic, an abort or a
//! silently dropped row. Cases that could hang run under `guarded`, a hang detector.
//!
//! Tests that start with "Found by" are regressions for bugs the fuzz targets (`fuzz/`) or
//! the sweeps below found; see docs/reliability.md.

use csrubric::calendar::Calendar;
use csrubric::escalation::{AlertRules, EscalationMatrix, SlaPolicy};
use csrubric::health::HealthResult;
use csrubric::health::HealthRubric;
use csrubric::input::Record;
use csrubric::input::{read_csv, read_json};
use csrubric::input::{InputError, Rows};
use csrubric::kpi::KpiRubric;
use csrubric::playbook::{CapacityRatios, InterventionRules, PlanTemplate, TriageRules};
use csrubric::priority::PriorityRubric;
use csrubric::renewal::RenewalPlaybook;
use csrubric::rubric::{peek_kind, Format, RubricError, KINDS};
use csrubric_tests::*;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

fn health(name: &str) -> HealthRubric {
    health_rubric(name)
}

fn opts() -> csrubric::health::ScoreOptions {
    options()
}

fn rec(id: &str, cells: &[(&str, &str)]) -> Record {
    record(id, cells)
}

fn score(r: &HealthRubric, a: &Record) -> HealthResult {
    r.score(a, &opts()).unwrap_or_else(|e| panic!("{e}"))
}

fn score_text(r: &HealthResult) -> String {
    r.score.map_or_else(|| "-".to_string(), |s| s.to_string())
}

const HEADER: &str =
    "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential";

fn score_csv(body: &str) -> Vec<Result<String, String>> {
    let r = health("slavkokernel");
    let rows = read_csv("h.csv", &format!("{HEADER}\n{body}")).expect("file-level read");
    rows.iter()
        .map(|row| match row {
            Err(e) => Err(e.to_string()),
            Ok(a) => r
                .score(a, &opts())
                .map(|res| score_text(&res))
                .map_err(|e| e.to_string()),
        })
        .collect()
}

#[test]
fn non_numbers_are_named_never_coerced() {
    let out = score_csv(
        "a,NaN,1,1,1,1\nb,inf,1,1,1,1\nc,\"1,000\",1,1,1,1\nd,1e400,1,1,1,1\ne,-0,0,0,0,0\n",
    );
    assert_eq!(out.len(), 5);
    for (i, o) in out.iter().take(4).enumerate() {
        let e = o.as_ref().unwrap_err();
        assert!(
            e.contains(&format!("row {}", i + 1)) && e.contains("product_adoption"),
            "{e}"
        );
    }
    assert_eq!(out[4].as_ref().unwrap(), "0.00");
}

#[test]
fn negative_and_huge_direct_scores_are_out_of_scale() {
    let out = score_csv("a,-1,1,1,1,1\nb,79228162514264337593543950335,1,1,1,1\n");
    assert!(out[0]
        .as_ref()
        .unwrap_err()
        .contains("outside the component scale 0-100"));
    assert!(out[1]
        .as_ref()
        .unwrap_err()
        .contains("outside the component scale 0-100"));
}

#[test]
fn empty_files_bom_crlf() {
    assert!(read_csv("e.csv", "")
        .unwrap_err()
        .to_string()
        .contains("e.csv"));
    assert_eq!(read_csv("h.csv", "id\n").unwrap().len(), 0);
    assert!(read_json("e.json", "")
        .unwrap_err()
        .to_string()
        .contains("e.json"));
    assert_eq!(read_json("e.json", "[]").unwrap().len(), 0);
    let out = score_csv("a,50,50,50,50,50\r\nb,60,60,60,60,60\r\n");
    assert_eq!(out, vec![Ok("50.00".to_string()), Ok("60.00".to_string())]);
    let rows = read_csv("b.csv", &format!("\u{feff}{HEADER}\na,1,1,1,1,1\n")).unwrap();
    assert_eq!(rows[0].as_ref().unwrap().id, "a");
}

#[test]
fn duplicate_ids_and_keys_are_row_errors() {
    let out = score_csv("a,50,50,50,50,50\na,60,60,60,60,60\n");
    assert!(out[0].is_ok());
    assert!(
        out[1]
            .as_ref()
            .unwrap_err()
            .contains("row 2 (line 3): duplicate id `a`"),
        "{:?}",
        out[1]
    );
    let rows = read_json(
        "d.json",
        r#"[{"id":"a","product_adoption":1,"product_adoption":99}]"#,
    )
    .unwrap();
    assert!(rows[0]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("duplicate key `product_adoption`"));
}

#[test]
fn huge_field_values_are_reported_briefly() {
    let big = "9".repeat(10 * 1024 * 1024);
    let out = score_csv(&format!("a,{big},1,1,1,1\n"));
    let e = out[0].as_ref().unwrap_err();
    assert!(
        e.contains("product_adoption") && e.contains("(10485760 bytes)"),
        "{}",
        &e[..200.min(e.len())]
    );
    assert!(e.len() < 300, "the message must not carry the 10 MB value");
    let text = "x".repeat(10 * 1024 * 1024);
    let out = score_csv(&format!("b,{text},1,1,1,1\n"));
    let e = out[0].as_ref().unwrap_err();
    assert!(
        e.len() < 300 && e.contains("(10485760 bytes)"),
        "{}",
        &e[..200.min(e.len())]
    );
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "[{{\"id\":\"a\",\"x\":{}{}}}]",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let rows = read_json("deep.json", &deep);
    match rows {
        Err(e) => assert!(e.to_string().contains("deep.json"), "{e}"),
        Ok(rows) => assert!(rows[0].is_err()),
    }
    let deep_rubric = format!(
        "{{\"kind\":{}\"health\"{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(HealthRubric::from_json_str("deep.json", &deep_rubric).is_err());
}

#[test]
fn non_utf8_files_name_the_file() {
    let dir = std::env::temp_dir().join(format!("csrubric-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("latin1.csv");
    std::fs::write(&p, b"id,product_adoption\nacme,9\xe9\n").unwrap();
    let e = csrubric::input::read_path(&p).unwrap_err();
    assert!(e.to_string().contains("latin1.csv"), "{e}");
    let p = dir.join("latin1.toml");
    std::fs::write(&p, b"kind = \"h\xe9alth\"\n").unwrap();
    let e = HealthRubric::from_path(&p).unwrap_err();
    assert!(e.to_string().contains("latin1.toml"), "{e}");
}

/// A health rubric with `n` components of weight `weight` each and one band, as TOML.
fn components_rubric(n: usize, weight: &str) -> String {
    let mut text = String::from("kind = \"health\"\nid = \"big\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-100\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "[[components]]\nid = \"c{i}\"\nweight = \"{weight}\"\n"
        ));
    }
    text.push_str(
        "[[bands]]\nmin = 0\nlabel = \"All\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n",
    );
    text
}

#[test]
fn a_rubric_at_the_entry_limit_loads_and_scores() {
    let n = csrubric::limits::RUBRIC_LIST_ENTRIES;
    let text = components_rubric(n, "0.01");
    let r = HealthRubric::from_toml_str("big.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let last = format!("c{}", n - 1);
    let res = score(&r, &rec("a", &[("c0", "100"), (&last, "50")]));
    // Only two measured, renormalized: (100 + 50) / 2 = 75
    assert_eq!(score_text(&res), "75.00");
    // And a duplicate at the end is found, with its path.
    let dup = text.replace(&format!("id = \"{last}\""), "id = \"c0\"");
    let e = HealthRubric::from_toml_str("big.toml", &dup).unwrap_err();
    assert!(
        e.to_string().contains(&format!("components[{}].id", n - 1)),
        "{e}"
    );
}

// Issue 16 item 10: a 1,000,000-component rubric took 11 s and 2 GB before failing or
// loading; the loader now refuses one entry over the limit, and any text over the byte
// limit, before building the model.
#[test]
fn one_entry_over_the_limit_is_refused_naming_the_list_and_the_limit() {
    let n = csrubric::limits::RUBRIC_LIST_ENTRIES;
    let text = components_rubric(n + 1, "0.01");
    assert!(
        text.len() < csrubric::limits::RUBRIC_BYTES,
        "the entry limit is reached first"
    );
    let json = toml_to_json(&text);
    for (file, body, format) in [
        ("big.toml", text, Format::Toml),
        ("big.json", json, Format::Json),
    ] {
        let e = guarded(&format!("{file} over the entry limit"), 120, move || {
            HealthRubric::from_str_with_format(file, &body, format).unwrap_err()
        });
        assert_eq!(e.code(), "rubric_invalid");
        let problems = e.problems();
        assert_eq!(problems.len(), 1, "{e}");
        assert_eq!(problems[0].path, "components", "{e}");
        let s = e.to_string();
        assert!(
            s.contains(file)
                && s.contains("more than 10 000 entries")
                && s.contains("`rubric_list_entries`"),
            "{s}"
        );
        if format == Format::Toml {
            // `components` starts on line 7 (the header takes six).
            assert_eq!(problems[0].line, Some(7), "{e}");
        }
    }
    // Tables count too: a `params` table with one key too many.
    let mut params = String::from("kind = \"health\"\nid = \"p\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-100\"\n[scripts.params]\n");
    for i in 0..=n {
        params.push_str(&format!("k{i} = 1\n"));
    }
    let e = HealthRubric::from_toml_str("params.toml", &params).unwrap_err();
    assert_eq!(e.problems()[0].path, "scripts.params", "{e}");
}

#[test]
fn a_rubric_over_the_byte_limit_is_refused_before_it_is_parsed() {
    let limit = csrubric::limits::RUBRIC_BYTES;
    let small = components_rubric(4, "25");
    // Exactly at the limit (padded with a comment): loads.
    let at = format!("{small}#{}\n", "x".repeat(limit - small.len() - 2));
    assert_eq!(at.len(), limit);
    HealthRubric::from_toml_str("at.toml", &at).unwrap_or_else(|e| panic!("{e}"));
    // One byte more: refused at `.`, naming the size and the limit; also through the kind
    // peek every tool runs first, and a JSON text padded with spaces.
    let over = format!("{small}#{}\n", "x".repeat(limit - small.len() - 1));
    let json_over = format!("{}{}", toml_to_json(&small), " ".repeat(limit));
    for (file, body, format) in [
        ("over.toml", over, Format::Toml),
        ("over.json", json_over, Format::Json),
    ] {
        let size = body.len();
        for e in [
            HealthRubric::from_str_with_format(file, &body, format).unwrap_err(),
            peek_kind(file, &body, format).unwrap_err(),
        ] {
            let p = e.problems();
            assert_eq!((p.len(), p[0].path.as_str()), (1, "."), "{e}");
            let s = e.to_string();
            assert!(
                s.contains(file)
                    && s.contains(&format!("the rubric is {} bytes", group(size)))
                    && s.contains("more than the 1 048 576 bytes")
                    && s.contains("`rubric_bytes`"),
                "{s}"
            );
        }
    }
}

/// `1048577` as the messages write it: `1 048 577`.
fn group(n: usize) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[test]
fn unknown_fields_anywhere_are_rejected_with_their_path() {
    let base = std::fs::read_to_string(rubric_path("health/slavkokernel.toml")).unwrap();
    for (from, to, path) in [
        (
            "rounding = { decimals = 2, mode = \"half_up\" }",
            "rounding = { decimals = 2, mode = \"half_up\", digits = 3 }",
            "rounding",
        ),
        (
            "  unit = \"%\"\n  weight = 40",
            "  unit = \"%\"\n  wieght = 40",
            "components[0].metrics[0]",
        ),
        (
            "scoring = { type = \"target\", target = 80 }",
            "scoring = { type = \"target\", target = 80, floor = 1 }",
            "components[0].metrics[0].scoring",
        ),
        (
            "urgency = \"Low\"",
            "urgency = \"Low\"\ncolour = \"green\"",
            "bands[0]",
        ),
    ] {
        assert!(base.contains(from), "{from}");
        let e = HealthRubric::from_toml_str("u.toml", &base.replacen(from, to, 1)).unwrap_err();
        let s = e.to_string();
        assert!(s.contains("unknown field") && s.contains(path), "{s}");
    }
}

#[test]
fn extreme_metric_values_score_within_the_scale() {
    let r = health("slavkokernel");
    let metrics: Vec<String> = r
        .spec()
        .components
        .iter()
        .flat_map(|c| c.metrics.iter().map(|m| m.id.clone()))
        .collect();
    for v in [
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "0.0000000000000000000000000001",
        "0",
    ] {
        for m in &metrics {
            let res = score(&r, &rec("h", &[(m.as_str(), v)]));
            let s = res.score.unwrap();
            assert!(s >= dec("0") && s <= dec("100"), "{m}={v}: {s}");
        }
    }
}

#[test]
fn an_expired_band_override_does_not_hide_an_active_one() {
    let r = health("slavkokernel");
    let cells: Vec<(&str, &str)> = r
        .spec()
        .components
        .iter()
        .map(|c| (c.id.as_str(), "90"))
        .collect();
    let acct = rec("o", &cells);
    let list =
        csrubric::health::Override::parse_list(&csrubric::input::Value::Json(serde_json::json!([
            {"band": "Critical", "author": "a", "reason": "active", "expires": "2027-01-01"},
            {"band": "Good", "author": "b", "reason": "old", "expires": "2026-01-01"}
        ])))
        .unwrap();
    let res = r.score_with_overrides(&acct, &list, &opts()).unwrap();
    assert_eq!(res.band.as_ref().unwrap().label, "Critical");
    assert_eq!(res.band_override.as_ref().unwrap().reason, "active");
}

#[test]
fn null_fields_in_an_override_are_absent() {
    // What a DataFrame makes of a list holding a component and a band override.
    let list = csrubric::health::Override::parse_list(&csrubric::input::Value::Json(serde_json::json!([
        {"component": "relationship_health", "score": 40, "band": null, "author": "a", "reason": "r", "expires": null},
        {"component": null, "score": null, "band": "Good", "author": "b", "reason": "r", "expires": "2027-01-01"}
    ])))
    .unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0].expires.is_none());
    assert_eq!(
        list[1].target,
        csrubric::health::OverrideTarget::Band("Good".into())
    );
}

/// A health rubric text with the given component and metric weights (`None`: no metrics).
fn weighted_rubric(components: &[&str], metrics: Option<&[&str]>) -> String {
    let mut text = String::from(
        "kind = \"health\"\nid = \"w\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-100\"\n",
    );
    for (i, w) in components.iter().enumerate() {
        text.push_str(&format!(
            "[[components]]\nid = \"c{i}\"\nweight = \"{w}\"\n"
        ));
        if let (0, Some(ms)) = (i, metrics) {
            for (j, mw) in ms.iter().enumerate() {
                text.push_str(&format!(
                    "[[components.metrics]]\nid = \"m{j}\"\nweight = \"{mw}\"\nscoring = {{ type = \"linear\", from = 0, to = 10 }}\n"
                ));
            }
        }
    }
    text.push_str(
        "[[bands]]\nmin = 0\nlabel = \"All\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n",
    );
    text
}

// Found by the `rubric` fuzz target: two weights near the decimal maximum made the weight
// sum panic ("Addition overflowed") instead of reporting the sum.
#[test]
fn weights_that_overflow_a_decimal_are_a_problem_not_a_panic() {
    let max = "79228162514264337593543950335";
    let e = HealthRubric::from_toml_str("w.toml", &weighted_rubric(&[max, max], None)).unwrap_err();
    let s = e.to_string();
    assert!(
        s.contains("components: component weights sum to more than a decimal holds"),
        "{s}"
    );
    let e =
        HealthRubric::from_toml_str("w.toml", &weighted_rubric(&["50", "50"], Some(&[max, max])))
            .unwrap_err();
    let s = e.to_string();
    assert!(
        s.contains("components[0].metrics: metric weights sum to more than a decimal holds"),
        "{s}"
    );
    // The same text as JSON.
    let json = toml_to_json(&weighted_rubric(&[max, max], None));
    assert!(HealthRubric::from_json_str("w.json", &json).is_err());
}

// Found by the hostile-number sweep over every rubric kind: criterion weights near the
// decimal maximum made the priority weight sum panic ("Addition overflowed").
#[test]
fn priority_weights_that_overflow_a_decimal_are_a_problem_not_a_panic() {
    let text = std::fs::read_to_string(rubric_path("priority/kinos.toml")).unwrap();
    let max = "\"79228162514264337593543950335\"";
    let huge = text
        .replacen("weight = 30", &format!("weight = {max}"), 1)
        .replacen("weight = 25", &format!("weight = {max}"), 1);
    assert_ne!(huge, text);
    let e = csrubric::priority::PriorityRubric::from_str_with_format(
        "p.toml",
        &huge,
        csrubric::rubric::Format::Toml,
    )
    .unwrap_err();
    let s = e.to_string();
    assert!(
        s.contains(
            "criteria: weights must sum to exactly 100, they sum to more than a decimal holds"
        ),
        "{s}"
    );
}

// ---------------------------------------------------------------------------------------
// Bounded time: each case below runs under a guard thread that fails the test if it hangs
// (a hang detector with a generous bound, not a speed assertion).

/// Runs `f` on its own thread (default 2 MiB stack, like any worker thread) and fails if it
/// has not finished after `secs` seconds. A panic inside `f` fails the test with its message.
fn guarded<T: Send + 'static>(what: &str, secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name(what.to_string())
        .spawn(move || {
            let out = f();
            let _ = tx.send(());
            out
        })
        .unwrap();
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(()) => worker.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Ok(out) => out,
            Err(e) => std::panic::resume_unwind(e),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: still running after {secs} s"),
    }
}

// Found by the 100k-entries case: locating each validation problem re-parsed the whole TOML
// text and counted lines from its start, so 100 000 problems took hours (2 000 took minutes).
// Rubrics are now bounded at 10 000 entries per list: as many problems as that allows.
#[test]
fn problems_in_a_rubric_at_the_entry_limit_are_located_in_linear_time() {
    let n = csrubric::limits::RUBRIC_LIST_ENTRIES;
    let mut text = String::from(
        "kind = \"health\"\nid = \"big\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-100\"\n",
    );
    for i in 0..n {
        text.push_str(&format!("[[components]]\nid = \"c{i}\"\nweight = 0\n"));
    }
    text.push_str(
        "[[bands]]\nmin = 0\nlabel = \"All\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n",
    );
    let e = guarded("10k problems", 300, move || {
        HealthRubric::from_toml_str("big.toml", &text).unwrap_err()
    });
    let problems = e.problems();
    // One per component (weight 0) and the sum (0 instead of 100).
    assert_eq!(problems.len(), n + 1);
    // Component i's block starts on line 7 + 3i; its `weight` is two lines further.
    let last = problems
        .iter()
        .find(|p| p.path == format!("components[{}].weight", n - 1))
        .unwrap();
    assert_eq!(
        (last.line, last.column),
        (Some(7 + 3 * (n - 1) + 2), Some(1))
    );
    // The message lists the first 50 and counts the rest.
    let s = e.to_string();
    assert!(
        s.starts_with(&format!("big.toml: invalid rubric ({} problems):", n + 1)),
        "{}",
        &s[..200]
    );
    assert!(
        s.ends_with(&format!("\n  ... and {} more problems", n + 1 - 50)),
        "{}",
        &s[s.len() - 200..]
    );
    assert_eq!(s.lines().count(), 1 + 50 + 1);
}

// Found by the reader cases of the hostile suite: the snapshot reader let a repeated CSV
// column or JSON key silently overwrite the first value, and rejected a JSON byte-order mark.
#[test]
fn the_snapshot_reader_rejects_repeated_columns_and_keys_and_accepts_a_bom() {
    use csrubric::history::read_snapshots;
    let e = read_snapshots("s.csv", "id,date,usage,usage\na,2026-01-01,1,2\n", "csv").unwrap_err();
    assert_eq!(e.to_string(), "s.csv: duplicate column `usage`");
    let rows = read_snapshots(
        "s.json",
        r#"[{"id":"a","date":"2026-01-01","usage":1,"usage":2},{"id":"a","date":"2026-01-02","usage":3}]"#,
        "json",
    )
    .unwrap();
    let e = rows[0].as_ref().unwrap_err().to_string();
    assert!(
        e.starts_with("s.json: row 1: ") && e.contains("duplicate key `usage`"),
        "{e}"
    );
    // The same account on another date is still read.
    assert_eq!(
        rows[1].as_ref().unwrap().number("usage"),
        Some(Ok(dec("3")))
    );
    let rows = read_snapshots(
        "s.json",
        "\u{feff}[{\"id\":\"a\",\"date\":\"2026-01-01\"}]",
        "json",
    )
    .unwrap();
    assert_eq!(rows[0].as_ref().unwrap().id, "a");
}

// Found by the hostile-number sweep: `offset = -9223372036854775808` overflowed `i64::abs`
// in the renewal limit check (a panic in debug builds; in release the wrapped value passed
// the check).
#[test]
fn the_most_negative_milestone_offset_is_beyond_the_limit_not_a_panic() {
    let text = std::fs::read_to_string(rubric_path("renewal/slavkokernel.toml")).unwrap();
    let min = text.replacen("offset = -180", "offset = -9223372036854775808", 1);
    assert_ne!(min, text);
    let e = csrubric::renewal::RenewalPlaybook::from_str_with_format("r.toml", &min, Format::Toml)
        .unwrap_err();
    let s = e.to_string();
    assert!(
        s.contains("milestones[0].offset: `offset` = -9223372036854775808 is beyond the limit"),
        "{s}"
    );
}

// Found by the arithmetic audit: `Instant::now() + deadline` panicked for a Rust caller's
// `deadline_ms = u64::MAX` ("no deadline" in effect).
#[test]
fn a_deadline_beyond_the_clock_means_no_deadline_not_a_panic() {
    use csrubric::script::{Hook, Limits, ScriptEngine};
    let limits = Limits {
        deadline_ms: u64::MAX,
        ..Limits::default()
    };
    let engine = ScriptEngine::new(limits, csrubric::script::rhai::Map::new());
    let script = ScriptEngine::compile(&engine, "t", Hook::Adjust, "40 + 2").unwrap();
    let out = script
        .call("a", &mut csrubric::script::rhai::Scope::new())
        .unwrap();
    assert_eq!(out.decimal("a score").unwrap(), dec("42"));
}

// Found by the arithmetic audit: the usage-drop alert computed `(now - then) * 100 / then`
// with Decimal's panicking operators on raw (unbounded) cells, and a huge
// `trend_window_days` made `date - Duration::days(n)` panic.
#[test]
fn history_with_extreme_usage_values_and_windows_does_not_panic() {
    use csrubric::history::{score_history, HistoryOptions};
    let r = health("slavkokernel");
    let max = "79228162514264337593543950335";
    let snaps: Vec<Record> = [("2026-01-01", max), ("2026-01-15", &format!("-{max}")[..])]
        .iter()
        .enumerate()
        .map(|(i, (d, v))| {
            let mut a = rec("a", &[("product_adoption", "50"), ("logins", v)])
                .with_value("date", csrubric::input::Value::Text(d.to_string()));
            a.row = i + 1;
            a
        })
        .collect();
    for window in [14, i64::MAX, i64::MIN] {
        let options = HistoryOptions {
            usage: "logins".into(),
            trend_window_days: window,
            ..HistoryOptions::default()
        };
        let h = score_history(&r, &snaps, &options).unwrap();
        assert_eq!(h.points.len(), 2, "window {window}");
        // Both dates scored: 50 on every measured component (one of five) renormalizes to 50.
        for p in &h.points {
            assert_eq!(
                p.result.as_ref().unwrap().score,
                Some(dec("50.00")),
                "window {window}"
            );
        }
    }
}

// Found by the arithmetic audit: a reversed criterion computed `min + max - value` with
// Decimal's panicking operators, so bounds near the decimal limits crashed scoring instead
// of failing the request.
#[test]
fn priority_scores_near_the_decimal_limits_are_overflow_errors() {
    use csrubric::priority::PriorityRubric;
    let text = std::fs::read_to_string(rubric_path("priority/kinos.toml")).unwrap();
    let max = "\"79228162514264337593543950335\"";
    // implementation_effort is reversed: 1 + max - value overflows for a small value.
    let reversed = text.replacen(
        "weight = 15\nreverse = true",
        &format!("weight = 15\nreverse = true\nmax = {max}"),
        1,
    );
    assert_ne!(reversed, text);
    let r = PriorityRubric::from_str_with_format("p.toml", &reversed, Format::Toml).unwrap();
    let req = rec(
        "r1",
        &[
            ("customer_impact", "3"),
            ("strategic_alignment", "3"),
            ("revenue_impact", "3"),
            ("implementation_effort", "0.5"),
            ("cross_vertical_value", "3"),
        ],
    );
    // 0.5 is below the default minimum 1: out of scale, named.
    let e = r.score(&req).unwrap_err();
    assert!(e.to_string().contains("implementation_effort"), "{e}");
    let req = rec(
        "r1",
        &[
            ("customer_impact", "3"),
            ("strategic_alignment", "3"),
            ("revenue_impact", "3"),
            ("implementation_effort", "1"),
            ("cross_vertical_value", "3"),
        ],
    );
    let e = r.score(&req).unwrap_err();
    assert_eq!(e.code(), "overflow", "{e}");
    // Every criterion unbounded above, every input at the maximum: a part overflows (the
    // weighted total itself cannot, its weights sum to 100), an error for this request.
    let mut open = text.clone();
    for w in ["weight = 30", "weight = 25", "weight = 20", "weight = 10"] {
        open = open.replacen(w, &format!("{w}\nmax = {max}"), 1);
    }
    let open = open.replacen(
        "weight = 15\nreverse = true",
        &format!("weight = 15\nmax = {max}"),
        1,
    );
    let r = PriorityRubric::from_str_with_format("p.toml", &open, Format::Toml).unwrap();
    let v = max.trim_matches('"');
    let req = rec(
        "r2",
        &[
            ("customer_impact", v),
            ("strategic_alignment", v),
            ("revenue_impact", v),
            ("implementation_effort", v),
            ("cross_vertical_value", v),
        ],
    );
    match r.score(&req) {
        Ok(res) => panic!("scored {:?}", res.score),
        Err(e) => assert_eq!(e.code(), "overflow", "{e}"),
    }
}

// Found by the arithmetic audit: tier shares were summed with Decimal's panicking `+` before
// their range was known to hold.
#[test]
fn capacity_shares_that_overflow_a_decimal_are_a_problem_not_a_panic() {
    let text =
        std::fs::read_to_string(rubric_path("playbooks/slavkokernel-capacity.toml")).unwrap();
    let max = "\"79228162514264337593543950335\"";
    let huge = text
        .replacen("share = \"80\"", &format!("share = {max}"), 1)
        .replacen("share = \"20\"", &format!("share = {max}"), 1);
    assert_ne!(huge, text);
    let e = csrubric::playbook::CapacityRatios::from_str_with_format(
        "c.toml",
        &huge,
        csrubric::rubric::Format::Toml,
    )
    .unwrap_err();
    let s = e.to_string();
    assert!(
        s.contains("tiers: shares add up to more than a decimal holds, not 100"),
        "{s}"
    );
}

// Found by the arithmetic audit: the exit criterion computed `current - baseline` with
// Decimal's panicking `-`.
#[test]
fn intervention_exit_status_with_extreme_measurements_does_not_panic() {
    use csrubric::playbook::{AccountRisk, ExitStatus, InterventionRules};
    let rules =
        InterventionRules::from_path(&rubric_path("playbooks/slavkokernel-interventions.toml"))
            .unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let plan = rules
        .select(&AccountRisk {
            id: "A".into(),
            band: "Good".into(),
            risks: vec!["adoption".into()],
            start,
        })
        .unwrap();
    // Adoption Challenges: usage must increase within 30 days.
    let p = &plan.playbooks[0];
    let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
    let max = dec("79228162514264337593543950335");
    assert_eq!(p.exit_status(-max, max, day), ExitStatus::Met);
    assert_eq!(p.exit_status(max, -max, day), ExitStatus::Open);
}

// Found by the arithmetic audit: a matrix without a calendar added its target to `since`
// with `DateTime + TimeDelta`, which panics past chrono's last instant.
#[test]
fn a_matrix_deadline_beyond_the_date_range_is_an_error() {
    use std::collections::BTreeMap;
    let m = csrubric::escalation::EscalationMatrix::from_path(&rubric_path(
        "escalation/slavkokernel-risk.toml",
    ))
    .unwrap();
    let facts = BTreeMap::from([("risk_level".to_string(), "critical".to_string())]);
    let late = chrono::DateTime::<chrono::Utc>::MAX_UTC - chrono::TimeDelta::hours(1);
    let e = m.evaluate(&facts, late, None).unwrap_err();
    assert!(e.1.contains("beyond the date range"), "{e:?}");
}

// ---------------------------------------------------------------------------------------
// The same hostile cases for every rubric kind and every reader, each under `guarded`.

/// Loads `text` with the model of `kind`; calendars named by the rubric are looked up in
/// `base`.
fn load_kind(
    kind: &str,
    file: &str,
    text: &str,
    format: Format,
    base: Option<&Path>,
) -> Result<(), RubricError> {
    match kind {
        "health" => HealthRubric::from_str_with_format(file, text, format).map(drop),
        "calendar" => Calendar::from_str_with_format(file, text, format).map(drop),
        "sla" => SlaPolicy::from_str_with_format(file, text, format, base).map(drop),
        "escalation" => EscalationMatrix::from_str_with_format(file, text, format, base).map(drop),
        "alerts" => AlertRules::from_str_with_format(file, text, format, base).map(drop),
        "priority" => {
            // Scripts resolve against the file name's folder; the test names have none.
            let dir = base.unwrap_or(Path::new("."));
            let reader = |p: &Path| std::fs::read_to_string(dir.join(p));
            PriorityRubric::from_str_with_reader(file, text, format, &reader).map(drop)
        }
        "renewal" => RenewalPlaybook::from_str_with_format(file, text, format).map(drop),
        "kpi" => KpiRubric::from_str_with_format(file, text, format).map(drop),
        "plan" => PlanTemplate::from_str_with_format(file, text, format, base).map(drop),
        "triage" => TriageRules::from_str_with_format(file, text, format).map(drop),
        "capacity" => CapacityRatios::from_str_with_format(file, text, format).map(drop),
        "interventions" => InterventionRules::from_str_with_format(file, text, format).map(drop),
        other => panic!("no loader for kind `{other}` in this test"),
    }
}

/// Loads a rubric file of any kind from disk (the loaders' own `from_path`).
fn load_kind_path(kind: &str, path: &Path) -> Result<(), RubricError> {
    match kind {
        "health" => HealthRubric::from_path(path).map(drop),
        "calendar" => Calendar::from_path(path).map(drop),
        "sla" => SlaPolicy::from_path(path).map(drop),
        "escalation" => EscalationMatrix::from_path(path).map(drop),
        "alerts" => AlertRules::from_path(path).map(drop),
        "priority" => PriorityRubric::from_path(path).map(drop),
        "renewal" => RenewalPlaybook::from_path(path).map(drop),
        "kpi" => KpiRubric::from_path(path).map(drop),
        "plan" => PlanTemplate::from_path(path).map(drop),
        "triage" => TriageRules::from_path(path).map(drop),
        "capacity" => CapacityRatios::from_path(path).map(drop),
        "interventions" => InterventionRules::from_path(path).map(drop),
        other => panic!("no loader for kind `{other}` in this test"),
    }
}

/// One shipped rubric of each kind: (kind, path, TOML text). Every kind is covered.
fn one_of_each_kind() -> Vec<(String, PathBuf, String)> {
    let mut out: Vec<(String, PathBuf, String)> = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join("rubrics"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).into_iter().flatten())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let kind = peek_kind("x", &text, Format::Toml).unwrap();
        if !out.iter().any(|(k, _, _)| *k == kind) {
            out.push((kind, path, text));
        }
    }
    for k in KINDS {
        assert!(
            out.iter().any(|(kind, _, _)| kind == k),
            "no shipped rubric of kind `{k}`"
        );
    }
    out
}

fn base_of(path: &Path) -> Option<PathBuf> {
    path.parent().map(Path::to_path_buf)
}

/// The error of a load that must fail, as text, checked to name the file.
fn must_fail(r: Result<(), RubricError>, file: &str, what: &str) -> String {
    let e = r.err().unwrap_or_else(|| panic!("{what}: loaded"));
    let s = e.to_string();
    assert!(
        s.contains(file),
        "{what}: the error does not name `{file}`: {s}"
    );
    s
}

#[test]
fn every_shipped_rubric_loads_as_toml_json_and_with_crlf() {
    for (kind, path, text) in one_of_each_kind() {
        let base = base_of(&path);
        let name = path.display().to_string();
        load_kind(&kind, &name, &text, Format::Toml, base.as_deref())
            .unwrap_or_else(|e| panic!("{e}"));
        load_kind(
            &kind,
            "x.json",
            &toml_to_json(&text),
            Format::Json,
            base.as_deref(),
        )
        .unwrap_or_else(|e| panic!("{kind} as JSON: {e}"));
        let crlf = text.replace('\n', "\r\n");
        load_kind(&kind, "crlf.toml", &crlf, Format::Toml, base.as_deref())
            .unwrap_or_else(|e| panic!("{kind} with CRLF line ends: {e}"));
    }
}

#[test]
fn empty_rubric_files_of_every_kind_name_the_file() {
    for kind in KINDS {
        for (file, format) in [("e.toml", Format::Toml), ("e.json", Format::Json)] {
            for text in ["", "\n", "   "] {
                must_fail(
                    load_kind(kind, file, text, format, None),
                    file,
                    &format!("{kind} {file} {text:?}"),
                );
            }
        }
    }
}

#[test]
fn a_byte_order_mark_is_accepted_or_named_in_every_kind() {
    for (kind, path, text) in one_of_each_kind() {
        let base = base_of(&path);
        for (file, body, format) in [
            ("bom.toml", text.clone(), Format::Toml),
            ("bom.json", toml_to_json(&text), Format::Json),
        ] {
            let with_bom = format!("\u{feff}{body}");
            let r = load_kind(&kind, file, &with_bom, format, base.as_deref());
            assert!(r.is_ok(), "{kind} {file}: {}", r.unwrap_err());
        }
    }
}

#[test]
fn unknown_fields_are_rejected_with_their_path_in_every_kind() {
    for (kind, path, text) in one_of_each_kind() {
        let base = base_of(&path);
        // At the top of the file (TOML: with its line).
        let top = text.replacen("\nid = ", "\ncolour = \"green\"\nid = ", 1);
        assert_ne!(top, text, "{kind}: no `id` line");
        let s = must_fail(
            load_kind(&kind, "u.toml", &top, Format::Toml, base.as_deref()),
            "u.toml",
            &kind,
        );
        assert!(s.contains("unknown field `colour`"), "{kind}: {s}");
        // Inside the first element of a list of tables (JSON: with its path).
        let mut v: serde_json::Value = toml::from_str(&text).unwrap();
        let obj = v.as_object_mut().unwrap();
        let Some((key, list)) = obj.iter_mut().find(|(_, v)| {
            v.as_array()
                .is_some_and(|a| a.first().is_some_and(|f| f.is_object()))
        }) else {
            continue;
        };
        let key = key.clone();
        list[0]
            .as_object_mut()
            .unwrap()
            .insert("colour".into(), "green".into());
        let json = serde_json::to_string_pretty(&v).unwrap();
        let s = must_fail(
            load_kind(&kind, "u.json", &json, Format::Json, base.as_deref()),
            "u.json",
            &kind,
        );
        assert!(
            s.contains("unknown field `colour`") && s.contains(&format!("{key}[0]")),
            "{kind}: {s}"
        );
    }
}

#[test]
fn duplicate_keys_are_errors_in_every_kind() {
    for (kind, path, text) in one_of_each_kind() {
        let base = base_of(&path);
        let toml_dup = text.replacen("\nid = ", "\nid = \"first\"\nid = ", 1);
        let s = must_fail(
            load_kind(&kind, "d.toml", &toml_dup, Format::Toml, base.as_deref()),
            "d.toml",
            &kind,
        );
        assert!(s.contains("duplicate key"), "{kind}: {s}");
        let json = toml_to_json(&text);
        // The top-level `id` (two spaces in), not one inside an example's free-form input.
        let json_dup = json.replacen("\n  \"id\":", "\n  \"id\": \"first\",\n  \"id\":", 1);
        assert_ne!(json, json_dup);
        let s = must_fail(
            load_kind(&kind, "d.json", &json_dup, Format::Json, base.as_deref()),
            "d.json",
            &kind,
        );
        assert!(s.contains("duplicate field `id`"), "{kind}: {s}");
    }
}

#[test]
fn non_utf8_rubric_files_of_every_kind_name_the_file() {
    let dir = scratch_dir("hostile-non-utf8");
    for kind in KINDS {
        let p = dir.join(format!("{kind}.toml"));
        let mut bytes = format!("kind = \"{kind}\"\nid = \"x").into_bytes();
        bytes.extend_from_slice(b"\xe9\xff\"\n");
        std::fs::write(&p, &bytes).unwrap();
        let e = load_kind_path(kind, &p).unwrap_err();
        assert!(
            e.to_string().contains(&format!("{kind}.toml")),
            "{kind}: {e}"
        );
        assert_eq!(e.code(), "rubric_io", "{kind}: {e}");
    }
}

#[test]
fn deeply_nested_rubrics_of_every_kind_are_errors_not_stack_overflows() {
    for kind in KINDS {
        guarded(&format!("deep {kind}"), 120, move || {
            let depth = 100_000;
            let json = format!(
                "{{\"kind\": \"{kind}\", \"id\": {}1{}}}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            must_fail(
                load_kind(kind, "deep.json", &json, Format::Json, None),
                "deep.json",
                kind,
            );
            let toml_arrays = format!(
                "kind = \"{kind}\"\nid = {}1{}\n",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            must_fail(
                load_kind(kind, "deep.toml", &toml_arrays, Format::Toml, None),
                "deep.toml",
                kind,
            );
            let toml_tables = format!(
                "kind = \"{kind}\"\nid = {}1{}\n",
                "{ a = ".repeat(depth),
                " }".repeat(depth)
            );
            must_fail(
                load_kind(kind, "deep.toml", &toml_tables, Format::Toml, None),
                "deep.toml",
                kind,
            );
            let dotted = format!("kind = \"{kind}\"\n{} = 1\n", vec!["a"; depth].join("."));
            must_fail(
                load_kind(kind, "deep.toml", &dotted, Format::Toml, None),
                "deep.toml",
                kind,
            );
            let header = format!("kind = \"{kind}\"\n[{}]\n", vec!["a"; depth].join("."));
            must_fail(
                load_kind(kind, "deep.toml", &header, Format::Toml, None),
                "deep.toml",
                kind,
            );
        });
    }
}

#[test]
fn half_megabyte_values_in_rubrics_give_short_errors() {
    // Half the byte limit: larger rubrics are refused before they are parsed (below).
    let big = "x".repeat(csrubric::limits::RUBRIC_BYTES / 2);
    let digits = "9".repeat(csrubric::limits::RUBRIC_BYTES / 2);
    for (kind, path, text) in one_of_each_kind() {
        let base = base_of(&path);
        let (big, digits) = (big.clone(), digits.clone());
        guarded(&format!("half-MB {kind}"), 120, move || {
            // A half-megabyte `kind` value: wrong kind, reported briefly.
            let t = text.replacen(
                &format!("kind = \"{kind}\""),
                &format!("kind = \"{big}\""),
                1,
            );
            let s = must_fail(
                load_kind(&kind, "big.toml", &t, Format::Toml, base.as_deref()),
                "big.toml",
                &kind,
            );
            assert!(s.len() < 2_000, "{kind}: a {} byte message", s.len());
            // A half-megabyte number where a number belongs (the first `= <digit>` line), as a
            // string and as a bare literal.
            let number_line = text.lines().find(|l| {
                l.split_once(" = ").is_some_and(|(_, v)| {
                    let v = v.trim();
                    !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.')
                })
            });
            let Some(at) = number_line.map(str::to_string) else {
                return;
            };
            let (key, _) = at.split_once(" = ").unwrap();
            for value in [format!("\"{digits}\""), digits.clone()] {
                let t = text.replacen(&at, &format!("{key} = {value}"), 1);
                let r = load_kind(&kind, "big.toml", &t, Format::Toml, base.as_deref());
                if let Err(e) = r {
                    let s = e.to_string();
                    assert!(
                        s.len() < 2_000,
                        "{kind} `{key}`: a {} byte message",
                        s.len()
                    );
                }
            }
        });
    }
}

/// Every number of a rubric, one at a time, replaced by a hostile one: never a panic, and
/// the hostile texts (`NaN`, `inf`, `1,000`) are never taken as numbers.
#[test]
fn hostile_numbers_anywhere_in_any_rubric_are_errors_never_panics() {
    fn numbers(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            serde_json::Value::Number(_) => out.push(path.clone()),
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(i.to_string());
                    numbers(x, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    path.push(k.clone());
                    numbers(x, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    fn at<'a>(v: &'a mut serde_json::Value, path: &[String]) -> &'a mut serde_json::Value {
        path.iter().fold(v, |v, k| match v {
            serde_json::Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            other => &mut other[k.as_str()],
        })
    }
    let hostile: Vec<(serde_json::Value, bool)> = vec![
        ("NaN".into(), true),
        ("inf".into(), true),
        ("-Infinity".into(), true),
        ("1,000".into(), true),
        ("".into(), true),
        (serde_json::json!(-1), false),
        (serde_json::json!(0), false),
        (serde_json::json!(-9223372036854775808i64), false),
        (serde_json::json!(18446744073709551615u64), false),
        (serde_json::json!(1.7976931348623157e308), false),
        (serde_json::json!(5e-324), false),
        ("79228162514264337593543950335".into(), false),
        ("-79228162514264337593543950335".into(), false),
        ("0.0000000000000000000000000001".into(), false),
    ];
    for (kind, path, text) in one_of_each_kind() {
        let base = base_of(&path);
        let original: serde_json::Value = toml::from_str(&text).unwrap();
        let mut paths = Vec::new();
        numbers(&original, &mut Vec::new(), &mut paths);
        let hostile = hostile.clone();
        guarded(&format!("numbers {kind}"), 300, move || {
            for p in &paths {
                // Free-form values (script params, self-test inputs) may hold any text.
                let free = p
                    .iter()
                    .any(|k| k == "params" || k == "inputs" || k == "examples");
                for (h, never_a_number) in &hostile {
                    let mut v = original.clone();
                    *at(&mut v, p) = h.clone();
                    let json = serde_json::to_string(&v).unwrap();
                    let r = load_kind(&kind, "n.json", &json, Format::Json, base.as_deref());
                    if *never_a_number && !free {
                        let e = r.err().unwrap_or_else(|| {
                            panic!("{kind}: `{h}` at {} was taken as a number", p.join("."))
                        });
                        assert!(e.to_string().contains("n.json"), "{e}");
                    }
                }
            }
        });
    }
}

/// The longest list of tables in a rubric, cloned to the entry limit: the loader finishes
/// (accepting it or reporting problems with their paths), as TOML and as JSON; one entry
/// more is refused, naming the list (or, when the text outgrows the byte limit first, the
/// size).
#[test]
fn rubrics_at_the_entry_limit_load_or_fail_in_bounded_time() {
    let limit = csrubric::limits::RUBRIC_LIST_ENTRIES;
    for (kind, path, text) in one_of_each_kind() {
        let base = base_of(&path);
        let mut v: serde_json::Value = toml::from_str(&text).unwrap();
        let Some((key, list)) = v
            .as_object_mut()
            .unwrap()
            .iter_mut()
            .filter(|(_, x)| {
                x.as_array()
                    .is_some_and(|a| a.first().is_some_and(|f| f.is_object()))
            })
            .max_by_key(|(_, x)| x.as_array().map_or(0, Vec::len))
        else {
            continue;
        };
        let key = key.clone();
        let items = list.as_array_mut().unwrap();
        let n = items.len();
        while items.len() < limit {
            let next = items[items.len() % n].clone();
            items.push(next);
        }
        let at_limit = (
            serde_json::to_string(&v).unwrap(),
            toml::to_string(&json_to_toml(&v)).unwrap(),
        );
        let list = v.get_mut(&key).unwrap().as_array_mut().unwrap();
        list.push(list[0].clone());
        let over = (
            serde_json::to_string(&v).unwrap(),
            toml::to_string(&json_to_toml(&v)).unwrap(),
        );
        guarded(&format!("{limit} {kind}"), 600, move || {
            for (file, body, format) in [
                ("long.json", at_limit.0, Format::Json),
                ("long.toml", at_limit.1, Format::Toml),
            ] {
                if let Err(e) = load_kind(&kind, file, &body, format, base.as_deref()) {
                    let problems = e.problems();
                    assert!(!problems.is_empty(), "{kind} {file}: {e}");
                    assert!(
                        problems.iter().all(|p| !p.message.is_empty()),
                        "{kind} {file}: {e}"
                    );
                    let text = e.to_string();
                    assert!(
                        text.contains(file),
                        "{kind}: {}",
                        &text[..200.min(text.len())]
                    );
                    assert!(
                        problems
                            .iter()
                            .any(|p| p.path.starts_with(&key) || p.path == "."),
                        "{kind} {file}: no problem under `{key}`"
                    );
                }
            }
            for (file, body, format) in [
                ("over.json", over.0, Format::Json),
                ("over.toml", over.1, Format::Toml),
            ] {
                let e = load_kind(&kind, file, &body, format, base.as_deref()).unwrap_err();
                let p = e.problems();
                let expected = if body.len() > csrubric::limits::RUBRIC_BYTES {
                    "."
                } else {
                    key.as_str()
                };
                assert_eq!(
                    (p.len(), p[0].path.as_str()),
                    (1, expected),
                    "{kind} {file}: {e}"
                );
                assert!(
                    e.to_string().contains("limit `rubric_"),
                    "{kind} {file}: {e}"
                );
            }
        });
    }
}

// ---------------------------------------------------------------------------------------
// Every reader: read_csv, read_json, read_snapshots (CSV and JSON), columns::check_ids.

type Reader = fn(&str) -> Result<Rows, InputError>;

/// The CSV readers (file `r.csv`) and the JSON readers (file `r.json`).
fn csv_readers() -> [(&'static str, Reader); 2] {
    [
        ("read_csv", |t| read_csv("r.csv", t)),
        ("read_snapshots csv", |t| {
            csrubric::history::read_snapshots("r.csv", t, "csv")
        }),
    ]
}

fn json_readers() -> [(&'static str, Reader); 2] {
    [
        ("read_json", |t| read_json("r.json", t)),
        ("read_snapshots json", |t| {
            csrubric::history::read_snapshots("r.json", t, "json")
        }),
    ]
}

fn all_readers() -> Vec<(&'static str, Reader, bool)> {
    csv_readers()
        .into_iter()
        .map(|(n, r)| (n, r, true))
        .chain(json_readers().into_iter().map(|(n, r)| (n, r, false)))
        .collect()
}

/// A table as CSV or as a JSON array of objects (every cell a JSON string).
fn table(csv: bool, header: &[&str], rows: &[&[&str]]) -> String {
    if csv {
        let mut s = header.join(",");
        s.push('\n');
        for r in rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            s.push_str(&cells.join(","));
            s.push('\n');
        }
        s
    } else {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::Value::Object(
                    header
                        .iter()
                        .zip(r.iter())
                        .map(|(h, c)| (h.to_string(), serde_json::Value::String(c.to_string())))
                        .collect(),
                )
            })
            .collect();
        serde_json::to_string(&items).unwrap()
    }
}

fn file_of(csv: bool) -> &'static str {
    if csv {
        "r.csv"
    } else {
        "r.json"
    }
}

#[test]
fn every_reader_keeps_every_row_in_order() {
    for (name, read, csv) in all_readers() {
        // Row 2 has no id, row 4 is malformed (a ragged CSV row; a JSON value that is not
        // an object).
        let text = if csv {
            "id,date,x\na,2026-01-01,1\n,2026-01-01,2\nc,2026-01-01,3\nd,2026-01-01\ne,2026-01-01,5\n"
                .to_string()
        } else {
            r#"[{"id":"a","date":"2026-01-01","x":1},{"date":"2026-01-01","x":2},{"id":"c","date":"2026-01-01","x":3},[4],{"id":"e","date":"2026-01-01","x":5}]"#.to_string()
        };
        let rows = read(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(rows.len(), 5, "{name}");
        for (i, row) in rows.iter().enumerate() {
            match row {
                Ok(r) => assert_eq!(r.row, i + 1, "{name}"),
                Err(e) => {
                    assert_eq!(e.row(), Some(i + 1), "{name}: {e}");
                    assert!(e.to_string().contains(file_of(csv)), "{name}: {e}");
                    assert!(
                        e.to_string().contains(&format!("row {}", i + 1)),
                        "{name}: {e}"
                    );
                }
            }
        }
        assert!(rows[1].is_err() && rows[3].is_err(), "{name}");
        assert!(
            rows[0].is_ok() && rows[2].is_ok() && rows[4].is_ok(),
            "{name}"
        );
    }
}

#[test]
fn every_reader_keeps_non_numbers_as_text_for_the_rubric_to_name() {
    for (name, read, csv) in all_readers() {
        for bad in [
            "NaN", "nan", "inf", "-inf", "Infinity", "1,000", "1 000", "12abc", "0x10", "1e400",
            "1e-400", "--1", "١٢",
        ] {
            let rows = read(&table(
                csv,
                &["id", "date", "usage"],
                &[&["a", "2026-01-01", bad]],
            ))
            .unwrap_or_else(|e| panic!("{name} {bad}: {e}"));
            let r = rows[0]
                .as_ref()
                .unwrap_or_else(|e| panic!("{name} {bad}: {e}"));
            match r.number("usage") {
                // A number too large for a decimal says so, anything else is not a number.
                Some(Err(m)) if bad.starts_with("1e") => {
                    assert!(m.contains("outside the decimal range"), "{name} {bad}: {m}")
                }
                Some(Err(m)) => assert!(m.contains("is not a number"), "{name} {bad}: {m}"),
                // `1e-400` is a (tiny) number in scientific notation.
                Some(Ok(d)) => assert!(
                    bad == "1e-400" && d.is_zero(),
                    "{name}: `{bad}` read as {d}"
                ),
                None => panic!("{name}: `{bad}` was dropped"),
            }
        }
    }
    // Scored: the error names the row, the account and the column.
    let r = health("ai-ecosystem");
    for (name, read, csv) in all_readers()
        .into_iter()
        .filter(|(n, _, _)| !n.contains("snapshots"))
    {
        let rows = read(&table(
            csv,
            &["id", "usage"],
            &[&["a", "NaN"], &["b", "1,000"]],
        ))
        .unwrap();
        let out = csrubric::health::score_health_rows(&r, &rows, &opts(), |_| Vec::new());
        for (i, row) in out.iter().enumerate() {
            let j = row.to_json(false);
            let msg = j["error"]["message"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: {j}"));
            assert!(
                msg.contains(&format!("row {}", i + 1)) && msg.contains("`usage`"),
                "{name}: {msg}"
            );
        }
    }
}

/// A JSON value as TOML (serde_json's `arbitrary_precision` numbers do not serialize as
/// TOML numbers on their own).
fn json_to_toml(v: &serde_json::Value) -> toml::Value {
    use serde_json::Value as J;
    match v {
        J::Null => toml::Value::String(String::new()),
        J::Bool(b) => toml::Value::Boolean(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap()),
        },
        J::String(s) => toml::Value::String(s.clone()),
        J::Array(a) => toml::Value::Array(a.iter().map(json_to_toml).collect()),
        J::Object(o) => toml::Value::Table(
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), json_to_toml(v)))
                .collect(),
        ),
    }
}

#[test]
fn json_number_literals_that_are_not_decimals_are_named() {
    for (name, read) in json_readers() {
        // NaN is not JSON: the file is rejected, naming it.
        let e = read(r#"[{"id":"a","date":"2026-01-01","usage":NaN}]"#).unwrap_err();
        assert!(e.to_string().contains("r.json"), "{name}: {e}");
        // Beyond a decimal (and beyond a binary float: literals are read exactly, never
        // through f64): kept as written, so the rubric reports it with the reason.
        let rows = read(r#"[{"id":"a","date":"2026-01-01","usage":1e300,"t":-1e-300,"u":1e400}]"#)
            .unwrap();
        let r = rows[0].as_ref().unwrap();
        for (column, literal) in [("usage", "300`"), ("u", "400`")] {
            let e = r.number(column).unwrap().unwrap_err();
            assert!(
                e.contains(literal) && e.contains("decimal range"),
                "{name} {column}: {e}"
            );
        }
    }
}

#[test]
fn every_reader_rejects_empty_files_by_name() {
    for (name, read, csv) in all_readers() {
        for text in ["", "   ", "\n\n", "\u{feff}"] {
            let e = read(text)
                .err()
                .unwrap_or_else(|| panic!("{name}: {text:?} was read"));
            assert!(e.to_string().contains(file_of(csv)), "{name}: {e}");
        }
    }
}

#[test]
fn every_reader_accepts_a_bom_and_crlf() {
    for (name, read, csv) in all_readers() {
        let text = table(
            csv,
            &["id", "date", "usage"],
            &[&["a", "2026-01-01", "8"], &["b", "2026-01-02", "9"]],
        );
        let crlf = text.replace('\n', "\r\n");
        for t in [
            format!("\u{feff}{text}"),
            crlf.clone(),
            format!("\u{feff}{crlf}"),
        ] {
            let rows = read(&t).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(rows.len(), 2, "{name}");
            let a = rows[0].as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(a.id, "a", "{name}");
            assert_eq!(a.number("usage"), Some(Ok(dec("8"))), "{name}");
            assert_eq!(
                rows[1].as_ref().unwrap().number("usage"),
                Some(Ok(dec("9"))),
                "{name}"
            );
        }
    }
}

#[test]
fn duplicate_columns_and_keys_are_errors_in_every_reader() {
    for (name, read) in csv_readers() {
        let e = read("id,date,usage,usage\na,2026-01-01,1,2\n").unwrap_err();
        assert!(
            e.to_string().contains("duplicate column `usage`"),
            "{name}: {e}"
        );
        let e = read("id,date,id\na,2026-01-01,b\n").unwrap_err();
        assert!(
            e.to_string().contains("duplicate column `id`"),
            "{name}: {e}"
        );
    }
    for (name, read) in json_readers() {
        let rows = read(r#"[{"id":"a","date":"2026-01-01","usage":1,"usage":2},{"id":"b","date":"2026-01-01"}]"#)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let e = rows[0].as_ref().unwrap_err();
        assert!(
            e.to_string().contains("row 1") && e.to_string().contains("duplicate key `usage`"),
            "{name}: {e}"
        );
        assert!(rows[1].is_ok(), "{name}");
        // Nested objects too.
        let rows = read(r#"[{"id":"c","date":"2026-01-01","o":{"k":1,"k":2}}]"#).unwrap();
        assert!(rows[0].is_err(), "{name}");
    }
    // Duplicate ids: a row error in the account readers and in the id-column check.
    for (name, read, csv) in all_readers()
        .into_iter()
        .filter(|(n, _, _)| !n.contains("snapshots"))
    {
        let rows = read(&table(csv, &["id", "usage"], &[&["a", "1"], &["a", "2"]])).unwrap();
        let e = rows[1].as_ref().unwrap_err();
        assert!(
            e.to_string().contains("row 2") && e.to_string().contains("duplicate id `a`"),
            "{name}: {e}"
        );
    }
    let ids = csrubric::columns::check_ids("t", [Some("a"), Some("a")]);
    assert!(ids[1]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("duplicate id `a`"));
}

#[test]
fn ten_megabyte_ids_cells_and_columns_give_short_messages() {
    let big = "x".repeat(10 * 1024 * 1024);
    for (name, read, csv) in all_readers() {
        let big = big.clone();
        guarded(&format!("10 MB {name}"), 120, move || {
            // A 10 MB id, twice (the second is a duplicate in the account readers).
            let text = table(
                csv,
                &["id", "date", "usage"],
                &[&[&big, "2026-01-01", "1"], &[&big, "2026-01-02", "2"]],
            );
            let rows = read(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(rows.len(), 2);
            for r in rows.iter().filter_map(|r| r.as_ref().err()) {
                assert!(
                    r.to_string().len() < 1_000,
                    "{name}: {} bytes",
                    r.to_string().len()
                );
            }
            // A 10 MB cell where a number belongs.
            let text = table(csv, &["id", "date", "usage"], &[&["a", "2026-01-01", &big]]);
            let rows = read(&text).unwrap();
            let m = rows[0]
                .as_ref()
                .unwrap()
                .number("usage")
                .unwrap()
                .unwrap_err();
            assert!(
                m.len() < 1_000 && m.contains("(10485760 bytes)"),
                "{name}: {} bytes",
                m.len()
            );
            // A 10 MB column name.
            let text = table(csv, &["id", "date", &big], &[&["a", "2026-01-01", "1"]]);
            assert_eq!(read(&text).unwrap().len(), 1, "{name}");
        });
    }
    let ids = csrubric::columns::check_ids("t", [Some(big.as_str()), Some(big.as_str())]);
    assert!(ids[1].as_ref().unwrap_err().to_string().len() < 1_000);
}

#[test]
fn deeply_nested_json_input_is_an_error_in_every_json_reader() {
    for (name, read) in json_readers() {
        guarded(&format!("deep {name}"), 120, move || {
            for depth in [200, 100_000] {
                let deep = format!(
                    "[{{\"id\":\"a\",\"date\":\"2026-01-01\",\"x\":{}{}}}]",
                    "[".repeat(depth),
                    "]".repeat(depth)
                );
                match read(&deep) {
                    Err(e) => assert!(e.to_string().contains("r.json"), "{name}: {e}"),
                    Ok(rows) => assert!(rows[0].is_err(), "{name}: depth {depth} was read"),
                }
                let objects = format!("[{}1{}]", "{\"a\":".repeat(depth), "}".repeat(depth));
                match read(&objects) {
                    Err(e) => assert!(e.to_string().contains("r.json"), "{name}: {e}"),
                    Ok(rows) => assert!(rows[0].is_err(), "{name}"),
                }
            }
        });
    }
}

#[test]
fn non_utf8_json_input_names_the_file() {
    let dir = scratch_dir("hostile-non-utf8-json");
    let p = dir.join("latin1.json");
    std::fs::write(&p, b"[{\"id\": \"caf\xe9\"}]").unwrap();
    let e = csrubric::input::read_path(&p).unwrap_err();
    assert!(e.to_string().contains("latin1.json"), "{e}");
    assert_eq!(e.code(), "input_io");
}

#[test]
fn unknown_input_columns_are_kept_visible_and_change_nothing() {
    let r = health("ai-ecosystem");
    let rows = read_csv(
        "u.csv",
        "id,usage,engagement,success,growth,colour\na,8,8,8,8,green\n",
    )
    .unwrap();
    let a = rows[0].as_ref().unwrap();
    assert_eq!(
        a.text("colour").as_deref(),
        Some("green"),
        "kept for the caller to list"
    );
    let plain = read_csv("p.csv", "id,usage,engagement,success,growth\na,8,8,8,8\n").unwrap();
    let with = score(&r, a);
    let without = score(&r, plain[0].as_ref().unwrap());
    assert_eq!(with.score, without.score);
    assert_eq!(score_text(&with), "8.00");
}

// ---------------------------------------------------------------------------------------
// Scripts at every hook: loops, recursion, allocation and missing functions stop with an
// error for that account only.

const HOSTILE_SCRIPTS: &[(&str, &str, &str)] = &[
    ("infinite loop", "", "loop { }"),
    ("while true", "", "let x = 0; while true { x += 1; }"),
    ("deep recursion", "fn f(x) { f(x + 1) }", "f(0)"),
    (
        "mutual recursion",
        "fn f(x) { g(x) } fn g(x) { f(x) }",
        "f(0)",
    ),
    (
        "doubling string",
        "",
        r#"let s = "xxxxxxxx"; loop { s += s; }"#,
    ),
    (
        "huge string",
        "",
        r#"let s = "x"; s.pad(1000000000, "x"); s"#,
    ),
    ("growing array", "", "let a = []; loop { a.push(1); }"),
    ("huge array", "", "let a = []; a.pad(100000000, 0); a.len()"),
    (
        "growing map",
        "",
        "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
    ),
    ("missing function", "", "no_such_function(1)"),
    (
        "decimal overflow",
        "",
        "let x = 79228162514264337593543950335; x * x",
    ),
    ("division by zero", "", "1 / 0"),
];

/// A health rubric with `body` at `hook`, run only for the account `evil`.
fn hooked(hook: &str, defs: &str, body: &str) -> HealthRubric {
    HealthRubric::from_json_str("hooked.json", &hooked_text(hook, defs, body))
        .unwrap_or_else(|e| panic!("{hook}: {e}"))
}

/// The JSON text of [`hooked`].
fn hooked_text(hook: &str, defs: &str, body: &str) -> String {
    let guarded_body = format!(
        "{defs}\nif id_of == \"evil\" {{ {body} }} else {{ {} }}",
        match hook {
            "metric" => "value",
            "component" => "score",
            _ => "()",
        }
    );
    // The metric and component hooks do not see the account id: the test passes it in the
    // `evil` column instead, read back through the hook's own variables.
    let src = match hook {
        "metric" => {
            format!("let id_of = if value == 13 {{ \"evil\" }} else {{ \"\" }};\n{guarded_body}")
        }
        "component" => {
            format!("let id_of = if input == 13 {{ \"evil\" }} else {{ \"\" }};\n{guarded_body}")
        }
        _ => format!("let id_of = id;\n{guarded_body}"),
    };
    let script = serde_json::json!({"type": "script", "source": src});
    let mut metric = serde_json::json!({"id": "m", "weight": 100, "scoring": {"type": "linear", "from": 0, "to": 100}});
    let mut direct = serde_json::json!({"id": "direct", "weight": 50});
    let mut scripts = serde_json::json!({});
    match hook {
        "metric" => metric["scoring"] = script,
        "component" => direct["scoring"] = script,
        "adjust" => scripts["adjust"] = serde_json::json!({"source": src}),
        _ => {
            scripts["alerts"] = serde_json::json!([{"id": "a", "source": src, "protocol": "p", "owner": "o", "sla": "1 day"}])
        }
    }
    let text = serde_json::json!({
        "kind": "health", "id": "h", "version": "1", "title": "t", "source": "s", "scale": "0-100",
        "components": [direct, {"id": "derived", "weight": 50, "metrics": [metric]}],
        "bands": [{"min": 0, "label": "All", "action": "a", "owner": "o", "urgency": "u"}],
        "scripts": scripts
    });
    text.to_string()
}

#[test]
fn hostile_scripts_at_every_hook_fail_their_account_only() {
    for hook in ["metric", "component", "adjust"] {
        for (name, defs, body) in HOSTILE_SCRIPTS {
            let r = hooked(hook, defs, body);
            let what = format!("{hook}: {name}");
            guarded(&what.clone(), 120, move || {
                // The evil account carries 13 in the columns its hook reads.
                let evil = rec("evil", &[("direct", "13"), ("m", "13")]);
                let batch = vec![
                    rec("good1", &[("direct", "40"), ("m", "60")]),
                    evil,
                    rec("good2", &[("direct", "80"), ("m", "20")]),
                ];
                let out = r.score_batch(&batch, &opts());
                assert_eq!(out.len(), 3, "{what}");
                let e = out[1]
                    .as_ref()
                    .err()
                    .unwrap_or_else(|| panic!("{what}: the script succeeded"));
                assert!(e.code().starts_with("script_"), "{what}: {e}");
                assert!(
                    e.to_string().contains("hooked.json") || e.to_string().contains("script"),
                    "{what}: {e}"
                );
                // good1: 40 * 0.5 + 60 * 0.5 = 50; good2: 80 * 0.5 + 20 * 0.5 = 50
                assert_eq!(score_text(out[0].as_ref().unwrap()), "50.00", "{what}");
                assert_eq!(score_text(out[2].as_ref().unwrap()), "50.00", "{what}");
            });
        }
    }
}

#[test]
fn hostile_alert_scripts_become_failed_alerts_not_crashes() {
    for (name, defs, body) in HOSTILE_SCRIPTS {
        let r = hooked("alert", defs, body);
        let what = format!("alert: {name}");
        guarded(&what.clone(), 120, move || {
            let snaps: Vec<Record> = ["2026-01-01", "2026-01-15"]
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let mut a = rec("evil", &[("direct", "40"), ("m", "60")])
                        .with_value("date", csrubric::input::Value::Text(d.to_string()));
                    a.row = i + 1;
                    a
                })
                .collect();
            let h = csrubric::history::score_history(
                &r,
                &snaps,
                &csrubric::history::HistoryOptions::default(),
            )
            .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(h.points.len(), 2, "{what}");
            for p in &h.points {
                assert!(p.result.is_ok(), "{what}: the score is unaffected");
                let a = p
                    .alerts
                    .iter()
                    .find(|a| a.id == "a")
                    .unwrap_or_else(|| panic!("{what}: no alert"));
                assert!(
                    a.message.starts_with("alert script failed: "),
                    "{what}: {}",
                    a.message
                );
            }
        });
    }
}

#[test]
fn scripts_that_do_not_compile_name_the_rubric_path() {
    for hook in ["metric", "component", "adjust", "alert"] {
        for (name, src) in [
            ("syntax", "let x = ;"),
            ("undefined variable", "no_such_variable + 1"),
            (
                "deep expression",
                &format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000)),
            ),
            ("eval", "eval(\"1\")"),
            ("import", "import \"x\" as y; 1"),
        ] {
            let what = format!("{hook}: {name}");
            let src = src.to_string();
            guarded(&what.clone(), 120, move || {
                let e = HealthRubric::from_json_str("hooked.json", &hooked_text(hook, "", &src))
                    .err()
                    .unwrap_or_else(|| panic!("{what}: compiled"));
                let text = e.to_string();
                assert!(
                    text.contains("hooked.json") && text.contains("script"),
                    "{what}: {text}"
                );
                assert!(text.len() < 2_000, "{what}: {} bytes", text.len());
            });
        }
    }
}
