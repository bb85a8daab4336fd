//! The health rubric's script hooks: the `[scripts]` table, compiling a rubric's scripts
//! once, and running each hook with its documented variables and return types.

use std::path::Path;
use std::sync::Arc;

use rhai::Dynamic;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AccountRef, Compiled, HealthError, HealthResult, HealthRubricFile, ScoringFunction};
use crate::decimal::normalized;
use crate::input::Record;
use crate::rubric::{Problem, Problems, RubricError};
use crate::script::{
    describe, inputs_map, load_ref, opt_decimal, params_map, value_to_dynamic, Hook, LimitsSpec,
    Script, ScriptEngine, ScriptError, ScriptRef, ScriptTrace, ScriptValue,
};

/// A rubric's `[scripts]` table: sandbox limits, parameters every script sees, the
/// score/band adjustment hook and custom alert triggers.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScriptsSpec {
    /// Tightened sandbox limits.
    #[serde(default)]
    pub limits: LimitsSpec,
    /// Values every script sees as `params` (numbers are decimals).
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The score/band adjustment hook, run after weighting and rounding.
    #[serde(default)]
    pub adjust: Option<ScriptRef>,
    /// Custom alert triggers, run by the history module over an account's snapshots.
    #[serde(default)]
    pub alerts: Vec<AlertHookSpec>,
}

/// A custom alert: a script that decides whether it fires, and the seed-style playbook.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AlertHookSpec {
    /// Alert id (`compliance_lapse`).
    pub id: String,
    /// Response protocol.
    pub protocol: String,
    /// Who responds.
    pub owner: String,
    /// How fast (`24 hours`).
    pub sla: String,
    /// A `.rhai` file, relative to the rubric file's folder.
    #[serde(default)]
    pub file: Option<String>,
    /// The script itself.
    #[serde(default)]
    pub source: Option<String>,
}

impl ScriptsSpec {
    pub(crate) fn validate(&self, p: &mut Problems) {
        self.limits.validate("scripts.limits", p);
        if let Some(a) = &self.adjust {
            a.validate("scripts.adjust", p);
        }
        let mut ids = std::collections::HashSet::new();
        for (i, a) in self.alerts.iter().enumerate() {
            let at = format!("scripts.alerts[{i}]");
            crate::script::validate_ref(a.file.as_deref(), a.source.as_deref(), &at, p);
            if a.id.trim().is_empty() || !ids.insert(a.id.as_str()) {
                p.push(
                    format!("{at}.id"),
                    format!("alert id `{}` must be non-empty and unique", a.id),
                );
            }
        }
    }
}

/// A component's scoring function: `scoring = { type = "script", file = "x.rhai" }`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ComponentScoring {
    /// The component score is computed by a script (see the `component scoring` hook).
    Script {
        /// A `.rhai` file, relative to the rubric file's folder.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// The script itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
}

/// The adjustment hook's effect on a result: what it returned, and the score and band
/// before it ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Adjustment {
    /// The script.
    pub script: Arc<str>,
    /// Its return value (`()` means no change).
    pub returned: ScriptValue,
    /// Its `print`/`debug` lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<String>,
    /// Whether the score or band changed.
    pub changed: bool,
    /// The rounded weighted score before the hook.
    pub score_before: Decimal,
    /// The band before the hook.
    pub band_before: Option<String>,
    /// The script's `reason`, when it returned one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A health rubric's compiled scripts (absent when the rubric has none).
#[derive(Debug)]
pub(crate) struct CompiledScripts {
    pub(crate) components: Vec<Option<Arc<Script>>>,
    pub(crate) metrics: Vec<Vec<Option<Arc<Script>>>>,
    pub(crate) adjust: Option<Script>,
    pub(crate) alerts: Vec<(AlertHookSpec, Script)>,
    /// The text of every script file, so that the rubric's stamp (content hash) changes
    /// when a script file does (inline sources are already part of the rubric text).
    pub(crate) file_texts: String,
}

impl CompiledScripts {
    /// Compiles every script of `file` (files resolved against `rubric_file`'s folder).
    pub(crate) fn compile(
        file: &HealthRubricFile,
        rubric_file: &str,
        reader: crate::rubric::FileReader<'_>,
    ) -> Result<Option<CompiledScripts>, RubricError> {
        let has_scripts = file.scripts.is_some()
            || file.components.iter().any(|c| {
                c.scoring.is_some()
                    || c.metrics
                        .iter()
                        .any(|m| matches!(m.scoring, ScoringFunction::Script { .. }))
            });
        if !has_scripts {
            return Ok(None);
        }
        let base = Path::new(rubric_file)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let spec = file.scripts.clone().unwrap_or_default();
        let engine = ScriptEngine::new(spec.limits.resolve(), params_map(&spec.params));
        let mut problems = Vec::new();
        let mut file_texts = String::new();
        let mut build = |file: Option<&str>, source: Option<&str>, at: &str, hook: Hook| {
            let r = load_ref(file, source, &base, at, reader).and_then(|(name, text)| {
                if let Some(f) = file {
                    file_texts.push_str(&format!("\n# script {f}\n{text}"));
                }
                ScriptEngine::compile(&engine, &name, hook, &text)
            });
            match r {
                Ok(s) => Some(s),
                Err(e) => {
                    problems.push(Problem {
                        path: at.to_string(),
                        message: e.to_string(),
                        line: None,
                        column: None,
                    });
                    None
                }
            }
        };
        let mut components = Vec::new();
        let mut metrics = Vec::new();
        for (i, c) in file.components.iter().enumerate() {
            let at = format!("components[{i}].scoring");
            components.push(c.scoring.as_ref().and_then(|s| {
                let ComponentScoring::Script { file, source } = s;
                build(
                    file.as_deref(),
                    source.as_deref(),
                    &at,
                    Hook::ComponentScore,
                )
                .map(Arc::new)
            }));
            let mut ms = Vec::new();
            for (j, m) in c.metrics.iter().enumerate() {
                ms.push(match &m.scoring {
                    ScoringFunction::Script { file, source } => build(
                        file.as_deref(),
                        source.as_deref(),
                        &format!("components[{i}].metrics[{j}].scoring"),
                        Hook::MetricScore,
                    )
                    .map(Arc::new),
                    _ => None,
                });
            }
            metrics.push(ms);
        }
        let adjust = spec.adjust.as_ref().and_then(|a| {
            build(
                a.file.as_deref(),
                a.source.as_deref(),
                "scripts.adjust",
                Hook::Adjust,
            )
        });
        let mut alerts = Vec::new();
        for (i, a) in spec.alerts.iter().enumerate() {
            if let Some(s) = build(
                a.file.as_deref(),
                a.source.as_deref(),
                &format!("scripts.alerts[{i}]"),
                Hook::Alert,
            ) {
                alerts.push((a.clone(), s));
            }
        }
        if !problems.is_empty() {
            return Err(RubricError::Invalid {
                file: rubric_file.to_string(),
                problems,
            });
        }
        Ok(Some(CompiledScripts {
            components,
            metrics,
            adjust,
            alerts,
            file_texts,
        }))
    }
}

fn script_err(at: &dyn Fn() -> AccountRef, error: ScriptError) -> HealthError {
    HealthError::Script {
        at: at(),
        error: Box::new(error),
    }
}

/// Runs a metric's scoring script: sees `value`, `lo`, `hi`, `params`; returns a decimal
/// in `[lo, hi]`.
pub(crate) fn run_metric(
    script: &Script,
    value: Decimal,
    lo: Decimal,
    hi: Decimal,
    account: &Record,
    at: &dyn Fn() -> AccountRef,
) -> Result<(Decimal, ScriptTrace), HealthError> {
    let out = script
        .run(&account.id, |v| match v {
            "value" => Dynamic::from_decimal(value),
            "lo" => Dynamic::from_decimal(lo),
            "hi" => Dynamic::from_decimal(hi),
            _ => Dynamic::UNIT,
        })
        .map_err(|e| script_err(at, e))?;
    let d = out
        .decimal("a decimal score")
        .map_err(|e| script_err(at, e))?;
    if d < lo || d > hi {
        return Err(script_err(
            at,
            out.bad_value(format!(
                "returned {d}, outside the component scale {lo}-{hi}"
            )),
        ));
    }
    Ok((d, out.trace()))
}

/// Runs a component's scoring script: sees `score` (the score computed from the inputs, or
/// `()`), `input` (the direct input or `()`), `metrics` (metric id to raw value or `()`),
/// `lo`, `hi`, `params`; returns a decimal in `[lo, hi]`, or `()` for "missing".
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_component(
    script: &Script,
    computed: Option<Decimal>,
    direct: Option<Decimal>,
    metric_ids: &mut dyn Iterator<Item = &str>,
    lo: Decimal,
    hi: Decimal,
    account: &Record,
    at: &dyn Fn() -> AccountRef,
) -> Result<(Option<Decimal>, ScriptTrace), HealthError> {
    let out = script
        .run(&account.id, |v| match v {
            "score" => opt_decimal(computed),
            "input" => opt_decimal(direct),
            "metrics" => {
                let mut metrics = rhai::Map::new();
                for id in &mut *metric_ids {
                    let v = account
                        .values
                        .get(id)
                        .map_or(Dynamic::UNIT, value_to_dynamic);
                    metrics.insert(id.into(), v);
                }
                Dynamic::from_map(metrics)
            }
            "lo" => Dynamic::from_decimal(lo),
            "hi" => Dynamic::from_decimal(hi),
            _ => Dynamic::UNIT,
        })
        .map_err(|e| script_err(at, e))?;
    if out.value.is_unit() {
        return Ok((None, out.trace()));
    }
    let d = out
        .decimal("a decimal score or () for missing")
        .map_err(|e| script_err(at, e))?;
    if d < lo || d > hi {
        return Err(script_err(
            at,
            out.bad_value(format!(
                "returned {d}, outside the component scale {lo}-{hi}"
            )),
        ));
    }
    Ok((Some(d), out.trace()))
}

/// Runs the adjustment hook on a scored result (no-op when the rubric has none).
///
/// The script sees `id`, `score` (rounded), `raw_score`, `band`, `bands` (labels from the top
/// down), `components` (id to counted score or `()`), `inputs` (every cell of the account)
/// and `params`. It returns `()` (no change), a decimal (the new score, rounded and banded
/// again), a string (the band), or a map with any of `score`, `band`, `cap_band` (the band
/// becomes the lower of the current band and this one) and `reason`.
pub(crate) fn apply_adjustment(
    rubric: &Compiled,
    account: &Record,
    result: &mut HealthResult,
) -> Result<(), HealthError> {
    let Some(script) = rubric.scripts.as_ref().and_then(|s| s.adjust.as_ref()) else {
        return Ok(());
    };
    let Some(before) = result.score else {
        return Ok(());
    };
    let at = || AccountRef {
        id: account.id.clone(),
        row: account.row,
    };
    let out = script
        .run(&account.id, |v| match v {
            "id" => Dynamic::from(account.id.clone()),
            "score" => Dynamic::from_decimal(before),
            "raw_score" => opt_decimal(result.raw_score),
            "band" => result
                .computed_band
                .clone()
                .map_or(Dynamic::UNIT, Dynamic::from),
            "bands" => Dynamic::from_array(
                rubric
                    .bands
                    .iter()
                    .map(|b| Dynamic::from(b.label.clone()))
                    .collect(),
            ),
            "components" => Dynamic::from_map(components_map(result)),
            "inputs" => Dynamic::from_map(inputs_map(account)),
            _ => Dynamic::UNIT,
        })
        .map_err(|e| script_err(&at, e))?;
    let expected = "(), a decimal score, a band label, or a map of score/band/cap_band/reason";
    let (mut score, mut band, mut cap, mut reason) = (None, None, None, None);
    if out.value.is_unit() {
    } else if let Some(d) = crate::script::to_decimal(&out.value) {
        score = Some(d);
    } else if out.value.is_string() {
        band = Some(out.value.to_string());
    } else if out.value.is_map() {
        let map = out.value.clone().cast::<rhai::Map>();
        for (k, v) in &map {
            match k.as_str() {
                "score" if !v.is_unit() => {
                    score = Some(crate::script::to_decimal(v).ok_or_else(|| {
                        script_err(&at, out.bad_value(format!("`score` must be a decimal, found {}", describe(v))))
                    })?)
                }
                "band" | "cap_band" | "reason" if v.is_unit() => {}
                "band" | "cap_band" | "reason" if v.is_string() => {
                    let s = v.to_string();
                    match k.as_str() {
                        "band" => band = Some(s),
                        "cap_band" => cap = Some(s),
                        _ => reason = Some(s),
                    }
                }
                "score" => {}
                other => {
                    return Err(script_err(
                        &at,
                        out.bad_value(format!(
                            "returned a map with `{other}` = {}; keys are score, band, cap_band, reason (band labels and reason are strings)",
                            describe(v)
                        )),
                    ))
                }
            }
        }
    } else {
        return Err(script_err(&at, out.wrong_type(expected)));
    }

    let band_before = result.computed_band.clone();
    let old_band = result.band.clone();
    if let Some(s) = score {
        let (bottom, top) = rubric.scale.bounds();
        if s < bottom || s > top {
            return Err(script_err(
                &at,
                out.bad_value(format!(
                    "returned score {s}, outside the scale {bottom}-{top}"
                )),
            ));
        }
        let rounded = rubric.rounding.apply(s);
        result.score = Some(rounded);
        result.raw_score = Some(normalized(s));
        let b = rubric.band_for(rounded).cloned();
        result.computed_band = b.as_ref().map(|b| b.label.clone());
        result.band = b;
    }
    let find = |label: &str| {
        rubric
            .bands
            .iter()
            .find(|b| b.label == label)
            .cloned()
            .ok_or_else(|| {
                let known: Vec<_> = rubric
                    .bands
                    .iter()
                    .map(|b| format!("`{}`", b.label))
                    .collect();
                script_err(
                    &at,
                    out.bad_value(format!(
                        "returned band `{label}`, which the rubric does not have (bands: {})",
                        known.join(", ")
                    )),
                )
            })
    };
    if let Some(label) = band {
        let b = find(&label)?;
        result.computed_band = Some(b.label.clone());
        result.band = Some(b);
    }
    if let Some(label) = cap {
        let c = find(&label)?;
        if result.band.as_ref().is_none_or(|b| b.min > c.min) {
            result.computed_band = Some(c.label.clone());
            result.band = Some(c);
        }
    }
    let shown = out.trace();
    result.adjustment = Some(Adjustment {
        script: shown.script,
        returned: shown.returned,
        trace: shown.trace,
        changed: result.score != Some(before) || result.band != old_band,
        score_before: before,
        band_before,
        reason,
    });
    Ok(())
}

/// Validation of everything script-related in a health rubric (called by the rubric's
/// `Validate`): the `[scripts]` table, component script references and the examples.
pub(crate) fn validate_rubric(file: &HealthRubricFile, p: &mut Problems) {
    if let Some(s) = &file.scripts {
        s.validate(p);
    }
    for (i, c) in file.components.iter().enumerate() {
        if let Some(ComponentScoring::Script { file, source }) = &c.scoring {
            crate::script::validate_ref(
                file.as_deref(),
                source.as_deref(),
                &format!("components[{i}].scoring"),
                p,
            );
        }
    }
    super::validate_examples(file, p);
}

/// Runs a custom alert trigger: sees `id`, `score`, `band`, `components`, `inputs` (this
/// snapshot), `history` (earlier snapshots, oldest first, each a map of `date`, `score`,
/// `band` and `inputs`) and `params`. Returns `true`/`false`, a string (fires, with that
/// message) or `()` (does not fire). `Ok((Some(message), trace))` when it fires.
pub(crate) fn run_alert(
    script: &Script,
    account: &Record,
    result: &HealthResult,
    history: &rhai::Array,
) -> Result<(Option<String>, ScriptTrace), ScriptError> {
    let out = script.run(&account.id, |v| match v {
        "id" => Dynamic::from(account.id.clone()),
        "score" => opt_decimal(result.score),
        "band" => result
            .band
            .as_ref()
            .map_or(Dynamic::UNIT, |b| Dynamic::from(b.label.clone())),
        "components" => Dynamic::from_map(components_map(result)),
        "inputs" => Dynamic::from_map(inputs_map(account)),
        "history" => Dynamic::from_array(history.clone()),
        _ => Dynamic::UNIT,
    })?;
    let fired = if out.value.is_unit() {
        None
    } else if let Ok(b) = out.value.as_bool() {
        b.then(String::new)
    } else if out.value.is_string() {
        Some(out.value.to_string())
    } else {
        return Err(out.wrong_type("true/false, a message string, or ()"));
    };
    Ok((fired, out.trace()))
}

/// A result's components as a script map: id to counted score, or `()`.
fn components_map(result: &HealthResult) -> rhai::Map {
    result
        .components
        .iter()
        .map(|c| (c.id.as_ref().into(), opt_decimal(c.score)))
        .collect()
}

/// The custom alert scripts of a rubric, in rubric order.
pub(crate) fn alert_hooks(rubric: &Compiled) -> &[(AlertHookSpec, Script)] {
    rubric.scripts.as_ref().map_or(&[], |s| s.alerts.as_slice())
}
