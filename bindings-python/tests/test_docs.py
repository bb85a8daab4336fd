"""The package's docstring examples and every `>>>` example of docs/python.md run (from the
repository root, so the examples/ paths resolve): the documentation cannot rot."""

from __future__ import annotations

import doctest

import pytest

import csrubric
from conftest import REPO

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_package_docstrings():
    result = doctest.testmod(csrubric, optionflags=FLAGS)
    assert result.failed == 0
    # The module, decode, to_cli_json, bundled_*, Rubric and its methods, journey...
    assert result.attempted >= 40


def test_docs_python_md(monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(REPO)
    result = doctest.testfile(str(REPO / "docs" / "python.md"), module_relative=False, optionflags=FLAGS)
    assert result.failed == 0
    assert result.attempted >= 60
