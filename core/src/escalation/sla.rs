//! SLA policies and the SLA state of a ticket.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{
    format_duration, parse_instant, CaseRef, EscalationError, EscalationMatrix, LevelMatch, Target,
};
use crate::calendar::{Calendar, CalendarError};
use crate::input::{Record, Value};
use crate::rubric::{self, Format, Problems, RubricError, Stamp, Validate};

/// The `kind` every SLA policy file declares.
pub const SLA_KIND: &str = "sla";

/// The three clocks of a ticket, in output order.
const CLOCKS: [&str; 3] = ["first_response", "resolution", "management_notification"];

/// An SLA policy file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicyFile {
    /// Always `"sla"`.
    pub kind: String,
    /// Stable identifier.
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
    /// The instant (RFC 3339) from which this version of the policy applies to newly
    /// opened tickets; absent: since always. See [`SlaPolicies`].
    #[serde(default)]
    pub effective_from: Option<String>,
    /// The priorities, most urgent first (`P1`..`P4`).
    pub priorities: Vec<String>,
    /// Coverage calendars by name -> calendar file, relative to this file.
    pub calendars: BTreeMap<String, String>,
    /// The escalation matrix tickets follow (relative path), if any.
    #[serde(default)]
    pub escalation: Option<String>,
    /// Which ticket statuses stop which clock.
    #[serde(default)]
    pub pausing: PausingSpec,
    /// The support tiers.
    pub tiers: Vec<TierSpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// Statuses that pause each clock (policy data).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PausingSpec {
    /// Statuses that stop the first-response clock.
    #[serde(default)]
    pub first_response: Vec<String>,
    /// Statuses that stop the resolution clock (`pending_customer`).
    #[serde(default)]
    pub resolution: Vec<String>,
    /// Statuses that stop the management-notification clock.
    #[serde(default)]
    pub management_notification: Vec<String>,
}

impl PausingSpec {
    fn for_clock(&self, clock: usize) -> &[String] {
        match clock {
            0 => &self.first_response,
            1 => &self.resolution,
            _ => &self.management_notification,
        }
    }
}

/// One support tier: its coverage calendar and a target per priority for each clock.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// The tier's id (`standard`).
    pub id: String,
    /// Human title.
    #[serde(default)]
    pub title: Option<String>,
    /// The name of its coverage calendar in `[calendars]`.
    pub calendar: String,
    /// Priority -> first-response target (`4h`).
    pub first_response: BTreeMap<String, String>,
    /// Priority -> resolution target (`8h`, `3bd`).
    pub resolution: BTreeMap<String, String>,
    /// Priority -> management-notification delay (`immediate`, `4h`).
    pub management_notification: BTreeMap<String, String>,
}

impl TierSpec {
    fn targets(&self, clock: usize) -> &BTreeMap<String, String> {
        match clock {
            0 => &self.first_response,
            1 => &self.resolution,
            _ => &self.management_notification,
        }
    }
}

impl Validate for SlaPolicyFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            SLA_KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        if let Some(e) = &self.effective_from {
            if let Err(m) = parse_instant(e) {
                p.push("effective_from", m);
            }
        }
        if self.priorities.is_empty() {
            p.push("priorities", "list at least one priority");
        }
        let mut ids = BTreeSet::new();
        for (t, tier) in self.tiers.iter().enumerate() {
            if !ids.insert(tier.id.as_str()) {
                p.push(
                    format!("tiers[{t}].id"),
                    format!("`{}` is listed twice", tier.id),
                );
            }
            if !self.calendars.contains_key(&tier.calendar) {
                p.push(
                    format!("tiers[{t}].calendar"),
                    format!(
                        "`{}` is not in `[calendars]` ({})",
                        tier.calendar,
                        self.calendars
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            for (c, clock) in CLOCKS.iter().enumerate() {
                let targets = tier.targets(c);
                for prio in &self.priorities {
                    if !targets.contains_key(prio) {
                        p.push(
                            format!("tiers[{t}].{clock}"),
                            format!("no target for `{prio}`"),
                        );
                    }
                }
                for (prio, text) in targets {
                    if !self.priorities.contains(prio) {
                        p.push(
                            format!("tiers[{t}].{clock}.{prio}"),
                            format!("`{prio}` is not in `priorities`"),
                        );
                    }
                    if let Err(e) = Target::parse(text) {
                        p.push(format!("tiers[{t}].{clock}.{prio}"), e);
                    }
                }
            }
        }
        if self.tiers.is_empty() {
            p.push("tiers", "list at least one tier");
        }
    }
}

#[derive(Debug)]
struct CompiledTier {
    calendar: Calendar,
    /// priority -> [first response, resolution, management notification]
    targets: BTreeMap<String, [(Target, String); 3]>,
}

#[derive(Debug)]
struct Compiled {
    file: SlaPolicyFile,
    stamp: Stamp,
    tiers: BTreeMap<String, CompiledTier>,
    matrix: Option<EscalationMatrix>,
}

/// A loaded SLA policy with its calendars (and escalation matrix). Cheap to clone.
#[derive(Clone, Debug)]
pub struct SlaPolicy {
    inner: Arc<Compiled>,
}

/// One event of a ticket's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: EventKind,
}

/// What happened to a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The status changed (`pending_customer`, `open`...); the policy says which pause.
    Status {
        /// The new status.
        status: String,
    },
    /// The priority changed; targets are re-computed from the original start.
    Priority {
        /// The new priority.
        priority: String,
    },
    /// A public reply to the customer: meets first response.
    Reply,
    /// Resolved: stops every clock (and meets first response).
    Resolved,
    /// Reopened after resolution: resolution and notification clocks run again.
    Reopened,
}

/// A ticket: its identity, the priority and tier it opened with, and its event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    /// The ticket id.
    pub id: String,
    /// 1-based input row (0 in code).
    pub row: usize,
    /// Support tier (`standard`...).
    pub tier: String,
    /// Priority when opened.
    pub priority: String,
    /// When the ticket was opened.
    pub opened_at: DateTime<Utc>,
    /// The event log, any order (sorted by time when evaluated; equal times keep order).
    pub events: Vec<Event>,
    /// Other facts for the escalation matrix (`category`, `strategic`, `dissatisfied`...).
    pub facts: BTreeMap<String, String>,
}

impl Ticket {
    /// A ticket with an empty event log.
    pub fn new(id: &str, tier: &str, priority: &str, opened_at: DateTime<Utc>) -> Ticket {
        Ticket {
            id: id.into(),
            row: 0,
            tier: tier.into(),
            priority: priority.into(),
            opened_at,
            events: Vec::new(),
            facts: BTreeMap::new(),
        }
    }

    /// Adds an event.
    pub fn with_event(mut self, at: DateTime<Utc>, kind: EventKind) -> Ticket {
        self.events.push(Event { at, kind });
        self
    }

    /// Adds a fact for the escalation matrix.
    pub fn with_fact(mut self, name: &str, value: &str) -> Ticket {
        self.facts.insert(name.into(), value.into());
        self
    }

    /// Reads a ticket from an input record: `tier`, `priority`, `opened_at` (RFC 3339 with
    /// an offset); optional `first_response_at`, `resolved_at` and `events` (JSON: a list of
    /// `{"at": ..., "type": "status", "status": "pending_customer"}`, types `status`,
    /// `priority`, `reply`, `resolved`, `reopened`). Every other cell is a fact.
    ///
    /// # Errors
    /// [`EscalationError::Input`] naming the field.
    pub fn from_record(r: &Record) -> Result<Ticket, EscalationError> {
        let at = CaseRef {
            id: r.id.clone(),
            row: r.row,
        };
        let err = |field: &str, message: String| EscalationError::Input {
            at: at.clone(),
            field: field.into(),
            message,
        };
        let text = |field: &str| r.text(field).filter(|s| !s.trim().is_empty());
        let need = |field: &str| text(field).ok_or_else(|| err(field, "missing".into()));
        let instant = |field: &str, s: &str| parse_instant(s).map_err(|m| err(field, m));
        let mut t = Ticket {
            id: r.id.clone(),
            row: r.row,
            tier: need("tier")?,
            priority: need("priority")?,
            opened_at: instant("opened_at", &need("opened_at")?)?,
            events: Vec::new(),
            facts: BTreeMap::new(),
        };
        if let Some(s) = text("first_response_at") {
            t.events.push(Event {
                at: instant("first_response_at", &s)?,
                kind: EventKind::Reply,
            });
        }
        if let Some(s) = text("resolved_at") {
            t.events.push(Event {
                at: instant("resolved_at", &s)?,
                kind: EventKind::Resolved,
            });
        }
        match r.values.get("events") {
            None => {}
            Some(Value::Json(serde_json::Value::Array(items))) => {
                #[derive(Deserialize)]
                struct Raw {
                    at: String,
                    #[serde(flatten)]
                    kind: EventKind,
                }
                for (i, item) in items.iter().enumerate() {
                    let field = format!("events[{i}]");
                    let raw: Raw = serde_json::from_value(item.clone())
                        .map_err(|e| err(&field, e.to_string()))?;
                    t.events.push(Event {
                        at: instant(&format!("{field}.at"), &raw.at)?,
                        kind: raw.kind,
                    });
                }
            }
            Some(_) => return Err(err("events", "expected a JSON list of events".into())),
        }
        for (k, v) in &r.values {
            if matches!(
                k.as_str(),
                "tier" | "priority" | "opened_at" | "first_response_at" | "resolved_at" | "events"
            ) {
                continue;
            }
            let s = match v {
                Value::Number(d) => d.to_string(),
                Value::Text(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Json(j) => j.to_string(),
            };
            t.facts.insert(k.clone(), s);
        }
        Ok(t)
    }

    fn case_ref(&self) -> CaseRef {
        CaseRef {
            id: self.id.clone(),
            row: self.row,
        }
    }
}

/// The state of one clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Stopped in time.
    Met,
    /// The deadline passed before the clock stopped (or it has not stopped yet).
    Breached,
    /// Running, deadline ahead.
    Running,
    /// Paused by a status; the deadline moves while it stays paused.
    Paused,
}

/// One target of a ticket at the instant asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetStatus {
    /// `first_response`, `resolution` or `management_notification`.
    pub target: String,
    /// The target as written for the ticket's current priority (`4h`, `3bd`).
    pub goal: String,
    /// The state.
    pub state: ClockState,
    /// When it is (or was) due, in the calendar's zone; `None` while paused short of it.
    pub due: Option<DateTime<FixedOffset>>,
    /// When the clock stopped (reply, resolution), if it has.
    pub met_at: Option<DateTime<FixedOffset>>,
    /// When it was breached, if it was.
    pub breached_at: Option<DateTime<FixedOffset>>,
    /// Business time used so far (`1h 30m`).
    pub elapsed: String,
    /// Business time left, when the clock has not stopped (zero once breached).
    pub remaining: Option<String>,
    /// The same in seconds, for programs.
    pub remaining_seconds: Option<i64>,
}

/// The next escalation a ticket will reach if nothing happens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NextEscalation {
    /// The level's name.
    pub level: String,
    /// Who will own the ticket.
    pub owner: String,
    /// When (the breach of `reason`).
    pub at: DateTime<FixedOffset>,
    /// Which target's breach triggers it.
    pub reason: String,
}

/// The SLA state of one ticket at one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlaResult {
    /// The ticket id.
    pub id: String,
    /// 1-based input row (0 in code).
    pub row: usize,
    /// The tier.
    pub tier: String,
    /// The current priority (after priority changes).
    pub priority: String,
    /// The instant asked about.
    pub at: DateTime<FixedOffset>,
    /// The tier's coverage calendar id.
    pub calendar: String,
    /// One status per target, in the order first response, resolution, notification.
    pub targets: Vec<TargetStatus>,
    /// The breached targets among first response and resolution.
    pub breached: Vec<String>,
    /// The escalation level the ticket is at, when the policy names a matrix.
    pub level: Option<LevelMatch>,
    /// The next escalation and its time, if a breach ahead would change the level.
    pub next_escalation: Option<NextEscalation>,
    /// The policy's id, version and hash.
    pub policy: Stamp,
}

impl SlaResult {
    /// The status of one target by name.
    pub fn target(&self, name: &str) -> Option<&TargetStatus> {
        self.targets.iter().find(|t| t.target == name)
    }
}

impl SlaPolicy {
    /// Loads a policy file; its calendars and escalation matrix are resolved next to it.
    ///
    /// # Errors
    /// [`RubricError`] naming the file and the rubric path (`tiers[1].resolution.P3`).
    ///
    /// # Example
    /// ```
    /// use csrubric::escalation::SlaPolicy;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-sla.toml");
    /// let policy = SlaPolicy::from_path(path.as_ref())?;
    /// assert_eq!(policy.tier_ids(), vec!["enterprise", "premium", "standard", "white_glove"]);
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<SlaPolicy, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format, path.parent())
    }

    /// Loads a policy from text; relative paths resolve against `base` (the current
    /// directory when `None`).
    ///
    /// # Errors
    /// See [`SlaPolicy::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
    ) -> Result<SlaPolicy, RubricError> {
        Self::from_str_with_reader(file, text, format, base, &rubric::read_from_disk)
    }

    /// Loads a policy from text, reading its calendars and escalation matrix through
    /// `reader` (bindings without a file system pass a reader over bundled files).
    ///
    /// # Errors
    /// See [`SlaPolicy::from_path`].
    pub fn from_str_with_reader(
        file: &str,
        text: &str,
        format: Format,
        base: Option<&Path>,
        reader: rubric::FileReader<'_>,
    ) -> Result<SlaPolicy, RubricError> {
        let parsed: SlaPolicyFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        let mut calendars = BTreeMap::new();
        for (name, rel) in &parsed.calendars {
            calendars.insert(
                name.clone(),
                Calendar::load_linked(file, base, rel, &format!("calendars.{name}"), reader)?,
            );
        }
        let mut tiers = BTreeMap::new();
        for tier in &parsed.tiers {
            let Some(calendar) = calendars.get(&tier.calendar).cloned() else {
                continue;
            };
            let mut targets = BTreeMap::new();
            for prio in &parsed.priorities {
                let get = |c: usize| {
                    let text = tier.targets(c).get(prio).cloned().unwrap_or_default();
                    let t = Target::parse(&text).unwrap_or(Target::OpenTime(TimeDelta::zero()));
                    (t, text)
                };
                targets.insert(prio.clone(), [get(0), get(1), get(2)]);
            }
            tiers.insert(tier.id.clone(), CompiledTier { calendar, targets });
        }
        let matrix = match &parsed.escalation {
            Some(rel) => {
                let (path, text, format) =
                    rubric::read_linked(file, base, rel, "escalation", reader)?;
                let linked_base = Path::new(&path).parent().map(Path::to_path_buf);
                Some(
                    EscalationMatrix::from_str_with_reader(
                        &path,
                        &text,
                        format,
                        linked_base.as_deref(),
                        reader,
                    )
                    .map_err(|e| {
                        rubric::linked_error(file, "escalation", rel, "escalation matrix", &e)
                    })?,
                )
            }
            None => None,
        };
        Ok(SlaPolicy {
            inner: Arc::new(Compiled {
                file: parsed,
                stamp,
                tiers,
                matrix,
            }),
        })
    }

    /// The policy's id, version and content hash.
    pub fn stamp(&self) -> &Stamp {
        &self.inner.stamp
    }

    /// The policy file as written.
    pub fn spec(&self) -> &SlaPolicyFile {
        &self.inner.file
    }

    /// From when the policy applies to newly opened tickets (`None`: always).
    pub fn effective_from(&self) -> Option<DateTime<Utc>> {
        self.inner
            .file
            .effective_from
            .as_deref()
            .and_then(|e| parse_instant(e).ok())
    }

    /// The tier ids, sorted.
    pub fn tier_ids(&self) -> Vec<&str> {
        self.inner.tiers.keys().map(String::as_str).collect()
    }

    /// The escalation matrix tickets follow, if the policy names one.
    pub fn matrix(&self) -> Option<&EscalationMatrix> {
        self.inner.matrix.as_ref()
    }

    /// The coverage calendar of a tier.
    pub fn calendar(&self, tier: &str) -> Option<&Calendar> {
        self.inner.tiers.get(tier).map(|t| &t.calendar)
    }

    /// Evaluates many tickets at one instant: one result per ticket, in order.
    pub fn evaluate_batch(
        &self,
        tickets: &[Ticket],
        at: DateTime<Utc>,
    ) -> Vec<Result<SlaResult, EscalationError>> {
        tickets.iter().map(|t| self.evaluate(t, at)).collect()
    }

    /// The SLA state of `ticket` at instant `at`, from the events up to `at` only.
    ///
    /// Each clock starts when the ticket opened and runs on the tier's calendar except
    /// while a pausing status (policy data) is in force. The first-response clock stops at
    /// the first reply or the resolution; resolution and notification stop at resolution
    /// (a reopening restarts them). The target is the current priority's, counted from the
    /// original opening.
    ///
    /// # Errors
    /// [`EscalationError`] for an unknown tier or priority, an instant before the opening,
    /// or a failing calendar computation.
    ///
    /// # Example
    /// ```
    /// use csrubric::escalation::{ClockState, EventKind, SlaPolicy, Ticket};
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation/slavkokernel-sla.toml");
    /// let policy = SlaPolicy::from_path(path.as_ref())?;
    /// // Standard P2 opened Monday 10:00 Berlin: first response 8 business hours later,
    /// // Tuesday 10:00. Answered Monday 15:00: met.
    /// let t = Ticket::new("T-7", "standard", "P2", "2026-11-23T10:00:00+01:00".parse()?)
    ///     .with_event("2026-11-23T15:00:00+01:00".parse()?, EventKind::Reply);
    /// let s = policy.evaluate(&t, "2026-11-24T12:00:00+01:00".parse()?)?;
    /// let fr = s.target("first_response").unwrap();
    /// assert_eq!(fr.state, ClockState::Met);
    /// assert_eq!(fr.due.unwrap().to_rfc3339(), "2026-11-24T10:00:00+01:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(
        &self,
        ticket: &Ticket,
        at: DateTime<Utc>,
    ) -> Result<SlaResult, EscalationError> {
        let c = &self.inner;
        let case = ticket.case_ref();
        let tier = c
            .tiers
            .get(&ticket.tier)
            .ok_or_else(|| EscalationError::Unknown {
                at: case.clone(),
                field: "tier".into(),
                value: ticket.tier.clone(),
                known: c.tiers.keys().cloned().collect::<Vec<_>>().join(", "),
            })?;
        let unknown_priority = |p: &str| EscalationError::Unknown {
            at: case.clone(),
            field: "priority".into(),
            value: p.to_string(),
            known: c.file.priorities.join(", "),
        };
        if !tier.targets.contains_key(&ticket.priority) {
            return Err(unknown_priority(&ticket.priority));
        }
        if at < ticket.opened_at {
            return Err(EscalationError::Input {
                at: case.clone(),
                field: "at".into(),
                message: format!(
                    "the instant asked about ({}) is before the ticket opened ({})",
                    at.to_rfc3339(),
                    ticket.opened_at.to_rfc3339()
                ),
            });
        }
        let mut events: Vec<&Event> = ticket.events.iter().filter(|e| e.at <= at).collect();
        events.sort_by_key(|e| e.at);
        if let Some(e) = events.iter().find(|e| e.at < ticket.opened_at) {
            return Err(EscalationError::Input {
                at: case.clone(),
                field: "events".into(),
                message: format!(
                    "an event at {} is before the ticket opened",
                    e.at.to_rfc3339()
                ),
            });
        }
        let mut priority = ticket.priority.clone();
        for e in &events {
            if let EventKind::Priority { priority: p } = &e.kind {
                if !tier.targets.contains_key(p) {
                    return Err(unknown_priority(p));
                }
                priority = p.clone();
            }
        }
        let goals = tier
            .targets
            .get(&priority)
            .ok_or_else(|| unknown_priority(&priority))?;
        let cal = &tier.calendar;
        let cal_err = |source: CalendarError| EscalationError::Calendar {
            at: case.clone(),
            source,
        };
        let local = |t: DateTime<Utc>| cal.local(t).fixed_offset();
        let mut targets = Vec::new();
        let mut breached = Vec::new();
        let mut breach_times = Vec::new();
        let mut upcoming = Vec::new();
        for (i, (name, (goal, goal_text))) in CLOCKS.iter().zip(goals.iter()).enumerate() {
            let clock = Clock::build(ticket.opened_at, &events, i, c.file.pausing.for_clock(i));
            let want = goal.open_time(cal, ticket.opened_at).map_err(cal_err)?;
            let due = clock.due(cal, want).map_err(cal_err)?;
            let elapsed = clock.elapsed(cal, at).map_err(cal_err)?;
            let (state, breached_at) = match (clock.stopped_at, due) {
                (Some(s), Some(d)) if d < s => (ClockState::Breached, Some(d)),
                (Some(_), _) => (ClockState::Met, None),
                (None, Some(d)) if d < at => (ClockState::Breached, Some(d)),
                (None, _) if clock.running_at_end => (ClockState::Running, None),
                (None, _) => (ClockState::Paused, None),
            };
            let remaining = clock
                .stopped_at
                .is_none()
                .then(|| (want - elapsed).max(TimeDelta::zero()));
            if state == ClockState::Breached && i < 2 {
                breached.push(name.to_string());
                if let Some(b) = breached_at {
                    breach_times.push(b);
                }
            }
            if i < 2 && clock.stopped_at.is_none() {
                if let Some(d) = due.filter(|d| *d >= at) {
                    upcoming.push((d, name.to_string()));
                }
            }
            targets.push(TargetStatus {
                target: name.to_string(),
                goal: goal_text.clone(),
                state,
                due: due.map(local),
                met_at: clock.stopped_at.map(local),
                breached_at: breached_at.map(local),
                elapsed: format_duration(elapsed),
                remaining: remaining.map(format_duration),
                remaining_seconds: remaining.map(|r| r.num_seconds()),
            });
        }
        let (level, next_escalation) = match &c.matrix {
            Some(m) => {
                let sla_due = targets
                    .iter()
                    .take(2)
                    .find(|t| t.met_at.is_none())
                    .and_then(|t| t.due.map(|d| d.with_timezone(&Utc)));
                self.escalate(
                    m,
                    ticket,
                    &priority,
                    &breach_times,
                    &upcoming,
                    sla_due,
                    &case,
                )?
            }
            None => (None, None),
        };
        Ok(SlaResult {
            id: ticket.id.clone(),
            row: ticket.row,
            tier: ticket.tier.clone(),
            priority,
            at: local(at),
            calendar: cal.stamp().id.clone(),
            targets,
            breached,
            level,
            next_escalation: next_escalation.map(|(l, d, reason): (LevelMatch, _, _)| {
                NextEscalation {
                    level: l.level,
                    owner: l.owner,
                    at: local(d),
                    reason,
                }
            }),
            policy: c.stamp.clone(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::type_complexity)]
    fn escalate(
        &self,
        m: &EscalationMatrix,
        ticket: &Ticket,
        priority: &str,
        breach_times: &[DateTime<Utc>],
        upcoming: &[(DateTime<Utc>, String)],
        sla_due: Option<DateTime<Utc>>,
        case: &CaseRef,
    ) -> Result<
        (
            Option<LevelMatch>,
            Option<(LevelMatch, DateTime<Utc>, String)>,
        ),
        EscalationError,
    > {
        let names = m.input_names();
        let mut facts = ticket.facts.clone();
        facts.insert("priority".into(), priority.to_string());
        facts.insert("tier".into(), ticket.tier.clone());
        facts.retain(|k, _| names.contains(&k.as_str()));
        let first_breach = breach_times.iter().min().copied();
        let with_breach = |facts: &mut BTreeMap<String, String>, b: bool| {
            if names.contains(&"breached") {
                facts.insert("breached".into(), b.to_string());
            }
        };
        with_breach(&mut facts, first_breach.is_some());
        let err = |(field, message): (String, String)| EscalationError::Input {
            at: case.clone(),
            field,
            message,
        };
        let since = first_breach.unwrap_or(ticket.opened_at);
        let now = m
            .evaluate_case(&case.id, &facts, since, sla_due)
            .map_err(err)?;
        let level = now.matches.into_iter().next();
        let mut next = None;
        if first_breach.is_none() && names.contains(&"breached") {
            if let Some((due, reason)) = upcoming.iter().min_by_key(|u| u.0) {
                with_breach(&mut facts, true);
                let then = m.evaluate_case(&case.id, &facts, *due, None).map_err(err)?;
                if let Some(l) = then.matches.into_iter().next() {
                    if level
                        .as_ref()
                        .is_none_or(|cur| (&cur.level, &cur.owner) != (&l.level, &l.owner))
                    {
                        next = Some((l, *due, format!("{reason} breached")));
                    }
                }
            }
        }
        Ok((level, next))
    }
}

/// The running periods of one clock, from the event log.
struct Clock {
    /// `[start, end)` running periods; the last may be open-ended.
    segments: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    /// The same ignoring stops, to project the deadline of a stopped clock.
    projected: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    stopped_at: Option<DateTime<Utc>>,
    running_at_end: bool,
}

impl Clock {
    fn build(opened: DateTime<Utc>, events: &[&Event], clock: usize, pausing: &[String]) -> Clock {
        // First pass: the stop in force at the end (one not undone by a reopening). The
        // projection ignores only that stop, so time between an earlier resolution and its
        // reopening never counts.
        let final_stop = Self::walk(opened, events, clock, pausing, None).stopped_at;
        Self::walk(opened, events, clock, pausing, final_stop)
    }

    fn walk(
        opened: DateTime<Utc>,
        events: &[&Event],
        clock: usize,
        pausing: &[String],
        final_stop: Option<DateTime<Utc>>,
    ) -> Clock {
        let mut paused = false;
        let mut stopped_at: Option<DateTime<Utc>> = None;
        let mut segments = Vec::new();
        let mut projected = Vec::new();
        let mut run_start = Some(opened);
        let mut proj_start = Some(opened);
        for e in events {
            match &e.kind {
                EventKind::Status { status } => paused = pausing.contains(status),
                EventKind::Reply if clock == 0 && stopped_at.is_none() => stopped_at = Some(e.at),
                EventKind::Resolved if stopped_at.is_none() => stopped_at = Some(e.at),
                EventKind::Reopened if clock > 0 => stopped_at = None,
                _ => {}
            }
            let running = !paused && stopped_at.is_none();
            match (run_start, running) {
                (Some(s), false) => {
                    segments.push((s, Some(e.at)));
                    run_start = None;
                }
                (None, true) => run_start = Some(e.at),
                _ => {}
            }
            let projected_running = !paused
                && (stopped_at.is_none() || (final_stop.is_some() && stopped_at == final_stop));
            match (proj_start, projected_running) {
                (Some(s), false) => {
                    projected.push((s, Some(e.at)));
                    proj_start = None;
                }
                (None, true) => proj_start = Some(e.at),
                _ => {}
            }
        }
        if let Some(s) = run_start {
            segments.push((s, None));
        }
        if let Some(s) = proj_start {
            projected.push((s, None));
        }
        Clock {
            running_at_end: segments.last().is_some_and(|s| s.1.is_none()),
            segments,
            projected,
            stopped_at,
        }
    }

    /// The instant the (projected) running time reaches `want`; `None` when paused short.
    fn due(&self, cal: &Calendar, want: TimeDelta) -> Result<Option<DateTime<Utc>>, CalendarError> {
        let mut remaining = want;
        for (s, e) in &self.projected {
            match e {
                Some(e) => {
                    let w = cal.working_time(*s, *e)?;
                    if remaining <= w {
                        return cal.add_working_time(*s, remaining).map(Some);
                    }
                    remaining -= w;
                }
                None => return cal.add_working_time(*s, remaining).map(Some),
            }
        }
        Ok(None)
    }

    /// Open time the clock has run up to `at`.
    fn elapsed(&self, cal: &Calendar, at: DateTime<Utc>) -> Result<TimeDelta, CalendarError> {
        let mut total = TimeDelta::zero();
        for (s, e) in &self.segments {
            let end = e.map_or(at, |e| e.min(at));
            total += cal.working_time(*s, end)?;
        }
        Ok(total)
    }
}

/// Versions of an SLA policy: a ticket follows the version in force when it **opened**,
/// whatever changed since.
///
/// # Example
/// ```
/// use csrubric::escalation::{SlaPolicies, SlaPolicy, Ticket};
/// use csrubric::rubric::Format;
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation");
/// let path = format!("{dir}/slavkokernel-sla.toml");
/// let v1 = SlaPolicy::from_path(path.as_ref())?;
/// // Version 2 from 1 January 2027 halves the Standard P1 response target.
/// let text = std::fs::read_to_string(&path)?
///     .replace("version = \"1.0.0\"", "version = \"2.0.0\"\neffective_from = \"2027-01-01T00:00:00+01:00\"")
///     .replace("first_response = { P1 = \"4h\"", "first_response = { P1 = \"2h\"");
/// let v2 = SlaPolicy::from_str_with_format("v2.toml", &text, Format::Toml, Some(dir.as_ref()))?;
/// let policies = SlaPolicies::new(vec![v2, v1])?;
/// let old = Ticket::new("a", "standard", "P1", "2026-12-31T16:00:00+01:00".parse()?);
/// let new = Ticket::new("b", "standard", "P1", "2027-01-04T09:00:00+01:00".parse()?);
/// let at = "2027-01-04T09:30:00+01:00".parse()?;
/// assert_eq!(policies.evaluate(&old, at)?.policy.version, "1.0.0");
/// assert_eq!(policies.evaluate(&new, at)?.target("first_response").unwrap().goal, "2h");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct SlaPolicies {
    /// Oldest first.
    list: Vec<SlaPolicy>,
}

impl SlaPolicies {
    /// Orders the versions by `effective_from`.
    ///
    /// # Errors
    /// A message when the list is empty or two versions take effect at the same instant.
    pub fn new(mut list: Vec<SlaPolicy>) -> Result<SlaPolicies, String> {
        if list.is_empty() {
            return Err("no SLA policy given".into());
        }
        list.sort_by_key(|p| p.effective_from());
        for pair in list.windows(2) {
            if let [a, b] = pair {
                if a.effective_from() == b.effective_from() {
                    return Err(format!(
                        "policies `{}` {} and `{}` {} take effect at the same instant",
                        a.stamp().id,
                        a.stamp().version,
                        b.stamp().id,
                        b.stamp().version
                    ));
                }
            }
        }
        Ok(SlaPolicies { list })
    }

    /// The version in force at `opened_at`, if any.
    pub fn in_force(&self, opened_at: DateTime<Utc>) -> Option<&SlaPolicy> {
        self.list
            .iter()
            .rev()
            .find(|p| p.effective_from().is_none_or(|e| e <= opened_at))
    }

    /// Evaluates a ticket under the version in force when it opened.
    ///
    /// # Errors
    /// [`EscalationError::Input`] when no version was in force then; otherwise see
    /// [`SlaPolicy::evaluate`].
    pub fn evaluate(
        &self,
        ticket: &Ticket,
        at: DateTime<Utc>,
    ) -> Result<SlaResult, EscalationError> {
        match self.in_force(ticket.opened_at) {
            Some(p) => p.evaluate(ticket, at),
            None => Err(EscalationError::Input {
                at: ticket.case_ref(),
                field: "opened_at".into(),
                message: format!(
                    "no SLA policy was in force at {}",
                    ticket.opened_at.to_rfc3339()
                ),
            }),
        }
    }

    /// Evaluates many tickets: one result per ticket, in order.
    pub fn evaluate_batch(
        &self,
        tickets: &[Ticket],
        at: DateTime<Utc>,
    ) -> Vec<Result<SlaResult, EscalationError>> {
        tickets.iter().map(|t| self.evaluate(t, at)).collect()
    }
}
