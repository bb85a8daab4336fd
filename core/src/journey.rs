//! Customer journey stages and touch-point cadences.
//!
//! * [`JourneyMap::stage`]: where a customer is on a given day, and who owns it, from the
//!   contract signature, go-live and contract end dates.
//!   - [`JourneyMap::CradleToGrave`], seed 004 "Customer Journey Stages": 1 Pre-Sale (Sofie
//!     (Sales)) until the contract is signed; 2 Implementation (John Web / Partners, 9-12
//!     weeks) until go-live; 3 Adoption (Customer Success Manager) for the first 3 months
//!     after go-live; 4 Value Realization (Customer Success Manager) months 4-12; 5 Growth &
//!     Expansion (Account Team) from year 2; 6 Renewal or Transition (CSM + Sales) from 90
//!     days before the contract end.
//!   - [`JourneyMap::SlavkoKernel`], seed 001 "Customer Journey Map": 1 Pre-Sales &
//!     Discovery (Sales), 2 Onboarding & Implementation (CS Manager) until go-live (the
//!     seed's handover), 3 Adoption & Value Realization (CS Manager), 4 Growth &
//!     Optimization (CS Manager), 5 Renewal & Advocacy (CS Manager + Sales) from 90 days
//!     before renewal (the seed's "Renewal Planning: 90 days pre-renewal"). Seed 001 gives
//!     no length for phases 3 and 4: csrubric uses seed 004's boundary (phase 3 is the first
//!     12 months after go-live, phase 4 after that).
//!
//!   Month boundaries are calendar months from go-live (Jan 31 + 3 months = Apr 30).
//!   Without a signature date nothing is pre-sale; without a contract end nothing is
//!   renewal.
//! * [`touch_points`]: seed 004 "Touch Point Cadence". Standard customers: a welcome call
//!   in week 1, an adoption check at month 1, a business review every quarter, strategic
//!   planning every year. Strategic customers: an executive kickoff in week 1, progress calls
//!   every two weeks in the first quarter, a success review every month, an executive
//!   briefing every quarter. "Week 1" is dated at its last day (go-live + 6 days); the
//!   others at go-live + *n* weeks or months (month arithmetic from go-live, not from the
//!   previous touch point, so a Jan 31 go-live reviews on Feb 28, Mar 31, Apr 30...).
//!
//! # Example
//! ```
//! use csrubric::journey::{touch_points, JourneyDates, JourneyMap};
//! use csrubric::segment::Tier;
//! use chrono::NaiveDate;
//! let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let dates = JourneyDates { signed: Some(d("2026-01-05")), go_live: d("2026-03-30"),
//!     contract_end: Some(d("2027-01-04")) };
//! let s = JourneyMap::CradleToGrave.stage(&dates, d("2026-05-15"))?;
//! assert_eq!((s.number, s.stage, s.owner), (3, "Adoption", "Customer Success Manager"));
//! let plan = touch_points(Tier::Standard, d("2026-03-30"), d("2026-07-01"))?;
//! let got: Vec<String> = plan.iter().map(|t| format!("{} {}", t.date, t.kind)).collect();
//! assert_eq!(got, ["2026-04-05 welcome_call", "2026-04-30 adoption_check",
//!     "2026-06-30 business_review"]);
//! # Ok::<(), csrubric::journey::JourneyError>(())
//! ```

use chrono::{Months, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::segment::Tier;

/// Errors computing journey stages and touch points.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JourneyError {
    /// The dates are not in order (signature after go-live, go-live after contract end).
    #[error("`{later}` {later_date} is before `{earlier}` {earlier_date}")]
    OutOfOrder {
        /// The field that should come first.
        earlier: &'static str,
        /// Its date.
        earlier_date: NaiveDate,
        /// The field that should come later.
        later: &'static str,
        /// Its date.
        later_date: NaiveDate,
    },
    /// A touch-point horizon before go-live or more than ten years after it.
    #[error(
        "touch-point horizon {until} must be between go-live {go_live} and ten years after it"
    )]
    Horizon {
        /// Go-live.
        go_live: NaiveDate,
        /// The horizon asked for.
        until: NaiveDate,
    },
}

impl JourneyError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            JourneyError::OutOfOrder { .. } => "journey_out_of_order",
            JourneyError::Horizon { .. } => "journey_horizon",
        }
    }
}

/// The dates a customer's journey is placed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyDates {
    /// Contract signed (end of pre-sale), when known.
    pub signed: Option<NaiveDate>,
    /// Go-live (end of implementation).
    pub go_live: NaiveDate,
    /// Contract end (renewal), when known.
    pub contract_end: Option<NaiveDate>,
}

/// Which seed's journey map. Written `cradle_to_grave` / `slavko_kernel`; the CLI's
/// spellings `cradle-to-grave` and `slavkokernel` are read too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JourneyMap {
    /// Seed 004's six stages (the default).
    #[default]
    #[serde(alias = "cradle-to-grave")]
    CradleToGrave,
    /// Seed 001's five phases.
    #[serde(alias = "slavkokernel")]
    SlavkoKernel,
}

/// Where a customer is on its journey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageInfo {
    /// The map used.
    pub map: JourneyMap,
    /// Stage number in the map (1-based).
    pub number: u8,
    /// Stage name, as in the seed.
    pub stage: &'static str,
    /// Who owns the stage.
    pub owner: &'static str,
    /// When the stage began, when known.
    pub since: Option<NaiveDate>,
    /// When the stage ends, when it has a fixed end.
    pub until: Option<NaiveDate>,
    /// Implementation only (004): the seed's 9-12 weeks from signature have passed
    /// without go-live.
    pub implementation_overdue: bool,
}

/// Days before the contract end when the renewal stage begins (004 stage 6; 001 phase 5).
pub const RENEWAL_STAGE_DAYS: i64 = 90;

fn add_months(d: NaiveDate, m: u32) -> Option<NaiveDate> {
    d.checked_add_months(Months::new(m))
}

impl JourneyMap {
    /// The stage on `today`.
    ///
    /// # Errors
    /// [`JourneyError::OutOfOrder`] when the signature is after go-live or go-live after
    /// the contract end.
    pub fn stage(&self, dates: &JourneyDates, today: NaiveDate) -> Result<StageInfo, JourneyError> {
        if let Some(s) = dates.signed.filter(|s| *s > dates.go_live) {
            return Err(JourneyError::OutOfOrder {
                earlier: "signed",
                earlier_date: s,
                later: "go_live",
                later_date: dates.go_live,
            });
        }
        if let Some(e) = dates.contract_end.filter(|e| *e < dates.go_live) {
            return Err(JourneyError::OutOfOrder {
                earlier: "go_live",
                earlier_date: dates.go_live,
                later: "contract_end",
                later_date: e,
            });
        }
        let go = dates.go_live;
        let renewal_from = dates
            .contract_end
            .and_then(|e| e.checked_sub_signed(TimeDelta::days(RENEWAL_STAGE_DAYS)));
        let three = add_months(go, 3);
        let twelve = add_months(go, 12);
        let info = |number, stage, owner, since, until| StageInfo {
            map: *self,
            number,
            stage,
            owner,
            since,
            until,
            implementation_overdue: false,
        };
        let cg = *self == JourneyMap::CradleToGrave;
        if let Some(from) = renewal_from.filter(|f| today >= *f && today >= go) {
            return Ok(if cg {
                info(
                    6,
                    "Renewal or Transition",
                    "CSM + Sales",
                    Some(from),
                    dates.contract_end,
                )
            } else {
                info(
                    5,
                    "Renewal & Advocacy",
                    "CS Manager + Sales",
                    Some(from),
                    dates.contract_end,
                )
            });
        }
        if dates.signed.is_some_and(|s| today < s) {
            return Ok(if cg {
                info(1, "Pre-Sale", "Sofie (Sales)", None, dates.signed)
            } else {
                info(1, "Pre-Sales & Discovery", "Sales", None, dates.signed)
            });
        }
        if today < go {
            let mut s = if cg {
                info(
                    2,
                    "Implementation",
                    "John Web / Partners",
                    dates.signed,
                    Some(go),
                )
            } else {
                info(
                    2,
                    "Onboarding & Implementation",
                    "CS Manager",
                    dates.signed,
                    Some(go),
                )
            };
            s.implementation_overdue = cg
                && dates
                    .signed
                    .and_then(|sg| sg.checked_add_signed(TimeDelta::weeks(12)))
                    .is_some_and(|limit| today > limit);
            return Ok(s);
        }
        let cap = |d: Option<NaiveDate>| match (d, renewal_from) {
            (Some(d), Some(r)) => Some(d.min(r)),
            (d, _) => d,
        };
        Ok(if cg {
            if three.is_some_and(|t| today < t) {
                info(
                    3,
                    "Adoption",
                    "Customer Success Manager",
                    Some(go),
                    cap(three),
                )
            } else if twelve.is_some_and(|t| today < t) {
                info(
                    4,
                    "Value Realization",
                    "Customer Success Manager",
                    three,
                    cap(twelve),
                )
            } else {
                info(
                    5,
                    "Growth & Expansion",
                    "Account Team",
                    twelve,
                    renewal_from,
                )
            }
        } else if twelve.is_some_and(|t| today < t) {
            info(
                3,
                "Adoption & Value Realization",
                "CS Manager",
                Some(go),
                cap(twelve),
            )
        } else {
            info(
                4,
                "Growth & Optimization",
                "CS Manager",
                twelve,
                renewal_from,
            )
        })
    }
}

/// One dated touch point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TouchPoint {
    /// The day.
    pub date: NaiveDate,
    /// Stable id (`welcome_call`, `business_review`...).
    pub kind: &'static str,
    /// Label, as in the seed.
    pub label: &'static str,
    /// Who runs it (004 resource allocation).
    pub owner: &'static str,
}

/// Every touch point of a customer of `tier` from go-live up to and including `until`,
/// by date (ties in the seed's order).
///
/// # Errors
/// [`JourneyError::Horizon`] when `until` is before go-live or more than ten years after.
pub fn touch_points(
    tier: Tier,
    go_live: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<TouchPoint>, JourneyError> {
    let horizon_err = JourneyError::Horizon { go_live, until };
    if until < go_live || add_months(go_live, 120).is_none_or(|max| until > max) {
        return Err(horizon_err);
    }
    let mut out: Vec<(NaiveDate, usize, TouchPoint)> = Vec::new();
    let mut add = |order: usize, date: Option<NaiveDate>, kind, label, owner| {
        if let Some(date) = date.filter(|d| *d <= until) {
            out.push((
                date,
                order,
                TouchPoint {
                    date,
                    kind,
                    label,
                    owner,
                },
            ));
        }
    };
    let week1 = go_live.checked_add_signed(TimeDelta::days(6));
    let quarter_end = add_months(go_live, 3);
    match tier {
        Tier::Standard => {
            let owner = "John Web / Partners";
            add(0, week1, "welcome_call", "Welcome call", owner);
            add(
                1,
                add_months(go_live, 1),
                "adoption_check",
                "Adoption check",
                owner,
            );
            for q in (3..=120).step_by(3) {
                add(
                    2,
                    add_months(go_live, q),
                    "business_review",
                    "Business review",
                    owner,
                );
            }
            for y in (12..=120).step_by(12) {
                add(
                    3,
                    add_months(go_live, y),
                    "strategic_planning",
                    "Strategic planning",
                    owner,
                );
            }
        }
        Tier::Strategic => {
            let owner = "John F. (technical) / Sofie (commercial)";
            add(0, week1, "executive_kickoff", "Executive kickoff", owner);
            for w in (2..=14).step_by(2) {
                let d = go_live.checked_add_signed(TimeDelta::weeks(w));
                if d.zip(quarter_end).is_some_and(|(d, q)| d <= q) {
                    add(1, d, "progress_call", "Progress call", owner);
                }
            }
            for m in 1..=120 {
                add(
                    2,
                    add_months(go_live, m),
                    "success_review",
                    "Success review",
                    owner,
                );
            }
            for q in (3..=120).step_by(3) {
                add(
                    3,
                    add_months(go_live, q),
                    "executive_briefing",
                    "Executive briefing",
                    owner,
                );
            }
        }
    }
    out.sort_by_key(|(d, o, _)| (*d, *o));
    Ok(out.into_iter().map(|(_, _, t)| t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn strategic_first_quarter_by_hand() {
        // Go-live Monday 2026-01-05: kickoff Jan 11; progress calls every 14 days while on
        // or before the quarter end (Apr 5): Jan 19, Feb 2, 16, Mar 2, 16, 30; success
        // reviews Feb 5, Mar 5, Apr 5; executive briefing Apr 5.
        let t = touch_points(Tier::Strategic, d("2026-01-05"), d("2026-04-05")).unwrap();
        let got: Vec<String> = t.iter().map(|t| format!("{} {}", t.date, t.kind)).collect();
        assert_eq!(
            got,
            [
                "2026-01-11 executive_kickoff",
                "2026-01-19 progress_call",
                "2026-02-02 progress_call",
                "2026-02-05 success_review",
                "2026-02-16 progress_call",
                "2026-03-02 progress_call",
                "2026-03-05 success_review",
                "2026-03-16 progress_call",
                "2026-03-30 progress_call",
                "2026-04-05 success_review",
                "2026-04-05 executive_briefing",
            ]
        );
    }

    #[test]
    fn month_end_go_live_keeps_month_ends() {
        let t = touch_points(Tier::Standard, d("2027-01-31"), d("2028-01-31")).unwrap();
        let got: Vec<String> = t.iter().map(|t| format!("{} {}", t.date, t.kind)).collect();
        assert_eq!(
            got,
            [
                "2027-02-06 welcome_call",
                "2027-02-28 adoption_check",
                "2027-04-30 business_review",
                "2027-07-31 business_review",
                "2027-10-31 business_review",
                "2028-01-31 business_review",
                "2028-01-31 strategic_planning",
            ]
        );
        assert!(touch_points(Tier::Standard, d("2027-01-31"), d("2027-01-30")).is_err());
    }
}
