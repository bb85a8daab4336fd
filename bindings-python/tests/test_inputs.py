"""Every input kind the operations take gives the same answer: list of dicts, iterables,
pandas, polars, pyarrow Table and RecordBatch, a dict of columns, CSV text, a Path to a CSV
or JSON file. And options: dates, datetimes, Decimals, numpy scalars, paths."""

from __future__ import annotations

import datetime as dt
import decimal
import json

import pytest

import csrubric

D = decimal.Decimal
KINOS = csrubric.Rubric.bundled("priority/kinos")
COLUMNS = ["id", "customer_impact", "strategic_alignment", "revenue_impact", "implementation_effort",
           "cross_vertical_value"]
ROWS = [
    # 3*.30 + 3*.25 + 2*.20 + (6-1)*.15 + 2*.10 = 3.00
    {"id": "B", "customer_impact": 3, "strategic_alignment": 3, "revenue_impact": 2,
     "implementation_effort": 1, "cross_vertical_value": 2},
    # Seed 000's case study: 4.20
    {"id": "HLT-101", "customer_impact": 5, "strategic_alignment": 4, "revenue_impact": 4,
     "implementation_effort": 2, "cross_vertical_value": 3},
    # 6 is outside the 1-5 scale: this request fails in its place.
    {"id": "bad", "customer_impact": 6, "strategic_alignment": 1, "revenue_impact": 1,
     "implementation_effort": 1, "cross_vertical_value": 1},
]
CSV = "\n".join([",".join(COLUMNS)] + [",".join(str(r[c]) for c in COLUMNS) for r in ROWS]) + "\n"


def check(answer):
    assert [(x["id"], x.get("score")) for x in answer[:2]] == [("HLT-101", D("4.20")), ("B", D("3.00"))]
    assert (answer[2]["id"], answer[2]["row"], answer[2]["status"]) == ("bad", 3, "error")
    assert answer[2]["error"]["code"] == "out_of_scale"
    return answer


def without_messages(answer):
    return [{k: v for k, v in x.items() if k != "error"} for x in answer]


def test_list_tuple_generator():
    expected = check(KINOS.prioritize(ROWS))
    assert KINOS.prioritize(tuple(ROWS)) == expected
    assert KINOS.prioritize(r for r in ROWS) == expected


def test_csv_text_and_files(tmp_path):
    expected = check(KINOS.prioritize(ROWS))
    assert without_messages(check(KINOS.prioritize(CSV))) == without_messages(expected)
    p = tmp_path / "requests.csv"
    p.write_text(CSV)
    assert without_messages(check(KINOS.prioritize(p))) == without_messages(expected)
    j = tmp_path / "requests.json"
    j.write_text(json.dumps(ROWS))
    assert check(KINOS.prioritize(j)) == expected


def test_dataframes_and_arrow():
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    expected = check(KINOS.prioritize(ROWS))
    df = pd.DataFrame(ROWS, columns=COLUMNS)
    df.index = ["x", "y", "z"]  # the index is not a column
    assert check(KINOS.prioritize(df)) == expected
    table = pa.Table.from_pandas(df, preserve_index=False)
    assert check(KINOS.prioritize(table)) == expected
    assert check(KINOS.prioritize(table.to_batches()[0])) == expected
    pl = pytest.importorskip("polars")
    assert check(KINOS.prioritize(pl.from_pandas(df))) == expected


def test_dict_of_columns():
    np = pytest.importorskip("numpy")
    expected = check(KINOS.prioritize(ROWS))
    columns = {c: [r[c] for r in ROWS] for c in COLUMNS}
    assert check(KINOS.prioritize(columns)) == expected
    arrays = {c: np.array(v) for c, v in columns.items()}
    assert check(KINOS.prioritize(arrays)) == expected


def test_number_kinds_are_exact():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    rows = [dict(r) for r in ROWS[:2]]
    rows[0]["customer_impact"] = D("3")
    rows[0]["strategic_alignment"] = np.int64(3)
    rows[0]["revenue_impact"] = 2.0
    rows[0]["implementation_effort"] = np.float32(1)
    rows[0]["cross_vertical_value"] = "2"
    assert KINOS.prioritize(rows)[1]["score"] == D("3.00")
    # A missing value: None, NaN, pandas NA and NaT are all absent. Without
    # cross_vertical_value (10%), the rubric's missing-data rule decides; all four agree.
    answers = []
    for missing in (None, float("nan"), pd.NA, D("NaN")):
        r = dict(ROWS[1], cross_vertical_value=missing)
        answers.append(KINOS.prioritize([r]))
    assert all(a == answers[0] for a in answers)
    # A float is read as its shortest literal: 0.1 + 0.2 style noise never appears.
    cal = csrubric.Rubric.bundled("health/ai-ecosystem")
    out = cal.run("score", [{"id": "a", "usage": 8.1, "engagement": 8.2, "success": 8.3, "growth": 8.4}])
    # (8.1 + 8.2 + 8.3 + 8.4) x 25% = 8.25 exactly.
    assert out[0]["score"] == D("8.25")


def test_dates_and_datetimes_in_rows():
    policy = csrubric.Rubric.bundled("escalation/slavkokernel-sla")
    opened = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    out = policy.sla([{"id": "T-1", "tier": "standard", "priority": "P1", "opened_at": opened}],
                     at=opened + dt.timedelta(hours=1))
    # Standard P1 opened Friday 15:00 Berlin: due Monday 11:00 (2h + 2h).
    assert out[0]["targets"][0]["due"] == "2026-11-30T11:00:00+01:00"
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": ["T-1"], "tier": ["standard"], "priority": ["P1"],
                          "opened_at": [pd.Timestamp("2026-11-27T14:00:00Z")]})
    assert policy.sla(frame, at="2026-11-27T16:00:00+01:00")[0]["targets"][0]["due"] == "2026-11-30T11:00:00+01:00"


def test_options_accept_python_values(tmp_path):
    playbook = csrubric.Rubric.bundled("renewal/slavkokernel")
    c = [{"id": "n", "start": "2026-07-01", "end": "2027-06-30"}]
    assert playbook.renewals(c, today=dt.date(2026, 11, 23)) == playbook.renewals(c, today="2026-11-23")
    np = pytest.importorskip("numpy")
    r = csrubric.Rubric.bundled("health/slavkokernel")
    snaps = [{"id": "a", "date": "2026-03-01", "product_adoption": 80}]
    assert r.history(snaps, window_days=np.int64(30)) == r.history(snaps, window_days=30)


def test_option_errors():
    policy = csrubric.Rubric.bundled("escalation/slavkokernel-sla")
    # A naive datetime has no offset: said so before anything runs.
    with pytest.raises(csrubric.OptionsError, match="no time zone") as e:
        policy.sla([], at=dt.datetime(2026, 11, 27, 15, 0))
    assert e.value.code == "invalid_options"
    # A value of the wrong type reaches the core, which names the option.
    with pytest.raises(csrubric.OptionsError, match="`at`") as e:
        policy.sla([], at=12)
    assert e.value.op == "sla"
    for bad in (object(), float("inf"), D("NaN"), {1, object()}):
        with pytest.raises(csrubric.OptionsError):
            KINOS.prioritize(ROWS, min_score=bad)


def test_input_errors(tmp_path):
    for bad in (42, 4.2, b"id\na\n", object()):
        with pytest.raises(csrubric.InputError) as e:
            KINOS.prioritize(bad)
        assert e.value.code == "input_type" and isinstance(e.value, TypeError)
    # One row given bare (a dict without columns) is the core's JSON input error, as in the
    # CLI and the npm package.
    with pytest.raises(csrubric.InputError, match="expected a JSON array of objects") as e:
        KINOS.prioritize(ROWS[0])
    assert e.value.code == "input_file"
    with pytest.raises(csrubric.InputError, match="different lengths") as e:
        KINOS.prioritize({"id": ["a", "b"], "customer_impact": [1]})
    assert e.value.code == "input_file"
    with pytest.raises(csrubric.InputError, match="no `id` column") as e:
        KINOS.prioritize("name,customer_impact\nx,1\n")
    assert e.value.code == "input_file" and e.value.file == "<csv>"
    p = tmp_path / "broken.json"
    p.write_text("[{")
    with pytest.raises(csrubric.InputError) as e:
        KINOS.prioritize(p)
    assert e.value.file == str(p)
    with pytest.raises(csrubric.InputError) as e:
        KINOS.prioritize(tmp_path / "missing.csv")
    assert e.value.code == "input_io"
    # Rows that are not objects fail in their place; the others are answered.
    out = KINOS.prioritize([ROWS[1], "oops", 7])
    assert out[0]["id"] == "HLT-101" and [x["status"] for x in out[1:]] == ["error", "error"]


def test_json_number_literals_are_exact(tmp_path):
    """Issue 16 item 3: a JSON number is read digit for digit, never through a binary float.
    Every component at 84.99499999999999999: the mean is that number, just below the tie
    84.995, so half-up to two decimals is 84.99 (Good) from a JSON file, JSON text, a CSV
    cell and a Decimal alike (through a float it was 84.995: 85.00 Excellent)."""
    health = csrubric.Rubric.bundled("health/slavkokernel")
    v = "84.99499999999999999"
    cols = ["product_adoption", "technical_health", "business_outcomes", "relationship_health",
            "growth_potential"]
    j = tmp_path / "a.json"
    j.write_text('[{"id": "a", ' + ", ".join(f'"{c}": {v}' for c in cols) + "}]")
    c = tmp_path / "a.csv"
    c.write_text("id," + ",".join(cols) + "\na," + ",".join([v] * len(cols)) + "\n")
    decimals = [dict({"id": "a"}, **{k: D(v) for k in cols})]
    for data in (j, c, decimals):
        out = health.run("score", data)
        assert (out[0]["score"], out[0]["band"]) == (D("84.99"), "Good"), data
    one = health.score(decimals[0])
    assert (one.score, one.band) == (D("84.99"), "Good")
