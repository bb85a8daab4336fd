//! SLA clocks (`sla`), escalation matrices (`escalate`), alert rules (`alerts`) and
//! business time on a calendar (`business_time`). SKELETON.

use serde::Deserialize;

use super::ApiError;
use crate::calendar::Calendar;
use crate::escalation::{AlertRules, EscalationMatrix, SlaPolicy};
use crate::input::Rows;

/// Options of the `sla` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaRequest {}

/// Options of the `escalate` and `alerts` operations.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalateRequest {}

/// Options of the `business_time` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessTimeRequest {}

/// The `sla` operation.
///
/// # Errors
/// Placeholder.
pub fn sla(_p: &SlaPolicy, _rows: &Rows, _r: &SlaRequest) -> Result<serde_json::Value, ApiError> {
    Err(ApiError::failed("todo", "not written yet"))
}

/// The `escalate` operation.
pub fn escalate(_m: &EscalationMatrix, _rows: &Rows, _r: &EscalateRequest) -> serde_json::Value {
    serde_json::Value::Null
}

/// The `alerts` operation.
pub fn alerts(_a: &AlertRules, _rows: &Rows, _r: &EscalateRequest) -> serde_json::Value {
    serde_json::Value::Null
}

/// The `business_time` operation.
pub fn business_time(_c: &Calendar, _rows: &Rows, _r: &BusinessTimeRequest) -> serde_json::Value {
    serde_json::Value::Null
}
