//! Loading rubric files: TOML or JSON text in, a validated model out, or errors that point
//! at the exact place to fix.
//!
//! Every rubric kind (health, priority, escalation, renewal...) goes through [`load`]:
//!
//! 1. the text is parsed into the kind's serde model (unknown fields are rejected);
//! 2. the model validates itself ([`Validate`]) and reports every problem it finds, each with
//!    its rubric path (`components[2].weight`);
//! 3. for TOML, each problem is given the line and column of that path in the file.
//!
//! The result carries a [`Stamp`]: the rubric's id, version and a SHA-256 of the file's
//! bytes, so a stored score can be traced to the exact rules that made it.

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The file format of a rubric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// TOML, the format shipped rubrics use.
    Toml,
    /// JSON, the same model.
    Json,
}

impl Format {
    /// Picks the format from a file extension (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError::Format`] for any other extension.
    ///
    /// # Example
    /// ```
    /// use csrubric::rubric::Format;
    /// assert_eq!(Format::from_path("rubrics/health/slavkokernel.toml".as_ref())?, Format::Toml);
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<Format, RubricError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("toml") => Ok(Format::Toml),
            Some("json") => Ok(Format::Json),
            _ => Err(RubricError::Format {
                file: path.display().to_string(),
                message: "expected a `.toml` or `.json` file".into(),
            }),
        }
    }
}

/// One thing wrong with a rubric, at one place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Rubric path, such as `components[2].weight` (`.` for the whole file).
    pub path: String,
    /// What is wrong, lowercase, user text in backticks.
    pub message: String,
    /// 1-based line in the file, when known (always for TOML).
    pub line: Option<usize>,
    /// 1-based column in the file, when known.
    pub column: Option<usize>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "{l}:{c}: ")?;
        }
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Errors loading a rubric file.
#[derive(Debug, thiserror::Error)]
pub enum RubricError {
    /// The file could not be read.
    #[error("{file}: cannot read rubric: {message}")]
    Io {
        /// The file as given.
        file: String,
        /// The operating system's reason.
        message: String,
    },
    /// The file is neither TOML nor JSON.
    #[error("{file}: {message}")]
    Format {
        /// The file as given.
        file: String,
        /// Why the format is not supported.
        message: String,
    },
    /// The text is not well-formed TOML/JSON.
    #[error("{file}:{line}:{column}: syntax error: {message}")]
    Syntax {
        /// The file as given.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The rubric parsed but is wrong: unknown fields, wrong types, weights that do not sum
    /// to 100, gaps between bands... Every problem found is listed.
    #[error("{}", display_invalid(file, problems))]
    Invalid {
        /// The file as given.
        file: String,
        /// Every problem found, in file order where known.
        problems: Vec<Problem>,
    },
}

fn location(p: &Problem) -> String {
    match (p.line, p.column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        _ => String::new(),
    }
}

/// How many problems the message of an [`RubricError::Invalid`] lists; the rest are
/// counted ([`RubricError::problems`] has them all).
use crate::limits::RUBRIC_PROBLEMS_SHOWN as PROBLEMS_SHOWN;

/// `file:line:col: invalid rubric: path: message`, or one such line per problem (at most
/// [`PROBLEMS_SHOWN`], then how many more).
fn display_invalid(file: &str, problems: &[Problem]) -> String {
    match problems {
        [one] => format!(
            "{file}{}: invalid rubric: {}: {}",
            location(one),
            one.path,
            one.message
        ),
        many => {
            let mut s = format!("{file}: invalid rubric ({} problems):", many.len());
            for p in many.iter().take(PROBLEMS_SHOWN) {
                s.push_str(&format!(
                    "\n  {file}{}: {}: {}",
                    location(p),
                    p.path,
                    p.message
                ));
            }
            if many.len() > PROBLEMS_SHOWN {
                s.push_str(&format!(
                    "\n  ... and {} more problems",
                    many.len() - PROBLEMS_SHOWN
                ));
            }
            s
        }
    }
}

impl RubricError {
    /// A short stable code for bindings (`rubric_io`, `rubric_format`, `rubric_syntax`,
    /// `rubric_invalid`).
    pub fn code(&self) -> &'static str {
        match self {
            RubricError::Io { .. } => "rubric_io",
            RubricError::Format { .. } => "rubric_format",
            RubricError::Syntax { .. } => "rubric_syntax",
            RubricError::Invalid { .. } => "rubric_invalid",
        }
    }

    /// The problems of an [`RubricError::Invalid`] (a syntax error is reported as one problem
    /// at `.`), for bindings that show them under an editor.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            RubricError::Invalid { problems, .. } => problems.clone(),
            RubricError::Syntax {
                line,
                column,
                message,
                ..
            } => vec![Problem {
                path: ".".into(),
                message: message.clone(),
                line: Some(*line),
                column: Some(*column),
            }],
            other => vec![Problem {
                path: ".".into(),
                message: other.to_string(),
                line: None,
                column: None,
            }],
        }
    }
}

/// Collects validation problems with their rubric paths.
///
/// # Example
/// ```
/// use csrubric::rubric::Problems;
/// let mut p = Problems::default();
/// p.push("components[0].weight", "weight must be positive");
/// assert_eq!(p.len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct Problems(Vec<(String, String)>);

impl Problems {
    /// Records a problem at `path`.
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push((path.into(), message.into()));
    }
    /// Number of problems found so far.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A rubric model that checks its own meaning after parsing.
pub trait Validate {
    /// Pushes every problem found; paths are rubric paths such as `bands[1].min`.
    fn validate(&self, problems: &mut Problems);
}

/// The identity every rubric file declares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricInfo {
    /// Stable identifier, such as `health/slavkokernel`.
    pub id: String,
    /// Version of the rules, bumped by the rubric's owners on every change.
    pub version: String,
    /// Human title.
    pub title: String,
    /// Which seed document and section the numbers come from.
    pub source: String,
}

impl RubricInfo {
    /// Checks that every identity field is filled in.
    pub fn validate(&self, problems: &mut Problems) {
        check_identity(&self.id, &self.version, &self.title, &self.source, problems);
    }
}

fn check_identity(id: &str, version: &str, title: &str, source: &str, problems: &mut Problems) {
    for (name, value) in [
        ("id", id),
        ("version", version),
        ("title", title),
        ("source", source),
    ] {
        if value.trim().is_empty() {
            problems.push(name, format!("`{name}` must not be empty"));
        }
    }
}

/// Checks the header every rubric file carries: `kind` is the one expected, and `id`,
/// `version`, `title` and `source` are filled in. Each rubric model calls this first.
///
/// # Example
/// ```
/// use csrubric::rubric::{validate_header, Problems};
/// let mut p = Problems::default();
/// validate_header("health", "priority", "x", "1", "t", "", &mut p);
/// assert_eq!(p.len(), 2); // wrong kind, empty source
/// ```
///
/// A wrong `kind` is quoted briefly (its start and length when long), so a 10 MB value
/// never becomes a 10 MB message.
pub fn validate_header(
    expected_kind: &str,
    kind: &str,
    id: &str,
    version: &str,
    title: &str,
    source: &str,
    problems: &mut Problems,
) {
    if kind != expected_kind {
        problems.push(
            "kind",
            format!(
                "expected `kind = \"{expected_kind}\"`, found `{}`",
                crate::decimal::excerpt(kind)
            ),
        );
    }
    check_identity(id, version, title, source, problems);
}

/// Where a result came from: the rubric's id, version and a hash of the file's bytes.
///
/// # Example
/// ```
/// use csrubric::rubric::Stamp;
/// let s = Stamp::new("health/x", "1.0.0", b"id = 'x'");
/// assert!(s.hash.starts_with("sha256:"));
/// assert_eq!(s.hash.len(), "sha256:".len() + 64);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// The rubric's `id`.
    pub id: String,
    /// The rubric's `version`.
    pub version: String,
    /// `sha256:` followed by the hex SHA-256 of the rubric text.
    pub hash: String,
}

impl Stamp {
    /// Stamps a rubric text.
    pub fn new(id: &str, version: &str, text: &[u8]) -> Stamp {
        let digest = Sha256::digest(text);
        let mut hash = String::with_capacity(7 + 64);
        hash.push_str("sha256:");
        for b in digest {
            hash.push_str(&format!("{b:02x}"));
        }
        Stamp {
            id: id.to_string(),
            version: version.to_string(),
            hash,
        }
    }
}

/// Every rubric kind this library knows, as written in a file's `kind` field.
pub const KINDS: &[&str] = &[
    "health",
    "calendar",
    "sla",
    "escalation",
    "alerts",
    "priority",
    "renewal",
    "kpi",
    "plan",
    "triage",
    "capacity",
    "interventions",
];

/// Reads the `kind` field of a rubric text without loading the rest, so a tool can pick
/// the right model.
///
/// # Errors
/// [`RubricError::Syntax`] for malformed text, [`RubricError::Invalid`] when `kind` is
/// missing or not a string.
///
/// # Example
/// ```
/// use csrubric::rubric::{peek_kind, Format};
/// assert_eq!(peek_kind("r.toml", "kind = \"health\"\nid = 'x'", Format::Toml)?, "health");
/// assert!(peek_kind("r.json", "{}", Format::Json).is_err());
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn peek_kind(file: &str, text: &str, format: Format) -> Result<String, RubricError> {
    let text = without_bom(text);
    crate::limits::check_rubric(file, text, format)?;
    #[derive(Deserialize)]
    struct KindText {
        kind: Option<String>,
    }
    let kind: KindText = match format {
        Format::Toml => parse_toml(file, text)?,
        Format::Json => parse_json(file, text)?,
    };
    kind.kind.ok_or_else(|| RubricError::Invalid {
        file: file.to_string(),
        problems: vec![Problem {
            path: "kind".into(),
            message: format!("missing `kind` (one of: {})", KINDS.join(", ")),
            line: Some(1),
            column: Some(1),
        }],
    })
}

/// Reads a rubric file's text, with an error naming the file.
///
/// # Errors
/// [`RubricError::Io`] when the file cannot be read, [`RubricError::Format`] when its
/// extension is neither `.toml` nor `.json`.
pub fn read_file(path: &Path) -> Result<(String, Format), RubricError> {
    let format = Format::from_path(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| RubricError::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    })?;
    Ok((text, format))
}

/// Reads a file a rubric links to (a script, a calendar, an escalation matrix), by its path
/// (the rubric's folder joined with the link). The default reads the file system; bindings
/// without one (WASM, the rubrics bundled in the Python wheel) pass a reader over bundled
/// files, see [`crate::bundled`].
pub type FileReader<'a> = &'a dyn Fn(&Path) -> std::io::Result<String>;

/// The file-system [`FileReader`].
///
/// # Errors
/// The operating system's error for an unreadable file.
///
/// # Example
/// ```
/// use csrubric::rubric::read_from_disk;
/// assert!(read_from_disk("no/such/file.toml".as_ref()).is_err());
/// ```
pub fn read_from_disk(path: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

/// Reads a rubric that another rubric links to (`calendar = "../calendars/x.toml"`):
/// resolves `rel` against `base` (the linking rubric's folder; the current directory when
/// `None`), reads it through `reader`, and returns its path, text and format. A failure is a
/// problem of the linking rubric `file` at its rubric path `at`.
///
/// # Errors
/// [`RubricError::Invalid`] naming `file` and `at` when the link cannot be read or has
/// neither a `.toml` nor a `.json` extension.
///
/// # Example
/// ```
/// use csrubric::rubric::{read_linked, read_from_disk, Format};
/// let base = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation"));
/// let (path, text, format) = read_linked("sla.toml", Some(base), "../calendars/always-open.toml", "calendar", &read_from_disk)?;
/// assert!(path.ends_with("always-open.toml"));
/// assert_eq!(format, Format::Toml);
/// assert!(text.contains("kind = \"calendar\""));
/// let err = read_linked("sla.toml", Some(base), "nope.toml", "calendars.main", &read_from_disk).unwrap_err();
/// assert!(err.to_string().starts_with("sla.toml: invalid rubric: calendars.main: cannot read `nope.toml`"), "{err}");
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn read_linked(
    file: &str,
    base: Option<&Path>,
    rel: &str,
    at: &str,
    reader: FileReader<'_>,
) -> Result<(String, String, Format), RubricError> {
    let full = match base {
        Some(b) => b.join(rel),
        None => Path::new(rel).to_path_buf(),
    };
    let problem = |message: String| RubricError::Invalid {
        file: file.to_string(),
        problems: vec![Problem {
            path: at.to_string(),
            message,
            line: None,
            column: None,
        }],
    };
    let format = Format::from_path(&full).map_err(|e| problem(format!("`{rel}`: {e}")))?;
    let text = reader(&full).map_err(|e| problem(format!("cannot read `{rel}`: {e}")))?;
    Ok((full.display().to_string(), text, format))
}

/// Wraps an error in a rubric this one links to as a problem of the linking rubric `file`
/// at its rubric path `at`, keeping the linked file's own message (with its line and
/// column).
pub(crate) fn linked_error(
    file: &str,
    at: &str,
    rel: &str,
    what: &str,
    e: &RubricError,
) -> RubricError {
    RubricError::Invalid {
        file: file.to_string(),
        problems: vec![Problem {
            path: at.to_string(),
            message: format!("cannot load {what} `{rel}`: {e}"),
            line: None,
            column: None,
        }],
    }
}

/// Parses and validates a rubric text into the model `T`.
///
/// `file` names the rubric in errors (a path, or `<inline>`).
///
/// # Errors
/// [`RubricError::Syntax`] for malformed text, [`RubricError::Invalid`] listing every
/// structural and semantic problem with its path (and line/column for TOML).
///
/// # Example
/// ```
/// use csrubric::rubric::{load, Format, Problems, Validate};
/// #[derive(serde::Deserialize)]
/// #[serde(deny_unknown_fields)]
/// struct Tiny { weight: u32 }
/// impl Validate for Tiny {
///     fn validate(&self, p: &mut Problems) {
///         if self.weight == 0 { p.push("weight", "weight must be positive"); }
///     }
/// }
/// let err = load::<Tiny>("tiny.toml", "\n weight = 0\n", Format::Toml).err().unwrap();
/// assert_eq!(err.to_string(), "tiny.toml:2:2: invalid rubric: weight: weight must be positive");
/// # Ok::<(), csrubric::rubric::RubricError>(())
/// ```
pub fn load<T: DeserializeOwned + Validate>(
    file: &str,
    text: &str,
    format: Format,
) -> Result<T, RubricError> {
    let text = without_bom(text);
    crate::limits::check_rubric(file, text, format)?;
    let model: T = match format {
        Format::Toml => parse_toml(file, text)?,
        Format::Json => parse_json(file, text)?,
    };
    let mut problems = Problems::default();
    model.validate(&mut problems);
    if problems.is_empty() {
        return Ok(model);
    }
    let locator = match format {
        Format::Toml => TomlLocator::new(text),
        Format::Json => TomlLocator::empty(),
    };
    let mut list: Vec<Problem> = problems
        .0
        .into_iter()
        .map(|(path, message)| {
            let (line, column) = locator.locate(text, &path).unzip();
            Problem {
                path,
                message,
                line,
                column,
            }
        })
        .collect();
    list.sort_by_key(|p| (p.line.unwrap_or(usize::MAX), p.column.unwrap_or(0)));
    Err(RubricError::Invalid {
        file: file.to_string(),
        problems: list,
    })
}

/// The line and column of a rubric path (`components[2].weight`) in a TOML text; `None`
/// for JSON or a path not in the text.
pub(crate) fn locate(text: &str, format: Format, path: &str) -> Option<(usize, usize)> {
    match format {
        Format::Toml => TomlLocator::new(text).locate(text, path),
        Format::Json => None,
    }
}

/// The text without a leading UTF-8 byte-order mark (which editors on Windows add, and which
/// JSON parsers reject), as the account readers do.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn parse_toml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, RubricError> {
    let de = toml::de::Deserializer::parse(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        RubricError::Syntax {
            file: file.to_string(),
            line,
            column,
            message: brief(e.message().trim()),
        }
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = path_string(e.path());
        let inner = e.inner();
        let located = inner.span().map(|s| line_col(text, s.start));
        let (line, column) = match located {
            Some(lc) => (Some(lc.0), Some(lc.1)),
            None => TomlLocator::new(text).locate(text, &path).unzip(),
        };
        RubricError::Invalid {
            file: file.to_string(),
            problems: vec![Problem {
                path,
                message: brief(inner.message().trim()),
                line,
                column,
            }],
        }
    })
}

fn parse_json<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, RubricError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let model = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| json_error(file, path_string(e.path()), e.inner()))?;
    de.end().map_err(|e| json_error(file, ".".into(), &e))?;
    Ok(model)
}

fn json_error(file: &str, path: String, e: &serde_json::Error) -> RubricError {
    if e.is_syntax() || e.is_eof() {
        return RubricError::Syntax {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: brief(&strip_json_position(&e.to_string())),
        };
    }
    RubricError::Invalid {
        file: file.to_string(),
        problems: vec![Problem {
            path,
            message: brief(&strip_json_position(&e.to_string())),
            line: Some(e.line()),
            column: Some(e.column()),
        }],
    }
}

/// A parser's message with long quoted user text shortened: serde quotes an offending value
/// whole (`invalid type: string "…", expected u32`), so a 10 MB value would otherwise make a
/// 10 MB message. Quoted runs over 64 bytes become their start and length
/// ([`crate::decimal::excerpt`]).
fn brief(message: &str) -> String {
    const SHORT: usize = 300;
    if message.len() <= SHORT {
        return message.to_string();
    }
    let mut out = String::with_capacity(SHORT);
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let after = rest.get(open + 1..).unwrap_or("");
        let quote = if rest.get(open..).is_some_and(|r| r.starts_with('"')) {
            '"'
        } else {
            '`'
        };
        out.push_str(rest.get(..open).unwrap_or(""));
        out.push(quote);
        // The closing quote; a `"` string may contain escaped quotes (`\"`).
        let mut escaped = false;
        let close = after.char_indices().find_map(|(i, c)| {
            let found = c == quote && !escaped;
            escaped = quote == '"' && c == '\\' && !escaped;
            found.then_some(i)
        });
        match close {
            Some(c) => {
                out.push_str(&crate::decimal::excerpt(after.get(..c).unwrap_or("")));
                out.push(quote);
                rest = after.get(c + 1..).unwrap_or("");
            }
            None => {
                out.push_str(&crate::decimal::excerpt(after));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if out.len() > 4 * SHORT {
        crate::decimal::excerpt(&out)
    } else {
        out
    }
}

fn strip_json_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

fn path_string(path: &serde_path_to_error::Path) -> String {
    let s = path.to_string();
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Finds the line and column of a rubric path in a TOML text. The text is parsed once and
/// its line starts indexed once, so locating each of many problems (a rubric 100 000 entries
/// long with a problem in each) stays linear in the text, not quadratic.
struct TomlLocator<'a> {
    root: Option<toml::Spanned<toml::de::DeTable<'a>>>,
    /// Byte offset of the start of each line.
    lines: Vec<usize>,
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            let key = rest.get(..open).unwrap_or("");
            if !key.is_empty() {
                out.push(Segment::Key(key));
            }
            rest = rest.get(open..).unwrap_or("");
            while let Some(stripped) = rest.strip_prefix('[') {
                let close = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(i) = stripped.get(..close).unwrap_or("").parse() {
                    out.push(Segment::Index(i));
                }
                rest = stripped.get(close + 1..).unwrap_or("");
            }
        } else {
            out.push(Segment::Key(part));
        }
    }
    out
}

impl<'a> TomlLocator<'a> {
    fn new(text: &'a str) -> Self {
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        TomlLocator {
            root: toml::de::DeTable::parse(text).ok(),
            lines,
        }
    }
    fn empty() -> Self {
        TomlLocator {
            root: None,
            lines: Vec::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset, like [`line_col`].
    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.lines.partition_point(|&start| start <= offset).max(1);
        let start = self.lines.get(line - 1).copied().unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// The deepest existing node on `path`: its line and column.
    fn locate(&self, text: &str, path: &str) -> Option<(usize, usize)> {
        use toml::de::{DeTable, DeValue};
        let root = self.root.as_ref()?;
        let mut best = None;
        let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
        let mut value: Option<&DeValue<'_>> = None;
        for seg in segments(path) {
            let next = match (seg, table, value) {
                (Segment::Key(k), Some(t), _) => t
                    .iter()
                    .find(|(key, _)| key.get_ref().as_ref() == k)
                    .map(|(key, v)| (key.span(), v)),
                (Segment::Index(i), _, Some(DeValue::Array(a))) => a.get(i).map(|v| (v.span(), v)),
                _ => None,
            };
            let Some((span, v)) = next else { break };
            best = Some(span.start);
            value = Some(v.get_ref());
            table = match v.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
            // For array elements that are tables, point at the element; for keys, at the key.
        }
        best.map(|o| self.line_col(text, o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        weight: crate::decimal::Dec,
    }
    impl Validate for Doc {
        fn validate(&self, p: &mut Problems) {
            for (i, it) in self.items.iter().enumerate() {
                if it.weight.0.is_sign_negative() {
                    p.push(format!("items[{i}].weight"), "weight must be positive");
                }
            }
        }
    }

    const TOML: &str = "[[items]]\nid = \"a\"\nweight = 1\n\n[[items]]\nid = \"b\"\nweight = -2\n";

    #[test]
    fn validation_problem_points_at_line_and_column() {
        let err = load::<Doc>("x.toml", TOML, Format::Toml).unwrap_err();
        let RubricError::Invalid { problems, .. } = err else {
            panic!("expected invalid")
        };
        assert_eq!(problems[0].path, "items[1].weight");
        assert_eq!((problems[0].line, problems[0].column), (Some(7), Some(1)));
    }

    #[test]
    fn unknown_field_names_path_and_position() {
        let text = "[[items]]\nid = \"a\"\nweigth = 1\n";
        let err = load::<Doc>("x.toml", text, Format::Toml).unwrap_err();
        let RubricError::Invalid { problems, .. } = &err else {
            panic!("expected invalid: {err}")
        };
        assert!(
            problems[0].message.contains("unknown field `weigth`"),
            "{err}"
        );
        assert_eq!(problems[0].line, Some(3));
        assert!(
            problems[0].path.starts_with("items[0]"),
            "{}",
            problems[0].path
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = load::<Doc>("x.toml", "[[items]\n", Format::Toml).unwrap_err();
        assert!(matches!(err, RubricError::Syntax { line: 1, .. }), "{err}");
        let err = load::<Doc>("x.json", "{\"items\": [\n{]", Format::Json).unwrap_err();
        assert!(matches!(err, RubricError::Syntax { line: 2, .. }), "{err}");
    }

    #[test]
    fn json_type_errors_name_the_path() {
        let err = load::<Doc>(
            "x.json",
            r#"{"items":[{"id":"a","weight":true}]}"#,
            Format::Json,
        )
        .unwrap_err();
        let RubricError::Invalid { problems, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(problems[0].path, "items[0].weight");
    }

    #[test]
    fn the_locator_index_agrees_with_line_col_everywhere() {
        let text = "a = 1\r\n\nb = \"é\"\n[[c]]\nd = 2";
        let locator = TomlLocator::new(text);
        for offset in (0..=text.len() + 2).filter(|o| text.is_char_boundary((*o).min(text.len()))) {
            assert_eq!(
                locator.line_col(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped_in_toml_and_json() {
        let toml = "\u{feff}[[items]]\nid = \"a\"\nweight = -1\n";
        let err = load::<Doc>("b.toml", toml, Format::Toml).unwrap_err();
        // Positions count from after the mark: `weight` is on line 3, column 1.
        assert_eq!(
            err.to_string(),
            "b.toml:3:1: invalid rubric: items[0].weight: weight must be positive"
        );
        let json = "\u{feff}{\"items\": [{\"id\": \"a\", \"weight\": 1}]}";
        assert!(load::<Doc>("b.json", json, Format::Json).is_ok());
        assert!(peek_kind("b.json", "\u{feff}{\"kind\": \"x\"}", Format::Json).is_ok());
    }

    #[test]
    fn a_huge_wrong_kind_is_quoted_briefly() {
        let mut p = Problems::default();
        let huge = "x".repeat(10 * 1024 * 1024);
        validate_header("health", &huge, "i", "1", "t", "s", &mut p);
        let (path, message) = &p.0[0];
        assert_eq!(path, "kind");
        assert!(message.len() < 200, "{} bytes", message.len());
        assert!(message.ends_with("... (10485760 bytes)`"), "{message}");
    }

    #[test]
    fn parser_messages_quote_huge_values_briefly() {
        // Half the byte limit: longer texts are refused before they are parsed.
        let big = "9".repeat(512 * 1024);
        // `items` must be a list: serde quotes the string it got instead, whole.
        let toml = format!("items = \"{big}\"\n");
        let json = format!("{{\"items\": \"{big}\"}}");
        for (file, text, format) in [
            ("b.toml", toml, Format::Toml),
            ("b.json", json, Format::Json),
        ] {
            let err = load::<Doc>(file, &text, format).unwrap_err().to_string();
            assert!(err.len() < 500, "{file}: {} bytes", err.len());
            assert!(err.contains("(524288 bytes)"), "{file}: {err}");
        }
        // Short messages are kept as they are, escaped quotes included.
        assert_eq!(
            brief(r#"invalid type: string "a\"b", expected u32"#),
            r#"invalid type: string "a\"b", expected u32"#
        );
        let long = format!("invalid type: string \"{big}\\\"{big}\", expected u32");
        let short = brief(&long);
        assert!(
            short.starts_with("invalid type: string \"99")
                && short.ends_with("(1048578 bytes)\", expected u32"),
            "{short}"
        );
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
