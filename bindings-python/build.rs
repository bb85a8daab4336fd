//! Bundles the repository's seed rubrics (`rubrics/**/*.toml|json`) into the native module,
//! so `csrubric.Rubric.bundled("health/slavkokernel")` works from a wheel with no checkout.
//! The name of a rubric is its path under `rubrics/` without the extension.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(
    dir: &Path,
    root: &Path,
    out: &mut Vec<(String, PathBuf)>,
    scripts: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out, scripts)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "rhai" {
            scripts.push(path);
            continue;
        }
        if ext != "toml" && ext != "json" {
            continue;
        }
        // Only the kinds this binding can load are bundled (health, for now).
        let text = std::fs::read_to_string(&path)?;
        if !text.lines().any(|l| {
            let l = l.trim().replace(' ', "");
            l == "kind=\"health\"" || l.starts_with("\"kind\":\"health\"")
        }) {
            continue;
        }
        let Ok(rel) = path
            .with_extension("")
            .strip_prefix(root)
            .map(Path::to_path_buf)
        else {
            continue;
        };
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.push((name, path));
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest.join("..").join("rubrics");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut found = Vec::new();
    let mut scripts = Vec::new();
    if root.is_dir() {
        collect(&root, &root, &mut found, &mut scripts)?;
    }
    let mut code = String::from(
        "/// Bundled rubrics: (name, format extension, text), sorted by name.\n\
         pub const BUNDLED: &[(&str, &str, &str)] = &[\n",
    );
    for (name, path) in &found {
        println!("cargo:rerun-if-changed={}", path.display());
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("toml");
        writeln!(
            code,
            "    ({name:?}, {ext:?}, include_str!({:?})),",
            path.canonicalize()?.display().to_string()
        )?;
    }
    code.push_str("];\n");
    code.push_str(
        "/// Script files the bundled rubrics name: (path under `rubrics/`, text).\n\
         pub const BUNDLED_FILES: &[(&str, &str)] = &[\n",
    );
    for path in &scripts {
        let rel = path
            .strip_prefix(&root)?
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            path.canonicalize()?.display().to_string()
        )?;
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("bundled.rs");
    std::fs::write(out, code)?;
    Ok(())
}
