//! Customer segments, engagement models and advocacy levels.
//!
//! * [`Segment::for_employees`]: seed 002 "Customer Segmentation Strategy" names enterprise
//!   "1000+ employees", mid-market "100-1000" and small business "1-100". The ranges
//!   overlap at 100 and 1000; csrubric makes each boundary belong to the *larger* segment,
//!   so every count has exactly one segment: small 1-99, mid-market 100-999, enterprise
//!   1000 and more. Zero employees is an error, not a segment.
//! * [`EngagementModel::new`]: the segment's success strategy (seed 002) plus the resource
//!   tier of seed 004 "Resource Allocation (80/20 Rule)": a strategic customer (the 20%) is
//!   owned by John F. (technical) / Sofie (commercial) with monthly engagement and an
//!   executive sponsor; a standard one (the 80%) by John Web / Partners with quarterly
//!   check-ins.
//! * [`AdvocacyLevel::assess`]: seed 002 "Advocacy Framework" levels from NPS and success;
//!   [`AdvocacyProgram::eligible`]: seed 001 "Advocacy Development" criteria.
//!
//! # Example
//! ```
//! use csrubric::segment::{AdvocacyLevel, EngagementModel, Segment, Success};
//! assert_eq!(Segment::for_employees(100)?, Segment::MidMarket);
//! assert_eq!(Segment::for_employees(1000)?, Segment::Enterprise);
//! let model = EngagementModel::new(250, true)?;
//! assert_eq!(model.segment, Segment::MidMarket);
//! assert_eq!(model.owner, "John F. (technical) / Sofie (commercial)");
//! assert_eq!(AdvocacyLevel::assess(10, Success::Exceptional)?, Some(AdvocacyLevel::Champion));
//! assert_eq!(AdvocacyLevel::assess(6, Success::Exceptional)?, None);
//! # Ok::<(), csrubric::segment::SegmentError>(())
//! ```

use serde::{Deserialize, Serialize};

/// Errors of segmentation and advocacy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    /// A customer has at least one employee.
    #[error("employee count must be at least 1, not `{0}`")]
    NoEmployees(u64),
    /// NPS answers are 0-10.
    #[error("NPS score must be 0-10, not `{0}`")]
    NpsOutOfRange(u8),
}

impl SegmentError {
    /// A short stable code for bindings.
    pub fn code(&self) -> &'static str {
        match self {
            SegmentError::NoEmployees(_) => "segment_no_employees",
            SegmentError::NpsOutOfRange(_) => "segment_nps_out_of_range",
        }
    }
}

/// A customer segment by company size (seed 002).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// 1-99 employees (seed: "1-100").
    Small,
    /// 100-999 employees (seed: "100-1000").
    MidMarket,
    /// 1000 employees and more (seed: "1000+").
    Enterprise,
}

/// First employee count of the mid-market segment.
pub const MID_MARKET_FROM: u64 = 100;
/// First employee count of the enterprise segment.
pub const ENTERPRISE_FROM: u64 = 1000;

impl Segment {
    /// The segment of a company with `employees` employees.
    ///
    /// # Errors
    /// [`SegmentError::NoEmployees`] for 0.
    ///
    /// # Example
    /// ```
    /// use csrubric::segment::Segment;
    /// assert_eq!(Segment::for_employees(99)?, Segment::Small);
    /// assert_eq!(Segment::for_employees(999)?, Segment::MidMarket);
    /// assert!(Segment::for_employees(0).is_err());
    /// # Ok::<(), csrubric::segment::SegmentError>(())
    /// ```
    pub fn for_employees(employees: u64) -> Result<Segment, SegmentError> {
        match employees {
            0 => Err(SegmentError::NoEmployees(0)),
            n if n >= ENTERPRISE_FROM => Ok(Segment::Enterprise),
            n if n >= MID_MARKET_FROM => Ok(Segment::MidMarket),
            _ => Ok(Segment::Small),
        }
    }

    /// The id as written in files (`small`, `mid_market`, `enterprise`).
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Small => "small",
            Segment::MidMarket => "mid_market",
            Segment::Enterprise => "enterprise",
        }
    }
}

/// The resource tier of seed 004's 80/20 rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// The 80%: quarterly check-ins, AI-driven monitoring.
    Standard,
    /// The 20%: monthly engagement, executive sponsor.
    Strategic,
}

/// How a customer is served: segment strategy (seed 002) and resource tier (seed 004).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EngagementModel {
    /// The size segment.
    pub segment: Segment,
    /// The resource tier.
    pub tier: Tier,
    /// Who owns the customer (004).
    pub owner: &'static str,
    /// The support model (004): "Quarterly check-ins" or "Monthly engagement".
    pub support_model: &'static str,
    /// When escalation happens (004), for standard customers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation: Option<&'static str>,
    /// Executive sponsor (004), for strategic customers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executive_sponsor: Option<&'static str>,
    /// Who runs success for the segment (002).
    pub success_manager: &'static str,
    /// Onboarding period of the segment (002).
    pub onboarding: &'static str,
    /// Growth period of the segment (002).
    pub growth: &'static str,
    /// Review rhythm of the segment's growth phase (002).
    pub reviews: &'static str,
}

impl EngagementModel {
    /// The engagement model of a customer with `employees` employees, strategic or not.
    ///
    /// # Errors
    /// [`SegmentError::NoEmployees`] for 0.
    pub fn new(employees: u64, strategic: bool) -> Result<EngagementModel, SegmentError> {
        let segment = Segment::for_employees(employees)?;
        let (success_manager, onboarding, growth, reviews) = match segment {
            Segment::Enterprise => (
                "Dedicated customer success manager",
                "Months 1-3",
                "Months 4-12",
                "Regular business reviews",
            ),
            Segment::MidMarket => (
                "Assigned customer success specialist",
                "Months 1-2",
                "Months 3-12",
                "Monthly success reviews",
            ),
            Segment::Small => (
                "Automated onboarding sequence (self-service)",
                "Month 1",
                "Months 2-12",
                "Automated success campaigns",
            ),
        };
        let model = if strategic {
            EngagementModel {
                segment,
                tier: Tier::Strategic,
                owner: "John F. (technical) / Sofie (commercial)",
                support_model: "Monthly engagement",
                escalation: None,
                executive_sponsor: Some("Morten (2-3 accounts max)"),
                success_manager,
                onboarding,
                growth,
                reviews,
            }
        } else {
            EngagementModel {
                segment,
                tier: Tier::Standard,
                owner: "John Web / Partners",
                support_model: "Quarterly check-ins",
                escalation: Some("Only for technical issues"),
                executive_sponsor: None,
                success_manager,
                onboarding,
                growth,
                reviews,
            }
        };
        Ok(model)
    }
}

/// How far a customer got against its success metrics (seed 002 wording).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Success {
    /// Basic success metrics not met.
    NotMet,
    /// "Basic success metrics met".
    Met,
    /// "Exceeding success metrics".
    Exceeded,
    /// "Exceptional success and growth".
    Exceptional,
}

/// Seed 002's advocacy levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvocacyLevel {
    /// Level 1: NPS 7-8, basic success metrics met.
    Satisfied,
    /// Level 2: NPS 9-10, exceeding success metrics.
    Happy,
    /// Level 3: NPS 10, exceptional success and growth.
    Champion,
}

impl AdvocacyLevel {
    /// The highest level whose criteria hold, or `None` (a detractor, or success not met).
    ///
    /// Levels are cumulative: a customer meeting a higher level's NPS but only a lower
    /// level's success is placed at the lower level (NPS 9 with basic metrics met is
    /// *satisfied*: the seed lists 7-8 for level 1, but a promoter who only met the basics
    /// does not qualify for level 2, and is not less of an advocate than a passive).
    ///
    /// # Errors
    /// [`SegmentError::NpsOutOfRange`] above 10.
    ///
    /// # Example
    /// ```
    /// use csrubric::segment::{AdvocacyLevel, Success};
    /// assert_eq!(AdvocacyLevel::assess(9, Success::Exceptional)?, Some(AdvocacyLevel::Happy));
    /// assert_eq!(AdvocacyLevel::assess(10, Success::Met)?, Some(AdvocacyLevel::Satisfied));
    /// assert_eq!(AdvocacyLevel::assess(8, Success::NotMet)?, None);
    /// # Ok::<(), csrubric::segment::SegmentError>(())
    /// ```
    pub fn assess(nps: u8, success: Success) -> Result<Option<AdvocacyLevel>, SegmentError> {
        if nps > 10 {
            return Err(SegmentError::NpsOutOfRange(nps));
        }
        Ok(if nps == 10 && success >= Success::Exceptional {
            Some(AdvocacyLevel::Champion)
        } else if nps >= 9 && success >= Success::Exceeded {
            Some(AdvocacyLevel::Happy)
        } else if nps >= 7 && success >= Success::Met {
            Some(AdvocacyLevel::Satisfied)
        } else {
            None
        })
    }
}

/// What is known about a customer for seed 001's advocacy programs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdvocacyProfile {
    /// The implementation succeeded.
    pub successful_implementation: bool,
    /// Willing to speak to prospects.
    pub willing_to_speak: bool,
    /// Success is measured.
    pub measurable_success: bool,
    /// Willing to be named in public.
    pub willing_to_be_public: bool,
    /// Strong results.
    pub strong_results: bool,
    /// Has presentation skills.
    pub presentation_skills: bool,
    /// A strategic customer.
    pub strategic: bool,
    /// Executives are engaged.
    pub executive_engagement: bool,
    /// Deep product knowledge.
    pub deep_product_knowledge: bool,
    /// Advocates internally.
    pub internal_advocacy: bool,
}

/// Seed 001's advocacy programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvocacyProgram {
    /// Successful implementation, willing to speak: private reference calls.
    Reference,
    /// Measurable success, willing to be public: published case study.
    CaseStudy,
    /// Strong results, presentation skills: event speaking.
    Speaker,
    /// Strategic customer, executive engagement: quarterly advisory meetings.
    AdvisoryBoard,
    /// Deep product knowledge, internal advocacy: champion program.
    Champion,
}

impl AdvocacyProgram {
    /// Every program whose two criteria (seed 001) the customer meets, in the seed's order.
    ///
    /// # Example
    /// ```
    /// use csrubric::segment::{AdvocacyProfile, AdvocacyProgram};
    /// let p = AdvocacyProfile { successful_implementation: true, willing_to_speak: true,
    ///     strategic: true, ..Default::default() };
    /// assert_eq!(AdvocacyProgram::eligible(&p), vec![AdvocacyProgram::Reference]);
    /// ```
    pub fn eligible(p: &AdvocacyProfile) -> Vec<AdvocacyProgram> {
        [
            (
                AdvocacyProgram::Reference,
                p.successful_implementation && p.willing_to_speak,
            ),
            (
                AdvocacyProgram::CaseStudy,
                p.measurable_success && p.willing_to_be_public,
            ),
            (
                AdvocacyProgram::Speaker,
                p.strong_results && p.presentation_skills,
            ),
            (
                AdvocacyProgram::AdvisoryBoard,
                p.strategic && p.executive_engagement,
            ),
            (
                AdvocacyProgram::Champion,
                p.deep_product_knowledge && p.internal_advocacy,
            ),
        ]
        .into_iter()
        .filter(|(_, ok)| *ok)
        .map(|(program, _)| program)
        .collect()
    }
}
