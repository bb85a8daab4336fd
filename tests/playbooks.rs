//! Playbooks: plan templates, triage and capacity against the shipped rubric files, with
//! expected values from the seeds and hand calculations written in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use csrubric::calendar::Calendar;
use csrubric::input::read_csv;
use csrubric::playbook::{
    Account, CapacityRatios, PlanState, PlanTemplate, RosterEntry, TriageRules,
};
use csrubric::rubric::Format;
use csrubric_tests::{repo_root as repo, rubric_path};
use proptest::prelude::*;

fn template(name: &str) -> PlanTemplate {
    PlanTemplate::from_path(&rubric_path(&format!("playbooks/{name}.toml")))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn berlin() -> Calendar {
    Calendar::from_path(&rubric_path("calendars/business-hours-berlin.toml")).unwrap()
}

fn triage_rules() -> TriageRules {
    TriageRules::from_path(&rubric_path("playbooks/slavkokernel-triage.toml"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn ratios() -> CapacityRatios {
    CapacityRatios::from_path(&rubric_path("playbooks/slavkokernel-capacity.toml"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The German nationwide holidays of 2027 on weekdays (independent of the calendar file's
/// code path): Good Friday, Easter Monday, Ascension, Whit Monday.
const HOLIDAYS_2027: &[&str] = &["2027-03-26", "2027-03-29", "2027-05-06", "2027-05-17"];

/// The `n`-th working day (1 = `start`) counting Monday-Friday minus `HOLIDAYS_2027`.
fn nth_working_day(start: NaiveDate, n: u32) -> NaiveDate {
    let mut d = start;
    let mut count = 0;
    loop {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && !HOLIDAYS_2027.contains(&d.to_string().as_str()) {
            count += 1;
            if count == n {
                return d;
            }
        }
        d = d.checked_add_days(Days::new(1)).unwrap();
    }
}

#[test]
fn standard_package_follows_the_seed_phases_week_by_week() {
    // Standard 8-10 weeks, planned to the high end: 10 weeks = the template as written
    // (seed 001: Prepare weeks 1-2, Implement 3-6, Validate 7-8, Launch 9-10). Kickoff
    // Monday 2027-01-04; no holidays in January-March 12 after New Year.
    let plan = template("slavkokernel-implementation")
        .schedule(&berlin(), date("2027-01-04"), Some("standard"), None)
        .unwrap();
    assert_eq!(plan.weeks, [8, 10]);
    assert_eq!(plan.planned_weeks, 10);
    assert_eq!(plan.team, vec!["1 CSM", "1 CS Engineer"]);
    let phases: Vec<(&str, String, String)> = plan
        .phases
        .iter()
        .map(|p| (p.phase.as_str(), p.start.to_string(), p.due.to_string()))
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        phases,
        vec![
            ("Prepare", s("2027-01-04"), s("2027-01-15")),
            ("Implement", s("2027-01-18"), s("2027-02-12")),
            ("Validate", s("2027-02-15"), s("2027-02-26")),
            ("Launch", s("2027-03-01"), s("2027-03-12")),
            // 30/60/90 days after Friday 2027-03-12: Sun 04-11 -> Mon 04-12, Tue 05-11,
            // Thu 06-10.
            ("Enablement", s("2027-04-12"), s("2027-06-10")),
        ]
    );
    assert_eq!(plan.go_live, date("2027-03-12"));
    // Low end, 8 weeks: the 40th working day = Friday 2027-02-26.
    assert_eq!(plan.go_live_range, [date("2027-02-26"), date("2027-03-12")]);
    let a = plan
        .activities
        .iter()
        .find(|a| a.activity == "Admin Training")
        .unwrap();
    assert_eq!(
        (a.phase.as_str(), a.owner.as_str(), a.start, a.due),
        (
            "Implement",
            "Training Specialist",
            date("2027-01-18"),
            date("2027-02-12")
        )
    );
    let enablement: Vec<NaiveDate> = plan
        .activities
        .iter()
        .filter(|a| a.phase == "Enablement")
        .map(|a| a.due)
        .collect();
    assert_eq!(
        enablement,
        vec![date("2027-04-12"), date("2027-05-11"), date("2027-06-10")]
    );
}

#[test]
fn enterprise_healthcare_longer_range_wins_and_stretches_over_holidays() {
    // Enterprise 16-24 weeks, Healthcare 14-18: the longer range wins end by end -> 16-24;
    // planned to 24 weeks = 120 working days.
    let plan = template("slavkokernel-implementation")
        .schedule(
            &berlin(),
            date("2027-01-04"),
            Some("enterprise"),
            Some("healthcare"),
        )
        .unwrap();
    assert_eq!(plan.weeks, [16, 24]);
    assert!(plan.rule.contains("longer range wins"), "{}", plan.rule);
    let start = date("2027-01-04");
    // Hand count: Jan 20 + Feb 20 + Mar 21 (23 minus Good Friday, Easter Monday) + Apr 22
    // + May 19 (21 minus Ascension, Whit Monday) = 102; June 1-24 gives 18 more: 120.
    assert_eq!(plan.go_live, date("2027-06-24"));
    assert_eq!(plan.go_live, nth_working_day(start, 120));
    assert_eq!(plan.go_live_range[0], nth_working_day(start, 80));
    // Prepare = template days [0, 10) scaled by 24/10 -> [0, 24): working days 1-24.
    assert_eq!(plan.phases[0].due, nth_working_day(start, 24));
    assert_eq!(plan.phases[0].due, date("2027-02-04"));
    // Implement = [10, 30) -> [24, 72): working days 25-72.
    assert_eq!(plan.phases[1].start, nth_working_day(start, 25));
    assert_eq!(plan.phases[1].due, nth_working_day(start, 72));
    // The industry's specialised components are an Implement activity.
    let hipaa = plan
        .activities
        .iter()
        .find(|a| a.from == "healthcare")
        .unwrap();
    assert_eq!(hipaa.activity, "HIPAA compliance, medical models");
    assert_eq!(
        (hipaa.start, hipaa.due),
        (plan.phases[1].start, plan.phases[1].due)
    );
}

#[test]
fn accelerated_with_legal_takes_the_legal_range() {
    // Accelerated 4-6, Legal 8-12: max(4, 8) - max(6, 12) = 8-12.
    let plan = template("slavkokernel-implementation")
        .schedule(
            &berlin(),
            date("2027-01-04"),
            Some("accelerated"),
            Some("legal"),
        )
        .unwrap();
    assert_eq!((plan.weeks, plan.planned_weeks), ([8, 12], 12));
    // Accelerated alone compresses the framework to 6 weeks: Prepare [0,10) * 6/10 = [0,6).
    let fast = template("slavkokernel-implementation")
        .schedule(&berlin(), date("2027-01-04"), Some("accelerated"), None)
        .unwrap();
    assert_eq!(fast.phases[0].due, nth_working_day(date("2027-01-04"), 6));
    assert_eq!(fast.go_live, nth_working_day(date("2027-01-04"), 30));
}

#[test]
fn kickoff_on_a_weekend_starts_on_monday_and_unknown_names_are_errors() {
    let t = template("slavkokernel-implementation");
    let plan = t
        .schedule(&berlin(), date("2027-01-02"), Some("standard"), None)
        .unwrap();
    assert_eq!(plan.start, date("2027-01-04"));
    assert!(plan.activities.iter().all(|a| a.start >= plan.start));
    let err = t
        .schedule(&berlin(), date("2027-01-04"), Some("platinum"), None)
        .unwrap_err();
    assert_eq!(err.code(), "unknown_value");
    assert!(
        err.to_string()
            .contains("standard, advanced, enterprise, accelerated"),
        "{err}"
    );
    let err = t
        .schedule(&berlin(), date("2027-01-04"), None, Some("retail"))
        .unwrap_err();
    assert!(err.to_string().contains("industry `retail`"), "{err}");
}

#[test]
fn status_names_the_phase_the_late_activities_and_the_slip() {
    let cal = berlin();
    let plan = template("slavkokernel-implementation")
        .schedule(&cal, date("2027-01-04"), Some("standard"), None)
        .unwrap();
    // Wednesday of week 3: Prepare ended Friday 01-15; two of its five activities done.
    let done = vec![
        "Project Kickoff".to_string(),
        "Success Planning".to_string(),
    ];
    let s = plan.status(&cal, date("2027-01-20"), &done).unwrap();
    assert_eq!(s.state, PlanState::InProgress);
    assert_eq!(s.current_phase.as_deref(), Some("Implement"));
    let late: Vec<(&str, i64)> = s
        .late
        .iter()
        .map(|l| (l.activity.as_str(), l.working_days_late))
        .collect();
    // Late by Mon 18, Tue 19, Wed 20 = 3 working days.
    assert_eq!(
        late,
        vec![
            ("Technical Discovery", 3),
            ("Environment Setup", 3),
            ("Data Assessment", 3)
        ]
    );
    // Go-live Friday 03-12 + 3 working days = Wednesday 03-17.
    assert_eq!(s.slip_working_days, 3);
    assert_eq!(s.projected_go_live, date("2027-03-17"));
    let before = plan.status(&cal, date("2027-01-01"), &[]).unwrap();
    assert_eq!(
        (before.state, before.late.len(), before.projected_go_live),
        (PlanState::NotStarted, 0, date("2027-03-12"))
    );
    let after = plan.status(&cal, date("2027-04-01"), &[]).unwrap();
    assert_eq!(after.state, PlanState::PostLaunch);
    assert_eq!(after.current_phase, None);
    // After the 90-day review (2027-06-10) the plan is finished.
    let done_all: Vec<String> = plan.activities.iter().map(|a| a.activity.clone()).collect();
    let fin = plan.status(&cal, date("2027-06-11"), &done_all).unwrap();
    assert_eq!(
        (fin.state, fin.late.len(), fin.slip_working_days),
        (PlanState::Finished, 0, 0)
    );
    assert!(plan
        .status(&cal, date("2027-01-20"), &["Nope".to_string()])
        .is_err());
}

#[test]
fn ai_ecosystem_week_one_day_plan_and_segment_lengths() {
    // Enterprise onboarding months 1-3 = 13 weeks = the template as written: Day 1, Days
    // 2-3, Days 4-5 of week 1.
    let cal = berlin();
    let t = template("ai-ecosystem-onboarding");
    let plan = t
        .schedule(&cal, date("2027-01-04"), Some("enterprise"), None)
        .unwrap();
    let days: Vec<(&str, NaiveDate, NaiveDate)> = plan
        .activities
        .iter()
        .take(3)
        .map(|a| (a.activity.as_str(), a.start, a.due))
        .collect();
    assert_eq!(
        days,
        vec![
            (
                "Welcome and Introduction",
                date("2027-01-04"),
                date("2027-01-04")
            ),
            ("Initial Training", date("2027-01-05"), date("2027-01-06")),
            (
                "First Implementation",
                date("2027-01-07"),
                date("2027-01-08")
            ),
        ]
    );
    assert_eq!(plan.go_live, nth_working_day(date("2027-01-04"), 65));
    // Small business: month 1 = 4 weeks; offsets scale by 4/13: Welcome [0,5) -> [0,1),
    // Implementation [5,20) -> [1,6), Success [20,65) -> [6,20).
    let small = t
        .schedule(&cal, date("2027-01-04"), Some("small-business"), None)
        .unwrap();
    let phases: Vec<(NaiveDate, NaiveDate)> =
        small.phases.iter().map(|p| (p.start, p.due)).collect();
    assert_eq!(
        phases,
        vec![
            (date("2027-01-04"), date("2027-01-04")),
            (date("2027-01-05"), date("2027-01-11")),
            (date("2027-01-12"), date("2027-01-29")),
        ]
    );
}

fn plan_text(body: &str) -> String {
    format!(
        "kind = \"plan\"\nid = \"p\"\nversion = \"1\"\ntitle = \"P\"\nsource = \"test\"\ncombine = \"longest\"\nplan_to = \"high\"\n{body}"
    )
}

#[test]
fn plan_templates_are_checked_with_rubric_paths() {
    let load = |body: &str| {
        PlanTemplate::from_str_with_format("p.toml", &plan_text(body), Format::Toml, None)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let err = load(
        "base_weeks = 4\nphases = [{ name = \"A\", weeks = [1, 2] }, { name = \"B\", weeks = [2, 4] }]\nactivities = [{ name = \"x\", phase = \"C\", owner = \"CSM\" }]\n",
    );
    assert!(err.contains("phases[1].weeks"), "{err}");
    assert!(
        err.contains("activities[0].phase: `C` is not a phase"),
        "{err}"
    );
    let err = load(
        "base_weeks = 2\nphases = [{ name = \"A\", weeks = [1, 2] }]\nactivities = [{ name = \"x\", phase = \"A\", owner = \"CSM\", weeks = [2, 3] }]\n",
    );
    assert!(err.contains("activities[0].weeks"), "{err}");
    // A package so short that a phase gets no business day is refused.
    let err = load(
        "base_weeks = 10\nphases = [{ name = \"A\", weeks = [1, 1] }, { name = \"B\", weeks = [2, 10] }]\nactivities = [{ name = \"x\", phase = \"A\", owner = \"CSM\" }]\npackages = [{ name = \"tiny\", weeks = [1, 1] }]\n",
    );
    assert!(
        err.contains("a 1-week plan leaves phase `A` no business day"),
        "{err}"
    );
    let err = load(
        "base_weeks = 1\nphases = [{ name = \"A\", weeks = [1, 1] }, { name = \"After\" }]\nactivities = [{ name = \"x\", phase = \"After\", owner = \"CSM\" }]\n",
    );
    assert!(
        err.contains("time the activity with `after_go_live_days`"),
        "{err}"
    );
}

fn facts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn triage_priorities_follow_the_seed_definitions() {
    let t = triage_rules();
    let case = |pairs: &[(&str, &str)]| {
        let mut f = facts(&[("category", "technical"), ("tier", "standard")]);
        f.extend(facts(pairs));
        let r = t.triage("T", 0, &f).unwrap();
        (r.priority, r.priority_rule)
    };
    // P1 "Production system down": system unavailable or data corruption.
    assert_eq!(
        case(&[("system_down", "true"), ("impact", "minimal")]),
        ("P1".into(), 1)
    );
    // P1 "severe business impact".
    assert_eq!(case(&[("impact", "severe")]), ("P1".into(), 2));
    // P2 "Major feature unavailable, significant impact".
    assert_eq!(case(&[("impact", "significant")]), ("P2".into(), 3));
    // P3 examples include "workaround available".
    assert_eq!(
        case(&[("impact", "significant"), ("workaround", "yes")]),
        ("P3".into(), 4)
    );
    assert_eq!(case(&[("impact", "moderate")]), ("P3".into(), 5));
    // P4 "Question, enhancement request, minimal impact".
    assert_eq!(case(&[("impact", "minimal")]), ("P4".into(), 6));
}

#[test]
fn triage_routes_by_category_tier_and_priority_with_an_explicit_fallback() {
    let text = std::fs::read_to_string(repo().join("examples/playbooks/tickets.csv")).unwrap();
    let rows = read_csv("tickets.csv", &text).unwrap();
    let t = triage_rules();
    let results: Vec<_> = rows
        .iter()
        .map(|r| t.triage_record(r.as_ref().unwrap()))
        .collect();
    assert_eq!(results.len(), 7, "one result per row");
    let ok = |i: usize| results[i].as_ref().unwrap();
    // P1 outage for an enterprise customer: rule 2, the senior engineer.
    assert_eq!(
        (
            ok(0).priority.as_str(),
            ok(0).team.as_str(),
            ok(0).owner.as_str(),
            ok(0).route_rule
        ),
        (
            "P1",
            "Technical Support",
            "Senior Technical Support Engineer",
            Some(2)
        )
    );
    assert_eq!(ok(1).team, "Customer Success Engineering");
    // White Glove: the dedicated engineer, whatever the category (rule 1).
    assert_eq!(
        (ok(3).team.as_str(), ok(3).route_rule),
        ("Dedicated engineer", Some(1))
    );
    assert_eq!(
        ok(3).route_matched,
        vec!["category = how_to", "tier = white_glove"]
    );
    // Billing matches no rule: the fallback, flagged, with a warning naming the inputs.
    let fb = ok(5);
    assert!(fb.fallback);
    assert_eq!(
        (fb.team.as_str(), fb.route_rule),
        ("Support Operations", None)
    );
    assert!(
        fb.warnings[0].contains("category = billing, tier = enterprise, priority = P4"),
        "{:?}",
        fb.warnings
    );
    // A value outside the input's values is that row's error, naming row and column.
    let err = results[6].as_ref().unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(
        err.to_string().starts_with("row 7 (`T-106`): `impact`"),
        "{err}"
    );
    // The gap is also reported once, at load.
    assert_eq!(t.warnings().len(), 1);
    assert!(t.warnings()[0].message.contains("32 input combination(s)"));
}

fn triage_text(priority_gaps: &str, routing_rules: &str) -> String {
    format!(
        r#"kind = "triage"
id = "t"
version = "1"
title = "T"
source = "test"
fallback = {{ team = "Ops", owner = "Queue" }}
[priority]
hit_policy = "first"
gaps = "{priority_gaps}"
inputs = [{{ name = "impact", values = ["high", "low"] }}]
rules = [{{ level = "P1", owner = "x", when = {{ impact = "high" }} }}, {{ level = "P4", owner = "x", when = {{ impact = "low" }} }}]
[routing]
hit_policy = "first"
gaps = "warn"
inputs = [{{ name = "category", values = ["a", "b"] }}]
{routing_rules}
"#
    )
}

#[test]
fn triage_tables_get_the_escalation_static_checks_with_their_own_paths() {
    let load = |text: &str| {
        TriageRules::from_str_with_format("t.toml", text, Format::Toml)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    // Unreachable rule under `first`, reported at `routing.rules[1]`.
    let err = load(&triage_text(
        "error",
        r#"rules = [{ level = "All", owner = "x" }, { level = "A", owner = "y", when = { category = "a" } }]"#,
    ));
    assert!(
        err.contains("routing.rules[1]: row 2 is unreachable"),
        "{err}"
    );
    // The priority table must be total.
    let err = load(&triage_text(
        "warn",
        r#"rules = [{ level = "All", owner = "x" }]"#,
    ));
    assert!(err.contains("priority.gaps"), "{err}");
    // Undeclared input in a criterion.
    let err = load(&triage_text(
        "error",
        r#"rules = [{ level = "A", owner = "y", when = { tier = "gold" } }]"#,
    ));
    assert!(
        err.contains("routing.rules[0].when.tier: `tier` is not a declared input"),
        "{err}"
    );
    // Triage sets no clock.
    let err = load(&triage_text(
        "error",
        r#"rules = [{ level = "A", owner = "y", within = "2h" }]"#,
    ));
    assert!(err.contains("routing.rules[0].within"), "{err}");
}

fn account(i: usize, segment: &str, implementing: bool, csm: Option<&str>) -> Account {
    Account {
        id: format!("A-{i}"),
        row: i + 1,
        segment: segment.into(),
        tier: None,
        implementing,
        csm: csm.map(str::to_string),
    }
}

#[test]
fn capacity_headcount_at_both_ends_of_the_seed_ratios() {
    let r = ratios();
    // 17 enterprise (5-8): ceil(17/8) = 3, ceil(17/5) = 4. 31 strategic (10-15):
    // ceil(31/15) = 3, ceil(31/10) = 4. 60 growth (20-30): 60/30 = 2, 60/20 = 3.
    // 7 implementing (3-5 concurrent): ceil(7/5) = 2, ceil(7/3) = 3.
    let mut accounts = Vec::new();
    for i in 0..17 {
        accounts.push(account(i, "enterprise", i < 7, None));
    }
    for i in 17..48 {
        accounts.push(account(i, "strategic", false, None));
    }
    for i in 48..108 {
        accounts.push(account(i, "growth", false, None));
    }
    let report = r.report(&accounts, None);
    let got: Vec<(&str, u64, u64, u64)> = report
        .roles
        .iter()
        .map(|d| {
            (
                d.role.as_str(),
                d.accounts,
                d.min_headcount,
                d.max_headcount,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("CSM (Enterprise)", 17, 3, 4),
            ("CSM (Strategic)", 31, 3, 4),
            ("CSM (Growth)", 60, 2, 3),
            ("Implementation Specialist", 7, 2, 3),
        ]
    );
    // Without a roster, every account lacks a CSM.
    assert_eq!(report.uncovered.len(), 108);
}

#[test]
fn capacity_against_a_roster_lists_gaps_uncovered_and_overloaded() {
    let read = |name: &str| {
        let text = std::fs::read_to_string(repo().join("examples/playbooks").join(name)).unwrap();
        read_csv(name, &text).unwrap()
    };
    let accounts: Vec<Account> = read("portfolio.csv")
        .iter()
        .map(|r| Account::from_record(r.as_ref().unwrap()).unwrap())
        .collect();
    let roster: Vec<RosterEntry> = read("roster.csv")
        .iter()
        .map(|r| RosterEntry::from_record(r.as_ref().unwrap()).unwrap())
        .collect();
    let report = ratios().report(&accounts, Some(&roster));
    // 9 enterprise accounts: ceil(9/8) = 2 = ceil(9/5); one on the roster: short by 1.
    assert_eq!(report.roles[0].status.as_deref(), Some("short by 1"));
    // 4 implementing (A-01, A-09, A-11, A-17): ceil(4/5) = 1, ceil(4/3) = 2; one: within.
    assert_eq!(
        (report.roles[3].min_headcount, report.roles[3].max_headcount),
        (1, 2)
    );
    assert_eq!(report.roles[3].status.as_deref(), Some("within"));
    let uncovered: Vec<&str> = report
        .uncovered
        .iter()
        .map(|u| u.account.as_str())
        .collect();
    assert_eq!(uncovered, vec!["A-13", "A-14", "A-15"]);
    assert!(report.uncovered[1]
        .reason
        .contains("`CSM (Strategic)`, not `CSM (Growth)`"));
    // Ana carries 9 enterprise accounts; the ratio allows 8.
    assert_eq!(report.overloaded.len(), 1);
    assert_eq!(
        (report.overloaded[0].accounts, report.overloaded[0].limit),
        (9, 8)
    );
    // 80/20: 15 standard of 20 = 75%, 5 strategic = 25%.
    let split: Vec<(String, u64, String)> = report
        .split
        .iter()
        .map(|s| (s.tier.clone(), s.accounts, s.share.to_string()))
        .collect();
    assert_eq!(
        split,
        vec![
            ("standard".to_string(), 15, "75".to_string()),
            ("strategic".to_string(), 5, "25".to_string())
        ]
    );
    assert_eq!(
        report.split[1].owner.as_deref(),
        Some("John F. (technical) / Sofie (commercial)")
    );
    // Seed 004 Touch Point Cadence: strategic customers start with an executive kickoff.
    assert_eq!(report.split[1].touch_points[0], "Week 1: Executive kickoff");
}

#[test]
fn capacity_files_are_checked() {
    let text = r#"kind = "capacity"
id = "c"
version = "1"
title = "C"
source = "test"
roles = [{ role = "CSM", segment = "x", accounts = [8, 5] }, { role = "Impl", accounts = [3, 5] }]
tiers = [{ name = "a", share = "70", owner = "o", cadence = "c" }]
"#;
    let err = CapacityRatios::from_str_with_format("c.toml", text, Format::Toml)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("roles[0].accounts: [8, 5] must be ascending"),
        "{err}"
    );
    assert!(err.contains("roles[1]: give exactly one of"), "{err}");
    assert!(err.contains("shares add up to 70, not 100"), "{err}");
}

/// A template with its package names and industry names (each list ending in `None`).
type Choices = (PlanTemplate, Vec<Option<String>>, Vec<Option<String>>);

fn templates() -> Vec<Choices> {
    ["slavkokernel-implementation", "ai-ecosystem-onboarding"]
        .iter()
        .map(|n| {
            let t = template(n);
            let mut p: Vec<Option<String>> = t
                .spec()
                .packages
                .iter()
                .map(|x| Some(x.name.clone()))
                .collect();
            p.push(None);
            let mut i: Vec<Option<String>> = t
                .spec()
                .industries
                .iter()
                .map(|x| Some(x.name.clone()))
                .collect();
            i.push(None);
            (t, p, i)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// No activity starts before the kickoff; every activity starts on or before its due
    /// date and lies inside its phase; phases follow one another without overlap.
    #[test]
    fn plans_are_ordered(day in 0u64..700, which in 0usize..2, pi in 0usize..8, ii in 0usize..8) {
        let cal = berlin();
        let all = templates();
        let (t, packages, industries) = &all[which];
        let package = packages[pi % packages.len()].as_deref();
        let industry = industries[ii % industries.len()].as_deref();
        let kickoff = date("2026-01-01").checked_add_days(Days::new(day)).unwrap();
        let plan = t.schedule(&cal, kickoff, package, industry).unwrap();
        for a in &plan.activities {
            prop_assert!(a.start >= kickoff, "{} starts {} before {}", a.activity, a.start, kickoff);
            prop_assert!(a.start <= a.due);
            let ph = plan.phases.iter().find(|p| p.phase == a.phase).unwrap();
            prop_assert!(ph.start <= a.start && a.due <= ph.due, "{} outside {}", a.activity, ph.phase);
        }
        for w in plan.phases.windows(2) {
            prop_assert!(w[0].due < w[1].start, "{} overlaps {}", w[0].phase, w[1].phase);
        }
        prop_assert!(plan.go_live_range[0] <= plan.go_live && plan.go_live <= plan.go_live_range[1]);
    }

    /// Adding accounts never lowers the headcount any role needs.
    #[test]
    fn capacity_is_monotonic(segs in proptest::collection::vec((0usize..4, any::<bool>()), 0..80), extra in (0usize..4, any::<bool>())) {
        let names = ["enterprise", "strategic", "growth", "other"];
        let r = ratios();
        let mut accounts: Vec<Account> = segs.iter().enumerate()
            .map(|(i, (s, imp))| account(i, names[*s], *imp, None)).collect();
        let before = r.report(&accounts, None);
        accounts.push(account(999, names[extra.0], extra.1, None));
        let after = r.report(&accounts, None);
        for (b, a) in before.roles.iter().zip(&after.roles) {
            prop_assert!(a.min_headcount >= b.min_headcount && a.max_headcount >= b.max_headcount);
            prop_assert!(a.min_headcount <= a.max_headcount);
        }
    }

    /// Every ticket with values from the inputs' domains gets a priority and a route.
    #[test]
    fn triage_is_total(down in any::<bool>(), impact in 0usize..4, wa in any::<bool>(), cat in 0usize..9, tier in 0usize..4) {
        let t = triage_rules();
        let impacts = ["severe", "significant", "moderate", "minimal"];
        let cats = ["outage", "technical", "performance", "integration", "how_to", "documentation", "enhancement", "billing", "security"];
        let tiers = ["standard", "premium", "enterprise", "white_glove"];
        let f = facts(&[
            ("system_down", &down.to_string()), ("impact", impacts[impact]), ("workaround", &wa.to_string()),
            ("category", cats[cat]), ("tier", tiers[tier]),
        ]);
        let r = t.triage("T", 0, &f).unwrap();
        prop_assert!(["P1", "P2", "P3", "P4"].contains(&r.priority.as_str()));
        prop_assert!(!r.team.is_empty() && !r.owner.is_empty());
        prop_assert_eq!(r.fallback, r.route_rule.is_none());
        prop_assert_eq!(r.fallback, !r.warnings.is_empty());
    }
}

fn interventions() -> csrubric::playbook::InterventionRules {
    csrubric::playbook::InterventionRules::from_path(&rubric_path(
        "playbooks/slavkokernel-interventions.toml",
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn interventions_pick_the_level_owner_playbooks_and_exit_results() {
    use csrubric::input::read_json;
    use csrubric::playbook::ExitStatus;
    let text = std::fs::read_to_string(repo().join("examples/playbooks/accounts.json")).unwrap();
    let rows = read_json("accounts.json", &text).unwrap();
    let rules = interventions();
    let out: Vec<_> = rows
        .iter()
        .map(|r| rules.evaluate_record(r.as_ref().unwrap()))
        .collect();
    assert_eq!(out.len(), 6, "one result per row");
    let ok = |i: usize| out[i].as_ref().unwrap();
    // A-1: band Good -> low, adoption risk raises to medium (Focused Intervention, CS
    // Manager, "30-60 day plan" due 60 days after 2027-01-04 = 2027-03-05). Adoption
    // Challenges: usage increase within 30 days -> due 2027-02-03; 120 -> 150 by 01-29: met.
    let a1 = ok(0);
    assert_eq!(
        (
            a1.plan.risk_level.as_str(),
            a1.plan.owner.as_str(),
            a1.plan.due
        ),
        ("medium", "CS Manager", Some(date("2027-03-05")))
    );
    assert_eq!(a1.plan.playbooks[0].scenario, "Adoption Challenges");
    assert_eq!(a1.plan.playbooks[0].due, date("2027-02-03"));
    assert_eq!(a1.exits, vec![Some(ExitStatus::Met)]);
    // A-2: technical and value risks. Open issues unchanged at 02-10, after the 30-day
    // window (02-03): missed; success-metric progress unchanged, 60-day window open.
    let a2 = ok(1);
    let scen: Vec<&str> = a2
        .plan
        .playbooks
        .iter()
        .map(|p| p.scenario.as_str())
        .collect();
    assert_eq!(scen, vec!["Technical Issues", "Value Gap"]);
    assert_eq!(
        a2.exits,
        vec![Some(ExitStatus::Missed), Some(ExitStatus::Open)]
    );
    // A-3: At Risk -> high (Formal Rescue Plan, CS Manager + Director, due +90 days =
    // 2027-04-04); At-Risk Account rescue: health score 48 -> 55.5 by 02-15 (due 03-05).
    let a3 = ok(2);
    assert_eq!(
        (
            a3.plan.intervention.as_str(),
            a3.plan.owner.as_str(),
            a3.plan.due
        ),
        (
            "Formal Rescue Plan",
            "CS Manager + Director",
            Some(date("2027-04-04"))
        )
    );
    assert_eq!(a3.exits, vec![Some(ExitStatus::Met)]);
    // A-4: Critical -> Executive Escalation, CS Director + VP, immediate (the start date).
    let a4 = ok(3);
    assert_eq!(
        (
            a4.plan.risk_level.as_str(),
            a4.plan.owner.as_str(),
            a4.plan.due
        ),
        ("critical", "CS Director + VP", Some(date("2027-01-04")))
    );
    assert_eq!(a4.exits, vec![None], "no metrics given: no exit verdict");
    // A-5: Excellent, no risks: standard management, normal cadence, no playbook.
    let a5 = ok(4);
    assert_eq!((a5.plan.risk_level.as_str(), a5.plan.due), ("low", None));
    assert!(a5.plan.playbooks.is_empty());
    // A-6: an unknown band is that row's error.
    let err = out[5].as_ref().unwrap_err().to_string();
    assert!(err.starts_with("row 6 (`A-6`): `band`: `Amber`"), "{err}");
}

#[test]
fn exit_conditions_respect_direction_and_window() {
    use csrubric::playbook::{AccountRisk, ExitStatus};
    use rust_decimal::Decimal;
    let rules = interventions();
    let plan = rules
        .select(&AccountRisk {
            id: "A".into(),
            band: "Good".into(),
            risks: vec!["technical".into()],
            start: date("2027-01-04"),
        })
        .unwrap();
    let p = &plan.playbooks[0]; // open technical issues must go down within 30 days
    let n = Decimal::from;
    assert_eq!(
        p.exit_status(n(6), n(4), date("2027-01-20")),
        ExitStatus::Met
    );
    assert_eq!(
        p.exit_status(n(6), n(8), date("2027-01-20")),
        ExitStatus::Open
    );
    // Met on the due date itself still counts; a day later it is missed.
    assert_eq!(
        p.exit_status(n(6), n(4), date("2027-02-03")),
        ExitStatus::Met
    );
    assert_eq!(
        p.exit_status(n(6), n(4), date("2027-02-04")),
        ExitStatus::Missed
    );
}

// ---------------------------------------------------------------- one entry point (api)

use csrubric::api::AnyRubric;
use serde_json::{json, Value};

fn load_any(name: &str) -> AnyRubric {
    AnyRubric::from_path(&rubric_path(&format!("playbooks/{name}.toml")))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn plan_through_the_api_dates_the_standard_package_and_its_status() {
    let t = load_any("slavkokernel-implementation");
    assert_eq!(t.ops(), ["plan", "test"]);
    let options = json!({"kickoff": "2027-01-04", "package": "standard", "as_of": "2027-01-20",
        "done": ["Project Kickoff", "Success Planning"]});
    let out = t.run_json("plan", &Value::Null, &options).unwrap();
    // Standard 8-10 weeks, planned to 10 = 50 working days from Monday 2027-01-04 (no
    // holiday before March): go-live on the 50th, 2027-03-12; at 8 weeks, the 40th.
    let go_live = nth_working_day(date("2027-01-04"), 50);
    assert_eq!(go_live, date("2027-03-12"));
    assert_eq!(out["plan"]["go_live"], go_live.to_string());
    assert_eq!(
        out["plan"]["go_live_range"],
        json!([
            nth_working_day(date("2027-01-04"), 40).to_string(),
            go_live.to_string()
        ])
    );
    assert_eq!(out["plan"]["planned_weeks"], 10);
    // Prepare (weeks 1-2) ended Friday 01-15; on Wednesday 01-20 its three activities not
    // done are 3 working days late (18, 19, 20), which moves go-live 3 working days: 03-17.
    let status = &out["status"];
    assert_eq!(status["state"], "in_progress");
    assert_eq!(status["current_phase"], "Implement");
    let late: Vec<&str> = status["late"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["activity"].as_str().unwrap())
        .collect();
    assert_eq!(
        late,
        [
            "Technical Discovery",
            "Environment Setup",
            "Data Assessment"
        ]
    );
    assert!(status["late"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["working_days_late"] == 3));
    assert_eq!(status["projected_go_live"], "2027-03-17");
    // Without `as_of` there is no status.
    let out = t
        .run_json("plan", &Value::Null, &json!({"kickoff": "2027-01-04"}))
        .unwrap();
    assert_eq!(out["status"], Value::Null);
}

#[test]
fn plan_options_and_request_errors_are_named() {
    let t = load_any("slavkokernel-implementation");
    let err = |rows: Value, options: Value| t.run_json("plan", &rows, &options).unwrap_err();
    let e = err(Value::Null, json!({"package": "standard"}));
    assert_eq!(e.code(), "invalid_options");
    assert!(e.to_string().contains("`kickoff`"), "{e}");
    let e = err(Value::Null, json!({"kickoff": "2027-02-30"}));
    assert_eq!(e.code(), "invalid_options");
    assert!(
        e.to_string()
            .starts_with("`plan` options: `kickoff`: `2027-02-30` is not a date"),
        "{e}"
    );
    let e = err(
        Value::Null,
        json!({"kickoff": "2027-01-04", "pakage": "standard"}),
    );
    assert!(e.to_string().contains("unknown field `pakage`"), "{e}");
    let e = err(
        Value::Null,
        json!({"kickoff": "2027-01-04", "done": ["Project Kickoff"]}),
    );
    assert!(e.to_string().contains("`done` needs `as_of`"), "{e}");
    let e = err(json!([{"id": "x"}]), json!({"kickoff": "2027-01-04"}));
    assert!(e.to_string().contains("takes no input rows"), "{e}");
    // A package the template does not have: the whole request fails with the domain code.
    let e = err(
        Value::Null,
        json!({"kickoff": "2027-01-04", "package": "huge"}),
    );
    assert_eq!(e.code(), "unknown_value");
    assert!(
        e.to_string()
            .starts_with("package `huge` is not in the rubric"),
        "{e}"
    );
}

#[test]
fn triage_through_the_api_keeps_a_failed_ticket_in_place() {
    let t = load_any("slavkokernel-triage");
    let rows = json!([
        {"id": "T-100", "system_down": "true", "impact": "severe", "workaround": "false",
         "category": "outage", "tier": "enterprise"},
        {"id": "T-106", "system_down": "false", "impact": "huge", "category": "technical",
         "tier": "standard"},
        {"id": "T-105", "system_down": "false", "impact": "minimal", "category": "billing",
         "tier": "enterprise"},
    ]);
    let out = t.run_json("triage", &rows, &json!({})).unwrap();
    // Seed 001: a production system down is P1 (rule 1); an enterprise outage goes to the
    // senior engineer (routing rule 2).
    assert_eq!(out[0]["priority"], "P1");
    assert_eq!(out[0]["priority_rule"], 1);
    assert_eq!(out[0]["owner"], "Senior Technical Support Engineer");
    assert_eq!(out[0]["route_rule"], 2);
    // `huge` is no impact value: that ticket's error, in its place.
    assert_eq!(out[1]["id"], "T-106");
    assert_eq!(out[1]["row"], 2);
    assert_eq!(out[1]["status"], "error");
    assert_eq!(out[1]["error"]["code"], "invalid_input");
    assert!(out[1]["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("row 2 (`T-106`): `impact`: `huge`"));
    // Minimal impact is P4; billing matches no routing rule: the explicit fallback.
    assert_eq!(out[2]["priority"], "P4");
    assert_eq!(out[2]["fallback"], true);
    assert_eq!(out[2]["route_rule"], Value::Null);
    assert_eq!(out[2]["team"], "Support Operations");
    // The load-time gap warning, with its rubric path.
    let w = t.warnings();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].path, "routing.rules");
    assert!(w[0].message.contains("32 input combination(s)"), "{w:?}");
    assert_eq!(
        t.run_json("triage", &rows, &json!({"strict": true}))
            .unwrap_err()
            .code(),
        "invalid_options"
    );
}

#[test]
fn capacity_through_the_api_takes_the_roster_as_an_option() {
    let c = load_any("slavkokernel-capacity");
    // 17 enterprise accounts at 5-8 per CSM: ceil(17/8) = 3 to ceil(17/5) = 4 CSMs; one
    // more row has no segment, so it is left out.
    let mut rows: Vec<Value> = (1..=17)
        .map(|i| json!({"id": format!("A-{i}"), "segment": "enterprise", "csm": "Ana"}))
        .collect();
    rows.insert(3, json!({"id": "A-x", "csm": "Ana"}));
    let roster = json!([{"id": "Ana", "role": "CSM (Enterprise)"}, {"id": "Bo"}]);
    let out = c
        .run_json("capacity", &Value::Array(rows), &json!({"roster": roster}))
        .unwrap();
    let report = &out["report"];
    assert_eq!(report["accounts"], 17);
    let enterprise = &report["roles"][0];
    assert_eq!(enterprise["role"], "CSM (Enterprise)");
    assert_eq!(
        (&enterprise["min_headcount"], &enterprise["max_headcount"]),
        (&json!(3), &json!(4))
    );
    // One enterprise CSM on the roster, three needed at least: short by 2; Ana carries 17
    // accounts where the ratio allows 8.
    assert_eq!(enterprise["roster"], 1);
    assert_eq!(enterprise["status"], "short by 2");
    assert_eq!(report["overloaded"][0]["accounts"], 17);
    // Failed rows: the portfolio's first (in place of nothing: the report counts the
    // others), then the roster's, named as such.
    assert_eq!(
        out["errors"],
        json!([
            {"id": "A-x", "row": 4, "status": "error", "error": {"code": "invalid_input",
             "message": "row 4 (`A-x`): `segment`: missing"}},
            {"id": "Bo", "row": 2, "status": "error", "error": {"code": "invalid_input",
             "message": "roster: row 2 (`Bo`): `role`: missing"}},
        ])
    );
    let e = c
        .run_json("capacity", &json!([]), &json!({"roster": {"Ana": "CSM"}}))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_options");
    assert_eq!(
        e.to_string(),
        "`capacity` options: `roster`: expected a JSON array of objects"
    );
}

#[test]
fn interventions_through_the_api_match_the_seed_levels() {
    let i = load_any("slavkokernel-interventions");
    let rows = json!([
        {"id": "A-1", "band": "Good", "risks": ["adoption"], "start": "2027-01-04",
         "measured": "2027-01-29", "baseline_usage": 120, "current_usage": 150},
        {"id": "A-6", "band": "Amber", "start": "2027-01-04"},
        {"id": "A-4", "band": "Critical", "start": "2027-01-04"},
    ]);
    let out = i.run_json("interventions", &rows, &Value::Null).unwrap();
    // A-1: Good is low; the adoption risk raises it to medium (CS Manager, due 60 days after
    // 2027-01-04 = 2027-03-05); Adoption Challenges is due 30 days after the start,
    // 2027-02-03, and usage went 120 -> 150 by 01-29: met.
    assert_eq!(out[0]["row"], 1);
    assert_eq!(out[0]["plan"]["risk_level"], "medium");
    assert_eq!(out[0]["plan"]["due"], "2027-03-05");
    assert_eq!(out[0]["plan"]["playbooks"][0]["due"], "2027-02-03");
    assert_eq!(out[0]["exits"], json!(["met"]));
    assert_eq!(out[1]["id"], "A-6");
    assert_eq!(out[1]["status"], "error");
    assert_eq!(out[1]["error"]["code"], "invalid_input");
    // A-4: Critical is an executive escalation, due at once.
    assert_eq!(out[2]["plan"]["owner"], "CS Director + VP");
    assert_eq!(out[2]["plan"]["due"], "2027-01-04");
    assert_eq!(out[2]["exits"], json!([null]));
}

#[test]
fn check_summaries_of_the_playbook_kinds() {
    // Counted in the files: 5 phases, 4 packages (standard, advanced, enterprise,
    // accelerated), 4 roles and 2 tiers, 4 levels, 6 priority and 6 routing rules.
    let summary = |name: &str| {
        let r = load_any(name);
        let s = r.summary();
        let (id, rest) = s.split_once(' ').unwrap();
        assert_eq!(id, r.stamp().id);
        rest.to_string()
    };
    assert!(summary("slavkokernel-implementation").starts_with("1.0.0 (5 phases, "));
    assert!(summary("slavkokernel-implementation").contains(" 4 packages, "));
    assert!(summary("slavkokernel-capacity").starts_with("1.0.0 (4 roles, 2 tiers) sha256:"));
    assert!(summary("slavkokernel-interventions").starts_with("1.0.0 (4 levels, "));
    assert!(summary("slavkokernel-triage")
        .starts_with("1.0.0 (6 priority rules, 6 routing rules) sha256:"));
}
