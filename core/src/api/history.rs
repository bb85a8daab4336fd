//! Score histories (`history`) and backtests (`backtest`). SKELETON.

use serde::Deserialize;

use super::ApiError;
use crate::health::HealthRubric;
use crate::input::Rows;

/// Options of the `history` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRequest {}

/// Options of the `backtest` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BacktestRequest {}

/// The `history` operation.
///
/// # Errors
/// Placeholder.
pub fn history(
    _r: &HealthRubric,
    _rows: &Rows,
    _o: &HistoryRequest,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}

/// The `backtest` operation.
///
/// # Errors
/// Placeholder.
pub fn backtest(
    _r: &HealthRubric,
    _rows: &Rows,
    _o: &BacktestRequest,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}
