//! The priority rubric file format (serde model) and its validation.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::decimal::{Dec, Rounding};
use crate::rubric::{Problems, Validate};

/// The `kind` every priority rubric file declares.
pub const KIND: &str = "priority";

/// A priority rubric file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityRubricFile {
    /// Always `"priority"`.
    pub kind: String,
    /// Stable identifier, such as `priority/kinos`.
    pub id: String,
    /// Version of the rules.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the numbers encode.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// How criteria combine into a score.
    #[serde(default)]
    pub model: Model,
    /// The formula of a `formula` rubric (absent in a `weighted` one).
    #[serde(default)]
    pub formula: Option<Expr>,
    /// Precision and tie-breaking of the final score.
    #[serde(default)]
    pub rounding: Rounding,
    /// The criteria; each id is an input column.
    pub criteria: Vec<CriterionSpec>,
    /// Ranking tie-breakers.
    #[serde(default)]
    pub ranking: RankingSpec,
    /// Cross-vertical applicability tiers and how they feed a criterion.
    #[serde(default)]
    pub cross_vertical: CrossVerticalSpec,
    /// Classification rules and the Kano mapping.
    #[serde(default)]
    pub classification: ClassificationSpec,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
    /// Rule scripts: the score formula of a `script` model, a classification script, the
    /// `params` they see and tightened sandbox limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scripts: Option<PriorityScriptsSpec>,
}

/// A priority rubric's `[scripts]` table (see `docs/scripts.md`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriorityScriptsSpec {
    /// Tightened sandbox limits.
    #[serde(default)]
    pub limits: crate::script::LimitsSpec,
    /// Values every script sees as `params` (numbers are decimals).
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The score of a `model = "script"` rubric: sees `id`, `criteria` (criterion id to the
    /// value used, reversed for a reverse criterion), `values` (as given or derived),
    /// `request` (every cell) and `params`; returns a decimal.
    #[serde(default)]
    pub formula: Option<crate::script::ScriptRef>,
    /// A classification script, tried after an explicit `classification` column and before
    /// the rules: returns a class label, or `()` to fall through to the rules and Kano.
    #[serde(default)]
    pub classify: Option<crate::script::ScriptRef>,
}

/// How criteria combine into a score.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Weighted sum of criteria on a common scale; weights are percents summing to 100, so
    /// the score stays on that scale (the seed's 1-5 scorecard).
    #[default]
    Weighted,
    /// The declared `formula` over criteria (RICE, WSJF); criteria carry no weight.
    Formula,
    /// The score is computed by the rubric's `[scripts] formula` Rhai script; criteria carry
    /// no weight (the script's `params` may).
    Script,
}

/// A declared formula: exact decimal arithmetic over criterion values.
///
/// In TOML: a criterion id (`"reach"`), a constant (`{ const = 100 }`), `{ sum = [...] }`,
/// `{ product = [...] }` or `{ divide = <expr>, by = <expr> }`.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Expr {
    /// The value of a criterion (its id).
    Criterion(String),
    /// A constant.
    Const {
        /// The constant.
        #[serde(rename = "const")]
        value: Dec,
    },
    /// The sum of the terms.
    Sum {
        /// Terms (at least one).
        sum: Vec<Expr>,
    },
    /// The product of the factors.
    Product {
        /// Factors (at least one).
        product: Vec<Expr>,
    },
    /// `divide / by`; a zero divisor is an error for that request.
    Quotient {
        /// The numerator.
        divide: Box<Expr>,
        /// The denominator.
        by: Box<Expr>,
    },
}

const EXPR_SHAPES: &str = "expected a criterion id, `{ const = <number> }`, `{ sum = [...] }`, `{ product = [...] }` or `{ divide = <expr>, by = <expr> }`";

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Expr::from_value(&v).map_err(serde::de::Error::custom)
    }
}

impl Expr {
    fn from_value(v: &serde_json::Value) -> Result<Expr, String> {
        use serde_json::Value as J;
        let list = |v: &J, op: &str| -> Result<Vec<Expr>, String> {
            match v {
                J::Array(xs) => xs.iter().map(Expr::from_value).collect(),
                _ => Err(format!("`{op}` takes a list of expressions")),
            }
        };
        match v {
            J::String(s) => Ok(Expr::Criterion(s.clone())),
            J::Object(o) => {
                let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
                keys.sort_unstable();
                match (
                    keys.as_slice(),
                    o.get("const"),
                    o.get("sum"),
                    o.get("product"),
                    o.get("divide"),
                    o.get("by"),
                ) {
                    (["const"], Some(c), ..) => serde_json::from_value::<Dec>(c.clone())
                        .map(|value| Expr::Const { value })
                        .map_err(|e| format!("`const`: {e}")),
                    (["sum"], _, Some(xs), ..) => Ok(Expr::Sum {
                        sum: list(xs, "sum")?,
                    }),
                    (["product"], _, _, Some(xs), ..) => Ok(Expr::Product {
                        product: list(xs, "product")?,
                    }),
                    (["by", "divide"], _, _, _, Some(a), Some(b)) => Ok(Expr::Quotient {
                        divide: Box::new(Expr::from_value(a)?),
                        by: Box::new(Expr::from_value(b)?),
                    }),
                    _ => Err(format!(
                        "unknown operation with keys `{}`: {EXPR_SHAPES}",
                        keys.join("`, `")
                    )),
                }
            }
            other => Err(format!("`{other}`: {EXPR_SHAPES}")),
        }
    }

    fn criteria<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Criterion(c) => out.push(c),
            Expr::Const { .. } => {}
            Expr::Sum { sum: xs } | Expr::Product { product: xs } => {
                xs.iter().for_each(|x| x.criteria(out))
            }
            Expr::Quotient { divide, by } => {
                divide.criteria(out);
                by.criteria(out);
            }
        }
    }

    fn validate(&self, path: &str, known: &HashSet<&str>, p: &mut Problems) {
        match self {
            Expr::Criterion(c) if !known.contains(c.as_str()) => {
                p.push(path, format!("`{c}` is not a declared criterion"))
            }
            Expr::Sum { sum: xs } | Expr::Product { product: xs } if xs.is_empty() => {
                p.push(path, "an operation needs at least one operand")
            }
            Expr::Sum { sum: xs } => {
                for (i, x) in xs.iter().enumerate() {
                    x.validate(&format!("{path}.sum[{i}]"), known, p);
                }
            }
            Expr::Product { product: xs } => {
                for (i, x) in xs.iter().enumerate() {
                    x.validate(&format!("{path}.product[{i}]"), known, p);
                }
            }
            Expr::Quotient { divide, by } => {
                divide.validate(&format!("{path}.divide"), known, p);
                by.validate(&format!("{path}.by"), known, p);
            }
            _ => {}
        }
    }
}

/// One criterion: an input column, its scale and (in a weighted rubric) its weight.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpec {
    /// Identifier; also the input column.
    pub id: String,
    /// Human label.
    #[serde(default)]
    pub label: Option<String>,
    /// Free text for readers (the seed's scoring method).
    #[serde(default)]
    pub description: Option<String>,
    /// Percent of the score (weighted rubrics only; weights sum to exactly 100).
    #[serde(default)]
    pub weight: Option<Dec>,
    /// Reverse-scored: the value used is `min + max - input` (effort: 1 = hardest scores 5).
    #[serde(default)]
    pub reverse: bool,
    /// Lowest accepted input. Weighted rubrics: default 1.
    #[serde(default)]
    pub min: Option<Dec>,
    /// Highest accepted input. Weighted rubrics: default 5.
    #[serde(default)]
    pub max: Option<Dec>,
    /// When given, the only accepted inputs (RICE impact 3/2/1/0.5/0.25).
    #[serde(default)]
    pub allowed: Option<Vec<Dec>>,
}

impl CriterionSpec {
    /// The bounds in force: declared, or 1-5 in a weighted rubric.
    pub fn bounds(&self, model: Model) -> (Option<Decimal>, Option<Decimal>) {
        let (dmin, dmax) = match model {
            Model::Weighted => (Some(Decimal::ONE), Some(Decimal::from(5))),
            Model::Formula | Model::Script => (None, None),
        };
        (
            self.min.map(|d| d.0).or(dmin),
            self.max.map(|d| d.0).or(dmax),
        )
    }
}

/// Tie-breakers after the score.
#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RankingSpec {
    /// Criteria compared next, higher value first, in order (`["customer_impact"]`).
    #[serde(default)]
    pub prefer_higher: Vec<String>,
}

/// Cross-vertical tiers (seed 000 section 3.1 item 3) and their criterion values.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CrossVerticalSpec {
    /// The criterion a tier fills in when the request gives its verticals instead of a
    /// number (for example `cross_vertical_value`); none: tiers are only reported.
    #[serde(default)]
    pub criterion: Option<String>,
    /// High needs at least this many verticals with no adaptation (default 5).
    #[serde(default = "five")]
    pub high_min_unmodified: u32,
    /// Medium needs at least this many verticals with at most minimal adaptation (default 3).
    #[serde(default = "three")]
    pub medium_min_minimal: u32,
    /// Criterion value of a High tier (default 5).
    #[serde(default = "dec5")]
    pub high: Dec,
    /// Criterion value of a Medium tier (default 3).
    #[serde(default = "dec3")]
    pub medium: Dec,
    /// Criterion value of a Low tier (default 1).
    #[serde(default = "dec1")]
    pub low: Dec,
}

fn five() -> u32 {
    5
}
fn three() -> u32 {
    3
}
fn dec5() -> Dec {
    Dec(Decimal::from(5))
}
fn dec3() -> Dec {
    Dec(Decimal::from(3))
}
fn dec1() -> Dec {
    Dec(Decimal::ONE)
}

impl Default for CrossVerticalSpec {
    fn default() -> Self {
        CrossVerticalSpec {
            criterion: None,
            high_min_unmodified: 5,
            medium_min_minimal: 3,
            high: dec5(),
            medium: dec3(),
            low: dec1(),
        }
    }
}

/// The seed's four classes (seed 000 section 3.1 item 2).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Critical functionality addressing core user needs.
    MustHave,
    /// Improves existing functionality efficiency.
    PerformanceEnhancer,
    /// Creates unexpected value beyond core requirements.
    Delighter,
    /// Basic expected functionality.
    HygieneFactor,
}

impl Class {
    /// All classes.
    pub const ALL: [Class; 4] = [
        Class::MustHave,
        Class::PerformanceEnhancer,
        Class::Delighter,
        Class::HygieneFactor,
    ];

    /// The snake_case name used in files (`performance_enhancer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::MustHave => "must_have",
            Class::PerformanceEnhancer => "performance_enhancer",
            Class::Delighter => "delighter",
            Class::HygieneFactor => "hygiene_factor",
        }
    }

    /// Reads a class name: snake_case or the seed's title (`Performance Enhancer`).
    ///
    /// # Example
    /// ```
    /// use csrubric::priority::Class;
    /// assert_eq!(Class::parse("Performance Enhancer"), Some(Class::PerformanceEnhancer));
    /// assert_eq!(Class::parse("must_have"), Some(Class::MustHave));
    /// assert_eq!(Class::parse("nice"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Class> {
        let norm: String = text
            .trim()
            .chars()
            .map(|c| {
                if c == ' ' || c == '-' {
                    '_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        Class::ALL.into_iter().find(|c| c.as_str() == norm)
    }
}

/// Classification: explicit column, then ordered rules, then the Kano mapping.
#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ClassificationSpec {
    /// Rules tried in order; the first whose conditions all hold decides.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Kano category -> class; an unmapped category leaves the request unclassified.
    #[serde(default)]
    pub kano: KanoMapping,
}

/// One classification rule.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The class given when the rule matches.
    pub class: Class,
    /// Conditions, all of which must hold (an empty list always matches).
    #[serde(default)]
    pub when: Vec<ConditionSpec>,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
}

/// A test on one request attribute (an input column). A missing attribute fails the test.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// The input column.
    pub attribute: String,
    /// Equal to this text (case-insensitive) or boolean (`true`, also `yes`/`1` in CSV).
    #[serde(default)]
    pub equals: Option<AttrValue>,
    /// One of these texts (case-insensitive).
    #[serde(default)]
    pub one_of: Option<Vec<String>>,
    /// A number at least this.
    #[serde(default)]
    pub at_least: Option<Dec>,
    /// A number at most this.
    #[serde(default)]
    pub at_most: Option<Dec>,
}

/// A literal compared with an attribute.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum AttrValue {
    /// A boolean.
    Bool(bool),
    /// Text.
    Text(String),
}

/// Kano category -> class, per rubric.
#[derive(Clone, Debug, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KanoMapping {
    /// Class of an attractive feature.
    #[serde(default)]
    pub attractive: Option<Class>,
    /// Class of a one-dimensional (performance) feature.
    #[serde(default)]
    pub one_dimensional: Option<Class>,
    /// Class of a must-be feature.
    #[serde(default)]
    pub must_be: Option<Class>,
    /// Class of an indifferent feature.
    #[serde(default)]
    pub indifferent: Option<Class>,
    /// Class of a reverse feature.
    #[serde(default)]
    pub reverse: Option<Class>,
    /// Class of a questionable result.
    #[serde(default)]
    pub questionable: Option<Class>,
}

impl Validate for PriorityRubricFile {
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
            p.push("rounding.decimals", "at most 10 decimals");
        }
        if self.criteria.is_empty() {
            p.push("criteria", "at least one criterion is required");
        }
        let mut ids = HashSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let at = format!("criteria[{i}]");
            if c.id.trim().is_empty() {
                p.push(format!("{at}.id"), "`id` must not be empty");
            } else if !ids.insert(c.id.as_str()) {
                p.push(
                    format!("{at}.id"),
                    format!("duplicate criterion `{}`", c.id),
                );
            }
            match (self.model, c.weight) {
                (Model::Weighted, None) => p.push(
                    format!("{at}.weight"),
                    "a weighted rubric needs a `weight` for every criterion",
                ),
                (Model::Weighted, Some(w)) if w.0 <= Decimal::ZERO => {
                    p.push(format!("{at}.weight"), "weight must be positive")
                }
                (Model::Formula, Some(_)) => p.push(
                    format!("{at}.weight"),
                    "a formula rubric takes no weights (the formula combines the criteria)",
                ),
                (Model::Script, Some(_)) => p.push(
                    format!("{at}.weight"),
                    "a script rubric takes no weights (give them to the script in `[scripts] params`)",
                ),
                _ => {}
            }
            let (lo, hi) = c.bounds(self.model);
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo >= hi {
                    p.push(format!("{at}.max"), "`max` must be above `min`");
                }
            }
            if c.reverse && (lo.is_none() || hi.is_none()) {
                p.push(
                    format!("{at}.reverse"),
                    "a reverse-scored criterion needs both `min` and `max`",
                );
            }
            if c.reverse && self.model == Model::Formula {
                p.push(
                    format!("{at}.reverse"),
                    "in a formula rubric put the criterion in the divisor instead",
                );
            }
            if let Some(allowed) = &c.allowed {
                if allowed.is_empty() {
                    p.push(format!("{at}.allowed"), "list at least one value");
                }
                for (j, v) in allowed.iter().enumerate() {
                    if lo.is_some_and(|l| v.0 < l) || hi.is_some_and(|h| v.0 > h) {
                        p.push(format!("{at}.allowed[{j}]"), "outside `min`..`max`");
                    }
                }
            }
        }
        if self.model == Model::Weighted {
            // `None` when the weights overflow a decimal (`+` would panic).
            let total = crate::decimal::checked_sum(
                self.criteria.iter().filter_map(|c| c.weight).map(|w| w.0),
            );
            if self.criteria.iter().all(|c| c.weight.is_some())
                && total != Some(Decimal::ONE_HUNDRED)
            {
                let sum =
                    total.map_or_else(|| "more than a decimal holds".into(), |t| t.to_string());
                p.push(
                    "criteria",
                    format!("weights must sum to exactly 100, they sum to {sum}"),
                );
            }
        }
        match (self.model, &self.formula) {
            (Model::Formula, None) => p.push("formula", "a formula rubric needs a `formula`"),
            (Model::Weighted | Model::Script, Some(_)) => p.push(
                "formula",
                "only a `model = \"formula\"` rubric takes a `formula`",
            ),
            (Model::Formula, Some(f)) => {
                f.validate("formula", &ids, p);
                let mut used = Vec::new();
                f.criteria(&mut used);
                for (i, c) in self.criteria.iter().enumerate() {
                    if !used.contains(&c.id.as_str()) {
                        p.push(
                            format!("criteria[{i}].id"),
                            format!("criterion `{}` is not used by the formula", c.id),
                        );
                    }
                }
            }
            (Model::Weighted | Model::Script, None) => {}
        }
        let formula_script = self.scripts.as_ref().and_then(|s| s.formula.as_ref());
        match (self.model, formula_script) {
            (Model::Script, None) => p.push(
                "scripts.formula",
                "a `model = \"script\"` rubric needs `[scripts] formula = { file = ... }`",
            ),
            (Model::Weighted | Model::Formula, Some(_)) => p.push(
                "scripts.formula",
                "a formula script needs `model = \"script\"`",
            ),
            _ => {}
        }
        if let Some(s) = &self.scripts {
            s.limits.validate("scripts.limits", p);
            if let Some(f) = &s.formula {
                f.validate("scripts.formula", p);
            }
            if let Some(c) = &s.classify {
                c.validate("scripts.classify", p);
            }
        }
        for (i, c) in self.ranking.prefer_higher.iter().enumerate() {
            if !ids.contains(c.as_str()) {
                p.push(
                    format!("ranking.prefer_higher[{i}]"),
                    format!("`{c}` is not a declared criterion"),
                );
            }
        }
        let cv = &self.cross_vertical;
        if let Some(c) = &cv.criterion {
            match self.criteria.iter().find(|x| &x.id == c) {
                None => p.push(
                    "cross_vertical.criterion",
                    format!("`{c}` is not a declared criterion"),
                ),
                Some(spec) => {
                    let (lo, hi) = spec.bounds(self.model);
                    for (name, v) in [("high", cv.high), ("medium", cv.medium), ("low", cv.low)] {
                        if lo.is_some_and(|l| v.0 < l) || hi.is_some_and(|h| v.0 > h) {
                            p.push(
                                format!("cross_vertical.{name}"),
                                format!("`{v}` is outside the scale of `{c}`"),
                            );
                        }
                    }
                }
            }
        }
        if cv.high_min_unmodified == 0 || cv.medium_min_minimal == 0 {
            p.push("cross_vertical", "tier thresholds must be at least 1");
        }
        for (i, r) in self.classification.rules.iter().enumerate() {
            for (j, c) in r.when.iter().enumerate() {
                let at = format!("classification.rules[{i}].when[{j}]");
                let tests = usize::from(c.equals.is_some())
                    + usize::from(c.one_of.is_some())
                    + usize::from(c.at_least.is_some() || c.at_most.is_some());
                if tests != 1 {
                    p.push(
                        at,
                        "give exactly one test: `equals`, `one_of`, or `at_least`/`at_most`",
                    );
                }
            }
        }
    }
}
