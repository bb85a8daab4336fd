// The package answers exactly what the Rust CLI prints: for every shipped rubric, its main
// operation on an example input (`rubric.run` against `csrubric run`), its self-tests, the
// health scores of every example file (`scoreBatch` against `csrubric score`), and the
// typed functions without a rubric kind of their own (`journey`, `shadow`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import {
  csrubric, read, repoDir, withoutNumber, cli, cliBin, cliBuilt, cliRun, mainCase, scratchJson,
} from "./helpers.mjs";

const { Rubric, bundledRubrics, journey } = csrubric;
const AT = "2026-11-23T00:00:00Z";

test("the CLI binary is built", () => {
  assert.ok(cliBuilt, `${cliBin} not found: run cargo build -p csrubric`);
});

const bundled = bundledRubrics();

test("every shipped rubric file is bundled, with its text and kind", () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(path.join(repoDir, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.(toml|json)$/.test(e.name)) files.push(rel);
    }
  };
  walk("rubrics");
  assert.deepEqual(bundled.map((b) => b.file).sort(), files.sort());
  for (const b of bundled) {
    assert.equal(b.text, read(b.file), `${b.name} text differs from ${b.file}`);
    assert.equal(b.kind, /^kind = "(.*)"$/m.exec(b.text)[1]);
  }
});

for (const b of bundled) {
  test(`${b.name}: its main operation equals csrubric run`, () => {
    // Loaded from its text under its repository path, as the conformance vectors do.
    const rubric = b.format === "json" ? Rubric.fromJson(b.text, b.file) : Rubric.fromToml(b.text, b.file);
    assert.equal(rubric.kind, b.kind);
    const c = mainCase(b.name, rubric);
    const inputFile = c.file ?? (c.rows === null ? null : scratchJson(`${b.name.replace("/", "-")}.json`, c.rows));
    const expected = cliRun(b.file, c.op, inputFile, c.options);
    const got = rubric.run(c.op, c.rows, c.file ? { ...c.options, file: c.file } : c.options);
    assert.deepEqual(got, expected);
    // The answer is not trivially empty.
    assert.ok(Array.isArray(got) ? got.length > 0 : Object.keys(got).length > 0);
    // The bundled copy answers the same.
    assert.deepEqual(Rubric.bundled(b.name).run(c.op, c.rows, c.file ? { ...c.options, file: c.file } : c.options), got);
  });

  test(`${b.name}: selfTest() passes and equals csrubric run ... test`, () => {
    const rubric = Rubric.bundled(b.name);
    const report = rubric.selfTest();
    assert.deepEqual(report, cliRun(b.file, "test", null, null));
    const failing = report.examples.filter((e) => !e.passed);
    assert.equal(report.failed, 0, JSON.stringify(failing, null, 1));
    assert.equal(report.passed, report.examples.length);
  });
}

const healthExamples = readdirSync(path.join(repoDir, "examples", "health"))
  .filter((f) => /\.(csv|json)$/.test(f))
  .map((f) => `examples/health/${f}`);

for (const input of healthExamples) {
  const name = path.basename(input).replace(/\.(csv|json)$/, "");
  const rubricFile = `rubrics/health/${name}.toml`;
  for (const explain of [false, true]) {
    test(`scoreBatch(${input}) equals csrubric score${explain ? " --explain" : ""}`, () => {
      const args = ["score", rubricFile, input, "--format", "json", "--at", AT];
      if (explain) args.push("--explain");
      const expected = cli(args).json;
      const rubric = Rubric.fromToml(read(rubricFile), rubricFile);
      const text = read(input);
      const rows = input.endsWith(".csv") ? text : JSON.parse(text);
      const got = rubric.scoreBatch(rows, { at: AT, explain, file: input });
      assert.equal(got.length, expected.length);
      assert.deepEqual(got.map(withoutNumber), expected);
      for (const r of got) {
        if (r.status !== "error") assert.equal(r.score_number, r.score === null ? null : Number(r.score));
      }
    });
  }
}

test("journey equals csrubric journey --format json", () => {
  const input = "examples/renewal/journey.csv";
  for (const [map, cliMap] of [[undefined, "cradle-to-grave"], ["slavkokernel", "slavkokernel"]]) {
    const expected = cli(["journey", input, "--today", "2026-11-23", "--map", cliMap, "--format", "json"]).json;
    assert.deepEqual(journey(read(input), { today: "2026-11-23", map, file: input }), expected);
  }
});

test("shadow equals csrubric shadow --all --format json", () => {
  const input = "examples/health/slavkokernel.csv";
  const expected = cli(["shadow", "rubrics/health/slavkokernel.toml", "rubrics/health/kinos-health.toml",
    input, "--all", "--format", "json"]).json;
  const got = Rubric.bundled("health/slavkokernel").shadow(Rubric.bundled("health/kinos-health"), read(input), { file: input });
  assert.deepEqual(got, expected);
  assert.ok(got.some((r) => r.band_changed));
});

test("history, backtest and score with options equal csrubric run", () => {
  const sk = "rubrics/health/slavkokernel.toml";
  const rubric = Rubric.bundled("health/slavkokernel");
  const churn = "examples/history/churn.csv";
  assert.deepEqual(rubric.backtest(read(churn), { file: churn }), cliRun(sk, "backtest", churn, null));
  const snapshots = "examples/history/kinos-health.csv";
  const kinos = Rubric.bundled("health/kinos-health");
  const options = { carry_forward_days: 10, window_days: 30, explain: true };
  assert.deepEqual(
    kinos.history(read(snapshots), { carryForwardDays: 10, windowDays: 30, explain: true, file: snapshots }),
    cliRun("rubrics/health/kinos-health.toml", "history", snapshots, options));
  const overrides = [{ account: "acme", band: "At Risk", author: "dana", reason: "sponsor left" }];
  const accounts = "examples/health/slavkokernel.json";
  assert.deepEqual(
    rubric.run("score", JSON.parse(read(accounts)), { at: AT, explain: true, overrides }),
    cliRun(sk, "score", accounts, { at: AT, explain: true, overrides }));
});
