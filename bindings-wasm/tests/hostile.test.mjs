// The panic boundary: a hostile battery (garbage rubric text, huge numbers, NaN, deep and
// cyclic values, wrong argument and option types, freed objects) through every export.
// Whatever happens, only an answer or an `Error` with a string `code` comes out (never a
// wasm trap, never a Rust panic, never a bare wasm-bindgen error), and the module stays
// usable after each call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { csrubric } from "./helpers.mjs";

const { Rubric, journey, bundledRubrics } = csrubric;

// The health check after every hostile call: 70*.25 + 65*.20 + 72*.25 + 60*.15 + 55*.15.
const probe = Rubric.bundled("health/slavkokernel");
const DELTA = { id: "delta", product_adoption: 70, technical_health: 65, business_outcomes: 72,
  relationship_health: 60, growth_potential: 55 };
const wsjf = Rubric.bundled("priority/wsjf");
// (8 + 5 + 3) / 5 = 3.20
const JOB = [{ id: "b", business_value: 8, time_criticality: 5, risk_reduction_opportunity_enablement: 3, job_size: 5 }];
function stillUsable(what) {
  assert.equal(probe.score(DELTA).score, "65.75", `the module is broken after ${what}`);
  assert.equal(wsjf.prioritize(JOB)[0].score, "3.20", `the module is broken after ${what}`);
}

let calls = 0;
/** Runs `fn`: it must return, or throw an Error with a code (not a panic); then probes. */
function survive(what, fn) {
  calls++;
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught !== undefined) {
    assert.ok(caught instanceof Error, `${what}: threw a non-Error ${String(caught)}`);
    assert.ok(!(caught instanceof WebAssembly.RuntimeError), `${what}: a wasm trap: ${caught.message}`);
    assert.equal(typeof caught.code, "string", `${what}: an Error without a code: ${caught.message}`);
    assert.ok(!caught.code.startsWith("internal"), `${what}: ${caught.code}: ${caught.message}`);
  }
  try {
    stillUsable(what);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    throw new Error(`the module is broken after ${what}: ${e.message}`);
  }
}

const deep = (n, leaf = 1) => { let v = leaf; for (let i = 0; i < n; i++) v = { a: v }; return v; };
const deepArray = (n) => { let v = []; for (let i = 0; i < n; i++) v = [v]; return v; };
const cyclic = () => { const o = { id: "c" }; o.self = o; return o; };

const GARBAGE_TEXT = [
  "", "\u0000\u0001\u0002", "\uFFFD".repeat(1000), "kind = ", 'kind = "health"\n'.repeat(3),
  "[".repeat(100000), "a = " + "[".repeat(100000), "a = " + "{b = ".repeat(50000),
  '{"kind": "health", "id": ' + "[".repeat(100000) + "}", "x".repeat(1 << 20),
  'kind = "health"\nid = "h"\nversion = "1"\ntitle = "t"\nsource = "s"\nscale = "0-1e999999"\n',
  'kind = "priority"\nid = "p"\nversion = "1"\ntitle = "t"\nsource = "s"\nmodel = "weighted"\n' +
    '[[criteria]]\nid = "a"\nweight = 79228162514264337593543950335\n[[criteria]]\nid = "b"\nweight = 79228162514264337593543950335\n',
  'kind = "calendar"\nid = "c"\nversion = "1"\ntitle = "t"\nsource = "s"\nzone = "Mars/Olympus"\n',
  'kind = "sla"\nid = "s"\nversion = "1"\ntitle = "t"\nsource = "s"\ncalendar = "../../../../etc/passwd"\n',
  'kind = "health"\nid = "h"\nversion = "1"\ntitle = "t"\nsource = "s"\nscale = "0-100"\n' +
    '[[components]]\nid = "x"\nweight = 100\nscript = { source = "loop { }" }\n' +
    '[[bands]]\nmin = 0\nlabel = "A"\naction = "a"\nowner = "o"\nurgency = "u"\n',
];
const NOT_TEXT = [undefined, null, 42, NaN, true, {}, [], () => 1, Symbol("s"), 10n ** 40n, new Date(NaN)];

const INPUTS = [
  undefined, null, 42, NaN, Infinity, true, "", "\n\n", "id\n", "\u0000,\u0001\n\u0002", "id,x\n\"unclosed\n",
  "id,x\na," + "9".repeat(5000) + "\n", "id,x\n" + "a,1\n".repeat(2000),
  () => 1, Symbol("s"), [1, 2], [null], [[]], ["a"], [{}], [{ id: NaN }], [{ id: {} }], [{ id: [] }],
  [{ id: "a", x: 1e308, y: -1e308, z: 5e-324 }], [{ id: "a", x: NaN, y: Infinity, z: -Infinity }],
  [{ id: "a", x: 10n ** 400n, y: -(10n ** 400n) }], [{ id: "a", x: new Date(NaN), y: new Date(8.64e15) }],
  [{ id: "a", start: "9999-12-31T23:59:59Z", end: "0000-01-01T00:00:00Z", add: "999999999999h" }],
  [{ id: "a", start: "2026-01-01", end: "2026-01-02", go_live: "9999-12-31", contract_end: "9999-12-31", signed: "0001-01-01" }],
  [{ id: "a", opened_at: "9999-12-31T23:59:59+14:00", since: "-262144-01-01T00:00:00Z", detected_at: "2026-13-45T99:99:99Z" }],
  [{ id: "a", date: "2026-01-01", churned: "maybe", employees: 1e300, nps: -1, mrr_start: 1e300, mrr_end: -1e300 }],
  [{ id: "a", overrides: [{ band: "X", author: "a", reason: "r", expires: "never" }, 42, null] }],
  [{ id: "a", overrides: deep(40) }], [deep(100)], [cyclic()], deepArray(100),
  { id: ["a", "b"], x: [1] }, { id: "a" }, { id: [cyclic()] }, { id: Float64Array.of(NaN, Infinity) },
  new Uint8Array(3), new Date(),
];

const OPTIONS = [
  undefined, null, 42, "x", [], [1], () => 1, Symbol("s"), { at: NaN }, { at: {} }, { at: [] },
  { at: new Date(NaN) }, { at: "9999-12-31T23:59:59Z" }, { at: "-262144-01-01T00:00:00Z" }, { at: 1e308 },
  { today: "9999-12-31" }, { today: "0000-01-01" }, { today: 20261123 }, { today: new Date() },
  { minScore: NaN }, { minScore: "1e99999" }, { minScore: 1e308 }, { minScore: {} }, { relative: "yes" },
  { classification: 42 }, { vertical: null }, { explain: 1 }, { roster: "x" }, { roster: [[]] },
  { roster: [{ id: NaN, role: {} }] }, { roster: deepArray(50) }, { done: "x" }, { done: [1, null] },
  { kickoff: "9999-12-31", package: "standard" }, { kickoff: "2027-01-04", asOf: "9999-12-31", package: "standard" },
  { kickoff: new Date(NaN) }, { calendar: "../../../../etc/passwd" }, { calendar: "rubrics/health/slavkokernel.toml" },
  { carryForwardDays: 1e300 }, { windowDays: -1e18 }, { carryForwardDays: 9007199254740991, windowDays: 9007199254740991 },
  { map: "hero" }, { map: 1 }, { overrides: "x" }, { overrides: [42] }, { unknown: 1 }, { file: {} },
  { min_score: 1 }, { minScore: 1, min_score: 1 }, deep(40), { a: cyclic() }, { __proto__: { at: "x" } },
];

const kinds = new Map();
for (const b of bundledRubrics()) if (!kinds.has(b.kind)) kinds.set(b.kind, Rubric.bundled(b.name));
const rubrics = [...kinds.values()];

const METHODS = [
  ["score", (r, i, o) => r.score(i, o)], ["scoreBatch", (r, i, o) => r.scoreBatch(i, o)],
  ["history", (r, i, o) => r.history(i, o)], ["backtest", (r, i, o) => r.backtest(i, o)],
  ["shadow", (r, i, o) => r.shadow(probe, i, o)], ["prioritize", (r, i, o) => r.prioritize(i, o)],
  ["sla", (r, i, o) => r.sla(i, o)], ["escalate", (r, i, o) => r.escalate(i, o)],
  ["alerts", (r, i, o) => r.alerts(i, o)], ["businessTime", (r, i, o) => r.businessTime(i, o)],
  ["renewals", (r, i, o) => r.renewals(i, o)], ["kpi", (r, i, o) => r.kpi(i, o)],
  ["plan", (r, _i, o) => r.plan(o)], ["triage", (r, i, o) => r.triage(i, o)],
  ["capacity", (r, i, o) => r.capacity(i, o)], ["interventions", (r, i, o) => r.interventions(i, o)],
  ["selfTest", (r) => r.selfTest()], ["run(own op)", (r, i, o) => r.run(r.ops[0], i, o)],
  ["run(test)", (r, i, o) => r.run("test", i, o)], ["journey", (_r, i, o) => journey(i, o)],
];

test("garbage rubric text and arguments that are not text", () => {
  for (const text of GARBAGE_TEXT) {
    survive(`fromToml(${JSON.stringify(text.slice(0, 40))})`, () => Rubric.fromToml(text, "g.toml"));
    survive(`fromJson(${JSON.stringify(text.slice(0, 40))})`, () => Rubric.fromJson(text, "g.json"));
  }
  for (const v of NOT_TEXT) {
    survive(`fromToml(${String(v)})`, () => Rubric.fromToml(v));
    survive(`fromToml(text, name=${String(v)})`, () => Rubric.fromToml('kind = "x"', v));
    survive(`fromJson(${String(v)})`, () => Rubric.fromJson(v));
    survive(`bundled(${String(v)})`, () => Rubric.bundled(v));
    survive(`run(op=${String(v)})`, () => probe.run(v, []));
  }
  for (const name of ["", "../../etc/passwd", "health", "health/", "rubrics/health/slavkokernel.toml", "\u0000"]) {
    survive(`bundled(${name})`, () => Rubric.bundled(name));
  }
  for (const op of ["", "TEST", "score ", "__proto__", "x".repeat(10000)]) {
    survive(`run(${op.slice(0, 20)})`, () => probe.run(op, []));
  }
});

test("every method of every kind with hostile inputs", () => {
  for (const r of rubrics) {
    for (const [name, call] of METHODS) {
      for (const [i, input] of INPUTS.entries()) {
        survive(`${r.kind}.${name} input #${i}`, () => call(r, input, undefined));
      }
    }
  }
});

test("every method of every kind with hostile options", () => {
  const rows = [{ id: "a", product_adoption: 50, go_live: "2026-01-12", start: "2026-01-01T00:00:00Z", end: "2026-01-02T00:00:00Z" }];
  for (const r of rubrics) {
    for (const [name, call] of METHODS) {
      for (const [i, options] of OPTIONS.entries()) {
        survive(`${r.kind}.${name} options #${i}`, () => call(r, rows, options));
      }
    }
  }
});

test("wrong objects where a Rubric is expected, and freed rubrics", () => {
  for (const candidate of [undefined, null, 42, {}, probe.constructor, Object.create(Rubric.prototype)]) {
    survive(`shadow(${String(candidate)})`, () => probe.shadow(candidate, []));
  }
  const freed = Rubric.bundled("priority/kinos");
  freed.free();
  survive("a freed rubric's kind", () => freed.kind);
  survive("a freed rubric's run", () => freed.run("prioritize", []));
  survive("shadow with a freed candidate", () => probe.shadow(freed, []));
  const bare = Object.create(Rubric.prototype);
  survive("a Rubric never constructed", () => bare.selfTest());
  survive("new Rubric()", () => new Rubric());
  assert.ok(calls > 2000, `only ${calls} hostile calls`);
});
