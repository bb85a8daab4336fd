//! `csrubric prioritize RUBRIC REQUESTS`: a ranked, explained backlog.

use std::path::PathBuf;

use csrubric::answer::{failures, Row};
use csrubric::api::priority::{prioritize, PrioritizeRequest, Ranked};
use csrubric::decimal::Dec;
use csrubric::input;
use csrubric::priority::PriorityRubric;

use crate::output::{OutputFormat, Report};
use crate::{CliResult, Outcome};

#[derive(clap::Args)]
pub struct PrioritizeArgs {
    /// Priority rubric file (.toml or .json).
    rubric: PathBuf,
    /// Requests: CSV with an `id` column, or a JSON array of objects.
    input: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
    /// Add per-criterion contributions and how each request was classified.
    #[arg(long)]
    explain: bool,
    /// Keep requests from this vertical (`vertical` column) or applying to it (`verticals`).
    #[arg(long)]
    vertical: Option<String>,
    /// Keep requests of this class (must_have, performance_enhancer, delighter,
    /// hygiene_factor, unclassified).
    #[arg(long)]
    classification: Option<String>,
    /// Keep requests scoring at least this.
    #[arg(long, value_parser = parse_score)]
    min_score: Option<Dec>,
    /// Also show each score as a percent of the best kept score (never used for ordering).
    #[arg(long)]
    relative: bool,
}

fn parse_score(s: &str) -> Result<Dec, String> {
    csrubric::decimal::parse_decimal(s).map(Dec)
}

pub fn run(args: PrioritizeArgs) -> CliResult {
    let rubric = PriorityRubric::from_path(&args.rubric)?;
    let rows = input::read_path(&args.input)?;
    let request = PrioritizeRequest {
        vertical: args.vertical.clone(),
        classification: args.classification.clone(),
        min_score: args.min_score,
        relative: args.relative,
        explain: args.explain,
    };
    let answer = prioritize(&rubric, &rows, &request)?;

    let mut columns = vec![
        "rank",
        "id",
        "score",
        "classification",
        "cross_vertical_tier",
    ];
    if args.relative {
        columns.push("relative");
    }
    columns.push("error");
    let explain_csv = args.explain && args.format == OutputFormat::Csv;
    let mut extra = Vec::new();
    if explain_csv {
        for c in &rubric.spec().criteria {
            extra.push(format!("{}.value", c.id));
            extra.push(format!("{}.contribution", c.id));
        }
        extra.push("classified_by".into());
    }
    columns.extend(extra.iter().map(String::as_str));
    let mut report = Report::new(&columns);
    for row in &answer {
        let json = serde_json::to_value(row)?;
        match row {
            Row::Ok(r) => push_result(&mut report, r, json, explain_csv),
            Row::Failed(f) => {
                eprintln!("error: {}", f.error.message);
                let mut cells = vec![String::new(), f.id.clone().unwrap_or_default()];
                cells.resize(columns.len() - 1 - extra.len(), String::new());
                cells.push(f.error.message.clone());
                cells.resize(columns.len(), String::new());
                report.push(cells, json, Vec::new());
            }
        }
    }
    report.emit(args.format)?;
    let failed = failures(&answer);
    let filtered_out = rows.len() - answer.len();
    if filtered_out > 0 {
        eprintln!("note: {filtered_out} requests left out by the filters");
    }
    if failed > 0 {
        eprintln!("{failed} of {} rows failed", rows.len());
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

fn push_result(report: &mut Report, ranked: &Ranked, json: serde_json::Value, explain_csv: bool) {
    let r = &ranked.result;
    let tier = r.cross_vertical_tier.map(|t| t.as_str());
    let mut cells = vec![
        r.rank.to_string(),
        r.id.clone(),
        r.score.to_string(),
        r.classification.label().to_string(),
        tier.unwrap_or("").to_string(),
    ];
    if ranked.relative {
        cells.push(r.relative.map(|x| x.to_string()).unwrap_or_default());
    }
    cells.push(String::new());
    if explain_csv {
        for c in &r.contributions {
            cells.push(c.value.to_string());
            cells.push(c.contribution.map(|x| x.to_string()).unwrap_or_default());
        }
        cells.push(r.classification.by.clone());
    }
    let mut details = Vec::new();
    if ranked.explain {
        for c in &r.contributions {
            let eff = if c.effective == c.value {
                String::new()
            } else {
                format!(" (reversed: {})", c.effective)
            };
            let part = match (c.weight, c.contribution) {
                (Some(w), Some(p)) => format!("  x {w}% = {}", p.normalize()),
                _ => String::new(),
            };
            details.push(format!(
                "{:<40} {}{eff}{part}{}",
                c.criterion,
                c.value,
                if c.source == "verticals" {
                    " [from verticals]"
                } else {
                    ""
                }
            ));
        }
        if let Some(t) = &r.script {
            details.extend(crate::output::script_lines("formula script", t));
        }
        let cl = &r.classification;
        if let Some(t) = &cl.script {
            details.extend(crate::output::script_lines("classification script", t));
        }
        match &cl.reason {
            Some(reason) => details.push(format!("unclassified: {reason}")),
            None => details.push(format!("classification {} by {}", cl.label(), cl.by)),
        }
        if let Some(k) = &cl.kano {
            details.push(format!(
                "kano: {} of {} respondents",
                k.category, k.respondents
            ));
        }
    }
    report.push(cells, json, details);
}
