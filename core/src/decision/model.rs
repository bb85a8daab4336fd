//! The decision-table file as written (serde model), its validation, and its compiled form:
//! each row as one exact set of values per input.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cell::{self, Bound, Cell, InputType, OutValue, Parsed, Range, RangeSet};
use crate::decimal::excerpt;
use crate::rubric::{Problems, Validate};

/// The `kind` every decision-table file declares.
pub const KIND: &str = "decision";

/// At most this many rows in a table.
pub const MAX_ROWS: usize = 10_000;
/// At most this many inputs, and at most this many outputs.
pub const MAX_COLUMNS: usize = 32;
/// At most this many values in an enum input, and items in one cell's list.
pub const MAX_VALUES: usize = 1_000;

/// How many rows may match one input, as in DMN decision tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitPolicy {
    /// The first matching row, in file order, answers. A row that never answers (every
    /// input it matches is taken by earlier rows) is an error.
    First,
    /// At most one row matches any input: overlapping rows are an error.
    Unique,
    /// Every matching row answers, in file order.
    Collect,
    /// The matching row whose outputs rank highest answers: outputs that list `values`
    /// rank by their order there (first is highest), compared column by column; equal ranks
    /// go to the earlier row. A row that never answers is an error.
    Priority,
}

impl HitPolicy {
    pub(crate) fn name(self) -> &'static str {
        match self {
            HitPolicy::First => "first",
            HitPolicy::Unique => "unique",
            HitPolicy::Collect => "collect",
            HitPolicy::Priority => "priority",
        }
    }
}

/// What inputs that match no row are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum GapPolicy {
    /// A gap is an error: the table does not load. The default.
    #[default]
    Error,
    /// A gap is a warning; such inputs get no outputs.
    Warn,
}

/// A decision-table file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionFile {
    /// Always `"decision"`.
    pub kind: String,
    /// Stable identifier.
    pub id: String,
    /// Version of the rules.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the table encodes.
    pub source: String,
    /// Free text for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `first`, `unique`, `collect` or `priority`.
    pub hit_policy: HitPolicy,
    /// Whether inputs matching no row are an `error` (default) or a `warn`ing.
    #[serde(default)]
    pub gaps: GapPolicy,
    /// The columns rows test.
    pub inputs: Vec<InputSpec>,
    /// The columns rows give.
    pub outputs: Vec<OutputSpec>,
    /// The rules, in file order.
    pub rows: Vec<RowSpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// One input column.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// The field name on an input row (`employees`, `nps`).
    pub name: String,
    /// `number`, `integer`, `date`, `duration`, `enum` or `boolean`.
    #[serde(rename = "type")]
    pub ty: InputType,
    /// An enum's values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// An ordered input's valid values, as a range (`[1, ..)`, `[0, 10]`): a value outside
    /// is a row error, and the gap check covers exactly this range. Default: every value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The value assumed when an input row does not give one; without it, the row must.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Cell>,
    /// What it means, for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One output column.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// The name in answers (`segment`, `owner`, `urgency`).
    pub name: String,
    /// The values rows may give, in priority order (first is highest) for the `priority`
    /// hit policy. Empty: any value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// What it means, for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One rule.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    /// Input name -> cell: a value, a range (`[1000, ..)`, `(7, 8]`), a comparison
    /// (`>= 7`), a list of those (any of them), or `any` / `-`. An input a row leaves out
    /// is `any`.
    #[serde(default)]
    pub inputs: BTreeMap<String, Cell>,
    /// Output name -> value; every output is given.
    pub outputs: BTreeMap<String, OutValue>,
    /// The seed's words for the rule, for readers and answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A value of one input on the exact scale: a point of an ordered type, or the index of an
/// enum value (booleans: 0 `false`, 1 `true`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Scalar {
    Point(Decimal),
    Index(usize),
}

/// A compiled input.
#[derive(Clone, Debug)]
pub(crate) struct Dim {
    pub name: String,
    pub ty: InputType,
    /// Ordered types: the valid values.
    pub domain: Range,
    /// Enum values (booleans: `false`, `true`).
    pub values: Vec<String>,
    pub default: Option<Scalar>,
}

/// The set of values a row accepts for one input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Set {
    /// Every value of the domain.
    Any,
    /// Ordered inputs: a normalized, non-empty part of the domain.
    Ranges(RangeSet),
    /// Enum and boolean inputs: which values (by index); at least one, not all.
    Values(Vec<bool>),
}

impl Set {
    pub fn contains(&self, v: Scalar) -> bool {
        match (self, v) {
            (Set::Any, _) => true,
            (Set::Ranges(r), Scalar::Point(p)) => r.contains(p),
            (Set::Values(vals), Scalar::Index(i)) => vals.get(i).copied().unwrap_or(false),
            _ => false,
        }
    }
}

/// A compiled row.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    /// One set per input, in input order.
    pub sets: Vec<Set>,
    /// One value per output, in output order.
    pub outputs: Vec<OutValue>,
    /// The priority rank (per output listing `values`, the value's position).
    pub rank: Vec<usize>,
}

/// A compiled table.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    pub dims: Vec<Dim>,
    pub rules: Vec<Rule>,
    pub policy: HitPolicy,
    /// The output names, in output order.
    pub out_names: Vec<String>,
}

impl Dim {
    /// A value of this input as the user writes it.
    pub fn show(&self, v: Scalar) -> String {
        match v {
            Scalar::Point(p) => cell::format_point(self.ty, p),
            Scalar::Index(i) => self.values.get(i).cloned().unwrap_or_default(),
        }
    }

    /// A value of this input as JSON, as an input row gives it (numbers as exact strings).
    pub fn json(&self, v: Scalar) -> serde_json::Value {
        match (self.ty, v) {
            (InputType::Boolean, Scalar::Index(i)) => serde_json::Value::Bool(i == 1),
            _ => serde_json::Value::String(self.show(v)),
        }
    }

    /// Reads one literal value (a default, an enum cell), checked against the domain.
    pub fn parse_value(&self, cell: &Cell) -> Result<Scalar, String> {
        let v = self.parse_raw(cell)?;
        self.check_domain(v)
    }

    /// Reads one value of this input's type (an input row's cell), domain not checked.
    pub fn parse_raw(&self, cell: &Cell) -> Result<Scalar, String> {
        Ok(match (self.ty, cell) {
            (InputType::Boolean, Cell::Bool(b)) => Scalar::Index(usize::from(*b)),
            (InputType::Boolean, Cell::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => Scalar::Index(1),
                "false" | "no" | "0" => Scalar::Index(0),
                _ => return Err(format!("`{}` is not `true` or `false`", excerpt(t))),
            },
            (InputType::Boolean, Cell::Number(n)) if n.0 == Decimal::ONE => Scalar::Index(1),
            (InputType::Boolean, Cell::Number(n)) if n.0.is_zero() => Scalar::Index(0),
            (InputType::Enum, Cell::Text(_) | Cell::Number(_) | Cell::Bool(_)) => {
                let t = match cell {
                    Cell::Text(t) => t.trim().to_string(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Bool(b) => b.to_string(),
                    Cell::List(_) => String::new(),
                };
                match self.values.iter().position(|v| *v == t) {
                    Some(i) => Scalar::Index(i),
                    None => {
                        return Err(format!(
                            "`{}` is not one of: {}",
                            excerpt(&t),
                            self.values.join(", ")
                        ))
                    }
                }
            }
            (ty, Cell::Number(n)) if ty == InputType::Number || ty == InputType::Integer => {
                Scalar::Point(cell::parse_point(ty, &n.to_string())?)
            }
            (ty, Cell::Text(t)) if ty.ordered() => Scalar::Point(cell::parse_point(ty, t)?),
            (ty, other) => {
                return Err(format!(
                    "`{}` is not {}",
                    excerpt(&serde_json::to_string(other).unwrap_or_default()),
                    ty.what()
                ))
            }
        })
    }

    /// `v`, when it is in the domain.
    pub fn check_domain(&self, v: Scalar) -> Result<Scalar, String> {
        match v {
            Scalar::Point(p) if !self.domain.contains(p) => Err(format!(
                "`{}` is outside the input's domain `{}`",
                self.show(v),
                cell::format_range(self.ty, &self.domain)
            )),
            _ => Ok(v),
        }
    }

    /// A row's set for this input in the cell syntax (`[1000, ..)`, `[gold, silver]`).
    pub fn show_set(&self, s: &Set) -> String {
        match s {
            Set::Any => "any".into(),
            Set::Ranges(r) => {
                let parts: Vec<String> =
                    r.0.iter().map(|x| cell::format_range(self.ty, x)).collect();
                match parts.as_slice() {
                    [one] => one.clone(),
                    _ => format!("[{}]", parts.join(", ")),
                }
            }
            Set::Values(mask) => {
                let vals: Vec<&str> = self
                    .values
                    .iter()
                    .zip(mask)
                    .filter(|(_, on)| **on)
                    .map(|(v, _)| v.as_str())
                    .collect();
                match vals.as_slice() {
                    [one] => (*one).to_string(),
                    _ => format!("[{}]", vals.join(", ")),
                }
            }
        }
    }
}

impl Validate for DecisionFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        compile(self, p);
    }
}

fn compile_dims(file: &DecisionFile, p: &mut Problems) -> Vec<Dim> {
    if file.inputs.is_empty() {
        p.push("inputs", "declare at least one input");
    }
    if file.inputs.len() > MAX_COLUMNS {
        p.push(
            "inputs",
            format!("{} inputs: at most {MAX_COLUMNS}", file.inputs.len()),
        );
    }
    let mut names = BTreeSet::new();
    let mut dims = Vec::new();
    for (i, spec) in file.inputs.iter().enumerate() {
        let at = format!("inputs[{i}]");
        if spec.name.trim().is_empty() || spec.name == "id" {
            p.push(
                format!("{at}.name"),
                "an input needs a name other than `id` (the row's id)",
            );
        } else if !names.insert(spec.name.as_str()) {
            p.push(
                format!("{at}.name"),
                format!("`{}` is declared twice", excerpt(&spec.name)),
            );
        }
        let values = match spec.ty {
            InputType::Enum => {
                if spec.values.is_empty() {
                    p.push(format!("{at}.values"), "list the enum's values");
                }
                if spec.values.len() > MAX_VALUES {
                    p.push(
                        format!("{at}.values"),
                        format!("{} values: at most {MAX_VALUES}", spec.values.len()),
                    );
                }
                let mut seen = BTreeSet::new();
                for (k, v) in spec.values.iter().enumerate() {
                    if v.trim() != v || v.is_empty() || v == "any" || v == "-" {
                        p.push(
                            format!("{at}.values[{k}]"),
                            format!("`{}`: a value is non-empty text without surrounding spaces, other than `any` and `-`", excerpt(v)),
                        );
                    } else if !seen.insert(v.as_str()) {
                        p.push(
                            format!("{at}.values[{k}]"),
                            format!("`{}` is listed twice", excerpt(v)),
                        );
                    }
                }
                spec.values.clone()
            }
            InputType::Boolean => vec!["false".to_string(), "true".to_string()],
            _ => Vec::new(),
        };
        if spec.ty != InputType::Enum && !spec.values.is_empty() {
            p.push(
                format!("{at}.values"),
                "only an enum input lists `values` (ordered inputs take a `domain`)",
            );
        }
        let mut domain = cell::default_domain(spec.ty);
        if let Some(d) = &spec.domain {
            if !spec.ty.ordered() {
                p.push(
                    format!("{at}.domain"),
                    "only number, integer, date and duration inputs take a `domain`",
                );
            } else {
                match cell::parse_ordered(spec.ty, &Cell::Text(d.clone())) {
                    Ok(Parsed::Range(r)) => {
                        let set = RangeSet::build(&[r], &domain, spec.ty.discrete());
                        match set.0.as_slice() {
                            [one] => domain = *one,
                            _ => p.push(
                                format!("{at}.domain"),
                                format!("`{}` holds no value", excerpt(d)),
                            ),
                        }
                    }
                    Ok(Parsed::Any) => {}
                    Err(e) => p.push(format!("{at}.domain"), e),
                }
            }
        }
        let mut dim = Dim {
            name: spec.name.clone(),
            ty: spec.ty,
            domain,
            values,
            default: None,
        };
        if let Some(d) = &spec.default {
            match dim.parse_value(d) {
                Ok(v) => dim.default = Some(v),
                Err(e) => p.push(format!("{at}.default"), e),
            }
        }
        dims.push(dim);
    }
    dims
}

/// The set a cell stands for, or problems at the cell's path (`rows[3].inputs.nps`, and
/// `[k]` for a list item).
fn compile_cell(dim: &Dim, cell: &Cell, at: &str, p: &mut Problems) -> Option<Set> {
    let items = cell.items();
    if items.is_empty() {
        p.push(
            at,
            "an empty list matches nothing: list values, or write `any`",
        );
        return None;
    }
    if items.len() > MAX_VALUES {
        p.push(
            at,
            format!("{} items: at most {MAX_VALUES} in one cell", items.len()),
        );
        return None;
    }
    let listed = matches!(cell, Cell::List(_));
    let item_at = |k: usize| {
        if listed {
            format!("{at}[{k}]")
        } else {
            at.to_string()
        }
    };
    let before = p.len();
    if dim.ty.ordered() {
        let mut ranges = Vec::new();
        for (k, item) in items.iter().enumerate() {
            match cell::parse_ordered(dim.ty, item) {
                Ok(Parsed::Any) => return Some(Set::Any),
                Ok(Parsed::Range(r)) => {
                    let alone = RangeSet::build(&[r], &dim.domain, dim.ty.discrete());
                    if alone.is_empty() {
                        p.push(
                            item_at(k),
                            format!(
                                "`{}` matches no value of `{}` (domain `{}`{})",
                                cell::format_range(dim.ty, &r),
                                dim.name,
                                cell::format_range(dim.ty, &dim.domain),
                                if dim.ty.discrete() {
                                    ", whole steps"
                                } else {
                                    ""
                                }
                            ),
                        );
                    }
                    ranges.push(r);
                }
                Err(e) => p.push(item_at(k), e),
            }
        }
        if p.len() > before {
            return None;
        }
        let set = RangeSet::build(&ranges, &dim.domain, dim.ty.discrete());
        let whole = RangeSet::build(&[dim.domain], &Range::ALL, dim.ty.discrete());
        Some(if set == whole {
            Set::Any
        } else {
            Set::Ranges(set)
        })
    } else {
        let mut mask = vec![false; dim.values.len()];
        for (k, item) in items.iter().enumerate() {
            if matches!(item, Cell::Text(t) if t.trim() == "any" || t.trim() == "-") {
                return Some(Set::Any);
            }
            match dim.parse_value(item) {
                Ok(Scalar::Index(i)) => {
                    if let Some(m) = mask.get_mut(i) {
                        *m = true;
                    }
                }
                Ok(Scalar::Point(_)) => {}
                Err(e) => p.push(item_at(k), e),
            }
        }
        if p.len() > before {
            return None;
        }
        Some(if mask.iter().all(|m| *m) {
            Set::Any
        } else {
            Set::Values(mask)
        })
    }
}

/// Compiles a file that parsed: every problem is pushed with its rubric path; the result
/// is only meaningful when none was.
pub(crate) fn compile(file: &DecisionFile, p: &mut Problems) -> Compiled {
    let dims = compile_dims(file, p);
    if file.outputs.is_empty() {
        p.push("outputs", "declare at least one output");
    }
    if file.outputs.len() > MAX_COLUMNS {
        p.push(
            "outputs",
            format!("{} outputs: at most {MAX_COLUMNS}", file.outputs.len()),
        );
    }
    let mut out_names = BTreeSet::new();
    for (i, o) in file.outputs.iter().enumerate() {
        if o.name.trim().is_empty() || !out_names.insert(o.name.as_str()) {
            p.push(
                format!("outputs[{i}].name"),
                format!("output `{}` must have a name, used once", excerpt(&o.name)),
            );
        }
    }
    if file.hit_policy == HitPolicy::Priority && file.outputs.iter().all(|o| o.values.is_empty()) {
        p.push(
            "hit_policy",
            "hit policy `priority` ranks rows by their outputs: list the `values` of at least one output, highest first",
        );
    }
    if file.rows.is_empty() {
        p.push("rows", "list at least one row");
    }
    if file.rows.len() > MAX_ROWS {
        p.push(
            "rows",
            format!("{} rows: at most {MAX_ROWS}", file.rows.len()),
        );
        return Compiled {
            dims,
            rules: Vec::new(),
            policy: file.hit_policy,
            out_names: Vec::new(),
        };
    }
    let mut rules = Vec::with_capacity(file.rows.len());
    for (r, row) in file.rows.iter().enumerate() {
        for name in row.inputs.keys() {
            if !dims.iter().any(|d| &d.name == name) {
                p.push(
                    format!("rows[{r}].inputs.{name}"),
                    format!(
                        "`{}` is not a declared input (add it to `[[inputs]]`)",
                        excerpt(name)
                    ),
                );
            }
        }
        let sets: Vec<Set> = dims
            .iter()
            .map(|d| match row.inputs.get(&d.name) {
                None => Set::Any,
                Some(c) => compile_cell(d, c, &format!("rows[{r}].inputs.{}", d.name), p)
                    .unwrap_or(Set::Any),
            })
            .collect();
        for name in row.outputs.keys() {
            if !file.outputs.iter().any(|o| &o.name == name) {
                p.push(
                    format!("rows[{r}].outputs.{name}"),
                    format!(
                        "`{}` is not a declared output (add it to `[[outputs]]`)",
                        excerpt(name)
                    ),
                );
            }
        }
        let mut outputs = Vec::with_capacity(file.outputs.len());
        let mut rank = Vec::new();
        for o in &file.outputs {
            let at = format!("rows[{r}].outputs.{}", o.name);
            let Some(v) = row.outputs.get(&o.name) else {
                p.push(
                    format!("rows[{r}].outputs"),
                    format!("give output `{}`", excerpt(&o.name)),
                );
                continue;
            };
            if !o.values.is_empty() {
                let text = v.to_string();
                match o.values.iter().position(|x| *x == text) {
                    Some(k) => rank.push(k),
                    None => p.push(
                        at,
                        format!(
                            "`{}` is not one of the output's values: {}",
                            excerpt(&text),
                            o.values.join(", ")
                        ),
                    ),
                }
            }
            outputs.push(v.clone());
        }
        rules.push(Rule {
            sets,
            outputs,
            rank,
        });
    }
    Compiled {
        dims,
        rules,
        policy: file.hit_policy,
        out_names: file.outputs.iter().map(|o| o.name.clone()).collect(),
    }
}

impl Compiled {
    /// The rows matching `values` (one per input), in file order.
    pub fn matching(&self, values: &[Scalar]) -> Vec<usize> {
        self.rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.sets.iter().zip(values).all(|(s, v)| s.contains(*v)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The row that answers among `matching` (file order) under a single-hit policy:
    /// `first` the earliest, `priority` the highest rank (then the earliest); `None` when
    /// nothing matches. `unique` and `collect` answer with the earliest too (callers check
    /// uniqueness themselves).
    pub fn winner(&self, matching: &[usize]) -> Option<usize> {
        match self.policy {
            HitPolicy::Priority => matching.iter().copied().min_by(|a, b| {
                let ra = self.rules.get(*a).map(|r| &r.rank);
                let rb = self.rules.get(*b).map(|r| &r.rank);
                ra.cmp(&rb).then(a.cmp(b))
            }),
            _ => matching.first().copied(),
        }
    }

    /// A canonical text of a row's inputs: two rows match exactly the same inputs when
    /// their keys are equal.
    pub fn region_key(&self, rule: &Rule) -> String {
        let mut key = String::new();
        for (d, s) in self.dims.iter().zip(&rule.sets) {
            key.push('|');
            match s {
                Set::Any => key.push('*'),
                Set::Ranges(r) => {
                    for range in &r.0 {
                        key.push_str(&cell::format_range(d.ty, &normalized(range)));
                        key.push(';');
                    }
                }
                Set::Values(v) => {
                    for (i, on) in v.iter().enumerate() {
                        if *on {
                            key.push_str(&i.to_string());
                            key.push(',');
                        }
                    }
                }
            }
        }
        key
    }
}

fn normalized(r: &Range) -> Range {
    let n = |b: Bound| match b {
        Bound::Closed(v) => Bound::Closed(v.normalize()),
        Bound::Open(v) => Bound::Open(v.normalize()),
        Bound::Unbounded => Bound::Unbounded,
    };
    Range {
        lo: n(r.lo),
        hi: n(r.hi),
    }
}
