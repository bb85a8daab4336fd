//! Embeds every shipped rubric (`rubrics/<area>/*.toml|json`) into the crate, so the npm
//! package can offer them without a file system. A rubric added to `rubrics/` is bundled on
//! the next build with no code change.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest.join("..").join("rubrics");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if root.is_dir() {
        for area in std::fs::read_dir(&root)? {
            let area = area?.path();
            if !area.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&area)? {
                let f = f?.path();
                if is_rubric(&f) {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    // Script files the rubrics name (`rubrics/<area>/scripts/*.rhai`).
    let mut scripts = Vec::new();
    for f in &files {
        let dir = f.parent().map(|d| d.join("scripts"));
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            for s in std::fs::read_dir(&dir)? {
                let s = s?.path();
                if s.extension().and_then(|e| e.to_str()) == Some("rhai") && !scripts.contains(&s) {
                    scripts.push(s);
                }
            }
        }
    }
    scripts.sort();
    let mut out = String::from(
        "/// Every shipped rubric: (name relative to `rubrics/`, text).\n\
         pub(crate) static BUNDLED: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let name = f.strip_prefix(&root)?.to_string_lossy().replace('\\', "/");
        let abs = f.canonicalize()?;
        writeln!(out, "    ({name:?}, include_str!({:?})),", abs.display())?;
    }
    out.push_str("];\n");
    out.push_str(
        "/// Script files the bundled rubrics name: (path relative to `rubrics/`, text).\n\
         pub(crate) static BUNDLED_FILES: &[(&str, &str)] = &[\n",
    );
    for f in &scripts {
        let name = f.strip_prefix(&root)?.to_string_lossy().replace('\\', "/");
        let abs = f.canonicalize()?;
        writeln!(out, "    ({name:?}, include_str!({:?})),", abs.display())?;
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR")?).join("bundled.rs");
    std::fs::write(dest, out)?;
    Ok(())
}

fn is_rubric(p: &Path) -> bool {
    p.is_file()
        && matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("toml") | Some("json")
        )
}
