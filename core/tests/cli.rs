//! The `csrubric` binary end to end: `check` and `score` on the shipped rubrics and examples.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rubric(name: &str) -> PathBuf {
    root().join("rubrics/health").join(format!("{name}.toml"))
}

fn example(name: &str) -> PathBuf {
    root().join("examples/health").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csrubric-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csrubric"))
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice::<Vec<serde_json::Value>>(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}", stdout(o)))
}

/// Overrides are judged at a fixed instant so the tests do not age.
const AT: &str = "2026-11-23T12:00:00Z";

#[test]
fn check_accepts_the_seed_rubrics() {
    for name in ["slavkokernel", "ai-ecosystem", "cradle-to-grave"] {
        let out = run(&[&"check", &rubric(name)]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.starts_with("ok: "), "{text}");
        assert!(text.contains(&format!("health/{name} 1.0.0")), "{text}");
        assert!(text.contains("sha256:"), "{text}");
    }
    // Several at once.
    let out = run(&[
        &"check",
        &rubric("slavkokernel"),
        &rubric("ai-ecosystem"),
        &rubric("cradle-to-grave"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn check_reports_path_line_and_column_of_a_broken_rubric() {
    let dir = scratch("check-broken");
    let text = std::fs::read_to_string(rubric("slavkokernel")).unwrap();
    // Break the second component's weight: 20 -> 0 (its line is found in the text).
    let needle = "id = \"technical_health\"";
    let at = text.find(needle).unwrap();
    let weight_at = at + text[at..].find("weight = 20").unwrap();
    let broken = format!(
        "{}weight = 0{}",
        &text[..weight_at],
        &text[weight_at + "weight = 20".len()..]
    );
    let line = text[..weight_at].matches('\n').count() + 1;
    let path = dir.join("broken.toml");
    std::fs::write(&path, broken).unwrap();

    let out = run(&[&"check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(
        err.contains(&format!(
            "{line}:1: components[1].weight: weight `0` must be positive"
        )),
        "{err}"
    );
    // The sum is now 80: reported too, on the components.
    assert!(err.contains("component weights sum to 80%"), "{err}");
    assert!(stdout(&out).is_empty());

    // A good file next to a bad one: both reported, exit 1.
    let out = run(&[&"check", &rubric("ai-ecosystem"), &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("ok: "));
}

#[test]
fn check_reports_syntax_errors_and_unknown_kinds() {
    let dir = scratch("check-syntax");
    let path = dir.join("syntax.toml");
    std::fs::write(&path, "kind = \"health\"\nid = \n").unwrap();
    let out = run(&[&"check", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{}:2:", path.display())),
        "{}",
        stderr(&out)
    );

    let path = dir.join("kind.toml");
    std::fs::write(&path, "kind = \"weather\"\n").unwrap();
    let out = run(&[&"check", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown rubric kind `weather`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_accepts_a_json_rubric() {
    let json = root().join("tests/fixtures/health/cradle-to-grave.json");
    let out = run(&[&"check", &json]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("health/cradle-to-grave"));
}

#[test]
fn score_table_lists_every_account_with_its_band() {
    let out = run(&[
        &"score",
        &rubric("slavkokernel"),
        &example("slavkokernel.csv"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    for col in ["id", "score", "band", "action", "owner", "urgency"] {
        assert!(header.split_whitespace().any(|c| c == col), "{header}");
    }
    // borealis: all 85 -> 85.00 Excellent; fjord: 0.25*35 + 0.2*40 + 0.25*30 + 0.15*50
    // + 0.15*25 = 8.75 + 8 + 7.5 + 7.5 + 3.75 = 35.5 -> Critical.
    let row = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row {id}:\n{text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("borealis")[3..5], ["85.00", "Excellent"]);
    assert_eq!(row("fjord")[3..5], ["35.50", "Critical"]);
    assert_eq!(text.lines().count(), 2 + 8);
}

#[test]
fn score_json_objects_carry_id_score_and_band() {
    let out = run(&[
        &"score",
        &rubric("cradle-to-grave"),
        &example("cradle-to-grave.csv"),
        &"--format",
        &"json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = json(&out);
    assert_eq!(rows.len(), 10);
    for r in &rows {
        for key in [
            "id", "score", "band", "action", "owner", "urgency", "rubric",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    // Exact decimals as strings, in input order. dogwood: 23.99 + 24 + 16 + 16 = 79.99 points.
    let ids: Vec<_> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids[..4], ["alder", "birch", "cedar", "dogwood"]);
    assert_eq!(rows[3]["score"], "79.99");
    assert_eq!(rows[3]["band"], "Yellow");
    assert_eq!(rows[2]["score"], "80.00");
    assert_eq!(rows[2]["band"], "Green");
    assert_eq!(rows[0]["rubric"]["id"], "health/cradle-to-grave");
}

#[test]
fn score_csv_has_a_header_and_one_line_per_account() {
    let out = run(&[
        &"score",
        &rubric("ai-ecosystem"),
        &example("ai-ecosystem.csv"),
        &"--format",
        &"csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, score, band) = (col("id"), col("score"), col("band"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10);
    // tandem: all components 5 -> 5.00 Yellow; orchid: (4 + 5 + 5 + 5.96) / 4 = 4.99 Red.
    let find = |name: &str| rows.iter().find(|r| &r[id] == name).unwrap();
    assert_eq!(
        (&find("tandem")[score], &find("tandem")[band]),
        ("5.00", "Yellow")
    );
    assert_eq!(
        (&find("orchid")[score], &find("orchid")[band]),
        ("4.99", "Red")
    );
}

#[test]
fn a_bad_row_exits_2_and_the_other_rows_are_still_scored() {
    let dir = scratch("bad-row");
    let path = dir.join("accounts.csv");
    std::fs::write(
        &path,
        "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential\n\
         good,90,90,90,90,90\n\
         typo,90,lots,90,90,90\n\
         also_good,50,50,50,50,50\n",
    )
    .unwrap();
    let out = run(&[
        &"score",
        &rubric("slavkokernel"),
        &path,
        &"--format",
        &"json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("row 2 (account `typo`)"), "{err}");
    assert!(err.contains("`technical_health`"), "{err}");
    let rows = json(&out);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (rows[0]["id"].as_str(), rows[0]["score"].as_str()),
        (Some("good"), Some("90.00"))
    );
    assert_eq!(rows[1]["status"], "error");
    assert_eq!(rows[1]["row"], 2);
    assert_eq!(rows[1]["error"]["code"], "not_a_number");
    assert_eq!(
        (rows[2]["band"].as_str(), rows[2]["score"].as_str()),
        (Some("At Risk"), Some("50.00"))
    );

    // A row without an id is reported the same way.
    std::fs::write(&path, "id,product_adoption\n,50\nok,60\n").unwrap();
    let out = run(&[&"score", &rubric("slavkokernel"), &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("row 1"), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok "), "{}", stdout(&out));
}

#[test]
fn explain_adds_the_ledger_and_what_it_takes() {
    let out = run(&[
        &"score",
        &rubric("slavkokernel"),
        &example("slavkokernel.csv"),
        &"--explain",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // garnet: only product_adoption and business_outcomes given, the rest renormalized:
    // 25% -> 50% each.
    let garnet: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("garnet "))
        .take(6)
        .collect();
    assert!(
        garnet[1].contains("product_adoption") && garnet[1].contains("25% ->     50%"),
        "{garnet:?}"
    );
    assert!(
        garnet[2].contains("technical_health") && garnet[2].contains("missingrenormalized"),
        "{garnet:?}"
    );
    // delta (65.75, Moderate) needs a rounded 70.00, i.e. +4.245 points:
    // product_adoption 70 + 4.245/0.25 = 86.98; technical_health 65 + 4.245/0.2 = 86.225 -> 86.23.
    let delta: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("delta "))
        .take(9)
        .collect();
    assert_eq!(delta[6].trim(), "to reach Good (>= 70):", "{delta:?}");
    assert!(delta[7].ends_with("input 70 -> 86.98"), "{delta:?}");
    assert!(delta[8].ends_with("input 65 -> 86.23"), "{delta:?}");

    let out = run(&[
        &"score",
        &rubric("slavkokernel"),
        &example("slavkokernel.csv"),
        &"--explain",
        &"--format",
        &"json",
    ]);
    let rows = json(&out);
    let delta = rows.iter().find(|r| r["id"] == "delta").unwrap();
    let comps = delta["components"].as_array().unwrap();
    assert_eq!(comps.len(), 5);
    assert_eq!(comps[0]["declared_weight"], "25");
    assert_eq!(comps[0]["effective_weight"], "25");
    // delta: 17.5 + 13 + 18 + 9 + 8.25 = 65.75 -> Moderate; next band Good at 70.
    assert_eq!(delta["score"], "65.75");
    assert_eq!(delta["what_it_takes"]["next_band"], "Good");
    // product_adoption: 70 + (69.995 - 65.75) / 0.25 = 86.98.
    assert_eq!(delta["what_it_takes"]["components"][0]["required"], "86.98");

    let out = run(&[
        &"score",
        &rubric("cradle-to-grave"),
        &example("cradle-to-grave.csv"),
        &"--explain",
        &"--format",
        &"csv",
    ]);
    let header = stdout(&out).lines().next().unwrap().to_string();
    assert!(
        header.contains("usage.score,usage.effective_weight,usage.contribution"),
        "{header}"
    );
}

#[test]
fn json_accounts_carry_their_overrides() {
    let args = |at: &'static str| -> Output {
        run(&[
            &"score",
            &rubric("slavkokernel"),
            &example("slavkokernel.json"),
            &"--explain",
            &"--format",
            &"json",
            &"--at",
            &at,
        ])
    };
    let out = args(AT);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = json(&out);
    assert_eq!(rows.len(), 8);
    let delta = rows.iter().find(|r| r["id"] == "delta").unwrap();
    // relationship_health overridden 60 -> 80: 65.75 + 0.15 * 20 = 68.75 (Moderate), and the
    // band overridden to Good.
    assert_eq!(delta["score"], "68.75");
    assert_eq!(delta["computed_band"], "Moderate");
    assert_eq!(delta["band"]["label"], "Good");
    assert_eq!(delta["band_override"]["counts"], true);
    assert_eq!(delta["components"][3]["source"], "override");
    assert_eq!(delta["components"][3]["override"]["computed"], "60");

    // After both expiries nothing counts: back to the computed 65.75, Moderate.
    let rows = json(&args("2027-04-01T00:00:00Z"));
    let delta = rows.iter().find(|r| r["id"] == "delta").unwrap();
    assert_eq!(delta["score"], "65.75");
    assert_eq!(delta["band"]["label"], "Moderate");
    assert_eq!(delta["band_override"]["counts"], false);

    // The CSV and the JSON hold the same accounts.
    let csv = json(&run(&[
        &"score",
        &rubric("slavkokernel"),
        &example("slavkokernel.csv"),
        &"--format",
        &"json",
    ]));
    let ids = |rows: &[serde_json::Value]| {
        rows.iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&csv), ids(&json(&args(AT))));
}

#[test]
fn a_broken_rubric_stops_score_with_exit_1() {
    let dir = scratch("score-broken");
    let path = dir.join("r.toml");
    std::fs::write(&path, "kind = \"health\"\n").unwrap();
    let out = run(&[&"score", &path, &example("slavkokernel.csv")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&path.display().to_string()),
        "{}",
        stderr(&out)
    );
    let out = run(&[&"score", &rubric("slavkokernel"), &dir.join("nope.csv")]);
    assert_eq!(out.status.code(), Some(1));
}

/// Runs the binary from the repository root, so paths are written as in the README.
fn run_args(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_csrubric"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn naive_at_is_rejected() {
    let out = run_args(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "examples/health/slavkokernel.csv",
        "--at",
        "2026-11-23T10:00:00",
    ]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("RFC 3339"), "{}", stderr(&out));
}

#[test]
fn unreadable_input_exits_1() {
    let out = run_args(&[
        "score",
        "rubrics/health/slavkokernel.toml",
        "no/such/file.csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such/file.csv"));
}

#[test]
fn sla_json_on_the_examples() {
    let out = run_args(&[
        "sla",
        "rubrics/escalation/slavkokernel-sla.toml",
        "examples/escalation/tickets.csv",
        "--at",
        "2026-11-23T10:00:00+01:00",
        "--format",
        "json",
    ]);
    // Two example rows are deliberately bad (unknown tier, naive timestamp): exit code 2.
    assert_eq!(out.status.code(), Some(2));
    let rows = json(&out);
    assert_eq!(rows.len(), 8);
    // T-100: Standard P2 opened Friday 15:30: 1.5h Friday + 6.5h Monday -> Monday 15:30.
    assert_eq!(rows[0]["targets"][0]["due"], "2026-11-23T15:30:00+01:00");
    assert_eq!(rows[3]["breached"][0], "first_response");
    assert_eq!(rows[7]["status"], "error");
}

#[test]
fn prioritize_ranks_the_example_backlog() {
    let out = run_args(&[
        "prioritize",
        "rubrics/priority/kinos.toml",
        "examples/priority/backlog.csv",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = json(&out);
    let csv = std::fs::read_to_string(root().join("examples/priority/backlog.csv")).unwrap();
    assert_eq!(rows.len(), csv.lines().count() - 1);
    let ranks: Vec<u64> = rows.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=rows.len() as u64).collect::<Vec<_>>());
    // HLT-101 is the seed case study: 5*.3 + 4*.25 + 4*.2 + (6-2)*.15 + 3*.1 = 4.20, with the
    // cross-vertical value 3 coming from its verticals (1 without change, 3 at most minimal:
    // Medium).
    let hlt = rows.iter().find(|r| r["id"] == "HLT-101").unwrap();
    assert_eq!(hlt["score"], "4.20");
    assert_eq!(hlt["cross_vertical_tier"], "medium");
    for r in &rows {
        assert!(
            r.get("classification").is_some() && r.get("cross_vertical_tier").is_some(),
            "{r}"
        );
    }
}

#[test]
fn renewals_dates_the_schedule() {
    let out = run_args(&[
        "renewals",
        "rubrics/renewal/slavkokernel.toml",
        "examples/renewal/contracts.csv",
        "--today",
        "2026-11-23",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = json(&out);
    let globex = rows.iter().find(|r| r["id"] == "globex").unwrap();
    // Ends 2027-02-28: 7 (rest of November) + 31 + 31 + 28 = 97 days; 90 days before the end
    // (renewal preparation) is 2026-11-30.
    assert_eq!(globex["days_to_renewal"], 97);
    assert_eq!(globex["next_milestone"], "renewal_preparation");
    assert_eq!(globex["next_due"], "2026-11-30");
    let schedule = globex["schedule"].as_array().unwrap();
    assert!(schedule
        .iter()
        .all(|m| m["milestone"].is_string() && m["due"].is_string()));
    assert!(globex["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "executive_review"));
}

#[test]
fn kpi_report_matches_hand_calculation() {
    let out = run_args(&[
        "kpi",
        "rubrics/kpi/slavkokernel.toml",
        "examples/kpi/accounts.csv",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kpi = |name: &str| {
        report["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kpi"] == name)
            .unwrap()
            .clone()
    };
    // Existing customers start at 10000+8000+5000+3000+2000 = 28000 MRR and end at
    // 12500+8000+4500+0+2600 = 27600: NRR 98.57%. GRR: (28000 - 500 - 3000) / 28000 = 87.50%.
    assert_eq!(kpi("nrr")["value"], "98.57");
    assert_eq!(kpi("nrr")["target"]["status"], "missed");
    assert_eq!(kpi("grr")["value"], "87.50");
    // NPS: promoters acme, northwind, umbrella, stark (4), detractor initech (1), of 7.
    assert_eq!(kpi("nps")["value"], "42.86");
}

/// `--format json` of a command, parsed.
fn json_value(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = run_args(args);
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), value)
}

#[test]
fn lifecycle_and_playbook_commands_print_the_api_answers() {
    use csrubric::api::AnyRubric;
    use csrubric::rubric::read_from_disk;
    let api = |rubric: &str, op: &str, input: Option<&str>, options: serde_json::Value| {
        let r = AnyRubric::from_path(&root().join(rubric)).unwrap();
        let rows = match input {
            Some(p) => csrubric::input::read_path(Path::new(p)).unwrap(),
            None => Vec::new(),
        };
        r.run(
            op,
            csrubric::api::Input::Rows(&rows),
            &options,
            &read_from_disk,
        )
        .unwrap()
    };
    let cases: Vec<(Vec<&str>, serde_json::Value)> = vec![
        (
            vec![
                "renewals",
                "rubrics/renewal/slavkokernel.toml",
                "examples/renewal/contracts.csv",
                "--today",
                "2026-11-23",
            ],
            serde_json::json!({"today": "2026-11-23"}),
        ),
        (
            vec![
                "kpi",
                "rubrics/kpi/slavkokernel.toml",
                "examples/kpi/accounts.csv",
            ],
            serde_json::Value::Null,
        ),
        (
            vec![
                "triage",
                "rubrics/playbooks/slavkokernel-triage.toml",
                "examples/playbooks/tickets.csv",
            ],
            serde_json::json!({}),
        ),
        (
            vec![
                "capacity",
                "rubrics/playbooks/slavkokernel-capacity.toml",
                "examples/playbooks/portfolio.csv",
            ],
            serde_json::json!({}),
        ),
        (
            vec![
                "interventions",
                "rubrics/playbooks/slavkokernel-interventions.toml",
                "examples/playbooks/accounts.json",
            ],
            serde_json::json!({}),
        ),
    ];
    for (args, options) in cases {
        let (_, cli) = json_value(&[&args[..], &["--format", "json"]].concat());
        let input = root().join(args[2]).display().to_string();
        let answer = api(args[1], args[0], Some(&input), options);
        assert_eq!(cli, answer, "{args:?}");
    }
    let (code, cli) = json_value(&[
        "plan",
        "rubrics/playbooks/slavkokernel-implementation.toml",
        "--kickoff",
        "2027-01-04",
        "--package",
        "standard",
        "--as-of",
        "2027-01-20",
        "--done",
        "Project Kickoff",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let answer = api(
        "rubrics/playbooks/slavkokernel-implementation.toml",
        "plan",
        None,
        serde_json::json!({"kickoff": "2027-01-04", "package": "standard", "as_of": "2027-01-20",
            "done": ["Project Kickoff"]}),
    );
    assert_eq!(cli, answer);
}

#[test]
fn failed_rows_have_one_shape_in_every_command() {
    let dir = scratch("failed-rows");
    let journey = dir.join("journey.csv");
    std::fs::write(
        &journey,
        "id,go_live,employees\nok,2026-01-12,50\nnolive,,50\n",
    )
    .unwrap();
    let out = run(&[
        &"journey",
        &journey,
        &"--today",
        &"2026-11-23",
        &"--format",
        &"json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let rows = json(&out);
    assert_eq!(rows[0]["stage"]["number"], 4); // live 2026-01-12: months 4-12 on Nov 23
    assert_eq!(
        rows[1],
        serde_json::json!({"id": "nolive", "row": 2, "status": "error", "error": {
            "code": "invalid_input", "message": "row 2 (account `nolive`): missing `go_live`"}})
    );
    assert!(stderr(&out).contains("error: row 2 (account `nolive`): missing `go_live`"));

    let portfolio = dir.join("portfolio.csv");
    std::fs::write(&portfolio, "id,segment\nA-1,enterprise\nA-2,\n").unwrap();
    let out = run(&[
        &"capacity",
        &root().join("rubrics/playbooks/slavkokernel-capacity.toml"),
        &portfolio,
        &"--format",
        &"json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["report"]["accounts"], 1);
    assert_eq!(
        v["errors"],
        serde_json::json!([{"id": "A-2", "row": 2, "status": "error", "error": {
            "code": "invalid_input", "message": "row 2 (`A-2`): `segment`: missing"}}])
    );
    // Stderr still names the file.
    assert!(
        stderr(&out).contains(&format!("error: {}: row 2 (`A-2`)", portfolio.display())),
        "{}",
        stderr(&out)
    );

    let kpi = dir.join("kpi.csv");
    std::fs::write(&kpi, "id,nps\na,9\nb,11\n").unwrap();
    let out = run(&[
        &"kpi",
        &root().join("rubrics/kpi/slavkokernel.toml"),
        &kpi,
        &"--format",
        &"json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"], 1);
    assert_eq!(
        v["rejected"],
        serde_json::json!([{"id": "b", "row": 2, "status": "error", "error": {
            "code": "kpi_bad_value", "message": "row 2 (account `b`): `nps`: `11` is outside 0-10"}}])
    );
}

#[test]
fn replay_lists_the_dates_whose_band_changes_under_a_candidate() {
    let dir = scratch("replay");
    let text = std::fs::read_to_string(rubric("slavkokernel")).unwrap();
    // The candidate lowers the Excellent edge from 85 to 80.
    let candidate = text
        .replace("min = 85\n", "min = 80\n")
        .replace("version = \"1.0.0\"", "version = \"1.1.0\"");
    std::fs::write(dir.join("candidate.toml"), candidate).unwrap();
    let c =
        "product_adoption,technical_health,business_outcomes,relationship_health,growth_potential";
    std::fs::write(
        dir.join("snapshots.csv"),
        format!(
            "id,date,{c}\n\
             a,2026-03-15,82,82,82,82,82\n\
             a,2026-03-01,90,90,90,90,90\n\
             b,2026-03-01,60,60,60,60,60\n\
             c,2026-03-01,50,50,50,50,50\n\
             c,2026-03-01,51,51,51,51,51\n"
        ),
    )
    .unwrap();
    let current = rubric("slavkokernel");
    let cand = dir.join("candidate.toml");
    let snaps = dir.join("snapshots.csv");
    // a on 03-01: 90 is Excellent under both; on 03-15: 82 is Good (>= 70, < 85) under the
    // current and Excellent (>= 80) under the candidate; b: 60 is Moderate under both; c has
    // two snapshots on one date: an error for c, exit code 2.
    let out = run(&[&"replay", &current, &cand, &snaps]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("id"), "{table}");
    let a: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(
        a,
        [
            "a",
            "2026-03-15",
            "82.00",
            "Good",
            "82.00",
            "Excellent",
            "yes"
        ],
        "{table}"
    );
    assert!(lines[3].starts_with("c "), "{table}");
    assert!(
        lines[3].contains("two snapshots dated 2026-03-01"),
        "{table}"
    );
    assert_eq!(lines.len(), 4, "{table}");
    let err = stderr(&out);
    assert!(
        err.contains("1 of 3 dated scores change band, in 1 of 3 accounts (1.0.0 -> 1.1.0)"),
        "{err}"
    );

    let out = run(&[
        &"replay",
        &current,
        &cand,
        &snaps,
        &"--all",
        &"--format",
        &"json",
    ]);
    let rows = json(&out);
    // every dated score of a and b, then c's error
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["replay"]["date"], "2026-03-01");
    assert_eq!(rows[0]["replay"]["band_changed"], false);
    let moved = &rows[1]["replay"];
    assert_eq!(moved["band_changed"], true);
    // both ledgers: 82 x 25% = 20.5 from product_adoption under each rubric
    for side in ["current", "candidate"] {
        let comp = &moved[side]["result"]["components"][0];
        assert_eq!(comp["contribution"], "20.5", "{side}: {moved}");
    }
    assert_eq!(moved["candidate"]["result"]["band"]["label"], "Excellent");
    assert_eq!(rows[3]["error"]["code"], "duplicate_date");

    let out = run(&[&"replay", &current, &cand, &snaps, &"--format", &"csv"]);
    let csv = stdout(&out);
    assert!(csv.starts_with(
        "id,date,current_score,current_band,candidate_score,candidate_band,changed,error\n"
    ));
    assert!(
        csv.contains("a,2026-03-15,82.00,Good,82.00,Excellent,yes,\n"),
        "{csv}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
