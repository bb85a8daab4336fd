// Browser end-to-end: Debian's chromium (headless, through playwright-core) loads the
// playground from 127.0.0.1, a weight is edited by typing, and the displayed score and band
// change to values computed by hand below; an invalid rubric shows its line and column.
// Screenshots go to bindings-wasm/test-artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { pkgDir } from "./helpers.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = path.join(pkgDir, "test-artifacts");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json" };
let server, browser, page, base;

before(async () => {
  // A static file server for bindings-wasm/ on 127.0.0.1 (like the README's python command).
  server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const file = path.normalize(path.join(pkgDir, decodeURIComponent(url.pathname)));
    const target = file.endsWith(path.sep) ? path.join(file, "index.html") : file;
    if (!target.startsWith(pkgDir + path.sep) || !existsSync(target)) {
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
  page.on("pageerror", (e) => console.error("page error:", e.message));
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => server.close(ok));
});

const cell = (id, cls) => page.locator(`#results tbody tr[data-id="${id}"] td.${cls}`).innerText();

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

async function settled(state) {
  await page.waitForSelector(`#status[data-state="${state}"]`, { timeout: 10000 });
}

test("the playground scores the sample accounts with the seed rubric", async () => {
  await page.goto(`${base}/www/`);
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
  await page.screenshot({ path: path.join(artifacts, "playground.png"), fullPage: true });
});

test("editing a weight: the error shows line and column, then score and band change", async () => {
  // product_adoption 25 -> 60: the weights sum to 135, reported at `[[components]]`, 17:3.
  await typeWeight("product_adoption", 60);
  await settled("error");
  const problem = await page.locator("#problems li").first().innerText();
  assert.match(problem, /^line 17, column 3/);
  assert.match(problem, /sum to 135%/);
  assert.equal(await page.locator("#rubric.invalid").count(), 1);
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
