"""The binding gives the CLI's answers.

* `csrubric score --format json` on every health example equals score_batch (pandas,
  pyarrow) and per-account `score`.
* `csrubric run RUBRIC OP INPUT --options JSON` equals the same operation through the
  binding, for every shipped rubric and operation with an example input (examples/ and the
  inputs in tests/fixtures/), given as the file (a Path) and as rows (a DataFrame or list of
  dicts); answers compared after `csrubric.to_cli_json` (the one decimal rule, undone).
* `csrubric journey --format json` equals `csrubric.journey`.
"""

from __future__ import annotations

import csv
import decimal
import json
import pathlib
import re
import subprocess

import pytest

import csrubric
from conftest import AT, EXAMPLES, REPO, RUBRICS, cli_json, cli_path, example_pairs

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

PAIRS = example_pairs()
FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"
AT_BERLIN = "2026-11-23T10:00:00+01:00"


def test_there_are_examples():
    assert PAIRS, "examples/health/*.csv must exist"


def compact(cli_row: dict) -> tuple:
    if cli_row["status"] == "error":
        return (cli_row.get("id"), "error", None, None, None, None, None, cli_row["error"]["code"], cli_row["error"]["message"])
    return (cli_row["id"], cli_row["status"], cli_row["score"], cli_row["band"], cli_row["action"],
            cli_row["owner"], cli_row["urgency"], None, None)


def batch_rows(out: list[dict]) -> list[tuple]:
    return [
        (r["id"], r["status"], None if r["score"] is None else str(r["score"]), r["band"], r["action"],
         r["owner"], r["urgency"], r["error_code"], r["error"])
        for r in out
    ]


def read_table(path):
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame(json.loads(path.read_text()))


@pytest.mark.parametrize("rubric_path,data_path", PAIRS, ids=[p[1].name for p in PAIRS])
def test_batch_equals_cli(rubric_path, data_path):
    expected = [compact(r) for r in cli_json(rubric_path, data_path)]
    rubric = csrubric.Rubric.from_path(rubric_path)
    # Text cells, read exactly as the CLI reads them.
    df = read_table(data_path)
    got = batch_rows(slavko_records(rubric.score_batch(df, at=AT)))
    assert [g[:8] for g in got] == [e[:8] for e in expected]
    # Messages name the same row and column (the source name differs: file vs table).
    for g, e in zip(got, expected):
        if e[8] is not None:
            assert g[8].split(": ", 1)[1] == e[8].split(": ", 1)[1]
    # pandas' own number parsing (floats) gives the same answers: floats read as literals.
    if data_path.suffix == ".csv":
        typed = pd.read_csv(data_path)
        got = batch_rows(slavko_records(rubric.score_batch(typed, at=AT)))
        assert [g[:8] for g in got] == [e[:8] for e in expected]
        import pyarrow.csv

        table = pyarrow.csv.read_csv(data_path)
        got = batch_rows(rubric.score_batch(table, at=AT).to_pylist())
        assert [g[:8] for g in got] == [e[:8] for e in expected]


def slavko_records(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@pytest.mark.parametrize("rubric_path,data_path", PAIRS, ids=[p[1].name for p in PAIRS])
def test_single_equals_cli_explain(rubric_path, data_path):
    expected = cli_json(rubric_path, data_path, "--explain")
    rubric = csrubric.Rubric.from_path(rubric_path)
    if data_path.suffix == ".csv":
        with open(data_path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    else:
        rows = json.loads(data_path.read_text())
    assert len(rows) == len(expected)
    for i, (row, exp) in enumerate(zip(rows, expected), start=1):
        row = {k: (None if v == "" else v) for k, v in row.items()}
        if exp["status"] == "error":
            with pytest.raises(csrubric.CsrubricError) as e:
                rubric.score(row, at=AT)
            assert e.value.code == exp["error"]["code"]
            continue
        got = rubric.score(row, at=AT).to_dict()
        # The CLI numbers rows in its file; a single account has no row.
        assert exp.pop("row") == i and got.pop("row") == 0
        assert got == exp
        assert decimal.Decimal(exp["score"]) == rubric.score(row, at=AT).score if exp["score"] else True


# ------------------------------------------------------------------ every operation


def case(rubric: str, op: str, data: str | None = None, options: dict | None = None, rows: bool = True):
    """One `csrubric run` case: rubric and input paths relative to the repo root."""
    name = f"{rubric.removeprefix('rubrics/').removesuffix('.toml')}:{op}" + (
        f":{pathlib.Path(data).name}" if data else "")
    return pytest.param(rubric, op, data, options, rows, id=name)


ROSTER = [{"id": r["id"], "role": r["role"]} for r in csv.DictReader((EXAMPLES / "playbooks" / "roster.csv").read_text().splitlines())]
FX = "bindings-python/tests/fixtures"

RUN_CASES = [
    case("rubrics/health/slavkokernel.toml", "score", "examples/health/slavkokernel.csv", {"at": AT}),
    case("rubrics/health/slavkokernel.toml", "score", "examples/health/slavkokernel.json", {"at": AT, "explain": True}),
    case("rubrics/health/ai-ecosystem.toml", "score", "examples/health/ai-ecosystem.csv", {"at": AT, "explain": True}),
    case("rubrics/health/cradle-to-grave.toml", "score", "examples/health/cradle-to-grave.csv", {"at": AT}),
    case("rubrics/health/kinos-health.toml", "score", "examples/history/kinos-health.csv", {"at": AT, "explain": True}, rows=False),
    case("rubrics/health/kinos-health.toml", "history", "examples/history/kinos-health.csv", {"explain": True}),
    case("rubrics/health/kinos-finance.toml", "score", f"{FX}/kinos-finance.csv", {"at": AT, "explain": True}),
    case("rubrics/health/slavkokernel.toml", "history", "examples/history/kinos-health.csv", {"window_days": 7, "carry_forward_days": 10}),
    case("rubrics/health/slavkokernel.toml", "backtest", "examples/history/churn.csv"),
    case("rubrics/calendars/business-hours-berlin.toml", "business_time", f"{FX}/business-time.csv"),
    case("rubrics/calendars/business-hours-new-york.toml", "business_time", f"{FX}/business-time.csv"),
    case("rubrics/calendars/extended-hours-berlin.toml", "business_time", f"{FX}/business-time.csv"),
    case("rubrics/calendars/always-open.toml", "business_time", f"{FX}/business-time.csv"),
    case("rubrics/escalation/slavkokernel-sla.toml", "sla", "examples/escalation/tickets.csv", {"at": AT_BERLIN}),
    case("rubrics/escalation/slavkokernel-sla.toml", "sla", "examples/escalation/tickets.json", {"at": AT_BERLIN}),
    case("rubrics/escalation/slavkokernel-support.toml", "escalate", f"{FX}/support-cases.csv", {"at": AT_BERLIN}),
    case("rubrics/escalation/slavkokernel-risk.toml", "escalate", "examples/escalation/risk-cases.csv", {"at": AT_BERLIN}),
    case("rubrics/escalation/cradle-to-grave.toml", "escalate", "examples/escalation/cradle-to-grave-cases.csv", {"at": AT_BERLIN}),
    case("rubrics/escalation/slavkokernel-alerts.toml", "alerts", "examples/escalation/alert-accounts.csv", {"at": "2026-11-28T10:00:00+01:00"}),
    case("rubrics/priority/kinos.toml", "prioritize", "examples/priority/backlog.csv"),
    case("rubrics/priority/kinos.toml", "prioritize", "examples/priority/backlog.csv",
         {"explain": True, "relative": True, "vertical": "health", "min_score": "2.5"}),
    case("rubrics/priority/rice.toml", "prioritize", "examples/priority/rice.csv", {"explain": True, "relative": True}),
    case("rubrics/priority/wsjf.toml", "prioritize", f"{FX}/wsjf.csv", {"explain": True}),
    case("rubrics/renewal/slavkokernel.toml", "renewals", "examples/renewal/contracts.csv", {"today": "2026-11-23"}),
    case("rubrics/renewal/slavkokernel.toml", "renewals", "examples/renewal/contracts.json", {"today": "2026-11-23"}),
    case("rubrics/renewal/cradle-to-grave.toml", "renewals", "examples/renewal/cradle-to-grave.csv", {"today": "2026-11-23"}),
    case("rubrics/kpi/slavkokernel.toml", "kpi", "examples/kpi/accounts.csv"),
    case("rubrics/kpi/ai-ecosystem.toml", "kpi", "examples/kpi/accounts.csv"),
    case("rubrics/kpi/cradle-to-grave.toml", "kpi", "examples/kpi/accounts.csv"),
    case("rubrics/playbooks/slavkokernel-implementation.toml", "plan", None,
         {"kickoff": "2027-01-04", "package": "standard", "as_of": "2027-01-20", "done": ["Project Kickoff"]}),
    case("rubrics/playbooks/ai-ecosystem-onboarding.toml", "plan", None, {"kickoff": "2027-01-04"}),
    case("rubrics/playbooks/slavkokernel-triage.toml", "triage", "examples/playbooks/tickets.csv"),
    case("rubrics/playbooks/slavkokernel-capacity.toml", "capacity", "examples/playbooks/portfolio.csv", {"roster": ROSTER}),
    case("rubrics/playbooks/slavkokernel-interventions.toml", "interventions", "examples/playbooks/accounts.json"),
] + [
    case(str(p.relative_to(REPO)), "test") for p in sorted(RUBRICS.rglob("*.toml"))
]


def run_cli(rubric: str, op: str, data: str | None, options: dict | None):
    args = [cli_path(), "run", rubric, op] + ([data] if data else [])
    if options is not None:
        args += ["--options", json.dumps(options)]
    proc = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 2), proc.stderr
    return json.loads(proc.stdout)


def as_rows(path: pathlib.Path):
    """A CSV file as a DataFrame of text cells (empty cells absent, as in the CSV reader); a
    JSON file as its list of dicts."""
    if path.suffix == ".json":
        return json.loads(path.read_text())
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def identical(a, b) -> bool:
    """Equality with JSON's types: a bool is not a number, an int not a float."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(identical(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def undecided_decimals(value, key=None, out=None) -> list:
    """Strings that look like decimals under keys that `decode` leaves alone: a new decimal
    field of the core that DECIMAL_FIELDS should list (ids that are numbers are fine)."""
    out = [] if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            undecided_decimals(v, k, out)
    elif isinstance(value, list):
        for v in value:
            undecided_decimals(v, key, out)
    elif isinstance(value, str) and key not in csrubric.DECIMAL_FIELDS and key not in ("id", "account") \
            and re.fullmatch(r"-?[0-9]+\.[0-9]+", value):
        out.append((key, value))
    return out


@pytest.mark.parametrize("rubric,op,data,options,rows", RUN_CASES)
def test_run_equals_cli(rubric, op, data, options, rows, monkeypatch):
    monkeypatch.chdir(REPO)
    expected = run_cli(rubric, op, data, options)
    r = csrubric.Rubric.from_path(rubric)
    answer = r.run(op, pathlib.Path(data) if data else None, **(options or {}))
    assert identical(csrubric.to_cli_json(answer), expected)
    assert undecided_decimals(expected) == []
    # The same rows as Python data: the same answer, but for the input's name in messages
    # of rows the reader rejected.
    if data and rows:
        again = csrubric.to_cli_json(r.run(op, as_rows(REPO / data), **(options or {})))
        text = json.dumps(expected).replace(json.dumps(data)[1:-1], "<input>")
        assert identical(again, json.loads(text))


@pytest.mark.parametrize("rubric,op,data,options,rows", [c for c in RUN_CASES if c.values[2]][:1])
def test_decimals_decode_to_the_same_digits(rubric, op, data, options, rows, monkeypatch):
    monkeypatch.chdir(REPO)
    answer = csrubric.Rubric.from_path(rubric).run(op, pathlib.Path(data), **(options or {}))
    scores = [x["score"] for x in answer if "score" in x and x["score"] is not None]
    assert scores and all(isinstance(s, decimal.Decimal) for s in scores)
    assert [format(s, "f") for s in scores] == [x["score"] for x in run_cli(rubric, op, data, options) if x.get("score")]


@pytest.mark.parametrize("today,map_", [("2026-11-23", None), ("2027-02-01", "slavkokernel")])
def test_journey_equals_cli(today, map_):
    path = EXAMPLES / "renewal" / "journey.csv"
    args = [cli_path(), "journey", str(path), "--format", "json", "--today", today]
    if map_:
        args += ["--map", map_]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 2), proc.stderr
    expected = json.loads(proc.stdout)
    assert identical(csrubric.to_cli_json(csrubric.journey(path, today=today, map=map_)), expected)
    assert identical(csrubric.to_cli_json(csrubric.journey(as_rows(path), today=today, map=map_)), expected)
