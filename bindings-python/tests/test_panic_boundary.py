"""No Rust panic reaches Python: a battery of hostile inputs through every public entry point
(loaders, every operation, every option, batch and single scoring, journey), asserting that
each call either answers or raises a `csrubric.CsrubricError` subclass. pyo3 turns a panic
into `pyo3_runtime.PanicException`, a BaseException: it is not caught here, so any panic
fails the test."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

import csrubric
from conftest import RUBRICS

D = decimal.Decimal
UTC = dt.timezone.utc


def survive(f, *args, **kwargs):
    """Call `f`; a CsrubricError is an answer too. Anything else propagates."""
    try:
        return f(*args, **kwargs)
    except csrubric.CsrubricError as e:
        assert isinstance(e.code, str) and e.code, repr(e)
        str(e)
        return e


def nested(depth: int, leaf=1):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


HUGE_INT = 10**400
HOSTILE_CELLS = [
    None, "", " ", "NaN", "nan", "inf", "-inf", "1e400", "-1e400", "1e-400", "0x10", "١٢٣",
    "99999999999999999999999999999999.99", "-0", "0.000000000000000000000000000001",
    "9" * 5000, "\x00", "\u202e", "😀", True, False, 0, -1, 2**63, -(2**63) - 1, 2**64, HUGE_INT,
    -HUGE_INT, 1e308, -1e308, 5e-324, float("nan"), float("inf"), -float("inf"), D("1e400"),
    D("-1e-400"), D("NaN"), D("sNaN"), D("Infinity"), [1, 2], {"a": 1}, nested(50), nested(200),
    {"type": "status", "status": None}, "2026-02-30", "9999-12-31", "0001-01-01",
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-11-23T10:00:00+99:00",
    "+275760-09-13T00:00:00Z", "2026-11-23T10:00:00", "1bd", "-5h", "99999999bd",
    "999999999999h", "P1", "yes", "maybe",
]
HOSTILE_OPTIONS = [
    1, -1, 0, HUGE_INT, 2**63, 1.5, -1e308, "", "garbage", " ", "9999-12-31", "0001-01-01",
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-02-30", [], [1, [2]], {}, {"a": {"b": None}},
    True, False, dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.datetime(9999, 12, 31, tzinfo=UTC),
    dt.datetime(1, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 1), D("1e400"), D("-1e-400"),
    float("nan"), float("inf"), object(), nested(50), nested(300), "rubrics/../../etc/passwd",
    "/dev/null", "rubrics/calendars", "calendars/business-hours-berlin.toml",
]

# The columns each kind reads, to aim hostile values where they matter.
COLUMNS = {
    "health": ["product_adoption", "technical_health", "business_outcomes", "relationship_health",
               "growth_potential", "active_users_pct", "availability_pct", "date", "churned",
               "overrides", "baa_signed", "unapproved_changes", "days_to_regulatory_deadline"],
    "calendar": ["start", "add", "end"],
    "sla": ["tier", "priority", "opened_at", "events", "first_response_at", "resolved_at", "status"],
    "escalation": ["priority", "category", "breached", "strategic", "since", "risk_level", "segment"],
    "alerts": ["usage_change_pct_2w", "technical_issue", "detected_at"],
    "priority": ["customer_impact", "strategic_alignment", "revenue_impact", "implementation_effort",
                 "cross_vertical_value", "verticals", "reach", "impact", "confidence", "effort",
                 "job_size", "kano", "classification", "severity"],
    "renewal": ["start", "end", "notice_days", "auto_renew", "completed", "path"],
    "kpi": ["mrr_start", "mrr_end", "churned", "nps", "csat", "ces", "health", "value_realized",
            "time_to_first_value_days"],
    "plan": [],
    "triage": ["system_down", "impact", "workaround", "category", "tier"],
    "capacity": ["segment", "tier", "implementing", "csm"],
    "interventions": ["band", "risks", "start", "measured", "baseline_usage", "current_usage"],
}
OPTIONS = {
    "score": ["at", "explain", "overrides"],
    "history": ["carry_forward_days", "window_days", "explain"],
    "backtest": [],
    "business_time": [],
    "sla": ["at"],
    "escalate": ["at"],
    "alerts": ["at"],
    "prioritize": ["vertical", "classification", "min_score", "relative", "explain"],
    "renewals": ["today", "calendar"],
    "kpi": [],
    "plan": ["kickoff", "package", "industry", "calendar", "as_of", "done"],
    "triage": [],
    "capacity": ["roster"],
    "interventions": [],
    "test": [],
}
BUNDLED = csrubric.bundled_rubrics()


def hostile_rows(kind: str) -> list[list[dict]]:
    """Row sets: each column of the kind set to each hostile cell, plus a few whole-row
    oddities."""
    sets = []
    cols = COLUMNS[kind] or ["x"]
    for i, cell in enumerate(HOSTILE_CELLS):
        row = {"id": f"r{i}"}
        for c in cols:
            row[c] = cell
        sets.append([row])
    sets.append([{"id": None}, {"id": HUGE_INT}, {"id": ""}, {"id": [1]}, {"id": "dup"}, {"id": "dup"}])
    sets.append([{}, "text", 7, None, [1], {"id": "x", "": 1}])
    sets.append([{"id": "x" * 100_000, "y" * 10_000: "z"}])
    return sets


@pytest.mark.parametrize("name", BUNDLED)
def test_every_operation_with_hostile_rows(name):
    r = csrubric.Rubric.bundled(name)
    for op in r.ops:
        if op in ("test", "plan"):
            continue
        options = {"at": "2026-11-23T10:00:00Z"} if "at" in OPTIONS[op] else {}
        if op == "renewals":
            options = {"today": "2026-11-23"}
        for rows in hostile_rows(r.kind):
            survive(r.run, op, rows, **options)
        survive(r.run, op, "id\n" + "\n".join(f"a{i}" for i in range(100)) + "\n", **options)
        survive(r.run, op, "garbage\x00,\"unterminated\n", **options)
        survive(r.run, op, "", **options)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_option_with_hostile_values(name):
    r = csrubric.Rubric.bundled(name)
    plan_base = {"kickoff": "2027-01-04"}
    for op in r.ops:
        for opt in OPTIONS[op]:
            for value in HOSTILE_OPTIONS:
                options = dict(plan_base) if op == "plan" else {}
                options[opt] = value
                data = None if op in ("plan", "test") else [{"id": "a"}]
                survive(r.run, op, data, **options)
        survive(r.run, op, None, nonsense=1)
        survive(r.run, op, None, **{"": None, "at": None})


def test_named_methods_with_hostile_options():
    b = csrubric.Rubric.bundled
    for value in HOSTILE_OPTIONS:
        survive(b("priority/kinos").prioritize, [{"id": "a"}], vertical=value, classification=value,
                min_score=value, relative=value, explain=value)
        survive(b("escalation/slavkokernel-sla").sla, [{"id": "a"}], at=value)
        survive(b("escalation/slavkokernel-support").escalate, [{"id": "a"}], at=value)
        survive(b("escalation/slavkokernel-alerts").alerts, [{"id": "a"}], at=value)
        survive(b("renewal/slavkokernel").renewals, [{"id": "a", "start": "2026-01-01", "end": "2026-12-31"}],
                today=value, calendar=value)
        survive(b("playbooks/slavkokernel-implementation").plan, kickoff=value, package=value,
                industry=value, calendar=value, as_of=value, done=[value] if not isinstance(value, list) else value)
        survive(b("playbooks/slavkokernel-capacity").capacity, [{"id": "a", "segment": "growth"}], roster=value)
        survive(b("health/slavkokernel").history, [{"id": "a", "date": "2026-01-01"}],
                carry_forward_days=value, window_days=value, explain=value)
        survive(csrubric.journey, [{"id": "a", "go_live": "2026-01-01"}], today=value, map=value)


def test_far_dates_through_the_date_operations():
    b = csrubric.Rubric.bundled
    for day in ("0001-01-01", "9999-12-31", "9999-12-30", "1970-01-01"):
        survive(b("playbooks/slavkokernel-implementation").plan, kickoff=day, package="standard",
                as_of=day, done=["Project Kickoff"])
        survive(b("playbooks/ai-ecosystem-onboarding").plan, kickoff=day)
        for playbook in ("renewal/slavkokernel", "renewal/cradle-to-grave"):
            survive(b(playbook).renewals, [{"id": "a", "start": day, "end": day, "notice_days": 2**40}], today=day)
            survive(b(playbook).renewals, [{"id": "a", "start": "2026-01-01", "end": day}], today="2026-01-01")
        survive(csrubric.journey, [{"id": "a", "go_live": day, "contract_end": day, "signed": day,
                                    "employees": HUGE_INT, "nps": 10**20, "success": "met"}], today=day)
        survive(b("playbooks/slavkokernel-interventions").interventions,
                [{"id": "a", "band": "Critical", "start": day, "measured": day}])
    for instant in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"):
        for name in ("calendars/business-hours-berlin", "calendars/always-open", "calendars/business-hours-new-york"):
            survive(b(name).business_time, [{"id": "a", "start": instant, "add": "99999999bd"},
                                            {"id": "b", "start": instant, "end": "9999-12-31T23:59:59Z"},
                                            {"id": "c", "start": "0001-01-01T00:00:00Z", "end": instant}])
        survive(b("escalation/slavkokernel-sla").sla,
                [{"id": "a", "tier": "standard", "priority": "P4", "opened_at": instant}], at=instant)
        survive(b("escalation/slavkokernel-sla").sla,
                [{"id": "a", "tier": "standard", "priority": "P4", "opened_at": "0001-01-01T00:00:00Z"}],
                at="9999-12-31T23:59:59Z")
        survive(b("escalation/slavkokernel-alerts").alerts,
                [{"id": "a", "usage_change_pct_2w": -99, "detected_at": instant}], at=instant)


GARBAGE_RUBRICS = [
    "", " ", "\x00", "kind", "kind =", 'kind = "health"', 'kind = "health"\nid = 5', "[[[[",
    "kind = 'priority'\n" + "x = " + "[" * 5000 + "]" * 5000, "a = " + "{ b = " * 500 + "1" + " }" * 500,
    'kind = "health"\nweight = 1e400', 'kind = "health"\nweight = nan', 'kind = "health"\nweight = inf',
    'kind = "health"\nid = "x"\nversion = "1"\ntitle = "t"\nsource = "s"\nscale = "0-1e400"',
    'kind = "health"\nid = "x"\nversion = "1"\ntitle = "t"\nsource = "s"\nscale = "99999999999999999999999999999-1"',
    'kind = "calendar"\nid = "c"\nversion = "1"\ntitle = "t"\nsource = "s"\nzone = "Mars/Olympus"',
    'kind = "sla"\nid = "s"\nversion = "1"\ntitle = "t"\nsource = "s"\nescalation = "/dev/null"',
    'kind = "sla"\nid = "s"\nversion = "1"\ntitle = "t"\nsource = "s"\n[calendars]\nx = "../../../../../../etc/passwd"',
    "\ufeff" + "kind = \"kpi\"", "😀 = 1", "kind = \"health\"\n" + "# x\n" * 10000,
]
GARBAGE_JSON = ["", "{", "[]", "null", "1e400", '{"kind": ' + "[" * 10000 + "]" * 10000 + "}",
                '{"kind": "health", "components": ' + "[" * 200 + "]" * 200 + "}", '"\\ud800"',
                '{"kind": "priority", "criteria": [{"weight": 1e400}]}']


def test_garbage_rubrics():
    for text in GARBAGE_RUBRICS:
        survive(csrubric.Rubric.from_toml, text, name="g.toml")
        survive(csrubric.Rubric.from_json, text, name="g.json")
    for text in GARBAGE_JSON:
        survive(csrubric.Rubric.from_json, text, name="g.json")
        survive(csrubric.Rubric.from_toml, text)
    for name in ("", "..", "../../etc/passwd", "health", "health/", "/health/slavkokernel",
                 "health/slavkokernel.json", "rubrics/health/slavkokernel", "\x00", "x" * 10_000):
        survive(csrubric.Rubric.bundled, name)
        survive(csrubric.bundled_text, name)
    for path in ("", "/", "/dev/null", "/nonexistent.toml", str(RUBRICS), str(RUBRICS / "health" / "scripts"),
                 str(RUBRICS / "health" / "scripts" / "kinos-health-phi-incident.rhai")):
        survive(csrubric.Rubric.from_path, path)


def test_every_kind_with_mutated_text():
    # Each shipped rubric with one number blown up, one line cut, a weight negated.
    for name in BUNDLED:
        text = csrubric.bundled_text(name)
        for mutated in (text.replace("= 2", "= 1e400", 1), text.replace("= 2", "= -2"), text[: len(text) // 2],
                        text.replace('"', "'", 3), text.replace("[[", "[", 1), text + "\n[[examples]]\nname = 1\n"):
            r = survive(csrubric.Rubric.from_toml, mutated, name=f"{name}.toml")
            if isinstance(r, csrubric.Rubric):
                survive(r.self_test)


def test_health_single_and_batch_with_hostile_cells():
    pa = pytest.importorskip("pyarrow")
    r = csrubric.Rubric.bundled("health/slavkokernel")
    for cell in HOSTILE_CELLS:
        survive(r.score, {"id": "a", "product_adoption": cell, "overrides": cell})
        survive(r.score, {"id": cell})
    for at in HOSTILE_OPTIONS:
        survive(r.score, {"id": "a", "product_adoption": 50}, at=at if isinstance(at, (str, dt.datetime)) else None)
        survive(r.score_batch, {"id": ["a"], "product_adoption": [50]}, at=at if isinstance(at, str) else None)
    cols = {
        "id": pa.array(["a", None, "c", "d"]),
        "product_adoption": pa.array([1e308, float("nan"), -1e308, 5e-324]),
        "technical_health": pa.array([D("1e30"), None, D("-1e-30"), D("0")], pa.decimal256(76, 35)),
        "business_outcomes": pa.array([2**63 - 1, -(2**63), 0, None], pa.int64()),
        "relationship_health": pa.array([2**64 - 1, 0, 1, None], pa.uint64()),
        "growth_potential": pa.array([["x"], [], None, ["1"]]),
        "overrides": pa.array([{"band": "x"}, None, {"band": None}, {"band": "Good"}]),
    }
    for name, arr in cols.items():
        table = pa.table({"id": cols["id"], name: arr}) if name != "id" else pa.table({"id": arr})
        survive(r.score_batch, table)
    survive(r.score_batch, pa.table({"id": pa.array([1.5, None])}))
    survive(r.score_batch, pa.table({"x": pa.array([1])}))
    survive(r.score_batch, pa.table({"id": pa.array([b"\xff"], pa.binary())}))
    survive(r.score_batch, pa.table({"id": pa.array(["a"]), "product_adoption": pa.array([dt.date(1, 1, 1)])}))


def test_shadow_and_journey_with_hostile_rows():
    r = csrubric.Rubric.bundled("health/slavkokernel")
    c = csrubric.Rubric.bundled("health/kinos-health")
    for rows in hostile_rows("health"):
        survive(r.shadow, c, rows)
    for cell in HOSTILE_CELLS:
        survive(csrubric.journey, [{"id": "a", "go_live": cell, "contract_end": cell, "signed": cell,
                                    "employees": cell, "strategic": cell, "nps": cell, "success": cell}],
                today="2026-11-23")


def test_deep_nesting_is_an_input_error_not_a_crash():
    r = csrubric.Rubric.bundled("priority/kinos")
    for depth in (100, 1000, 100_000):
        e = survive(r.prioritize, [{"id": "a", "customer_impact": nested(depth)}])
        assert isinstance(e, (list, csrubric.CsrubricError))
    e = survive(r.prioritize, [{"id": "a"}], vertical=nested(100_000))
    assert isinstance(e, csrubric.OptionsError)
    e = survive(r.prioritize, "id\n" + "[" * 100_000 + "\n")
    assert not isinstance(e, BaseException) or isinstance(e, csrubric.CsrubricError)
