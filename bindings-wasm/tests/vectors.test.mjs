// Conformance vectors: every case of every `tests/vectors/**/*.json` (shared by the Rust,
// Python and Node suites; format in docs) and of this package's own
// `tests/fixtures/vectors/**/*.json`. Each case runs through `rubric.run`; its `expect` is
// checked exactly (objects a subset, arrays item by item, scalars identical) or its
// `error` code is the thrown Error's; and the full answer (or the error message) equals
// what `csrubric run` gives for the same case.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { csrubric, repoDir, pkgDir, cliBin, exactDiffs, read } from "./helpers.mjs";

const { Rubric } = csrubric;

function vectorFiles(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true })
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => path.join(root, f));
}

const files = [
  ...vectorFiles(path.join(repoDir, "tests", "vectors")),
  ...vectorFiles(path.join(pkgDir, "tests", "fixtures", "vectors")),
];

// Inline rubrics are written into a copy of rubrics/ so their linked files resolve on disk
// as they do through the bundle; the CLI runs there.
const scratch = mkdtempSync(path.join(tmpdir(), "csrubric-vectors-"));
cpSync(path.join(repoDir, "rubrics"), path.join(scratch, "rubrics"), { recursive: true });
let serial = 0;

/** Where the CLI finds the case's rubric: the repository, or a scratch copy with the inline text. */
function cliPlace(spec) {
  if (typeof spec === "string") return { cliFile: spec, cwd: repoDir };
  const dir = path.join(scratch, `case-${++serial}`);
  const file = path.join(dir, spec.name);
  mkdirSync(path.dirname(file), { recursive: true });
  cpSync(path.join(scratch, "rubrics"), path.join(dir, "rubrics"), { recursive: true });
  writeFileSync(file, spec.text);
  return { cliFile: spec.name, cwd: dir };
}

function load(spec) {
  if (typeof spec === "string") {
    const text = read(spec);
    const rubric = spec.endsWith(".json") ? Rubric.fromJson(text, spec) : Rubric.fromToml(text, spec);
    return { rubric, ...cliPlace(spec) };
  }
  const rubric = spec.format === "json" ? Rubric.fromJson(spec.text, spec.name) : Rubric.fromToml(spec.text, spec.name);
  return { rubric, ...cliPlace(spec) };
}

function cliRun(c, cliFile, cwd) {
  const args = ["run", cliFile, c.op];
  if (c.input !== null && c.input !== undefined) {
    const input = path.join(scratch, `input-${++serial}.json`);
    writeFileSync(input, JSON.stringify(c.input));
    args.push(input);
  }
  if (c.options !== null && c.options !== undefined) args.push("--options", JSON.stringify(c.options));
  return spawnSync(cliBin, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
}

test("there are vectors to run", () => {
  assert.ok(files.length > 0);
});

for (const file of files) {
  const vectors = JSON.parse(readFileSync(file, "utf8"));
  const rel = path.relative(repoDir, file);
  assert.deepEqual(Object.keys(vectors).filter((k) => !["description", "cases"].includes(k)), [], `${rel}: unknown keys`);
  for (const c of vectors.cases) {
    test(`${rel}: ${c.name}`, () => {
      const known = ["name", "why", "rubric", "op", "input", "options", "expect", "error"];
      assert.deepEqual(Object.keys(c).filter((k) => !known.includes(k)), [], "unknown keys in the case");
      assert.ok(("expect" in c) !== ("error" in c), "a case has `expect` or `error`");
      let answer, caught, cliFile, cwd;
      try {
        // Loading is part of the request: a rubric that does not load is the case's error.
        const loaded = load(c.rubric);
        ({ cliFile, cwd } = loaded);
        answer = loaded.rubric.run(c.op, c.input ?? null, c.options ?? null);
      } catch (e) {
        caught = e;
        ({ cliFile, cwd } = cliPlace(c.rubric));
      }
      const run = cliRun(c, cliFile, cwd);
      if ("error" in c) {
        assert.ok(caught instanceof Error, `expected error ${c.error}, got ${JSON.stringify(answer)}`);
        assert.equal(caught.code, c.error, caught.message);
        assert.equal(run.status, 1, run.stderr);
        // The same message, except the reason a linked file cannot be read: the CLI reads
        // the disk (an OS error), the package the bundle ("not a bundled file").
        const unreadable = (m) => m.replace(/(cannot read[^:]*): .*$/s, "$1: <reason>");
        assert.equal(unreadable(run.stderr.trim()), unreadable(`error: ${caught.message}`));
        return;
      }
      if (caught) throw caught;
      assert.deepEqual(exactDiffs(c.expect, answer), []);
      assert.ok(run.stdout, `csrubric printed nothing: ${run.stderr}`);
      assert.deepEqual(answer, JSON.parse(run.stdout));
    });
  }
}
