//! Python binding of csrubric: conversion only, every rule lives in the core crate.
//!
//! * Rubrics of every kind load through [`csrubric::api::AnyRubric`] (from a path, from
//!   text, or from the shipped rubrics bundled into the core with its `bundled` feature).
//! * Every operation goes through [`AnyRubric::run`]: the Python package serializes the
//!   rows and options to JSON (or passes CSV text through), the core answers with the JSON
//!   the CLI prints, with the GIL released. Linked files (calendars an option names) are
//!   read from the bundle for a bundled rubric, from disk otherwise.
//! * One health account ([`NativeRubric::score_json`]) keeps its typed errors (the
//!   exception names the row, id and column).
//! * A health batch: any Arrow table (pycapsule stream protocol, via pyo3-arrow) is handed
//!   column by column (floats, integers and decimals in place) to the core's columnar engine
//!   ([`csrubric::health::HealthRubric::score_columns`]) with the GIL released, on several
//!   threads for large tables, and returned as an Arrow table.

mod errors;
mod table;

use std::path::Path;

use arrow_array::Array;
use csrubric::api::{AnyRubric, ApiError, Input};
use csrubric::health::{BatchOptions, ColumnBatch, HealthRow, HealthRubric, ScoreOptions};
use csrubric::input::{InputError as CoreInputError, Record};
use csrubric::rubric::{read_from_disk, FileReader, Format, RubricError as CoreRubricError};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

/// A loaded, validated rubric of any kind (native part; the Python class `csrubric.Rubric`
/// wraps it).
#[pyclass(frozen, module = "csrubric._csrubric", name = "NativeRubric")]
struct NativeRubric {
    rubric: AnyRubric,
    /// The file name it was loaded as (a path, `<inline>`, `rubrics/health/x.toml`).
    source: String,
    /// Loaded from the bundle: linked and option files are read from the bundle too.
    bundled: bool,
}

/// Where a rubric's linked files (and the files its options name) are read from.
fn reader(bundled: bool) -> FileReader<'static> {
    if bundled {
        &csrubric::bundled::read
    } else {
        &read_from_disk
    }
}

/// The input of an operation as the Python package hands it over: nothing, JSON text (an
/// array of objects) or CSV text.
enum InputText {
    None,
    Json(serde_json::Value),
    Csv { file: String, text: String },
}

impl InputText {
    fn parse(text: Option<&str>, format: &str, source: &str) -> Result<InputText, ApiError> {
        let Some(text) = text else {
            return Ok(InputText::None);
        };
        match format {
            "json" => serde_json::from_str(text)
                .map(InputText::Json)
                .map_err(|e| {
                    ApiError::Input(CoreInputError::File {
                        file: source.to_string(),
                        message: format!("invalid JSON: {e}"),
                    })
                }),
            "csv" => Ok(InputText::Csv {
                file: source.to_string(),
                text: text.to_string(),
            }),
            other => Err(ApiError::Input(CoreInputError::File {
                file: source.to_string(),
                message: format!("unknown input format `{other}`: expected `json` or `csv`"),
            })),
        }
    }

    fn input(&self) -> Input<'_> {
        match self {
            InputText::None => Input::None,
            InputText::Json(v) => Input::Json(v),
            InputText::Csv { file, text } => Input::Csv { file, text },
        }
    }
}

/// An operation's options from JSON text (`None`: the defaults).
fn options_value(op: &str, text: Option<&str>) -> Result<serde_json::Value, ApiError> {
    text.map_or(Ok(serde_json::Value::Null), |t| {
        serde_json::from_str(t).map_err(|e| ApiError::Options {
            op: op.to_string(),
            option: None,
            message: format!("invalid JSON: {e}"),
        })
    })
}

/// An answer that could not be written as JSON (it cannot happen with the core's types).
fn internal(e: serde_json::Error) -> ApiError {
    ApiError::failed("internal", e)
}

fn parse_format(file: &str, format: &str) -> Result<Format, CoreRubricError> {
    match format {
        "toml" => Ok(Format::Toml),
        "json" => Ok(Format::Json),
        other => Err(CoreRubricError::Format {
            file: file.to_string(),
            message: format!("unknown format `{other}`: expected `toml` or `json`"),
        }),
    }
}

fn parse_at(py: Python<'_>, at: Option<&str>) -> PyResult<Option<csrubric::Instant>> {
    at.map(|s| {
        csrubric::parse_instant(s).map_err(|m| errors::table_error(py, "input_instant", m, None))
    })
    .transpose()
}

impl NativeRubric {
    /// The error for an operation this rubric's kind does not have.
    fn unsupported(&self, op: &str) -> ApiError {
        ApiError::Unsupported {
            kind: self.rubric.kind().to_string(),
            op: op.to_string(),
            ops: self.rubric.ops().to_vec(),
        }
    }

    fn health(&self, py: Python<'_>, op: &str) -> PyResult<&HealthRubric> {
        match &self.rubric {
            AnyRubric::Health(r) => Ok(r),
            _ => Err(errors::api_error(py, &self.unsupported(op))),
        }
    }
}

#[pymethods]
impl NativeRubric {
    #[staticmethod]
    fn from_path(py: Python<'_>, path: &str) -> PyResult<NativeRubric> {
        AnyRubric::from_path(Path::new(path))
            .map(|rubric| NativeRubric {
                rubric,
                source: path.to_string(),
                bundled: false,
            })
            .map_err(|e| errors::rubric_error(py, &e))
    }

    #[staticmethod]
    #[pyo3(signature = (text, format, name))]
    fn from_text(py: Python<'_>, text: &str, format: &str, name: &str) -> PyResult<NativeRubric> {
        parse_format(name, format)
            .and_then(|format| AnyRubric::load(name, text, format, &read_from_disk))
            .map(|rubric| NativeRubric {
                rubric,
                source: name.to_string(),
                bundled: false,
            })
            .map_err(|e| errors::rubric_error(py, &e))
    }

    #[staticmethod]
    fn bundled(py: Python<'_>, name: &str) -> PyResult<NativeRubric> {
        let rubric = csrubric::bundled::load(name).map_err(|e| errors::rubric_error(py, &e))?;
        let source = csrubric::bundled::get(name)
            .map(|(file, ..)| file)
            .unwrap_or_else(|| format!("{}{name}", csrubric::bundled::PREFIX));
        Ok(NativeRubric {
            rubric,
            source,
            bundled: true,
        })
    }

    /// `(kind, id, version, title, hash, source)`.
    fn info(&self) -> (&'static str, String, String, String, String, String) {
        let s = self.rubric.stamp();
        (
            self.rubric.kind(),
            s.id.clone(),
            s.version.clone(),
            self.rubric.title().to_string(),
            s.hash.clone(),
            self.source.clone(),
        )
    }

    /// The operations of the rubric's kind, `test` last.
    fn ops(&self) -> Vec<&'static str> {
        self.rubric.ops().to_vec()
    }

    /// The one-line summary `csrubric check` prints.
    fn summary(&self) -> String {
        self.rubric.summary()
    }

    /// Load-time warnings as JSON: `[{path, message, line, column}]`.
    fn warnings_json(&self, py: Python<'_>) -> PyResult<String> {
        serde_json::to_string(&self.rubric.warnings())
            .map_err(|e| errors::api_error(py, &internal(e)))
    }

    /// The input columns a health rubric reads (`None` for other kinds).
    fn input_columns(&self) -> Option<Vec<String>> {
        match &self.rubric {
            AnyRubric::Health(r) => Some(r.input_columns().into_iter().map(String::from).collect()),
            _ => None,
        }
    }

    /// A health rubric's bands from the top down, as JSON (`None` for other kinds).
    fn bands_json(&self) -> Option<String> {
        match &self.rubric {
            AnyRubric::Health(r) => {
                let bands: Vec<_> = r.bands().collect();
                serde_json::to_string(&bands).ok()
            }
            _ => None,
        }
    }

    /// The rubric model as JSON.
    fn spec_json(&self) -> String {
        self.rubric.spec_json().to_string()
    }

    /// Runs operation `op`: `input` is JSON text (an array of objects) or CSV text as
    /// `format` says (`None`: no input), `options` a JSON object (`None`: the defaults);
    /// returns the answer as JSON text, exactly what `csrubric run` prints.
    #[pyo3(signature = (op, input = None, options = None, format = "json", source = "<input>"))]
    fn run(
        &self,
        py: Python<'_>,
        op: &str,
        input: Option<&str>,
        options: Option<&str>,
        format: &str,
        source: &str,
    ) -> PyResult<String> {
        let (rubric, bundled) = (&self.rubric, self.bundled);
        py.detach(|| {
            let options = options_value(op, options)?;
            let data = InputText::parse(input, format, source)?;
            Ok(rubric
                .run(op, data.input(), &options, reader(bundled))?
                .to_string())
        })
        .map_err(|e| errors::api_error(py, &e))
    }

    /// Scores the accounts in `input` under this health rubric and under `candidate` (see
    /// [`csrubric::api::history::shadow`]); the answer as JSON text.
    #[pyo3(signature = (candidate, input = None, format = "json", source = "<input>"))]
    fn shadow(
        &self,
        py: Python<'_>,
        candidate: &Bound<'_, NativeRubric>,
        input: Option<&str>,
        format: &str,
        source: &str,
    ) -> PyResult<String> {
        let current = self.health(py, "shadow")?;
        let candidate = candidate.get();
        let AnyRubric::Health(other) = &candidate.rubric else {
            let e = ApiError::Options {
                op: "shadow".into(),
                option: None,
                message: format!(
                    "the candidate is a `{}` rubric: a shadow run compares two health rubrics",
                    candidate.rubric.kind()
                ),
            };
            return Err(errors::api_error(py, &e));
        };
        py.detach(|| {
            let data = InputText::parse(input, format, source)?;
            let rows = data.input().records()?;
            serde_json::to_string(&csrubric::api::history::shadow(current, other, &rows))
                .map_err(internal)
        })
        .map_err(|e| errors::api_error(py, &e))
    }

    /// Scores one account given as a JSON object; returns the full result as JSON.
    #[pyo3(signature = (account, at = None, what_it_takes = true))]
    fn score_json(
        &self,
        py: Python<'_>,
        account: &str,
        at: Option<&str>,
        what_it_takes: bool,
    ) -> PyResult<String> {
        let rubric = self.health(py, "score")?;
        let value: serde_json::Value = serde_json::from_str(account).map_err(|e| {
            errors::table_error(
                py,
                "input_file",
                format!("<account>: invalid JSON: {e}"),
                None,
            )
        })?;
        let record =
            csrubric::input::record_from_json("<account>", 1, &value, &mut Default::default())
                .map_err(|e| errors::input_error(py, &e))?;
        let record = Record { row: 0, ..record };
        let options = ScoreOptions {
            as_of: parse_at(py, at)?,
            what_it_takes,
        };
        let result = rubric
            .score_batch(std::slice::from_ref(&record), &options)
            .into_iter()
            .next()
            .ok_or_else(|| errors::table_error(py, "internal", "no result".into(), None))?
            .map_err(|e| errors::health_error(py, &e))?;
        Ok(HealthRow::Scored(Box::new(result))
            .to_json(true)
            .to_string())
    }

    /// Scores every row of an Arrow table (anything with `__arrow_c_stream__`); returns the
    /// result table, one row per input row, in order.
    #[pyo3(signature = (data, at = None, source = "<table>", threads = None))]
    fn score_arrow(
        &self,
        py: Python<'_>,
        data: PyTable,
        at: Option<&str>,
        source: &str,
        threads: Option<usize>,
    ) -> PyResult<Py<PyAny>> {
        let options = ScoreOptions {
            as_of: parse_at(py, at)?,
            what_it_takes: false,
        };
        let (batches, schema) = data.into_inner();
        let batch = arrow_select::concat::concat_batches(&schema, &batches)
            .map_err(|e| errors::table_error(py, "input_file", format!("{source}: {e}"), None))?;
        let AnyRubric::Health(rubric) = &self.rubric else {
            return Err(errors::api_error(py, &self.unsupported("score")));
        };
        let decimals = rubric.rounding().decimals;
        let id_index = schema.index_of("id").map_err(|_| {
            errors::table_error(
                py,
                "input_file",
                format!("{source}: no `id` column"),
                Some("id"),
            )
        })?;
        // Only the columns the rubric reads (all of them for rule scripts, which see every
        // input), each read in place where Arrow's layout allows.
        let wanted_columns: Vec<String> = rubric
            .input_columns()
            .into_iter()
            .map(String::from)
            .collect();
        let mut columns = Vec::new();
        for (i, field) in schema.fields().iter().enumerate() {
            let name = field.name();
            let read = rubric.has_scripts()
                || name == "overrides"
                || wanted_columns.iter().any(|c| c == name);
            if i == id_index || !read {
                continue;
            }
            let input = table::Input::new(batch.column(i)).map_err(|m| {
                errors::table_error(
                    py,
                    "input_file",
                    format!("{source}: column `{name}`: {m}"),
                    Some(name),
                )
            })?;
            columns.push((name.clone(), input));
        }
        let ids = table::as_text(batch.column(id_index)).map_err(|m| {
            errors::table_error(
                py,
                "input_file",
                format!("{source}: column `id`: {m}"),
                Some("id"),
            )
        })?;
        let n = batch.num_rows();
        let source = source.to_string();
        let rubric = rubric.clone();
        // The columnar engine (GIL released): ids checked, rows scored on several threads for
        // large tables, answers identical to the row path.
        let batch = py.detach(move || {
            let mut batch = ColumnBatch::new(
                &source,
                (0..n).map(|i| ids.is_valid(i).then(|| ids.value(i))),
            );
            for (name, input) in &columns {
                batch.push(name, input.column());
            }
            let opts = BatchOptions {
                as_of: options.as_of,
                threads,
                extra_overrides: None,
            };
            let out = rubric
                .score_columns(&batch, &opts)
                .map_err(|e| e.to_string())?;
            table::result_batch_columnar(&batch, &out, decimals)
        });
        let batch = batch.map_err(|m: String| errors::table_error(py, "internal", m, None))?;
        let schema = batch.schema();
        let table = PyTable::try_new(vec![batch], schema)?;
        Ok(table.into_pyarrow(py)?.unbind())
    }

    fn __repr__(&self) -> String {
        let (kind, id, version, ..) = self.info();
        format!("<csrubric.NativeRubric {kind} {id} {version}>")
    }
}

/// Journey stage, owner, segment, engagement tier, advocacy and next touch point of each
/// account (see [`csrubric::api::lifecycle::journey`]; no rubric); the answer as JSON text.
#[pyfunction]
#[pyo3(signature = (input = None, options = None, format = "json", source = "<input>"))]
fn journey(
    py: Python<'_>,
    input: Option<&str>,
    options: Option<&str>,
    format: &str,
    source: &str,
) -> PyResult<String> {
    py.detach(|| {
        let options = options_value("journey", options)?;
        let request: csrubric::api::lifecycle::JourneyRequest =
            csrubric::api::parse_options("journey", &options)?;
        let data = InputText::parse(input, format, source)?;
        let rows = data.input().records()?;
        serde_json::to_string(&csrubric::api::lifecycle::journey(&rows, &request)).map_err(internal)
    })
    .map_err(|e| errors::api_error(py, &e))
}

/// Names of the bundled rubrics (paths under `rubrics/` without the extension).
#[pyfunction]
fn bundled_rubrics() -> Vec<&'static str> {
    csrubric::bundled::names()
}

/// The text of a bundled rubric.
#[pyfunction]
fn bundled_text(py: Python<'_>, name: &str) -> PyResult<&'static str> {
    csrubric::bundled::get(name)
        .map(|(_, text, _)| text)
        .ok_or_else(|| {
            // The loader's error names the rubrics that are bundled.
            let e = csrubric::bundled::load(name)
                .err()
                .unwrap_or_else(|| CoreRubricError::Io {
                    file: name.to_string(),
                    message: "not bundled".into(),
                });
            errors::rubric_error(py, &e)
        })
}

/// The native module behind the `csrubric` Python package.
#[pymodule]
fn _csrubric(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeRubric>()?;
    m.add_function(wrap_pyfunction!(journey, m)?)?;
    m.add_function(wrap_pyfunction!(bundled_rubrics, m)?)?;
    m.add_function(wrap_pyfunction!(bundled_text, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    Ok(())
}
