//! The scoring engine: resolve each component, aggregate once, round once, band.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{
    AccountRef, Compiled, CompiledComponent, Direction, HealthError, MissingPolicy, ScoringFunction,
};
use crate::decimal::{normalized, parse_decimal};
use crate::input::{Record, Value};
use crate::rubric::Stamp;

/// Options for scoring.
#[derive(Clone, Debug)]
pub struct ScoreOptions {
    /// The instant overrides are judged at (an override expiring at or before it does not
    /// count). `None` means the current time.
    pub as_of: Option<DateTime<Utc>>,
    /// Compute "what would it take" for accounts below the top band. Default `true`.
    pub what_it_takes: bool,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions {
            as_of: None,
            what_it_takes: true,
        }
    }
}

/// Whether an account could be scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Scored and banded.
    Scored,
    /// Too little of the declared weight was measured (see `missing.min_present`).
    InsufficientData,
}

/// A band and its playbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BandInfo {
    /// Label (`Excellent`).
    pub label: String,
    /// Inclusive lower bound on the rounded score.
    pub min: Decimal,
    /// What to do.
    pub action: String,
    /// Who does it.
    pub owner: String,
    /// How urgently.
    pub urgency: String,
}

/// Where a component's counted score came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentSource {
    /// A direct score on the component scale.
    Direct,
    /// Derived from raw metrics.
    Metrics,
    /// A manual override.
    Override,
    /// Missing; its weight went to the other components.
    MissingRenormalized,
    /// Missing; scored the bottom of the scale.
    MissingZero,
    /// Missing; scored the declared default.
    MissingFixed,
}

/// What overrides what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum OverrideTarget {
    /// A component's score.
    Component(String),
    /// The overall band.
    Band(String),
}

/// A manual override by a CSM: who, why, until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Override {
    /// What is overridden.
    pub target: OverrideTarget,
    /// The component score to use (component overrides only).
    pub value: Option<Decimal>,
    /// Who made it.
    pub author: String,
    /// Why.
    pub reason: String,
    /// When it stops counting (exclusive). `None`: until removed.
    pub expires: Option<DateTime<Utc>>,
}

impl Override {
    /// Parses an account's override list from JSON:
    /// `[{"component": "relationship_health", "score": 40, "author": "...", "reason": "...",
    /// "expires": "2026-12-31"}, {"band": "At Risk", "author": ..., "reason": ...}]`.
    ///
    /// `expires` is an RFC 3339 instant, or a date meaning "valid through that day (UTC)".
    ///
    /// # Errors
    /// The index of the bad entry and what is wrong with it.
    ///
    /// # Example
    /// ```
    /// use csrubric::health::{Override, OverrideTarget};
    /// use csrubric::input::Value;
    /// let v = Value::Json(serde_json::json!([
    ///     {"band": "At Risk", "author": "dana", "reason": "exec sponsor left", "expires": "2026-12-31"}
    /// ]));
    /// let list = Override::parse_list(&v).unwrap();
    /// assert_eq!(list[0].target, OverrideTarget::Band("At Risk".into()));
    /// assert_eq!(list[0].expires.unwrap().to_rfc3339(), "2027-01-01T00:00:00+00:00");
    /// ```
    pub fn parse_list(value: &Value) -> Result<Vec<Override>, (usize, String)> {
        let items = match value {
            Value::Json(serde_json::Value::Array(items)) => items.clone(),
            Value::Text(t) => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(serde_json::Value::Array(items)) => items,
                _ => return Err((0, "`overrides` must be a JSON list".into())),
            },
            _ => return Err((0, "`overrides` must be a JSON list".into())),
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| Override::parse_one(v).map_err(|m| (i, m)))
            .collect()
    }

    fn parse_one(v: &serde_json::Value) -> Result<Override, String> {
        let obj = v.as_object().ok_or("an override must be an object")?;
        // `null` means absent, as everywhere in inputs (tables turn lists of differently
        // shaped objects into rows of one shape, with nulls for the missing fields).
        let obj: serde_json::Map<String, serde_json::Value> = obj
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let obj = &obj;
        for k in obj.keys() {
            if !["component", "band", "score", "author", "reason", "expires"].contains(&k.as_str())
            {
                return Err(format!("unknown field `{k}`"));
            }
        }
        let text = |k: &str| {
            obj.get(k)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let author = text("author").ok_or("`author` is required")?.to_string();
        let reason = text("reason").ok_or("`reason` is required")?.to_string();
        let expires = match obj.get("expires") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(parse_expiry(s)?),
            Some(other) => {
                return Err(format!(
                    "`expires` must be a date or RFC 3339 instant, not `{other}`"
                ))
            }
        };
        let (target, value) = match (text("component"), text("band")) {
            (Some(c), None) => {
                let score = match obj.get("score") {
                    Some(serde_json::Value::Number(n)) => {
                        Value::from_json(&serde_json::Value::Number(n.clone()))
                    }
                    Some(serde_json::Value::String(s)) => Some(Value::Number(parse_decimal(s)?)),
                    _ => None,
                };
                let score = match score {
                    Some(Value::Number(d)) => d,
                    _ => return Err("a component override needs a numeric `score`".into()),
                };
                (OverrideTarget::Component(c.to_string()), Some(score))
            }
            (None, Some(b)) => {
                if obj.contains_key("score") {
                    return Err("a band override takes no `score`".into());
                }
                (OverrideTarget::Band(b.to_string()), None)
            }
            _ => return Err("an override names exactly one of `component` or `band`".into()),
        };
        Ok(Override {
            target,
            value,
            author,
            reason,
            expires,
        })
    }

    fn active(&self, as_of: DateTime<Utc>) -> bool {
        self.expires.is_none_or(|e| as_of < e)
    }
}

fn parse_expiry(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            format!("`expires` = `{s}` is neither a date (YYYY-MM-DD) nor an RFC 3339 instant")
        })
}

/// An override as it stands in a result: what it replaced, and whether it counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppliedOverride {
    /// The override's value: a component score, or a band label.
    pub value: String,
    /// The computed value it replaces (absent when nothing could be computed).
    pub computed: Option<String>,
    /// Who made it.
    pub author: String,
    /// Why.
    pub reason: String,
    /// When it stops counting.
    pub expires: Option<DateTime<Utc>>,
    /// Whether it counts (false once expired): the counted value is the override's when
    /// true, the computed one when false.
    pub counts: bool,
}

/// One metric's line in the ledger.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricLedger {
    /// Metric id (input column).
    pub id: Arc<str>,
    /// The raw value, absent when missing.
    pub value: Option<Decimal>,
    /// Its score on the component scale, absent when missing (or scored as the bottom under
    /// the `zero` policy).
    pub score: Option<Decimal>,
    /// Declared weight within the component (percent).
    pub declared_weight: Decimal,
    /// Weight actually used within the component (percent; the measured metrics' weights
    /// sum to exactly 100).
    pub effective_weight: Decimal,
    /// What the metric's scoring script returned and printed, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<crate::script::ScriptTrace>,
}

/// One component's line in the ledger.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentLedger {
    /// Component id.
    pub id: Arc<str>,
    /// Where the counted score came from.
    pub source: ComponentSource,
    /// The direct input as given (before any `lower_is_better` reversal).
    pub input: Option<Decimal>,
    /// Metric lines when the component is derived from metrics.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricLedger>,
    /// The score computed from the inputs, on the component scale.
    pub computed_score: Option<Decimal>,
    /// The score that counts (computed, overridden or imputed), on the component scale.
    pub score: Option<Decimal>,
    /// Declared weight (percent, or points in a points rubric).
    pub declared_weight: Decimal,
    /// Weight actually used, as a percent of the score (0 when dropped). At most 20
    /// decimals; the effective weights of a result sum to exactly 100.
    pub effective_weight: Decimal,
    /// Points this component adds to the score (before rounding). At most 20 decimals
    /// (the last counted component takes the remainder), so the contributions plus the
    /// bottom of the scale sum to exactly `raw_score`.
    pub contribution: Decimal,
    /// The override on this component, if any (also when expired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#override: Option<AppliedOverride>,
    /// What the component's scoring script returned and printed, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<crate::script::ScriptTrace>,
}

/// "What would it take" to reach the next band up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhatItTakes {
    /// The next band up.
    pub next_band: String,
    /// Its lower bound.
    pub next_band_min: Decimal,
    /// One line per component.
    pub components: Vec<Lift>,
}

/// The smallest change of one component (others held) that reaches the next band.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lift {
    /// Component id.
    pub component: Arc<str>,
    /// Whether this component alone can reach the next band.
    pub reachable: bool,
    /// What is changed: `input` (the direct input column) or `component_score` (for
    /// components derived from metrics).
    pub on: &'static str,
    /// Current value.
    pub current: Option<Decimal>,
    /// Smallest sufficient value at the rubric's precision.
    pub required: Option<Decimal>,
    /// `required - current`.
    pub change: Option<Decimal>,
    /// Why not reachable, or how to read the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The result of scoring one account.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HealthResult {
    /// Account id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// Scored, or insufficient data.
    pub status: Status,
    /// The rounded score: the number displayed, banded and rolled up.
    pub score: Option<Decimal>,
    /// The exact score before rounding.
    pub raw_score: Option<Decimal>,
    /// The band that counts (an active band override wins) with its playbook.
    pub band: Option<Arc<BandInfo>>,
    /// The band the rubric computed, before any manual band override: the band the score
    /// falls in, or the one the rubric's adjust script set (the score's own band is then
    /// `adjustment.band_before`).
    pub computed_band: Option<String>,
    /// The band override, if any (also when expired).
    pub band_override: Option<AppliedOverride>,
    /// Percent of the declared weight that was measured (direct, metrics or override).
    pub measured_weight: Decimal,
    /// The explanation ledger, one line per component in rubric order.
    pub components: Vec<ComponentLedger>,
    /// What it would take to reach the next band (below the top band only).
    pub what_it_takes: Option<WhatItTakes>,
    /// What the rubric's adjustment script did, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<crate::health::Adjustment>,
    /// The rubric that made this result.
    pub rubric: Arc<Stamp>,
}

/// A component after resolution: the score that counts, or dropped.
#[derive(Clone, Copy)]
struct Counted {
    score: Option<Decimal>,
    measured: bool,
}

pub(super) fn score(
    rubric: &Compiled,
    account: &Record,
    overrides: &[Override],
    options: &ScoreOptions,
) -> Result<HealthResult, HealthError> {
    let at = || AccountRef {
        id: account.id.clone(),
        row: account.row,
    };
    let as_of = options.as_of.unwrap_or_else(Utc::now);
    let active = check_overrides(rubric, overrides, as_of, &at)?;

    let mut ledger = Vec::with_capacity(rubric.components.len());
    let mut counted = Vec::with_capacity(rubric.components.len());
    for c in &rubric.components {
        let (line, cnt) = resolve(c, account, overrides, &active, &at)?;
        ledger.push(line);
        counted.push(cnt);
    }

    let declared: Decimal = rubric.components.iter().map(|c| c.weight).sum();
    let measured: Decimal = rubric
        .components
        .iter()
        .zip(&counted)
        .filter(|(_, k)| k.measured)
        .map(|(c, _)| c.weight)
        .sum();
    let measured_weight = normalized(measured * Decimal::ONE_HUNDRED / declared);
    let agg = aggregate(rubric, &counted);

    let mut result = HealthResult {
        id: account.id.clone(),
        row: account.row,
        status: Status::InsufficientData,
        score: None,
        raw_score: None,
        band: None,
        computed_band: None,
        band_override: None,
        measured_weight,
        components: ledger,
        what_it_takes: None,
        adjustment: None,
        rubric: Arc::clone(&rubric.stamp),
    };
    if let Some(a) = &agg {
        fill_shares(rubric, &counted, a, &mut result.components);
    }
    // The active band override if there is one (at most one), else the latest expired one.
    let band_override = overrides
        .iter()
        .zip(&active)
        .filter(|(o, _)| matches!(o.target, OverrideTarget::Band(_)))
        .max_by_key(|(_, a)| **a)
        .map(|(o, _)| o);

    let Some(agg) = agg.filter(|_| measured_weight >= rubric.min_present) else {
        result.band_override = band_override.map(|o| applied(o, None, o.active(as_of)));
        return Ok(result);
    };
    let rounded = rubric.rounding.apply(agg.raw);
    let computed_band = rubric.band_for(rounded).cloned();
    result.status = Status::Scored;
    result.score = Some(rounded);
    result.raw_score = Some(normalized(agg.raw));
    result.computed_band = computed_band.as_ref().map(|b| b.label.clone());
    result.band = computed_band.clone();
    crate::health::apply_adjustment(rubric, account, &mut result)?;
    if let Some(o) = band_override {
        let counts = o.active(as_of);
        if counts {
            if let OverrideTarget::Band(label) = &o.target {
                result.band = rubric.bands.iter().find(|b| &b.label == label).cloned();
            }
        }
        result.band_override = Some(applied(o, result.computed_band.clone(), counts));
    }
    if options.what_it_takes {
        if let Some(b) = &computed_band {
            result.what_it_takes = what_it_takes(rubric, &counted, &result.components, b, account);
        }
    }
    Ok(result)
}

fn applied(o: &Override, computed: Option<String>, counts: bool) -> AppliedOverride {
    let value = match (&o.target, o.value) {
        (OverrideTarget::Band(l), _) => l.clone(),
        (OverrideTarget::Component(_), Some(v)) => v.to_string(),
        (OverrideTarget::Component(_), None) => String::new(),
    };
    AppliedOverride {
        value,
        computed,
        author: o.author.clone(),
        reason: o.reason.clone(),
        expires: o.expires,
        counts,
    }
}

/// Checks every override names something real; returns which are active. At most one
/// active override per target.
fn check_overrides(
    rubric: &Compiled,
    overrides: &[Override],
    as_of: DateTime<Utc>,
    at: &dyn Fn() -> AccountRef,
) -> Result<Vec<bool>, HealthError> {
    let mut active = Vec::with_capacity(overrides.len());
    for (index, o) in overrides.iter().enumerate() {
        let err = |message: String| HealthError::Override {
            at: at(),
            index,
            message,
        };
        match &o.target {
            OverrideTarget::Component(id) => {
                let Some(c) = rubric.components.iter().find(|c| c.id.as_ref() == id) else {
                    return Err(err(format!("unknown component `{id}`")));
                };
                let v = o.value.unwrap_or_default();
                if v < c.lo || v > c.hi {
                    return Err(err(format!(
                        "score {v} is outside the component scale {}-{}",
                        c.lo, c.hi
                    )));
                }
            }
            OverrideTarget::Band(label) => {
                if !rubric.bands.iter().any(|b| &b.label == label) {
                    let known: Vec<_> = rubric
                        .bands
                        .iter()
                        .map(|b| format!("`{}`", b.label))
                        .collect();
                    return Err(err(format!(
                        "unknown band `{label}` (bands: {})",
                        known.join(", ")
                    )));
                }
            }
        }
        let is_active = o.active(as_of);
        if is_active
            && overrides
                .iter()
                .zip(&active)
                .any(|(p, was): (&Override, &bool)| *was && p.target == o.target)
        {
            return Err(err("two active overrides for the same target".into()));
        }
        active.push(is_active);
    }
    Ok(active)
}

fn resolve(
    c: &CompiledComponent,
    account: &Record,
    overrides: &[Override],
    active: &[bool],
    at: &dyn Fn() -> AccountRef,
) -> Result<(ComponentLedger, Counted), HealthError> {
    let number = |column: &str| -> Result<Option<Decimal>, HealthError> {
        match account.number(column) {
            None => Ok(None),
            Some(Ok(d)) => Ok(Some(d)),
            Some(Err(message)) => Err(HealthError::NotANumber {
                at: at(),
                column: column.to_string(),
                message,
            }),
        }
    };
    let direct = number(&c.id)?;
    let mut line = ComponentLedger {
        id: Arc::clone(&c.id),
        source: ComponentSource::Direct,
        input: direct,
        metrics: Vec::new(),
        computed_score: None,
        score: None,
        declared_weight: c.weight,
        effective_weight: Decimal::ZERO,
        contribution: Decimal::ZERO,
        r#override: None,
        script: None,
    };

    let mut computed = None;
    if let Some(v) = direct {
        if v < c.lo || v > c.hi {
            return Err(HealthError::OutOfScale {
                at: at(),
                column: c.id.to_string(),
                value: v,
                min: c.lo,
                max: c.hi,
            });
        }
        computed = Some(match c.direction {
            Direction::HigherIsBetter => v,
            Direction::LowerIsBetter => c.lo + c.hi - v,
        });
    }
    if !c.metrics.is_empty() {
        let mut values = Vec::with_capacity(c.metrics.len());
        for m in &c.metrics {
            values.push(number(&m.id)?);
        }
        let given: Vec<&str> = c
            .metrics
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_some())
            .map(|(m, _)| m.id.as_ref())
            .collect();
        if direct.is_some() && !given.is_empty() {
            return Err(HealthError::Ambiguous {
                at: at(),
                component: c.id.to_string(),
                metrics: given.join(", "),
            });
        }
        if direct.is_none() && !given.is_empty() {
            let missing: Vec<&str> = c
                .metrics
                .iter()
                .zip(&values)
                .filter(|(_, v)| v.is_none())
                .map(|(m, _)| m.id.as_ref())
                .collect();
            if c.policy == MissingPolicy::Error && !missing.is_empty() {
                return Err(HealthError::Missing {
                    at: at(),
                    component: c.id.to_string(),
                    detail: format!(" (metrics not given: {})", missing.join(", ")),
                });
            }
            let zero_missing = c.policy == MissingPolicy::Zero;
            let mut num = Decimal::ZERO;
            let mut den = Decimal::ZERO;
            for (m, v) in c.metrics.iter().zip(&values) {
                let (s, script) = match (&m.script, v) {
                    (Some(sc), Some(v)) => {
                        let (s, t) = crate::health::run_metric(sc, *v, c.lo, c.hi, account, at)?;
                        (Some(s), Some(t))
                    }
                    _ => (
                        v.map(|v| eval(&m.scoring, m.direction, v, c.lo, c.hi)),
                        None,
                    ),
                };
                let w = if s.is_some() || zero_missing {
                    m.weight
                } else {
                    Decimal::ZERO
                };
                num += s.unwrap_or(c.lo) * w;
                den += w;
                line.metrics.push(MetricLedger {
                    id: Arc::clone(&m.id),
                    value: *v,
                    score: s.map(normalized),
                    declared_weight: m.weight,
                    effective_weight: w, // scaled below
                    script,
                });
            }
            // As for components (see `fill_shares`): shares to LEDGER_DECIMALS, the last
            // counted metric takes the remainder, so the shown weights sum to exactly 100.
            let last = line
                .metrics
                .iter()
                .rposition(|ml| !ml.effective_weight.is_zero());
            let mut left = Decimal::ONE_HUNDRED;
            for (j, ml) in line.metrics.iter_mut().enumerate() {
                if ml.effective_weight.is_zero() {
                    continue;
                }
                let share = if Some(j) == last {
                    left
                } else {
                    (ml.effective_weight * Decimal::ONE_HUNDRED / den).round_dp(LEDGER_DECIMALS)
                };
                left -= share;
                ml.effective_weight = normalized(share);
            }
            computed = Some(num / den);
            line.source = ComponentSource::Metrics;
        } else if direct.is_none() {
            line.metrics = c
                .metrics
                .iter()
                .map(|m| MetricLedger {
                    id: Arc::clone(&m.id),
                    value: None,
                    score: None,
                    declared_weight: m.weight,
                    effective_weight: Decimal::ZERO,
                    script: None,
                })
                .collect();
        }
    }
    if let Some(sc) = &c.script {
        let ids = &mut c.metrics.iter().map(|m| m.id.as_ref());
        let (s, t) =
            crate::health::run_component(sc, computed, direct, ids, c.lo, c.hi, account, at)?;
        computed = s;
        line.script = Some(t);
    }
    line.computed_score = computed.map(normalized);

    // A manual override replaces the computed score while it is active.
    let ov = overrides
        .iter()
        .zip(active)
        .filter(|(o, _)| matches!(&o.target, OverrideTarget::Component(id) if id.as_str() == c.id.as_ref()))
        .max_by_key(|(_, a)| **a);
    if let Some((o, &counts)) = ov {
        line.r#override = Some(applied(
            o,
            computed.map(|c| normalized(c).to_string()),
            counts,
        ));
        if counts {
            line.source = ComponentSource::Override;
            line.score = o.value;
            return Ok((
                line,
                Counted {
                    score: o.value,
                    measured: true,
                },
            ));
        }
    }
    if let Some(s) = computed {
        line.score = Some(normalized(s));
        return Ok((
            line,
            Counted {
                score: Some(s),
                measured: true,
            },
        ));
    }
    let imputed = match c.policy {
        MissingPolicy::Renormalize => {
            line.source = ComponentSource::MissingRenormalized;
            None
        }
        MissingPolicy::Zero => {
            line.source = ComponentSource::MissingZero;
            Some(c.lo)
        }
        MissingPolicy::Fixed => {
            line.source = ComponentSource::MissingFixed;
            c.default
        }
        MissingPolicy::Error => {
            return Err(HealthError::Missing {
                at: at(),
                component: c.id.to_string(),
                detail: String::new(),
            })
        }
    };
    line.score = imputed;
    Ok((
        line,
        Counted {
            score: imputed,
            measured: false,
        },
    ))
}

/// A metric's score on the component scale `[lo, hi]`.
pub(super) fn eval(
    f: &ScoringFunction,
    dir: Direction,
    v: Decimal,
    lo: Decimal,
    hi: Decimal,
) -> Decimal {
    let span = hi - lo;
    // `fraction` in [0, 1] of the way from the bad end to the good end.
    let at_fraction = |num: Decimal, den: Decimal| -> Decimal {
        // num/den in [0,1]; multiply before dividing so exact cases stay exact.
        num.checked_mul(span)
            .and_then(|x| x.checked_div(den))
            .map_or(hi, |x| lo + x)
    };
    match f {
        ScoringFunction::Linear { from, to } => {
            let (from, to) = (from.0, to.0);
            if v <= from {
                return if dir == Direction::HigherIsBetter {
                    lo
                } else {
                    hi
                };
            }
            if v >= to {
                return if dir == Direction::HigherIsBetter {
                    hi
                } else {
                    lo
                };
            }
            match dir {
                Direction::HigherIsBetter => at_fraction(v - from, to - from),
                Direction::LowerIsBetter => at_fraction(to - v, to - from),
            }
        }
        ScoringFunction::Steps { steps } => steps
            .iter()
            .rev()
            .find(|s| v >= s.at_least.0)
            .or(steps.first())
            .map_or(lo, |s| s.score.0),
        // Scripted metrics are scored by their compiled script in `resolve`.
        ScoringFunction::Script { .. } => lo,
        ScoringFunction::Target { target, cap } => {
            let target = target.0;
            let cap = cap.map_or(Decimal::ONE, |c| c.0);
            match dir {
                Direction::HigherIsBetter => {
                    // attainment = v / target, capped at `cap`; score = attainment / cap.
                    if v <= Decimal::ZERO {
                        return lo;
                    }
                    match target.checked_mul(cap) {
                        Some(full) if v < full => at_fraction(v, full),
                        _ => hi,
                    }
                }
                Direction::LowerIsBetter => {
                    // attainment = target / v; full once v <= target / cap.
                    if v <= Decimal::ZERO {
                        return hi;
                    }
                    match v.checked_mul(cap) {
                        Some(vc) if vc > target => at_fraction(target, vc),
                        Some(_) => hi,
                        None => lo,
                    }
                }
            }
        }
    }
}

struct Aggregate {
    raw: Decimal,
    /// Effective weight total (sum of counted declared weights).
    weight: Decimal,
    /// Per component: wᵢ·span·(cᵢ - loᵢ)/(hiᵢ - loᵢ); contribution = term / weight.
    terms: Vec<Decimal>,
}

fn aggregate(rubric: &Compiled, counted: &[Counted]) -> Option<Aggregate> {
    let (bottom, top) = rubric.scale.bounds();
    let span = top - bottom;
    let mut weight = Decimal::ZERO;
    let mut sum = Decimal::ZERO;
    let mut terms = Vec::with_capacity(counted.len());
    for (c, k) in rubric.components.iter().zip(counted) {
        let term = match k.score {
            Some(s) => {
                weight += c.weight;
                term(c, s, span)
            }
            None => Decimal::ZERO,
        };
        sum += term;
        terms.push(term);
    }
    if weight.is_zero() {
        return None;
    }
    Some(Aggregate {
        raw: bottom + sum / weight,
        weight,
        terms,
    })
}

/// Writes each counted component's effective weight and contribution into its ledger line.
///
/// A share is a division that need not terminate (`25/75 = 33.33..`), so shares are carried
/// to [`LEDGER_DECIMALS`] decimals and the last counted component takes the remainder: the
/// ledger then adds up exactly, effective weights to 100 and contributions to the raw score
/// (which stays the one division `Σ terms / Σ weights` that the band is chosen on). Without
/// this, 28-digit quotients could sum to one unit off in the last digit.
/// Decimals of the ledger's effective weights and contributions (far beyond any rubric's
/// rounding, which is at most 10 decimals); the sums stay exact in a 28-digit decimal.
const LEDGER_DECIMALS: u32 = 20;

fn fill_shares(
    rubric: &Compiled,
    counted: &[Counted],
    agg: &Aggregate,
    ledger: &mut [ComponentLedger],
) {
    let (bottom, _) = rubric.scale.bounds();
    let last = counted.iter().rposition(|k| k.score.is_some());
    let mut weight_left = Decimal::ONE_HUNDRED;
    let mut points_left = agg.raw - bottom;
    for (i, (line, c)) in ledger.iter_mut().zip(&rubric.components).enumerate() {
        if counted.get(i).is_none_or(|k| k.score.is_none()) {
            continue;
        }
        let (weight, points) = if Some(i) == last {
            (weight_left, points_left)
        } else {
            let term = agg.terms.get(i).copied().unwrap_or(Decimal::ZERO);
            (
                (c.weight * Decimal::ONE_HUNDRED / agg.weight).round_dp(LEDGER_DECIMALS),
                (term / agg.weight).round_dp(LEDGER_DECIMALS),
            )
        };
        weight_left -= weight;
        points_left -= points;
        line.effective_weight = normalized(weight);
        line.contribution = normalized(points);
    }
}

pub(super) fn term(c: &CompiledComponent, score: Decimal, span: Decimal) -> Decimal {
    (score - c.lo) * c.weight * span / (c.hi - c.lo)
}

fn what_it_takes(
    rubric: &Compiled,
    counted: &[Counted],
    ledger: &[ComponentLedger],
    band: &BandInfoRef,
    account: &Record,
) -> Option<WhatItTakes> {
    let pos = rubric.bands.iter().position(|b| Arc::ptr_eq(b, band))?;
    let next = rubric.bands.get(pos.checked_sub(1)?)?;
    let ulp = rubric.rounding.ulp();
    let reaches = |i: usize, s: Decimal| -> bool {
        let mut trial = counted.to_vec();
        if let Some(t) = trial.get_mut(i) {
            t.score = Some(s);
        }
        aggregate(rubric, &trial).is_some_and(|a| rubric.rounding.apply(a.raw) >= next.min)
    };
    let (bottom, top) = rubric.scale.bounds();
    let span = top - bottom;
    let mut lines = Vec::with_capacity(rubric.components.len());
    for (i, (c, line)) in rubric.components.iter().zip(ledger).enumerate() {
        let not = |note: &str, on: &'static str, current: Option<Decimal>| Lift {
            component: Arc::clone(&c.id),
            reachable: false,
            on,
            current,
            required: None,
            change: None,
            note: Some(note.to_string()),
        };
        let on = if line.source == ComponentSource::Metrics {
            "component_score"
        } else {
            "input"
        };
        let current_score = counted.get(i).and_then(|k| k.score);
        if c.script.is_some() && line.source != ComponentSource::Override {
            lines.push(not(
                "scored by a script: the needed input cannot be solved for",
                on,
                line.score,
            ));
            continue;
        }
        match (line.source, current_score) {
            (ComponentSource::Override, _) => {
                lines.push(not(
                    "overridden by a CSM; the override decides this component",
                    on,
                    line.score,
                ));
                continue;
            }
            (ComponentSource::MissingRenormalized, _) | (_, None) => {
                lines.push(not(
                    "missing: supply this component to see its effect",
                    on,
                    None,
                ));
                continue;
            }
            _ => {}
        }
        let Some(cur) = current_score else { continue };
        let to_input = |s: Decimal| match (on, c.direction) {
            ("input", Direction::LowerIsBetter) => c.lo + c.hi - s,
            _ => s,
        };
        let current = if on == "input" {
            line.input.or(Some(to_input(cur)))
        } else {
            Some(cur)
        };
        if !reaches(i, c.hi) {
            lines.push(not(
                "not reachable by this component alone",
                on,
                current.map(normalized),
            ));
            continue;
        }
        // Solve the linear equation for the raw threshold, then settle on the precision grid.
        let agg = aggregate(rubric, counted)?;
        let k = c.weight * span / ((c.hi - c.lo) * agg.weight);
        let target_raw = next.min - ulp / Decimal::TWO;
        let step = (target_raw - agg.raw).checked_div(k).unwrap_or(c.hi - cur);
        let mut s = cur.checked_add(step).unwrap_or(c.hi).max(cur);
        s = round_up_to(s, ulp).min(c.hi);
        let mut guard = 0;
        while !reaches(i, s) && s < c.hi && guard < 8 {
            s = (s + ulp).min(c.hi);
            guard += 1;
        }
        while s - ulp >= cur && reaches(i, s - ulp) && guard < 16 {
            s -= ulp;
            guard += 1;
        }
        let required = to_input(s);
        lines.push(Lift {
            component: Arc::clone(&c.id),
            reachable: true,
            on,
            current: current.map(normalized),
            required: Some(normalized(required)),
            change: current.map(|cv| normalized(required - cv)),
            note: None,
        });
    }
    let _ = account;
    Some(WhatItTakes {
        next_band: next.label.clone(),
        next_band_min: next.min,
        components: lines,
    })
}

type BandInfoRef = Arc<BandInfo>;

fn round_up_to(value: Decimal, ulp: Decimal) -> Decimal {
    let q = (value / ulp).ceil();
    q * ulp
}
