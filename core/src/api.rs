//! The row-level request/response shapes shared by the CLI, the Python binding and the WASM
//! binding, so every surface returns the same objects for the same input.
//!
//! A batch is a list of input rows (each read or failed, see [`crate::input::Rows`]); the
//! answer is one [`HealthRow`] per input row, in order: either a scored result or an error
//! naming the row. No row is ever dropped.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::health::{HealthResult, HealthRubric, Override, ScoreOptions, Status};
use crate::input::{InputError, Record, Rows};
use crate::rubric::Stamp;

/// The error part of a failed row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// Stable short code (`out_of_scale`, `input_row`, `invalid_override`...).
    pub code: String,
    /// The full message, naming the row and the column.
    pub message: String,
}

/// A row that could not be scored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowFailure {
    /// The account id, when the row had one.
    pub id: Option<String>,
    /// 1-based data row.
    pub row: usize,
    /// Always `"error"`.
    pub status: &'static str,
    /// What went wrong.
    pub error: ErrorInfo,
}

/// The compact answer for one scored account (what `csrubric score --format json` prints).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HealthSummary {
    /// Account id.
    pub id: String,
    /// 1-based data row.
    pub row: usize,
    /// `scored` or `insufficient_data`.
    pub status: Status,
    /// The rounded score, as a decimal string.
    pub score: Option<Decimal>,
    /// Band label.
    pub band: Option<String>,
    /// The band's action.
    pub action: Option<String>,
    /// The band's owner.
    pub owner: Option<String>,
    /// The band's urgency.
    pub urgency: Option<String>,
    /// The rubric that made it.
    pub rubric: Arc<Stamp>,
}

impl From<&HealthResult> for HealthSummary {
    fn from(r: &HealthResult) -> Self {
        let band = r.band.as_deref();
        HealthSummary {
            id: r.id.clone(),
            row: r.row,
            status: r.status,
            score: r.score,
            band: band.map(|b| b.label.clone()),
            action: band.map(|b| b.action.clone()),
            owner: band.map(|b| b.owner.clone()),
            urgency: band.map(|b| b.urgency.clone()),
            rubric: Arc::clone(&r.rubric),
        }
    }
}

/// One row of a health batch answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum HealthRow {
    /// Scored (or insufficient data), with the full result.
    Scored(Box<HealthResult>),
    /// Not scored.
    Failed(RowFailure),
}

impl HealthRow {
    /// The JSON object for this row: the compact [`HealthSummary`], or with `explain` the
    /// whole result (ledger, what-it-takes); a failure is `{id, row, status: "error", error}`.
    pub fn to_json(&self, explain: bool) -> serde_json::Value {
        let v = match self {
            HealthRow::Scored(r) if explain => serde_json::to_value(r),
            HealthRow::Scored(r) => serde_json::to_value(HealthSummary::from(r.as_ref())),
            HealthRow::Failed(f) => serde_json::to_value(f),
        };
        v.unwrap_or(serde_json::Value::Null)
    }

    /// True when the row failed.
    pub fn is_failure(&self) -> bool {
        matches!(self, HealthRow::Failed(_))
    }
}

/// Scores a batch of input rows: the overrides each record carries in its `overrides` cell,
/// plus `extra_overrides(account_id)`, are applied; failed input rows stay failed rows.
///
/// # Example
/// ```
/// use csrubric::api::{score_health_rows, HealthRow};
/// use csrubric::health::{HealthRubric, ScoreOptions};
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/ai-ecosystem.toml");
/// let rubric = HealthRubric::from_path(path.as_ref())?;
/// let rows = read_csv("a.csv", "id,usage,engagement,success,growth\na,8,8,8,8\n,1,1,1,1\nc,9,9,11,9\n")?;
/// let out = score_health_rows(&rubric, &rows, &ScoreOptions::default(), |_| Vec::new());
/// assert_eq!(out[0].to_json(false)["band"], "Green");
/// assert_eq!(out[1].to_json(false)["error"]["code"], "input_row");
/// assert_eq!(out[2].to_json(false)["error"]["code"], "out_of_scale");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn score_health_rows(
    rubric: &HealthRubric,
    rows: &Rows,
    options: &ScoreOptions,
    extra_overrides: impl Fn(&str) -> Vec<Override>,
) -> Vec<HealthRow> {
    rows.iter()
        .map(|row| match row {
            Err(e) => HealthRow::Failed(input_failure(e)),
            Ok(account) => score_one(rubric, account, options, &extra_overrides),
        })
        .collect()
}

fn score_one(
    rubric: &HealthRubric,
    account: &Record,
    options: &ScoreOptions,
    extra: &impl Fn(&str) -> Vec<Override>,
) -> HealthRow {
    let fail = |code: &str, message: String| {
        HealthRow::Failed(RowFailure {
            id: Some(account.id.clone()),
            row: account.row,
            status: "error",
            error: ErrorInfo {
                code: code.to_string(),
                message,
            },
        })
    };
    let mut list = match account.values.get("overrides") {
        Some(v) => match Override::parse_list(v) {
            Ok(l) => l,
            Err((i, m)) => {
                let at = crate::health::AccountRef {
                    id: account.id.clone(),
                    row: account.row,
                };
                return fail("invalid_override", format!("{at}: overrides[{i}]: {m}"));
            }
        },
        None => Vec::new(),
    };
    list.extend(extra(&account.id));
    match rubric.score_with_overrides(account, &list, options) {
        Ok(r) => HealthRow::Scored(Box::new(r)),
        Err(e) => fail(e.code(), e.to_string()),
    }
}

fn input_failure(e: &InputError) -> RowFailure {
    RowFailure {
        id: None,
        row: e.row().unwrap_or(0),
        status: "error",
        error: ErrorInfo {
            code: e.code().to_string(),
            message: e.to_string(),
        },
    }
}
