//! Records from in-memory columns (Arrow tables, DataFrames): the `id` checks the CSV reader
//! applies, for callers that hold their cells column by column.
//!
//! A binding converts each cell to a [`Value`](crate::input::Value) itself; what it must not
//! reinvent is which ids are acceptable. [`check_ids`] answers that exactly as
//! [`read_csv`](crate::input::read_csv) does: an empty or absent id and a repeated id fail
//! their row only, so a batch still has one answer per row.

use std::collections::HashSet;

use crate::input::{InputError, RowRef};

/// Checks a column of ids, in row order: each row gets its trimmed id, or the row error
/// `missing `id`` / `duplicate id `x`` (rows numbered from 1, `source` names the table).
///
/// # Example
/// ```
/// use csrubric::columns::check_ids;
/// let ids = check_ids("accounts", [Some("a"), None, Some(" a "), Some("b")]);
/// assert_eq!(ids[0].as_deref().ok(), Some("a"));
/// assert_eq!(ids[1].as_ref().unwrap_err().to_string(), "accounts: row 2: missing `id`");
/// assert_eq!(ids[2].as_ref().unwrap_err().to_string(), "accounts: row 3: duplicate id `a`");
/// assert_eq!(ids[3].as_deref().ok(), Some("b"));
/// ```
pub fn check_ids<S: AsRef<str>>(
    source: &str,
    ids: impl IntoIterator<Item = Option<S>>,
) -> Vec<Result<String, InputError>> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| {
            let at = RowRef {
                row: i + 1,
                line: None,
            };
            let id = id.as_ref().map(|s| s.as_ref().trim()).unwrap_or("");
            if id.is_empty() {
                return Err(InputError::Row {
                    file: source.into(),
                    at,
                    message: "missing `id`".into(),
                });
            }
            if !seen.insert(id.to_string()) {
                return Err(InputError::Row {
                    file: source.into(),
                    at,
                    message: format!("duplicate id `{}`", crate::decimal::excerpt(id)),
                });
            }
            Ok(id.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_fail_like_the_csv_reader() {
        // The same table through the CSV reader and through check_ids: same rows fail.
        let csv = crate::input::read_csv("t", "id,a\nx,1\n,2\nx,3\n y ,4\n").unwrap();
        let ids = check_ids("t", [Some("x"), Some(""), Some("x"), Some(" y ")]);
        assert_eq!(ids.len(), csv.len());
        for (a, b) in ids.iter().zip(&csv) {
            assert_eq!(a.is_ok(), b.is_ok());
            if let (Ok(id), Ok(rec)) = (a, b) {
                assert_eq!(id, &rec.id);
            }
        }
        assert_eq!(
            ids[2].as_ref().unwrap_err().code(),
            "input_row",
            "a duplicate is a row error"
        );
    }
}
