//! Cross-vertical applicability: which verticals a request applies to, with what
//! adaptation, and the tier that follows (seed 000 section 3.1 item 3).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::model::CrossVerticalSpec;
use crate::input::Value;

/// How much a vertical must adapt a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adaptation {
    /// Usable without modification.
    None,
    /// Usable with minimal adaptation.
    Minimal,
    /// Needs significant adaptation.
    Significant,
}

impl Adaptation {
    /// Reads `none`, `minimal` or `significant` (case-insensitive).
    pub fn parse(text: &str) -> Option<Adaptation> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Adaptation::None),
            "minimal" => Some(Adaptation::Minimal),
            "significant" => Some(Adaptation::Significant),
            _ => None,
        }
    }
}

/// One vertical a request applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vertical {
    /// Free name (`health`, `finance`...).
    pub name: String,
    /// Adaptation needed there.
    pub adaptation: Adaptation,
}

/// Cross-vertical applicability tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Applicable to 5+ verticals without modification.
    High,
    /// Applicable to 3+ verticals with at most minimal adaptation.
    Medium,
    /// Anything else (primarily one vertical).
    Low,
}

impl Tier {
    /// `high`, `medium` or `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::High => "high",
            Tier::Medium => "medium",
            Tier::Low => "low",
        }
    }
}

/// The tier of a list of verticals under the rubric's thresholds: High when at least
/// `high_min_unmodified` need no adaptation, else Medium when at least `medium_min_minimal`
/// need at most minimal adaptation, else Low.
///
/// # Example
/// ```
/// use csrubric::priority::{tier, parse_verticals, CrossVerticalSpec, Tier};
/// use csrubric::input::Value;
/// let v = parse_verticals(&Value::Text("health:none;education:minimal;finance:minimal".into()))?;
/// assert_eq!(tier(&v, &CrossVerticalSpec::default()), Tier::Medium);
/// # Ok::<(), String>(())
/// ```
pub fn tier(verticals: &[Vertical], spec: &CrossVerticalSpec) -> Tier {
    let count = |max: Adaptation| verticals.iter().filter(|v| v.adaptation <= max).count();
    if count(Adaptation::None) >= spec.high_min_unmodified as usize {
        Tier::High
    } else if count(Adaptation::Minimal) >= spec.medium_min_minimal as usize {
        Tier::Medium
    } else {
        Tier::Low
    }
}

/// Parses a `verticals` cell: in CSV `name:adaptation` items separated by `;`
/// (`health:none;finance:minimal`); in JSON a list of `{"name", "adaptation"}` objects or
/// an object `{"health": "none", ...}`.
///
/// # Errors
/// A message for an unknown adaptation, an empty name, or a vertical listed twice
/// (names compare case-insensitively).
pub fn parse_verticals(value: &Value) -> Result<Vec<Vertical>, String> {
    let mut out = Vec::new();
    let mut push = |name: &str, adaptation: Option<&str>| -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("a vertical has an empty name".into());
        }
        let a = adaptation.unwrap_or("");
        let adaptation = Adaptation::parse(a).ok_or_else(|| {
            format!("vertical `{name}`: adaptation `{a}` is not one of none, minimal, significant")
        })?;
        out.push(Vertical {
            name: name.to_string(),
            adaptation,
        });
        Ok(())
    };
    match value {
        Value::Text(t) => {
            for item in t.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                match item.split_once(':') {
                    Some((n, a)) => push(n, Some(a))?,
                    None => push(item, None)?,
                }
            }
        }
        Value::Json(serde_json::Value::Array(items)) => {
            for item in items {
                let name = item.get("name").and_then(|v| v.as_str()).unwrap_or("");
                push(name, item.get("adaptation").and_then(|v| v.as_str()))?;
            }
        }
        Value::Json(serde_json::Value::Object(map)) => {
            for (name, a) in map {
                push(name, a.as_str())?;
            }
        }
        other => return Err(format!("expected a list of verticals, found `{other:?}`")),
    }
    let mut seen = HashSet::new();
    for v in &out {
        if !seen.insert(v.name.to_lowercase()) {
            return Err(format!("vertical `{}` is listed twice", v.name));
        }
    }
    Ok(out)
}
