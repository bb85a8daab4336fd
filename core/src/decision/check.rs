//! The static checks of a decision table: overlaps, unreachable, redundant and conflicting
//! rows, and gaps, each with a witness input.
//!
//! # How
//! Each input's domain is cut at every end a row writes (and the domain's own ends) into
//! *elementary cells*: points and the open stretches between them for numbers; runs of
//! whole steps for integers, dates and durations; single values for enums and booleans.
//! Within a cell every row either matches every value or none, so the cell's first value is
//! a witness for all of it. Cells that no row tells apart are merged.
//!
//! The input space is then partitioned input by input (a sweep): at each step the rows
//! still matching are split by the cells of the next input, cells that leave the same rows
//! matching go together, and a part that no row matches is a gap at once (the inputs not yet
//! split are `any` in it). Each part at the end is a box of inputs in which exactly the
//! same rows match: there the hit policy's answer, the overlaps and which row answers are
//! read off. A part seen again (the same input, the same rows) is not explored twice.
//!
//! The work is counted ([`CHECK_BUDGET`] steps); a table that needs more is checked as far
//! as the budget goes and the report says it was cut short. Findings that say something
//! exists (an overlap, a gap, a conflict) are still exact, each with its witness; findings
//! that say something never happens (an unreachable or redundant row) are then not made.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::cell::{self, Bound, Range};
use super::model::{Compiled, GapPolicy, HitPolicy, Scalar, Set};

/// The most work the static checks do on one table, in steps (one step: one 64-row word of
/// one cell compared, or one row looked at in a part). About a second on one core.
pub const CHECK_BUDGET: u64 = 30_000_000;

/// At most this many findings of one check are listed; the rest are counted.
const LISTED: usize = 20;

/// Which check found something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Two rows match the same input under hit policy `unique`.
    Overlap,
    /// A row never answers under `first` or `priority`: other rows take every input it
    /// matches (it is subsumed by them).
    Unreachable,
    /// Two rows match exactly the same inputs but give different outputs.
    Conflict,
    /// Inputs in the domain that no row matches.
    Gap,
    /// Deleting the row would change no answer.
    Redundant,
    /// The checks stopped at their work limit.
    CutShort,
}

/// How serious a finding is: errors stop the table from loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The table does not load.
    Error,
    /// The table loads; `csrubric check` and `warnings()` show it.
    Warning,
}

/// One finding of the static checks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Which check.
    pub check: Check,
    /// Error or warning.
    pub severity: Severity,
    /// Rubric path: the row at fault (`rows[3]`), or `rows` for gaps.
    pub path: String,
    /// The rows involved, 1-based, in file order.
    pub rows: Vec<usize>,
    /// What was found, naming the rows and the witness.
    pub message: String,
    /// An input that shows the finding (evaluate it to see): one value per input, as an
    /// input row gives it (numbers, dates and durations as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Everything the static checks found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The findings: errors first, then warnings, each in row order.
    pub findings: Vec<Finding>,
    /// False when the checks were cut short at [`CHECK_BUDGET`].
    pub complete: bool,
    /// The work done, in steps.
    pub steps: u64,
    /// The input-space parts the sweep examined (boxes in which the same rows match).
    pub parts: u64,
}

/// A set of rows, as bits.
type Bits = Vec<u64>;

fn bit(b: &Bits, i: usize) -> bool {
    b.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
}

fn set_bit(b: &mut Bits, i: usize) {
    if let Some(w) = b.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

fn ones(b: &Bits) -> impl Iterator<Item = usize> + '_ {
    b.iter().enumerate().flat_map(|(k, w)| {
        let w = *w;
        (0..64)
            .filter(move |i| w >> i & 1 == 1)
            .map(move |i| k * 64 + i)
    })
}

/// One elementary cell of an input.
struct Elem {
    /// Its first value: a witness for the whole cell.
    witness: Scalar,
    /// Ordered inputs: the stretch it covers.
    range: Option<Range>,
}

/// An input cut into elementary cells, and the cells merged into classes that no row tells
/// apart.
struct Cut {
    elems: Vec<Elem>,
    /// Each class: its cells (ascending) and the rows matching them.
    classes: Vec<(Vec<usize>, Bits)>,
}

/// A box of the input space: for some inputs, the cells it spans (the others: any).
#[derive(Clone)]
struct Region(Vec<(usize, Vec<usize>)>);

struct Sweep<'a> {
    t: &'a Compiled,
    cuts: Vec<Cut>,
    words: usize,
    steps: u64,
    parts: u64,
    cut_short: bool,
    /// The region being explored: one (input, cells) per input already split.
    path: Vec<(usize, Vec<usize>)>,
    /// Per row: it answered somewhere.
    answers: Vec<bool>,
    /// Per row: deleting it changes an answer somewhere.
    matters: Vec<bool>,
    /// Per row that did not answer somewhere: where, and which row did.
    lost: Vec<Option<(Vec<Scalar>, usize)>>,
    /// Per row: the rows that answered where it matched and did not (a few).
    beaten_by: Vec<BTreeSet<usize>>,
    /// Per row that answered: where, and the row that would give the same answer without it.
    same_as: Vec<Option<(Vec<Scalar>, usize)>>,
    overlaps: BTreeMap<(usize, usize), Vec<Scalar>>,
    overlaps_more: bool,
    gaps: Vec<Region>,
    gap_count: u64,
    /// Per input: the parts explored completely from there, by the rows matching, with the
    /// gaps found below them (relative) and their count.
    seen: Vec<HashMap<Bits, (Vec<Region>, u64)>>,
    remembered: usize,
    budget: u64,
    /// Scratch: per output class, how many rows of the current part have it.
    class_count: Vec<u32>,
    /// Output class of each row: rows with equal outputs share one.
    out_class: Vec<usize>,
}

/// At most this many explored parts are remembered (to skip them when seen again).
const REMEMBERED: usize = 1 << 16;

/// Runs every static check on a compiled table, within [`CHECK_BUDGET`].
pub(crate) fn analyze(t: &Compiled, gaps: GapPolicy) -> Report {
    analyze_within(t, gaps, CHECK_BUDGET)
}

/// [`analyze`] within `budget` steps.
pub(crate) fn analyze_within(t: &Compiled, gaps: GapPolicy, budget: u64) -> Report {
    let n = t.rules.len();
    let words = n.div_ceil(64).max(1);
    let mut sweep = Sweep {
        t,
        cuts: Vec::new(),
        words,
        steps: 0,
        parts: 0,
        cut_short: false,
        path: Vec::new(),
        answers: vec![false; n],
        matters: vec![false; n],
        lost: vec![None; n],
        beaten_by: vec![BTreeSet::new(); n],
        same_as: vec![None; n],
        overlaps: BTreeMap::new(),
        overlaps_more: false,
        gaps: Vec::new(),
        gap_count: 0,
        seen: vec![HashMap::new(); t.dims.len()],
        remembered: 0,
        budget,
        class_count: vec![0; n],
        out_class: output_classes(t),
    };
    for d in 0..t.dims.len() {
        match sweep.cut(d) {
            Some(c) => sweep.cuts.push(c),
            None => {
                sweep.cut_short = true;
                break;
            }
        }
    }
    if !sweep.cut_short {
        let mut all = vec![0u64; words];
        for i in 0..n {
            set_bit(&mut all, i);
        }
        sweep.explore(0, &all);
    }
    sweep.report(gaps)
}

fn output_classes(t: &Compiled) -> Vec<usize> {
    let mut ids: HashMap<&Vec<crate::decision::OutValue>, usize> = HashMap::new();
    t.rules
        .iter()
        .map(|r| {
            let next = ids.len();
            *ids.entry(&r.outputs).or_insert(next)
        })
        .collect()
}

impl Sweep<'_> {
    fn spend(&mut self, steps: u64) -> bool {
        self.steps = self.steps.saturating_add(steps);
        if self.steps > self.budget {
            self.cut_short = true;
        }
        !self.cut_short
    }

    /// Cuts input `d` into elementary cells and classes; `None` when that alone exceeds
    /// the budget.
    fn cut(&mut self, d: usize) -> Option<Cut> {
        let dim = self.t.dims.get(d)?;
        let elems = if dim.ty.ordered() {
            self.ordered_cells(d)?
        } else {
            (0..dim.values.len())
                .map(|i| Elem {
                    witness: Scalar::Index(i),
                    range: None,
                })
                .collect()
        };
        if !self.spend((elems.len() as u64).saturating_mul(self.words as u64)) {
            return None;
        }
        let mut bits = vec![vec![0u64; self.words]; elems.len()];
        for (r, rule) in self.t.rules.iter().enumerate() {
            let set = rule.sets.get(d)?;
            match set {
                Set::Any => {
                    bits.iter_mut().for_each(|b| set_bit(b, r));
                }
                Set::Values(mask) => {
                    for (i, on) in mask.iter().enumerate() {
                        if *on {
                            if let Some(b) = bits.get_mut(i) {
                                set_bit(b, r);
                            }
                        }
                    }
                }
                Set::Ranges(ranges) => {
                    for range in &ranges.0 {
                        // The cells of a range are consecutive: find the first by binary
                        // search, walk while inside.
                        let start = elems.partition_point(|e| match (e.witness, range.lo) {
                            (Scalar::Point(w), Bound::Closed(l)) => w < l,
                            (Scalar::Point(w), Bound::Open(l)) => w <= l,
                            _ => false,
                        });
                        let mut k = start;
                        while let Some(e) = elems.get(k) {
                            match e.witness {
                                Scalar::Point(w) if range.contains(w) => {}
                                _ => break,
                            }
                            if let Some(b) = bits.get_mut(k) {
                                set_bit(b, r);
                            }
                            k += 1;
                        }
                        if !self.spend((k - start) as u64 + 1) {
                            return None;
                        }
                    }
                }
            }
        }
        let mut classes: Vec<(Vec<usize>, Bits)> = Vec::new();
        let mut index: HashMap<Bits, usize> = HashMap::new();
        for (k, b) in bits.into_iter().enumerate() {
            match index.get(&b) {
                Some(c) => {
                    if let Some(class) = classes.get_mut(*c) {
                        class.0.push(k);
                    }
                }
                None => {
                    index.insert(b.clone(), classes.len());
                    classes.push((vec![k], b));
                }
            }
        }
        Some(Cut { elems, classes })
    }

    /// The elementary cells of an ordered input, in ascending order.
    fn ordered_cells(&mut self, d: usize) -> Option<Vec<Elem>> {
        let dim = self.t.dims.get(d)?;
        let discrete = dim.ty.discrete();
        let mut ends: Vec<rust_decimal::Decimal> = Vec::new();
        let push_range = |r: &Range, ends: &mut Vec<rust_decimal::Decimal>| {
            for b in [r.lo, r.hi] {
                match b {
                    Bound::Closed(v) | Bound::Open(v) => ends.push(v),
                    Bound::Unbounded => {}
                }
            }
            // A discrete range [l, h] ends where h + 1 starts.
            if let (true, Bound::Closed(h)) = (discrete, r.hi) {
                if let Some(next) = h.checked_add(rust_decimal::Decimal::ONE) {
                    ends.push(next);
                }
            }
        };
        push_range(&dim.domain, &mut ends);
        for rule in &self.t.rules {
            if let Some(Set::Ranges(rs)) = rule.sets.get(d) {
                for r in &rs.0 {
                    push_range(r, &mut ends);
                }
            }
        }
        if !self.spend(ends.len() as u64) {
            return None;
        }
        ends.sort();
        ends.dedup();
        let one = rust_decimal::Decimal::ONE;
        let mut cells = Vec::with_capacity(ends.len() * 2 + 1);
        let mut push = |lo: Bound, hi: Bound, witness: Option<rust_decimal::Decimal>| {
            if let Some(w) = witness {
                let range = Range { lo, hi };
                if dim.domain.contains(w) && range.contains(w) {
                    cells.push(Elem {
                        witness: Scalar::Point(w),
                        range: Some(range),
                    });
                }
            }
        };
        match (ends.first(), ends.last()) {
            (None, _) | (_, None) => push(
                Bound::Unbounded,
                Bound::Unbounded,
                Some(rust_decimal::Decimal::ZERO),
            ),
            (Some(&first), Some(&last)) => {
                if discrete {
                    // Whole steps: [a, b - 1] between consecutive ends a < b.
                    let below = first.checked_sub(one);
                    push(
                        Bound::Unbounded,
                        below.map_or(Bound::Open(first), Bound::Closed),
                        below,
                    );
                    for w in ends.windows(2) {
                        if let [a, b] = w {
                            let hi = b.checked_sub(one).map_or(Bound::Open(*b), Bound::Closed);
                            push(Bound::Closed(*a), hi, Some(*a));
                        }
                    }
                    push(Bound::Closed(last), Bound::Unbounded, Some(last));
                } else {
                    push(Bound::Unbounded, Bound::Open(first), first.checked_sub(one));
                    for w in ends.windows(2) {
                        if let [a, b] = w {
                            push(Bound::Closed(*a), Bound::Closed(*a), Some(*a));
                            push(Bound::Open(*a), Bound::Open(*b), cell::between(*a, *b));
                        }
                    }
                    push(Bound::Closed(last), Bound::Closed(last), Some(last));
                    push(Bound::Open(last), Bound::Unbounded, last.checked_add(one));
                }
            }
        }
        Some(cells)
    }

    /// Explores the part of the input space where inputs before `d` are fixed by
    /// `self.path` and exactly `active` rows still match.
    fn explore(&mut self, d: usize, active: &Bits) {
        if self.cut_short {
            return;
        }
        if d == self.cuts.len() {
            self.part(active);
            return;
        }
        if !self.spend(4 + self.words as u64) {
            return;
        }
        if let Some((below, count)) = self.seen.get(d).and_then(|m| m.get(active.as_slice())) {
            let below = below.clone();
            self.gap_count += *count;
            for g in below {
                self.push_gap(g.0);
            }
            return;
        }
        let gaps_before = self.gaps.len();
        let count_before = self.gap_count;
        let classes = self.cuts.get(d).map_or(0, |c| c.classes.len()) as u64;
        if !self.spend(classes.saturating_mul(self.words as u64)) {
            return;
        }
        let Some(cut) = self.cuts.get(d) else { return };
        // Group the classes by the rows that still match in them.
        let mut groups: Vec<(Bits, Vec<usize>)> = Vec::new();
        let mut index: HashMap<Bits, usize> = HashMap::new();
        for (cells, bits) in &cut.classes {
            let sig: Bits = active.iter().zip(bits).map(|(a, b)| a & b).collect();
            match index.get(&sig) {
                Some(g) => {
                    if let Some(group) = groups.get_mut(*g) {
                        group.1.extend(cells);
                    }
                }
                None => {
                    index.insert(sig.clone(), groups.len());
                    groups.push((sig, cells.clone()));
                }
            }
        }
        for (sig, mut cells) in groups {
            cells.sort_unstable();
            if sig.iter().all(|w| *w == 0) {
                self.gap_at(d, &cells);
                continue;
            }
            self.path.push((d, cells));
            self.explore(d + 1, &sig);
            self.path.pop();
            if self.cut_short {
                return;
            }
        }
        // Remember the gaps found below, relative to this part.
        let depth = self.path.len();
        let below: Vec<Region> = self
            .gaps
            .get(gaps_before..)
            .unwrap_or_default()
            .iter()
            .map(|g| Region(g.0.get(depth..).unwrap_or_default().to_vec()))
            .collect();
        if self.remembered < REMEMBERED {
            self.remembered += 1;
            let count = self.gap_count - count_before;
            if let Some(m) = self.seen.get_mut(d) {
                m.insert(active.clone(), (below, count));
            }
        }
    }

    /// Records gaps where input `d` is in `cells` (one per run of neighbouring cells).
    fn gap_at(&mut self, d: usize, cells: &[usize]) {
        let ordered = self.t.dims.get(d).is_some_and(|x| x.ty.ordered());
        let mut runs: Vec<Vec<usize>> = Vec::new();
        for &c in cells {
            match runs.last_mut() {
                Some(run) if ordered && run.last().is_some_and(|l| l + 1 == c) => run.push(c),
                Some(run) if !ordered => run.push(c),
                _ => runs.push(vec![c]),
            }
        }
        for run in runs {
            self.gap_count += 1;
            self.push_gap(vec![(d, run)]);
        }
    }

    fn push_gap(&mut self, suffix: Vec<(usize, Vec<usize>)>) {
        if self.gaps.len() < LISTED {
            let mut parts = self.path.clone();
            parts.extend(suffix);
            self.gaps.push(Region(parts));
        }
    }

    /// The witness of the current path: each input's first cell (`any` inputs: the first
    /// cell of the domain).
    fn witness(&self, region: &[(usize, Vec<usize>)]) -> Vec<Scalar> {
        self.cuts
            .iter()
            .enumerate()
            .map(|(d, cut)| {
                let cell = region
                    .iter()
                    .find(|(x, _)| *x == d)
                    .and_then(|(_, cells)| cells.first().copied())
                    .unwrap_or(0);
                cut.elems.get(cell).map_or(Scalar::Index(0), |e| e.witness)
            })
            .collect()
    }

    /// A part in which exactly the rows `active` match.
    fn part(&mut self, active: &Bits) {
        self.parts += 1;
        let rows: Vec<usize> = ones(active).collect();
        if !self.spend(4 + (rows.len() + self.cuts.len()) as u64) {
            return;
        }
        match self.t.policy {
            HitPolicy::Unique => {
                if let [only] = rows.as_slice() {
                    self.mark_answer(*only, None);
                }
                for (k, a) in rows.iter().enumerate() {
                    for b in rows.iter().skip(k + 1) {
                        if !self.spend(1) {
                            return;
                        }
                        if self.overlaps.contains_key(&(*a, *b)) {
                            continue;
                        }
                        if self.overlaps.len() < 10 * LISTED {
                            let w = self.witness(&self.path);
                            self.overlaps.insert((*a, *b), w);
                        } else {
                            self.overlaps_more = true;
                        }
                    }
                }
            }
            HitPolicy::First | HitPolicy::Priority => {
                let Some(winner) = self.t.winner(&rows) else {
                    return;
                };
                let rest: Vec<usize> = rows.iter().copied().filter(|r| *r != winner).collect();
                let runner_up = self.t.winner(&rest);
                self.mark_answer(winner, runner_up);
                for r in rest {
                    if let Some(b) = self.beaten_by.get_mut(r) {
                        if b.len() < 8 {
                            b.insert(winner);
                        }
                    }
                    if self.lost.get(r).is_some_and(Option::is_none) {
                        let w = self.witness(&self.path);
                        if let Some(l) = self.lost.get_mut(r) {
                            *l = Some((w, winner));
                        }
                    }
                }
            }
            HitPolicy::Collect => {
                // A row matters here unless another matching row has the same outputs.
                for r in &rows {
                    if let Some(c) = self
                        .out_class
                        .get(*r)
                        .and_then(|c| self.class_count.get_mut(*c))
                    {
                        *c += 1;
                    }
                }
                for r in &rows {
                    let class = self.out_class.get(*r).copied().unwrap_or(*r);
                    let shared = self.class_count.get(class).is_some_and(|c| *c > 1);
                    let twin = if shared && self.same_as.get(*r).is_some_and(Option::is_none) {
                        rows.iter()
                            .copied()
                            .find(|x| *x != *r && self.out_class.get(*x) == Some(&class))
                    } else {
                        None
                    };
                    match (shared, twin) {
                        (false, _) => self.mark_answer(*r, None),
                        (true, Some(t)) => self.mark_answer(*r, Some(t)),
                        (true, None) => {
                            if let Some(a) = self.answers.get_mut(*r) {
                                *a = true;
                            }
                        }
                    }
                }
                for r in &rows {
                    if let Some(c) = self
                        .out_class
                        .get(*r)
                        .and_then(|c| self.class_count.get_mut(*c))
                    {
                        *c = 0;
                    }
                }
            }
        }
    }

    /// Row `r` answers here; `next` would answer without it (collect: a row with the same
    /// outputs).
    fn mark_answer(&mut self, r: usize, next: Option<usize>) {
        if let Some(a) = self.answers.get_mut(r) {
            *a = true;
        }
        let same = next.filter(|n| self.out_class.get(*n) == self.out_class.get(r));
        match same {
            Some(n) => {
                if self.same_as.get(r).is_some_and(Option::is_none) {
                    let w = self.witness(&self.path);
                    if let Some(s) = self.same_as.get_mut(r) {
                        *s = Some((w, n));
                    }
                }
            }
            None => {
                if let Some(m) = self.matters.get_mut(r) {
                    *m = true;
                }
            }
        }
    }

    fn describe(&self, w: &[Scalar]) -> String {
        self.t
            .dims
            .iter()
            .zip(w)
            .map(|(d, v)| format!("{} = {}", d.name, d.show(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn witness_json(&self, w: &[Scalar]) -> serde_json::Map<String, serde_json::Value> {
        self.t
            .dims
            .iter()
            .zip(w)
            .map(|(d, v)| (d.name.clone(), d.json(*v)))
            .collect()
    }

    /// A region in the cell syntax: `employees in [1, 100), region = emea` (inputs it does
    /// not restrict are left out; `every input` when none).
    fn describe_region(&self, region: &Region) -> String {
        let parts: Vec<String> = region
            .0
            .iter()
            .filter_map(|(d, cells)| {
                let dim = self.t.dims.get(*d)?;
                let cut = self.cuts.get(*d)?;
                if cells.len() == cut.elems.len() {
                    return None;
                }
                if dim.ty.ordered() {
                    let ranges = merge_cells(cut, cells);
                    let shown: Vec<String> = ranges
                        .iter()
                        .map(|r| cell::format_range(dim.ty, r))
                        .collect();
                    Some(match (shown.as_slice(), ranges.as_slice()) {
                        ([one], [r]) if point(r) => format!("{} = {one}", dim.name),
                        _ => format!("{} in {}", dim.name, shown.join(" or ")),
                    })
                } else {
                    let vals: Vec<String> = cells
                        .iter()
                        .filter_map(|c| dim.values.get(*c).cloned())
                        .collect();
                    Some(match vals.as_slice() {
                        [one] => format!("{} = {one}", dim.name),
                        _ => format!("{} in [{}]", dim.name, vals.join(", ")),
                    })
                }
            })
            .collect();
        if parts.is_empty() {
            "every input".into()
        } else {
            parts.join(", ")
        }
    }

    fn report(self, gaps: GapPolicy) -> Report {
        let mut findings = Vec::new();
        let policy = self.t.policy;
        let single = policy != HitPolicy::Collect;
        // Conflicts: rows with exactly the same inputs and different outputs.
        let mut conflict_pairs = BTreeSet::new();
        if single && self.cuts.len() == self.t.dims.len() {
            let mut by_region: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, r) in self.t.rules.iter().enumerate() {
                by_region.entry(self.t.region_key(r)).or_default().push(i);
            }
            let mut groups: Vec<Vec<usize>> = by_region.into_values().collect();
            groups.sort();
            for g in groups {
                for (k, a) in g.iter().enumerate() {
                    for b in g.iter().skip(k + 1) {
                        let (ra, rb) = (self.t.rules.get(*a), self.t.rules.get(*b));
                        let (Some(ra), Some(rb)) = (ra, rb) else {
                            continue;
                        };
                        if ra.outputs == rb.outputs || conflict_pairs.len() >= LISTED {
                            continue;
                        }
                        conflict_pairs.insert((*a, *b));
                        let w = self.rule_witness(*a);
                        let diff: Vec<String> = ra
                            .outputs
                            .iter()
                            .zip(&rb.outputs)
                            .enumerate()
                            .filter(|(_, (x, y))| x != y)
                            .map(|(i, (x, y))| format!("{} `{x}` vs `{y}`", self.out_name(i)))
                            .collect();
                        findings.push(Finding {
                            check: Check::Conflict,
                            severity: Severity::Error,
                            path: format!("rows[{b}]"),
                            rows: vec![a + 1, b + 1],
                            message: format!(
                                "rows {} and {} match exactly the same inputs but give different outputs ({}), such as {}",
                                a + 1,
                                b + 1,
                                diff.join(", "),
                                self.describe(&w)
                            ),
                            witness: Some(self.witness_json(&w)),
                        });
                    }
                }
            }
        }
        if policy == HitPolicy::Unique {
            let mut shown = 0;
            for ((a, b), w) in &self.overlaps {
                if conflict_pairs.contains(&(*a, *b)) {
                    continue;
                }
                if shown == LISTED {
                    break;
                }
                shown += 1;
                findings.push(Finding {
                    check: Check::Overlap,
                    severity: Severity::Error,
                    path: format!("rows[{b}]"),
                    rows: vec![a + 1, b + 1],
                    message: format!(
                        "rows {} and {} overlap under hit policy `unique`: both match {}",
                        a + 1,
                        b + 1,
                        self.describe(w)
                    ),
                    witness: Some(self.witness_json(w)),
                });
            }
            let more = self
                .overlaps
                .len()
                .saturating_sub(shown + conflict_pairs.len());
            if more > 0 || self.overlaps_more {
                findings.push(Finding {
                    check: Check::Overlap,
                    severity: Severity::Error,
                    path: "rows".into(),
                    rows: Vec::new(),
                    message: format!(
                        "{} more overlapping pair(s) of rows",
                        if self.overlaps_more {
                            format!("{more} or")
                        } else {
                            more.to_string()
                        }
                    ),
                    witness: None,
                });
            }
        }
        let complete = !self.cut_short;
        if complete && single && policy != HitPolicy::Unique {
            let mut listed = 0;
            for (r, answered) in self.answers.iter().enumerate() {
                if *answered || listed >= LISTED {
                    continue;
                }
                let Some((w, winner)) = self.lost.get(r).cloned().flatten() else {
                    continue;
                };
                if conflict_pairs.iter().any(|(_, b)| *b == r) {
                    continue;
                }
                listed += 1;
                let by: Vec<String> = self
                    .beaten_by
                    .get(r)
                    .map(|s| s.iter().map(|i| (i + 1).to_string()).collect())
                    .unwrap_or_default();
                let how = if policy == HitPolicy::First {
                    "every input it matches is taken by earlier row(s)"
                } else {
                    "wherever it matches, row(s) ranking higher answer:"
                };
                findings.push(Finding {
                    check: Check::Unreachable,
                    severity: Severity::Error,
                    path: format!("rows[{r}]"),
                    rows: std::iter::once(r + 1)
                        .chain(self.beaten_by.get(r).into_iter().flatten().map(|i| i + 1))
                        .collect(),
                    message: format!(
                        "row {} never answers under hit policy `{}`: {how} {} (at {}, row {} answers)",
                        r + 1,
                        policy.name(),
                        by.join(", "),
                        self.describe(&w),
                        winner + 1
                    ),
                    witness: Some(self.witness_json(&w)),
                });
            }
        }
        gap_listing(&self, gaps, &mut findings);
        if complete && policy != HitPolicy::Unique {
            let mut listed = 0;
            for (r, answered) in self.answers.iter().enumerate() {
                let matters = self.matters.get(r).copied().unwrap_or(true);
                if !answered || matters || listed >= LISTED {
                    continue;
                }
                let Some((w, other)) = self.same_as.get(r).cloned().flatten() else {
                    continue;
                };
                listed += 1;
                findings.push(Finding {
                    check: Check::Redundant,
                    severity: Severity::Warning,
                    path: format!("rows[{r}]"),
                    rows: vec![r + 1, other + 1],
                    message: format!(
                        "row {} is redundant: deleting it changes no answer{} (at {}, row {} gives the same outputs)",
                        r + 1,
                        if policy == HitPolicy::Collect {
                            " (every input it matches gets its outputs from another row too)"
                        } else {
                            ""
                        },
                        self.describe(&w),
                        other + 1
                    ),
                    witness: Some(self.witness_json(&w)),
                });
            }
        }
        if !complete {
            findings.push(Finding {
                check: Check::CutShort,
                severity: Severity::Warning,
                path: "rows".into(),
                rows: Vec::new(),
                message: format!(
                    "the static checks stopped at their limit of {} steps ({} input-space parts examined): overlaps and gaps beyond were not looked for, unreachable and redundant rows not checked",
                    self.budget,
                    self.parts
                ),
                witness: None,
            });
        }
        findings.sort_by_key(|f| (f.severity == Severity::Warning, f.check == Check::CutShort));
        Report {
            findings,
            complete,
            steps: self.steps,
            parts: self.parts,
        }
    }

    fn out_name(&self, i: usize) -> String {
        self.t
            .out_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("output {}", i + 1))
    }

    /// An input row `r` matches: the first cell of each input it accepts.
    fn rule_witness(&self, r: usize) -> Vec<Scalar> {
        self.cuts
            .iter()
            .map(|cut| {
                cut.classes
                    .iter()
                    .filter(|(_, bits)| bit(bits, r))
                    .filter_map(|(cells, _)| cells.first())
                    .min()
                    .and_then(|c| cut.elems.get(*c))
                    .map_or(Scalar::Index(0), |e| e.witness)
            })
            .collect()
    }
}

/// Lists the gaps found.
fn gap_listing(s: &Sweep<'_>, policy: GapPolicy, findings: &mut Vec<Finding>) {
    let severity = match policy {
        GapPolicy::Error => Severity::Error,
        GapPolicy::Warn => Severity::Warning,
    };
    let hint = match policy {
        GapPolicy::Error => " (add rows for them, or set `gaps = \"warn\"`)",
        GapPolicy::Warn => " (such inputs get no outputs)",
    };
    for g in &s.gaps {
        let w = s.witness(&g.0);
        findings.push(Finding {
            check: Check::Gap,
            severity,
            path: "rows".into(),
            rows: Vec::new(),
            message: format!(
                "no row matches {}, such as {}{hint}",
                s.describe_region(g),
                s.describe(&w)
            ),
            witness: Some(s.witness_json(&w)),
        });
    }
    let more = s.gap_count.saturating_sub(s.gaps.len() as u64);
    if more > 0 {
        findings.push(Finding {
            check: Check::Gap,
            severity,
            path: "rows".into(),
            rows: Vec::new(),
            message: format!("{more} more region(s) of inputs match no row{hint}"),
            witness: None,
        });
    }
}

fn point(r: &Range) -> bool {
    matches!((r.lo, r.hi), (Bound::Closed(a), Bound::Closed(b)) if a == b)
}

/// The cells of an ordered input merged into ranges where they touch.
fn merge_cells(cut: &Cut, cells: &[usize]) -> Vec<Range> {
    let mut out: Vec<Range> = Vec::new();
    let mut prev: Option<usize> = None;
    for &c in cells {
        let Some(r) = cut.elems.get(c).and_then(|e| e.range) else {
            continue;
        };
        match (out.last_mut(), prev) {
            (Some(last), Some(p)) if p + 1 == c => last.hi = r.hi,
            _ => out.push(r),
        }
        prev = Some(c);
    }
    out
}
