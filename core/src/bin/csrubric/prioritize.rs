//! `csrubric prioritize RUBRIC REQUESTS`: a ranked, explained backlog.

use std::path::PathBuf;

use csrubric::input::{self, Record};
use csrubric::priority::{PriorityResult, PriorityRubric, RankOptions};
use rust_decimal::Decimal;

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
    min_score: Option<Decimal>,
    /// Also show each score as a percent of the best kept score (never used for ordering).
    #[arg(long)]
    relative: bool,
}

fn parse_score(s: &str) -> Result<Decimal, String> {
    csrubric::decimal::parse_decimal(s)
}

pub fn run(args: PrioritizeArgs) -> CliResult {
    let rubric = PriorityRubric::from_path(&args.rubric)?;
    if let Some(c) = &args.classification {
        if c.trim() != "unclassified" && csrubric::priority::Class::parse(c).is_none() {
            return Err(format!("`--classification {c}`: expected must_have, performance_enhancer, delighter, hygiene_factor or unclassified").into());
        }
    }
    let rows = input::read_path(&args.input)?;
    let mut failed = 0usize;
    let mut requests: Vec<Record> = Vec::new();
    let mut input_errors = Vec::new();
    for row in rows {
        match row {
            Ok(r) => requests.push(r),
            Err(e) => input_errors.push(e),
        }
    }
    let options = RankOptions {
        vertical: args.vertical.clone(),
        classification: args.classification.clone(),
        min_score: args.min_score,
        relative: args.relative,
    };
    let ranking = rubric.rank(&requests, &options);

    let criteria: Vec<String> = rubric
        .spec()
        .criteria
        .iter()
        .map(|c| c.id.clone())
        .collect();
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
        for c in &criteria {
            extra.push(format!("{c}.value"));
            extra.push(format!("{c}.contribution"));
        }
        extra.push("classified_by".into());
    }
    columns.extend(extra.iter().map(String::as_str));
    let mut report = Report::new(&columns);
    for r in &ranking.ranked {
        push_result(&mut report, r, &args, explain_csv);
    }
    let mut errors: Vec<(Option<String>, usize, &'static str, String)> = input_errors
        .iter()
        .map(|e| (None, e.row().unwrap_or(0), e.code(), e.to_string()))
        .collect();
    for e in &ranking.failed {
        let row = requests
            .iter()
            .find(|r| r.id == e.request_id())
            .map_or(0, |r| r.row);
        errors.push((
            Some(e.request_id().to_string()),
            row,
            e.code(),
            e.to_string(),
        ));
    }
    errors.sort_by_key(|e| e.1);
    for (id, row, code, message) in errors {
        failed += 1;
        eprintln!("error: {message}");
        let mut cells = vec![String::new(), id.clone().unwrap_or_default()];
        cells.extend(std::iter::repeat_n(
            String::new(),
            columns.len() - 3 - extra.len(),
        ));
        cells.push(message.clone());
        cells.extend(std::iter::repeat_n(String::new(), extra.len()));
        let json = serde_json::json!({
            "id": id, "row": row, "rank": null, "score": null, "classification": null,
            "cross_vertical_tier": null, "status": "error",
            "error": { "code": code, "message": message },
        });
        report.push(cells, json, Vec::new());
    }
    report.emit(args.format)?;
    if ranking.filtered_out > 0 {
        eprintln!(
            "note: {} requests left out by the filters",
            ranking.filtered_out
        );
    }
    if failed > 0 {
        eprintln!(
            "{failed} of {} rows failed",
            requests.len() + input_errors.len()
        );
        Ok(Outcome::RowsFailed)
    } else {
        Ok(Outcome::Ok)
    }
}

fn push_result(report: &mut Report, r: &PriorityResult, args: &PrioritizeArgs, explain_csv: bool) {
    let tier = r.cross_vertical_tier.map(|t| t.as_str());
    let mut cells = vec![
        r.rank.to_string(),
        r.id.clone(),
        r.score.to_string(),
        r.classification.label().to_string(),
        tier.unwrap_or("").to_string(),
    ];
    if args.relative {
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
    let mut json = serde_json::json!({
        "id": r.id, "row": r.row, "rank": r.rank, "score": r.score,
        "classification": r.classification.label(),
        "cross_vertical_tier": tier,
        "rubric": r.rubric,
    });
    if let Some(obj) = json.as_object_mut() {
        if args.relative {
            obj.insert("relative".into(), serde_json::json!(r.relative));
        }
        if args.explain {
            obj.insert("raw_score".into(), serde_json::json!(r.raw_score));
            obj.insert("contributions".into(), serde_json::json!(r.contributions));
            obj.insert(
                "classification_detail".into(),
                serde_json::json!(r.classification),
            );
            obj.insert("verticals".into(), serde_json::json!(r.verticals));
            obj.insert("submitted".into(), serde_json::json!(r.submitted));
        }
    }
    let mut details = Vec::new();
    if args.explain {
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
        let cl = &r.classification;
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
