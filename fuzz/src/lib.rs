//! The bodies of csrubric's fuzz targets, as plain functions.
//!
//! Each `fuzz_targets/<name>.rs` is one line that hands libFuzzer's bytes to the function of
//! the same name here. The workspace's integration tests compile this file as a module
//! (`tests/fuzz_replay.rs`) and run every file of `corpus/<name>/` through the bodies with
//! stable Rust and no libFuzzer (see `scripts/fuzz-smoke.sh`).
//!
//! A body returns normally for any input that csrubric handles correctly (an `Ok`, or an
//! `Err` that displays). It panics (the fuzzer's crash) when csrubric panics, or when a
//! stated property fails: a dropped or renumbered row, a score outside the scale, a business
//! deadline before its start.

use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeDelta, TimeZone, Utc};
use csrubric::calendar::Calendar;
use csrubric::escalation::{AlertRules, EscalationMatrix, SlaPolicy};
use csrubric::health::{score_health_rows, HealthRow, HealthRubric, ScoreOptions, Status};
use csrubric::input::{read_csv, read_json, Record, Rows, Value};
use csrubric::kpi::KpiRubric;
use csrubric::playbook::{CapacityRatios, InterventionRules, PlanTemplate, TriageRules};
use csrubric::priority::PriorityRubric;
use csrubric::renewal::RenewalPlaybook;
use csrubric::rubric::{peek_kind, Format, RubricError, KINDS};

/// The fixed instant every target scores at, so a run is reproducible.
fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn options() -> ScoreOptions {
    ScoreOptions {
        as_of: Some(as_of()),
        what_it_takes: true,
    }
}

/// A folder that does not exist: rubrics that name calendar or script files find nothing.
const NO_BASE: &str = "/nonexistent/csrubric-fuzz";

fn no_files(p: &Path) -> std::io::Result<String> {
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        format!("{} is not available while fuzzing", p.display()),
    ))
}

/// Every error must display (and list its problems) without panicking.
fn show(e: &RubricError) {
    let text = e.to_string();
    assert!(!text.is_empty());
    for p in e.problems() {
        let _ = p.to_string();
    }
    let _ = e.code();
}

// ---------------------------------------------------------------------------------------
// rubric: the loader of every rubric kind, TOML and JSON.

/// Fuzz target `rubric`: the bytes as a rubric text, loaded as TOML and as JSON by the model
/// its `kind` names. A loaded health rubric then scores a few synthetic accounts.
pub fn rubric(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [Format::Toml, Format::Json] {
        if let Err(e) = load_any("fuzz.rubric", text, format) {
            show(&e);
        }
    }
}

fn load_any(file: &str, text: &str, format: Format) -> Result<(), RubricError> {
    let kind = peek_kind(file, text, format)?;
    let base = Some(Path::new(NO_BASE));
    match kind.as_str() {
        "health" => {
            let r = HealthRubric::from_str_with_reader(file, text, format, &no_files)?;
            exercise_health(&r);
        }
        "calendar" => {
            let c = Calendar::from_str_with_format(file, text, format)?;
            calendar_properties(&c, &Probe::fixed());
        }
        "sla" => drop(SlaPolicy::from_str_with_format(file, text, format, base)?),
        "escalation" => drop(EscalationMatrix::from_str_with_format(
            file, text, format, base,
        )?),
        "alerts" => drop(AlertRules::from_str_with_format(file, text, format, base)?),
        "priority" => drop(PriorityRubric::from_str_with_format(file, text, format)?),
        "renewal" => drop(RenewalPlaybook::from_str_with_format(file, text, format)?),
        "kpi" => drop(KpiRubric::from_str_with_format(file, text, format)?),
        "plan" => drop(PlanTemplate::from_str_with_format(
            file, text, format, base,
        )?),
        "triage" => drop(TriageRules::from_str_with_format(file, text, format)?),
        "capacity" => drop(CapacityRatios::from_str_with_format(file, text, format)?),
        "interventions" => drop(InterventionRules::from_str_with_format(file, text, format)?),
        other => assert!(!KINDS.contains(&other), "kind `{other}` has no loader here"),
    }
    Ok(())
}

/// Scores accounts that set every input column to one value, for a few values.
fn exercise_health(r: &HealthRubric) {
    let columns: Vec<String> = r.input_columns().iter().map(|c| c.to_string()).collect();
    let mut accounts = vec![Record::new("empty")];
    for (i, v) in ["0", "1", "50", "99.995", "100", "-1", "1e9", "x"]
        .iter()
        .enumerate()
    {
        let mut a = Record::new(format!("a{i}"));
        a.row = i + 1;
        for c in &columns {
            if let Some(value) = Value::from_cell(v) {
                a.values.insert(c.clone(), value);
            }
        }
        accounts.push(a);
    }
    let results = r.score_batch(&accounts, &options());
    assert_eq!(
        results.len(),
        accounts.len(),
        "score_batch dropped a result"
    );
    for res in results {
        match res {
            Ok(res) => check_result(r, &res),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

fn check_result(r: &HealthRubric, res: &csrubric::health::HealthResult) {
    let (lo, hi) = r.scale().bounds();
    if res.status == Status::Scored {
        let s = res
            .score
            .unwrap_or_else(|| panic!("scored without a score"));
        assert!(
            s >= lo && s <= hi,
            "score {s} outside the scale {lo}-{hi} for `{}`",
            res.id
        );
        assert!(res.band.is_some(), "scored without a band");
    }
    let _ = serde_json::to_string(res);
}

// ---------------------------------------------------------------------------------------
// accounts: the CSV and JSON readers, then scoring with shipped health rubrics.

const SHIPPED_HEALTH: &[(&str, &str)] = &[
    (
        "slavkokernel.toml",
        include_str!("../../rubrics/health/slavkokernel.toml"),
    ),
    (
        "ai-ecosystem.toml",
        include_str!("../../rubrics/health/ai-ecosystem.toml"),
    ),
    (
        "cradle-to-grave.toml",
        include_str!("../../rubrics/health/cradle-to-grave.toml"),
    ),
    (
        "kinos-health.toml",
        include_str!("../../rubrics/health/kinos-health.toml"),
    ),
    (
        "kinos-finance.toml",
        include_str!("../../rubrics/health/kinos-finance.toml"),
    ),
];

const SHIPPED_SCRIPTS: &[(&str, &str)] = &[
    (
        "kinos-finance-availability-floor.rhai",
        include_str!("../../rubrics/health/scripts/kinos-finance-availability-floor.rhai"),
    ),
    (
        "kinos-finance-change-control.rhai",
        include_str!("../../rubrics/health/scripts/kinos-finance-change-control.rhai"),
    ),
    (
        "kinos-finance-regulatory-deadline.rhai",
        include_str!("../../rubrics/health/scripts/kinos-finance-regulatory-deadline.rhai"),
    ),
    (
        "kinos-health-compliance-gate.rhai",
        include_str!("../../rubrics/health/scripts/kinos-health-compliance-gate.rhai"),
    ),
    (
        "kinos-health-phi-incident.rhai",
        include_str!("../../rubrics/health/scripts/kinos-health-phi-incident.rhai"),
    ),
];

fn bundled_script(p: &Path) -> std::io::Result<String> {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    SHIPPED_SCRIPTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text.to_string())
        .ok_or_else(|| no_files(p).unwrap_err())
}

/// The shipped health rubrics, loaded once.
pub fn shipped_health() -> &'static [HealthRubric] {
    static RUBRICS: OnceLock<Vec<HealthRubric>> = OnceLock::new();
    RUBRICS.get_or_init(|| {
        SHIPPED_HEALTH
            .iter()
            .map(|(name, text)| {
                HealthRubric::from_str_with_reader(name, text, Format::Toml, &bundled_script)
                    .unwrap_or_else(|e| panic!("shipped rubric {name}: {e}"))
            })
            .collect()
    })
}

/// Fuzz target `accounts`: the first byte picks the reader (even: CSV, odd: JSON) and the
/// rubric; the rest is the file. Every row comes back, numbered in order, and every scored
/// row is inside the rubric's scale.
pub fn accounts(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let rows = if sel & 1 == 0 {
        read_csv("fuzz.csv", text)
    } else {
        read_json("fuzz.json", text)
    };
    let rows: Rows = match rows {
        Ok(rows) => rows,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz."), "{e}");
            assert!(e.row().is_none());
            return;
        }
    };
    for (i, row) in rows.iter().enumerate() {
        let n = match row {
            Ok(r) => r.row,
            Err(e) => e
                .row()
                .unwrap_or_else(|| panic!("row error without a row: {e}")),
        };
        assert_eq!(n, i + 1, "rows are numbered 1.. in file order");
    }
    let all = shipped_health();
    let picked = usize::from(sel >> 1) % (all.len() + 1);
    // The last choice scores with every shipped rubric.
    let rubrics = all.get(picked..picked + 1).unwrap_or(all);
    for r in rubrics {
        let out = score_health_rows(r, &rows, &options(), |_| Vec::new());
        assert_eq!(out.len(), rows.len(), "a row was dropped");
        for (row, res) in rows.iter().zip(&out) {
            if row.is_err() {
                assert!(res.is_failure(), "a failed input row was scored");
            }
            if let HealthRow::Scored(res) = res {
                check_result(r, res);
            }
            let _ = res.to_json(true);
        }
    }
}

// ---------------------------------------------------------------------------------------
// script: compile and evaluation of a rule script, inside a health rubric.

/// Fuzz target `script`: the first byte picks the hook (metric scoring, component scoring,
/// adjust, alert), the rest is the script's source, inline in a health rubric. The rubric
/// loads (or names the script in its error) and scores a few accounts within the sandbox
/// limits.
pub fn script(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(source) = std::str::from_utf8(rest) else {
        return;
    };
    let text = script_rubric(sel % 4, source);
    let r = match HealthRubric::from_str_with_reader("fuzz.json", &text, Format::Json, &no_files) {
        Ok(r) => r,
        Err(e) => {
            show(&e);
            return;
        }
    };
    let accounts = [
        Record::new("full")
            .with_value(
                "direct",
                Value::from_cell("40").unwrap_or(Value::Bool(true)),
            )
            .with_value("m", Value::from_cell("12.5").unwrap_or(Value::Bool(true)))
            .with_value("note", Value::Text("exec sponsor left".into())),
        Record::new("missing"),
        Record::new("text").with_value("m", Value::Text("n/a".into())),
    ];
    let results = r.score_batch(&accounts, &options());
    assert_eq!(results.len(), accounts.len());
    for res in results {
        match res {
            Ok(res) => check_result(&r, &res),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}

/// A health rubric (JSON) with `source` at hook `hook`: 0 metric scoring, 1 component
/// scoring, 2 adjust, 3 alert.
pub fn script_rubric(hook: u8, source: &str) -> String {
    let src = serde_json::Value::String(source.to_string());
    let script = serde_json::json!({"type": "script", "source": src});
    let mut metric = serde_json::json!({
        "id": "m", "weight": 100, "scoring": {"type": "linear", "from": 0, "to": 25}
    });
    let mut direct = serde_json::json!({"id": "direct", "weight": 50});
    let mut scripts = serde_json::json!({"params": {"floor": 40, "name": "x"}});
    match hook {
        0 => metric["scoring"] = script,
        1 => direct["scoring"] = script,
        2 => scripts["adjust"] = serde_json::json!({"source": src}),
        _ => {
            scripts["alerts"] = serde_json::json!([{
                "id": "fuzz", "source": src, "protocol": "p", "owner": "o", "sla": "24 hours"
            }])
        }
    }
    serde_json::json!({
        "kind": "health", "id": "health/fuzz", "version": "1", "title": "fuzz",
        "source": "fuzz", "scale": "0-100",
        "components": [direct, {"id": "derived", "weight": 50, "metrics": [metric]}],
        "bands": [
            {"min": 70, "label": "Good", "action": "a", "owner": "o", "urgency": "Low"},
            {"min": 40, "label": "At Risk", "action": "a", "owner": "o", "urgency": "High"},
            {"min": 0, "label": "Critical", "action": "a", "owner": "o", "urgency": "High"}
        ],
        "scripts": scripts
    })
    .to_string()
}

// ---------------------------------------------------------------------------------------
// calendar: working time and business-time arithmetic across DST and holidays.

const SHIPPED_CALENDARS: &[&str] = &[
    include_str!("../../rubrics/calendars/business-hours-berlin.toml"),
    include_str!("../../rubrics/calendars/business-hours-new-york.toml"),
    include_str!("../../rubrics/calendars/extended-hours-berlin.toml"),
    include_str!("../../rubrics/calendars/always-open.toml"),
];

const HEADER: &str =
    "kind = \"calendar\"\nid = \"fuzz\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\n";

/// Calendars written for the edges: overnight shifts on DST nights, holidays that cut a
/// shift, a change of zone and hours, half-hour DST, a skipped calendar day, and a
/// calendar open one minute a week.
const EDGE_CALENDARS: &[&str] = &[
    "zone = \"America/New_York\"\n[[hours]]\ndays = [\"sat\", \"sun\"]\nopen = \"22:00\"\nclose = \"06:00\"\n[[holidays]]\ndate = \"2026-03-08\"\n[[holidays]]\ndate = \"2026-11-02\"\n",
    "zone = \"Europe/Berlin\"\n[[hours]]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nopen = \"09:00\"\nclose = \"17:00\"\n[[holidays]]\ndate = \"2026-12-25\"\n[[changes]]\neffective = \"2026-03-29\"\nzone = \"America/New_York\"\n[[changes]]\neffective = \"2026-10-25\"\nalways_open = true\n[[changes]]\neffective = \"2027-01-01\"\nzone = \"Asia/Kolkata\"\nalways_open = false\n[[changes.hours]]\ndays = [\"sun\"]\nopen = \"23:00\"\nclose = \"23:00\"\n",
    "zone = \"Australia/Lord_Howe\"\n[[hours]]\ndays = [\"sun\", \"mon\"]\nopen = \"01:00\"\nclose = \"03:00\"\n[[hours]]\ndays = [\"sat\"]\nopen = \"00:00\"\nclose = \"24:00\"\n",
    "zone = \"Pacific/Apia\"\nalways_open = false\n[[hours]]\ndays = [\"thu\", \"fri\"]\nopen = \"23:30\"\nclose = \"00:30\"\n[[holidays]]\ndate = \"2011-12-30\"\n",
    "zone = \"UTC\"\n[[hours]]\ndays = [\"sun\"]\nopen = \"23:59\"\nclose = \"24:00\"\n",
    "zone = \"Europe/London\"\n[[hours]]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nopen = \"00:30\"\nclose = \"02:30\"\n",
];

fn calendars() -> &'static [Calendar] {
    static CALS: OnceLock<Vec<Calendar>> = OnceLock::new();
    CALS.get_or_init(|| {
        let mut out: Vec<Calendar> = SHIPPED_CALENDARS
            .iter()
            .map(|t| Calendar::from_toml_str("shipped.toml", t))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}"));
        for (i, body) in EDGE_CALENDARS.iter().enumerate() {
            let text = format!("{HEADER}{body}");
            out.push(
                Calendar::from_toml_str(&format!("edge{i}.toml"), &text)
                    .unwrap_or_else(|e| panic!("edge calendar {i}: {e}")),
            );
        }
        out
    })
}

/// What the calendar target asks of one calendar.
#[derive(Debug)]
pub struct Probe {
    /// The start instant.
    pub t: DateTime<Utc>,
    /// Working time to add (may be negative: an error, never a panic).
    pub d: TimeDelta,
    /// A second instant after `t` (for working time over `[t, t + e)`).
    pub e: TimeDelta,
    /// Working or business days to step.
    pub n: i64,
}

impl Probe {
    fn fixed() -> Probe {
        Probe {
            t: as_of(),
            d: TimeDelta::hours(30),
            e: TimeDelta::days(9),
            n: 3,
        }
    }
}

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for (o, b) in out.iter_mut().zip(self.0.iter()) {
            *o = *b;
        }
        self.0 = self.0.get(N..).unwrap_or(&[]);
        out
    }
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }
}

fn instant(mode: u8, b: &mut Bytes<'_>) -> DateTime<Utc> {
    let secs = match mode % 4 {
        // 1970-2106, whole seconds: the DST era.
        0 | 1 => i64::from(b.u32()),
        // Any second of the years 1-9999.
        2 => {
            let first = -62_135_596_800i64; // 0001-01-01T00:00:00Z
            let span = 315_537_897_600u64; // 10 000 years
            first + i64::try_from(b.u64() % span).unwrap_or(0)
        }
        // The very ends of chrono's range.
        _ => {
            let off = i64::from(b.u32());
            if b.u8() & 1 == 0 {
                DateTime::<Utc>::MAX_UTC.timestamp() - off
            } else {
                DateTime::<Utc>::MIN_UTC.timestamp() + off
            }
        }
    };
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// Up to 18 hours in seconds, 45 days in minutes, 7 years in hours, or 11 years in days:
/// long enough to cross every DST change and holiday pattern, short enough to run fast.
fn span(mode: u8, v: u16) -> TimeDelta {
    let v = i64::from(v);
    match mode % 4 {
        0 => TimeDelta::seconds(v),
        1 => TimeDelta::minutes(v),
        2 => TimeDelta::hours(v),
        _ => TimeDelta::days(v % 4_000),
    }
}

/// Fuzz target `calendar`: bytes pick a calendar (shipped, edge, or the TOML text after the
/// first 20 bytes), a start instant, a working time and a day count; the target checks
/// that `add_working_time(t, d) >= t`, that `working_time(t, add_working_time(t, d)) == d`
/// and that no earlier instant holds `d`, that working time is additive and never exceeds
/// the elapsed time, and the working-day stepping properties.
pub fn calendar(data: &[u8]) {
    let mut b = Bytes(data);
    let sel = b.u8();
    let mode = b.u8();
    let t = instant(mode, &mut b);
    let d = span(mode >> 2, b.u16());
    let e = span(mode >> 4, b.u16());
    let n = i64::from(b.u8() as i8);
    let negative = mode >> 6 == 3;
    let probe = Probe {
        t,
        d: if negative { -d } else { d },
        e,
        n,
    };
    let tail = b.0;
    if sel & 0x80 != 0 {
        // The rest of the input is a calendar file.
        let Ok(body) = std::str::from_utf8(tail) else {
            return;
        };
        let text = format!("{HEADER}{body}");
        match Calendar::from_toml_str("fuzz.toml", &text) {
            Ok(c) => calendar_properties(&c, &probe),
            Err(e) => show(&e),
        }
    } else {
        let all = calendars();
        if let Some(c) = all.get(usize::from(sel) % all.len()) {
            calendar_properties(c, &probe);
        }
    }
}

/// The properties every calendar must have at one probe (errors are allowed; panics and
/// wrong answers are not).
pub fn calendar_properties(c: &Calendar, p: &Probe) {
    let t = p.t;
    let _ = c.local(t);
    let one = TimeDelta::nanoseconds(1);
    // Open at t exactly when [t, t + 1ns) holds open time.
    if let Some(t1) = t.checked_add_signed(one) {
        if let Ok(w) = c.working_time(t, t1) {
            assert_eq!(
                c.is_open(t),
                w == one,
                "is_open disagrees with working_time at {t}"
            );
        }
    }
    match c.add_working_time(t, p.d) {
        Ok(u) => {
            assert!(
                p.d >= TimeDelta::zero(),
                "a negative working time was added"
            );
            assert!(
                u >= t,
                "add_working_time({t}, {}) = {u} is before the start",
                p.d
            );
            let w = match c.working_time(t, u) {
                Ok(w) => w,
                // The span iterator looks one day past `u`; at the very end of chrono's
                // range that day does not exist. Anywhere else this is a bug.
                Err(_) if near_range_end(u) => return,
                Err(e) => panic!("working_time({t}, {u}) after add: {e}"),
            };
            assert_eq!(w, p.d, "working_time({t}, add_working_time({t}, d)) != d");
            if p.d > TimeDelta::zero() {
                let before = u - one;
                let w = c.working_time(t, before).unwrap_or(TimeDelta::zero());
                assert!(w < p.d, "{before} already holds {} of open time", p.d);
            }
        }
        Err(e) => {
            let _ = (e.to_string(), e.code());
        }
    }
    if let Some(b) = t.checked_add_signed(p.e) {
        if let Ok(w) = c.working_time(t, b) {
            assert!(
                w >= TimeDelta::zero() && w <= p.e,
                "working time {w} in a span of {}",
                p.e
            );
            let m = t + p.e / 2;
            if let (Ok(w1), Ok(w2)) = (c.working_time(t, m), c.working_time(m, b)) {
                assert_eq!(
                    w,
                    w1 + w2,
                    "working time over [{t}, {b}) is not additive at {m}"
                );
            }
        }
    }
    if let Ok(u) = c.add_business_days(t, p.n) {
        assert!(p.n >= 0, "negative business days were added");
        assert!(
            u >= t,
            "add_business_days({t}, {}) = {u} is before the start",
            p.n
        );
    }
    // `local(t).date_naive()` would panic within a day of chrono's range ends.
    let local = c.local(t);
    let Some(date) = t
        .naive_utc()
        .checked_add_signed(TimeDelta::seconds(i64::from(
            local.offset().fix().local_minus_utc(),
        )))
        .map(|n| n.date())
    else {
        return;
    };
    if let Ok(d2) = c.add_working_days(date, p.n) {
        check_step(c, date, d2, p.n);
    }
    for f in [
        Calendar::next_working_day,
        Calendar::previous_working_day,
        Calendar::on_or_after_working_day,
        Calendar::on_or_before_working_day,
    ] {
        if let Ok(d2) = f(c, date) {
            assert!(c.is_working_day(d2), "{d2} is not a working day");
        }
    }
    if let Ok(first) = c.next_open(t) {
        assert!(first >= t, "next_open({t}) = {first}");
    }
}

/// Within a few days of the first or last instant chrono represents (years -262143 and
/// +262142), where the next or previous day may not exist.
fn near_range_end(t: DateTime<Utc>) -> bool {
    let margin = TimeDelta::days(7);
    t > DateTime::<Utc>::MAX_UTC - margin || t < DateTime::<Utc>::MIN_UTC + margin
}

fn check_step(c: &Calendar, from: NaiveDate, to: NaiveDate, n: i64) {
    match n.signum() {
        0 => assert_eq!(from, to),
        1 => assert!(to > from),
        _ => assert!(to < from),
    }
    if n != 0 {
        assert!(
            c.is_working_day(to),
            "{to} ({:?}) is not a working day",
            to.weekday()
        );
    }
}
