//! Throughput of the other batch workflows, each on 100k generated rows: ranking a backlog
//! of enhancement requests (kinos), SLA state of tickets on business-hours calendars
//! (slavkokernel-sla), renewal schedules of contracts (both renewal playbooks).
//!
//! Under `cargo test` or `--test` (CI's smoke run) the batches shrink to 2k rows.

use std::hint::black_box;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use csrubric::escalation::{SlaPolicy, Ticket};
use csrubric::input::{Record, Rows, Value};
use csrubric::priority::{PriorityRubric, RankOptions};
use csrubric::renewal::RenewalPlaybook;
use csrubric_benches::{rubric_path, smoke, Lcg};
use rust_decimal::Decimal;

fn rows() -> usize {
    if smoke() {
        2_000
    } else {
        100_000
    }
}

fn backlog(n: usize) -> Vec<Record> {
    let mut rng = Lcg::new(1);
    (0..n)
        .map(|i| {
            let mut r = Record::new(format!("REQ-{i:06}"));
            r.row = i + 1;
            for c in [
                "customer_impact",
                "strategic_alignment",
                "revenue_impact",
                "implementation_effort",
                "cross_vertical_value",
            ] {
                r = r.with(c, Decimal::from(1 + rng.below(5)));
            }
            r
        })
        .collect()
}

fn tickets(n: usize) -> Vec<Ticket> {
    let mut rng = Lcg::new(2);
    let tiers = ["standard", "premium", "enterprise", "white_glove"];
    let start = Utc
        .with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
        .single()
        .unwrap_or_default();
    (0..n)
        .map(|i| {
            let opened = start + Duration::minutes(rng.below(60 * 24 * 21) as i64);
            let tier = tiers[rng.below(4) as usize];
            let priority = format!("P{}", 1 + rng.below(4));
            let mut t = Ticket::new(&format!("T-{i:06}"), tier, &priority, opened);
            if rng.below(2) == 0 {
                let reply = opened + Duration::minutes(rng.below(60 * 30) as i64);
                t = t.with_event(reply, csrubric::escalation::EventKind::Reply);
            }
            t
        })
        .collect()
}

fn contracts(n: usize) -> Rows {
    let mut rng = Lcg::new(3);
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    (0..n)
        .map(|i| {
            let start = base + Duration::days(rng.below(700) as i64);
            let end = start + Duration::days(365 * (1 + rng.below(3) as i64) - 1);
            let mut r = Record::new(format!("C-{i:06}"))
                .with_value("start", Value::Text(start.to_string()))
                .with_value("end", Value::Text(end.to_string()));
            r.row = i + 1;
            Ok(r)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let n = rows();
    let mut g = c.benchmark_group("workflows");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));

    let kinos = PriorityRubric::from_path(&rubric_path("priority/kinos.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let requests = backlog(n);
    g.bench_function(format!("prioritize_kinos_{n}"), |b| {
        b.iter(|| {
            kinos
                .rank(black_box(&requests), &RankOptions::default())
                .ranked
                .len()
        })
    });

    let sla = SlaPolicy::from_path(&rubric_path("escalation/slavkokernel-sla.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let tickets = tickets(n);
    let at = Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .unwrap_or_default();
    g.bench_function(format!("sla_slavkokernel_{n}"), |b| {
        b.iter(|| sla.evaluate_batch(black_box(&tickets), at).len())
    });

    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let rows = contracts(n);
    for name in ["slavkokernel", "cradle-to-grave"] {
        let mut playbook =
            RenewalPlaybook::from_path(&rubric_path(&format!("renewal/{name}.toml")))
                .unwrap_or_else(|e| panic!("{e}"));
        if playbook.needs_calendar().is_some() {
            let cal = csrubric::calendar::Calendar::from_path(&rubric_path(
                "calendars/business-hours-berlin.toml",
            ))
            .unwrap_or_else(|e| panic!("{e}"));
            playbook = playbook.with_calendar(cal);
        }
        g.bench_function(format!("renewals_{name}_{n}"), |b| {
            b.iter(|| playbook.pipeline(black_box(&rows), today).len())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
