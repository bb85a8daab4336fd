//! A priority rubric's rule scripts: the score formula of a `model = "script"` rubric and
//! the classification script, compiled once when the rubric loads.

use std::path::Path;
use std::sync::Arc;

use rhai::Dynamic;
use rust_decimal::Decimal;

use super::{Class, Contribution, PriorityError, PriorityRubricFile, RequestRef, Tier};
use crate::input::Record;
use crate::rubric::{Problem, RubricError};
use crate::script::{
    inputs_map, load_ref, params_map, FileReader, Hook, Script, ScriptEngine, ScriptError,
    ScriptTrace,
};

/// The compiled scripts of a priority rubric.
#[derive(Debug)]
pub(super) struct PriorityScripts {
    pub(super) formula: Option<Script>,
    pub(super) classify: Option<Script>,
    /// The text of every script file, hashed into the rubric's stamp.
    pub(super) file_texts: String,
}

impl PriorityScripts {
    /// Compiles the `[scripts]` of `file` (files relative to `rubric_file`'s folder).
    pub(super) fn compile(
        file: &PriorityRubricFile,
        rubric_file: &str,
        reader: FileReader<'_>,
    ) -> Result<Option<PriorityScripts>, RubricError> {
        let Some(spec) = &file.scripts else {
            return Ok(None);
        };
        let base = Path::new(rubric_file).parent().unwrap_or(Path::new(""));
        let engine = ScriptEngine::new(spec.limits.resolve(), params_map(&spec.params));
        let mut problems = Vec::new();
        let mut file_texts = String::new();
        let mut build = |r: Option<&crate::script::ScriptRef>, at: &str, hook: Hook| {
            let r = r?;
            let compiled = load_ref(r.file.as_deref(), r.source.as_deref(), base, at, reader)
                .and_then(|(name, text)| {
                    if let Some(f) = &r.file {
                        file_texts.push_str(&format!("\n# script {f}\n{text}"));
                    }
                    ScriptEngine::compile(&engine, &name, hook, &text)
                });
            match compiled {
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
        let formula = build(spec.formula.as_ref(), "scripts.formula", Hook::Formula);
        let classify = build(spec.classify.as_ref(), "scripts.classify", Hook::Classify);
        if !problems.is_empty() {
            return Err(RubricError::Invalid {
                file: rubric_file.to_string(),
                problems,
            });
        }
        Ok(Some(PriorityScripts {
            formula,
            classify,
            file_texts,
        }))
    }
}

fn script_err(at: &RequestRef, error: ScriptError) -> PriorityError {
    PriorityError::Script {
        at: at.clone(),
        error: Box::new(error),
    }
}

/// Criterion id to the value used (`effective`) or as given (`value`).
fn criteria_map(contributions: &[Contribution], effective: bool) -> rhai::Map {
    contributions
        .iter()
        .map(|c| {
            let v = if effective { c.effective } else { c.value };
            (c.criterion.as_str().into(), Dynamic::from_decimal(v))
        })
        .collect()
}

/// Runs the formula script: sees `id`, `criteria`, `values`, `request`, `params`; returns
/// the unrounded score, a decimal.
pub(super) fn run_formula(
    script: &Script,
    request: &Record,
    contributions: &[Contribution],
    at: &RequestRef,
) -> Result<(Decimal, ScriptTrace), PriorityError> {
    let out = script
        .run(&request.id, |v| match v {
            "id" => Dynamic::from(request.id.clone()),
            "criteria" => Dynamic::from_map(criteria_map(contributions, true)),
            "values" => Dynamic::from_map(criteria_map(contributions, false)),
            "request" => Dynamic::from_map(inputs_map(request)),
            _ => Dynamic::UNIT,
        })
        .map_err(|e| script_err(at, e))?;
    let score = out
        .decimal("a decimal score")
        .map_err(|e| script_err(at, e))?;
    Ok((score, out.trace()))
}

/// Runs the classification script: sees `id`, `request`, `criteria`, `score`, `tier`,
/// `kano`, `params`; returns a class label, or `()` to fall through.
pub(super) fn run_classify(
    script: &Script,
    request: &Record,
    at: &RequestRef,
    facts: &ClassifyFacts<'_>,
) -> Result<(Option<Class>, ScriptTrace), PriorityError> {
    let out = script
        .run(&request.id, |v| match v {
            "id" => Dynamic::from(request.id.clone()),
            "request" => Dynamic::from_map(inputs_map(request)),
            "criteria" => Dynamic::from_map(criteria_map(facts.contributions, true)),
            "score" => Dynamic::from_decimal(facts.score),
            "tier" => facts
                .tier
                .map_or(Dynamic::UNIT, |t| Dynamic::from(t.as_str().to_string())),
            "kano" => facts
                .kano
                .map_or(Dynamic::UNIT, |k| Dynamic::from(k.to_string())),
            _ => Dynamic::UNIT,
        })
        .map_err(|e| script_err(at, e))?;
    let expected =
        "a class label (must_have, performance_enhancer, delighter, hygiene_factor) or () to fall through";
    if out.value.is_unit() {
        return Ok((None, out.trace()));
    }
    let Ok(label) = out.value.as_immutable_string_ref() else {
        return Err(script_err(at, out.wrong_type(expected)));
    };
    match Class::parse(&label) {
        Some(class) => Ok((Some(class), out.trace())),
        None => Err(script_err(
            at,
            out.bad_value(format!(
                "returned `{}`, which is not a class (must_have, performance_enhancer, delighter, hygiene_factor)",
                label.as_str()
            )),
        )),
    }
}

/// What the classification script sees besides the request.
pub(super) struct ClassifyFacts<'a> {
    pub(super) contributions: &'a [Contribution],
    pub(super) score: Decimal,
    pub(super) tier: Option<Tier>,
    pub(super) kano: Option<super::KanoCategory>,
}

/// The compiled scripts, shared by clones of the rubric.
pub(super) type Shared = Option<Arc<PriorityScripts>>;
