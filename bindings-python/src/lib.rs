//! Python binding of csrubric: conversion only, every rule lives in the core crate.
//!
//! * Rubrics load through the core loaders (`from_path`, text, or the seed rubrics bundled
//!   into the module at build time, see `build.rs`).
//! * One account: the Python package serializes the mapping to JSON (floats as their
//!   shortest literal, `Decimal`s as strings, so nothing is rounded); it is read by the core's
//!   record reader and the core's serde result comes back as JSON.
//! * A batch: any Arrow table (pycapsule stream protocol, via pyo3-arrow) is handed column by
//!   column (floats, integers and decimals in place) to the core's columnar engine
//!   ([`csrubric::health::HealthRubric::score_columns`]) with the GIL released, on several
//!   threads for large tables, and returned as an Arrow table.
//!
//! Each rubric kind is one [`Engine`] variant: a new core capability is a variant, a load
//! arm and a score arm.

mod errors;
mod table;

use std::path::Path;

use arrow_array::Array;
use csrubric::api::HealthRow;
use csrubric::health::{BatchOptions, ColumnBatch, HealthRubric, ScoreOptions};
use csrubric::input::Record;
use csrubric::rubric::{peek_kind, read_file, Format, RubricError as CoreRubricError};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// A loaded rubric of one kind.
enum Engine {
    Health(HealthRubric),
}

/// A loaded, validated rubric (native part; the Python class `csrubric.Rubric` wraps it).
#[pyclass(frozen, module = "csrubric._csrubric", name = "NativeRubric")]
struct NativeRubric {
    engine: Engine,
    source: String,
}

/// Reads the script files a bundled rubric names from the bundle (`<bundled>/health/...`).
fn read_bundled(path: &std::path::Path) -> std::io::Result<String> {
    let wanted = path.to_string_lossy().replace('\\', "/");
    let wanted = wanted.strip_prefix("<bundled>/").unwrap_or(&wanted);
    bundled::BUNDLED_FILES
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, text)| text.to_string())
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a bundled script file")
        })
}

fn load_text(file: &str, text: &str, format: Format) -> Result<Engine, CoreRubricError> {
    load_text_with(file, text, format, &csrubric::script::read_from_disk)
}

fn load_text_with(
    file: &str,
    text: &str,
    format: Format,
    reader: csrubric::script::FileReader<'_>,
) -> Result<Engine, CoreRubricError> {
    let kind = peek_kind(file, text, format)?;
    match kind.as_str() {
        "health" => {
            HealthRubric::from_str_with_reader(file, text, format, reader).map(Engine::Health)
        }
        other => Err(CoreRubricError::Format {
            file: file.to_string(),
            message: format!(
                "rubric kind `{other}` is not available in this version of the Python binding"
            ),
        }),
    }
}

fn parse_at(py: Python<'_>, at: Option<&str>) -> PyResult<Option<csrubric::Instant>> {
    at.map(|s| {
        csrubric::parse_instant(s).map_err(|m| errors::table_error(py, "input_instant", m, None))
    })
    .transpose()
}

#[pymethods]
impl NativeRubric {
    #[staticmethod]
    fn from_path(py: Python<'_>, path: &str) -> PyResult<NativeRubric> {
        let (text, format) =
            read_file(Path::new(path)).map_err(|e| errors::rubric_error(py, &e))?;
        load_text(path, &text, format)
            .map(|engine| NativeRubric {
                engine,
                source: path.to_string(),
            })
            .map_err(|e| errors::rubric_error(py, &e))
    }

    #[staticmethod]
    #[pyo3(signature = (text, format, name))]
    fn from_text(py: Python<'_>, text: &str, format: &str, name: &str) -> PyResult<NativeRubric> {
        let format = match format {
            "toml" => Format::Toml,
            "json" => Format::Json,
            other => {
                let e = CoreRubricError::Format {
                    file: name.to_string(),
                    message: format!("unknown format `{other}`: expected `toml` or `json`"),
                };
                return Err(errors::rubric_error(py, &e));
            }
        };
        load_text(name, text, format)
            .map(|engine| NativeRubric {
                engine,
                source: name.to_string(),
            })
            .map_err(|e| errors::rubric_error(py, &e))
    }

    #[staticmethod]
    fn bundled(py: Python<'_>, name: &str) -> PyResult<NativeRubric> {
        let found = bundled::BUNDLED.iter().find(|(n, _, _)| *n == name);
        let Some((n, ext, text)) = found else {
            let names: Vec<&str> = bundled::BUNDLED.iter().map(|(n, _, _)| *n).collect();
            let e = CoreRubricError::Io {
                file: format!("<bundled>/{name}"),
                message: format!("no bundled rubric `{name}` (bundled: {})", names.join(", ")),
            };
            return Err(errors::rubric_error(py, &e));
        };
        let format = if *ext == "json" {
            Format::Json
        } else {
            Format::Toml
        };
        let file = format!("<bundled>/{n}.{ext}");
        load_text_with(&file, text, format, &read_bundled)
            .map(|engine| NativeRubric {
                engine,
                source: file.clone(),
            })
            .map_err(|e| errors::rubric_error(py, &e))
    }

    /// `(kind, id, version, title, hash, source)`.
    fn info(&self) -> (String, String, String, String, String, String) {
        match &self.engine {
            Engine::Health(r) => {
                let s = r.stamp();
                (
                    "health".into(),
                    s.id.clone(),
                    s.version.clone(),
                    r.spec().title.clone(),
                    s.hash.clone(),
                    self.source.clone(),
                )
            }
        }
    }

    /// The input columns the rubric reads.
    fn input_columns(&self) -> Vec<String> {
        match &self.engine {
            Engine::Health(r) => r.input_columns().into_iter().map(String::from).collect(),
        }
    }

    /// The bands from the top down, as JSON.
    fn bands_json(&self) -> String {
        match &self.engine {
            Engine::Health(r) => {
                let bands: Vec<_> = r.bands().collect();
                serde_json::to_string(&bands).unwrap_or_else(|_| "[]".into())
            }
        }
    }

    /// The rubric file as JSON (the parsed model).
    fn spec_json(&self) -> String {
        match &self.engine {
            Engine::Health(r) => serde_json::to_string(r.spec()).unwrap_or_else(|_| "{}".into()),
        }
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
        match &self.engine {
            Engine::Health(r) => {
                let result = r
                    .score_batch(std::slice::from_ref(&record), &options)
                    .into_iter()
                    .next()
                    .ok_or_else(|| errors::table_error(py, "internal", "no result".into(), None))?
                    .map_err(|e| errors::health_error(py, &e))?;
                Ok(HealthRow::Scored(Box::new(result))
                    .to_json(true)
                    .to_string())
            }
        }
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
        let Engine::Health(rubric) = &self.engine;
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

/// Names of the bundled rubrics (paths under `rubrics/` without the extension).
#[pyfunction]
fn bundled_rubrics() -> Vec<&'static str> {
    bundled::BUNDLED.iter().map(|(n, _, _)| *n).collect()
}

/// The text of a bundled rubric.
#[pyfunction]
fn bundled_text(py: Python<'_>, name: &str) -> PyResult<&'static str> {
    bundled::BUNDLED
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, t)| *t)
        .ok_or_else(|| {
            let e = CoreRubricError::Io {
                file: format!("<bundled>/{name}"),
                message: format!("no bundled rubric `{name}`"),
            };
            errors::rubric_error(py, &e)
        })
}

/// The native module behind the `csrubric` Python package.
#[pymodule]
fn _csrubric(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeRubric>()?;
    m.add_function(wrap_pyfunction!(bundled_rubrics, m)?)?;
    m.add_function(wrap_pyfunction!(bundled_text, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    Ok(())
}
