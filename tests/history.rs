//! Score history, trends, seed alerts, custom alert scripts, shadow comparison, backtests.
//! Expected values are hand calculations written next to each assertion.

use std::collections::BTreeMap;

use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric::history::{
    backtest, read_snapshots, score_history, score_portfolio_history, shadow, Direction,
    HistoryOptions,
};
use csrubric::input::Record;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn slavko() -> HealthRubric {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rubrics/health/slavkokernel.toml");
    HealthRubric::from_path(&p).unwrap()
}

fn rows(csv: &str) -> Vec<Record> {
    read_snapshots("h.csv", csv, "csv")
        .unwrap()
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn ids(p: &csrubric::history::HistoryPoint) -> Vec<&str> {
    p.alerts.iter().map(|a| a.id.as_str()).collect()
}

#[test]
fn snapshots_are_sorted_and_duplicates_rejected() {
    let r = slavko();
    let h = score_history(
        &r,
        &rows("id,date,product_adoption\na,2026-03-15,70\na,2026-03-01,80\na,2026-03-08,75\n"),
        &HistoryOptions::default(),
    )
    .unwrap();
    let dates: Vec<String> = h.points.iter().map(|p| p.date.to_string()).collect();
    assert_eq!(dates, ["2026-03-01", "2026-03-08", "2026-03-15"]);
    assert_eq!(h.points[0].row, 2);

    let err = score_history(
        &r,
        &rows("id,date,product_adoption\na,2026-03-01,70\na,2026-03-08,71\na,2026-03-01,72\n"),
        &HistoryOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "duplicate_date");
    assert_eq!(
        err.to_string(),
        "account `a`: two snapshots dated 2026-03-01 (rows 1 and 3); keep one"
    );

    let err = score_history(
        &r,
        &rows("id,date,product_adoption\na,2026-02-30,70\n"),
        &HistoryOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "bad_date");
    assert!(
        err.to_string().contains("`2026-02-30` is not a date"),
        "{err}"
    );
}

#[test]
fn usage_drop_fires_at_twenty_percent_over_two_weeks() {
    let r = slavko();
    // 80 -> 64 over 14 days: (64 - 80)/80 = -20% -> fires
    let h = score_history(
        &r,
        &rows("id,date,product_adoption\na,2026-03-01,80\na,2026-03-15,64\n"),
        &HistoryOptions::default(),
    )
    .unwrap();
    let last = &h.points[1];
    assert_eq!(ids(last), ["usage_drop"]);
    let a = &last.alerts[0];
    // seed 001: Usage analysis, customer outreach; CSM; 1 business day
    assert_eq!(
        (a.protocol.as_str(), a.owner.as_str(), a.sla.as_str()),
        ("Usage analysis, customer outreach", "CSM", "1 business day")
    );
    assert!(a.message.contains("-20%"), "{}", a.message);
    // 80 -> 64.01: -19.9875% -> does not fire
    let h = score_history(
        &r,
        &rows("id,date,product_adoption\na,2026-03-01,80\na,2026-03-15,64.01\n"),
        &HistoryOptions::default(),
    )
    .unwrap();
    assert!(h.points[1].alerts.is_empty());
    // 80 -> 60 but only 13 days apart: no snapshot two weeks back -> does not fire
    let h = score_history(
        &r,
        &rows("id,date,product_adoption\na,2026-03-02,80\na,2026-03-15,60\n"),
        &HistoryOptions::default(),
    )
    .unwrap();
    assert!(h.points[1].alerts.is_empty());
}

#[test]
fn trend_over_the_window() {
    let r = slavko();
    let h = score_history(
        &r,
        &rows("id,date,product_adoption,business_outcomes\na,2026-03-01,80,70\na,2026-03-08,90,70\na,2026-03-15,90,90\n"),
        &HistoryOptions::default(),
    )
    .unwrap();
    assert!(h.points[0].trend.is_none());
    // 03-08 has no snapshot 14 days back: compared with the first, (80+70)/2 = 75 -> 80
    let t = h.points[1].trend.as_ref().unwrap();
    assert_eq!(
        (t.from.to_string().as_str(), t.delta),
        ("2026-03-01", d("5"))
    );
    // 03-15 vs 03-01: 75 -> (90 + 90)/2 = 90, +15, up
    let t = h.points[2].trend.as_ref().unwrap();
    assert_eq!(t.delta, d("15"));
    assert_eq!(t.direction, Direction::Up);
}

#[test]
fn sentiment_success_and_executive_alerts() {
    let r = slavko();
    let h = score_history(
        &r,
        &rows("id,date,relationship_health,business_outcomes,exec_sponsor\na,2026-03-01,80,70,Dana\na,2026-03-08,75,45,Lee\n"),
        &HistoryOptions::default(),
    )
    .unwrap();
    // relationship 80 -> 75: decline; business outcomes 45 < 50: success risk; Dana -> Lee
    assert_eq!(
        ids(&h.points[1]),
        ["sentiment_decline", "success_risk", "executive_change"]
    );
    let exec = &h.points[1].alerts[2];
    assert_eq!(
        (exec.owner.as_str(), exec.sla.as_str()),
        ("CSM + Manager", "5 business days")
    );
    assert!(ids(&h.points[0]).is_empty());
}

#[test]
fn carry_forward_fills_missing_inputs_for_the_declared_days() {
    let r = slavko();
    let csv = "id,date,product_adoption,business_outcomes\na,2026-03-01,80,60\na,2026-03-08,90,\na,2026-03-20,90,\n";
    let opts = HistoryOptions {
        carry_forward_days: 7,
        ..HistoryOptions::default()
    };
    let h = score_history(&r, &rows(csv), &opts).unwrap();
    // 03-08: business_outcomes 60 carried (7 days): (90 + 60)/2 = 75
    let p = &h.points[1];
    assert_eq!(p.carried.len(), 1);
    assert_eq!(p.carried[0].0, "business_outcomes");
    assert_eq!(p.result.as_ref().unwrap().score, Some(d("75")));
    // 03-20: 19 days after the last value: not carried, renormalized to 90
    let p = &h.points[2];
    assert!(p.carried.is_empty());
    assert_eq!(p.result.as_ref().unwrap().score, Some(d("90")));
    // without carry-forward, 03-08 is 90
    let h = score_history(&r, &rows(csv), &HistoryOptions::default()).unwrap();
    assert_eq!(h.points[1].result.as_ref().unwrap().score, Some(d("90")));
}

#[test]
fn custom_alert_scripts_see_the_history() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rubrics/health/slavkokernel.toml"),
    )
    .unwrap();
    let text = text.replacen(
        "[[components]]",
        r#"[[scripts.alerts]]
id = "three_drops"
protocol = "Account review"
owner = "CSM"
sla = "1 business day"
source = '''
let n = history.len();
if n >= 2 && history[n - 2].score > history[n - 1].score && history[n - 1].score > score {
    `score fell twice in a row to ${score}`
}
'''

[[components]]"#,
        1,
    );
    let r = HealthRubric::from_toml_str("t.toml", &text).unwrap();
    let h = score_history(
        &r,
        &rows("id,date,product_adoption\na,2026-03-01,90\na,2026-03-02,85\na,2026-03-03,80\na,2026-03-04,81\n"),
        &HistoryOptions::default(),
    )
    .unwrap();
    assert!(h.points[1].alerts.is_empty());
    assert_eq!(ids(&h.points[2]), ["three_drops"]);
    assert_eq!(
        h.points[2].alerts[0].message,
        "score fell twice in a row to 80.00"
    );
    assert!(h.points[3].alerts.is_empty());
    // the alert carries what its script returned, for the explanation
    let t = h.points[2].alerts[0].script.as_ref().unwrap();
    assert_eq!(t.returned.to_string(), "score fell twice in a row to 80.00");
    // built-in alerts have no script
    assert!(ids(&h.points[1]).is_empty());
}

#[test]
fn replay_reports_per_account_and_date_where_the_band_changes() {
    let current = slavko();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rubrics/health/slavkokernel.toml"),
    )
    .unwrap();
    // The candidate lowers Good from 70 to 65.
    let candidate =
        HealthRubric::from_toml_str("v2.toml", &text.replace("min = 70\n", "min = 65\n")).unwrap();
    let snaps = rows(
        "id,date,product_adoption\n\
         a,2026-03-15,66\na,2026-03-01,72\na,2026-03-08,64\n\
         b,2026-03-01,90\n",
    );
    let r = csrubric::history::replay(&current, &candidate, &snaps, &HistoryOptions::default());
    // a: 72 Good/Good; 64 Moderate/Moderate (64 < 65); 66 Moderate (55-69) / Good (>= 65)
    // b: 90 Excellent both
    assert_eq!((r.points, r.changed, r.accounts_changed), (4, 1, 1));
    let a = &r.accounts[0];
    assert_eq!(a.id, "a");
    let dates: Vec<String> = a.points.iter().map(|p| p.date.to_string()).collect();
    assert_eq!(dates, ["2026-03-01", "2026-03-08", "2026-03-15"]);
    let changed: Vec<bool> = a.points.iter().map(|p| p.band_changed).collect();
    assert_eq!(changed, [false, false, true]);
    let p = &a.points[2];
    assert_eq!(p.current_band.as_deref(), Some("Moderate"));
    assert_eq!(p.candidate_band.as_deref(), Some("Good"));
    assert_eq!(
        (p.current_score, p.candidate_score),
        (Some(d("66")), Some(d("66")))
    );
    // both ledgers and both trends: 66 - 72 = -6 since 2026-03-01 under each rubric
    assert_eq!(
        p.current.result.as_ref().unwrap().components[0].score,
        Some(d("66"))
    );
    assert_eq!(p.candidate.trend.as_ref().unwrap().delta, d("-6"));
    assert_eq!(r.current.version, r.candidate.version);
    assert_ne!(r.current.hash, r.candidate.hash);
    assert_eq!(r.accounts[1].changed, 0);
}

#[test]
fn portfolio_history_groups_by_account_and_keeps_errors_per_account() {
    let r = slavko();
    let out = score_portfolio_history(
        &r,
        &rows("id,date,product_adoption\nb,2026-03-01,80\na,2026-03-01,70\nb,2026-03-01,60\n"),
        &HistoryOptions::default(),
    );
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].0, "b");
    assert_eq!(out[0].1.as_ref().unwrap_err().code(), "duplicate_date");
    assert_eq!(out[1].1.as_ref().unwrap().points.len(), 1);
}

#[test]
fn shadow_lists_accounts_whose_band_changes() {
    let current = slavko();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rubrics/health/slavkokernel.toml"),
    )
    .unwrap()
    .replace("version = \"1.0.0\"", "version = \"1.1.0\"")
    .replace("min = 85\n", "min = 88\n");
    let candidate = HealthRubric::from_toml_str("cand.toml", &text).unwrap();
    let acct = |id: &str, s: i64| Record::new(id).with("product_adoption", Decimal::from(s));
    let accounts = vec![acct("a", 86), acct("b", 90), acct("c", 50)];
    let rows = shadow(&current, &candidate, &accounts, &ScoreOptions::default());
    let changed: Vec<_> = rows.iter().filter(|r| r.band_changed).collect();
    // 86: Excellent (>= 85) under 1.0.0, Good under 1.1.0 (>= 88 needed); 90 and 50 stay
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].id, "a");
    assert_eq!(changed[0].current_band.as_deref(), Some("Excellent"));
    assert_eq!(changed[0].candidate_band.as_deref(), Some("Good"));
    assert_eq!(
        changed[0].candidate.as_ref().unwrap().rubric.version,
        "1.1.0"
    );
}

#[test]
fn backtest_auc_and_churn_per_band_are_exact() {
    let r = slavko();
    let acct = |id: &str, s: i64| Record::new(id).with("product_adoption", Decimal::from(s));
    let accounts = vec![
        acct("r1", 80),
        acct("r2", 60),
        acct("r3", 60),
        acct("c1", 60),
        acct("c2", 40),
        acct("x", 99),
    ];
    let outcomes = BTreeMap::from([
        ("r1".to_string(), false),
        ("r2".to_string(), false),
        ("r3".to_string(), false),
        ("c1".to_string(), true),
        ("c2".to_string(), true),
    ]);
    let bt = backtest(&r, &accounts, &outcomes, &ScoreOptions::default()).unwrap();
    // pairs 3 x 2 = 6; c1 (60): beaten by 80, tied with 60 and 60; c2 (40): beaten by all 3
    // won 4, tied 2: AUC = (4 + 2/2) / 6 = 5/6
    assert_eq!((bt.pairs_won, bt.pairs_tied, bt.pairs), (4, 2, 6));
    assert_eq!(bt.auc, Decimal::from(5) / Decimal::from(6));
    assert_eq!(
        bt.skipped,
        vec![("x".to_string(), "no churn outcome".to_string())]
    );
    // bands: 80 Good (1, 0 churned); 60 x3 Moderate (1 churned of 3 = 33.33%); 40 At Risk (1/1)
    let by: BTreeMap<_, _> = bt.bands.iter().map(|b| (b.band.as_str(), b)).collect();
    assert_eq!(by["Good"].churn_rate_pct, Some(d("0")));
    assert_eq!((by["Moderate"].accounts, by["Moderate"].churned), (3, 1));
    assert_eq!(by["Moderate"].churn_rate_pct, Some(d("33.33")));
    assert_eq!(by["At Risk"].churn_rate_pct, Some(d("100")));
    assert_eq!(by["Excellent"].churn_rate_pct, None);

    let only_retained = BTreeMap::from([("r1".to_string(), false)]);
    let err = backtest(&r, &accounts, &only_retained, &ScoreOptions::default()).unwrap_err();
    assert_eq!(err.code(), "backtest_undefined");
}
