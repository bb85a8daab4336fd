//! Customer health scores: weighted components, bands, missing-data policies, overrides,
//! an explanation ledger and "what would it take".
//!
//! A [`HealthRubric`] is loaded from a rubric file (see the README's rubric reference) and
//! scores [`Record`]s. Everything is exact decimal arithmetic:
//!
//! * a component's score is its direct input (on the component scale, reversed when
//!   `lower_is_better`) or the weighted mean of its metrics' scores;
//! * the raw score is `bottom + span * Σ wᵢ·(cᵢ - loᵢ)/(hiᵢ - loᵢ) / Σ wᵢ` over the components
//!   that count, where the sum is exact and the one division by the effective weight total
//!   is carried to 28 significant digits;
//! * the raw score is rounded **once**, as the rubric declares, and the band is chosen on the
//!   rounded score: the number displayed and the number banded are the same number.
//!
//! # Example
//! ```
//! use csrubric::health::{HealthRubric, ScoreOptions};
//! use csrubric::input::Record;
//! use rust_decimal::Decimal;
//!
//! let rubric = HealthRubric::from_toml_str("inline.toml", r#"
//!     kind = "health"
//!     id = "health/tiny"
//!     version = "1"
//!     title = "Tiny"
//!     source = "example"
//!     scale = "0-100"
//!     [[components]]
//!     id = "usage"
//!     weight = 60
//!     [[components]]
//!     id = "sentiment"
//!     weight = 40
//!     [[bands]]
//!     min = 70
//!     label = "Good"
//!     action = "Grow"
//!     owner = "CSM"
//!     urgency = "Low"
//!     [[bands]]
//!     min = 0
//!     label = "At Risk"
//!     action = "Rescue"
//!     owner = "CSM + Manager"
//!     urgency = "High"
//! "#)?;
//! let account = Record::new("acme")
//!     .with("usage", Decimal::from(80))
//!     .with("sentiment", Decimal::from(55));
//! let result = rubric.score(&account, &ScoreOptions::default())?;
//! assert_eq!(result.score.unwrap().to_string(), "70.00"); // 80*0.6 + 55*0.4
//! assert_eq!(result.band.as_ref().unwrap().label, "Good");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod columnar;
mod examples;
mod model;
mod rows;
mod score;
mod script;

use std::path::Path;
use std::sync::Arc;

pub use columnar::{
    BatchOptions, Column, ColumnBatch, ExtraOverrides, RowResult, RowStatus, Validity,
    PARALLEL_MIN_ROWS,
};
pub(crate) use examples::validate_examples;
pub use examples::{run_examples, Example, Expect, EXAMPLES_AS_OF};
pub use model::{
    BandSpec, ComponentSpec, Direction, HealthRubricFile, MetricSpec, MissingPolicy, MissingSpec,
    Scale, ScoringFunction, StepSpec, KIND,
};
pub use rows::{parse_overrides, score_health_rows, HealthRow, HealthSummary};
pub use score::{
    AppliedOverride, BandInfo, ComponentLedger, ComponentSource, HealthResult, Lift, MetricLedger,
    Override, OverrideTarget, ScoreOptions, Status, WhatItTakes,
};
pub(crate) use script::{
    alert_hooks, apply_adjustment, run_alert, run_component, run_metric, validate_rubric,
    CompiledScripts,
};
pub use script::{Adjustment, AlertHookSpec, ComponentScoring, ScriptsSpec};

use rust_decimal::Decimal;

use crate::decimal::Rounding;
use crate::input::{Record, RowRef};
use crate::rubric::{self, Format, RubricError, Stamp};

/// Errors scoring one account. The other accounts of a batch are unaffected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HealthError {
    /// An input cell is not a number.
    #[error("{at}: `{column}`: {message}")]
    NotANumber {
        /// Which account.
        at: AccountRef,
        /// The column.
        column: String,
        /// What the cell held.
        message: String,
    },
    /// A direct component score (or override) is outside the component scale.
    #[error("{at}: `{column}` = {value} is outside the component scale {min}-{max}")]
    OutOfScale {
        /// Which account.
        at: AccountRef,
        /// The column (or `override:<component>`).
        column: String,
        /// The value given.
        value: Decimal,
        /// Bottom of the scale.
        min: Decimal,
        /// Top of the scale.
        max: Decimal,
    },
    /// A component under the `error` policy has no input.
    #[error("{at}: component `{component}` is missing and its missing policy is `error`{detail}")]
    Missing {
        /// Which account.
        at: AccountRef,
        /// The component.
        component: String,
        /// Which metrics were absent, when some were given.
        detail: String,
    },
    /// A component was given both a direct score and metrics.
    #[error("{at}: component `{component}` has both a direct score and metric values ({metrics}); give one or the other")]
    Ambiguous {
        /// Which account.
        at: AccountRef,
        /// The component.
        component: String,
        /// The metric columns given.
        metrics: String,
    },
    /// An override is malformed or names something the rubric does not have.
    #[error("{at}: overrides[{index}]: {message}")]
    Override {
        /// Which account.
        at: AccountRef,
        /// Position in the account's override list.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// A rule script failed, hit a sandbox limit or returned something unusable.
    #[error("{error}")]
    Script {
        /// Which account.
        at: AccountRef,
        /// What the script did.
        error: Box<crate::script::ScriptError>,
    },
}

impl HealthError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            HealthError::NotANumber { .. } => "not_a_number",
            HealthError::OutOfScale { .. } => "out_of_scale",
            HealthError::Missing { .. } => "missing_input",
            HealthError::Ambiguous { .. } => "ambiguous_input",
            HealthError::Override { .. } => "invalid_override",
            HealthError::Script { error, .. } => error.code(),
        }
    }

    /// The account this error is about.
    pub fn account(&self) -> &AccountRef {
        match self {
            HealthError::NotANumber { at, .. }
            | HealthError::OutOfScale { at, .. }
            | HealthError::Missing { at, .. }
            | HealthError::Ambiguous { at, .. }
            | HealthError::Override { at, .. }
            | HealthError::Script { at, .. } => at,
        }
    }
}

/// Which account (and row) an error is about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountRef {
    /// The account id.
    pub id: String,
    /// 1-based data row, 0 when the account was built in code.
    pub row: usize,
}

impl std::fmt::Display for AccountRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row > 0 {
            write!(
                f,
                "{} (account `{}`)",
                RowRef {
                    row: self.row,
                    line: None
                },
                self.id
            )
        } else {
            write!(f, "account `{}`", self.id)
        }
    }
}

/// A loaded, validated health rubric, ready to score accounts. Cheap to clone and share
/// between threads.
#[derive(Clone, Debug)]
pub struct HealthRubric {
    inner: Arc<Compiled>,
}

#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) file: HealthRubricFile,
    pub(crate) stamp: Arc<Stamp>,
    pub(crate) scale: Scale,
    pub(crate) rounding: Rounding,
    pub(crate) components: Vec<CompiledComponent>,
    /// Bands sorted by descending `min`.
    pub(crate) bands: Vec<Arc<BandInfo>>,
    pub(crate) min_present: Decimal,
    /// Compiled rule scripts, when the rubric has any.
    pub(crate) scripts: Option<crate::health::CompiledScripts>,
}

#[derive(Debug)]
pub(crate) struct CompiledComponent {
    pub(crate) id: Arc<str>,
    pub(crate) weight: Decimal,
    pub(crate) lo: Decimal,
    pub(crate) hi: Decimal,
    pub(crate) direction: Direction,
    pub(crate) policy: MissingPolicy,
    pub(crate) default: Option<Decimal>,
    pub(crate) metrics: Vec<CompiledMetric>,
    pub(crate) script: Option<Arc<crate::script::Script>>,
}

#[derive(Debug)]
pub(crate) struct CompiledMetric {
    pub(crate) id: Arc<str>,
    pub(crate) weight: Decimal,
    pub(crate) direction: Direction,
    pub(crate) scoring: ScoringFunction,
    pub(crate) script: Option<Arc<crate::script::Script>>,
}

impl HealthRubric {
    /// Loads a rubric file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path and (TOML) the line and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::health::HealthRubric;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
    /// let rubric = HealthRubric::from_path(path.as_ref())?;
    /// assert_eq!(rubric.stamp().id, "health/slavkokernel");
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<HealthRubric, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads a rubric from TOML text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`HealthRubric::from_path`].
    pub fn from_toml_str(file: &str, text: &str) -> Result<HealthRubric, RubricError> {
        Self::from_str_with_format(file, text, Format::Toml)
    }

    /// Loads a rubric from JSON text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`HealthRubric::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::health::HealthRubric;
    /// let err = HealthRubric::from_json_str("r.json", r#"{"kind": "health"}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("r.json:1:"));
    /// assert!(err.to_string().contains("invalid rubric: .: missing field `id`"));
    /// ```
    pub fn from_json_str(file: &str, text: &str) -> Result<HealthRubric, RubricError> {
        Self::from_str_with_format(file, text, Format::Json)
    }

    /// Loads a rubric from text in the given format.
    ///
    /// # Errors
    /// See [`HealthRubric::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<HealthRubric, RubricError> {
        Self::from_str_with_reader(file, text, format, &crate::script::read_from_disk)
    }

    /// Loads a rubric from text, reading the script files it names through `reader`
    /// (paths are the rubric's folder joined with the script's `file`). Bindings without a
    /// file system (WASM) pass a reader over bundled files.
    ///
    /// # Errors
    /// See [`HealthRubric::from_path`]; a script file the reader cannot supply is a problem
    /// at the script's rubric path.
    ///
    /// # Example
    /// ```
    /// use csrubric::health::HealthRubric;
    /// use csrubric::rubric::Format;
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml"))?;
    /// let no_files = |p: &std::path::Path| -> std::io::Result<String> {
    ///     Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is not bundled", p.display())))
    /// };
    /// // slavkokernel has no script files, so no reader call is needed.
    /// let r = HealthRubric::from_str_with_reader("slavkokernel.toml", &text, Format::Toml, &no_files)?;
    /// assert_eq!(r.stamp().id, "health/slavkokernel");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_str_with_reader(
        file: &str,
        text: &str,
        format: Format,
        reader: crate::script::FileReader<'_>,
    ) -> Result<HealthRubric, RubricError> {
        let parsed: HealthRubricFile = rubric::load(file, text, format)?;
        let scripts = crate::health::CompiledScripts::compile(&parsed, file, reader)?;
        // Script files count in the content hash (inline sources are in `text` already).
        let hashed = match &scripts {
            Some(s) if !s.file_texts.is_empty() => format!("{text}{}", s.file_texts),
            _ => text.to_string(),
        };
        Ok(Self::compile(parsed, Stamp::new_for(&hashed), scripts))
    }

    fn compile(
        file: HealthRubricFile,
        stamp: impl FnOnce(&str, &str) -> Stamp,
        scripts: Option<crate::health::CompiledScripts>,
    ) -> HealthRubric {
        let script = |i: usize, j: Option<usize>| {
            let s = scripts.as_ref()?;
            match j {
                None => s.components.get(i)?.clone(),
                Some(j) => s.metrics.get(i)?.get(j)?.clone(),
            }
        };
        // Validation has checked that the weights sum to exactly 100, so this cannot overflow.
        let total = crate::decimal::checked_sum(file.components.iter().map(|c| c.weight.0))
            .unwrap_or(Decimal::ONE_HUNDRED);
        // Validation has accepted the scale, so parsing cannot fail here.
        let scale = Scale::parse(&file.scale, total).unwrap_or(Scale::Range {
            min: Decimal::ZERO,
            max: Decimal::ONE_HUNDRED,
        });
        let components = file
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (lo, hi) = scale.component_bounds(c.weight.0);
                CompiledComponent {
                    id: Arc::from(c.id.as_str()),
                    weight: c.weight.0,
                    lo,
                    hi,
                    direction: c.direction,
                    policy: c.missing.unwrap_or(file.missing.policy),
                    default: c.default.map(|d| d.0),
                    metrics: c
                        .metrics
                        .iter()
                        .enumerate()
                        .map(|(j, m)| CompiledMetric {
                            id: Arc::from(m.id.as_str()),
                            weight: m.weight.0,
                            direction: m.direction,
                            scoring: m.scoring.clone(),
                            script: script(i, Some(j)),
                        })
                        .collect(),
                    script: script(i, None),
                }
            })
            .collect();
        let mut bands: Vec<Arc<BandInfo>> = file
            .bands
            .iter()
            .map(|b| {
                Arc::new(BandInfo {
                    label: b.label.clone(),
                    min: b.min.0,
                    action: b.action.clone(),
                    owner: b.owner.clone(),
                    urgency: b.urgency.clone(),
                })
            })
            .collect();
        bands.sort_by_key(|b| std::cmp::Reverse(b.min));
        let stamp = Arc::new(stamp(&file.id, &file.version));
        HealthRubric {
            inner: Arc::new(Compiled {
                scale,
                rounding: file.rounding,
                components,
                bands,
                min_present: file.missing.min_present.map_or(Decimal::ZERO, |d| d.0),
                scripts,
                stamp,
                file,
            }),
        }
    }

    /// The rubric's id, version and content hash.
    pub fn stamp(&self) -> &Stamp {
        &self.inner.stamp
    }

    /// The rubric as written in its file.
    pub fn spec(&self) -> &HealthRubricFile {
        &self.inner.file
    }

    /// The compiled rubric, for the script and history modules.
    pub(crate) fn compiled(&self) -> &Compiled {
        &self.inner
    }

    /// The scale of the score.
    pub fn scale(&self) -> Scale {
        self.inner.scale
    }

    /// The declared rounding.
    pub fn rounding(&self) -> Rounding {
        self.inner.rounding
    }

    /// Bands from the top down.
    pub fn bands(&self) -> impl Iterator<Item = &BandInfo> {
        self.inner.bands.iter().map(|b| b.as_ref())
    }

    /// Whether a rule script of this rubric reads the account's whole row (`inputs`, at the
    /// adjust or alert hooks), so that any column may matter, not only
    /// [`HealthRubric::input_columns`].
    ///
    /// # Example
    /// ```
    /// use csrubric::health::HealthRubric;
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health");
    /// let plain = HealthRubric::from_path(format!("{dir}/slavkokernel.toml").as_ref())?;
    /// let gated = HealthRubric::from_path(format!("{dir}/kinos-health.toml").as_ref())?;
    /// assert!(!plain.reads_every_column());
    /// assert!(gated.reads_every_column()); // its compliance gate reads `inputs.baa_signed`
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn reads_every_column(&self) -> bool {
        self.inner.scripts.as_ref().is_some_and(|s| {
            s.adjust.as_ref().is_some_and(|a| a.uses("inputs"))
                || s.alerts.iter().any(|(_, a)| a.uses("inputs"))
        })
    }

    /// Every input column this rubric reads (component ids and metric ids), in rubric order.
    pub fn input_columns(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for c in &self.inner.components {
            out.push(c.id.as_ref());
            out.extend(c.metrics.iter().map(|m| m.id.as_ref()));
        }
        out
    }

    /// The band a rounded score falls in: the highest band whose `min` it reaches.
    ///
    /// # Example
    /// ```
    /// use csrubric::health::HealthRubric;
    /// use rust_decimal::Decimal;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
    /// let rubric = HealthRubric::from_path(path.as_ref())?;
    /// assert_eq!(rubric.band_for(Decimal::from(85)).unwrap().label, "Excellent");
    /// assert_eq!(rubric.band_for(Decimal::new(8499, 2)).unwrap().label, "Good");
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn band_for(&self, score: Decimal) -> Option<&BandInfo> {
        self.inner.band_for(score).map(|b| b.as_ref())
    }

    /// Scores one account.
    ///
    /// # Errors
    /// [`HealthError`] when an input is not a number, outside its scale, missing under the
    /// `error` policy, ambiguous, or an override is invalid.
    pub fn score(
        &self,
        account: &Record,
        options: &ScoreOptions,
    ) -> Result<HealthResult, HealthError> {
        score::score(&self.inner, account, &[], options)
    }

    /// Scores one account with manual overrides.
    ///
    /// # Errors
    /// As [`HealthRubric::score`], plus [`HealthError::Override`] for an override that names
    /// an unknown component or band or whose value is outside the scale.
    pub fn score_with_overrides(
        &self,
        account: &Record,
        overrides: &[Override],
        options: &ScoreOptions,
    ) -> Result<HealthResult, HealthError> {
        score::score(&self.inner, account, overrides, options)
    }

    /// Scores many accounts; one result per account, in order, each scored or failed.
    ///
    /// Overrides may be carried by each record's `overrides` cell (a JSON list); see
    /// [`Override::parse_list`].
    ///
    /// # Example
    /// ```
    /// use csrubric::health::{HealthRubric, ScoreOptions};
    /// use csrubric::input::read_csv;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/health/slavkokernel.toml");
    /// let rubric = HealthRubric::from_path(path.as_ref())?;
    /// let rows = read_csv("accounts.csv", "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential\n\
    ///     a,90,90,90,90,90\n\
    ///     b,90,90,900,90,90\n")?;
    /// let accounts: Vec<_> = rows.into_iter().collect::<Result<_, _>>()?;
    /// let results = rubric.score_batch(&accounts, &ScoreOptions::default());
    /// assert_eq!(results[0].as_ref().unwrap().score.unwrap().to_string(), "90.00");
    /// assert_eq!(results[1].as_ref().unwrap_err().code(), "out_of_scale");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn score_batch(
        &self,
        accounts: &[Record],
        options: &ScoreOptions,
    ) -> Vec<Result<HealthResult, HealthError>> {
        accounts
            .iter()
            .map(|a| {
                let at = AccountRef {
                    id: a.id.clone(),
                    row: a.row,
                };
                let overrides = match a.values.get("overrides") {
                    Some(v) => match Override::parse_list(v) {
                        Ok(o) => o,
                        Err((index, message)) => {
                            return Err(HealthError::Override { at, index, message })
                        }
                    },
                    None => Vec::new(),
                };
                score::score(&self.inner, a, &overrides, options)
            })
            .collect()
    }
}

impl Compiled {
    pub(crate) fn band_for(&self, score: Decimal) -> Option<&Arc<BandInfo>> {
        self.bands.iter().find(|b| score >= b.min)
    }
}

impl Stamp {
    /// A stamp maker for a rubric text, applied once the id and version are known.
    pub(crate) fn new_for(text: &str) -> impl FnOnce(&str, &str) -> Stamp + '_ {
        move |id, version| Stamp::new(id, version, text.as_bytes())
    }
}
