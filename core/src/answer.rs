//! What every operation answers row by row: a [`Row`] holds the operation's result for one
//! input row, or its [`RowFailure`] (`{id, row, status: "error", error: {code, message}}`)
//! in its place: a row is never dropped. A leaf module: it depends only on the input
//! readers, so every domain and the [`crate::api`] layer above them can use it.

use serde::{Deserialize, Serialize};

use crate::input::InputError;

/// The error part of a failed row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// Stable short code (`out_of_scale`, `input_row`, `invalid_override`...).
    pub code: String,
    /// The full message, naming the row and the column.
    pub message: String,
}

/// A row that could not be processed: it stays in its place in the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowFailure {
    /// The record's id, when the row had one.
    pub id: Option<String>,
    /// 1-based data row.
    pub row: usize,
    /// Always `"error"`.
    pub status: &'static str,
    /// What went wrong.
    pub error: ErrorInfo,
}

impl RowFailure {
    /// A failure of row `row` (record `id`) with a stable `code` and a message naming the
    /// row and the column.
    ///
    /// # Example
    /// ```
    /// use csrubric::answer::RowFailure;
    /// let f = RowFailure::new(Some("acme".into()), 3, "invalid_input", "row 3: bad".into());
    /// assert_eq!(serde_json::to_value(&f)?["error"]["code"], "invalid_input");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn new(id: Option<String>, row: usize, code: &str, message: String) -> RowFailure {
        RowFailure {
            id,
            row,
            status: "error",
            error: ErrorInfo {
                code: code.to_string(),
                message,
            },
        }
    }

    /// The failure of a row the input reader rejected (no id, duplicate id...).
    pub fn from_input(e: &InputError) -> RowFailure {
        RowFailure::new(None, e.row().unwrap_or(0), e.code(), e.to_string())
    }
}

/// One row of a batch answer: the operation's result for the row, or its failure.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Row<T> {
    /// The row's result.
    Ok(T),
    /// The row failed; the message names the row.
    Failed(RowFailure),
}

impl<T> Row<T> {
    /// The result, when the row did not fail.
    pub fn ok(&self) -> Option<&T> {
        match self {
            Row::Ok(t) => Some(t),
            Row::Failed(_) => None,
        }
    }

    /// The failure, when the row failed.
    pub fn failure(&self) -> Option<&RowFailure> {
        match self {
            Row::Ok(_) => None,
            Row::Failed(f) => Some(f),
        }
    }
}

/// How many rows of an answer failed.
pub fn failures<T>(rows: &[Row<T>]) -> usize {
    rows.iter().filter(|r| r.failure().is_some()).count()
}

/// Serializes a `Result` field as plain JSON: the value, or `{"error": ...}` (serde's default
/// would be `{"Ok": ...}` / `{"Err": ...}`).
pub(crate) fn result_or_error<T: Serialize, E: Serialize, S: serde::Serializer>(
    r: &Result<T, E>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    match r {
        Ok(v) => v.serialize(s),
        Err(e) => {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry("error", e)?;
            m.end()
        }
    }
}
