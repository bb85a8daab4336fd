//! The one-way layers of the crate, checked: a module may use modules of its own layer or
//! of the layers below, never above (ARCHITECTURE.md draws them). This scans the crate's
//! sources for `crate::` paths, so an upward import fails the test that names it.

use std::path::{Path, PathBuf};

/// The layers, bottom first. A top-level module not listed here is a domain (so a new rubric
/// kind's module needs no entry); `""` is the crate root (`crate::Instant`...).
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "", "answer", "columns", "decimal", "input", "kind", "limits", "rubric", "selftest",
        ],
    ),
    ("calendar", &["calendar"]),
    ("script", &["script"]),
    ("domains", &[]),
    ("api", &["api", "bundled"]),
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
        .unwrap_or(3)
}

/// The top-level modules a source text names through `crate::` (comments skipped), with
/// the line of each.
fn uses(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let preceded = rest[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[i + "crate::".len()..];
            if preceded {
                continue; // `some_crate::`, not `crate::`
            }
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a, b::c, self}`: the first segment of each item at depth 1.
                let mut depth = 0;
                let mut item = String::new();
                let mut at_start = true;
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            out.push((n + 1, std::mem::take(&mut item)));
                            at_start = true;
                        }
                        c if depth == 0 && at_start && (c.is_alphanumeric() || c == '_') => {
                            item.push(c)
                        }
                        c if depth == 0 && !item.is_empty() && !c.is_whitespace() => {
                            at_start = false
                        }
                        _ => {}
                    }
                }
                if !item.is_empty() {
                    out.push((n + 1, item));
                }
            } else {
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // `crate::Instant`, `crate::parse_instant`: items of the crate root.
                let module = if rest[ident.len()..].starts_with("::") {
                    ident
                } else {
                    String::new()
                };
                out.push((n + 1, module));
            }
        }
    }
    out
}

/// Every upward use in one file of module `module`: `file:line: `x` (layer) uses `y` (layer)`.
fn violations(file: &str, module: &str, text: &str) -> Vec<String> {
    let own = layer_of(module);
    uses(text)
        .into_iter()
        .filter(|(_, used)| used != module && layer_of(used) > own)
        .map(|(line, used)| {
            format!(
                "{file}:{line}: `{module}` ({}) uses `crate::{used}` ({})",
                LAYERS[own].0,
                LAYERS[layer_of(&used)].0
            )
        })
        .collect()
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = match first.as_ref() {
            // The CLI sits above every layer; this file quotes imports as test data.
            "bin" | "layers.rs" => continue,
            "lib.rs" => "",
            f => f.strip_suffix(".rs").unwrap_or(f),
        };
        let text = std::fs::read_to_string(path).unwrap();
        found.extend(violations(&rel.display().to_string(), module, &text));
    }
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
    assert!(files.len() > 40, "scanned only {} files", files.len());
}

#[test]
fn the_scan_sees_every_form_of_import() {
    let text = "use crate::api::AnyRubric;\n\
                // crate::api in a comment is fine\n\
                use crate::{decimal::Dec, script, api::{Input, ApiError}};\n\
                let t = crate::parse_instant(s);\n\
                fn f(x: &crate::bundled::Files) {}\n\
                use other_crate::api::X;\n";
    assert_eq!(
        violations("health/x.rs", "health", text),
        [
            "health/x.rs:1: `health` (domains) uses `crate::api` (api)",
            "health/x.rs:3: `health` (domains) uses `crate::api` (api)",
            "health/x.rs:5: `health` (domains) uses `crate::bundled` (api)",
        ]
    );
    assert_eq!(
        violations("script/x.rs", "script", text).len(),
        3,
        "script may use decimal and the crate root, not api"
    );
    assert_eq!(
        violations(
            "calendar.rs",
            "calendar",
            "use crate::script::Hook;\nuse crate::health::X;"
        ),
        [
            "calendar.rs:1: `calendar` (calendar) uses `crate::script` (script)",
            "calendar.rs:2: `calendar` (calendar) uses `crate::health` (domains)",
        ]
    );
    assert!(violations("api/x.rs", "api", text).is_empty());
}
