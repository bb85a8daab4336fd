"""Batch scoring on every input kind: same kind out, one row per input row, never dropped."""

from __future__ import annotations

import decimal

import pytest

import csrubric
from conftest import SLAVKO, account

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")
D = decimal.Decimal

ROWS = [
    account("acme", 92, 88, 90, 80, 85),     # 87.85 Excellent
    account("delta", 70, 65, 72, 60, 55),    # 65.75 Moderate
    account("bad", 90, 90, 900, 90, 90),     # out_of_scale
    account("", 50, 50, 50, 50, 50),         # missing id
    account("acme", 1, 1, 1, 1, 1),          # duplicate id
    {"id": "empty"},                          # insufficient_data
    account("low", 10, 20, 30, 40, 50),      # 2.5+4+7.5+6+7.5 = 27.50 Critical
]
EXPECTED = [
    ("acme", "scored", D("87.85"), "Excellent", None),
    ("delta", "scored", D("65.75"), "Moderate", None),
    ("bad", "error", None, None, "out_of_scale"),
    (None, "error", None, None, "input_row"),
    (None, "error", None, None, "input_row"),
    ("empty", "insufficient_data", None, None, None),
    ("low", "scored", D("27.50"), "Critical", None),
]


def frame() -> "pd.DataFrame":
    return pd.DataFrame(ROWS, columns=["id", *SLAVKO])


def check(records: list[dict]) -> None:
    got = [(r["id"], r["status"], r["score"], r["band"], r["error_code"]) for r in records]
    assert got == EXPECTED
    assert records[2]["error"] == "row 3 (account `bad`): `business_outcomes` = 900 is outside the component scale 0-100"
    assert records[3]["error"] == "<pandas>: row 4: missing `id`" or records[3]["error"].endswith("row 4: missing `id`")
    assert records[0]["action"] == "Maintain, develop advocacy"
    assert records[6]["urgency"] == "Urgent" and records[6]["owner"] == "CSM + Director"


def test_pandas_in_pandas_out(slavko):
    df = frame()
    df.index = [f"r{i}" for i in range(len(df))]
    out = slavko.score_batch(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(csrubric.RESULT_COLUMNS)
    assert list(out.index) == list(df.index)
    assert all(isinstance(s, D) for s in out["score"].dropna())
    check(out.astype(object).where(out.notna(), None).to_dict("records"))


def test_pyarrow_table_and_record_batch(slavko):
    t = pa.Table.from_pandas(frame(), preserve_index=False)
    out = slavko.score_batch(t)
    assert isinstance(out, pa.Table) and out.schema.field("score").type == pa.decimal128(38, 2)
    check(out.to_pylist())
    rb = t.to_batches()[0]
    out = slavko.score_batch(rb)
    assert isinstance(out, pa.RecordBatch)
    check(out.to_pylist())


def test_chunked_table(slavko):
    t = pa.Table.from_pandas(frame(), preserve_index=False)
    chunked = pa.concat_tables([t.slice(0, 3), t.slice(3)])
    assert chunked.column(0).num_chunks == 2
    check(slavko.score_batch(chunked).to_pylist())


def test_dict_of_numpy_arrays_and_lists(slavko):
    df = frame()
    data = {c: df[c].to_numpy() for c in df.columns}
    out = slavko.score_batch(data)
    assert isinstance(out, dict) and list(out) == list(csrubric.RESULT_COLUMNS)
    assert isinstance(out["score"], np.ndarray)
    records = [dict(zip(out, vals)) for vals in zip(*out.values())]
    check(records)
    lists = {c: list(v) for c, v in data.items()}
    assert [r for r in slavko.score_batch(lists)["status"]] == [e[1] for e in EXPECTED]


def test_polars(slavko):
    pl = pytest.importorskip("polars")
    df = pl.from_pandas(frame())
    out = slavko.score_batch(df)
    assert isinstance(out, pl.DataFrame)
    check(out.to_dicts())


def test_arrow_stream_object(slavko):
    class Stream:
        def __init__(self, t):
            self.t = t

        def __arrow_c_stream__(self, requested_schema=None):
            return self.t.__arrow_c_stream__(requested_schema)

    out = slavko.score_batch(Stream(pa.Table.from_pandas(frame(), preserve_index=False)))
    assert isinstance(out, pa.Table)
    check(out.to_pylist())


def test_column_types(slavko):
    # int ids, decimal / float32 / string / categorical / null columns all read like CSV cells.
    t = pa.table({
        "id": pa.array([1, 2], pa.int64()),
        "product_adoption": pa.array([D("84.99"), D("70")], pa.decimal128(10, 2)),
        "technical_health": pa.array([85, 65], pa.float32()),
        "business_outcomes": pa.array(["85", "72"]),
        "relationship_health": pa.array([85, 60], pa.uint8()),
        "growth_potential": pa.array(["85", "55"]).dictionary_encode(),
        "unused": pa.array([None, None], pa.null()),
    })
    out = slavko.score_batch(t).to_pylist()
    assert [(r["id"], r["score"]) for r in out] == [("1", D("85.00")), ("2", D("65.75"))]


def test_empty_table(slavko):
    out = slavko.score_batch(frame().iloc[0:0])
    assert len(out) == 0 and list(out.columns) == list(csrubric.RESULT_COLUMNS)


def test_threads_do_not_change_results(slavko):
    rng = np.random.default_rng(7)
    n = 50_000
    data = {"id": [f"a{i}" for i in range(n)]}
    for c in SLAVKO:
        data[c] = np.round(rng.uniform(-5, 105, n), 2)
    one = slavko.score_batch(data, threads=1)
    many = slavko.score_batch(data, threads=4)
    auto = slavko.score_batch(data)
    for c in csrubric.RESULT_COLUMNS:
        assert list(one[c]) == list(many[c]) == list(auto[c])
    assert len(one["id"]) == n
    assert (one["status"] == "error").sum() > 0  # some values fall outside 0-100


def test_batch_at_judges_overrides(slavko):
    over = '[{"band": "At Risk", "author": "ana", "reason": "r", "expires": "2026-12-31T00:00:00Z"}]'
    df = pd.DataFrame([account("acme", 92, 88, 90, 80, 85, overrides=over)])
    assert slavko.score_batch(df, at="2026-11-23T00:00:00Z")["band"][0] == "At Risk"
    assert slavko.score_batch(df, at="2027-01-02T00:00:00Z")["band"][0] == "Excellent"
