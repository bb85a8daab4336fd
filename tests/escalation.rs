//! Escalation matrices and SLA clocks: worked examples from seed 001/004, computed by hand
//! in the comments, against the shipped rubric files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use csrubric::calendar::Calendar;
use csrubric::escalation::{
    AlertRules, ClockState, EscalationMatrix, EventKind, SlaPolicy, SlaResult, Ticket,
};
use csrubric::input::read_csv;
use proptest::prelude::*;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

fn policy() -> SlaPolicy {
    SlaPolicy::from_path(&repo("rubrics/escalation/slavkokernel-sla.toml")).unwrap()
}

fn matrix(name: &str) -> EscalationMatrix {
    EscalationMatrix::from_path(&repo(&format!("rubrics/escalation/{name}"))).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn due(s: &SlaResult, target: &str) -> DateTime<Utc> {
    s.target(target).unwrap().due.unwrap().with_timezone(&Utc)
}

fn facts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---- worked examples, one per tier ----------------------------------------------------

#[test]
fn standard_p1_friday_afternoon_runs_into_monday() {
    // Standard: business hours Mon-Fri 09-17 Berlin. P1: 4h response, 4h resolution,
    // immediate notification. Opened Friday 27 Nov 15:00: 2h Friday + 2h Monday.
    let p = policy();
    let ticket = Ticket::new("s1", "standard", "P1", t("2026-11-27T15:00:00+01:00"));
    let s = p.evaluate(&ticket, t("2026-11-28T12:00:00+01:00")).unwrap();
    assert_eq!(due(&s, "first_response"), t("2026-11-30T11:00:00+01:00"));
    assert_eq!(due(&s, "resolution"), t("2026-11-30T11:00:00+01:00"));
    assert_eq!(
        due(&s, "management_notification"),
        t("2026-11-27T15:00:00+01:00")
    );
    let fr = s.target("first_response").unwrap();
    assert_eq!(fr.state, ClockState::Running);
    // Saturday noon: 2 business hours used, 2 left.
    assert_eq!(fr.remaining_seconds, Some(2 * 3600));
    assert!(s.breached.is_empty());
    assert_eq!(s.level.as_ref().unwrap().level, "Level 1");
}

#[test]
fn premium_p2_on_saturday_uses_extended_hours() {
    // Premium: extended hours Mon-Fri 07-21, Sat 09-17. P2: 4h response, 8h resolution.
    // Opened Saturday 28 Nov 16:00: 1h Saturday, Sunday closed, Monday from 07:00.
    let p = policy();
    let ticket = Ticket::new("p1", "premium", "P2", t("2026-11-28T16:00:00+01:00"));
    let s = p.evaluate(&ticket, t("2026-11-28T16:30:00+01:00")).unwrap();
    assert_eq!(due(&s, "first_response"), t("2026-11-30T10:00:00+01:00"));
    assert_eq!(due(&s, "resolution"), t("2026-11-30T14:00:00+01:00"));
    // Management notification after 4h: same as the first response.
    assert_eq!(
        due(&s, "management_notification"),
        t("2026-11-30T10:00:00+01:00")
    );
}

#[test]
fn enterprise_p2_over_year_end_is_wall_clock() {
    // Enterprise: 24/7/365. P2: 2h response, 8h resolution.
    let p = policy();
    let ticket = Ticket::new("e1", "enterprise", "P2", t("2026-12-31T23:00:00Z"));
    let s = p.evaluate(&ticket, t("2027-01-01T02:00:00Z")).unwrap();
    assert_eq!(due(&s, "first_response"), t("2027-01-01T01:00:00Z"));
    assert_eq!(due(&s, "resolution"), t("2027-01-01T07:00:00Z"));
    assert_eq!(s.breached, vec!["first_response"]);
    assert_eq!(
        s.target("first_response").unwrap().breached_at,
        Some(t("2027-01-01T01:00:00Z").fixed_offset())
    );
    // A breach puts the ticket at Management (1h from the breach).
    let level = s.level.as_ref().unwrap();
    assert_eq!(
        (level.level.as_str(), level.owner.as_str()),
        ("Management", "Support Manager")
    );
    assert_eq!(level.deadline, Some(t("2027-01-01T02:00:00Z")));
}

#[test]
fn white_glove_p1_across_the_berlin_dst_night() {
    // White Glove: 24/7. P1: 15m response, 4h resolution. 01:50 CET on 29 March 2026 is
    // 00:50 UTC; the clocks jump at 01:00 UTC, which a 24/7 calendar does not notice.
    let p = policy();
    let ticket = Ticket::new("w1", "white_glove", "P1", t("2026-03-29T01:50:00+01:00"));
    let s = p.evaluate(&ticket, t("2026-03-29T00:55:00Z")).unwrap();
    assert_eq!(due(&s, "first_response"), t("2026-03-29T01:05:00Z"));
    assert_eq!(due(&s, "resolution"), t("2026-03-29T04:50:00Z"));
    assert_eq!(
        s.target("first_response").unwrap().remaining.as_deref(),
        Some("10m")
    );
}

#[test]
fn standard_p3_business_days_skip_a_holiday_friday_and_monday() {
    // Resolution P3 = 3 business days. Opened Wednesday 1 April 2026 10:00 CEST; Good
    // Friday (3 Apr) and Easter Monday (6 Apr) are holidays: Thu 2 (1), Tue 7 (2), Wed 8
    // (3) -> Wednesday 8 April 10:00. First response 24 business hours: 7h Wed + 8h Thu +
    // 8h Tue + 1h Wed = 24h -> also Wednesday 8 April 10:00.
    let p = policy();
    let ticket = Ticket::new("s3", "standard", "P3", t("2026-04-01T10:00:00+02:00"));
    let s = p.evaluate(&ticket, t("2026-04-02T10:00:00+02:00")).unwrap();
    assert_eq!(due(&s, "resolution"), t("2026-04-08T10:00:00+02:00"));
    assert_eq!(due(&s, "first_response"), t("2026-04-08T10:00:00+02:00"));
    // P3 management notification: 24 business hours, the same instant.
    assert_eq!(
        due(&s, "management_notification"),
        t("2026-04-08T10:00:00+02:00")
    );
}

// ---- the event log --------------------------------------------------------------------

#[test]
fn pending_customer_pauses_resolution_but_not_first_response() {
    // Standard P2 opened Monday 23 Nov 09:00; pending customer 10:00-14:00 (4 business
    // hours). First response: 8h -> Monday 17:00. Resolution: 8h + 4h paused -> Tuesday 13:00.
    let p = policy();
    let ticket = Ticket::new("x", "standard", "P2", t("2026-11-23T09:00:00+01:00"))
        .with_event(
            t("2026-11-23T10:00:00+01:00"),
            EventKind::Status {
                status: "pending_customer".into(),
            },
        )
        .with_event(
            t("2026-11-23T14:00:00+01:00"),
            EventKind::Status {
                status: "open".into(),
            },
        );
    let s = p.evaluate(&ticket, t("2026-11-23T16:00:00+01:00")).unwrap();
    assert_eq!(due(&s, "first_response"), t("2026-11-23T17:00:00+01:00"));
    assert_eq!(due(&s, "resolution"), t("2026-11-24T13:00:00+01:00"));
    // Elapsed resolution time at 16:00: 09-10 and 14-16 = 3h.
    assert_eq!(s.target("resolution").unwrap().elapsed, "3h");
    // While still pending (asked at 12:00), the resolution clock is paused with 7h left.
    let s = p.evaluate(&ticket, t("2026-11-23T12:00:00+01:00")).unwrap();
    let r = s.target("resolution").unwrap();
    assert_eq!(r.state, ClockState::Paused);
    assert_eq!(r.remaining_seconds, Some(7 * 3600));
    assert_eq!(r.due, None);
}

#[test]
fn priority_change_retargets_from_the_original_start() {
    // Standard P4 opened Monday 09:00 (48h response); raised to P1 at 12:00: the P1 target
    // (4h) counts from 09:00, so the response was due at 13:00, breached by 14:00.
    let p = policy();
    let ticket = Ticket::new("x", "standard", "P4", t("2026-11-23T09:00:00+01:00")).with_event(
        t("2026-11-23T12:00:00+01:00"),
        EventKind::Priority {
            priority: "P1".into(),
        },
    );
    let s = p.evaluate(&ticket, t("2026-11-23T14:00:00+01:00")).unwrap();
    assert_eq!(s.priority, "P1");
    assert_eq!(due(&s, "first_response"), t("2026-11-23T13:00:00+01:00"));
    assert_eq!(s.breached, vec!["first_response", "resolution"]);
    // Before the change (asked at 11:00) it is still a P4 with a 48h target.
    let s = p.evaluate(&ticket, t("2026-11-23T11:00:00+01:00")).unwrap();
    assert_eq!(s.priority, "P4");
    assert_eq!(due(&s, "first_response"), t("2026-11-30T17:00:00+01:00"));
}

#[test]
fn late_reply_is_met_but_breached_and_later_events_are_ignored() {
    // Enterprise P1: 30m. Opened 10:00Z, replied 10:45Z: breached at 10:30Z.
    let p = policy();
    let ticket = Ticket::new("x", "enterprise", "P1", t("2026-11-23T10:00:00Z"))
        .with_event(t("2026-11-23T10:45:00Z"), EventKind::Reply);
    let s = p.evaluate(&ticket, t("2026-11-23T11:00:00Z")).unwrap();
    let fr = s.target("first_response").unwrap();
    assert_eq!(fr.state, ClockState::Breached);
    assert_eq!(fr.met_at, Some(t("2026-11-23T10:45:00Z").fixed_offset()));
    assert_eq!(
        fr.breached_at,
        Some(t("2026-11-23T10:30:00Z").fixed_offset())
    );
    // Asked at 10:20, the reply has not happened yet: running, 10 minutes left.
    let s = p.evaluate(&ticket, t("2026-11-23T10:20:00Z")).unwrap();
    let fr = s.target("first_response").unwrap();
    assert_eq!(fr.state, ClockState::Running);
    assert_eq!(fr.remaining_seconds, Some(600));
}

#[test]
fn resolved_then_reopened_resumes_the_resolution_clock() {
    // Enterprise P2 (8h): 00:00-02:00 running, resolved 02:00, reopened 05:00: 6h left
    // from 05:00 -> due 11:00.
    let p = policy();
    let ticket = Ticket::new("x", "enterprise", "P2", t("2026-11-23T00:00:00Z"))
        .with_event(t("2026-11-23T02:00:00Z"), EventKind::Resolved)
        .with_event(t("2026-11-23T05:00:00Z"), EventKind::Reopened);
    let s = p.evaluate(&ticket, t("2026-11-23T06:00:00Z")).unwrap();
    assert_eq!(due(&s, "resolution"), t("2026-11-23T11:00:00Z"));
    assert_eq!(s.target("resolution").unwrap().state, ClockState::Running);
    // First response was met by the resolution at 02:00 (2h target: on time).
    assert_eq!(s.target("first_response").unwrap().state, ClockState::Met);
}

#[test]
fn bad_tickets_fail_alone_with_the_field_named() {
    let p = policy();
    let rows = read_csv(
        "t.csv",
        "id,tier,priority,opened_at\na,standard,P2,2026-11-23T09:00:00+01:00\nb,standard,P2,2026-11-23T09:00:00\nc,gold,P2,2026-11-23T09:00:00Z\nd,standard,P9,2026-11-23T09:00:00Z\n",
    )
    .unwrap();
    let tickets: Vec<_> = rows
        .iter()
        .map(|r| Ticket::from_record(r.as_ref().unwrap()))
        .collect();
    assert!(tickets[0].is_ok());
    let e = tickets[1].as_ref().unwrap_err();
    assert!(e.to_string().contains("`opened_at`"), "{e}");
    assert!(
        e.to_string().contains("naive timestamps are rejected"),
        "{e}"
    );
    let ok: Vec<Ticket> = vec![
        tickets[0].clone().unwrap(),
        tickets[2].clone().unwrap(),
        tickets[3].clone().unwrap(),
    ];
    let results = p.evaluate_batch(&ok, t("2026-11-23T10:00:00Z"));
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().code(), "unknown_value");
    assert!(results[2]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("`priority` = `P9`"));
    // An instant before the opening is refused.
    assert!(p.evaluate(&ok[0], t("2026-11-23T07:00:00Z")).is_err());
}

// ---- escalation matrices --------------------------------------------------------------

#[test]
fn support_matrix_levels_and_next_escalation() {
    let p = policy();
    // Complex technical, not breached: Level 2 (2h); the next escalation is Management at
    // the first-response deadline (Standard P3: 24 business hours from Monday 09:00 ->
    // Wednesday 17:00).
    let ticket = Ticket::new("x", "standard", "P3", t("2026-11-23T09:00:00+01:00"))
        .with_fact("category", "complex_technical");
    let s = p.evaluate(&ticket, t("2026-11-23T10:00:00+01:00")).unwrap();
    let level = s.level.as_ref().unwrap();
    assert_eq!((level.level.as_str(), level.row), ("Level 2", 5));
    assert_eq!(level.deadline, Some(t("2026-11-23T11:00:00+01:00")));
    let next = s.next_escalation.as_ref().unwrap();
    assert_eq!(
        (next.level.as_str(), next.owner.as_str()),
        ("Management", "Support Manager")
    );
    assert_eq!(next.at.with_timezone(&Utc), t("2026-11-25T17:00:00+01:00"));
    // A strategic customer's P1 goes to the VP; nothing escalates further.
    let ticket = Ticket::new("y", "enterprise", "P1", t("2026-11-23T09:00:00Z"))
        .with_fact("strategic", "true");
    let s = p.evaluate(&ticket, t("2026-11-23T09:10:00Z")).unwrap();
    assert_eq!(s.level.as_ref().unwrap().owner, "VP Customer Success");
    assert!(s.next_escalation.is_none());
}

#[test]
fn support_matrix_direct() {
    let m = matrix("slavkokernel-support.toml");
    let since = t("2026-11-23T09:00:00Z");
    let level = |f: &[(&str, &str)]| {
        m.evaluate(&facts(f), since, Some(t("2026-11-23T13:00:00Z")))
            .unwrap()
            .matches
            .into_iter()
            .next()
            .unwrap()
    };
    let l = level(&[("priority", "P2"), ("dissatisfied", "true")]);
    assert_eq!((l.level.as_str(), l.row), ("Management", 3));
    assert_eq!(l.matched, vec!["dissatisfied = true"]);
    let l = level(&[("priority", "P3"), ("category", "advanced_product")]);
    assert_eq!(
        (l.owner.as_str(), l.deadline),
        ("Product Engineering", Some(t("2026-11-23T13:00:00Z")))
    );
    // Level 1 answers "per SLA": the deadline is the SLA's.
    let l = level(&[("priority", "P4")]);
    assert_eq!(
        (l.level.as_str(), l.deadline),
        ("Level 1", Some(t("2026-11-23T13:00:00Z")))
    );
}

#[test]
fn risk_matrix_every_level() {
    let m = matrix("slavkokernel-risk.toml");
    let since = t("2026-11-23T09:00:00Z");
    let cases = [
        (&[("risk_level", "low")][..], "Level 1", "CS Manager", 24),
        (&[("risk_level", "medium")][..], "Level 1", "CS Manager", 24),
        (
            &[("risk_level", "medium"), ("playbook_failing", "true")][..],
            "Level 2",
            "CS Team Lead",
            24,
        ),
        (&[("risk_level", "high")][..], "Level 3", "CS Director", 24),
        (
            &[("risk_level", "critical")][..],
            "Level 4",
            "VP Customer Success",
            12,
        ),
        (
            &[("risk_level", "critical"), ("strategic", "true")][..],
            "Level 5",
            "CEO",
            24,
        ),
    ];
    for (f, level, owner, hours) in cases {
        let r = m.evaluate(&facts(f), since, None).unwrap();
        let l = r.level().unwrap();
        assert_eq!(
            (l.level.as_str(), l.owner.as_str()),
            (level, owner),
            "{f:?}"
        );
        assert_eq!(l.deadline, Some(since + TimeDelta::hours(hours)), "{f:?}");
    }
    // risk_level has no default: a case without it is an error naming the input.
    assert_eq!(
        m.evaluate(&facts(&[]), since, None).unwrap_err().0,
        "risk_level"
    );
}

#[test]
fn cradle_to_grave_by_category_and_segment() {
    let m = matrix("cradle-to-grave.toml");
    let since = t("2026-11-23T09:00:00Z");
    let owner = |category: &str, segment: &str| {
        let f = facts(&[("category", category), ("segment", segment)]);
        m.evaluate(&f, since, None)
            .unwrap()
            .level()
            .unwrap()
            .level
            .clone()
    };
    assert_eq!(owner("training_request", "strategic"), "Level 1");
    assert_eq!(owner("architecture_question", "standard"), "Level 2");
    assert_eq!(owner("service_level_issue", "strategic"), "Level 3");
    assert_eq!(owner("board_level_engagement", "strategic"), "Level 4");
    // Standard customers escalate only for technical issues (seed 004, 80/20 rule).
    assert_eq!(owner("contract_dispute", "standard"), "Level 1");
    assert_eq!(owner("major_service_failure", "standard"), "Level 1");
}

#[test]
fn loading_reports_unreachable_rows_with_row_numbers() {
    let text = std::fs::read_to_string(repo("rubrics/escalation/slavkokernel-risk.toml")).unwrap();
    // Move "Level 4: critical" above "Level 5: critical and strategic": row 2 (Level 5)
    // can then never be reached under first-match.
    let l5 = text.find("[[levels]]\nlevel = \"Level 5\"").unwrap();
    let l4 = text.find("[[levels]]\nlevel = \"Level 4\"").unwrap();
    let l3 = text.find("[[levels]]\nlevel = \"Level 3\"").unwrap();
    let swapped = format!(
        "{}{}{}{}",
        &text[..l5],
        &text[l4..l3],
        &text[l5..l4],
        &text[l3..]
    );
    let err = EscalationMatrix::from_toml_str("risk.toml", &swapped, None).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("levels[1]: row 2 is unreachable"), "{msg}");
    assert!(msg.contains("matched earlier by row(s) 1"), "{msg}");
    // Dropping the Level 1 row leaves low risk unhandled: a gap, reported as an error.
    let l1 = text.find("[[levels]]\nlevel = \"Level 1\"").unwrap();
    let err = EscalationMatrix::from_toml_str("risk.toml", &text[..l1], None).unwrap_err();
    assert!(
        err.to_string()
            .contains("match no row, such as: risk_level = low"),
        "{err}"
    );
}

// ---- alerts ---------------------------------------------------------------------------

#[test]
fn alert_triggers_from_seed_001() {
    let rules =
        AlertRules::from_path(&repo("rubrics/escalation/slavkokernel-alerts.toml")).unwrap();
    let rows = read_csv(
        "a.csv",
        "id,usage_change_pct_2w,technical_issue,executive_change\nexact,-20,false,false\nsmall,-19.9,false,false\ntech,0,true,yes\nbad,x,false,false\n",
    )
    .unwrap();
    let at = t("2026-11-27T16:00:00+01:00"); // Friday 16:00 Berlin
    let fired = |i: usize| rules.evaluate(rows[i].as_ref().unwrap(), at);
    // 20% drop exactly fires (">= 20%"); 19.9% does not.
    let a = fired(0).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].owner, "CSM");
    assert_eq!(a[0].due.with_timezone(&Utc), t("2026-11-30T16:00:00+01:00"));
    assert!(fired(1).unwrap().is_empty());
    // Technical issue: 4 business hours (1h Friday, 3h Monday); executive change: 5 bd.
    let a = fired(2).unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(
        (a[0].alert.as_str(), a[0].owner.as_str()),
        ("technical_issue", "CS Engineer")
    );
    assert_eq!(a[0].due.with_timezone(&Utc), t("2026-11-30T12:00:00+01:00"));
    assert_eq!(a[1].owner, "CSM + Manager");
    assert_eq!(a[1].due.with_timezone(&Utc), t("2026-12-04T16:00:00+01:00"));
    assert_eq!(fired(3).unwrap_err().0, "usage_change_pct_2w");
}

// ---- invariants -----------------------------------------------------------------------

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (1_767_225_600i64 / 60..1_830_297_600i64 / 60)
        .prop_map(|m| DateTime::from_timestamp(m * 60, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn deadlines_never_before_opening_and_hold_the_target(
        opened in instant(),
        tier in prop::sample::select(vec!["standard", "premium", "enterprise", "white_glove"]),
        priority in prop::sample::select(vec!["P1", "P2", "P3", "P4"]),
    ) {
        let p = policy();
        let s = p.evaluate(&Ticket::new("x", tier, priority, opened), opened).unwrap();
        let cal: &Calendar = p.calendar(tier).unwrap();
        let fr = due(&s, "first_response");
        let res = due(&s, "resolution");
        prop_assert!(fr >= opened && res >= opened);
        // Hour targets: the open time between opening and deadline is the target itself.
        let hours = |text: &str| text.trim_end_matches('h').parse::<i64>().ok();
        let fr_goal = &s.target("first_response").unwrap().goal;
        if let Some(h) = hours(fr_goal) {
            prop_assert_eq!(cal.working_time(opened, fr).unwrap(), TimeDelta::hours(h));
        }
        // A later instant never moves a deadline of a ticket with no events.
        let later = p.evaluate(&Ticket::new("x", tier, priority, opened), opened + TimeDelta::days(3)).unwrap();
        prop_assert_eq!(due(&later, "resolution"), res);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn a_pause_delays_resolution_by_exactly_the_open_time_paused(
        opened in instant(),
        start_after in 0i64..(60 * 24 * 4),
        length in 0i64..(60 * 24 * 4),
        tier in prop::sample::select(vec!["standard", "premium", "enterprise"]),
        priority in prop::sample::select(vec!["P1", "P2", "P3", "P4"]),
    ) {
        let p = policy();
        let cal = p.calendar(tier).unwrap().clone();
        let p1 = opened + TimeDelta::minutes(start_after);
        let p2 = p1 + TimeDelta::minutes(length);
        let plain = Ticket::new("x", tier, priority, opened);
        let paused = plain
            .clone()
            .with_event(p1, EventKind::Status { status: "pending_customer".into() })
            .with_event(p2, EventKind::Status { status: "open".into() });
        let at = p2 + TimeDelta::minutes(1);
        let due_plain = due(&p.evaluate(&plain, at).unwrap(), "resolution");
        let due_paused = due(&p.evaluate(&paused, at).unwrap(), "resolution");
        prop_assert!(due_paused >= due_plain);
        if p1 < due_plain {
            // The pause started before the deadline: it moves by the open time paused.
            let target = cal.working_time(opened, due_plain).unwrap();
            let paused_open = cal.working_time(p1, p2).unwrap();
            prop_assert_eq!(cal.working_time(opened, due_paused).unwrap(), target + paused_open);
        } else {
            prop_assert_eq!(due_paused, due_plain);
        }
    }
}
