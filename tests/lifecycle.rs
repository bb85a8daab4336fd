//! Lifecycle: renewal playbooks, the renewal pipeline and portfolio KPIs, checked against
//! the seeds and hand calculations.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;

use chrono::NaiveDate;
use csrubric::input::{read_csv, read_json};
use csrubric::kpi::{compute, KpiId, KpiInput, KpiOptions, KpiRubric, TargetStatus};
use csrubric::renewal::{Contract, MilestoneStatus, RenewalPlaybook};
use csrubric::rubric::RubricError;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn playbook(name: &str) -> RenewalPlaybook {
    RenewalPlaybook::from_path(&root().join("rubrics/renewal").join(name)).unwrap()
}

fn kpi_rubric(name: &str) -> KpiRubric {
    KpiRubric::from_path(&root().join("rubrics/kpi").join(name)).unwrap()
}

fn dues(p: &RenewalPlaybook, c: &Contract, today: &str) -> Vec<(String, String)> {
    p.schedule(c, d(today))
        .unwrap()
        .schedule
        .iter()
        .map(|s| (s.milestone.clone(), s.due.to_string()))
        .collect()
}

// ---------------------------------------------------------------- renewal playbooks

#[test]
fn seed_001_schedule_for_a_contract_ending_june_30() {
    // Seed 001 "Renewal Process": 180, 150, 120, 120, 90, 60-30, 30-0 days pre-renewal and
    // 0-30 days post-renewal. Dates counted by hand back from 2027-06-30 (2027 is not a
    // leap year): 30 days to May 31, 61 to Apr 30, 91 to Mar 31, 119 to Mar 3, 122 to Feb 28,
    // 150 to Jan 31, 180 to Jan 1.
    let p = playbook("slavkokernel.toml");
    let c = Contract::new("acme", d("2026-07-01"), d("2027-06-30"));
    let expected = [
        ("renewal_planning", "2027-01-01"),
        ("value_assessment", "2027-01-31"),
        ("executive_review", "2027-03-02"),
        ("expansion_planning", "2027-03-02"),
        ("renewal_preparation", "2027-04-01"),
        ("renewal_negotiation", "2027-05-01"),
        ("renewal_closure", "2027-05-31"),
        ("post_renewal_planning", "2027-06-30"),
    ];
    let got = dues(&p, &c, "2026-11-23");
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    let r = p.schedule(&c, d("2026-11-23")).unwrap();
    let negotiation = &r.schedule[5];
    assert_eq!(negotiation.until, d("2027-05-31")); // 30 days pre-renewal
    assert_eq!(r.schedule[7].until, d("2027-07-30")); // 30 days post-renewal
    assert_eq!(r.days_to_renewal, 219); // 7 + 31 + 31 + 28 + 31 + 30 + 31 + 30
    assert_eq!(r.next_milestone.as_deref(), Some("renewal_planning"));
    assert_eq!(r.current_milestone, None);
    assert!(r.overdue.is_empty());
}

#[test]
fn the_180_day_milestone_of_a_contract_ending_2027_06_30_is_2027_01_01() {
    let p = playbook("slavkokernel.toml");
    let c = Contract::new("x", d("2026-07-01"), d("2027-06-30"));
    let r = p.schedule(&c, d("2026-01-01")).unwrap();
    let planning = r
        .schedule
        .iter()
        .find(|s| s.milestone == "renewal_planning")
        .unwrap();
    assert_eq!(planning.due, d("2027-01-01"));
}

#[test]
fn seed_004_renewal_path_for_a_leap_day_contract() {
    // Ends 2028-02-29: 90 days out is 2027-12-01 (29 days to Jan 31, 60 to Dec 31, 90 to
    // Dec 1), 60 days out 2027-12-31, 30 days out 2028-01-30; "before expiry" closes on
    // 2028-02-28.
    let p = playbook("cradle-to-grave.toml");
    let c = Contract::new("leap", d("2024-03-01"), d("2028-02-29"));
    let r = p.schedule(&c, d("2028-01-15")).unwrap();
    let got: Vec<(&str, NaiveDate, NaiveDate)> = r
        .schedule
        .iter()
        .map(|s| (s.milestone.as_str(), s.due, s.until))
        .collect();
    assert_eq!(
        got,
        vec![
            ("value_documentation", d("2027-12-01"), d("2027-12-30")),
            ("renewal_proposal", d("2027-12-31"), d("2028-01-29")),
            ("negotiation", d("2028-01-30"), d("2028-02-28")),
            ("contract_execution", d("2028-01-30"), d("2028-02-28")),
        ]
    );
    assert_eq!(r.current_milestone.as_deref(), Some("renewal_proposal"));
    assert_eq!(r.overdue, vec!["value_documentation".to_string()]);
    assert_eq!(r.next_milestone.as_deref(), Some("negotiation"));
    assert_eq!(r.days_to_renewal, 45); // 16 days left in January + 29 in February
}

#[test]
fn departure_path_and_six_month_win_back_on_the_31st() {
    // Win-back "6-month follow-up" from an Aug 31 end: Feb 28 in 2027, Feb 29 in 2028.
    let p = playbook("cradle-to-grave.toml");
    for (end, follow_up) in [("2026-08-31", "2027-02-28"), ("2027-08-31", "2028-02-29")] {
        let mut c = Contract::new("gone", d("2025-09-01"), d(end));
        c.path = "departure".into();
        let r = p.schedule(&c, d("2026-06-01")).unwrap();
        let names: Vec<&str> = r.schedule.iter().map(|s| s.milestone.as_str()).collect();
        assert_eq!(
            names,
            [
                "exit_interview",
                "knowledge_transfer",
                "data_export",
                "lessons_learned",
                "win_back_follow_up"
            ]
        );
        assert_eq!(r.schedule[4].due, d(follow_up), "end {end}");
    }
    // A 31st-of-month end with day offsets: 90 days before 2027-03-31 is 2026-12-31.
    let c = Contract::new("m", d("2026-04-01"), d("2027-03-31"));
    let r = p.schedule(&c, d("2026-06-01")).unwrap();
    assert_eq!(r.schedule[0].due, d("2026-12-31"));
}

#[test]
fn completed_milestones_are_never_overdue_and_windows_are_open() {
    let p = playbook("slavkokernel.toml");
    let mut c = Contract::new("g", d("2025-03-01"), d("2027-02-28"));
    c.completed = vec!["renewal_planning".into(), "value_assessment".into()];
    // Today 2027-01-10: planning (2026-09-01) and assessment (2026-10-01) done; reviews
    // (2026-10-31) and preparation (2026-11-30) overdue; negotiation open from 2026-12-30
    // to 2027-01-29; closure next on 2027-01-29.
    let r = p.schedule(&c, d("2027-01-10")).unwrap();
    let status: Vec<MilestoneStatus> = r.schedule.iter().map(|s| s.status).collect();
    use MilestoneStatus::*;
    assert_eq!(
        status,
        [Done, Done, Overdue, Overdue, Overdue, Open, Upcoming, Upcoming]
    );
    assert_eq!(r.current_milestone.as_deref(), Some("renewal_negotiation"));
    assert_eq!(r.next_milestone.as_deref(), Some("renewal_closure"));
    assert_eq!(r.next_due, Some(d("2027-01-29")));
    assert_eq!(r.days_to_next, Some(19));
    assert_eq!(
        r.overdue,
        [
            "executive_review",
            "expansion_planning",
            "renewal_preparation"
        ]
    );
    // After the post-renewal window closes nothing is current.
    let r = p.schedule(&c, d("2027-04-01")).unwrap();
    assert_eq!(r.current_milestone, None);
    assert_eq!(r.next_milestone, None);
    assert_eq!(r.days_to_renewal, -32);
}

#[test]
fn notice_period_and_auto_renewal_from_records() {
    let p = playbook("slavkokernel.toml");
    let rows = read_json(
        "c.json",
        r#"[{"id": "u", "start": "2025-01-01", "end": "2025-12-31", "auto_renew": true,
             "notice_days": 30}]"#,
    )
    .unwrap();
    let c = Contract::from_record(rows[0].as_ref().unwrap()).unwrap();
    // The first term ended 2025-12-31; on 2026-11-23 the contract is in its second term,
    // ending 2026-12-31; notice is due 30 days before: 2026-12-01.
    let r = p.schedule(&c, d("2026-11-23")).unwrap();
    assert_eq!((r.renewal_date, r.term), (d("2026-12-31"), 2));
    assert_eq!(r.notice_deadline, Some(d("2026-12-01")));
    assert_eq!(r.days_to_notice_deadline, Some(8));
    assert_eq!(r.days_to_renewal, 38);
}

#[test]
fn pipeline_sorts_by_next_due_and_keeps_every_row() {
    let p = playbook("slavkokernel.toml");
    let rows = read_csv(
        "c.csv",
        "id,start,end,path\n\
         late,2026-01-01,2028-06-30,\n\
         bad-date,2026-01-01,30/06/2027,\n\
         soon,2026-01-01,2027-03-31,\n\
         ,2026-01-01,2027-03-31,\n\
         backwards,2027-01-01,2026-01-01,\n\
         lost,2026-01-01,2027-03-31,departure\n\
         sooner,2026-01-01,2027-02-28,\n",
    )
    .unwrap();
    let out = p.pipeline(&rows, d("2026-11-23"));
    assert_eq!(out.len(), 7);
    let ok: Vec<&str> = out
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.id.as_str())
        .collect();
    // sooner: next 2026-11-30 (90 days before Feb 28); soon: 2026-12-31 (90 before Mar 31);
    // late: 2028-01-02 (180 before Jun 30 2028: one day later in
    // the year than for 2027, as February 2028 has 29 days).
    assert_eq!(ok, ["sooner", "soon", "late"]);
    assert_eq!(out[2].as_ref().unwrap().next_due, Some(d("2028-01-02")));
    let errors: Vec<String> = out
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "row 2 (contract `bad-date`): `end`: `30/06/2027` is not a date (expected YYYY-MM-DD, such as 2027-06-30)",
            "c.csv: row 4 (line 5): missing `id`",
            "row 5 (contract `backwards`): `end` 2026-01-01 is before `start` 2027-01-01",
            "row 6 (contract `lost`): unknown path `departure` (this playbook has: `renewal`)",
        ]
    );
}

#[test]
fn playbook_errors_name_the_path_and_line() {
    let text = "kind = \"renewal\"\nid = \"r\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\n\
        [[milestones]]\nid = \"a\"\nlabel = \"A\"\noffset = -30\nowner = \"o\"\n\
        [[milestones]]\nid = \"b\"\nlabel = \"B\"\noffset = -90\nuntil = -120\nowner = \"o\"\n";
    let err = RenewalPlaybook::from_toml_str("p.toml", text).unwrap_err();
    let RubricError::Invalid { problems, .. } = &err else {
        panic!("{err}")
    };
    let got: Vec<(String, Option<usize>)> =
        problems.iter().map(|p| (p.path.clone(), p.line)).collect();
    assert_eq!(
        got,
        [
            ("milestones[1].offset".to_string(), Some(14)),
            ("milestones[1].until".to_string(), Some(15)),
        ]
    );
    let err = RenewalPlaybook::from_toml_str(
        "p.toml",
        &text.replace("owner = \"o\"\n[[", "owner = \"o\"\nowners = 1\n[["),
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `owners`"), "{err}");
}

// ---------------------------------------------------------------- KPIs

fn row(id: &str, start: Option<i64>, end: Option<i64>) -> KpiInput {
    KpiInput {
        mrr_start: start.map(Decimal::from),
        mrr_end: end.map(Decimal::from),
        churned: start.is_some_and(|s| s > 0) && end == Some(0),
        ..KpiInput::new(id)
    }
}

fn value(kpis: &[csrubric::kpi::KpiValue], id: KpiId) -> Option<String> {
    kpis.iter()
        .find(|k| k.kpi == id)
        .unwrap()
        .value
        .map(|v| v.to_string())
}

#[test]
fn revenue_kpis_by_hand() {
    // start = 1000 + 500 + 300 + 200 = 2000; expansion 200 (a); contraction 100 (b);
    // churn 300 (c); d unchanged; e is new (400).
    // NRR = (2000 + 200 - 100 - 300) / 2000 = 90%; GRR = 1600/2000 = 80%;
    // logo churn 1/4 = 25%; revenue churn 300/2000 = 15%; contraction 100/2000 = 5%;
    // expansion share 200 / (200 + 400) = 33.33%.
    let rows = vec![
        row("a", Some(1000), Some(1200)),
        row("b", Some(500), Some(400)),
        row("c", Some(300), Some(0)),
        row("d", Some(200), Some(200)),
        row("e", None, Some(400)),
    ];
    let k = compute(&rows, &KpiOptions::default());
    assert_eq!(value(&k, KpiId::Nrr).as_deref(), Some("90.00"));
    assert_eq!(value(&k, KpiId::Grr).as_deref(), Some("80.00"));
    assert_eq!(value(&k, KpiId::LogoChurn).as_deref(), Some("25.00"));
    assert_eq!(value(&k, KpiId::LogoRetention).as_deref(), Some("75.00"));
    assert_eq!(value(&k, KpiId::RevenueChurn).as_deref(), Some("15.00"));
    assert_eq!(value(&k, KpiId::Contraction).as_deref(), Some("5.00"));
    assert_eq!(value(&k, KpiId::ExpansionShare).as_deref(), Some("33.33"));
}

#[test]
fn seed_targets_report_met_and_missed() {
    // Seed 002: NRR 120%+, GRR 95%+, churn <5%, NPS 50+.
    // 20 customers at 100 each: one churns, one expands to 600 (+500).
    // NRR = (2000 + 500 - 100)/2000 = 120% (met: >= 120); GRR = 1900/2000 = 95% (met);
    // logo churn = 1/20 = 5% (missed: not < 5); NPS: 3 promoters, 1 detractor, 4 passives
    // of 8 = 25 (missed).
    let mut csv = String::from("id,mrr_start,mrr_end,nps\n");
    for i in 0..20 {
        let end = match i {
            0 => 0,
            1 => 600,
            _ => 100,
        };
        let nps = ["10", "9", "9", "3", "7", "8", "7", "8"]
            .get(i)
            .copied()
            .unwrap_or("");
        csv.push_str(&format!("c{i},100,{end},{nps}\n"));
    }
    let report = kpi_rubric("ai-ecosystem.toml").report(&read_csv("k.csv", &csv).unwrap());
    let status = |id: KpiId| {
        let k = report.kpis.iter().find(|k| k.kpi == id).unwrap();
        (
            k.value.unwrap().to_string(),
            k.target.as_ref().unwrap().status,
        )
    };
    assert_eq!(status(KpiId::Nrr), ("120.00".into(), TargetStatus::Met));
    assert_eq!(status(KpiId::Grr), ("95.00".into(), TargetStatus::Met));
    assert_eq!(
        status(KpiId::LogoChurn),
        ("5.00".into(), TargetStatus::Missed)
    );
    assert_eq!(status(KpiId::Nps), ("25.00".into(), TargetStatus::Missed));
    assert!(report.rejected.is_empty());
}

#[test]
fn undefined_kpis_and_rejected_rows() {
    let rows = read_csv(
        "k.csv",
        "id,mrr_start,mrr_end,churned,csat,ces,health\n\
         a,,100,,6,,\n\
         b,100,50,yes,,,\n\
         c,100,,,,,\n\
         d,,,,4,8,\n\
         e,,,,,,101\n\
         f,,,,5,,\n",
    )
    .unwrap();
    let report = kpi_rubric("cradle-to-grave.toml").report(&rows);
    let messages: Vec<&str> = report.rejected.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "row 1 (account `a`): `csat`: `6` is outside 1-5",
            "row 2 (account `b`): `churned` is yes but `mrr_end` is above 0",
            "row 3 (account `c`): `mrr_end`: missing for a customer with `mrr_start` that did not churn",
            "row 4 (account `d`): `ces`: `8` is outside 1-7",
            "row 5 (account `e`): `health`: `101` is outside 0-100",
        ]
    );
    assert_eq!(report.rows, 1);
    let nrr = report.kpis.iter().find(|k| k.kpi == KpiId::Nrr).unwrap();
    assert_eq!(nrr.value, None);
    assert_eq!(
        nrr.undefined.as_deref(),
        Some("no existing customers (Σ mrr_start is 0)")
    );
    assert_eq!(nrr.target.as_ref().unwrap().status, TargetStatus::Undefined);
    let json = serde_json::to_value(nrr).unwrap();
    assert_eq!(json["value"], serde_json::Value::Null);
    let csat = report
        .kpis
        .iter()
        .find(|k| k.kpi == KpiId::CsatMean)
        .unwrap();
    assert_eq!(csat.value.unwrap().to_string(), "5.00");
    assert_eq!(csat.target.as_ref().unwrap().status, TargetStatus::Met); // > 4.5
}

#[test]
fn shipped_kpi_rubrics_encode_the_seed_targets() {
    let t = |name: &str, id: KpiId| {
        let r = kpi_rubric(name);
        let t = r
            .spec()
            .targets
            .iter()
            .find(|t| t.kpi == id)
            .unwrap()
            .clone();
        format!("{} {}", t.op.as_str(), t.value)
    };
    assert_eq!(t("slavkokernel.toml", KpiId::Nrr), "> 110");
    assert_eq!(t("slavkokernel.toml", KpiId::AtRiskShare), "< 10");
    assert_eq!(t("ai-ecosystem.toml", KpiId::Nrr), ">= 120");
    assert_eq!(t("cradle-to-grave.toml", KpiId::Nrr), ">= 145");
    assert_eq!(t("cradle-to-grave.toml", KpiId::LogoChurn), "< 5");
    assert_eq!(t("cradle-to-grave.toml", KpiId::Contraction), "< 2");
}

// ---------------------------------------------------------------- properties

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1990-01-01 .. ~2090
    (0i64..36_500).prop_map(|n| d("1990-01-01") + chrono::TimeDelta::days(n))
}

proptest! {
    #[test]
    fn milestones_are_dated_in_playbook_order(end in any_date(), today in any_date()) {
        for name in ["slavkokernel.toml", "cradle-to-grave.toml"] {
            let p = playbook(name);
            for path in p.paths() {
                let mut c = Contract::new("x", end - chrono::TimeDelta::days(365), end);
                c.path = path.to_string();
                let r = p.schedule(&c, today).unwrap();
                for w in r.schedule.windows(2) {
                    prop_assert!(w[0].due <= w[1].due, "{name} {path}: {:?} after {:?}", w[0], w[1]);
                }
                for s in &r.schedule {
                    prop_assert!(s.due <= s.until);
                }
            }
        }
    }

    #[test]
    fn shifting_the_end_shifts_day_milestones(end in any_date(), k in -2000i64..2000) {
        let p = playbook("slavkokernel.toml");
        let shift = chrono::TimeDelta::days(k);
        let a = Contract::new("a", end - chrono::TimeDelta::days(400), end);
        let b = Contract::new("b", a.start + shift, end + shift);
        let ra = p.schedule(&a, end).unwrap();
        let rb = p.schedule(&b, end).unwrap();
        for (x, y) in ra.schedule.iter().zip(&rb.schedule) {
            prop_assert_eq!(x.due + shift, y.due);
            prop_assert_eq!(x.until + shift, y.until);
        }
        prop_assert_eq!(ra.days_to_renewal + k, rb.days_to_renewal);
    }

    #[test]
    fn nps_stays_within_bounds(scores in prop::collection::vec(0u8..=10, 1..60)) {
        let rows: Vec<KpiInput> = scores.iter().enumerate()
            .map(|(i, s)| KpiInput { nps: Some(*s), ..KpiInput::new(i.to_string()) })
            .collect();
        let k = compute(&rows, &KpiOptions::default());
        let nps = k.iter().find(|k| k.kpi == KpiId::Nps).unwrap().value.unwrap();
        prop_assert!(nps >= Decimal::from(-100) && nps <= Decimal::ONE_HUNDRED, "{}", nps);
        // All promoters is exactly 100, all detractors exactly -100.
        if scores.iter().all(|s| *s >= 9) { prop_assert_eq!(nps, Decimal::ONE_HUNDRED); }
        if scores.iter().all(|s| *s <= 6) { prop_assert_eq!(nps, Decimal::from(-100)); }
    }

    #[test]
    fn grr_never_exceeds_100_and_nrr_is_end_over_start(
        accounts in prop::collection::vec((1i64..100_000, 0i64..200_000), 1..40)
    ) {
        let rows: Vec<KpiInput> = accounts.iter().enumerate()
            .map(|(i, (s, e))| row(&i.to_string(), Some(*s), Some(*e)))
            .collect();
        let k = compute(&rows, &KpiOptions { rounding: csrubric::decimal::Rounding { decimals: 10, ..Default::default() }, ..KpiOptions::default() });
        let get = |id: KpiId| k.iter().find(|k| k.kpi == id).unwrap().value.unwrap();
        prop_assert!(get(KpiId::Grr) <= Decimal::ONE_HUNDRED);
        prop_assert!(get(KpiId::Grr) >= Decimal::ZERO);
        prop_assert!(get(KpiId::Grr) <= get(KpiId::Nrr));
        let start: i64 = accounts.iter().map(|a| a.0).sum();
        let end: i64 = accounts.iter().map(|a| a.1).sum();
        let nrr = (Decimal::from(end) * Decimal::ONE_HUNDRED / Decimal::from(start)).round_dp(10);
        prop_assert_eq!(get(KpiId::Nrr), nrr);
    }
}

// ---------------------------------------------------------------- business days (calendar)

fn berlin() -> csrubric::calendar::Calendar {
    csrubric::calendar::Calendar::from_path(
        &root().join("rubrics/calendars/business-hours-berlin.toml"),
    )
    .unwrap()
}

const BUSINESS_PLAYBOOK: &str = r#"
kind = "renewal"
id = "renewal/bd"
version = "1"
title = "Business days"
source = "test"
[[milestones]]
id = "plan"
label = "Plan"
offset = -90
owner = "CSM"
adjust = "previous_working_day"
[[milestones]]
id = "sign"
label = "Sign"
offset = -3
until = -1
unit = "business_days"
owner = "Sales"
"#;

#[test]
fn business_day_offsets_and_previous_working_day() {
    let p = RenewalPlaybook::from_toml_str("bd.toml", BUSINESS_PLAYBOOK).unwrap();
    assert_eq!(p.needs_calendar(), Some("plan"));
    let c = Contract::new("a", d("2026-01-01"), d("2027-01-04"));
    // Without a calendar the row fails with a clear error, it does not guess.
    let err = p.schedule(&c, d("2026-11-23")).unwrap_err();
    assert_eq!(err.code(), "renewal_no_calendar");
    let p = p.with_calendar(berlin());
    let r = p.schedule(&c, d("2026-11-23")).unwrap();
    // 90 days before Monday 2027-01-04 is Tuesday 2026-10-06: a working day, kept.
    assert_eq!(r.schedule[0].due, d("2026-10-06"));
    // 3 working days before Monday 2027-01-04, the Berlin calendar closing on the weekend,
    // on Jan 1 (New Year) and Dec 25/26: Dec 31 (1), Dec 30 (2), Dec 29 (3); 1 working day
    // before is Dec 31.
    assert_eq!(
        (r.schedule[1].due, r.schedule[1].until),
        (d("2026-12-29"), d("2026-12-31"))
    );
    // A contract ending Thursday 2027-04-01: 90 days before is Friday 2027-01-01
    // (New Year's Day, a holiday) -> Thursday 2026-12-31.
    let c = Contract::new("b", d("2026-04-02"), d("2027-04-01"));
    let r = p.schedule(&c, d("2026-11-23")).unwrap();
    assert_eq!(r.schedule[0].due, d("2026-12-31"));
}

proptest! {
    #[test]
    fn adjusted_dates_are_working_days_on_or_before(end in (0i64..700).prop_map(|n| d("2026-01-01") + chrono::TimeDelta::days(n))) {
        let cal = berlin();
        let p = RenewalPlaybook::from_toml_str("bd.toml", BUSINESS_PLAYBOOK).unwrap().with_calendar(cal.clone());
        let c = Contract::new("a", end - chrono::TimeDelta::days(365), end);
        let r = p.schedule(&c, end).unwrap();
        let raw = end - chrono::TimeDelta::days(90);
        prop_assert!(cal.is_working_day(r.schedule[0].due));
        prop_assert!(r.schedule[0].due <= raw);
        prop_assert!((raw - r.schedule[0].due).num_days() < 7);
        prop_assert!(cal.is_working_day(r.schedule[1].due));
        prop_assert!(r.schedule[1].due < end);
    }
}

// ---------------------------------------------------------------- segments and advocacy

use csrubric::journey::{touch_points, JourneyDates, JourneyMap};
use csrubric::segment::{
    AdvocacyLevel, AdvocacyProfile, AdvocacyProgram, EngagementModel, Segment, Success, Tier,
};

#[test]
fn segment_boundaries_are_explicit() {
    // Seed 002: small "1-100", mid-market "100-1000", enterprise "1000+": each shared
    // boundary belongs to the larger segment.
    let cases = [
        (1, Segment::Small),
        (99, Segment::Small),
        (100, Segment::MidMarket),
        (101, Segment::MidMarket),
        (999, Segment::MidMarket),
        (1000, Segment::Enterprise),
        (250_000, Segment::Enterprise),
    ];
    for (n, want) in cases {
        assert_eq!(Segment::for_employees(n).unwrap(), want, "{n} employees");
    }
    assert_eq!(
        Segment::for_employees(0).unwrap_err().code(),
        "segment_no_employees"
    );
}

#[test]
fn engagement_models_follow_the_80_20_rule() {
    let standard = EngagementModel::new(5000, false).unwrap();
    assert_eq!(standard.segment, Segment::Enterprise);
    assert_eq!(standard.tier, Tier::Standard);
    assert_eq!(standard.owner, "John Web / Partners");
    assert_eq!(standard.support_model, "Quarterly check-ins");
    assert_eq!(
        standard.success_manager,
        "Dedicated customer success manager"
    );
    let strategic = EngagementModel::new(40, true).unwrap();
    assert_eq!(strategic.segment, Segment::Small);
    assert_eq!(strategic.support_model, "Monthly engagement");
    assert_eq!(
        strategic.executive_sponsor,
        Some("Morten (2-3 accounts max)")
    );
    assert_eq!(strategic.onboarding, "Month 1");
}

#[test]
fn advocacy_levels_from_nps_and_success() {
    use AdvocacyLevel::*;
    use Success::*;
    let cases = [
        (7, Met, Some(Satisfied)),
        (8, Exceptional, Some(Satisfied)),
        (6, Exceptional, None),
        (9, Exceeded, Some(Happy)),
        (10, Exceeded, Some(Happy)),
        (9, Exceptional, Some(Happy)),
        (10, Exceptional, Some(Champion)),
        (10, Met, Some(Satisfied)),
        (10, NotMet, None),
        (0, NotMet, None),
    ];
    for (nps, success, want) in cases {
        assert_eq!(
            AdvocacyLevel::assess(nps, success).unwrap(),
            want,
            "{nps} {success:?}"
        );
    }
    assert!(AdvocacyLevel::assess(11, Met).is_err());
}

#[test]
fn advocacy_programs_need_both_criteria() {
    let p = AdvocacyProfile {
        measurable_success: true,
        willing_to_be_public: true,
        strong_results: true,
        deep_product_knowledge: true,
        internal_advocacy: true,
        strategic: true,
        ..Default::default()
    };
    assert_eq!(
        AdvocacyProgram::eligible(&p),
        [AdvocacyProgram::CaseStudy, AdvocacyProgram::Champion]
    );
    assert!(AdvocacyProgram::eligible(&AdvocacyProfile::default()).is_empty());
}

// ---------------------------------------------------------------- journey and cadence

#[test]
fn cradle_to_grave_stages_through_a_contract() {
    // Signed 2026-01-05, live 2026-03-30, contract ends 2027-03-29.
    let dates = JourneyDates {
        signed: Some(d("2026-01-05")),
        go_live: d("2026-03-30"),
        contract_end: Some(d("2027-03-29")),
    };
    let at = |day: &str| {
        let s = JourneyMap::CradleToGrave.stage(&dates, d(day)).unwrap();
        (s.number, s.owner)
    };
    assert_eq!(at("2025-12-01"), (1, "Sofie (Sales)"));
    assert_eq!(at("2026-01-05"), (2, "John Web / Partners"));
    assert_eq!(at("2026-03-29"), (2, "John Web / Partners"));
    assert_eq!(at("2026-03-30"), (3, "Customer Success Manager"));
    assert_eq!(at("2026-06-29"), (3, "Customer Success Manager")); // < go-live + 3 months
    assert_eq!(at("2026-06-30"), (4, "Customer Success Manager")); // month 4 begins
                                                                   // 90 days before 2027-03-29 is 2026-12-29 (28 days to Mar 1, 59 to Jan 29, 90 to
                                                                   // Dec 29): renewal wins over value realization.
    assert_eq!(at("2026-12-28"), (4, "Customer Success Manager"));
    assert_eq!(at("2026-12-29"), (6, "CSM + Sales"));
    let long = JourneyDates {
        contract_end: Some(d("2029-03-29")),
        ..dates
    };
    let s = JourneyMap::CradleToGrave
        .stage(&long, d("2027-03-30"))
        .unwrap();
    assert_eq!(
        (s.number, s.stage, s.owner),
        (5, "Growth & Expansion", "Account Team")
    );
    let s = JourneyMap::SlavkoKernel
        .stage(&long, d("2027-03-30"))
        .unwrap();
    assert_eq!((s.number, s.stage), (4, "Growth & Optimization"));
    let s = JourneyMap::SlavkoKernel
        .stage(&dates, d("2027-01-15"))
        .unwrap();
    assert_eq!((s.number, s.stage), (5, "Renewal & Advocacy"));
}

#[test]
fn implementation_overdue_after_twelve_weeks() {
    // Seed 004: implementation takes 9-12 weeks. Signed 2026-01-05: 12 weeks is 2026-03-30.
    let dates = JourneyDates {
        signed: Some(d("2026-01-05")),
        go_live: d("2026-06-01"),
        contract_end: None,
    };
    let s = JourneyMap::CradleToGrave
        .stage(&dates, d("2026-03-30"))
        .unwrap();
    assert!(!s.implementation_overdue);
    let s = JourneyMap::CradleToGrave
        .stage(&dates, d("2026-03-31"))
        .unwrap();
    assert!(s.implementation_overdue);
    let bad = JourneyDates {
        signed: Some(d("2026-07-01")),
        ..dates
    };
    assert_eq!(
        JourneyMap::CradleToGrave
            .stage(&bad, d("2026-03-31"))
            .unwrap_err()
            .code(),
        "journey_out_of_order"
    );
}

#[test]
fn standard_cadence_for_a_year() {
    // Go-live 2026-02-16: welcome call by Feb 22; adoption check Mar 16; business reviews
    // May 16, Aug 16, Nov 16, 2027-02-16; strategic planning 2027-02-16.
    let t = touch_points(Tier::Standard, d("2026-02-16"), d("2027-02-16")).unwrap();
    let got: Vec<(String, &str)> = t.iter().map(|t| (t.date.to_string(), t.kind)).collect();
    let want = [
        ("2026-02-22", "welcome_call"),
        ("2026-03-16", "adoption_check"),
        ("2026-05-16", "business_review"),
        ("2026-08-16", "business_review"),
        ("2026-11-16", "business_review"),
        ("2027-02-16", "business_review"),
        ("2027-02-16", "strategic_planning"),
    ];
    let want: Vec<(String, &str)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
    assert_eq!(got, want);
}

proptest! {
    #[test]
    fn touch_points_are_sorted_and_within_the_horizon(
        go in any_date(), days in 0i64..1500, strategic in any::<bool>()
    ) {
        let tier = if strategic { Tier::Strategic } else { Tier::Standard };
        let until = go + chrono::TimeDelta::days(days);
        let plan = touch_points(tier, go, until).unwrap();
        for w in plan.windows(2) {
            prop_assert!(w[0].date <= w[1].date);
        }
        for t in &plan {
            prop_assert!(t.date > go && t.date <= until, "{:?}", t);
        }
        // One annual/quarterly touch point per period that has fully passed.
        let quarterly = plan.iter().filter(|t| t.kind == "business_review" || t.kind == "executive_briefing").count();
        let mut expected = 0;
        while go.checked_add_months(chrono::Months::new(3 * (expected + 1))).is_some_and(|d| d <= until) {
            expected += 1;
        }
        prop_assert_eq!(quarterly, expected as usize);
    }

    #[test]
    fn every_employee_count_has_one_segment(n in 1u64..10_000_000) {
        let s = Segment::for_employees(n).unwrap();
        let want = if n < 100 { Segment::Small } else if n < 1000 { Segment::MidMarket } else { Segment::Enterprise };
        prop_assert_eq!(s, want);
    }

    #[test]
    fn survey_kpis_stay_on_their_scales(
        answers in prop::collection::vec((1u8..=5, 1u8..=7), 1..50)
    ) {
        let rows: Vec<KpiInput> = answers.iter().enumerate()
            .map(|(i, (c, e))| KpiInput { csat: Some(*c), ces: Some(*e), ..KpiInput::new(i.to_string()) })
            .collect();
        let k = compute(&rows, &KpiOptions::default());
        let get = |id: KpiId| k.iter().find(|k| k.kpi == id).unwrap().value.unwrap();
        prop_assert!(get(KpiId::CsatMean) >= Decimal::ONE && get(KpiId::CsatMean) <= Decimal::from(5));
        prop_assert!(get(KpiId::CesMean) >= Decimal::ONE && get(KpiId::CesMean) <= Decimal::from(7));
        for id in [KpiId::CsatShare, KpiId::CesShare] {
            prop_assert!(get(id) >= Decimal::ZERO && get(id) <= Decimal::ONE_HUNDRED);
        }
    }
}

proptest! {
    #[test]
    fn auto_renewing_calendar_years_renew_to_the_current_year_end(
        year in 2000i32..2080, today in any_date()
    ) {
        let p = playbook("slavkokernel.toml");
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        let mut c = Contract::new("y", start, end);
        c.auto_renew = true;
        let r = p.schedule(&c, today).unwrap();
        if today <= end {
            prop_assert_eq!((r.renewal_date, r.term), (end, 1));
        } else {
            use chrono::Datelike;
            let want = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap();
            prop_assert_eq!(r.renewal_date, want);
            prop_assert_eq!(r.term, u32::try_from(today.year() - year + 1).unwrap());
            prop_assert!(r.days_to_renewal >= 0);
        }
    }
}

// ---------------------------------------------------------------- one entry point (api)

use csrubric::api::lifecycle::{journey, JourneyRequest};
use csrubric::api::{parse_options, AnyRubric};
use serde_json::{json, Value};

fn load_any(path: &str) -> AnyRubric {
    AnyRubric::from_path(&root().join("rubrics").join(path)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn renewals_through_the_api_date_the_seed_milestones() {
    let p = load_any("renewal/slavkokernel.toml");
    assert_eq!(p.ops(), ["renewals", "test"]);
    let rows = json!([
        {"id": "bad", "start": "2026-01-01", "end": "2026-13-01"},
        {"id": "northwind", "start": "2026-07-01", "end": "2027-06-30", "notice_days": 60},
        {"id": "stark", "start": "2026-02-01", "end": "2027-01-31", "completed": "renewal_planning"},
    ]);
    let out = p
        .run_json("renewals", &rows, &json!({"today": "2026-11-23"}))
        .unwrap();
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 3, "no row is dropped");
    // Sorted by the next due milestone. stark ends 2027-01-31; its next milestone is the
    // renewal negotiation, 60 days before: 31 days back is 2026-12-31, 29 more 2026-12-02.
    assert_eq!(out[0]["id"], "stark");
    assert_eq!(out[0]["next_due"], "2026-12-02");
    // northwind: 180 days before 2027-06-30 is 2027-01-01 (seed 001: "180 days
    // pre-renewal"); 60 days' notice: 2027-05-01; 7 + 31 + 31 + 28 + 31 + 30 + 31 + 30 =
    // 219 days to the renewal.
    assert_eq!(out[1]["id"], "northwind");
    assert_eq!(out[1]["next_milestone"], "renewal_planning");
    assert_eq!(out[1]["next_due"], "2027-01-01");
    assert_eq!(out[1]["notice_deadline"], "2027-05-01");
    assert_eq!(out[1]["days_to_renewal"], 219);
    // The failed row stays in the answer (after the dated ones), in the uniform shape.
    assert_eq!(out[2]["id"], "bad");
    assert_eq!(out[2]["row"], 1);
    assert_eq!(out[2]["status"], "error");
    assert_eq!(out[2]["error"]["code"], "renewal_bad_value");
    assert!(out[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("`2026-13-01` is not a date"));
}

#[test]
fn renewal_options_are_checked_by_name() {
    let p = load_any("renewal/slavkokernel.toml");
    let rows = json!([{"id": "a", "start": "2026-01-01", "end": "2026-12-31"}]);
    let err = p
        .run_json("renewals", &rows, &json!({"today": "2026-02-30"}))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_options");
    assert_eq!(
        err.to_string(),
        "`renewals` options: `today`: `2026-02-30` is not a date (expected YYYY-MM-DD, such as 2026-11-23)"
    );
    let err = p
        .run_json("renewals", &rows, &json!({"todya": "2026-11-23"}))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_options");
    assert!(err.to_string().contains("unknown field `todya`"), "{err}");
    let err = p
        .run_json(
            "renewals",
            &rows,
            &json!({"calendar": "no/such/calendar.toml"}),
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no/such/calendar.toml: cannot read"),
        "{err}"
    );
}

#[test]
fn a_playbook_on_working_days_needs_the_calendar_option() {
    // Seed 001's playbook with every date moved back to a working day (`adjust` is a
    // top-level key: it goes before the first milestone table).
    let text = std::fs::read_to_string(root().join("rubrics/renewal/slavkokernel.toml"))
        .unwrap()
        .replacen(
            "\n[[milestones]]",
            "\nadjust = \"previous_working_day\"\n[[milestones]]",
            1,
        );
    let p = AnyRubric::load(
        "adjusted.toml",
        &text,
        csrubric::rubric::Format::Toml,
        &csrubric::rubric::read_from_disk,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let rows = json!([{"id": "n", "start": "2026-07-01", "end": "2027-06-30"}]);
    let err = p
        .run_json("renewals", &rows, &json!({"today": "2026-11-23"}))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_options");
    assert!(err.to_string().contains("`calendar`"), "{err}");
    let calendar = root().join("rubrics/calendars/business-hours-berlin.toml");
    let out = p
        .run_json(
            "renewals",
            &rows,
            &json!({"today": "2026-11-23", "calendar": calendar}),
        )
        .unwrap();
    // 180 days before 2027-06-30 is Friday 2027-01-01, New Year's Day in the Berlin
    // calendar: moved back to Thursday 2026-12-31.
    assert_eq!(out[0]["next_due"], "2026-12-31");
}

/// The example portfolio of the README's KPI section (examples/kpi/accounts.csv), as JSON.
fn kpi_accounts() -> Value {
    json!([
        {"id": "acme", "mrr_start": 10000, "mrr_end": 12500, "nps": 10, "csat": 5, "ces": 6, "health": 88, "value_realized": "yes"},
        {"id": "northwind", "mrr_start": 8000, "mrr_end": 8000, "nps": 9, "csat": 5, "ces": 5, "health": 82, "value_realized": "yes"},
        {"id": "globex", "mrr_start": 5000, "mrr_end": 4500, "nps": 7, "csat": 4, "ces": 4, "health": 71, "value_realized": "yes"},
        {"id": "initech", "mrr_start": 3000, "mrr_end": 0, "churned": "yes", "nps": 3, "csat": 2, "ces": 2, "health": 41, "value_realized": "no"},
        {"id": "umbrella", "mrr_start": 2000, "mrr_end": 2600, "nps": 9, "csat": 4, "ces": 6, "health": 79, "value_realized": "yes"},
        {"id": "hooli", "mrr_end": 1500, "nps": 8, "csat": 4, "ces": 5, "health": 65, "time_to_first_value_days": 28},
        {"id": "stark", "mrr_end": 2500, "nps": 10, "csat": 5, "ces": 7, "health": 90, "time_to_first_value_days": 35},
    ])
}

#[test]
fn kpi_through_the_api_matches_the_hand_calculation() {
    let k = load_any("kpi/slavkokernel.toml");
    let mut rows = kpi_accounts();
    rows.as_array_mut()
        .unwrap()
        .push(json!({"id": "oops", "nps": 11}));
    let out = k.run_json("kpi", &rows, &Value::Null).unwrap();
    let kpi = |name: &str| {
        out["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kpi"] == name)
            .unwrap()
            .clone()
    };
    // start 28000, end 12500 + 8000 + 4500 + 0 + 2600 = 27600: NRR 98.571..% -> 98.57;
    // GRR (28000 - 500 - 3000) / 28000 = 87.50; NPS 4 promoters - 1 detractor of 7 = 42.86.
    assert_eq!(kpi("nrr")["value"], "98.57");
    assert_eq!(kpi("nrr")["target"]["status"], "missed"); // > 110
    assert_eq!(kpi("grr")["value"], "87.50");
    assert_eq!(kpi("nps")["value"], "42.86");
    assert_eq!(out["rows"], 7);
    // The NPS of 11 is left out of every KPI and listed as a failed row.
    assert_eq!(
        out["rejected"],
        json!([{"id": "oops", "row": 8, "status": "error", "error": {
            "code": "kpi_bad_value", "message": "row 8 (account `oops`): `nps`: `11` is outside 0-10"}}])
    );
    assert_eq!(out["rubric"]["id"], "kpi/slavkokernel");
    let err = k
        .run_json("kpi", &rows, &json!({"rounding": 3}))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_options");
}

#[test]
fn journey_through_the_api_places_the_readme_accounts() {
    let rows = csrubric::api::rows_from_json(
        "<input>",
        &json!([
            {"id": "acme", "signed": "2025-10-01", "go_live": "2026-01-12", "contract_end": "2027-01-11",
             "employees": 2400, "strategic": "yes", "nps": 10, "success": "exceptional"},
            {"id": "northwind", "signed": "2026-06-01", "go_live": "2026-09-07", "contract_end": "2027-09-06",
             "employees": 450, "strategic": "no", "nps": 9, "success": "exceeded"},
            {"id": "nolive", "employees": 10},
        ]),
    )
    .unwrap();
    let request: JourneyRequest =
        parse_options("journey", &json!({"today": "2026-11-23"})).unwrap();
    let out = serde_json::to_value(journey(&rows, &request)).unwrap();
    // acme: 90 days before 2027-01-11 is 2026-10-13, so on 2026-11-23 it is in stage 6;
    // strategic accounts have monthly success reviews from go-live (the 12th): next Dec 12.
    assert_eq!(out[0]["stage"]["number"], 6);
    assert_eq!(out[0]["stage"]["stage"], "Renewal or Transition");
    assert_eq!(out[0]["engagement"]["segment"], "enterprise");
    assert_eq!(out[0]["tier"], "strategic");
    assert_eq!(out[0]["advocacy"], "champion");
    assert_eq!(out[0]["next_touch_point"]["kind"], "success_review");
    assert_eq!(out[0]["next_touch_point"]["date"], "2026-12-12");
    // northwind went live 2026-09-07: adoption runs three months, to 2026-12-07, which is
    // also its first quarterly business review.
    assert_eq!(out[1]["stage"]["stage"], "Adoption");
    assert_eq!(out[1]["engagement"]["segment"], "mid_market");
    assert_eq!(out[1]["advocacy"], "happy");
    assert_eq!(out[1]["next_touch_point"]["date"], "2026-12-07");
    // A row without go-live fails in its place.
    assert_eq!(
        out[2],
        json!({"id": "nolive", "row": 3, "status": "error", "error": {
            "code": "invalid_input", "message": "row 3 (account `nolive`): missing `go_live`"}})
    );
    // Seed 001's map, by the CLI's name: acme is in phase 5.
    let request: JourneyRequest = parse_options(
        "journey",
        &json!({"today": "2026-11-23", "map": "slavkokernel"}),
    )
    .unwrap();
    let out = journey(&rows, &request);
    assert_eq!(out[0].ok().unwrap().stage.number, 5);
    for bad in [json!({"today": "23.11.2026"}), json!({"map": "seed-004"})] {
        let err = parse_options::<JourneyRequest>("journey", &bad).unwrap_err();
        assert_eq!(err.code(), "invalid_options", "{bad}");
    }
}
