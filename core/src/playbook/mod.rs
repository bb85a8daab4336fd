//! Playbooks: dated onboarding and implementation plans, ticket triage and routing, and CSM
//! capacity, each from a rubric file.
//!
//! Four rubric kinds live here:
//!
//! * `plan` ([`PlanTemplate`]): phases with week ranges, activities with owners and
//!   deliverables, implementation packages and industry templates with their timelines;
//!   scheduled in business days on a [`Calendar`](crate::calendar::Calendar) from a kickoff
//!   date ([`PlanTemplate::schedule`]), and checked against a date ([`Plan::status`]).
//! * `triage` ([`TriageRules`]): priority P1-P4 from impact and urgency attributes, then a
//!   route by category and tier; both are decision tables evaluated by the escalation
//!   module's engine ([`EscalationMatrix`](crate::escalation::EscalationMatrix)), with its
//!   hit policies and static checks; an unmatched ticket gets the file's explicit fallback
//!   route and a warning.
//! * `interventions` ([`InterventionRules`]): risk levels, risk categories and intervention
//!   playbooks; an account's health band and flagged risks give its risk level (owner,
//!   timeline) and the playbooks that apply, each due with a measurable exit condition
//!   ([`SelectedPlaybook::exit_status`]).
//! * `capacity` ([`CapacityRatios`]): accounts-per-role ratios turned into headcount at both
//!   ends of each ratio (exact integer ceilings), compared with a roster, with uncovered
//!   accounts listed and the portfolio's standard/strategic split.
//!
//! # Example
//! ```
//! use csrubric::calendar::Calendar;
//! use csrubric::playbook::PlanTemplate;
//! use chrono::NaiveDate;
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics");
//! let t = PlanTemplate::from_path(format!("{dir}/playbooks/slavkokernel-implementation.toml").as_ref())?;
//! let cal = Calendar::from_path(format!("{dir}/calendars/business-hours-berlin.toml").as_ref())?;
//! let plan = t.schedule(&cal, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), Some("standard"), None)?;
//! // Standard is 8-10 weeks; the template plans to the high end: 50 business days.
//! assert_eq!(plan.planned_weeks, 10);
//! assert_eq!(plan.activities[0].activity, "Project Kickoff");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod capacity;
mod interventions;
mod plan;
mod triage;

pub use capacity::{
    Account, CapacityRatios, CapacityRatiosFile, CapacityReport, Overloaded, RoleDemand, RoleSpec,
    RosterEntry, SplitLine, TierSpec, Uncovered, CAPACITY_KIND,
};
pub use interventions::{
    AccountInterventions, AccountRisk, Direction, ExitSpec, ExitStatus, InterventionPlan,
    InterventionRules, InterventionsFile, PlaybookSpec, RiskLevelSpec, RiskSpec, SelectedPlaybook,
    INTERVENTIONS_KIND,
};
pub use plan::{
    ActivitySpec, Combine, IndustrySpec, LateActivity, PackageSpec, PhaseDates, PhaseSpec, Plan,
    PlanFile, PlanState, PlanStatus, PlanTemplate, PlanTo, PlannedActivity, PLAN_KIND,
};
pub use triage::{
    DecisionTable, Route, TicketTriage, TriageFile, TriageRules, TriageWarning, TRIAGE_KIND,
};

use crate::calendar::CalendarError;

/// Errors computing one plan, ticket or portfolio row. Other rows of a batch are unaffected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaybookError {
    /// A field of the request or row is missing or malformed.
    #[error("{at}: `{field}`: {message}")]
    Input {
        /// Which row, ticket or request (`row 3 (`T-1`)`, `plan`).
        at: String,
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A package, industry or other name the rubric does not have.
    #[error("{what} `{value}` is not in the rubric (known: {known})")]
    Unknown {
        /// `package`, `industry`...
        what: String,
        /// The value given.
        value: String,
        /// The values the rubric knows.
        known: String,
    },
    /// A calendar computation failed.
    #[error("{0}")]
    Calendar(#[from] CalendarError),
}

impl PlaybookError {
    /// A short stable code for bindings.
    ///
    /// # Example
    /// ```
    /// use csrubric::playbook::PlaybookError;
    /// let e = PlaybookError::Unknown { what: "package".into(), value: "x".into(), known: "standard".into() };
    /// assert_eq!(e.code(), "unknown_value");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            PlaybookError::Input { .. } => "invalid_input",
            PlaybookError::Unknown { .. } => "unknown_value",
            PlaybookError::Calendar(c) => c.code(),
        }
    }
}
