//! JavaScript values to the core's JSON input, and the options object.
//!
//! Numbers keep their shortest round-trip literal (`84.99` stays `84.99`), as the core does
//! for JSON numbers. Values JSON cannot hold are kept visible rather than silently dropped:
//! `NaN` and `Infinity` become the text `"NaN"` / `"Infinity"` (so the rubric reports
//! `not_a_number` for that row and column), a `BigInt` becomes its exact digits, a `Date`
//! its ISO-8601 instant. `null` and `undefined` mean absent.

use js_sys::{Array, ArrayBuffer, Date, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error;

/// Deepest nesting accepted (also stops cycles).
const MAX_DEPTH: usize = 32;

/// Converts a JavaScript value to JSON; `path` names it in error messages.
pub(crate) fn js_to_json(v: &JsValue, path: &str) -> Result<serde_json::Value, String> {
    to_json(v, path, 0)
}

fn to_json(v: &JsValue, path: &str, depth: usize) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    if depth > MAX_DEPTH {
        return Err(format!(
            "`{path}` is nested more than {MAX_DEPTH} levels deep (or contains a cycle)"
        ));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(J::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(J::Bool(b));
    }
    if let Some(x) = v.as_f64() {
        return Ok(match serde_json::Number::from_f64(x) {
            Some(n) => J::Number(n),
            None if x.is_nan() => J::String("NaN".into()),
            None if x > 0.0 => J::String("Infinity".into()),
            None => J::String("-Infinity".into()),
        });
    }
    if let Some(s) = v.as_string() {
        return Ok(J::String(s));
    }
    if v.is_bigint() {
        let text: String = v
            .unchecked_ref::<js_sys::BigInt>()
            .to_string(10)
            .map(String::from)
            .map_err(|_| format!("`{path}`: cannot read a BigInt"))?;
        return Ok(J::String(text));
    }
    if let Some(d) = v.dyn_ref::<Date>() {
        if d.get_time().is_nan() {
            return Ok(J::String("Invalid Date".into()));
        }
        return Ok(J::String(String::from(d.to_iso_string())));
    }
    if Array::is_array(v) || ArrayBuffer::is_view(v) {
        return Array::from(v)
            .iter()
            .enumerate()
            .map(|(i, item)| to_json(&item, &format!("{path}[{i}]"), depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(J::Array);
    }
    if v.is_object() && !v.is_function() {
        let mut map = serde_json::Map::new();
        for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
            let name = key.as_string().unwrap_or_default();
            let item =
                Reflect::get(v, &key).map_err(|_| format!("`{path}.{name}` cannot be read"))?;
            map.insert(
                name.clone(),
                to_json(&item, &format!("{path}.{name}"), depth + 1)?,
            );
        }
        return Ok(J::Object(map));
    }
    let kind = v.js_typeof().as_string().unwrap_or_default();
    Err(format!(
        "`{path}` is a {kind}, which cannot be an input value"
    ))
}

/// Turns `{ id: [...], usage: [...] }` (arrays or typed arrays of equal length) into an
/// array of row objects.
pub(crate) fn columns_to_rows(v: &JsValue) -> Result<serde_json::Value, String> {
    let mut columns: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let col = Reflect::get(v, &key).map_err(|_| format!("column `{name}` cannot be read"))?;
        if !(Array::is_array(&col) || ArrayBuffer::is_view(&col)) {
            return Err(format!(
                "expected CSV text, an array of account objects, or an object of columns; \
                 column `{name}` is not an array"
            ));
        }
        let values = match to_json(&col, &name, 0)? {
            serde_json::Value::Array(a) => a,
            _ => Vec::new(),
        };
        if let Some((first, first_values)) = columns.first() {
            if first_values.len() != values.len() {
                return Err(format!(
                    "column `{name}` has {} values but column `{first}` has {}",
                    values.len(),
                    first_values.len()
                ));
            }
        }
        columns.push((name, values));
    }
    let n = columns.first().map_or(0, |(_, v)| v.len());
    let mut rows: Vec<serde_json::Map<String, serde_json::Value>> =
        (0..n).map(|_| serde_json::Map::new()).collect();
    for (name, values) in columns {
        for (row, value) in rows.iter_mut().zip(values) {
            row.insert(name.clone(), value);
        }
    }
    Ok(serde_json::Value::Array(
        rows.into_iter().map(serde_json::Value::Object).collect(),
    ))
}

/// The options object of `score` / `scoreBatch`.
pub(crate) struct Options {
    /// The instant overrides are judged at (`at`).
    pub(crate) at: Option<csrubric::Instant>,
    /// Full results (ledger, what-it-takes) instead of the compact summary.
    pub(crate) explain: bool,
    /// The name of the input in error messages (`file`).
    pub(crate) file: Option<String>,
}

impl Options {
    /// Reads `{ at?, explain?, file? }`; `undefined`/`null` mean all defaults.
    pub(crate) fn read(v: Option<&JsValue>, explain_default: bool) -> Result<Options, JsValue> {
        let mut out = Options {
            at: None,
            explain: explain_default,
            file: None,
        };
        let Some(v) = v.filter(|v| !v.is_undefined() && !v.is_null()) else {
            return Ok(out);
        };
        if !v.is_object() {
            return Err(error("input_value", "options must be an object").into());
        }
        let get = |k: &str| Reflect::get(v, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let at = get("at");
        if !at.is_undefined() && !at.is_null() {
            let text = match at.dyn_ref::<Date>() {
                Some(d) if !d.get_time().is_nan() => String::from(d.to_iso_string()),
                _ => at.as_string().ok_or_else(|| {
                    error(
                        "input_instant",
                        "`at` must be an RFC 3339 string (2026-11-23T10:00:00Z) or a Date",
                    )
                })?,
            };
            out.at = Some(csrubric::parse_instant(&text).map_err(|m| error("input_instant", &m))?);
        }
        let explain = get("explain");
        if !explain.is_undefined() {
            out.explain = explain
                .as_bool()
                .ok_or_else(|| error("input_value", "`explain` must be a boolean"))?;
        }
        let file = get("file");
        if !file.is_undefined() {
            out.file = Some(
                file.as_string()
                    .ok_or_else(|| error("input_value", "`file` must be a string"))?,
            );
        }
        Ok(out)
    }
}
