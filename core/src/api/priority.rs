//! Ranking enhancement requests (`prioritize`). SKELETON.

use serde::Deserialize;

use super::ApiError;
use crate::input::Rows;
use crate::priority::PriorityRubric;

/// Options of the `prioritize` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrioritizeRequest {}

/// The `prioritize` operation.
///
/// # Errors
/// Placeholder.
pub fn prioritize(
    _rubric: &PriorityRubric,
    _rows: &Rows,
    _request: &PrioritizeRequest,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}
