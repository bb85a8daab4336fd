//! Scoring rows of accounts: one [`HealthRow`] per input row, in order (a scored result,
//! or the row's failure naming it), the compact [`HealthSummary`] the CLI prints, and the
//! manual overrides given apart from the accounts.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{HealthResult, HealthRubric, Override, ScoreOptions, Status};
use crate::answer::{ErrorInfo, RowFailure};
use crate::input::{InputError, Record, Rows, Value};
use crate::rubric::Stamp;

/// Reads manual overrides given apart from the accounts: a JSON array of objects, each with
/// `account` plus the override fields; the answer maps account ids to their overrides.
///
/// # Errors
/// A message starting with the item's position (`[2]: ...`).
///
/// # Example
/// ```
/// use csrubric::health::parse_overrides;
/// let v = serde_json::json!([{"account": "acme", "band": "At Risk", "author": "kim", "reason": "sponsor left"}]);
/// assert_eq!(parse_overrides(&v)?["acme"].len(), 1);
/// let err = parse_overrides(&serde_json::json!([{"band": "x"}])).unwrap_err();
/// assert_eq!(err, "[0]: `account` (the account id) is required");
/// # Ok::<(), String>(())
/// ```
pub fn parse_overrides(
    value: &serde_json::Value,
) -> Result<HashMap<String, Vec<Override>>, String> {
    let items = value
        .as_array()
        .ok_or_else(|| ": expected a JSON array of overrides".to_string())?;
    let mut out: HashMap<String, Vec<Override>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let mut obj = item
            .as_object()
            .cloned()
            .ok_or_else(|| format!("[{i}]: expected an object"))?;
        let account = match obj.remove("account") {
            Some(serde_json::Value::String(s)) => s,
            _ => return Err(format!("[{i}]: `account` (the account id) is required")),
        };
        let list = Value::Json(serde_json::Value::Array(vec![serde_json::Value::Object(
            obj,
        )]));
        let parsed = Override::parse_list(&list).map_err(|(_, m)| format!("[{i}]: {m}"))?;
        out.entry(account).or_default().extend(parsed);
    }
    Ok(out)
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
/// use csrubric::health::{score_health_rows, HealthRubric, ScoreOptions};
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
    RowFailure::from_input(e)
}

impl From<&super::HealthError> for ErrorInfo {
    fn from(e: &super::HealthError) -> Self {
        ErrorInfo {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}
