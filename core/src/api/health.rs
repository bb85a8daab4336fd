//! Health scores (`score`): the answer is one [`crate::health::HealthRow`] per input row, in order: either
//! a scored result or an error naming the row. No row is ever dropped.

use std::collections::HashMap;

use serde::Deserialize;

use super::ApiError;
use crate::health::{parse_overrides, score_health_rows, HealthRow, HealthRubric, ScoreOptions};
use crate::input::Rows;
use crate::Instant;

/// Options of the `score` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// The instant overrides are judged at (RFC 3339 with an offset). Default: now.
    #[serde(default)]
    pub at: Option<Instant>,
    /// Answer with the whole ledger and "what would it take" instead of the compact row.
    #[serde(default)]
    pub explain: bool,
    /// Manual overrides: objects with `account` (the account id) plus the override fields
    /// (`component` + `score`, or `band`; `author`, `reason`, optional `expires`), as in the
    /// CLI's `--overrides` file.
    #[serde(default)]
    pub overrides: Option<serde_json::Value>,
}

/// Scores `rows` with a health rubric: the `score` operation.
///
/// # Errors
/// [`ApiError::Options`] when the overrides are malformed; row problems are failed rows.
///
/// # Example
/// ```
/// use csrubric::api::health::{score, ScoreRequest};
/// use csrubric::health::HealthRubric;
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/ai-ecosystem.toml");
/// let rubric = HealthRubric::from_path(path.as_ref())?;
/// let rows = read_csv("a.csv", "id,usage,engagement,success,growth\na,8,8,8,8\n")?;
/// let out = score(&rubric, &rows, &ScoreRequest::default())?;
/// assert_eq!(out[0].to_json(false)["band"], "Green");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn score(
    rubric: &HealthRubric,
    rows: &Rows,
    request: &ScoreRequest,
) -> Result<Vec<HealthRow>, ApiError> {
    let overrides = match &request.overrides {
        Some(v) => parse_overrides(v).map_err(|m| ApiError::Options {
            op: "score".into(),
            option: Some("overrides".into()),
            message: format!("`overrides`{m}"),
        })?,
        None => HashMap::new(),
    };
    let options = ScoreOptions {
        as_of: request.at,
        what_it_takes: request.explain,
    };
    Ok(score_health_rows(rubric, rows, &options, |id| {
        overrides.get(id).cloned().unwrap_or_default()
    }))
}
