//! Portfolio KPIs: retention, churn, expansion, satisfaction, health and value, as exact
//! decimal formulas, with targets from the seeds as rubric data.
//!
//! Input is one record per account (or per survey response) with any of these columns:
//!
//! | column | meaning |
//! |---|---|
//! | `mrr_start` | recurring revenue at period start (absent or 0: a new customer this period) |
//! | `mrr_end` | recurring revenue at period end (absent for a churned customer means 0) |
//! | `churned` | yes/no; default: `mrr_start > 0` and `mrr_end = 0` |
//! | `nps` | 0-10 "how likely to recommend" |
//! | `csat` | 1-5 satisfaction |
//! | `ces` | 1-7 effort (7 = easiest, as in the CES 2.0 agreement scale) |
//! | `health` | 0-100 health score |
//! | `value_realized` | yes/no: success criteria achieved |
//! | `time_to_first_value_days` | days from purchase to first value |
//!
//! Formulas (all sums exact; one division, carried to 28 significant digits, then rounded
//! once as the rubric declares). *Existing* customers are those with `mrr_start > 0`; over
//! them, with `churn` = Σ `mrr_start` of churned customers, `contraction` = Σ
//! max(`mrr_start - mrr_end`, 0) and `expansion` = Σ max(`mrr_end - mrr_start`, 0) of the
//! retained ones, and `start` = Σ `mrr_start`:
//!
//! * `nrr` = (start + expansion − contraction − churn) / start × 100 (seed 001 "Net
//!   Retention Rate: % of recurring revenue retained + expansion"; 002; 004);
//! * `grr` = (start − contraction − churn) / start × 100, never above 100 (seed 001 "Gross
//!   Retention Rate: % of recurring revenue retained");
//! * `logo_churn` = churned customers / existing customers × 100; `logo_retention` = 100 −
//!   `logo_churn` (seed 001 "Logo Retention Rate", 002 "Customer Churn Rate", 004 "Logo
//!   Churn");
//! * `revenue_churn` = churn / start × 100; `contraction` = contraction / start × 100 (004
//!   "Contraction Rate");
//! * `expansion_share` = expansion / (expansion + new) × 100, where `new` = Σ `mrr_end` of
//!   new customers (004 "Expansion Revenue: 45% of net new");
//! * `nps` = (promoters 9-10 − detractors 0-6) / responses × 100, within −100..100;
//! * `csat_share` = responses of 4 or 5 / responses × 100; `csat_mean` = mean response;
//! * `ces_mean` = mean 1-7 response; `ces_share` = responses ≥ 5 / responses × 100 (vendors
//!   disagree on CES, so both are given and named);
//! * `avg_health` = mean health; `at_risk_share` = accounts with health < `at_risk_below`
//!   (default 60) / accounts with a health score × 100 (seed 001);
//! * `value_realization` = `value_realized` yes / answered × 100 (seed 001);
//! * `time_to_first_value` = mean `time_to_first_value_days` (seed 001, 004).
//!
//! A KPI with nothing to divide by (no existing customers, no responses) is **undefined**,
//! with the reason; never NaN, never zero by accident. Rows that cannot be read are listed
//! in the report's `rejected` and counted in no KPI.
//!
//! # Example
//! ```
//! use csrubric::kpi::{compute, KpiId, KpiInput, KpiOptions};
//! use rust_decimal::Decimal;
//!
//! let d = |n: i64| Some(Decimal::from(n));
//! let accounts = vec![
//!     KpiInput { mrr_start: d(1000), mrr_end: d(1300), ..KpiInput::new("a") },
//!     KpiInput { mrr_start: d(1000), mrr_end: d(800), ..KpiInput::new("b") },
//!     KpiInput { mrr_start: d(1000), mrr_end: d(0), churned: true, ..KpiInput::new("c") },
//! ];
//! let kpis = compute(&accounts, &KpiOptions::default());
//! let get = |id| kpis.iter().find(|k| k.kpi == id).unwrap();
//! // (3000 + 300 - 200 - 1000) / 3000 = 70%
//! assert_eq!(get(KpiId::Nrr).value.unwrap().to_string(), "70.00");
//! // (3000 - 200 - 1000) / 3000 = 60%
//! assert_eq!(get(KpiId::Grr).value.unwrap().to_string(), "60.00");
//! assert!(get(KpiId::Nps).value.is_none()); // no responses: undefined
//! ```

mod model;

use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;

pub use model::{Comparison, KpiId, KpiRubricFile, TargetSpec, KIND};

use crate::decimal::Rounding;
use crate::input::{InputError, Record, Rows, Value};
use crate::renewal::parse_flag;
use crate::rubric::{self, Format, RubricError, Stamp};

/// Errors reading one KPI input row. The row is left out of every KPI and reported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KpiError {
    /// The input row could not be read at all.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A cell does not hold what the column needs.
    #[error("row {row} (account `{id}`): `{column}`: {message}")]
    BadValue {
        /// The account id.
        id: String,
        /// 1-based row.
        row: usize,
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// The row contradicts itself (churned but with revenue at period end).
    #[error("row {row} (account `{id}`): {message}")]
    Inconsistent {
        /// The account id.
        id: String,
        /// 1-based row.
        row: usize,
        /// What is wrong.
        message: String,
    },
}

impl KpiError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            KpiError::Input(e) => e.code(),
            KpiError::BadValue { .. } => "kpi_bad_value",
            KpiError::Inconsistent { .. } => "kpi_inconsistent",
        }
    }

    /// The 1-based input row.
    pub fn row(&self) -> Option<usize> {
        match self {
            KpiError::Input(e) => e.row(),
            KpiError::BadValue { row, .. } | KpiError::Inconsistent { row, .. } => Some(*row),
        }
    }
}

/// One account's (or one survey response's) inputs for the period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KpiInput {
    /// The account id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// MRR at period start; `None` or 0 for a customer new this period.
    pub mrr_start: Option<Decimal>,
    /// MRR at period end.
    pub mrr_end: Option<Decimal>,
    /// Lost during the period.
    pub churned: bool,
    /// NPS response, 0-10.
    pub nps: Option<u8>,
    /// CSAT response, 1-5.
    pub csat: Option<u8>,
    /// CES response, 1-7.
    pub ces: Option<u8>,
    /// Health score, 0-100.
    pub health: Option<Decimal>,
    /// Success criteria achieved.
    pub value_realized: Option<bool>,
    /// Days from purchase to first value.
    pub time_to_first_value_days: Option<Decimal>,
}

impl KpiInput {
    /// An input with nothing but an id.
    pub fn new(id: impl Into<String>) -> KpiInput {
        KpiInput {
            id: id.into(),
            ..KpiInput::default()
        }
    }

    /// Reads the columns listed in the module documentation from a record.
    ///
    /// # Errors
    /// [`KpiError::BadValue`] for a cell out of its range or of the wrong type,
    /// [`KpiError::Inconsistent`] for `churned` with `mrr_end > 0`.
    ///
    /// # Example
    /// ```
    /// use csrubric::kpi::KpiInput;
    /// use csrubric::input::read_csv;
    /// let rows = read_csv("k.csv", "id,mrr_start,mrr_end,nps\na,100,0,11\n")?;
    /// let err = KpiInput::from_record(rows[0].as_ref().unwrap()).unwrap_err();
    /// assert_eq!(err.to_string(), "row 1 (account `a`): `nps`: `11` is outside 0-10");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_record(r: &Record) -> Result<KpiInput, KpiError> {
        let bad = |column: &str, message: String| KpiError::BadValue {
            id: r.id.clone(),
            row: r.row,
            column: column.into(),
            message,
        };
        let number = |column: &str| -> Result<Option<Decimal>, KpiError> {
            r.number(column).transpose().map_err(|m| bad(column, m))
        };
        let money = |column: &str| -> Result<Option<Decimal>, KpiError> {
            let v = number(column)?;
            if let Some(n) = v.filter(|n| n.is_sign_negative() && !n.is_zero()) {
                return Err(bad(column, format!("`{n}` is negative")));
            }
            Ok(v)
        };
        let scale = |column: &str, lo: u8, hi: u8| -> Result<Option<u8>, KpiError> {
            match number(column)? {
                None => Ok(None),
                Some(n) => {
                    if !n.fract().is_zero() || n < Decimal::from(lo) || n > Decimal::from(hi) {
                        return Err(bad(
                            column,
                            if n.fract().is_zero() {
                                format!("`{n}` is outside {lo}-{hi}")
                            } else {
                                format!("`{n}` is not a whole number {lo}-{hi}")
                            },
                        ));
                    }
                    Ok(u8::try_from(n.mantissa() / 10i128.pow(n.scale())).ok())
                }
            }
        };
        let flag = |column: &str| -> Result<Option<bool>, KpiError> {
            r.values
                .get(column)
                .map(|v: &Value| parse_flag(v).map_err(|m| bad(column, m)))
                .transpose()
        };
        let mrr_start = money("mrr_start")?;
        let mrr_end = money("mrr_end")?;
        let churned = match flag("churned")? {
            Some(c) => c,
            None => {
                mrr_start.is_some_and(|s| s > Decimal::ZERO) && mrr_end.is_some_and(|e| e.is_zero())
            }
        };
        if churned && mrr_end.is_some_and(|e| e > Decimal::ZERO) {
            return Err(KpiError::Inconsistent {
                id: r.id.clone(),
                row: r.row,
                message: "`churned` is yes but `mrr_end` is above 0".into(),
            });
        }
        if !churned && mrr_start.is_some_and(|s| s > Decimal::ZERO) && mrr_end.is_none() {
            return Err(bad(
                "mrr_end",
                "missing for a customer with `mrr_start` that did not churn".into(),
            ));
        }
        let health = number("health")?;
        if let Some(h) = health.filter(|h| *h < Decimal::ZERO || *h > Decimal::ONE_HUNDRED) {
            return Err(bad("health", format!("`{h}` is outside 0-100")));
        }
        let time_to_first_value_days = money("time_to_first_value_days")?;
        Ok(KpiInput {
            id: r.id.clone(),
            row: r.row,
            mrr_start,
            mrr_end,
            churned,
            nps: scale("nps", 0, 10)?,
            csat: scale("csat", 1, 5)?,
            ces: scale("ces", 1, 7)?,
            health,
            value_realized: flag("value_realized")?,
            time_to_first_value_days,
        })
    }
}

/// Options of [`compute`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KpiOptions {
    /// Precision of reported values.
    pub rounding: Rounding,
    /// Health below this is at risk.
    pub at_risk_below: Decimal,
}

impl Default for KpiOptions {
    fn default() -> Self {
        KpiOptions {
            rounding: Rounding::default(),
            at_risk_below: Decimal::from(60),
        }
    }
}

/// Whether a KPI met its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// The (rounded) value meets the target.
    Met,
    /// It does not.
    Missed,
    /// The KPI is undefined, so the target cannot be judged.
    Undefined,
}

/// A target and how the KPI fared against it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetResult {
    /// `>`, `>=`, `<` or `<=`.
    pub op: &'static str,
    /// The target value.
    pub value: Decimal,
    /// Met, missed or undefined.
    pub status: TargetStatus,
    /// Where the target comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One computed KPI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KpiValue {
    /// Which KPI.
    pub kpi: KpiId,
    /// `%`, `points`, `score` or `days`.
    pub unit: &'static str,
    /// The value, rounded once; `None` when undefined.
    pub value: Option<Decimal>,
    /// Why the value is undefined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// The exact numerator of the formula (before × 100).
    pub numerator: Decimal,
    /// The exact denominator (a sum of MRR, or a count).
    pub denominator: Decimal,
    /// How many input rows the KPI counted.
    pub n: usize,
    /// The target, when the rubric sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetResult>,
}

/// Computes every KPI over `inputs`.
///
/// Never fails: a KPI that cannot be computed is returned with `value: None` and the reason
/// in `undefined`.
pub fn compute(inputs: &[KpiInput], options: &KpiOptions) -> Vec<KpiValue> {
    let zero = Decimal::ZERO;
    // Sums of money are `None` once they leave the decimal range (Decimal's `+` panics): the
    // KPIs built on them are then undefined, with that reason, instead of a crash.
    let add = |acc: &mut Option<Decimal>, v: Decimal| *acc = acc.and_then(|a| a.checked_add(v));
    let mut start = Some(zero);
    let mut churn = Some(zero);
    let mut contraction = Some(zero);
    let mut expansion = Some(zero);
    let mut new = Some(zero);
    let (mut existing, mut churned, mut new_count) = (0usize, 0usize, 0usize);
    for a in inputs {
        let s = a.mrr_start.unwrap_or(zero);
        let e = a.mrr_end.unwrap_or(zero);
        // Both are non-negative (see `from_record`), so `s - e` and `e - s` below cannot
        // overflow.
        if s > zero {
            existing += 1;
            add(&mut start, s);
            if a.churned {
                churned += 1;
                add(&mut churn, s);
            } else if e < s {
                add(&mut contraction, s - e);
            } else {
                add(&mut expansion, e - s);
            }
        } else if a.mrr_end.is_some() {
            new_count += 1;
            add(&mut new, e);
        }
    }
    let count = |f: &dyn Fn(&KpiInput) -> Option<bool>| -> (usize, usize) {
        inputs
            .iter()
            .filter_map(f)
            .fold((0, 0), |(y, n), v| (y + usize::from(v), n + 1))
    };
    let sum = |f: &dyn Fn(&KpiInput) -> Option<Decimal>| -> (Option<Decimal>, usize) {
        inputs
            .iter()
            .filter_map(f)
            .fold((Some(zero), 0), |(s, n), v| {
                (s.and_then(|s| s.checked_add(v)), n + 1)
            })
    };
    let hundred = Decimal::ONE_HUNDRED;
    let no_existing = "no existing customers (Σ mrr_start is 0)";
    let mut out = Vec::new();
    let mut push = |kpi: KpiId,
                    num: Option<Decimal>,
                    den: Option<Decimal>,
                    scale: Decimal,
                    n: usize,
                    why: &str| {
        let overflow = "the value overflows the decimal range";
        let (value, undefined) = match (num, den) {
            (Some(_), Some(den)) if den.is_zero() => (None, Some(why)),
            (Some(num), Some(den)) => match num.checked_mul(scale).and_then(|x| x.checked_div(den))
            {
                Some(v) => (Some(options.rounding.apply(v)), None),
                None => (None, Some(overflow)),
            },
            _ => (None, Some(overflow)),
        };
        out.push(KpiValue {
            kpi,
            unit: kpi.unit(),
            undefined: undefined.map(str::to_string),
            value,
            numerator: num.unwrap_or(zero),
            denominator: den.unwrap_or(zero),
            n,
            target: None,
        });
    };
    let d = |v: usize| Some(Decimal::from(v));
    let minus =
        |a: Option<Decimal>, b: Option<Decimal>| a.zip(b).and_then(|(a, b)| a.checked_sub(b));
    let plus =
        |a: Option<Decimal>, b: Option<Decimal>| a.zip(b).and_then(|(a, b)| a.checked_add(b));
    push(
        KpiId::Nrr,
        minus(minus(plus(start, expansion), contraction), churn),
        start,
        hundred,
        existing,
        no_existing,
    );
    push(
        KpiId::Grr,
        minus(minus(start, contraction), churn),
        start,
        hundred,
        existing,
        no_existing,
    );
    let existing_d = d(existing);
    push(
        KpiId::LogoChurn,
        d(churned),
        existing_d,
        hundred,
        existing,
        no_existing,
    );
    push(
        KpiId::LogoRetention,
        d(existing - churned.min(existing)),
        existing_d,
        hundred,
        existing,
        no_existing,
    );
    push(
        KpiId::RevenueChurn,
        churn,
        start,
        hundred,
        existing,
        no_existing,
    );
    push(
        KpiId::Contraction,
        contraction,
        start,
        hundred,
        existing,
        no_existing,
    );
    push(
        KpiId::ExpansionShare,
        expansion,
        plus(expansion, new),
        hundred,
        existing + new_count,
        "no net new revenue (no expansion and no new customers)",
    );
    let (promoters, responses) = count(&|a| a.nps.map(|s| s >= 9));
    let (detractors, _) = count(&|a| a.nps.map(|s| s <= 6));
    push(
        KpiId::Nps,
        Some(Decimal::from(promoters) - Decimal::from(detractors)),
        d(responses),
        hundred,
        responses,
        "no `nps` responses",
    );
    let (satisfied, n) = count(&|a| a.csat.map(|s| s >= 4));
    push(
        KpiId::CsatShare,
        d(satisfied),
        d(n),
        hundred,
        n,
        "no `csat` responses",
    );
    let (total, n) = sum(&|a| a.csat.map(Decimal::from));
    push(
        KpiId::CsatMean,
        total,
        d(n),
        Decimal::ONE,
        n,
        "no `csat` responses",
    );
    let (total, n) = sum(&|a| a.ces.map(Decimal::from));
    push(
        KpiId::CesMean,
        total,
        d(n),
        Decimal::ONE,
        n,
        "no `ces` responses",
    );
    let (easy, n) = count(&|a| a.ces.map(|s| s >= 5));
    push(
        KpiId::CesShare,
        d(easy),
        d(n),
        hundred,
        n,
        "no `ces` responses",
    );
    let (total, n) = sum(&|a| a.health);
    push(
        KpiId::AvgHealth,
        total,
        d(n),
        Decimal::ONE,
        n,
        "no `health` scores",
    );
    let below = options.at_risk_below;
    let (at_risk, n) = count(&|a| a.health.map(|h| h < below));
    push(
        KpiId::AtRiskShare,
        d(at_risk),
        d(n),
        hundred,
        n,
        "no `health` scores",
    );
    let (realized, n) = count(&|a| a.value_realized);
    push(
        KpiId::ValueRealization,
        d(realized),
        d(n),
        hundred,
        n,
        "no `value_realized` answers",
    );
    let (total, n) = sum(&|a| a.time_to_first_value_days);
    push(
        KpiId::TimeToFirstValue,
        total,
        d(n),
        Decimal::ONE,
        n,
        "no `time_to_first_value_days`",
    );
    out
}

/// A KPI report: every KPI with its target, and the rows left out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiReport {
    /// Every KPI, in [`KpiId::ALL`] order.
    pub kpis: Vec<KpiValue>,
    /// Rows read successfully and counted.
    pub rows: usize,
    /// Rows left out, with the reason (never silently dropped).
    pub rejected: Vec<RejectedRow>,
    /// The targets rubric.
    pub rubric: Stamp,
}

/// A row left out of a KPI report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    /// 1-based row, when known.
    pub row: Option<usize>,
    /// Stable error code.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

/// A loaded, validated KPI targets rubric.
#[derive(Clone, Debug)]
pub struct KpiRubric {
    spec: KpiRubricFile,
    stamp: Stamp,
}

impl KpiRubric {
    /// Loads a targets file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path and (TOML) the line and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::kpi::KpiRubric;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/kpi/slavkokernel.toml");
    /// let rubric = KpiRubric::from_path(path.as_ref())?;
    /// assert_eq!(rubric.stamp().id, "kpi/slavkokernel");
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<KpiRubric, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads a targets rubric from text in the given format; `file` names it in errors.
    ///
    /// # Errors
    /// See [`KpiRubric::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::kpi::KpiRubric;
    /// use csrubric::rubric::Format;
    /// let text = "kind = 'kpi'\nid = 'k'\nversion = '1'\ntitle = 't'\nsource = 's'\n\
    ///     [[targets]]\nkpi = 'grr'\nop = '>'\nvalue = 120\n";
    /// let err = KpiRubric::from_str_with_format("k.toml", text, Format::Toml).unwrap_err();
    /// assert_eq!(err.to_string(),
    ///     "k.toml:9:1: invalid rubric: targets[0].value: target 120 is outside the range of `grr`");
    /// ```
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<KpiRubric, RubricError> {
        let spec: KpiRubricFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&spec.id, &spec.version, text.as_bytes());
        Ok(KpiRubric { spec, stamp })
    }

    /// The rubric's id, version and hash.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The rubric as written.
    pub fn spec(&self) -> &KpiRubricFile {
        &self.spec
    }

    /// The options the rubric declares.
    pub fn options(&self) -> KpiOptions {
        KpiOptions {
            rounding: self.spec.rounding,
            at_risk_below: self.spec.at_risk_below.0,
        }
    }

    /// Computes every KPI over already-read inputs and judges the targets.
    pub fn evaluate(&self, inputs: &[KpiInput]) -> Vec<KpiValue> {
        let mut kpis = compute(inputs, &self.options());
        for k in &mut kpis {
            if let Some(t) = self.spec.targets.iter().find(|t| t.kpi == k.kpi) {
                k.target = Some(TargetResult {
                    op: t.op.as_str(),
                    value: t.value.0,
                    status: match k.value {
                        None => TargetStatus::Undefined,
                        Some(v) if t.op.holds(v, t.value.0) => TargetStatus::Met,
                        Some(_) => TargetStatus::Missed,
                    },
                    source: t.source.clone(),
                });
            }
        }
        kpis
    }

    /// Reads every row, computes the KPIs over the rows that could be read and lists the
    /// others in `rejected`.
    ///
    /// # Example
    /// ```
    /// use csrubric::kpi::{KpiId, KpiRubric, TargetStatus};
    /// use csrubric::input::read_csv;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/kpi/slavkokernel.toml");
    /// let rubric = KpiRubric::from_path(path.as_ref())?;
    /// let rows = read_csv("k.csv", "id,mrr_start,mrr_end\na,100,112\nb,100,oops\n")?;
    /// let report = rubric.report(&rows);
    /// assert_eq!((report.rows, report.rejected.len()), (1, 1));
    /// let nrr = report.kpis.iter().find(|k| k.kpi == KpiId::Nrr).unwrap();
    /// assert_eq!(nrr.value.unwrap().to_string(), "112.00");
    /// assert_eq!(nrr.target.as_ref().unwrap().status, TargetStatus::Met); // > 110
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self, rows: &Rows) -> KpiReport {
        let mut inputs = Vec::new();
        let mut rejected = Vec::new();
        for row in rows {
            let read = match row {
                Err(e) => Err(KpiError::Input(e.clone())),
                Ok(r) => KpiInput::from_record(r),
            };
            match read {
                Ok(i) => inputs.push(i),
                Err(e) => rejected.push(RejectedRow {
                    row: e.row(),
                    code: e.code(),
                    message: e.to_string(),
                }),
            }
        }
        KpiReport {
            kpis: self.evaluate(&inputs),
            rows: inputs.len(),
            rejected,
            rubric: self.stamp.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(kpis: &[KpiValue], id: KpiId) -> Option<String> {
        kpis.iter()
            .find(|k| k.kpi == id)
            .unwrap()
            .value
            .map(|v| v.to_string())
    }

    #[test]
    fn empty_portfolio_is_undefined_everywhere() {
        let kpis = compute(&[], &KpiOptions::default());
        assert_eq!(kpis.len(), KpiId::ALL.len());
        for k in &kpis {
            assert!(k.value.is_none(), "{}", k.kpi);
            assert!(k.undefined.is_some(), "{}", k.kpi);
        }
    }

    // Found by the arithmetic audit: two accounts with an MRR near the decimal maximum made
    // the MRR sums panic ("Addition overflowed") although `compute` never fails.
    #[test]
    fn money_sums_that_overflow_make_their_kpis_undefined() {
        let huge = Decimal::MAX - Decimal::ONE;
        let acct = |id: &str| KpiInput {
            mrr_start: Some(huge),
            mrr_end: Some(huge),
            ..KpiInput::new(id)
        };
        let kpis = compute(&[acct("a"), acct("b")], &KpiOptions::default());
        for id in [
            KpiId::Nrr,
            KpiId::Grr,
            KpiId::RevenueChurn,
            KpiId::Contraction,
        ] {
            let k = kpis.iter().find(|k| k.kpi == id).unwrap();
            assert_eq!(k.value, None, "{id}");
            assert_eq!(
                k.undefined.as_deref(),
                Some("the value overflows the decimal range"),
                "{id}"
            );
        }
        // Counts are unaffected: 0 of 2 existing customers churned.
        assert_eq!(get(&kpis, KpiId::LogoChurn).as_deref(), Some("0.00"));
    }

    #[test]
    fn survey_formulas_by_hand() {
        // NPS: 10, 9, 8, 6, 0 -> 2 promoters, 2 detractors of 5 = 0.
        // CSAT: 5, 4, 3, 2, 1 -> 2/5 = 40%, mean 3.
        // CES: 7, 5, 4, 1 -> mean 17/4 = 4.25, share >= 5: 2/4 = 50%.
        let rows: Vec<KpiInput> = [
            (10, 5, Some(7)),
            (9, 4, Some(5)),
            (8, 3, Some(4)),
            (6, 2, Some(1)),
            (0, 1, None),
        ]
        .iter()
        .enumerate()
        .map(|(i, (n, c, e))| KpiInput {
            nps: Some(*n),
            csat: Some(*c),
            ces: *e,
            ..KpiInput::new(i.to_string())
        })
        .collect();
        let k = compute(&rows, &KpiOptions::default());
        assert_eq!(get(&k, KpiId::Nps).as_deref(), Some("0.00"));
        assert_eq!(get(&k, KpiId::CsatShare).as_deref(), Some("40.00"));
        assert_eq!(get(&k, KpiId::CsatMean).as_deref(), Some("3.00"));
        assert_eq!(get(&k, KpiId::CesMean).as_deref(), Some("4.25"));
        assert_eq!(get(&k, KpiId::CesShare).as_deref(), Some("50.00"));
        assert_eq!(get(&k, KpiId::Nrr), None);
    }

    #[test]
    fn expansion_share_and_health() {
        // Existing: 100 -> 150 (+50 expansion); new customer 0 -> 150. Share = 50/200 = 25%.
        let rows = vec![
            KpiInput {
                mrr_start: Some(Decimal::from(100)),
                mrr_end: Some(Decimal::from(150)),
                health: Some(Decimal::from(59)),
                ..KpiInput::new("a")
            },
            KpiInput {
                mrr_end: Some(Decimal::from(150)),
                health: Some(Decimal::from(60)),
                value_realized: Some(true),
                time_to_first_value_days: Some(Decimal::from(45)),
                ..KpiInput::new("b")
            },
        ];
        let k = compute(&rows, &KpiOptions::default());
        assert_eq!(get(&k, KpiId::ExpansionShare).as_deref(), Some("25.00"));
        assert_eq!(get(&k, KpiId::AtRiskShare).as_deref(), Some("50.00"));
        assert_eq!(get(&k, KpiId::AvgHealth).as_deref(), Some("59.50"));
        assert_eq!(get(&k, KpiId::ValueRealization).as_deref(), Some("100.00"));
        assert_eq!(get(&k, KpiId::TimeToFirstValue).as_deref(), Some("45.00"));
        assert_eq!(get(&k, KpiId::Nrr).as_deref(), Some("150.00"));
        assert_eq!(get(&k, KpiId::Grr).as_deref(), Some("100.00"));
    }
}
