//! Rendering command results as an aligned table, CSV or JSON: shared by every command.

use std::io::{self, Write};

/// Output format of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// An array of JSON objects (decimals as strings).
    Json,
    /// CSV with a header row.
    Csv,
}

/// Rows of a command's output, kept both as flat cells (table, CSV) and as JSON objects.
#[derive(Default)]
pub struct Report {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub json: Vec<serde_json::Value>,
    /// Extra lines printed after a table row (explanations), by row index.
    pub details: Vec<Vec<String>>,
}

impl Report {
    pub fn new(columns: &[&str]) -> Report {
        Report {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ..Report::default()
        }
    }

    pub fn push(&mut self, cells: Vec<String>, json: serde_json::Value, details: Vec<String>) {
        self.rows.push(cells);
        self.json.push(json);
        self.details.push(details);
    }

    pub fn emit(&self, format: OutputFormat) -> io::Result<()> {
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        match format {
            OutputFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &self.json)?;
                writeln!(out)?;
            }
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(&self.columns)?;
                for r in &self.rows {
                    w.write_record(r)?;
                }
                w.flush()?;
            }
            OutputFormat::Table => {
                let mut widths: Vec<usize> =
                    self.columns.iter().map(|c| c.chars().count()).collect();
                for r in &self.rows {
                    for (w, c) in widths.iter_mut().zip(r) {
                        *w = (*w).max(c.chars().count());
                    }
                }
                let line = |cells: &[String]| -> String {
                    let mut s = String::new();
                    for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
                        if i + 1 == cells.len() {
                            s.push_str(c);
                        } else {
                            s.push_str(&format!("{c:<w$}  "));
                        }
                    }
                    s.trim_end().to_string()
                };
                writeln!(out, "{}", line(&self.columns))?;
                writeln!(
                    out,
                    "{}",
                    widths
                        .iter()
                        .map(|w| "-".repeat(*w))
                        .collect::<Vec<_>>()
                        .join("  ")
                )?;
                for (r, d) in self.rows.iter().zip(&self.details) {
                    writeln!(out, "{}", line(r))?;
                    for l in d {
                        writeln!(out, "    {l}")?;
                    }
                }
            }
        }
        out.flush()
    }
}

/// Prints a command's whole answer as pretty JSON (what `--format json` prints).
pub fn print_json<T: serde::Serialize>(answer: &T) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, answer)?;
    writeln!(out)?;
    out.flush()
}

/// Prints one line on stdout. A closed pipe (`csrubric ... | head`) ends the program quietly
/// with success, as command-line tools do; any other write error ends it with exit code 1.
pub fn write_line(args: std::fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        exit_on_write_error(&e);
    }
}

/// Ends the program after a failed write to stdout: quietly for a closed pipe, with the
/// error (exit code 1) otherwise.
pub fn exit_on_write_error(e: &io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write the output: {e}");
    std::process::exit(1);
}

/// Explanation lines for a script's run: `{what} {script} returned {value}`, then each line
/// it printed as `  | ...`.
pub fn script_lines(what: &str, t: &csrubric::script::ScriptTrace) -> Vec<String> {
    let mut lines = vec![format!("{what} {} returned {}", t.script, t.returned)];
    lines.extend(t.trace.iter().map(|l| format!("  | {l}")));
    lines
}

/// The table cells of a failed row: id, row, empty cells, the message last.
pub fn failure_cells(f: &csrubric::answer::RowFailure, columns: usize) -> Vec<String> {
    let mut cells = vec![f.id.clone().unwrap_or_default(), f.row.to_string()];
    cells.extend(std::iter::repeat_n(
        String::new(),
        columns.saturating_sub(3),
    ));
    cells.push(f.error.message.clone());
    cells
}
