//! WebAssembly binding of csrubric (the npm package `csrubric`): conversion only, every rule
//! lives in the core crate.
//!
//! * Inputs cross as JavaScript values and are converted to the core's JSON records
//!   ([`csrubric::input`]), so the CLI, Python and this package read accounts identically.
//! * Results are the core's serde shapes ([`csrubric::api`]): the same objects
//!   `csrubric score --format json` prints, with decimals as strings (nothing is rounded
//!   through a JavaScript number) plus a `score_number` convenience field.
//! * Errors are thrown as JavaScript `Error` objects carrying a stable `code` (and
//!   `problems`, `path`, `line`, `column` for rubric errors; `row`, `id` for account errors),
//!   never as wasm traps: the core has no reachable panic (clippy denies them), and a panic
//!   hook turns a bug into an `Error` with code `internal_panic` all the same.
//!
//! Adding a rubric kind: one [`Loaded`] variant, one arm in [`load`], and the kind's
//! methods on [`Rubric`] (each a call into `csrubric::api` plus [`to_js`]).

mod convert;

use csrubric::api::{score_health_rows, HealthRow};
use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric::input::{self, Rows};
use csrubric::rubric::{peek_kind, Format, Problem, RubricError, Stamp};
use wasm_bindgen::prelude::*;

use convert::{js_to_json, Options};

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("types.d.ts");

/// Installs the panic hook (runs when the module is instantiated).
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("csrubric internal error (a bug; please report it): {info}");
        wasm_bindgen::throw_val(error("internal_panic", &message).into())
    }));
}

/// The version of this package (and of the csrubric core it embeds).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Triggers a Rust panic, to test that it reaches JavaScript as an `Error` with code
/// `internal_panic` rather than a wasm trap. Not part of the API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__panicForTests", skip_typescript)]
#[allow(clippy::panic)]
pub fn panic_for_tests() {
    panic!("deliberate panic for tests")
}

/// Every rubric shipped with csrubric (`rubrics/<area>/<name>.toml`), embedded at build
/// time: `{ name, file, format, kind, text }`.
#[wasm_bindgen(js_name = bundledRubrics, unchecked_return_type = "BundledRubric[]")]
pub fn bundled_rubrics() -> Result<JsValue, JsValue> {
    let list: Vec<serde_json::Value> = BUNDLED
        .iter()
        .map(|(file, text)| {
            let (name, format) = split_name(file);
            let kind = peek_kind(file, text, format).ok();
            serde_json::json!({
                "name": name,
                "file": format!("rubrics/{file}"),
                "format": format,
                "kind": kind,
                "text": text,
            })
        })
        .collect();
    to_js(&serde_json::Value::Array(list))
}

fn split_name(file: &str) -> (&str, Format) {
    match file.strip_suffix(".json") {
        Some(stem) => (stem, Format::Json),
        None => (file.strip_suffix(".toml").unwrap_or(file), Format::Toml),
    }
}

/// A loaded rubric of one of the kinds this build knows.
enum Loaded {
    Health(HealthRubric),
}

/// Script files named by rubrics: the bundled `rubrics/<area>/scripts/*.rhai` only (there is
/// no file system here; a rubric written in the page can inline its scripts with `source`).
fn read_bundled(path: &std::path::Path) -> std::io::Result<String> {
    let wanted = path.to_string_lossy().replace('\\', "/");
    let wanted = wanted.strip_prefix("rubrics/").unwrap_or(&wanted);
    BUNDLED_FILES
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, text)| text.to_string())
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a bundled script file (in the browser, inline the script with `source`)",
            )
        })
}

fn load(name: &str, text: &str, format: Format) -> Result<Loaded, JsValue> {
    let kind = peek_kind(name, text, format).map_err(|e| rubric_error(&e))?;
    match kind.as_str() {
        csrubric::health::KIND => {
            HealthRubric::from_str_with_reader(name, text, format, &read_bundled)
                .map(Loaded::Health)
                .map_err(|e| rubric_error(&e))
        }
        other => Err(rubric_error(&RubricError::Invalid {
            file: name.to_string(),
            problems: vec![Problem {
                path: "kind".into(),
                message: format!(
                    "unknown kind `{other}` (this build knows: {})",
                    csrubric::rubric::KINDS.join(", ")
                ),
                line: None,
                column: None,
            }],
        })),
    }
}

/// A loaded, validated rubric.
#[wasm_bindgen]
pub struct Rubric {
    inner: Loaded,
}

#[wasm_bindgen]
impl Rubric {
    /// Loads a rubric from TOML text; `name` names it in errors (default `<inline>`).
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(text: &str, name: Option<String>) -> Result<Rubric, JsValue> {
        let name = name.unwrap_or_else(|| "<inline>".into());
        load(&name, text, Format::Toml).map(|inner| Rubric { inner })
    }

    /// Loads a rubric from JSON text; `name` names it in errors (default `<inline>`).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str, name: Option<String>) -> Result<Rubric, JsValue> {
        let name = name.unwrap_or_else(|| "<inline>".into());
        load(&name, text, Format::Json).map(|inner| Rubric { inner })
    }

    /// Loads a shipped rubric by name (`health/slavkokernel`), see `bundledRubrics()`.
    pub fn bundled(name: &str) -> Result<Rubric, JsValue> {
        let wanted = split_name(name).0;
        let found = BUNDLED
            .iter()
            .find(|(file, _)| split_name(file).0 == wanted);
        match found {
            Some((file, text)) => {
                let format = split_name(file).1;
                load(&format!("rubrics/{file}"), text, format).map(|inner| Rubric { inner })
            }
            None => {
                let names: Vec<&str> = BUNDLED.iter().map(|(f, _)| split_name(f).0).collect();
                let err = error(
                    "unknown_rubric",
                    &format!(
                        "no bundled rubric `{name}` (available: {})",
                        names.join(", ")
                    ),
                );
                Err(err.into())
            }
        }
    }

    /// The rubric kind (`health`).
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        match &self.inner {
            Loaded::Health(_) => csrubric::health::KIND.to_string(),
        }
    }

    /// The rubric id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.stamp().id.clone()
    }

    /// The rubric version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.stamp().version.clone()
    }

    /// The rubric title.
    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        match &self.inner {
            Loaded::Health(r) => r.spec().title.clone(),
        }
    }

    /// `sha256:` hash of the rubric text.
    #[wasm_bindgen(getter)]
    pub fn hash(&self) -> String {
        self.stamp().hash.clone()
    }

    /// The rubric as loaded (the file's model, decimals as strings), for tools that show it.
    #[wasm_bindgen(getter, unchecked_return_type = "HealthRubricSpec")]
    pub fn spec(&self) -> Result<JsValue, JsValue> {
        match &self.inner {
            Loaded::Health(r) => to_js(&serde_json::to_value(r.spec()).map_err(internal)?),
        }
    }

    /// The input columns the rubric reads (component ids and metric ids).
    #[wasm_bindgen(getter, js_name = inputColumns)]
    pub fn input_columns(&self) -> Vec<String> {
        match &self.inner {
            Loaded::Health(r) => r.input_columns().into_iter().map(String::from).collect(),
        }
    }

    /// Scores one account (a plain object with `id` and the input columns) and returns the
    /// full result (ledger and what-it-takes; `explain: false` for the compact summary).
    /// Throws an `Error` with `code`, `id` and `row` when the account cannot be scored.
    #[wasm_bindgen(unchecked_return_type = "HealthResult")]
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Account")] account: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let opts = Options::read(options.as_ref(), true)?;
        let file = opts.file.as_deref().unwrap_or("<account>");
        let value = js_to_json(&account, "account").map_err(|m| error("input_value", &m))?;
        let record = input::record_from_json(file, 1, &value, &mut Default::default());
        let rubric = self.health()?;
        let rows: Rows = vec![record];
        let row = score_health_rows(rubric, &rows, &opts.score_options(), |_| Vec::new())
            .into_iter()
            .next()
            .ok_or_else(|| internal("no result"))?;
        match row {
            HealthRow::Failed(f) => {
                let err = error(&f.error.code, &f.error.message);
                set(&err, "row", f.row.into());
                set(&err, "id", f.id.map_or(JsValue::NULL, JsValue::from));
                Err(err.into())
            }
            scored => to_js(&with_score_number(scored.to_json(opts.explain))),
        }
    }

    /// Scores many accounts: CSV text (with an `id` column), an array of account objects,
    /// or an object of equal-length columns (`{ id: [...], usage: Float64Array, ... }`).
    /// Returns one object per input row, in order: the compact summary (the full result with
    /// `explain: true`), or `{ id, row, status: "error", error: { code, message } }`.
    /// Throws only when the input as a whole is unusable (malformed CSV, no `id` column).
    #[wasm_bindgen(js_name = scoreBatch, unchecked_return_type = "HealthRow[]")]
    pub fn score_batch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Account[] | Columns")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let opts = Options::read(options.as_ref(), false)?;
        let rows = read_rows(&input, opts.file.as_deref())?;
        let rubric = self.health()?;
        let out: Vec<serde_json::Value> =
            score_health_rows(rubric, &rows, &opts.score_options(), |_| Vec::new())
                .iter()
                .map(|r| with_score_number(r.to_json(opts.explain)))
                .collect();
        to_js(&serde_json::Value::Array(out))
    }
}

impl Rubric {
    fn stamp(&self) -> &Stamp {
        match &self.inner {
            Loaded::Health(r) => r.stamp(),
        }
    }

    /// The health rubric, or an error naming the kind this rubric is (for kinds to come).
    fn health(&self) -> Result<&HealthRubric, JsValue> {
        match &self.inner {
            Loaded::Health(r) => Ok(r),
        }
    }
}

impl Options {
    fn score_options(&self) -> ScoreOptions {
        ScoreOptions {
            as_of: self.at,
            what_it_takes: self.explain,
        }
    }
}

/// Reads a batch input: CSV text, an array of objects, or an object of columns.
fn read_rows(input: &JsValue, file: Option<&str>) -> Result<Rows, JsValue> {
    let file_err = |e: input::InputError| -> JsValue { error(e.code(), &e.to_string()).into() };
    if let Some(text) = input.as_string() {
        return input::read_csv(file.unwrap_or("<csv>"), &text).map_err(file_err);
    }
    let value = if js_sys::Array::is_array(input) {
        js_to_json(input, "rows").map_err(|m| error("input_value", &m))?
    } else if input.is_object() {
        convert::columns_to_rows(input).map_err(|m| error("input_value", &m))?
    } else {
        return Err(error(
            "input_value",
            "expected CSV text, an array of account objects, or an object of columns",
        )
        .into());
    };
    let text = serde_json::to_string(&value).map_err(internal)?;
    input::read_json(file.unwrap_or("<rows>"), &text).map_err(file_err)
}

/// Adds `score_number` (the score as a JavaScript number, for charts and sorting) next to
/// the exact `score` string of a scored row.
fn with_score_number(mut v: serde_json::Value) -> serde_json::Value {
    if let serde_json::Value::Object(m) = &mut v {
        if let Some(score) = m.get("score") {
            let n = score
                .as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .and_then(serde_json::Number::from_f64)
                .map_or(serde_json::Value::Null, serde_json::Value::Number);
            m.insert("score_number".into(), n);
        }
    }
    v
}

/// A serde value as a plain JavaScript value.
fn to_js(v: &serde_json::Value) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(internal)?;
    js_sys::JSON::parse(&text).map_err(|_| internal("result is not valid JSON"))
}

/// A JavaScript `Error` with a `code` property.
pub(crate) fn error(code: &str, message: &str) -> js_sys::Error {
    let err = js_sys::Error::new(message);
    set(&err, "code", code.into());
    err
}

fn set(err: &js_sys::Error, key: &str, value: JsValue) {
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(err, &key.into(), &value);
}

fn internal(e: impl std::fmt::Display) -> JsValue {
    error("internal", &format!("csrubric internal error: {e}")).into()
}

/// A rubric error: `code`, the message, every problem (`path`, `message`, `line`,
/// `column`), and the first problem's location at the top level for quick display.
fn rubric_error(e: &RubricError) -> JsValue {
    let err = error(e.code(), &e.to_string());
    let problems = e.problems();
    let list = serde_json::to_value(&problems).unwrap_or_default();
    set(&err, "problems", to_js(&list).unwrap_or(JsValue::NULL));
    if let Some(first) = problems.first() {
        set(&err, "path", first.path.as_str().into());
        set(
            &err,
            "line",
            first.line.map_or(JsValue::NULL, JsValue::from),
        );
        set(
            &err,
            "column",
            first.column.map_or(JsValue::NULL, JsValue::from),
        );
    }
    err.into()
}
