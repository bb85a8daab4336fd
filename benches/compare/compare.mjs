// The Node side of the comparison: csrubric's npm package (WASM) on the accounts gen.py wrote.
//   node compare.mjs DIR
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Rubric } = require("../../bindings-wasm/pkg/node/csrubric_wasm.js");
const COLS = ["product_adoption", "technical_health", "business_outcomes", "relationship_health", "growth_potential"];
const LABELS = ["Excellent", "Good", "Moderate", "At Risk", "Critical"];

const dir = process.argv[2];
const raw = readFileSync(`${dir}/data.bin`);
const n = Number(raw.readBigUInt64LE(0));
const exact = readFileSync(`${dir}/exact.bin`);
const rows = Math.min(n, Number(process.env.WASM_ROWS ?? n));
// Missing values are null (the package reads NaN as "not a number"), so columns are arrays.
const columns = { id: Array.from({ length: rows }, (_, i) => `acct-${String(i).padStart(7, "0")}`) };
COLS.forEach((c, j) => {
  const f = new Float64Array(raw.buffer.slice(raw.byteOffset + 8 + j * n * 8, raw.byteOffset + 8 + (j * n + rows) * 8));
  columns[c] = Array.from(f, (x) => (Number.isNaN(x) ? null : x));
});
const rubric = Rubric.bundled("health/slavkokernel");
let best = Infinity;
let out;
for (let k = 0; k < Number(process.env.REPEAT ?? 3); k++) {
  const t = process.hrtime.bigint();
  out = rubric.scoreBatch(columns);
  best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
}
let errors = 0;
out.forEach((r, i) => {
  const code = r.band == null ? 255 : LABELS.indexOf(r.band);
  if (code !== exact[i]) errors++;
});
console.log(JSON.stringify({ impl: "csrubric Node (WASM), columns in, objects out", rows, seconds: best, rows_per_s: rows / best, band_errors: errors, note: rows < n ? `first ${rows.toLocaleString()} accounts` : "" }));
