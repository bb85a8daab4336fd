//! The health rubric file format (serde model) and its validation.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::decimal::{Dec, Rounding};
use crate::rubric::{Problems, Validate};

/// The `kind` every health rubric file declares.
pub const KIND: &str = "health";

/// A health rubric file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HealthRubricFile {
    /// Always `"health"`.
    pub kind: String,
    /// Stable identifier, such as `health/slavkokernel`.
    pub id: String,
    /// Version of the rules.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the numbers encode.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// `"0-100"`, `"0-10"`, any `"<min>-<max>"`, or `"points"`.
    pub scale: String,
    /// Precision and tie-breaking of the final score.
    #[serde(default)]
    pub rounding: Rounding,
    /// What to do when inputs are missing.
    #[serde(default)]
    pub missing: MissingSpec,
    /// The weighted components.
    pub components: Vec<ComponentSpec>,
    /// Lower-bound, half-open bands.
    pub bands: Vec<BandSpec>,
    /// Rule scripts: limits, params, the adjustment hook, custom alerts (see `script`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scripts: Option<crate::health::ScriptsSpec>,
    /// Self-tests run by `csrubric test` (see [`super::run_examples`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<super::Example>,
}

/// The rubric-wide missing-data policy.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MissingSpec {
    /// Default policy for every component (default `renormalize`).
    #[serde(default)]
    pub policy: MissingPolicy,
    /// Minimum share of declared weight (percent, 0-100) that must be measured for the
    /// account to be scored; below it the result is `insufficient_data`. Default 0.
    #[serde(default)]
    pub min_present: Option<Dec>,
}

impl Default for MissingSpec {
    fn default() -> Self {
        MissingSpec {
            policy: MissingPolicy::Renormalize,
            min_present: None,
        }
    }
}

/// What a missing component does to the score.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// The component is dropped and the weights of the present ones are scaled back to 100%.
    #[default]
    Renormalize,
    /// The component keeps its weight and scores the bottom of its scale.
    Zero,
    /// The component keeps its weight and scores its declared `default`.
    Fixed,
    /// The account is not scored: an error names the missing input.
    Error,
}

/// Whether more is better.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Larger inputs score higher (the default).
    #[default]
    HigherIsBetter,
    /// Larger inputs score lower (error rates, days since last login...).
    LowerIsBetter,
}

/// One weighted component.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    /// Identifier; also the input column of a direct component score.
    pub id: String,
    /// Human label.
    #[serde(default)]
    pub label: Option<String>,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// Percent of the score; in a `points` rubric, the points this component is worth.
    pub weight: Dec,
    /// Direction of a direct score (metrics declare their own).
    #[serde(default)]
    pub direction: Direction,
    /// Overrides the rubric-wide missing policy for this component.
    #[serde(default)]
    pub missing: Option<MissingPolicy>,
    /// The score used under the `fixed` policy, on the component scale.
    #[serde(default)]
    pub default: Option<Dec>,
    /// Raw metrics that derive the component score when no direct score is given.
    #[serde(default)]
    pub metrics: Vec<MetricSpec>,
    /// A script that computes the component score (see `script`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<super::ComponentScoring>,
}

/// A raw metric and how it becomes a score on its component's scale.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    /// Identifier; also the input column.
    pub id: String,
    /// Human label.
    #[serde(default)]
    pub label: Option<String>,
    /// Unit of the raw value, for readers (`%`, `logins/week`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Percent of the component score (metric weights of a component sum to 100).
    pub weight: Dec,
    /// Whether a larger raw value is better.
    #[serde(default)]
    pub direction: Direction,
    /// The scoring function.
    pub scoring: ScoringFunction,
}

/// How a raw metric value becomes a component score.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScoringFunction {
    /// Straight line from `from` (bottom of the component scale) to `to` (top), clamped at
    /// both ends. `lower_is_better` swaps the ends.
    Linear {
        /// Raw value that scores the bottom of the scale.
        from: Dec,
        /// Raw value that scores the top of the scale.
        to: Dec,
    },
    /// Thresholds: a value scores the `score` of the highest step whose `at_least` it
    /// reaches; values below the first step score the first step's score.
    Steps {
        /// Steps in ascending `at_least` order.
        steps: Vec<StepSpec>,
    },
    /// Attainment of a target: `value / target` (or `target / value` when lower is better),
    /// capped at `cap` (default 1), scaled so that reaching `cap` scores the top.
    Target {
        /// The target value (positive).
        target: Dec,
        /// Attainment that earns the full score (default 1 = 100% of target).
        #[serde(default)]
        cap: Option<Dec>,
    },
    /// A Rhai script returns the score (see `script`): a `file` relative to the rubric or
    /// an inline `source`.
    Script {
        /// A `.rhai` file, relative to the rubric file's folder.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// The script itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
}

/// One threshold of a [`ScoringFunction::Steps`].
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// Inclusive lower bound of the raw value.
    pub at_least: Dec,
    /// Score on the component scale.
    pub score: Dec,
}

/// A band: the label and playbook for scores at or above `min` (and below the next band).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BandSpec {
    /// Inclusive lower bound on the rounded score.
    pub min: Dec,
    /// Band label (`Excellent`, `Green`...).
    pub label: String,
    /// What to do.
    pub action: String,
    /// Who does it.
    pub owner: String,
    /// How urgently.
    pub urgency: String,
    /// Free text for readers (the seed's zone name, say).
    #[serde(default)]
    pub description: Option<String>,
}

/// The scale of a rubric's score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scale {
    /// A score between `min` and `max`; every component is on the same scale.
    Range {
        /// Bottom.
        min: Decimal,
        /// Top.
        max: Decimal,
    },
    /// Points: each component scores 0..its weight and the score is their sum (0..total).
    Points {
        /// Sum of the component weights (100 in a valid rubric).
        total: Decimal,
    },
}

impl Scale {
    /// Parses `"0-100"`, `"0-10"`, `"<min>-<max>"` or `"points"`.
    pub(crate) fn parse(text: &str, total: Decimal) -> Result<Scale, String> {
        let t = text.trim();
        if t == "points" {
            return Ok(Scale::Points { total });
        }
        let parsed = t.split_once('-').and_then(|(a, b)| {
            Some((
                crate::decimal::parse_decimal(a).ok()?,
                crate::decimal::parse_decimal(b).ok()?,
            ))
        });
        match parsed {
            Some((min, max)) if min < max => Ok(Scale::Range { min, max }),
            Some(_) => Err(format!("scale `{t}`: the bottom must be below the top")),
            None => Err(format!(
                "unknown scale `{t}` (expected `0-100`, `0-10`, `<min>-<max>` or `points`)"
            )),
        }
    }

    /// Bottom and top of the overall score.
    pub fn bounds(&self) -> (Decimal, Decimal) {
        match *self {
            Scale::Range { min, max } => (min, max),
            Scale::Points { total } => (Decimal::ZERO, total),
        }
    }

    /// Bottom and top of a component with weight `weight`.
    pub fn component_bounds(&self, weight: Decimal) -> (Decimal, Decimal) {
        match *self {
            Scale::Range { min, max } => (min, max),
            Scale::Points { .. } => (Decimal::ZERO, weight),
        }
    }
}

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Largest magnitude of a scale bound (`0-1000000000`); real scales are 0-10 or 0-100. Keeps
/// every product in the score path far inside a decimal's range.
const MAX_SCALE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// Largest magnitude of a scoring-function parameter.
const PARAM_LIMIT: Decimal = Decimal::from_parts(0xa4c6_8000, 0x38d7e, 0, false, 0); // 1e15
/// Largest target cap (attainment multiple).
const CAP_LIMIT: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

fn check_magnitude(value: Decimal, limit: Decimal, path: String, p: &mut Problems) {
    if value.abs() > limit {
        p.push(
            path,
            format!("`{value}` is too large (at most {limit} in magnitude)"),
        );
    }
}

impl Validate for HealthRubricFile {
    fn validate(&self, p: &mut Problems) {
        crate::rubric::validate_header(
            KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        if self.rounding.decimals > 10 {
            p.push("rounding.decimals", "at most 10 decimals");
        }
        // `None` when the weights overflow a decimal: reported below as a wrong sum.
        let total = crate::decimal::checked_sum(self.components.iter().map(|c| c.weight.0));
        let scale = match Scale::parse(&self.scale, total.unwrap_or(HUNDRED)) {
            Ok(s) if s.bounds().0.abs() > MAX_SCALE || s.bounds().1.abs() > MAX_SCALE => {
                p.push(
                    "scale",
                    format!(
                        "scale `{}`: the bounds must be at most {MAX_SCALE} in magnitude",
                        self.scale.trim()
                    ),
                );
                None
            }
            Ok(s) => Some(s),
            Err(e) => {
                p.push("scale", e);
                None
            }
        };
        if let Some(m) = self.missing.min_present {
            if m.0 < Decimal::ZERO || m.0 > HUNDRED {
                p.push(
                    "missing.min_present",
                    format!("`{m}` must be a percentage between 0 and 100"),
                );
            }
        }
        self.validate_components(scale, total, p);
        if let Some(scale) = scale {
            self.validate_bands(scale, p);
        }
        crate::health::validate_rubric(self, p);
    }
}

impl HealthRubricFile {
    fn validate_components(&self, scale: Option<Scale>, total: Option<Decimal>, p: &mut Problems) {
        if self.components.is_empty() {
            p.push("components", "a rubric needs at least one component");
            return;
        }
        let mut ids = HashSet::new();
        let mut columns: HashSet<String> = HashSet::new();
        for (i, c) in self.components.iter().enumerate() {
            let at = format!("components[{i}]");
            check_id(&c.id, &format!("{at}.id"), p);
            if !ids.insert(c.id.as_str()) {
                p.push(
                    format!("{at}.id"),
                    format!("duplicate component id `{}`", c.id),
                );
            }
            if c.weight.0 <= Decimal::ZERO {
                p.push(
                    format!("{at}.weight"),
                    format!("weight `{}` must be positive", c.weight),
                );
            }
            let policy = c.missing.unwrap_or(self.missing.policy);
            match (policy, c.default) {
                (MissingPolicy::Fixed, None) => {
                    p.push(format!("{at}.default"), "the `fixed` missing policy needs a `default` score")
                }
                (MissingPolicy::Fixed, Some(d)) => {
                    if let Some(s) = scale {
                        let (lo, hi) = s.component_bounds(c.weight.0);
                        if d.0 < lo || d.0 > hi {
                            p.push(format!("{at}.default"), format!("default `{d}` is outside the component scale {lo}-{hi}"));
                        }
                    }
                }
                (_, Some(_)) => p.push(
                    format!("{at}.default"),
                    "`default` is only used by the `fixed` missing policy; set `missing = \"fixed\"` or remove it",
                ),
                _ => {}
            }
            self.validate_metrics(c, &at, scale, &mut columns, p);
        }
        if total != Some(HUNDRED) {
            let unit = if self.scale.trim() == "points" {
                "points"
            } else {
                "%"
            };
            let sum = total.map_or_else(
                || "more than a decimal holds".into(),
                |t| format!("{t}{unit}"),
            );
            p.push(
                "components",
                format!("component weights sum to {sum}, they must sum to exactly 100{unit}"),
            );
        }
    }

    fn validate_metrics(
        &self,
        c: &ComponentSpec,
        at: &str,
        scale: Option<Scale>,
        columns: &mut HashSet<String>,
        p: &mut Problems,
    ) {
        if c.metrics.is_empty() {
            return;
        }
        let mut ids = HashSet::new();
        let mut sum = Some(Decimal::ZERO);
        for (j, m) in c.metrics.iter().enumerate() {
            let mat = format!("{at}.metrics[{j}]");
            check_id(&m.id, &format!("{mat}.id"), p);
            if !ids.insert(m.id.as_str()) {
                p.push(
                    format!("{mat}.id"),
                    format!("duplicate metric id `{}`", m.id),
                );
            }
            if self.components.iter().any(|o| o.id == m.id) {
                p.push(
                    format!("{mat}.id"),
                    format!(
                        "metric id `{}` is also a component id; input columns must be unambiguous",
                        m.id
                    ),
                );
            } else if !columns.insert(m.id.clone()) {
                p.push(
                    format!("{mat}.id"),
                    format!("metric id `{}` is used by another component", m.id),
                );
            }
            if m.weight.0 <= Decimal::ZERO {
                p.push(
                    format!("{mat}.weight"),
                    format!("weight `{}` must be positive", m.weight),
                );
            }
            sum = sum.and_then(|s| s.checked_add(m.weight.0));
            if let Some(s) = scale {
                let (lo, hi) = s.component_bounds(c.weight.0);
                validate_function(
                    &m.scoring,
                    m.direction,
                    lo,
                    hi,
                    &format!("{mat}.scoring"),
                    p,
                );
            }
        }
        if sum != Some(HUNDRED) {
            let sum = sum.map_or_else(|| "more than a decimal holds".into(), |s| format!("{s}%"));
            p.push(
                format!("{at}.metrics"),
                format!("metric weights sum to {sum}, they must sum to exactly 100%"),
            );
        }
    }

    fn validate_bands(&self, scale: Scale, p: &mut Problems) {
        let (lo, hi) = scale.bounds();
        if self.bands.is_empty() {
            p.push("bands", "a rubric needs at least one band");
            return;
        }
        let mut labels = HashSet::new();
        let mut mins = HashSet::new();
        for (i, b) in self.bands.iter().enumerate() {
            let at = format!("bands[{i}]");
            if b.label.trim().is_empty() {
                p.push(format!("{at}.label"), "label must not be empty");
            }
            if !labels.insert(b.label.as_str()) {
                p.push(
                    format!("{at}.label"),
                    format!("duplicate band label `{}`", b.label),
                );
            }
            if b.min.0 < lo || b.min.0 > hi {
                p.push(
                    format!("{at}.min"),
                    format!(
                        "band `{}` starts at {} which is outside the scale {lo}-{hi}",
                        b.label, b.min
                    ),
                );
            }
            if !mins.insert(b.min.0.normalize()) {
                p.push(
                    format!("{at}.min"),
                    format!(
                        "band `{}` starts at {} like another band: bands overlap",
                        b.label, b.min
                    ),
                );
            }
        }
        if !self.bands.iter().any(|b| b.min.0 == lo) {
            p.push("bands", format!("no band starts at the bottom of the scale ({lo}): scores below the lowest band have no band"));
        }
    }
}

fn check_id(id: &str, path: &str, p: &mut Problems) {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && id != "id";
    if !ok {
        p.push(
            path,
            format!("id `{id}` must be non-empty letters, digits, `_` or `-` (and not `id`)"),
        );
    }
}

fn validate_function(
    f: &ScoringFunction,
    dir: Direction,
    lo: Decimal,
    hi: Decimal,
    at: &str,
    p: &mut Problems,
) {
    match f {
        ScoringFunction::Linear { from, to } => {
            if to.0.checked_sub(from.0).is_none() {
                p.push(
                    at.to_string(),
                    format!("linear range `{from}` to `{to}` is too wide to compute with"),
                );
            } else if from.0.abs() > PARAM_LIMIT || to.0.abs() > PARAM_LIMIT {
                check_magnitude(from.0, PARAM_LIMIT, format!("{at}.from"), p);
                check_magnitude(to.0, PARAM_LIMIT, format!("{at}.to"), p);
            } else if from.0 >= to.0 {
                p.push(
                    at.to_string(),
                    format!("linear `from` ({from}) must be below `to` ({to}); use `direction = \"lower_is_better\"` to reverse"),
                );
            }
        }
        ScoringFunction::Steps { steps } => {
            if steps.is_empty() {
                p.push(format!("{at}.steps"), "at least one step is needed");
            }
            for (k, s) in steps.iter().enumerate() {
                check_magnitude(
                    s.at_least.0,
                    PARAM_LIMIT,
                    format!("{at}.steps[{k}].at_least"),
                    p,
                );
                if s.score.0 < lo || s.score.0 > hi {
                    p.push(
                        format!("{at}.steps[{k}].score"),
                        format!(
                            "score `{}` is outside the component scale {lo}-{hi}",
                            s.score
                        ),
                    );
                }
                if let Some(prev) = k.checked_sub(1).and_then(|pk| steps.get(pk)) {
                    if s.at_least.0 <= prev.at_least.0 {
                        p.push(
                            format!("{at}.steps[{k}].at_least"),
                            "steps must be in strictly ascending `at_least` order",
                        );
                    }
                    let wrong = match dir {
                        Direction::HigherIsBetter => s.score.0 < prev.score.0,
                        Direction::LowerIsBetter => s.score.0 > prev.score.0,
                    };
                    if wrong {
                        p.push(
                            format!("{at}.steps[{k}].score"),
                            format!(
                                "scores must not {} with the value when the metric is {}",
                                match dir {
                                    Direction::HigherIsBetter => "fall",
                                    Direction::LowerIsBetter => "rise",
                                },
                                match dir {
                                    Direction::HigherIsBetter => "higher_is_better",
                                    Direction::LowerIsBetter => "lower_is_better",
                                }
                            ),
                        );
                    }
                }
            }
        }
        ScoringFunction::Script { file, source } => {
            crate::script::validate_ref(file.as_deref(), source.as_deref(), at, p)
        }
        ScoringFunction::Target { target, cap } => {
            check_magnitude(target.0, PARAM_LIMIT, format!("{at}.target"), p);
            if let Some(c) = cap {
                check_magnitude(c.0, CAP_LIMIT, format!("{at}.cap"), p);
            }
            if target.0 <= Decimal::ZERO {
                p.push(
                    format!("{at}.target"),
                    format!("target `{target}` must be positive"),
                );
            }
            if let Some(c) = cap {
                if c.0 <= Decimal::ZERO {
                    p.push(format!("{at}.cap"), format!("cap `{c}` must be positive"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_the_documented_powers_of_ten() {
        assert_eq!(MAX_SCALE, Decimal::from(1_000_000_000i64));
        assert_eq!(PARAM_LIMIT, Decimal::from(1_000_000_000_000_000i64));
        assert_eq!(CAP_LIMIT, Decimal::from(1000));
    }
}
