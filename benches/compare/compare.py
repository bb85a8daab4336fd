"""The Python side of the comparison: numpy/pandas float64, GoRules ZEN, and csrubric from
Python (pandas and pyarrow in), on the accounts `gen.py` wrote. Prints one JSON line per
implementation: accounts per second and accounts banded differently from the exact result.

    python compare.py DIR
"""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

COLS = ["product_adoption", "technical_health", "business_outcomes", "relationship_health", "growth_potential"]
WEIGHTS = np.array([25, 20, 25, 15, 15], dtype=np.float64)
LABELS = ["Excellent", "Good", "Moderate", "At Risk", "Critical"]
EDGES = [85, 70, 55, 40, 0]
REPEAT = int(os.environ.get("REPEAT", "3"))
ZEN_ROWS = int(os.environ.get("ZEN_ROWS", "20000"))


def load(d: Path) -> tuple[pd.DataFrame, np.ndarray]:
    raw = (d / "data.bin").read_bytes()
    n = int(np.frombuffer(raw[:8], dtype="<u8")[0])
    cols = np.frombuffer(raw[8:], dtype="<f8").reshape(5, n)
    df = pd.DataFrame({"id": [f"acct-{i:07d}" for i in range(n)]})
    for j, c in enumerate(COLS):
        df[c] = cols[j]
    return df, np.fromfile(d / "exact.bin", dtype=np.uint8)


def best(f) -> tuple[float, object]:
    out, t = None, float("inf")
    for _ in range(REPEAT):
        s = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - s)
    return t, out


def codes(labels) -> np.ndarray:
    lookup = {l: i for i, l in enumerate(LABELS)}
    return np.array([lookup.get(l, 255) if isinstance(l, str) else 255 for l in labels], dtype=np.uint8)


def numpy_bands(df: pd.DataFrame) -> np.ndarray:
    """What a data scientist writes: weighted mean over present columns, round, cut."""
    x = df[COLS].to_numpy()
    present = ~np.isnan(x)
    w = np.where(present, WEIGHTS, 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (np.nan_to_num(x) * w).sum(axis=1) / total
    score = np.floor(score * 100 + 0.5) / 100
    band = np.full(len(df), 255, dtype=np.uint8)
    for i in reversed(range(len(EDGES))):
        band[(score >= EDGES[i]) & (total > 0)] = i
    return band


def zen_decision():
    import zen

    def term(c: str, w: int) -> tuple[str, str]:
        return f"({c} != null ? {c} * {w} : 0)", f"({c} != null ? {w} : 0)"

    parts = [term(c, int(w)) for c, w in zip(COLS, WEIGHTS)]
    num = " + ".join(p[0] for p in parts)
    den = " + ".join(p[1] for p in parts)
    jdm = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}},
            {
                "id": "score",
                "type": "expressionNode",
                "name": "score",
                "position": {"x": 200, "y": 0},
                "content": {
                    "expressions": [
                        {"id": "e1", "key": "weight", "value": den},
                        {"id": "e2", "key": "score", "value": f"({den}) > 0 ? floor(({num}) / ({den}) * 100 + 0.5) / 100 : null"},
                    ]
                },
            },
            {
                "id": "bands",
                "type": "decisionTableNode",
                "name": "bands",
                "position": {"x": 400, "y": 0},
                "content": {
                    "hitPolicy": "first",
                    "inputs": [{"id": "i1", "type": "expression", "field": "score", "name": "Score"}],
                    "outputs": [{"id": "o1", "type": "expression", "field": "band", "name": "Band"}],
                    "rules": [
                        {"_id": f"r{i}", "i1": f">= {e}", "o1": json.dumps(l)} for i, (e, l) in enumerate(zip(EDGES, LABELS))
                    ],
                },
            },
            {"id": "out", "type": "outputNode", "name": "response", "position": {"x": 600, "y": 0}},
        ],
        "edges": [
            {"id": "a", "sourceId": "in", "targetId": "score", "type": "edge"},
            {"id": "b", "sourceId": "score", "targetId": "bands", "type": "edge"},
            {"id": "c", "sourceId": "bands", "targetId": "out", "type": "edge"},
        ],
    }
    return zen.ZenEngine().create_decision(json.dumps(jdm))


def report(name: str, n: int, seconds: float, errors: int | None, note: str = "") -> None:
    print(json.dumps({"impl": name, "rows": n, "seconds": seconds, "rows_per_s": n / seconds, "band_errors": errors, "note": note}), flush=True)


def main() -> None:
    d = Path(sys.argv[1])
    df, exact = load(d)
    n = len(df)
    only = set(sys.argv[2:])

    def want(k: str) -> bool:
        return not only or k in only

    if want("numpy"):
        t, band = best(lambda: numpy_bands(df))
        report("numpy/pandas float64 (1 core)", n, t, int((band != exact).sum()))

    if want("zen"):
        decision = zen_decision()
        m = min(ZEN_ROWS, n)
        records = df[COLS].iloc[:m].to_dict("records")
        for r in records:
            for k, v in r.items():
                if v != v:  # NaN: missing
                    r[k] = None
        t0 = time.perf_counter()
        labels = [decision.evaluate(r)["result"].get("band") for r in records]
        t = time.perf_counter() - t0
        report("GoRules ZEN (Python, 1 core)", m, t, int((codes(labels) != exact[:m]).sum()), f"first {m:,} accounts")

    if want("csrubric"):
        import csrubric

        rubric = csrubric.Rubric.bundled("health/slavkokernel")
        table = pa.Table.from_pandas(df, preserve_index=False)
        for label, data, threads in [
            ("csrubric Python, pyarrow in/out, 1 thread", table, 1),
            ("csrubric Python, pyarrow in/out", table, None),
            ("csrubric Python, pandas in/out", df, None),
        ]:
            t, out = best(lambda: rubric.score_batch(data, threads=threads))
            bands = out["band"] if isinstance(out, pd.DataFrame) else out.column("band").to_pylist()
            report(label, n, t, int((codes(list(bands)) != exact).sum()))


if __name__ == "__main__":
    main()
