//! Business-hours calendars: when the clock of an SLA (or a renewal reminder) runs.
//!
//! A [`Calendar`] is loaded from a rubric file of kind `calendar` (see
//! `rubrics/calendars/`). It has:
//!
//! * an IANA time zone (`zone = "Europe/Berlin"`), whose rules (including the history of
//!   daylight-saving changes) come from the tz database via `chrono-tz`;
//! * weekly open intervals (`[[hours]] days = ["mon", "fri"] open = "09:00" close = "17:00"`).
//!   An interval whose `close` is not after its `open` (`22:00`-`06:00`) is an **overnight
//!   shift owned by the day it starts**: a Friday `22:00`-`06:00` shift runs into Saturday
//!   and makes Friday (not Saturday) a working day. `close = "24:00"` is the end of the day;
//! * or `always_open = true`: a true 24/7 calendar, with no closed minute at midnight;
//! * holidays (`[[holidays]] date = "2026-12-25"`): a holiday removes local 00:00-24:00 of
//!   that date, including the part of an overnight shift that falls on it;
//! * versions (`[[changes]] effective = "2027-01-01"`): a change of zone or hours applies
//!   from local midnight of its effective date; working time already used before it is kept.
//!
//! # Semantics
//!
//! * [`Calendar::working_time`]`(a, b)` counts the open time in the half-open `[a, b)`.
//! * [`Calendar::add_working_time`]`(t, d)` is the **earliest** instant `u` with exactly `d`
//!   of open time in `[t, u)`: a deadline that falls at closing time is the close, not the
//!   next morning's opening.
//! * [`Calendar::add_business_days`]`(t, n)` is "N whole working days": the same position in
//!   the working day `n` working days later (a ticket opened Monday 10:00 in a 09-17 calendar
//!   is due Thursday 10:00 for 3 business days; one opened before the opening is due at the
//!   close of the third working day).
//! * Local times are turned into instants with the offset in force at that instant: a local
//!   time skipped by a DST jump (02:30 on a spring-forward night) is the instant of the jump,
//!   and a local time that occurs twice (fall-back) is its first occurrence. So an 8-hour
//!   night shift on a fall-back night holds 9 hours of open time, and 7 on spring-forward.
//! * Every loop is bounded: a calendar with no open time for ten years errors with
//!   [`CalendarError::NoOpenTime`] instead of spinning, and spans longer than 400 years are
//!   rejected with [`CalendarError::OutOfRange`].
//!
//! Instants are `DateTime<Utc>`; convert any `DateTime<Tz>` with `with_timezone(&Utc)`, and
//! show a result in the calendar's zone with [`Calendar::local`].
//!
//! # Example
//! ```
//! use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
//! use csrubric::calendar::Calendar;
//!
//! let cal = Calendar::from_toml_str("inline.toml", r#"
//!     kind = "calendar"
//!     id = "calendars/berlin-office"
//!     version = "1"
//!     title = "Berlin office hours"
//!     source = "example"
//!     zone = "Europe/Berlin"
//!     [[hours]]
//!     days = ["mon", "tue", "wed", "thu", "fri"]
//!     open = "09:00"
//!     close = "17:00"
//!     [[holidays]]
//!     date = "2026-12-25"
//!     name = "Christmas Day"
//! "#)?;
//! // Thursday 24 December 2026, 15:00 in Berlin (14:00 UTC); 4 business hours later:
//! // 2 hours on Thursday, Friday is a holiday, the weekend is closed, 2 hours on Monday.
//! let t: DateTime<Utc> = "2026-12-24T14:00:00Z".parse()?;
//! let due = cal.add_working_time(t, TimeDelta::hours(4))?;
//! assert_eq!(cal.local(due).to_rfc3339(), "2026-12-28T11:00:00+01:00");
//! assert_eq!(cal.working_time(t, due)?, TimeDelta::hours(4));
//! let friday = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
//! assert!(!cal.is_working_day(friday));
//! assert_eq!(cal.previous_working_day(friday)?, NaiveDate::from_ymd_opt(2026, 12, 24).unwrap());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::rubric::{self, Format, Problems, RubricError, Stamp, Validate};

/// The `kind` every calendar file declares.
pub const KIND: &str = "calendar";

// The bounds of calendar computations (see `crate::limits`): consecutive closed days a
// search walks, the span of one computation (400 years), working days in one step, weekly
// open intervals of one schedule (real calendars have a few dozen at most).
use crate::limits::{
    CALENDAR_CLOSED_DAYS as MAX_CLOSED_DAYS, CALENDAR_SPAN_DAYS as MAX_SPAN_DAYS,
    CALENDAR_WEEKLY_INTERVALS as MAX_WEEKLY_INTERVALS, CALENDAR_WORKING_DAYS as MAX_WORKING_DAYS,
};
const MINUTES_PER_DAY: u32 = 24 * 60;
const MINUTES_PER_WEEK: u32 = 7 * MINUTES_PER_DAY;

/// A calendar file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    /// Always `"calendar"`.
    pub kind: String,
    /// Stable identifier, such as `calendars/business-hours-berlin`.
    pub id: String,
    /// Version of the calendar.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the calendar encodes.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// IANA time zone name, such as `Europe/Berlin` or `UTC`.
    pub zone: String,
    /// A true 24/7 calendar (every minute of every non-holiday day is open).
    #[serde(default)]
    pub always_open: bool,
    /// Weekly open intervals (empty when `always_open`).
    #[serde(default)]
    pub hours: Vec<HoursSpec>,
    /// Dates on which the calendar is closed all day (local 00:00-24:00).
    #[serde(default)]
    pub holidays: Vec<HolidaySpec>,
    /// Later versions of the zone or the weekly hours, in effective-date order.
    #[serde(default)]
    pub changes: Vec<ChangeSpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// One weekly open interval.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HoursSpec {
    /// Days it starts on: `mon`..`sun` (or full English names, any case).
    pub days: Vec<String>,
    /// Local opening time, `HH:MM`.
    pub open: String,
    /// Local closing time, `HH:MM` or `24:00`; not after `open` means an overnight shift.
    pub close: String,
}

/// One holiday.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HolidaySpec {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// What it is, for readers.
    #[serde(default)]
    pub name: Option<String>,
}

/// A change of zone and/or weekly hours from an effective date.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChangeSpec {
    /// The local date (in the new zone) from whose midnight the change applies.
    pub effective: String,
    /// The new zone; the previous one when absent.
    #[serde(default)]
    pub zone: Option<String>,
    /// The new 24/7 flag; give this or `hours` to change the schedule.
    #[serde(default)]
    pub always_open: Option<bool>,
    /// The new weekly hours; the previous ones when absent (and `always_open` absent).
    #[serde(default)]
    pub hours: Option<Vec<HoursSpec>>,
    /// Why, for readers.
    #[serde(default)]
    pub note: Option<String>,
}

/// Errors computing with a calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// No open time was found within the search bound.
    #[error("calendar `{calendar}` has no open time in the {days} days from {from}")]
    NoOpenTime {
        /// The calendar's id.
        calendar: String,
        /// The first day searched.
        from: NaiveDate,
        /// How many days were searched.
        days: u64,
    },
    /// A date, instant or span is outside what the calendar computes.
    #[error("calendar `{calendar}`: {message}")]
    OutOfRange {
        /// The calendar's id.
        calendar: String,
        /// What was out of range.
        message: String,
    },
}

impl CalendarError {
    /// A short stable code for bindings (`calendar_no_open_time`, `calendar_out_of_range`).
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::NoOpenTime { .. } => "calendar_no_open_time",
            CalendarError::OutOfRange { .. } => "calendar_out_of_range",
        }
    }
}

/// Parses a weekday name (`mon`, `Monday`, any case).
fn parse_weekday(s: &str) -> Option<Weekday> {
    let l = s.trim().to_ascii_lowercase();
    let day = match l.as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

/// Parses `HH:MM` into minutes after midnight; `24:00` only when `allow_end`.
fn parse_hhmm(s: &str, allow_end: bool) -> Result<u32, String> {
    let t = s.trim();
    if allow_end && t == "24:00" {
        return Ok(MINUTES_PER_DAY);
    }
    let bad = || {
        format!(
            "`{t}` is not a time of day `HH:MM` (00:00-23:59{})",
            if allow_end { ", or 24:00" } else { "" }
        )
    };
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date `YYYY-MM-DD`"))
}

fn parse_zone(s: &str) -> Result<Tz, String> {
    Tz::from_str(s.trim()).map_err(|_| {
        format!("`{s}` is not an IANA time zone name (such as `Europe/Berlin` or `UTC`)")
    })
}

/// One compiled weekly rule: opens at `open` minutes on its day, runs `length` minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rule {
    open: u32,
    length: u32,
}

fn compile_hours(hours: &[HoursSpec], path: &str, p: &mut Problems) -> [Vec<Rule>; 7] {
    let mut week: [Vec<Rule>; 7] = Default::default();
    // (start minute of week, end minute of week, index) for the overlap check.
    let mut spans: Vec<(u32, u32, usize)> = Vec::new();
    for (i, h) in hours.iter().enumerate() {
        let open = parse_hhmm(&h.open, false);
        let close = parse_hhmm(&h.close, true);
        if let Err(e) = &open {
            p.push(format!("{path}[{i}].open"), e.clone());
        }
        if let Err(e) = &close {
            p.push(format!("{path}[{i}].close"), e.clone());
        }
        if h.days.is_empty() {
            p.push(format!("{path}[{i}].days"), "list at least one day");
        }
        for (j, d) in h.days.iter().enumerate() {
            if parse_weekday(d).is_none() {
                p.push(
                    format!("{path}[{i}].days[{j}]"),
                    format!("`{d}` is not a day (`mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`)"),
                );
            }
        }
        let (Ok(open), Ok(close)) = (open, close) else {
            continue;
        };
        let length = if close > open {
            close - open
        } else {
            MINUTES_PER_DAY - open + close
        };
        if length == 0 || length > MINUTES_PER_DAY {
            p.push(
                format!("{path}[{i}].close"),
                format!(
                    "`{}`-`{}` is not an open interval of 1 minute to 24 hours",
                    h.open, h.close
                ),
            );
            continue;
        }
        for day in h.days.iter().filter_map(|d| parse_weekday(d)) {
            let idx = day.num_days_from_monday();
            if let Some(slot) = week.get_mut(idx as usize) {
                slot.push(Rule { open, length });
            }
            let start = idx * MINUTES_PER_DAY + open;
            spans.push((start, start + length, i));
        }
    }
    // Overlapping weekly intervals (on the circle of a week) would double-count time. The
    // check compares every pair, so the number of intervals is bounded first.
    if spans.len() > MAX_WEEKLY_INTERVALS {
        p.push(
            path.to_string(),
            format!(
                "{} weekly open intervals (days times entries): a week may have at most {MAX_WEEKLY_INTERVALS}",
                spans.len()
            ),
        );
        spans.clear();
    }
    let mut reported = std::collections::BTreeSet::new();
    for (a_i, a) in spans.iter().enumerate() {
        for b in spans.iter().skip(a_i + 1) {
            let overlaps = [0u32, MINUTES_PER_WEEK].iter().any(|shift| {
                (a.0 < b.1 + shift && b.0 + shift < a.1) || (b.0 < a.1 + shift && a.0 + shift < b.1)
            });
            if overlaps && reported.insert((a.2.min(b.2), a.2.max(b.2))) {
                let (first, second) = (a.2.min(b.2), a.2.max(b.2));
                p.push(
                    format!("{path}[{second}]"),
                    format!("overlaps `{path}[{first}]`: open intervals must not overlap"),
                );
            }
        }
    }
    for day in &mut week {
        day.sort_by_key(|r| r.open);
    }
    week
}

impl Validate for CalendarFile {
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
        if let Err(e) = parse_zone(&self.zone) {
            p.push("zone", e);
        }
        check_schedule(self.always_open, &self.hours, "hours", "", p);
        let mut seen = BTreeMap::new();
        for (i, h) in self.holidays.iter().enumerate() {
            match parse_date(&h.date) {
                Ok(d) => {
                    if let Some(first) = seen.insert(d, i) {
                        p.push(
                            format!("holidays[{i}].date"),
                            format!("`{d}` is already listed at `holidays[{first}]`"),
                        );
                    }
                }
                Err(e) => p.push(format!("holidays[{i}].date"), e),
            }
        }
        let mut last: Option<NaiveDate> = None;
        for (i, c) in self.changes.iter().enumerate() {
            match parse_date(&c.effective) {
                Ok(d) => {
                    if last.is_some_and(|l| d <= l) {
                        p.push(
                            format!("changes[{i}].effective"),
                            "changes must be in strictly increasing effective-date order",
                        );
                    }
                    last = Some(d);
                }
                Err(e) => p.push(format!("changes[{i}].effective"), e),
            }
            if let Some(z) = &c.zone {
                if let Err(e) = parse_zone(z) {
                    p.push(format!("changes[{i}].zone"), e);
                }
            }
            match (&c.always_open, &c.hours) {
                (Some(true), Some(h)) if !h.is_empty() => p.push(
                    format!("changes[{i}].hours"),
                    "give either `always_open = true` or `hours`, not both",
                ),
                (Some(false), None) => p.push(
                    format!("changes[{i}].always_open"),
                    "`always_open = false` needs the new `hours`",
                ),
                (_, Some(h)) => {
                    check_schedule(
                        c.always_open.unwrap_or(false),
                        h,
                        &format!("changes[{i}].hours"),
                        &format!("changes[{i}]."),
                        p,
                    );
                }
                (None, None) if c.zone.is_none() => p.push(
                    format!("changes[{i}]"),
                    "a change must give a new `zone`, `always_open` or `hours`",
                ),
                _ => {}
            }
        }
    }
}

fn check_schedule(
    always_open: bool,
    hours: &[HoursSpec],
    path: &str,
    prefix: &str,
    p: &mut Problems,
) {
    if always_open && !hours.is_empty() {
        p.push(
            path.to_string(),
            "give either `always_open = true` or `hours`, not both",
        );
    } else if !always_open && hours.is_empty() {
        p.push(
            format!("{prefix}hours"),
            "a calendar needs open time: list `[[hours]]` or set `always_open = true`",
        );
    }
    compile_hours(hours, path, p);
}

/// One version of the schedule, in force from `from` (local midnight of its effective date).
#[derive(Clone, Debug)]
struct Version {
    effective: Option<NaiveDate>,
    from: Option<DateTime<Utc>>,
    zone: Tz,
    always_open: bool,
    week: [Vec<Rule>; 7],
}

impl Version {
    fn rules(&self, day: Weekday) -> &[Rule] {
        self.week
            .get(day.num_days_from_monday() as usize)
            .map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug)]
struct Compiled {
    file: CalendarFile,
    stamp: Stamp,
    versions: Vec<Version>,
    holidays: BTreeMap<NaiveDate, Option<String>>,
}

/// A loaded, validated business-hours calendar. Cheap to clone and share between threads.
#[derive(Clone, Debug)]
pub struct Calendar {
    inner: Arc<Compiled>,
}

/// One stretch of open time: `[start, end)`, owned by the working day `day`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OpenSpan {
    /// First open instant.
    pub start: DateTime<Utc>,
    /// First instant after it that is not open (exclusive).
    pub end: DateTime<Utc>,
    /// The local date whose weekly interval this is (an overnight shift's start day).
    pub day: NaiveDate,
}

impl Calendar {
    /// Loads a calendar file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path and (TOML) the line and column.
    ///
    /// # Example
    /// ```
    /// use csrubric::calendar::Calendar;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/always-open.toml");
    /// let cal = Calendar::from_path(path.as_ref())?;
    /// assert_eq!(cal.stamp().id, "calendars/always-open");
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<Calendar, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads a calendar from TOML text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`Calendar::from_path`].
    pub fn from_toml_str(file: &str, text: &str) -> Result<Calendar, RubricError> {
        Self::from_str_with_format(file, text, Format::Toml)
    }

    /// Loads a calendar from JSON text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`Calendar::from_path`].
    ///
    /// # Example
    /// ```
    /// use csrubric::calendar::Calendar;
    /// let err = Calendar::from_json_str("c.json", r#"{"kind": "calendar", "id": "c",
    ///     "version": "1", "title": "C", "source": "s", "zone": "Mars/Olympus"}"#).unwrap_err();
    /// assert!(err.to_string().contains("zone: `Mars/Olympus` is not an IANA time zone"), "{err}");
    /// ```
    pub fn from_json_str(file: &str, text: &str) -> Result<Calendar, RubricError> {
        Self::from_str_with_format(file, text, Format::Json)
    }

    /// Loads a calendar from text in the given format.
    ///
    /// # Errors
    /// See [`Calendar::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<Calendar, RubricError> {
        let parsed: CalendarFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        Self::compile(parsed, stamp).map_err(|message| RubricError::Invalid {
            file: file.to_string(),
            problems: vec![rubric::Problem {
                path: "changes".into(),
                message,
                line: None,
                column: None,
            }],
        })
    }

    /// Loads the calendar a rubric links to (`calendar = "../calendars/x.toml"`), relative to
    /// the linking rubric's folder `base`, through `reader`; errors are problems of the
    /// linking rubric `file` at its rubric path `at`.
    ///
    /// # Errors
    /// [`RubricError::Invalid`] naming `file` and `at`, with the calendar's own error.
    ///
    /// # Example
    /// ```
    /// use csrubric::calendar::Calendar;
    /// use csrubric::rubric::read_from_disk;
    /// let base = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/escalation"));
    /// let cal = Calendar::load_linked("m.toml", Some(base), "../calendars/always-open.toml", "calendar", &read_from_disk)?;
    /// assert_eq!(cal.stamp().id, "calendars/always-open");
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn load_linked(
        file: &str,
        base: Option<&Path>,
        rel: &str,
        at: &str,
        reader: rubric::FileReader<'_>,
    ) -> Result<Calendar, RubricError> {
        let (path, text, format) = rubric::read_linked(file, base, rel, at, reader)?;
        Self::from_str_with_format(&path, &text, format)
            .map_err(|e| rubric::linked_error(file, at, rel, "calendar", &e))
    }

    /// Compiles a validated file. Validation has accepted every field, so the fallbacks
    /// here are never taken.
    fn compile(file: CalendarFile, stamp: Stamp) -> Result<Calendar, String> {
        let mut scratch = Problems::default();
        let zone = parse_zone(&file.zone).unwrap_or(Tz::UTC);
        let mut versions = vec![Version {
            effective: None,
            from: None,
            zone,
            always_open: file.always_open,
            week: compile_hours(&file.hours, "hours", &mut scratch),
        }];
        for (i, c) in file.changes.iter().enumerate() {
            let prev = versions.last().cloned().ok_or("no base version")?;
            let zone = match &c.zone {
                Some(z) => parse_zone(z)?,
                None => prev.zone,
            };
            let effective = parse_date(&c.effective)?;
            let (always_open, week) = match (&c.always_open, &c.hours) {
                (_, Some(h)) => (
                    c.always_open.unwrap_or(false),
                    compile_hours(h, "hours", &mut scratch),
                ),
                (Some(true), None) => (true, Default::default()),
                _ => (prev.always_open, prev.week.clone()),
            };
            let from = to_instant(zone, effective.and_time(NaiveTime::MIN))
                .ok_or_else(|| format!("changes[{i}].effective: `{effective}` is out of range"))?;
            if prev.from.is_some_and(|p| from <= p) {
                return Err(format!(
                    "changes[{i}].effective: `{effective}` in `{zone}` is not after the previous change"
                ));
            }
            versions.push(Version {
                effective: Some(effective),
                from: Some(from),
                zone,
                always_open,
                week,
            });
        }
        let holidays = file
            .holidays
            .iter()
            .filter_map(|h| parse_date(&h.date).ok().map(|d| (d, h.name.clone())))
            .collect();
        Ok(Calendar {
            inner: Arc::new(Compiled {
                file,
                stamp,
                versions,
                holidays,
            }),
        })
    }

    /// The calendar's id, version and content hash.
    pub fn stamp(&self) -> &Stamp {
        &self.inner.stamp
    }

    /// The calendar file as written.
    pub fn spec(&self) -> &CalendarFile {
        &self.inner.file
    }

    /// The time zone in force at instant `t`.
    pub fn zone_at(&self, t: DateTime<Utc>) -> Tz {
        self.version_at(t).zone
    }

    /// `t` in the calendar's zone (the one in force at `t`), for display.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// let t = "2026-07-01T08:00:00Z".parse()?;
    /// assert_eq!(cal.local(t).to_rfc3339(), "2026-07-01T10:00:00+02:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&self.zone_at(t))
    }

    /// The name of a holiday on `date`, `Some("")` for an unnamed one, `None` otherwise.
    pub fn holiday(&self, date: NaiveDate) -> Option<&str> {
        self.inner
            .holidays
            .get(&date)
            .map(|n| n.as_deref().unwrap_or(""))
    }

    fn version_at(&self, t: DateTime<Utc>) -> &Version {
        let vs = &self.inner.versions;
        let idx = vs.iter().rposition(|v| v.from.is_none_or(|f| f <= t));
        idx.and_then(|i| vs.get(i))
            .or_else(|| vs.first())
            .unwrap_or_else(|| unreachable_version())
    }

    fn version_index_at(&self, t: DateTime<Utc>) -> usize {
        self.inner
            .versions
            .iter()
            .rposition(|v| v.from.is_none_or(|f| f <= t))
            .unwrap_or(0)
    }

    fn version_on(&self, date: NaiveDate) -> &Version {
        let vs = &self.inner.versions;
        let idx = vs
            .iter()
            .rposition(|v| v.effective.is_none_or(|e| e <= date));
        idx.and_then(|i| vs.get(i))
            .or_else(|| vs.first())
            .unwrap_or_else(|| unreachable_version())
    }

    fn id(&self) -> String {
        self.inner.file.id.clone()
    }

    fn out_of_range(&self, message: impl Into<String>) -> CalendarError {
        CalendarError::OutOfRange {
            calendar: self.id(),
            message: message.into(),
        }
    }

    /// True when `date` is a working day: not a holiday, and some open interval starts on it
    /// (every day of a 24/7 calendar). The version in force on that date decides.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// use chrono::NaiveDate;
    /// assert!(cal.is_working_day(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())); // Monday
    /// assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap())); // Sunday
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.inner.holidays.contains_key(&date) {
            return false;
        }
        let v = self.version_on(date);
        v.always_open || !v.rules(date.weekday()).is_empty()
    }

    /// The working day `n` working days after `date` (`n < 0`: before). `date` itself is
    /// not counted; `n = 0` returns `date` unchanged.
    ///
    /// # Errors
    /// [`CalendarError::NoOpenTime`] when ten years pass without a working day,
    /// [`CalendarError::OutOfRange`] when `|n|` exceeds 100 000 or the date range ends.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// use chrono::NaiveDate;
    /// let friday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    /// assert_eq!(cal.add_working_days(friday, 1)?, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    /// assert_eq!(cal.add_working_days(friday, -5)?, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_working_days(&self, date: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        if n.unsigned_abs() > MAX_WORKING_DAYS.unsigned_abs() {
            return Err(self.out_of_range(format!(
                "cannot step {n} working days (at most {MAX_WORKING_DAYS})"
            )));
        }
        let mut d = date;
        for _ in 0..n.unsigned_abs() {
            d = self.step_to_working_day(d, n > 0)?;
        }
        Ok(d)
    }

    /// The next working day strictly after (`forward`) or before `date`.
    fn step_to_working_day(
        &self,
        date: NaiveDate,
        forward: bool,
    ) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        for _ in 0..MAX_CLOSED_DAYS {
            d = if forward {
                d.checked_add_days(Days::new(1))
            } else {
                d.checked_sub_days(Days::new(1))
            }
            .ok_or_else(|| self.out_of_range(format!("no date after stepping from `{date}`")))?;
            if self.is_working_day(d) {
                return Ok(d);
            }
        }
        Err(CalendarError::NoOpenTime {
            calendar: self.id(),
            from: date,
            days: MAX_CLOSED_DAYS,
        })
    }

    /// The last working day strictly before `date`.
    ///
    /// # Errors
    /// See [`Calendar::add_working_days`].
    pub fn previous_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.step_to_working_day(date, false)
    }

    /// The first working day strictly after `date`.
    ///
    /// # Errors
    /// See [`Calendar::add_working_days`].
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.step_to_working_day(date, true)
    }

    /// `date` when it is a working day, else the last working day before it (a renewal
    /// reminder that falls on a weekend is sent on the Friday before).
    ///
    /// # Errors
    /// See [`Calendar::add_working_days`].
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// use chrono::NaiveDate;
    /// let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    /// assert_eq!(cal.on_or_before_working_day(sunday)?, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_or_before_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date) {
            Ok(date)
        } else {
            self.previous_working_day(date)
        }
    }

    /// `date` when it is a working day, else the first working day after it.
    ///
    /// # Errors
    /// See [`Calendar::add_working_days`].
    pub fn on_or_after_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date) {
            Ok(date)
        } else {
            self.next_working_day(date)
        }
    }

    /// The open spans owned by the local date `date` under version `vi`, holidays removed,
    /// clipped to the version's range, in time order.
    fn day_spans(&self, vi: usize, date: NaiveDate) -> Result<Vec<OpenSpan>, CalendarError> {
        let vs = &self.inner.versions;
        let Some(v) = vs.get(vi) else {
            return Ok(Vec::new());
        };
        let until = vs.get(vi + 1).and_then(|n| n.from);
        let rules: Vec<Rule> = if v.always_open {
            vec![Rule {
                open: 0,
                length: MINUTES_PER_DAY,
            }]
        } else {
            v.rules(date.weekday()).to_vec()
        };
        let midnight = date.and_time(NaiveTime::MIN);
        let mut out = Vec::new();
        for r in rules {
            // On the last date chrono represents, a shift's end (or an instant) may not exist.
            let (Some(start), Some(end)) = (
                midnight.checked_add_signed(TimeDelta::minutes(i64::from(r.open))),
                midnight.checked_add_signed(TimeDelta::minutes(i64::from(r.open + r.length))),
            ) else {
                return Err(self.out_of_range(format!("`{date}` is the end of the date range")));
            };
            for (s, e) in self.minus_holidays(start, end) {
                let (Some(s), Some(e)) = (to_instant(v.zone, s), to_instant(v.zone, e)) else {
                    return Err(
                        self.out_of_range(format!("`{date}` is outside the time zone range"))
                    );
                };
                let s = v.from.map_or(s, |f| s.max(f));
                let e = until.map_or(e, |u| e.min(u));
                if s < e {
                    out.push(OpenSpan {
                        start: s,
                        end: e,
                        day: date,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Removes holiday dates (local 00:00-24:00) from a local interval spanning at most two
    /// dates.
    fn minus_holidays(
        &self,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        let mut pieces = vec![(start, end)];
        let mut day = start.date();
        while day.and_time(NaiveTime::MIN) < end {
            let next = match day.checked_add_days(Days::new(1)) {
                Some(n) => n,
                None => break,
            };
            if self.inner.holidays.contains_key(&day) {
                let (hs, he) = (day.and_time(NaiveTime::MIN), next.and_time(NaiveTime::MIN));
                pieces = pieces
                    .into_iter()
                    .flat_map(|(s, e)| {
                        let mut v = Vec::new();
                        if s < hs {
                            v.push((s, e.min(hs)));
                        }
                        if e > he {
                            v.push((s.max(he), e));
                        }
                        v
                    })
                    .filter(|(s, e)| s < e)
                    .collect();
            }
            day = next;
        }
        pieces
    }

    /// The open spans from `t` on, in time order (the first clipped to start at `t`).
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// let t = "2026-11-21T12:00:00Z".parse()?; // a Saturday
    /// let first = cal.spans_from(t).next().unwrap()?;
    /// assert_eq!(cal.local(first.start).to_rfc3339(), "2026-11-23T09:00:00+01:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spans_from(&self, t: DateTime<Utc>) -> Spans<'_> {
        let vi = self.version_index_at(t);
        let zone = self.inner.versions.get(vi).map_or(Tz::UTC, |v| v.zone);
        let date = local_date(t, zone).and_then(|d| d.pred_opt());
        Spans {
            cal: self,
            t,
            vi,
            date,
            queue: VecDeque::new(),
            closed_days: 0,
            done: false,
        }
    }

    /// The first open instant at or after `t`.
    ///
    /// # Errors
    /// [`CalendarError::NoOpenTime`] when none is found within ten years.
    pub fn next_open(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, CalendarError> {
        match self.spans_from(t).next() {
            Some(s) => s.map(|s| s.start),
            None => Err(self.no_open_time(t)),
        }
    }

    /// True when the calendar is open at instant `t`.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        self.next_open(t).is_ok_and(|s| s == t)
    }

    fn no_open_time(&self, t: DateTime<Utc>) -> CalendarError {
        CalendarError::NoOpenTime {
            calendar: self.id(),
            from: t.date_naive(),
            days: MAX_CLOSED_DAYS,
        }
    }

    fn check_span(&self, d: TimeDelta) -> Result<(), CalendarError> {
        if d > TimeDelta::days(MAX_SPAN_DAYS) {
            return Err(self.out_of_range(format!(
                "a span of {} days is longer than 400 years",
                d.num_days()
            )));
        }
        Ok(())
    }

    /// The open time in the half-open `[a, b)`; zero when `b <= a`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] when `b - a` exceeds 400 years,
    /// [`CalendarError::NoOpenTime`] for a calendar with no open time.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// use chrono::TimeDelta;
    /// // Friday 16:00 to Monday 10:00 in Berlin: 1 hour Friday + 1 hour Monday.
    /// let a = "2026-11-27T16:00:00+01:00".parse()?;
    /// let b = "2026-11-30T10:00:00+01:00".parse()?;
    /// assert_eq!(cal.working_time(a, b)?, TimeDelta::hours(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn working_time(
        &self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Result<TimeDelta, CalendarError> {
        if b <= a {
            return Ok(TimeDelta::zero());
        }
        self.check_span(b - a)?;
        let mut total = TimeDelta::zero();
        for span in self.spans_from(a) {
            let span = span?;
            if span.start >= b {
                break;
            }
            total += span.end.min(b) - span.start;
        }
        Ok(total)
    }

    /// The earliest instant `u` such that `[t, u)` holds exactly `d` of open time. `d = 0`
    /// returns `t`.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] for a negative `d`, or when `d` of open time does not
    /// fit in the 400 years from `t`; [`CalendarError::NoOpenTime`] for a calendar with no
    /// open time.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// use chrono::TimeDelta;
    /// // 4 business hours from Friday 15:00: 2 on Friday (to 17:00), 2 on Monday.
    /// let t = "2026-11-27T15:00:00+01:00".parse()?;
    /// let due = cal.add_working_time(t, TimeDelta::hours(4))?;
    /// assert_eq!(cal.local(due).to_rfc3339(), "2026-11-30T11:00:00+01:00");
    /// // A deadline at closing time is the close itself.
    /// let due = cal.add_working_time(t, TimeDelta::hours(2))?;
    /// assert_eq!(cal.local(due).to_rfc3339(), "2026-11-27T17:00:00+01:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_working_time(
        &self,
        t: DateTime<Utc>,
        d: TimeDelta,
    ) -> Result<DateTime<Utc>, CalendarError> {
        if d < TimeDelta::zero() {
            return Err(self.out_of_range(format!(
                "cannot add a negative working time ({}s)",
                d.num_seconds()
            )));
        }
        if d.is_zero() {
            return Ok(t);
        }
        self.check_span(d)?;
        let mut remaining = d;
        for span in self.spans_from(t) {
            let span = span?;
            // A sparse calendar (one open minute a week) may need far more calendar time
            // than `d`: the search stops at the same 400 years `working_time` accepts, so
            // every deadline found can be measured back.
            if span.end - t > TimeDelta::days(MAX_SPAN_DAYS) {
                return Err(self.out_of_range(format!(
                    "{}s of working time do not fit in the 400 years from {t}",
                    d.num_seconds()
                )));
            }
            let len = span.end - span.start;
            if remaining <= len {
                return Ok(span.start + remaining);
            }
            remaining -= len;
        }
        Err(self.no_open_time(t))
    }

    /// "N whole working days" from `t`: the instant at the same position (open time
    /// elapsed since the day's opening) in the working day `n` working days after the one
    /// `t` falls in. A `t` in closed time starts at the next opening; a clock that starts
    /// exactly at an opening ends at the close of the `n`-th working day counting that one.
    /// When the target day is shorter than the elapsed time, the target day's close.
    ///
    /// # Errors
    /// See [`Calendar::add_working_days`]; [`CalendarError::OutOfRange`] for `n < 0`.
    ///
    /// # Example
    /// ```
    /// # use csrubric::calendar::Calendar;
    /// # let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/calendars/business-hours-berlin.toml");
    /// # let cal = Calendar::from_path(path.as_ref())?;
    /// let monday_10 = "2026-11-23T10:00:00+01:00".parse()?;
    /// let due = cal.add_business_days(monday_10, 3)?;
    /// assert_eq!(cal.local(due).to_rfc3339(), "2026-11-26T10:00:00+01:00");
    /// let saturday = "2026-11-21T10:00:00+01:00".parse()?;
    /// let due = cal.add_business_days(saturday, 3)?;
    /// assert_eq!(cal.local(due).to_rfc3339(), "2026-11-25T17:00:00+01:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_business_days(
        &self,
        t: DateTime<Utc>,
        n: i64,
    ) -> Result<DateTime<Utc>, CalendarError> {
        if n < 0 {
            return Err(self.out_of_range(format!("cannot add {n} business days")));
        }
        if n == 0 {
            return Ok(t);
        }
        let first = match self.spans_from(t).next() {
            Some(s) => s?,
            None => return Err(self.no_open_time(t)),
        };
        let start = first.start;
        let day = first.day;
        let vi = self.version_index_at(start);
        let elapsed: TimeDelta = self
            .day_spans(vi, day)?
            .iter()
            .filter(|s| s.start < start)
            .map(|s| s.end.min(start) - s.start)
            .sum();
        if elapsed.is_zero() {
            let last_day = self.add_working_days(day, n - 1)?;
            return self.close_of(last_day);
        }
        let target = self.add_working_days(day, n)?;
        let spans = self.spans_of(target)?;
        let mut remaining = elapsed;
        for s in &spans {
            let len = s.end - s.start;
            if remaining <= len {
                return Ok(s.start + remaining);
            }
            remaining -= len;
        }
        match spans.last() {
            Some(s) => Ok(s.end),
            None => self.close_of(target),
        }
    }

    /// The open spans owned by `date`, under the version in force on it.
    fn spans_of(&self, date: NaiveDate) -> Result<Vec<OpenSpan>, CalendarError> {
        let vs = &self.inner.versions;
        let vi = vs
            .iter()
            .rposition(|v| v.effective.is_none_or(|e| e <= date))
            .unwrap_or(0);
        let mut spans = self.day_spans(vi, date)?;
        // An overnight shift of the last day before a change is clipped by the change; the
        // part after it is not part of this day.
        if vi > 0 {
            if let Some(prev) = self.day_spans(vi - 1, date)?.first() {
                spans.insert(0, *prev);
            }
        }
        spans.sort_by_key(|s| s.start);
        spans.dedup();
        Ok(spans)
    }

    /// The end of the last open span owned by `date` (its midnight when it has none).
    fn close_of(&self, date: NaiveDate) -> Result<DateTime<Utc>, CalendarError> {
        let spans = self.spans_of(date)?;
        match spans.last() {
            Some(s) => Ok(s.end),
            None => {
                let zone = self.version_on(date).zone;
                to_instant(zone, date.and_time(NaiveTime::MIN))
                    .ok_or_else(|| self.out_of_range(format!("`{date}` is out of range")))
            }
        }
    }
}

fn unreachable_version() -> &'static Version {
    // A compiled calendar always has its base version; this static only satisfies the
    // no-panic rule.
    static FALLBACK: std::sync::OnceLock<Version> = std::sync::OnceLock::new();
    FALLBACK.get_or_init(|| Version {
        effective: None,
        from: None,
        zone: Tz::UTC,
        always_open: true,
        week: Default::default(),
    })
}

/// The local date of `t` in `zone`; `None` within a day of the ends of chrono's range, where
/// the local time does not exist (`DateTime::date_naive` would panic there).
fn local_date(t: DateTime<Utc>, zone: Tz) -> Option<NaiveDate> {
    let offset = zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc()
        .checked_add_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))
        .map(|local| local.date())
}

/// Turns a local time into an instant with the offset in force then: a time skipped by a
/// DST jump is the instant of the jump, a time that occurs twice is its first occurrence.
/// Both rules keep the map monotonic, so open intervals never turn inside out.
fn to_instant(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        LocalResult::None => chrono_tz::GapInfo::new(&local, &zone)
            .and_then(|g| g.end.map(|e| e.with_timezone(&Utc))),
    }
}

/// The open spans of a calendar from an instant on; see [`Calendar::spans_from`].
///
/// Yields an error (and then stops) when ten years pass without open time or the date range
/// ends.
#[derive(Debug)]
pub struct Spans<'a> {
    cal: &'a Calendar,
    t: DateTime<Utc>,
    vi: usize,
    date: Option<NaiveDate>,
    queue: VecDeque<OpenSpan>,
    closed_days: u64,
    done: bool,
}

impl Iterator for Spans<'_> {
    type Item = Result<OpenSpan, CalendarError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            if let Some(s) = self.queue.pop_front() {
                return Some(Ok(s));
            }
            let Some(date) = self.date else {
                self.done = true;
                return Some(Err(self.cal.out_of_range("the date range ends")));
            };
            if self.closed_days > MAX_CLOSED_DAYS {
                self.done = true;
                return Some(Err(CalendarError::NoOpenTime {
                    calendar: self.cal.id(),
                    from: date,
                    days: MAX_CLOSED_DAYS,
                }));
            }
            // Move to the next version once this date starts after the version ends.
            let versions = &self.cal.inner.versions;
            if let (Some(v), Some(next)) = (versions.get(self.vi), versions.get(self.vi + 1)) {
                if let Some(until) = next.from {
                    let day_start = to_instant(v.zone, date.and_time(NaiveTime::MIN));
                    if day_start.is_some_and(|s| s >= until) {
                        self.vi += 1;
                        self.date = local_date(until, next.zone).and_then(|d| d.pred_opt());
                        continue;
                    }
                }
            }
            match self.cal.day_spans(self.vi, date) {
                Ok(spans) => {
                    let before = self.queue.len();
                    for mut s in spans {
                        if s.end <= self.t {
                            continue;
                        }
                        s.start = s.start.max(self.t);
                        self.queue.push_back(s);
                    }
                    if self.queue.len() == before {
                        self.closed_days += 1;
                    } else {
                        self.closed_days = 0;
                    }
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
            self.date = date.succ_opt();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(body: &str) -> Calendar {
        let text = format!(
            "kind = \"calendar\"\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\nsource = \"test\"\n{body}"
        );
        Calendar::from_toml_str("t.toml", &text).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    const NINE_TO_FIVE: &str = "zone = \"Europe/Berlin\"\n[[hours]]\ndays = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]\nopen = \"09:00\"\nclose = \"17:00\"\n";

    #[test]
    fn rejects_bad_files_with_paths() {
        let text = "kind = \"calendar\"\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\nsource = \"s\"\nzone = \"Europe/Nowhere\"\n[[hours]]\ndays = [\"mon\", \"funday\"]\nopen = \"9:00\"\nclose = \"25:00\"\n";
        let err = Calendar::from_toml_str("c.toml", text).unwrap_err();
        let s = err.to_string();
        assert!(s.contains("zone: `Europe/Nowhere`"), "{s}");
        assert!(s.contains("hours[0].days[1]: `funday`"), "{s}");
        assert!(s.contains("hours[0].open"), "{s}");
        assert!(s.contains("hours[0].close"), "{s}");
    }

    #[test]
    fn no_hours_is_an_error_and_overlaps_are_reported() {
        let text = "kind = \"calendar\"\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\nsource = \"s\"\nzone = \"UTC\"\n";
        let err = Calendar::from_toml_str("c.toml", text).unwrap_err();
        assert!(err.to_string().contains("needs open time"), "{err}");
        let text = format!("{text}[[hours]]\ndays = [\"sun\"]\nopen = \"22:00\"\nclose = \"06:00\"\n[[hours]]\ndays = [\"mon\"]\nopen = \"05:00\"\nclose = \"09:00\"\n");
        let err = Calendar::from_toml_str("c.toml", &text).unwrap_err();
        assert!(
            err.to_string().contains("hours[1]: overlaps `hours[0]`"),
            "{err}"
        );
    }

    // Found by the calendar fuzz target: one open minute a week and 768 days of working
    // time needed about 21 000 years of calendar, so the search ran toward the end of
    // chrono's range instead of stopping at the 400 years `working_time` accepts.
    #[test]
    fn a_deadline_beyond_400_years_is_out_of_range_not_a_long_search() {
        let c = cal(
            "zone = \"UTC\"\n[[hours]]\ndays = [\"sun\"]\nopen = \"23:59\"\nclose = \"24:00\"\n",
        );
        let t = utc("2026-01-01T00:00:00Z");
        let err = c.add_working_time(t, TimeDelta::days(768)).unwrap_err();
        assert_eq!(err.code(), "calendar_out_of_range", "{err}");
        assert!(
            err.to_string().contains("do not fit in the 400 years"),
            "{err}"
        );
        // 400 years hold 20 871 Sundays (146 097 days / 7), so 20 000 open minutes fit:
        // the 20 000th Sunday after Thursday 1 January 2026 ends its minute at midnight.
        let d = TimeDelta::minutes(20_000);
        let due = c.add_working_time(t, d).unwrap();
        let first_sunday_end = utc("2026-01-05T00:00:00Z");
        assert_eq!(due, first_sunday_end + TimeDelta::weeks(19_999));
        assert_eq!(c.working_time(t, due).unwrap(), d);
    }

    #[test]
    fn the_most_negative_day_count_is_out_of_range_not_a_panic() {
        let c = cal(NINE_TO_FIVE);
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let err = c.add_working_days(d, i64::MIN).unwrap_err();
        assert_eq!(err.code(), "calendar_out_of_range", "{err}");
    }

    // Found by the 100k-entries case of the hostile suite: the overlap check compares every
    // pair of weekly intervals, so 100 000 `[[hours]]` entries (or one entry listing a day
    // 100 000 times) took hours. (Lists now stop at 10 000 entries, `crate::limits`.)
    #[test]
    fn a_calendar_with_too_many_weekly_intervals_is_rejected() {
        let mut body = String::from("zone = \"UTC\"\n");
        for _ in 0..10_000 {
            body.push_str("[[hours]]\ndays = [\"mon\"]\nopen = \"09:00\"\nclose = \"10:00\"\n");
        }
        let text = format!("kind = \"calendar\"\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\nsource = \"s\"\n{body}");
        let err = Calendar::from_toml_str("c.toml", &text).unwrap_err();
        assert!(err.to_string().contains("c.toml:7:3: invalid rubric: hours: 10000 weekly open intervals (days times entries): a week may have at most 1000"), "{err}");
        let days = vec!["\"mon\""; 1001].join(", ");
        let text = format!("kind = \"calendar\"\nid = \"t\"\nversion = \"1\"\ntitle = \"T\"\nsource = \"s\"\nzone = \"UTC\"\n[[hours]]\ndays = [{days}]\nopen = \"09:00\"\nclose = \"10:00\"\n");
        let err = Calendar::from_toml_str("c.toml", &text).unwrap_err();
        assert!(
            err.to_string()
                .contains("hours: 1001 weekly open intervals"),
            "{err}"
        );
    }

    #[test]
    fn the_last_days_chrono_represents_are_errors_or_answers_not_panics() {
        let late = DateTime::<Utc>::MAX_UTC - TimeDelta::days(3);
        let early = DateTime::<Utc>::MIN_UTC + TimeDelta::hours(1);
        for body in [
            NINE_TO_FIVE,
            "zone = \"UTC\"\nalways_open = true\n",
            "zone = \"Pacific/Kiritimati\"\n[[hours]]\ndays = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]\nopen = \"22:00\"\nclose = \"06:00\"\n",
        ] {
            let c = cal(body);
            let _ = c.working_time(late, DateTime::<Utc>::MAX_UTC);
            let _ = c.add_working_time(late, TimeDelta::hours(30));
            let _ = c.add_business_days(late, 5);
            let _ = c.next_open(late);
            let _ = c.working_time(DateTime::<Utc>::MIN_UTC, early);
            let _ = c.add_working_time(DateTime::<Utc>::MIN_UTC, TimeDelta::minutes(30));
            let _ = c.add_working_days(NaiveDate::MAX, 1);
            let _ = c.add_working_days(NaiveDate::MIN, -1);
            let _ = c.on_or_before_working_day(NaiveDate::MIN);
        }
    }

    #[test]
    fn holiday_only_calendar_errors_instead_of_spinning() {
        // Open only on 29 February: 2028 is the next, then 2032; never more than 10 years.
        // A calendar whose only open day is always a holiday finds nothing.
        let mut body = String::from(
            "zone = \"UTC\"\n[[hours]]\ndays = [\"mon\"]\nopen = \"09:00\"\nclose = \"10:00\"\n",
        );
        let mut d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while d.year() < 2040 {
            if d.weekday() == Weekday::Mon {
                body.push_str(&format!("[[holidays]]\ndate = \"{d}\"\n"));
            }
            d = d.succ_opt().unwrap();
        }
        let c = cal(&body);
        let err = c
            .add_working_time(utc("2026-01-01T00:00:00Z"), TimeDelta::hours(1))
            .unwrap_err();
        assert_eq!(err.code(), "calendar_no_open_time");
        let err = c
            .add_working_days(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), 1)
            .unwrap_err();
        assert_eq!(err.code(), "calendar_no_open_time");
    }

    #[test]
    fn working_time_is_half_open() {
        let c = cal(NINE_TO_FIVE);
        // 09:00 to 17:00 Monday local (UTC+1 in November) is exactly 8 hours.
        let a = utc("2026-11-23T09:00:00+01:00");
        let b = utc("2026-11-23T17:00:00+01:00");
        assert_eq!(c.working_time(a, b).unwrap(), TimeDelta::hours(8));
        assert_eq!(c.working_time(b, a).unwrap(), TimeDelta::zero());
        assert!(c.is_open(a));
        assert!(!c.is_open(b));
    }

    #[test]
    fn versioned_calendar_switches_at_effective_midnight() {
        let c = cal(&format!(
            "{NINE_TO_FIVE}[[changes]]\neffective = \"2027-01-04\"\nhours = [{{ days = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"], open = \"08:00\", close = \"18:00\" }}]\n"
        ));
        // Friday 1 Jan 2027 (not a holiday here): 8 hours; Monday 4 Jan: 10 hours.
        let a = utc("2027-01-01T00:00:00+01:00");
        let b = utc("2027-01-05T00:00:00+01:00");
        assert_eq!(c.working_time(a, b).unwrap(), TimeDelta::hours(18));
    }

    #[test]
    fn overnight_shift_across_a_holiday_is_cut_at_midnight() {
        let c = cal("zone = \"UTC\"\n[[hours]]\ndays = [\"thu\"]\nopen = \"22:00\"\nclose = \"06:00\"\n[[holidays]]\ndate = \"2026-11-27\"\n");
        // Thursday 26 Nov 22:00 - Friday 06:00, Friday a holiday: only 2 hours remain.
        let a = utc("2026-11-26T00:00:00Z");
        let b = utc("2026-11-28T00:00:00Z");
        assert_eq!(c.working_time(a, b).unwrap(), TimeDelta::hours(2));
        assert!(c.is_working_day(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()));
        assert!(!c.is_working_day(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()));
    }

    #[test]
    fn gap_and_fold_local_times() {
        let ny = Tz::America__New_York;
        // 2026-03-08 02:30 does not exist in New York: the jump is at 07:00 UTC.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 8)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(to_instant(ny, gap), Some(utc("2026-03-08T07:00:00Z")));
        // 2026-11-01 01:30 occurs twice: the first is 05:30 UTC (EDT).
        let fold = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(to_instant(ny, fold), Some(utc("2026-11-01T05:30:00Z")));
    }

    const BERLIN: &str = include_str!("../../rubrics/calendars/business-hours-berlin.toml");
    const NEW_YORK: &str = include_str!("../../rubrics/calendars/business-hours-new-york.toml");

    fn berlin() -> Calendar {
        Calendar::from_toml_str("berlin.toml", BERLIN).unwrap()
    }
    fn new_york() -> Calendar {
        Calendar::from_toml_str("ny.toml", NEW_YORK).unwrap()
    }
    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn nightly(zone: &str) -> Calendar {
        cal(&format!(
            "zone = \"{zone}\"\n[[hours]]\ndays = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]\nopen = \"22:00\"\nclose = \"06:00\"\n"
        ))
    }

    #[test]
    fn night_shift_holds_7_hours_on_spring_forward_and_9_on_fall_back() {
        // Europe/Berlin: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00.
        // America/New_York: 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00.
        for (zone, spring, fall) in [
            ("Europe/Berlin", date(2026, 3, 28), date(2026, 10, 24)),
            ("America/New_York", date(2026, 3, 7), date(2026, 10, 31)),
        ] {
            let c = nightly(zone);
            let z = Tz::from_str(zone).unwrap();
            let noon = |d: NaiveDate| to_instant(z, d.and_hms_opt(12, 0, 0).unwrap()).unwrap();
            let next = |d: NaiveDate| d.succ_opt().unwrap();
            assert_eq!(
                c.working_time(noon(spring), noon(next(spring))).unwrap(),
                TimeDelta::hours(7),
                "{zone} spring"
            );
            assert_eq!(
                c.working_time(noon(fall), noon(next(fall))).unwrap(),
                TimeDelta::hours(9),
                "{zone} fall"
            );
            // An ordinary night: 8 hours.
            let plain = date(2026, 6, 13);
            assert_eq!(
                c.working_time(noon(plain), noon(next(plain))).unwrap(),
                TimeDelta::hours(8)
            );
            // The shift is owned by the day it starts.
            assert!(c.is_working_day(spring));
        }
    }

    #[test]
    fn business_hours_across_dst_weekends_in_two_zones() {
        let ny = new_york();
        // Friday 2026-10-30 16:00 EDT + 2h: 1h Friday, then Monday 09:00-10:00 EST.
        let due = ny
            .add_working_time(utc("2026-10-30T16:00:00-04:00"), TimeDelta::hours(2))
            .unwrap();
        assert_eq!(due, utc("2026-11-02T15:00:00Z"));
        assert_eq!(ny.local(due).to_rfc3339(), "2026-11-02T10:00:00-05:00");
        // Friday 2026-03-06 16:00 EST + 2h: Monday 2026-03-09 10:00 EDT = 14:00 UTC.
        let due = ny
            .add_working_time(utc("2026-03-06T16:00:00-05:00"), TimeDelta::hours(2))
            .unwrap();
        assert_eq!(due, utc("2026-03-09T14:00:00Z"));
        let be = berlin();
        // Friday 2026-03-27 16:00 CET + 2h: Monday 2026-03-30 10:00 CEST = 08:00 UTC.
        let due = be
            .add_working_time(utc("2026-03-27T16:00:00+01:00"), TimeDelta::hours(2))
            .unwrap();
        assert_eq!(due, utc("2026-03-30T08:00:00Z"));
        // Friday 2026-10-23 16:00 CEST + 2h: Monday 2026-10-26 10:00 CET = 09:00 UTC.
        let due = be
            .add_working_time(utc("2026-10-23T16:00:00+02:00"), TimeDelta::hours(2))
            .unwrap();
        assert_eq!(due, utc("2026-10-26T09:00:00Z"));
        // A whole DST week still holds 5 x 8 hours.
        assert_eq!(
            be.working_time(
                utc("2026-03-23T00:00:00+01:00"),
                utc("2026-03-30T00:00:00+02:00")
            )
            .unwrap(),
            TimeDelta::hours(40)
        );
    }

    #[test]
    fn always_open_has_no_closed_minute_at_midnight_even_across_dst() {
        let c = cal("zone = \"Europe/Berlin\"\nalways_open = true\n");
        let a = utc("2026-11-23T23:59:00+01:00");
        let b = utc("2026-11-24T00:01:00+01:00");
        assert_eq!(c.working_time(a, b).unwrap(), TimeDelta::minutes(2));
        assert!(c.is_open(utc("2026-11-24T00:00:00+01:00")));
        // Saturday 2026-03-28 12:00 CET to Sunday 12:00 CEST: 23 wall-clock hours, all open.
        let a = utc("2026-03-28T12:00:00+01:00");
        let b = utc("2026-03-29T12:00:00+02:00");
        assert_eq!(c.working_time(a, b).unwrap(), TimeDelta::hours(23));
        assert_eq!(c.add_working_time(a, TimeDelta::hours(23)).unwrap(), b);
    }

    #[test]
    fn holiday_on_a_friday_before_a_weekend() {
        let c = berlin();
        // Good Friday 2026-04-03 and Easter Monday 2026-04-06 are holidays.
        // Thursday 16:00 CEST + 3h: 1h Thursday, then Tuesday 09:00-11:00.
        let due = c
            .add_working_time(utc("2026-04-02T16:00:00+02:00"), TimeDelta::hours(3))
            .unwrap();
        assert_eq!(due, utc("2026-04-07T11:00:00+02:00"));
        assert!(!c.is_working_day(date(2026, 4, 3)));
        assert_eq!(
            c.add_working_days(date(2026, 4, 2), 1).unwrap(),
            date(2026, 4, 7)
        );
        assert_eq!(
            c.previous_working_day(date(2026, 4, 6)).unwrap(),
            date(2026, 4, 2)
        );
        assert_eq!(
            c.on_or_before_working_day(date(2026, 4, 5)).unwrap(),
            date(2026, 4, 2)
        );
        assert_eq!(
            c.on_or_after_working_day(date(2026, 4, 3)).unwrap(),
            date(2026, 4, 7)
        );
        assert_eq!(c.holiday(date(2026, 4, 3)), Some("Good Friday"));
    }

    #[test]
    fn year_end() {
        let c = berlin();
        // Thursday 2026-12-31 16:00 CET + 2h: 1h on the 31st, New Year's Day (Friday) is a
        // holiday, then Monday 2027-01-04 09:00-10:00.
        let due = c
            .add_working_time(utc("2026-12-31T16:00:00+01:00"), TimeDelta::hours(2))
            .unwrap();
        assert_eq!(due, utc("2027-01-04T10:00:00+01:00"));
        assert_eq!(
            c.add_working_days(date(2026, 12, 30), 2).unwrap(),
            date(2027, 1, 4)
        );
        assert_eq!(
            c.add_working_days(date(2027, 1, 4), -2).unwrap(),
            date(2026, 12, 30)
        );
        // 23 Dec 2026 (Wed) 12:00 to 4 Jan 2027 (Mon) 12:00: Wed 5h, Thu 24th 8h, Mon 28th
        // to Thu 31st 4 x 8h, Mon 4th 3h = 48h.
        assert_eq!(
            c.working_time(
                utc("2026-12-23T12:00:00+01:00"),
                utc("2027-01-04T12:00:00+01:00")
            )
            .unwrap(),
            TimeDelta::hours(48)
        );
    }

    #[test]
    fn business_days_keep_the_position_in_the_day() {
        let c = berlin();
        // Monday 2026-03-23 10:00 CET + 3 business days = Thursday 10:00 CET.
        let due = c
            .add_business_days(utc("2026-03-23T10:00:00+01:00"), 3)
            .unwrap();
        assert_eq!(due, utc("2026-03-26T10:00:00+01:00"));
        // Thursday 2026-03-26 10:00 CET + 3 business days crosses the DST weekend:
        // Tuesday 2026-03-31 10:00 CEST.
        let due = c
            .add_business_days(utc("2026-03-26T10:00:00+01:00"), 3)
            .unwrap();
        assert_eq!(due, utc("2026-03-31T10:00:00+02:00"));
        assert_eq!(
            c.working_time(utc("2026-03-26T10:00:00+01:00"), due)
                .unwrap(),
            TimeDelta::hours(24)
        );
        // Opened at 18:00 (closed): the clock starts at Friday's opening and ends at the
        // close of the third working day, Tuesday 17:00.
        let due = c
            .add_business_days(utc("2026-11-26T18:00:00+01:00"), 3)
            .unwrap();
        assert_eq!(due, utc("2026-12-01T17:00:00+01:00"));
        // 24/7: 10 business days are 10 x 24 hours.
        let always = cal("zone = \"UTC\"\nalways_open = true\n");
        let t = utc("2026-11-23T10:00:00Z");
        assert_eq!(
            always.add_business_days(t, 10).unwrap(),
            t + TimeDelta::days(10)
        );
    }

    #[test]
    fn zone_change_keeps_time_already_used() {
        let c = cal(&format!(
            "{NINE_TO_FIVE}[[changes]]\neffective = \"2026-11-25\"\nzone = \"America/New_York\"\n"
        ));
        // Monday and Tuesday in Berlin (16h), from Wednesday 09:00-17:00 New York time.
        let a = utc("2026-11-23T00:00:00+01:00");
        assert_eq!(
            c.add_working_time(a, TimeDelta::hours(17)).unwrap(),
            utc("2026-11-25T10:00:00-05:00")
        );
        assert_eq!(
            c.zone_at(utc("2026-11-26T00:00:00Z")),
            Tz::America__New_York
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn instant() -> impl Strategy<Value = DateTime<Utc>> {
            // 2020-01-01 .. 2035-01-01, minute resolution.
            (1_577_836_800i64 / 60..2_051_222_400i64 / 60)
                .prop_map(|m| DateTime::from_timestamp(m * 60, 0).unwrap())
        }
        fn minutes(max: i64) -> impl Strategy<Value = TimeDelta> {
            (0..max).prop_map(TimeDelta::minutes)
        }
        fn calendars() -> Vec<Calendar> {
            vec![
                berlin(),
                new_york(),
                nightly("America/New_York"),
                cal("zone = \"Europe/Berlin\"\nalways_open = true\n"),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]

            #[test]
            fn deadline_is_never_before_start_and_holds_the_target(
                t in instant(), d in minutes(60 * 24 * 30), which in 0usize..4
            ) {
                let c = &calendars()[which];
                let due = c.add_working_time(t, d).unwrap();
                prop_assert!(due >= t);
                prop_assert_eq!(c.working_time(t, due).unwrap(), d);
                // Earliest: one second less of elapsed time is not enough.
                if d > TimeDelta::zero() {
                    prop_assert!(c.working_time(t, due - TimeDelta::seconds(1)).unwrap() < d);
                }
            }

            #[test]
            fn adding_open_time_is_monotonic(
                t in instant(), s in minutes(60 * 24 * 3), d1 in minutes(60 * 24 * 20),
                d2 in minutes(60 * 24 * 20), which in 0usize..4
            ) {
                let c = &calendars()[which];
                let (lo, hi) = (d1.min(d2), d1.max(d2));
                prop_assert!(c.add_working_time(t, lo).unwrap() <= c.add_working_time(t, hi).unwrap());
                let later = t + s;
                prop_assert!(c.add_working_time(t, lo).unwrap() <= c.add_working_time(later, lo).unwrap());
            }

            #[test]
            fn always_open_equals_wall_clock(t in instant(), d in minutes(60 * 24 * 400)) {
                for zone in ["Europe/Berlin", "America/New_York", "UTC"] {
                    let c = cal(&format!("zone = \"{zone}\"\nalways_open = true\n"));
                    prop_assert_eq!(c.add_working_time(t, d).unwrap(), t + d);
                    prop_assert_eq!(c.working_time(t, t + d).unwrap(), d);
                }
            }

            #[test]
            fn business_days_are_whole_days_in_uniform_weeks(t in instant(), n in 1i64..15) {
                // No holidays, fixed 8-hour days: n business days hold exactly n x 8 hours.
                let c = cal(NINE_TO_FIVE);
                let due = c.add_business_days(t, n).unwrap();
                prop_assert!(due >= t);
                prop_assert_eq!(c.working_time(t, due).unwrap(), TimeDelta::hours(8 * n));
            }
        }
    }
}
