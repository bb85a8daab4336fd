//! Prioritization of enhancement requests (seed 000 sections 3.1, 3.2, 4.1 and 6.1).
//!
//! A [`PriorityRubric`] scores requests (input [`Record`]s) either as a weighted 1-5
//! scorecard (the seed's: impact 30%, alignment 25%, revenue 20%, effort 15% reversed,
//! cross-vertical value 10%) or by a formula declared in the rubric (RICE, WSJF). Scores are
//! absolute: one request's score never depends on the other requests. Each request is also
//! classified (Must Have / Performance Enhancer / Delighter / Hygiene Factor) and given a
//! cross-vertical tier, and a backlog is ranked with documented tie-breakers
//! ([`PriorityRubric::rank`]).
//!
//! # Example
//! ```
//! use csrubric::priority::PriorityRubric;
//! use csrubric::input::Record;
//! use rust_decimal::Decimal;
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/priority/kinos.toml");
//! let rubric = PriorityRubric::from_path(path.as_ref())?;
//! let case = Record::new("therapykin-progress")
//!     .with("customer_impact", Decimal::from(5))
//!     .with("strategic_alignment", Decimal::from(4))
//!     .with("revenue_impact", Decimal::from(4))
//!     .with("implementation_effort", Decimal::from(2))
//!     .with("cross_vertical_value", Decimal::from(3));
//! assert_eq!(rubric.score(&case)?.score.to_string(), "4.20");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod kano;
mod model;
mod pipeline;
mod script;
mod vertical;

use std::cmp::Ordering;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::input::{Record, Value};
use crate::rubric::{self, Format, RubricError, Stamp};

pub use kano::{aggregate, evaluate, parse_answers, Answer, KanoCategory, KanoSummary};
pub use model::{
    AttrValue, Class, ClassificationSpec, ConditionSpec, CriterionSpec, CrossVerticalSpec, Expr,
    KanoMapping, Model, PriorityRubricFile, PriorityScriptsSpec, RankingSpec, RuleSpec, KIND,
};
pub use pipeline::{kpis, History, PipelineKpis, Stage};
pub use vertical::{parse_verticals, tier, Adaptation, Tier, Vertical};

/// Input column of the verticals a request applies to.
pub const VERTICALS_COLUMN: &str = "verticals";
/// Input column of Kano survey answers.
pub const KANO_COLUMN: &str = "kano";
/// Input column of an explicit classification.
pub const CLASSIFICATION_COLUMN: &str = "classification";
/// Input column of the submission date (`YYYY-MM-DD`), a ranking tie-breaker.
pub const SUBMITTED_COLUMN: &str = "submitted";
/// Input column of the originating vertical, used by the vertical filter.
pub const VERTICAL_COLUMN: &str = "vertical";

/// Which request an error is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestRef {
    /// The request id.
    pub id: String,
    /// 1-based row in its file (0 when built in code).
    pub row: usize,
}

impl fmt::Display for RequestRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.row > 0 {
            write!(f, "row {} (request `{}`)", self.row, self.id)
        } else {
            write!(f, "request `{}`", self.id)
        }
    }
}

/// Errors scoring, classifying or moving a request.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriorityError {
    /// A criterion has no value (and none can be derived).
    #[error("{at}: missing `{criterion}`")]
    Missing {
        /// The request.
        at: RequestRef,
        /// The criterion (input column).
        criterion: String,
    },
    /// A criterion's cell is not a number.
    #[error("{at}: `{criterion}`: {message}")]
    NotANumber {
        /// The request.
        at: RequestRef,
        /// The criterion.
        criterion: String,
        /// What the cell holds.
        message: String,
    },
    /// A value outside the criterion's scale (never clamped).
    #[error("{at}: `{criterion}` = {value} is outside {range}")]
    OutOfScale {
        /// The request.
        at: RequestRef,
        /// The criterion.
        criterion: String,
        /// The value given.
        value: Decimal,
        /// The scale, such as `1..5`.
        range: String,
    },
    /// A value not in the criterion's `allowed` list.
    #[error("{at}: `{criterion}` = {value} is not one of {allowed}")]
    NotAllowed {
        /// The request.
        at: RequestRef,
        /// The criterion.
        criterion: String,
        /// The value given.
        value: Decimal,
        /// The allowed values.
        allowed: String,
    },
    /// The formula divided by zero.
    #[error("{at}: the formula divides by zero (`{term}` is 0)")]
    DivisionByZero {
        /// The request.
        at: RequestRef,
        /// The divisor as written.
        term: String,
    },
    /// The arithmetic left the decimal range.
    #[error("{at}: the formula overflows the decimal range")]
    Overflow {
        /// The request.
        at: RequestRef,
    },
    /// The `verticals` cell is malformed (unknown adaptation, duplicate vertical).
    #[error("{at}: `verticals`: {message}")]
    Verticals {
        /// The request.
        at: RequestRef,
        /// What is wrong.
        message: String,
    },
    /// Both the cross-vertical criterion and `verticals` were given.
    #[error("{at}: both `{criterion}` and `verticals` are given; give one (the tier of `verticals` fills in `{criterion}`)")]
    Ambiguous {
        /// The request.
        at: RequestRef,
        /// The criterion.
        criterion: String,
    },
    /// The `kano` cell is malformed.
    #[error("{at}: `kano`: {message}")]
    Kano {
        /// The request.
        at: RequestRef,
        /// What is wrong.
        message: String,
    },
    /// The `classification` cell is not one of the four classes.
    #[error("{at}: `classification`: `{value}` is not one of must_have, performance_enhancer, delighter, hygiene_factor")]
    Classification {
        /// The request.
        at: RequestRef,
        /// The text given.
        value: String,
    },
    /// The `submitted` cell is not a `YYYY-MM-DD` date.
    #[error("{at}: `submitted`: `{value}` is not a date (YYYY-MM-DD)")]
    Date {
        /// The request.
        at: RequestRef,
        /// The text given.
        value: String,
    },
    /// A rule script (formula or classification) failed, hit a sandbox limit or returned
    /// the wrong type; the message names the script, the hook and the request.
    #[error("{at}: {error}")]
    Script {
        /// The request.
        at: RequestRef,
        /// The script's error.
        error: Box<crate::script::ScriptError>,
    },
    /// An illegal pipeline move.
    #[error("request `{id}`: cannot move from `{from:?}` to `{to:?}`: {message}")]
    IllegalMove {
        /// The request id.
        id: String,
        /// The current stage.
        from: Stage,
        /// The stage asked for.
        to: Stage,
        /// Why.
        message: String,
    },
}

impl PriorityError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            PriorityError::Missing { .. } => "missing_input",
            PriorityError::NotANumber { .. } => "not_a_number",
            PriorityError::OutOfScale { .. } => "out_of_scale",
            PriorityError::NotAllowed { .. } => "not_allowed",
            PriorityError::DivisionByZero { .. } => "division_by_zero",
            PriorityError::Overflow { .. } => "overflow",
            PriorityError::Verticals { .. } => "invalid_verticals",
            PriorityError::Ambiguous { .. } => "ambiguous_input",
            PriorityError::Kano { .. } => "invalid_kano",
            PriorityError::Classification { .. } => "invalid_classification",
            PriorityError::Date { .. } => "invalid_date",
            PriorityError::IllegalMove { .. } => "illegal_move",
            PriorityError::Script { error, .. } => error.code(),
        }
    }

    /// The request this error is about.
    pub fn request_id(&self) -> &str {
        match self {
            PriorityError::IllegalMove { id, .. } => id,
            PriorityError::Missing { at, .. }
            | PriorityError::NotANumber { at, .. }
            | PriorityError::OutOfScale { at, .. }
            | PriorityError::NotAllowed { at, .. }
            | PriorityError::DivisionByZero { at, .. }
            | PriorityError::Overflow { at }
            | PriorityError::Verticals { at, .. }
            | PriorityError::Ambiguous { at, .. }
            | PriorityError::Kano { at, .. }
            | PriorityError::Classification { at, .. }
            | PriorityError::Date { at, .. }
            | PriorityError::Script { at, .. } => &at.id,
        }
    }
}

impl Serialize for PriorityError {
    /// Serialises as `{"code", "id", "message"}` for bindings and JSON output.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PriorityError", 3)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("id", self.request_id())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

/// One criterion's part in a score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contribution {
    /// The criterion id.
    pub criterion: String,
    /// The input value (given, or derived from the verticals' tier).
    pub value: Decimal,
    /// Where the value came from: `input` or `verticals`.
    pub source: &'static str,
    /// The value used: `min + max - value` for a reverse criterion, else the value.
    pub effective: Decimal,
    /// Weight in percent (weighted rubrics).
    pub weight: Option<Decimal>,
    /// `effective * weight / 100`, exact and without trailing zeros (weighted rubrics); the
    /// contributions sum to the unrounded score.
    pub contribution: Option<Decimal>,
}

/// How a request was classified.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Classification {
    /// The class, or `None` for unclassified.
    pub class: Option<Class>,
    /// What decided: `column`, `script`, `rules[i]`, `kano`, or `none`.
    pub by: String,
    /// Why the request is unclassified (when it is).
    pub reason: Option<String>,
    /// The Kano survey summary, when answers were given.
    pub kano: Option<KanoSummary>,
    /// What the classification script returned and printed, when it ran (also when it
    /// returned `()` and the rules or Kano decided).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<crate::script::ScriptTrace>,
}

impl Classification {
    /// The class name, or `unclassified`.
    pub fn label(&self) -> &'static str {
        self.class.map_or("unclassified", Class::as_str)
    }
}

/// A scored request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriorityResult {
    /// The request id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// Rank in a ranking (1 = first); 0 before ranking.
    pub rank: usize,
    /// The score, rounded as the rubric declares.
    pub score: Decimal,
    /// The score before rounding, exact and without trailing zeros (`4.2`, not `4.20`).
    pub raw_score: Decimal,
    /// `score / max score * 100` over the ranked set, only with
    /// [`RankOptions::relative`]; never used for ordering.
    pub relative: Option<Decimal>,
    /// Per-criterion values and contributions, in rubric order.
    pub contributions: Vec<Contribution>,
    /// The classification.
    pub classification: Classification,
    /// Cross-vertical tier, when the request lists its verticals.
    pub cross_vertical_tier: Option<Tier>,
    /// The verticals given.
    pub verticals: Vec<Vertical>,
    /// Submission date, when given.
    pub submitted: Option<NaiveDate>,
    /// What the formula script returned and printed (`model = "script"` rubrics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<crate::script::ScriptTrace>,
    /// The rubric that scored it.
    pub rubric: Arc<Stamp>,
}

/// Filters and options for [`PriorityRubric::rank`].
#[derive(Clone, Debug, Default)]
pub struct RankOptions {
    /// Keep requests from this vertical (`vertical` column) or applying to it (`verticals`),
    /// case-insensitive.
    pub vertical: Option<String>,
    /// Keep requests of this class (a class name or `unclassified`).
    pub classification: Option<String>,
    /// Keep requests whose rounded score is at least this.
    pub min_score: Option<Decimal>,
    /// Also report each score relative to the best score of the kept set (percent).
    pub relative: bool,
}

/// A ranked backlog.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    /// Kept requests, best first, `rank` 1..n.
    pub ranked: Vec<PriorityResult>,
    /// Requests that failed to score, in input order.
    pub failed: Vec<PriorityError>,
    /// Requests scored but left out by the filters.
    pub filtered_out: usize,
}

/// A loaded, validated priority rubric. Cheap to clone and shareable across threads.
#[derive(Clone, Debug)]
pub struct PriorityRubric {
    file: Arc<PriorityRubricFile>,
    stamp: Arc<Stamp>,
    scripts: script::Shared,
}

impl PriorityRubric {
    /// Loads a rubric file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, and for invalid rubrics every problem with its path.
    pub fn from_path(path: &Path) -> Result<PriorityRubric, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads a rubric from text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`PriorityRubric::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::priority::PriorityRubric;
    /// use csrubric::rubric::Format;
    /// let text = r#"
    /// kind = "priority"
    /// id = "p"
    /// version = "1"
    /// title = "t"
    /// source = "s"
    /// criteria = [{ id = "a", weight = 60 }, { id = "b", weight = 30 }]
    /// "#;
    /// let err = PriorityRubric::from_str_with_format("p.toml", text, Format::Toml).unwrap_err();
    /// assert!(err.to_string().contains("weights must sum to exactly 100, they sum to 90"));
    /// ```
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<PriorityRubric, RubricError> {
        Self::from_str_with_reader(file, text, format, &crate::script::read_from_disk)
    }

    /// Loads a rubric from text, reading the script files it names through `reader` (paths
    /// are the rubric's folder joined with the script's `file`); bindings without a file
    /// system pass a reader over bundled files. Scripts are compiled here, once.
    ///
    /// # Errors
    /// See [`PriorityRubric::from_path`]; a script that does not compile is a problem at
    /// its rubric path (`scripts.formula`) naming the script file, line and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::priority::PriorityRubric;
    /// use csrubric::rubric::Format;
    /// let text = r#"
    /// kind = "priority"
    /// id = "p"
    /// version = "1"
    /// title = "t"
    /// source = "s"
    /// model = "script"
    /// criteria = [{ id = "reach" }, { id = "effort" }]
    /// [scripts]
    /// formula = { source = "criteria.reach / max(criteria.effort, 1)" }
    /// "#;
    /// let no_files = |p: &std::path::Path| -> std::io::Result<String> {
    ///     Err(std::io::Error::new(std::io::ErrorKind::NotFound, p.display().to_string()))
    /// };
    /// let r = PriorityRubric::from_str_with_reader("p.toml", text, Format::Toml, &no_files)?;
    /// let req = csrubric::input::Record::new("a")
    ///     .with("reach", 300.into())
    ///     .with("effort", 4.into());
    /// let scored = r.score(&req)?;
    /// assert_eq!(scored.score.to_string(), "75.00"); // 300 / 4
    /// assert_eq!(scored.script.unwrap().returned.to_string(), "75");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_str_with_reader(
        file: &str,
        text: &str,
        format: Format,
        reader: crate::script::FileReader<'_>,
    ) -> Result<PriorityRubric, RubricError> {
        let parsed: PriorityRubricFile = rubric::load(file, text, format)?;
        let scripts = script::PriorityScripts::compile(&parsed, file, reader)?;
        // Script files count in the content hash (inline sources are in `text` already).
        let hashed = match &scripts {
            Some(s) if !s.file_texts.is_empty() => format!("{text}{}", s.file_texts),
            _ => text.to_string(),
        };
        let stamp = Stamp::new(&parsed.id, &parsed.version, hashed.as_bytes());
        Ok(PriorityRubric {
            file: Arc::new(parsed),
            stamp: Arc::new(stamp),
            scripts: scripts.map(Arc::new),
        })
    }

    /// The rubric's id, version and content hash.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The rubric as written.
    pub fn spec(&self) -> &PriorityRubricFile {
        &self.file
    }

    /// Scores and classifies one request.
    ///
    /// # Errors
    /// [`PriorityError`] naming the request and the criterion: a missing or non-numeric
    /// value, a value outside the scale or not allowed, a malformed `verticals`, `kano`,
    /// `classification` or `submitted` cell, a division by zero.
    pub fn score(&self, request: &Record) -> Result<PriorityResult, PriorityError> {
        let at = RequestRef {
            id: request.id.clone(),
            row: request.row,
        };
        let spec = &self.file;
        let verticals = match request.values.get(VERTICALS_COLUMN) {
            Some(v) => parse_verticals(v).map_err(|message| PriorityError::Verticals {
                at: at.clone(),
                message,
            })?,
            None => Vec::new(),
        };
        let has_verticals = request.values.contains_key(VERTICALS_COLUMN);
        let tier = has_verticals.then(|| tier(&verticals, &spec.cross_vertical));
        let mut contributions = Vec::with_capacity(spec.criteria.len());
        for c in &spec.criteria {
            contributions.push(self.value_of(c, request, tier, &at)?);
        }
        let formula_script = self.scripts.as_ref().and_then(|s| s.formula.as_ref());
        let mut formula_trace = None;
        let raw = match (&spec.model, &spec.formula, formula_script) {
            (Model::Formula, Some(f), _) => eval(f, &contributions, &at)?,
            (Model::Script, _, Some(s)) => {
                let (raw, trace) = script::run_formula(s, request, &contributions, &at)?;
                formula_trace = Some(trace);
                raw
            }
            _ => {
                let mut total = Decimal::ZERO;
                for c in &mut contributions {
                    let w = c.weight.unwrap_or(Decimal::ZERO);
                    let part = c
                        .effective
                        .checked_mul(w)
                        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                        .ok_or_else(|| PriorityError::Overflow { at: at.clone() })?;
                    // Normalized, like the health ledger: the value, not an artifact of
                    // the operands' scales (150 / 100 is 1.5, not "1.50").
                    c.contribution = Some(part.normalize());
                    total = total
                        .checked_add(part)
                        .ok_or_else(|| PriorityError::Overflow { at: at.clone() })?;
                }
                total
            }
        };
        let submitted = match request.text(SUBMITTED_COLUMN) {
            Some(t) => Some(
                NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| {
                    PriorityError::Date {
                        at: at.clone(),
                        value: t.clone(),
                    }
                })?,
            ),
            None => None,
        };
        let score = spec.rounding.apply(raw);
        let classification = self.classify(request, &at, &contributions, score, tier)?;
        Ok(PriorityResult {
            id: request.id.clone(),
            row: request.row,
            rank: 0,
            score,
            raw_score: raw.normalize(),
            relative: None,
            contributions,
            classification,
            cross_vertical_tier: tier,
            verticals,
            submitted,
            script: formula_trace,
            rubric: Arc::clone(&self.stamp),
        })
    }

    fn value_of(
        &self,
        c: &CriterionSpec,
        request: &Record,
        tier: Option<Tier>,
        at: &RequestRef,
    ) -> Result<Contribution, PriorityError> {
        let spec = &self.file;
        let derived = spec.cross_vertical.criterion.as_deref() == Some(c.id.as_str());
        let (value, source) = match (request.number(&c.id), derived.then_some(tier).flatten()) {
            (Some(_), Some(_)) => {
                return Err(PriorityError::Ambiguous {
                    at: at.clone(),
                    criterion: c.id.clone(),
                })
            }
            (Some(Ok(v)), None) => (v, "input"),
            (Some(Err(message)), None) => {
                return Err(PriorityError::NotANumber {
                    at: at.clone(),
                    criterion: c.id.clone(),
                    message,
                })
            }
            (None, Some(t)) => {
                let cv = &spec.cross_vertical;
                let v = match t {
                    Tier::High => cv.high.0,
                    Tier::Medium => cv.medium.0,
                    Tier::Low => cv.low.0,
                };
                (v, "verticals")
            }
            (None, None) => {
                return Err(PriorityError::Missing {
                    at: at.clone(),
                    criterion: c.id.clone(),
                })
            }
        };
        let (lo, hi) = c.bounds(spec.model);
        if lo.is_some_and(|l| value < l) || hi.is_some_and(|h| value > h) {
            let show = |d: Option<Decimal>| d.map_or_else(String::new, |d| d.to_string());
            return Err(PriorityError::OutOfScale {
                at: at.clone(),
                criterion: c.id.clone(),
                value,
                range: format!("{}..{}", show(lo), show(hi)),
            });
        }
        if let Some(allowed) = &c.allowed {
            if !allowed.iter().any(|a| a.0 == value) {
                return Err(PriorityError::NotAllowed {
                    at: at.clone(),
                    criterion: c.id.clone(),
                    value,
                    allowed: allowed
                        .iter()
                        .map(|a| a.0.normalize().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        let effective = match (c.reverse, lo, hi) {
            // Rubric bounds near the decimal limits can overflow `l + h`.
            (true, Some(l), Some(h)) => l
                .checked_add(h)
                .and_then(|s| s.checked_sub(value))
                .ok_or_else(|| PriorityError::Overflow { at: at.clone() })?,
            _ => value,
        };
        Ok(Contribution {
            criterion: c.id.clone(),
            value,
            source,
            effective,
            weight: c.weight.map(|w| w.0),
            contribution: None,
        })
    }

    /// Classifies a request: an explicit `classification` column wins; else the
    /// classification script, unless it returns `()`; else the first rule whose conditions
    /// all hold; else the Kano survey (`kano` column) mapped by the rubric; else
    /// unclassified, with the reason.
    fn classify(
        &self,
        request: &Record,
        at: &RequestRef,
        contributions: &[Contribution],
        score: Decimal,
        tier: Option<Tier>,
    ) -> Result<Classification, PriorityError> {
        let spec = &self.file.classification;
        let kano = match request.values.get(KANO_COLUMN) {
            Some(v) => {
                let answers = parse_answers(v).map_err(|message| PriorityError::Kano {
                    at: at.clone(),
                    message,
                })?;
                aggregate(&answers)
            }
            None => None,
        };
        let mut script_trace = None;
        let done = |class, by: String, kano, script| Classification {
            class: Some(class),
            by,
            reason: None,
            kano,
            script,
        };
        if let Some(text) = request.text(CLASSIFICATION_COLUMN) {
            let class = Class::parse(&text).ok_or_else(|| PriorityError::Classification {
                at: at.clone(),
                value: text.clone(),
            })?;
            return Ok(done(class, "column".into(), kano, None));
        }
        if let Some(s) = self.scripts.as_ref().and_then(|s| s.classify.as_ref()) {
            let facts = script::ClassifyFacts {
                contributions,
                score,
                tier,
                kano: kano.as_ref().map(|k| k.category),
            };
            let (class, trace) = script::run_classify(s, request, at, &facts)?;
            if let Some(class) = class {
                return Ok(done(class, "script".into(), kano, Some(trace)));
            }
            script_trace = Some(trace);
        }
        for (i, rule) in spec.rules.iter().enumerate() {
            if rule.when.iter().all(|c| holds(c, request)) {
                return Ok(done(rule.class, format!("rules[{i}]"), kano, script_trace));
            }
        }
        let reason = match &kano {
            Some(k) => {
                let m = &spec.kano;
                let mapped = match k.category {
                    KanoCategory::Attractive => m.attractive,
                    KanoCategory::OneDimensional => m.one_dimensional,
                    KanoCategory::MustBe => m.must_be,
                    KanoCategory::Indifferent => m.indifferent,
                    KanoCategory::Reverse => m.reverse,
                    KanoCategory::Questionable => m.questionable,
                };
                match mapped {
                    Some(class) => return Ok(done(class, "kano".into(), kano, script_trace)),
                    None => format!(
                        "no rule matched and the Kano result `{}` is not mapped to a class by the rubric",
                        k.category
                    ),
                }
            }
            None => "no `classification` given, no rule matched and no Kano answers".to_string(),
        };
        Ok(Classification {
            class: None,
            by: "none".into(),
            reason: Some(reason),
            kano,
            script: script_trace,
        })
    }

    /// Scores many requests; one result per request, in order.
    pub fn score_batch(&self, requests: &[Record]) -> Vec<Result<PriorityResult, PriorityError>> {
        requests.iter().map(|r| self.score(r)).collect()
    }

    /// Scores, filters and ranks a backlog.
    ///
    /// Order: rounded score, higher first; then each `ranking.prefer_higher` criterion,
    /// higher first; then earlier `submitted` date (requests without one after those with
    /// one); then id (byte order); then input row. The order is total, so the ranking does
    /// not depend on the order of the input. Requests that fail are listed in `failed` and
    /// do not stop the others.
    ///
    /// # Example
    /// ```
    /// use csrubric::priority::{PriorityRubric, RankOptions};
    /// use csrubric::input::read_csv;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/priority/kinos.toml");
    /// let rubric = PriorityRubric::from_path(path.as_ref())?;
    /// let rows = read_csv("b.csv", "id,customer_impact,strategic_alignment,revenue_impact,implementation_effort,cross_vertical_value\n\
    ///     a,3,3,3,3,3\nb,5,4,4,2,3\nc,6,1,1,1,1\n")?;
    /// let requests: Vec<_> = rows.into_iter().collect::<Result<_, _>>()?;
    /// let ranking = rubric.rank(&requests, &RankOptions::default());
    /// assert_eq!(ranking.ranked[0].id, "b");
    /// assert_eq!(ranking.ranked[0].rank, 1);
    /// assert_eq!(ranking.failed[0].code(), "out_of_scale");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rank(&self, requests: &[Record], options: &RankOptions) -> Ranking {
        let mut ranked = Vec::new();
        let mut failed = Vec::new();
        let mut filtered_out = 0;
        for (r, request) in self.score_batch(requests).into_iter().zip(requests) {
            match r {
                Err(e) => failed.push(e),
                Ok(res) if keep(&res, request, options) => ranked.push(res),
                Ok(_) => filtered_out += 1,
            }
        }
        ranked.sort_by(|a, b| self.compare(a, b));
        let best = ranked.first().map(|r| r.score);
        for (i, r) in ranked.iter_mut().enumerate() {
            r.rank = i + 1;
            if options.relative {
                r.relative = best
                    .filter(|b| !b.is_zero())
                    .and_then(|b| (r.score * Decimal::ONE_HUNDRED).checked_div(b))
                    .map(|x| x.round_dp(2));
            }
        }
        Ranking {
            ranked,
            failed,
            filtered_out,
        }
    }

    /// The ranking order of two scored requests (`Less` = ranked first).
    pub fn compare(&self, a: &PriorityResult, b: &PriorityResult) -> Ordering {
        let value = |r: &PriorityResult, c: &str| {
            r.contributions
                .iter()
                .find(|x| x.criterion == c)
                .map(|x| x.value)
        };
        let mut ord = b.score.cmp(&a.score);
        for c in &self.file.ranking.prefer_higher {
            ord = ord.then_with(|| value(b, c).cmp(&value(a, c)));
        }
        ord.then_with(|| match (a.submitted, b.submitted) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.row.cmp(&b.row))
    }
}

fn keep(r: &PriorityResult, request: &Record, o: &RankOptions) -> bool {
    if let Some(v) = &o.vertical {
        let origin = request
            .text(VERTICAL_COLUMN)
            .is_some_and(|x| x.trim().eq_ignore_ascii_case(v.trim()));
        let applies = r
            .verticals
            .iter()
            .any(|x| x.name.eq_ignore_ascii_case(v.trim()));
        if !origin && !applies {
            return false;
        }
    }
    if let Some(c) = &o.classification {
        let wanted = Class::parse(c).map_or("unclassified", Class::as_str);
        if c.trim() != "unclassified" && Class::parse(c).is_none() {
            return false;
        }
        if r.classification.label() != wanted {
            return false;
        }
    }
    if let Some(m) = o.min_score {
        if r.score < m {
            return false;
        }
    }
    true
}

fn holds(c: &ConditionSpec, request: &Record) -> bool {
    let Some(v) = request.values.get(&c.attribute) else {
        return false;
    };
    let text = request.text(&c.attribute).unwrap_or_default();
    if let Some(eq) = &c.equals {
        return match eq {
            AttrValue::Bool(b) => as_bool(v) == Some(*b),
            AttrValue::Text(t) => text.trim().eq_ignore_ascii_case(t.trim()),
        };
    }
    if let Some(list) = &c.one_of {
        return list
            .iter()
            .any(|t| text.trim().eq_ignore_ascii_case(t.trim()));
    }
    let Ok(n) = v.as_number() else {
        return false;
    };
    c.at_least.is_none_or(|l| n >= l.0) && c.at_most.is_none_or(|h| n <= h.0)
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if n.is_zero() => Some(false),
        Value::Number(n) if *n == Decimal::ONE => Some(true),
        Value::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Some(true),
            "false" | "no" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn eval(e: &Expr, values: &[Contribution], at: &RequestRef) -> Result<Decimal, PriorityError> {
    let overflow = || PriorityError::Overflow { at: at.clone() };
    match e {
        Expr::Criterion(c) => values
            .iter()
            .find(|x| &x.criterion == c)
            .map(|x| x.effective)
            .ok_or_else(|| PriorityError::Missing {
                at: at.clone(),
                criterion: c.clone(),
            }),
        Expr::Const { value } => Ok(value.0),
        Expr::Sum { sum } => sum.iter().try_fold(Decimal::ZERO, |acc, x| {
            acc.checked_add(eval(x, values, at)?).ok_or_else(overflow)
        }),
        Expr::Product { product } => product.iter().try_fold(Decimal::ONE, |acc, x| {
            acc.checked_mul(eval(x, values, at)?).ok_or_else(overflow)
        }),
        Expr::Quotient { divide, by } => {
            let d = eval(by, values, at)?;
            if d.is_zero() {
                return Err(PriorityError::DivisionByZero {
                    at: at.clone(),
                    term: describe(by),
                });
            }
            eval(divide, values, at)?
                .checked_div(d)
                .ok_or_else(overflow)
        }
    }
}

/// The formula as text, for messages and docs (`reach * impact * confidence / effort`).
///
/// # Example
/// ```
/// use csrubric::priority::{describe, Expr};
/// let e = Expr::Quotient {
///     divide: Box::new(Expr::Sum { sum: vec![Expr::Criterion("a".into()), Expr::Criterion("b".into())] }),
///     by: Box::new(Expr::Criterion("c".into())),
/// };
/// assert_eq!(describe(&e), "(a + b) / c");
/// ```
pub fn describe(e: &Expr) -> String {
    let join = |xs: &[Expr], op: &str| {
        let parts: Vec<String> = xs.iter().map(describe).collect();
        if parts.len() > 1 {
            format!("({})", parts.join(op))
        } else {
            parts.join(op)
        }
    };
    match e {
        Expr::Criterion(c) => c.clone(),
        Expr::Const { value } => value.0.normalize().to_string(),
        Expr::Sum { sum } => join(sum, " + "),
        Expr::Product { product } => join(product, " * "),
        Expr::Quotient { divide, by } => format!("{} / {}", describe(divide), describe(by)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (conformance vector `priority/kinos.json`, explain): contributions and the
    /// raw score printed trailing zeros from the operands' scales ("1.50" next to "1").
    #[test]
    fn explain_numbers_have_no_scale_artifacts() {
        let rubric = PriorityRubric::from_str_with_format(
            "k.toml",
            "kind = \"priority\"\nid = \"p\"\nversion = \"1\"\ntitle = \"P\"\nsource = \"t\"\n\
             model = \"weighted\"\n\
             [[criteria]]\nid = \"a\"\nweight = 30\n\
             [[criteria]]\nid = \"b\"\nweight = 70\nreverse = true\n",
            Format::Toml,
        )
        .unwrap();
        let r = rubric
            .score(
                &Record::new("x")
                    .with("a", Decimal::from(5))
                    .with("b", Decimal::from(2)),
            )
            .unwrap();
        let shown: Vec<String> = r
            .contributions
            .iter()
            .map(|c| c.contribution.unwrap().to_string())
            .collect();
        // 5 x 30 / 100 = 1.5; (6 - 2) x 70 / 100 = 2.8; 4.3 in all.
        assert_eq!(shown, ["1.5", "2.8"]);
        assert_eq!(r.raw_score.to_string(), "4.3");
        assert_eq!(r.score.to_string(), "4.30");
    }
}
