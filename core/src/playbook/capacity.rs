//! CSM capacity and coverage: accounts-per-role ratios to headcount, a roster compared with
//! it, uncovered and overloaded owners, and the standard/strategic split.
//!
//! For a role whose ratio is `low-high` accounts per person and `n` accounts it serves, the
//! headcount needed is `ceil(n / high)` with everyone carrying the most accounts
//! (`min_headcount`) and `ceil(n / low)` with everyone carrying the fewest
//! (`max_headcount`), in exact integer arithmetic (`(n + d - 1) / d`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::PlaybookError;
use crate::decimal::Dec;
use crate::input::Record;
use crate::rubric::{self, Format, Problems, RubricError, Stamp, Validate};

/// The `kind` every capacity file declares.
pub const CAPACITY_KIND: &str = "capacity";

/// A capacity file, as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityRatiosFile {
    /// Always `"capacity"`.
    pub kind: String,
    /// Stable identifier.
    pub id: String,
    /// Version of the ratios.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The seed document and section the ratios encode.
    pub source: String,
    /// Free text for readers.
    #[serde(default)]
    pub description: Option<String>,
    /// The roles with their ratios.
    pub roles: Vec<RoleSpec>,
    /// The customer tiers of the portfolio split (seed 004's 80/20), with owners and cadence.
    #[serde(default)]
    pub tiers: Vec<TierSpec>,
    /// Self-test examples, run by `csrubric test` (see [`crate::selftest::Case`]).
    #[serde(default)]
    pub examples: Vec<crate::selftest::Case>,
}

/// A role and the accounts it serves.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// The role, as written in the roster's `role` column.
    pub role: String,
    /// Serves the accounts of this segment (the portfolio's `segment` column).
    #[serde(default)]
    pub segment: Option<String>,
    /// Serves the accounts in implementation (`implementing = true`), concurrently.
    #[serde(default)]
    pub implementing: bool,
    /// Accounts per person `[low, high]`.
    pub accounts: [u32; 2],
}

/// A customer tier of the portfolio split.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// The tier (the portfolio's `tier` column).
    pub name: String,
    /// Target share of accounts, in percent.
    pub share: Dec,
    /// Who owns these accounts.
    pub owner: String,
    /// The engagement model and cadence.
    pub cadence: String,
    /// Touch points in order (seed 004 "Touch Point Cadence"), for the account owners.
    #[serde(default)]
    pub touch_points: Vec<String>,
}

/// One account of a portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The account's id.
    pub id: String,
    /// 1-based input row (0 when built in code).
    pub row: usize,
    /// Its segment.
    pub segment: String,
    /// Its tier in the split, when given.
    pub tier: Option<String>,
    /// True while in implementation.
    pub implementing: bool,
    /// Its CSM (a roster name), when assigned.
    pub csm: Option<String>,
}

impl Account {
    /// A portfolio row: `id`, `segment`, optional `tier`, `implementing` (true/false, yes/no,
    /// 1/0) and `csm`.
    ///
    /// # Errors
    /// [`PlaybookError::Input`] naming the row when `segment` is missing or `implementing`
    /// is not a yes/no.
    ///
    /// # Example
    /// ```
    /// use csrubric::input::{Record, Value};
    /// use csrubric::playbook::Account;
    /// let r = Record::new("A-1").with_value("segment", Value::Text("enterprise".into()));
    /// assert_eq!(Account::from_record(&r)?.segment, "enterprise");
    /// assert!(Account::from_record(&Record::new("A-2")).is_err());
    /// # Ok::<(), csrubric::playbook::PlaybookError>(())
    /// ```
    pub fn from_record(r: &Record) -> Result<Account, PlaybookError> {
        let at = if r.row > 0 {
            format!("row {} (`{}`)", r.row, r.id)
        } else {
            format!("`{}`", r.id)
        };
        let text = |c: &str| {
            r.text(c)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let segment = text("segment").ok_or_else(|| PlaybookError::Input {
            at: at.clone(),
            field: "segment".into(),
            message: "missing".into(),
        })?;
        let implementing = match text("implementing").map(|s| s.to_ascii_lowercase()) {
            None => false,
            Some(s) => match s.as_str() {
                "true" | "yes" | "1" => true,
                "false" | "no" | "0" => false,
                _ => {
                    return Err(PlaybookError::Input {
                        at,
                        field: "implementing".into(),
                        message: format!("`{s}` is not true/false"),
                    })
                }
            },
        };
        Ok(Account {
            id: r.id.clone(),
            row: r.row,
            segment,
            tier: text("tier"),
            implementing,
            csm: text("csm"),
        })
    }
}

/// A roster line: a person and their role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The person (as named in the portfolio's `csm` column).
    pub name: String,
    /// Their role (a role of the capacity file).
    pub role: String,
}

impl RosterEntry {
    /// A roster row: `id` (the name) and `role`.
    ///
    /// # Errors
    /// [`PlaybookError::Input`] when `role` is missing.
    pub fn from_record(r: &Record) -> Result<RosterEntry, PlaybookError> {
        let role = r
            .text("role")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| PlaybookError::Input {
                at: format!("row {} (`{}`)", r.row, r.id),
                field: "role".into(),
                message: "missing".into(),
            })?;
        Ok(RosterEntry {
            name: r.id.clone(),
            role,
        })
    }
}

/// Demand for one role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDemand {
    /// The role.
    pub role: String,
    /// Which accounts it serves (`segment = enterprise`, `implementing`).
    pub basis: String,
    /// How many accounts that is.
    pub accounts: u64,
    /// Accounts per person `[low, high]`.
    pub ratio: [u32; 2],
    /// `ceil(accounts / high)`: everyone at the high end of the ratio.
    pub min_headcount: u64,
    /// `ceil(accounts / low)`: everyone at the low end of the ratio.
    pub max_headcount: u64,
    /// People with this role on the roster, when a roster was given.
    pub roster: Option<u64>,
    /// `short`, `within` or `over`, when a roster was given.
    pub status: Option<String>,
}

/// An account nobody on the roster covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncovered {
    /// The account.
    pub account: String,
    /// Its segment.
    pub segment: String,
    /// Why.
    pub reason: String,
}

/// A person carrying more accounts than their role's ratio allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overloaded {
    /// The person.
    pub name: String,
    /// Their role.
    pub role: String,
    /// Accounts assigned.
    pub accounts: u64,
    /// The ratio's high end.
    pub limit: u32,
}

/// One tier of the portfolio split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitLine {
    /// The tier (`(none)` for accounts without a known tier).
    pub tier: String,
    /// Accounts in it.
    pub accounts: u64,
    /// Their share of the portfolio in percent, rounded half-even to 2 places.
    pub share: Dec,
    /// The target share, when the tier is in the file.
    pub target: Option<Dec>,
    /// Owner, from the file.
    pub owner: Option<String>,
    /// Cadence, from the file.
    pub cadence: Option<String>,
    /// Touch points, from the file.
    pub touch_points: Vec<String>,
}

/// Capacity of a portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityReport {
    /// The ratios' id, version and hash.
    pub ratios: Stamp,
    /// Accounts in the portfolio.
    pub accounts: u64,
    /// Demand per role, in file order.
    pub roles: Vec<RoleDemand>,
    /// Accounts without cover (only with a roster, or when unassigned or of an unknown segment).
    pub uncovered: Vec<Uncovered>,
    /// People above their ratio.
    pub overloaded: Vec<Overloaded>,
    /// The standard/strategic split.
    pub split: Vec<SplitLine>,
}

/// `ceil(n / d)` in integers; `d = 0` gives `n` (validation forbids it).
fn ceil_div(n: u64, d: u32) -> u64 {
    let d = u64::from(d);
    if d == 0 {
        return n;
    }
    n.div_ceil(d)
}

/// Loaded capacity ratios.
#[derive(Clone, Debug)]
pub struct CapacityRatios {
    file: CapacityRatiosFile,
    stamp: Stamp,
}

impl Validate for CapacityRatiosFile {
    fn validate(&self, p: &mut Problems) {
        crate::selftest::validate_cases(&self.examples, p);
        crate::rubric::validate_header(
            CAPACITY_KIND,
            &self.kind,
            &self.id,
            &self.version,
            &self.title,
            &self.source,
            p,
        );
        if self.roles.is_empty() {
            p.push("roles", "list at least one role");
        }
        let mut names = BTreeSet::new();
        let mut segments = BTreeSet::new();
        for (i, r) in self.roles.iter().enumerate() {
            if r.role.trim().is_empty() {
                p.push(format!("roles[{i}].role"), "must not be empty");
            }
            if !names.insert(r.role.as_str()) {
                p.push(
                    format!("roles[{i}].role"),
                    format!("`{}` is declared twice", r.role),
                );
            }
            match (&r.segment, r.implementing) {
                (Some(s), false) => {
                    if !segments.insert(s.as_str()) {
                        p.push(
                            format!("roles[{i}].segment"),
                            format!("segment `{s}` is served by two roles"),
                        );
                    }
                }
                (None, true) => {}
                _ => p.push(
                    format!("roles[{i}]"),
                    "give exactly one of `segment` and `implementing = true`",
                ),
            }
            let [lo, hi] = r.accounts;
            if lo == 0 || hi < lo {
                p.push(
                    format!("roles[{i}].accounts"),
                    format!("[{lo}, {hi}] must be ascending and at least 1"),
                );
            }
        }
        let mut tiers = BTreeSet::new();
        // `None` once the shares overflow a decimal (`+` would panic).
        let mut total = Some(Decimal::ZERO);
        for (i, t) in self.tiers.iter().enumerate() {
            if !tiers.insert(t.name.as_str()) {
                p.push(
                    format!("tiers[{i}].name"),
                    format!("`{}` is declared twice", t.name),
                );
            }
            if t.share.0 < Decimal::ZERO || t.share.0 > Decimal::ONE_HUNDRED {
                p.push(format!("tiers[{i}].share"), "must be between 0 and 100");
            }
            total = total.and_then(|s| s.checked_add(t.share.0));
        }
        if !self.tiers.is_empty() && total != Some(Decimal::ONE_HUNDRED) {
            let sum = total.map_or_else(|| "more than a decimal holds".into(), |t| t.to_string());
            p.push("tiers", format!("shares add up to {sum}, not 100"));
        }
    }
}

impl CapacityRatios {
    /// Loads a capacity file (`.toml` or `.json`).
    ///
    /// # Errors
    /// [`RubricError`] naming the file, the rubric path (`roles[1].accounts`) and the problem.
    ///
    /// # Example
    /// ```
    /// use csrubric::playbook::CapacityRatios;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-capacity.toml");
    /// let c = CapacityRatios::from_path(path.as_ref())?;
    /// assert_eq!(c.spec().roles[0].accounts, [5, 8]);
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<CapacityRatios, RubricError> {
        let (text, format) = rubric::read_file(path)?;
        Self::from_str_with_format(&path.display().to_string(), &text, format)
    }

    /// Loads ratios from text; `file` names it in errors.
    ///
    /// # Errors
    /// See [`CapacityRatios::from_path`].
    pub fn from_str_with_format(
        file: &str,
        text: &str,
        format: Format,
    ) -> Result<CapacityRatios, RubricError> {
        let parsed: CapacityRatiosFile = rubric::load(file, text, format)?;
        let stamp = Stamp::new(&parsed.id, &parsed.version, text.as_bytes());
        Ok(CapacityRatios {
            file: parsed,
            stamp,
        })
    }

    /// The file's id, version and hash.
    pub fn stamp(&self) -> &Stamp {
        &self.stamp
    }

    /// The file as written.
    pub fn spec(&self) -> &CapacityRatiosFile {
        &self.file
    }

    /// The capacity report of a portfolio, against a roster when given.
    ///
    /// # Example
    /// ```
    /// use csrubric::playbook::{Account, CapacityRatios};
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../rubrics/playbooks/slavkokernel-capacity.toml");
    /// let c = CapacityRatios::from_path(path.as_ref())?;
    /// let accounts: Vec<Account> = (0..17).map(|i| Account {
    ///     id: format!("A-{i}"), row: 0, segment: "enterprise".into(), tier: None,
    ///     implementing: false, csm: None,
    /// }).collect();
    /// let r = c.report(&accounts, None);
    /// // 17 enterprise accounts at 5-8 per CSM: ceil(17/8) = 3 to ceil(17/5) = 4 CSMs.
    /// assert_eq!((r.roles[0].min_headcount, r.roles[0].max_headcount), (3, 4));
    /// # Ok::<(), csrubric::rubric::RubricError>(())
    /// ```
    pub fn report(&self, accounts: &[Account], roster: Option<&[RosterEntry]>) -> CapacityReport {
        let f = &self.file;
        let serves = |r: &RoleSpec, a: &Account| {
            if r.implementing {
                a.implementing
            } else {
                r.segment.as_deref() == Some(a.segment.as_str())
            }
        };
        let roles = f
            .roles
            .iter()
            .map(|r| {
                let n = accounts.iter().filter(|a| serves(r, a)).count() as u64;
                let min_headcount = ceil_div(n, r.accounts[1]);
                let max_headcount = ceil_div(n, r.accounts[0]);
                let have =
                    roster.map(|list| list.iter().filter(|e| e.role == r.role).count() as u64);
                let status = have.map(|h| {
                    if h < min_headcount {
                        format!("short by {}", min_headcount - h)
                    } else if h > max_headcount {
                        format!("over by {}", h - max_headcount)
                    } else {
                        "within".to_string()
                    }
                });
                RoleDemand {
                    role: r.role.clone(),
                    basis: match &r.segment {
                        Some(s) if !r.implementing => format!("segment = {s}"),
                        _ => "implementing".into(),
                    },
                    accounts: n,
                    ratio: r.accounts,
                    min_headcount,
                    max_headcount,
                    roster: have,
                    status,
                }
            })
            .collect();
        // Coverage: the account's CSM must be on the roster in a role serving its segment.
        let segment_role = |a: &Account| {
            f.roles
                .iter()
                .find(|r| !r.implementing && r.segment.as_deref() == Some(a.segment.as_str()))
        };
        let mut uncovered = Vec::new();
        let mut load: BTreeMap<&str, u64> = BTreeMap::new();
        for a in accounts {
            let reason = match (segment_role(a), &a.csm) {
                (None, _) => Some(format!("no role serves segment `{}`", a.segment)),
                (Some(_), None) => Some("no CSM assigned".to_string()),
                (Some(role), Some(csm)) => {
                    *load.entry(csm.as_str()).or_default() += 1;
                    match roster.map(|list| list.iter().find(|e| &e.name == csm)) {
                        None => None,
                        Some(None) => Some(format!("CSM `{csm}` is not on the roster")),
                        Some(Some(e)) if e.role != role.role => {
                            Some(format!("CSM `{csm}` is `{}`, not `{}`", e.role, role.role))
                        }
                        Some(Some(_)) => None,
                    }
                }
            };
            if let Some(reason) = reason {
                uncovered.push(Uncovered {
                    account: a.id.clone(),
                    segment: a.segment.clone(),
                    reason,
                });
            }
        }
        let mut overloaded = Vec::new();
        if let Some(list) = roster {
            for e in list {
                let Some(role) = f.roles.iter().find(|r| r.role == e.role) else {
                    continue;
                };
                let n = load.get(e.name.as_str()).copied().unwrap_or(0);
                if n > u64::from(role.accounts[1]) {
                    overloaded.push(Overloaded {
                        name: e.name.clone(),
                        role: e.role.clone(),
                        accounts: n,
                        limit: role.accounts[1],
                    });
                }
            }
        }
        let total = accounts.len() as u64;
        let share = |n: u64| {
            if total == 0 {
                Dec(Decimal::ZERO)
            } else {
                Dec((Decimal::from(n) * Decimal::ONE_HUNDRED / Decimal::from(total)).round_dp(2))
            }
        };
        let mut split: Vec<SplitLine> = f
            .tiers
            .iter()
            .map(|t| {
                let n = accounts
                    .iter()
                    .filter(|a| a.tier.as_deref() == Some(t.name.as_str()))
                    .count() as u64;
                SplitLine {
                    tier: t.name.clone(),
                    accounts: n,
                    share: share(n),
                    target: Some(t.share),
                    owner: Some(t.owner.clone()),
                    cadence: Some(t.cadence.clone()),
                    touch_points: t.touch_points.clone(),
                }
            })
            .collect();
        if !f.tiers.is_empty() {
            let other = accounts
                .iter()
                .filter(|a| {
                    !f.tiers
                        .iter()
                        .any(|t| a.tier.as_deref() == Some(t.name.as_str()))
                })
                .count() as u64;
            if other > 0 {
                split.push(SplitLine {
                    tier: "(none)".into(),
                    accounts: other,
                    share: share(other),
                    target: None,
                    owner: None,
                    cadence: None,
                    touch_points: Vec::new(),
                });
            }
        }
        CapacityReport {
            ratios: self.stamp.clone(),
            accounts: total,
            roles,
            uncovered,
            overloaded,
            split,
        }
    }
}
