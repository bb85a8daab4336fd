//! Hostile inputs for the shared layers (input readers, rubric loader, health scoring): each
//! gets a clear error naming where, never a panic and never a silently dropped row.

use csrubric::health::HealthResult;
use csrubric::health::HealthRubric;
use csrubric::input::Record;
use csrubric::input::{read_csv, read_json};
use csrubric_tests::*;

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

#[test]
fn a_rubric_100k_components_long_loads_and_scores() {
    let mut text = String::from("kind = \"health\"\nid = \"big\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-100\"\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "[[components]]\nid = \"c{i}\"\nweight = \"0.001\"\n"
        ));
    }
    text.push_str(
        "[[bands]]\nmin = 0\nlabel = \"All\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n",
    );
    let r = HealthRubric::from_toml_str("big.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let res = score(&r, &rec("a", &[("c0", "100"), ("c99999", "50")]));
    // Only two measured, renormalized: (100 + 50) / 2 = 75
    assert_eq!(score_text(&res), "75.00");
    // And a duplicate at the end is found, with its path.
    let dup = text.replace("id = \"c99999\"", "id = \"c0\"");
    let e = HealthRubric::from_toml_str("big.toml", &dup).unwrap_err();
    assert!(e.to_string().contains("components[99999].id"), "{e}");
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

use std::sync::mpsc;
use std::time::Duration;

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
#[test]
fn problems_in_a_rubric_100k_entries_long_are_located_in_linear_time() {
    let mut text = String::from(
        "kind = \"health\"\nid = \"big\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-100\"\n",
    );
    for i in 0..100_000 {
        text.push_str(&format!("[[components]]\nid = \"c{i}\"\nweight = 0\n"));
    }
    text.push_str(
        "[[bands]]\nmin = 0\nlabel = \"All\"\naction = \"x\"\nowner = \"x\"\nurgency = \"x\"\n",
    );
    let e = guarded("100k problems", 300, move || {
        HealthRubric::from_toml_str("big.toml", &text).unwrap_err()
    });
    let problems = e.problems();
    // One per component (weight 0) and the sum (0 instead of 100).
    assert_eq!(problems.len(), 100_001);
    // Component i's block starts on line 7 + 3i; its `weight` is two lines further.
    let last = problems
        .iter()
        .find(|p| p.path == "components[99999].weight")
        .unwrap();
    assert_eq!(
        (last.line, last.column),
        (Some(7 + 3 * 99_999 + 2), Some(1))
    );
    // The message lists the first 50 and counts the rest.
    let s = e.to_string();
    assert!(
        s.starts_with("big.toml: invalid rubric (100001 problems):"),
        "{}",
        &s[..200]
    );
    assert!(
        s.ends_with("\n  ... and 99951 more problems"),
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
    let e = csrubric::renewal::RenewalPlaybook::from_str_with_format(
        "r.toml",
        &min,
        csrubric::rubric::Format::Toml,
    )
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
    let r =
        PriorityRubric::from_str_with_format("p.toml", &reversed, csrubric::rubric::Format::Toml)
            .unwrap();
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
    let r = PriorityRubric::from_str_with_format("p.toml", &open, csrubric::rubric::Format::Toml)
        .unwrap();
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
