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
//! * [`renewal`]: renewal playbooks, dated milestone schedules and the renewal pipeline.
//! * [`kpi`]: portfolio KPIs (NRR, GRR, churn, NPS, CSAT, CES...) with seed targets.
//! * [`segment`] and [`journey`]: segments, engagement models, advocacy levels, journey
//!   stages and touch-point cadences.
//! * [`input`]: reading accounts (or any records) from CSV and JSON, row by row.
//! * [`decimal`]: how numbers are read exactly and how the final score is rounded.
//!
//! See the repository README for the rubric-file reference and worked examples.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod calendar;
pub mod decimal;
pub mod health;
pub mod input;
pub mod journey;
pub mod kpi;
pub mod renewal;
pub mod rubric;
pub mod segment;
