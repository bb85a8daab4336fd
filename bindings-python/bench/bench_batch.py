"""Batch scoring speed: csrubric.score_batch on 1M accounts (pandas and pyarrow) against a plain
numpy implementation of the same rubric, plus the per-call overhead of single-account scoring.

Not run in CI (numbers depend on the machine); run by hand:

    python bindings-python/bench/bench_batch.py [--rows 1000000] [--threads N]

The numpy version implements only this one rubric's direct-component path (weighted mean of
five 0-100 columns with renormalization over present components, half-up rounding to two
decimals, bands by lower bound) in float64; it is the "hand-written vectorized" baseline a
data scientist would otherwise write. The script checks it agrees with csrubric on the bands.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import csrubric

COLS = ["product_adoption", "technical_health", "business_outcomes", "relationship_health", "growth_potential"]
WEIGHTS = np.array([25, 20, 25, 15, 15], dtype=np.float64)
BANDS = [(85, "Excellent"), (70, "Good"), (55, "Moderate"), (40, "At Risk"), (0, "Critical")]


def make(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"id": [f"a{i}" for i in range(n)]})
    for c in COLS:
        v = np.round(rng.uniform(0, 100, n), 2)
        v[rng.random(n) < 0.02] = np.nan
        df[c] = v
    return df


def numpy_score(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    x = df[COLS].to_numpy()
    present = ~np.isnan(x)
    w = np.where(present, WEIGHTS, 0.0)
    total = (np.nan_to_num(x) * w).sum(axis=1) / w.sum(axis=1)
    score = np.floor(total * 100 + 0.5) / 100
    band = np.full(len(df), "Critical", dtype=object)
    for lo, label in reversed(BANDS):
        band[score >= lo] = label
    return score, band


def timed(f, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rubric = csrubric.Rubric.bundled("health/slavkokernel")
    df = make(args.rows)
    table = pa.Table.from_pandas(df, preserve_index=False)
    n = args.rows

    t_pd = timed(lambda: rubric.score_batch(df, threads=args.threads), args.repeat)
    t_pa = timed(lambda: rubric.score_batch(table, threads=args.threads), args.repeat)
    t_pa1 = timed(lambda: rubric.score_batch(table, threads=1), args.repeat)
    t_np = timed(lambda: numpy_score(df), args.repeat)

    acct = df.iloc[0].to_dict()
    k = 5000
    t = time.perf_counter()
    for _ in range(k):
        rubric.score(acct, explain=False)
    t_single = (time.perf_counter() - t) / k

    out = rubric.score_batch(table, threads=args.threads)
    _, band = numpy_score(df)
    agree = float(np.mean(np.array(out.column("band").to_pylist(), dtype=object) == band))

    print(f"rows: {n:,}")
    print(f"csrubric score_batch, pandas in/out : {t_pd:7.3f} s  ({n / t_pd:12,.0f} rows/s)")
    print(f"csrubric score_batch, pyarrow in/out: {t_pa:7.3f} s  ({n / t_pa:12,.0f} rows/s)")
    print(f"csrubric score_batch, pyarrow, 1 thread: {t_pa1:7.3f} s  ({n / t_pa1:12,.0f} rows/s)")
    print(f"numpy vectorized (float64, this rubric only): {t_np:7.3f} s  ({n / t_np:12,.0f} rows/s)")
    print(f"single-account score(): {t_single * 1e6:8.1f} us per call")
    print(f"band agreement numpy vs csrubric: {agree:.6f}")


if __name__ == "__main__":
    main()
