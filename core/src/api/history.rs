//! Score histories (`history`), backtests (`backtest`) and shadow comparisons ([`shadow`]):
//! a health rubric over dated snapshots, against churn outcomes, or against a candidate
//! version of itself.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::answer::{ErrorInfo, Row, RowFailure};
use crate::health::{HealthResult, HealthRubric, ScoreOptions, Status};
use crate::history::{
    score_portfolio_history, Alert, Backtest, HistoryOptions, HistoryPoint, ShadowRow, Trend,
};
use crate::input::{Record, Rows};

/// Options of the `history` operation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryRequest {
    /// Days a missing input may take its last known value (0: never).
    pub carry_forward_days: i64,
    /// Trend window in days.
    pub window_days: i64,
    /// Add each date's whole result (ledger) as `result`.
    pub explain: bool,
}

impl Default for HistoryRequest {
    fn default() -> Self {
        let d = HistoryOptions::default();
        HistoryRequest {
            carry_forward_days: d.carry_forward_days,
            window_days: d.trend_window_days,
            explain: false,
        }
    }
}

/// One date of one account's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// The account.
    pub id: String,
    /// 1-based input row of the snapshot.
    pub row: usize,
    /// The snapshot's date.
    pub date: NaiveDate,
    /// `scored`, `insufficient_data` or `error` (this date could not be scored).
    pub status: &'static str,
    /// The rounded score.
    pub score: Option<Decimal>,
    /// The band that counts.
    pub band: Option<String>,
    /// The trend over the window (absent for the first scored date).
    pub trend: Option<Trend>,
    /// Alerts that fire on this date.
    pub alerts: Vec<Alert>,
    /// Inputs carried forward: column and the date of the value used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<(String, NaiveDate)>,
    /// Why this date could not be scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
    /// The whole result, with `explain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Box<HealthResult>>,
}

impl HistoryEntry {
    fn new(id: &str, p: &HistoryPoint, explain: bool) -> HistoryEntry {
        let (status, score, band, error, result) = match &p.result {
            Ok(r) => (
                match r.status {
                    Status::Scored => "scored",
                    Status::InsufficientData => "insufficient_data",
                },
                r.score,
                r.band.as_ref().map(|b| b.label.clone()),
                None,
                explain.then(|| Box::new(r.clone())),
            ),
            Err(e) => (
                "error",
                None,
                None,
                Some(ErrorInfo {
                    code: e.code.clone(),
                    message: e.message.clone(),
                }),
                None,
            ),
        };
        HistoryEntry {
            id: id.to_string(),
            row: p.row,
            date: p.date,
            status,
            score,
            band,
            trend: p.trend.clone(),
            alerts: p.alerts.clone(),
            carried: p.carried.clone(),
            error,
            result,
        }
    }
}

/// Scores each account's dated snapshots (rows with an `id` and a `date`, an id repeating
/// once per date): the `history` operation. The answer has one entry per snapshot, grouped
/// by account in first-seen order and sorted by date, each with its score, band, trend and
/// alerts; a date that cannot be scored is an entry with status `error`. An account whose
/// snapshots are unusable (a bad or repeated date) and a row without an id are failed rows.
///
/// # Example
/// ```
/// use csrubric::api::history::{history, HistoryRequest};
/// use csrubric::health::HealthRubric;
/// use csrubric::history::read_snapshots;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
/// let rubric = HealthRubric::from_path(path.as_ref())?;
/// let rows = read_snapshots("h.csv", "id,date,product_adoption\n\
///     a,2026-03-15,64\na,2026-03-01,80\nb,2026-03-01,70\nb,2026-03-01,71\n", "csv")?;
/// let answer = history(&rubric, &rows, &HistoryRequest::default());
/// let a: Vec<_> = answer.iter().filter_map(|r| r.ok()).collect();
/// assert_eq!((a[0].date.to_string(), a[1].date.to_string()), ("2026-03-01".into(), "2026-03-15".into()));
/// // product_adoption alone counts (renormalized): 80 -> 64 is a 20% drop in two weeks.
/// assert_eq!(a[1].alerts[0].id, "usage_drop");
/// assert_eq!(answer[2].failure().unwrap().error.code, "duplicate_date");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn history(
    rubric: &HealthRubric,
    rows: &Rows,
    request: &HistoryRequest,
) -> Vec<Row<HistoryEntry>> {
    let options = HistoryOptions {
        carry_forward_days: request.carry_forward_days,
        trend_window_days: request.window_days,
        ..HistoryOptions::default()
    };
    let mut out = Vec::new();
    let mut records: Vec<Record> = Vec::with_capacity(rows.len());
    let mut first_row: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        match row {
            Ok(r) => {
                first_row.entry(r.id.as_str()).or_insert(r.row);
                records.push(r.clone());
            }
            Err(e) => out.push(Row::Failed(RowFailure::from_input(e))),
        }
    }
    for (id, h) in score_portfolio_history(rubric, &records, &options) {
        match h {
            Ok(h) => out.extend(
                h.points
                    .iter()
                    .map(|p| Row::Ok(HistoryEntry::new(&id, p, request.explain))),
            ),
            Err(e) => out.push(Row::Failed(RowFailure::new(
                Some(id.clone()),
                first_row.get(id.as_str()).copied().unwrap_or(0),
                e.code(),
                e.to_string(),
            ))),
        }
    }
    out
}

/// Options of the `backtest` operation (none yet).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BacktestRequest {}

/// A backtest, with the rows that could not be used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BacktestAnswer {
    /// AUC, churn per band, accounts used and skipped.
    #[serde(flatten)]
    pub backtest: Backtest,
    /// Input rows that failed (no id, a `churned` cell that is not true/false...).
    pub failed: Vec<RowFailure>,
}

/// How well a health rubric separates churned from retained accounts: the `backtest`
/// operation. Each row is an account with a `churned` cell (`true`/`false`, `yes`/`no`,
/// `1`/`0`).
///
/// # Errors
/// [`ApiError::Failed`] (code `backtest`) when no churned or no retained account scores.
///
/// # Example
/// ```
/// use csrubric::api::history::{backtest, BacktestRequest};
/// use csrubric::health::HealthRubric;
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
/// let rubric = HealthRubric::from_path(path.as_ref())?;
/// let rows = read_csv("c.csv", "id,product_adoption,churned\na,90,no\nb,60,yes\nc,30,yes\nd,50,maybe\n")?;
/// let answer = backtest(&rubric, &rows, &BacktestRequest::default())?;
/// // The one retained account outscores both churned ones: AUC 1.
/// assert_eq!(answer.backtest.auc.to_string(), "1");
/// assert_eq!(answer.failed[0].row, 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn backtest(
    rubric: &HealthRubric,
    rows: &Rows,
    _request: &BacktestRequest,
) -> Result<BacktestAnswer, ApiError> {
    let mut failed = Vec::new();
    let mut accounts = Vec::new();
    let mut outcomes = BTreeMap::new();
    for row in rows {
        let a = match row {
            Ok(a) => a,
            Err(e) => {
                failed.push(RowFailure::from_input(e));
                continue;
            }
        };
        if let Some(cell) = a.text("churned") {
            match cell.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" => {
                    outcomes.insert(a.id.clone(), true);
                }
                "false" | "no" | "n" | "0" => {
                    outcomes.insert(a.id.clone(), false);
                }
                other => {
                    failed.push(RowFailure::new(
                        Some(a.id.clone()),
                        a.row,
                        "invalid_input",
                        format!(
                            "row {} (`{}`): `churned` = `{other}` is not true/false",
                            a.row, a.id
                        ),
                    ));
                    continue;
                }
            }
        }
        accounts.push(a.clone());
    }
    let bt = crate::history::backtest(rubric, &accounts, &outcomes, &ScoreOptions::default())
        .map_err(|e| ApiError::failed(e.code(), e))?;
    Ok(BacktestAnswer {
        backtest: bt,
        failed,
    })
}

/// Scores `rows` under the current and a candidate version of a health rubric: one
/// [`ShadowRow`] per account (both bands, both results, whether the band changed), so a
/// team can see every account a rubric change moves before rolling it out. Rows the reader
/// rejected are failed rows.
///
/// # Example
/// ```
/// use csrubric::api::history::shadow;
/// use csrubric::health::HealthRubric;
/// use csrubric::input::read_csv;
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health");
/// let current = HealthRubric::from_path(format!("{dir}/slavkokernel.toml").as_ref())?;
/// let candidate = HealthRubric::from_path(format!("{dir}/kinos-health.toml").as_ref())?;
/// let rows = read_csv("a.csv", "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential,baa_signed\n\
///     a,90,90,90,90,90,false\n")?;
/// let answer = shadow(&current, &candidate, &rows);
/// // 90 everywhere is Excellent; kinos-health caps an account without a signed BAA at At Risk.
/// let a = answer[0].ok().unwrap();
/// assert_eq!((a.current_band.as_deref(), a.candidate_band.as_deref()), (Some("Excellent"), Some("At Risk")));
/// assert!(a.band_changed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn shadow(
    current: &HealthRubric,
    candidate: &HealthRubric,
    rows: &Rows,
) -> Vec<Row<ShadowRow>> {
    let accounts: Vec<Record> = rows.iter().flatten().cloned().collect();
    let mut compared =
        crate::history::shadow(current, candidate, &accounts, &ScoreOptions::default()).into_iter();
    rows.iter()
        .filter_map(|row| match row {
            Err(e) => Some(Row::Failed(RowFailure::from_input(e))),
            Ok(_) => compared.next().map(Row::Ok),
        })
        .collect()
}
