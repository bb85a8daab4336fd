//! Reading input records (accounts, requests, tickets...) from CSV and JSON, row by row.
//!
//! A file-level problem (unreadable file, no `id` column, malformed JSON) is an
//! [`InputError`] for the whole file. A problem in one row (no id, duplicate id) is an
//! [`InputError`] for that row only: the other rows are still returned, in file order, so a
//! batch never drops a row silently.
//!
//! Cells are kept as [`Value`]s; whether a cell must be a number is decided later by the
//! rubric that reads it, so the error can name the column the rubric expected.
//!
//! Rows are numbered from 1 in data order (the CSV header is not a row); CSV errors also
//! name the file line.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::decimal::{excerpt, parse_decimal, JSON_NUMBER_TOKEN};

/// One cell of an input record.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A number, exact.
    Number(Decimal),
    /// Text that is not a number (a name, a segment, or a typo in a numeric column).
    Text(String),
    /// A JSON boolean.
    Bool(bool),
    /// Any other JSON structure (lists, objects), for rubrics that read them.
    Json(serde_json::Value),
}

impl Value {
    /// Reads a CSV cell: empty means absent (`None`), a decimal is a number, else text.
    ///
    /// # Example
    /// ```
    /// use csrubric::input::Value;
    /// assert_eq!(Value::from_cell("  "), None);
    /// assert!(matches!(Value::from_cell("12.5"), Some(Value::Number(_))));
    /// assert!(matches!(Value::from_cell("Gold"), Some(Value::Text(_))));
    /// ```
    pub fn from_cell(cell: &str) -> Option<Value> {
        let t = cell.trim();
        if t.is_empty() {
            return None;
        }
        Some(match parse_decimal(t) {
            Ok(d) => Value::Number(d),
            Err(_) => Value::Text(t.to_string()),
        })
    }

    /// Reads a JSON value: `null` means absent, numbers keep the literal as written,
    /// numeric strings are numbers.
    pub fn from_json(v: &serde_json::Value) -> Option<Value> {
        match v {
            serde_json::Value::Null => None,
            serde_json::Value::Bool(b) => Some(Value::Bool(*b)),
            serde_json::Value::Number(n) => Some(json_number(n)),
            serde_json::Value::String(s) => {
                Value::from_cell(s).or(Some(Value::Text(String::new())))
            }
            other => Some(Value::Json(other.clone())),
        }
    }

    /// The number in this cell, or a message saying what it holds instead.
    ///
    /// # Errors
    /// A message naming the non-numeric content.
    pub fn as_number(&self) -> Result<Decimal, String> {
        match self {
            Value::Number(d) => Ok(*d),
            Value::Text(t) => Err(match parse_decimal(t) {
                // Written as a number, but beyond what a decimal holds: say so.
                Err(why) if why.contains("outside the decimal range") => why,
                _ => format!("`{}` is not a number", excerpt(t)),
            }),
            Value::Bool(b) => Err(format!("`{b}` is not a number")),
            Value::Json(j) => Err(format!("`{}` is not a number", excerpt(&j.to_string()))),
        }
    }
}

/// A JSON number as written: serde_json keeps the literal (feature `arbitrary_precision`),
/// so `84.99499999999999999` is that decimal, as the same text in a CSV cell is, never the
/// nearest binary float. A literal outside the decimal range stays text, for the rubric to
/// name with the reason ([`Value::as_number`]).
fn json_number(n: &serde_json::Number) -> Value {
    let literal = n.to_string();
    match parse_decimal(&literal) {
        Ok(d) => Value::Number(d),
        Err(_) => Value::Text(literal),
    }
}

/// One input record: an id, its cells, and anything structured the file carried for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// The record's id (the `id` column).
    pub id: String,
    /// 1-based data row in its file (0 when built in code).
    pub row: usize,
    /// Cells by column name, absent cells omitted.
    pub values: BTreeMap<String, Value>,
}

impl Record {
    /// Builds a record in code.
    ///
    /// # Example
    /// ```
    /// use csrubric::input::Record;
    /// use rust_decimal::Decimal;
    /// let r = Record::new("acme").with("product_adoption", Decimal::from(80));
    /// assert_eq!(r.number("product_adoption"), Some(Ok(Decimal::from(80))));
    /// ```
    pub fn new(id: impl Into<String>) -> Record {
        Record {
            id: id.into(),
            row: 0,
            values: BTreeMap::new(),
        }
    }

    /// Adds a numeric cell.
    pub fn with(mut self, column: impl Into<String>, value: Decimal) -> Record {
        self.values.insert(column.into(), Value::Number(value));
        self
    }

    /// Adds a cell of any kind.
    pub fn with_value(mut self, column: impl Into<String>, value: Value) -> Record {
        self.values.insert(column.into(), value);
        self
    }

    /// The cell in `column` as a number: `None` when absent, `Some(Err)` when not numeric.
    pub fn number(&self, column: &str) -> Option<Result<Decimal, String>> {
        self.values.get(column).map(Value::as_number)
    }

    /// The cell in `column` as text (numbers and booleans printed), `None` when absent.
    pub fn text(&self, column: &str) -> Option<String> {
        self.values.get(column).map(|v| match v {
            Value::Number(d) => d.to_string(),
            Value::Text(t) => t.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Json(j) => j.to_string(),
        })
    }
}

/// Where a row is: its number and, for CSV, its line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowRef {
    /// 1-based data row.
    pub row: usize,
    /// 1-based line in a CSV file, when the row came from one.
    pub line: Option<u64>,
}

impl fmt::Display for RowRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "row {} (line {l})", self.row),
            None => write!(f, "row {}", self.row),
        }
    }
}

/// Errors reading input records.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// The file could not be read.
    #[error("{file}: cannot read input: {message}")]
    Io {
        /// The file as given.
        file: String,
        /// The operating system's reason.
        message: String,
    },
    /// The file as a whole is unusable (bad extension, malformed CSV/JSON, no `id` column).
    #[error("{file}: {message}")]
    File {
        /// The file as given.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// One row is unusable; the other rows are still read.
    #[error("{file}: {at}: {message}")]
    Row {
        /// The file as given.
        file: String,
        /// Which row.
        at: RowRef,
        /// What is wrong.
        message: String,
    },
}

impl InputError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Io { .. } => "input_io",
            InputError::File { .. } => "input_file",
            InputError::Row { .. } => "input_row",
        }
    }

    /// The 1-based row of a row error.
    pub fn row(&self) -> Option<usize> {
        match self {
            InputError::Row { at, .. } => Some(at.row),
            _ => None,
        }
    }
}

/// Records read from a file: every data row in order, each read or failed.
pub type Rows = Vec<Result<Record, InputError>>;

/// Reads records from a `.csv` or `.json` file.
///
/// # Errors
/// [`InputError::Io`] or [`InputError::File`] when the file as a whole cannot be used.
pub fn read_path(path: &Path) -> Result<Rows, InputError> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let text = std::fs::read_to_string(path).map_err(|e| InputError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    match ext.as_deref() {
        Some("csv") => read_csv(&file, &text),
        Some("json") => read_json(&file, &text),
        _ => Err(InputError::File {
            file,
            message: "expected a `.csv` or `.json` file".into(),
        }),
    }
}

/// Reads records from CSV text with a header row that has an `id` column.
///
/// A UTF-8 byte-order mark and CRLF line ends are accepted; empty cells are absent values.
///
/// # Errors
/// [`InputError::File`] for a missing header, a missing `id` column or duplicate column names.
///
/// # Example
/// ```
/// use csrubric::input::read_csv;
/// let rows = read_csv("a.csv", "id,score\nacme,80\n,70\nbeta,\n")?;
/// assert_eq!(rows.len(), 3);
/// assert!(rows[0].is_ok());
/// assert_eq!(rows[1].as_ref().unwrap_err().to_string(), "a.csv: row 2 (line 3): missing `id`");
/// assert!(rows[2].as_ref().unwrap().values.is_empty());
/// # Ok::<(), csrubric::input::InputError>(())
/// ```
pub fn read_csv(file: &str, text: &str) -> Result<Rows, InputError> {
    let mut stream = CsvStream::new(file, text.as_bytes())?;
    let mut rows = Vec::new();
    while let Some(row) = stream.next_row() {
        rows.push(row.map(|r| r.into_record(stream.headers())));
    }
    Ok(rows)
}

/// A CSV file read one row at a time, with the checks of [`read_csv`] (header, `id` column,
/// missing and duplicate ids, ragged rows), for inputs too large to hold in memory.
///
/// Memory stays constant in the number of rows except for the ids seen so far, which are
/// kept to report a repeated id exactly as [`read_csv`] does.
///
/// # Example
/// ```
/// use csrubric::input::CsvStream;
/// let mut s = CsvStream::new("a.csv", "\u{feff}id,score\nacme,80\nacme,1\n".as_bytes())?;
/// assert_eq!(s.headers(), ["id", "score"]);
/// let first = s.next_row().unwrap()?;
/// assert_eq!((first.id.as_str(), first.cell(1)), ("acme", Some("80")));
/// let second = s.next_row().unwrap().unwrap_err();
/// assert_eq!(second.to_string(), "a.csv: row 2 (line 3): duplicate id `acme`");
/// assert!(s.next_row().is_none());
/// # Ok::<(), csrubric::input::InputError>(())
/// ```
pub struct CsvStream<R: std::io::Read> {
    file: String,
    reader: csv::Reader<BomSkip<R>>,
    headers: Vec<String>,
    id_col: usize,
    row: usize,
    ids: HashSet<Box<str>>,
    done: bool,
}

/// One CSV data row with an acceptable id, not yet turned into a [`Record`].
#[derive(Clone, Debug)]
pub struct CsvRow {
    /// Where it is.
    pub at: RowRef,
    /// The trimmed id.
    pub id: String,
    /// The raw cells, in header order.
    pub record: csv::StringRecord,
}

impl CsvRow {
    /// The raw cell in column `i` (header order).
    pub fn cell(&self, i: usize) -> Option<&str> {
        self.record.get(i)
    }

    /// The record [`read_csv`] makes of this row.
    pub fn into_record(self, headers: &[String]) -> Record {
        let mut values = BTreeMap::new();
        for (h, cell) in headers.iter().zip(self.record.iter()) {
            if h == "id" {
                continue;
            }
            if let Some(v) = Value::from_cell(cell) {
                values.insert(h.clone(), v);
            }
        }
        Record {
            id: self.id,
            row: self.at.row,
            values,
        }
    }
}

/// Drops a UTF-8 byte-order mark at the start of a stream.
struct BomSkip<R> {
    inner: R,
    start: Vec<u8>,
    checked: bool,
}

impl<R: std::io::Read> std::io::Read for BomSkip<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut head = [0u8; 3];
            let mut got = 0;
            while got < 3 {
                let n = self.inner.read(head.get_mut(got..).unwrap_or(&mut []))?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            let head = head.get(..got).unwrap_or(&[]);
            if head != [0xEF, 0xBB, 0xBF] {
                self.start = head.to_vec();
            }
        }
        if !self.start.is_empty() {
            let n = self.start.len().min(buf.len());
            for (b, s) in buf.iter_mut().zip(self.start.drain(..n)) {
                *b = s;
            }
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl<R: std::io::Read> CsvStream<R> {
    /// Reads the header row of `reader`; `file` names the input in errors.
    ///
    /// # Errors
    /// [`InputError::File`] for a missing header, a missing `id` column or duplicate column
    /// names.
    pub fn new(file: &str, reader: R) -> Result<CsvStream<R>, InputError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(BomSkip {
                inner: reader,
                start: Vec::new(),
                checked: false,
            });
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| InputError::File {
                file: file.into(),
                message: format!("cannot read the header row: {e}"),
            })?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        check_header_names(file, &headers)?;
        let id_col = headers
            .iter()
            .position(|h| h == "id")
            .ok_or_else(|| InputError::File {
                file: file.into(),
                message: "no `id` column in the header row".into(),
            })?;
        Ok(CsvStream {
            file: file.to_string(),
            reader,
            headers,
            id_col,
            row: 0,
            ids: HashSet::new(),
            done: false,
        })
    }

    /// The trimmed column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The file name given to [`CsvStream::new`].
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The next data row, `None` at the end: a row with an acceptable id, or the row's error
    /// (ragged, not UTF-8, missing or repeated id) exactly as [`read_csv`] reports it.
    pub fn next_row(&mut self) -> Option<Result<CsvRow, InputError>> {
        if self.done {
            return None;
        }
        let mut record = csv::StringRecord::new();
        let read = self.reader.read_record(&mut record);
        self.row += 1;
        let row = self.row;
        match read {
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                // An I/O error mid-file ends the input; a malformed row is that row's error.
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    self.row -= 1;
                    let err = InputError::Io {
                        file: self.file.clone(),
                        message: e.to_string(),
                    };
                    // Report it once, then stop.
                    self.done = true;
                    return Some(Err(err));
                }
                let line = e.position().map(|p| p.line());
                Some(Err(InputError::Row {
                    file: self.file.clone(),
                    at: RowRef { row, line },
                    message: csv_message(&e),
                }))
            }
            Ok(true) => {
                let at = RowRef {
                    row,
                    line: record.position().map(|p| p.line()),
                };
                let id = record.get(self.id_col).unwrap_or("").trim().to_string();
                if id.is_empty() {
                    return Some(Err(InputError::Row {
                        file: self.file.clone(),
                        at,
                        message: "missing `id`".into(),
                    }));
                }
                if self.ids.contains(id.as_str()) {
                    return Some(Err(InputError::Row {
                        file: self.file.clone(),
                        at,
                        message: format!("duplicate id `{}`", excerpt(&id)),
                    }));
                }
                self.ids.insert(id.clone().into_boxed_str());
                Some(Ok(CsvRow { at, id, record }))
            }
        }
    }
}

/// Checks that a file is UTF-8 throughout without holding it in memory, failing as
/// [`read_path`] fails on it.
///
/// # Errors
/// [`InputError::Io`] when the file cannot be read or is not UTF-8.
pub fn check_utf8_file(path: &Path) -> Result<(), InputError> {
    use std::io::Read;
    let io = |e: std::io::Error| InputError::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0usize;
    loop {
        let n = f
            .read(buf.get_mut(carry..).unwrap_or(&mut []))
            .map_err(io)?;
        let filled = carry + n;
        let chunk = buf.get(..filled).unwrap_or(&[]);
        match std::str::from_utf8(chunk) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && n > 0 => {
                // A character cut at the end of the buffer: keep its bytes for the next read.
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carry = filled - valid;
            }
            Err(_) => {
                return Err(io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                )))
            }
        }
        if n == 0 {
            return Ok(());
        }
    }
}

/// A column named twice would have one value silently win over the other: a file error.
pub(crate) fn check_header_names(file: &str, headers: &[String]) -> Result<(), InputError> {
    let mut seen = HashSet::new();
    for h in headers {
        if !seen.insert(h.as_str()) {
            return Err(InputError::File {
                file: file.into(),
                message: format!("duplicate column `{}`", excerpt(h)),
            });
        }
    }
    Ok(())
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => e.to_string(),
    }
}

fn check_id(
    file: &str,
    at: RowRef,
    id: String,
    values: BTreeMap<String, Value>,
    ids: &mut HashSet<String>,
) -> Result<Record, InputError> {
    if id.is_empty() {
        return Err(InputError::Row {
            file: file.into(),
            at,
            message: "missing `id`".into(),
        });
    }
    if !ids.insert(id.clone()) {
        return Err(InputError::Row {
            file: file.into(),
            at,
            message: format!("duplicate id `{}`", excerpt(&id)),
        });
    }
    Ok(Record {
        id,
        row: at.row,
        values,
    })
}

/// Reads records from a JSON array of objects, each with an `id`.
///
/// Values may be numbers, numeric strings, text, booleans, `null` (absent) or nested
/// structures (kept as JSON for rubrics that read them).
///
/// # Errors
/// [`InputError::File`] when the text is not JSON or not an array.
///
/// # Example
/// ```
/// use csrubric::input::read_json;
/// let rows = read_json("a.json", r#"[{"id": "acme", "score": 80.5}, {"score": 1}]"#)?;
/// assert!(rows[0].is_ok());
/// assert!(rows[1].is_err());
/// # Ok::<(), csrubric::input::InputError>(())
/// ```
pub fn read_json(file: &str, text: &str) -> Result<Rows, InputError> {
    read_json_rows(file, text, true)
}

/// [`read_json`], where `unique_ids = false` lets an id repeat (dated snapshots of one
/// account); keys repeated inside an object are row errors either way.
pub(crate) fn read_json_rows(file: &str, text: &str, unique_ids: bool) -> Result<Rows, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).map_err(|e| {
        let message = if e.is_data() {
            "expected a JSON array of objects".to_string()
        } else {
            format!("invalid JSON: {e}")
        };
        InputError::File {
            file: file.into(),
            message,
        }
    })?;
    let mut ids = HashSet::new();
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let row = i + 1;
            if !unique_ids {
                ids.clear();
            }
            match serde_json::from_str::<Strict>(raw.get()) {
                Ok(Strict(item)) => record_from_json(file, row, &item, &mut ids),
                Err(e) => Err(InputError::Row {
                    file: file.into(),
                    at: RowRef { row, line: None },
                    message: strip_position(&e.to_string()),
                }),
            }
        })
        .collect())
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// A JSON value read strictly: a key repeated in one object is an error, not "last wins".
struct Strict(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom(format!("`{v}` is not a finite number")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.is_empty() && key == JSON_NUMBER_TOKEN {
                // A number, handed over as its literal (serde_json's `arbitrary_precision`).
                let literal: String = map.next_value()?;
                return literal
                    .parse::<serde_json::Number>()
                    .map(serde_json::Value::Number)
                    .map_err(serde::de::Error::custom);
            }
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{}`",
                    excerpt(&key)
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// Reads records from a JSON value already parsed (the bindings' and conformance vectors'
/// rows): an array of objects, each read like one item of [`read_json`].
///
/// # Errors
/// [`InputError::File`] when the value is not an array; a bad item is an error for its row.
///
/// # Example
/// ```
/// use csrubric::input::read_json_value;
/// let rows = read_json_value("<input>", &serde_json::json!([{"id": "a", "x": 1}, {"id": "a"}]))?;
/// assert!(rows[0].is_ok());
/// assert!(rows[1].as_ref().unwrap_err().to_string().contains("duplicate id `a`"));
/// assert!(read_json_value("<input>", &serde_json::json!({"id": "a"})).is_err());
/// # Ok::<(), csrubric::input::InputError>(())
/// ```
pub fn read_json_value(file: &str, value: &serde_json::Value) -> Result<Rows, InputError> {
    let serde_json::Value::Array(items) = value else {
        return Err(InputError::File {
            file: file.into(),
            message: "expected a JSON array of objects".into(),
        });
    };
    let mut ids = HashSet::new();
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, item)| record_from_json(file, i + 1, item, &mut ids))
        .collect())
}

/// Reads one record from a JSON object (`row` is its 1-based position).
///
/// # Errors
/// [`InputError::Row`] when the value is not an object or has no usable `id`.
pub fn record_from_json(
    file: &str,
    row: usize,
    item: &serde_json::Value,
    ids: &mut HashSet<String>,
) -> Result<Record, InputError> {
    let at = RowRef { row, line: None };
    let serde_json::Value::Object(obj) = item else {
        return Err(InputError::Row {
            file: file.into(),
            at,
            message: "expected an object".into(),
        });
    };
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => {
            return Err(InputError::Row {
                file: file.into(),
                at,
                message: format!(
                    "`id` must be a string, not `{}`",
                    excerpt(&other.to_string())
                ),
            })
        }
    };
    let values = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "id")
        .filter_map(|(k, v)| Value::from_json(v).map(|v| (k.clone(), v)))
        .collect();
    check_id(file, at, id, values, ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_handles_bom_crlf_and_ragged_rows() {
        let rows = read_csv("f.csv", "\u{feff}id,a\r\nx,1\r\ny,2,3\r\nz,4\r\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].as_ref().unwrap().number("a"),
            Some(Ok(Decimal::from(1)))
        );
        let err = rows[1].as_ref().unwrap_err();
        assert_eq!(err.row(), Some(2));
        assert!(
            err.to_string()
                .contains("has 3 fields but the header has 2"),
            "{err}"
        );
        assert_eq!(rows[2].as_ref().unwrap().id, "z");
    }

    #[test]
    fn csv_rejects_duplicate_ids_per_row_and_bad_headers() {
        let rows = read_csv("f.csv", "id,a\nx,1\nx,2\n").unwrap();
        assert!(rows[0].is_ok());
        assert!(rows[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("duplicate id `x`"));
        assert!(read_csv("f.csv", "name,a\nx,1\n").is_err());
        assert!(read_csv("f.csv", "id,a,a\nx,1,2\n").is_err());
    }

    #[test]
    fn cells_keep_text_for_the_rubric_to_judge() {
        let rows = read_csv("f.csv", "id,a\nx,\"1,000\"\n").unwrap();
        let r = rows[0].as_ref().unwrap();
        assert_eq!(r.number("a"), Some(Err("`1,000` is not a number".into())));
    }

    #[test]
    fn huge_ids_are_quoted_briefly() {
        let big = "x".repeat(10 * 1024 * 1024);
        let rows = read_csv("f.csv", &format!("id\n{big}\n{big}\n")).unwrap();
        let e = rows[1].as_ref().unwrap_err().to_string();
        assert!(
            e.len() < 200 && e.ends_with("... (10485760 bytes)`"),
            "{} bytes",
            e.len()
        );
        let rows = read_json("f.json", &format!("[{{\"id\": [\"{big}\"]}}]")).unwrap();
        let e = rows[0].as_ref().unwrap_err().to_string();
        assert!(
            e.len() < 200 && e.contains("`id` must be a string"),
            "{} bytes",
            e.len()
        );
    }

    #[test]
    fn a_huge_repeated_key_is_quoted_briefly() {
        let big = "k".repeat(10 * 1024 * 1024);
        let text = format!("[{{\"id\": \"a\", \"{big}\": 1, \"{big}\": 2}}]");
        let rows = read_json("f.json", &text).unwrap();
        let e = rows[0].as_ref().unwrap_err().to_string();
        assert!(
            e.len() < 200 && e.contains("duplicate key `kkk"),
            "{} bytes",
            e.len()
        );
    }

    #[test]
    fn json_numbers_are_exact_and_null_is_absent() {
        let rows = read_json("f.json", r#"[{"id":1,"a":84.99,"b":null,"c":"7"}]"#).unwrap();
        let r = rows[0].as_ref().unwrap();
        assert_eq!(r.id, "1");
        assert_eq!(r.number("a"), Some(Ok(Decimal::new(8499, 2))));
        assert_eq!(r.number("b"), None);
        assert_eq!(r.number("c"), Some(Ok(Decimal::from(7))));
        assert!(read_json("f.json", "{}").is_err());
        let rows = read_json("f.json", r#"[{"id":"a","x":1,"x":2},{"id":"b","x":3}]"#).unwrap();
        assert!(rows[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("duplicate key `x`"));
        assert!(rows[1].is_ok());
        assert!(read_json("f.json", "[1]").unwrap()[0].is_err());
    }
}
