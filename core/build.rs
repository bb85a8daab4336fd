//! With the `bundled` feature, embeds every file under the repository's `rubrics/` folder
//! (rubrics, and the calendars and scripts they link to) into the crate, so that bindings
//! without a file system (WASM) or without a checkout (a Python wheel) can load the shipped
//! rubrics by name. A file added to `rubrics/` is bundled on the next build, no code change.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "json" | "rhai")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-env-changed=CARGO_FEATURE_BUNDLED");
    let dest = PathBuf::from(std::env::var("OUT_DIR")?).join("bundled.rs");
    let mut code = String::from(
        "/// Every file under `rubrics/`: (path relative to `rubrics/`, text), sorted by path.\n\
         pub static FILES: &[(&str, &str)] = &[\n",
    );
    if std::env::var_os("CARGO_FEATURE_BUNDLED").is_some() {
        let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?)
            .join("..")
            .join("rubrics");
        println!("cargo:rerun-if-changed={}", root.display());
        let mut files = Vec::new();
        if root.is_dir() {
            collect(&root, &mut files)?;
        }
        files.sort();
        for f in &files {
            println!("cargo:rerun-if-changed={}", f.display());
            let name = f.strip_prefix(&root)?.to_string_lossy().replace('\\', "/");
            writeln!(
                code,
                "    ({name:?}, include_str!({:?})),",
                f.canonicalize()?.display()
            )?;
        }
    }
    code.push_str("];\n");
    std::fs::write(dest, code)?;
    Ok(())
}
