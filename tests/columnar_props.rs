//! The columnar batch engine gives exactly the row path's answers: for random rubrics (scales,
//! precisions, rounding modes, weights with decimals, every missing policy, metrics, bands
//! with decimals) and random columns of every kind (exact decimals, fixed point, floats,
//! text cells), with gaps, values outside the scale, band edges and rounding ties.
//!
//! The expected answers are made independently of the engine: each cell is turned into a
//! record value the way the Python binding and the JSON reader do (a float is its shortest
//! literal via `decimal_from_f64_literal`), ids are checked by `columns::check_ids`, and every
//! row is scored by `health::score_health_rows`.

use csrubric::columns::check_ids;
use csrubric::decimal::decimal_from_f64_literal;
use csrubric::health::{
    score_health_rows, BatchOptions, Column, ColumnBatch, HealthRubric, RowResult, ScoreOptions,
};
use csrubric::input::{Record, Rows, Value};
use csrubric_tests::{as_of, health_rubric};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// One generated component.
#[derive(Clone, Debug)]
struct Comp {
    weight_hundredths: i64,
    lower: bool,
    policy: Option<&'static str>,
    default_frac: u32,
    metrics: Vec<(u8, bool)>,
}

#[derive(Clone, Debug)]
struct Spec {
    scale: &'static str,
    decimals: u32,
    half_even: bool,
    policy: &'static str,
    min_present: Option<i64>,
    comps: Vec<Comp>,
    bands: Vec<u32>,
}

fn bounds(scale: &str, weight: Decimal) -> (Decimal, Decimal) {
    match scale {
        "points" => (Decimal::ZERO, weight),
        s => {
            let (a, b) = s.split_once('-').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        }
    }
}

fn toml(spec: &Spec) -> String {
    let mut t = format!(
        "kind = \"health\"\nid = \"health/random\"\nversion = \"1\"\ntitle = \"Random\"\nsource = \"proptest\"\nscale = \"{}\"\nrounding = {{ decimals = {}, mode = \"{}\" }}\n",
        spec.scale,
        spec.decimals,
        if spec.half_even { "half_even" } else { "half_up" }
    );
    t.push_str(&format!("missing = {{ policy = \"{}\"", spec.policy));
    if let Some(mp) = spec.min_present {
        t.push_str(&format!(", min_present = \"{}\"", Decimal::new(mp, 1)));
    }
    t.push_str(" }\n");
    let base = spec.policy;
    for (i, c) in spec.comps.iter().enumerate() {
        let w = Decimal::new(c.weight_hundredths, 2).normalize();
        t.push_str(&format!(
            "[[components]]\nid = \"c{i}\"\nweight = \"{w}\"\ndirection = \"{}\"\n",
            if c.lower {
                "lower_is_better"
            } else {
                "higher_is_better"
            }
        ));
        let policy = c.policy.unwrap_or(base);
        if let Some(p) = c.policy {
            t.push_str(&format!("missing = \"{p}\"\n"));
        }
        if policy == "fixed" {
            let (lo, hi) = bounds(spec.scale, w);
            let d = lo + (hi - lo) * Decimal::from(c.default_frac) / Decimal::from(100);
            t.push_str(&format!("default = \"{}\"\n", d.round_dp(2).normalize()));
        }
        let nm = c.metrics.len();
        for (j, (kind, lower)) in c.metrics.iter().enumerate() {
            let mw = if j + 1 == nm {
                100 - 100 / nm as i64 * (nm as i64 - 1)
            } else {
                100 / nm as i64
            };
            let (lo, hi) = bounds(spec.scale, w);
            let scoring = match kind % 3 {
                0 => "{ type = \"linear\", from = \"0.5\", to = \"99.9\" }".to_string(),
                1 => format!(
                    "{{ type = \"steps\", steps = [{{ at_least = 0, score = \"{}\" }}, {{ at_least = \"10.5\", score = \"{}\" }}, {{ at_least = 50, score = \"{}\" }}] }}",
                    if *lower { hi } else { lo },
                    ((lo + hi) / Decimal::TWO).round_dp(2).normalize(),
                    if *lower { lo } else { hi },
                ),
                _ => "{ type = \"target\", target = \"70\", cap = \"1.2\" }".to_string(),
            };
            t.push_str(&format!(
                "  [[components.metrics]]\n  id = \"c{i}m{j}\"\n  weight = {mw}\n  direction = \"{}\"\n  scoring = {scoring}\n",
                if *lower { "lower_is_better" } else { "higher_is_better" }
            ));
        }
    }
    let (lo, hi) = match spec.scale {
        "points" => (Decimal::ZERO, Decimal::ONE_HUNDRED),
        s => bounds(s, Decimal::ZERO),
    };
    let mut mins: Vec<Decimal> = vec![lo];
    for b in &spec.bands {
        let m = (lo + (hi - lo) * Decimal::from(*b) / Decimal::from(10_000)).round_dp(3);
        if m > lo && m <= hi && !mins.contains(&m) {
            mins.push(m);
        }
    }
    for (i, m) in mins.iter().enumerate() {
        t.push_str(&format!(
            "[[bands]]\nmin = \"{}\"\nlabel = \"B{i}\"\naction = \"a\"\nowner = \"o\"\nurgency = \"u\"\n",
            m.normalize()
        ));
    }
    t
}

fn weights(n: usize, cuts: &[u32]) -> Vec<i64> {
    // n positive hundredths summing to 10000.
    let mut points: Vec<i64> = cuts
        .iter()
        .take(n - 1)
        .map(|c| 1 + i64::from(*c) % 9_999)
        .collect();
    points.sort_unstable();
    points.dedup();
    let mut out = Vec::new();
    let mut prev = 0;
    for p in points {
        out.push(p - prev);
        prev = p;
    }
    out.push(10_000 - prev);
    out
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::sample::select(vec!["0-100", "0-10", "points", "10-20", "0-7"]),
        0u32..=4,
        any::<bool>(),
        prop::sample::select(vec!["renormalize", "renormalize", "zero", "fixed", "error"]),
        prop::option::of(0i64..=1000),
        prop::collection::vec(0u32..10_000, 5),
        any::<bool>(),
        prop::collection::vec(
            (
                any::<bool>(),
                prop::option::weighted(
                    0.25,
                    prop::sample::select(vec!["renormalize", "zero", "fixed", "error"]),
                ),
                0u32..=100,
                prop::collection::vec((0u8..3, any::<bool>()), 0..3),
            ),
            1..=5,
        ),
        prop::collection::vec(0u32..=10_000, 0..4),
    )
        .prop_map(
            |(
                scale,
                decimals,
                half_even,
                policy,
                min_present,
                cuts,
                round_weights,
                comps,
                bands,
            )| {
                let n = comps.len();
                let mut w = weights(n, &cuts);
                if round_weights {
                    // Integer percents (the common case): shift the remainders to the last one.
                    let mut total = 0;
                    for x in w.iter_mut() {
                        *x = (*x / 100).max(1) * 100;
                        total += *x;
                    }
                    if let Some(last) = w.last_mut() {
                        *last += 10_000 - total;
                    }
                }
                let comps = if w.iter().all(|x| *x > 0) {
                    comps
                        .into_iter()
                        .zip(w)
                        .map(
                            |((lower, policy, default_frac, metrics), weight_hundredths)| Comp {
                                weight_hundredths,
                                lower,
                                policy,
                                default_frac,
                                metrics,
                            },
                        )
                        .collect()
                } else {
                    vec![Comp {
                        weight_hundredths: 10_000,
                        lower: false,
                        policy: None,
                        default_frac: 50,
                        metrics: vec![],
                    }]
                };
                Spec {
                    scale,
                    decimals,
                    half_even,
                    policy,
                    min_present,
                    comps,
                    bands,
                }
            },
        )
}

/// One generated cell: a value kind and its raw material.
#[derive(Clone, Debug)]
enum Cell {
    Missing,
    /// A fraction of the component scale in 1/100000 (may exceed it: out of scale).
    Frac(i64),
    /// Equal to a band edge / a rounding-tie helper: `edge` picks which.
    Edge(u8),
    /// A value with many decimals (`frac` + 10^-k).
    Fine(i64, u32),
    Text,
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        2 => Just(Cell::Missing),
        6 => (-2_000i64..=102_000).prop_map(Cell::Frac),
        3 => any::<u8>().prop_map(Cell::Edge),
        1 => (0i64..=100_000, 3u32..=12).prop_map(|(f, k)| Cell::Fine(f, k)),
        1 => (0i64..=1).prop_map(|_| Cell::Text),
    ]
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Decimal,
    Float,
    Int(u32),
    Cells,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Decimal),
        Just(Kind::Float),
        (0u32..=4).prop_map(Kind::Int),
        Just(Kind::Cells),
    ]
}

/// The exact value of a generated cell for a component scale [lo, hi].
fn value_of(c: &Cell, lo: Decimal, hi: Decimal, edges: &[Decimal]) -> Option<Decimal> {
    match c {
        Cell::Missing | Cell::Text => None,
        Cell::Frac(f) => Some((lo + (hi - lo) * Decimal::new(*f, 5)).round_dp(2)),
        Cell::Edge(e) => {
            let base = edges
                .get(usize::from(*e) % edges.len().max(1))
                .copied()
                .unwrap_or(lo);
            // The edge itself, or just below/above it by a rounding half-step.
            let shift = match e / 64 {
                0 => Decimal::ZERO,
                1 => Decimal::new(-5, 3),
                2 => Decimal::new(5, 3),
                _ => Decimal::new(-1, 2),
            };
            Some((base + shift).max(lo).min(hi))
        }
        Cell::Fine(f, k) => Some(lo + (hi - lo) * Decimal::new(*f, 5) + Decimal::new(1, *k)),
    }
}

/// Columns of one kind, holding the generated values.
enum Owned {
    Decimal(Vec<Option<Decimal>>),
    Float(Vec<f64>),
    Int(Vec<i64>, Vec<u8>, u32),
    Cells(Vec<Option<Value>>),
}

impl Owned {
    fn build(kind: Kind, cells: &[(Option<Decimal>, bool)]) -> Owned {
        match kind {
            Kind::Decimal if !cells.iter().any(|c| c.1) => {
                Owned::Decimal(cells.iter().map(|c| c.0).collect())
            }
            Kind::Float if !cells.iter().any(|c| c.1) => Owned::Float(
                cells
                    .iter()
                    .map(|c| {
                        c.0.map_or(f64::NAN, |d| d.to_string().parse::<f64>().unwrap())
                    })
                    .collect(),
            ),
            Kind::Int(k) if !cells.iter().any(|c| c.1) => {
                let mut bits = vec![0u8; cells.len().div_ceil(8) + 1];
                let values = cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| match c.0 {
                        Some(d) => {
                            let m = (d * Decimal::from(10i64.pow(k))).trunc();
                            bits[(i + 3) / 8] |= 1 << ((i + 3) % 8);
                            rust_decimal::prelude::ToPrimitive::to_i64(&m).unwrap()
                        }
                        None => 0,
                    })
                    .collect();
                Owned::Int(values, bits, k)
            }
            _ => Owned::Cells(
                cells
                    .iter()
                    .map(|c| match c {
                        (_, true) => Some(Value::Text("lots".into())),
                        (Some(d), _) => Some(Value::Number(*d)),
                        (None, _) => None,
                    })
                    .collect(),
            ),
        }
    }

    fn column(&self) -> Column<'_> {
        match self {
            Owned::Decimal(v) => Column::Decimal(v),
            Owned::Float(v) => Column::Float {
                values: v,
                validity: None,
            },
            Owned::Int(v, bits, k) => Column::Int {
                values: v,
                scale: *k,
                validity: Some(csrubric::health::Validity::new(bits, 3)),
            },
            Owned::Cells(v) => Column::Cells(v),
        }
    }

    /// Row `i` as the row path reads it, computed here without the engine.
    fn expected_value(&self, i: usize) -> Option<Value> {
        match self {
            Owned::Decimal(v) => v[i].map(Value::Number),
            Owned::Float(v) => {
                let x = v[i];
                if x.is_nan() {
                    None
                } else {
                    Some(match decimal_from_f64_literal(x) {
                        Ok(d) => Value::Number(d),
                        Err(_) => Value::Text(format!("{x}")),
                    })
                }
            }
            Owned::Int(v, bits, k) => {
                let j = i + 3;
                (bits[j / 8] >> (j % 8) & 1 == 1).then(|| Value::Number(Decimal::new(v[i], *k)))
            }
            Owned::Cells(v) => v[i].clone(),
        }
    }
}

fn band_edges(r: &HealthRubric, lo: Decimal, hi: Decimal) -> Vec<Decimal> {
    let mut e: Vec<Decimal> = r
        .bands()
        .map(|b| b.min)
        .filter(|m| *m >= lo && *m <= hi)
        .collect();
    e.push(lo);
    e.push(hi);
    e
}

/// Scores `columns` both ways and compares every row.
fn check(
    rubric: &HealthRubric,
    ids: &[Option<String>],
    columns: &[(String, Owned)],
    threads: Option<usize>,
) {
    let id_refs: Vec<Option<&str>> = ids.iter().map(|s| s.as_deref()).collect();
    let mut batch = ColumnBatch::new("<table>", id_refs.iter().copied());
    for (name, c) in columns {
        batch.push(name, c.column());
    }
    let options = BatchOptions {
        as_of: Some(as_of()),
        threads,
        extra_overrides: None,
    };
    let got = rubric.score_columns(&batch, &options).unwrap();

    let checked = check_ids("<table>", id_refs.iter().copied());
    let rows: Rows = checked
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            id.map(|id| Record {
                id,
                row: i + 1,
                values: columns
                    .iter()
                    .filter_map(|(n, c)| c.expected_value(i).map(|v| (n.clone(), v)))
                    .collect(),
            })
        })
        .collect();
    let opts = ScoreOptions {
        as_of: Some(as_of()),
        what_it_takes: false,
    };
    let want: Vec<RowResult<'_>> = score_health_rows(rubric, &rows, &opts, |_| Vec::new())
        .iter()
        .map(|r| RowResult::from_health_row(r, rubric))
        .collect();
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "row {} differs", i + 1);
        if let (Some(a), Some(b)) = (g.score, w.score) {
            assert_eq!(
                a.to_string(),
                b.to_string(),
                "row {} prints differently",
                i + 1
            );
        }
    }
}

type Rows2 = Vec<(Vec<(Cell, Kind)>, Vec<Option<i64>>)>;

fn run_case(spec: &Spec, id_dups: &[u8], rows: Rows2) -> Result<(), TestCaseError> {
    let text = toml(spec);
    let rubric = match HealthRubric::from_toml_str("random.toml", &text) {
        Ok(r) => r,
        Err(e) => return Err(TestCaseError::reject(format!("{e}"))),
    };
    let n = rows.len();
    let ids: Vec<Option<String>> = (0..n)
        .map(|i| match id_dups.get(i).copied().unwrap_or(0) {
            0 => None,
            1 => Some(format!("a{}", i / 2)),
            2 => Some(format!(" a{i} ")),
            _ => Some(format!("a{i}")),
        })
        .collect();
    let mut columns = Vec::new();
    let mut kinds: Vec<Kind> = Vec::new();
    for (ci, c) in spec.comps.iter().enumerate() {
        let w = Decimal::new(c.weight_hundredths, 2);
        let (lo, hi) = bounds(spec.scale, w);
        let edges = band_edges(&rubric, lo, hi);
        let kind = rows
            .first()
            .and_then(|r| r.0.get(ci))
            .map_or(Kind::Decimal, |x| x.1);
        kinds.push(kind);
        let cells: Vec<(Option<Decimal>, bool)> = rows
            .iter()
            .map(|r| {
                let cell = r.0.get(ci).map_or(Cell::Missing, |x| x.0.clone());
                (value_of(&cell, lo, hi, &edges), matches!(cell, Cell::Text))
            })
            .collect();
        columns.push((format!("c{ci}"), Owned::build(kind, &cells)));
        for j in 0..c.metrics.len() {
            let cells: Vec<(Option<Decimal>, bool)> = rows
                .iter()
                .map(|r| {
                    (
                        r.1.get(ci * 3 + j)
                            .copied()
                            .flatten()
                            .map(|v| Decimal::new(v, 2)),
                        false,
                    )
                })
                .collect();
            columns.push((format!("c{ci}m{j}"), Owned::build(kind, &cells)));
        }
    }
    columns.push((
        "note".into(),
        Owned::Cells(vec![Some(Value::Text("x".into())); n]),
    ));
    check(&rubric, &ids, &columns, None);
    Ok(())
}

fn rows() -> impl Strategy<Value = Rows2> {
    (1usize..40).prop_flat_map(|n| {
        prop::collection::vec(
            (
                prop::collection::vec((cell(), kind()), 5),
                prop::collection::vec(prop::option::weighted(0.2, -1_000i64..20_000), 15),
            ),
            n,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, max_global_rejects: 4000, ..ProptestConfig::default() })]

    #[test]
    fn columnar_equals_the_row_path_on_random_rubrics(
        spec in spec(),
        id_dups in prop::collection::vec(prop::sample::select(vec![0u8, 1, 2, 3, 3, 3, 3, 3, 3]), 40),
        rows in rows(),
    ) {
        run_case(&spec, &id_dups, rows)?;
    }

    #[test]
    fn floats_read_as_their_shortest_literal(
        xs in prop::collection::vec(prop_oneof![
            any::<f64>(),
            (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(m, k)| m as f64 / 10f64.powi(k as i32)),
            (0i64..10_001).prop_map(|m| m as f64 * 0.01),
            (0i64..10_001).prop_map(|m| m as f64 / 100.0 + 1e-13),
        ], 1..50),
    ) {
        // A one-component rubric on a wide scale: every readable float is scored as itself.
        let rubric = HealthRubric::from_toml_str("wide.toml", "kind = \"health\"\nid = \"w\"\nversion = \"1\"\ntitle = \"t\"\nsource = \"s\"\nscale = \"0-1000000\"\nrounding = { decimals = 3 }\n[[components]]\nid = \"x\"\nweight = 100\n[[bands]]\nmin = 0\nlabel = \"all\"\naction = \"a\"\nowner = \"o\"\nurgency = \"u\"\n").unwrap();
        let ids: Vec<Option<String>> = (0..xs.len()).map(|i| Some(format!("r{i}"))).collect();
        check(&rubric, &ids, &[("x".into(), Owned::Float(xs))], None);
    }
}

/// The seed rubrics with direct scores, metrics and gaps, large enough for several threads.
#[test]
fn seed_rubrics_match_the_row_path_on_many_threads() {
    for name in ["slavkokernel", "ai-ecosystem", "cradle-to-grave"] {
        let rubric = health_rubric(name);
        let n = 30_000;
        let mut state: u64 = 7;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        let mut columns = Vec::new();
        for c in &rubric.spec().components {
            let (lo, hi) = rubric.scale().component_bounds(c.weight.0);
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    if next() % 10 == 0 {
                        f64::NAN
                    } else {
                        let f = Decimal::new((next() % 10_001) as i64, 4);
                        (lo + (hi - lo) * f)
                            .round_dp(2)
                            .to_string()
                            .parse()
                            .unwrap()
                    }
                })
                .collect();
            columns.push((c.id.clone(), Owned::Float(v)));
            for m in &c.metrics {
                let v: Vec<Option<Decimal>> = (0..n)
                    .map(|i| (i % 50 == 0).then(|| Decimal::new((next() % 12_000) as i64, 2)))
                    .collect();
                columns.push((m.id.clone(), Owned::Decimal(v)));
            }
        }
        // Some ids missing or repeated (ids are checked on several threads past 20k rows).
        let ids: Vec<Option<String>> = (0..n)
            .map(|i| match i % 1000 {
                7 => Some(format!("acct-{}", i - 1)),
                13 => None,
                500 => Some(format!(" acct-{} ", i - 400)),
                _ => Some(format!("acct-{i}")),
            })
            .collect();
        check(&rubric, &ids, &columns, Some(2));
        check(&rubric, &ids, &columns, Some(1));
    }
}

/// Rubrics with scripts, and rows with overrides, go to the row path: same answers.
#[test]
fn scripts_and_overrides_fall_back_to_the_row_path() {
    let path = csrubric_tests::rubric_path("health/slavkokernel.toml");
    let text = std::fs::read_to_string(path).unwrap().replacen(
        "id = \"technical_health\"",
        "id = \"technical_health\"\nscoring = { type = \"script\", source = \"if score == () { () } else { clamp(score * 0.9 + 5, lo, hi) }\" }",
        1,
    );
    let scripted = HealthRubric::from_toml_str("scripted.toml", &text).unwrap();
    let plain = health_rubric("slavkokernel");
    let n = 200;
    let v: Vec<Option<Decimal>> = (0..n).map(|i| Some(Decimal::new(i * 50, 2))).collect();
    let ov = |i: usize| -> Option<Value> {
        match i % 7 {
            0 => Some(Value::Json(
                serde_json::json!([{"band": "Critical", "author": "dana", "reason": "churn"}]),
            )),
            1 => Some(Value::Json(
                serde_json::json!([{"component": "technical_health", "score": 40, "author": "dana", "reason": "outage"}]),
            )),
            2 => Some(Value::Json(
                serde_json::json!([{"band": "Nope", "author": "dana", "reason": "x"}]),
            )),
            _ => None,
        }
    };
    let mut columns: Vec<(String, Owned)> =
        ["product_adoption", "technical_health", "business_outcomes"]
            .iter()
            .map(|c| (c.to_string(), Owned::Decimal(v.clone())))
            .collect();
    columns.push((
        "overrides".into(),
        Owned::Cells((0..n as usize).map(ov).collect()),
    ));
    let ids: Vec<Option<String>> = (0..n).map(|i| Some(format!("a{i}"))).collect();
    check(&scripted, &ids, &columns, None);
    check(&plain, &ids, &columns, None);
}
