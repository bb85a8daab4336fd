// The package API: loading, scoring one account and batches, inputs in every form, errors.
// Expected numbers are computed by hand in the comments from the rubric's weights.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { csrubric, read, withWeights, pkgDir, throwsCode } from "./helpers.mjs";

const { Rubric, bundledRubrics, version } = csrubric;
const SK = read("rubrics/health/slavkokernel.toml");
const HEADER = "id,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential";

test("bundled rubrics of every kind load by name", () => {
  const list = bundledRubrics();
  const names = list.map((b) => b.name).sort();
  for (const n of ["health/ai-ecosystem", "health/slavkokernel", "priority/kinos", "calendars/business-hours-berlin"]) {
    assert.ok(names.includes(n), `${n} missing from ${names}`);
  }
  for (const b of list) {
    const r = Rubric.bundled(b.name);
    assert.equal(r.id, /^id = "(.*)"$/m.exec(b.text)[1]);
    assert.equal(r.kind, b.kind);
    // The hash of a rubric with scripts covers its script files too.
    if (!/\.rhai"/.test(b.text)) assert.equal(r.hash, "sha256:" + createHash("sha256").update(b.text).digest("hex"));
    r.free();
  }
  // With or without the extension.
  assert.equal(Rubric.bundled("priority/rice.toml").id, "priority/rice");
  const e = throwsCode(() => Rubric.bundled("health/nope"), "rubric_io");
  assert.match(e.message, /no bundled rubric `health\/nope` \(bundled: .*health\/slavkokernel/);
});

test("rubric identity: id, version, title and the sha256 of the text", () => {
  const r = Rubric.fromToml(SK, "slavkokernel.toml");
  assert.equal(r.id, "health/slavkokernel");
  assert.equal(r.version, "1.0.0");
  assert.equal(r.title, "SlavkoKernel Customer Health Score");
  assert.equal(r.hash, "sha256:" + createHash("sha256").update(SK).digest("hex"));
  assert.deepEqual(r.spec.components.map((c) => c.weight), ["25", "20", "25", "15", "15"]);
  assert.ok(r.inputColumns.includes("product_adoption"));
  assert.ok(r.inputColumns.includes("active_users_pct"));
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test("score one account: exact decimal strings, band, ledger and a number convenience", () => {
  const r = Rubric.bundled("health/slavkokernel");
  // delta: 70*.25 + 65*.20 + 72*.25 + 60*.15 + 55*.15 = 17.5 + 13 + 18 + 9 + 8.25 = 65.75
  const res = r.score({ id: "delta", product_adoption: 70, technical_health: 65,
    business_outcomes: 72, relationship_health: 60, growth_potential: 55 });
  assert.equal(res.status, "scored");
  assert.equal(res.score, "65.75");
  assert.equal(res.score_number, 65.75);
  assert.equal(res.band.label, "Moderate");
  assert.equal(res.band.urgency, "Medium");
  assert.deepEqual(res.components.map((c) => Number(c.contribution)), [17.5, 13, 18, 9, 8.25]);
  assert.equal(res.rubric.id, "health/slavkokernel");
  assert.equal(res.what_it_takes.next_band, "Good");
  const compact = r.score({ id: "delta", product_adoption: 70, technical_health: 65,
    business_outcomes: 72, relationship_health: 60, growth_potential: 55 }, { explain: false });
  assert.equal(compact.band, "Moderate");
  assert.equal(compact.components, undefined);
});

test("rounding is exact half-up on decimals, not on binary floats", () => {
  // product_adoption 50%, others 10/10/15/15; cobalt 84.99 and 85s:
  // 84.99*.5 + 85*.5 = 42.495 + 42.5 = 84.995 exactly -> half-up 85.00 (Excellent).
  // (In binary floats 0.5*84.99 + 0.5*85 is 84.99499999..., which would round to 84.99.)
  const half = Rubric.fromToml(withWeights(SK, { product_adoption: 50, technical_health: 10,
    business_outcomes: 10 }));
  const acct = { id: "cobalt", product_adoption: 84.99, technical_health: 85,
    business_outcomes: 85, relationship_health: 85, growth_potential: 85 };
  let res = half.score(acct);
  assert.equal(res.raw_score, "84.995");
  assert.equal(res.score, "85.00");
  assert.equal(res.band.label, "Excellent");
  // product_adoption 60%, technical 5, business 5: 84.99*.6 + 85*.4 = 50.994 + 34 = 84.994
  // -> 84.99, below the Excellent edge (85): Good.
  res = Rubric.fromToml(withWeights(SK, { product_adoption: 60, technical_health: 5,
    business_outcomes: 5 })).score(acct);
  assert.equal(res.score, "84.99");
  assert.equal(res.band.label, "Good");
});

test("an account as numbers, numeric strings, CSV, rows or columns scores identically", () => {
  const r = Rubric.bundled("health/slavkokernel");
  const csv = `${HEADER}\nacme,92,88,90,80,85\ncobalt,84.99,85,85,85,85\ngarnet,90,,88,,\n`;
  const rows = [
    { id: "acme", product_adoption: 92, technical_health: 88, business_outcomes: 90,
      relationship_health: 80, growth_potential: 85 },
    { id: "cobalt", product_adoption: "84.99", technical_health: "85", business_outcomes: 85,
      relationship_health: 85, growth_potential: 85n },
    { id: "garnet", product_adoption: 90, technical_health: null, business_outcomes: 88,
      relationship_health: undefined },
  ];
  const columns = {
    id: ["acme", "cobalt", "garnet"],
    product_adoption: Float64Array.of(92, 84.99, 90),
    technical_health: [88, 85, null],
    business_outcomes: Int32Array.of(90, 85, 88),
    relationship_health: [80, 85, null],
    growth_potential: [85, 85, null],
  };
  const at = "2026-11-23T00:00:00Z";
  const fromCsv = r.scoreBatch(csv, { at });
  const fromRows = r.scoreBatch(rows, { at });
  const fromColumns = r.scoreBatch(columns, { at });
  // acme: 92*.25 + 88*.2 + 90*.25 + 80*.15 + 85*.15 = 23 + 17.6 + 22.5 + 12 + 12.75 = 87.85
  // garnet (renormalize over 50%): (90*.25 + 88*.25) / .5 = 89.00
  assert.deepEqual(fromCsv.map((x) => [x.id, x.row, x.score, x.band]), [
    ["acme", 1, "87.85", "Excellent"], ["cobalt", 2, "85.00", "Excellent"], ["garnet", 3, "89.00", "Excellent"],
  ]);
  assert.deepEqual(fromRows, fromCsv);
  assert.deepEqual(fromColumns, fromCsv);
  assert.deepEqual(fromCsv.map((x) => x.score_number), [87.85, 85, 89]);
});

test("a batch never drops a row: each bad row is an error object in place", () => {
  const r = Rubric.bundled("health/slavkokernel");
  const csv = `${HEADER}\na,90,90,90,90,90\n,1,1,1,1,1\nc,90,90,900,90,90\nd,90,ninety,90,90,90\ne,50,50,50,50,50\n`;
  const out = r.scoreBatch(csv, { file: "accounts.csv" });
  assert.equal(out.length, 5);
  assert.deepEqual(out.map((x) => x.status), ["scored", "error", "error", "error", "scored"]);
  assert.deepEqual(out.map((x) => x.row), [1, 2, 3, 4, 5]);
  assert.equal(out[1].error.code, "input_row");
  assert.equal(out[2].error.code, "out_of_scale");
  assert.equal(out[3].error.code, "not_a_number");
  assert.match(out[3].error.message, /technical_health/);
  assert.equal(out[4].score, "50.00");
  assert.equal(out[4].band, "At Risk");
  // NaN and Infinity are not silently "missing": the row fails naming the column.
  const nan = r.scoreBatch([{ id: "x", product_adoption: NaN, technical_health: 1,
    business_outcomes: 1, relationship_health: 1, growth_potential: 1 }]);
  assert.equal(nan[0].error.code, "not_a_number");
  assert.match(nan[0].error.message, /product_adoption/);
});

test("overrides carried by an account, judged at `at`", () => {
  const r = Rubric.bundled("health/slavkokernel");
  const acct = { id: "acme", product_adoption: 92, technical_health: 88, business_outcomes: 90,
    relationship_health: 80, growth_potential: 85,
    overrides: [{ band: "At Risk", author: "dana", reason: "sponsor left", expires: "2026-12-31" }] };
  const before = r.score(acct, { at: "2026-11-23T00:00:00Z" });
  assert.equal(before.score, "87.85");
  assert.equal(before.computed_band, "Excellent");
  assert.equal(before.band.label, "At Risk");
  const after = r.score(acct, { at: new Date("2027-01-02T00:00:00Z") });
  assert.equal(after.band.label, "Excellent");
  assert.equal(after.band_override.counts, false);
});

test("fromJson reads the same model (round trip through the spec)", () => {
  const toml = Rubric.bundled("health/ai-ecosystem");
  const json = Rubric.fromJson(JSON.stringify(toml.spec), "ai.json");
  assert.equal(json.id, toml.id);
  const csv = "id,usage,engagement,success,growth\na,8,8,8,8\nb,3,9,2.5,7\n";
  assert.deepEqual(
    json.scoreBatch(csv).map((x) => [x.score, x.band]),
    toml.scoreBatch(csv).map((x) => [x.score, x.band]));
});

test("a JSON rubric's numbers are read exactly, not through a float", () => {
  // Issue 16 item 3. The step edge 0.30000000000000000001 has more digits than a float
  // holds: 0.3 (text, exact) is below it and earns the lower step (0, Low); through a float
  // the edge was 0.3 and the account scored 100 (High).
  const r = Rubric.fromJson(JSON.stringify({
    kind: "health", id: "test/steps", version: "1", title: "Steps", source: "test", scale: "0-100",
    components: [{ id: "c", label: "C", weight: 100, metrics: [{ id: "m", label: "M", weight: 100,
      scoring: { type: "steps", steps: [{ at_least: 0, score: 0 }, { at_least: "EDGE", score: 100 }] } }] }],
    bands: [{ min: 50, label: "High", action: "a", owner: "o", urgency: "u" },
      { min: 0, label: "Low", action: "a", owner: "o", urgency: "u" }],
  }).replace('"EDGE"', "0.30000000000000000001"), "steps.json");
  const out = r.scoreBatch("id,m\nbelow,0.3\nat,0.30000000000000000001\n");
  assert.deepEqual(out.map((x) => [x.score, x.band]), [["0.00", "Low"], ["100.00", "High"]]);
});

test("rubric errors are Errors with code, problems, path, line and column", () => {
  const syntax = throwsCode(() => Rubric.fromToml("kind = \"health\"\nid = [", "bad.toml"), "rubric_syntax");
  assert.equal(syntax.line, 2);
  assert.equal(syntax.problems.length, 1);
  // product_adoption 25 -> 60: the weights sum to 135, reported at `[[components]]` (17:3).
  const invalid = throwsCode(() => Rubric.fromToml(withWeights(SK, { product_adoption: 60 }), "r.toml"),
    "rubric_invalid");
  assert.equal(invalid.path, "components");
  assert.equal(invalid.line, 17);
  assert.equal(invalid.column, 3);
  assert.match(invalid.problems[0].message, /sum to 135%/);
  assert.match(invalid.message, /^r\.toml:17:3: invalid rubric: /);
  const kind = throwsCode(() => Rubric.fromToml('kind = "weather"\n'), "rubric_invalid");
  assert.equal(kind.path, "kind");
  throwsCode(() => Rubric.fromToml('id = "x"\n'), "rubric_invalid");
  throwsCode(() => Rubric.fromJson("{", "x.json"), "rubric_syntax");
});

test("input errors are Errors with code (and id, row for one account)", () => {
  const r = Rubric.bundled("health/slavkokernel");
  const e = throwsCode(() => r.score({ id: "big", product_adoption: 101 }), "out_of_scale");
  assert.equal(e.id, "big");
  assert.equal(e.row, 1);
  throwsCode(() => r.score({ product_adoption: 1 }), "input_row");
  assert.equal(throwsCode(() => r.score({ id: "a" }, { at: "2026-11-23T10:00:00" }), "invalid_options").option, "at");
  assert.equal(throwsCode(() => r.score({ id: "a" }, { explain: "yes" }), "invalid_options").option, "explain");
  assert.equal(throwsCode(() => r.scoreBatch([], 42), "invalid_options").option, null);
  throwsCode(() => r.score({ id: "a", f: () => 1 }), "input_value");
  const cyclic = { id: "c" }; cyclic.self = cyclic;
  throwsCode(() => r.score(cyclic), "input_value");
  throwsCode(() => r.scoreBatch(42), "input_value");
  throwsCode(() => r.scoreBatch({ id: ["a", "b"], usage: [1] }), "input_value");
  throwsCode(() => r.scoreBatch({ id: "a" }), "input_value");
  throwsCode(() => r.scoreBatch("name,usage\nx,1\n"), "input_file");
});

test("TypeScript declarations cover every export, for web and node", () => {
  for (const target of ["node", "web"]) {
    const dts = readFileSync(path.join(pkgDir, "pkg", target, "csrubric_wasm.d.ts"), "utf8");
    for (const name of Object.keys(csrubric)) {
      if (name.startsWith("__") || name === "default") continue;
      assert.match(dts, new RegExp(`export (class|function) ${name}\\b`), `${target}: ${name}`);
    }
    // Every type a signature names is declared.
    const named = new Set([...dts.matchAll(/\b([A-Z][A-Za-z]+)(?:<[A-Za-z]+>)?(?=[\[\];,)| ]|$)/gm)].map((m) => m[1]));
    for (const t of ["HealthResult", "HealthRow", "CsrubricError", "ScoreOptions", "Columns", "BundledRubric",
      "Answer", "Ranked", "SlaResult", "EscalationRow", "AlertsRow", "BusinessTime", "RenewalResult", "KpiAnswer",
      "PlanAnswer", "TicketTriage", "CapacityAnswer", "AccountInterventions", "HistoryEntry", "BacktestAnswer",
      "ShadowRow", "JourneyRow", "SelfTestReport", "ExampleCase", "PrioritizeOptions", "PlanOptions",
      "RenewalsOptions", "CapacityOptions", "HistoryOptions", "JourneyOptions", "AtOptions", "FileOption", "Input"]) {
      assert.match(dts, new RegExp(`export (interface|type) ${t}\\b`), `${target}: ${t}`);
      assert.ok(named.has(t), `${target}: ${t} declared but not used`);
    }
    assert.match(dts, /score\(account: Account, options\?: ScoreOptions( \| null)?\): HealthResult;/);
    assert.match(dts, /scoreBatch\(input: string \| Account\[\] \| Columns, options\?: ScoreOptions( \| null)?\): HealthRow\[\];/);
    assert.match(dts, /prioritize\(requests: Input, options\?: PrioritizeOptions( \| null)?\): Answer<Ranked>;/);
    assert.match(dts, /plan\(options\?: PlanOptions( \| null)?\): PlanAnswer;/);
    assert.match(dts, /selfTest\(\): SelfTestReport;/);
    assert.match(dts, /shadow\(candidate: Rubric, rows: Input, options\?: FileOption( \| null)?\): Answer<ShadowRow>;/);
    assert.match(dts, /export function journey\(accounts: Input, options\?: JourneyOptions( \| null)?\): Answer<JourneyRow>;/);
    assert.match(dts, /run\(op: string, input\?: Input \| null, options\?: RunOptions \| null\): unknown;/);
    // Every method of the class is declared.
    for (const m of Object.getOwnPropertyNames(Rubric.prototype)) {
      if (m === "constructor" || m.startsWith("__")) continue;
      assert.match(dts, new RegExp(`\\b(get |readonly )?${m}(\\(|: )`), `${target}: Rubric.${m}`);
    }
  }
});
