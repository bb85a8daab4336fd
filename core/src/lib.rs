//! # csrubric
//!
//! Customer-success scoring and rules as data: health scores, prioritization, SLA clocks,
//! renewals and portfolio KPIs, computed with exact decimal arithmetic from rubric files
//! that customer-success teams edit without touching Rust.
//!
//! * [`rubric`]: loading and validating rubric files (TOML or JSON), with errors that name
//!   the file, the rubric path (`components[2].weight`) and the line and column.
//! * [`health`]: customer health scores, bands, missing-data policies, overrides and the
//!   explanation ledger.
//! * [`calendar`]: business-hours calendars (IANA zones, weekly hours, holidays, 24/7,
//!   versions): working time and business days, correct across DST.
//! * [`escalation`]: SLA policies and ticket SLA state, escalation matrices, alert triggers.
//! * [`decision`]: decision tables over numeric ranges, dates, durations and enums, with
//!   exact static checks (overlaps, unreachable and conflicting rows, gaps with witnesses).
//! * [`priority`]: ranking enhancement requests (weighted scorecard, RICE, WSJF), classification and cross-vertical tiers.
//! * [`renewal`]: renewal playbooks, dated milestone schedules and the renewal pipeline.
//! * [`kpi`]: portfolio KPIs (NRR, GRR, churn, NPS, CSAT, CES...) with seed targets.
//! * [`segment`] and [`journey`]: segments, engagement models, advocacy levels, journey
//!   stages and touch-point cadences.
//! * [`playbook`]: dated onboarding/implementation plans, ticket triage and routing, CSM capacity,
//!   intervention playbooks.
//! * [`input`]: reading accounts (or any records) from CSV and JSON, row by row.
//! * [`columns`]: the CSV reader's `id` checks for records held column by column (Arrow).
//! * [`api`]: one entry point for every rubric kind and operation: the request/response
//!   shapes shared by the CLI and the bindings.
//! * `bundled` (feature `bundled`): the shipped rubrics embedded in the library.
//! * [`decimal`]: how numbers are read exactly and how the final score is rounded.
//! * [`limits`]: the resource budget, every bound on untrusted input declared once.
//! * [`script`]: sandboxed Rhai rule scripts at named hooks; [`selftest`]: rubric examples;
//!   [`history`]: score history, trends, alerts, shadow comparison and backtests.
//!
//! See the repository README for the rubric-file reference and worked examples.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
pub mod api;
#[cfg(feature = "bundled")]
pub mod bundled;
pub mod calendar;
pub mod columns;
pub mod decimal;
pub mod decision;
pub mod escalation;
pub mod health;
pub mod history;
pub mod input;
pub mod journey;
pub mod kpi;
#[cfg(test)]
mod layers;
pub mod limits;
pub mod playbook;
pub mod priority;
pub mod renewal;
pub mod rubric;
pub mod script;
pub mod segment;
pub mod selftest;

/// An instant in time (UTC). Inputs carry an offset; naive timestamps are rejected.
pub type Instant = chrono::DateTime<chrono::Utc>;

/// Parses an RFC 3339 instant with an offset (`2026-11-23T10:00:00Z`,
/// `2026-11-23T11:00:00+01:00`); naive timestamps are rejected, since their meaning depends
/// on a time zone nobody stated.
///
/// # Errors
/// A message naming the text and the expected form.
///
/// # Example
/// ```
/// let t = csrubric::parse_instant("2026-11-23T11:00:00+01:00")?;
/// assert_eq!(t.to_rfc3339(), "2026-11-23T10:00:00+00:00");
/// assert!(csrubric::parse_instant("2026-11-23T10:00:00").is_err());
/// # Ok::<(), String>(())
/// ```
pub fn parse_instant(s: &str) -> Result<Instant, String> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| format!("`{s}` is not an RFC 3339 instant with an offset, such as 2026-11-23T10:00:00Z ({e})"))
}

/// The repository README's Rust examples, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
