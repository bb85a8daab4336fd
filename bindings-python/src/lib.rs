//! Python binding of csrubric: conversion only, every rule lives in the core crate.
//!
//! Values cross as JSON: a Python mapping is serialized by Python's `json` module (floats as
//! their shortest repr, `Decimal`s as strings, so nothing is rounded), read by the core's
//! record reader, scored, and the core's serde result is handed back as a dict.

use csrubric::health::{HealthRubric, ScoreOptions};
use csrubric::rubric::RubricError as CoreRubricError;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    csrubric,
    CsrubricError,
    PyException,
    "Base class of every csrubric error."
);
create_exception!(
    csrubric,
    RubricError,
    CsrubricError,
    "A rubric file could not be loaded."
);
create_exception!(
    csrubric,
    InputError,
    CsrubricError,
    "An input record is unusable."
);
create_exception!(
    csrubric,
    ScoreError,
    CsrubricError,
    "An account could not be scored."
);

fn rubric_err(py: Python<'_>, e: &CoreRubricError) -> PyErr {
    let err = RubricError::new_err(e.to_string());
    let value = err.value(py);
    let problems = serde_json::to_string(&e.problems()).unwrap_or_else(|_| "[]".into());
    let _ = value.setattr("code", e.code());
    if let Ok(list) = py
        .import("json")
        .and_then(|j| j.call_method1("loads", (problems,)))
    {
        let _ = value.setattr("problems", list);
    }
    err
}

fn with_code(py: Python<'_>, err: PyErr, code: &str) -> PyErr {
    let _ = err.value(py).setattr("code", code);
    err
}

/// A loaded, validated health rubric.
#[pyclass(frozen, module = "csrubric")]
struct Rubric {
    inner: HealthRubric,
}

#[pymethods]
impl Rubric {
    /// Load a `.toml` or `.json` rubric file.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: &str) -> PyResult<Rubric> {
        HealthRubric::from_path(path.as_ref())
            .map(|inner| Rubric { inner })
            .map_err(|e| rubric_err(py, &e))
    }

    /// Load a rubric from TOML text.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<inline>"))]
    fn from_toml(py: Python<'_>, text: &str, name: &str) -> PyResult<Rubric> {
        HealthRubric::from_toml_str(name, text)
            .map(|inner| Rubric { inner })
            .map_err(|e| rubric_err(py, &e))
    }

    /// Load a rubric from JSON text.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<inline>"))]
    fn from_json(py: Python<'_>, text: &str, name: &str) -> PyResult<Rubric> {
        HealthRubric::from_json_str(name, text)
            .map(|inner| Rubric { inner })
            .map_err(|e| rubric_err(py, &e))
    }

    /// The rubric id.
    #[getter]
    fn id(&self) -> String {
        self.inner.stamp().id.clone()
    }

    /// The rubric version.
    #[getter]
    fn version(&self) -> String {
        self.inner.stamp().version.clone()
    }

    /// `sha256:` hash of the rubric text.
    #[getter]
    fn hash(&self) -> String {
        self.inner.stamp().hash.clone()
    }

    /// Score one account; decimals come back as strings.
    #[pyo3(signature = (account, *, at = None))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        account: &Bound<'py, PyDict>,
        at: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json = py.import("json")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("default", py.import("builtins")?.getattr("str")?)?;
        let text: String = json
            .call_method("dumps", (account,), Some(&kwargs))?
            .extract()?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| with_code(py, InputError::new_err(e.to_string()), "input_file"))?;
        let record =
            csrubric::input::record_from_json("<account>", 1, &value, &mut Default::default())
                .map_err(|e| with_code(py, InputError::new_err(e.to_string()), e.code()))?;
        let as_of = match at {
            Some(s) => Some(
                chrono_instant(s)
                    .map_err(|m| with_code(py, InputError::new_err(m), "input_instant"))?,
            ),
            None => None,
        };
        let options = ScoreOptions {
            as_of,
            ..ScoreOptions::default()
        };
        let results = self
            .inner
            .score_batch(std::slice::from_ref(&record), &options);
        let result = results
            .into_iter()
            .next()
            .ok_or_else(|| with_code(py, ScoreError::new_err("no result"), "internal"))?
            .map_err(|e| with_code(py, ScoreError::new_err(e.to_string()), e.code()))?;
        let out = serde_json::to_string(&result).map_err(|e| ScoreError::new_err(e.to_string()))?;
        json.call_method1("loads", (out,))
    }

    fn __repr__(&self) -> String {
        let s = self.inner.stamp();
        format!("<csrubric.Rubric {} {}>", s.id, s.version)
    }
}

fn chrono_instant(s: &str) -> Result<csrubric::Instant, String> {
    csrubric::parse_instant(s)
}

/// The native module behind the `csrubric` Python package.
#[pymodule]
fn _csrubric(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Rubric>()?;
    m.add("CsrubricError", py.get_type::<CsrubricError>())?;
    m.add("RubricError", py.get_type::<RubricError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ScoreError", py.get_type::<ScoreError>())?;
    Ok(())
}
