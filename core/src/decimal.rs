//! Exact decimal numbers: how they are read from files and how results are rounded.
//!
//! Every number in a score path is a [`rust_decimal::Decimal`]; no `f64` is ever used for
//! arithmetic. Numbers reach csrubric in three ways:
//!
//! * **strings** (`"84.995"`, CSV cells): parsed exactly, digit for digit;
//! * **integers** in TOML/JSON: exact;
//! * **non-integer numbers** in JSON (`"weight": 12.5`, an account's `84.99499999999999999`):
//!   read from their literal, digit for digit (serde_json's `arbitrary_precision`); in a
//!   rubric, trailing zeros are dropped as TOML drops them (`99.0` is `99`), in input rows
//!   they are kept as a CSV cell keeps them;
//! * **non-integer numbers** in TOML (`weight = 12.5`): the TOML parser hands over a binary
//!   float, which is turned back into the *shortest decimal that reads back as the same
//!   float*. That is exactly the literal you wrote for any literal of up to 15 significant
//!   digits. Write a string when you need more digits than that.
//!
//! Rounding is declared once per rubric by a [`Rounding`]: a number of decimals and a
//! [`RoundingMode`]. It applies to the final score only.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize};

/// Parses a decimal written as text, exactly.
///
/// Accepts an optional sign, digits and an optional fraction (`-12.50`), and scientific
/// notation (`1e3`). Rejects empty text, thousands separators, `NaN` and infinities.
///
/// # Errors
/// Returns a message describing why the text is not a decimal number.
///
/// # Example
/// ```
/// use csrubric::decimal::parse_decimal;
/// use rust_decimal::Decimal;
/// assert_eq!(parse_decimal(" 84.99 ")?, Decimal::new(8499, 2));
/// assert!(parse_decimal("1,000").is_err());
/// # Ok::<(), String>(())
/// ```
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty value is not a number".into());
    }
    // One sign at most: `+-0` is not a number.
    let plain = t.strip_prefix('+').unwrap_or(t);
    if plain.len() < t.len() && plain.starts_with(['+', '-']) || !is_number_literal(plain) {
        return Err(format!("`{}` is not a decimal number", excerpt(t)));
    }
    let parsed = if plain.contains(['e', 'E']) {
        Decimal::from_scientific(plain).ok()
    } else if plain.len() > 64 {
        None
    } else {
        Decimal::from_str_exact(plain).ok()
    };
    parsed.ok_or_else(|| {
        format!(
            "`{}` is outside the decimal range (at most 28 significant digits and 28 decimal \
             places, magnitude below 7.9e28)",
            excerpt(t)
        )
    })
}

/// True for a number as JSON writes one, with an optional fraction and exponent and digits
/// on either side of the point (`-12.50`, `.5`, `1e3`, `2.5E-7`); a leading `+` is removed
/// before.
fn is_number_literal(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (
            body.get(..i).unwrap_or(""),
            Some(body.get(i + 1..).unwrap_or("")),
        ),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()) && exponent_ok
}

/// Turns a binary float read from a TOML/JSON literal back into the decimal that was written.
///
/// # Errors
/// Rejects NaN and infinities, and magnitudes beyond what a `Decimal` can hold.
///
/// # Example
/// ```
/// use csrubric::decimal::decimal_from_f64_literal;
/// use rust_decimal::Decimal;
/// assert_eq!(decimal_from_f64_literal(84.99)?, Decimal::new(8499, 2));
/// assert_eq!(decimal_from_f64_literal(0.1)?, Decimal::new(1, 1));
/// # Ok::<(), String>(())
/// ```
pub fn decimal_from_f64_literal(value: f64) -> Result<Decimal, String> {
    if !value.is_finite() {
        return Err(format!("`{value}` is not a finite number"));
    }
    // `Display` for f64 prints the shortest representation that round-trips, never in
    // exponent form, so this is the literal as written (up to 15-17 significant digits).
    let text = format!("{value}");
    Decimal::from_str_exact(&text).map_err(|_| format!("`{text}` is out of the decimal range"))
}

/// A decimal that deserializes from a string, an integer or a number literal, exactly.
///
/// Serializes as a string so no consumer (JavaScript, pandas) is tempted to round it
/// through a float.
///
/// # Example
/// ```
/// use csrubric::decimal::Dec;
/// let d: Dec = serde_json::from_str("\"12.50\"")?;
/// assert_eq!(d.0.to_string(), "12.50");
/// let d: Dec = serde_json::from_str("12.5")?;
/// assert_eq!(d.0.to_string(), "12.5");
/// // A JSON literal is read digit for digit, not through a binary float.
/// let d: Dec = serde_json::from_str("84.99499999999999999")?;
/// assert_eq!(d.0.to_string(), "84.99499999999999999");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Dec(pub Decimal);

impl From<Decimal> for Dec {
    fn from(d: Decimal) -> Self {
        Dec(d)
    }
}

impl From<Dec> for Decimal {
    fn from(d: Dec) -> Self {
        d.0
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Dec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Dec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number (a number or a string such as \"12.5\")")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Dec, E> {
                Ok(Dec(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Dec, E> {
                decimal_from_f64_literal(v).map(Dec).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Dec, E> {
                parse_decimal(v).map(Dec).map_err(E::custom)
            }
            // A JSON number that is not an integer arrives as its literal (serde_json's
            // `arbitrary_precision`): read digit for digit, trailing zeros dropped as the
            // TOML reader drops them (`99.0` is `99` in both formats).
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Dec, A::Error> {
                let literal = json_number_literal(map)?;
                parse_decimal(&literal)
                    .map(|d| Dec(d.normalize()))
                    .map_err(serde::de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// The key under which serde_json (feature `arbitrary_precision`) hands a number's literal to
/// a visitor's `visit_map`.
pub(crate) const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads the literal of a JSON number handed over as a one-entry map (see
/// [`JSON_NUMBER_TOKEN`]); any other map is a type error.
pub(crate) fn json_number_literal<'de, A: serde::de::MapAccess<'de>>(
    mut map: A,
) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(k) if k == JSON_NUMBER_TOKEN => map.next_value::<String>(),
        _ => Err(serde::de::Error::invalid_type(
            serde::de::Unexpected::Map,
            &"a decimal number (a number or a string such as \"12.5\")",
        )),
    }
}

/// How a half-way value is rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Ties go away from zero: 84.995 -> 85.00 (what spreadsheets' `ROUND` does). The default.
    #[default]
    HalfUp,
    /// Ties go to the even neighbour ("banker's rounding"): 84.985 -> 84.98.
    HalfEven,
}

impl FromStr for RoundingMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "half_up" => Ok(Self::HalfUp),
            "half_even" => Ok(Self::HalfEven),
            other => Err(format!(
                "unknown rounding mode `{other}` (expected `half_up` or `half_even`)"
            )),
        }
    }
}

/// The one place a rubric's result is rounded: the final score.
///
/// # Example
/// ```
/// use csrubric::decimal::{Rounding, RoundingMode};
/// use rust_decimal::Decimal;
/// let r = Rounding { decimals: 2, mode: RoundingMode::HalfUp };
/// assert_eq!(r.apply(Decimal::new(84995, 3)).to_string(), "85.00");
/// let r = Rounding { decimals: 2, mode: RoundingMode::HalfEven };
/// assert_eq!(r.apply(Decimal::new(84985, 3)).to_string(), "84.98");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimals kept in the final score (0..=10). Default 2.
    #[serde(default = "default_decimals")]
    pub decimals: u32,
    /// Tie-breaking rule. Default `half_up`.
    #[serde(default)]
    pub mode: RoundingMode,
}

fn default_decimals() -> u32 {
    2
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            decimals: 2,
            mode: RoundingMode::HalfUp,
        }
    }
}

impl Rounding {
    /// Rounds `value` and pads it to exactly `decimals` decimals, so `85` shows as `85.00`.
    pub fn apply(&self, value: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        let mut r = value.round_dp_with_strategy(self.decimals, strategy);
        r.rescale(self.decimals);
        r
    }

    /// The smallest step at this precision (0.01 for two decimals).
    pub fn ulp(&self) -> Decimal {
        Decimal::new(1, self.decimals)
    }
}

/// User text for an error message: as is when short, else its start and its length, so a
/// 10 MB cell never becomes a 10 MB message.
///
/// # Example
/// ```
/// use csrubric::decimal::excerpt;
/// assert_eq!(excerpt("abc"), "abc");
/// assert_eq!(excerpt(&"x".repeat(100)), format!("{}... (100 bytes)", "x".repeat(40)));
/// ```
pub fn excerpt(text: &str) -> String {
    const KEEP: usize = 40;
    if text.len() <= 64 {
        return text.to_string();
    }
    let cut = (0..=KEEP)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    format!(
        "{}... ({} bytes)",
        text.get(..cut).unwrap_or(""),
        text.len()
    )
}

/// The exact sum of `values`, or `None` when it leaves the decimal range. `Decimal`'s `+`
/// (and `Iterator::sum`) panics on overflow, so every sum of user-written numbers goes
/// through here.
///
/// # Example
/// ```
/// use csrubric::decimal::checked_sum;
/// use rust_decimal::Decimal;
/// assert_eq!(checked_sum([Decimal::from(60), Decimal::from(40)]), Some(Decimal::ONE_HUNDRED));
/// assert_eq!(checked_sum([Decimal::MAX, Decimal::ONE]), None);
/// ```
pub fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// Prints a decimal without trailing zeros (`22.500` -> `22.5`), for ledgers.
pub(crate) fn normalized(d: Decimal) -> Decimal {
    d.normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_garbage() {
        for bad in ["", "abc", "1,000", "NaN", "inf", "--1", "1.2.3", "-", "."] {
            assert!(parse_decimal(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(parse_decimal("+7").unwrap(), Decimal::from(7));
        assert_eq!(parse_decimal("1e2").unwrap(), Decimal::from(100));
        assert_eq!(parse_decimal("-0.25").unwrap(), Decimal::new(-25, 2));
        for bad in ["1e", "e5", "1e+", "+-1", "-+1", "1.2e3.4"] {
            assert!(parse_decimal(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn numbers_beyond_the_decimal_range_say_so() {
        for big in ["1e300", "-1e-300", "79228162514264337593543950336", "1e400"] {
            let e = parse_decimal(big).unwrap_err();
            assert!(e.contains("outside the decimal range"), "{big}: {e}");
        }
        assert!(parse_decimal("1,000")
            .unwrap_err()
            .contains("not a decimal number"));
    }

    #[test]
    fn float_literals_come_back_as_written() {
        for (f, s) in [
            (84.99, "84.99"),
            (0.1, "0.1"),
            (33.333, "33.333"),
            (1e-7, "0.0000001"),
        ] {
            assert_eq!(decimal_from_f64_literal(f).unwrap().to_string(), s);
        }
        assert!(decimal_from_f64_literal(f64::NAN).is_err());
        assert!(decimal_from_f64_literal(f64::INFINITY).is_err());
        assert!(decimal_from_f64_literal(1e40).is_err());
    }

    #[test]
    fn rounding_pads_and_breaks_ties_as_declared() {
        let up = Rounding::default();
        assert_eq!(up.apply(Decimal::from(85)).to_string(), "85.00");
        assert_eq!(up.apply(Decimal::new(84995, 3)).to_string(), "85.00");
        assert_eq!(up.apply(Decimal::new(84994, 3)).to_string(), "84.99");
        let even = Rounding {
            decimals: 1,
            mode: RoundingMode::HalfEven,
        };
        assert_eq!(even.apply(Decimal::new(8425, 2)).to_string(), "84.2");
        assert_eq!(even.apply(Decimal::new(8435, 2)).to_string(), "84.4");
    }
}
