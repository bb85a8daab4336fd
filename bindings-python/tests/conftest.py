"""Shared fixtures: the repository's rubrics and example files, and the CLI's JSON answers."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest

import csrubric

REPO = pathlib.Path(__file__).resolve().parents[2]
RUBRICS = REPO / "rubrics"
EXAMPLES = REPO / "examples"
AT = "2026-11-23T00:00:00Z"

SLAVKO = ["product_adoption", "technical_health", "business_outcomes", "relationship_health", "growth_potential"]


def cli_path() -> str:
    """The csrubric CLI: $CSRUBRIC_CLI, else a built binary in target/, else on PATH."""
    env = os.environ.get("CSRUBRIC_CLI")
    if env:
        return env
    for profile in ("release", "debug"):
        p = REPO / "target" / profile / "csrubric"
        if p.exists():
            return str(p)
    found = shutil.which("csrubric")
    if found:
        return found
    pytest.fail("the csrubric CLI is needed (cargo build -p csrubric, or set CSRUBRIC_CLI)")


def cli_json(rubric: pathlib.Path, data: pathlib.Path, *extra: str) -> list[dict]:
    """What `csrubric score RUBRIC DATA --format json --at AT` prints."""
    proc = subprocess.run(
        [cli_path(), "score", str(rubric), str(data), "--format", "json", "--at", AT, *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1, 2, 3), proc.stderr
    return json.loads(proc.stdout)


def example_pairs() -> list[tuple[pathlib.Path, pathlib.Path]]:
    """Every examples/health/<rubric>.csv|json with its rubrics/health/<rubric>.toml."""
    out = []
    for f in sorted((EXAMPLES / "health").glob("*")):
        if f.suffix in (".csv", ".json"):
            rubric = RUBRICS / "health" / (f.stem + ".toml")
            if rubric.exists():
                out.append((rubric, f))
    return out


@pytest.fixture(scope="session")
def slavko() -> csrubric.Rubric:
    return csrubric.Rubric.bundled("health/slavkokernel")


def account(id: str, *values, **extra) -> dict:
    """A slavkokernel account with direct component scores, in rubric order."""
    d = {"id": id, **dict(zip(SLAVKO, values))}
    d.update(extra)
    return d
