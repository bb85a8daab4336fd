//! JavaScript values to the core's JSON input and options, and the one table of option names.
//!
//! Numbers keep their shortest round-trip literal (`84.99` stays `84.99`) and whole numbers
//! stay integers (`85`, not `85.0`), as the core reads JSON numbers from a file. Values JSON
//! cannot hold are kept visible rather than silently dropped: `NaN` and `Infinity` become the
//! text `"NaN"` / `"Infinity"` (so the operation reports that row and column), a `BigInt`
//! becomes its exact digits, a `Date` its ISO-8601 instant. `null` and `undefined` mean
//! absent.

use csrubric::api::Input;
use js_sys::{Array, ArrayBuffer, Date, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{error, set};

/// Deepest nesting accepted (also stops cycles).
const MAX_DEPTH: usize = 32;

/// Largest whole number a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The option name (`file`) that names CSV text input in messages; the binding reads it, the
/// core never sees it.
pub(crate) const FILE_OPTION: &str = "file";

/// The one place camelCase option names (the JS-idiom methods: `prioritize`, `plan`,
/// `history`, `journey`...) meet the core's snake_case names (`rubric.run` and the CLI's
/// `--options`). Single-word options (`at`, `today`, `calendar`...) are the same in both.
pub(crate) const OPTION_NAMES: &[(&str, &str)] = &[
    ("minScore", "min_score"),
    ("asOf", "as_of"),
    ("carryForwardDays", "carry_forward_days"),
    ("windowDays", "window_days"),
];

/// Which option names a call uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Naming {
    /// camelCase, renamed through [`OPTION_NAMES`].
    Js,
    /// The core's names, passed through (`rubric.run`).
    Core,
}

impl Naming {
    /// The name a user of this naming writes for the core's option `core`.
    pub(crate) fn user_name(self, core: &str) -> &str {
        match self {
            Naming::Core => core,
            Naming::Js => OPTION_NAMES
                .iter()
                .find(|(_, c)| *c == core)
                .map_or(core, |(js, _)| js),
        }
    }

    /// A core message with the core's option names written as this naming's.
    pub(crate) fn user_message(self, message: &str) -> String {
        let mut out = message.to_string();
        if self == Naming::Js {
            for (js, core) in OPTION_NAMES {
                out = out.replace(&format!("`{core}`"), &format!("`{js}`"));
            }
        }
        out
    }
}

/// An `invalid_options` error naming `option` (as the user wrote it).
fn option_error(option: Option<&str>, message: &str) -> JsValue {
    let err = error("invalid_options", message);
    set(&err, "option", option.map_or(JsValue::NULL, JsValue::from));
    err.into()
}

/// Reads an options object (`undefined`/`null`: all defaults) into the core's JSON options
/// for operation `op`, renaming camelCase names with [`OPTION_NAMES`] when `naming` is
/// [`Naming::Js`]; `file` is taken out (it names CSV text input).
pub(crate) fn options(
    op: &str,
    v: Option<&JsValue>,
    naming: Naming,
) -> Result<(serde_json::Value, Option<String>), JsValue> {
    let Some(v) = v.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok((serde_json::Value::Null, None));
    };
    if !v.is_object() || Array::is_array(v) || v.is_function() {
        return Err(option_error(
            None,
            &format!("`{op}` options must be an object"),
        ));
    }
    let mut map = serde_json::Map::new();
    let mut file = None;
    for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let item = Reflect::get(v, &key)
            .map_err(|_| option_error(Some(&name), &format!("`{name}` cannot be read")))?;
        if name == FILE_OPTION {
            if item.is_undefined() || item.is_null() {
                continue;
            }
            file = Some(item.as_string().ok_or_else(|| {
                option_error(
                    Some(&name),
                    "`file` (the name of the input) must be a string",
                )
            })?);
            continue;
        }
        if item.is_undefined() {
            continue;
        }
        let core = match naming {
            Naming::Core => name.clone(),
            Naming::Js => {
                if let Some((js, _)) = OPTION_NAMES.iter().find(|(_, c)| *c == name) {
                    return Err(option_error(
                        Some(&name),
                        &format!("`{op}` options: `{name}` is written `{js}` here"),
                    ));
                }
                OPTION_NAMES
                    .iter()
                    .find(|(js, _)| *js == name)
                    .map_or_else(|| name.clone(), |(_, core)| (*core).to_string())
            }
        };
        let value = js_to_json(&item, &name)
            .map_err(|m| option_error(Some(&name), &format!("`{op}` options: {m}")))?;
        if map.insert(core, value).is_some() {
            return Err(option_error(
                Some(&name),
                &format!("`{op}` options: `{name}` is given twice"),
            ));
        }
    }
    Ok((serde_json::Value::Object(map), file))
}

/// A string argument, or an `invalid_argument` error naming it.
pub(crate) fn string_arg(v: &JsValue, what: &str) -> Result<String, JsValue> {
    v.as_string().ok_or_else(|| {
        let kind = v.js_typeof().as_string().unwrap_or_default();
        error(
            "invalid_argument",
            &format!("`{what}` must be a string, not a {kind}"),
        )
        .into()
    })
}

/// An operation's input rows, converted from JavaScript.
pub(crate) enum InputData {
    /// No rows (`null`, `undefined`).
    None,
    /// CSV text.
    Csv(String),
    /// An array of objects (or the rows of an object of columns).
    Json(serde_json::Value),
}

impl InputData {
    /// Reads CSV text, an array of objects, an object of equal-length columns, or nothing.
    pub(crate) fn read(v: &JsValue) -> Result<InputData, JsValue> {
        if v.is_undefined() || v.is_null() {
            return Ok(InputData::None);
        }
        if let Some(text) = v.as_string() {
            return Ok(InputData::Csv(text));
        }
        let value = if Array::is_array(v) {
            js_to_json(v, "input")
        } else if v.is_object() && !v.is_function() && !is_columns(v) {
            // Not an object of columns (no value is an array): the core judges it as it
            // judges the same JSON from the CLI (`input_file`, "not a list of rows").
            js_to_json(v, "input")
        } else if v.is_object() && !v.is_function() {
            columns_to_rows(v)
        } else {
            Err("expected CSV text, an array of objects, or an object of columns".to_string())
        };
        value
            .map(InputData::Json)
            .map_err(|m| error("input_value", &m).into())
    }

    /// The core's view of the rows; `file` names CSV text in messages (default `<csv>`).
    pub(crate) fn input<'a>(&'a self, file: &'a Option<String>) -> Input<'a> {
        match self {
            InputData::None => Input::None,
            InputData::Csv(text) => Input::Csv {
                file: file.as_deref().unwrap_or("<csv>"),
                text,
            },
            InputData::Json(v) => Input::Json(v),
        }
    }
}

/// Converts a JavaScript value to JSON; `path` names it in error messages.
pub(crate) fn js_to_json(v: &JsValue, path: &str) -> Result<serde_json::Value, String> {
    to_json(v, path, 0)
}

fn number(x: f64) -> serde_json::Value {
    use serde_json::Value as J;
    if x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER {
        // Exact: |x| <= 2^53 - 1 is a whole number an i64 holds.
        #[allow(clippy::cast_possible_truncation)]
        return J::Number(serde_json::Number::from(x as i64));
    }
    match serde_json::Number::from_f64(x) {
        Some(n) => J::Number(n),
        None if x.is_nan() => J::String("NaN".into()),
        None if x > 0.0 => J::String("Infinity".into()),
        None => J::String("-Infinity".into()),
    }
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
        return Ok(number(x));
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
/// Whether `v` looks like an object of columns: empty, or at least one value is an array
/// or a typed array.
fn is_columns(v: &JsValue) -> bool {
    let values = Object::values(v.unchecked_ref::<Object>());
    values.length() == 0
        || values
            .iter()
            .any(|col| Array::is_array(&col) || ArrayBuffer::is_view(&col))
}

pub(crate) fn columns_to_rows(v: &JsValue) -> Result<serde_json::Value, String> {
    let mut columns: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let col = Reflect::get(v, &key).map_err(|_| format!("column `{name}` cannot be read"))?;
        if !(Array::is_array(&col) || ArrayBuffer::is_view(&col)) {
            return Err(format!(
                "expected CSV text, an array of objects, or an object of columns; \
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
        if !v.is_object() || Array::is_array(v) {
            return Err(option_error(None, "`score` options must be an object"));
        }
        let get = |k: &str| Reflect::get(v, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let at = get("at");
        if !at.is_undefined() && !at.is_null() {
            let text = match at.dyn_ref::<Date>() {
                Some(d) if !d.get_time().is_nan() => String::from(d.to_iso_string()),
                _ => at.as_string().ok_or_else(|| {
                    option_error(
                        Some("at"),
                        "`at` must be an RFC 3339 string (2026-11-23T10:00:00Z) or a Date",
                    )
                })?,
            };
            out.at = Some(
                csrubric::parse_instant(&text)
                    .map_err(|m| option_error(Some("at"), &format!("`at`: {m}")))?,
            );
        }
        let explain = get("explain");
        if !explain.is_undefined() {
            out.explain = explain
                .as_bool()
                .ok_or_else(|| option_error(Some("explain"), "`explain` must be a boolean"))?;
        }
        let file = get(FILE_OPTION);
        if !file.is_undefined() {
            out.file = Some(
                file.as_string()
                    .ok_or_else(|| option_error(Some("file"), "`file` must be a string"))?,
            );
        }
        Ok(out)
    }
}
