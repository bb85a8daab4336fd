"""Conformance vectors: every case under <repo>/tests/vectors/**/*.json (when the folder
exists) and under tests/fixtures/vectors/ runs through the Python binding; the answer must
contain `expect` exactly (the rules of csrubric::selftest::matches with Compare::Exact) or
raise the expected error code, and the full answer must equal `csrubric run`'s.

The vector format (docs/reliability.md, "Conformance vectors"):

    {"description": "...",
     "cases": [{"name": "...", "why": "(optional)",
                "rubric": "rubrics/health/slavkokernel.toml"  (from the repo root)
                          or {"format": "toml", "name": "inline.toml", "text": "..."},
                "op": "score", "input": [...] or null, "options": {...} or null,
                "expect": <JSON> or "error": "<ApiError code>"}]}
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest

import csrubric
from conftest import REPO, cli_path

HERE = pathlib.Path(__file__).resolve().parent
FILE_KEYS = {"description", "cases"}
CASE_KEYS = {"name", "why", "rubric", "op", "input", "options", "expect", "error"}
INLINE_KEYS = {"format", "name", "text"}


def vector_files() -> list[pathlib.Path]:
    roots = [REPO / "tests" / "vectors", HERE / "fixtures" / "vectors"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*.json"))


def load_cases() -> list[tuple[str, dict]]:
    out = []
    for f in vector_files():
        data = json.loads(f.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and set(data) <= FILE_KEYS and "cases" in data, f
        for i, case in enumerate(data["cases"]):
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{f}: case {i}: unknown fields {sorted(unknown)}"
            assert ("expect" in case) != ("error" in case), f"{f}: case {i}: one of expect/error"
            rel = f.relative_to(REPO) if f.is_relative_to(REPO) else f
            out.append((f"{rel}::{case.get('name', i)}", case))
    return out


CASES = load_cases()


def test_the_runner_found_vectors():
    # At least this package's own fixture; tests/vectors when the folder exists.
    assert any("fixtures/vectors" in name for name, _ in CASES)
    if (REPO / "tests" / "vectors").is_dir() and list((REPO / "tests" / "vectors").rglob("*.json")):
        assert any(name.startswith("tests/vectors/") for name, _ in CASES)


# ------------------------------------------------------------------ exact matching


def same_scalar(e, a) -> bool:
    """serde_json's equality: a bool is not a number, an integer is not a float."""
    return type(e) is type(a) and e == a


def diffs(path: str, expected, actual, out: list[str]) -> list[str]:
    """csrubric::selftest::matches(.., Compare::Exact, ..): objects are a subset (an expected
    null also matches an absent key), arrays the same length item by item, scalars equal."""
    where = path or "."
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k, ev in expected.items():
            sub = f"{path}.{k}" if path else k
            if k in actual:
                diffs(sub, ev, actual[k], out)
            elif ev is not None:
                out.append(f"{sub}: expected {ev!r}, absent")
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            out.append(f"{where}: expected {len(expected)} items, got {len(actual)}")
        else:
            for i, (ev, av) in enumerate(zip(expected, actual)):
                diffs(f"{path}[{i}]", ev, av, out)
    elif isinstance(expected, (dict, list)) or isinstance(actual, (dict, list)) or not same_scalar(expected, actual):
        out.append(f"{where}: expected {expected!r}, got {actual!r}")
    return out


def identical(a, b) -> bool:
    """Whole-answer equality with serde_json's scalar rules."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(identical(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b))
    return same_scalar(a, b)


def test_the_matcher_is_exact_and_a_subset():
    assert diffs("", {"score": "4.20"}, {"score": "4.20", "rank": 1}, []) == []
    assert diffs("", {"score": "4.2"}, {"score": "4.20"}, []) == ["score: expected '4.2', got '4.20'"]
    assert diffs("", [{"a": None}], [{}], []) == []
    assert diffs("", [1, 2], [1], []) == [".: expected 2 items, got 1"]
    assert diffs("", {"n": 1}, {"n": 1.0}, []) and diffs("", {"n": 1}, {"n": True}, [])
    assert not identical({"a": 1}, {"a": 1, "b": 2})


# ------------------------------------------------------------------ running a case


def load_rubric(spec) -> csrubric.Rubric:
    if isinstance(spec, str):
        return csrubric.Rubric.from_path(spec)  # relative to the repo root (the cwd)
    assert set(spec) <= INLINE_KEYS, spec
    name = spec.get("name", "<inline>")
    if spec.get("format", "toml") == "json":
        return csrubric.Rubric.from_json(spec["text"], name=name)
    return csrubric.Rubric.from_toml(spec["text"], name=name)


def python_answer(case):
    """(answer, None) or (None, error) through the public API: Rubric.run."""
    try:
        rubric = load_rubric(case["rubric"])
        answer = rubric.run(case["op"], case.get("input"), **(case.get("options") or {}))
    except csrubric.CsrubricError as e:
        return None, e
    return csrubric.to_cli_json(answer), None


def cli_answer(case, tmp_path: pathlib.Path):
    """(answer, None) or (None, stderr) from `csrubric run`, run from the repo root (an
    inline rubric is written under a scratch folder holding a copy of the repo's `rubrics`,
    so its name and relative links resolve the same)."""
    cwd = REPO
    spec = case["rubric"]
    if isinstance(spec, str):
        rubric_arg = spec
    else:
        name = spec.get("name", "inline.toml")
        if not (tmp_path / "rubrics").exists():
            shutil.copytree(REPO / "rubrics", tmp_path / "rubrics")
        target = (tmp_path / name).resolve()
        assert target.is_relative_to(tmp_path.resolve()), f"inline rubric name escapes: {name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spec["text"], encoding="utf-8")
        cwd, rubric_arg = tmp_path, name
    args = [cli_path(), "run", rubric_arg, case["op"]]
    if case.get("input") is not None:
        data = tmp_path / "input.json"
        data.write_text(json.dumps(case["input"]), encoding="utf-8")
        args.append(str(data))
    if case.get("options") is not None:
        args += ["--options", json.dumps(case["options"])]
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode in (0, 2):
        return json.loads(proc.stdout), None
    return None, proc.stderr


@pytest.mark.parametrize("name,case", CASES, ids=[n for n, _ in CASES])
def test_vector(name, case, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    answer, error = python_answer(case)
    cli, cli_error = cli_answer(case, tmp_path)
    if "error" in case:
        assert error is not None, f"expected error `{case['error']}`, got {answer!r}"
        assert isinstance(error, csrubric.CsrubricError)
        assert error.code == case["error"], str(error)
        assert cli_error is not None and str(error) in cli_error, (str(error), cli_error)
        return
    assert error is None, f"{type(error).__name__} {error.code}: {error}"
    found = diffs("", case["expect"], answer, [])
    assert not found, "\n".join(found)
    assert cli_error is None, cli_error
    assert identical(answer, cli), "the binding's answer differs from `csrubric run`'s"
