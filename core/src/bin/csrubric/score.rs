//! `csrubric score RUBRIC INPUT`: health scores for a file of accounts.
//!
//! A CSV input printed as CSV or JSON is streamed: read, scored and written a chunk of rows
//! at a time (the columnar engine, or the row path with `--explain`), so memory does not grow
//! with the file (except the set of ids seen, kept to report repeated ids). The table format
//! and JSON input are read whole.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use csrubric::answer::{ErrorInfo, RowFailure};
use csrubric::health::{
    score_health_rows, BatchOptions, Column, ColumnBatch, HealthResult, HealthRow, HealthRubric,
    HealthSummary, Override, RowStatus, ScoreOptions, Status,
};
use csrubric::input::{self, CsvStream, InputError, Rows, Value};

use crate::output::{OutputFormat, Report};
use crate::{parse_instant, CliResult, Outcome};

#[derive(clap::Args)]
pub struct ScoreArgs {
    /// Health rubric file (.toml or .json).
    rubric: PathBuf,
    /// Accounts: CSV with an `id` column, or a JSON array of objects.
    input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
    /// Add the per-component breakdown and "what would it take".
    #[arg(long)]
    explain: bool,
    /// Manual overrides: a JSON array of objects with `account` plus the override fields
    /// (`component` + `score`, or `band`; `author`, `reason`, optional `expires`).
    #[arg(long)]
    overrides: Option<PathBuf>,
    /// The instant overrides are judged at (RFC 3339). Default: now.
    #[arg(long, value_parser = parse_instant)]
    at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Rows read, scored and written at a time when streaming.
const STREAM_CHUNK: usize = 8192;

pub fn run(args: ScoreArgs) -> CliResult {
    let rubric = HealthRubric::from_path(&args.rubric)?;
    let is_csv = args
        .input
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv && args.format != OutputFormat::Table {
        return run_streaming(&args, &rubric);
    }
    let rows = input::read_path(&args.input)?;
    let overrides = match &args.overrides {
        Some(p) => read_overrides(p)?,
        None => HashMap::new(),
    };
    warn_unused_columns(&rubric, &rows);
    let options = ScoreOptions {
        as_of: args.at,
        what_it_takes: args.explain,
    };
    let results = score_health_rows(&rubric, &rows, &options, |id| {
        overrides.get(id).cloned().unwrap_or_default()
    });

    let comp_ids = component_ids(&rubric);
    let columns = output_columns(&comp_ids, args.explain, args.format);
    let mut report = Report::new(&columns.iter().map(String::as_str).collect::<Vec<_>>());
    let mut failed = 0usize;
    for row in &results {
        let json = row.to_json(args.explain);
        match row {
            HealthRow::Scored(r) => {
                push_result(&mut report, r, json, args.explain, args.format, &comp_ids)
            }
            HealthRow::Failed(f) => {
                failed += 1;
                eprintln!("error: {}", f.error.message);
                report.push(failure_cells(f, columns.len()), json, Vec::new());
            }
        }
    }
    report.emit(args.format)?;
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

fn component_ids(rubric: &HealthRubric) -> Vec<String> {
    rubric
        .spec()
        .components
        .iter()
        .map(|c| c.id.clone())
        .collect()
}

fn output_columns(comp_ids: &[String], explain: bool, format: OutputFormat) -> Vec<String> {
    let mut columns: Vec<String> = [
        "id", "row", "status", "score", "band", "action", "owner", "urgency", "error",
    ]
    .map(String::from)
    .to_vec();
    if explain && format == OutputFormat::Csv {
        for c in comp_ids {
            for suffix in ["score", "effective_weight", "contribution"] {
                columns.push(format!("{c}.{suffix}"));
            }
        }
    }
    columns
}

fn failure_cells(f: &RowFailure, width: usize) -> Vec<String> {
    let mut cells = vec![
        f.id.clone().unwrap_or_default(),
        f.row.to_string(),
        "error".into(),
    ];
    cells.resize(8, String::new());
    cells.push(f.error.message.clone());
    cells.resize(width, String::new());
    cells
}

fn push_result(
    report: &mut Report,
    r: &HealthResult,
    json: serde_json::Value,
    explain: bool,
    format: OutputFormat,
    comp_ids: &[String],
) {
    let cells = result_cells(r, explain, format, comp_ids);
    let mut details = Vec::new();
    if explain {
        details = explain_lines(r);
    }
    report.push(cells, json, details);
}

fn result_cells(
    r: &HealthResult,
    explain: bool,
    format: OutputFormat,
    comp_ids: &[String],
) -> Vec<String> {
    let band = r.band.as_deref();
    let status = match r.status {
        Status::Scored => "scored",
        Status::InsufficientData => "insufficient_data",
    };
    let mut cells = vec![
        r.id.clone(),
        r.row.to_string(),
        status.to_string(),
        r.score.map(|s| s.to_string()).unwrap_or_default(),
        band.map(|b| b.label.clone()).unwrap_or_default(),
        band.map(|b| b.action.clone()).unwrap_or_default(),
        band.map(|b| b.owner.clone()).unwrap_or_default(),
        band.map(|b| b.urgency.clone()).unwrap_or_default(),
        String::new(),
    ];
    if explain && format == OutputFormat::Csv {
        for id in comp_ids {
            if let Some(c) = r.components.iter().find(|c| c.id.as_ref() == id) {
                cells.push(c.score.map(|s| s.to_string()).unwrap_or_default());
                cells.push(c.effective_weight.to_string());
                cells.push(c.contribution.to_string());
            }
        }
    }
    cells
}

fn explain_lines(r: &HealthResult) -> Vec<String> {
    let mut details = Vec::new();
    {
        for c in &r.components {
            details.push(format!(
                "{:<22} {:<22} score {:>7}  weight {:>5}% -> {:>6}%  contributes {}",
                c.id,
                format!("{:?}", c.source).to_lowercase(),
                c.score.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                c.declared_weight,
                c.effective_weight,
                c.contribution.round_dp(4),
            ));
            for m in &c.metrics {
                if let Some(t) = &m.script {
                    let what = format!("  metric {}: script", m.id);
                    details.extend(crate::output::script_lines(&what, t));
                }
            }
            if let Some(t) = &c.script {
                details.extend(crate::output::script_lines("  script", t));
            }
        }
        if let Some(a) = &r.adjustment {
            let band = |b: &Option<String>| b.clone().unwrap_or_else(|| "-".into());
            let effect = if a.changed {
                format!(
                    "score {} -> {}, band {} -> {}",
                    a.score_before,
                    r.score.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                    band(&a.band_before),
                    band(&r.band.as_ref().map(|b| b.label.clone())),
                )
            } else {
                "(no change)".into()
            };
            let reason = a
                .reason
                .as_ref()
                .map(|r| format!("; {r}"))
                .unwrap_or_default();
            details.push(format!(
                "adjusted by {}: returned {}; {effect}{reason}",
                a.script, a.returned
            ));
            details.extend(a.trace.iter().map(|l| format!("  | {l}")));
        }
        if let Some(o) = &r.band_override {
            details.push(format!(
                "band override `{}` by {} ({}){}",
                o.value,
                o.author,
                o.reason,
                if o.counts {
                    ""
                } else {
                    " [expired, not counted]"
                }
            ));
        }
        if let Some(w) = &r.what_it_takes {
            details.push(format!(
                "to reach {} (>= {}):",
                w.next_band, w.next_band_min
            ));
            for l in &w.components {
                match (l.reachable, l.current, l.required) {
                    (true, Some(cur), Some(req)) => {
                        details.push(format!("  {:<20} {} {} -> {}", l.component, l.on, cur, req))
                    }
                    _ => details.push(format!(
                        "  {:<20} {}",
                        l.component,
                        l.note.clone().unwrap_or_default()
                    )),
                }
            }
        }
    }
    details
}

fn read_overrides(
    path: &std::path::Path,
) -> Result<HashMap<String, Vec<Override>>, Box<dyn std::error::Error>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{file}: {e}"))?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{file}: invalid JSON: {e}"))?;
    let items = doc
        .as_array()
        .ok_or_else(|| format!("{file}: expected a JSON array of overrides"))?;
    let mut out: HashMap<String, Vec<Override>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let mut obj = item
            .as_object()
            .cloned()
            .ok_or_else(|| format!("{file}: [{i}]: expected an object"))?;
        let account = match obj.remove("account") {
            Some(serde_json::Value::String(s)) => s,
            _ => {
                return Err(format!("{file}: [{i}]: `account` (the account id) is required").into())
            }
        };
        let list = Value::Json(serde_json::Value::Array(vec![serde_json::Value::Object(
            obj,
        )]));
        let parsed = Override::parse_list(&list).map_err(|(_, m)| format!("{file}: [{i}]: {m}"))?;
        out.entry(account).or_default().extend(parsed);
    }
    Ok(out)
}

fn warn_unused_columns(rubric: &HealthRubric, rows: &input::Rows) {
    if rubric.reads_every_column() {
        return; // a script reads the whole row: any column may matter
    }
    let known: BTreeSet<&str> = rubric
        .input_columns()
        .into_iter()
        .chain(["overrides"])
        .collect();
    let mut unused = BTreeSet::new();
    for r in rows.iter().flatten() {
        for k in r.values.keys() {
            if !known.contains(k.as_str()) {
                unused.insert(k.clone());
            }
        }
    }
    if !unused.is_empty() {
        let list: Vec<String> = unused.into_iter().map(|c| format!("`{c}`")).collect();
        eprintln!(
            "note: columns not read by rubric `{}`: {}",
            rubric.stamp().id,
            list.join(", ")
        );
    }
}

/// Where streamed rows go: CSV records, or the elements of one pretty-printed JSON array
/// (byte for byte what the buffered report prints).
enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json { out: W, first: bool },
}

impl<W: Write> Sink<W> {
    fn new(format: OutputFormat, columns: &[String], out: W) -> std::io::Result<Sink<W>> {
        Ok(match format {
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(columns)?;
                Sink::Csv(Box::new(w))
            }
            _ => {
                let mut out = out;
                out.write_all(b"[")?;
                Sink::Json { out, first: true }
            }
        })
    }

    fn row(
        &mut self,
        cells: &[String],
        json: impl FnOnce() -> serde_json::Value,
    ) -> std::io::Result<()> {
        match self {
            Sink::Csv(w) => Ok(w.write_record(cells)?),
            Sink::Json { out, first } => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })?;
                *first = false;
                let text = serde_json::to_string_pretty(&json())?;
                out.write_all(text.replace('\n', "\n  ").as_bytes())
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Csv(mut w) => w.flush(),
            Sink::Json { mut out, first } => {
                out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                out.flush()
            }
        }
    }
}

/// `score` on a CSV file printed as CSV or JSON: a chunk of rows at a time.
fn run_streaming(args: &ScoreArgs, rubric: &HealthRubric) -> CliResult {
    let file = args.input.display().to_string();
    input::check_utf8_file(&args.input)?;
    let handle = std::fs::File::open(&args.input).map_err(|e| InputError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    let mut stream = CsvStream::new(&file, std::io::BufReader::with_capacity(1 << 16, handle))?;
    let overrides = match &args.overrides {
        Some(p) => read_overrides(p)?,
        None => HashMap::new(),
    };
    let headers = stream.headers().to_vec();
    let known: BTreeSet<&str> = rubric
        .input_columns()
        .into_iter()
        .chain(["overrides"])
        .collect();
    let unknown: Vec<usize> = (0..headers.len())
        .filter(|i| {
            headers
                .get(*i)
                .is_some_and(|h| h != "id" && !known.contains(h.as_str()))
        })
        .collect();
    // Every column is handed on: rule scripts see all of an account's inputs.
    let cells: Vec<usize> = (0..headers.len())
        .filter(|i| headers.get(*i).is_some_and(|h| h != "id"))
        .collect();
    let comp_ids = component_ids(rubric);
    let columns = output_columns(&comp_ids, args.explain, args.format);
    let options = ScoreOptions {
        as_of: args.at,
        what_it_takes: args.explain,
    };
    let extra = |id: &str| overrides.get(id).cloned().unwrap_or_default();
    let batch_options = BatchOptions {
        as_of: args.at,
        threads: None,
        extra_overrides: if overrides.is_empty() {
            None
        } else {
            Some(&extra)
        },
    };
    let stamp = Arc::new(rubric.stamp().clone());

    let stdout = std::io::stdout();
    let mut sink = Sink::new(
        args.format,
        &columns,
        std::io::BufWriter::with_capacity(1 << 16, stdout.lock()),
    )?;
    let mut unused = BTreeSet::new();
    let (mut total, mut failed) = (0usize, 0usize);
    loop {
        let chunk: Vec<_> = std::iter::from_fn(|| stream.next_row())
            .take(STREAM_CHUNK)
            .collect();
        if chunk.is_empty() {
            break;
        }
        let first_row = total + 1;
        total += chunk.len();
        for r in chunk.iter().flatten() {
            for i in &unknown {
                if r.cell(*i).is_some_and(|c| !c.trim().is_empty()) {
                    if let Some(h) = headers.get(*i) {
                        unused.insert(h.clone());
                    }
                }
            }
        }
        if args.explain {
            let rows: Rows = chunk
                .into_iter()
                .map(|r| r.map(|r| r.into_record(&headers)))
                .collect();
            for row in score_health_rows(rubric, &rows, &options, extra) {
                match &row {
                    HealthRow::Scored(r) => {
                        let cells = result_cells(r, true, args.format, &comp_ids);
                        sink.row(&cells, || row.to_json(true))?;
                    }
                    HealthRow::Failed(f) => {
                        failed += 1;
                        eprintln!("error: {}", f.error.message);
                        sink.row(&failure_cells(f, columns.len()), || row.to_json(true))?;
                    }
                }
            }
            continue;
        }
        let values: Vec<Vec<Option<Value>>> = cells
            .iter()
            .map(|c| {
                chunk
                    .iter()
                    .map(|r| {
                        r.as_ref()
                            .ok()
                            .and_then(|r| r.cell(*c))
                            .and_then(Value::from_cell)
                    })
                    .collect()
            })
            .collect();
        let ids = chunk
            .iter()
            .map(|r| r.as_ref().map(|r| r.id.as_str()).map_err(Clone::clone))
            .collect();
        let mut batch = ColumnBatch::from_checked_ids(ids, first_row);
        for (c, v) in cells.iter().zip(&values) {
            if let Some(h) = headers.get(*c) {
                batch.push(h, Column::Cells(v));
            }
        }
        let results = rubric.score_columns(&batch, &batch_options)?;
        for (i, r) in results.iter().enumerate() {
            let row = first_row + i;
            let Some(id) = batch.id(i) else { continue };
            if let Some(error) = &r.error {
                failed += 1;
                eprintln!("error: {}", error.message);
                let f = RowFailure {
                    id: id.ok().map(str::to_string),
                    row: match id {
                        Ok(_) => row,
                        Err(e) => e.row().unwrap_or(0),
                    },
                    status: "error",
                    error: ErrorInfo::clone(error),
                };
                let cells = failure_cells(&f, columns.len());
                sink.row(&cells, || serde_json::to_value(&f).unwrap_or_default())?;
                continue;
            }
            let id = id.unwrap_or("");
            let band = r.band;
            let summary = HealthSummary {
                id: id.to_string(),
                row,
                status: match r.status {
                    RowStatus::Scored => Status::Scored,
                    _ => Status::InsufficientData,
                },
                score: r.score,
                band: band.map(|b| b.label.clone()),
                action: band.map(|b| b.action.clone()),
                owner: band.map(|b| b.owner.clone()),
                urgency: band.map(|b| b.urgency.clone()),
                rubric: Arc::clone(&stamp),
            };
            let cells = vec![
                summary.id.clone(),
                row.to_string(),
                r.status.as_str().to_string(),
                r.score.map(|s| s.to_string()).unwrap_or_default(),
                summary.band.clone().unwrap_or_default(),
                summary.action.clone().unwrap_or_default(),
                summary.owner.clone().unwrap_or_default(),
                summary.urgency.clone().unwrap_or_default(),
                String::new(),
            ];
            sink.row(&cells, || {
                serde_json::to_value(&summary).unwrap_or_default()
            })?;
        }
    }
    sink.finish()?;
    if !unused.is_empty() && !rubric.reads_every_column() {
        let list: Vec<String> = unused.into_iter().map(|c| format!("`{c}`")).collect();
        eprintln!(
            "note: columns not read by rubric `{}`: {}",
            rubric.stamp().id,
            list.join(", ")
        );
    }
    if failed > 0 {
        eprintln!("{failed} of {total} rows failed");
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}
