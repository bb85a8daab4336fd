// The package answers exactly what the Rust CLI prints (`csrubric score --format json`) on
// every shared example file: same objects, same decimal strings, same order, same errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { csrubric, read, repoDir, withoutNumber } from "./helpers.mjs";

const bin = process.env.CSRUBRIC_BIN || path.join(repoDir, "target", "debug", "csrubric");
const AT = "2026-11-23T00:00:00Z";
const examples = readdirSync(path.join(repoDir, "examples", "health"))
  .filter((f) => /\.(csv|json)$/.test(f))
  .map((f) => `examples/health/${f}`);

function cli(rubric, input, explain) {
  const args = ["score", rubric, input, "--format", "json", "--at", AT];
  if (explain) args.push("--explain");
  const run = spawnSync(bin, args, { cwd: repoDir, encoding: "utf8" });
  assert.ok(run.stdout, `csrubric printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

test("the CLI binary is built", () => {
  assert.ok(existsSync(bin), `${bin} not found: run cargo build -p csrubric`);
});

for (const input of examples) {
  const name = path.basename(input).replace(/\.(csv|json)$/, "");
  const rubricFile = `rubrics/health/${name}.toml`;
  for (const explain of [false, true]) {
    test(`${input} equals the CLI's JSON${explain ? " (--explain)" : ""}`, () => {
      const expected = cli(rubricFile, input, explain);
      const rubric = csrubric.Rubric.fromToml(read(rubricFile), rubricFile);
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
