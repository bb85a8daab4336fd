//! The values of a decision table: the literals of each input type, ranges with open or
//! closed ends, and the exact sets of values a cell stands for.
//!
//! Every ordered input (numbers, integers, dates, durations) is mapped onto one exact
//! scale, a [`Decimal`]: numbers are themselves, dates are day numbers (days from the common
//! era), durations are whole seconds. Integers, dates and durations are *discrete* (a step
//! of one), so `(7, 8)` holds no integer and `(2026-01-01, 2026-01-02)` holds no date; the
//! static checks work on these exact sets, never on floats.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::decimal::{decimal_from_f64_literal, excerpt, parse_decimal};

/// The type of a decision-table input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputType {
    /// An exact decimal (`12.5`, `"1000"`).
    Number,
    /// A whole number (`1000`); ranges between integers hold only integers.
    Integer,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An elapsed time in whole seconds, written with units: `14d`, `36h`, `1d12h`, `90m`,
    /// `30s`, `2w` (a day is 24 hours, a week 7 days).
    Duration,
    /// One of the input's `values`.
    Enum,
    /// `true` or `false`.
    Boolean,
}

impl InputType {
    /// Whether the type's values are ordered (ranges apply).
    pub(crate) fn ordered(self) -> bool {
        matches!(
            self,
            InputType::Number | InputType::Integer | InputType::Date | InputType::Duration
        )
    }

    /// Whether values are whole steps (integers, days, seconds).
    pub(crate) fn discrete(self) -> bool {
        matches!(
            self,
            InputType::Integer | InputType::Date | InputType::Duration
        )
    }

    pub(crate) fn what(self) -> &'static str {
        match self {
            InputType::Number => "a number",
            InputType::Integer => "an integer",
            InputType::Date => "a date (YYYY-MM-DD)",
            InputType::Duration => "a duration (such as `14d`, `36h`, `90m`)",
            InputType::Enum => "one of the input's values",
            InputType::Boolean => "`true` or `false`",
        }
    }
}

/// A cell of a decision table as written: one value, a text (a range such as `[1000, ..)`,
/// a comparison such as `>= 7`, `any`), or a list of those (any of them).
///
/// Deserializes from TOML or JSON scalars and arrays; TOML dates (`2026-01-01` unquoted)
/// are read as their text. Numbers are kept exact (a non-integer literal is the shortest
/// decimal that reads back as it, see [`crate::decimal`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// `true` / `false`.
    Bool(bool),
    /// A number literal.
    Number(crate::decimal::Dec),
    /// Text: a value, a range, a comparison, `any` or `-`.
    Text(String),
    /// Any of these (no nested lists).
    List(Vec<Cell>),
}

impl Cell {
    fn from_toml(v: toml::Value, nested: bool) -> Result<Cell, String> {
        Ok(match v {
            toml::Value::Boolean(b) => Cell::Bool(b),
            toml::Value::Integer(i) => Cell::Number(Decimal::from(i).into()),
            toml::Value::Float(f) => Cell::Number(decimal_from_f64_literal(f)?.into()),
            toml::Value::String(s) => Cell::Text(s),
            toml::Value::Datetime(d) => Cell::Text(d.to_string()),
            toml::Value::Array(items) if !nested => Cell::List(
                items
                    .into_iter()
                    .map(|i| Cell::from_toml(i, true))
                    .collect::<Result<_, _>>()?,
            ),
            toml::Value::Array(_) => return Err("a list cannot contain a list".into()),
            toml::Value::Table(_) => {
                return Err(
                    "expected a value, a range such as \"[1000, ..)\", `any`, or a list of those"
                        .into(),
                )
            }
        })
    }

    /// The cell's items: a list's entries, or the cell itself.
    pub(crate) fn items(&self) -> Vec<&Cell> {
        match self {
            Cell::List(items) => items.iter().collect(),
            one => vec![one],
        }
    }

    fn text(&self) -> String {
        match self {
            Cell::Bool(b) => b.to_string(),
            Cell::Number(d) => d.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::List(items) => {
                let parts: Vec<String> = items.iter().map(Cell::text).collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        Cell::from_toml(v, false).map_err(serde::de::Error::custom)
    }
}

/// An output value: text, an exact number (written out as a string) or a boolean.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum OutValue {
    /// `true` / `false`.
    Bool(bool),
    /// A number, exact; serialized as a string (`"4"`, `"0.5"`).
    Number(crate::decimal::Dec),
    /// Text.
    Text(String),
}

impl fmt::Display for OutValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutValue::Bool(b) => write!(f, "{b}"),
            OutValue::Number(d) => write!(f, "{d}"),
            OutValue::Text(t) => f.write_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for OutValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Cell::deserialize(d)? {
            Cell::Bool(b) => Ok(OutValue::Bool(b)),
            Cell::Number(n) => Ok(OutValue::Number(n)),
            Cell::Text(t) => Ok(OutValue::Text(t)),
            Cell::List(_) => Err(serde::de::Error::custom(
                "an output is one value (text, a number or a boolean), not a list",
            )),
        }
    }
}

/// One end of a range on the exact scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Bound {
    /// No end (`..`).
    Unbounded,
    /// The end value belongs to the range (`[` or `]`).
    Closed(Decimal),
    /// The end value does not belong (`(` or `)`).
    Open(Decimal),
}

/// A range of an ordered input; for discrete types both ends are closed integers (or
/// unbounded) once normalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Range {
    pub lo: Bound,
    pub hi: Bound,
}

impl Range {
    pub const ALL: Range = Range {
        lo: Bound::Unbounded,
        hi: Bound::Unbounded,
    };

    /// Whether `v` is in the range.
    pub fn contains(&self, v: Decimal) -> bool {
        let above = match self.lo {
            Bound::Unbounded => true,
            Bound::Closed(l) => v >= l,
            Bound::Open(l) => v > l,
        };
        let below = match self.hi {
            Bound::Unbounded => true,
            Bound::Closed(h) => v <= h,
            Bound::Open(h) => v < h,
        };
        above && below
    }

    /// The range with discrete ends made closed integers; `None` when it holds no integer.
    fn discrete(self) -> Option<Range> {
        let lo = match self.lo {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Closed(l) => Bound::Closed(l.ceil()),
            Bound::Open(l) => Bound::Closed(l.floor().checked_add(Decimal::ONE)?),
        };
        let hi = match self.hi {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Closed(h) => Bound::Closed(h.floor()),
            Bound::Open(h) => Bound::Closed(h.ceil().checked_sub(Decimal::ONE)?),
        };
        let r = Range { lo, hi };
        (!r.is_empty()).then_some(r)
    }

    /// Whether no value at all satisfies the ends (for continuous ranges; discrete ranges
    /// are normalized first).
    fn is_empty(&self) -> bool {
        match (self.lo, self.hi) {
            (Bound::Closed(l), Bound::Closed(h)) => l > h,
            (Bound::Closed(l) | Bound::Open(l), Bound::Open(h))
            | (Bound::Open(l), Bound::Closed(h)) => l >= h,
            _ => false,
        }
    }

    fn intersect(&self, other: &Range) -> Range {
        Range {
            lo: max_lo(self.lo, other.lo),
            hi: min_hi(self.hi, other.hi),
        }
    }
}

fn max_lo(a: Bound, b: Bound) -> Bound {
    match (a, b) {
        (Bound::Unbounded, x) | (x, Bound::Unbounded) => x,
        (x, y) => {
            let (vx, vy) = (bound_value(x), bound_value(y));
            if vx > vy || (vx == vy && matches!(x, Bound::Open(_))) {
                x
            } else {
                y
            }
        }
    }
}

fn min_hi(a: Bound, b: Bound) -> Bound {
    match (a, b) {
        (Bound::Unbounded, x) | (x, Bound::Unbounded) => x,
        (x, y) => {
            let (vx, vy) = (bound_value(x), bound_value(y));
            if vx < vy || (vx == vy && matches!(x, Bound::Open(_))) {
                x
            } else {
                y
            }
        }
    }
}

fn bound_value(b: Bound) -> Decimal {
    match b {
        Bound::Closed(v) | Bound::Open(v) => v,
        Bound::Unbounded => Decimal::ZERO,
    }
}

/// A set of values of an ordered input: sorted, disjoint, non-empty ranges.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub(crate) struct RangeSet(pub Vec<Range>);

impl RangeSet {
    /// Whether `v` is in the set (binary search).
    pub fn contains(&self, v: Decimal) -> bool {
        let i = self.0.partition_point(|r| match r.hi {
            Bound::Unbounded => false,
            Bound::Closed(h) => h < v,
            Bound::Open(h) => h <= v,
        });
        self.0.get(i).is_some_and(|r| r.contains(v))
    }

    /// The union of `ranges` clipped to `domain`, normalized (discrete types: closed
    /// integer ends, adjacent integer ranges merged).
    pub fn build(ranges: &[Range], domain: &Range, discrete: bool) -> RangeSet {
        let mut list: Vec<Range> = ranges
            .iter()
            .map(|r| r.intersect(domain))
            .filter_map(|r| if discrete { r.discrete() } else { Some(r) })
            .filter(|r| !r.is_empty())
            .collect();
        list.sort_by(|a, b| cmp_lo(a.lo, b.lo));
        let mut out: Vec<Range> = Vec::with_capacity(list.len());
        for r in list {
            match out.last_mut() {
                Some(last) if touches(last.hi, r.lo, discrete) => {
                    last.hi = max_hi(last.hi, r.hi);
                }
                _ => out.push(r),
            }
        }
        RangeSet(out)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn cmp_lo(a: Bound, b: Bound) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Less,
        (_, Bound::Unbounded) => Ordering::Greater,
        (x, y) => bound_value(x).cmp(&bound_value(y)).then_with(|| {
            // A closed low end starts before an open one at the same value.
            match (x, y) {
                (Bound::Closed(_), Bound::Open(_)) => Ordering::Less,
                (Bound::Open(_), Bound::Closed(_)) => Ordering::Greater,
                _ => Ordering::Equal,
            }
        }),
    }
}

fn max_hi(a: Bound, b: Bound) -> Bound {
    match (a, b) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => Bound::Unbounded,
        (x, y) => {
            let (vx, vy) = (bound_value(x), bound_value(y));
            if vx > vy || (vx == vy && matches!(x, Bound::Closed(_))) {
                x
            } else {
                y
            }
        }
    }
}

/// Whether a range ending at `hi` and one starting at `lo` (sorted after it) overlap or
/// meet with no value between them.
fn touches(hi: Bound, lo: Bound, discrete: bool) -> bool {
    match (hi, lo) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => true,
        (Bound::Closed(h), Bound::Closed(l)) if discrete => {
            h.checked_add(Decimal::ONE).is_none_or(|next| l <= next)
        }
        (Bound::Closed(h), Bound::Closed(l)) => l <= h,
        (Bound::Open(h), Bound::Open(l)) => l < h,
        (Bound::Closed(h), Bound::Open(l)) | (Bound::Open(h), Bound::Closed(l)) => l <= h,
    }
}

/// Parses one literal value of an ordered type onto the exact scale.
pub(crate) fn parse_point(ty: InputType, text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    match ty {
        InputType::Number => parse_decimal(t),
        InputType::Integer => {
            let d = parse_decimal(t)?;
            if d.fract().is_zero() {
                Ok(d)
            } else {
                Err(format!("`{}` is not an integer", excerpt(t)))
            }
        }
        InputType::Date => parse_date(t).map(|d| Decimal::from(d.num_days_from_ce())),
        InputType::Duration => parse_duration(t).map(Decimal::from),
        InputType::Enum | InputType::Boolean => Err(format!("{} has no ranges", ty.what())),
    }
}

fn parse_date(t: &str) -> Result<NaiveDate, String> {
    let well_formed = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(format!("`{}` is not a date written YYYY-MM-DD", excerpt(t)));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|e| format!("`{t}` is not a calendar date ({e})"))
}

/// Seconds per duration unit.
const UNITS: [(char, i64); 5] = [
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// Parses `14d`, `1d12h`, `-2w`, `90m`, `30s` into whole seconds.
fn parse_duration(t: &str) -> Result<i64, String> {
    let bad = || {
        format!(
            "`{}` is not a duration: write whole numbers with units w, d, h, m, s (`14d`, `1d12h`, `90m`)",
            excerpt(t)
        )
    };
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if body.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut last_unit = usize::MAX;
    for c in body.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let Some(pos) = UNITS.iter().position(|(u, _)| *u == c) else {
            return Err(bad());
        };
        // Units in decreasing size, each at most once: `1d12h`, not `12h1d`.
        if digits.is_empty() || (last_unit != usize::MAX && pos <= last_unit) {
            return Err(bad());
        }
        last_unit = pos;
        let n: i64 = digits.parse().map_err(|_| bad())?;
        let secs = UNITS.get(pos).map_or(1, |(_, s)| *s);
        total = n
            .checked_mul(secs)
            .and_then(|s| total.checked_add(s))
            .filter(|t| *t <= MAX_DURATION_SECONDS)
            .ok_or_else(|| format!("`{}` is too long a duration", excerpt(t)))?;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(if negative { -total } else { total })
}

/// The longest duration (about 31.7 million years), far inside `i64` seconds.
const MAX_DURATION_SECONDS: i64 = 1_000_000_000_000_000;

/// Formats a point of an ordered type as the literal a user writes.
pub(crate) fn format_point(ty: InputType, v: Decimal) -> String {
    match ty {
        InputType::Date => v
            .to_i32()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .map_or_else(|| v.to_string(), |d| d.format("%Y-%m-%d").to_string()),
        InputType::Duration => format_duration(v),
        _ => v.normalize().to_string(),
    }
}

fn format_duration(v: Decimal) -> String {
    let Some(mut secs) = v.to_i64() else {
        return format!("{v}s");
    };
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    if secs < 0 {
        out.push('-');
        secs = -secs;
    }
    // Weeks are left to days: `14d` reads better than `2w` in a witness.
    for (u, s) in UNITS.iter().skip(1) {
        if secs >= *s {
            out.push_str(&format!("{}{u}", secs / s));
            secs %= s;
        }
    }
    out
}

/// The domain a type has when the input declares none: everything, except dates, which
/// span the dates chrono represents (so every date witness can be printed).
pub(crate) fn default_domain(ty: InputType) -> Range {
    match ty {
        InputType::Date => Range {
            lo: Bound::Closed(Decimal::from(NaiveDate::MIN.num_days_from_ce())),
            hi: Bound::Closed(Decimal::from(NaiveDate::MAX.num_days_from_ce())),
        },
        _ => Range::ALL,
    }
}

/// What a cell item of an ordered type stands for.
pub(crate) enum Parsed {
    /// Every value (`any`, `-`).
    Any,
    /// A range.
    Range(Range),
}

/// Parses a cell item of an ordered type: a literal (a point), a range (`[1000, ..)`,
/// `(7, 8]`), a comparison (`>= 1000`, `< 5`), or `any` / `-`.
pub(crate) fn parse_ordered(ty: InputType, cell: &Cell) -> Result<Parsed, String> {
    let text = match cell {
        Cell::Number(d) if ty != InputType::Date && ty != InputType::Duration => {
            let v = parse_point(ty, &d.to_string())?;
            return Ok(Parsed::Range(Range {
                lo: Bound::Closed(v),
                hi: Bound::Closed(v),
            }));
        }
        Cell::Text(t) => t.trim().to_string(),
        other => {
            return Err(format!(
                "`{}` is not {}, a range such as `[1000, ..)` or `any`",
                excerpt(&other.text()),
                ty.what()
            ))
        }
    };
    if text == "any" || text == "-" {
        return Ok(Parsed::Any);
    }
    for (op, lo, hi) in [
        (">=", true, false),
        ("<=", false, true),
        (">", true, false),
        ("<", false, true),
        ("=", true, true),
    ] {
        if let Some(rest) = text.strip_prefix(op) {
            let v = parse_point(ty, rest)?;
            let closed = op.len() == 2 || op == "=";
            let b = if closed {
                Bound::Closed(v)
            } else {
                Bound::Open(v)
            };
            return Ok(Parsed::Range(Range {
                lo: if lo { b } else { Bound::Unbounded },
                hi: if hi { b } else { Bound::Unbounded },
            }));
        }
    }
    let open = text.chars().next();
    let close = text.chars().last();
    if let (Some(o @ ('[' | '(')), Some(c @ (']' | ')'))) = (open, close) {
        let inner = text.get(1..text.len() - 1).unwrap_or("");
        let Some((a, b)) = inner.split_once(',') else {
            return Err(format!(
                "`{}`: a range has two ends separated by a comma, such as `[100, 1000)`",
                excerpt(&text)
            ));
        };
        let (a, b) = (a.trim(), b.trim());
        let lo = if a == ".." {
            if o == '[' {
                return Err(format!(
                    "`{}`: an unbounded end is open, write `(..`",
                    excerpt(&text)
                ));
            }
            Bound::Unbounded
        } else {
            let v = parse_point(ty, a)?;
            if o == '[' {
                Bound::Closed(v)
            } else {
                Bound::Open(v)
            }
        };
        let hi = if b == ".." {
            if c == ']' {
                return Err(format!(
                    "`{}`: an unbounded end is open, write `..)`",
                    excerpt(&text)
                ));
            }
            Bound::Unbounded
        } else {
            let v = parse_point(ty, b)?;
            if c == ']' {
                Bound::Closed(v)
            } else {
                Bound::Open(v)
            }
        };
        let r = Range { lo, hi };
        if r.is_empty() {
            return Err(format!("`{}` is an empty range", excerpt(&text)));
        }
        return Ok(Parsed::Range(r));
    }
    let v = parse_point(ty, &text).map_err(|e| {
        format!("{e}; a cell is {}, a range such as `[1000, ..)`, a comparison such as `>= 7`, or `any`", ty.what())
    })?;
    Ok(Parsed::Range(Range {
        lo: Bound::Closed(v),
        hi: Bound::Closed(v),
    }))
}

/// Formats a range in the cell syntax (`[1000, ..)`, `= 7`).
pub(crate) fn format_range(ty: InputType, r: &Range) -> String {
    if let (Bound::Closed(a), Bound::Closed(b)) = (r.lo, r.hi) {
        if a == b {
            return format_point(ty, a);
        }
    }
    let lo = match r.lo {
        Bound::Unbounded => "(..".to_string(),
        Bound::Closed(v) => format!("[{}", format_point(ty, v)),
        Bound::Open(v) => format!("({}", format_point(ty, v)),
    };
    let hi = match r.hi {
        Bound::Unbounded => "..)".to_string(),
        Bound::Closed(v) => format!("{}]", format_point(ty, v)),
        Bound::Open(v) => format!("{})", format_point(ty, v)),
    };
    format!("{lo}, {hi}")
}

/// A value strictly between `a` and `b` (`a < b`), when one is representable.
pub(crate) fn between(a: Decimal, b: Decimal) -> Option<Decimal> {
    let two = Decimal::TWO;
    let mid = a
        .checked_add(b)
        .and_then(|s| s.checked_div(two))
        .or_else(|| {
            // `a + b` overflows near the ends of the range: halve first.
            a.checked_div(two)
                .and_then(|x| b.checked_div(two).and_then(|y| x.checked_add(y)))
        });
    if let Some(m) = mid.filter(|m| a < *m && *m < b) {
        return Some(m);
    }
    (0..=28u32)
        .rev()
        .filter_map(|s| a.checked_add(Decimal::new(1, s)))
        .find(|c| a < *c && *c < b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).unwrap()
    }

    fn range(ty: InputType, s: &str) -> Range {
        match parse_ordered(ty, &Cell::Text(s.into())).unwrap() {
            Parsed::Range(r) => r,
            Parsed::Any => Range::ALL,
        }
    }

    #[test]
    fn ranges_comparisons_and_points_parse_with_their_ends() {
        let r = range(InputType::Number, "[1000, ..)");
        assert!(r.contains(d("1000")) && !r.contains(d("999.999")));
        let r = range(InputType::Number, "(7, 8]");
        assert!(!r.contains(d("7")) && r.contains(d("7.0001")) && r.contains(d("8")));
        assert!(!r.contains(d("8.0000001")));
        let r = range(InputType::Number, ">= 7");
        assert!(r.contains(d("7")) && !r.contains(d("6.99")));
        let r = range(InputType::Number, "< 5");
        assert!(r.contains(d("4.99")) && !r.contains(d("5")));
        let r = range(InputType::Number, "12.50");
        assert!(r.contains(d("12.5")) && !r.contains(d("12.51")));
        for bad in [
            "[.., 3)", "(3, ..]", "(3, 3)", "[5, 4]", "[1 2]", "abc", "1,000",
        ] {
            assert!(
                parse_ordered(InputType::Number, &Cell::Text(bad.into())).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn dates_and_durations_map_onto_whole_steps() {
        let r = range(InputType::Date, "[2026-01-01, 2026-02-01)");
        let jan31 = parse_point(InputType::Date, "2026-01-31").unwrap();
        let feb1 = parse_point(InputType::Date, "2026-02-01").unwrap();
        assert_eq!(feb1 - jan31, Decimal::ONE);
        assert!(r.contains(jan31) && !r.contains(feb1));
        assert_eq!(format_point(InputType::Date, jan31), "2026-01-31");
        assert!(parse_point(InputType::Date, "2026-02-30").is_err());
        assert!(parse_point(InputType::Date, "2026-1-5").is_err());
        assert_eq!(parse_duration("1d12h").unwrap(), 36 * 3600);
        assert_eq!(parse_duration("2w").unwrap(), 14 * 86_400);
        assert_eq!(parse_duration("-90m").unwrap(), -5400);
        for bad in ["12h1d", "1d1d", "14", "d", "1.5d", "", "-"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(format_duration(Decimal::from(36 * 3600 + 61)), "1d12h1m1s");
        assert_eq!(format_duration(Decimal::from(-86_400)), "-1d");
    }

    #[test]
    fn discrete_sets_close_their_ends_and_merge_neighbours() {
        let all = Range::ALL;
        let s = RangeSet::build(&[range(InputType::Integer, "(7, 8)")], &all, true);
        assert!(s.is_empty());
        let s = RangeSet::build(
            &[
                range(InputType::Integer, "[1, 3]"),
                range(InputType::Integer, "(3, 5]"),
            ],
            &all,
            true,
        );
        assert_eq!(s.0.len(), 1);
        assert_eq!(format_range(InputType::Integer, &s.0[0]), "[1, 5]");
        // Continuous: [1, 3) and (3, 5] leave 3 out.
        let s = RangeSet::build(
            &[
                range(InputType::Number, "[1, 3)"),
                range(InputType::Number, "(3, 5]"),
            ],
            &all,
            false,
        );
        assert_eq!(s.0.len(), 2);
        assert!(!s.contains(d("3")) && s.contains(d("2.9")) && s.contains(d("3.1")));
        let domain = range(InputType::Number, "[0, 10]");
        let s = RangeSet::build(&[range(InputType::Number, "> 8")], &domain, false);
        assert_eq!(format_range(InputType::Number, &s.0[0]), "(8, 10]");
    }

    #[test]
    fn between_finds_a_value_or_none() {
        assert_eq!(between(d("7"), d("8")), Some(d("7.5")));
        // Nothing fits between the two largest integers a decimal holds.
        assert_eq!(between(Decimal::MAX - Decimal::ONE, Decimal::MAX), None);
        let tiny = Decimal::new(1, 28);
        assert_eq!(between(Decimal::ZERO, tiny), None);
        assert!(between(Decimal::ZERO, tiny * Decimal::TWO).is_some());
    }
}
