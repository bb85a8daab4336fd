// csrubric playground: no framework, no server logic. Every number on the page comes from
// the csrubric WebAssembly module (exact decimals, as strings); this file only renders.
import init, { Rubric, bundledRubrics, version } from "../pkg/web/csrubric_wasm.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

// The accounts of examples/health/slavkokernel.csv.
const SAMPLE_ACCOUNTS = `id,name,product_adoption,technical_health,business_outcomes,relationship_health,growth_potential
acme,Acme Logistics,92,88,90,80,85
borealis,Borealis Bank,85,85,85,85,85
cobalt,Cobalt Health,84.99,85,85,85,85
delta,Delta Retail,70,65,72,60,55
ember,Ember Energy,55,60,50,45,40
fjord,Fjord Insurance,35,40,30,50,25
garnet,Garnet Legal,90,,88,,
helix,Helix Manufacturing,60,75,58,70,
`;

const state = { rubric: null, results: [], selected: null };

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
  const bands = state.rubric ? state.rubric.spec.bands.slice() : [];
  bands.sort((a, b) => Number(b.min) - Number(a.min));
  const i = bands.findIndex((b) => b.label === label);
  if (i < 0) return "#6b7280";
  const t = bands.length > 1 ? i / (bands.length - 1) : 0;
  return `hsl(${Math.round(130 * (1 - t))} 55% 38%)`;
}

// --- rubric -----------------------------------------------------------------------------

function loadRubric() {
  const text = $("rubric").value;
  const list = $("problems");
  list.replaceChildren();
  try {
    const rubric = Rubric.fromToml(text, "rubric.toml");
    if (state.rubric) state.rubric.free();
    state.rubric = rubric;
    $("rubric").classList.remove("invalid");
    $("rubric-info").textContent =
      `${rubric.title} · ${rubric.id} v${rubric.version} · ${rubric.hash.slice(0, 19)}…`;
    renderSelfTests(rubric);
    return true;
  } catch (err) {
    if (state.rubric) state.rubric.free();
    state.rubric = null;
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
    $("selftests-body").textContent = "Fix the rubric to run its self-tests.";
    return false;
  }
}

// Rubric self-tests are another capability in progress: shown here once the package has them.
function renderSelfTests(rubric) {
  const body = $("selftests-body");
  if (typeof rubric.selfTest !== "function") {
    body.textContent = "This build has no rubric self-tests yet.";
    return;
  }
  try {
    const report = rubric.selfTest();
    body.textContent = JSON.stringify(report);
  } catch (err) {
    body.textContent = `self-tests failed to run: ${err.message}`;
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

// --- accounts and results -----------------------------------------------------------------

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
    state.results = state.rubric.scoreBatch($("accounts").value, { explain: true, file: "accounts.csv" });
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

// --- chart: one bar per component, its contribution in points ----------------------------

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

// --- wiring ----------------------------------------------------------------------------------

function update() {
  try {
    loadRubric();
    scoreAccounts();
    renderSelection();
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
  const select = $("bundled");
  const bundled = bundledRubrics().filter((b) => b.kind === "health" && b.format === "toml");
  for (const b of bundled) select.append(el("option", { value: b.name }, b.name));
  const start = bundled.find((b) => b.name === "health/slavkokernel") || bundled[0];
  select.value = start ? start.name : "";
  $("rubric").value = start ? start.text : "";
  $("accounts").value = SAMPLE_ACCOUNTS;
  select.addEventListener("change", () => {
    const b = bundled.find((x) => x.name === select.value);
    if (b) { $("rubric").value = b.text; update(); }
  });
  $("rubric").addEventListener("input", scheduleUpdate);
  $("accounts").addEventListener("input", scheduleUpdate);
  window.addEventListener("resize", () => renderSelection());
  update();
}

main().catch((err) => {
  setStatus("error", `failed to start: ${err.message}`);
  console.error(err);
});
