"""Loading rubrics: bundled, from a path, from TOML and JSON text; their properties."""

from __future__ import annotations

import decimal
import json
import sys

import pytest

import csrubric
from conftest import RUBRICS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None


def test_bundled_rubrics_are_every_repository_rubric():
    # Every shipped rubric of every kind is bundled (scripts and calendars they link to too).
    names = csrubric.bundled_rubrics()
    expected = sorted(
        str(p.relative_to(RUBRICS).with_suffix("")).replace("\\", "/")
        for p in RUBRICS.rglob("*")
        if p.suffix in (".toml", ".json")
    )
    assert sorted(names) == expected
    assert {"health/slavkokernel", "health/kinos-health", "calendars/always-open", "priority/kinos"} <= set(names)


@pytest.mark.parametrize("name", csrubric.bundled_rubrics())
def test_every_bundled_rubric_loads_and_matches_its_file(name):
    r = csrubric.Rubric.bundled(name)
    from_file = csrubric.Rubric.from_path(RUBRICS / f"{name}.toml")
    assert r.id == from_file.id == name
    assert r.hash == from_file.hash and r.kind == from_file.kind
    assert r.ops == from_file.ops and r.summary == from_file.summary
    assert csrubric.bundled_text(name) == (RUBRICS / f"{name}.toml").read_text()
    assert r.source == f"rubrics/{name}.toml"
    assert r.to_dict() == from_file.to_dict()


def test_bundled_names_with_the_prefix_or_extension():
    assert csrubric.Rubric.bundled("rubrics/health/slavkokernel.toml").id == "health/slavkokernel"
    assert csrubric.Rubric.bundled("health/slavkokernel.toml").source == "rubrics/health/slavkokernel.toml"


def test_properties(slavko):
    assert slavko.kind == "health"
    assert slavko.version == "1.0.0"
    assert slavko.title == "SlavkoKernel Customer Health Score"
    assert slavko.hash.startswith("sha256:") and len(slavko.hash) == 7 + 64
    assert slavko.input_columns[:4] == [
        "product_adoption",
        "active_users_pct",
        "feature_adoption_pct",
        "usage_days_per_week",
    ]
    # Seed 001 "Health Score Interpretation": 85-100, 70-84, 55-69, 40-54, 0-39.
    assert [(b["label"], b["min"]) for b in slavko.bands] == [
        ("Excellent", decimal.Decimal(85)),
        ("Good", decimal.Decimal(70)),
        ("Moderate", decimal.Decimal(55)),
        ("At Risk", decimal.Decimal(40)),
        ("Critical", decimal.Decimal(0)),
    ]
    assert slavko.bands[3]["owner"] == "CSM + Manager"
    assert repr(slavko) == "<csrubric.Rubric health health/slavkokernel 1.0.0>"
    spec = slavko.to_dict()
    assert [c["weight"] for c in spec["components"]] == ["25", "20", "25", "15", "15"]


def test_from_path_accepts_str_and_pathlib():
    p = RUBRICS / "health" / "ai-ecosystem.toml"
    assert csrubric.Rubric.from_path(p).id == csrubric.Rubric.from_path(str(p)).id


def test_from_toml_and_from_json_give_the_same_rules(slavko):
    text = (RUBRICS / "health" / "slavkokernel.toml").read_text()
    t = csrubric.Rubric.from_toml(text, name="mine.toml")
    assert t.source == "mine.toml" and t.hash == slavko.hash
    if tomllib is None:
        pytest.skip("tomllib needs Python 3.11")
    j = csrubric.Rubric.from_json(json.dumps(tomllib.loads(text)))
    assert j.source == "<inline>"
    acct = {"id": "a", "product_adoption": 61, "technical_health": 77, "business_outcomes": 45,
            "relationship_health": 90, "growth_potential": 12}
    assert t.score(acct).score == j.score(acct).score == slavko.score(acct).score
