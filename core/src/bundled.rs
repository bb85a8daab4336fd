//! The shipped rubrics, embedded at build time (feature `bundled`): bindings load them by
//! name (`health/slavkokernel`: the path under `rubrics/` without the extension) with no
//! file system and no checkout, and the calendars, matrices and scripts they link to are
//! read from the bundle by [`read`].
//!
//! # Example
//! ```
//! # #[cfg(feature = "bundled")] {
//! use csrubric::bundled;
//! assert!(bundled::names().contains(&"health/slavkokernel"));
//! let sla = bundled::load("escalation/slavkokernel-sla")?; // its calendars come from the bundle
//! assert_eq!(sla.kind(), "sla");
//! # }
//! # Ok::<(), csrubric::rubric::RubricError>(())
//! ```

use std::path::{Component, Path};

use crate::api::AnyRubric;
use crate::rubric::{Format, RubricError};

mod files {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

pub use files::FILES;

/// The prefix of a bundled rubric's file name in errors and [`AnyRubric::load`]:
/// `rubrics/health/slavkokernel.toml`.
pub const PREFIX: &str = "rubrics/";

/// The names of the bundled rubrics (every `.toml`/`.json` file under `rubrics/`, without
/// its extension), sorted.
pub fn names() -> Vec<&'static str> {
    FILES
        .iter()
        .filter_map(|(path, _)| split(path).map(|(name, _)| name))
        .collect()
}

/// A bundled rubric's file name (`rubrics/health/slavkokernel.toml`), text and format.
pub fn get(name: &str) -> Option<(String, &'static str, Format)> {
    let wanted = name.strip_prefix(PREFIX).unwrap_or(name);
    FILES.iter().find_map(|(path, text)| {
        let (n, format) = split(path)?;
        (n == wanted || *path == wanted).then(|| (format!("{PREFIX}{path}"), *text, format))
    })
}

/// Loads a bundled rubric by name (`health/slavkokernel`, with or without the extension).
///
/// # Errors
/// [`RubricError::Io`] naming the available rubrics when there is no such name.
pub fn load(name: &str) -> Result<AnyRubric, RubricError> {
    let Some((file, text, format)) = get(name) else {
        return Err(RubricError::Io {
            file: format!("{PREFIX}{name}"),
            message: format!(
                "no bundled rubric `{name}` (bundled: {})",
                names().join(", ")
            ),
        });
    };
    AnyRubric::load(&file, text, format, &read)
}

/// A [`crate::rubric::FileReader`] over the bundle: `rubrics/escalation/../calendars/x.toml`
/// reads the bundled `calendars/x.toml`.
///
/// # Errors
/// [`std::io::ErrorKind::NotFound`] for a path that is not bundled.
pub fn read(path: &Path) -> std::io::Result<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    if parts.first().map(String::as_str) == Some("rubrics") {
        parts.remove(0);
    }
    let wanted = parts.join("/");
    FILES
        .iter()
        .find(|(p, _)| *p == wanted)
        .map(|(_, text)| (*text).to_string())
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("`{wanted}` is not a bundled file"),
            )
        })
}

fn split(path: &str) -> Option<(&str, Format)> {
    if let Some(stem) = path.strip_suffix(".toml") {
        Some((stem, Format::Toml))
    } else {
        path.strip_suffix(".json").map(|stem| (stem, Format::Json))
    }
}
