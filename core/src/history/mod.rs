//! Score history, trends and alerts; shadow comparison of two rubric versions; backtests
//! against churn outcomes.
//!
//! * [`score_history`] scores one account's dated snapshots (rows with a `date` cell,
//!   `YYYY-MM-DD`): out-of-order snapshots are sorted, duplicate dates are rejected with an
//!   error naming both rows, a missing input may carry its last known value forward for
//!   [`HistoryOptions::carry_forward_days`] days, and every date gets its result, its
//!   [`Trend`] over the window and the [`Alert`]s that fire on it: the seed's usage drop,
//!   sentiment decline, success risk and executive change (seed 001 "Proactive Monitoring &
//!   Alerts", with its protocol, owner and SLA) and the rubric's own `[[scripts.alerts]]`.
//! * [`shadow`] scores a portfolio under the current and a candidate rubric and lists every
//!   account whose band changes, with both results (and so both ledgers).
//! * [`replay`] recomputes a portfolio's dated history (or [`replay_history`] one
//!   account's) under the current and a candidate rubric and reports, per account and per
//!   date, where the band changes, with both history points (results, trends, alerts).
//! * [`backtest`] reports how well a rubric separates churned from retained accounts: ROC
//!   AUC computed exactly from pair counts, and the churn rate per band.
//!
//! # Example
//! ```
//! use csrubric::health::HealthRubric;
//! use csrubric::history::{read_snapshots, score_history, HistoryOptions};
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
//! let rubric = HealthRubric::from_path(path.as_ref())?;
//! let rows = read_snapshots("h.csv", "id,date,product_adoption,business_outcomes\n\
//!     acme,2026-03-15,60,70\n\
//!     acme,2026-03-01,80,70\n", "csv")?;
//! let rows: Vec<_> = rows.into_iter().collect::<Result<_, _>>()?;
//! let h = score_history(&rubric, &rows, &HistoryOptions::default())?;
//! assert_eq!(h.points[0].date.to_string(), "2026-03-01"); // sorted
//! // (80*25 + 70*25)/50 = 75 -> (60*25 + 70*25)/50 = 65: a 10-point drop
//! assert_eq!(h.points[1].trend.as_ref().unwrap().delta.to_string(), "-10.00");
//! // usage (product_adoption) fell (60 - 80)/80 = -25% in two weeks
//! assert_eq!(h.points[1].alerts[0].id, "usage_drop");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::answer::ErrorInfo;
use crate::health::{HealthError, HealthResult, HealthRubric, ScoreOptions};
use crate::input::{InputError, Record, RowRef, Value};

/// Errors building a history, a shadow comparison or a backtest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// A snapshot has no `date` cell, or it is not `YYYY-MM-DD`.
    #[error("account `{account}`, row {row}: {message}")]
    BadDate {
        /// The account.
        account: String,
        /// 1-based row.
        row: usize,
        /// What is wrong.
        message: String,
    },
    /// Two snapshots of one account share a date.
    #[error(
        "account `{account}`: two snapshots dated {date} (rows {first} and {second}); keep one"
    )]
    DuplicateDate {
        /// The account.
        account: String,
        /// The date.
        date: NaiveDate,
        /// Row of the first.
        first: usize,
        /// Row of the second.
        second: usize,
    },
    /// A history needs at least one snapshot.
    #[error("no snapshots")]
    Empty,
    /// A backtest needs churned and retained accounts with scores.
    #[error("backtest: {0}")]
    Backtest(String),
}

impl HistoryError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            HistoryError::BadDate { .. } => "bad_date",
            HistoryError::DuplicateDate { .. } => "duplicate_date",
            HistoryError::Empty => "empty_history",
            HistoryError::Backtest(_) => "backtest_undefined",
        }
    }
}

/// Which signals the built-in alerts watch, and their thresholds. Each signal names a
/// component (its counted score) or else an input column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryOptions {
    /// Days a missing input may take its last known value (0: never). The rubric's own
    /// missing policy applies to what is still missing.
    pub carry_forward_days: i64,
    /// Trend window in days (default 14).
    pub trend_window_days: i64,
    /// Usage signal (default `product_adoption`, seed 001's usage component).
    pub usage: String,
    /// Usage drop threshold in percent over the window (default 20, seed 001).
    pub usage_drop_pct: Decimal,
    /// Sentiment signal (default `relationship_health`).
    pub sentiment: String,
    /// Success signal (default `business_outcomes`).
    pub success: String,
    /// Success risk below this value (default 50: csrubric's default, the seed says only
    /// "off-track on key success metrics").
    pub success_floor: Decimal,
    /// Column naming the executive sponsor; a change between snapshots, or a true
    /// `exec_sponsor_left` cell, is an executive change (default `exec_sponsor`).
    pub executive: String,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            carry_forward_days: 0,
            trend_window_days: 14,
            usage: "product_adoption".into(),
            usage_drop_pct: Decimal::from(20),
            sentiment: "relationship_health".into(),
            success: "business_outcomes".into(),
            success_floor: Decimal::from(50),
            executive: "exec_sponsor".into(),
        }
    }
}

/// Direction of a trend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The score rose.
    Up,
    /// The score fell.
    Down,
    /// Unchanged.
    Flat,
}

/// The change of the score over the trend window: from the last snapshot at least
/// `window` days before this one (or the first snapshot, when none is that old).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trend {
    /// The earlier date compared against.
    pub from: NaiveDate,
    /// Its score.
    pub from_score: Decimal,
    /// This snapshot's score.
    pub to_score: Decimal,
    /// `to_score - from_score`.
    pub delta: Decimal,
    /// Up, down or flat.
    pub direction: Direction,
}

/// An alert that fired on a date, with the seed's response protocol, owner and SLA.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// `usage_drop`, `sentiment_decline`, `success_risk`, `executive_change`, or a custom
    /// alert's id.
    pub id: String,
    /// Why it fired.
    pub message: String,
    /// Response protocol.
    pub protocol: String,
    /// Who responds.
    pub owner: String,
    /// How fast.
    pub sla: String,
    /// For a custom alert (`[[scripts.alerts]]`): what its script returned and printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<crate::script::ScriptTrace>,
}

/// One date of an account's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryPoint {
    /// The snapshot's date.
    pub date: NaiveDate,
    /// 1-based row of the snapshot.
    pub row: usize,
    /// Its score, or why it could not be scored.
    #[serde(serialize_with = "crate::answer::result_or_error")]
    pub result: Result<HealthResult, ErrorInfo>,
    /// Inputs carried forward: column and the date of the value used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<(String, NaiveDate)>,
    /// The trend over the window (absent for the first scored date).
    pub trend: Option<Trend>,
    /// Alerts that fire on this date.
    pub alerts: Vec<Alert>,
}

/// An account's scored history, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountHistory {
    /// The account.
    pub id: String,
    /// One point per snapshot, in date order.
    pub points: Vec<HistoryPoint>,
}

fn seed_alert(id: &str, message: String) -> Alert {
    // Seed 001, "Proactive Monitoring & Alerts".
    let (protocol, owner, sla) = match id {
        "usage_drop" => ("Usage analysis, customer outreach", "CSM", "1 business day"),
        "sentiment_decline" => ("Relationship review, action plan", "CSM", "2 business days"),
        "success_risk" => (
            "Success plan review, corrective actions",
            "CSM",
            "3 business days",
        ),
        _ => (
            "Relationship rebuilding plan",
            "CSM + Manager",
            "5 business days",
        ),
    };
    Alert {
        id: id.to_string(),
        message,
        protocol: protocol.into(),
        owner: owner.into(),
        sla: sla.into(),
        script: None,
    }
}

fn date_of(r: &Record) -> Result<NaiveDate, HistoryError> {
    let bad = |message: String| HistoryError::BadDate {
        account: r.id.clone(),
        row: r.row,
        message,
    };
    let text = match r.values.get("date") {
        Some(Value::Text(t)) => t.clone(),
        Some(other) => return Err(bad(format!("`date` must be YYYY-MM-DD, not {other:?}"))),
        None => return Err(bad("a snapshot needs a `date` (YYYY-MM-DD)".into())),
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| bad(format!("`date` = `{text}` is not a date (YYYY-MM-DD)")))
}

/// A signal's value: the component's counted score, or else the input cell.
/// `days` before `date`; the earliest date when that is out of chrono's range (a huge
/// `trend_window_days` would make `date - Duration::days(n)` panic).
fn window_start(date: NaiveDate, days: i64) -> NaiveDate {
    chrono::TimeDelta::try_days(days)
        .and_then(|w| date.checked_sub_signed(w))
        .unwrap_or(NaiveDate::MIN)
}

fn signal(result: Option<&HealthResult>, record: &Record, name: &str) -> Option<Decimal> {
    result
        .and_then(|r| r.components.iter().find(|c| c.id.as_ref() == name))
        .and_then(|c| c.score)
        .or_else(|| record.number(name).and_then(Result::ok))
}

/// Scores one account's snapshots (rows with a `date` cell), sorted by date. See the
/// module example.
///
/// # Errors
/// [`HistoryError`] for a missing or malformed date, two snapshots on one date, or no
/// snapshots. Scoring errors of single dates are kept in their point.
pub fn score_history(
    rubric: &HealthRubric,
    snapshots: &[Record],
    options: &HistoryOptions,
) -> Result<AccountHistory, HistoryError> {
    let first = snapshots.first().ok_or(HistoryError::Empty)?;
    let mut dated = Vec::with_capacity(snapshots.len());
    for s in snapshots {
        dated.push((date_of(s)?, s));
    }
    dated.sort_by_key(|(d, s)| (*d, s.row));
    for w in dated.windows(2) {
        if let [(d1, a), (d2, b)] = w {
            if d1 == d2 {
                return Err(HistoryError::DuplicateDate {
                    account: a.id.clone(),
                    date: *d1,
                    first: a.row,
                    second: b.row,
                });
            }
        }
    }
    let columns: Vec<String> = rubric
        .input_columns()
        .into_iter()
        .map(str::to_string)
        .collect();
    let score_options = ScoreOptions {
        as_of: None,
        what_it_takes: false,
    };
    let compiled = rubric.compiled();
    let mut points: Vec<HistoryPoint> = Vec::with_capacity(dated.len());
    let mut filled: Vec<Record> = Vec::with_capacity(dated.len());
    let mut script_history = rhai::Array::new();
    for (i, (date, snap)) in dated.iter().enumerate() {
        // Carry forward missing inputs from the latest earlier snapshot that had them.
        let mut record = (*snap).clone();
        let mut carried = Vec::new();
        if options.carry_forward_days > 0 {
            for col in &columns {
                if record.values.contains_key(col) {
                    continue;
                }
                let found = dated
                    .iter()
                    .take(i)
                    .rev()
                    .take_while(|(d, _)| (*date - *d).num_days() <= options.carry_forward_days)
                    .find_map(|(d, s)| s.values.get(col).map(|v| (*d, v.clone())));
                if let Some((d, v)) = found {
                    record.values.insert(col.clone(), v);
                    carried.push((col.clone(), d));
                }
            }
        }
        let as_of = date
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc());
        let result = rubric.score_batch(
            std::slice::from_ref(&record),
            &ScoreOptions {
                as_of,
                ..score_options.clone()
            },
        );
        let result = match result.into_iter().next() {
            Some(r) => r,
            None => continue,
        };
        let trend = result.as_ref().ok().and_then(|r| {
            let to = r.score?;
            let window_start = window_start(*date, options.trend_window_days);
            let scored = points
                .iter()
                .filter_map(|p| Some((p.date, p.result.as_ref().ok()?.score?)));
            let base = scored
                .clone()
                .rev()
                .find(|(d, _)| *d <= window_start)
                .or_else(|| scored.clone().next())?;
            let delta = to - base.1;
            Some(Trend {
                from: base.0,
                from_score: base.1,
                to_score: to,
                delta,
                direction: match delta.cmp(&Decimal::ZERO) {
                    std::cmp::Ordering::Greater => Direction::Up,
                    std::cmp::Ordering::Less => Direction::Down,
                    std::cmp::Ordering::Equal => Direction::Flat,
                },
            })
        });
        let mut alerts = Vec::new();
        let current = result.as_ref().ok();
        let prev_index = i.checked_sub(1);
        let prev = prev_index.and_then(|j| Some((points.get(j)?, filled.get(j)?)));
        // Usage drop: the value at the latest snapshot at least `window` days earlier.
        let window_start = window_start(*date, options.trend_window_days);
        let base = points
            .iter()
            .zip(&filled)
            .rev()
            .find(|(p, _)| p.date <= window_start);
        if let (Some(now), Some((bp, br))) = (signal(current, &record, &options.usage), base) {
            if let Some(then) = signal(bp.result.as_ref().ok(), br, &options.usage) {
                // Raw usage cells are unbounded: a change too large for a decimal is no drop.
                let pct = now
                    .checked_sub(then)
                    .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
                    .and_then(|d| d.checked_div(then))
                    .filter(|_| then > Decimal::ZERO);
                if let Some(pct) = pct {
                    if pct <= -options.usage_drop_pct {
                        alerts.push(seed_alert(
                            "usage_drop",
                            format!(
                                "`{}` fell from {then} ({}) to {now}: {}%",
                                options.usage,
                                bp.date,
                                pct.round_dp(2).normalize()
                            ),
                        ));
                    }
                }
            }
        }
        if let Some((pp, pr)) = prev {
            let before = signal(pp.result.as_ref().ok(), pr, &options.sentiment);
            let now = signal(current, &record, &options.sentiment);
            if let (Some(b), Some(n)) = (before, now) {
                if n < b {
                    alerts.push(seed_alert(
                        "sentiment_decline",
                        format!("`{}` fell from {b} ({}) to {n}", options.sentiment, pp.date),
                    ));
                }
            }
        }
        if let Some(s) = signal(current, &record, &options.success) {
            if s < options.success_floor {
                alerts.push(seed_alert(
                    "success_risk",
                    format!(
                        "`{}` is {s}, below {}",
                        options.success, options.success_floor
                    ),
                ));
            }
        }
        let sponsor_now = record.text(&options.executive);
        let sponsor_before = prev.and_then(|(_, r)| r.text(&options.executive));
        let left = matches!(
            record.values.get("exec_sponsor_left"),
            Some(Value::Bool(true))
        ) || record
            .text("exec_sponsor_left")
            .is_some_and(|t| matches!(t.trim().to_ascii_lowercase().as_str(), "true" | "yes"));
        match (&sponsor_before, &sponsor_now) {
            (Some(b), Some(n)) if b != n => alerts.push(seed_alert(
                "executive_change",
                format!("executive sponsor changed from `{b}` to `{n}`"),
            )),
            _ if left => alerts.push(seed_alert(
                "executive_change",
                "executive sponsor left".into(),
            )),
            _ => {}
        }
        if let Ok(r) = &result {
            for (spec, script) in crate::health::alert_hooks(compiled) {
                match crate::health::run_alert(script, &record, r, &script_history) {
                    Ok((Some(message), trace)) => alerts.push(Alert {
                        id: spec.id.clone(),
                        message,
                        protocol: spec.protocol.clone(),
                        owner: spec.owner.clone(),
                        sla: spec.sla.clone(),
                        script: Some(trace),
                    }),
                    Ok((None, _)) => {}
                    Err(e) => alerts.push(Alert {
                        id: spec.id.clone(),
                        message: format!("alert script failed: {e}"),
                        protocol: spec.protocol.clone(),
                        owner: spec.owner.clone(),
                        sla: spec.sla.clone(),
                        script: None,
                    }),
                }
            }
        }
        let mut entry = rhai::Map::new();
        entry.insert("date".into(), rhai::Dynamic::from(date.to_string()));
        entry.insert(
            "score".into(),
            crate::script::opt_decimal(current.and_then(|r| r.score)),
        );
        entry.insert(
            "band".into(),
            current
                .and_then(|r| r.band.as_ref())
                .map_or(rhai::Dynamic::UNIT, |b| {
                    rhai::Dynamic::from(b.label.clone())
                }),
        );
        entry.insert(
            "inputs".into(),
            rhai::Dynamic::from_map(crate::script::inputs_map(&record)),
        );
        script_history.push(rhai::Dynamic::from_map(entry));
        points.push(HistoryPoint {
            date: *date,
            row: snap.row,
            result: result.as_ref().map_err(ErrorInfo::from).cloned(),
            carried,
            trend,
            alerts,
        });
        filled.push(record);
    }
    Ok(AccountHistory {
        id: first.id.clone(),
        points,
    })
}

/// Reads dated snapshots from CSV or JSON text (`format` is `csv` or `json`): like
/// [`crate::input::read_csv`] / [`crate::input::read_json`], but an account id may repeat,
/// once per date. One entry per row; a bad row does not stop the others.
///
/// # Errors
/// [`InputError::File`] when the file as a whole is unusable.
///
/// # Example
/// ```
/// use csrubric::history::read_snapshots;
/// let rows = read_snapshots("h.csv", "id,date,usage\na,2026-03-01,80\na,2026-03-15,64\n", "csv")?;
/// assert_eq!(rows.len(), 2);
/// assert_eq!(rows[1].as_ref().unwrap().row, 2);
/// # Ok::<(), csrubric::input::InputError>(())
/// ```
pub fn read_snapshots(
    file: &str,
    text: &str,
    format: &str,
) -> Result<Vec<Result<Record, InputError>>, InputError> {
    if format == "json" {
        // Strict like `read_json` (a repeated key is a row error), ids may repeat.
        return crate::input::read_json_rows(file, text, false);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| InputError::File {
            file: file.into(),
            message: format!("cannot read the header row: {e}"),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    crate::input::check_header_names(file, &headers)?;
    if !headers.iter().any(|h| h == "id") {
        return Err(InputError::File {
            file: file.into(),
            message: "no `id` column in the header row".into(),
        });
    }
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let at = RowRef {
            row: i + 1,
            line: None,
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(InputError::Row {
                    file: file.into(),
                    at,
                    message: e.to_string(),
                }));
                continue;
            }
        };
        let mut record = Record::new("");
        record.row = i + 1;
        for (h, cell) in headers.iter().zip(rec.iter()) {
            if h == "id" {
                record.id = cell.trim().to_string();
            } else if let Some(v) = Value::from_cell(cell) {
                record.values.insert(h.clone(), v);
            }
        }
        if record.id.is_empty() {
            out.push(Err(InputError::Row {
                file: file.into(),
                at,
                message: "empty `id`".into(),
            }));
        } else {
            out.push(Ok(record));
        }
    }
    Ok(out)
}

/// Groups rows by account id (first-seen order) and scores each account's history; an
/// account whose snapshots are unusable gets its error, the others are still scored.
///
/// # Example
/// ```
/// use csrubric::health::HealthRubric;
/// use csrubric::history::{read_snapshots, score_portfolio_history, HistoryOptions};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
/// let rubric = HealthRubric::from_path(path.as_ref())?;
/// let rows: Vec<_> = read_snapshots("h.csv", "id,date,product_adoption\n\
///     a,2026-03-01,80\nb,2026-03-01,70\nb,2026-03-01,71\n", "csv")?
///     .into_iter().collect::<Result<_, _>>()?;
/// let out = score_portfolio_history(&rubric, &rows, &HistoryOptions::default());
/// assert_eq!(out[0].1.as_ref().unwrap().points.len(), 1);
/// assert_eq!(out[1].1.as_ref().unwrap_err().code(), "duplicate_date");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn score_portfolio_history(
    rubric: &HealthRubric,
    rows: &[Record],
    options: &HistoryOptions,
) -> Vec<(String, Result<AccountHistory, HistoryError>)> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for r in rows {
        if !groups.contains_key(&r.id) {
            order.push(r.id.clone());
        }
        groups.entry(r.id.clone()).or_default().push(r.clone());
    }
    order
        .into_iter()
        .map(|id| {
            let snaps = groups.remove(&id).unwrap_or_default();
            let h = score_history(rubric, &snaps, options);
            (id, h)
        })
        .collect()
}

/// One account under two rubric versions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShadowRow {
    /// The account.
    pub id: String,
    /// Band under the current rubric.
    pub current_band: Option<String>,
    /// Band under the candidate.
    pub candidate_band: Option<String>,
    /// Whether the band that counts differs (an error on one side counts as a change).
    pub band_changed: bool,
    /// The full current result (its ledger), or its error.
    #[serde(serialize_with = "crate::answer::result_or_error")]
    pub current: Result<HealthResult, ErrorInfo>,
    /// The full candidate result, or its error.
    #[serde(serialize_with = "crate::answer::result_or_error")]
    pub candidate: Result<HealthResult, ErrorInfo>,
}

/// Scores `accounts` under the current and the candidate rubric; one row per account, in
/// order. Filter on `band_changed` for the accounts a rollout would move.
///
/// # Example
/// ```
/// use csrubric::health::{HealthRubric, ScoreOptions};
/// use csrubric::history::shadow;
/// use csrubric::input::Record;
/// use rust_decimal::Decimal;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
/// let text = std::fs::read_to_string(path)?;
/// let current = HealthRubric::from_toml_str("v1.toml", &text)?;
/// let candidate = HealthRubric::from_toml_str("v2.toml", &text.replace("min = 85\n", "min = 80\n"))?;
/// let accounts = vec![Record::new("a").with("product_adoption", Decimal::from(82))];
/// let rows = shadow(&current, &candidate, &accounts, &ScoreOptions::default());
/// assert!(rows[0].band_changed); // Good under v1, Excellent under v2
/// assert_eq!(rows[0].candidate_band.as_deref(), Some("Excellent"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn shadow(
    current: &HealthRubric,
    candidate: &HealthRubric,
    accounts: &[Record],
    options: &ScoreOptions,
) -> Vec<ShadowRow> {
    let a = current.score_batch(accounts, options);
    let b = candidate.score_batch(accounts, options);
    accounts
        .iter()
        .zip(a.into_iter().zip(b))
        .map(|(acct, (x, y))| {
            let band = |r: &Result<HealthResult, HealthError>| {
                r.as_ref()
                    .ok()
                    .and_then(|r| r.band.as_ref().map(|b| b.label.clone()))
            };
            let (cb, nb) = (band(&x), band(&y));
            let changed = cb != nb || x.is_ok() != y.is_ok();
            ShadowRow {
                id: acct.id.clone(),
                current_band: cb,
                candidate_band: nb,
                band_changed: changed,
                current: x.as_ref().map_err(ErrorInfo::from).cloned(),
                candidate: y.as_ref().map_err(ErrorInfo::from).cloned(),
            }
        })
        .collect()
}

/// One date of an account's history under the current and the candidate rubric.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplayPoint {
    /// The snapshot's date.
    pub date: NaiveDate,
    /// 1-based row of the snapshot.
    pub row: usize,
    /// Score under the current rubric.
    pub current_score: Option<Decimal>,
    /// Band (the one that counts) under the current rubric.
    pub current_band: Option<String>,
    /// Score under the candidate.
    pub candidate_score: Option<Decimal>,
    /// Band under the candidate.
    pub candidate_band: Option<String>,
    /// Whether the band differs (an error on one side only counts as a change).
    pub band_changed: bool,
    /// The full point under the current rubric: result (its ledger), trend, alerts.
    pub current: HistoryPoint,
    /// The full point under the candidate.
    pub candidate: HistoryPoint,
}

/// One account's history replayed under two rubric versions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplayAccount {
    /// The account.
    pub id: String,
    /// One point per snapshot date, oldest first (empty when `error` is set).
    pub points: Vec<ReplayPoint>,
    /// How many of its dates change band.
    pub changed: usize,
    /// Why the account's snapshots could not be replayed (a bad or duplicate date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
}

/// A portfolio's history replayed under two rubric versions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Replay {
    /// The current rubric.
    pub current: crate::rubric::Stamp,
    /// The candidate rubric.
    pub candidate: crate::rubric::Stamp,
    /// Accounts in first-seen order.
    pub accounts: Vec<ReplayAccount>,
    /// Dated scores compared (points of accounts without an error).
    pub points: usize,
    /// Of which change band.
    pub changed: usize,
    /// Accounts with at least one date that changes band.
    pub accounts_changed: usize,
}

impl From<&HistoryError> for ErrorInfo {
    fn from(e: &HistoryError) -> Self {
        ErrorInfo {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

fn score_and_band(p: &HistoryPoint) -> (Option<Decimal>, Option<String>) {
    match &p.result {
        Ok(r) => (r.score, r.band.as_ref().map(|b| b.label.clone())),
        Err(_) => (None, None),
    }
}

/// Replays one account's dated snapshots under the `current` and the `candidate` rubric:
/// one [`ReplayPoint`] per date with both history points, and whether the band changes.
///
/// # Errors
/// As [`score_history`]: a missing or malformed date, two snapshots on one date, or none.
///
/// # Example
/// ```
/// use csrubric::health::HealthRubric;
/// use csrubric::history::{read_snapshots, replay_history, HistoryOptions};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
/// let text = std::fs::read_to_string(path)?;
/// let current = HealthRubric::from_toml_str("v1.toml", &text)?;
/// // the candidate moves the Excellent edge from 85 down to 80
/// let candidate = HealthRubric::from_toml_str("v2.toml", &text.replace("min = 85\n", "min = 80\n"))?;
/// let rows: Vec<_> = read_snapshots("h.csv", "id,date,product_adoption\n\
///     acme,2026-03-01,90\nacme,2026-03-15,82\n", "csv")?
///     .into_iter().collect::<Result<_, _>>()?;
/// let r = replay_history(&current, &candidate, &rows, &HistoryOptions::default())?;
/// assert!(!r.points[0].band_changed); // 90: Excellent under both
/// assert!(r.points[1].band_changed); // 82: Good under v1, Excellent under v2
/// assert_eq!(r.points[1].candidate_band.as_deref(), Some("Excellent"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn replay_history(
    current: &HealthRubric,
    candidate: &HealthRubric,
    snapshots: &[Record],
    options: &HistoryOptions,
) -> Result<ReplayAccount, HistoryError> {
    let a = score_history(current, snapshots, options)?;
    let b = score_history(candidate, snapshots, options)?;
    let mut theirs: BTreeMap<NaiveDate, HistoryPoint> =
        b.points.into_iter().map(|p| (p.date, p)).collect();
    let mut points = Vec::with_capacity(a.points.len());
    for mine in a.points {
        // Both histories hold the same dates (sorting and date checks do not depend on
        // the rubric); a date missing on one side would be a change.
        let Some(other) = theirs.remove(&mine.date) else {
            continue;
        };
        let (cs, cb) = score_and_band(&mine);
        let (ns, nb) = score_and_band(&other);
        let band_changed = cb != nb || mine.result.is_ok() != other.result.is_ok();
        points.push(ReplayPoint {
            date: mine.date,
            row: mine.row,
            current_score: cs,
            current_band: cb,
            candidate_score: ns,
            candidate_band: nb,
            band_changed,
            current: mine,
            candidate: other,
        });
    }
    Ok(ReplayAccount {
        id: a.id,
        changed: points.iter().filter(|p| p.band_changed).count(),
        points,
        error: None,
    })
}

/// Replays a portfolio's dated snapshots (rows of many accounts, grouped by id in
/// first-seen order) under the `current` and the `candidate` rubric. An account whose
/// snapshots are unusable carries its error; the others are replayed.
///
/// # Example
/// ```
/// use csrubric::health::HealthRubric;
/// use csrubric::history::{read_snapshots, replay, HistoryOptions};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
/// let text = std::fs::read_to_string(path)?;
/// let current = HealthRubric::from_toml_str("v1.toml", &text)?;
/// let candidate = HealthRubric::from_toml_str("v2.toml", &text.replace("min = 85\n", "min = 80\n"))?;
/// let rows: Vec<_> = read_snapshots("h.csv", "id,date,product_adoption\n\
///     a,2026-03-01,82\nb,2026-03-01,60\nc,2026-03-01,1\nc,2026-03-01,2\n", "csv")?
///     .into_iter().collect::<Result<_, _>>()?;
/// let r = replay(&current, &candidate, &rows, &HistoryOptions::default());
/// assert_eq!((r.points, r.changed, r.accounts_changed), (2, 1, 1)); // only `a` moves
/// assert_eq!(r.accounts[2].error.as_ref().unwrap().code, "duplicate_date");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn replay(
    current: &HealthRubric,
    candidate: &HealthRubric,
    rows: &[Record],
    options: &HistoryOptions,
) -> Replay {
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for r in rows {
        if !groups.contains_key(&r.id) {
            order.push(r.id.clone());
        }
        groups.entry(r.id.clone()).or_default().push(r.clone());
    }
    let accounts: Vec<ReplayAccount> = order
        .into_iter()
        .map(|id| {
            let snaps = groups.remove(&id).unwrap_or_default();
            replay_history(current, candidate, &snaps, options).unwrap_or_else(|e| ReplayAccount {
                id,
                points: Vec::new(),
                changed: 0,
                error: Some(ErrorInfo::from(&e)),
            })
        })
        .collect();
    Replay {
        current: current.stamp().clone(),
        candidate: candidate.stamp().clone(),
        points: accounts.iter().map(|a| a.points.len()).sum(),
        changed: accounts.iter().map(|a| a.changed).sum(),
        accounts_changed: accounts.iter().filter(|a| a.changed > 0).count(),
        accounts,
    }
}

/// Churn per band in a backtest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BandChurn {
    /// Band label.
    pub band: String,
    /// Accounts in the band.
    pub accounts: usize,
    /// Of which churned.
    pub churned: usize,
    /// `churned / accounts` as a percentage (absent for an empty band).
    pub churn_rate_pct: Option<Decimal>,
}

/// How well a rubric's scores separate churned from retained accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Backtest {
    /// Probability that a retained account scores above a churned one (ties count half),
    /// computed exactly: `(wins + ties/2) / (retained × churned)`. 0.5 is chance, 1 perfect.
    pub auc: Decimal,
    /// Retained-over-churned pairs won, tied (for audit).
    pub pairs_won: u64,
    /// Pairs tied.
    pub pairs_tied: u64,
    /// Total pairs.
    pub pairs: u64,
    /// Churn per band, top band first.
    pub bands: Vec<BandChurn>,
    /// Accounts used.
    pub scored: usize,
    /// Accounts skipped (not scored, or no outcome): id and why.
    pub skipped: Vec<(String, String)>,
}

/// Backtests a rubric: `outcomes` maps account id to churned (`true`) or retained.
///
/// # Errors
/// [`HistoryError::Backtest`] when there is no churned or no retained scored account.
///
/// # Example
/// ```
/// use std::collections::{BTreeMap, HashSet};
/// use csrubric::health::{HealthRubric, ScoreOptions};
/// use csrubric::history::backtest;
/// use csrubric::input::Record;
/// use rust_decimal::Decimal;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
/// let rubric = HealthRubric::from_path(path.as_ref())?;
/// let acct = |id: &str, s: i64| Record::new(id).with("product_adoption", Decimal::from(s));
/// let accounts = vec![acct("a", 90), acct("b", 60), acct("c", 30)];
/// let outcomes = BTreeMap::from([("a".to_string(), false), ("b".to_string(), true), ("c".to_string(), true)]);
/// let bt = backtest(&rubric, &accounts, &outcomes, &ScoreOptions::default())?;
/// assert_eq!(bt.auc.to_string(), "1"); // the retained account outscores both churned ones
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn backtest(
    rubric: &HealthRubric,
    accounts: &[Record],
    outcomes: &BTreeMap<String, bool>,
    options: &ScoreOptions,
) -> Result<Backtest, HistoryError> {
    let results = rubric.score_batch(accounts, options);
    let mut churned = Vec::new();
    let mut retained = Vec::new();
    let mut skipped = Vec::new();
    let mut per_band: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (a, r) in accounts.iter().zip(&results) {
        let Some(&did_churn) = outcomes.get(&a.id) else {
            skipped.push((a.id.clone(), "no churn outcome".into()));
            continue;
        };
        let (score, band) = match r {
            Ok(r) => match (r.score, r.band.as_ref()) {
                (Some(s), Some(b)) => (s, b.label.clone()),
                _ => {
                    skipped.push((a.id.clone(), "insufficient data".into()));
                    continue;
                }
            },
            Err(e) => {
                skipped.push((a.id.clone(), format!("{}: {e}", e.code())));
                continue;
            }
        };
        let e = per_band.entry(band).or_default();
        e.0 += 1;
        if did_churn {
            e.1 += 1;
            churned.push(score);
        } else {
            retained.push(score);
        }
    }
    if churned.is_empty() || retained.is_empty() {
        return Err(HistoryError::Backtest(format!(
            "needs both churned and retained scored accounts (churned {}, retained {})",
            churned.len(),
            retained.len()
        )));
    }
    retained.sort();
    let (mut won, mut tied) = (0u64, 0u64);
    for c in &churned {
        let below_or_eq = retained.partition_point(|r| r <= c);
        let below = retained.partition_point(|r| r < c);
        won += (retained.len() - below_or_eq) as u64;
        tied += (below_or_eq - below) as u64;
    }
    let pairs = (retained.len() * churned.len()) as u64;
    let auc = (Decimal::from(won * 2 + tied) / Decimal::from(pairs * 2)).normalize();
    let bands = rubric
        .bands()
        .map(|b| {
            let (n, c) = per_band.get(&b.label).copied().unwrap_or((0, 0));
            BandChurn {
                band: b.label.clone(),
                accounts: n,
                churned: c,
                churn_rate_pct: (n > 0).then(|| {
                    (Decimal::from(c as u64) * Decimal::ONE_HUNDRED / Decimal::from(n as u64))
                        .round_dp(2)
                        .normalize()
                }),
            }
        })
        .collect();
    Ok(Backtest {
        auc,
        pairs_won: won,
        pairs_tied: tied,
        pairs,
        bands,
        scored: churned.len() + retained.len(),
        skipped,
    })
}
