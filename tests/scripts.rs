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
    assert_eq!(
        usage.metrics[0]
            .script
            .as_ref()
            .unwrap()
            .returned
            .to_string(),
        "60"
    );
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
    assert_eq!(trace.returned.to_string(), "50");
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
        let outcomes = csrubric::health::run_examples(&r);
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
    let outcomes = csrubric::health::run_examples(&load(&text));
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
        // every health hook: the metric script is the linear 0-100 function itself, the
        // component script returns its score, the adjust script and the alert return ()
        let scripted = load(&rubric(
            "[scripts]\nadjust = { source = '()' }\n[[scripts.alerts]]\nid = \"never\"\nsource = '()'\nprotocol = \"p\"\nowner = \"o\"\nsla = \"s\"",
            r#"scoring = { type = "script", source = "score" }"#,
            r#"{ type = "script", source = "clamp(value, lo, hi)" }"#,
        ));
        let mut a = Record::new("p");
        if let Some(v) = active { a = a.with("active_pct", Decimal::new(v * 100 + cents, 2)); }
        if let Some(v) = days { a = a.with("days", Decimal::from(v)); }
        if let Some(v) = sentiment { a = a.with("sentiment", Decimal::from(v)); }
        let x = plain.score(&a, &opts());
        let y = scripted.score(&a, &opts());
        // the alert hook: two dated snapshots give the same alerts (none from the script)
        let snap = |date: &str| a.clone().with_value("date", Value::Text(date.into()));
        let snaps = vec![snap("2026-03-01"), snap("2026-03-15")];
        let hx = csrubric::history::score_history(&plain, &snaps, &Default::default()).unwrap();
        let hy = csrubric::history::score_history(&scripted, &snaps, &Default::default()).unwrap();
        for (px, py) in hx.points.iter().zip(&hy.points) {
            prop_assert_eq!(&px.alerts, &py.alerts);
        }
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

// ---- the new hooks: priority formula, classification, escalation criterion --------------

use csrubric::escalation::EscalationMatrix;
use csrubric::priority::{Class, PriorityRubric};
use csrubric::rubric::Format;
use std::collections::BTreeMap;

/// A `model = "script"` priority rubric over `impact` (1-5) and `effort` (1-5, reversed);
/// `extra` holds its `[scripts]` table and anything after.
fn priority_text(extra: &str) -> String {
    format!(
        r#"
kind = "priority"
id = "priority/t"
version = "1"
title = "T"
source = "test"
model = "script"
criteria = [{{ id = "impact", min = 1, max = 5 }}, {{ id = "effort", min = 1, max = 5, reverse = true }}]
{extra}
"#
    )
}

fn priority(extra: &str) -> PriorityRubric {
    PriorityRubric::from_str_with_format("p.toml", &priority_text(extra), Format::Toml)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn request(id: &str, impact: i64, effort: i64) -> Record {
    Record::new(id)
        .with("impact", Decimal::from(impact))
        .with("effort", Decimal::from(effort))
}

#[test]
fn formula_script_scores_with_the_reversed_values_and_is_traced() {
    let r = priority(
        "[scripts]\nformula = { source = 'print(`raw effort ${values.effort}`); criteria.impact * params.w + criteria.effort' }\nparams = { w = 2 }",
    );
    // impact 4, effort 2 reversed to 1 + 5 - 2 = 4: 4 * 2 + 4 = 12
    let res = r.score(&request("r1", 4, 2)).unwrap();
    assert_eq!(res.score, d("12.00"));
    let t = res.script.unwrap();
    assert_eq!(t.returned.to_string(), "12");
    assert_eq!(t.trace, vec!["raw effort 2".to_string()]);
    assert_eq!(&*t.script, "scripts.formula (inline)");
    // the contributions still list each value; a script model has no weights
    assert_eq!(res.contributions[1].effective, d("4"));
    assert_eq!(res.contributions[1].weight, None);
}

#[test]
fn formula_script_wrong_return_type_names_script_hook_and_request() {
    let r = priority(
        "[scripts]\nformula = { source = 'if criteria.impact > 3 { \"high\" } else { 1 }' }",
    );
    let batch = vec![request("r1", 5, 1), request("r2", 1, 1)];
    let out = r.score_batch(&batch);
    let err = out[0].as_ref().unwrap_err();
    assert_eq!(err.code(), "script_return_type");
    assert_eq!(
        err.to_string(),
        "request `r1`: script `scripts.formula (inline)` (priority formula hook), request `r1`: returned string \"high\", expected a decimal score"
    );
    // the other request is scored: 1
    assert_eq!(out[1].as_ref().unwrap().score, d("1.00"));
}

#[test]
fn model_script_and_formula_script_go_together() {
    let no_script =
        PriorityRubric::from_str_with_format("p.toml", &priority_text(""), Format::Toml)
            .unwrap_err()
            .to_string();
    assert!(
        no_script.contains("scripts.formula: a `model = \"script\"` rubric needs"),
        "{no_script}"
    );
    let weighted = priority_text("[scripts]\nformula = { source = '1' }")
        .replace("model = \"script\"", "model = \"weighted\"");
    let err = PriorityRubric::from_str_with_format("p.toml", &weighted, Format::Toml)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("scripts.formula: a formula script needs `model = \"script\"`"),
        "{err}"
    );
}

#[test]
fn classification_script_decides_or_falls_through_to_the_rules() {
    let r = priority(
        r#"[scripts]
formula = { source = "criteria.impact" }
classify = { source = '''
if request.segment == "clinic" { print("clinic request"); return "Must Have"; }
if score >= 4 { return "delighter"; }
()
''' }

[[classification.rules]]
class = "hygiene_factor"
when = [{ attribute = "baseline", equals = true }]
"#,
    );
    let clinic = request("a", 1, 1).with_value("segment", Value::Text("clinic".into()));
    let c = r.score(&clinic).unwrap().classification;
    assert_eq!((c.class, c.by.as_str()), (Some(Class::MustHave), "script"));
    assert_eq!(
        c.script.as_ref().unwrap().trace,
        vec!["clinic request".to_string()]
    );
    // score 5 (impact) >= 4: the script decides from the score
    let c = r.score(&request("b", 5, 1)).unwrap().classification;
    assert_eq!(c.class, Some(Class::Delighter));
    // the script returns (): the rule decides, and the script's () is kept in the explanation
    let base = request("c", 2, 1).with_value("baseline", Value::Bool(true));
    let c = r.score(&base).unwrap().classification;
    assert_eq!(
        (c.class, c.by.as_str()),
        (Some(Class::HygieneFactor), "rules[0]")
    );
    assert_eq!(c.script.as_ref().unwrap().returned.to_string(), "()");
    // an explicit column wins: the script does not run
    let explicit =
        request("d", 5, 1).with_value("classification", Value::Text("performance_enhancer".into()));
    let c = r.score(&explicit).unwrap().classification;
    assert_eq!(
        (c.class, c.by.as_str(), c.script.is_none()),
        (Some(Class::PerformanceEnhancer), "column", true)
    );
    // nothing decides: unclassified, with the reason
    let c = r.score(&request("e", 2, 1)).unwrap().classification;
    assert_eq!(c.class, None);
    assert_eq!(c.by, "none");
}

#[test]
fn classification_script_bad_label_or_type_is_an_error_for_that_request() {
    let r = priority(
        "[scripts]\nformula = { source = 'criteria.impact' }\nclassify = { source = 'if criteria.impact == 5 { \"nice to have\" } else if criteria.impact == 4 { 42 } else { () }' }",
    );
    let out = r.score_batch(&[request("x", 5, 1), request("y", 4, 1), request("z", 3, 1)]);
    let e = out[0].as_ref().unwrap_err();
    assert_eq!(e.code(), "script_value");
    assert!(
        e.to_string().contains(
            "(classification hook), request `x`: returned `nice to have`, which is not a class"
        ),
        "{e}"
    );
    let e = out[1].as_ref().unwrap_err();
    assert_eq!(e.code(), "script_return_type");
    assert!(e.to_string().contains("returned integer 42"), "{e}");
    assert!(out[2].is_ok());
}

fn matrix_text(body: &str) -> String {
    format!("kind = \"escalation\"\nid = \"m\"\nversion = \"1\"\ntitle = \"M\"\nsource = \"test\"\nhit_policy = \"first\"\n{body}")
}

fn matrix(body: &str) -> Result<EscalationMatrix, csrubric::rubric::RubricError> {
    EscalationMatrix::from_toml_str("m.toml", &matrix_text(body), None)
}

fn case(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const TIER_INPUT: &str = "[[inputs]]\nname = \"tier\"\nvalues = [\"standard\", \"enterprise\"]\n";

#[test]
fn escalation_script_criterion_matches_and_is_explained() {
    let m = matrix(&format!(
        r#"[scripts]
fields = ["arr"]
params = {{ big = 100000 }}
{TIER_INPUT}
[[levels]]
level = "Executive"
owner = "VP"
when = {{ tier = "enterprise" }}
script = {{ source = 'print(`arr ${{facts.arr}}`); facts.arr != () && facts.arr >= params.big' }}
[[levels]]
level = "L1"
owner = "Engineer"
"#
    ))
    .unwrap();
    let at: chrono::DateTime<chrono::Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
    // enterprise with ARR 250000 >= 100000: Executive, explained by the script
    let r = m
        .evaluate_case(
            "c-1",
            &case(&[("tier", "enterprise"), ("arr", "250000")]),
            at,
            None,
        )
        .unwrap();
    let l = r.level().unwrap();
    assert_eq!(l.level, "Executive");
    assert_eq!(
        l.matched,
        vec![
            "tier = enterprise".to_string(),
            "script `levels[0].script (inline)` = true".to_string()
        ]
    );
    assert_eq!(
        l.script.as_ref().unwrap().trace,
        vec!["arr 250000".to_string()]
    );
    // ARR 5000: the script says false, the catch-all decides; the check is explained
    let r = m
        .evaluate_case(
            "c-2",
            &case(&[("tier", "enterprise"), ("arr", "5000")]),
            at,
            None,
        )
        .unwrap();
    assert_eq!(r.level().unwrap().level, "L1");
    assert_eq!(r.scripts.len(), 1);
    assert!(!r.scripts[0].holds);
    assert_eq!(r.scripts[0].script.returned.to_string(), "false");
    // a standard customer never runs the script (its column does not match)
    let r = m
        .evaluate_case("c-3", &case(&[("tier", "standard")]), at, None)
        .unwrap();
    assert!(r.scripts.is_empty());
    // the script's fields count as read by the matrix
    assert_eq!(m.input_names(), vec!["tier", "arr"]);
}

#[test]
fn escalation_script_wrong_type_is_an_error_naming_the_case() {
    let m = matrix(&format!(
        "{TIER_INPUT}[[levels]]\nlevel = \"X\"\nowner = \"O\"\nscript = {{ source = 'if facts.tier == \"standard\" {{ 1 }} else {{ true }}' }}\n[[levels]]\nlevel = \"L1\"\nowner = \"E\"\n"
    ))
    .unwrap();
    let at = chrono::Utc::now();
    let (field, message) = m
        .evaluate_case("c-9", &case(&[("tier", "standard")]), at, None)
        .unwrap_err();
    assert_eq!(field, "levels[0].script");
    assert_eq!(
        message,
        "script `levels[0].script (inline)` (escalation criterion hook), case `c-9`: returned integer 1, expected true or false"
    );
    // another case is unaffected
    let ok = m
        .evaluate_case("c-10", &case(&[("tier", "enterprise")]), at, None)
        .unwrap();
    assert_eq!(ok.level().unwrap().level, "X");
}

#[test]
fn escalation_static_checks_treat_a_script_row_as_one_that_may_not_hold() {
    // Only a scripted row covers enterprise: that is a gap (the script may say false).
    let err = matrix(&format!(
        "{TIER_INPUT}[[levels]]\nlevel = \"X\"\nowner = \"O\"\nwhen = {{ tier = \"enterprise\" }}\nscript = {{ source = 'true' }}\n[[levels]]\nlevel = \"S\"\nowner = \"O\"\nwhen = {{ tier = \"standard\" }}\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("1 input combination(s) match no row (or only rows with a script criterion, which may not hold), such as: tier = enterprise"),
        "{err}"
    );
    // A row after a scripted row with the same criteria is reachable...
    assert!(matrix(&format!(
        "{TIER_INPUT}[[levels]]\nlevel = \"X\"\nowner = \"O\"\nscript = {{ source = 'true' }}\n[[levels]]\nlevel = \"L1\"\nowner = \"E\"\n"
    ))
    .is_ok());
    // ...but a scripted row after a catch-all is not.
    let err = matrix(&format!(
        "{TIER_INPUT}[[levels]]\nlevel = \"L1\"\nowner = \"E\"\n[[levels]]\nlevel = \"X\"\nowner = \"O\"\nscript = {{ source = 'true' }}\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("levels[1]: row 2 is unreachable under hit policy `first`"),
        "{err}"
    );
    // fields must not repeat an input
    let err = matrix(&format!(
        "[scripts]\nfields = [\"tier\"]\n{TIER_INPUT}[[levels]]\nlevel = \"L1\"\nowner = \"E\"\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("scripts.fields[0]: `tier` is a declared input"),
        "{err}"
    );
}

#[test]
fn compile_errors_at_the_new_hooks_name_the_rubric_path_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("csrubric-newhooks-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("scripts")).unwrap();
    std::fs::write(dir.join("scripts/bad.rhai"), "let a = 1;\nlet b = ;\n").unwrap();
    let p = dir.join("p.toml");
    std::fs::write(
        &p,
        priority_text("[scripts]\nformula = { file = \"scripts/bad.rhai\" }"),
    )
    .unwrap();
    let err = PriorityRubric::from_path(&p).unwrap_err().to_string();
    let file = dir.join("scripts/bad.rhai").display().to_string();
    assert!(
        err.contains(&format!(
            "scripts.formula: script `{file}` (priority formula hook) 2:9:"
        )),
        "{err}"
    );
    let typo = priority_text("[scripts]\nformula = { source = 'criteria.impact' }\nclassify = { source = 'if scroe > 3 { \"delighter\" }' }");
    let err = PriorityRubric::from_str_with_format("p.toml", &typo, Format::Toml)
        .unwrap_err()
        .to_string();
    assert!(err.contains("scripts.classify: script `scripts.classify (inline)` (classification hook) 1:4: Undefined variable: scroe"), "{err}");
    let m = dir.join("m.toml");
    std::fs::write(
        &m,
        matrix_text(&format!("{TIER_INPUT}[[levels]]\nlevel = \"X\"\nowner = \"O\"\nscript = {{ file = \"scripts/bad.rhai\" }}\n[[levels]]\nlevel = \"L1\"\nowner = \"E\"\n")),
    )
    .unwrap();
    let err = EscalationMatrix::from_path(&m).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "levels[0].script: script `{file}` (escalation criterion hook) 2:9:"
        )),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hostile scripts at each new hook: stopped by the sandbox for that record only, quickly.
#[test]
fn hostile_scripts_at_the_new_hooks_are_confined_to_their_record() {
    let hostile = [
        ("infinite loop", "", "loop { }"),
        ("deep recursion", "fn f(x) { f(x + 1) }", "f(0)"),
        (
            "1 GB string",
            "",
            r#"let s = "x"; s.pad(1000000000, "x"); s"#,
        ),
    ];
    let at = chrono::Utc::now();
    for (name, defs, src) in hostile {
        // formula: the request `evil` runs the hostile code
        let formula = format!("{defs} if id == \"evil\" {{ {src} }} else {{ criteria.impact }}");
        let r = priority(&format!(
            "[scripts]\nformula = {{ source = '''{formula}''' }}"
        ));
        let t = Instant::now();
        let out = r.score_batch(&[
            request("good", 3, 1),
            request("evil", 3, 1),
            request("fine", 4, 1),
        ]);
        assert!(
            t.elapsed() < Duration::from_millis(1500),
            "{name}: {:?}",
            t.elapsed()
        );
        let e = out[1].as_ref().unwrap_err();
        assert_eq!(e.code(), "script_limit", "{name}: {e}");
        assert!(
            e.to_string()
                .contains("request `evil`: stopped by the sandbox"),
            "{name}: {e}"
        );
        assert_eq!(out[0].as_ref().unwrap().score, d("3.00"), "{name}");
        assert_eq!(out[2].as_ref().unwrap().score, d("4.00"), "{name}");

        // classification
        let classify = format!("{defs} if id == \"evil\" {{ {src} }} else {{ () }}");
        let r = priority(&format!(
            "[scripts]\nformula = {{ source = 'criteria.impact' }}\nclassify = {{ source = '''{classify}''' }}"
        ));
        let t = Instant::now();
        let out = r.score_batch(&[request("good", 3, 1), request("evil", 3, 1)]);
        assert!(
            t.elapsed() < Duration::from_millis(1500),
            "{name}: {:?}",
            t.elapsed()
        );
        assert_eq!(
            out[1].as_ref().unwrap_err().code(),
            "script_limit",
            "{name}"
        );
        assert!(out[0].is_ok(), "{name}");

        // escalation criterion
        let crit = format!("{defs} if id == \"evil\" {{ {src} }} else {{ true }}");
        let m = matrix(&format!(
            "{TIER_INPUT}[[levels]]\nlevel = \"X\"\nowner = \"O\"\nscript = {{ source = '''{crit}''' }}\n[[levels]]\nlevel = \"L1\"\nowner = \"E\"\n"
        ))
        .unwrap();
        let t = Instant::now();
        let (field, message) = m
            .evaluate_case("evil", &case(&[("tier", "standard")]), at, None)
            .unwrap_err();
        assert!(
            t.elapsed() < Duration::from_millis(1500),
            "{name}: {:?}",
            t.elapsed()
        );
        assert_eq!(field, "levels[0].script");
        assert!(
            message.contains("case `evil`: stopped by the sandbox"),
            "{name}: {message}"
        );
        let ok = m
            .evaluate_case("good", &case(&[("tier", "standard")]), at, None)
            .unwrap();
        assert_eq!(ok.level().unwrap().level, "X", "{name}");
    }
}

/// A script's scope is reused between calls: nothing a script does may reach the next call.
#[test]
fn nothing_leaks_from_one_call_to_the_next() {
    // `let` variables and reassigned hook variables are reset; `params` is a constant.
    let r = priority(
        "[scripts]\nformula = { source = 'let seen = 1; criteria.impact = criteria.impact + 100; criteria.impact' }",
    );
    for _ in 0..3 {
        // 3 + 100, every time: no accumulation
        assert_eq!(r.score(&request("a", 3, 1)).unwrap().score, d("103.00"));
    }
    let r = priority("[scripts]\nformula = { source = 'params.w = 5; 1' }\nparams = { w = 1 }");
    let e = r.score(&request("a", 3, 1)).unwrap_err();
    assert_eq!(e.code(), "script_runtime", "{e}");
}

fn kinos(name: &str) -> PriorityRubric {
    PriorityRubric::from_path(&support_path(&format!("priority/{name}.toml")))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn support_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rubrics")
        .join(name)
}

const KINOS: [&str; 5] = [
    "customer_impact",
    "strategic_alignment",
    "revenue_impact",
    "implementation_effort",
    "cross_vertical_value",
];

fn kinos_request(id: &str, v: [i64; 5]) -> Record {
    KINOS
        .iter()
        .zip(v)
        .fold(Record::new(id), |r, (c, x)| r.with(*c, Decimal::from(x)))
}

#[test]
fn shipped_kinos_health_priority_scores_the_case_study_and_gates_phi() {
    let r = kinos("kinos-health");
    // seed 000 section 11: 5*.30 + 4*.25 + 4*.20 + (6-2)*.15 + 3*.10 = 4.20
    let res = r
        .score(&kinos_request("therapykin", [5, 4, 4, 2, 3]))
        .unwrap();
    assert_eq!(res.score, d("4.20"));
    let t = res.script.unwrap();
    assert_eq!(t.returned.to_string(), "4.20");
    // one line per criterion, in key order
    assert_eq!(t.trace[0], "cross_vertical_value: 3 x 10% = 0.30");
    assert_eq!(t.trace[1], "customer_impact: 5 x 30% = 1.50");
    // performance_enhancer by the shared rules (the script falls through)
    let req = kinos_request("p", [5, 4, 4, 2, 3])
        .with_value("request_type", Value::Text("improvement".into()));
    let c = r.score(&req).unwrap().classification;
    assert_eq!(
        (c.class, c.by.as_str()),
        (Some(Class::PerformanceEnhancer), "rules[2]")
    );
    // HIPAA compliance work is a Must Have, decided by the script
    let req = kinos_request("h", [2, 2, 2, 4, 1]).with_value("hipaa_required", Value::Bool(true));
    let c = r.score(&req).unwrap().classification;
    assert_eq!((c.class, c.by.as_str()), (Some(Class::MustHave), "script"));
    // PHI not de-identified: not scored; de-identified: scored
    let phi =
        kinos_request("phi", [5, 5, 5, 1, 5]).with_value("contains_phi", Value::Text("yes".into()));
    let e = r.score(&phi).unwrap_err();
    assert_eq!(e.code(), "script_runtime");
    assert!(
        e.to_string().contains(
            "(priority formula hook), request `phi`, 8:5: feedback contains protected health information: de-identify it before it is scored (HIPAA)"
        ),
        "{e}"
    );
    let ok = phi.with_value("deidentified", Value::Bool(true));
    // 5*.30 + 5*.25 + 5*.20 + (6-1)*.15 + 5*.10 = 5.00
    assert_eq!(r.score(&ok).unwrap().score, d("5.00"));
}

#[test]
fn shipped_plan_aware_risk_matrix() {
    let m = EscalationMatrix::from_path(&support_path("escalation/slavkokernel-risk-plans.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let at: chrono::DateTime<chrono::Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
    let level = |pairs: &[(&str, &str)]| {
        let r = m.evaluate_case("acct", &case(pairs), at, None).unwrap();
        r.level().unwrap().level.clone()
    };
    // medium risk, plan 61 days old of the default 60: not working -> Level 2
    assert_eq!(
        level(&[("risk_level", "medium"), ("plan_age_days", "61")]),
        "Level 2"
    );
    // 45 of an agreed 45-day plan: Level 2; 44 of 45: still Level 1
    assert_eq!(
        level(&[
            ("risk_level", "medium"),
            ("plan_age_days", "45"),
            ("plan_days", "45")
        ]),
        "Level 2"
    );
    assert_eq!(
        level(&[
            ("risk_level", "medium"),
            ("plan_age_days", "44"),
            ("plan_days", "45")
        ]),
        "Level 1"
    );
    // no plan yet: Level 1; the CSM's flag still escalates
    assert_eq!(level(&[("risk_level", "medium")]), "Level 1");
    assert_eq!(
        level(&[("risk_level", "medium"), ("playbook_failing", "true")]),
        "Level 2"
    );
    // low risk never runs the script; critical strategic is Level 5
    assert_eq!(
        level(&[("risk_level", "low"), ("plan_age_days", "300")]),
        "Level 1"
    );
    assert_eq!(
        level(&[("risk_level", "critical"), ("strategic", "yes")]),
        "Level 5"
    );
    // a plan length outside the seed's 30-60 days is an error for that case
    let (field, message) = m
        .evaluate_case(
            "acct",
            &case(&[
                ("risk_level", "medium"),
                ("plan_age_days", "10"),
                ("plan_days", "90"),
            ]),
            at,
            None,
        )
        .unwrap_err();
    assert_eq!(field, "levels[3].script");
    assert!(
        message.contains("plan_days = 90 is outside the seed's 30-60 day plan"),
        "{message}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A formula script computing the seed 3.2 weighted sum (the shipped kinos-health
    /// rubric) gives exactly the weighted model's scores (kinos.toml), and its
    /// classification script falls through to the same rules for non-HIPAA requests.
    #[test]
    fn a_weighted_sum_script_gives_the_weighted_models_scores(
        v in proptest::array::uniform5(1i64..=5),
        kind in proptest::option::of(proptest::sample::select(vec!["improvement", "new_capability", "other"])),
    ) {
        let weighted = kinos("kinos");
        let scripted = kinos("kinos-health");
        let mut req = kinos_request("p", v);
        if let Some(k) = kind { req = req.with_value("request_type", Value::Text(k.into())); }
        let x = weighted.score(&req).unwrap();
        let y = scripted.score(&req).unwrap();
        prop_assert_eq!(x.score, y.score);
        prop_assert_eq!(x.raw_score, y.raw_score);
        prop_assert_eq!(x.classification.class, y.classification.class);
        prop_assert_eq!(&x.classification.by, &y.classification.by);
    }

    /// A classification script that always falls through changes nothing.
    #[test]
    fn a_falling_through_classification_script_changes_nothing(
        impact in 1i64..=5,
        effort in 1i64..=5,
        baseline in proptest::option::of(proptest::bool::ANY),
        explicit in proptest::option::of(proptest::sample::select(vec!["must_have", "delighter"])),
    ) {
        let rules = "\n[[classification.rules]]\nclass = \"hygiene_factor\"\nwhen = [{ attribute = \"baseline\", equals = true }]\n";
        let plain = priority(&format!("[scripts]\nformula = {{ source = 'criteria.impact * 2 - criteria.effort' }}\n{rules}"));
        let scripted = priority(&format!("[scripts]\nformula = {{ source = 'criteria.impact * 2 - criteria.effort' }}\nclassify = {{ source = 'let x = score; ()' }}\n{rules}"));
        let mut req = request("p", impact, effort);
        if let Some(b) = baseline { req = req.with_value("baseline", Value::Bool(b)); }
        if let Some(c) = explicit { req = req.with_value("classification", Value::Text(c.into())); }
        let x = plain.score(&req).unwrap();
        let y = scripted.score(&req).unwrap();
        prop_assert_eq!(x.score, y.score);
        prop_assert_eq!(x.classification.class, y.classification.class);
        prop_assert_eq!(&x.classification.by, &y.classification.by);
        prop_assert_eq!(&x.classification.reason, &y.classification.reason);
    }

    /// An escalation row whose script always holds decides exactly as the same row without
    /// a script.
    #[test]
    fn an_always_true_script_criterion_changes_no_decision(
        tier in proptest::sample::select(vec!["standard", "enterprise"]),
    ) {
        let rows = |script: &str| format!(
            "{TIER_INPUT}[[levels]]\nlevel = \"X\"\nowner = \"O\"\nwhen = {{ tier = \"enterprise\" }}\n{script}\n[[levels]]\nlevel = \"L1\"\nowner = \"E\"\n"
        );
        let plain = matrix(&rows("")).unwrap();
        let scripted = matrix(&rows("script = { source = 'true' }")).unwrap();
        let at = chrono::Utc::now();
        let x = plain.evaluate_case("c", &case(&[("tier", tier)]), at, None).unwrap();
        let y = scripted.evaluate_case("c", &case(&[("tier", tier)]), at, None).unwrap();
        prop_assert_eq!(&x.level().unwrap().level, &y.level().unwrap().level);
    }
}
