//! The shared conformance vectors (`tests/vectors/<area>/<name>.json`): every case runs
//! through [`AnyRubric::run`], exactly as the Python and Node/WASM suites run it, and its
//! answer must contain `expect` byte for byte (`Compare::Exact`), or the request must fail
//! with the ApiError code in `error`.
//!
//! The expected values are computed by `tests/vectors/generate.py` (standard-library Python,
//! exact fractions, its own calendar walker), never by this library; a test here checks the
//! committed files are exactly what the generator writes.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use csrubric::api::{AnyRubric, ApiError, Input};
use csrubric::rubric::Format;
use csrubric::selftest::{matches, Compare, Diff};
use csrubric_tests::repo_root;
use serde::Deserialize;

/// One vector file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    /// What the file covers.
    #[allow(dead_code)]
    description: String,
    /// The cases, run in order.
    cases: Vec<Case>,
}

/// One case: a rubric, an operation with its input and options, and what must come out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Unique within its file.
    name: String,
    /// The arithmetic behind `expect`, for readers; runners ignore it.
    #[serde(default)]
    #[allow(dead_code)]
    why: Option<String>,
    /// A rubric file (path from the repository root) or an inline rubric.
    rubric: RubricRef,
    /// The operation (`score`, `sla`, `prioritize`...).
    op: String,
    /// The input rows (an array of objects), or `null` for none.
    #[serde(default)]
    input: serde_json::Value,
    /// The operation's options, or `null` for the defaults.
    #[serde(default)]
    options: serde_json::Value,
    /// What the answer must contain (objects: a subset; arrays: item by item; scalars:
    /// byte-identical).
    #[serde(default)]
    expect: Option<serde_json::Value>,
    /// The code of the ApiError the whole request must fail with, instead of `expect`.
    #[serde(default)]
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RubricRef {
    /// `rubrics/health/slavkokernel.toml`: read from disk (linked files too).
    Path(String),
    /// A rubric written in the vector; `name` places it for linked files.
    Inline(InlineRubric),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InlineRubric {
    /// `toml` or `json`.
    format: String,
    /// The file name used in errors and to resolve linked files
    /// (`rubrics/escalation/inline.toml`).
    name: String,
    /// The rubric itself.
    text: String,
}

fn vectors_dir() -> PathBuf {
    repo_root().join("tests").join("vectors")
}

/// Every vector file, as (area, path), sorted.
fn vector_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut areas: Vec<_> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    areas.sort();
    for area in areas {
        let mut files: Vec<_> = std::fs::read_dir(&area)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let name = area.file_name().unwrap().to_string_lossy().to_string();
        out.extend(files.into_iter().map(|f| (name.clone(), f)));
    }
    out
}

fn read_vector_file(path: &Path) -> VectorFile {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads linked files (calendars, matrices, scripts) and option files relative to the
/// repository root, the way the WASM suite resolves them through the bundle.
fn read_from_root(path: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(repo_root().join(path))
}

fn load(rubric: &RubricRef) -> Result<AnyRubric, ApiError> {
    let (name, text, format) = match rubric {
        RubricRef::Path(p) => {
            let format = Format::from_path(Path::new(p))?;
            let text =
                read_from_root(Path::new(p)).map_err(|e| csrubric::rubric::RubricError::Io {
                    file: p.clone(),
                    message: e.to_string(),
                })?;
            (p.clone(), text, format)
        }
        RubricRef::Inline(i) => {
            let format = match i.format.as_str() {
                "toml" => Format::Toml,
                "json" => Format::Json,
                other => panic!("inline rubric `{}`: unknown format `{other}`", i.name),
            };
            (i.name.clone(), i.text.clone(), format)
        }
    };
    Ok(AnyRubric::load(&name, &text, format, &read_from_root)?)
}

/// Runs one case; every difference is returned (empty when the case passes).
fn run_case(case: &Case) -> Vec<String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        load(&case.rubric).and_then(|r| {
            r.run(
                &case.op,
                Input::Json(&case.input),
                &case.options,
                &read_from_root,
            )
        })
    }));
    let answer = match outcome {
        Ok(a) => a,
        Err(_) => return vec!["panicked".to_string()],
    };
    match (answer, &case.expect, &case.error) {
        (Ok(actual), Some(expect), None) => {
            let mut diffs: Vec<Diff> = Vec::new();
            matches("", expect, &actual, Compare::Exact, &mut diffs);
            diffs.iter().map(ToString::to_string).collect()
        }
        (Ok(actual), _, Some(code)) => vec![format!(
            "expected error `{code}`, got an answer: {}",
            excerpt(&actual.to_string())
        )],
        (Err(e), _, Some(code)) if e.code() == code => Vec::new(),
        (Err(e), _, Some(code)) => {
            vec![format!("expected error `{code}`, got `{}`: {e}", e.code())]
        }
        (Err(e), Some(_), None) => vec![format!("unexpected error `{}`: {e}", e.code())],
        (_, None, None) => vec!["the case has neither `expect` nor `error`".to_string()],
    }
}

fn excerpt(s: &str) -> String {
    if s.len() > 400 {
        let cut = (0..=400)
            .rev()
            .find(|i| s.is_char_boundary(*i))
            .unwrap_or(0);
        format!("{}...", &s[..cut])
    } else {
        s.to_string()
    }
}

#[test]
fn every_vector_passes() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (_, path) in vector_files() {
        let file = read_vector_file(&path);
        let rel = path
            .strip_prefix(repo_root())
            .unwrap_or(&path)
            .display()
            .to_string();
        for case in &file.cases {
            total += 1;
            let diffs = run_case(case);
            if !diffs.is_empty() {
                failures.push(format!(
                    "{rel}: {}\n    {}",
                    case.name,
                    diffs.join("\n    ")
                ));
            }
        }
    }
    assert!(
        total > 0,
        "no vectors found under {}",
        vectors_dir().display()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} conformance vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The capabilities the vectors must cover, each with a floor on its number of cases.
const CAPABILITIES: [(&str, usize); 9] = [
    ("health", 40),
    ("priority", 15),
    ("sla", 25),
    ("calendar", 10),
    ("renewal", 8),
    ("kpi", 8),
    ("playbooks", 10),
    ("scripts", 10),
    ("errors", 10),
];

#[test]
fn vectors_cover_every_capability() {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (area, path) in vector_files() {
        let file = read_vector_file(&path);
        let mut names = std::collections::HashSet::new();
        for case in &file.cases {
            if !names.insert(case.name.as_str()) {
                problems.push(format!("{}: case `{}` twice", path.display(), case.name));
            }
            if case.expect.is_some() == case.error.is_some() {
                problems.push(format!(
                    "{}: case `{}` needs exactly one of `expect` and `error`",
                    path.display(),
                    case.name
                ));
            }
        }
        *counts.entry(area).or_default() += file.cases.len();
    }
    let total: usize = counts.values().sum();
    let mut table = String::from("capability   cases\n-----------  -----\n");
    for (area, n) in &counts {
        table.push_str(&format!("{area:<11}  {n:>5}\n"));
    }
    table.push_str(&format!("{:<11}  {total:>5}\n", "total"));
    println!("{table}");
    for (area, floor) in CAPABILITIES {
        let n = counts.get(area).copied().unwrap_or(0);
        if n < floor {
            problems.push(format!(
                "capability `{area}` has {n} cases, fewer than {floor}"
            ));
        }
    }
    if total < 200 {
        problems.push(format!("{total} cases in all, fewer than 200"));
    }
    assert!(problems.is_empty(), "{}\n{table}", problems.join("\n"));
}

/// The committed vectors are exactly what `generate.py` writes (skipped without python3).
#[test]
fn vectors_are_what_the_generator_writes() {
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 is not available to rerun tests/vectors/generate.py");
        return;
    }
    let out = csrubric_tests::scratch_dir("vectors-regenerated");
    let run = std::process::Command::new("python3")
        .arg(vectors_dir().join("generate.py"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "generate.py failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let listing = |root: &Path| -> Vec<PathBuf> {
        let mut files = Vec::new();
        for area in std::fs::read_dir(root).unwrap() {
            let area = area.unwrap().path();
            if !area.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&area).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "json") {
                    files.push(f.strip_prefix(root).unwrap().to_path_buf());
                }
            }
        }
        files.sort();
        files
    };
    let committed = listing(&vectors_dir());
    let generated = listing(&out);
    assert_eq!(
        committed, generated,
        "the vector files differ from what generate.py writes"
    );
    for f in &committed {
        let a = std::fs::read(vectors_dir().join(f)).unwrap();
        let b = std::fs::read(out.join(f)).unwrap();
        assert!(
            a == b,
            "tests/vectors/{} is not what generate.py writes: rerun `python3 tests/vectors/generate.py`",
            f.display()
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}
