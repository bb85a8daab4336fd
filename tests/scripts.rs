//! Rule scripts end to end: every hook, the sandbox against hostile scripts, rubric
//! self-tests on the shipped rubrics, and the identity-script invariant.
//!
//! Expected values are hand calculations written next to each assertion.

use std::time::{Duration, Instant};

use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric::input::{Record, Value};
use csrubric::script::rhai;
use csrubric::script::{Hook, Limits, ScriptEngine};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn opts() -> ScoreOptions {
    ScoreOptions {
        as_of: csrubric::parse_instant("2026-11-23T00:00:00Z").ok(),
        what_it_takes: false,
    }
}

/// A two-component rubric (usage 60% from two metrics, sentiment 40% direct); `extra` is
/// spliced in after the header, `usage_extra` into the usage component, `m1` is the first
/// metric's scoring function.
fn rubric(extra: &str, usage_extra: &str, m1: &str) -> String {
    format!(
        r#"
kind = "health"
id = "health/t"
version = "1"
title = "T"
source = "test"
scale = "0-100"
{extra}

[[components]]
id = "usage"
weight = 60
{usage_extra}
  [[components.metrics]]
  id = "active_pct"
  weight = 50
  scoring = {m1}
  [[components.metrics]]
  id = "days"
  weight = 50
  scoring = {{ type = "linear", from = 0, to = 5 }}

[[components]]
id = "sentiment"
weight = 40

[[bands]]
min = 70
label = "Good"
action = "Grow"
owner = "CSM"
urgency = "Low"
[[bands]]
min = 40
label = "At Risk"
action = "Fix"
owner = "CSM + Manager"
urgency = "High"
[[bands]]
min = 0
label = "Critical"
action = "Rescue"
owner = "CSM + Director"
urgency = "Urgent"
"#
    )
}

const LINEAR: &str = r#"{ type = "linear", from = 0, to = 100 }"#;

fn load(text: &str) -> HealthRubric {
    match HealthRubric::from_toml_str("t.toml", text) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn acct(id: &str, active: i64, days: i64, sentiment: i64) -> Record {
    Record::new(id)
        .with("active_pct", Decimal::from(active))
        .with("days", Decimal::from(days))
        .with("sentiment", Decimal::from(sentiment))
}

#[test]
fn metric_scoring_script_scores_the_metric() {
    let r = load(&rubric(
        "",
        "",
        r#"{ type = "script", source = "clamp(value * 2, lo, hi)" }"#,
    ));
    let res = r.score(&acct("a", 30, 5, 50), &opts()).unwrap();
    // active 30 -> script 60; days 5/5 -> 100; usage = (60 + 100) / 2 = 80
    // score = 80*0.6 + 50*0.4 = 48 + 20 = 68 -> At Risk
    let usage = &res.components[0];
    assert_eq!(usage.metrics[0].score, Some(d("60")));
    assert_eq!(usage.metrics[0].script.as_ref().unwrap().returned, "60");
    assert_eq!(res.score, Some(d("68")));
    assert_eq!(res.band.unwrap().label, "At Risk");
}

#[test]
fn metric_script_outside_the_scale_is_an_error_naming_script_hook_and_account() {
    let r = load(&rubric(
        "",
        "",
        r#"{ type = "script", source = "value * 2" }"#,
    ));
    let err = r.score(&acct("acme", 80, 5, 50), &opts()).unwrap_err();
    assert_eq!(err.code(), "script_value");
    let msg = err.to_string();
    assert!(
        msg.contains("components[0].metrics[0].scoring (inline)"),
        "{msg}"
    );
    assert!(msg.contains("metric scoring hook"), "{msg}");
    assert!(msg.contains("account `acme`"), "{msg}");
    assert!(
        msg.contains("returned 160, outside the component scale 0-100"),
        "{msg}"
    );
}

#[test]
fn component_scoring_script_sees_score_and_metrics_and_is_traced() {
    let script = r#"scoring = { type = "script", source = '''
        print(`days = ${metrics.days}`);
        if metrics.days < 3 { min(score, 50) } else { score }
    ''' }"#;
    let r = load(&rubric("", script, LINEAR));
    // active 90 -> 90; days 2/5 -> 40; usage = 65 -> capped at 50 by the script
    // score = 50*0.6 + 80*0.4 = 30 + 32 = 62 -> At Risk
    let res = r.score(&acct("a", 90, 2, 80), &opts()).unwrap();
    let usage = &res.components[0];
    assert_eq!(usage.score, Some(d("50")));
    let trace = usage.script.as_ref().unwrap();
    assert_eq!(trace.returned, "50");
    assert_eq!(trace.trace, vec!["days = 2".to_string()]);
    assert_eq!(res.score, Some(d("62.00")));
    // days 4 -> 80; usage = (90 + 80)/2 = 85, unchanged; 85*0.6 + 80*0.4 = 51 + 32 = 83
    let res = r.score(&acct("b", 90, 4, 80), &opts()).unwrap();
    assert_eq!(res.score, Some(d("83")));
    assert_eq!(res.band.unwrap().label, "Good");
}

#[test]
fn component_script_returning_unit_means_missing() {
    let r = load(&rubric(
        "",
        r#"scoring = { type = "script", source = "()" }"#,
        LINEAR,
    ));
    // usage dropped (renormalize): score = sentiment = 75
    let res = r.score(&acct("a", 90, 5, 75), &opts()).unwrap();
    assert_eq!(res.score, Some(d("75")));
    assert_eq!(res.measured_weight, d("40"));
}

#[test]
fn component_script_wrong_return_type_is_a_clear_error() {
    let r = load(&rubric(
        "",
        r#"scoring = { type = "script", source = '"high"' }"#,
        LINEAR,
    ));
    let err = r.score(&acct("acme", 90, 5, 75), &opts()).unwrap_err();
    assert_eq!(err.code(), "script_return_type");
    let msg = err.to_string();
    assert!(msg.contains("component scoring hook"), "{msg}");
    assert!(msg.contains("account `acme`"), "{msg}");
    assert!(msg.contains(r#"returned string "high""#), "{msg}");
}

fn adjust(src: &str) -> HealthRubric {
    load(&rubric(
        &format!("[scripts]\nadjust = {{ source = '''{src}''' }}\nparams = {{ floor = 45.5 }}"),
        "",
        LINEAR,
    ))
}

#[test]
fn adjust_hook_decimal_replaces_the_score_and_rebands() {
    let r = adjust("if score < params.floor { params.floor } else { () }");
    // usage (40 + 40)/2 = 40; 40*0.6 + 40*0.4 = 40 -> below the floor 45.5 -> 45.5, At Risk
    let res = r.score(&acct("a", 40, 2, 40), &opts()).unwrap();
    assert_eq!(res.score, Some(d("45.50")));
    let adj = res.adjustment.unwrap();
    assert_eq!(adj.score_before, d("40.00"));
    assert!(adj.changed);
    // 100 / 100 / 100 -> 100: unchanged, the ledger says so
    let res = r.score(&acct("b", 100, 5, 100), &opts()).unwrap();
    assert_eq!(res.score, Some(d("100.00")));
    assert!(!res.adjustment.unwrap().changed);
}

#[test]
fn adjust_hook_caps_the_band_when_the_sponsor_left() {
    let r = adjust(
        r#"if flag(inputs.sponsor_left) { #{ cap_band: "At Risk", reason: "executive sponsor left" } }"#,
    );
    let a = acct("a", 100, 5, 100).with_value("sponsor_left", Value::Bool(true));
    let res = r.score(&a, &opts()).unwrap();
    // score 100 stays; band capped
    assert_eq!(res.score, Some(d("100.00")));
    assert_eq!(res.band.as_ref().unwrap().label, "At Risk");
    let adj = res.adjustment.unwrap();
    assert_eq!(adj.band_before.as_deref(), Some("Good"));
    assert_eq!(adj.reason.as_deref(), Some("executive sponsor left"));
    // a Critical account is not raised by a cap: 10/10 -> usage (10 + 0)/2... use all-low
    let low = acct("b", 0, 0, 10).with_value("sponsor_left", Value::Text("yes".into()));
    // usage 0; 0*0.6 + 10*0.4 = 4 -> Critical
    let res = r.score(&low, &opts()).unwrap();
    assert_eq!(res.band.unwrap().label, "Critical");
}

#[test]
fn adjust_hook_band_label_and_errors() {
    let r = adjust(r#""Critical""#);
    let res = r.score(&acct("a", 100, 5, 100), &opts()).unwrap();
    assert_eq!(res.band.unwrap().label, "Critical");

    let r = adjust(r#""Platinum""#);
    let err = r.score(&acct("acme", 100, 5, 100), &opts()).unwrap_err();
    assert_eq!(err.code(), "script_value");
    assert!(err.to_string().contains("band `Platinum`, which the rubric does not have (bands: `Good`, `At Risk`, `Critical`)"), "{err}");

    let r = adjust("true");
    let err = r.score(&acct("acme", 100, 5, 100), &opts()).unwrap_err();
    assert_eq!(err.code(), "script_return_type");
    assert!(
        err.to_string().contains(
            "script `scripts.adjust (inline)` (adjust hook), account `acme`: returned bool true"
        ),
        "{err}"
    );

    let r = adjust("#{ bonus: 5 }");
    let err = r.score(&acct("acme", 100, 5, 100), &opts()).unwrap_err();
    assert!(err.to_string().contains("`bonus`"), "{err}");

    let r = adjust("150");
    let err = r.score(&acct("acme", 100, 5, 100), &opts()).unwrap_err();
    assert!(err.to_string().contains("outside the scale 0-100"), "{err}");
}

#[test]
fn manual_band_override_still_wins_over_the_adjust_hook() {
    let r = adjust(r#""Critical""#);
    let a = acct("a", 100, 5, 100).with_value(
        "overrides",
        Value::Json(
            serde_json::json!([{"band": "Good", "author": "dana", "reason": "renewal signed"}]),
        ),
    );
    let res = r.score_batch(&[a], &opts()).pop().unwrap().unwrap();
    assert_eq!(res.band.unwrap().label, "Good");
    assert_eq!(res.computed_band.as_deref(), Some("Critical"));
}

#[test]
fn compile_errors_name_the_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("csrubric-scripts-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("scripts")).unwrap();
    std::fs::write(dir.join("scripts/bad.rhai"), "let x = 1;\nlet y = x +;\n").unwrap();
    let text = rubric(
        r#"[scripts]
adjust = { file = "scripts/bad.rhai" }"#,
        "",
        LINEAR,
    );
    let path = dir.join("r.toml");
    std::fs::write(&path, text).unwrap();
    let err = HealthRubric::from_path(&path).unwrap_err().to_string();
    assert!(err.contains("scripts.adjust"), "{err}");
    assert!(err.contains("scripts/bad.rhai` (adjust hook) 2:"), "{err}");

    // a typo in a variable name fails at load, not per account
    std::fs::write(dir.join("scripts/bad.rhai"), "scroe + 1").unwrap();
    let err = HealthRubric::from_path(&path).unwrap_err().to_string();
    assert!(err.contains("Undefined variable: scroe"), "{err}");

    // a missing file is named
    std::fs::remove_file(dir.join("scripts/bad.rhai")).unwrap();
    let err = HealthRubric::from_path(&path).unwrap_err().to_string();
    assert!(err.contains("bad.rhai`: cannot read"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn script_paths_and_sources_are_validated() {
    for (scripts, needle) in [
        (
            r#"adjust = { file = "../x.rhai" }"#,
            "must be a relative path inside the rubric's folder",
        ),
        (r#"adjust = { file = "x.rhai", source = "1" }"#, "not both"),
        (r#"adjust = { }"#, "needs a `file` or an inline `source`"),
        (r#"limits = { max_operations = 100000000 }"#, "never loosen"),
        (
            r#"limits = { deadline_ms = 0 }"#,
            "between 1 and the default 100",
        ),
    ] {
        let err = HealthRubric::from_toml_str(
            "t.toml",
            &rubric(&format!("[scripts]\n{scripts}"), "", LINEAR),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains(needle), "{scripts}: {err}");
    }
}

#[test]
fn eval_and_import_are_not_available() {
    let e = ScriptEngine::new(Limits::default(), rhai::Map::new());
    for src in [r#"eval("1 + 1")"#, r#"import "x" as x; 1"#] {
        let err = ScriptEngine::compile(&e, "s", Hook::Adjust, src).unwrap_err();
        assert_eq!(err.code(), "script_compile", "{src}");
    }
    // no timestamp, no sleep, no file access functions are registered
    for src in ["timestamp()", "sleep(1)", r#"open_file("x")"#] {
        let s = ScriptEngine::compile(&e, "s", Hook::Adjust, src).unwrap();
        let err = s.call("a", &mut rhai::Scope::new()).unwrap_err();
        assert_eq!(err.code(), "script_runtime", "{src}");
        assert!(err.to_string().contains("Function not found"), "{err}");
    }
}

/// Each hostile script ends with a clear sandbox error for its account, quickly, and the
/// other accounts of the batch are scored normally.
#[test]
fn hostile_scripts_are_stopped_and_other_accounts_unaffected() {
    let hostile = [
        ("infinite loop", "", "loop { }"),
        ("deep recursion", "fn f(x) { f(x + 1) }", "f(0)"),
        (
            "1 GB string",
            "",
            r#"let s = "x"; s.pad(1000000000, "x"); s"#,
        ),
        (
            "doubling string",
            "",
            r#"let s = "xxxxxxxx"; loop { s += s; }"#,
        ),
        ("huge array", "", "let a = []; a.pad(100000000, 0); a.len()"),
        ("growing array", "", "let a = []; loop { a.push(1); }"),
        (
            "huge map",
            "",
            "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
        ),
    ];
    for (name, defs, src) in hostile {
        let r = adjust(&format!(
            "{defs} if id == \"evil\" {{ {src} }} else {{ () }}"
        ));
        let batch = vec![
            acct("good1", 80, 5, 80),
            acct("evil", 80, 5, 80),
            acct("good2", 40, 2, 40),
        ];
        let t = Instant::now();
        let results = r.score_batch(&batch, &opts());
        let took = t.elapsed();
        assert_eq!(results.len(), 3);
        let err = results[1].as_ref().unwrap_err();
        assert_eq!(err.code(), "script_limit", "{name}: {err}");
        assert!(err.to_string().contains("account `evil`"), "{name}: {err}");
        assert!(
            err.to_string().contains("stopped by the sandbox"),
            "{name}: {err}"
        );
        // the deadline is 100 ms; debug builds on a shared machine get a generous margin
        assert!(took < Duration::from_millis(1500), "{name} took {took:?}");
        // good1: usage (80 + 100)/2 = 90; 90*0.6 + 80*0.4 = 54 + 32 = 86
        // good2: usage (40 + 40)/2 = 40; 40*0.6 + 40*0.4 = 40
        assert_eq!(results[0].as_ref().unwrap().score, Some(d("86")), "{name}");
        assert_eq!(results[2].as_ref().unwrap().score, Some(d("40")), "{name}");
    }
}

#[test]
fn the_wall_clock_deadline_stops_a_script_within_its_operation_budget() {
    // 50 ms deadline; a loop of expensive string work under the operation budget
    let r = load(&rubric(
        "[scripts]\nadjust = { source = 'let s = \"\"; for i in 0..99000 { s = `${i}`.pad(2000, \"y\"); } ()' }\nlimits = { deadline_ms = 1 }",
        "",
        LINEAR,
    ));
    let err = r.score(&acct("a", 80, 5, 80), &opts()).unwrap_err();
    assert_eq!(err.code(), "script_limit");
    assert!(err.to_string().contains("deadline of 1 ms"), "{err}");
}

#[test]
fn tightened_limits_apply() {
    let r = load(&rubric(
        "[scripts]\nadjust = { source = 'let a = []; for i in 0..200 { a.push(i); } ()' }\nlimits = { max_array_size = 100 }",
        "",
        LINEAR,
    ));
    let err = r.score(&acct("a", 80, 5, 80), &opts()).unwrap_err();
    assert_eq!(err.code(), "script_limit");
    assert!(err.to_string().contains("arrays 100 elements"), "{err}");
}

/// Rhai re-measures a whole container after every change when size limits are set, so a
/// script that builds a 30k-element array does quadratic work (see benches/scripts.rs for
/// the numbers). Under the default limits it either finishes or is stopped by the deadline:
/// bounded either way. With the size limits off (possible from Rust only) it finishes.
#[test]
fn a_30k_element_array_is_bounded_under_limits_and_finishes_without_them() {
    let src = "let a = []; for i in 0..30000 { a.push(i); } a.len()";
    let e = ScriptEngine::new(Limits::default(), rhai::Map::new());
    let s = ScriptEngine::compile(&e, "push", Hook::Adjust, src).unwrap();
    let t = Instant::now();
    match s.call("a", &mut rhai::Scope::new()) {
        Ok(out) => assert_eq!(out.value.as_int().unwrap(), 30000),
        Err(err) => assert_eq!(err.code(), "script_limit", "{err}"),
    }
    assert!(t.elapsed() < Duration::from_millis(1500));

    let unlimited = Limits {
        max_array_size: 0,
        max_map_size: 0,
        max_string_size: 0,
        deadline_ms: 60_000,
        max_operations: 10_000_000,
        ..Limits::default()
    };
    let e = ScriptEngine::new(unlimited, rhai::Map::new());
    let s = ScriptEngine::compile(&e, "push", Hook::Adjust, src).unwrap();
    let out = s.call("a", &mut rhai::Scope::new()).unwrap();
    assert_eq!(out.value.as_int().unwrap(), 30000);
}

#[test]
fn scripted_rubrics_score_on_several_threads() {
    let r = load(&rubric(
        "",
        r#"scoring = { type = "script", source = "if score == () { () } else { score }" }"#,
        LINEAR,
    ));
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let r = r.clone();
            std::thread::spawn(move || {
                (0..200)
                    .map(|i| {
                        let a = acct(&format!("t{t}-{i}"), (i % 101) as i64, 5, 50);
                        r.score(&a, &opts()).unwrap().score.unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        let scores = h.join().unwrap();
        // i = 0: usage (0 + 100)/2 = 50; 50*0.6 + 50*0.4 = 50
        assert_eq!(scores[0], d("50"));
        // i = 100: usage 100; 60 + 20 = 80
        assert_eq!(scores[100], d("80"));
    }
}

fn shipped(name: &str) -> HealthRubric {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rubrics/health")
        .join(name);
    HealthRubric::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_shipped_health_rubric_has_passing_examples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rubrics/health");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let r = HealthRubric::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let outcomes = csrubric::selftest::run_examples(&r);
        assert!(outcomes.len() >= 4, "{}: too few examples", path.display());
        for o in outcomes {
            assert!(o.passed, "{}: {}: {:?}", path.display(), o.name, o.diffs);
            n += 1;
        }
    }
    assert!(n >= 25, "{n}");
}

#[test]
fn kinos_health_gate_from_the_library() {
    let r = shipped("kinos-health.toml");
    let a = Record::new("clinic")
        .with("product_adoption", Decimal::from(90))
        .with("technical_health", Decimal::from(90))
        .with("business_outcomes", Decimal::from(90))
        .with("relationship_health", Decimal::from(90))
        .with("growth_potential", Decimal::from(90))
        .with_value("baa_signed", Value::Bool(false));
    let res = r.score(&a, &opts()).unwrap();
    assert_eq!(res.band.unwrap().label, "At Risk");
    let adj = res.adjustment.unwrap();
    assert_eq!(
        adj.reason.as_deref(),
        Some("no signed Business Associate Agreement")
    );
    assert_eq!(
        adj.trace,
        vec![r#"gate: ["no signed Business Associate Agreement"]"#.to_string()]
    );
}

#[test]
fn failing_examples_report_a_diff() {
    let text = rubric("", "", LINEAR)
        + r#"
[[examples]]
name = "off by one cent"
inputs = { sentiment = 70 }
expect = { score = "70.01", band = "Good", components = { sentiment = 70 } }
"#;
    let outcomes = csrubric::selftest::run_examples(&load(&text));
    assert!(!outcomes[0].passed);
    let diffs: Vec<String> = outcomes[0].diffs.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        diffs,
        vec!["score: expected `70.01`, got `70.00`".to_string()]
    );

    let bad = rubric("", "", LINEAR)
        + r#"
[[examples]]
name = "x"
inputs = {}
expect = { band = "Platinum" }
"#;
    let err = HealthRubric::from_toml_str("t.toml", &bad)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("examples[0].expect.band: unknown band `Platinum`"),
        "{err}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A component script returning its input unchanged (and an adjust script returning
    /// `()`) leaves every score, band and component score identical to the unscripted rubric.
    #[test]
    fn identity_scripts_change_nothing(
        active in proptest::option::of(0i64..=150),
        days in proptest::option::of(0i64..=7),
        sentiment in proptest::option::of(0i64..=100),
        cents in 0i64..100,
    ) {
        let plain = load(&rubric("", "", LINEAR));
        let scripted = load(&rubric(
            "[scripts]\nadjust = { source = '()' }",
            r#"scoring = { type = "script", source = "score" }"#,
            LINEAR,
        ));
        let mut a = Record::new("p");
        if let Some(v) = active { a = a.with("active_pct", Decimal::new(v * 100 + cents, 2)); }
        if let Some(v) = days { a = a.with("days", Decimal::from(v)); }
        if let Some(v) = sentiment { a = a.with("sentiment", Decimal::from(v)); }
        let x = plain.score(&a, &opts());
        let y = scripted.score(&a, &opts());
        match (x, y) {
            (Ok(x), Ok(y)) => {
                prop_assert_eq!(x.score, y.score);
                prop_assert_eq!(x.raw_score, y.raw_score);
                prop_assert_eq!(x.band, y.band);
                prop_assert_eq!(x.status, y.status);
                let xs: Vec<_> = x.components.iter().map(|c| c.score).collect();
                let ys: Vec<_> = y.components.iter().map(|c| c.score).collect();
                prop_assert_eq!(xs, ys);
            }
            (Err(x), Err(y)) => prop_assert_eq!(x.code(), y.code()),
            (x, y) => prop_assert!(false, "differ: {:?} vs {:?}", x, y),
        }
    }
}

#[test]
fn the_rubric_stamp_changes_when_a_script_file_changes() {
    let dir = std::env::temp_dir().join(format!("csrubric-stamp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.toml");
    std::fs::write(
        &path,
        rubric("[scripts]\nadjust = { file = \"gate.rhai\" }", "", LINEAR),
    )
    .unwrap();
    std::fs::write(dir.join("gate.rhai"), "()").unwrap();
    let a = HealthRubric::from_path(&path).unwrap().stamp().hash.clone();
    std::fs::write(dir.join("gate.rhai"), "if score < 50 { \"Critical\" }").unwrap();
    let b = HealthRubric::from_path(&path).unwrap().stamp().hash.clone();
    assert_ne!(a, b);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn what_it_takes_does_not_pretend_to_solve_through_a_script() {
    let r = load(&rubric(
        "",
        r#"scoring = { type = "script", source = "score" }"#,
        LINEAR,
    ));
    let o = ScoreOptions {
        what_it_takes: true,
        ..opts()
    };
    // usage (40 + 40)/2 = 40; 40*0.6 + 40*0.4 = 40: At Risk, next band Good at 70
    let res = r.score(&acct("a", 40, 2, 40), &o).unwrap();
    let w = res.what_it_takes.unwrap();
    assert_eq!(w.next_band, "Good");
    assert!(!w.components[0].reachable);
    assert!(w.components[0]
        .note
        .as_deref()
        .unwrap()
        .contains("scored by a script"));
    // sentiment alone: 24 + 0.4*s >= 70 -> s >= 115: not reachable either, but for the scale
    assert!(!w.components[1].reachable);
}
