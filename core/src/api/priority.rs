//! Ranking enhancement requests (`prioritize`): the kept requests best first, then the
//! requests that failed, in input order.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::ApiError;
use crate::answer::{Row, RowFailure};
use crate::decimal::Dec;
use crate::input::{Record, Rows};
use crate::priority::{Class, PriorityResult, PriorityRubric, RankOptions};

/// Options of the `prioritize` operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrioritizeRequest {
    /// Keep requests from this vertical (`vertical` column) or applying to it (`verticals`).
    #[serde(default)]
    pub vertical: Option<String>,
    /// Keep requests of this class (`must_have`, `performance_enhancer`, `delighter`,
    /// `hygiene_factor` or `unclassified`).
    #[serde(default)]
    pub classification: Option<String>,
    /// Keep requests scoring at least this.
    #[serde(default)]
    pub min_score: Option<Dec>,
    /// Also give each score as a percent of the best kept score (never used for ordering).
    #[serde(default)]
    pub relative: bool,
    /// Add the per-criterion contributions and how each request was classified.
    #[serde(default)]
    pub explain: bool,
}

/// One ranked request as answered: the compact row, or with `explain` the contributions
/// and the classification detail too.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// The request's result.
    pub result: PriorityResult,
    /// Whether `relative` was asked for (the key is then always present).
    pub relative: bool,
    /// Whether the explanation was asked for.
    pub explain: bool,
}

impl Serialize for Ranked {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = &self.result;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &r.id)?;
        m.serialize_entry("row", &r.row)?;
        m.serialize_entry("rank", &r.rank)?;
        m.serialize_entry("score", &r.score)?;
        m.serialize_entry("classification", r.classification.label())?;
        m.serialize_entry("cross_vertical_tier", &r.cross_vertical_tier)?;
        m.serialize_entry("rubric", &r.rubric)?;
        if self.relative {
            m.serialize_entry("relative", &r.relative)?;
        }
        if self.explain {
            m.serialize_entry("raw_score", &r.raw_score)?;
            m.serialize_entry("contributions", &r.contributions)?;
            m.serialize_entry("classification_detail", &r.classification)?;
            m.serialize_entry("verticals", &r.verticals)?;
            m.serialize_entry("submitted", &r.submitted)?;
            if let Some(script) = &r.script {
                m.serialize_entry("script", script)?;
            }
        }
        m.end()
    }
}

/// Ranks `rows` with a priority rubric: the `prioritize` operation. The answer holds the
/// kept requests best first (`rank` 1..n), then every request that failed, in input order;
/// requests left out by the filters are not in it.
///
/// # Errors
/// [`ApiError::Options`] for an unknown `classification`.
///
/// # Example
/// ```
/// use csrubric::api::priority::{prioritize, PrioritizeRequest};
/// use csrubric::priority::PriorityRubric;
/// use csrubric::input::read_csv;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/priority/rice.toml");
/// let rubric = PriorityRubric::from_path(path.as_ref())?;
/// let rows = read_csv("r.csv", "id,reach,impact,confidence,effort\na,1200,2,80,3\nb,400,3,100,0\n")?;
/// let answer = prioritize(&rubric, &rows, &PrioritizeRequest::default())?;
/// // RICE: 1200 x 2 x 0.80 / 3 = 640; b divides by zero and fails in its place.
/// assert_eq!(answer[0].ok().unwrap().result.score.to_string(), "640.00");
/// assert_eq!(answer[1].failure().unwrap().error.code, "division_by_zero");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn prioritize(
    rubric: &PriorityRubric,
    rows: &Rows,
    request: &PrioritizeRequest,
) -> Result<Vec<Row<Ranked>>, ApiError> {
    if let Some(c) = &request.classification {
        if c.trim() != "unclassified" && Class::parse(c).is_none() {
            return Err(ApiError::Options {
                op: "prioritize".into(),
                option: Some("classification".into()),
                message: format!("`classification`: `{c}` is not one of must_have, performance_enhancer, delighter, hygiene_factor, unclassified"),
            });
        }
    }
    let mut owned: Vec<Record> = Vec::with_capacity(rows.len());
    let mut failed: Vec<RowFailure> = Vec::new();
    for row in rows {
        match row {
            Ok(r) => owned.push(r.clone()),
            Err(e) => failed.push(RowFailure::from_input(e)),
        }
    }
    let options = RankOptions {
        vertical: request.vertical.clone(),
        classification: request.classification.clone(),
        min_score: request.min_score.map(Into::into),
        relative: request.relative,
    };
    let ranking = rubric.rank(&owned, &options);
    for e in &ranking.failed {
        let row = owned
            .iter()
            .find(|r| r.id == e.request_id())
            .map_or(0, |r| r.row);
        failed.push(RowFailure::new(
            Some(e.request_id().to_string()),
            row,
            e.code(),
            e.to_string(),
        ));
    }
    failed.sort_by_key(|f| f.row);
    Ok(ranking
        .ranked
        .into_iter()
        .map(|result| {
            Row::Ok(Ranked {
                result,
                relative: request.relative,
                explain: request.explain,
            })
        })
        .chain(failed.into_iter().map(Row::Failed))
        .collect())
}
