
/** A decimal number, exact, as a string (`"84.99"`). */
export type Decimal = string;

/** An instant: RFC 3339 with an offset (`"2026-11-23T10:00:00+01:00"`). A `Date` is accepted where an option takes one. */
export type Instant = string;

/** A day: `YYYY-MM-DD`. */
export type Day = string;

/** One input row: an `id` and its cells (numbers, numeric strings, text, booleans; `null` for missing). */
export interface InputRow {
  id: string | number;
  [column: string]: unknown;
}

/** One account: an `id` and its input columns (numbers, numeric strings, or null for missing). */
export interface Account extends InputRow {
  /** Manual overrides: `[{ component, score, author, reason, expires? } | { band, author, reason, expires? }]`. */
  overrides?: unknown[];
}

/** Equal-length columns, one of them `id`: `{ id: ["a", "b"], usage: Float64Array.of(8, 9) }`. */
export type Columns = Record<string, ArrayLike<unknown>>;

/** An operation's input: an array of row objects, an object of equal-length columns, or CSV text with a header row and an `id` column. */
export type Input = string | InputRow[] | Columns;

/** Where a result came from. */
export interface Stamp {
  id: string;
  version: string;
  /** `sha256:` and the hex digest of the rubric text. */
  hash: string;
}

/** A row that could not be processed: it stays in its place in the answer. */
export interface RowFailure {
  id: string | null;
  /** 1-based data row. */
  row: number;
  status: "error";
  error: { code: string; message: string };
}

/** A batch answer: one item per input row (or per result), each the operation's result or a failed row. */
export type Answer<T> = Array<T | RowFailure>;

// --- options -------------------------------------------------------------------------------

/** Every option object may name CSV text input in messages. */
export interface FileOption {
  /** Names CSV text input in error messages (`accounts.csv`). */
  file?: string;
}

/** Options of `Rubric.score` and `Rubric.scoreBatch`. */
export interface ScoreOptions extends FileOption {
  /** The instant overrides are judged at (RFC 3339 with an offset, or a Date). Default: now. */
  at?: Instant | Date;
  /** Full results (ledger, what-it-takes). Default: true for `score`, false for `scoreBatch`. */
  explain?: boolean;
}

/** Options of `sla`, `escalate` and `alerts`. */
export interface AtOptions extends FileOption {
  /** The instant to evaluate at (RFC 3339 with an offset, or a Date). Default: now. */
  at?: Instant | Date;
}

/** Options of `history`. */
export interface HistoryOptions extends FileOption {
  /** Days a missing input may take its last known value (0: never). */
  carryForwardDays?: number;
  /** Trend window in days. */
  windowDays?: number;
  /** Add each date's whole result (ledger) as `result`. */
  explain?: boolean;
}

export type Classification = "must_have" | "performance_enhancer" | "delighter" | "hygiene_factor" | "unclassified";

/** Options of `prioritize`. */
export interface PrioritizeOptions extends FileOption {
  /** Rank only the requests of this vertical. */
  vertical?: string;
  /** Keep only requests of this classification. */
  classification?: Classification;
  /** Keep only requests scoring at least this much. */
  minScore?: Decimal | number;
  /** Add each request's score relative to the best one. */
  relative?: boolean;
  /** Add each criterion's contribution, the classification detail and the verticals. */
  explain?: boolean;
}

/** Options of `renewals`. */
export interface RenewalsOptions extends FileOption {
  /** The day to schedule for. Default: today (UTC). */
  today?: Day;
  /** A bundled working-day calendar (`rubrics/calendars/business-hours-berlin.toml`), for business-day offsets. */
  calendar?: string;
}

/** Options of `plan` (a plan takes no input rows). */
export interface PlanOptions {
  /** The kickoff date (required). */
  kickoff: Day;
  /** An implementation package (or segment) of the template. */
  package?: string;
  /** An industry template. */
  industry?: string;
  /** A bundled working calendar; default: the template's. */
  calendar?: string;
  /** Report the plan's status on this day. */
  asOf?: Day;
  /** Activities already done (needs `asOf`). */
  done?: string[];
}

/** Options of `capacity`. */
export interface CapacityOptions extends FileOption {
  /** The people: rows with `id` (as named in the portfolio's `csm` column) and `role`. */
  roster?: InputRow[];
}

/** Options of `journey`. */
export interface JourneyOptions extends FileOption {
  /** The day to place accounts on. Default: today (UTC). */
  today?: Day;
  /** Seed 004's six stages (default) or seed 001's five phases. */
  map?: "cradle_to_grave" | "cradle-to-grave" | "slavko_kernel" | "slavkokernel";
}

/** Options of `rubric.run`: the core's option names, as `csrubric run --options` takes them (`min_score`, `as_of`, `carry_forward_days`...), plus `file`. */
export type RunOptions = Record<string, unknown> & FileOption;

/** The operations `rubric.run` knows (a rubric has those of its kind, see `rubric.ops`). */
export type Operation =
  | "score" | "history" | "backtest" | "business_time" | "sla" | "escalate" | "alerts" | "prioritize"
  | "renewals" | "kpi" | "plan" | "triage" | "capacity" | "interventions" | "test";

export type Kind =
  | "health" | "calendar" | "sla" | "escalation" | "alerts" | "priority" | "renewal" | "kpi"
  | "plan" | "triage" | "capacity" | "interventions";

// --- errors --------------------------------------------------------------------------------

/** One thing wrong with a rubric, at one place. */
export interface Problem {
  /** Rubric path, such as `components[2].weight` (`.` for the whole file). */
  path: string;
  message: string;
  /** 1-based line, when known (always for TOML). */
  line: number | null;
  /** 1-based column, when known. */
  column: number | null;
}

/**
 * Every error csrubric throws is an `Error` with a stable `code`, never a wasm trap:
 * - `rubric_syntax`, `rubric_invalid`, `rubric_format`, `rubric_io` (a bundled rubric or linked
 *   file that does not exist): with `problems`, and the first problem's `path`, `line`, `column`;
 * - `input_file`, `input_row`, `input_io` (input unusable as a whole; `row` when a row is named),
 *   `input_value` (a JavaScript value that cannot be data: a function, a cycle, unequal columns);
 * - `invalid_options` (unknown option, wrong type or value): `option` (as written) and `op`;
 * - `unsupported_operation` (the rubric's kind has no such operation): `ops`;
 * - a domain code for an operation that cannot run as a whole (`unknown_value`, `backtest`...);
 * - for `score`, the account's error (`not_a_number`, `out_of_scale`, `missing_input`...) with `id` and `row`;
 * - `invalid_argument` (an argument of the wrong type, such as a number for rubric text);
 * - `internal_panic`, `internal` (a bug).
 */
export interface CsrubricError extends Error {
  code: string;
  problems?: Problem[];
  path?: string;
  line?: number | null;
  column?: number | null;
  row?: number;
  id?: string | null;
  option?: string | null;
  op?: string;
  ops?: string[];
}

/** A rubric shipped with csrubric, see `bundledRubrics()`. */
export interface BundledRubric {
  /** `health/slavkokernel`, for `Rubric.bundled(name)`. */
  name: string;
  /** `rubrics/health/slavkokernel.toml`. */
  file: string;
  format: "toml" | "json";
  /** The rubric's `kind`, null if it has none. */
  kind: Kind | null;
  /** The file's text. */
  text: string;
}

// --- health --------------------------------------------------------------------------------

/** A band and its playbook. */
export interface Band {
  label: string;
  min: Decimal;
  action: string;
  owner: string;
  urgency: string;
}

/** An override as it stands in a result. */
export interface AppliedOverride {
  value: string;
  computed: string | null;
  author: string;
  reason: string;
  expires: string | null;
  counts: boolean;
}

/** One metric's line in the ledger. */
export interface MetricLedger {
  id: string;
  value: Decimal | null;
  score: Decimal | null;
  declared_weight: Decimal;
  effective_weight: Decimal;
}

/** One component's line in the ledger. */
export interface ComponentLedger {
  id: string;
  source: "direct" | "metrics" | "override" | "missing_renormalized" | "missing_zero" | "missing_fixed";
  input: Decimal | null;
  metrics?: MetricLedger[];
  computed_score: Decimal | null;
  score: Decimal | null;
  declared_weight: Decimal;
  effective_weight: Decimal;
  /** Points this component adds to the score (before rounding). */
  contribution: Decimal;
  override?: AppliedOverride;
}

/** The smallest change of one component that reaches the next band. */
export interface Lift {
  component: string;
  reachable: boolean;
  on: "input" | "component_score";
  current: Decimal | null;
  required: Decimal | null;
  change: Decimal | null;
  note?: string;
}

/** What it would take to reach the next band up. */
export interface WhatItTakes {
  next_band: string;
  next_band_min: Decimal;
  components: Lift[];
}

export type HealthStatus = "scored" | "insufficient_data";

/** The full result for one account (`explain: true`; `run("score")` has no `score_number`). */
export interface HealthResult {
  id: string;
  row: number;
  status: HealthStatus;
  /** The rounded score, exact. */
  score: Decimal | null;
  /** `score` as a JavaScript number, for charts and sorting (`score`/`scoreBatch` only). */
  score_number?: number | null;
  raw_score: Decimal | null;
  band: Band | null;
  computed_band: string | null;
  band_override: AppliedOverride | null;
  measured_weight: Decimal;
  components: ComponentLedger[];
  what_it_takes: WhatItTakes | null;
  /** Script alerts and gates, when the rubric has scripts. */
  [more: string]: unknown;
  rubric: Stamp;
}

/** The compact result for one account (what `csrubric score --format json` prints). */
export interface HealthSummary {
  id: string;
  row: number;
  status: HealthStatus;
  score: Decimal | null;
  /** `score` as a JavaScript number (`scoreBatch` only). */
  score_number?: number | null;
  band: string | null;
  action: string | null;
  owner: string | null;
  urgency: string | null;
  rubric: Stamp;
}

/** One row of a batch answer. */
export type HealthRow = HealthSummary | HealthResult | RowFailure;

/** A health rubric file's model, as loaded (decimals as strings). */
export interface HealthRubricSpec {
  kind: "health";
  id: string;
  version: string;
  title: string;
  source: string;
  description: string | null;
  scale: string;
  rounding: { decimals: number; mode: string };
  missing: Record<string, unknown>;
  components: Array<{
    id: string;
    label: string | null;
    description: string | null;
    weight: Decimal;
    direction: "higher_is_better" | "lower_is_better";
    missing: string | null;
    default: Decimal | null;
    metrics: Array<{
      id: string;
      label: string | null;
      unit: string | null;
      weight: Decimal;
      direction: "higher_is_better" | "lower_is_better";
      scoring: Record<string, unknown> & { type: "linear" | "steps" | "target" };
    }>;
  }>;
  bands: Array<{ min: Decimal; label: string; action: string; owner: string; urgency: string; description: string | null }>;
  /** The rubric's self-test examples: `{ name, inputs, expect }`. */
  examples?: Array<{ name: string; inputs: Record<string, unknown>; expect: Record<string, unknown> }>;
  [more: string]: unknown;
}

/** An alert of a score history. */
export interface HistoryAlert {
  id: string;
  message: string;
  protocol: string;
  owner: string;
  sla: string;
}

/** One date of one account's history. */
export interface HistoryEntry {
  id: string;
  row: number;
  date: Day;
  status: "scored" | "insufficient_data" | "error";
  score: Decimal | null;
  band: string | null;
  trend: { from: Day; from_score: Decimal; to_score: Decimal; delta: Decimal; direction: "up" | "down" | "flat" } | null;
  alerts: HistoryAlert[];
  /** Inputs carried forward: `[column, date of the value used]`. */
  carried?: Array<[string, Day]>;
  error?: { code: string; message: string };
  /** The whole result, with `explain`. */
  result?: HealthResult;
}

/** How well a health rubric separates churned from retained accounts. */
export interface BacktestAnswer {
  /** Probability that a retained account scores above a churned one (ties count half), exact. */
  auc: Decimal;
  pairs_won: number;
  pairs_tied: number;
  pairs: number;
  bands: Array<{ band: string; accounts: number; churned: number; churn_rate_pct: Decimal | null }>;
  scored: number;
  /** Accounts skipped: `[id, why]`. */
  skipped: Array<[string, string]>;
  failed: RowFailure[];
}

/** One account under two versions of a health rubric. */
export interface ShadowRow {
  id: string;
  current_band: string | null;
  candidate_band: string | null;
  band_changed: boolean;
  /** The full current result (its ledger), or `{ error }` when it could not be scored. */
  current: HealthResult | { error: { code: string; message: string } };
  candidate: HealthResult | { error: { code: string; message: string } };
}

// --- priority ------------------------------------------------------------------------------

/** One ranked enhancement request. */
export interface Ranked {
  id: string;
  row: number;
  rank: number;
  score: Decimal;
  classification: Classification;
  cross_vertical_tier: string | null;
  rubric: Stamp;
  /** With `relative`: the score relative to the best one. */
  relative?: Decimal;
  /** With `explain`. */
  raw_score?: Decimal;
  contributions?: Array<{ criterion: string; value: Decimal | null; source: string; effective: Decimal | null; weight: Decimal; contribution: Decimal }>;
  classification_detail?: { class: Classification; by: string; reason: string | null; kano: unknown };
  verticals?: Array<{ name: string; adaptation: string }>;
  submitted?: Day | null;
  [more: string]: unknown;
}

// --- escalation ----------------------------------------------------------------------------

/** An escalation matrix row a case matches. */
export interface LevelMatch {
  row: number;
  level: string;
  owner: string;
  within: string | null;
  deadline: Instant | null;
  matched: string[];
  criteria: string | null;
  communication: string | null;
}

/** One SLA target of a ticket. */
export interface SlaTarget {
  target: string;
  goal: string;
  state: "running" | "met" | "breached" | "paused" | string;
  due: Instant | null;
  met_at: Instant | null;
  breached_at: Instant | null;
  elapsed: string;
  remaining: string;
  remaining_seconds: number;
}

/** A ticket's SLA state. */
export interface SlaResult {
  id: string;
  row: number;
  tier: string;
  priority: string;
  at: Instant;
  calendar: string;
  targets: SlaTarget[];
  breached: string[];
  level: LevelMatch | null;
  next_escalation: { level: string; owner: string; at: Instant; reason: string } | null;
  policy: Stamp;
  [more: string]: unknown;
}

/** The escalation levels one case matches. */
export interface EscalationRow {
  id: string;
  row: number;
  hit_policy: "first" | "collect" | string;
  matches: LevelMatch[];
  /** Script criteria evaluated for this case (matrices with scripts). */
  scripts?: unknown[];
  matrix: Stamp;
}

/** The alerts one account triggers. */
export interface AlertsRow {
  id: string;
  row: number;
  alerts: Array<{ alert: string; title: string; owner: string; protocol: string; sla: string; due: Instant | null; because: string }>;
}

/** Working time of one interval (`start` + `end`, or `start` + `add`). */
export interface BusinessTime {
  id: string;
  row: number;
  start: Instant;
  end: Instant;
  working_time: string;
  working_seconds: number;
}

// --- lifecycle -----------------------------------------------------------------------------

/** One dated milestone of a contract's renewal schedule. */
export interface RenewalMilestone {
  milestone: string;
  label: string;
  due: Day;
  until: Day;
  owner: string;
  deliverable: string;
  activities: string[];
  status: "done" | "current" | "overdue" | "upcoming" | string;
}

/** One contract in the renewal pipeline. */
export interface RenewalResult {
  id: string;
  row: number;
  path: string;
  today: Day;
  renewal_date: Day;
  term: number;
  days_to_renewal: number;
  notice_deadline?: Day | null;
  days_to_notice_deadline?: number | null;
  current_milestone: string | null;
  next_milestone: string | null;
  next_due: Day | null;
  days_to_next: number | null;
  overdue: string[];
  schedule: RenewalMilestone[];
  rubric: Stamp;
}

/** One KPI value. */
export interface KpiValue {
  kpi: string;
  unit: string;
  value: Decimal | null;
  numerator: Decimal | null;
  denominator: Decimal | null;
  n: number;
  target: { op: string; value: Decimal; status: "met" | "missed" | string } | null;
  [more: string]: unknown;
}

/** Portfolio KPIs. */
export interface KpiAnswer {
  kpis: KpiValue[];
  /** Rows used. */
  rows: number;
  rejected: RowFailure[];
  rubric: Stamp;
}

/** One account's place on its journey. */
export interface JourneyRow {
  id: string;
  row: number;
  stage: { map: string; number: number; stage: string; owner: string; since: Day; until: Day | null; implementation_overdue: boolean };
  engagement: Record<string, string> | null;
  tier: "strategic" | "standard";
  advocacy: string | null;
  next_touch_point: { date: Day; kind: string; label: string; owner: string } | null;
}

// --- playbooks -----------------------------------------------------------------------------

/** A dated plan, with its status on `asOf`. */
export interface PlanAnswer {
  plan: {
    template: Stamp;
    kickoff: Day;
    start: Day;
    package: string | null;
    industry: string | null;
    weeks: [number, number];
    rule: string;
    planned_weeks: number;
    team: string[];
    go_live: Day;
    go_live_range: [Day, Day];
    phases: Array<{ phase: string; start: Day; due: Day; post_launch: boolean }>;
    activities: Array<{ activity: string; phase: string; start: Day; due: Day; owner: string; deliverable: string; from: string }>;
  };
  status: {
    as_of: Day;
    state: string;
    current_phase: string | null;
    late: Array<{ activity: string; phase: string; owner: string; due: Day; working_days_late: number }>;
    projected_go_live: Day;
    slip_working_days: number;
  } | null;
}

/** One ticket's triage. */
export interface TicketTriage {
  id: string;
  row: number;
  priority: string;
  priority_rule: number | null;
  priority_matched: string[];
  priority_criteria: string | null;
  team: string;
  owner: string;
  route_rule: number | null;
  route_matched: string[];
  fallback: boolean;
  warnings: string[];
  [more: string]: unknown;
}

/** CSM headcount for a portfolio. */
export interface CapacityAnswer {
  report: {
    ratios: Stamp;
    accounts: number;
    roles: Array<{ role: string; basis: string; accounts: number; ratio: [number, number]; min_headcount: number; max_headcount: number; roster: number | null; status: string | null }>;
    uncovered: Array<{ account: string; segment: string; reason: string }>;
    overloaded: Array<{ name: string; role: string; accounts: number; limit: number }>;
    split: Array<{ tier: string; accounts: number; share: Decimal; target: Decimal; owner: string; cadence: string; touch_points: string[] }>;
  };
  /** Portfolio rows left out, then roster rows (their messages start with `roster: `). */
  errors: RowFailure[];
}

/** One account's intervention plan. */
export interface AccountInterventions {
  row: number;
  plan: {
    id: string;
    risk_level: string;
    level_reasons: string[];
    intervention: string;
    owner: string;
    timeline: string;
    due: Day;
    playbooks: Array<{
      scenario: string;
      approach: string;
      activities: string;
      because: string[];
      success_metric: string;
      exit: { metric: string; direction: string; min_change: Decimal | null; within_days: number } | null;
      due: Day;
    }>;
  };
  /** Per playbook: its exit status when the row measures it. */
  exits: Array<"met" | "not_met" | "pending" | string | null>;
}

// --- self-tests ----------------------------------------------------------------------------

/** One difference between an example's expectation and the rubric's answer. */
export interface Diff {
  /** What differs (`score`, `band`, `[0].targets[0].due`...). */
  field: string;
  expected: string;
  actual: string;
}

/** The self-test report of a rubric: every `[[examples]]` outcome, in file order. */
export interface SelfTestReport {
  rubric: Stamp;
  passed: number;
  failed: number;
  examples: Array<{ name: string; passed: boolean; diffs: Diff[] }>;
}

/** One `[[examples]]` case of a non-health rubric. */
export interface ExampleCase {
  name: string;
  /** The operation (default: the kind's main one). */
  op?: Operation;
  input: InputRow | InputRow[] | null;
  options: Record<string, unknown> | null;
  expect: unknown;
  error?: string;
}
