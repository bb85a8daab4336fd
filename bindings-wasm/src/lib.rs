//! WebAssembly binding of csrubric: conversion only, every rule lives in the core crate.
//!
//! Errors are thrown as JavaScript `Error` objects carrying a stable `code` (and `problems`
//! for rubric errors, each with `path`, `message`, `line`, `column`), never as wasm traps.
//! Decimals cross as strings, so nothing is rounded through a JavaScript number.

use csrubric::health::{HealthRubric, ScoreOptions};
use wasm_bindgen::prelude::*;

fn js_error(code: &str, message: &str, extra: Option<(&str, JsValue)>) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    if let Some((k, v)) = extra {
        let _ = js_sys::Reflect::set(&err, &k.into(), &v);
    }
    err.into()
}

fn from_json_text(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

fn rubric_error(e: &csrubric::rubric::RubricError) -> JsValue {
    let problems = serde_json::to_string(&e.problems()).unwrap_or_else(|_| "[]".into());
    js_error(
        e.code(),
        &e.to_string(),
        Some(("problems", from_json_text(&problems))),
    )
}

/// A loaded, validated health rubric.
#[wasm_bindgen]
pub struct Rubric {
    inner: HealthRubric,
}

#[wasm_bindgen]
impl Rubric {
    /// Loads a rubric from TOML text; `name` names it in errors.
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(text: &str, name: Option<String>) -> Result<Rubric, JsValue> {
        let name = name.unwrap_or_else(|| "<inline>".into());
        HealthRubric::from_toml_str(&name, text)
            .map(|inner| Rubric { inner })
            .map_err(|e| rubric_error(&e))
    }

    /// Loads a rubric from JSON text; `name` names it in errors.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str, name: Option<String>) -> Result<Rubric, JsValue> {
        let name = name.unwrap_or_else(|| "<inline>".into());
        HealthRubric::from_json_str(&name, text)
            .map(|inner| Rubric { inner })
            .map_err(|e| rubric_error(&e))
    }

    /// The rubric id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.stamp().id.clone()
    }

    /// `sha256:` hash of the rubric text.
    #[wasm_bindgen(getter)]
    pub fn hash(&self) -> String {
        self.inner.stamp().hash.clone()
    }

    /// Scores one account (a plain object with `id` and input columns) and returns the
    /// result as a plain object; `at` is an RFC 3339 instant for override expiry.
    pub fn score(&self, account: JsValue, at: Option<String>) -> Result<JsValue, JsValue> {
        let text: String = js_sys::JSON::stringify(&account)
            .map_err(|_| js_error("input_file", "the account is not JSON-serializable", None))?
            .into();
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| js_error("input_file", &e.to_string(), None))?;
        let record =
            csrubric::input::record_from_json("<account>", 1, &value, &mut Default::default())
                .map_err(|e| js_error(e.code(), &e.to_string(), None))?;
        let as_of = match at {
            Some(s) => {
                Some(csrubric::parse_instant(&s).map_err(|m| js_error("input_instant", &m, None))?)
            }
            None => None,
        };
        let options = ScoreOptions {
            as_of,
            ..ScoreOptions::default()
        };
        let result = self
            .inner
            .score_batch(std::slice::from_ref(&record), &options)
            .into_iter()
            .next()
            .ok_or_else(|| js_error("internal", "no result", None))?
            .map_err(|e| js_error(e.code(), &e.to_string(), None))?;
        let out = serde_json::to_string(&result)
            .map_err(|e| js_error("internal", &e.to_string(), None))?;
        Ok(from_json_text(&out))
    }
}
