"""The binding gives the CLI's answers: `csrubric score --format json` on every example file
equals score_batch (pandas, pyarrow) and per-account score on the same file."""

from __future__ import annotations

import csv
import decimal
import json

import pytest

import csrubric
from conftest import AT, cli_json, example_pairs

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

PAIRS = example_pairs()


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
