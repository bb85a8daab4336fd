//! Hand-worked cases of the decision tables: each expected message, witness and answer is
//! worked out from the table by hand (see the comments), not read back from the library.

use super::*;
use crate::input::Record;
use rust_decimal::Decimal;

fn table(body: &str) -> Result<DecisionTable, RubricError> {
    DecisionTable::from_str_with_format("t.toml", &format!("{HEADER}{body}"), Format::Toml)
}

fn report(body: &str) -> Report {
    check_text("t.toml", &format!("{HEADER}{body}"), Format::Toml).unwrap()
}

const HEADER: &str =
    "kind = \"decision\"\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\nsource = \"test\"\n";

fn messages(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| format!("{:?} {}: {}", f.check, f.path, f.message))
        .collect()
}

fn num(s: &str) -> Decimal {
    crate::decimal::parse_decimal(s).unwrap()
}

const SEGMENTS_AS_WRITTEN: &str = r#"
hit_policy = "unique"
[[inputs]]
name = "employees"
type = "integer"
domain = "[1, ..)"
[[outputs]]
name = "segment"
[[rows]]
inputs = { employees = "[1, 100]" }
outputs = { segment = "Small Business" }
[[rows]]
inputs = { employees = "[100, 1000]" }
outputs = { segment = "Mid-Market" }
[[rows]]
inputs = { employees = "[1000, ..)" }
outputs = { segment = "Enterprise" }
"#;

#[test]
fn the_seeds_segment_ranges_overlap_at_100_and_1000() {
    // Seed 002: "1-100", "100-1000", "1000+" read as closed ranges share 100 and 1000.
    let r = report(SEGMENTS_AS_WRITTEN);
    assert_eq!(
        messages(&r),
        [
            "Overlap rows[1]: rows 1 and 2 overlap under hit policy `unique`: both match employees = 100",
            "Overlap rows[2]: rows 2 and 3 overlap under hit policy `unique`: both match employees = 1000",
        ]
    );
    assert_eq!(r.findings[0].rows, [1, 2]);
    assert!(r.complete);
    let err = table(SEGMENTS_AS_WRITTEN).unwrap_err();
    let RubricError::Invalid { problems, .. } = &err else {
        panic!("{err}")
    };
    // `rows[1]` is the second `[[rows]]` header: 5 lines of header, 12 of body.
    assert_eq!(
        (problems[0].line, problems[0].column),
        (Some(17), Some(1)),
        "{err}"
    );
}

#[test]
fn half_open_segments_answer_every_count_once() {
    let t = table(
        &SEGMENTS_AS_WRITTEN
            .replace("[1, 100]", "[1, 100)")
            .replace("[100, 1000]", "[100, 1000)"),
    )
    .unwrap();
    assert!(t.warnings().is_empty());
    for (n, want) in [
        (1, "Small Business"),
        (99, "Small Business"),
        (100, "Mid-Market"),
        (999, "Mid-Market"),
        (1000, "Enterprise"),
        (250_000, "Enterprise"),
    ] {
        let d = t
            .decide(&Record::new("a").with("employees", Decimal::from(n)))
            .unwrap();
        assert_eq!(d.output("segment").unwrap().to_string(), want, "{n}");
    }
    let zero = t
        .decide(&Record::new("z").with("employees", Decimal::ZERO))
        .unwrap_err();
    assert_eq!(zero.code(), "decision_out_of_domain");
    assert_eq!(
        zero.to_string(),
        "row 0 (`z`): `employees`: `0` is outside the input's domain `[1, ..)`"
    );
    let half = t
        .decide(&Record::new("h").with("employees", num("12.5")))
        .unwrap_err();
    assert_eq!(half.code(), "decision_invalid_input");
    let missing = t.decide(&Record::new("m")).unwrap_err();
    assert_eq!(missing.code(), "decision_missing_input");
}

#[test]
fn gaps_are_found_exactly_on_decimals_with_witnesses() {
    // [0, 7) and (7, 10]: only 7 itself is missing; beyond the unbounded domain, (.., 0)
    // and (10, ..) are gaps too.
    let r = report(
        r#"
hit_policy = "first"
[[inputs]]
name = "score"
type = "number"
[[outputs]]
name = "band"
[[rows]]
inputs = { score = "[0, 7)" }
outputs = { band = "low" }
[[rows]]
inputs = { score = "(7, 10]" }
outputs = { band = "high" }
"#,
    );
    assert_eq!(
        messages(&r),
        [
            "Gap rows: no row matches score in (.., 0), such as score = -1 (add rows for them, or set `gaps = \"warn\"`)",
            "Gap rows: no row matches score = 7, such as score = 7 (add rows for them, or set `gaps = \"warn\"`)",
            "Gap rows: no row matches score in (10, ..), such as score = 11 (add rows for them, or set `gaps = \"warn\"`)",
        ]
    );
}

#[test]
fn integer_inputs_have_no_gap_between_whole_numbers() {
    // (7, 8) holds no integer: [0, 7] and [8, 10] cover [0, 10] exactly.
    let r = report(
        r#"
hit_policy = "unique"
[[inputs]]
name = "nps"
type = "integer"
domain = "[0, 10]"
[[outputs]]
name = "group"
[[rows]]
inputs = { nps = "[0, 7]" }
outputs = { group = "a" }
[[rows]]
inputs = { nps = "(7, 10]" }
outputs = { group = "b" }
"#,
    );
    assert_eq!(messages(&r), Vec::<String>::new());
    let err = table(
        r#"
hit_policy = "unique"
[[inputs]]
name = "nps"
type = "integer"
[[outputs]]
name = "group"
[[rows]]
inputs = { nps = ["(7, 8)", 3] }
outputs = { group = "a" }
"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("t.toml:14:19: invalid rubric: rows[0].inputs.nps[0]: `(7, 8)` matches no value of `nps` (domain `(.., ..)`, whole steps)"),
        "{err}"
    );
}

#[test]
fn first_reports_rows_subsumed_by_a_union_of_earlier_rows() {
    // Row 3 [0, 10] is covered by rows 1 [0, 5] and 2 (5, 10] together, no single one.
    let r = report(
        r#"
hit_policy = "first"
[[inputs]]
name = "x"
type = "number"
domain = "[0, 10]"
[[outputs]]
name = "o"
[[rows]]
inputs = { x = "[0, 5]" }
outputs = { o = "a" }
[[rows]]
inputs = { x = "(5, 10]" }
outputs = { o = "b" }
[[rows]]
inputs = { x = "[0, 10]" }
outputs = { o = "c" }
"#,
    );
    assert_eq!(
        messages(&r),
        ["Unreachable rows[2]: row 3 never answers under hit policy `first`: every input it matches is taken by earlier row(s) 1, 2 (at x = 0, row 1 answers)"]
    );
    assert_eq!(r.findings[0].rows, [3, 1, 2]);
}

#[test]
fn conflicts_and_redundant_rows_are_named() {
    let r = report(
        r#"
hit_policy = "first"
[[inputs]]
name = "tier"
type = "enum"
values = ["gold", "silver", "bronze"]
[[inputs]]
name = "strategic"
type = "boolean"
[[outputs]]
name = "owner"
[[outputs]]
name = "urgency"
[[rows]]
inputs = { tier = "gold" }
outputs = { owner = "CSM", urgency = "High" }
[[rows]]
inputs = { tier = ["gold"], strategic = "any" }
outputs = { owner = "AM", urgency = "High" }
[[rows]]
inputs = { tier = "silver", strategic = true }
outputs = { owner = "CSM", urgency = "Medium" }
[[rows]]
inputs = { strategic = "-" }
outputs = { owner = "CSM", urgency = "Medium" }
"#,
    );
    // Rows 1 and 2 test the same inputs (tier = gold, strategic any) with other owners.
    // Row 3 (silver, strategic) answers, but row 4 gives the same outputs there: redundant.
    assert_eq!(
        messages(&r),
        [
            "Conflict rows[1]: rows 1 and 2 match exactly the same inputs but give different outputs (owner `CSM` vs `AM`), such as tier = gold, strategic = false",
            "Redundant rows[2]: row 3 is redundant: deleting it changes no answer (at tier = silver, strategic = true, row 4 gives the same outputs)",
        ]
    );
}

#[test]
fn priority_answers_with_the_highest_ranked_row() {
    let t = table(
        r#"
hit_policy = "priority"
[[inputs]]
name = "nps"
type = "integer"
domain = "[0, 10]"
[[outputs]]
name = "level"
values = ["Level 3", "Level 2", "Level 1", "none"]
[[rows]]
inputs = { nps = "[0, 6]" }
outputs = { level = "none" }
[[rows]]
inputs = { nps = "[7, 8]" }
outputs = { level = "Level 1" }
[[rows]]
inputs = { nps = "[9, 10]" }
outputs = { level = "Level 2" }
[[rows]]
inputs = { nps = 10 }
outputs = { level = "Level 3" }
"#,
    )
    .unwrap();
    let level = |n: i64| {
        t.decide(&Record::new("a").with("nps", Decimal::from(n)))
            .unwrap()
            .output("level")
            .unwrap()
            .to_string()
    };
    assert_eq!(
        [level(6), level(7), level(8), level(9), level(10)],
        ["none", "Level 1", "Level 1", "Level 2", "Level 3"]
    );
    let d = t
        .decide(&Record::new("a").with("nps", Decimal::from(10)))
        .unwrap();
    assert_eq!(d.matches[0].rule, 4);
    assert_eq!(d.matches[0].matched, ["nps = 10 in 10"]);
}

#[test]
fn priority_rows_that_never_rank_first_are_errors() {
    let err = table(
        r#"
hit_policy = "priority"
[[inputs]]
name = "nps"
type = "integer"
domain = "[0, 10]"
[[outputs]]
name = "level"
values = ["high", "low"]
[[rows]]
inputs = { nps = "any" }
outputs = { level = "high" }
[[rows]]
inputs = { nps = ">= 5" }
outputs = { level = "low" }
"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("rows[1]: row 2 never answers under hit policy `priority`: wherever it matches, row(s) ranking higher answer: 1 (at nps = 5, row 1 answers)"),
        "{err}"
    );
}

#[test]
fn dates_and_durations_are_whole_steps() {
    let t = table(
        r#"
hit_policy = "unique"
[[inputs]]
name = "renewal"
type = "date"
domain = "[2026-01-01, 2026-12-31]"
[[inputs]]
name = "open_for"
type = "duration"
domain = "[0s, ..)"
[[outputs]]
name = "action"
[[rows]]
inputs = { renewal = "[2026-01-01, 2026-07-01)", open_for = "< 14d" }
outputs = { action = "watch" }
[[rows]]
inputs = { renewal = "[2026-07-01, 2026-12-31]" }
outputs = { action = "plan" }
[[rows]]
inputs = { renewal = "(.., 2026-06-30]", open_for = "[14d, ..)" }
outputs = { action = "escalate" }
"#,
    )
    .unwrap();
    let at = |date: &str, dur: &str| {
        let r = Record::new("a")
            .with_value("renewal", Value::Text(date.into()))
            .with_value("open_for", Value::Text(dur.into()));
        t.decide(&r)
            .map(|d| d.output("action").unwrap().to_string())
    };
    assert_eq!(at("2026-06-30", "13d23h59m59s").unwrap(), "watch");
    assert_eq!(at("2026-06-30", "14d").unwrap(), "escalate");
    assert_eq!(at("2026-07-01", "14d").unwrap(), "plan");
    assert_eq!(
        at("2027-01-01", "1d").unwrap_err().code(),
        "decision_out_of_domain"
    );
    assert_eq!(
        at("2026-02-30", "1d").unwrap_err().code(),
        "decision_invalid_input"
    );
    // A gap one day wide, with its date as the witness.
    let r = report(
        r#"
hit_policy = "first"
[[inputs]]
name = "renewal"
type = "date"
domain = "[2026-01-01, 2026-12-31]"
[[outputs]]
name = "action"
[[rows]]
inputs = { renewal = "< 2026-03-01" }
outputs = { action = "a" }
[[rows]]
inputs = { renewal = "> 2026-03-01" }
outputs = { action = "b" }
"#,
    );
    assert_eq!(
        messages(&r),
        ["Gap rows: no row matches renewal = 2026-03-01, such as renewal = 2026-03-01 (add rows for them, or set `gaps = \"warn\"`)"]
    );
}

#[test]
fn gaps_in_several_inputs_name_the_box_and_a_witness() {
    let r = report(
        r#"
hit_policy = "first"
gaps = "warn"
[[inputs]]
name = "tier"
type = "enum"
values = ["gold", "silver"]
[[inputs]]
name = "arr"
type = "number"
domain = "[0, ..)"
[[outputs]]
name = "owner"
[[rows]]
inputs = { tier = "gold" }
outputs = { owner = "AM" }
[[rows]]
inputs = { tier = "silver", arr = ">= 10000" }
outputs = { owner = "CSM" }
"#,
    );
    assert_eq!(
        messages(&r),
        ["Gap rows: no row matches tier = silver, arr in [0, 10000), such as tier = silver, arr = 0 (such inputs get no outputs)"]
    );
    assert_eq!(r.findings[0].severity, Severity::Warning);
    let w = r.findings[0].witness.clone().unwrap();
    assert_eq!(
        serde_json::Value::Object(w),
        serde_json::json!({"tier": "silver", "arr": "0"})
    );
}

#[test]
fn collect_returns_every_matching_row_in_order() {
    let t = table(
        r#"
hit_policy = "collect"
[[inputs]]
name = "usage_drop"
type = "number"
[[inputs]]
name = "champion_left"
type = "boolean"
default = false
[[outputs]]
name = "action"
[[outputs]]
name = "owner"
[[rows]]
inputs = { usage_drop = ">= 20" }
outputs = { action = "Usage analysis, customer outreach", owner = "CSM" }
[[rows]]
inputs = { champion_left = true }
outputs = { action = "Relationship rebuilding plan", owner = "CSM + Manager" }
[[rows]]
inputs = {}
outputs = { action = "Monitor", owner = "CSM" }
"#,
    )
    .unwrap();
    let r = Record::new("a")
        .with("usage_drop", Decimal::from(25))
        .with_value("champion_left", Value::Text("yes".into()));
    let d = t.decide(&r).unwrap();
    let rules: Vec<usize> = d.matches.iter().map(|m| m.rule).collect();
    assert_eq!(rules, [1, 2, 3]);
    assert_eq!(d.outputs, None);
    let d = t
        .decide(&Record::new("b").with("usage_drop", Decimal::from(5)))
        .unwrap();
    assert_eq!(d.matches.len(), 1);
}

#[test]
fn malformed_cells_point_at_the_cell() {
    let err = table(
        r#"
hit_policy = "first"
[[inputs]]
name = "employees"
type = "integer"
[[outputs]]
name = "segment"
values = ["A"]
[[rows]]
inputs = { employees = "[1000, ..]", staff = 3 }
outputs = { segment = "B" }
"#,
    )
    .unwrap_err();
    let RubricError::Invalid { problems, .. } = &err else {
        panic!("{err}")
    };
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            "15:12: rows[0].inputs.employees: `[1000, ..]`: an unbounded end is open, write `..)`",
            "15:38: rows[0].inputs.staff: `staff` is not a declared input (add it to `[[inputs]]`)",
            "16:13: rows[0].outputs.segment: `B` is not one of the output's values: A",
        ]
    );
}

#[test]
fn a_hostile_table_is_cut_short_within_the_budget() {
    // 24 boolean inputs, one row per input testing it alone, under `collect`: each of the
    // 2^24 combinations is a different answer, more than the budget can visit.
    let mut body = String::from("hit_policy = \"collect\"\ngaps = \"warn\"\n");
    for i in 0..24 {
        body.push_str(&format!(
            "[[inputs]]\nname = \"b{i}\"\ntype = \"boolean\"\n"
        ));
    }
    body.push_str("[[outputs]]\nname = \"o\"\n");
    for i in 0..24 {
        body.push_str(&format!(
            "[[rows]]\ninputs = {{ b{i} = true }}\noutputs = {{ o = \"{i}\" }}\n"
        ));
    }
    // A small budget keeps this test quick; the loader's own limit is `CHECK_BUDGET`
    // (tests/hostile.rs loads such a table through it).
    let (parsed, compiled) = parse("t.toml", &format!("{HEADER}{body}"), Format::Toml).unwrap();
    let r = check::analyze_within(&compiled, parsed.gaps, 200_000);
    assert!(!r.complete);
    // The step that crosses the limit is the last one taken.
    assert!(r.steps <= 200_000 + 64, "{}", r.steps);
    let last = r.findings.last().unwrap();
    assert_eq!(last.check, Check::CutShort);
    assert!(
        last.message
            .starts_with("the static checks stopped at their limit of 200000 steps"),
        "{}",
        last.message
    );
    // The gap found first (every input false) is still listed, with its witness; nothing
    // is claimed about rows (no unreachable or redundant findings).
    assert_eq!(r.findings[0].check, Check::Gap);
    assert!(
        r.findings[0]
            .message
            .contains("such as b0 = false, b1 = false"),
        "{}",
        r.findings[0].message
    );
    assert!(r
        .findings
        .iter()
        .all(|f| matches!(f.check, Check::Gap | Check::CutShort)));
}

#[test]
fn repeated_parts_are_not_explored_twice() {
    // Two independent inputs with 100 values each, rows testing only the second: the
    // second input's split is the same under every value of the first.
    let values: Vec<String> = (0..100).map(|i| format!("\"v{i}\"")).collect();
    let mut body = format!(
        "hit_policy = \"first\"\n[[inputs]]\nname = \"a\"\ntype = \"enum\"\nvalues = [{}]\n[[inputs]]\nname = \"b\"\ntype = \"integer\"\n[[outputs]]\nname = \"o\"\n",
        values.join(", ")
    );
    for i in 0..100 {
        body.push_str(&format!(
            "[[rows]]\ninputs = {{ b = {i} }}\noutputs = {{ o = \"{i}\" }}\n"
        ));
    }
    let r = report(&body);
    // Gaps: b < 0 and b > 99, each reported once (the enum's values are one class).
    assert_eq!(r.findings.len(), 2, "{:?}", messages(&r));
    assert!(r.parts <= 100, "{}", r.parts);
}

#[test]
fn gaps_below_a_part_seen_again_are_reported_under_each_path() {
    // Where row 1 (gold, x1) and row 2 (silver, x1) do not match, only row 3 (x2 in [0, 5])
    // can: the part "only row 3 left" is reached three ways (gold without x1, silver
    // without x1, bronze), and each has its own gap x2 in [6, 10].
    let r = report(
        r#"
hit_policy = "collect"
[[inputs]]
name = "x0"
type = "enum"
values = ["gold", "silver", "bronze"]
[[inputs]]
name = "x1"
type = "boolean"
[[inputs]]
name = "x2"
type = "integer"
domain = "[0, 10]"
[[outputs]]
name = "o"
[[rows]]
inputs = { x0 = "gold", x1 = true }
outputs = { o = "a" }
[[rows]]
inputs = { x0 = "silver", x1 = true }
outputs = { o = "b" }
[[rows]]
inputs = { x2 = "[0, 5]" }
outputs = { o = "c" }
"#,
    );
    let hint = " (add rows for them, or set `gaps = \"warn\"`)";
    assert_eq!(
        messages(&r),
        [
            format!("Gap rows: no row matches x0 = gold, x1 = false, x2 in [6, 10], such as x0 = gold, x1 = false, x2 = 6{hint}"),
            format!("Gap rows: no row matches x0 = silver, x1 = false, x2 in [6, 10], such as x0 = silver, x1 = false, x2 = 6{hint}"),
            format!("Gap rows: no row matches x0 = bronze, x2 in [6, 10], such as x0 = bronze, x1 = false, x2 = 6{hint}"),
        ]
    );
}
