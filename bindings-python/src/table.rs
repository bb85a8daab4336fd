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
use csrubric::api::HealthRow;
use csrubric::decimal::decimal_from_f64_literal;
use csrubric::health::{BandInfo, Status};
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

/// One row of output, compact (bands are shared, not copied per row).
pub struct OutRow {
    /// Account id, when known.
    pub id: Option<String>,
    /// `scored`, `insufficient_data` or `error`.
    pub status: &'static str,
    /// Mantissa of the score at the rubric's decimals.
    pub score: Option<i128>,
    /// The band.
    pub band: Option<Arc<BandInfo>>,
    /// Error code and message.
    pub error: Option<(String, String)>,
}

impl OutRow {
    /// Compacts one core answer row.
    pub fn from_row(row: HealthRow, decimals: u32) -> OutRow {
        match row {
            HealthRow::Scored(r) => OutRow {
                status: match r.status {
                    Status::Scored => "scored",
                    Status::InsufficientData => "insufficient_data",
                },
                score: r.score.map(|s| {
                    let mut s = s;
                    s.rescale(decimals);
                    s.mantissa()
                }),
                band: r.band.clone(),
                id: Some(r.id),
                error: None,
            },
            HealthRow::Failed(f) => OutRow {
                id: f.id,
                status: "error",
                score: None,
                band: None,
                error: Some((f.error.code, f.error.message)),
            },
        }
    }
}

/// The result table: `id, status, score, band, action, owner, urgency, error_code, error`.
pub fn result_batch(rows: &[OutRow], decimals: u32) -> Result<RecordBatch, String> {
    let text = |f: &dyn Fn(&OutRow) -> Option<&str>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let scale = i8::try_from(decimals).map_err(|e| e.to_string())?;
    let score = rows
        .iter()
        .map(|r| r.score)
        .collect::<Decimal128Array>()
        .with_precision_and_scale(38, scale)
        .map_err(|e| e.to_string())?;
    let band = |f: fn(&BandInfo) -> &str| text(&move |r: &OutRow| r.band.as_deref().map(f));
    let columns: Vec<ArrayRef> = vec![
        text(&|r| r.id.as_deref()),
        text(&|r| Some(r.status)),
        Arc::new(score),
        band(|b| b.label.as_str()),
        band(|b| b.action.as_str()),
        band(|b| b.owner.as_str()),
        band(|b| b.urgency.as_str()),
        text(&|r| r.error.as_ref().map(|e| e.0.as_str())),
        text(&|r| r.error.as_ref().map(|e| e.1.as_str())),
    ];
    let t = |n: &str| Field::new(n, DataType::Utf8, true);
    let schema = Schema::new(vec![
        t("id"),
        Field::new("status", DataType::Utf8, false),
        Field::new("score", DataType::Decimal128(38, scale), true),
        t("band"),
        t("action"),
        t("owner"),
        t("urgency"),
        t("error_code"),
        t("error"),
    ]);
    RecordBatch::try_new(Arc::new(schema), columns).map_err(|e| e.to_string())
}
