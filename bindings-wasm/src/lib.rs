//! WebAssembly binding of csrubric (the npm package `csrubric`): conversion only, every rule
//! lives in the core crate, behind [`csrubric::api`].
//!
//! * A [`Rubric`] is a [`csrubric::api::AnyRubric`]: every kind loads (health, priority,
//!   sla, renewal, plan...), linked calendars, matrices and scripts are read from the
//!   bundled `rubrics/` folder ([`csrubric::bundled::read`]).
//! * `rubric.run(op, input, options)` is [`AnyRubric::run`]: the answer is exactly what
//!   `csrubric run RUBRIC OP INPUT --options JSON` prints, as plain JavaScript objects with
//!   decimals as strings. The JS-idiom methods (`prioritize`, `sla`, `renewals`, `plan`...)
//!   are the same call with camelCase option names, renamed by one table
//!   ([`convert::OPTION_NAMES`]).
//! * Inputs cross as JavaScript values (an array of objects, an object of equal-length
//!   columns, or CSV text) and become the core's JSON records ([`csrubric::input`]).
//! * Errors are thrown as JavaScript `Error` objects carrying a stable `code` (and
//!   `problems`, `path`, `line`, `column` for rubric errors; `row`, `id` for input errors;
//!   `option` for options errors), never as wasm traps: the core has no reachable panic
//!   (clippy denies them), and a panic hook turns a bug into an `Error` with code
//!   `internal_panic` all the same.
//!
//! Adding an operation to the core needs no change here beyond a JS-idiom method (one line
//! calling [`Rubric::op`]) and its types in `src/types.d.ts`; a new multi-word option is one
//! row of [`convert::OPTION_NAMES`].

mod convert;
mod error;

use csrubric::api::AnyRubric;

use csrubric::bundled;
use csrubric::health::{score_health_rows, HealthRow, HealthRubric, ScoreOptions};
use csrubric::input::{self, Rows};
use csrubric::rubric::{peek_kind, Format};
use wasm_bindgen::prelude::*;

use convert::{js_to_json, InputData, Naming, Options};
use error::{api_error, error, internal, rubric_error, set};

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
/// time ([`csrubric::bundled`]): `{ name, file, format, kind, text }`.
#[wasm_bindgen(js_name = bundledRubrics, unchecked_return_type = "BundledRubric[]")]
pub fn bundled_rubrics() -> Result<JsValue, JsValue> {
    let list: Vec<serde_json::Value> = bundled::names()
        .into_iter()
        .filter_map(|name| {
            bundled::get(name).map(|(file, text, format)| (name, file, text, format))
        })
        .map(|(name, file, text, format)| {
            let kind = peek_kind(&file, text, format).ok();
            serde_json::json!({
                "name": name,
                "file": file,
                "format": format,
                "kind": kind,
                "text": text,
            })
        })
        .collect();
    to_js(&serde_json::Value::Array(list))
}

/// Journey stage, owner, segment, engagement tier, advocacy level and next touch point of
/// each account (`id`, `go_live`, optional `signed`, `contract_end`, `employees`,
/// `strategic`, `nps`, `success`): [`csrubric::api::lifecycle::journey`], what
/// `csrubric journey --format json` prints. Needs no rubric.
#[wasm_bindgen(unchecked_return_type = "Answer<JourneyRow>")]
pub fn journey(
    #[wasm_bindgen(unchecked_param_type = "Input")] accounts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "JourneyOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let naming = Naming::Js;
    let (options, file) = convert::options("journey", options.as_ref(), naming)?;
    let data = InputData::read(&accounts)?;
    let rows = data
        .input(&file)
        .records()
        .map_err(|e| api_error(&e, naming))?;
    let request =
        csrubric::api::parse_options("journey", &options).map_err(|e| api_error(&e, naming))?;
    to_js(&to_json(&csrubric::api::lifecycle::journey(
        &rows, &request,
    ))?)
}

/// A loaded, validated rubric of any kind.
#[wasm_bindgen]
pub struct Rubric {
    inner: AnyRubric,
}

#[wasm_bindgen]
impl Rubric {
    /// Loads a rubric of any kind from TOML text; `name` names it in errors (default
    /// `<inline>`) and places it among the bundled files: `rubrics/escalation/x.toml` links
    /// `../calendars/y.toml` to the bundled calendar.
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: Option<JsValue>,
    ) -> Result<Rubric, JsValue> {
        load(&text, name.as_ref(), Format::Toml)
    }

    /// Loads a rubric of any kind from JSON text; `name` as for `fromToml`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: Option<JsValue>,
    ) -> Result<Rubric, JsValue> {
        load(&text, name.as_ref(), Format::Json)
    }

    /// Loads a shipped rubric by name (`health/slavkokernel`), see `bundledRubrics()`.
    pub fn bundled(
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<Rubric, JsValue> {
        let name = convert::string_arg(&name, "name")?;
        bundled::load(&name)
            .map(|inner| Rubric { inner })
            .map_err(|e| rubric_error(&e))
    }

    /// The rubric kind (`health`, `priority`, `sla`...).
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.inner.kind().to_string()
    }

    /// The rubric id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.stamp().id.clone()
    }

    /// The rubric version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.stamp().version.clone()
    }

    /// The rubric title.
    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        self.inner.title().to_string()
    }

    /// `sha256:` hash of the rubric text.
    #[wasm_bindgen(getter)]
    pub fn hash(&self) -> String {
        self.inner.stamp().hash.clone()
    }

    /// A one-line summary of what the rubric holds (what `csrubric check` prints).
    #[wasm_bindgen(getter)]
    pub fn summary(&self) -> String {
        self.inner.summary()
    }

    /// The operations of the rubric's kind (`["prioritize", "test"]`), for `run`.
    #[wasm_bindgen(getter)]
    pub fn ops(&self) -> Vec<String> {
        self.inner.ops().iter().map(|s| s.to_string()).collect()
    }

    /// Warnings about a rubric that loads but may not do what its author meant.
    #[wasm_bindgen(getter, unchecked_return_type = "Problem[]")]
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        to_js(&to_json(&self.inner.warnings())?)
    }

    /// The rubric's `[[examples]]` (what `selfTest()` runs): `{ name, op?, input, options,
    /// expect | error }`. Health rubrics keep theirs in their own form, in `spec.examples`.
    #[wasm_bindgen(getter, unchecked_return_type = "ExampleCase[]")]
    pub fn examples(&self) -> Result<JsValue, JsValue> {
        to_js(&to_json(self.inner.examples())?)
    }

    /// A health rubric as loaded (the file's model, decimals as strings); `null` for other
    /// kinds.
    #[wasm_bindgen(getter, unchecked_return_type = "HealthRubricSpec | null")]
    pub fn spec(&self) -> Result<JsValue, JsValue> {
        match &self.inner {
            AnyRubric::Health(r) => to_js(&to_json(r.spec())?),
            _ => Ok(JsValue::NULL),
        }
    }

    /// The input columns a health rubric reads (component ids and metric ids); `null` for
    /// other kinds.
    #[wasm_bindgen(getter, js_name = inputColumns, unchecked_return_type = "string[] | null")]
    pub fn input_columns(&self) -> Result<JsValue, JsValue> {
        match &self.inner {
            AnyRubric::Health(r) => to_js(&to_json(&r.input_columns())?),
            _ => Ok(JsValue::NULL),
        }
    }

    /// Runs any operation of the rubric (`rubric.ops`) with the core's option names: the
    /// answer is exactly what `csrubric run RUBRIC OP INPUT --options JSON` prints. `input`
    /// is an array of objects, an object of equal-length columns, CSV text, or `null`;
    /// `options.file` names CSV text in messages.
    #[wasm_bindgen(unchecked_return_type = "unknown")]
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] op: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Input")] input: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "RunOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let op = convert::string_arg(&op, "op")?;
        self.run_op(&op, input.as_ref(), options.as_ref(), Naming::Core)
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

    /// A health rubric over dated snapshots (rows with `id` and `date`, an id once per
    /// date): each date's score, band, trend and alerts. Options `carryForwardDays`,
    /// `windowDays`, `explain`.
    #[wasm_bindgen(unchecked_return_type = "Answer<HistoryEntry>")]
    pub fn history(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] snapshots: JsValue,
        #[wasm_bindgen(unchecked_param_type = "HistoryOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("history", snapshots, options)
    }

    /// How well a health rubric separates churned from retained accounts (rows with a
    /// `churned` cell).
    #[wasm_bindgen(unchecked_return_type = "BacktestAnswer")]
    pub fn backtest(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] accounts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileOption")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("backtest", accounts, options)
    }

    /// Scores `rows` under this health rubric and a candidate version of it: one row per
    /// account with both bands and results, `band_changed` when the band moves.
    #[wasm_bindgen(unchecked_return_type = "Answer<ShadowRow>")]
    pub fn shadow(
        &self,
        candidate: &Rubric,
        #[wasm_bindgen(unchecked_param_type = "Input")] rows: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileOption")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let naming = Naming::Js;
        let (_, file) = convert::options("shadow", options.as_ref(), naming)?;
        let current = self.health_for("shadow")?;
        let candidate = candidate.health_for("shadow")?;
        let data = InputData::read(&rows)?;
        let rows = data
            .input(&file)
            .records()
            .map_err(|e| api_error(&e, naming))?;
        to_js(&to_json(&csrubric::api::history::shadow(
            current, candidate, &rows,
        ))?)
    }

    /// Ranks enhancement requests with a priority rubric. Options `vertical`,
    /// `classification`, `minScore`, `relative`, `explain`.
    #[wasm_bindgen(unchecked_return_type = "Answer<Ranked>")]
    pub fn prioritize(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] requests: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PrioritizeOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("prioritize", requests, options)
    }

    /// SLA targets and their state for each ticket, with an SLA policy. Option `at`.
    #[wasm_bindgen(unchecked_return_type = "Answer<SlaResult>")]
    pub fn sla(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] tickets: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AtOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("sla", tickets, options)
    }

    /// The escalation levels each case matches, with an escalation matrix. Option `at`.
    #[wasm_bindgen(unchecked_return_type = "Answer<EscalationRow>")]
    pub fn escalate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] cases: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AtOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("escalate", cases, options)
    }

    /// The alerts each account triggers, with alert rules. Option `at`.
    #[wasm_bindgen(unchecked_return_type = "Answer<AlertsRow>")]
    pub fn alerts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] accounts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AtOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("alerts", accounts, options)
    }

    /// Working time between `start` and `end` of each row, with a calendar.
    #[wasm_bindgen(js_name = businessTime, unchecked_return_type = "Answer<BusinessTime>")]
    pub fn business_time(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] intervals: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileOption")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("business_time", intervals, options)
    }

    /// The renewal pipeline of the contracts, with a renewal playbook. Options `today`,
    /// `calendar` (a bundled calendar file, `rubrics/calendars/business-hours-berlin.toml`).
    #[wasm_bindgen(unchecked_return_type = "Answer<RenewalResult>")]
    pub fn renewals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] contracts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RenewalsOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("renewals", contracts, options)
    }

    /// Portfolio KPIs against the rubric's targets.
    #[wasm_bindgen(unchecked_return_type = "KpiAnswer")]
    pub fn kpi(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] accounts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileOption")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("kpi", accounts, options)
    }

    /// A dated plan from a plan template (no input rows). Options `kickoff` (required),
    /// `package`, `industry`, `calendar`, `asOf`, `done`.
    #[wasm_bindgen(unchecked_return_type = "PlanAnswer")]
    pub fn plan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PlanOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("plan", JsValue::NULL, options)
    }

    /// Category, priority, route and response targets of each ticket, with triage rules.
    #[wasm_bindgen(unchecked_return_type = "Answer<TicketTriage>")]
    pub fn triage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] tickets: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileOption")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("triage", tickets, options)
    }

    /// CSM headcount for a portfolio, with capacity ratios. Option `roster` (rows with `id`
    /// and `role`).
    #[wasm_bindgen(unchecked_return_type = "CapacityAnswer")]
    pub fn capacity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] portfolio: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CapacityOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("capacity", portfolio, options)
    }

    /// Risk level and intervention playbooks of each account, with intervention rules.
    #[wasm_bindgen(unchecked_return_type = "Answer<AccountInterventions>")]
    pub fn interventions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Input")] accounts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileOption")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        self.op("interventions", accounts, options)
    }

    /// Runs the rubric's own `[[examples]]`: `{ rubric, passed, failed, examples: [{ name,
    /// passed, diffs }] }`.
    #[wasm_bindgen(js_name = selfTest, unchecked_return_type = "SelfTestReport")]
    pub fn self_test(&self) -> Result<JsValue, JsValue> {
        self.op("test", JsValue::NULL, None)
    }
}

impl Rubric {
    /// A JS-idiom method: operation `op` with camelCase options.
    fn op(&self, op: &str, input: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
        self.run_op(op, Some(&input), options.as_ref(), Naming::Js)
    }

    fn run_op(
        &self,
        op: &str,
        input: Option<&JsValue>,
        options: Option<&JsValue>,
        naming: Naming,
    ) -> Result<JsValue, JsValue> {
        let (options, file) = convert::options(op, options, naming)?;
        let data = match input {
            Some(v) => InputData::read(v)?,
            None => InputData::None,
        };
        let answer = self
            .inner
            .run(op, data.input(&file), &options, &bundled::read)
            .map_err(|e| api_error(&e, naming))?;
        to_js(&answer)
    }

    /// The health rubric, or an error naming the kind this rubric is.
    fn health(&self) -> Result<&HealthRubric, JsValue> {
        self.health_for("score")
    }

    fn health_for(&self, op: &str) -> Result<&HealthRubric, JsValue> {
        match &self.inner {
            AnyRubric::Health(r) => Ok(r),
            other => Err(api_error(
                &csrubric::api::ApiError::Unsupported {
                    kind: other.kind().to_string(),
                    op: op.to_string(),
                    ops: other.ops().to_vec(),
                },
                Naming::Js,
            )),
        }
    }
}

fn load(text: &JsValue, name: Option<&JsValue>, format: Format) -> Result<Rubric, JsValue> {
    let text = convert::string_arg(text, "text")?;
    let name = match name.filter(|n| !n.is_undefined() && !n.is_null()) {
        Some(n) => convert::string_arg(n, "name")?,
        None => "<inline>".to_string(),
    };
    AnyRubric::load(&name, &text, format, &bundled::read)
        .map(|inner| Rubric { inner })
        .map_err(|e| rubric_error(&e))
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

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, JsValue> {
    serde_json::to_value(value).map_err(internal)
}

/// A serde value as a plain JavaScript value.
fn to_js(v: &serde_json::Value) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(internal)?;
    js_sys::JSON::parse(&text).map_err(|_| internal("result is not valid JSON"))
}
