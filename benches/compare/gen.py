"""Generates the comparison's accounts once, for every implementation to read.

The slavkokernel rubric's five direct component scores (0-100, two decimals) for N accounts:
half of them uniform, half placed around the band edges (40, 55, 70, 85) within three
hundredths, where float arithmetic and exact decimals disagree; 8% of cells missing.

Writes to DIR:
  data.bin   N as u64 little-endian, then the five columns as float64 (NaN = missing)
  exact.bin  the exact band of each account (u8: 0 Excellent .. 4 Critical, 255 none),
             computed in integers: score x 100 = sum(w * x * 100) / sum(w), rounded half up

    python gen.py DIR N
"""

import sys
from pathlib import Path

import numpy as np

COLS = ["product_adoption", "technical_health", "business_outcomes", "relationship_health", "growth_potential"]
WEIGHTS = np.array([25, 20, 25, 15, 15], dtype=np.int64)
EDGES = [8500, 7000, 5500, 4000, 0]  # band minimums x 100, top down


def exact_bands(hundredths: np.ndarray, present: np.ndarray) -> np.ndarray:
    w = np.where(present, WEIGHTS, 0)
    s = (np.where(present, hundredths, 0) * w).sum(axis=1)
    total = w.sum(axis=1)
    safe = np.where(total == 0, 1, total)
    rounded = (2 * s + safe) // (2 * safe)  # half up, exact
    band = np.full(len(s), 255, dtype=np.uint8)
    for i, edge in reversed(list(enumerate(EDGES))):
        band[(rounded >= edge) & (total > 0)] = i
    return band


def main() -> None:
    out, n = Path(sys.argv[1]), int(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2026)
    uniform = rng.integers(0, 10_001, size=(n, 5))
    edge = rng.choice(np.array([4000, 5500, 7000, 8500]), size=(n, 1)) + rng.integers(-3, 4, size=(n, 5))
    near = rng.random(n) < 0.5
    hundredths = np.where(near[:, None], edge, uniform)
    present = rng.random((n, 5)) >= 0.08
    values = np.where(present, hundredths / 100.0, np.nan)
    with open(out / "data.bin", "wb") as f:
        f.write(np.uint64(n).tobytes())
        for j in range(5):
            f.write(np.ascontiguousarray(values[:, j]).astype("<f8").tobytes())
    exact_bands(hundredths, present).tofile(out / "exact.bin")
    print(f"wrote {n:,} accounts to {out}")


if __name__ == "__main__":
    main()
