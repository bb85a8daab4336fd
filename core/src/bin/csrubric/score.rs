//! `csrubric score RUBRIC INPUT`: health scores for a file of accounts.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use csrubric::api::{score_health_rows, HealthRow};
use csrubric::health::{HealthResult, HealthRubric, Override, ScoreOptions, Status};
use csrubric::input::{self, Value};

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

pub fn run(args: ScoreArgs) -> CliResult {
    let rubric = HealthRubric::from_path(&args.rubric)?;
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

    let comp_ids: Vec<String> = rubric
        .spec()
        .components
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let mut columns: Vec<String> = [
        "id", "row", "status", "score", "band", "action", "owner", "urgency", "error",
    ]
    .map(String::from)
    .to_vec();
    if args.explain && args.format == OutputFormat::Csv {
        for c in &comp_ids {
            for suffix in ["score", "effective_weight", "contribution"] {
                columns.push(format!("{c}.{suffix}"));
            }
        }
    }
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
                let mut cells = vec![
                    f.id.clone().unwrap_or_default(),
                    f.row.to_string(),
                    "error".into(),
                ];
                cells.resize(8, String::new());
                cells.push(f.error.message.clone());
                cells.resize(columns.len(), String::new());
                report.push(cells, json, Vec::new());
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

fn push_result(
    report: &mut Report,
    r: &HealthResult,
    json: serde_json::Value,
    explain: bool,
    format: OutputFormat,
    comp_ids: &[String],
) {
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
    let mut details = Vec::new();
    if explain {
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
    report.push(cells, json, details);
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
