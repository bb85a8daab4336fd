// Shared helpers of the node tests: the package (Node build) and repository paths.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

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
