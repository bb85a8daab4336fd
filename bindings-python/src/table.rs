//! Arrow tables in and out: cells become the core's [`Value`]s exactly as the CSV reader
//! would read the same table, and results become Arrow columns.
//!
//! Numbers: integers and Arrow decimals are exact; a float is read as its shortest
//! round-tripping literal (`84.99` stays `84.99`, as in a JSON file), NaN is an absent value
//! (pandas' missing marker). Text goes through [`Value::from_cell`] like a CSV cell, so `"85"`
//! is a number and an empty string is absent. Any other Arrow type is cast to text first.
//! Numbers, decimals and strings are read in place from the Arrow buffers (no copy).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, DecimalType, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type,
    Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, Decimal128Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use csrubric::decimal::decimal_from_f64_literal;
use csrubric::health::{BandInfo, Column, ColumnBatch, RowResult, Validity};
use csrubric::input::Value;
use rust_decimal::Decimal;

/// A column, downcast once, that yields one cell per row.
pub enum Cells {
    /// Any integer type, read in place.
    Integer(ArrayRef),
    /// Floats (f32 is printed as f32 first, so `0.1f32` reads as `0.1`).
    Float(ArrayRef, bool),
    /// Arrow decimals: mantissa and scale.
    Decimal(Decimal128Array, i8),
    /// Text (any string type, or anything cast to text).
    Text(StringArray),
    /// Booleans.
    Bool(ArrayRef),
    /// Nested values (lists, structs: a DataFrame's list of override objects), as JSON.
    Nested(ArrayRef),
    /// All-null column.
    Null,
}

impl Cells {
    /// Prepares a column; `Err` names an Arrow type that has no reading.
    pub fn new(array: &ArrayRef) -> Result<Cells, String> {
        let a = array.as_ref();
        Ok(match a.data_type() {
            DataType::Null => Cells::Null,
            DataType::Boolean => Cells::Bool(Arc::clone(array)),
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => Cells::Integer(Arc::clone(array)),
            DataType::Float32 => Cells::Float(Arc::clone(array), true),
            DataType::Float64 => Cells::Float(Arc::clone(array), false),
            DataType::Decimal128(_, scale) => {
                Cells::Decimal(a.as_primitive::<Decimal128Type>().clone(), *scale)
            }
            DataType::List(_) | DataType::LargeList(_) | DataType::Struct(_) => {
                Cells::Nested(Arc::clone(array))
            }
            _ => Cells::Text(as_text(array)?),
        })
    }

    /// The cell in row `i` (0-based), `None` when absent.
    pub fn get(&self, i: usize) -> Option<Value> {
        match self {
            Cells::Null => None,
            Cells::Nested(a) => {
                if i >= a.len() || a.is_null(i) {
                    return None;
                }
                Some(Value::Json(to_json(a.as_ref(), i)))
            }
            Cells::Integer(a) => {
                if i >= a.len() || a.is_null(i) {
                    return None;
                }
                let a = a.as_ref();
                let d = match a.data_type() {
                    DataType::Int8 => Decimal::from(a.as_primitive::<Int8Type>().value(i)),
                    DataType::Int16 => Decimal::from(a.as_primitive::<Int16Type>().value(i)),
                    DataType::Int32 => Decimal::from(a.as_primitive::<Int32Type>().value(i)),
                    DataType::Int64 => Decimal::from(a.as_primitive::<Int64Type>().value(i)),
                    DataType::UInt8 => Decimal::from(a.as_primitive::<UInt8Type>().value(i)),
                    DataType::UInt16 => Decimal::from(a.as_primitive::<UInt16Type>().value(i)),
                    DataType::UInt32 => Decimal::from(a.as_primitive::<UInt32Type>().value(i)),
                    DataType::UInt64 => Decimal::from(a.as_primitive::<UInt64Type>().value(i)),
                    _ => return None,
                };
                Some(Value::Number(d))
            }
            Cells::Bool(a) => {
                let b = a.as_boolean();
                (i < b.len() && b.is_valid(i)).then(|| Value::Bool(b.value(i)))
            }
            Cells::Float(a, single) => {
                let x = if *single {
                    let p = a.as_primitive::<Float32Type>();
                    if i >= p.len() || p.is_null(i) {
                        return None;
                    }
                    let v = p.value(i);
                    if v.is_nan() {
                        return None;
                    }
                    // The f32's own shortest literal, not its widened binary value.
                    return Value::from_cell(&format!("{v}"));
                } else {
                    let p = a.as_primitive::<Float64Type>();
                    if i >= p.len() || p.is_null(i) {
                        return None;
                    }
                    p.value(i)
                };
                if x.is_nan() {
                    return None;
                }
                Some(match decimal_from_f64_literal(x) {
                    Ok(d) => Value::Number(d),
                    Err(_) => Value::Text(format!("{x}")),
                })
            }
            Cells::Decimal(a, scale) => {
                if i >= a.len() || a.is_null(i) {
                    return None;
                }
                let m = a.value(i);
                if let Ok(scale) = u32::try_from(*scale) {
                    if let Ok(d) = Decimal::try_from_i128_with_scale(m, scale) {
                        return Some(Value::Number(d));
                    }
                }
                let text = arrow_array::types::Decimal128Type::format_decimal(m, 38, *scale);
                Value::from_cell(&text)
            }
            Cells::Text(a) => {
                if i >= a.len() || a.is_null(i) {
                    return None;
                }
                Value::from_cell(a.value(i))
            }
        }
    }
}

/// One cell of a nested column as JSON: lists become arrays, structs objects (null fields
/// stay null, which the core reads as absent), numbers and strings keep their values and
/// anything else is its Arrow text.
fn to_json(a: &dyn Array, i: usize) -> serde_json::Value {
    use serde_json::Value as J;
    if i >= a.len() || a.is_null(i) {
        return J::Null;
    }
    match a.data_type() {
        DataType::Boolean => J::Bool(a.as_boolean().value(i)),
        DataType::Utf8 => J::String(a.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => J::String(a.as_string::<i64>().value(i).to_string()),
        DataType::Int64 => J::from(a.as_primitive::<Int64Type>().value(i)),
        DataType::Int32 => J::from(a.as_primitive::<Int32Type>().value(i)),
        DataType::UInt64 => J::from(a.as_primitive::<UInt64Type>().value(i)),
        DataType::Float64 => serde_json::Number::from_f64(a.as_primitive::<Float64Type>().value(i))
            .map_or(J::Null, J::Number),
        DataType::List(_) => {
            let v = a.as_list::<i32>().value(i);
            J::Array((0..v.len()).map(|k| to_json(v.as_ref(), k)).collect())
        }
        DataType::LargeList(_) => {
            let v = a.as_list::<i64>().value(i);
            J::Array((0..v.len()).map(|k| to_json(v.as_ref(), k)).collect())
        }
        DataType::Struct(fields) => {
            let st = a.as_struct();
            J::Object(
                fields
                    .iter()
                    .zip(st.columns())
                    .map(|(f, c)| (f.name().clone(), to_json(c.as_ref(), i)))
                    .collect(),
            )
        }
        _ => {
            let one = a.slice(i, 1);
            match arrow_cast::cast(&one, &DataType::Utf8) {
                Ok(t) => J::String(t.as_string::<i32>().value(0).to_string()),
                Err(_) => J::Null,
            }
        }
    }
}

/// Any column as text (ids, dictionary/categorical columns, dates...).
pub fn as_text(array: &ArrayRef) -> Result<StringArray, String> {
    let cast = arrow_cast::cast(array, &DataType::Utf8)
        .map_err(|e| format!("type `{}` cannot be read ({e})", array.data_type()))?;
    Ok(cast.as_string::<i32>().clone())
}

/// An Arrow column as the core's columnar engine reads it: floats, 64-bit integers and
/// decimals in place (values and validity bitmap borrowed from the Arrow buffers), narrower
/// integers widened once, anything else converted cell by cell exactly as [`Cells::get`].
pub enum Input {
    /// Float64, Int64 or Decimal128 (precision <= 28), read in place.
    InPlace(ArrayRef),
    /// Narrower integers, widened (the array keeps their validity).
    Ints(Vec<i64>, ArrayRef),
    /// Everything else, cell by cell.
    Values(Vec<Option<Value>>),
}

impl Input {
    /// Prepares a column of `n` rows; `Err` names an Arrow type that has no reading.
    pub fn new(array: &ArrayRef) -> Result<Input, String> {
        let a = array.as_ref();
        let widen = |v: Vec<i64>| Input::Ints(v, Arc::clone(array));
        Ok(match a.data_type() {
            DataType::Float64 | DataType::Int64 => Input::InPlace(Arc::clone(array)),
            DataType::Decimal128(p, s) if *p <= 28 && (0..=28).contains(s) => {
                Input::InPlace(Arc::clone(array))
            }
            DataType::Int8 => widen(
                a.as_primitive::<Int8Type>()
                    .values()
                    .iter()
                    .map(|x| i64::from(*x))
                    .collect(),
            ),
            DataType::Int16 => widen(
                a.as_primitive::<Int16Type>()
                    .values()
                    .iter()
                    .map(|x| i64::from(*x))
                    .collect(),
            ),
            DataType::Int32 => widen(
                a.as_primitive::<Int32Type>()
                    .values()
                    .iter()
                    .map(|x| i64::from(*x))
                    .collect(),
            ),
            DataType::UInt8 => widen(
                a.as_primitive::<UInt8Type>()
                    .values()
                    .iter()
                    .map(|x| i64::from(*x))
                    .collect(),
            ),
            DataType::UInt16 => widen(
                a.as_primitive::<UInt16Type>()
                    .values()
                    .iter()
                    .map(|x| i64::from(*x))
                    .collect(),
            ),
            DataType::UInt32 => widen(
                a.as_primitive::<UInt32Type>()
                    .values()
                    .iter()
                    .map(|x| i64::from(*x))
                    .collect(),
            ),
            _ => {
                let cells = Cells::new(array)?;
                Input::Values((0..a.len()).map(|i| cells.get(i)).collect())
            }
        })
    }

    /// The engine's view of this column.
    pub fn column(&self) -> Column<'_> {
        fn validity(a: &dyn Array) -> Option<Validity<'_>> {
            a.nulls().map(|n| Validity::new(n.validity(), n.offset()))
        }
        match self {
            Input::InPlace(a) => match a.data_type() {
                DataType::Float64 => Column::Float {
                    values: a.as_primitive::<Float64Type>().values(),
                    validity: validity(a.as_ref()),
                },
                DataType::Int64 => Column::Int {
                    values: a.as_primitive::<Int64Type>().values(),
                    scale: 0,
                    validity: validity(a.as_ref()),
                },
                DataType::Decimal128(_, s) => Column::Int128 {
                    values: a.as_primitive::<Decimal128Type>().values(),
                    scale: u32::try_from(*s).unwrap_or(0),
                    validity: validity(a.as_ref()),
                },
                _ => Column::Cells(&[]),
            },
            Input::Ints(v, a) => Column::Int {
                values: v,
                scale: 0,
                validity: validity(a.as_ref()),
            },
            Input::Values(v) => Column::Cells(v),
        }
    }
}

/// The result table straight from the columnar engine's answers, one row per input row.
pub fn result_batch_columnar(
    ids: &ColumnBatch<'_>,
    rows: &[RowResult<'_>],
    decimals: u32,
) -> Result<RecordBatch, String> {
    let scale = i8::try_from(decimals).map_err(|e| e.to_string())?;
    let score = rows
        .iter()
        .map(|r| {
            r.score.map(|s| {
                let mut s = s;
                s.rescale(decimals);
                s.mantissa()
            })
        })
        .collect::<Decimal128Array>()
        .with_precision_and_scale(38, scale)
        .map_err(|e| e.to_string())?;
    let band = |f: fn(&BandInfo) -> &str| -> ArrayRef {
        Arc::new(rows.iter().map(|r| r.band.map(f)).collect::<StringArray>())
    };
    let error = |f: fn(&csrubric::answer::ErrorInfo) -> &str| -> ArrayRef {
        Arc::new(
            rows.iter()
                .map(|r| r.error.as_deref().map(f))
                .collect::<StringArray>(),
        )
    };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(
            (0..rows.len())
                .map(|i| ids.id(i).and_then(Result::ok))
                .collect::<StringArray>(),
        ),
        Arc::new(
            rows.iter()
                .map(|r| Some(r.status.as_str()))
                .collect::<StringArray>(),
        ),
        Arc::new(score),
        band(|b| b.label.as_str()),
        band(|b| b.action.as_str()),
        band(|b| b.owner.as_str()),
        band(|b| b.urgency.as_str()),
        error(|e| e.code.as_str()),
        error(|e| e.message.as_str()),
    ];
    RecordBatch::try_new(Arc::new(schema(scale)), columns).map_err(|e| e.to_string())
}

fn schema(scale: i8) -> Schema {
    let t = |n: &str| Field::new(n, DataType::Utf8, true);
    Schema::new(vec![
        t("id"),
        Field::new("status", DataType::Utf8, false),
        Field::new("score", DataType::Decimal128(38, scale), true),
        t("band"),
        t("action"),
        t("owner"),
        t("urgency"),
        t("error_code"),
        t("error"),
    ])
}
