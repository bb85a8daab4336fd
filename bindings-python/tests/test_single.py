"""One account: dict in, HealthResult out. Expected values are hand calculations from seed 001
(weights 25/20/25/15/15; bands 85/70/55/40/0) on direct component scores."""

from __future__ import annotations

import datetime
import decimal
import math

import pytest

import csrubric
from conftest import account

D = decimal.Decimal


def test_weighted_sum_and_band(slavko):
    # 92*.25 + 88*.20 + 90*.25 + 80*.15 + 85*.15 = 23 + 17.6 + 22.5 + 12 + 12.75 = 87.85
    r = slavko.score(account("acme", 92, 88, 90, 80, 85))
    assert isinstance(r, csrubric.HealthResult)
    assert r.score == D("87.85") and isinstance(r.score, D)
    assert (r.id, r.status, r.band, r.action, r.owner, r.urgency) == (
        "acme", "scored", "Excellent", "Maintain, develop advocacy", "CSM", "Low")
    assert r.rubric["id"] == "health/slavkokernel"


def test_rounding_happens_before_banding(slavko):
    # 84.99*.25 + 85*.75 = 21.2475 + 63.75 = 84.9975, rounded half-up to 85.00: Excellent.
    r = slavko.score(account("cobalt", 84.99, 85, 85, 85, 85))
    assert r.score == D("85.00") and r.band == "Excellent"
    # 65.75: 70*.25 + 65*.2 + 72*.25 + 60*.15 + 55*.15 = 17.5 + 13 + 18 + 9 + 8.25.
    r = slavko.score(account("delta", 70, 65, 72, 60, 55))
    assert (r.score, r.band, r.urgency) == (D("65.75"), "Moderate", "Medium")


def test_number_kinds_are_exact(slavko):
    base = slavko.score(account("x", 84.99, 85, 85, 85, 85)).score
    assert slavko.score(account("x", D("84.99"), 85, 85, 85, 85)).score == base
    assert slavko.score(account("x", "84.99", 85, 85, 85, 85)).score == base
    np = pytest.importorskip("numpy")
    assert slavko.score(account("x", np.float64(84.99), np.int64(85), 85, 85, 85)).score == base


def test_none_and_nan_are_absent_and_weights_renormalize(slavko):
    # Without growth_potential (15): (92*25 + 88*20 + 90*25 + 80*15) / 85 = 7510/85 = 88.3529... -> 88.35
    for missing in (None, math.nan):
        r = slavko.score(account("acme", 92, 88, 90, 80, missing))
        assert r.score == D("88.35")
    r = slavko.score(account("acme", 92, 88, 90, 80))
    assert r.score == D("88.35")
    growth = [c for c in r.components if c["id"] == "growth_potential"][0]
    assert growth["score"] is None and growth["effective_weight"] == "0"


def test_explanation_is_plain_data(slavko):
    r = slavko.score(account("delta", 70, 65, 72, 60, 55))
    assert [c["id"] for c in r.components] == [
        "product_adoption", "technical_health", "business_outcomes", "relationship_health", "growth_potential"]
    first = r.components[0]
    assert first["contribution"] in ("17.5", "17.50")
    assert r.what_it_takes["next_band"] == "Good"
    assert r.what_it_takes["next_band_min"] == "70"
    d = r.to_dict()
    assert d["id"] == "delta" and d["score"] == "65.75" and d["band"]["label"] == "Moderate"
    assert isinstance(d["components"], list)
    assert r.summary() == {"id": "delta", "status": "scored", "score": D("65.75"), "band": "Moderate",
                           "action": "Improvement plan, increased engagement", "owner": "CSM",
                           "urgency": "Medium"}
    assert slavko.score(account("delta", 70, 65, 72, 60, 55), explain=False).what_it_takes is None


def test_metrics_feed_components(slavko):
    # product_adoption from metrics: active 80/80 -> 100, features 70/70 -> 100, days 5/5 -> 100.
    r = slavko.score({"id": "m", "active_users_pct": 80, "feature_adoption_pct": 70, "usage_days_per_week": 5})
    assert r.score == D("100.00") and r.components[0]["source"] == "metrics"


def test_insufficient_data(slavko):
    r = slavko.score({"id": "empty"})
    assert r.status == "insufficient_data" and r.score is None and r.band is None
    assert "insufficient_data" in repr(r)


def test_band_override_with_instant(slavko):
    over = [{"band": "At Risk", "author": "ana", "reason": "champion left", "expires": "2026-12-31T00:00:00Z"}]
    acct = account("acme", 92, 88, 90, 80, 85, overrides=over)
    r = slavko.score(acct, at="2026-11-23T00:00:00Z")
    assert r.band == "At Risk" and r.score == D("87.85") and r.band_override["author"] == "ana"
    later = slavko.score(acct, at=datetime.datetime(2027, 1, 2, tzinfo=datetime.timezone.utc))
    assert later.band == "Excellent"


def test_reprs(slavko):
    r = slavko.score(account("acme", 92, 88, 90, 80, 85))
    assert repr(r) == "<HealthResult 'acme': 87.85 Excellent (action: Maintain, develop advocacy; owner: CSM; urgency: Low)>"
    html = r._repr_html_()
    assert html.count("<tr>") == 1 + 5 and "growth_potential" in html and "87.85" in html
    assert r == slavko.score(account("acme", 92, 88, 90, 80, 85))


def test_pandas_row_is_accepted(slavko):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame([account("acme", 92, 88, 90, 80, 85)])
    assert slavko.score(df.iloc[0]).score == D("87.85")
    # pandas' NA is absent, like None: growth_potential drops out (88.35, see above).
    assert slavko.score(account("acme", 92, 88, 90, 80, pd.NA)).score == D("88.35")
