
/** A decimal number, exact, as a string (`"84.99"`). */
export type Decimal = string;

/** Options of `Rubric.score` and `Rubric.scoreBatch`. */
export interface ScoreOptions {
  /** The instant overrides are judged at (RFC 3339 with an offset, or a Date). Default: now. */
  at?: string | Date;
  /** Full results (ledger, what-it-takes). Default: true for `score`, false for `scoreBatch`. */
  explain?: boolean;
  /** Names the input in error messages. */
  file?: string;
}

/** One account: an `id` and its input columns (numbers, numeric strings, or null for missing). */
export interface Account {
  id: string | number;
  /** Manual overrides: `[{ component, score, author, reason, expires? } | { band, author, reason, expires? }]`. */
  overrides?: unknown[];
  [column: string]: unknown;
}

/** Equal-length columns, one of them `id`: `{ id: ["a", "b"], usage: Float64Array.of(8, 9) }`. */
export type Columns = Record<string, ArrayLike<unknown>>;

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
 * Every error csrubric throws is an `Error` with a stable `code`:
 * `rubric_syntax`, `rubric_invalid` (with `problems`, and the first problem's `path`, `line`,
 * `column`); `input_file`, `input_row`, `input_value`, `input_instant`; for `score`, the
 * account's error (`not_a_number`, `out_of_scale`, `missing_input`, `ambiguous_input`,
 * `invalid_override`) with `id` and `row`; `unknown_rubric`; `internal_panic` (a bug).
 */
export interface CsrubricError extends Error {
  code: string;
  problems?: Problem[];
  path?: string;
  line?: number | null;
  column?: number | null;
  row?: number;
  id?: string | null;
}

/** A rubric shipped with csrubric, see `bundledRubrics()`. */
export interface BundledRubric {
  /** `health/slavkokernel`, for `Rubric.bundled(name)`. */
  name: string;
  /** `rubrics/health/slavkokernel.toml`. */
  file: string;
  format: "toml" | "json";
  /** The rubric's `kind`, null if it has none. */
  kind: string | null;
  /** The file's text. */
  text: string;
}

/** Where a result came from. */
export interface Stamp {
  id: string;
  version: string;
  /** `sha256:` and the hex digest of the rubric text. */
  hash: string;
}

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

/** The full result for one account (`explain: true`). */
export interface HealthResult {
  id: string;
  row: number;
  status: HealthStatus;
  /** The rounded score, exact. */
  score: Decimal | null;
  /** `score` as a JavaScript number, for charts and sorting. */
  score_number: number | null;
  raw_score: Decimal | null;
  band: Band | null;
  computed_band: string | null;
  band_override: AppliedOverride | null;
  measured_weight: Decimal;
  components: ComponentLedger[];
  what_it_takes: WhatItTakes | null;
  rubric: Stamp;
}

/** The compact result for one account (what `csrubric score --format json` prints). */
export interface HealthSummary {
  id: string;
  row: number;
  status: HealthStatus;
  score: Decimal | null;
  score_number: number | null;
  band: string | null;
  action: string | null;
  owner: string | null;
  urgency: string | null;
  rubric: Stamp;
}

/** A row that could not be scored. */
export interface RowFailure {
  id: string | null;
  row: number;
  status: "error";
  error: { code: string; message: string };
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
}
