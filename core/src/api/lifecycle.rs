//! Renewals (`renewals`), portfolio KPIs (`kpi`) and journey stages ([`journey`]).
//!
//! SKELETON: being written (see the lead's notes); every function below is a placeholder
//! that fails.

use serde::Deserialize;

use super::ApiError;
use crate::input::Rows;
use crate::kpi::KpiRubric;
use crate::renewal::RenewalPlaybook;
use crate::rubric::FileReader;

/// Options of the `renewals` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalsRequest {}

/// Options of the `kpi` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiRequest {}

/// The `renewals` operation.
///
/// # Errors
/// Placeholder.
pub fn renewals(
    _playbook: &RenewalPlaybook,
    _rows: &Rows,
    _request: &RenewalsRequest,
    _reader: FileReader<'_>,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}

/// The `kpi` operation.
///
/// # Errors
/// Placeholder.
pub fn kpi(
    _rubric: &KpiRubric,
    _rows: &Rows,
    _request: &KpiRequest,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}
