// Shared helpers of the node tests: the package (Node build), repository paths, the CLI,
// and the table of example inputs the playground and the CLI-equality tests share.
import { createRequire } from "node:module";
import { readFileSync, existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

export const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = path.resolve(pkgDir, "..");
export const read = (rel) => readFileSync(path.join(repoDir, rel), "utf8");

// Through the package's own "exports" map, as a user's `require("csrubric")` would.
const require = createRequire(import.meta.url);
export const csrubric = require("csrubric");

/** The seed rubric text, with some `weight = N` lines of named components replaced. */
export function withWeights(text, weights) {
  let out = text;
  for (const [component, weight] of Object.entries(weights)) {
    const re = new RegExp(`(id = "${component}"\\n(?:.*\\n)*?weight = )\\d+`);
    if (!re.test(out)) throw new Error(`no weight for ${component}`);
    out = out.replace(re, `$1${weight}`);
  }
  return out;
}

/** A row object without the number convenience field, to compare with the CLI's JSON. */
export function withoutNumber(row) {
  const { score_number, ...rest } = row;
  return rest;
}

/** Asserts that `fn` throws a JS Error (never a wasm trap) with `code`; returns it. */
export function throwsCode(fn, code) {
  let caught;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught instanceof Error, `expected an Error, got ${caught}`);
  assert.ok(!(caught instanceof WebAssembly.RuntimeError), `a wasm trap escaped: ${caught}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

// --- the CLI ---------------------------------------------------------------------------------

export const cliBin = process.env.CSRUBRIC_BIN || path.join(repoDir, "target", "debug", "csrubric");
export const cliBuilt = existsSync(cliBin);

/** Runs the CLI from the repository root; returns its JSON answer (and exit code). */
export function cli(args) {
  const run = spawnSync(cliBin, args, { cwd: repoDir, encoding: "utf8", maxBuffer: 64 << 20 });
  assert.ok(run.stdout, `csrubric ${args.join(" ")} printed nothing: ${run.stderr}`);
  return { json: JSON.parse(run.stdout), status: run.status, stderr: run.stderr };
}

let scratch;
/** Writes `value` as JSON to a scratch file; returns its path. */
export function scratchJson(name, value) {
  scratch ??= mkdtempSync(path.join(tmpdir(), "csrubric-wasm-"));
  const file = path.join(scratch, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** `csrubric run RUBRIC OP [INPUT] [--options JSON]`. */
export function cliRun(rubricFile, op, inputFile, options) {
  const args = ["run", rubricFile, op];
  if (inputFile) args.push(inputFile);
  if (options !== null && options !== undefined) args.push("--options", JSON.stringify(options));
  return cli(args).json;
}

// --- example inputs ------------------------------------------------------------------------

export const examplesTable = JSON.parse(readFileSync(path.join(pkgDir, "www", "examples.json"), "utf8")).rubrics;

/**
 * The main operation of a bundled rubric on an example input: its entry in
 * www/examples.json (an input file under examples/), or else its own first [[examples]]
 * case (a health rubric's examples become one account each). Returns
 * `{ op, options, file, rows }`: `file` is the input file from the repository root (or
 * null), `rows` the input as the package takes it (CSV text, parsed JSON, or null).
 */
export function mainCase(name, rubric) {
  const entry = examplesTable[name];
  if (entry) {
    const rows = entry.input === null ? null
      : entry.input.endsWith(".json") ? JSON.parse(read(entry.input)) : read(entry.input);
    return { op: entry.op, options: entry.options, file: entry.input, rows };
  }
  if (rubric.kind === "health") {
    const rows = rubric.spec.examples.map((e) => ({ id: e.name, ...e.inputs }));
    return { op: "score", options: null, file: null, rows };
  }
  const first = rubric.examples[0];
  assert.ok(first, `${name}: no entry in www/examples.json and no [[examples]]`);
  const input = first.input === null ? null : Array.isArray(first.input) ? first.input : [first.input];
  return { op: first.op ?? rubric.ops[0], options: first.options, file: null, rows: input };
}

// --- conformance vectors ---------------------------------------------------------------------

/**
 * The conformance vectors' `expect` check (Compare::Exact in the core): objects are a
 * subset (an expected `null` also matches an absent key), arrays the same length item by
 * item, scalars identical. Returns the differences, each with its JSON path.
 */
export function exactDiffs(expected, actual, at = "") {
  const here = at || ".";
  if (isObject(expected) && isObject(actual)) {
    return Object.entries(expected).flatMap(([k, v]) => {
      const sub = at ? `${at}.${k}` : k;
      if (!Object.hasOwn(actual, k)) return v === null ? [] : [`${sub}: expected ${JSON.stringify(v)}, got (absent)`];
      return exactDiffs(v, actual[k], sub);
    });
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      return [`${here}: expected ${expected.length} items, got ${actual.length}`];
    }
    return expected.flatMap((v, i) => exactDiffs(v, actual[i], `${at}[${i}]`));
  }
  return sameScalar(expected, actual) ? [] : [`${here}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const sameScalar = (a, b) => !isObject(a) && !isObject(b) && !Array.isArray(a) && !Array.isArray(b) && a === b;
