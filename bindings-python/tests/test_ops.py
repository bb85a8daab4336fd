"""Every operation as a Rubric method, with keyword options. Expected values are the seeds'
numbers and hand calculations written here (each says how), never the library's output."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
from fractions import Fraction

import pytest

import csrubric
from conftest import EXAMPLES, RUBRICS

D = decimal.Decimal
UTC = dt.timezone.utc
BERLIN_WINTER = dt.timezone(dt.timedelta(hours=1))


def bundled(name: str) -> csrubric.Rubric:
    return csrubric.Rubric.bundled(name)


def hlt101(**extra) -> dict:
    # Seed 000's case study: impact 5, alignment 4, revenue 4, effort 2, cross-vertical 3.
    return {"id": "HLT-101", "customer_impact": 5, "strategic_alignment": 4, "revenue_impact": 4,
            "implementation_effort": 2, "cross_vertical_value": 3, **extra}


def request(id: str, ci, sa, ri, effort, cv) -> dict:
    return {"id": id, "customer_impact": ci, "strategic_alignment": sa, "revenue_impact": ri,
            "implementation_effort": effort, "cross_vertical_value": cv}


# ------------------------------------------------------------------ what a rubric is


@pytest.mark.parametrize(
    "name,kind,ops",
    [
        ("health/slavkokernel", "health", ["score", "history", "backtest", "test"]),
        ("calendars/business-hours-berlin", "calendar", ["business_time", "test"]),
        ("escalation/slavkokernel-sla", "sla", ["sla", "test"]),
        ("escalation/slavkokernel-risk", "escalation", ["escalate", "test"]),
        ("escalation/slavkokernel-alerts", "alerts", ["alerts", "test"]),
        ("priority/kinos", "priority", ["prioritize", "test"]),
        ("renewal/slavkokernel", "renewal", ["renewals", "test"]),
        ("kpi/slavkokernel", "kpi", ["kpi", "test"]),
        ("playbooks/slavkokernel-implementation", "plan", ["plan", "test"]),
        ("playbooks/slavkokernel-triage", "triage", ["triage", "test"]),
        ("playbooks/slavkokernel-capacity", "capacity", ["capacity", "test"]),
        ("playbooks/slavkokernel-interventions", "interventions", ["interventions", "test"]),
    ],
)
def test_kind_ops_summary(name, kind, ops):
    r = bundled(name)
    assert (r.kind, r.ops, r.id) == (kind, ops, name)
    assert r.summary.startswith(f"{name} {r.version} (") and r.summary.endswith(r.hash)
    assert r.to_dict()["kind"] == kind
    assert repr(r) == f"<csrubric.Rubric {kind} {name} {r.version}>"


def test_summaries_say_what_the_rubric_holds():
    # Seed 001: five components, five bands; four support tiers x four priorities.
    assert bundled("health/slavkokernel").summary.startswith("health/slavkokernel 1.0.0 (5 components, 5 bands) sha256:")
    assert "(4 tiers x 4 priorities)" in bundled("escalation/slavkokernel-sla").summary
    # Seed 000's five prioritization criteria.
    assert "(5 criteria, " in bundled("priority/kinos").summary


def test_warnings_name_the_rubric_path():
    w = bundled("playbooks/slavkokernel-triage").warnings
    assert [x["path"] for x in w] == ["routing.rules"]
    assert bundled("priority/kinos").warnings == []


def test_health_only_attributes_on_other_kinds():
    r = bundled("priority/kinos")
    for attr in ("bands", "input_columns"):
        with pytest.raises(csrubric.OptionsError) as e:
            getattr(r, attr)
        assert e.value.code == "unsupported_operation" and e.value.op == attr
        assert "prioritize, test" in str(e.value)


# ------------------------------------------------------------------ priority


def test_prioritize_ranks_the_seed_case_study():
    r = bundled("priority/kinos")
    # B: 3*.30 + 3*.25 + 2*.20 + (6-1)*.15 + 2*.10 = .90 + .75 + .40 + .75 + .20 = 3.00
    out = r.prioritize([request("B", 3, 3, 2, 1, 2), hlt101(), request("bad", "lots", 1, 1, 1, 1)])
    assert [(x["id"], x.get("rank"), x.get("score")) for x in out[:2]] == [
        ("HLT-101", 1, D("4.20")), ("B", 2, D("3.00"))]
    assert isinstance(out[0]["score"], D) and str(out[0]["score"]) == "4.20"
    # The failed request comes after the kept ones, with its row (3) and code.
    assert (out[2]["id"], out[2]["row"], out[2]["status"]) == ("bad", 3, "error")
    assert out[2]["error"]["code"] and "row 3" in out[2]["error"]["message"]


def test_prioritize_options():
    r = bundled("priority/kinos")
    rows = [request("B", 3, 3, 2, 1, 2), hlt101()]
    # min_score keeps 4.20 and drops 3.00; any number kind works.
    for m in (3.5, "3.5", D("3.5"), 4):
        assert [x["id"] for x in r.prioritize(rows, min_score=m)] == ["HLT-101"]
    # relative: 3.00 / 4.20 = 71.428...% -> 71.43; the best is 100.
    out = r.prioritize(rows, relative=True)
    assert [x["relative"] for x in out] == [D("100"), D("71.43")]
    assert "relative" not in r.prioritize(rows)[0]
    # explain: customer impact 5 x 30% = 1.50; effort 2 is reverse-scored to 6 - 2 = 4.
    c = {x["criterion"]: x for x in r.prioritize(rows, explain=True)[0]["contributions"]}
    assert c["customer_impact"]["contribution"] == D("1.50")
    assert c["implementation_effort"]["effective"] == D("4")
    # classification: the backlog marks HLT-101 a Performance Enhancer in its own column.
    kept = r.prioritize(EXAMPLES / "priority" / "backlog.csv", classification="performance_enhancer")
    assert "HLT-101" in [x["id"] for x in kept]
    assert {x["classification"] for x in kept} == {"performance_enhancer"}


def test_prioritize_vertical_filter_on_the_backlog():
    r = bundled("priority/kinos")
    out = r.prioritize(EXAMPLES / "priority" / "backlog.csv", vertical="gaming")
    with open(EXAMPLES / "priority" / "backlog.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    # Requests from gaming, or naming gaming among the verticals they apply to.
    expected = {row["id"] for row in rows
                if row["vertical"] == "gaming" or "gaming:" in row["verticals"]}
    assert {x["id"] for x in out} == expected and len(expected) > 4


# ------------------------------------------------------------------ escalation


def test_sla_standard_p1_over_the_weekend():
    # README: Standard P1 opened Friday 15:00 Berlin: response and resolution due Monday
    # 11:00 (2h Friday + 2h Monday); management notified at once.
    policy = bundled("escalation/slavkokernel-sla")
    ticket = [{"id": "T-1", "tier": "standard", "priority": "P1", "opened_at": "2026-11-27T15:00:00+01:00"}]
    for at in ("2026-11-27T16:00:00+01:00", dt.datetime(2026, 11, 27, 15, 0, tzinfo=UTC)):
        out = policy.sla(ticket, at=at)
        due = {t["target"]: t["due"] for t in out[0]["targets"]}
        assert due["first_response"] == due["resolution"] == "2026-11-30T11:00:00+01:00"
        assert due["management_notification"] == "2026-11-27T15:00:00+01:00"
        assert out[0]["breached"] == []


def test_sla_breach_and_unknown_tier():
    policy = bundled("escalation/slavkokernel-sla")
    tickets = [
        {"id": "T-1", "tier": "standard", "priority": "P1", "opened_at": "2026-11-27T15:00:00+01:00"},
        {"id": "T-2", "tier": "gold", "priority": "P1", "opened_at": "2026-11-27T15:00:00+01:00"},
    ]
    # Monday 12:00 is an hour past the 11:00 deadline.
    out = policy.sla(tickets, at=dt.datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN_WINTER))
    assert out[0]["breached"] == ["first_response", "resolution"]
    assert (out[1]["status"], out[1]["row"]) == ("error", 2)


def test_escalate_risk_matrix():
    # Seed 001's risk escalation matrix: a strategic customer at critical risk is Level 5
    # (CEO); critical risk alone is Level 4 (VP Customer Success, within 12 hours).
    m = bundled("escalation/slavkokernel-risk")
    out = m.escalate([
        {"id": "stark", "risk_level": "critical", "strategic": True, "playbook_failing": False},
        {"id": "umbrella", "risk_level": "critical", "strategic": False, "playbook_failing": False,
         "since": "2026-11-23T09:00:00Z"},
        {"id": "hooli", "risk_level": "severe"},
    ], at="2026-11-23T10:00:00Z")
    assert (out[0]["matches"][0]["level"], out[0]["matches"][0]["owner"]) == ("Level 5", "CEO")
    level4 = out[1]["matches"][0]
    assert (level4["level"], level4["owner"]) == ("Level 4", "VP Customer Success")
    assert level4["deadline"] == "2026-11-23T21:00:00Z"  # 09:00 + 12 hours
    assert out[2]["status"] == "error" and "`severe`" in out[2]["error"]["message"]


def test_alerts_due_on_business_time():
    # Seed 001's alerts: a 25% usage drop (threshold 20%) is due in 1 business day: detected
    # Friday 16:00 Berlin -> Monday 16:00. A technical issue is due in 4 business hours:
    # 1h Friday + 3h Monday -> Monday 12:00.
    rules = bundled("escalation/slavkokernel-alerts")
    out = rules.alerts(EXAMPLES / "escalation" / "alert-accounts.csv", at="2026-11-28T10:00:00+01:00")
    assert [(a["alert"], a["due"]) for a in out[0]["alerts"]] == [("usage_drop", "2026-11-30T16:00:00+01:00")]
    assert [(a["alert"], a["due"]) for a in out[1]["alerts"]] == [("technical_issue", "2026-11-30T12:00:00+01:00")]


def test_business_time_on_the_berlin_calendar():
    cal = bundled("calendars/business-hours-berlin")
    out = cal.business_time([
        # README's worked examples.
        {"id": "a", "start": "2026-11-27T15:00:00+01:00", "add": "4h"},
        {"id": "b", "start": "2026-11-27T15:00:00+01:00", "add": "2h"},
        {"id": "c", "start": "2026-12-31T16:00:00+01:00", "add": "2h"},
        {"id": "d", "start": "2026-11-27T16:00:00+01:00", "end": "2026-11-30T10:00:00+01:00"},
        {"id": "e", "start": "2026-11-27T16:00:00+01:00"},
    ])
    assert out[0]["end"] == "2026-11-30T11:00:00+01:00"       # 2h Friday, 2h Monday
    assert out[1]["end"] == "2026-11-27T17:00:00+01:00"       # the earliest instant: the close
    assert out[2]["end"] == "2027-01-04T10:00:00+01:00"       # New Year's Day is a Friday
    assert (out[3]["working_time"], out[3]["working_seconds"]) == ("2h", 2 * 3600)
    assert out[4]["status"] == "error" and out[4]["error"]["code"] == "invalid_input"


# ------------------------------------------------------------------ lifecycle


def test_renewals_180_days_before_the_end():
    playbook = bundled("renewal/slavkokernel")
    end = dt.date(2027, 6, 30)
    contracts = [{"id": "northwind", "start": "2026-07-01", "end": end.isoformat()},
                 {"id": "bad", "start": "2026-01-01", "end": "never"}]
    for today in ("2026-11-23", dt.date(2026, 11, 23)):
        out = playbook.renewals(contracts, today=today)
        # Seed 001: renewal planning starts 180 days before the renewal date.
        assert out[0]["next_due"] == (end - dt.timedelta(days=180)).isoformat() == "2027-01-01"
        assert out[0]["today"] == "2026-11-23"
        assert out[1]["status"] == "error" and out[1]["error"]["code"] == "renewal_bad_value"


def test_kpi_nrr_from_the_example_portfolio():
    rows = list(csv.DictReader((EXAMPLES / "kpi" / "accounts.csv").read_text().splitlines()))
    # NRR over existing customers (mrr_start > 0): sum(end) / sum(start).
    existing = [r for r in rows if r["mrr_start"] and int(r["mrr_start"]) > 0]
    nrr = Fraction(sum(int(r["mrr_end"]) for r in existing) * 100, sum(int(r["mrr_start"]) for r in existing))
    out = bundled("kpi/slavkokernel").kpi(EXAMPLES / "kpi" / "accounts.csv")
    k = {x["kpi"]: x for x in out["kpis"]}
    exact = D(nrr.numerator) / D(nrr.denominator)
    assert k["nrr"]["value"] == exact.quantize(D("0.01"), rounding=decimal.ROUND_HALF_UP)
    assert k["nrr"]["value"] == D("98.57")  # README: 27600 / 28000
    assert (k["nrr"]["numerator"], k["nrr"]["denominator"]) == (D(27600), D(28000))
    assert k["nrr"]["target"]["status"] == "missed"  # seed 001: NRR > 110
    assert out["rows"] == len(rows) and out["rejected"] == []


def test_journey_module_function():
    accounts = [{"id": "acme", "go_live": "2026-01-12", "contract_end": "2027-01-11"},
                {"id": "x", "go_live": "soon"}]
    out = csrubric.journey(accounts, today=dt.date(2026, 11, 23))
    # 90 days before 2027-01-11 is 2026-10-13: the renewal stage (seed 004).
    assert dt.date(2027, 1, 11) - dt.timedelta(days=90) == dt.date(2026, 10, 13)
    assert (out[0]["stage"]["stage"], out[0]["stage"]["since"]) == ("Renewal or Transition", "2026-10-13")
    assert out[1]["status"] == "error" and out[1]["error"]["code"] == "invalid_input"
    five = csrubric.journey(accounts[:1], today="2026-11-23", map="slavkokernel")
    assert five[0]["stage"]["map"] == "slavko_kernel"
    with pytest.raises(csrubric.OptionsError) as e:
        csrubric.journey(accounts, map="galaxy")
    assert e.value.code == "invalid_options" and e.value.op == "journey"


# ------------------------------------------------------------------ playbooks


def nth_working_day(start: dt.date, n: int) -> dt.date:
    """The n-th Monday-to-Friday day counting `start` as the first (no holidays in range)."""
    d, count = start, 0
    while True:
        if d.weekday() < 5:
            count += 1
            if count == n:
                return d
        d += dt.timedelta(days=1)


def test_plan_standard_package_and_status():
    t = bundled("playbooks/slavkokernel-implementation")
    out = t.plan(kickoff=dt.date(2027, 1, 4), package="standard")
    # Standard 8-10 weeks, planned to 10: go-live on the 50th working day from Monday
    # 2027-01-04 (no holiday before March), 2027-03-12; 8 weeks is the 40th.
    assert out["plan"]["go_live"] == nth_working_day(dt.date(2027, 1, 4), 50).isoformat() == "2027-03-12"
    assert out["plan"]["go_live_range"] == [nth_working_day(dt.date(2027, 1, 4), 40).isoformat(), "2027-03-12"]
    assert out["status"] is None
    status = t.plan(kickoff="2027-01-04", package="standard", as_of="2027-01-20",
                    done=["Project Kickoff", "Success Planning"])["status"]
    # Prepare (weeks 1-2) ended Friday 01-15; its three open activities are 3 working days
    # late on Wednesday 01-20, which moves go-live 3 working days: 2027-03-17.
    assert status["projected_go_live"] == "2027-03-17"
    assert {x["working_days_late"] for x in status["late"]} == {3}


def test_plan_errors():
    t = bundled("playbooks/slavkokernel-implementation")
    with pytest.raises(TypeError):
        t.plan()  # type: ignore[call-arg]  # kickoff is required by the signature
    with pytest.raises(csrubric.OptionsError, match="`kickoff`: `2027-02-30` is not a date") as e:
        t.plan(kickoff="2027-02-30")
    assert e.value.code == "invalid_options"
    with pytest.raises(csrubric.InputError, match="package `huge`") as e:
        t.plan(kickoff="2027-01-04", package="huge")
    assert e.value.code == "unknown_value"


def test_triage_seed_rules():
    t = bundled("playbooks/slavkokernel-triage")
    out = t.triage(EXAMPLES / "playbooks" / "tickets.csv")
    # Seed 001: a production system down is P1; an enterprise outage goes to the senior
    # engineer. `huge` is no impact value: that ticket fails in its place (row 7).
    assert (out[0]["id"], out[0]["priority"], out[0]["owner"]) == ("T-100", "P1", "Senior Technical Support Engineer")
    assert (out[6]["id"], out[6]["row"], out[6]["status"]) == ("T-106", 7, "error")


def test_capacity_with_a_roster_dataframe():
    pd = pytest.importorskip("pandas")
    c = bundled("playbooks/slavkokernel-capacity")
    portfolio = [{"id": f"A-{i}", "segment": "enterprise", "csm": "Ana"} for i in range(1, 18)]
    roster = pd.DataFrame([{"id": "Ana", "role": "CSM (Enterprise)"}, {"id": "Bo", "role": None}])
    out = c.capacity(portfolio, roster=roster)
    enterprise = out["report"]["roles"][0]
    # 17 enterprise accounts at 5-8 per CSM: ceil(17/8) = 3 to ceil(17/5) = 4.
    assert (enterprise["min_headcount"], enterprise["max_headcount"]) == (-(-17 // 8), -(-17 // 5)) == (3, 4)
    assert enterprise["status"] == "short by 2"
    assert [e["id"] for e in out["errors"]] == ["Bo"]
    assert out["errors"][0]["error"]["message"].startswith("roster: ")


def test_interventions_levels():
    i = bundled("playbooks/slavkokernel-interventions")
    out = i.interventions([{"id": "A-4", "band": "Critical", "start": "2027-01-04"},
                           {"id": "A-6", "band": "Amber", "start": "2027-01-04"}])
    # Seed 001: Critical is an executive escalation, due at once.
    assert (out[0]["plan"]["owner"], out[0]["plan"]["due"]) == ("CS Director + VP", "2027-01-04")
    assert out[1]["status"] == "error"


# ------------------------------------------------------------------ health over time


def test_history_trend_and_usage_drop():
    r = bundled("health/slavkokernel")
    out = r.history([{"id": "a", "date": "2026-03-15", "product_adoption": 64},
                     {"id": "a", "date": dt.date(2026, 3, 1), "product_adoption": 80}],
                    window_days=14, explain=True)
    # product_adoption alone counts (renormalized): 80.00 then 64.00, sorted by date; 80 ->
    # 64 is a 20% drop against the latest snapshot at least 14 days earlier (03-01), the
    # usage-drop threshold (with window_days=30 no snapshot is old enough: no alert).
    assert [(e["date"], e["score"]) for e in out] == [("2026-03-01", D("80.00")), ("2026-03-15", D("64.00"))]
    assert out[1]["trend"]["delta"] == D("-16.00")
    assert [a["id"] for a in out[1]["alerts"]] == ["usage_drop"]
    assert out[0]["result"]["score"] == D("80.00")  # explain: the whole result


def test_backtest_auc_by_hand():
    path = EXAMPLES / "history" / "churn.csv"
    rows = list(csv.DictReader(path.read_text().splitlines()))
    weights = {"product_adoption": 25, "technical_health": 20, "business_outcomes": 25,
               "relationship_health": 15, "growth_potential": 15}

    def score(row):  # seed 001 weights, rounded half-up to 2 decimals
        exact = sum(Fraction(row[c]) * w for c, w in weights.items()) / 100
        return D(exact.numerator) / D(exact.denominator)

    churned = [score(r) for r in rows if r["churned"] == "true"]
    kept = [score(r) for r in rows if r["churned"] == "false"]
    pairs = [(k, c) for k in kept for c in churned]
    won = sum(1 for k, c in pairs if k.quantize(D("0.01")) > c.quantize(D("0.01")))
    out = bundled("health/slavkokernel").backtest(path)
    assert (out["pairs"], out["pairs_won"], out["pairs_tied"]) == (len(pairs), won, 0)
    assert out["auc"].quantize(D("1e-20")) == (D(won) / D(len(pairs))).quantize(D("1e-20"))
    assert out["scored"] == len(rows) and out["failed"] == []


def test_shadow_compares_two_health_rubrics():
    current = bundled("health/slavkokernel")
    candidate = bundled("health/kinos-health")
    account = {"id": "a", "product_adoption": 90, "technical_health": 90, "business_outcomes": 90,
               "relationship_health": 90, "growth_potential": 90, "baa_signed": False}
    out = current.shadow(candidate, [account, {"product_adoption": 1}])
    # 90 everywhere is Excellent; kinos-health caps an account without a signed BAA at At Risk.
    assert (out[0]["current_band"], out[0]["candidate_band"], out[0]["band_changed"]) == ("Excellent", "At Risk", True)
    assert out[1]["status"] == "error" and out[1]["row"] == 2
    with pytest.raises(csrubric.OptionsError) as e:
        current.shadow(bundled("priority/kinos"), [account])
    assert "the candidate is a `priority` rubric" in str(e.value)
    with pytest.raises(csrubric.OptionsError) as e:
        bundled("priority/kinos").shadow(current, [account])
    assert e.value.code == "unsupported_operation"
    with pytest.raises(TypeError):
        current.shadow("health/kinos-health", [account])  # type: ignore[arg-type]


# ------------------------------------------------------------------ self tests and run


@pytest.mark.parametrize("name", csrubric.bundled_rubrics())
def test_every_bundled_rubric_passes_its_self_test(name):
    result = bundled(name).self_test()
    assert isinstance(result, csrubric.SelfTestResult)
    assert result and result.failed == 0, repr(result)
    assert result.passed == len(result.examples)
    assert all(e["passed"] for e in result.examples)
    assert result.rubric["id"] == name
    assert repr(result) == f"<SelfTestResult {name}: {result.passed} passed, 0 failed>"


def test_a_failing_example_is_reported_with_its_diff():
    text = (RUBRICS / "priority" / "kinos.toml").read_text()
    broken = text.replace('expect = [{ id = "HLT-101", rank = 1, score = "4.20" }]',
                          'expect = [{ id = "HLT-101", rank = 1, score = "4.30" }]')
    assert broken != text
    result = csrubric.Rubric.from_toml(broken, name="kinos.toml").self_test()
    assert not result and (result.passed, result.failed) == (2, 1)
    failing = [e for e in result.examples if not e["passed"]]
    assert failing[0]["diffs"][0]["field"] == "[0].score"
    assert "[0].score: expected" in repr(result) and "1 failed" in repr(result)
    assert result.to_dict()["failed"] == 1


def test_run_is_the_methods_by_name():
    r = bundled("priority/kinos")
    rows = [request("B", 3, 3, 2, 1, 2), hlt101()]
    assert r.run("prioritize", rows, relative=True) == r.prioritize(rows, relative=True)
    assert r.run("test").get("failed") == 0
    # The health `score` operation: compact rows, scores as Decimal.
    out = bundled("health/ai-ecosystem").run("score", "id,usage,engagement,success,growth\na,8,8,8,4\n")
    # (8 + 8 + 8 + 4) x 25% = 7.00: Yellow (5 to 8).
    assert (out[0]["score"], out[0]["band"]) == (D("7.00"), "Yellow")
    with pytest.raises(csrubric.OptionsError) as e:
        r.run("prioritize", rows, relatve=True)
    assert e.value.code == "invalid_options" and "unknown field `relatve`" in str(e.value)
    assert e.value.op == "prioritize"


def test_an_operation_of_another_kind():
    with pytest.raises(csrubric.OptionsError) as e:
        bundled("priority/kinos").sla([])
    err = e.value
    assert err.code == "unsupported_operation" and err.op == "sla"
    assert str(err) == "a `priority` rubric has no operation `sla` (it has: prioritize, test)"
    with pytest.raises(csrubric.OptionsError):
        bundled("health/slavkokernel").run("nonsense")
    with pytest.raises(csrubric.OptionsError):
        bundled("priority/kinos").score_batch({"id": ["a"]})
