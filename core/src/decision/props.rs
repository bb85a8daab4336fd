//! Properties of decision tables a user relies on, against a brute-force oracle written
//! here from the documented semantics, not from the engine:
//!
//! * a table whose checks report no gap answers every input;
//! * a `unique` table that loads never matches two rows;
//! * `first` answers with the first matching row, `priority` with the highest-ranked one,
//!   `collect` with every matching row, in file order;
//! * every finding is true of its witness (a gap's matches no row, an overlap's matches both
//!   rows, an unreachable row's is answered by another row...), and every overlap,
//!   unreachable, redundant and conflicting row and every gap that exists is reported.
//!
//! The oracle keeps values as whole quarters (`i64`, exact), tests cells from their
//! generated structure (never from the text the engine parses), and evaluates every point
//! of a candidate grid: each end a row writes, the domain's ends, the points just outside
//! and the midpoints between neighbouring ends. Those points meet every elementary cell, so
//! "for all inputs" is decided exactly on the grid.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::input::Record;

/// A value of an input in the oracle: quarters for numbers, whole steps for integers and
/// dates, an index for enums and booleans.
type V = i64;

#[derive(Clone, Debug)]
enum Ty {
    /// Numbers; `Some((lo, hi))` a closed domain in quarters.
    Number(Option<(V, V)>),
    /// Integers in [0, 10].
    Integer,
    /// Dates 2026-01-01 + [0, 10] days.
    Date,
    Enum,
    Boolean,
}

#[derive(Clone, Debug)]
struct End {
    at: V,
    closed: bool,
}

#[derive(Clone, Debug)]
enum Item {
    Range(Option<End>, Option<End>),
    Value(V),
}

#[derive(Clone, Debug)]
enum CellGen {
    Any,
    Items(Vec<Item>),
}

#[derive(Clone, Debug)]
struct Gen {
    policy: HitPolicy,
    warn: bool,
    tys: Vec<Ty>,
    rows: Vec<(Vec<CellGen>, (usize, usize))>,
}

const ENUM: [&str; 3] = ["gold", "silver", "bronze"];
const OUT: [&str; 3] = ["a", "b", "c"];

fn ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::Number(None)),
        Just(Ty::Number(Some((0, 40)))),
        Just(Ty::Integer),
        Just(Ty::Date),
        Just(Ty::Enum),
        Just(Ty::Boolean),
    ]
}

/// Ends a row may write for a type (numbers: halves from -1 to 11, in quarters).
fn end_value(t: &Ty) -> BoxedStrategy<V> {
    match t {
        Ty::Number(_) => (-2i64..=22).prop_map(|h| h * 2).boxed(),
        Ty::Integer | Ty::Date => (-1i64..=11).boxed(),
        Ty::Enum => (0i64..3).boxed(),
        Ty::Boolean => (0i64..2).boxed(),
    }
}

fn cell(t: &Ty) -> BoxedStrategy<CellGen> {
    let ordered = matches!(t, Ty::Number(_) | Ty::Integer | Ty::Date);
    let v = end_value(t);
    let end = (v.clone(), any::<bool>()).prop_map(|(at, closed)| End { at, closed });
    let item: BoxedStrategy<Item> = if ordered {
        prop_oneof![
            v.clone().prop_map(Item::Value),
            (proptest::option::of(end.clone()), proptest::option::of(end)).prop_map(|(lo, hi)| {
                // Put the ends in order; an empty range is the loader's error, tested
                // elsewhere.
                match (lo, hi) {
                    (Some(a), Some(b)) if a.at > b.at => Item::Range(Some(b), Some(a)),
                    (Some(a), Some(b)) if a.at == b.at => Item::Value(a.at),
                    (lo, hi) => Item::Range(lo, hi),
                }
            }),
        ]
        .boxed()
    } else {
        v.prop_map(Item::Value).boxed()
    };
    prop_oneof![
        2 => Just(CellGen::Any),
        5 => proptest::collection::vec(item, 1..=2).prop_map(CellGen::Items),
    ]
    .boxed()
}

fn table_gen() -> impl Strategy<Value = Gen> {
    (
        prop_oneof![
            Just(HitPolicy::First),
            Just(HitPolicy::Unique),
            Just(HitPolicy::Collect),
            Just(HitPolicy::Priority),
        ],
        any::<bool>(),
        proptest::collection::vec(ty(), 1..=3),
    )
        .prop_flat_map(|(policy, warn, tys)| {
            let row = (
                tys.iter().map(cell).collect::<Vec<_>>(),
                (0usize..3, 0usize..2),
            );
            proptest::collection::vec(row, 1..=6).prop_map(move |rows| Gen {
                policy,
                warn,
                tys: tys.clone(),
                rows,
            })
        })
}

fn name(d: usize) -> String {
    format!("x{d}")
}

/// A value as an input row (and a cell) writes it.
fn show(t: &Ty, v: V) -> String {
    match t {
        Ty::Number(_) => (Decimal::new(v * 25, 2)).normalize().to_string(),
        Ty::Integer => v.to_string(),
        Ty::Date => chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .checked_add_signed(chrono::TimeDelta::days(v))
            .unwrap()
            .format("%Y-%m-%d")
            .to_string(),
        Ty::Enum => ENUM[v as usize].to_string(),
        Ty::Boolean => (v == 1).to_string(),
    }
}

fn toml_cell(t: &Ty, c: &CellGen) -> Option<String> {
    let CellGen::Items(items) = c else {
        return Some("\"any\"".into());
    };
    let text: Vec<String> = items
        .iter()
        .map(|i| match (t, i) {
            (Ty::Boolean, Item::Value(v)) => (*v == 1).to_string(),
            (_, Item::Value(v)) => format!("\"{}\"", show(t, *v)),
            (_, Item::Range(lo, hi)) => {
                let lo = lo.as_ref().map_or("(..".to_string(), |e| {
                    format!("{}{}", if e.closed { '[' } else { '(' }, show(t, e.at))
                });
                let hi = hi.as_ref().map_or("..)".to_string(), |e| {
                    format!("{}{}", show(t, e.at), if e.closed { ']' } else { ')' })
                });
                format!("\"{lo}, {hi}\"")
            }
        })
        .collect();
    Some(format!("[{}]", text.join(", ")))
}

fn toml(g: &Gen) -> String {
    let mut s = format!(
        "kind = \"decision\"\nid = \"p\"\nversion = \"1\"\ntitle = \"P\"\nsource = \"proptest\"\nhit_policy = \"{}\"\ngaps = \"{}\"\n",
        g.policy.name(),
        if g.warn { "warn" } else { "error" }
    );
    for (d, t) in g.tys.iter().enumerate() {
        let (ty, extra) = match t {
            Ty::Number(None) => ("number", String::new()),
            Ty::Number(Some((a, b))) => (
                "number",
                format!("domain = \"[{}, {}]\"\n", show(t, *a), show(t, *b)),
            ),
            Ty::Integer => ("integer", "domain = \"[0, 10]\"\n".into()),
            Ty::Date => ("date", "domain = \"[2026-01-01, 2026-01-11]\"\n".into()),
            Ty::Enum => (
                "enum",
                "values = [\"gold\", \"silver\", \"bronze\"]\n".into(),
            ),
            Ty::Boolean => ("boolean", String::new()),
        };
        s.push_str(&format!(
            "[[inputs]]\nname = \"{}\"\ntype = \"{ty}\"\n{extra}",
            name(d)
        ));
    }
    s.push_str(
        "[[outputs]]\nname = \"o\"\nvalues = [\"a\", \"b\", \"c\"]\n[[outputs]]\nname = \"p\"\n",
    );
    for (cells, (o, p)) in &g.rows {
        let ins: Vec<String> = g
            .tys
            .iter()
            .zip(cells)
            .enumerate()
            .filter_map(|(d, (t, c))| toml_cell(t, c).map(|c| format!("{} = {c}", name(d))))
            .collect();
        s.push_str(&format!(
            "[[rows]]\ninputs = {{ {} }}\noutputs = {{ o = \"{}\", p = {} }}\n",
            ins.join(", "),
            OUT[*o],
            p
        ));
    }
    s
}

fn in_item(i: &Item, v: V) -> bool {
    match i {
        Item::Value(x) => *x == v,
        Item::Range(lo, hi) => {
            lo.as_ref()
                .is_none_or(|e| if e.closed { v >= e.at } else { v > e.at })
                && hi
                    .as_ref()
                    .is_none_or(|e| if e.closed { v <= e.at } else { v < e.at })
        }
    }
}

fn in_cell(c: &CellGen, v: V) -> bool {
    match c {
        CellGen::Any => true,
        CellGen::Items(items) => items.iter().any(|i| in_item(i, v)),
    }
}

/// The candidate points of each input (in its domain).
fn grid(g: &Gen) -> Vec<Vec<V>> {
    g.tys
        .iter()
        .enumerate()
        .map(|(d, t)| match t {
            Ty::Integer | Ty::Date => (0..=10).collect(),
            Ty::Enum => (0..3).collect(),
            Ty::Boolean => (0..2).collect(),
            Ty::Number(domain) => {
                let mut ends: BTreeSet<V> = BTreeSet::new();
                for (cells, _) in &g.rows {
                    if let CellGen::Items(items) = &cells[d] {
                        for i in items {
                            match i {
                                Item::Value(v) => {
                                    ends.insert(*v);
                                }
                                Item::Range(lo, hi) => {
                                    for e in lo.iter().chain(hi) {
                                        ends.insert(e.at);
                                    }
                                }
                            }
                        }
                    }
                }
                if let Some((a, b)) = domain {
                    ends.insert(*a);
                    ends.insert(*b);
                }
                let sorted: Vec<V> = ends.iter().copied().collect();
                let mut pts: BTreeSet<V> = ends.clone();
                if let (Some(f), Some(l)) = (sorted.first(), sorted.last()) {
                    pts.insert(f - 4);
                    pts.insert(l + 4);
                } else {
                    pts.insert(0);
                }
                for w in sorted.windows(2) {
                    // Ends are even quarters: the midpoint is whole.
                    pts.insert((w[0] + w[1]) / 2);
                }
                pts.into_iter()
                    .filter(|v| domain.is_none_or(|(a, b)| *v >= a && *v <= b))
                    .collect()
            }
        })
        .collect()
}

fn points(grid: &[Vec<V>]) -> Vec<Vec<V>> {
    let mut out = vec![Vec::new()];
    for axis in grid {
        out = out
            .into_iter()
            .flat_map(|p| {
                axis.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(*v);
                    q
                })
            })
            .collect();
    }
    out
}

fn matching(g: &Gen, p: &[V]) -> Vec<usize> {
    (0..g.rows.len())
        .filter(|r| g.rows[*r].0.iter().zip(p).all(|(c, v)| in_cell(c, *v)))
        .collect()
}

/// The rows that answer at a point, by the hit policy.
fn answer(g: &Gen, m: &[usize]) -> Vec<usize> {
    match g.policy {
        HitPolicy::Collect => m.to_vec(),
        HitPolicy::First | HitPolicy::Unique => m.first().copied().into_iter().collect(),
        HitPolicy::Priority => m
            .iter()
            .copied()
            .min_by_key(|r| (g.rows[*r].1 .0, *r))
            .into_iter()
            .collect(),
    }
}

fn outputs(g: &Gen, r: usize) -> (usize, usize) {
    g.rows[r].1
}

/// A witness (from a finding) as oracle values.
fn from_witness(g: &Gen, w: &serde_json::Map<String, serde_json::Value>) -> Vec<V> {
    g.tys
        .iter()
        .enumerate()
        .map(|(d, t)| {
            let v = &w[&name(d)];
            match t {
                Ty::Boolean => V::from(v.as_bool().unwrap()),
                Ty::Enum => ENUM.iter().position(|e| v == e).unwrap() as V,
                Ty::Number(_) => {
                    use rust_decimal::prelude::ToPrimitive;
                    let x = crate::decimal::parse_decimal(v.as_str().unwrap()).unwrap()
                        * Decimal::from(4);
                    assert!(x.fract().is_zero(), "witness {v} is not a whole quarter");
                    x.to_i64().unwrap()
                }
                Ty::Integer => v.as_str().unwrap().parse().unwrap(),
                Ty::Date => {
                    let d =
                        chrono::NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
                    (d - chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).num_days()
                }
            }
        })
        .collect()
}

fn record(g: &Gen, p: &[V]) -> Record {
    let mut r = Record::new("p");
    for (d, (t, v)) in g.tys.iter().zip(p).enumerate() {
        r = r.with_value(name(d), Value::Text(show(t, *v)));
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn checks_and_answers_agree_with_brute_force(g in table_gen()) {
        let text = toml(&g);
        let report = match check_text("p.toml", &text, Format::Toml) {
            Ok(r) => r,
            // Generated cells can fall outside a domain (an error at the cell): such
            // tables are the loader's to refuse.
            Err(e) => {
                prop_assert!(e.to_string().contains("matches no value"), "{e}\n{text}");
                return Ok(());
            }
        };
        prop_assert!(report.complete);
        let pts = points(&grid(&g));
        let n = g.rows.len();
        let mut any_gap = false;
        let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut answers = vec![false; n];
        let mut matters = vec![false; n];
        let mut sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for (k, p) in pts.iter().enumerate() {
            let m = matching(&g, p);
            for r in &m {
                sets[*r].insert(k);
            }
            if m.is_empty() {
                any_gap = true;
            }
            for (i, a) in m.iter().enumerate() {
                for b in &m[i + 1..] {
                    pairs.insert((*a, *b));
                }
            }
            let ans = answer(&g, &m);
            for r in &ans {
                answers[*r] = true;
            }
            match g.policy {
                HitPolicy::Collect => {
                    for r in &m {
                        if !m.iter().any(|x| x != r && outputs(&g, *x) == outputs(&g, *r)) {
                            matters[*r] = true;
                        }
                    }
                }
                _ => {
                    if let Some(w) = ans.first() {
                        let rest: Vec<usize> = m.iter().copied().filter(|x| x != w).collect();
                        let next = answer(&g, &rest);
                        if next.first().is_none_or(|x| outputs(&g, *x) != outputs(&g, *w)) {
                            matters[*w] = true;
                        }
                    }
                }
            }
        }
        let single = g.policy != HitPolicy::Collect;
        let conflicts: BTreeSet<(usize, usize)> = if single {
            pairs
                .iter()
                .copied()
                .filter(|(a, b)| sets[*a] == sets[*b] && outputs(&g, *a) != outputs(&g, *b))
                .collect()
        } else {
            BTreeSet::new()
        };
        // Every finding is true of its witness.
        let mut found: BTreeMap<Check, BTreeSet<Vec<usize>>> = BTreeMap::new();
        for f in &report.findings {
            found.entry(f.check).or_default().insert(f.rows.clone());
            let Some(w) = &f.witness else { continue };
            let p = from_witness(&g, w);
            let m = matching(&g, &p);
            let rows: Vec<usize> = f.rows.iter().map(|r| r - 1).collect();
            match f.check {
                Check::Gap => prop_assert!(m.is_empty(), "{}: {m:?}", f.message),
                Check::Overlap | Check::Conflict => {
                    prop_assert!(m.contains(&rows[0]) && m.contains(&rows[1]), "{}", f.message)
                }
                Check::Unreachable => {
                    prop_assert!(m.contains(&rows[0]), "{}", f.message);
                    prop_assert!(!answer(&g, &m).contains(&rows[0]), "{}", f.message);
                }
                Check::Redundant => {
                    prop_assert!(answer(&g, &m).contains(&rows[0]), "{}", f.message);
                    prop_assert!(m.contains(&rows[1]), "{}", f.message);
                    prop_assert_eq!(outputs(&g, rows[0]), outputs(&g, rows[1]));
                }
                Check::CutShort => {}
            }
        }
        // Every gap, overlap, conflict, unreachable and redundant row is reported.
        prop_assert_eq!(any_gap, found.contains_key(&Check::Gap), "{}", text);
        let pair_rows = |c: Check| -> BTreeSet<(usize, usize)> {
            found.get(&c).into_iter().flatten().map(|r| (r[0] - 1, r[1] - 1)).collect()
        };
        prop_assert_eq!(&pair_rows(Check::Conflict), &conflicts, "{}", text);
        if g.policy == HitPolicy::Unique {
            let overlaps: BTreeSet<(usize, usize)> = pairs.difference(&conflicts).copied().collect();
            prop_assert_eq!(pair_rows(Check::Overlap), overlaps, "{}", text);
        }
        if matches!(g.policy, HitPolicy::First | HitPolicy::Priority) {
            let never: BTreeSet<usize> = (0..n).filter(|r| !answers[*r]).collect();
            let reported: BTreeSet<usize> = found
                .get(&Check::Unreachable)
                .into_iter()
                .flatten()
                .map(|r| r[0] - 1)
                .chain(conflicts.iter().map(|(_, b)| *b).filter(|b| !answers[*b]))
                .collect();
            prop_assert_eq!(reported, never, "{}", text);
        }
        if g.policy != HitPolicy::Unique {
            let redundant: BTreeSet<usize> = (0..n).filter(|r| answers[*r] && !matters[*r]).collect();
            let reported: BTreeSet<usize> = found
                .get(&Check::Redundant)
                .into_iter()
                .flatten()
                .map(|r| r[0] - 1)
                .collect();
            prop_assert_eq!(reported, redundant, "{}", text);
        }
        // A table that loads answers as the oracle says, at every point.
        let loads = report.findings.iter().all(|f| f.severity == Severity::Warning);
        let table = DecisionTable::from_str_with_format("p.toml", &text, Format::Toml);
        prop_assert_eq!(loads, table.is_ok());
        let Ok(table) = table else { return Ok(()) };
        for p in &pts {
            let m = matching(&g, p);
            let d = table.decide(&record(&g, p)).unwrap();
            let got: Vec<usize> = d.matches.iter().map(|x| x.rule - 1).collect();
            prop_assert_eq!(&got, &answer(&g, &m), "at {:?}\n{}", p, text);
            // A gap-free table answers every input; a `unique` one never with two rows.
            if !found.contains_key(&Check::Gap) {
                prop_assert!(!got.is_empty());
            }
            if g.policy == HitPolicy::Unique {
                prop_assert!(m.len() <= 1);
            }
        }
    }
}
