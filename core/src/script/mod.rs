//! Sandboxed Rhai rule scripts: the hook points a rubric may script, the sandboxed engine
//! that runs them, and the small decimal standard library scripts see.
//!
//! Hooks: health rubrics script metric and component scoring, the score/band adjustment and
//! custom alerts; escalation matrices a row's criterion; priority rubrics the classification
//! and the score formula. Each hook has a fixed set of variables ([`Hook::variables`]) and
//! return type; see `docs/scripts.md`.
//!
//! Scripts are untrusted. Every rubric gets one engine built from [`rhai::Engine::new_raw`]
//! with only the packages scripts need (arithmetic, logic, strings, arrays, maps, iterators,
//! basic maths) and csrubric's decimal helpers; `eval` and `import` are disabled, there is no
//! file, network, time or `sleep` access, `print`/`debug` go into the result's trace, and
//! each call is bounded by an operation budget, call depth, expression depth, string, array
//! and map sizes, and a wall-clock deadline (see [`Limits`]). A script is compiled once
//! when its rubric loads and evaluated many times; the engine is `Send + Sync`.
//!
//! Numbers inside a script are exact decimals: the `no_float` and `decimal` features make a
//! literal such as `1.1` a `rust_decimal` decimal, and every input reaches the script as a
//! decimal (integers the script writes, such as `100`, mix freely with decimals).
//!
//! # Example
//! ```
//! use csrubric::script::{Hook, Limits, ScriptEngine};
//! use rust_decimal::Decimal;
//!
//! let engine = ScriptEngine::new(Limits::default(), rhai::Map::new());
//! let script = ScriptEngine::compile(&engine, "inline", Hook::MetricScore, "clamp(value * 2, lo, hi)")?;
//! let mut scope = rhai::Scope::new();
//! scope.push_constant("value", Decimal::new(455, 1)); // 45.5
//! scope.push_constant("lo", Decimal::ZERO);
//! scope.push_constant("hi", Decimal::ONE_HUNDRED);
//! let out = script.call("acme", &mut scope)?;
//! assert_eq!(out.decimal("a score")?.to_string(), "91.0");
//! # Ok::<(), csrubric::script::ScriptError>(())
//! ```

mod stdlib;

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clock::Instant;

use rhai::packages::Package;
use rhai::{Dynamic, Engine, EvalAltResult, Scope, AST};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The Rhai crate, re-exported so that callers build scopes and maps with the same version.
pub use rhai;

use crate::input::Record;
use crate::rubric::Problems;

/// What a script returned for one record at one hook, and what it printed: the part of an
/// explanation (ledger line, matrix decision, priority result) a script contributes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScriptTrace {
    /// The script (its file, or the rubric path of inline source).
    pub script: Arc<str>,
    /// Its return value (serialized as text: `"91.5"`, `"true"`, `"()"`).
    pub returned: ScriptValue,
    /// Its `print`/`debug` lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<String>,
}

/// The account's cells as a script map.
pub(crate) fn inputs_map(account: &Record) -> rhai::Map {
    account
        .values
        .iter()
        .map(|(k, v)| (k.as_str().into(), value_to_dynamic(v)))
        .collect()
}

/// A named point in a rubric where a script runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hook {
    /// `scoring = { type = "script", ... }` on a metric: raw value to a component-scale score.
    MetricScore,
    /// `scoring = { type = "script", ... }` on a component: the component's score.
    ComponentScore,
    /// `[scripts] adjust = ...`: the score and band after weighting.
    Adjust,
    /// `[[scripts.alerts]]`: a custom alert trigger over an account's history.
    Alert,
    /// `script = { ... }` on a row of an escalation matrix: the row's script criterion.
    Escalation,
    /// `[scripts] classify = ...` in a priority rubric: a class label, or `()` to fall through.
    Classify,
    /// `[scripts] formula = ...` in a priority rubric (`model = "script"`): the score.
    Formula,
}

impl Hook {
    /// The variables a script at this hook sees.
    ///
    /// # Example
    /// ```
    /// use csrubric::script::Hook;
    /// assert_eq!(Hook::MetricScore.variables(), ["value", "lo", "hi", "params"]);
    /// ```
    pub fn variables(&self) -> &'static [&'static str] {
        match self {
            Hook::MetricScore => &["value", "lo", "hi", "params"],
            Hook::ComponentScore => &["score", "input", "metrics", "lo", "hi", "params"],
            Hook::Adjust => &[
                "id",
                "score",
                "raw_score",
                "band",
                "bands",
                "components",
                "inputs",
                "params",
            ],
            Hook::Alert => &[
                "id",
                "score",
                "band",
                "components",
                "inputs",
                "history",
                "params",
            ],
            Hook::Escalation => &["id", "facts", "level", "params"],
            Hook::Classify => &[
                "id", "request", "criteria", "score", "tier", "kano", "params",
            ],
            Hook::Formula => &["id", "criteria", "values", "request", "params"],
        }
    }

    /// What the record a script runs for is called in messages: `account` (health hooks),
    /// `case` (escalation) or `request` (priority).
    ///
    /// # Example
    /// ```
    /// use csrubric::script::Hook;
    /// assert_eq!(Hook::Escalation.record(), "case");
    /// assert_eq!(Hook::Formula.record(), "request");
    /// ```
    pub fn record(&self) -> &'static str {
        match self {
            Hook::MetricScore | Hook::ComponentScore | Hook::Adjust | Hook::Alert => "account",
            Hook::Escalation => "case",
            Hook::Classify | Hook::Formula => "request",
        }
    }
}

impl std::fmt::Display for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Hook::MetricScore => "metric scoring",
            Hook::ComponentScore => "component scoring",
            Hook::Adjust => "adjust",
            Hook::Alert => "alert",
            Hook::Escalation => "escalation criterion",
            Hook::Classify => "classification",
            Hook::Formula => "priority formula",
        })
    }
}

/// Errors compiling or running a script. Runtime errors name the script, the hook and the
/// record (the account, case or request: see [`Hook::record`]); compile errors name the
/// script file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// The script file could not be read.
    #[error("script `{script}`: cannot read: {message}")]
    Io {
        /// The script (file path as resolved).
        script: String,
        /// The operating system's reason.
        message: String,
    },
    /// The script does not compile.
    #[error("script `{script}` ({hook} hook) {line}:{column}: {message}")]
    Compile {
        /// The script (file path, or the rubric path of an inline `source`).
        script: String,
        /// The hook.
        hook: Hook,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The script failed while running (a type error, an unknown function, a thrown value).
    #[error("script `{script}` ({hook} hook), {} `{account}`, {line}:{column}: {message}", hook.record())]
    Runtime {
        /// The script.
        script: String,
        /// The hook.
        hook: Hook,
        /// The record being evaluated: the account, case or request id.
        account: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What went wrong.
        message: String,
    },
    /// The script hit a sandbox limit and was stopped.
    #[error(
        "script `{script}` ({hook} hook), {} `{account}`: stopped by the sandbox: {limit}",
        hook.record()
    )]
    Limit {
        /// The script.
        script: String,
        /// The hook.
        hook: Hook,
        /// The record being evaluated: the account, case or request id.
        account: String,
        /// Which limit, in words (`more than 500000 operations`, `deadline of 100 ms`...).
        limit: String,
    },
    /// The script returned a value of the wrong type for its hook.
    #[error("script `{script}` ({hook} hook), {} `{account}`: returned {found}, expected {expected}", hook.record())]
    ReturnType {
        /// The script.
        script: String,
        /// The hook.
        hook: Hook,
        /// The record being evaluated: the account, case or request id.
        account: String,
        /// What the hook takes.
        expected: String,
        /// What the script returned (type and value).
        found: String,
    },
    /// The script returned a value of the right type that the rubric cannot use (a score
    /// outside the scale, an unknown band).
    #[error("script `{script}` ({hook} hook), {} `{account}`: {message}", hook.record())]
    Value {
        /// The script.
        script: String,
        /// The hook.
        hook: Hook,
        /// The record being evaluated: the account, case or request id.
        account: String,
        /// What is wrong.
        message: String,
    },
}

impl ScriptError {
    /// A short stable code for bindings.
    ///
    /// # Example
    /// ```
    /// use csrubric::script::{Hook, Limits, ScriptEngine};
    /// let engine = ScriptEngine::new(Limits::default(), rhai::Map::new());
    /// let err = ScriptEngine::compile(&engine, "bad.rhai", Hook::Adjust, "let x = ;").unwrap_err();
    /// assert_eq!(err.code(), "script_compile");
    /// assert!(err.to_string().starts_with("script `bad.rhai` (adjust hook) 1:9:"));
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ScriptError::Io { .. } => "script_io",
            ScriptError::Compile { .. } => "script_compile",
            ScriptError::Runtime { .. } => "script_runtime",
            ScriptError::Limit { .. } => "script_limit",
            ScriptError::ReturnType { .. } => "script_return_type",
            ScriptError::Value { .. } => "script_value",
        }
    }
}

/// Sandbox limits for every script of a rubric. The defaults are safe; a rubric may tighten
/// any of them under `[scripts.limits]` but never loosen one. From Rust, `0` turns a size,
/// depth or operation limit off (for trusted scripts only; a rubric cannot do this).
///
/// Rhai re-measures a whole container after every change while any size limit is set, so a
/// script building an N-element array does O(N²) work under limits (the deadline bounds it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Operations per call (Rhai counts statements, expressions and function calls).
    pub max_operations: u64,
    /// Nested function calls (recursion depth).
    pub max_call_levels: usize,
    /// Nesting depth of expressions (and, inside functions, of function bodies).
    pub max_expr_depth: usize,
    /// Bytes in any string.
    pub max_string_size: usize,
    /// Elements in any array.
    pub max_array_size: usize,
    /// Entries in any map.
    pub max_map_size: usize,
    /// Wall-clock milliseconds per call.
    pub deadline_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        use crate::limits as l;
        Limits {
            max_operations: l::SCRIPT_OPERATIONS,
            max_call_levels: l::SCRIPT_CALL_LEVELS,
            max_expr_depth: l::SCRIPT_EXPR_DEPTH,
            max_string_size: l::SCRIPT_STRING_BYTES,
            max_array_size: l::SCRIPT_ARRAY_ELEMENTS,
            max_map_size: l::SCRIPT_MAP_ENTRIES,
            deadline_ms: l::SCRIPT_DEADLINE_MS,
        }
    }
}

/// `[scripts.limits]` as written: each field tightens the default.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// See [`Limits::max_operations`].
    #[serde(default)]
    pub max_operations: Option<u64>,
    /// See [`Limits::max_call_levels`].
    #[serde(default)]
    pub max_call_levels: Option<usize>,
    /// See [`Limits::max_expr_depth`].
    #[serde(default)]
    pub max_expr_depth: Option<usize>,
    /// See [`Limits::max_string_size`].
    #[serde(default)]
    pub max_string_size: Option<usize>,
    /// See [`Limits::max_array_size`].
    #[serde(default)]
    pub max_array_size: Option<usize>,
    /// See [`Limits::max_map_size`].
    #[serde(default)]
    pub max_map_size: Option<usize>,
    /// See [`Limits::deadline_ms`].
    #[serde(default)]
    pub deadline_ms: Option<u64>,
}

impl LimitsSpec {
    /// The limits this spec declares over the defaults.
    ///
    /// # Example
    /// ```
    /// use csrubric::script::{Limits, LimitsSpec};
    /// let spec = LimitsSpec { deadline_ms: Some(20), ..LimitsSpec::default() };
    /// let limits = spec.resolve();
    /// assert_eq!(limits.deadline_ms, 20);
    /// assert_eq!(limits.max_operations, Limits::default().max_operations);
    /// ```
    pub fn resolve(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_operations: self.max_operations.unwrap_or(d.max_operations),
            max_call_levels: self.max_call_levels.unwrap_or(d.max_call_levels),
            max_expr_depth: self.max_expr_depth.unwrap_or(d.max_expr_depth),
            max_string_size: self.max_string_size.unwrap_or(d.max_string_size),
            max_array_size: self.max_array_size.unwrap_or(d.max_array_size),
            max_map_size: self.max_map_size.unwrap_or(d.max_map_size),
            deadline_ms: self.deadline_ms.unwrap_or(d.deadline_ms),
        }
    }

    pub(crate) fn validate(&self, at: &str, p: &mut Problems) {
        let d = Limits::default();
        let mut check = |name: &str, v: Option<u64>, max: u64| {
            if let Some(v) = v {
                if v == 0 || v > max {
                    p.push(
                        format!("{at}.{name}"),
                        format!("`{v}` must be between 1 and the default {max}: a rubric may tighten a limit, never loosen it"),
                    );
                }
            }
        };
        let u = |v: Option<usize>| v.map(|v| v as u64);
        check("max_operations", self.max_operations, d.max_operations);
        check(
            "max_call_levels",
            u(self.max_call_levels),
            d.max_call_levels as u64,
        );
        check(
            "max_expr_depth",
            u(self.max_expr_depth),
            d.max_expr_depth as u64,
        );
        check(
            "max_string_size",
            u(self.max_string_size),
            d.max_string_size as u64,
        );
        check(
            "max_array_size",
            u(self.max_array_size),
            d.max_array_size as u64,
        );
        check("max_map_size", u(self.max_map_size), d.max_map_size as u64);
        check("deadline_ms", self.deadline_ms, d.deadline_ms);
    }
}

/// Where a script's text comes from: a file relative to the rubric, or inline source.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ScriptRef {
    /// A `.rhai` file, relative to the rubric file's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The script itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl ScriptRef {
    /// Checks that exactly one of `file` or `source` is given.
    pub(crate) fn validate(&self, at: &str, p: &mut Problems) {
        validate_ref(self.file.as_deref(), self.source.as_deref(), at, p);
    }
}

pub(crate) fn validate_ref(file: Option<&str>, source: Option<&str>, at: &str, p: &mut Problems) {
    match (file, source) {
        (Some(_), Some(_)) => p.push(at, "give a script `file` or inline `source`, not both"),
        (None, None) => p.push(at, "a script needs a `file` or an inline `source`"),
        (Some(f), None) => {
            let path = Path::new(f);
            if path.is_absolute()
                || path
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                p.push(
                    at,
                    format!("script file `{f}` must be a relative path inside the rubric's folder (no `..`)"),
                );
            }
        }
        (None, Some(_)) => {}
    }
}

pub use crate::rubric::{read_from_disk, FileReader};

pub(crate) fn load_ref(
    file: Option<&str>,
    source: Option<&str>,
    base: &Path,
    at: &str,
    reader: FileReader<'_>,
) -> Result<(String, String), ScriptError> {
    match (file, source) {
        (Some(f), _) => {
            let path = base.join(f);
            let name = path.display().to_string();
            reader(&path)
                .map(|t| (name.clone(), t))
                .map_err(|e| ScriptError::Io {
                    script: name,
                    message: e.to_string(),
                })
        }
        (None, Some(s)) => Ok((format!("{at} (inline)"), s.to_string())),
        (None, None) => Err(ScriptError::Io {
            script: at.to_string(),
            message: "no `file` or `source`".into(),
        }),
    }
}

thread_local! {
    /// Lines printed by the script running on this thread.
    static TRACE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// When the script running on this thread must stop: set at its first clock check.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// The wall-clock budget of the script running on this thread.
    static BUDGET: Cell<Duration> = const { Cell::new(Duration::ZERO) };
    /// Scopes kept between calls, one per script (by [`Script::uid`]): a call fills in the
    /// values of the variables its script reads and neither builds a scope nor allocates
    /// variable names.
    static SCOPES: RefCell<Vec<(u64, Scope<'static>)>> = const { RefCell::new(Vec::new()) };
}

/// Lines of trace one call may keep (further prints are counted, not stored).
use crate::limits::SCRIPT_TRACE_LINES as MAX_TRACE_LINES;

/// Scopes a thread keeps for reuse (the least recently used beyond this are dropped).
const MAX_CACHED_SCOPES: usize = 32;

/// Operations between two looks at the clock (checking it costs more than an operation).
const CLOCK_EVERY: u64 = 256;

/// Identity of a compiled script, for its cached scope.
static NEXT_SCRIPT: AtomicU64 = AtomicU64::new(1);

/// The sandboxed engine of one rubric: limits, packages and the rubric's `params`.
pub struct ScriptEngine {
    engine: Engine,
    limits: Limits,
    params: Dynamic,
}

impl std::fmt::Debug for ScriptEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptEngine")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl ScriptEngine {
    /// Builds the sandboxed engine with `limits`; every script sees `params` as `params`.
    ///
    /// # Example
    /// ```
    /// use csrubric::script::{Hook, Limits, ScriptEngine};
    /// let engine = ScriptEngine::new(Limits::default(), rhai::Map::new());
    /// let s = ScriptEngine::compile(&engine, "loop", Hook::Adjust, "loop { }")?;
    /// let err = s.call("acme", &mut rhai::Scope::new()).unwrap_err();
    /// assert_eq!(err.code(), "script_limit");
    /// # Ok::<(), csrubric::script::ScriptError>(())
    /// ```
    pub fn new(limits: Limits, params: rhai::Map) -> Arc<ScriptEngine> {
        let mut engine = Engine::new_raw();
        for module in [
            rhai::packages::ArithmeticPackage::new().as_shared_module(),
            rhai::packages::LogicPackage::new().as_shared_module(),
            rhai::packages::BasicStringPackage::new().as_shared_module(),
            rhai::packages::MoreStringPackage::new().as_shared_module(),
            rhai::packages::BasicArrayPackage::new().as_shared_module(),
            rhai::packages::BasicMapPackage::new().as_shared_module(),
            rhai::packages::BasicIteratorPackage::new().as_shared_module(),
            rhai::packages::BasicMathPackage::new().as_shared_module(),
        ] {
            engine.register_global_module(module);
        }
        stdlib::register(&mut engine);
        engine
            .set_max_operations(limits.max_operations)
            .set_max_call_levels(limits.max_call_levels)
            .set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth)
            .set_max_string_size(limits.max_string_size)
            .set_max_array_size(limits.max_array_size)
            .set_max_map_size(limits.max_map_size)
            .set_max_variables(crate::limits::SCRIPT_VARIABLES)
            .set_max_functions(crate::limits::SCRIPT_FUNCTIONS)
            .set_max_modules(0)
            .set_strict_variables(true);
        engine.disable_symbol("eval");
        engine.disable_symbol("import");
        engine.on_print(|s| push_trace(s.to_string()));
        engine.on_debug(|s, _, pos| {
            push_trace(match (pos.line(), pos.position()) {
                (Some(l), Some(c)) => format!("debug {l}:{c}: {s}"),
                _ => format!("debug: {s}"),
            })
        });
        engine.on_progress(|ops| {
            if ops % CLOCK_EVERY != 0 {
                return None;
            }
            // The clock starts at the first look, so that a short script never reads it:
            // the deadline counts from the script's 256th operation.
            let now = Instant::now();
            match DEADLINE.with(Cell::get) {
                None => {
                    let budget = BUDGET.with(Cell::get);
                    DEADLINE.with(|d| d.set(now.checked_add(budget)));
                    budget.is_zero().then(|| Dynamic::from("deadline"))
                }
                Some(d) if now >= d => Some(Dynamic::from("deadline")),
                Some(_) => None,
            }
        });
        Arc::new(ScriptEngine {
            engine,
            limits,
            params: Dynamic::from_map(params),
        })
    }

    /// The limits every call runs under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Compiles a script for `hook` against a shared engine (one engine per rubric, many
    /// scripts); `name` names it in errors.
    ///
    /// The hook's variables are declared, so that a misspelt variable is a compile error.
    /// Compiling also finds which of them the script reads ([`Script::uses`]): only those
    /// are built for each call.
    ///
    /// # Errors
    /// [`ScriptError::Compile`] with the line and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::script::{Hook, Limits, ScriptEngine};
    /// let engine = ScriptEngine::new(Limits::default(), rhai::Map::new());
    /// let s = ScriptEngine::compile(&engine, "cap", Hook::ComponentScore, "min(score, hi)")?;
    /// assert!(s.uses("score") && s.uses("hi"));
    /// assert!(!s.uses("metrics")); // never built for this script
    /// let err = ScriptEngine::compile(&engine, "typo", Hook::ComponentScore, "scroe").unwrap_err();
    /// assert!(err.to_string().contains("1:1: Undefined variable: scroe"), "{err}");
    /// # Ok::<(), csrubric::script::ScriptError>(())
    /// ```
    pub fn compile(
        engine: &Arc<ScriptEngine>,
        name: &str,
        hook: Hook,
        source: &str,
    ) -> Result<Script, ScriptError> {
        // Plain (not constant) variables, so that the optimizer cannot fold them.
        let declared = |without: Option<&str>| {
            let mut scope = Scope::new();
            for v in hook.variables() {
                if Some(*v) != without {
                    scope.push(*v, ());
                }
            }
            scope
        };
        let mut ast = engine
            .engine
            .compile_with_scope(&declared(None), source)
            .map_err(|e| ScriptError::Compile {
                script: name.to_string(),
                hook,
                line: e.1.line().unwrap_or(0),
                column: e.1.position().unwrap_or(0),
                message: e.0.to_string(),
            })?;
        ast.set_source(name);
        // Under strict variables, the script compiles without one of the hook's variables
        // exactly when it never reads it (its own `let` of that name included).
        let uses: Vec<&'static str> = hook
            .variables()
            .iter()
            .copied()
            .filter(|v| {
                engine
                    .engine
                    .compile_with_scope(&declared(Some(v)), source)
                    .is_err()
            })
            .collect();
        Ok(Script {
            name: Arc::from(name),
            hook,
            ast,
            engine: Arc::clone(engine),
            uses: uses.into(),
            uid: NEXT_SCRIPT.fetch_add(1, Ordering::Relaxed),
        })
    }
}

fn push_trace(line: String) {
    TRACE.with(|t| {
        let mut t = t.borrow_mut();
        if t.len() < MAX_TRACE_LINES {
            t.push(line);
        } else if t.len() == MAX_TRACE_LINES {
            t.push("... (further output dropped)".into());
        }
    });
}

/// A compiled script bound to its rubric's engine.
#[derive(Clone)]
pub struct Script {
    name: Arc<str>,
    hook: Hook,
    ast: AST,
    engine: Arc<ScriptEngine>,
    /// The hook variables the script reads, in the hook's order.
    uses: Arc<[&'static str]>,
    /// Identity of the compiled script (clones share it), for its cached scope.
    uid: u64,
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Script")
            .field("name", &self.name)
            .field("hook", &self.hook)
            .field("uses", &self.uses)
            .finish_non_exhaustive()
    }
}

/// What a call returned, with the lines it printed.
#[derive(Debug, Clone)]
pub struct Output<'a> {
    /// The script's value.
    pub value: Dynamic,
    /// Its `print`/`debug` lines.
    pub trace: Vec<String>,
    script: &'a Script,
    account: &'a str,
}

impl Output<'_> {
    /// The value as a decimal (integers are widened).
    ///
    /// # Errors
    /// [`ScriptError::ReturnType`] naming `expected`.
    pub fn decimal(&self, expected: &str) -> Result<Decimal, ScriptError> {
        to_decimal(&self.value).ok_or_else(|| self.wrong_type(expected))
    }

    /// A [`ScriptError::ReturnType`] for this output.
    pub fn wrong_type(&self, expected: &str) -> ScriptError {
        ScriptError::ReturnType {
            script: self.script.name.to_string(),
            hook: self.script.hook,
            account: self.account.to_string(),
            expected: expected.to_string(),
            found: describe(&self.value),
        }
    }

    /// A [`ScriptError::Value`] for this output.
    pub fn bad_value(&self, message: String) -> ScriptError {
        ScriptError::Value {
            script: self.script.name.to_string(),
            hook: self.script.hook,
            account: self.account.to_string(),
            message,
        }
    }

    /// What the call returned and printed, for a result's explanation.
    pub fn trace(&self) -> ScriptTrace {
        ScriptTrace {
            script: Arc::clone(&self.script.name),
            returned: ScriptValue::of(&self.value),
            trace: self.trace.clone(),
        }
    }
}

impl Script {
    /// The script's name (its file, or the rubric path of inline source).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The hook it runs at.
    pub fn hook(&self) -> Hook {
        self.hook
    }

    /// Whether the script reads the hook variable `variable` (only those are built for a
    /// call, see [`ScriptEngine::compile`]).
    pub fn uses(&self, variable: &str) -> bool {
        self.uses.contains(&variable)
    }

    /// Runs the script once for `account` with the variables in `scope` (plus `params`).
    ///
    /// # Errors
    /// [`ScriptError::Runtime`] or [`ScriptError::Limit`], naming the script, hook and account.
    pub fn call<'a>(
        &'a self,
        account: &'a str,
        scope: &mut Scope,
    ) -> Result<Output<'a>, ScriptError> {
        if self.uses("params") {
            scope.push_constant_dynamic("params", self.engine.params.clone());
        }
        self.eval(account, scope)
    }

    /// Runs the script for `record`, asking `value_of` for each hook variable the script
    /// reads (and only those). The scope is this thread's cached one for this script.
    pub(crate) fn run<'a>(
        &'a self,
        record: &'a str,
        mut value_of: impl FnMut(&str) -> Dynamic,
    ) -> Result<Output<'a>, ScriptError> {
        let cached = SCOPES.with(|c| {
            let mut c = c.borrow_mut();
            let i = c.iter().position(|(uid, _)| *uid == self.uid)?;
            Some(c.swap_remove(i).1)
        });
        let mut scope = cached.unwrap_or_else(|| self.fresh_scope());
        for v in self.uses.iter().filter(|v| **v != "params") {
            if let Some(slot) = scope.get_mut(v) {
                *slot = value_of(v);
            }
        }
        let base = scope.len();
        let result = self.eval(record, &mut scope);
        // Drop what the script declared; its variables are refilled on the next call.
        scope.rewind(base);
        SCOPES.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() >= MAX_CACHED_SCOPES {
                c.remove(0);
            }
            c.push((self.uid, scope));
        });
        result
    }

    /// A scope holding the variables the script reads: `params` as a constant (the script
    /// cannot change it for the next call), the others as placeholders filled in per call.
    fn fresh_scope(&self) -> Scope<'static> {
        let mut scope = Scope::new();
        for v in self.uses.iter() {
            if *v == "params" {
                scope.push_constant_dynamic("params", self.engine.params.clone());
            } else {
                scope.push_dynamic(*v, Dynamic::UNIT);
            }
        }
        scope
    }

    fn eval<'a>(&'a self, account: &'a str, scope: &mut Scope) -> Result<Output<'a>, ScriptError> {
        TRACE.with(|t| t.borrow_mut().clear());
        let budget = Duration::from_millis(self.engine.limits.deadline_ms);
        let previous = (
            DEADLINE.with(|d| d.replace(None)),
            BUDGET.with(|b| b.replace(budget)),
        );
        let result = self
            .engine
            .engine
            .eval_ast_with_scope::<Dynamic>(scope, &self.ast);
        DEADLINE.with(|d| d.set(previous.0));
        BUDGET.with(|b| b.set(previous.1));
        let trace = TRACE.with(|t| std::mem::take(&mut *t.borrow_mut()));
        match result {
            Ok(value) => Ok(Output {
                value,
                trace,
                script: self,
                account,
            }),
            Err(e) => Err(self.runtime_error(account, *e)),
        }
    }

    fn runtime_error(&self, account: &str, e: EvalAltResult) -> ScriptError {
        let limits = self.engine.limits;
        let limit = match &e {
            EvalAltResult::ErrorTooManyOperations(_) => {
                Some(format!("more than {} operations", limits.max_operations))
            }
            EvalAltResult::ErrorStackOverflow(_) => {
                Some(format!("more than {} nested calls", limits.max_call_levels))
            }
            EvalAltResult::ErrorDataTooLarge(what, _) => Some(format!(
                "{what} over the limit (strings {} bytes, arrays {} elements, maps {} entries)",
                limits.max_string_size, limits.max_array_size, limits.max_map_size
            )),
            EvalAltResult::ErrorTerminated(..) => {
                Some(format!("deadline of {} ms", limits.deadline_ms))
            }
            EvalAltResult::ErrorTooManyVariables(_) => Some("too many variables".into()),
            EvalAltResult::ErrorTooManyModules(_) => Some("modules are not available".into()),
            _ => None,
        };
        if let Some(limit) = limit {
            return ScriptError::Limit {
                script: self.name.to_string(),
                hook: self.hook,
                account: account.to_string(),
                limit,
            };
        }
        let pos = e.position();
        let mut message = match &e {
            // A value the script (or a helper) threw: its own words, without Rhai's prefix.
            EvalAltResult::ErrorRuntime(value, _) => value.to_string(),
            _ => e.to_string(),
        };
        if let Some(i) = message.rfind(" (line ") {
            message.truncate(i);
        }
        ScriptError::Runtime {
            script: self.name.to_string(),
            hook: self.hook,
            account: account.to_string(),
            line: pos.line().unwrap_or(0),
            column: pos.position().unwrap_or(0),
            message,
        }
    }
}

/// What a script returned, kept as a value and shown as text (`91.5`, `true`, `"Moderate"`,
/// `()`): formatting waits until the explanation is displayed or serialized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptValue {
    /// `()`.
    Unit,
    /// A decimal (integers are widened).
    Decimal(Decimal),
    /// A boolean.
    Bool(bool),
    /// A string.
    Text(String),
    /// Anything else (a map, an array), as Rhai shows it.
    Other(String),
}

impl ScriptValue {
    fn of(v: &Dynamic) -> ScriptValue {
        if v.is_unit() {
            ScriptValue::Unit
        } else if let Some(d) = to_decimal(v) {
            ScriptValue::Decimal(d)
        } else if let Ok(b) = v.as_bool() {
            ScriptValue::Bool(b)
        } else if let Ok(s) = v.as_immutable_string_ref() {
            ScriptValue::Text(s.to_string())
        } else {
            ScriptValue::Other(v.to_string())
        }
    }
}

impl std::fmt::Display for ScriptValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScriptValue::Unit => f.write_str("()"),
            ScriptValue::Decimal(d) => write!(f, "{d}"),
            ScriptValue::Bool(b) => write!(f, "{b}"),
            ScriptValue::Text(t) | ScriptValue::Other(t) => f.write_str(t),
        }
    }
}

impl Serialize for ScriptValue {
    /// As the text Rhai would print (`"91.5"`, `"true"`, `"()"`), like every decimal in
    /// csrubric's JSON.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A decimal out of a script value (decimals and integers).
pub(crate) fn to_decimal(v: &Dynamic) -> Option<Decimal> {
    if let Ok(d) = v.as_decimal() {
        return Some(d);
    }
    v.as_int().ok().map(Decimal::from)
}

/// `decimal 12.5`, `string "x"`, `()`: a value as errors show it.
pub(crate) fn describe(v: &Dynamic) -> String {
    if v.is_unit() {
        return "() (nothing)".into();
    }
    let mut shown = v.to_string();
    if shown.len() > 60 {
        let mut cut = 60;
        while !shown.is_char_boundary(cut) {
            cut -= 1;
        }
        shown.truncate(cut);
        shown.push_str("...");
    }
    if v.is_string() {
        format!("string \"{shown}\"")
    } else if v.is_int() {
        format!("integer {shown}")
    } else {
        format!("{} {shown}", v.type_name())
    }
}

/// An input cell as a script value: numbers are decimals, text is a string, booleans are
/// booleans, JSON lists and objects are arrays and maps.
pub(crate) fn value_to_dynamic(v: &crate::input::Value) -> Dynamic {
    use crate::input::Value;
    match v {
        Value::Number(d) => Dynamic::from_decimal(*d),
        Value::Text(t) => Dynamic::from(t.clone()),
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Json(j) => json_to_dynamic(j),
    }
}

/// A JSON structure as a script value: integers are `INT`s, other numbers decimals read from
/// their literal, lists arrays, objects maps. (Not `rhai::serde::to_dynamic`: serde_json's
/// `arbitrary_precision` serializes a number as a one-entry map, not as a number.)
fn json_to_dynamic(j: &serde_json::Value) -> Dynamic {
    use serde_json::Value as J;
    match j {
        J::Null => Dynamic::UNIT,
        J::Bool(b) => Dynamic::from_bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => {
                let literal = n.to_string();
                crate::decimal::parse_decimal(&literal)
                    .map_or_else(|_| Dynamic::from(literal), Dynamic::from_decimal)
            }
        },
        J::String(s) => Dynamic::from(s.clone()),
        J::Array(a) => Dynamic::from_array(a.iter().map(json_to_dynamic).collect()),
        J::Object(o) => Dynamic::from_map(
            o.iter()
                .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
                .collect(),
        ),
    }
}

/// A decimal as a script value (`()` when absent).
pub(crate) fn opt_decimal(d: Option<Decimal>) -> Dynamic {
    d.map_or(Dynamic::UNIT, Dynamic::from_decimal)
}

/// `params` from the rubric (`[scripts.params]`): numbers become decimals.
pub(crate) fn params_map(params: &serde_json::Map<String, serde_json::Value>) -> rhai::Map {
    params
        .iter()
        .filter_map(|(k, v)| {
            crate::input::Value::from_json(v).map(|v| (k.as_str().into(), value_to_dynamic(&v)))
        })
        .collect()
}

/// The clock of script deadlines: std's monotonic clock, except on wasm32-unknown-unknown,
/// which has none (`std::time::Instant::now` panics there): there it is the JavaScript
/// clock in milliseconds, through chrono (the WASM binding enables chrono's `wasmbind`).
mod clock {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub(super) use std::time::Instant;

    /// A point in time: milliseconds since the Unix epoch.
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub(super) struct Instant(i64);

    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    impl Instant {
        /// Now.
        pub(super) fn now() -> Instant {
            Instant(chrono::Utc::now().timestamp_millis())
        }

        /// `self + d`, `None` when out of range.
        #[allow(dead_code)]
        pub(super) fn checked_add(self, d: std::time::Duration) -> Option<Instant> {
            let ms = i64::try_from(d.as_millis()).ok()?;
            self.0.checked_add(ms).map(Instant)
        }
    }

    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    impl std::ops::Add<std::time::Duration> for Instant {
        type Output = Instant;

        fn add(self, d: std::time::Duration) -> Instant {
            let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
            Instant(self.0.saturating_add(ms))
        }
    }
}
