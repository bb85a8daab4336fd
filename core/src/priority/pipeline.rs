//! The feedback-to-feature pipeline (seed 000 section 4.1) and its KPIs (section 6.1).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::PriorityError;

/// A pipeline stage, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 1. Insight collection.
    Collection,
    /// 2. Initial screening (CS triage).
    Screening,
    /// 3. Analysis and enrichment.
    Analysis,
    /// 4. Cross-vertical review.
    CrossVerticalReview,
    /// 5. Prioritization scoring.
    Prioritization,
    /// 6. Development planning.
    Planning,
    /// 7. Implementation.
    Implementation,
    /// 8. Validation with the originating customers.
    Validation,
    /// Closed without a product change (allowed from screening up to planning).
    Declined,
}

impl Stage {
    const ORDER: [Stage; 8] = [
        Stage::Collection,
        Stage::Screening,
        Stage::Analysis,
        Stage::CrossVerticalReview,
        Stage::Prioritization,
        Stage::Planning,
        Stage::Implementation,
        Stage::Validation,
    ];

    /// Whether `self -> to` is a legal move: the next stage in order, or `declined` from any
    /// stage before implementation. Nothing leaves `validation` or `declined`.
    ///
    /// # Example
    /// ```
    /// use csrubric::priority::Stage;
    /// assert!(Stage::Planning.can_move_to(Stage::Implementation));
    /// assert!(!Stage::Prioritization.can_move_to(Stage::Validation));
    /// assert!(!Stage::Implementation.can_move_to(Stage::Declined));
    /// ```
    pub fn can_move_to(self, to: Stage) -> bool {
        if to == Stage::Declined {
            return self < Stage::Implementation;
        }
        let pos = |s: Stage| Stage::ORDER.iter().position(|x| *x == s);
        matches!((pos(self), pos(to)), (Some(a), Some(b)) if b == a + 1)
    }
}

/// One request's way through the pipeline: the date it entered each stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The request id.
    pub id: String,
    /// Stages entered, in order, with the date entered.
    pub entered: Vec<(Stage, NaiveDate)>,
    /// How many verticals adopted the result (for the cross-vertical implementation rate).
    pub verticals_adopted: u32,
}

impl History {
    /// A request collected on `date`.
    pub fn new(id: impl Into<String>, date: NaiveDate) -> History {
        History {
            id: id.into(),
            entered: vec![(Stage::Collection, date)],
            verticals_adopted: 0,
        }
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        self.entered.last().map_or(Stage::Collection, |(s, _)| *s)
    }

    /// Moves to `to` on `date`.
    ///
    /// # Errors
    /// [`PriorityError::IllegalMove`] for a move [`Stage::can_move_to`] rejects or a date
    /// before the current stage was entered.
    ///
    /// # Example
    /// ```
    /// use csrubric::priority::{History, Stage};
    /// use chrono::NaiveDate;
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 1, day).unwrap();
    /// let mut h = History::new("r1", d(1));
    /// h.advance(Stage::Screening, d(3))?;
    /// assert_eq!(h.advance(Stage::Validation, d(4)).unwrap_err().code(), "illegal_move");
    /// # Ok::<(), csrubric::priority::PriorityError>(())
    /// ```
    pub fn advance(&mut self, to: Stage, date: NaiveDate) -> Result<(), PriorityError> {
        let (from, since) = self
            .entered
            .last()
            .copied()
            .unwrap_or((Stage::Collection, date));
        let err = |message: String| PriorityError::IllegalMove {
            id: self.id.clone(),
            from,
            to,
            message,
        };
        if !from.can_move_to(to) {
            return Err(err("not a legal move".into()));
        }
        if date < since {
            return Err(err(format!(
                "{date} is before {since}, when `{from:?}` began"
            )));
        }
        self.entered.push((to, date));
        Ok(())
    }

    /// Days spent in each stage entered; the current stage counts up to `as_of`.
    pub fn time_in_stage(&self, as_of: NaiveDate) -> Vec<(Stage, i64)> {
        self.entered
            .iter()
            .enumerate()
            .map(|(i, (s, start))| {
                let end = self.entered.get(i + 1).map_or(as_of, |(_, d)| *d);
                (*s, (end - *start).num_days())
            })
            .collect()
    }

    fn entered_at(&self, stage: Stage) -> Option<NaiveDate> {
        self.entered
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, d)| *d)
    }
}

/// Pipeline KPIs over a set of requests (seed 000 section 6.1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PipelineKpis {
    /// Requests considered.
    pub requests: usize,
    /// Requests that reached implementation (a product change).
    pub implemented: usize,
    /// Average days from collection to validation (the feature launched and is being
    /// confirmed with customers), over requests that reached validation; `None` if none did.
    pub time_to_implementation_days: Option<Decimal>,
    /// Whether that average is under the seed's 90-day target.
    pub time_to_implementation_met: Option<bool>,
    /// Percent of requests that reached implementation (seed target > 25%).
    pub feedback_utilization_rate: Option<Decimal>,
    /// Percent of implemented requests adopted by two or more verticals (seed target > 30%).
    pub cross_vertical_implementation_rate: Option<Decimal>,
}

/// Computes the pipeline KPIs; rates are percents, exact, unrounded.
///
/// # Example
/// ```
/// use csrubric::priority::{kpis, History, Stage};
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let mut a = History::new("a", d(1, 1));
/// for (s, day) in [(Stage::Screening, 2), (Stage::Analysis, 3), (Stage::CrossVerticalReview, 4),
///                  (Stage::Prioritization, 5), (Stage::Planning, 6), (Stage::Implementation, 7)] {
///     a.advance(s, d(1, day))?;
/// }
/// a.advance(Stage::Validation, d(3, 1))?; // 59 days after collection
/// let b = History::new("b", d(1, 1));
/// let k = kpis(&[a, b]);
/// assert_eq!(k.time_to_implementation_days.unwrap().to_string(), "59");
/// assert_eq!(k.feedback_utilization_rate.unwrap().to_string(), "50");
/// # Ok::<(), csrubric::priority::PriorityError>(())
/// ```
pub fn kpis(histories: &[History]) -> PipelineKpis {
    let hundred = Decimal::ONE_HUNDRED;
    let implemented: Vec<&History> = histories
        .iter()
        .filter(|h| h.entered_at(Stage::Implementation).is_some())
        .collect();
    let durations: Vec<i64> = histories
        .iter()
        .filter_map(|h| {
            let start = h.entered_at(Stage::Collection)?;
            let end = h.entered_at(Stage::Validation)?;
            Some((end - start).num_days())
        })
        .collect();
    let ratio = |n: usize, d: usize| (d > 0).then(|| Decimal::from(n) * hundred / Decimal::from(d));
    let avg = (!durations.is_empty())
        .then(|| Decimal::from(durations.iter().sum::<i64>()) / Decimal::from(durations.len()));
    PipelineKpis {
        requests: histories.len(),
        implemented: implemented.len(),
        time_to_implementation_days: avg.map(|a| a.normalize()),
        time_to_implementation_met: avg.map(|a| a < Decimal::from(90)),
        feedback_utilization_rate: ratio(implemented.len(), histories.len()).map(|r| r.normalize()),
        cross_vertical_implementation_rate: ratio(
            implemented
                .iter()
                .filter(|h| h.verticals_adopted >= 2)
                .count(),
            implemented.len(),
        )
        .map(|r| r.normalize()),
    }
}
