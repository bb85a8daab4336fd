// Browser end-to-end: Debian's chromium (headless, through playwright-core) loads the
// playground from 127.0.0.1 (the repository root, as the README's command serves it), a
// weight is edited by typing, and the displayed score, band and self-test counts change to
// values computed by hand below; an invalid rubric shows its line and column; a bundled
// rubric of another kind shows its operation's answer and its self-tests, which follow an
// edit that breaks an example. Screenshots go to bindings-wasm/test-artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { pkgDir, repoDir } from "./helpers.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = path.join(pkgDir, "test-artifacts");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json", ".csv": "text/csv" };
let server, browser, page, base;
const pageErrors = [];

before(async () => {
  // A static file server for the repository on 127.0.0.1 (like the README's python command).
  server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const file = path.normalize(path.join(repoDir, decodeURIComponent(url.pathname)));
    const target = existsSync(file) && statSync(file).isDirectory() ? path.join(file, "index.html") : file;
    if (!target.startsWith(repoDir + path.sep) || !existsSync(target)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(target)] || "application/octet-stream" });
    res.end(readFileSync(target));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
  // playwright gives every launch a fresh temporary profile (its own --user-data-dir).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on("pageerror", (e) => { pageErrors.push(e.message); console.error("page error:", e.message); });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => server.close(ok));
});

const cell = (id, cls) => page.locator(`#results tbody tr[data-id="${id}"] td.${cls}`).innerText();
const selfTests = async () => {
  const s = page.locator("#selftests-summary");
  return [await s.getAttribute("data-passed"), await s.getAttribute("data-failed"), await s.innerText()];
};

/** Selects the `weight = N` of a component in the editor and types a new value. */
async function typeWeight(component, value) {
  await page.evaluate(([c]) => {
    const ta = document.getElementById("rubric");
    const at = ta.value.indexOf(`id = "${c}"`);
    const m = /weight = (\d+)/.exec(ta.value.slice(at));
    const start = at + m.index + "weight = ".length;
    ta.focus();
    ta.setSelectionRange(start, start + m[1].length);
  }, [component]);
  await page.keyboard.type(String(value));
}

/** Selects the first occurrence of `text` in the editor and types `replacement`. */
async function typeOver(text, replacement) {
  await page.evaluate(([t]) => {
    const ta = document.getElementById("rubric");
    const at = ta.value.indexOf(t);
    if (at < 0) throw new Error(`${t} not in the editor`);
    ta.focus();
    ta.setSelectionRange(at, at + t.length);
  }, [text]);
  await page.keyboard.type(replacement);
}

async function settled(state) {
  await page.waitForSelector(`#status[data-state="${state}"]`, { timeout: 15000 });
}

test("the playground scores the sample accounts with the seed rubric", async () => {
  await page.goto(`${base}/bindings-wasm/www/`);
  await settled("ready");
  // cobalt: 84.99*.25 + 85*.75 = 84.9975 -> 85.00, Excellent (>= 85)
  assert.equal(await cell("cobalt", "score"), "85.00");
  assert.equal(await cell("cobalt", "band-cell"), "Excellent");
  // delta: 70*.25 + 65*.2 + 72*.25 + 60*.15 + 55*.15 = 65.75, Moderate (55-70)
  assert.equal(await cell("delta", "score"), "65.75");
  assert.equal(await cell("delta", "band-cell"), "Moderate");
  assert.equal(await page.locator("#results tbody tr").count(), 8);
  // The chart shows one bar per component for the selected account.
  await page.locator('#results tbody tr[data-id="cobalt"]').click();
  assert.match(await page.locator("#chart-caption").innerText(), /^cobalt: score 85\.00 \(Excellent\)/);
  assert.equal(await page.locator("#chart .bar").count(), 5);
  assert.equal(await page.locator('#chart g[data-component="product_adoption"] .value').textContent(), "21.25");
  // The seed rubric's five hand-worked examples all pass.
  assert.deepEqual(await selfTests(), ["5", "0", "5 passed / 0 failed"]);
  assert.equal(await page.locator("#selftests-failures li").count(), 0);
  await page.screenshot({ path: path.join(artifacts, "playground.png"), fullPage: true });
});

test("editing a weight: the error shows line and column, then score, band and self-tests change", async () => {
  // product_adoption 25 -> 60: the weights sum to 135, reported at `[[components]]`, 17:3.
  await typeWeight("product_adoption", 60);
  await settled("error");
  const problem = await page.locator("#problems li").first().innerText();
  assert.match(problem, /^line 17, column 3/);
  assert.match(problem, /sum to 135%/);
  assert.equal(await page.locator("#rubric.invalid").count(), 1);
  assert.equal(await page.locator("#selftests-summary").innerText(), "Fix the rubric to run its self-tests.");
  await page.screenshot({ path: path.join(artifacts, "playground-error.png"), fullPage: true });

  // technical_health 20 -> 5 and business_outcomes 25 -> 5: 60+5+5+15+15 = 100, valid again.
  await typeWeight("technical_health", 5);
  await typeWeight("business_outcomes", 5);
  await settled("ready");
  assert.equal(await page.locator("#problems li").count(), 0);
  // cobalt: 84.99*.6 + 85*.05 + 85*.05 + 85*.15 + 85*.15 = 50.994 + 34 = 84.994 -> 84.99, Good
  assert.equal(await cell("cobalt", "score"), "84.99");
  assert.equal(await cell("cobalt", "band-cell"), "Good");
  // delta: 70*.6 + 65*.05 + 72*.05 + 60*.15 + 55*.15 = 42 + 3.25 + 3.6 + 9 + 8.25 = 66.10
  assert.equal(await cell("delta", "score"), "66.10");
  assert.equal(await cell("delta", "band-cell"), "Moderate");
  // The selected account's chart follows: product_adoption contributes 84.99*.6 = 50.994.
  assert.match(await page.locator("#chart-caption").innerText(), /^cobalt: score 84\.99 \(Good\)/);
  assert.equal(await page.locator('#chart g[data-component="product_adoption"] .value').textContent(), "50.99");
  // The examples under the new weights 60/5/5/15/15:
  // * every component at 90: still 90.00 Excellent (passes);
  // * mixed: 80*.6 + 70*.05 + 60*.05 + 50*.15 + 40*.15 = 48 + 3.5 + 3 + 7.5 + 6 = 68.00, not the
  //   62.50 expected (still Moderate): fails on the score;
  // * two measured: (50*60 + 70*5) / 65 = 3350/65 = 51.538... -> 51.54, At Risk, not 60.00
  //   Moderate: fails on score and band;
  // * product adoption alone from its metrics: 85.00 (passes); above the scale: an error (passes).
  assert.deepEqual(await selfTests(), ["3", "2", "3 passed / 2 failed"]);
  const failures = page.locator("#selftests-failures > li");
  assert.equal(await failures.count(), 2);
  assert.equal(await failures.nth(0).getAttribute("data-example"), "mixed components land in Moderate");
  assert.deepEqual(await failures.nth(0).locator(".diff").allInnerTexts(), ["score: expected 62.50, got 68.00"]);
  assert.equal(await failures.nth(1).getAttribute("data-example"), "two components measured: weights renormalized");
  assert.deepEqual(await failures.nth(1).locator(".diff").allInnerTexts(),
    ["score: expected 60.00, got 51.54", "band: expected Moderate, got At Risk"]);
  await page.screenshot({ path: path.join(artifacts, "playground-edited.png"), fullPage: true });
});

test("a TOML syntax error is shown with its line and column", async () => {
  await page.evaluate(() => {
    const ta = document.getElementById("rubric");
    ta.value = ta.value.replace('version = "1.0.0"', 'version = "1.0.0');
    ta.dispatchEvent(new Event("input"));
  });
  await settled("error");
  assert.match(await page.locator("#problems li").first().innerText(), /^line 10, column 17 · invalid basic string/);
  assert.match(await page.locator("#results tbody").innerText(), /Fix the rubric errors/);
});

test("any bundled rubric: its operation's answer and its self-tests, which follow an edit", async () => {
  // The SLA policy on examples/escalation/tickets.csv at Monday 10:00 Berlin: 8 tickets.
  await page.selectOption("#bundled", "escalation/slavkokernel-sla");
  await settled("ready");
  assert.equal(await page.locator("#op-name").innerText(), "sla");
  assert.equal(await page.locator("#accounts-pane").isHidden(), true);
  assert.equal(await page.locator("#answer-table > tbody > tr").count(), 8);
  // T-100, Standard P2 opened Friday 15:30: 1.5h Friday + 6.5h Monday -> first response due Monday 15:30.
  assert.match(await page.locator('#answer-table > tbody > tr[data-id="T-100"] td[data-column="targets"]').innerText(),
    /first_response[\s\S]*2026-11-23T15:30:00\+01:00/);
  assert.deepEqual(await selfTests(), ["4", "0", "4 passed / 0 failed"]);
  await page.screenshot({ path: path.join(artifacts, "playground-sla.png"), fullPage: true });

  // WSJF has no example file: the answer is its first [[examples]] case,
  // b: (8 + 5 + 3) / 5 = 3.20 ranks above a: (13 + 8 + 1) / 8 = 2.75.
  await page.selectOption("#bundled", "priority/wsjf");
  await settled("ready");
  assert.equal(await page.locator("#op-name").innerText(), "prioritize");
  const score = (id) => page.locator(`#answer-table > tbody > tr[data-id="${id}"] > td[data-column="score"]`).innerText();
  assert.equal(await score("b"), "3.20");
  assert.equal(await score("a"), "2.75");
  assert.deepEqual(await selfTests(), ["2", "0", "2 passed / 0 failed"]);
  // An edit that breaks an example: expecting 3.30 for b.
  await typeOver('score = "3.20"', 'score = "3.30"');
  await settled("ready");
  assert.deepEqual(await selfTests(), ["1", "1", "1 passed / 1 failed"]);
  assert.deepEqual(await page.locator("#selftests-failures .diff").allInnerTexts(), ["[0].score: expected 3.30, got 3.20"]);
  await page.screenshot({ path: path.join(artifacts, "playground-selftest.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
