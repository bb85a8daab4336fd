//! The core's errors as JavaScript `Error` objects with a stable `code` and the fields that
//! locate the problem: `problems`, `path`, `line`, `column` (rubric errors), `row`, `id`
//! (input errors), `option` (options errors), `ops` (an operation the kind lacks).

use csrubric::api::ApiError;
use csrubric::rubric::RubricError;
use wasm_bindgen::JsValue;

use crate::convert::Naming;

/// A JavaScript `Error` with a `code` property.
pub(crate) fn error(code: &str, message: &str) -> js_sys::Error {
    let err = js_sys::Error::new(message);
    set(&err, "code", code.into());
    err
}

/// Sets a property of an error object.
pub(crate) fn set(err: &js_sys::Error, key: &str, value: JsValue) {
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(err, &key.into(), &value);
}

/// A bug in this binding (a result that cannot be serialised): code `internal`.
pub(crate) fn internal(e: impl std::fmt::Display) -> JsValue {
    error("internal", &format!("csrubric internal error: {e}")).into()
}

/// A rubric error: `code`, the message, every problem (`path`, `message`, `line`,
/// `column`), and the first problem's location at the top level for quick display.
pub(crate) fn rubric_error(e: &RubricError) -> JsValue {
    let err = error(e.code(), &e.to_string());
    let problems = e.problems();
    let list = serde_json::to_string(&problems).unwrap_or_else(|_| "[]".into());
    set(
        &err,
        "problems",
        js_sys::JSON::parse(&list).unwrap_or(JsValue::NULL),
    );
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

/// A whole-request error of the core API; option names are written as the caller wrote
/// them (`naming`).
pub(crate) fn api_error(e: &ApiError, naming: Naming) -> JsValue {
    match e {
        ApiError::Rubric(r) => rubric_error(r),
        ApiError::Input(i) => {
            let err = error(e.code(), &e.to_string());
            if let Some(row) = i.row() {
                set(&err, "row", row.into());
            }
            err.into()
        }
        ApiError::Options { op, option, .. } => {
            let err = error(e.code(), &naming.user_message(&e.to_string()));
            set(&err, "op", op.as_str().into());
            set(
                &err,
                "option",
                option
                    .as_deref()
                    .map_or(JsValue::NULL, |o| naming.user_name(o).into()),
            );
            err.into()
        }
        ApiError::Unsupported { ops, .. } => {
            let err = error(e.code(), &e.to_string());
            let list: js_sys::Array = ops.iter().map(|o| JsValue::from(*o)).collect();
            set(&err, "ops", list.into());
            err.into()
        }
        ApiError::Failed { .. } => error(e.code(), &e.to_string()).into(),
    }
}
