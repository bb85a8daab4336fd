"""Spark: examples/spark_score.py in local[2] on 100k accounts equals in-process batch scoring,
row for row. Skipped only when no Java runtime exists (CI has Java 17)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

import pytest

from conftest import EXAMPLES, SLAVKO

HAVE_JAVA = shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))

pytestmark = pytest.mark.skipif(not HAVE_JAVA, reason="Spark needs a Java runtime")

N = 100_000


def load_example():
    spec = importlib.util.spec_from_file_location("spark_score", EXAMPLES / "spark_score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def accounts(n: int):
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(2026)
    df = pd.DataFrame({"id": [f"acct-{i:06d}" for i in range(n)]})
    for c in SLAVKO:
        # Two decimals, a few values outside 0-100 (row errors) and a few absent.
        v = np.round(rng.uniform(-2, 101, n), 2)
        v[rng.random(n) < 0.03] = np.nan
        df[c] = v
    return df


def test_spark_equals_in_process_batch():
    pytest.importorskip("pyspark")
    import csrubric

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    mod = load_example()
    df = accounts(N)
    at = "2026-11-23T00:00:00Z"
    expected = csrubric.Rubric.bundled("health/slavkokernel").score_batch(df, at=at)

    spark = mod.local_session("csrubric-test", cores=2)
    try:
        sdf = spark.createDataFrame(df).repartition(4)
        scored = mod.score_spark(sdf, "health/slavkokernel", at=at)
        got = scored.toPandas()
    finally:
        spark.stop()

    assert len(got) == N
    got = got.set_index("id").sort_index()
    exp = expected.set_index("id").sort_index()
    assert list(got.index) == list(exp.index)
    cols = ["status", "score", "band", "action", "owner", "urgency", "error_code"]
    for c in cols:
        g = got[c].astype(object).where(got[c].notna(), None).tolist()
        e = exp[c].astype(object).where(exp[c].notna(), None).tolist()
        assert g == e, c
    # Both kinds of outcome were exercised.
    assert (exp["status"] == "error").sum() > 100
    assert (exp["status"] == "scored").sum() > N // 2
