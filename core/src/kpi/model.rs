//! The KPI targets file format (serde model) and its validation.

use std::collections::HashSet;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::decimal::{Dec, Rounding};
use crate::rubric::{Problems, Validate};

/// The `kind` every KPI targets file declares.
pub const KIND: &str = "kpi";

/// A portfolio KPI csrubric computes. The formulas are in the module documentation.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum KpiId {
    /// Net revenue retention, %.
    Nrr,
    /// Gross revenue retention, % (never above 100).
    Grr,
    /// Logo churn, % of customers at start lost.
    LogoChurn,
    /// Logo retention, % of customers at start kept (100 - logo churn).
    LogoRetention,
    /// Revenue churn, % of start MRR lost with churned customers.
    RevenueChurn,
    /// Contraction, % of start MRR lost by downgrades of retained customers.
    Contraction,
    /// Expansion revenue as a % of net new MRR (expansion + new customers).
    ExpansionShare,
    /// Net promoter score, -100..100.
    Nps,
    /// CSAT: % of 1-5 responses that are 4 or 5.
    CsatShare,
    /// CSAT: mean of 1-5 responses.
    CsatMean,
    /// CES: mean of 1-7 responses.
    CesMean,
    /// CES: % of 1-7 responses that are 5 or more.
    CesShare,
    /// Mean health score (0-100).
    AvgHealth,
    /// % of accounts with a health score below the at-risk threshold.
    AtRiskShare,
    /// % of customers who achieved their success criteria.
    ValueRealization,
    /// Mean days from purchase to first value.
    TimeToFirstValue,
}

impl KpiId {
    /// Every KPI, in report order.
    pub const ALL: [KpiId; 16] = [
        KpiId::Nrr,
        KpiId::Grr,
        KpiId::LogoChurn,
        KpiId::LogoRetention,
        KpiId::RevenueChurn,
        KpiId::Contraction,
        KpiId::ExpansionShare,
        KpiId::Nps,
        KpiId::CsatShare,
        KpiId::CsatMean,
        KpiId::CesMean,
        KpiId::CesShare,
        KpiId::AvgHealth,
        KpiId::AtRiskShare,
        KpiId::ValueRealization,
        KpiId::TimeToFirstValue,
    ];

    /// The id as written in files (`nrr`, `logo_churn`...).
    pub fn as_str(self) -> &'static str {
        match self {
            KpiId::Nrr => "nrr",
            KpiId::Grr => "grr",
            KpiId::LogoChurn => "logo_churn",
            KpiId::LogoRetention => "logo_retention",
            KpiId::RevenueChurn => "revenue_churn",
            KpiId::Contraction => "contraction",
            KpiId::ExpansionShare => "expansion_share",
            KpiId::Nps => "nps",
            KpiId::CsatShare => "csat_share",
            KpiId::CsatMean => "csat_mean",
            KpiId::CesMean => "ces_mean",
            KpiId::CesShare => "ces_share",
            KpiId::AvgHealth => "avg_health",
            KpiId::AtRiskShare => "at_risk_share",
            KpiId::ValueRealization => "value_realization",
            KpiId::TimeToFirstValue => "time_to_first_value",
        }
    }

    /// The unit of the value: `%`, `points` (NPS), `score` or `days`.
    pub fn unit(self) -> &'static str {
        match self {
            KpiId::Nps => "points",
            KpiId::CsatMean | KpiId::CesMean | KpiId::AvgHealth => "score",
            KpiId::TimeToFirstValue => "days",
            _ => "%",
        }
    }
}

impl fmt::Display for KpiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a KPI value is compared with its target.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum Comparison {
    /// Strictly above (`>110%`).
    #[serde(rename = ">")]
    Above,
    /// At least (`120%+`).
    #[serde(rename = ">=")]
    AtLeast,
    /// Strictly below (`<5%`).
    #[serde(rename = "<")]
    Below,
    /// At most.
    #[serde(rename = "<=")]
    AtMost,
}

impl Comparison {
    /// Whether `value` meets a target of `target`.
    pub fn holds(self, value: Decimal, target: Decimal) -> bool {
        match self {
            Comparison::Above => value > target,
            Comparison::AtLeast => value >= target,
            Comparison::Below => value < target,
            Comparison::AtMost => value <= target,
        }
    }

    /// The operator as written (`>`, `>=`, `<`, `<=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Above => ">",
            Comparison::AtLeast => ">=",
            Comparison::Below => "<",
            Comparison::AtMost => "<=",
        }
    }
}

/// A KPI targets file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KpiRubricFile {
    /// Always `"kpi"`.
    pub kind: String,
    /// Stable identifier, such as `kpi/slavkokernel`.
    pub id: String,
    /// Version of the targets.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the targets encode.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// Precision of reported values (default 2 decimals, half up); targets are compared
    /// with the rounded value, the one displayed.
    #[serde(default)]
    pub rounding: Rounding,
    /// Health below this is "at risk" (default 60, seed 001 "At-Risk Accounts: % of accounts
    /// with health score <60").
    #[serde(default = "default_at_risk_below")]
    pub at_risk_below: Dec,
    /// One target per KPI at most.
    #[serde(default)]
    pub targets: Vec<TargetSpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

fn default_at_risk_below() -> Dec {
    Dec(Decimal::from(60))
}

/// A target for one KPI.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// Which KPI.
    pub kpi: KpiId,
    /// How the value must compare with `value`.
    pub op: Comparison,
    /// The target, in the KPI's unit.
    pub value: Dec,
    /// Where the target comes from (seed and section), when it differs from the file's.
    #[serde(default)]
    pub source: Option<String>,
    /// Free text for readers.
    #[serde(default)]
    pub note: Option<String>,
}

impl Validate for KpiRubricFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        if self.rounding.decimals > 10 {
            p.push("rounding.decimals", "`decimals` must be 0..=10");
        }
        if !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&self.at_risk_below.0) {
            p.push("at_risk_below", "`at_risk_below` must be within 0..=100");
        }
        let mut seen = HashSet::new();
        for (i, t) in self.targets.iter().enumerate() {
            if !seen.insert(t.kpi) {
                p.push(
                    format!("targets[{i}].kpi"),
                    format!("a second target for `{}`; give one per KPI", t.kpi),
                );
            }
            let v = t.value.0;
            let (lo, hi) = match t.kpi {
                KpiId::Nrr | KpiId::TimeToFirstValue => (Decimal::ZERO, Decimal::MAX),
                KpiId::Nps => (-Decimal::ONE_HUNDRED, Decimal::ONE_HUNDRED),
                KpiId::CsatMean => (Decimal::ONE, Decimal::from(5)),
                KpiId::CesMean => (Decimal::ONE, Decimal::from(7)),
                _ => (Decimal::ZERO, Decimal::ONE_HUNDRED),
            };
            if v < lo || v > hi {
                p.push(
                    format!("targets[{i}].value"),
                    format!("target {v} is outside the range of `{}`", t.kpi),
                );
            }
        }
    }
}
