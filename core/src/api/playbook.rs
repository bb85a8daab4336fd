//! Plans (`plan`), triage (`triage`), CSM capacity (`capacity`) and interventions
//! (`interventions`).
//!
//! SKELETON: being written; every function below is a placeholder that fails.

use serde::Deserialize;

use super::ApiError;
use crate::input::Rows;
use crate::playbook::{CapacityRatios, InterventionRules, PlanTemplate, TriageRules};
use crate::rubric::FileReader;

/// Options of the `plan` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {}

/// Options of the `triage` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageRequest {}

/// Options of the `capacity` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityRequest {}

/// Options of the `interventions` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionsRequest {}

/// The `plan` operation.
///
/// # Errors
/// Placeholder.
pub fn plan(
    _t: &PlanTemplate,
    _rows: &Rows,
    _request: &PlanRequest,
    _reader: FileReader<'_>,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}

/// The `triage` operation.
///
/// # Errors
/// Placeholder.
pub fn triage(
    _t: &TriageRules,
    _rows: &Rows,
    _request: &TriageRequest,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}

/// The `capacity` operation.
///
/// # Errors
/// Placeholder.
pub fn capacity(
    _c: &CapacityRatios,
    _rows: &Rows,
    _request: &CapacityRequest,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}

/// The `interventions` operation.
///
/// # Errors
/// Placeholder.
pub fn interventions(
    _i: &InterventionRules,
    _rows: &Rows,
    _request: &InterventionsRequest,
) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}

/// `csrubric check`'s summary of a plan template.
pub fn plan_summary(_t: &PlanTemplate) -> String {
    String::new()
}

/// `csrubric check`'s summary of triage rules.
pub fn triage_summary(_t: &TriageRules) -> String {
    String::new()
}

/// `csrubric check`'s summary of capacity ratios.
pub fn capacity_summary(_c: &CapacityRatios) -> String {
    String::new()
}

/// `csrubric check`'s summary of intervention rules.
pub fn interventions_summary(_i: &InterventionRules) -> String {
    String::new()
}
