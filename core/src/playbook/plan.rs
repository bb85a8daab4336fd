//! Plan templates: phases, activities, packages and industry templates as data, scheduled in
//! business days.
//!
//! A template is written for `base_weeks` weeks (seed 001: Prepare weeks 1-2 ... Launch
//! weeks 9-10, so 10). A plan of `D` weeks (from the package and industry timelines, by the
//! template's `combine` and `plan_to` rules) stretches or compresses every template offset
//! by `D / base_weeks`: a template business-day offset `o` (0 = the first day of week 1)
//! becomes `floor(o * D / base_weeks)`, and a span ending before offset `e` ends before
//! `floor(e * D / base_weeks)`. Consecutive phases therefore stay consecutive, and the last
//! phase ends on business day `5 * D` (the go-live). Activities timed `after_go_live_days`
//! (the 30/60/90-day enablement calendar) are not scaled: `N` calendar days after go-live,
//! moved to the next working day.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::PlaybookError;
use crate::calendar::Calendar;
use crate::rubric::{self, Format, Problems, RubricError, Stamp, Validate};

/// The `kind` every plan template declares.
pub const PLAN_KIND: &str = "plan";

/// Working days per template week.
const DAYS_PER_WEEK: u64 = 5;

/// How a package's and an industry's timelines combine (stated in the template).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// The longer range wins, end by end: `[max(lows), max(highs)]`.
    Longest,
    /// The industry template's range replaces the package's.
    Industry,
    /// The package's range; the industry only adds its activities.
    Package,
}

/// Which end of the combined range the plan is scheduled to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanTo {
    /// The shortest timeline in the range.
    Low,
    /// The longest timeline in the range.
    High,
}

/// A plan template file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Always `"plan"`.
    pub kind: String,
    /// Stable identifier.
    pub id: String,
    /// Version of the template.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the template encodes.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// The number of weeks the phases' week ranges are written for.
    pub base_weeks: u32,
    /// How package and industry timelines combine.
    pub combine: Combine,
    /// Which end of the combined timeline to schedule to.
    pub plan_to: PlanTo,
    /// Default working calendar (relative to this file).
    #[serde(default)]
    pub calendar: Option<String>,
    /// The phases in order.
    pub phases: Vec<PhaseSpec>,
    /// The activities of every plan.
    pub activities: Vec<ActivitySpec>,
    /// Implementation packages (or segments) with their timelines and teams.
    #[serde(default)]
    pub packages: Vec<PackageSpec>,
    /// Industry templates with their timelines and extra activities.
    #[serde(default)]
    pub industries: Vec<IndustrySpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// A phase of a template.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    /// The phase's name.
    pub name: String,
    /// Template weeks `[first, last]` (1-based, inclusive); omit for a post-launch phase
    /// whose activities are timed `after_go_live_days`.
    #[serde(default)]
    pub weeks: Option<[u32; 2]>,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
}

/// An activity of a template or industry.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ActivitySpec {
    /// The activity's name.
    pub name: String,
    /// The phase it belongs to.
    pub phase: String,
    /// Who owns it (a role).
    pub owner: String,
    /// What it delivers.
    #[serde(default)]
    pub deliverable: Option<String>,
    /// What it is.
    #[serde(default)]
    pub description: Option<String>,
    /// Template weeks `[first, last]` within its phase; default: the whole phase.
    #[serde(default)]
    pub weeks: Option<[u32; 2]>,
    /// Template business days `[first, last]` (1 = the kickoff day), within its phase.
    #[serde(default)]
    pub days: Option<[u32; 2]>,
    /// Calendar days after go-live (post-launch phases only), moved to a working day.
    #[serde(default)]
    pub after_go_live_days: Option<u32>,
}

/// An implementation package (or customer segment) with its timeline and team.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    /// Its name (`standard`), as given on the command line.
    pub name: String,
    /// Timeline in weeks `[low, high]`.
    pub weeks: [u32; 2],
    /// The team roles.
    #[serde(default)]
    pub team: Vec<String>,
    /// Its scope, for readers.
    #[serde(default)]
    pub scope: Option<String>,
}

/// An industry template: timeline, specialised components, extra activities.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IndustrySpec {
    /// Its name (`healthcare`).
    pub name: String,
    /// Typical timeline in weeks `[low, high]`.
    pub weeks: [u32; 2],
    /// Specialised components, for readers.
    #[serde(default)]
    pub components: Option<String>,
    /// Common integrations, for readers.
    #[serde(default)]
    pub integrations: Option<String>,
    /// Activities added to every plan for this industry.
    #[serde(default)]
    pub activities: Vec<ActivitySpec>,
}

/// Template business-day span `[start, end)` of an activity or phase, or post-launch days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Span {
    Days(u64, u64),
    AfterGoLive(u32),
}

fn phase_span(p: &PhaseSpec) -> Option<(u64, u64)> {
    p.weeks.map(|[a, b]| {
        (
            u64::from(a.saturating_sub(1)) * DAYS_PER_WEEK,
            u64::from(b) * DAYS_PER_WEEK,
        )
    })
}

fn activity_span(a: &ActivitySpec, phase: &PhaseSpec) -> Option<Span> {
    if let Some(n) = a.after_go_live_days {
        return Some(Span::AfterGoLive(n));
    }
    if let Some([x, y]) = a.days {
        return Some(Span::Days(u64::from(x.saturating_sub(1)), u64::from(y)));
    }
    if let Some([x, y]) = a.weeks {
        return Some(Span::Days(
            u64::from(x.saturating_sub(1)) * DAYS_PER_WEEK,
            u64::from(y) * DAYS_PER_WEEK,
        ));
    }
    phase_span(phase).map(|(s, e)| Span::Days(s, e))
}

/// Scales a template offset: `floor(o * weeks / base)`.
fn scale(o: u64, weeks: u32, base: u32) -> u64 {
    if base == 0 {
        return o;
    }
    o.saturating_mul(u64::from(weeks)) / u64::from(base)
}

/// Scaled `[first, last]` business-day offsets of a template span `[s, e)`.
fn scaled(s: u64, e: u64, weeks: u32, base: u32) -> (u64, u64) {
    let first = scale(s, weeks, base);
    let end = scale(e, weeks, base);
    (first, end.saturating_sub(1).max(first))
}

impl PlanFile {
    fn validate_activity(&self, a: &ActivitySpec, path: &str, p: &mut Problems) {
        if a.name.trim().is_empty() {
            p.push(format!("{path}.name"), "must not be empty");
        }
        if a.owner.trim().is_empty() {
            p.push(format!("{path}.owner"), "must not be empty");
        }
        let Some(phase) = self.phases.iter().find(|ph| ph.name == a.phase) else {
            let known: Vec<&str> = self.phases.iter().map(|ph| ph.name.as_str()).collect();
            p.push(
                format!("{path}.phase"),
                format!("`{}` is not a phase ({})", a.phase, known.join(", ")),
            );
            return;
        };
        let timings = [
            a.weeks.is_some(),
            a.days.is_some(),
            a.after_go_live_days.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if timings > 1 {
            p.push(
                path.to_string(),
                "give at most one of `weeks`, `days`, `after_go_live_days`",
            );
            return;
        }
        match (phase_span(phase), a.after_go_live_days) {
            (None, None) => p.push(
                path.to_string(),
                format!(
                    "phase `{}` is post-launch: time the activity with `after_go_live_days`",
                    a.phase
                ),
            ),
            (Some(_), Some(_)) => p.push(
                format!("{path}.after_go_live_days"),
                format!("phase `{}` has weeks: only post-launch phases (no `weeks`) take `after_go_live_days`", a.phase),
            ),
            (Some((ps, pe)), None) => {
                for (field, range, unit) in [("weeks", a.weeks, DAYS_PER_WEEK), ("days", a.days, 1)] {
                    if let Some([x, y]) = range {
                        let s = u64::from(x.saturating_sub(1)) * unit;
                        let e = u64::from(y) * unit;
                        if x == 0 || y < x || s < ps || e > pe {
                            p.push(
                                format!("{path}.{field}"),
                                format!(
                                    "[{x}, {y}] must be ascending, 1-based and inside phase `{}` (weeks {}-{})",
                                    a.phase,
                                    ps / DAYS_PER_WEEK + 1,
                                    pe / DAYS_PER_WEEK
                                ),
                            );
                        }
                    }
                }
            }
            (None, Some(0)) => p.push(
                format!("{path}.after_go_live_days"),
                "must be at least 1 (day 0 is the go-live itself, in the last phase)",
            ),
            (None, Some(_)) => {}
        }
    }

    /// Every timeline length (weeks) a plan can be scheduled to.
    fn candidate_weeks(&self) -> BTreeSet<u32> {
        let mut set = BTreeSet::from([self.base_weeks]);
        for [a, b] in self
            .packages
            .iter()
            .map(|x| x.weeks)
            .chain(self.industries.iter().map(|x| x.weeks))
        {
            set.insert(a);
            set.insert(b);
        }
        set
    }
}

impl Validate for PlanFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            PLAN_KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        if self.base_weeks == 0 {
            p.push("base_weeks", "must be at least 1");
        }
        if self.phases.is_empty() {
            p.push("phases", "list at least one phase");
        }
        let mut names = BTreeSet::new();
        let mut next_week = 1u32;
        let mut post_launch = false;
        for (i, ph) in self.phases.iter().enumerate() {
            if !names.insert(ph.name.as_str()) {
                p.push(
                    format!("phases[{i}].name"),
                    format!("`{}` is declared twice", ph.name),
                );
            }
            match ph.weeks {
                Some([a, b]) => {
                    if post_launch {
                        p.push(
                            format!("phases[{i}].weeks"),
                            "phases with weeks come before post-launch phases",
                        );
                    }
                    if a != next_week || b < a {
                        p.push(
                            format!("phases[{i}].weeks"),
                            format!("[{a}, {b}]: phases run back to back from week 1; this one should start at week {next_week} and end at or after it"),
                        );
                    }
                    next_week = b.saturating_add(1);
                }
                None => post_launch = true,
            }
        }
        if !self.phases.is_empty() && next_week.saturating_sub(1) != self.base_weeks {
            p.push(
                "base_weeks",
                format!(
                    "the phases end at week {}, not at `base_weeks` = {}",
                    next_week.saturating_sub(1),
                    self.base_weeks
                ),
            );
        }
        if self.activities.is_empty() {
            p.push("activities", "list at least one activity");
        }
        for (i, a) in self.activities.iter().enumerate() {
            self.validate_activity(a, &format!("activities[{i}]"), p);
        }
        for (what, list) in [
            (
                "packages",
                self.packages
                    .iter()
                    .map(|x| (x.name.as_str(), x.weeks))
                    .collect::<Vec<_>>(),
            ),
            (
                "industries",
                self.industries
                    .iter()
                    .map(|x| (x.name.as_str(), x.weeks))
                    .collect(),
            ),
        ] {
            let mut seen = BTreeSet::new();
            for (i, (name, [a, b])) in list.iter().enumerate() {
                if !seen.insert(*name) {
                    p.push(
                        format!("{what}[{i}].name"),
                        format!("`{name}` is declared twice"),
                    );
                }
                if *a == 0 || b < a {
                    p.push(
                        format!("{what}[{i}].weeks"),
                        format!("[{a}, {b}] must be ascending and at least 1"),
                    );
                }
            }
        }
        for (i, ind) in self.industries.iter().enumerate() {
            for (j, a) in ind.activities.iter().enumerate() {
                self.validate_activity(a, &format!("industries[{i}].activities[{j}]"), p);
            }
        }
        // Every phase must keep at least one business day at every timeline the template
        // can produce, or phases would overlap.
        if self.base_weeks > 0 {
            for weeks in self.candidate_weeks() {
                for (i, ph) in self.phases.iter().enumerate() {
                    if let Some((s, e)) = phase_span(ph) {
                        if scale(e, weeks, self.base_weeks) <= scale(s, weeks, self.base_weeks) {
                            p.push(
                                format!("phases[{i}].weeks"),
                                format!(
                                    "a {weeks}-week plan leaves phase `{}` no business day",
                                    ph.name
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// A loaded plan template.
#[derive(Clone, Debug)]
pub struct PlanTemplate {
    file: PlanFile,
    stamp: Stamp,
    calendar: Option<Calendar>,
}

/// A phase's dates in a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseDates {
    /// The phase's name.
    pub phase: String,
    /// Its first working day.
    pub start: NaiveDate,
    /// Its last working day.
    pub due: NaiveDate,
    /// True for a post-launch phase.
    pub post_launch: bool,
}

/// One dated activity of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedActivity {
    /// The activity's name.
    pub activity: String,
    /// Its phase.
    pub phase: String,
    /// First working day.
    pub start: NaiveDate,
    /// Last working day (due date).
    pub due: NaiveDate,
    /// Who owns it.
    pub owner: String,
    /// What it delivers.
    pub deliverable: Option<String>,
    /// `template` or the industry's name.
    pub from: String,
}

/// A dated plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The template's id, version and hash.
    pub template: Stamp,
    /// The kickoff date asked for.
    pub kickoff: NaiveDate,
    /// The first working day on or after the kickoff (business day 1).
    pub start: NaiveDate,
    /// The package, when one was given.
    pub package: Option<String>,
    /// The industry, when one was given.
    pub industry: Option<String>,
    /// The combined timeline in weeks `[low, high]`.
    pub weeks: [u32; 2],
    /// How the range was reached, in words.
    pub rule: String,
    /// The length scheduled to (weeks).
    pub planned_weeks: u32,
    /// The package's team.
    pub team: Vec<String>,
    /// The last working day of the last phase with weeks.
    pub go_live: NaiveDate,
    /// Go-live at the low and high ends of the timeline.
    pub go_live_range: [NaiveDate; 2],
    /// The phases in order.
    pub phases: Vec<PhaseDates>,
    /// Every activity, in template order then industry activities.
    pub activities: Vec<PlannedActivity>,
}

/// Where a plan stands on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// Before the first working day.
    NotStarted,
    /// Between the start and go-live.
    InProgress,
    /// After go-live, while post-launch activities remain.
    PostLaunch,
    /// After the last activity's due date.
    Finished,
}

/// An activity past its due date and not done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateActivity {
    /// The activity.
    pub activity: String,
    /// Its phase.
    pub phase: String,
    /// Who owns it.
    pub owner: String,
    /// Its due date.
    pub due: NaiveDate,
    /// Working days after `due`, up to and including the date asked about.
    pub working_days_late: i64,
}

/// The status of a plan on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStatus {
    /// The date asked about.
    pub as_of: NaiveDate,
    /// Where the plan stands.
    pub state: PlanState,
    /// The phase whose dates contain `as_of` (on a non-working day inside a phase, that
    /// phase); none before the start, between post-launch activities or after the end.
    pub current_phase: Option<String>,
    /// Activities due before `as_of` and not done, in plan order.
    pub late: Vec<LateActivity>,
    /// Planned go-live moved by the largest slip of a late pre-launch activity.
    pub projected_go_live: NaiveDate,
    /// That slip, in working days.
    pub slip_working_days: i64,
}

/// Working days in `(from, to]`; 0 when `to <= from`.
fn working_days_between(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0i64;
    let mut d = from;
    while d < to {
        match d.checked_add_days(Days::new(1)) {
            Some(next) => d = next,
            None => break,
        }
        if cal.is_working_day(d) {
            n += 1;
        }
    }
    n
}

impl Plan {
    /// The plan's status on `as_of`, given the names of the activities already done.
    ///
    /// # Errors
    /// [`PlaybookError::Calendar`] when the projected go-live cannot be computed;
    /// [`PlaybookError::Input`] when `done` names an activity the plan does not have.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # use csrubric::playbook::{PlanTemplate, PlanState};
    /// # use chrono::NaiveDate;
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics");
    /// # let t = PlanTemplate::from_path(format!("{dir}/playbooks/slavkokernel-implementation.toml").as_ref())?;
    /// # let cal = Calendar::from_path(format!("{dir}/calendars/business-hours-berlin.toml").as_ref())?;
    /// let plan = t.schedule(&cal, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), Some("standard"), None)?;
    /// // Week 3 of a 10-week plan: Implement; the Prepare activities are late unless done.
    /// let s = plan.status(&cal, NaiveDate::from_ymd_opt(2027, 1, 20).unwrap(), &[])?;
    /// assert_eq!(s.state, PlanState::InProgress);
    /// assert_eq!(s.current_phase.as_deref(), Some("Implement"));
    /// assert_eq!(s.late.len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(
        &self,
        cal: &Calendar,
        as_of: NaiveDate,
        done: &[String],
    ) -> Result<PlanStatus, PlaybookError> {
        for d in done {
            if !self.activities.iter().any(|a| &a.activity == d) {
                return Err(PlaybookError::Input {
                    at: "plan".into(),
                    field: "done".into(),
                    message: format!("`{d}` is not an activity of the plan"),
                });
            }
        }
        let last_due = self
            .activities
            .iter()
            .map(|a| a.due)
            .chain(self.phases.iter().map(|p| p.due))
            .max()
            .unwrap_or(self.go_live);
        let state = if as_of < self.start {
            PlanState::NotStarted
        } else if as_of <= self.go_live {
            PlanState::InProgress
        } else if as_of <= last_due {
            PlanState::PostLaunch
        } else {
            PlanState::Finished
        };
        let current_phase = self
            .phases
            .iter()
            .find(|p| p.start <= as_of && as_of <= p.due)
            .map(|p| p.phase.clone());
        let late: Vec<LateActivity> = self
            .activities
            .iter()
            .filter(|a| a.due < as_of && !done.contains(&a.activity))
            .map(|a| LateActivity {
                activity: a.activity.clone(),
                phase: a.phase.clone(),
                owner: a.owner.clone(),
                due: a.due,
                working_days_late: working_days_between(cal, a.due, as_of),
            })
            .collect();
        let slip = late
            .iter()
            .filter(|l| l.due <= self.go_live)
            .map(|l| l.working_days_late)
            .max()
            .unwrap_or(0);
        let projected_go_live = cal.add_working_days(self.go_live, slip)?;
        Ok(PlanStatus {
            as_of,
            state,
            current_phase,
            late,
            projected_go_live,
            slip_working_days: slip,
        })
    }
}

impl PlanTemplate {
    /// Loads a plan template (`.toml` or `.json`); a `calendar` is resolved next to it.
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path (`phases[2].weeks`) and the problem.
    ///
    /// # Example
    /// ```
    /// use csrubric::playbook::PlanTemplate;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-implementation.toml");
    /// let t = PlanTemplate::from_path(path.as_ref())?;
    /// assert_eq!(t.spec().base_weeks, 10);
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<PlanTemplate, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format, path.parent())
    }

    /// Loads a template from text; `file` names it in errors; a `calendar` is resolved
    /// against `base` (the current directory when `None`).
    ///
    /// # Errors
    /// See [`PlanTemplate::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::playbook::PlanTemplate;
    /// use csrubric::rubric::Format;
    /// let err = PlanTemplate::from_str_with_format("p.toml", r#"
    ///     kind = "plan"
    ///     id = "p"
    ///     version = "1"
    ///     title = "P"
    ///     source = "example"
    ///     base_weeks = 4
    ///     combine = "longest"
    ///     plan_to = "high"
    ///     phases = [{ name = "A", weeks = [1, 2] }, { name = "B", weeks = [4, 4] }]
    ///     activities = [{ name = "x", phase = "A", owner = "CSM" }]
    /// "#, Format::Toml, None).unwrap_err();
    /// assert!(err.to_string().contains("this one should start at week 3"), "{err}");
    /// ```
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
    ) -> Result<PlanTemplate, RubricError> {
        Self::from_str_with_reader(file, text, format, base, &rubric::read_from_disk)
    }

    /// Loads a template from text, reading the calendar it names through `reader`.
    ///
    /// # Errors
    /// See [`PlanTemplate::from_path`].
    pub fn from_str_with_reader(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
        reader: rubric::FileReader<'_>,
    ) -> Result<PlanTemplate, RubricError> {
        let parsed: PlanFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        let calendar = match &parsed.calendar {
            Some(c) => Some(Calendar::load_linked(file, base, c, "calendar", reader)?),
            None => None,
        };
        Ok(PlanTemplate {
            file: parsed,
            stamp,
            calendar,
        })
    }

    /// The template's id, version and hash.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The template as written.
    pub fn spec(&self) -> &PlanFile {
        &self.file
    }

    /// The template's default calendar, when it names one.
    pub fn calendar(&self) -> Option<&Calendar> {
        self.calendar.as_ref()
    }

    /// The combined timeline `[low, high]` in weeks and the rule applied, in words.
    fn timeline(
        &self,
        package: Option<&PackageSpec>,
        industry: Option<&IndustrySpec>,
    ) -> ([u32; 2], String) {
        let b = self.file.base_weeks;
        match (package, industry, self.file.combine) {
            (None, None, _) => ([b, b], format!("template base: {b} weeks")),
            (Some(p), None, _) => (p.weeks, format!("package `{}`", p.name)),
            (None, Some(i), _) => (i.weeks, format!("industry `{}`", i.name)),
            (Some(p), Some(i), Combine::Longest) => {
                let w = [p.weeks[0].max(i.weeks[0]), p.weeks[1].max(i.weeks[1])];
                (
                    w,
                    format!(
                        "longer range wins: package `{}` {}-{} and industry `{}` {}-{} -> {}-{} weeks",
                        p.name, p.weeks[0], p.weeks[1], i.name, i.weeks[0], i.weeks[1], w[0], w[1]
                    ),
                )
            }
            (Some(p), Some(i), Combine::Industry) => (
                i.weeks,
                format!("industry `{}` overrides package `{}`", i.name, p.name),
            ),
            (Some(p), Some(i), Combine::Package) => (
                p.weeks,
                format!(
                    "package `{}` timeline; industry `{}` adds activities",
                    p.name, i.name
                ),
            ),
        }
    }

    /// Schedules a plan from `kickoff` (moved to the next working day if needed) for an
    /// optional package and industry, on `cal`.
    ///
    /// # Errors
    /// [`PlaybookError::Unknown`] for a package or industry the template does not have;
    /// [`PlaybookError::Calendar`] when a date cannot be computed.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # use csrubric::playbook::PlanTemplate;
    /// # use chrono::NaiveDate;
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics");
    /// # let t = PlanTemplate::from_path(format!("{dir}/playbooks/slavkokernel-implementation.toml").as_ref())?;
    /// # let cal = Calendar::from_path(format!("{dir}/calendars/business-hours-berlin.toml").as_ref())?;
    /// let kickoff = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    /// let plan = t.schedule(&cal, kickoff, Some("enterprise"), Some("healthcare"))?;
    /// assert_eq!(plan.weeks, [16, 24]); // enterprise 16-24, healthcare 14-18: longer wins
    /// assert_eq!(plan.planned_weeks, 24);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn schedule(
        &self,
        cal: &Calendar,
        kickoff: NaiveDate,
        package: Option<&str>,
        industry: Option<&str>,
    ) -> Result<Plan, PlaybookError> {
        let f = &self.file;
        let pkg = match package {
            Some(name) => Some(f.packages.iter().find(|p| p.name == name).ok_or_else(|| {
                PlaybookError::Unknown {
                    what: "package".into(),
                    value: name.into(),
                    known: f
                        .packages
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })?),
            None => None,
        };
        let ind = match industry {
            Some(name) => Some(
                f.industries
                    .iter()
                    .find(|p| p.name == name)
                    .ok_or_else(|| PlaybookError::Unknown {
                        what: "industry".into(),
                        value: name.into(),
                        known: f
                            .industries
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })?,
            ),
            None => None,
        };
        let (weeks, rule) = self.timeline(pkg, ind);
        let planned_weeks = match f.plan_to {
            PlanTo::Low => weeks[0],
            PlanTo::High => weeks[1],
        };
        let base = f.base_weeks;
        let start = cal.on_or_after_working_day(kickoff)?;
        let day = |offset: u64| -> Result<NaiveDate, PlaybookError> {
            Ok(cal.add_working_days(start, i64::try_from(offset).unwrap_or(i64::MAX))?)
        };
        let go_live_at = |w: u32| day((u64::from(w) * DAYS_PER_WEEK).saturating_sub(1));
        let go_live = go_live_at(planned_weeks)?;
        let go_live_range = [go_live_at(weeks[0])?, go_live_at(weeks[1])?];
        let mut activities = Vec::new();
        let lists = std::iter::once(("template".to_string(), &f.activities))
            .chain(ind.map(|i| (i.name.clone(), &i.activities)));
        for (from, list) in lists {
            for a in list {
                let Some(phase) = f.phases.iter().find(|p| p.name == a.phase) else {
                    continue;
                };
                let (s, d) = match activity_span(a, phase) {
                    Some(Span::Days(s, e)) => {
                        let (x, y) = scaled(s, e, planned_weeks, base);
                        (day(x)?, day(y)?)
                    }
                    Some(Span::AfterGoLive(n)) => {
                        let date = go_live.checked_add_days(Days::new(u64::from(n))).ok_or(
                            PlaybookError::Input {
                                at: "plan".into(),
                                field: "after_go_live_days".into(),
                                message: "date out of range".into(),
                            },
                        )?;
                        let d = cal.on_or_after_working_day(date)?;
                        (d, d)
                    }
                    None => continue,
                };
                activities.push(PlannedActivity {
                    activity: a.name.clone(),
                    phase: a.phase.clone(),
                    start: s,
                    due: d,
                    owner: a.owner.clone(),
                    deliverable: a.deliverable.clone(),
                    from: from.clone(),
                });
            }
        }
        let mut phases = Vec::new();
        for ph in &f.phases {
            let dates = match phase_span(ph) {
                Some((s, e)) => {
                    let (x, y) = scaled(s, e, planned_weeks, base);
                    Some((day(x)?, day(y)?))
                }
                None => {
                    let mine = activities.iter().filter(|a| a.phase == ph.name);
                    let s = mine.clone().map(|a| a.start).min();
                    let e = mine.map(|a| a.due).max();
                    s.zip(e)
                }
            };
            if let Some((s, d)) = dates {
                phases.push(PhaseDates {
                    phase: ph.name.clone(),
                    start: s,
                    due: d,
                    post_launch: ph.weeks.is_none(),
                });
            }
        }
        Ok(Plan {
            template: self.stamp.clone(),
            kickoff,
            start,
            package: pkg.map(|p| p.name.clone()),
            industry: ind.map(|i| i.name.clone()),
            weeks,
            rule,
            planned_weeks,
            team: pkg.map(|p| p.team.clone()).unwrap_or_default(),
            go_live,
            go_live_range,
            phases,
            activities,
        })
    }
}
