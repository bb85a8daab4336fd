//! The columnar batch engine: many accounts held column by column (Arrow tables, DataFrames,
//! CSV chunks), scored in one fused pass with results identical to [`HealthRubric::score`].
//!
//! A batch is a list of account ids and one [`Column`] per input column. Each row is scored on
//! the cheapest tier that gives the exact answer:
//!
//! 1. **Fixed point.** When every component of the row is a direct score (or missing) whose
//!    value has at most [`IntPlan::input_scale`] decimals, the score is computed on scaled
//!    integers: each value is converted exactly (a `f64` as the shortest literal that reads
//!    back as it, as the row path reads it), component weights and coefficients are computed
//!    once per batch, the one division is an integer division with its remainder, rounding
//!    is decided on that remainder, and the band is found by comparing integers. Overflow is
//!    ruled out per rubric when the plan is built; a row whose values do not fit falls to the
//!    next tier.
//! 2. **Decimal.** Rows with raw metrics, more decimals or rounding ties too close to call in
//!    fixed point are scored with the same `Decimal` operations, in the same order, as the row
//!    path, without building a record or a ledger.
//! 3. **Row path.** Rows that fail (a cell that is not a number, a value outside the scale,
//!    a missing input under the `error` policy...), rows with overrides, and every row of a
//!    rubric with scripts are scored by [`crate::health::score_health_rows`] itself, so errors
//!    carry the same code and message.
//!
//! No explanation is computed: a [`RowResult`] is the status, the rounded score, the band and
//! the error. For the ledger and "what would it take", score the accounts one by one.
//!
//! Large batches are split into contiguous parts scored on several threads; the output is
//! always in input order.
//!
//! # Example
//! ```
//! use csrubric::health::{BatchOptions, Column, ColumnBatch, HealthRubric, RowStatus};
//! use rust_decimal::Decimal;
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/ai-ecosystem.toml");
//! let rubric = HealthRubric::from_path(path.as_ref())?;
//! let ids = [Some("a"), Some("b"), Some("a")];
//! let usage = [9.0, f64::NAN, 8.0];                                  // NaN is missing
//! let engagement = [Some(Decimal::new(80, 1)), Some(Decimal::from(11)), None];
//! let success: [i64; 3] = [700, 700, 700];                           // 7.00 at scale 2
//! let batch = ColumnBatch::new("accounts", ids)
//!     .with("usage", Column::Float { values: &usage, validity: None })
//!     .with("engagement", Column::Decimal(&engagement))
//!     .with("success", Column::Int { values: &success, scale: 2, validity: None });
//! let out = rubric.score_columns(&batch, &BatchOptions::default())?;
//! // (9 + 8 + 7) / 3 = 8: growth is missing and renormalized away.
//! assert_eq!(out[0].status, RowStatus::Scored);
//! assert_eq!(out[0].score.unwrap().to_string(), "8.00");
//! assert_eq!(out[0].band.unwrap().label, "Green");
//! let err = out[1].error.as_ref().unwrap();
//! assert_eq!(err.code, "out_of_scale");
//! assert_eq!(err.message, "row 2 (account `b`): `engagement` = 11 is outside the component scale 0-10");
//! assert_eq!(out[2].error.as_ref().unwrap().message, "accounts: row 3: duplicate id `a`");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::score::{eval, term};
use super::{
    BandInfo, Compiled, Direction, HealthRow, HealthRubric, MissingPolicy, Override, ScoreOptions,
};
use crate::answer::ErrorInfo;
use crate::decimal::{decimal_from_f64_literal, RoundingMode};
use crate::input::{InputError, Record, RowRef, Value};

/// An Arrow-style validity bitmap: bit `offset + i` (least significant bit first) is set when
/// row `i` has a value.
#[derive(Clone, Copy, Debug)]
pub struct Validity<'a> {
    bits: &'a [u8],
    offset: usize,
}

impl<'a> Validity<'a> {
    /// A bitmap over `bits`, starting at bit `offset`.
    pub fn new(bits: &'a [u8], offset: usize) -> Validity<'a> {
        Validity { bits, offset }
    }

    /// Whether row `i` has a value (rows past the bitmap have none).
    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        let j = self.offset + i;
        self.bits
            .get(j / 8)
            .is_some_and(|b| (b >> (j % 8)) & 1 == 1)
    }
}

#[inline]
fn valid(v: &Option<Validity<'_>>, i: usize) -> bool {
    v.as_ref().is_none_or(|v| v.is_valid(i))
}

/// One input column of a batch. Every kind reads its cells as the row path reads the same
/// cell of a table (see the Python binding) or a CSV file.
#[derive(Clone, Copy, Debug)]
pub enum Column<'a> {
    /// Exact decimals; `None` is missing.
    Decimal(&'a [Option<Decimal>]),
    /// Fixed point: row `i` is `values[i] / 10^scale` (scale 0 for plain integers).
    Int {
        /// Mantissas.
        values: &'a [i64],
        /// Decimals (at most 28).
        scale: u32,
        /// Missing rows, if any.
        validity: Option<Validity<'a>>,
    },
    /// Wide fixed point (Arrow `decimal128`): row `i` is `values[i] / 10^scale`.
    Int128 {
        /// Mantissas.
        values: &'a [i128],
        /// Decimals (at most 28).
        scale: u32,
        /// Missing rows, if any.
        validity: Option<Validity<'a>>,
    },
    /// Binary floats, each read as the shortest decimal that reads back as it (`84.99` is
    /// 84.99, as in a JSON file); NaN is missing, infinities are not numbers.
    Float {
        /// Values.
        values: &'a [f64],
        /// Missing rows, if any.
        validity: Option<Validity<'a>>,
    },
    /// Any cells (text, booleans, override lists), judged like CSV cells.
    Cells(&'a [Option<Value>]),
}

impl Column<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Decimal(v) => v.len(),
            Column::Int { values, .. } => values.len(),
            Column::Int128 { values, .. } => values.len(),
            Column::Float { values, .. } => values.len(),
            Column::Cells(v) => v.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell in row `i` as the row path reads it: `None` when missing.
    ///
    /// # Example
    /// ```
    /// use csrubric::health::Column;
    /// use csrubric::input::Value;
    /// let floats = [84.99, f64::NAN, f64::INFINITY];
    /// let c = Column::Float { values: &floats, validity: None };
    /// assert_eq!(c.value(0), Some(Value::Number("84.99".parse().unwrap())));
    /// assert_eq!(c.value(1), None);
    /// assert_eq!(c.value(2), Some(Value::Text("inf".into())));
    /// ```
    pub fn value(&self, i: usize) -> Option<Value> {
        match *self {
            Column::Decimal(v) => v.get(i).copied().flatten().map(Value::Number),
            Column::Int {
                values,
                scale,
                validity,
            } => {
                let m = *values.get(i)?;
                valid(&validity, i).then(|| scaled_value(i128::from(m), scale))
            }
            Column::Int128 {
                values,
                scale,
                validity,
            } => {
                let m = *values.get(i)?;
                valid(&validity, i).then(|| scaled_value(m, scale))
            }
            Column::Float { values, validity } => {
                let x = *values.get(i)?;
                if !valid(&validity, i) || x.is_nan() {
                    return None;
                }
                Some(match decimal_from_f64_literal(x) {
                    Ok(d) => Value::Number(d),
                    Err(_) => Value::Text(format!("{x}")),
                })
            }
            Column::Cells(v) => v.get(i).cloned().flatten(),
        }
    }

    /// The cell as a number for the decimal tier.
    fn number(&self, i: usize) -> Num {
        match *self {
            Column::Decimal(v) => match v.get(i).copied().flatten() {
                Some(d) => Num::Dec(d),
                None => Num::Missing,
            },
            Column::Cells(v) => match v.get(i) {
                Some(Some(Value::Number(d))) => Num::Dec(*d),
                Some(Some(_)) => Num::Bad,
                _ => Num::Missing,
            },
            _ => match self.value(i) {
                None => Num::Missing,
                Some(Value::Number(d)) => Num::Dec(d),
                Some(_) => Num::Bad,
            },
        }
    }

    /// Whether row `i` has a value at all (any kind).
    fn present(&self, i: usize) -> bool {
        match *self {
            Column::Decimal(v) => v.get(i).is_some_and(Option::is_some),
            Column::Int {
                values, validity, ..
            } => i < values.len() && valid(&validity, i),
            Column::Int128 {
                values, validity, ..
            } => i < values.len() && valid(&validity, i),
            Column::Float { values, validity } => {
                values.get(i).is_some_and(|x| !x.is_nan()) && valid(&validity, i)
            }
            Column::Cells(v) => v.get(i).is_some_and(Option::is_some),
        }
    }

    /// Rows `start..start + vals.len()` as fixed point at `k` decimals: state 0 missing,
    /// 1 a value in `vals`, 2 anything else (more decimals, too large, not a number).
    fn fill_fixed(&self, start: usize, k: u32, vals: &mut [i64], state: &mut [u8]) {
        let n = vals.len();
        match *self {
            Column::Float { values, validity } => {
                let p = POW10_F64.get(k as usize).copied().unwrap_or(1.0);
                let src = values.get(start..start + n).unwrap_or(&[]);
                // Branch-free: every value gets a candidate and a state; the missing ones are
                // marked afterwards.
                for ((x, v), s) in src.iter().zip(vals.iter_mut()).zip(state.iter_mut()) {
                    let (m, exact) = float_to_fixed(*x, p);
                    *v = m;
                    *s = 2 - u8::from(exact) - 2 * u8::from(x.is_nan());
                }
                if let Some(validity) = validity {
                    for (j, s) in state.iter_mut().enumerate() {
                        if !validity.is_valid(start + j) {
                            *s = 0;
                        }
                    }
                }
                if src.len() < n {
                    state.iter_mut().skip(src.len()).for_each(|s| *s = 0);
                }
            }
            Column::Int {
                values,
                scale,
                validity,
            } => {
                let src = values.get(start..start + n).unwrap_or(&[]);
                let up = if scale <= k {
                    pow10_i64(k - scale)
                } else {
                    None
                };
                for (j, ((m, v), s)) in src
                    .iter()
                    .zip(vals.iter_mut())
                    .zip(state.iter_mut())
                    .enumerate()
                {
                    if !valid(&validity, start + j) {
                        *s = 0;
                        continue;
                    }
                    let fixed = match up {
                        Some(p) => m.checked_mul(p),
                        None => to_fixed_i128(i128::from(*m), scale, k),
                    };
                    match fixed {
                        Some(f) => {
                            *v = f;
                            *s = 1;
                        }
                        None => *s = 2,
                    }
                }
                if src.len() < n {
                    state.iter_mut().skip(src.len()).for_each(|s| *s = 0);
                }
            }
            _ => {
                for (j, (v, s)) in vals.iter_mut().zip(state.iter_mut()).enumerate() {
                    let i = start + j;
                    let fixed = match *self {
                        Column::Decimal(c) => match c.get(i).copied().flatten() {
                            None => {
                                *s = 0;
                                continue;
                            }
                            Some(d) => to_fixed_i128(d.mantissa(), d.scale(), k),
                        },
                        Column::Int128 {
                            values,
                            scale,
                            validity,
                        } => match values.get(i) {
                            Some(m) if valid(&validity, i) => to_fixed_i128(*m, scale, k),
                            _ => {
                                *s = 0;
                                continue;
                            }
                        },
                        Column::Cells(c) => match c.get(i) {
                            Some(Some(Value::Number(d))) => {
                                to_fixed_i128(d.mantissa(), d.scale(), k)
                            }
                            Some(Some(_)) => None,
                            _ => {
                                *s = 0;
                                continue;
                            }
                        },
                        _ => None,
                    };
                    match fixed {
                        Some(f) => {
                            *v = f;
                            *s = 1;
                        }
                        None => *s = 2,
                    }
                }
            }
        }
    }
}

fn scaled_value(m: i128, scale: u32) -> Value {
    match Decimal::try_from_i128_with_scale(m, scale) {
        Ok(d) => Value::Number(d),
        Err(_) => Value::Text(format!("{m}e-{scale}")),
    }
}

/// Powers of ten that are exact in a `f64` (up to 10^22).
const POW10_F64: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Mantissas below this (2^50) are exact in a `f64`, and `x * 10^k` is within 0.5 of the
/// mantissa it approximates.
const FLOAT_FIXED_LIMIT: f64 = 1_125_899_906_842_624.0;

/// The fixed-point mantissa at `k` decimals (`p = 10^k`) of the decimal a float denotes,
/// when that decimal has at most `k` decimals.
///
/// `m / 10^k` is the shortest decimal that reads back as `x` exactly when dividing the two
/// (exact) floats `m` and `10^k` gives `x` back (IEEE division is correctly rounded, so `x` is
/// the float nearest to `m / 10^k`) and no other decimal with `k` decimals reads back as `x`
/// (true when `|m| < 2^52`: the float spacing at `x` is then below `10^-k`). The float
/// arithmetic only proposes `m`; the equality decides.
#[inline]
#[allow(
    clippy::float_cmp,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss
)]
fn float_to_fixed(x: f64, p: f64) -> (i64, bool) {
    let y = x * p;
    // Round half away from zero by truncation (a saturating cast, no libm call); a wrong
    // candidate only fails the check below.
    let m = (y + 0.5f64.copysign(y)) as i64;
    let back = m as f64 / p;
    (m, y.abs() < FLOAT_FIXED_LIMIT && back == x)
}

fn pow10_i64(e: u32) -> Option<i64> {
    10i64.checked_pow(e)
}

fn pow10_i128(e: u32) -> Option<i128> {
    10i128.checked_pow(e)
}

/// `m / 10^scale` as a mantissa at `k` decimals, when exact and within `i64`.
#[inline]
fn to_fixed_i128(m: i128, scale: u32, k: u32) -> Option<i64> {
    let v = if scale <= k {
        m.checked_mul(pow10_i128(k - scale)?)?
    } else {
        let p = pow10_i128(scale - k)?;
        if m % p != 0 {
            return None;
        }
        m / p
    };
    i64::try_from(v).ok()
}

fn decimal_to_fixed(d: Decimal, k: u32) -> Option<i64> {
    to_fixed_i128(d.mantissa(), d.scale(), k)
}

enum Num {
    Missing,
    Dec(Decimal),
    Bad,
}

/// A batch of accounts held column by column.
///
/// Ids are checked as [`crate::columns::check_ids`] checks them (trimmed; an empty or repeated
/// id fails its row only). Columns the rubric does not read are kept for the row path (rules
/// scripts see every input) and otherwise ignored.
#[derive(Clone, Debug)]
pub struct ColumnBatch<'a> {
    /// Each row's trimmed id; `""` for a row that failed (its error is in `failed`).
    ids: Vec<&'a str>,
    /// The input errors of the rows without a usable id, by row index (ascending).
    failed: Vec<(usize, InputError)>,
    first_row: usize,
    columns: Vec<(&'a str, Column<'a>)>,
}

impl<'a> ColumnBatch<'a> {
    /// A batch of the given ids (one per row, `None` for a missing id); `source` names the
    /// table in id errors. Rows are numbered from 1.
    pub fn new(source: &str, ids: impl IntoIterator<Item = Option<&'a str>>) -> ColumnBatch<'a> {
        let (ids, failed) = check_ids(source, 1, ids);
        ColumnBatch {
            ids,
            failed,
            first_row: 1,
            columns: Vec::new(),
        }
    }

    /// A batch whose ids were already checked by the caller (a CSV reader that names lines):
    /// each row's trimmed id, or the input error that row fails with. Row `i` is numbered
    /// `first_row + i`.
    pub fn from_checked_ids(
        ids: Vec<Result<&'a str, InputError>>,
        first_row: usize,
    ) -> ColumnBatch<'a> {
        let mut failed = Vec::new();
        let ids = ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| match id {
                Ok(id) if !id.is_empty() => id,
                Ok(_) => {
                    failed.push((
                        i,
                        InputError::Row {
                            file: "<columns>".into(),
                            at: RowRef {
                                row: first_row + i,
                                line: None,
                            },
                            message: "missing `id`".into(),
                        },
                    ));
                    ""
                }
                Err(e) => {
                    failed.push((i, e));
                    ""
                }
            })
            .collect();
        ColumnBatch {
            ids,
            failed,
            first_row,
            columns: Vec::new(),
        }
    }

    /// Adds a column.
    pub fn with(mut self, name: &'a str, column: Column<'a>) -> ColumnBatch<'a> {
        self.push(name, column);
        self
    }

    /// Adds a column.
    pub fn push(&mut self, name: &'a str, column: Column<'a>) {
        self.columns.push((name, column));
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when the batch has no rows.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Row `i`'s id, or the input error of a row without a usable id (`None` past the end).
    pub fn id(&self, i: usize) -> Option<Result<&'a str, &InputError>> {
        let id = *self.ids.get(i)?;
        if !id.is_empty() {
            return Some(Ok(id));
        }
        let k = self.failed.binary_search_by_key(&i, |(r, _)| *r).ok()?;
        self.failed.get(k).map(|(_, e)| Err(e))
    }

    /// Row `i`'s id when it has a usable one.
    #[inline]
    fn ok_id(&self, i: usize) -> Option<&'a str> {
        self.ids.get(i).copied().filter(|s| !s.is_empty())
    }

    fn column(&self, name: &str) -> Option<&Column<'a>> {
        self.columns
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
    }
}

/// A fast keyed hash for the id set (ids are short; SipHash dominated large batches). The
/// key is drawn per batch from the standard library's random source.
#[derive(Clone, Copy)]
struct IdHasher {
    key: u64,
    h: u64,
}

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.h;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(w))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .rotate_left(29);
        }
        let mut w = [0u8; 8];
        for (d, b) in w.iter_mut().zip(chunks.remainder()) {
            *d = *b;
        }
        h = (h ^ u64::from_le_bytes(w) ^ (bytes.len() as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.h = h;
    }

    fn write_u8(&mut self, i: u8) {
        self.h = (self.h ^ u64::from(i)).wrapping_mul(0xA24B_AED4_963E_E407);
    }

    fn finish(&self) -> u64 {
        let h = self.h ^ self.key;
        let h = (h ^ (h >> 32)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
        h ^ (h >> 32)
    }
}

#[derive(Clone, Copy)]
struct IdHash(u64);

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher {
            key: self.0,
            h: self.0,
        }
    }
}

fn id_hash() -> IdHash {
    use std::hash::BuildHasher;
    IdHash(std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64))
}

/// Checks ids like [`crate::columns::check_ids`], without copying them: the trimmed ids
/// (`""` for a failed row) and the failed rows' errors. Large batches are checked on several
/// threads, each owning the ids of one hash class, scanned in row order (so the first of two
/// equal ids is the one kept, as on one thread).
fn check_ids<'a>(
    source: &str,
    first_row: usize,
    ids: impl IntoIterator<Item = Option<&'a str>>,
) -> (Vec<&'a str>, Vec<(usize, InputError)>) {
    use std::hash::BuildHasher;
    let trimmed: Vec<&'a str> = ids.into_iter().map(|id| id.map_or("", str::trim)).collect();
    let n = trimmed.len();
    let hasher = id_hash();
    let parts = if n >= PARALLEL_MIN_ROWS {
        std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .clamp(1, 16)
    } else {
        1
    };
    // Rows whose id repeats an earlier row's, per hash class.
    let scan = |class: u64| -> Vec<usize> {
        let mut seen: HashSet<&str, IdHash> =
            HashSet::with_capacity_and_hasher(n / parts + 1, hasher);
        let mut dups = Vec::new();
        for (i, id) in trimmed.iter().enumerate() {
            if id.is_empty() || (parts > 1 && hasher.hash_one(id) % parts as u64 != class) {
                continue;
            }
            if !seen.insert(id) {
                dups.push(i);
            }
        }
        dups
    };
    let mut dups: Vec<usize> = if parts > 1 {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..parts as u64)
                .map(|c| {
                    let scan = &scan;
                    scope.spawn(move || scan(c))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    } else {
        scan(0)
    };
    dups.sort_unstable();
    let mut failed = Vec::new();
    let mut out = trimmed;
    let mut next_dup = dups.iter().peekable();
    for (i, id) in out.iter_mut().enumerate() {
        let at = RowRef {
            row: first_row + i,
            line: None,
        };
        if id.is_empty() {
            failed.push((
                i,
                InputError::Row {
                    file: source.into(),
                    at,
                    message: "missing `id`".into(),
                },
            ));
        } else if next_dup.peek() == Some(&&i) {
            next_dup.next();
            failed.push((
                i,
                InputError::Row {
                    file: source.into(),
                    at,
                    message: format!("duplicate id `{}`", crate::decimal::excerpt(id)),
                },
            ));
            *id = "";
        }
    }
    (out, failed)
}

/// Extra overrides for an account id (the CLI's `--overrides` file).
pub type ExtraOverrides<'a> = &'a (dyn Fn(&str) -> Vec<Override> + Sync);

/// Options of [`HealthRubric::score_columns`].
#[derive(Clone, Copy, Default)]
pub struct BatchOptions<'a> {
    /// The instant overrides are judged at (`None`: now).
    pub as_of: Option<DateTime<Utc>>,
    /// Threads to use; `None` picks one per core for batches of 20,000 rows or more.
    pub threads: Option<usize>,
    /// Overrides to apply to an account besides those in its `overrides` cell.
    pub extra_overrides: Option<ExtraOverrides<'a>>,
}

impl std::fmt::Debug for BatchOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchOptions")
            .field("as_of", &self.as_of)
            .field("threads", &self.threads)
            .field("extra_overrides", &self.extra_overrides.is_some())
            .finish()
    }
}

/// Batches at least this long are split over the machine's cores by default.
pub const PARALLEL_MIN_ROWS: usize = 20_000;

/// Rows per fused pass (a chunk's buffers stay in the CPU cache).
const CHUNK: usize = 1024;

/// How a row ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Scored and banded.
    Scored,
    /// Too little of the declared weight was measured.
    InsufficientData,
    /// Not scored: see the error.
    Error,
}

impl RowStatus {
    /// `scored`, `insufficient_data` or `error`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RowStatus::Scored => "scored",
            RowStatus::InsufficientData => "insufficient_data",
            RowStatus::Error => "error",
        }
    }
}

/// One row's answer: what `csrubric score` prints for it, without the explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct RowResult<'r> {
    /// Scored, insufficient data, or error.
    pub status: RowStatus,
    /// The rounded score (at the rubric's decimals).
    pub score: Option<Decimal>,
    /// The band that counts (an active band override wins).
    pub band: Option<&'r BandInfo>,
    /// Code and message of a failed row.
    pub error: Option<Box<ErrorInfo>>,
}

impl<'r> RowResult<'r> {
    fn scored(score: Decimal, band: Option<&'r BandInfo>) -> RowResult<'r> {
        RowResult {
            status: RowStatus::Scored,
            score: Some(score),
            band,
            error: None,
        }
    }

    const INSUFFICIENT: RowResult<'static> = RowResult {
        status: RowStatus::InsufficientData,
        score: None,
        band: None,
        error: None,
    };

    fn failed(error: ErrorInfo) -> RowResult<'r> {
        RowResult {
            status: RowStatus::Error,
            score: None,
            band: None,
            error: Some(Box::new(error)),
        }
    }

    /// The same answer from a row-path result ([`crate::health::score_health_rows`]), with its
    /// band as one of `rubric`'s bands.
    pub fn from_health_row(row: &HealthRow, rubric: &'r HealthRubric) -> RowResult<'r> {
        match row {
            HealthRow::Failed(f) => RowResult::failed(f.error.clone()),
            HealthRow::Scored(r) => RowResult {
                status: match r.status {
                    super::Status::Scored => RowStatus::Scored,
                    super::Status::InsufficientData => RowStatus::InsufficientData,
                },
                score: r.score,
                band: r.band.as_ref().and_then(|b| {
                    let bands = &rubric.compiled().bands;
                    bands
                        .iter()
                        .find(|x| std::sync::Arc::ptr_eq(x, b))
                        .or_else(|| bands.iter().find(|x| x.label == b.label))
                        .map(|x| x.as_ref())
                }),
                error: None,
            },
        }
    }
}

fn input_failure<'r>(e: &InputError) -> RowResult<'r> {
    RowResult::failed(ErrorInfo {
        code: e.code().to_string(),
        message: e.to_string(),
    })
}

impl HealthRubric {
    /// Whether the rubric runs rule scripts (which see every input column of an account, so
    /// a batch must hand all its columns over, and every row takes the row path).
    pub fn has_scripts(&self) -> bool {
        let c = self.compiled();
        c.scripts.is_some()
            || c.components.iter().any(|c| {
                c.script.is_some()
                    || c.metrics.iter().any(|m| {
                        m.script.is_some()
                            || matches!(m.scoring, super::ScoringFunction::Script { .. })
                    })
            })
    }

    /// Scores a batch held in columns: one [`RowResult`] per row, in order, identical to
    /// scoring each row with [`crate::health::score_health_rows`] (without explanation).
    ///
    /// # Errors
    /// [`InputError::File`] when a column's length differs from the number of ids.
    pub fn score_columns<'r>(
        &'r self,
        batch: &ColumnBatch<'_>,
        options: &BatchOptions<'_>,
    ) -> Result<Vec<RowResult<'r>>, InputError> {
        let n = batch.len();
        for (name, c) in &batch.columns {
            if c.len() != n {
                return Err(InputError::File {
                    file: "<columns>".into(),
                    message: format!("column `{name}` has {} rows but there are {n} ids", c.len()),
                });
            }
        }
        let plan = Plan::new(self, batch, options);
        let threads = options
            .threads
            .unwrap_or_else(|| {
                if n >= PARALLEL_MIN_ROWS {
                    std::thread::available_parallelism().map_or(1, |p| p.get())
                } else {
                    1
                }
            })
            .clamp(1, 64)
            .min(n.div_ceil(CHUNK).max(1));
        if threads <= 1 {
            let mut out = Vec::with_capacity(n);
            plan.score_range(0, n, &mut out);
            return Ok(out);
        }
        let per = n.div_ceil(threads);
        let parts: Vec<Vec<RowResult<'r>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let (lo, hi) = ((t * per).min(n), ((t + 1) * per).min(n));
                    let plan = &plan;
                    scope.spawn(move || {
                        let mut out = Vec::with_capacity(hi - lo);
                        plan.score_range(lo, hi, &mut out);
                        out
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut out = Vec::with_capacity(n);
        for p in parts {
            out.extend(p);
        }
        if out.len() != n {
            // A scoring thread panicked (a bug): score everything on this thread instead.
            out.clear();
            plan.score_range(0, n, &mut out);
        }
        Ok(out)
    }
}

/// Where a component's inputs are in the batch.
struct CompCols<'b, 'a> {
    direct: Option<&'b Column<'a>>,
    metrics: Vec<Option<&'b Column<'a>>>,
}

/// A rubric and a batch, ready to score.
struct Plan<'r, 'b, 'a> {
    rubric: &'r HealthRubric,
    compiled: &'r Compiled,
    batch: &'b ColumnBatch<'a>,
    options: &'b BatchOptions<'b>,
    comps: Vec<CompCols<'b, 'a>>,
    overrides: Option<&'b Column<'a>>,
    /// Every row goes to the row path (the rubric has scripts).
    all_rows: bool,
    int: Option<IntPlan>,
}

/// A component in fixed point.
#[derive(Clone, Copy, Debug)]
struct IntComp {
    lo: i64,
    hi: i64,
    lower: bool,
    /// `weight * span / (hi - lo)`, at the plan's coefficient scale.
    coef: i64,
    /// Weight at the plan's weight scale.
    weight: i64,
    policy: MissingPolicy,
    /// `(default - lo) * coef` under the `fixed` policy.
    fixed_term: i64,
}

/// The fixed-point tier for one rubric: every constant converted once, every bound checked.
#[derive(Clone, Debug)]
struct IntPlan {
    /// Decimals of the input values (the rubric's precision plus two guard digits).
    input_scale: u32,
    comps: Vec<IntComp>,
    /// `min_present` at the weight scale.
    min_present: i64,
    /// The rounded score's mantissa is `bottom + (sum * n_mul) / (weight * m_mul)`.
    n_mul: u64,
    m_mul: u64,
    bottom: i64,
    decimals: u32,
    half_even: bool,
    /// Band thresholds (top down) on the rounded mantissa: `ceil(min * 10^decimals)`.
    thresholds: Vec<i64>,
    /// No remainder can be close enough to a rounding tie for the decimal path's 28-digit
    /// quotient to round differently, so there is nothing to check per row.
    static_guard: bool,
}

impl IntPlan {
    fn new(c: &Compiled) -> Option<IntPlan> {
        let d = c.rounding.decimals;
        let (bottom, top) = c.scale.bounds();
        let span = top - bottom;
        let scale_of = |x: Decimal| x.normalize().scale();
        let mut k = d + 2;
        for comp in &c.components {
            k = k.max(scale_of(comp.lo)).max(scale_of(comp.hi));
            if let Some(def) = comp.default {
                k = k.max(scale_of(def));
            }
        }
        if k > 9 {
            return None;
        }
        let declared: Decimal = c.components.iter().map(|x| x.weight).sum();
        if declared != Decimal::ONE_HUNDRED {
            return None;
        }
        let mut kw = scale_of(c.min_present);
        let mut coefs = Vec::new();
        let mut kc = 0;
        for comp in &c.components {
            kw = kw.max(scale_of(comp.weight));
            let width = comp.hi.checked_sub(comp.lo)?;
            let num = comp.weight.checked_mul(span)?;
            let coef = num.checked_div(width)?;
            if coef.checked_mul(width)? != num {
                return None;
            }
            kc = kc.max(scale_of(coef));
            coefs.push(coef);
        }
        if k + kc + kw > 18 || scale_of(span) + k + kw > 18 {
            return None;
        }
        let mut comps = Vec::new();
        let mut sum_max: i64 = 0;
        let mut weight_total: i64 = 0;
        for (comp, coef) in c.components.iter().zip(&coefs) {
            let lo = decimal_to_fixed(comp.lo, k)?;
            let hi = decimal_to_fixed(comp.hi, k)?;
            let coef = decimal_to_fixed(*coef, kc)?;
            let weight = decimal_to_fixed(comp.weight, kw)?;
            let top_term = hi.checked_sub(lo)?.checked_mul(coef)?;
            // The row path's `(score - lo) * weight * span` must be exact in a decimal.
            let product = i128::from(hi.checked_sub(lo)?)
                .checked_mul(i128::from(decimal_to_fixed(comp.weight, kw)?))?
                .checked_mul(decimal_to_fixed(span, scale_of(span)).map(i128::from)?)?;
            if product > 10i128.pow(26) {
                return None;
            }
            let fixed_term = match (comp.policy, comp.default) {
                (MissingPolicy::Fixed, Some(def)) => decimal_to_fixed(def, k)?
                    .checked_sub(lo)?
                    .checked_mul(coef)?,
                (MissingPolicy::Fixed, None) => return None,
                _ => 0,
            };
            sum_max = sum_max.checked_add(top_term.max(fixed_term))?;
            weight_total = weight_total.checked_add(weight)?;
            comps.push(IntComp {
                lo,
                hi,
                lower: comp.direction == Direction::LowerIsBetter,
                coef,
                weight,
                policy: comp.policy,
                fixed_term,
            });
        }
        // value * 10^d = bottom * 10^d + sum * 10^(kw + d) / (weight * 10^(k + kc)).
        let e = i64::from(kw) + i64::from(d) - i64::from(k + kc);
        let (n_mul, m_mul) = if e >= 0 {
            (10u64.checked_pow(u32::try_from(e).ok()?)?, 1)
        } else {
            (1, 10u64.checked_pow(u32::try_from(-e).ok()?)?)
        };
        let n_max = u64::try_from(sum_max).ok()?.checked_mul(n_mul)?;
        let m_max = u64::try_from(weight_total).ok()?.checked_mul(m_mul)?;
        if n_max > u64::MAX / 4 || m_max > u64::MAX / 4 {
            return None;
        }
        // The decimal path's quotient is within 10^-17 of the exact one (scores are below
        // 10^10, so 28 significant digits leave 18 decimals); a remainder r with
        // |2r - M| / 2M * 10^-d > 10^-16 rounds the same way in both. With 2M < 10^(16-d)
        // every r that is not an exact tie qualifies.
        let static_guard = 10u128
            .checked_pow(16 - d.min(16))
            .is_some_and(|g| u128::from(m_max) * 2 < g);
        let thresholds = c
            .bands
            .iter()
            .map(|b| {
                let scaled = b.min.checked_mul(Decimal::from(10i64.checked_pow(d)?))?;
                decimal_to_fixed(scaled.ceil(), 0)
            })
            .collect::<Option<Vec<_>>>()?;
        Some(IntPlan {
            input_scale: k,
            comps,
            min_present: decimal_to_fixed(c.min_present, kw)?,
            n_mul,
            m_mul,
            bottom: decimal_to_fixed(bottom, d)?,
            decimals: d,
            half_even: c.rounding.mode == RoundingMode::HalfEven,
            thresholds,
            static_guard,
        })
    }
}

/// Per-chunk scratch buffers.
struct Scratch {
    vals: Vec<i64>,
    state: Vec<u8>,
    sum: Vec<i64>,
    weight: Vec<i64>,
    measured: Vec<i64>,
    slow: Vec<bool>,
}

impl<'r, 'b, 'a> Plan<'r, 'b, 'a> {
    fn new(
        rubric: &'r HealthRubric,
        batch: &'b ColumnBatch<'a>,
        options: &'b BatchOptions<'b>,
    ) -> Plan<'r, 'b, 'a> {
        let compiled = rubric.compiled();
        let comps = compiled
            .components
            .iter()
            .map(|c| CompCols {
                direct: batch.column(&c.id),
                metrics: c.metrics.iter().map(|m| batch.column(&m.id)).collect(),
            })
            .collect();
        let scripted = rubric.has_scripts();
        Plan {
            rubric,
            compiled,
            batch,
            options,
            comps,
            overrides: batch.column("overrides"),
            all_rows: scripted,
            int: if scripted {
                None
            } else {
                IntPlan::new(compiled)
            },
        }
    }

    fn score_range(&self, lo: usize, hi: usize, out: &mut Vec<RowResult<'r>>) {
        let mut scratch = Scratch {
            vals: Vec::with_capacity(CHUNK),
            state: Vec::with_capacity(CHUNK),
            sum: Vec::with_capacity(CHUNK),
            weight: Vec::with_capacity(CHUNK),
            measured: Vec::with_capacity(CHUNK),
            slow: Vec::with_capacity(CHUNK),
        };
        let mut start = lo;
        while start < hi {
            let end = (start + CHUNK).min(hi);
            self.score_chunk(start, end, &mut scratch, out);
            start = end;
        }
    }

    fn score_chunk(&self, start: usize, end: usize, s: &mut Scratch, out: &mut Vec<RowResult<'r>>) {
        let n = end - start;
        s.slow.clear();
        s.slow.resize(n, self.int.is_none());
        let slow = &mut s.slow;
        // Rows with overrides (their own cell or extra ones) take the row path.
        if let Some(o) = self.overrides {
            for (j, x) in slow.iter_mut().enumerate() {
                *x |= o.present(start + j);
            }
        }
        if let Some(extra) = self.options.extra_overrides {
            for (j, x) in slow.iter_mut().enumerate() {
                if let Some(id) = self.batch.ok_id(start + j) {
                    *x |= !extra(id).is_empty();
                }
            }
        }
        if let Some(ip) = &self.int {
            for v in [&mut s.sum, &mut s.weight, &mut s.measured, &mut s.vals] {
                v.clear();
                v.resize(n, 0);
            }
            s.state.clear();
            s.state.resize(n, 0);
            let (sum, weight, measured) = (&mut s.sum, &mut s.weight, &mut s.measured);
            let (vals, state) = (&mut s.vals, &mut s.state);
            for (ic, cols) in ip.comps.iter().zip(&self.comps) {
                // Raw metric values make a row a decimal row.
                for m in cols.metrics.iter().flatten() {
                    for (j, x) in slow.iter_mut().enumerate() {
                        *x |= m.present(start + j);
                    }
                }
                match cols.direct {
                    Some(col) => col.fill_fixed(start, ip.input_scale, vals, state),
                    None => state.iter_mut().for_each(|x| *x = 0),
                }
                let missing_error = ic.policy == MissingPolicy::Error;
                let (missing_weight, missing_term) = match ic.policy {
                    MissingPolicy::Zero => (ic.weight, 0),
                    MissingPolicy::Fixed => (ic.weight, ic.fixed_term),
                    _ => (0, 0),
                };
                for j in 0..n {
                    let (Some(st), Some(v)) = (state.get(j), vals.get(j)) else {
                        continue;
                    };
                    let (Some(su), Some(we), Some(me), Some(sl)) = (
                        sum.get_mut(j),
                        weight.get_mut(j),
                        measured.get_mut(j),
                        slow.get_mut(j),
                    ) else {
                        continue;
                    };
                    match *st {
                        1 if *v >= ic.lo && *v <= ic.hi => {
                            let off = if ic.lower { ic.hi - *v } else { *v - ic.lo };
                            *su += off * ic.coef;
                            *we += ic.weight;
                            *me += ic.weight;
                        }
                        0 if !missing_error => {
                            *su += missing_term;
                            *we += missing_weight;
                        }
                        _ => *sl = true,
                    }
                }
            }
            for j in 0..n {
                let i = start + j;
                let fast = match (slow.get(j), sum.get(j), weight.get(j), measured.get(j)) {
                    (Some(false), Some(su), Some(we), Some(me)) => {
                        self.finish(ip, i, *su, *we, *me)
                    }
                    _ => None,
                };
                match fast {
                    Some(r) => out.push(r),
                    None => out.push(self.score_slow(i)),
                }
            }
        } else {
            for i in start..end {
                out.push(self.score_slow(i));
            }
        }
    }

    /// Rounds and bands one fixed-point row; `None` when the row needs the decimal tier.
    #[inline]
    fn finish(
        &self,
        ip: &IntPlan,
        i: usize,
        sum: i64,
        weight: i64,
        measured: i64,
    ) -> Option<RowResult<'r>> {
        self.batch.ok_id(i)?;
        if weight == 0 || measured < ip.min_present {
            return Some(RowResult::INSUFFICIENT);
        }
        let n = u64::try_from(sum).ok()? * ip.n_mul;
        let m = u64::try_from(weight).ok()? * ip.m_mul;
        let (q, r) = (n / m, n % m);
        let twice = 2 * r;
        if !ip.static_guard && twice != m {
            let dist = u128::from(twice.abs_diff(m));
            let g = 10u128.checked_pow(16 - ip.decimals.min(16))?;
            if dist.checked_mul(g)? <= 2 * u128::from(m) {
                return None;
            }
        }
        let q = i64::try_from(q).ok()?;
        let up = match twice.cmp(&m) {
            std::cmp::Ordering::Greater => 1,
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Equal => {
                if ip.half_even {
                    (ip.bottom + q) & 1
                } else {
                    1
                }
            }
        };
        let mantissa = ip.bottom + q + up;
        let band = ip
            .thresholds
            .iter()
            .position(|t| mantissa >= *t)
            .and_then(|b| self.compiled.bands.get(b))
            .map(|b| b.as_ref());
        Some(RowResult::scored(
            Decimal::from_i128_with_scale(i128::from(mantissa), ip.decimals),
            band,
        ))
    }

    /// A row off the fixed-point tier: the decimal tier, or the row path.
    fn score_slow(&self, i: usize) -> RowResult<'r> {
        let id = match self.batch.id(i) {
            Some(Ok(id)) => id,
            Some(Err(e)) => return input_failure(e),
            None => return RowResult::INSUFFICIENT,
        };
        let has_overrides = self.overrides.is_some_and(|o| o.present(i))
            || self
                .options
                .extra_overrides
                .is_some_and(|extra| !extra(id).is_empty());
        if !self.all_rows && !has_overrides {
            if let Some(r) = self.score_decimal(i) {
                return r;
            }
        }
        self.score_row_path(id, i)
    }

    /// The decimal tier: the row path's arithmetic, operation for operation, without the
    /// record and the ledger. `None` when the row fails (the row path then names the error).
    fn score_decimal(&self, i: usize) -> Option<RowResult<'r>> {
        let c = self.compiled;
        let num = |col: Option<&Column<'_>>| -> Option<Option<Decimal>> {
            match col.map_or(Num::Missing, |c| c.number(i)) {
                Num::Missing => Some(None),
                Num::Dec(d) => Some(Some(d)),
                Num::Bad => None,
            }
        };
        let (bottom, top) = c.scale.bounds();
        let span = top - bottom;
        let mut measured = Decimal::ZERO;
        let mut weight = Decimal::ZERO;
        let mut sum = Decimal::ZERO;
        for (comp, cols) in c.components.iter().zip(&self.comps) {
            let direct = num(cols.direct)?;
            let mut computed = None;
            if let Some(v) = direct {
                if v < comp.lo || v > comp.hi {
                    return None;
                }
                computed = Some(match comp.direction {
                    Direction::HigherIsBetter => v,
                    Direction::LowerIsBetter => comp.lo + comp.hi - v,
                });
            }
            if !comp.metrics.is_empty() {
                let mut values = Vec::with_capacity(comp.metrics.len());
                for m in &cols.metrics {
                    values.push(num(*m)?);
                }
                let given = values.iter().any(Option::is_some);
                if direct.is_some() && given {
                    return None;
                }
                if direct.is_none() && given {
                    if comp.policy == MissingPolicy::Error && values.iter().any(Option::is_none) {
                        return None;
                    }
                    let zero_missing = comp.policy == MissingPolicy::Zero;
                    let mut n = Decimal::ZERO;
                    let mut den = Decimal::ZERO;
                    for (m, v) in comp.metrics.iter().zip(&values) {
                        let s = v.map(|v| eval(&m.scoring, m.direction, v, comp.lo, comp.hi));
                        let w = if s.is_some() || zero_missing {
                            m.weight
                        } else {
                            Decimal::ZERO
                        };
                        n += s.unwrap_or(comp.lo) * w;
                        den += w;
                    }
                    computed = Some(n / den);
                }
            }
            let (score, is_measured) = match computed {
                Some(s) => (Some(s), true),
                None => match comp.policy {
                    MissingPolicy::Renormalize => (None, false),
                    MissingPolicy::Zero => (Some(comp.lo), false),
                    MissingPolicy::Fixed => (comp.default, false),
                    MissingPolicy::Error => return None,
                },
            };
            if is_measured {
                measured += comp.weight;
            }
            let t = match score {
                Some(s) => {
                    weight += comp.weight;
                    term(comp, s, span)
                }
                None => Decimal::ZERO,
            };
            sum += t;
        }
        let declared: Decimal = c.components.iter().map(|x| x.weight).sum();
        let measured_weight = measured * Decimal::ONE_HUNDRED / declared;
        if weight.is_zero() || measured_weight < c.min_present {
            return Some(RowResult::INSUFFICIENT);
        }
        let raw = bottom + sum / weight;
        let rounded = c.rounding.apply(raw);
        let band = c.band_for(rounded).map(|b| b.as_ref());
        Some(RowResult::scored(rounded, band))
    }

    /// The row path itself, on a record built from the row's cells.
    fn score_row_path(&self, id: &str, i: usize) -> RowResult<'r> {
        let record = Record {
            id: id.to_string(),
            row: self.batch.first_row + i,
            values: self
                .batch
                .columns
                .iter()
                .filter(|(name, _)| *name != "id")
                .filter_map(|(name, c)| c.value(i).map(|v| (name.to_string(), v)))
                .collect(),
        };
        let options = ScoreOptions {
            as_of: self.options.as_of,
            what_it_takes: false,
        };
        let rows = vec![Ok(record)];
        let answer = match self.options.extra_overrides {
            Some(extra) => super::score_health_rows(self.rubric, &rows, &options, extra),
            None => super::score_health_rows(self.rubric, &rows, &options, |_| Vec::new()),
        };
        match answer.first() {
            Some(row) => RowResult::from_health_row(row, self.rubric),
            None => RowResult::INSUFFICIENT,
        }
    }
}
