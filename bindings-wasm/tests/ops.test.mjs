// Every operation of every rubric kind through the JS-idiom methods and `run`. Expected
// values are computed by hand in the comments (from the rubrics' weights, calendars and
// seeds) or taken from the rubrics' hand-worked [[examples]].
import { test } from "node:test";
import assert from "node:assert/strict";
import { csrubric, throwsCode } from "./helpers.mjs";

const { Rubric, journey } = csrubric;
const ok = (answer) => answer.filter((r) => r.status !== "error");

test("kind, ops, summary, examples of any kind", () => {
  const kinos = Rubric.bundled("priority/kinos");
  assert.equal(kinos.kind, "priority");
  assert.deepEqual(kinos.ops, ["prioritize", "test"]);
  assert.match(kinos.summary, /^priority\/kinos 1\.0\.0 \(5 criteria, weighted\) sha256:[0-9a-f]{64}$/);
  assert.equal(kinos.spec, null);
  assert.equal(kinos.inputColumns, null);
  assert.equal(kinos.examples.length, 3);
  const sk = Rubric.bundled("health/slavkokernel");
  assert.deepEqual(sk.ops, ["score", "history", "backtest", "test"]);
  assert.match(sk.summary, /^health\/slavkokernel 1\.0\.0 \(5 components, 5 bands\) sha256:/);
  assert.deepEqual(sk.examples, []);
  assert.deepEqual(Rubric.bundled("calendars/business-hours-berlin").ops, ["business_time", "test"]);
  assert.equal(Rubric.bundled("playbooks/slavkokernel-triage").warnings[0].path, "routing.rules");
});

test("prioritize: seed 000's case study and the options in camelCase", () => {
  const kinos = Rubric.bundled("priority/kinos");
  const rows = [
    // 5*.30 + 4*.25 + 4*.20 + (6-2)*.15 + 3*.10 = 1.5 + 1 + .8 + .6 + .3 = 4.20
    { id: "HLT-101", customer_impact: 5, strategic_alignment: 4, revenue_impact: 4, implementation_effort: 2, cross_vertical_value: 3 },
    // 2*.30 + 2*.25 + 3*.20 + (6-4)*.15 + 1*.10 = .6 + .5 + .6 + .3 + .1 = 2.10
    { id: "LOW-1", customer_impact: 2, strategic_alignment: 2, revenue_impact: 3, implementation_effort: 4, cross_vertical_value: 1 },
  ];
  const all = kinos.prioritize(rows);
  assert.deepEqual(all.map((r) => [r.id, r.rank, r.score]), [["HLT-101", 1, "4.20"], ["LOW-1", 2, "2.10"]]);
  const high = kinos.prioritize(rows, { minScore: 3 });
  assert.deepEqual(high.map((r) => r.id), ["HLT-101"]);
  assert.deepEqual(kinos.prioritize(rows, { minScore: "3" }), high);
  // explain: the contributions add up to the score (1.5 + 1 + .8 + .6 + .3), printed
  // normalised (no trailing zeros from the operands' scales, as the core and the vectors do).
  const explained = kinos.prioritize(rows, { explain: true })[0];
  assert.deepEqual(explained.contributions.map((c) => c.contribution), ["1.5", "1", "0.8", "0.6", "0.3"]);
  // The same call through run(), with the core's option names.
  assert.deepEqual(kinos.run("prioritize", rows, { min_score: 3 }), high);
  // snake_case belongs to run(); the idiom methods say how to write it.
  const e = throwsCode(() => kinos.prioritize(rows, { min_score: 3 }), "invalid_options");
  assert.equal(e.option, "min_score");
  assert.match(e.message, /`min_score` is written `minScore` here/);
  // An unknown option: named as written, the list of options in camelCase.
  const u = throwsCode(() => kinos.prioritize(rows, { minScroe: 3 }), "invalid_options");
  assert.equal(u.option, "minScroe");
  assert.match(u.message, /unknown field `minScroe`, expected one of .*`minScore`/);
  const t = throwsCode(() => kinos.prioritize(rows, { relative: "yes" }), "invalid_options");
  assert.equal(t.option, "relative");
  const c = throwsCode(() => kinos.prioritize(rows, { classification: "urgent" }), "invalid_options");
  assert.equal(c.option, "classification");
  const r = throwsCode(() => kinos.run("prioritize", rows, { minScore: 3 }), "invalid_options");
  assert.equal(r.option, "minScore");
});

test("prioritize: WSJF from the rubric's own example", () => {
  const wsjf = Rubric.bundled("priority/wsjf");
  const out = wsjf.prioritize([
    // a: (13 + 8 + 1) / 8 = 2.75
    { id: "a", business_value: 13, time_criticality: 8, risk_reduction_opportunity_enablement: 1, job_size: 8 },
    // b: (8 + 5 + 3) / 5 = 3.20
    { id: "b", business_value: 8, time_criticality: 5, risk_reduction_opportunity_enablement: 3, job_size: 5 },
  ]);
  assert.deepEqual(out.map((r) => [r.id, r.rank, r.score]), [["b", 1, "3.20"], ["a", 2, "2.75"]]);
});

test("sla: business hours across a weekend, at an instant", () => {
  const sla = Rubric.bundled("escalation/slavkokernel-sla");
  const tickets = [{ id: "T-1", tier: "standard", priority: "P2", opened_at: "2026-11-20T15:30:00+01:00" }];
  // first response 8 business hours: Friday 15:30-17:00 (1.5h) + Monday 09:00-15:30 (6.5h);
  // at Monday 10:00, 1.5h + 1h = 2.5h have elapsed and 5.5h remain.
  const [t] = sla.sla(tickets, { at: "2026-11-23T10:00:00+01:00" });
  assert.equal(t.targets[0].target, "first_response");
  assert.equal(t.targets[0].due, "2026-11-23T15:30:00+01:00");
  assert.equal(t.targets[0].state, "running");
  assert.equal(t.targets[0].elapsed, "2h 30m");
  assert.equal(t.targets[0].remaining_seconds, 5.5 * 3600);
  // A Date is the same instant (09:00Z is 10:00+01:00).
  const [d] = sla.sla(tickets, { at: new Date("2026-11-23T09:00:00Z") });
  assert.equal(d.targets[0].remaining_seconds, 5.5 * 3600);
  const e = throwsCode(() => sla.sla(tickets, { at: "Monday" }), "invalid_options");
  assert.equal(e.option, "at");
});

test("escalate and alerts: levels, deadlines and due times", () => {
  const support = Rubric.bundled("escalation/slavkokernel-support");
  // A P1 at a strategic customer: the executive level within 4h of 10:00Z.
  const [p1] = support.escalate([{ id: "s1", priority: "P1", strategic: true, since: "2026-11-23T10:00:00Z" }]);
  assert.equal(p1.matches[0].level, "Executive");
  assert.equal(p1.matches[0].deadline, "2026-11-23T14:00:00Z");
  const alerts = Rubric.bundled("escalation/slavkokernel-alerts");
  // -25% usage (>= 20% drop): due one business day later, Friday 16:00 -> Monday 16:00;
  // -19.99% is no drop.
  const out = alerts.alerts([
    { id: "a", usage_change_pct_2w: -25, detected_at: "2026-11-27T16:00:00+01:00" },
    { id: "b", usage_change_pct_2w: -19.99, detected_at: "2026-11-27T16:00:00+01:00" },
  ]);
  assert.deepEqual(out[0].alerts.map((a) => [a.alert, a.due]), [["usage_drop", "2026-11-30T16:00:00+01:00"]]);
  assert.deepEqual(out[1].alerts, []);
});

test("businessTime: Berlin office hours skip the weekend", () => {
  const berlin = Rubric.bundled("calendars/business-hours-berlin");
  const out = berlin.businessTime([
    // 4h from Friday 15:00: 15:00-17:00 (2h), Monday 09:00-11:00 (2h)
    { id: "a", start: "2026-11-27T15:00:00+01:00", add: "4h" },
    // Friday 16:00 to Monday 10:00: 1h + 1h
    { id: "b", start: "2026-11-27T16:00:00+01:00", end: "2026-11-30T10:00:00+01:00" },
  ]);
  assert.deepEqual(out.map((r) => [r.end, r.working_seconds]), [
    ["2026-11-30T11:00:00+01:00", 4 * 3600], ["2026-11-30T10:00:00+01:00", 2 * 3600]]);
});

test("renewals: seed 001's 180-day renewal planning", () => {
  const playbook = Rubric.bundled("renewal/slavkokernel");
  const out = playbook.renewals("id,start,end\nnorthwind,2026-07-01,2027-06-30\nbad,2026-01-01,never\n",
    { today: "2026-11-23", file: "contracts.csv" });
  // 180 days before 2027-06-30 is 2027-01-01; 2026-11-23 -> 2027-06-30 is 219 days.
  assert.equal(out[0].next_due, "2027-01-01");
  assert.equal(out[0].days_to_renewal, 219);
  assert.equal(out[1].status, "error");
  assert.equal(out[1].error.code, "renewal_bad_value");
  throwsCode(() => playbook.renewals([], { today: "23/11/2026" }), "invalid_options");
});

test("kpi: retention, NPS and health from a small portfolio", () => {
  const kpi = Rubric.bundled("kpi/slavkokernel");
  const answer = kpi.kpi([
    { id: "a", mrr_start: 100, mrr_end: 120, nps: 10, health: 90 },
    { id: "b", mrr_start: 100, mrr_end: 80, nps: 9, health: 70 },
    { id: "c", mrr_start: 100, mrr_end: 0, churned: true, nps: 3, health: 40 },
  ]);
  const v = Object.fromEntries(answer.kpis.map((k) => [k.kpi, k]));
  assert.equal(answer.rows, 3);
  // NRR (120 + 80 + 0) / 300 = 66.67%; GRR (100 + 80 + 0) / 300 = 60%.
  assert.equal(v.nrr.value, "66.67");
  assert.equal(v.grr.value, "60.00");
  assert.equal(v.nrr.target.status, "missed");
  // NPS: promoters 2 (10, 9), detractors 1 (3): (2 - 1) / 3 = 33.33.
  assert.equal(v.nps.value, "33.33");
  // Average health (90 + 70 + 40) / 3 = 66.67; below 60: 1 of 3 = 33.33%.
  assert.equal(v.avg_health.value, "66.67");
  assert.equal(v.at_risk_share.value, "33.33");
});

test("plan: a standard implementation, its go-live and its status", () => {
  const template = Rubric.bundled("playbooks/slavkokernel-implementation");
  // Standard is 8-10 weeks, planned to 10: go-live on the 50th working day after Monday
  // 2027-01-04 (Berlin holidays: none in the window but Jan 1, before it): 2027-03-12.
  const answer = template.plan({ kickoff: "2027-01-04", package: "standard" });
  assert.equal(answer.plan.go_live, "2027-03-12");
  assert.equal(answer.status, null);
  const status = template.plan({ kickoff: "2027-01-04", package: "standard", asOf: "2027-01-20", done: ["Project Kickoff"] });
  assert.equal(status.status.as_of, "2027-01-20");
  assert.deepEqual(status, template.run("plan", null, { kickoff: "2027-01-04", package: "standard", as_of: "2027-01-20", done: ["Project Kickoff"] }));
  const k = throwsCode(() => template.plan({}), "invalid_options");
  assert.equal(k.option, "kickoff");
  const d = throwsCode(() => template.plan({ kickoff: "2027-01-04", package: "standard", done: ["x"] }), "invalid_options");
  assert.equal(d.option, "done");
  assert.match(d.message, /`done` needs `asOf`/);
  throwsCode(() => template.plan({ kickoff: "2027-01-04", package: "platinum" }), "unknown_value");
});

test("triage, capacity and interventions", () => {
  const triage = Rubric.bundled("playbooks/slavkokernel-triage");
  const [t] = triage.triage([{ id: "T-1", system_down: true, impact: "severe", workaround: false, category: "outage", tier: "enterprise" }]);
  // A production system down is P1.
  assert.equal(t.priority, "P1");
  assert.deepEqual(t.priority_matched, ["system_down = true"]);

  const capacity = Rubric.bundled("playbooks/slavkokernel-capacity");
  const portfolio = { id: [], segment: [], tier: [], implementing: [], csm: [] };
  for (let i = 1; i <= 10; i++) {
    portfolio.id.push(`E-${i}`); portfolio.segment.push("enterprise");
    portfolio.tier.push(i <= 2 ? "strategic" : "standard"); portfolio.implementing.push(i === 1 ? "yes" : "no");
    portfolio.csm.push("Ana");
  }
  const answer = capacity.capacity(portfolio, { roster: [{ id: "Ana", role: "CSM (Enterprise)" }] });
  const enterprise = answer.report.roles.find((r) => r.role === "CSM (Enterprise)");
  // 10 enterprise accounts at 5-8 per CSM: ceil(10/8) = 2 to ceil(10/5) = 2.
  assert.deepEqual([enterprise.accounts, enterprise.min_headcount, enterprise.max_headcount, enterprise.roster], [10, 2, 2, 1]);
  // Ana holds 10 accounts, above the 8 one enterprise CSM can carry.
  assert.deepEqual(answer.report.overloaded.map((o) => [o.name, o.accounts, o.limit]), [["Ana", 10, 8]]);
  // 2 of 10 strategic: 20%.
  assert.equal(answer.report.split.find((s) => s.tier === "strategic").share, "20");

  const interventions = Rubric.bundled("playbooks/slavkokernel-interventions");
  const out = interventions.interventions("id,band,start\nA-4,Critical,2027-01-04\nA-6,Amber,2027-01-04\n");
  assert.equal(out[0].plan.risk_level, "critical");
  assert.equal(out[1].error.code, "invalid_input");
});

test("history, backtest and shadow of health rubrics", () => {
  const sk = Rubric.bundled("health/slavkokernel");
  const history = sk.history("id,date,product_adoption\na,2026-03-15,64\na,2026-03-01,80\nb,2026-03-01,70\nb,2026-03-01,71\n");
  const a = ok(history);
  // Sorted by date; product_adoption alone counts: 80 -> 64 is a 20% drop in two weeks.
  assert.deepEqual(a.map((e) => [e.date, e.score]), [["2026-03-01", "80.00"], ["2026-03-15", "64.00"]]);
  assert.equal(a[1].trend.delta, "-16.00");
  assert.equal(a[1].alerts[0].id, "usage_drop");
  assert.equal(history[2].error.code, "duplicate_date");
  assert.deepEqual(sk.history([], { carryForwardDays: 7, windowDays: 14, explain: true }), []);
  throwsCode(() => sk.history([], { carryForwardDays: 1.5 }), "invalid_options");

  // The one retained account outscores both churned ones: AUC 1.
  const bt = sk.backtest("id,product_adoption,churned\na,90,no\nb,60,yes\nc,30,yes\nd,50,maybe\n");
  assert.equal(bt.auc, "1");
  assert.equal(bt.failed[0].row, 4);

  // 90 everywhere is Excellent; kinos-health caps an account without a signed BAA at At Risk.
  const candidate = Rubric.bundled("health/kinos-health");
  const [s] = sk.shadow(candidate, [{ id: "a", product_adoption: 90, technical_health: 90,
    business_outcomes: 90, relationship_health: 90, growth_potential: 90, baa_signed: false }]);
  assert.deepEqual([s.current_band, s.candidate_band, s.band_changed], ["Excellent", "At Risk", true]);
  const e = throwsCode(() => sk.shadow(Rubric.bundled("priority/kinos"), []), "unsupported_operation");
  assert.ok(e.ops.includes("prioritize"));
});

test("journey: stage, owner and next touch point, with camelCase-free options", () => {
  const out = journey("id,go_live,contract_end\nacme,2026-01-12,2027-01-11\nx,soon,\n", { today: "2026-11-23" });
  // 90 days before 2027-01-11 is 2026-10-13: the renewal stage since then.
  assert.equal(out[0].stage.stage, "Renewal or Transition");
  assert.equal(out[0].stage.since, "2026-10-13");
  assert.equal(out[1].error.code, "invalid_input");
  const five = journey([{ id: "acme", go_live: "2026-01-12" }], { today: "2026-11-23", map: "slavkokernel" });
  assert.equal(five[0].stage.map, "slavko_kernel");
  const e = throwsCode(() => journey([], { map: "hero" }), "invalid_options");
  assert.equal(e.option, "map");
});

test("selfTest: the examples' counts, and a broken example's diff", () => {
  const wsjf = Rubric.bundled("priority/wsjf");
  const report = wsjf.selfTest();
  assert.deepEqual([report.passed, report.failed, report.rubric.id], [2, 0, "priority/wsjf"]);
  assert.deepEqual(report, wsjf.run("test"));
  const text = csrubric.bundledRubrics().find((b) => b.name === "priority/wsjf").text;
  const broken = Rubric.fromToml(text.replace('score = "3.20"', 'score = "3.30"'), "rubrics/priority/wsjf.toml");
  const r = broken.selfTest();
  assert.deepEqual([r.passed, r.failed], [1, 1]);
  assert.deepEqual(r.examples[0].diffs, [{ field: "[0].score", expected: "3.30", actual: "3.20" }]);
  // A health rubric: seed weights, 5 examples.
  assert.deepEqual(Rubric.bundled("health/slavkokernel").selfTest().failed, 0);
});

test("run: every input form, and the wrong operation for a kind", () => {
  const kinos = Rubric.bundled("priority/kinos");
  const header = "id,customer_impact,strategic_alignment,revenue_impact,implementation_effort,cross_vertical_value";
  const csv = `${header}\nHLT-101,5,4,4,2,3\n`;
  const rows = [{ id: "HLT-101", customer_impact: 5, strategic_alignment: 4, revenue_impact: 4, implementation_effort: 2, cross_vertical_value: 3 }];
  const columns = { id: ["HLT-101"], customer_impact: Int8Array.of(5), strategic_alignment: [4], revenue_impact: ["4"], implementation_effort: [2n], cross_vertical_value: Float64Array.of(3) };
  const fromCsv = kinos.run("prioritize", csv);
  assert.equal(fromCsv[0].score, "4.20");
  assert.deepEqual(kinos.run("prioritize", rows), fromCsv);
  assert.deepEqual(kinos.run("prioritize", columns), fromCsv);
  assert.deepEqual(kinos.run("prioritize", null), []);
  const e = throwsCode(() => kinos.run("score", rows), "unsupported_operation");
  assert.deepEqual(e.ops, ["prioritize", "test"]);
  throwsCode(() => kinos.sla(rows), "unsupported_operation");
  throwsCode(() => kinos.scoreBatch(rows), "unsupported_operation");
  throwsCode(() => kinos.run("prioritize", "name\nx\n", { file: "r.csv" }), "input_file");
  const f = throwsCode(() => kinos.run("prioritize", rows, { file: 7 }), "invalid_options");
  assert.equal(f.option, "file");
  // Whole numbers stay integers: an id of 7 is "7" (not "7.0"), as in a JSON file.
  assert.equal(kinos.prioritize([{ ...rows[0], id: 7 }])[0].id, "7");
});
