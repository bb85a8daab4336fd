//! The resource budget: every bound csrubric puts on what untrusted people give it (rubric
//! files and texts, scripts, input files) and on what it makes from them, declared once.
//!
//! Each limit is a named constant, used where it is enforced (no other module writes the
//! number), and listed in [`BUDGET`] with what it bounds and what happens on reaching it.
//! The table in `docs/reliability.md` ("Resource budget") is [`markdown_table`]'s output; a
//! test fails when the two differ, so the documentation cannot drift from the code.
//!
//! To add a limit: declare the constant here, add its [`Limit`] to [`BUDGET`] (the order of
//! the table), enforce it through the constant, and paste the new table into the docs (the
//! failing test prints it).
//!
//! # Example
//! ```
//! use csrubric::limits::{self, BUDGET};
//! let rubric_bytes = BUDGET.iter().find(|l| l.name == "rubric_bytes").unwrap();
//! assert_eq!(rubric_bytes.value, limits::RUBRIC_BYTES as u64);
//! assert!(limits::markdown_table().contains("`rubric_bytes`"));
//! ```

use serde::de::DeserializeSeed;
use serde::Serialize;

use crate::rubric::{Format, Problem, RubricError};

/// One named limit of the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Limit {
    /// Stable name: the constant's name in lower case (`rubric_bytes`).
    pub name: &'static str,
    /// What it bounds.
    pub bounds: &'static str,
    /// The number.
    pub value: u64,
    /// The unit of [`Limit::value`] (`bytes`, `entries`, `ms`...).
    pub unit: &'static str,
    /// What a caller sees on reaching it.
    pub on_reaching: &'static str,
}

// ---------------------------------------------------------------------------------------
// Rubrics (every kind, TOML or JSON, from a file or a text a binding passes).

/// Bytes of one rubric: a rubric file or text, and each file it links (a calendar, a matrix).
pub const RUBRIC_BYTES: usize = 1 << 20;

/// Entries in any one list or table of a rubric (components, bands, metrics, levels, inputs,
/// holidays, milestones, criteria, examples...).
pub const RUBRIC_LIST_ENTRIES: usize = 10_000;

/// Problems an invalid-rubric message lists (the rest are counted; the error's problem list
/// keeps them all).
pub const RUBRIC_PROBLEMS_SHOWN: usize = 50;

/// Input combinations an escalation matrix's static checks (unreachable rows, gaps)
/// enumerate.
pub const MATRIX_COMBINATIONS: u64 = 200_000;

// ---------------------------------------------------------------------------------------
// Scripts (the defaults of `csrubric::script::Limits`; a rubric may tighten, never loosen).

/// Operations one script call may run (Rhai counts statements, expressions and calls).
pub const SCRIPT_OPERATIONS: u64 = 500_000;
/// Nested function calls (recursion depth) in a script.
pub const SCRIPT_CALL_LEVELS: usize = 16;
/// Nesting depth of a script's expressions.
pub const SCRIPT_EXPR_DEPTH: usize = 32;
/// Bytes of any one string value in a script (strings nested in an array or map count
/// together).
pub const SCRIPT_STRING_BYTES: usize = 64 * 1024;
/// Elements of any one array value in a script (nested arrays count together).
pub const SCRIPT_ARRAY_ELEMENTS: usize = 50_000;
/// Entries of any one map value in a script (nested maps count together).
pub const SCRIPT_MAP_ENTRIES: usize = 10_000;
/// Wall-clock milliseconds one script call may run.
pub const SCRIPT_DEADLINE_MS: u64 = 100;
/// Variables a script may have in scope at once.
pub const SCRIPT_VARIABLES: usize = 256;
/// Functions a script may define.
pub const SCRIPT_FUNCTIONS: usize = 64;
/// `print`/`debug` lines one script call keeps.
pub const SCRIPT_TRACE_LINES: usize = 64;

// ---------------------------------------------------------------------------------------
// Calendars and dates.

/// Days any one calendar computation may span: 400 years.
pub const CALENDAR_SPAN_DAYS: i64 = 146_097;
/// Consecutive days without open time a calendar search walks before giving up.
pub const CALENDAR_CLOSED_DAYS: u64 = 3_660;
/// Working days one step may add.
pub const CALENDAR_WORKING_DAYS: i64 = 100_000;
/// Weekly open intervals (each day of each `[[hours]]` entry) of one calendar schedule.
pub const CALENDAR_WEEKLY_INTERVALS: usize = 1_000;
/// A renewal milestone's offset in days (ten years).
pub const RENEWAL_OFFSET_DAYS: i64 = 3_660;
/// A renewal milestone's offset in business days (about ten years of five-day weeks).
pub const RENEWAL_OFFSET_BUSINESS_DAYS: i64 = 2_610;
/// A renewal milestone's offset in months (ten years).
pub const RENEWAL_OFFSET_MONTHS: i64 = 120;

/// Every limit, in the order of the documented table.
pub const BUDGET: &[Limit] = &[
    Limit {
        name: "rubric_bytes",
        bounds: "one rubric file or text (any kind, TOML or JSON), and each file it links",
        value: RUBRIC_BYTES as u64,
        unit: "bytes",
        on_reaching: "the rubric does not load: `rubric_invalid` at `.`, naming the size and the limit",
    },
    Limit {
        name: "rubric_list_entries",
        bounds: "entries in any one list or table of a rubric (components, bands, levels, holidays, milestones...)",
        value: RUBRIC_LIST_ENTRIES as u64,
        unit: "entries",
        on_reaching: "the rubric does not load: `rubric_invalid` at the list's path (`components`), naming the limit",
    },
    Limit {
        name: "rubric_problems_shown",
        bounds: "problems an invalid-rubric message lists",
        value: RUBRIC_PROBLEMS_SHOWN as u64,
        unit: "problems",
        on_reaching: "the rest are counted (`... and 9 more problems`); the error's problem list has them all",
    },
    Limit {
        name: "matrix_combinations",
        bounds: "input combinations an escalation matrix's static checks enumerate",
        value: MATRIX_COMBINATIONS,
        unit: "combinations",
        on_reaching: "gaps and unreachable rows are not checked: a load warning with the exact count",
    },
    Limit {
        name: "script_operations",
        bounds: "operations of one script call (`max_operations`)",
        value: SCRIPT_OPERATIONS,
        unit: "operations",
        on_reaching: "`script_limit` for that record",
    },
    Limit {
        name: "script_call_levels",
        bounds: "nested calls (recursion) in a script (`max_call_levels`)",
        value: SCRIPT_CALL_LEVELS as u64,
        unit: "levels",
        on_reaching: "`script_limit` for that record",
    },
    Limit {
        name: "script_expr_depth",
        bounds: "expression nesting of a script (`max_expr_depth`)",
        value: SCRIPT_EXPR_DEPTH as u64,
        unit: "levels",
        on_reaching: "the script does not compile (the rubric does not load)",
    },
    Limit {
        name: "script_string_bytes",
        bounds: "any one string of a script, strings inside one array or map together (`max_string_size`)",
        value: SCRIPT_STRING_BYTES as u64,
        unit: "bytes",
        on_reaching: "`script_limit` for that record",
    },
    Limit {
        name: "script_array_elements",
        bounds: "any one array of a script, nested arrays together (`max_array_size`)",
        value: SCRIPT_ARRAY_ELEMENTS as u64,
        unit: "elements",
        on_reaching: "`script_limit` for that record",
    },
    Limit {
        name: "script_map_entries",
        bounds: "any one map of a script, nested maps together (`max_map_size`)",
        value: SCRIPT_MAP_ENTRIES as u64,
        unit: "entries",
        on_reaching: "`script_limit` for that record",
    },
    Limit {
        name: "script_deadline_ms",
        bounds: "wall-clock time of one script call (`deadline_ms`)",
        value: SCRIPT_DEADLINE_MS,
        unit: "ms",
        on_reaching: "`script_limit` for that record",
    },
    Limit {
        name: "script_variables",
        bounds: "variables a script has in scope at once",
        value: SCRIPT_VARIABLES as u64,
        unit: "variables",
        on_reaching: "`script_limit` for that record",
    },
    Limit {
        name: "script_functions",
        bounds: "functions one script defines",
        value: SCRIPT_FUNCTIONS as u64,
        unit: "functions",
        on_reaching: "the script does not compile (the rubric does not load)",
    },
    Limit {
        name: "script_trace_lines",
        bounds: "`print`/`debug` lines one script call keeps",
        value: SCRIPT_TRACE_LINES as u64,
        unit: "lines",
        on_reaching: "later lines are dropped, with a last line saying so",
    },
    Limit {
        name: "calendar_span_days",
        bounds: "the span of one calendar computation (400 years)",
        value: CALENDAR_SPAN_DAYS as u64,
        unit: "days",
        on_reaching: "`out_of_range` for that record",
    },
    Limit {
        name: "calendar_closed_days",
        bounds: "consecutive days without open time a calendar search walks",
        value: CALENDAR_CLOSED_DAYS,
        unit: "days",
        on_reaching: "`out_of_range` for that record",
    },
    Limit {
        name: "calendar_working_days",
        bounds: "working days added in one step",
        value: CALENDAR_WORKING_DAYS as u64,
        unit: "days",
        on_reaching: "`out_of_range` for that record",
    },
    Limit {
        name: "calendar_weekly_intervals",
        bounds: "weekly open intervals of one calendar schedule",
        value: CALENDAR_WEEKLY_INTERVALS as u64,
        unit: "intervals",
        on_reaching: "the calendar does not load (a rubric problem)",
    },
    Limit {
        name: "renewal_offset_days",
        bounds: "a renewal milestone's offset in days",
        value: RENEWAL_OFFSET_DAYS as u64,
        unit: "days",
        on_reaching: "the playbook does not load (a rubric problem)",
    },
    Limit {
        name: "renewal_offset_business_days",
        bounds: "a renewal milestone's offset in business days",
        value: RENEWAL_OFFSET_BUSINESS_DAYS as u64,
        unit: "business days",
        on_reaching: "the playbook does not load (a rubric problem)",
    },
    Limit {
        name: "renewal_offset_months",
        bounds: "a renewal milestone's offset in months",
        value: RENEWAL_OFFSET_MONTHS as u64,
        unit: "months",
        on_reaching: "the playbook does not load (a rubric problem)",
    },
];

/// `1 048 576` (digits grouped by three with spaces, as the docs write numbers).
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A limit's value as the docs show it: `1 048 576 bytes (1 MiB)`, `100 ms`.
///
/// # Example
/// ```
/// use csrubric::limits::{shown, BUDGET};
/// let strings = BUDGET.iter().find(|l| l.name == "script_string_bytes").unwrap();
/// assert_eq!(shown(strings), "65 536 bytes (64 KiB)");
/// ```
pub fn shown(limit: &Limit) -> String {
    let mut s = format!("{} {}", grouped(limit.value), limit.unit);
    if limit.unit == "bytes" && limit.value >= 1024 && limit.value % 1024 == 0 {
        let (n, u) = if limit.value % (1 << 20) == 0 {
            (limit.value >> 20, "MiB")
        } else {
            (limit.value >> 10, "KiB")
        };
        s.push_str(&format!(" ({n} {u})"));
    }
    s
}

/// The budget as the Markdown table of `docs/reliability.md`.
///
/// # Example
/// ```
/// let table = csrubric::limits::markdown_table();
/// assert!(table.starts_with("| limit | bounds | value | on reaching it |\n"));
/// assert_eq!(table.lines().count(), 2 + csrubric::limits::BUDGET.len());
/// ```
pub fn markdown_table() -> String {
    let mut s = String::from("| limit | bounds | value | on reaching it |\n|---|---|---|---|\n");
    for l in BUDGET {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            l.name,
            l.bounds,
            shown(l),
            l.on_reaching
        ));
    }
    s
}

// ---------------------------------------------------------------------------------------
// Enforcement of the rubric limits, shared by every kind (see `crate::rubric::load`).

/// Checks a rubric text against [`RUBRIC_BYTES`] and [`RUBRIC_LIST_ENTRIES`] before it is
/// parsed into its model, so that a huge rubric costs one bounded scan, not its model.
///
/// # Errors
/// [`RubricError::Invalid`] naming `file`, the path of the list (`components`, `.` for
/// the whole text) and the limit.
pub(crate) fn check_rubric(file: &str, text: &str, format: Format) -> Result<(), RubricError> {
    if text.len() > RUBRIC_BYTES {
        return Err(too_large(
            file,
            ".",
            format!(
                "the rubric is {} bytes, more than the {} bytes a rubric may have (limit `rubric_bytes`)",
                grouped(text.len() as u64),
                grouped(RUBRIC_BYTES as u64)
            ),
            Some((1, 1)),
        ));
    }
    // A list of n entries takes at least 2n - 1 bytes (`1,1`): a short text needs no scan.
    if text.len() < 2 * RUBRIC_LIST_ENTRIES {
        return Ok(());
    }
    let mut found = None;
    let mut path = Vec::new();
    let walk = Walk {
        path: &mut path,
        found: &mut found,
    };
    // A syntax error ends the scan; the model's parser reports it with its position.
    let _ = match format {
        Format::Toml => match toml::de::Deserializer::parse(text) {
            Ok(de) => walk.deserialize(de).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        },
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            walk.deserialize(&mut de).map_err(|e| e.to_string())
        }
    };
    match found {
        None => Ok(()),
        Some(at) => {
            let location = crate::rubric::locate(text, format, &at);
            Err(too_large(
                file,
                &at,
                format!(
                    "more than {} entries: a list or table of a rubric may have at most {} (limit `rubric_list_entries`)",
                    grouped(RUBRIC_LIST_ENTRIES as u64),
                    grouped(RUBRIC_LIST_ENTRIES as u64)
                ),
                location,
            ))
        }
    }
}

fn too_large(
    file: &str,
    path: &str,
    message: String,
    location: Option<(usize, usize)>,
) -> RubricError {
    let (line, column) = location.unzip();
    RubricError::Invalid {
        file: file.to_string(),
        problems: vec![Problem {
            path: path.to_string(),
            message,
            line,
            column,
        }],
    }
}

/// Nesting the scan follows; deeper text is left to the model's parser, which rejects it.
const WALK_DEPTH: usize = 64;

/// A serde visitor over any rubric text that keeps nothing but its path, and stops at the
/// first list or table longer than [`RUBRIC_LIST_ENTRIES`] (recording its rubric path).
struct Walk<'a> {
    path: &'a mut Vec<String>,
    found: &'a mut Option<String>,
}

impl Walk<'_> {
    fn child(&mut self) -> Walk<'_> {
        Walk {
            path: self.path,
            found: self.found,
        }
    }

    fn stop<E: serde::de::Error>(&mut self) -> E {
        let mut at = String::new();
        for seg in self.path.iter() {
            if !seg.starts_with('[') && !at.is_empty() {
                at.push('.');
            }
            at.push_str(seg);
        }
        *self.found = Some(if at.is_empty() { ".".into() } else { at });
        E::custom("too many entries")
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.path.len() > WALK_DEPTH {
            return Err(serde::de::Error::custom("nested too deeply"));
        }
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any rubric value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0usize;
        loop {
            if n >= RUBRIC_LIST_ENTRIES {
                // One more entry is one too many.
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(self.stop());
                }
                return Ok(());
            }
            self.path.push(format!("[{n}]"));
            let next = seq.next_element_seed(self.child());
            self.path.pop();
            if next?.is_none() {
                return Ok(());
            }
            n += 1;
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut n = 0usize;
        while let Some(key) = map.next_key::<String>()? {
            if n >= RUBRIC_LIST_ENTRIES {
                return Err(self.stop());
            }
            self.path.push(key);
            let value = map.next_value_seed(self.child());
            self.path.pop();
            value?;
            n += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented table is the code's. `CSRUBRIC_BLESS=1 cargo test -p csrubric --lib
    /// limits` rewrites it from the code.
    #[test]
    fn the_reliability_doc_shows_this_budget() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/reliability.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let (begin, end) = (TABLE_BEGIN, "<!-- budget table end -->\n");
        let from = doc.find(begin).expect("the budget table's begin marker") + begin.len();
        let to = doc.find(end).expect("the budget table's end marker");
        let table = markdown_table();
        if std::env::var_os("CSRUBRIC_BLESS").is_some() {
            let blessed = format!("{}{table}{}", &doc[..from], &doc[to..]);
            std::fs::write(path, blessed).unwrap();
            return;
        }
        assert_eq!(
            &doc[from..to],
            table,
            "docs/reliability.md shows another budget than core/src/limits.rs declares; \
             rewrite it with CSRUBRIC_BLESS=1 cargo test -p csrubric --lib limits"
        );
    }

    const TABLE_BEGIN: &str = "<!-- budget table begin: generated by csrubric::limits::markdown_table(); edit core/src/limits.rs, then run CSRUBRIC_BLESS=1 cargo test -p csrubric --lib limits -->\n";

    #[test]
    fn names_are_unique_lower_case_and_values_positive() {
        let mut names: Vec<&str> = BUDGET.iter().map(|l| l.name).collect();
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        assert!(BUDGET.iter().all(|l| l.value > 0));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), BUDGET.len());
    }

    #[test]
    fn values_are_grouped_and_sizes_named() {
        assert_eq!(grouped(5), "5");
        assert_eq!(grouped(100), "100");
        assert_eq!(grouped(1000), "1 000");
        assert_eq!(grouped(146_097), "146 097");
        assert_eq!(grouped(1_048_576), "1 048 576");
        let l = |value, unit| Limit {
            name: "x",
            bounds: "",
            value,
            unit,
            on_reaching: "",
        };
        assert_eq!(shown(&l(1 << 20, "bytes")), "1 048 576 bytes (1 MiB)");
        assert_eq!(shown(&l(1000, "bytes")), "1 000 bytes");
        assert_eq!(shown(&l(100, "ms")), "100 ms");
    }
}
