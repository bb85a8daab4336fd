//! The Python exception hierarchy and the conversion of core errors into it.
//!
//! ```text
//! CsrubricError                 code (every class has every attribute below, None when
//! │                             it does not apply)
//! ├── RubricError               file, path, line, column, problems
//! │   └── ValidationError       (the rubric parsed but is wrong; every problem listed)
//! ├── InputError                file, row, id, column (the input column at fault)
//! ├── OptionsError              op (`invalid_options`, `unsupported_operation`)
//! └── ScriptError               script, line, column
//! ```
//!
//! [`api_error`] maps every [`ApiError`] onto it: rubric and input errors as themselves,
//! option problems and unknown operations as `OptionsError`, and an operation that failed
//! as a whole (a package the plan template lacks, SLA versions that overlap) as an
//! `InputError` with the domain's code.

use csrubric::api::ApiError;
use csrubric::health::HealthError;
use csrubric::input::InputError as CoreInputError;
use csrubric::rubric::RubricError as CoreRubricError;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::BoundObject;

create_exception!(
    csrubric,
    CsrubricError,
    PyException,
    "Base class of every csrubric error; `code` is a stable short string."
);
create_exception!(
    csrubric,
    RubricError,
    CsrubricError,
    "A rubric could not be loaded (unreadable, unsupported format, syntax error)."
);
create_exception!(
    csrubric,
    ValidationError,
    RubricError,
    "A rubric parsed but is invalid; `problems` lists every problem with its rubric path."
);
create_exception!(
    csrubric,
    InputError,
    CsrubricError,
    "An account (input row) is unusable: no id, a non-number, a value outside its scale."
);
create_exception!(
    csrubric,
    OptionsError,
    CsrubricError,
    "An operation's options are wrong (unknown option, wrong type or value; `invalid_options`) \
     or the rubric's kind has no such operation (`unsupported_operation`); `op` names it."
);
create_exception!(
    csrubric,
    ScriptError,
    CsrubricError,
    "A rubric script failed to compile or run; `line` and `column` locate it."
);

/// Sets attributes on a fresh exception; attribute failures cannot happen on a plain
/// exception instance and are ignored rather than masking the error itself.
fn with_attrs<'py>(py: Python<'py>, err: PyErr, attrs: &[(&str, Bound<'py, PyAny>)]) -> PyErr {
    let value = err.value(py);
    for (k, v) in attrs {
        let _ = value.setattr(*k, v);
    }
    err
}

fn opt<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: Option<T>) -> Bound<'py, PyAny> {
    match v.map(|v| v.into_pyobject(py)) {
        Some(Ok(b)) => b.into_any().into_bound(),
        _ => py.None().into_bound(py),
    }
}

fn s<'py>(py: Python<'py>, v: &str) -> Bound<'py, PyAny> {
    pyo3::types::PyString::new(py, v).into_any()
}

/// A rubric loading error: `ValidationError` for an invalid rubric, else `RubricError`.
pub fn rubric_error(py: Python<'_>, e: &CoreRubricError) -> PyErr {
    let (file, invalid) = match e {
        CoreRubricError::Io { file, .. }
        | CoreRubricError::Format { file, .. }
        | CoreRubricError::Syntax { file, .. } => (file.as_str(), false),
        CoreRubricError::Invalid { file, .. } => (file.as_str(), true),
    };
    let problems = e.problems();
    let first = problems.first();
    let list = pyo3::types::PyList::empty(py);
    for p in &problems {
        let d = PyDict::new(py);
        let _ = d.set_item("path", &p.path);
        let _ = d.set_item("message", &p.message);
        let _ = d.set_item("line", p.line);
        let _ = d.set_item("column", p.column);
        let _ = list.append(d);
    }
    let err = if invalid {
        ValidationError::new_err(e.to_string())
    } else {
        RubricError::new_err(e.to_string())
    };
    with_attrs(
        py,
        err,
        &[
            ("code", s(py, e.code())),
            ("file", s(py, file)),
            ("path", opt(py, first.map(|p| p.path.as_str()))),
            ("line", opt(py, first.and_then(|p| p.line))),
            ("column", opt(py, first.and_then(|p| p.column))),
            ("problems", list.into_any()),
        ],
    )
}

/// An input-reading error (no id, not an object...).
pub fn input_error(py: Python<'_>, e: &CoreInputError) -> PyErr {
    let file = match e {
        CoreInputError::Io { file, .. }
        | CoreInputError::File { file, .. }
        | CoreInputError::Row { file, .. } => file.as_str(),
    };
    with_attrs(
        py,
        InputError::new_err(e.to_string()),
        &[
            ("code", s(py, e.code())),
            ("file", s(py, file)),
            ("row", opt(py, e.row())),
            ("id", py.None().into_bound(py)),
            ("column", py.None().into_bound(py)),
        ],
    )
}

/// A whole-table input problem (no `id` column, a column type that cannot be read).
pub fn table_error(py: Python<'_>, code: &str, message: String, column: Option<&str>) -> PyErr {
    with_attrs(
        py,
        InputError::new_err(message),
        &[
            ("code", s(py, code)),
            ("file", py.None().into_bound(py)),
            ("row", py.None().into_bound(py)),
            ("id", py.None().into_bound(py)),
            ("column", opt(py, column)),
        ],
    )
}

/// An account that could not be scored: an `InputError` naming the row, id and column.
pub fn health_error(py: Python<'_>, e: &HealthError) -> PyErr {
    let at = e.account();
    if let HealthError::Script { error, .. } = e {
        use csrubric::script::ScriptError as S;
        let (script, line, column) = match error.as_ref() {
            S::Compile {
                script,
                line,
                column,
                ..
            }
            | S::Runtime {
                script,
                line,
                column,
                ..
            } => (script.as_str(), Some(*line), Some(*column)),
            S::Io { script, .. }
            | S::Limit { script, .. }
            | S::ReturnType { script, .. }
            | S::Value { script, .. } => (script.as_str(), None, None),
        };
        return with_attrs(
            py,
            ScriptError::new_err(e.to_string()),
            &[
                ("code", s(py, e.code())),
                ("row", opt(py, (at.row > 0).then_some(at.row))),
                ("id", s(py, &at.id)),
                ("script", s(py, script)),
                ("line", opt(py, line)),
                ("column", opt(py, column)),
            ],
        );
    }
    let column = match e {
        HealthError::NotANumber { column, .. } | HealthError::OutOfScale { column, .. } => {
            Some(column.as_str())
        }
        HealthError::Missing { component, .. } | HealthError::Ambiguous { component, .. } => {
            Some(component.as_str())
        }
        HealthError::Override { .. } => Some("overrides"),
        HealthError::Script { .. } => None,
    };
    with_attrs(
        py,
        InputError::new_err(e.to_string()),
        &[
            ("code", s(py, e.code())),
            ("file", py.None().into_bound(py)),
            ("row", opt(py, (at.row > 0).then_some(at.row))),
            ("id", s(py, &at.id)),
            ("column", opt(py, column)),
        ],
    )
}

/// An error of a whole request: rubric, input, options, or the operation as a whole.
pub fn api_error(py: Python<'_>, e: &ApiError) -> PyErr {
    match e {
        ApiError::Rubric(r) => rubric_error(py, r),
        ApiError::Input(i) => input_error(py, i),
        ApiError::Options { op, .. } | ApiError::Unsupported { op, .. } => with_attrs(
            py,
            OptionsError::new_err(e.to_string()),
            &[
                ("code", s(py, e.code())),
                ("op", s(py, op)),
                // The option at fault (`min_score`...), `None` when not one option.
                (
                    "option",
                    e.option()
                        .map_or_else(|| py.None().into_bound(py), |o| s(py, o)),
                ),
            ],
        ),
        ApiError::Failed { .. } => with_attrs(
            py,
            InputError::new_err(e.to_string()),
            &[("code", s(py, e.code()))],
        ),
    }
}

/// The attributes every csrubric exception has (None unless the error sets them).
const ATTRIBUTES: [&str; 10] = [
    "code", "file", "path", "line", "column", "row", "id", "problems", "script", "op",
];

/// Registers the exception classes on the module, with every attribute defaulting to None
/// on the base class, so `err.row` is always readable.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<CsrubricError>();
    for name in ATTRIBUTES {
        base.setattr(name, py.None())?;
    }
    m.add("CsrubricError", base)?;
    m.add("RubricError", py.get_type::<RubricError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("OptionsError", py.get_type::<OptionsError>())?;
    m.add("ScriptError", py.get_type::<ScriptError>())?;
    Ok(())
}
