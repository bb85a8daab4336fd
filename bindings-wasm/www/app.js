// csrubric playground: no framework, no server logic. Every number on the page comes from
// the csrubric WebAssembly module (exact decimals, as strings); this file only renders.
//
// Served from the repository root (`python3 -m http.server --bind 127.0.0.1`), the page
// reads the example inputs of www/examples.json from ../../examples/; elsewhere it falls
// back to each rubric's own [[examples]].
import init, { Rubric, bundledRubrics, version } from "../pkg/web/csrubric_wasm.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

const state = {
  rubric: null, // the loaded Rubric, or null while the text has errors
  file: "rubric.toml", // the editor's file name: a bundled rubric's path links its calendars
  op: null, // the operation shown for a rubric of another kind than health
  results: [],
  selected: null,
  mode: "health", // which panes show: "health" (accounts, chart) or "op" (input, answer)
};
let bundled = [];
let examples = {};

function setStatus(stateName, text) {
  const s = $("status");
  s.dataset.state = stateName;
  s.textContent = text;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

// Bands from the top (green) to the bottom (red).
function bandColor(label) {
  const spec = state.rubric && state.rubric.spec;
  const bands = spec ? spec.bands.slice() : [];
  bands.sort((a, b) => Number(b.min) - Number(a.min));
  const i = bands.findIndex((b) => b.label === label);
  if (i < 0) return "#6b7280";
  const t = bands.length > 1 ? i / (bands.length - 1) : 0;
  return `hsl(${Math.round(130 * (1 - t))} 55% 38%)`;
}

/** CSV text as is; a JSON array or object parsed; empty text is no input. */
function readInput(text) {
  const t = text.trim();
  if (!t) return null;
  return t.startsWith("[") || t.startsWith("{") ? JSON.parse(t) : text;
}

// --- rubric -----------------------------------------------------------------------------

function loadRubric() {
  const text = $("rubric").value;
  const list = $("problems");
  list.replaceChildren();
  if (state.rubric) state.rubric.free();
  state.rubric = null;
  try {
    const rubric = Rubric.fromToml(text, state.file);
    state.rubric = rubric;
    $("rubric").classList.remove("invalid");
    $("rubric-info").textContent =
      `${rubric.title} · ${rubric.kind} · ${rubric.id} v${rubric.version} · ${rubric.hash.slice(0, 19)}…`;
    for (const w of rubric.warnings) {
      list.append(el("li", { class: "warning" }, `warning · ${w.path}: ${w.message}`));
    }
    renderSelfTests(rubric);
    return true;
  } catch (err) {
    $("rubric").classList.add("invalid");
    $("rubric-info").textContent = "";
    const problems = err.problems && err.problems.length ? err.problems
      : [{ path: ".", message: String(err.message), line: null, column: null }];
    for (const p of problems) {
      const loc = p.line != null ? `line ${p.line}, column ${p.column}` : "";
      const li = el("li", { "data-line": p.line ?? "", "data-column": p.column ?? "" },
        el("span", { class: "loc" }, loc), loc ? " · " : "",
        p.path && p.path !== "." ? `${p.path}: ` : "", p.message);
      li.addEventListener("click", () => jumpTo(p.line, p.column));
      list.append(li);
    }
    const summary = $("selftests-summary");
    summary.dataset.passed = "";
    summary.dataset.failed = "";
    summary.textContent = "Fix the rubric to run its self-tests.";
    $("selftests-failures").replaceChildren();
    return false;
  }
}

// The rubric's [[examples]], run on every edit: N passed / N failed, and each failing
// example with its differences.
function renderSelfTests(rubric) {
  const summary = $("selftests-summary");
  const failures = $("selftests-failures");
  failures.replaceChildren();
  let report;
  try {
    report = rubric.selfTest();
  } catch (err) {
    summary.textContent = `self-tests could not run: ${err.message}`;
    return;
  }
  summary.dataset.passed = String(report.passed);
  summary.dataset.failed = String(report.failed);
  summary.classList.toggle("failing", report.failed > 0);
  summary.textContent = report.examples.length === 0
    ? "This rubric has no [[examples]] yet."
    : `${report.passed} passed / ${report.failed} failed`;
  for (const ex of report.examples.filter((e) => !e.passed)) {
    const diffs = el("ul", {}, ...ex.diffs.map((d) =>
      el("li", { class: "diff" }, `${d.field}: expected ${d.expected}, got ${d.actual}`)));
    failures.append(el("li", { "data-example": ex.name }, el("strong", {}, ex.name), diffs));
  }
}

function jumpTo(line, column) {
  if (line == null) return;
  const ta = $("rubric");
  const lines = ta.value.split("\n");
  let pos = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
  pos += Math.max(0, (column || 1) - 1);
  ta.focus();
  ta.setSelectionRange(pos, pos + 1);
  const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 17;
  ta.scrollTop = Math.max(0, (line - 5) * lineHeight);
}

// --- health: accounts and results ---------------------------------------------------------

function scoreAccounts() {
  const tbody = $("results").tBodies[0];
  tbody.replaceChildren();
  $("input-error").textContent = "";
  state.results = [];
  if (!state.rubric) {
    tbody.append(el("tr", {}, el("td", { colSpan: 4, class: "small" }, "Fix the rubric errors to see scores.")));
    return;
  }
  try {
    state.results = state.rubric.scoreBatch(readInput($("accounts").value) ?? [],
      { explain: true, file: "accounts.csv" });
  } catch (err) {
    $("input-error").textContent = err.message;
    return;
  }
  for (const r of state.results) {
    const key = r.id ?? `row ${r.row}`;
    const tr = el("tr", { "data-id": key });
    if (r.status === "error") {
      tr.className = "failed";
      tr.append(el("td", {}, key), el("td", { class: "score" }, "–"), el("td", { class: "band" }, ""),
        el("td", { class: "message" }, r.error.message));
    } else {
      const label = r.band ? r.band.label : "";
      const badge = el("span", { class: "band" }, label || r.status.replace("_", " "));
      badge.style.background = bandColor(label);
      tr.append(el("td", {}, key), el("td", { class: "score" }, r.score ?? "–"),
        el("td", { class: "band-cell" }, badge),
        el("td", { class: "small" }, r.band ? r.band.action : "too little data measured"));
    }
    tr.addEventListener("click", () => { state.selected = key; renderSelection(); });
    tbody.append(tr);
  }
  const ids = state.results.map((r) => r.id ?? `row ${r.row}`);
  if (!ids.includes(state.selected)) {
    const firstScored = state.results.find((r) => r.status !== "error");
    state.selected = firstScored ? firstScored.id : null;
  }
}

function renderSelection() {
  for (const tr of $("results").tBodies[0].rows) {
    tr.classList.toggle("selected", tr.dataset.id === state.selected);
  }
  const r = state.results.find((x) => x.id === state.selected && x.status !== "error");
  drawChart(r);
}

// --- health: one bar per component, its contribution in points ----------------------------

function drawChart(r) {
  const chart = $("chart");
  chart.replaceChildren();
  const caption = $("chart-caption");
  const wit = $("what-it-takes");
  wit.replaceChildren();
  if (!r) {
    caption.textContent = state.rubric ? "Select a scored account." : "";
    return;
  }
  caption.textContent = `${r.id}: score ${r.score ?? "–"}` +
    (r.band ? ` (${r.band.label})` : "") + ` · raw ${r.raw_score ?? "–"} · measured weight ${r.measured_weight}%`;
  const spec = state.rubric.spec;
  const labels = Object.fromEntries(spec.components.map((c) => [c.id, c.label || c.id]));
  const m = /^\s*(-?[\d.]+)\s*-\s*(-?[\d.]+)\s*$/.exec(spec.scale);
  const scaleMax = m ? Number(m[2]) : 100;
  const rows = r.components;
  const maxPts = Math.max(...rows.map((c) => Math.max(Number(c.contribution),
    (Number(c.effective_weight) / 100) * scaleMax)), 1);
  const width = chart.clientWidth || 400;
  const labelW = 150, valueW = 70, barH = 22, gap = 18, top = 8;
  const barW = Math.max(40, width - labelW - valueW - 10);
  chart.setAttribute("height", String(top + rows.length * (barH + gap) + 10));
  rows.forEach((c, i) => {
    const y = top + i * (barH + gap);
    const possible = (Number(c.effective_weight) / 100) * scaleMax;
    const g = svg("g", { "data-component": c.id });
    g.append(svg("text", { x: 0, y: y + 15, class: "label" }, labels[c.id] || c.id));
    g.append(svg("rect", { x: labelW, y, width: (possible / maxPts) * barW, height: barH, fill: "#e6e9ef", rx: 3 }));
    g.append(svg("rect", { x: labelW, y, width: (Number(c.contribution) / maxPts) * barW, height: barH,
      fill: c.source === "override" ? "#8e5bd6" : "#3867d6", rx: 3, class: "bar" }));
    g.append(svg("text", { x: labelW + barW + 6, y: y + 15, class: "value" }, Number(c.contribution).toFixed(2)));
    const detail = c.score == null ? `missing (${c.source.replace("_", " ")})`
      : `score ${c.score} × weight ${c.effective_weight}%` + (c.source === "override" ? " (override)" : "");
    g.append(svg("text", { x: labelW, y: y + barH + 13, class: "muted" }, detail));
    chart.append(g);
  });
  if (r.what_it_takes) {
    const w = r.what_it_takes;
    wit.append(el("h3", {}, `To reach ${w.next_band} (${w.next_band_min})`));
    const ul = el("ul");
    for (const l of w.components) {
      ul.append(el("li", {}, `${labels[l.component] || l.component}: ` +
        (l.reachable ? `${l.current ?? "–"} → ${l.required} (+${l.change})` : (l.note || "not reachable alone"))));
    }
    wit.append(ul);
  }
}

// --- other kinds: the operation's answer as a generic table -------------------------------

function runOperation() {
  const answer = $("answer");
  answer.replaceChildren();
  $("op-error").textContent = "";
  $("answer-caption").textContent = "";
  if (!state.rubric) {
    answer.append(el("p", { class: "small" }, "Fix the rubric errors to see the answer."));
    return;
  }
  const ops = state.rubric.ops;
  const op = ops.includes(state.op) ? state.op : ops[0];
  $("op-name").textContent = op;
  let input, options;
  try {
    input = readInput($("op-input").value);
    const o = $("op-options").value.trim();
    options = o ? JSON.parse(o) : null;
  } catch (err) {
    $("op-error").textContent = `not JSON: ${err.message}`;
    return;
  }
  let result;
  try {
    result = state.rubric.run(op, input, typeof input === "string" ? { ...options, file: "input.csv" } : options);
  } catch (err) {
    $("op-error").textContent = `${err.code}: ${err.message}`;
    return;
  }
  const rows = Array.isArray(result) ? result : null;
  $("answer-caption").textContent = rows
    ? `${rows.length} rows, ${rows.filter((r) => r && r.status === "error").length} failed`
    : "";
  answer.append(renderValue(result, 0, "answer-table"));
}

const MAX_DEPTH = 2;

/** A value as a table (arrays of objects, objects) or text (scalars, deeper values). */
function renderValue(v, depth, id) {
  if (v === null || v === undefined) return document.createTextNode("–");
  if (Array.isArray(v)) {
    if (v.length === 0) return document.createTextNode("–");
    if (v.every((x) => x && typeof x === "object" && !Array.isArray(x)) && depth < MAX_DEPTH) {
      return rowsTable(v, depth, id);
    }
    if (v.every((x) => x === null || typeof x !== "object")) return document.createTextNode(v.join(", "));
    return el("code", { class: "json" }, JSON.stringify(v));
  }
  if (typeof v === "object") {
    if (depth >= MAX_DEPTH) return el("code", { class: "json" }, JSON.stringify(v));
    const table = el("table", { class: "kv" });
    if (id) table.id = id;
    for (const [k, x] of Object.entries(v)) {
      table.append(el("tr", { "data-key": k }, el("th", {}, k), el("td", {}, renderValue(x, depth + 1))));
    }
    return table;
  }
  return document.createTextNode(String(v));
}

function rowsTable(rows, depth, id) {
  const columns = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const table = el("table", { class: "rows" });
  if (id) table.id = id;
  table.append(el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", {}, c)))));
  const tbody = el("tbody");
  for (const r of rows) {
    const tr = el("tr", r.id !== undefined ? { "data-id": String(r.id) } : {});
    if (r.status === "error") tr.className = "failed";
    for (const c of columns) tr.append(el("td", { "data-column": c }, renderValue(r[c], depth + 1)));
    tbody.append(tr);
  }
  table.append(tbody);
  return table;
}

// --- examples of each bundled rubric --------------------------------------------------------

async function fetchText(path) {
  const res = await fetch(`../../${path}`);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.text();
}

/** The example input of a bundled rubric: www/examples.json, else its own [[examples]]. */
async function exampleOf(b) {
  const entry = examples[b.name];
  if (entry) {
    try {
      const input = entry.input ? await fetchText(entry.input) : "";
      return { op: entry.op, input, options: entry.options };
    } catch (err) {
      console.warn(`example input not reachable (${err.message}): using the rubric's [[examples]]`);
    }
  }
  const r = Rubric.bundled(b.name);
  try {
    if (r.kind === "health") {
      const rows = (r.spec.examples || []).map((e) => ({ id: e.name, ...e.inputs }));
      return { op: "score", input: JSON.stringify(rows, null, 1), options: null };
    }
    const first = r.examples[0];
    if (!first) return { op: r.ops[0], input: "", options: null };
    const input = first.input === null ? "" : JSON.stringify(Array.isArray(first.input) ? first.input : [first.input], null, 1);
    return { op: first.op ?? r.ops[0], input, options: first.options };
  } finally {
    r.free();
  }
}

async function selectBundled(name) {
  const b = bundled.find((x) => x.name === name);
  if (!b) return;
  setStatus("pending", "loading example…");
  const ex = await exampleOf(b);
  $("rubric").value = b.text;
  state.file = b.file;
  if (b.kind === "health") {
    $("accounts").value = ex.input;
  } else {
    state.op = ex.op;
    $("op-input").value = ex.input;
    $("op-options").value = ex.options ? JSON.stringify(ex.options, null, 1) : "";
  }
  update();
}

// --- wiring ----------------------------------------------------------------------------------

function update() {
  try {
    loadRubric();
    // The panes follow the rubric's kind; while the text has errors they stay as they were.
    if (state.rubric) state.mode = state.rubric.kind === "health" ? "health" : "op";
    const health = state.mode === "health";
    for (const e of document.querySelectorAll(".health-only")) e.hidden = !health;
    for (const e of document.querySelectorAll(".op-only")) e.hidden = health;
    if (health) {
      scoreAccounts();
      renderSelection();
    } else {
      runOperation();
    }
    setStatus(state.rubric ? "ready" : "error", state.rubric ? "up to date" : "rubric has errors");
  } catch (err) {
    setStatus("error", `error: ${err.message}`);
    throw err;
  }
}

let timer = 0;
function scheduleUpdate() {
  setStatus("pending", "updating…");
  clearTimeout(timer);
  timer = setTimeout(update, 120);
}

async function main() {
  await init();
  $("version").textContent = `csrubric ${version()} (WebAssembly)`;
  try {
    examples = (await (await fetch("examples.json")).json()).rubrics;
  } catch {
    examples = {};
  }
  bundled = bundledRubrics().filter((b) => b.format === "toml");
  const select = $("bundled");
  const kinds = [...new Set(bundled.map((b) => b.kind))];
  for (const kind of kinds) {
    const group = el("optgroup", { label: kind });
    for (const b of bundled.filter((x) => x.kind === kind)) group.append(el("option", { value: b.name }, b.name));
    select.append(group);
  }
  select.value = "health/slavkokernel";
  select.addEventListener("change", () => selectBundled(select.value));
  for (const id of ["rubric", "accounts", "op-input", "op-options"]) $(id).addEventListener("input", scheduleUpdate);
  window.addEventListener("resize", () => { if (state.mode === "health") renderSelection(); });
  await selectBundled(select.value);
}

main().catch((err) => {
  setStatus("error", `failed to start: ${err.message}`);
  console.error(err);
});
