#!/usr/bin/env python3
"""Writes csrubric's shared conformance vectors: tests/vectors/<area>/<name>.json.

Every expected value in the vectors is computed HERE, by formulas written from the seeds
(/work/shared/seeds, cited per model below) and the documented semantics (README.md,
docs/*.md), never copied from the library's output:

* exact arithmetic with `fractions.Fraction`, rounded once with explicit half-up or
  half-even rules (`round_str`), as the rubrics declare;
* calendars and SLA clocks with this script's own business-hours walker over `zoneinfo`
  (class `Cal`), month arithmetic of its own (`add_months`), exact KPI fractions;
* a few cases are worked by hand: they carry the arithmetic in their `why` field.

Standard library only; deterministic: running it twice writes the same bytes.

    python3 tests/vectors/generate.py            # rewrite tests/vectors/<area>/*.json
    python3 tests/vectors/generate.py --out DIR  # write them under DIR instead

The vector format (see docs/reliability.md, "Conformance vectors"):

    {"description": "...",
     "cases": [{"name": "...", "why": "(optional, ignored by runners)",
                "rubric": "rubrics/health/slavkokernel.toml"
                          or {"format": "toml", "name": "inline.toml", "text": "..."},
                "op": "score", "input": [...] or null, "options": {...} or null,
                "expect": <JSON subset of the answer> or "error": "<ApiError code>"}]}
"""

import json
import os
import sys
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = timezone.utc

# --------------------------------------------------------------------------------------
# Exact decimals
# --------------------------------------------------------------------------------------


def F(x):
    """An exact fraction from an int, a decimal string, a float literal or a Fraction."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        raise TypeError("a bool is not a number")
    if isinstance(x, int):
        return Fraction(x)
    # A float is taken as the shortest literal that reads back as it (what the library does
    # with JSON/TOML non-integer numbers); a string digit for digit.
    return Fraction(repr(x) if isinstance(x, float) else str(x))


def fixed(n, decimals):
    """The integer `n` scaled by 10^-decimals, with exactly `decimals` places."""
    sign = "-" if n < 0 else ""
    n = abs(n)
    whole, frac = divmod(n, 10**decimals)
    return f"{sign}{whole}" + (f".{frac:0{decimals}d}" if decimals else "")


def round_int(x, decimals, mode):
    """`x` rounded to `decimals` places, as an integer count of 10^-decimals units."""
    v = F(x) * 10**decimals
    sign = -1 if v < 0 else 1
    a = abs(v)
    n = a.numerator // a.denominator
    r = a - n
    half = Fraction(1, 2)
    if r > half or (r == half and (mode == "half_up" or n % 2 == 1)):
        n += 1
    return sign * n


def round_str(x, decimals=2, mode="half_up"):
    """`x` rounded once (half-up: ties away from zero, like spreadsheets' ROUND; half-even:
    ties to the even neighbour), printed with exactly `decimals` places."""
    assert mode in ("half_up", "half_even")
    return fixed(round_int(x, decimals, mode), decimals)


def rounded(x, decimals=2, mode="half_up"):
    """The rounded value as a Fraction."""
    return Fraction(round_int(x, decimals, mode), 10**decimals)


def norm(x):
    """An exact, terminating decimal without trailing zeros (`50`, `12.5`, `-0.25`)."""
    x = F(x)
    for k in range(0, 29):
        v = x * 10**k
        if v.denominator == 1:
            return fixed(v.numerator, k)
    raise ValueError(f"{x} does not terminate within 28 decimals")


def terminates(x, places=20):
    return (F(x) * 10**places).denominator == 1


def round_dp_even(x, places):
    """rust_decimal's `round_dp`: banker's rounding to `places` decimals, as a Fraction."""
    return Fraction(round_int(x, places, "half_even"), 10**places)


# --------------------------------------------------------------------------------------
# Case bookkeeping
# --------------------------------------------------------------------------------------

FILES = {}  # (area, name) -> {"description": ..., "cases": [...]}


def vector_file(area, name, description):
    key = (area, name)
    assert key not in FILES, key
    FILES[key] = {"description": description, "cases": []}
    return FILES[key]["cases"]


def case(cases, name, rubric, op, input=None, options=None, expect=None, error=None, why=None):
    assert (expect is None) != (error is None), name
    assert all(c["name"] != name for c in cases), f"duplicate case name {name!r}"
    c = {"name": name}
    if why is not None:
        c["why"] = why
    c["rubric"] = rubric
    c["op"] = op
    c["input"] = input
    c["options"] = options
    if error is not None:
        c["error"] = error
    else:
        c["expect"] = expect
    cases.append(c)


def inline(text, name="inline.toml", fmt="toml"):
    return {"format": fmt, "name": name, "text": text}


def row_error(id_, row, code):
    return {"id": id_, "row": row, "status": "error", "error": {"code": code}}


# --------------------------------------------------------------------------------------
# Health scores (README "Rubric file reference (health)")
# --------------------------------------------------------------------------------------


class Metric:
    def __init__(self, id_, weight, scoring, direction="higher"):
        self.id, self.weight, self.scoring, self.direction = id_, F(weight), scoring, direction


class Comp:
    def __init__(self, id_, weight, metrics=(), direction="higher", missing=None, default=None):
        self.id, self.weight = id_, F(weight)
        self.metrics = list(metrics)
        self.direction = direction
        self.missing = missing
        self.default = None if default is None else F(default)


class Band:
    def __init__(self, min_, label, action="", owner="", urgency=""):
        self.min, self.label = F(min_), label
        self.action, self.owner, self.urgency = action, owner, urgency


class HealthError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def linear(from_, to):
    return ("linear", F(from_), F(to))


def steps(*pairs):
    return ("steps", [(F(a), F(s)) for a, s in pairs])


def target(t, cap=1):
    return ("target", F(t), F(cap))


def eval_metric(scoring, direction, v, lo, hi):
    """A metric's score on the component scale [lo, hi] (README "Scoring functions")."""
    span = hi - lo
    kind = scoring[0]
    if kind == "linear":
        _, a, b = scoring
        good = direction == "higher"
        if v <= a:
            return lo if good else hi
        if v >= b:
            return hi if good else lo
        frac = (v - a) / (b - a) if good else (b - v) / (b - a)
        return lo + frac * span
    if kind == "steps":
        reached = [s for (at_least, s) in scoring[1] if v >= at_least]
        return reached[-1] if reached else scoring[1][0][1]
    if kind == "target":
        _, t, cap = scoring
        if direction == "higher":
            if v <= 0:
                return lo
            attainment = min(v / t, cap)
        else:
            if v <= 0:
                return hi
            attainment = min(t / v, cap)
        return lo + attainment / cap * span
    raise ValueError(kind)


class Health:
    """A health rubric: components, bands, scale, rounding and missing-data policy."""

    def __init__(self, comps, bands, scale=(0, 100), points=False, decimals=2,
                 mode="half_up", policy="renormalize", min_present=0):
        self.comps, self.points = comps, points
        self.bands = sorted(bands, key=lambda b: -b.min)
        self.bottom, self.top = (F(0), F(100)) if points else (F(scale[0]), F(scale[1]))
        self.decimals, self.mode = decimals, mode
        self.policy, self.min_present = policy, F(min_present)

    def bounds(self, c):
        return (F(0), c.weight) if self.points else (self.bottom, self.top)

    def band_for(self, score):
        for b in self.bands:
            if score >= b.min:
                return b
        return None

    def resolve(self, c, row, overrides):
        """(line, counted score or None, measured?) for one component."""
        lo, hi = self.bounds(c)
        policy = c.missing or self.policy

        def number(col):
            v = row.get(col)
            if v is None:
                return None
            try:
                return F(v)
            except (ValueError, TypeError, ZeroDivisionError):
                raise HealthError("not_a_number")

        direct = number(c.id)
        line = {"id": c.id, "source": "direct", "input": direct, "metrics": [],
                "computed": None, "score": None}
        computed = None
        if direct is not None:
            if direct < lo or direct > hi:
                raise HealthError("out_of_scale")
            computed = direct if c.direction == "higher" else lo + hi - direct
        values = [number(m.id) for m in c.metrics]
        given = [v for v in values if v is not None]
        if direct is not None and given:
            raise HealthError("ambiguous_input")
        if direct is None and given:
            if policy == "error" and len(given) < len(values):
                raise HealthError("missing_input")
            num = den = F(0)
            for m, v in zip(c.metrics, values):
                if v is not None:
                    s = eval_metric(m.scoring, m.direction, v, lo, hi)
                    num += s * m.weight
                    den += m.weight
                    line["metrics"].append((m.id, v, s))
                elif policy == "zero":
                    num += lo * m.weight
                    den += m.weight
            computed = num / den
            line["source"] = "metrics"
        line["computed"] = computed
        ov = overrides.get(("component", c.id))
        if ov is not None:
            line["override"] = ov
            if ov["counts"]:
                line["source"] = "override"
                line["score"] = ov["score"]
                return line, ov["score"], True
        if computed is not None:
            line["score"] = computed
            return line, computed, True
        if policy == "renormalize":
            line["source"] = "missing_renormalized"
            return line, None, False
        if policy == "zero":
            line["source"] = "missing_zero"
            line["score"] = lo
            return line, lo, False
        if policy == "fixed":
            line["source"] = "missing_fixed"
            line["score"] = c.default
            return line, c.default, False
        raise HealthError("missing_input")

    def aggregate(self, counted):
        span = self.top - self.bottom
        total = F(0)
        s = F(0)
        terms = []
        for c, k in zip(self.comps, counted):
            if k is None:
                terms.append(F(0))
                continue
            lo, hi = self.bounds(c)
            t = (k - lo) * c.weight * span / (hi - lo)
            terms.append(t)
            total += c.weight
            s += t
        if total == 0:
            return None
        return self.bottom + s / total, total, terms

    def score(self, row, overrides=None, as_of=None):
        """The result of one account: a dict, or raises HealthError."""
        ovs = {}
        for o in overrides or []:
            key = ("component", o["component"]) if "component" in o else ("band", o["band"])
            if key[0] == "component":
                comp = next((c for c in self.comps if c.id == key[1]), None)
                if comp is None:
                    raise HealthError("invalid_override")
                lo, hi = self.bounds(comp)
                if F(o["score"]) < lo or F(o["score"]) > hi:
                    raise HealthError("invalid_override")
            elif not any(b.label == key[1] for b in self.bands):
                raise HealthError("invalid_override")
            counts = o.get("expires") is None or as_of < o["expires"]
            prev = [p for p in ovs.get(("all", key), [])]
            if counts and any(p["counts"] for p in prev):
                raise HealthError("invalid_override")
            entry = {"counts": counts, "score": F(o["score"]) if "score" in o else None,
                     "band": o.get("band")}
            ovs.setdefault(("all", key), []).append(entry)
        # The override shown for a target: the active one, else the last expired one.
        chosen = {}
        for (_, key), lst in ovs.items():
            active = [e for e in lst if e["counts"]]
            chosen[key] = active[0] if active else lst[-1]
        lines, counted, measured = [], [], F(0)
        for c in self.comps:
            line, k, m = self.resolve(c, row, chosen)
            lines.append(line)
            counted.append(k)
            if m:
                measured += c.weight
        declared = sum(c.weight for c in self.comps)
        measured_weight = measured * 100 / declared
        agg = self.aggregate(counted)
        out = {"lines": lines, "counted": counted, "measured_weight": measured_weight,
               "status": "insufficient_data", "score": None, "raw": None, "band": None,
               "computed_band": None, "agg": agg}
        if agg is None or measured_weight < self.min_present:
            return out
        raw = agg[0]
        score = rounded(raw, self.decimals, self.mode)
        band = self.band_for(score)
        out.update(status="scored", score=score, raw=raw, band=band, computed_band=band)
        for key, e in chosen.items():
            if key[0] == "band" and e["counts"]:
                out["band"] = next(b for b in self.bands if b.label == key[1])
        return out

    def fmt_score(self, x):
        return round_str(x, self.decimals, self.mode)

    def compact(self, id_, row_no, res):
        """What `score` answers for a scored row (README "The CLI": compact JSON)."""
        b = res["band"]
        return {
            "id": id_, "row": row_no, "status": res["status"],
            "score": None if res["score"] is None else self.fmt_score(res["score"]),
            "band": b.label if b else None,
            "action": b.action if b else None,
            "owner": b.owner if b else None,
            "urgency": b.urgency if b else None,
        }

    def expect_rows(self, rows, overrides_by_id=None, as_of=None, band_fields=True):
        """Expected compact answers for input rows (dicts with `id`)."""
        out = []
        for i, r in enumerate(rows, start=1):
            cells = {k: v for k, v in r.items() if k not in ("id", "overrides")}
            ovs = list(r.get("overrides", [])) + list((overrides_by_id or {}).get(r["id"], []))
            ovs = [dict(o, expires=expiry(o["expires"])) if o.get("expires") else o for o in ovs]
            try:
                res = self.score(cells, ovs, as_of)
            except HealthError as e:
                out.append(row_error(r["id"], i, e.code))
                continue
            c = self.compact(r["id"], i, res)
            if not band_fields:
                for k in ("action", "owner", "urgency"):
                    del c[k]
            out.append(c)
        return out


def expiry(text):
    """An override's `expires`: an RFC 3339 instant, or a date meaning "through that day,
    UTC" (so the override stops counting at the next midnight UTC)."""
    if "T" in text:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    d = date.fromisoformat(text) + timedelta(days=1)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def instant(text):
    """An RFC 3339 instant with an offset; a naive timestamp is refused."""
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(f"naive timestamp {text}")
    return t.astimezone(UTC)


# Seed 001 "Customer Health Score Components" (weights) and "Health Score Interpretation"
# (bands, actions, owners, urgency); metric ranges are the rubric file's documented defaults.
SLAVKO_BANDS = [
    Band(85, "Excellent", "Maintain, develop advocacy", "CSM", "Low"),
    Band(70, "Good", "Targeted improvements, growth planning", "CSM", "Low"),
    Band(55, "Moderate", "Improvement plan, increased engagement", "CSM", "Medium"),
    Band(40, "At Risk", "Remediation plan, executive engagement", "CSM + Manager", "High"),
    Band(0, "Critical", "Rescue plan, executive escalation", "CSM + Director", "Urgent"),
]


def slavko_comps():
    return [
        Comp("product_adoption", 25, [
            Metric("active_users_pct", 40, target(80)),
            Metric("feature_adoption_pct", 35, target(70)),
            Metric("usage_days_per_week", 25, linear(0, 5)),
        ]),
        Comp("technical_health", 20, [
            Metric("availability_pct", 40, linear("99.0", "99.9")),
            Metric("error_rate_pct", 30, linear("0.1", 5), "lower"),
            Metric("p95_latency_ms", 30, linear(200, 2000), "lower"),
        ]),
        Comp("business_outcomes", 25, [Metric("success_criteria_met_pct", 100, target(100))]),
        Comp("relationship_health", 15, [
            Metric("exec_meetings_per_quarter", 50, steps((0, 0), (1, 50), (2, 80), (3, 100))),
            Metric("team_satisfaction", 50, linear(1, 5)),
        ]),
        Comp("growth_potential", 15, [
            Metric("expansion_opportunities", 60, steps((0, 0), (1, 60), (2, 80), (3, 100))),
            Metric("reference_willingness", 40, linear(0, 10)),
        ]),
    ]


SLAVKO = Health(slavko_comps(), SLAVKO_BANDS)
SLAVKO_IDS = [c.id for c in SLAVKO.comps]

# Seed 002 "Health Score Framework": four components at 25% on 0-10; Green 8-10, Yellow
# 5-7, Red 0-4 (lower bounds 8 and 5 on the rounded score).
AI = Health([
    Comp("usage", 25, [
        Metric("login_days_per_week", 50,
               steps((0, 1), (1, "3.5"), (2, "5.5"), (3, "7.5"), (5, "9.5"))),
        Metric("feature_adoption_pct", 25, linear(0, 80)),
        Metric("team_activation_pct", 25, linear(0, 90)),
    ]),
    Comp("engagement", 25, [
        Metric("training_completion_pct", 50, linear(0, 100)),
        Metric("touchpoints_per_month", 50,
               steps((0, 1), (1, "3.5"), (2, "5.5"), (4, "7.5"), (8, "9.5"))),
    ]),
    Comp("success", 25, [
        Metric("goal_achievement_pct", 60,
               steps((0, 1), (25, "3.5"), (50, "5.5"), (90, "7.5"), (110, "9.5"))),
        Metric("milestones_completed_pct", 40, target(100)),
    ]),
    Comp("growth", 25, [
        Metric("usage_growth_pct", 50,
               steps((-1000000, 1), ("0.01", "3.5"), (5, "5.5"), (15, "7.5"), (30, "9.5"))),
        Metric("revenue_growth_pct", 50,
               steps((-1000000, 1), ("0.01", "3.5"), (5, "5.5"), (15, "7.5"), (30, "9.5"))),
    ]),
], [Band(8, "Green"), Band(5, "Yellow"), Band(0, "Red")], scale=(0, 10))

# Seed 004 "Health Score Framework": 100 points (usage 30, business value 30, relationship
# 20, growth 20); Green 80-100, Yellow 60-79, Red < 60.
C2G = Health([
    Comp("usage", 30, [
        Metric("logins_per_week", 40, linear(0, 10)),
        Metric("feature_utilization_pct", 40, target(75)),
        Metric("data_volume_vs_plan_pct", 20, target(100)),
    ]),
    Comp("business_value", 30, [
        Metric("roi_achievement_pct", 40, target(100)),
        Metric("goal_completion_pct", 40, target(100)),
        Metric("time_savings_hours_per_month", 20, linear(0, 40)),
    ]),
    Comp("relationship", 20, [
        Metric("stakeholders_engaged", 40, steps((0, 0), (1, 8), (2, 14), (3, 20))),
        Metric("ticket_sentiment", 30, linear(-1, 1)),
        Metric("meeting_attendance_pct", 30, target(90)),
    ]),
    Comp("growth", 20, [
        Metric("expansion_discussions", 50, steps((0, 0), (1, 12), (2, 20))),
        Metric("reference_willing", 30, steps((0, 0), (1, 20))),
        Metric("feature_requests_per_quarter", 20, linear(0, 3)),
    ]),
], [Band(80, "Green"), Band(60, "Yellow"), Band(0, "Red")], points=True)


# --------------------------------------------------------------------------------------
# Calendars: this script's own business-hours walker (README "Calendars")
# --------------------------------------------------------------------------------------

DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def hm(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


class Cal:
    """Weekly open intervals in an IANA zone, minus holidays (whole local days).

    * an interval whose close is not after its open is an overnight shift owned by the day
      it starts; "24:00" is the end of the day;
    * local times become instants with the offset in force: a time skipped by
      spring-forward is the instant of the jump, a repeated one its first occurrence;
    * `always_open`: every instant is open (business time is wall-clock time)."""

    def __init__(self, cid, zone, hours=(), holidays=(), always_open=False, changes=()):
        """`changes`: [(effective date, hours)]: new weekly hours from local midnight of the
        effective date (time already worked before it is kept)."""
        self.id = cid
        self.zone = ZoneInfo(zone)
        self.always_open = always_open
        self.versions = [(date.min, self.make_week(hours))]
        for effective, new_hours in changes:
            self.versions.append((date.fromisoformat(effective), self.make_week(new_hours)))
        self.holidays = set(date.fromisoformat(h) for h in holidays)

    @staticmethod
    def make_week(hours):
        week = {d: [] for d in DAY_NAMES}
        for days, open_, close in hours:
            for d in days:
                week[d].append((hm(open_), hm(close)))
        return week

    def week_on(self, d):
        return [w for eff, w in self.versions if eff <= d][-1]

    def to_instant(self, d, minutes):
        """Local date + minutes after midnight (may be >= 1440) as a UTC instant."""
        day = d + timedelta(days=minutes // 1440)
        m = minutes % 1440
        local = datetime(day.year, day.month, day.day, m // 60, m % 60)
        first = local.replace(tzinfo=self.zone, fold=0)
        u = first.astimezone(UTC)
        if u.astimezone(self.zone).replace(tzinfo=None) == local:
            return u  # exists (fold=0 is the first occurrence of a repeated time)
        # Skipped by a jump forward: the instant of the jump, found minute by minute
        # between the readings of the local time with the offsets before and after it.
        late = u
        early = local.replace(tzinfo=self.zone, fold=1).astimezone(UTC)
        early, late = min(early, late), max(early, late)
        t = early
        while t <= late:
            if t.astimezone(self.zone).utcoffset() != early.astimezone(self.zone).utcoffset():
                return t
            t += timedelta(minutes=1)
        raise AssertionError(f"no jump found for {local} in {self.zone}")

    def local_date(self, t):
        return t.astimezone(self.zone).date()

    def is_working_day(self, d):
        if d in self.holidays:
            return False
        return self.always_open or bool(self.week_on(d)[DAY_NAMES[d.weekday()]])

    def day_spans(self, d):
        """The open spans owned by local date `d` (holidays cut out), as UTC instants."""
        if self.always_open:
            return [(self.to_instant(d, 0), self.to_instant(d, 1440))]
        spans = []
        for open_, close in self.week_on(d)[DAY_NAMES[d.weekday()]]:
            end = close if close > open_ else close + 1440
            spans.append((self.to_instant(d, open_), self.to_instant(d, end)))
        spans.sort()
        # A holiday removes local 00:00-24:00 of its date, also the part of an overnight
        # shift that falls on it.
        out = []
        for s, e in spans:
            pieces = [(s, e)]
            for h in (d, d + timedelta(days=1)):
                if h in self.holidays:
                    hs, he = self.to_instant(h, 0), self.to_instant(h, 1440)
                    nxt = []
                    for a, b in pieces:
                        if b <= hs or a >= he:
                            nxt.append((a, b))
                        else:
                            if a < hs:
                                nxt.append((a, hs))
                            if b > he:
                                nxt.append((he, b))
                    pieces = nxt
            out.extend(p for p in pieces if p[1] > p[0])
        return out

    def spans_from(self, t):
        """Open spans (start, end, owning day) from instant t on, clipped at t."""
        d = self.local_date(t) - timedelta(days=1)
        for _ in range(3700):
            for s, e in self.day_spans(d):
                if e <= t:
                    continue
                yield (max(s, t), e, d)
            d += timedelta(days=1)
        raise AssertionError("no open time in ten years")

    def working_time(self, a, b):
        if b <= a:
            return timedelta(0)
        total = timedelta(0)
        for s, e, _ in self.spans_from(a):
            if s >= b:
                break
            total += min(e, b) - s
        return total

    def add_working_time(self, t, d):
        if d == timedelta(0):
            return t
        remaining = d
        for s, e, _ in self.spans_from(t):
            if remaining <= e - s:
                return s + remaining
            remaining -= e - s

    def add_working_days(self, d, n):
        step = 1 if n > 0 else -1
        for _ in range(abs(n)):
            d += timedelta(days=step)
            while not self.is_working_day(d):
                d += timedelta(days=step)
        return d

    def on_or_after_working_day(self, d):
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def on_or_before_working_day(self, d):
        while not self.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def close_of(self, d):
        spans = self.day_spans(d)
        return spans[-1][1] if spans else self.to_instant(d, 0)

    def add_business_days(self, t, n):
        """N whole working days: the same position (open time elapsed since the day's
        opening) in the working day N working days later; a clock started in closed time
        (or exactly at an opening) ends at the close of the N-th working day counting the
        first one; a shorter target day ends at its close."""
        if n == 0:
            return t
        start, _, day = next(self.spans_from(t))
        elapsed = sum(((min(e, start) - s) for s, e in self.day_spans(day) if s < start),
                      timedelta(0))
        if elapsed == timedelta(0):
            return self.close_of(self.add_working_days(day, n - 1))
        target_day = self.add_working_days(day, n)
        remaining = elapsed
        spans = self.day_spans(target_day)
        for s, e in spans:
            if remaining <= e - s:
                return s + remaining
            remaining -= e - s
        return spans[-1][1] if spans else self.close_of(target_day)

    def local(self, t):
        return t.astimezone(self.zone)


def rfc3339(t, zone_z=True):
    """An aware datetime as RFC 3339: `Z` for a zero offset when `zone_z` (chrono's serde
    form), else `+00:00` (chrono's `to_rfc3339`)."""
    s = t.isoformat()
    if zone_z and s.endswith("+00:00"):
        s = s[:-6] + "Z"
    return s


def duration(td):
    """`1h 30m` (seconds only when not whole minutes; `0m` for zero)."""
    total = int(td.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    h, m, s = total // 3600, (total % 3600) // 60, total % 60
    out = sign
    if h:
        out += f"{h}h"
    if m or (h == 0 and s == 0):
        out += (" " if h else "") + f"{m}m"
    if s:
        out += f" {s}s"
    return out


def parse_target(text):
    text = text.strip()
    if text == "immediate":
        return ("open", timedelta(0))
    n = int("".join(ch for ch in text if ch.isdigit()))
    unit = text[len(str(n)):]
    return {"m": ("open", timedelta(minutes=n)), "h": ("open", timedelta(hours=n)),
            "bd": ("bd", n)}[unit]


# The shipped calendars, transcribed from rubrics/calendars/*.toml (their hours and holidays
# are documented defaults: seed 001 names the coverage, not the hours).
BERLIN_HOLIDAYS = [
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25",
    "2026-10-03", "2026-12-25", "2026-12-26", "2027-01-01", "2027-03-26", "2027-03-29",
    "2027-05-01", "2027-05-06", "2027-05-17", "2027-10-03", "2027-12-25", "2027-12-26",
]
NY_HOLIDAYS = [
    "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
    "2026-09-07", "2026-11-26", "2026-12-25", "2027-01-01", "2027-01-18", "2027-02-15",
    "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24",
]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
BERLIN = Cal("calendars/business-hours-berlin", "Europe/Berlin",
             [(WEEKDAYS, "09:00", "17:00")], BERLIN_HOLIDAYS)
NEW_YORK = Cal("calendars/business-hours-new-york", "America/New_York",
               [(WEEKDAYS, "09:00", "17:00")], NY_HOLIDAYS)
EXTENDED = Cal("calendars/extended-hours-berlin", "Europe/Berlin",
               [(WEEKDAYS, "07:00", "21:00"), (["sat"], "09:00", "17:00")])
ALWAYS = Cal("calendars/always-open", "UTC", always_open=True)


# --------------------------------------------------------------------------------------
# Escalation matrices (README "Escalation matrices"): first-hit over ordered rows
# --------------------------------------------------------------------------------------


class Matrix:
    """inputs: [(name, values, default)] (booleans: values false/true, default false);
    rows: [dict(level, owner, within, criteria, communication, when={name: [values]})]."""

    def __init__(self, inputs, rows, hit="first"):
        self.inputs, self.rows, self.hit = inputs, rows, hit

    def names(self):
        return [n for n, _, _ in self.inputs]

    def evaluate(self, facts, since, sla_due=None):
        combo = {}
        for name, values, default in self.inputs:
            v = facts.get(name)
            if v is not None:
                v = str(v).strip()
                if values == ["false", "true"]:
                    v = {"true": "true", "yes": "true", "1": "true",
                         "false": "false", "no": "false", "0": "false", "": "false"}.get(
                        v.lower(), v)
            elif default is not None:
                v = default
            else:
                if any(name in r["when"] for r in self.rows):
                    raise HealthError("invalid_input")
                continue
            if v not in values:
                raise HealthError("invalid_input")
            combo[name] = v
        out = []
        for i, r in enumerate(self.rows, start=1):
            if not all(combo.get(n) in vals for n, vals in r["when"].items()):
                continue
            within = r.get("within")
            if within is None:
                deadline = None
            elif within == "per_sla":
                deadline = sla_due
            else:
                kind, amount = parse_target(within)
                deadline = since + (amount if kind == "open" else timedelta(days=amount))
            out.append({
                "row": i, "level": r["level"], "owner": r["owner"], "within": within,
                "deadline": None if deadline is None else rfc3339(deadline),
                "matched": [f"{n} = {combo[n]}" for n in sorted(r["when"])],
                "criteria": r.get("criteria"), "communication": r.get("communication"),
            })
            if self.hit == "first":
                break
        return out


BOOL = ["false", "true"]

# Seed 001 "Customer Support Model / Escalation Matrix" (rubrics/escalation/slavkokernel-support.toml).
SUPPORT = Matrix(
    [("priority", ["P1", "P2", "P3", "P4"], None),
     ("category", ["general", "complex_technical", "advanced_product"], "general"),
     ("breached", BOOL, "false"), ("dissatisfied", BOOL, "false"), ("strategic", BOOL, "false")],
    [
        dict(level="Executive", owner="VP Customer Success", within="4h",
             criteria="Severe impact, strategic customers",
             communication="Direct with customer executive",
             when={"priority": ["P1"], "strategic": ["true"]}),
        dict(level="Management", owner="Support Manager", within="1h", criteria="SLA breach",
             communication="Direct with customer", when={"breached": ["true"]}),
        dict(level="Management", owner="Support Manager", within="1h",
             criteria="Customer dissatisfaction", communication="Direct with customer",
             when={"dissatisfied": ["true"]}),
        dict(level="Level 3", owner="Product Engineering", within="4h",
             criteria="Advanced product issues", communication="Via Support Engineer",
             when={"category": ["advanced_product"]}),
        dict(level="Level 2", owner="Senior Support Engineer", within="2h",
             criteria="Complex technical issues", communication="Update to customer",
             when={"category": ["complex_technical"]}),
        dict(level="Level 1", owner="Support Engineer", within="per_sla",
             criteria="Initial support contact", communication="Direct with customer", when={}),
    ])

# Seed 001 "Risk Management & Escalation / Escalation Matrix" (slavkokernel-risk.toml).
RISK = Matrix(
    [("risk_level", ["low", "medium", "high", "critical"], None),
     ("playbook_failing", BOOL, "false"), ("strategic", BOOL, "false")],
    [
        dict(level="Level 5", owner="CEO", within="24h",
             criteria="Strategic customer, severe issues",
             when={"risk_level": ["critical"], "strategic": ["true"]}),
        dict(level="Level 4", owner="VP Customer Success", within="12h",
             criteria="Critical risk, imminent churn risk", when={"risk_level": ["critical"]}),
        dict(level="Level 3", owner="CS Director", within="24h",
             criteria="High risk, potential churn risk", when={"risk_level": ["high"]}),
        dict(level="Level 2", owner="CS Team Lead", within="24h",
             criteria="Medium risk, standard approach not working",
             when={"risk_level": ["medium"], "playbook_failing": ["true"]}),
        dict(level="Level 1", owner="CS Manager", within="24h",
             criteria="Initial risk identification", when={"risk_level": ["low", "medium"]}),
    ])

C2G_CATEGORIES = [
    "feature_question", "basic_troubleshooting", "training_request", "process_optimization",
    "complex_integration", "performance_issue", "architecture_question", "custom_development",
    "contract_dispute", "pricing_negotiation", "service_level_issue", "relationship_challenge",
    "strategic_relationship", "major_service_failure", "legal_issue", "board_level_engagement",
]
# Seed 004 "Escalation Matrix" levels 1-4 and "Resource Allocation (80/20 Rule)".
C2G_MATRIX = Matrix(
    [("category", C2G_CATEGORIES, None), ("segment", ["standard", "strategic"], "standard")],
    [
        dict(level="Level 4", owner="Morten (executive escalation)",
             criteria="Strategic relationships only: major service failures, legal issues, "
                      "board-level engagement",
             when={"segment": ["strategic"],
                   "category": ["strategic_relationship", "major_service_failure",
                                "legal_issue", "board_level_engagement"]}),
        dict(level="Level 3", owner="Sofie (commercial escalation)",
             criteria="Contract disputes, pricing negotiations, service level issues, "
                      "relationship challenges",
             when={"segment": ["strategic"],
                   "category": ["contract_dispute", "pricing_negotiation",
                                "service_level_issue", "relationship_challenge"]}),
        dict(level="Level 2", owner="John F. (technical escalation)",
             criteria="Complex integrations, performance issues, architecture questions, "
                      "custom development",
             when={"category": ["complex_integration", "performance_issue",
                                "architecture_question", "custom_development"]}),
        dict(level="Level 1", owner="CSM (John Web / Partners for standard customers)",
             criteria="Feature questions, basic troubleshooting, training requests, process "
                      "optimization; standard customers' non-technical issues", when={}),
    ])


# --------------------------------------------------------------------------------------
# SLA clocks (README "SLA policies"): a pure function of the event log and the instant
# --------------------------------------------------------------------------------------

CLOCKS = ["first_response", "resolution", "management_notification"]


class Sla:
    def __init__(self, tiers, pausing, matrix=None):
        """tiers: {tier: (Cal, {prio: (first_response, resolution, notification)})}."""
        self.tiers, self.pausing, self.matrix = tiers, pausing, matrix

    @staticmethod
    def segments(opened, events, clock, pausing, ignore_stop=None):
        """Intervals [(start, end or None)] in which the clock runs, and the stop in force
        at the end. A stop at `ignore_stop` (the final one) is not applied (projection)."""
        paused, stopped = False, None
        running_since = opened
        segs = []
        for at, kind, value in events:
            if kind == "status":
                paused = value in pausing
            elif kind == "reply" and clock == 0 and stopped is None:
                stopped = at
            elif kind == "resolved" and stopped is None:
                stopped = at
            elif kind == "reopened" and clock > 0:
                stopped = None
            effective_stop = stopped is not None and stopped != ignore_stop
            running = not paused and not effective_stop
            if running_since is not None and not running:
                segs.append((running_since, at))
                running_since = None
            elif running_since is None and running:
                running_since = at
        if running_since is not None:
            segs.append((running_since, None))
        return segs, stopped

    def evaluate(self, tier, priority, opened, events, at, facts=None):
        if tier not in self.tiers:
            raise HealthError("unknown_value")
        cal, goals = self.tiers[tier]
        if priority not in goals:
            raise HealthError("unknown_value")
        events = sorted([e for e in events if e[0] <= at], key=lambda e: e[0])
        for e in events:
            if e[1] == "priority":
                if e[2] not in goals:
                    raise HealthError("unknown_value")
                priority = e[2]
        targets, breach_times, upcoming = [], [], []
        for i, name in enumerate(CLOCKS):
            goal = goals[priority][i]
            kind, amount = parse_target(goal)
            want = amount if kind == "open" else cal.working_time(
                opened, cal.add_business_days(opened, amount))
            pausing = self.pausing[i]
            segs, stopped = self.segments(opened, events, i, pausing)
            proj, _ = self.segments(opened, events, i, pausing, ignore_stop=stopped)
            due, remaining = None, want
            for s, e in proj:
                if e is None:
                    due = cal.add_working_time(s, remaining)
                    break
                w = cal.working_time(s, e)
                if remaining <= w:
                    due = cal.add_working_time(s, remaining)
                    break
                remaining -= w
            elapsed = sum((cal.working_time(s, min(e, at) if e else at) for s, e in segs),
                          timedelta(0))
            if stopped is not None and due is not None and due < stopped:
                state, breached_at = "breached", due
            elif stopped is not None:
                state, breached_at = "met", None
            elif due is not None and due < at:
                state, breached_at = "breached", due
            elif segs and segs[-1][1] is None:
                state, breached_at = "running", None
            else:
                state, breached_at = "paused", None
            left = None if stopped is not None else max(want - elapsed, timedelta(0))
            if state == "breached" and i < 2:
                breach_times.append((due, name))
            if i < 2 and stopped is None and due is not None and due >= at:
                upcoming.append((due, name))
            loc = lambda t: None if t is None else rfc3339(cal.local(t))
            targets.append({
                "target": name, "goal": goal, "state": state, "due": loc(due),
                "met_at": loc(stopped), "breached_at": loc(breached_at),
                "elapsed": duration(elapsed),
                "remaining": None if left is None else duration(left),
                "remaining_seconds": None if left is None else int(left.total_seconds()),
                "_due": due, "_met": stopped,
            })
        out = {"tier": tier, "priority": priority, "at": rfc3339(cal.local(at)),
               "calendar": cal.id,
               "breached": [n for _, n in sorted(breach_times, key=lambda x: CLOCKS.index(x[1]))],
               "level": None, "next_escalation": None}
        if self.matrix is not None:
            m = self.matrix
            f = {k: v for k, v in (facts or {}).items() if k in m.names()}
            f["priority"], f["tier"] = priority, tier
            f = {k: v for k, v in f.items() if k in m.names()}
            first_breach = min((t for t, _ in breach_times), default=None)
            f["breached"] = "true" if first_breach is not None else "false"
            sla_due = next((t["_due"] for t in targets[:2] if t["_met"] is None), None)
            since = first_breach or opened
            now = m.evaluate(f, since, sla_due)
            out["level"] = now[0] if now else None
            if first_breach is None and upcoming:
                due, reason = min(upcoming, key=lambda u: u[0])
                f["breached"] = "true"
                then = m.evaluate(f, due, None)
                if then and (not now or (now[0]["level"], now[0]["owner"]) !=
                             (then[0]["level"], then[0]["owner"])):
                    out["next_escalation"] = {"level": then[0]["level"],
                                              "owner": then[0]["owner"],
                                              "at": rfc3339(cal.local(due)),
                                              "reason": f"{reason} breached"}
        for t in targets:
            del t["_due"], t["_met"]
        out["targets"] = targets
        return out


def seed_sla_goals(first_response):
    """Seed 001 "Issue Prioritization": resolution P1 4h, P2 8h, P3 3 business days, P4 10;
    management notification P1 immediate, P2 4h, P3 24h, P4 weekly review (5bd)."""
    res = ["4h", "8h", "3bd", "10bd"]
    note = ["immediate", "4h", "24h", "5bd"]
    return {p: (first_response[i], res[i], note[i])
            for i, p in enumerate(["P1", "P2", "P3", "P4"])}


# Seed 001 "Support Tiers": first response per tier (rubrics/escalation/slavkokernel-sla.toml).
SLA = Sla({
    "standard": (BERLIN, seed_sla_goals(["4h", "8h", "24h", "48h"])),
    "premium": (EXTENDED, seed_sla_goals(["2h", "4h", "8h", "24h"])),
    "enterprise": (ALWAYS, seed_sla_goals(["30m", "2h", "4h", "8h"])),
    "white_glove": (ALWAYS, seed_sla_goals(["15m", "1h", "2h", "4h"])),
}, [[], ["pending_customer"], ["pending_customer"]], SUPPORT)


# --------------------------------------------------------------------------------------
# Renewals (README "Renewal playbooks"): dates from the contract end
# --------------------------------------------------------------------------------------


def days_in_month(y, m):
    if m == 12:
        return 31
    return (date(y, m + 1, 1) - date(y, m, 1)).days


def add_months(d, n):
    """Calendar months: the same day of the month, or the last day of a shorter month
    (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year)."""
    total = d.year * 12 + (d.month - 1) + n
    y, m = divmod(total, 12)
    m += 1
    return date(y, m, min(d.day, days_in_month(y, m)))


class Milestone:
    def __init__(self, id_, label, offset, owner, until=None, unit="days", path="renewal",
                 adjust=None, deliverable=None, activities=()):
        self.id, self.label, self.offset, self.owner = id_, label, offset, owner
        self.until, self.unit, self.path, self.adjust = until, unit, path, adjust
        self.deliverable, self.activities = deliverable, list(activities)


class Playbook:
    def __init__(self, milestones, adjust="none", calendar=None):
        self.milestones, self.adjust, self.calendar = milestones, adjust, calendar

    def paths(self):
        out = []
        for m in self.milestones:
            if m.path not in out:
                out.append(m.path)
        return out

    def date_of(self, m, end, offset):
        if m.unit == "days":
            d = end + timedelta(days=offset)
        elif m.unit == "months":
            d = add_months(end, offset)
        else:
            d = self.calendar.add_working_days(end, offset)
        if (m.adjust or self.adjust) == "previous_working_day":
            d = self.calendar.on_or_before_working_day(d)
        return d

    @staticmethod
    def term_end(start, end, today):
        """Auto-renewal: the current term's end and number. Terms repeat the contract's
        length in whole months when it is one (start + n months is the day after the end,
        or the end itself for a term starting on a month's last days), else in days."""
        if today <= end:
            return end, 1
        months, kind = None, None
        for n in range(1, 1300):
            if add_months(start, n) == end + timedelta(days=1):
                months, kind = n, "day_after"
                break
            if add_months(start, n) == end:
                months, kind = n, "end"
                break
            if add_months(start, n) > end + timedelta(days=1):
                break
        term, cur = 1, end
        while cur < today:
            term += 1
            if months is None:
                length = (end - start).days + 1
                cur = end + timedelta(days=length * (term - 1))
            else:
                nxt = add_months(start, months * term)
                cur = nxt - timedelta(days=1) if kind == "day_after" else nxt
        return cur, term

    def schedule(self, c, today):
        """The expected answer for one contract (a dict of input cells)."""
        try:
            start, end = date.fromisoformat(c["start"]), date.fromisoformat(c["end"])
        except (KeyError, ValueError):
            raise HealthError("renewal_bad_value" if "start" in c and "end" in c
                              else "renewal_missing")
        if end < start:
            raise HealthError("renewal_end_before_start")
        path = c.get("path", "renewal")
        if path not in self.paths():
            raise HealthError("renewal_unknown_path")
        completed = c.get("completed", [])
        if isinstance(completed, str):
            completed = [s.strip() for s in completed.split(";") if s.strip()]
        for x in completed:
            if not any(m.id == x for m in self.milestones):
                raise HealthError("renewal_unknown_milestone")
        auto = c.get("auto_renew") in (True, "yes", "true", 1)
        renewal_date, term = self.term_end(start, end, today) if auto else (end, 1)
        sched = []
        for m in self.milestones:
            if m.path != path:
                continue
            due = self.date_of(m, renewal_date, m.offset)
            until = due if m.until is None else self.date_of(m, renewal_date, m.until)
            if m.id in completed:
                status = "done"
            elif until < today:
                status = "overdue"
            elif due <= today:
                status = "open"
            else:
                status = "upcoming"
            item = {"milestone": m.id, "label": m.label, "due": due.isoformat(),
                    "until": until.isoformat(), "owner": m.owner, "status": status,
                    "_due": due, "_until": until}
            sched.append(item)
        last_close = max((s["_until"] for s in sched), default=None)
        current = None
        if last_close is not None and last_close >= today:
            for s in reversed(sched):
                if s["_due"] <= today:
                    current = s["milestone"]
                    break
        nxt = None
        for s in sched:
            if s["_due"] > today and (nxt is None or s["_due"] < nxt["_due"]):
                nxt = s
        out = {"id": c["id"], "path": path, "today": today.isoformat(),
               "renewal_date": renewal_date.isoformat(), "term": term,
               "days_to_renewal": (renewal_date - today).days,
               "current_milestone": current,
               "next_milestone": nxt["milestone"] if nxt else None,
               "next_due": nxt["_due"].isoformat() if nxt else None,
               "days_to_next": (nxt["_due"] - today).days if nxt else None,
               "overdue": [s["milestone"] for s in sched if s["status"] == "overdue"]}
        if "notice_days" in c:
            nd = renewal_date - timedelta(days=int(c["notice_days"]))
            out["notice_deadline"] = nd.isoformat()
            out["days_to_notice_deadline"] = (nd - today).days
        out["schedule"] = [{k: v for k, v in s.items() if not k.startswith("_")} for s in sched]
        out["_key"] = (nxt is None, nxt["_due"] if nxt else date.min, renewal_date, c["id"])
        return out

    def pipeline(self, contracts, today):
        """Rows sorted by next due milestone (none last), then renewal date, then id;
        failed rows after the others, in input order."""
        ok, failed = [], []
        for i, c in enumerate(contracts, start=1):
            try:
                r = self.schedule(c, today)
                r["row"] = i
                ok.append(r)
            except HealthError as e:
                failed.append(row_error(c["id"], i, e.code))
        ok.sort(key=lambda r: r["_key"])
        for r in ok:
            del r["_key"]
        return ok + failed


# Seed 001 "Retention & Growth Strategy > Renewal Process" (rubrics/renewal/slavkokernel.toml).
SLAVKO_RENEWAL = Playbook([
    Milestone("renewal_planning", "Renewal Planning", -180, "CS Manager"),
    Milestone("value_assessment", "Value Assessment", -150, "CS Manager"),
    Milestone("executive_review", "Executive Review", -120, "CS Manager + CS Director"),
    Milestone("expansion_planning", "Expansion Planning", -120, "CS Manager + Sales"),
    Milestone("renewal_preparation", "Renewal Preparation", -90, "CS Manager + Sales"),
    Milestone("renewal_negotiation", "Renewal Negotiation", -60, "Sales + CS Manager", until=-30),
    Milestone("renewal_closure", "Renewal Closure", -30, "Sales + CS Manager", until=0),
    Milestone("post_renewal_planning", "Post-Renewal Planning", 0, "CS Manager", until=30),
])

# Seed 004 "Stage 6: Renewal or Transition" (rubrics/renewal/cradle-to-grave.toml; the
# departure timings are the file's documented defaults, the win-back is the seed's 6 months).
C2G_RENEWAL = Playbook([
    Milestone("value_documentation", "Value documentation", -90, "CSM + Sales", until=-61),
    Milestone("renewal_proposal", "Renewal proposal", -60, "CSM + Sales", until=-31),
    Milestone("negotiation", "Negotiation", -30, "CSM + Sales", until=-1),
    Milestone("contract_execution", "Contract execution", -30, "CSM + Sales", until=-1),
    Milestone("exit_interview", "Exit interview", -30, "CSM", until=-1, path="departure"),
    Milestone("knowledge_transfer", "Knowledge transfer", -30, "CSM", until=0, path="departure"),
    Milestone("data_export", "Data export", -30, "CSM", until=0, path="departure"),
    Milestone("lessons_learned", "Lessons learned", 0, "CSM", until=30, path="departure"),
    Milestone("win_back_follow_up", "Win-back follow-up", 6, "CSM + Sales", unit="months",
              path="departure"),
])


# --------------------------------------------------------------------------------------
# Portfolio KPIs (README "Portfolio KPIs"): exact numerators and denominators
# --------------------------------------------------------------------------------------

KPI_ORDER = ["nrr", "grr", "logo_churn", "logo_retention", "revenue_churn", "contraction",
             "expansion_share", "nps", "csat_share", "csat_mean", "ces_mean", "ces_share",
             "avg_health", "at_risk_share", "value_realization", "time_to_first_value"]
KPI_UNIT = {"nps": "points", "csat_mean": "score", "ces_mean": "score", "avg_health": "score",
            "time_to_first_value": "days"}


def dec_sum(values):
    """A sum of decimal strings printed as the library's decimal sum is: exact, with the
    largest number of decimal places among the terms (Python's Decimal does the same)."""
    from decimal import Decimal
    total = Decimal(0)
    for v in values:
        total += Decimal(str(v))
    return total


def kpi_report(rows, targets=None, decimals=2, mode="half_up", at_risk_below=60):
    """The expected `kpi` answer: {kpis: [...16 in order...], rows, rejected}."""
    from decimal import Decimal
    targets = targets or {}
    ok, rejected = [], []
    for i, r in enumerate(rows, start=1):
        def num(k):
            return None if r.get(k) is None else Decimal(str(r[k]))
        s, e = num("mrr_start"), num("mrr_end")
        bad = None
        for k in ("mrr_start", "mrr_end", "time_to_first_value_days"):
            if num(k) is not None and num(k) < 0:
                bad = "kpi_bad_value"
        for k, lo, hi in (("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7)):
            v = num(k)
            if v is not None and (v != int(v) or v < lo or v > hi):
                bad = bad or "kpi_bad_value"
        if num("health") is not None and not 0 <= num("health") <= 100:
            bad = bad or "kpi_bad_value"
        churned = r.get("churned")
        if churned is None:
            churned = s is not None and s > 0 and e is not None and e == 0
        else:
            churned = churned in (True, "yes", "true", 1)
        if bad is None and churned and e is not None and e > 0:
            bad = "kpi_inconsistent"
        if bad is None and not churned and s is not None and s > 0 and e is None:
            bad = "kpi_bad_value"
        if bad:
            rejected.append(row_error(r["id"], i, bad))
            continue
        ok.append((r, s, e, churned))
    zero = Decimal(0)
    start = churn = contraction = expansion = new = zero
    existing = churned_n = new_n = 0
    for r, s, e, ch in ok:
        s0 = s if s is not None else zero
        e0 = e if e is not None else zero
        if s0 > 0:
            existing += 1
            start += s0
            if ch:
                churned_n += 1
                churn += s0
            elif e0 < s0:
                contraction += s0 - e0
            else:
                expansion += e0 - s0
        elif e is not None:
            new_n += 1
            new += e0

    def col(k):
        return [Decimal(str(r[k])) for r, *_ in ok if r.get(k) is not None]

    nps, csat, ces, health = col("nps"), col("csat"), col("ces"), col("health")
    ttv = col("time_to_first_value_days")
    vr = [r["value_realized"] in (True, "yes", "true", 1) for r, *_ in ok
          if r.get("value_realized") is not None]
    no_ex = "no existing customers (Σ mrr_start is 0)"
    spec = [
        ("nrr", start + expansion - contraction - churn, start, 100, existing, no_ex),
        ("grr", start - contraction - churn, start, 100, existing, no_ex),
        ("logo_churn", Decimal(churned_n), Decimal(existing), 100, existing, no_ex),
        ("logo_retention", Decimal(existing - churned_n), Decimal(existing), 100, existing, no_ex),
        ("revenue_churn", churn, start, 100, existing, no_ex),
        ("contraction", contraction, start, 100, existing, no_ex),
        ("expansion_share", expansion, expansion + new, 100, existing + new_n,
         "no net new revenue (no expansion and no new customers)"),
        ("nps", Decimal(sum(1 for v in nps if v >= 9) - sum(1 for v in nps if v <= 6)),
         Decimal(len(nps)), 100, len(nps), "no `nps` responses"),
        ("csat_share", Decimal(sum(1 for v in csat if v >= 4)), Decimal(len(csat)), 100,
         len(csat), "no `csat` responses"),
        ("csat_mean", sum(csat, zero), Decimal(len(csat)), 1, len(csat), "no `csat` responses"),
        ("ces_mean", sum(ces, zero), Decimal(len(ces)), 1, len(ces), "no `ces` responses"),
        ("ces_share", Decimal(sum(1 for v in ces if v >= 5)), Decimal(len(ces)), 100,
         len(ces), "no `ces` responses"),
        ("avg_health", sum(health, zero), Decimal(len(health)), 1, len(health),
         "no `health` scores"),
        ("at_risk_share", Decimal(sum(1 for v in health if v < at_risk_below)),
         Decimal(len(health)), 100, len(health), "no `health` scores"),
        ("value_realization", Decimal(sum(vr)), Decimal(len(vr)), 100, len(vr),
         "no `value_realized` answers"),
        ("time_to_first_value", sum(ttv, zero), Decimal(len(ttv)), 1, len(ttv),
         "no `time_to_first_value_days`"),
    ]
    kpis = []
    for kid, numer, den, scale, n, why in spec:
        value = None if den == 0 else rounded(F(str(numer)) * scale / F(str(den)), decimals, mode)
        k = {"kpi": kid, "unit": KPI_UNIT.get(kid, "%"),
             "value": None if value is None else fixed(int(value * 10**decimals), decimals),
             "numerator": str(numer), "denominator": str(den), "n": n}
        if value is None:
            k["undefined"] = why
        if kid in targets:
            op, tv = targets[kid]
            tvf = F(tv)
            if value is None:
                status = "undefined"
            else:
                holds = {">": value > tvf, ">=": value >= tvf, "<": value < tvf,
                         "<=": value <= tvf}[op]
                status = "met" if holds else "missed"
            k["target"] = {"op": op, "value": norm(tvf), "status": status}
        kpis.append(k)
    return {"kpis": kpis, "rows": len(ok), "rejected": rejected}


# --------------------------------------------------------------------------------------
# Prioritization (README "Prioritizing enhancement requests"; seed 000 3.1, 3.2, 11)
# --------------------------------------------------------------------------------------

KANO = {  # rows functional, columns dysfunctional: like, must-be, neutral, live-with, dislike
    "like": "QAAAO", "must_be": "RIIIM", "neutral": "RIIIM", "live_with": "RIIIM",
    "dislike": "RRRRQ",
}
KANO_COLS = ["like", "must_be", "neutral", "live_with", "dislike"]
KANO_NAMES = {"M": "must_be", "O": "one_dimensional", "A": "attractive", "I": "indifferent",
              "R": "reverse", "Q": "questionable"}
CLASSES = ["must_have", "performance_enhancer", "delighter", "hygiene_factor"]


def kano_pairs(v):
    """Kano answers: text `functional/dysfunctional;...` or a JSON list of objects."""
    if isinstance(v, list):
        return [(x["functional"], x["dysfunctional"]) for x in v]
    out = []
    for item in [t.strip() for t in v.split(";") if t.strip()]:
        if "/" not in item:
            raise HealthError("invalid_kano")
        f, d = item.split("/", 1)
        out.append((f, d))
    return out


def kano_category(pairs):
    """The mode of the respondents' categories; ties go to M > O > A > I > R > Q."""
    def answer(a):
        a = a.strip().lower().replace("-", "_").replace(" ", "_")
        a = {"expect": "must_be", "tolerate": "live_with"}.get(a, a)
        if a not in KANO_COLS:
            raise HealthError("invalid_kano")
        return a
    cats = [KANO[answer(f)][KANO_COLS.index(answer(d))] for f, d in pairs]
    counts = [(c, cats.count(c)) for c in "MOAIRQ"]
    best = max(n for _, n in counts)
    if best == 0:
        return None
    return KANO_NAMES[next(c for c, n in counts if n == best)]


class Priority:
    def __init__(self, criteria, model="weighted", formula=None, decimals=2, mode="half_up",
                 prefer_higher=(), cross_vertical=None, rules=(), kano=None):
        """criteria: [(id, weight or None, reverse, (min, max) or None, allowed or None)]."""
        self.criteria, self.model, self.formula = criteria, model, formula
        self.decimals, self.mode = decimals, mode
        self.prefer_higher, self.cv = list(prefer_higher), cross_vertical
        self.rules, self.kano = list(rules), kano or {}

    def tier(self, verticals):
        none = sum(1 for _, a in verticals if a == "none")
        minimal = sum(1 for _, a in verticals if a in ("none", "minimal"))
        if none >= self.cv["high_min_unmodified"]:
            return "high"
        if minimal >= self.cv["medium_min_minimal"]:
            return "medium"
        return "low"

    def classify(self, r):
        kano = None if r.get("kano") is None else kano_category(kano_pairs(r["kano"]))
        if r.get("classification") is not None:
            c = r["classification"].strip().lower().replace(" ", "_").replace("-", "_")
            if c not in CLASSES:
                raise HealthError("invalid_classification")
            return c
        for cls, conds in self.rules:
            if all(cond(r) for cond in conds):
                return cls
        if kano in self.kano:
            return self.kano[kano]
        return "unclassified"

    def score(self, r):
        verticals = None
        if "verticals" in r:
            verticals = parse_verticals(r["verticals"])
            names = [n.lower() for n, _ in verticals]
            if len(set(names)) != len(names):
                raise HealthError("invalid_verticals")
        tier = None if verticals is None else self.tier(verticals)
        values = {}
        for cid, w, rev, rng, allowed in self.criteria:
            derived = self.cv is not None and self.cv["criterion"] == cid
            v = r.get(cid)
            if v is not None and derived and tier is not None:
                raise HealthError("ambiguous_input")
            if v is None and derived and tier is not None:
                v = F(self.cv[tier])
            elif v is None:
                raise HealthError("missing_input")
            else:
                try:
                    v = F(v)
                except (ValueError, TypeError):
                    raise HealthError("not_a_number")
            lo, hi = rng if rng else ((1, 5) if self.model == "weighted" else (None, None))
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                raise HealthError("out_of_scale")
            if allowed is not None and v not in [F(a) for a in allowed]:
                raise HealthError("not_allowed")
            values[cid] = (v, (lo + hi - v) if rev else v, w)
        if self.model == "weighted":
            raw = sum(eff * F(w) / 100 for _, eff, w in values.values())
        else:
            raw = self.formula({k: eff for k, (_, eff, _) in values.items()})
            if raw is None:
                raise HealthError("division_by_zero")
        cls = self.classify(r)
        sub = r.get("submitted")
        return {"id": r["id"], "raw": raw, "score": rounded(raw, self.decimals, self.mode),
                "classification": cls, "cross_vertical_tier": tier, "values": values,
                "submitted": sub}

    def rank(self, requests, vertical=None, classification=None, min_score=None,
             relative=False):
        kept, failed = [], []
        for i, r in enumerate(requests, start=1):
            try:
                s = self.score(r)
            except HealthError as e:
                failed.append(row_error(r["id"], i, e.code))
                continue
            s["row"] = i
            if vertical is not None:
                origin = (r.get("vertical") or "").strip().lower() == vertical.lower()
                applies = any(n.lower() == vertical.lower()
                              for n, _ in parse_verticals(r.get("verticals") or []))
                if not origin and not applies:
                    continue
            if classification is not None and s["classification"] != classification:
                continue
            if min_score is not None and s["score"] < F(min_score):
                continue
            kept.append(s)

        def key(s):
            k = [-s["score"]]
            k += [-s["values"][c][0] for c in self.prefer_higher]
            k += [0 if s["submitted"] else 1, s["submitted"] or "", s["id"], s["row"]]
            return k
        kept.sort(key=key)
        out = []
        best = kept[0]["score"] if kept else None
        for n, s in enumerate(kept, start=1):
            o = {"id": s["id"], "row": s["row"], "rank": n,
                 "score": fixed(int(s["score"] * 10**self.decimals), self.decimals),
                 "classification": s["classification"],
                 "cross_vertical_tier": s["cross_vertical_tier"]}
            if relative:
                o["relative"] = norm(round_dp_even(s["score"] * 100 / best, 2)) if best else None
            out.append(o)
        return out + failed


def parse_verticals(v):
    """`verticals` as [(name, adaptation)]: a JSON list of {name, adaptation}, a JSON
    object {name: adaptation}, or text `a:none;b:minimal`."""
    if isinstance(v, list):
        return [(x["name"], x["adaptation"]) for x in v]
    if isinstance(v, dict):
        return list(v.items())
    return [tuple(p.strip() for p in item.split(":")) for item in v.split(";") if item.strip()]


def attr_equals(name, value):
    def cond(r):
        v = r.get(name)
        if v is None:
            return False
        if isinstance(value, bool):
            t = {"true": True, "yes": True, "y": True, "false": False, "no": False,
                 "n": False}
            if isinstance(v, bool):
                return v == value
            if isinstance(v, (int,)) and v in (0, 1):
                return bool(v) == value
            return t.get(str(v).strip().lower()) == value
        return str(v).strip().lower() == value.lower()
    return cond


def attr_one_of(name, values):
    return lambda r: r.get(name) is not None and str(r[name]).strip().lower() in values


def attr_at_least(name, n):
    def cond(r):
        try:
            return r.get(name) is not None and F(r[name]) >= n
        except (ValueError, TypeError):
            return False
    return cond


# rubrics/priority/kinos.toml: seed 000 3.2 weights 30/25/20/15 (effort reversed)/10; 3.1
# item 3 cross-vertical tiers (High: 5+ verticals unmodified; Medium: 3+ with at most
# minimal adaptation); the classification rules and Kano mapping of the file.
KINOS = Priority(
    [("customer_impact", 30, False, None, None), ("strategic_alignment", 25, False, None, None),
     ("revenue_impact", 20, False, None, None), ("implementation_effort", 15, True, None, None),
     ("cross_vertical_value", 10, False, None, None)],
    prefer_higher=["customer_impact"],
    cross_vertical={"criterion": "cross_vertical_value", "high_min_unmodified": 5,
                    "medium_min_minimal": 3, "high": 5, "medium": 3, "low": 1},
    rules=[
        ("must_have", [attr_equals("core_need", True), attr_at_least("severity", 4)]),
        ("hygiene_factor", [attr_equals("expected_baseline", True)]),
        ("performance_enhancer", [attr_one_of("request_type",
                                              ["improvement", "performance", "usability"])]),
        ("delighter", [attr_equals("request_type", "new_capability")]),
    ],
    kano={"must_be": "hygiene_factor", "one_dimensional": "performance_enhancer",
          "attractive": "delighter"})


def rice(v):
    """RICE as published by Intercom: reach x impact x confidence% / effort."""
    if v["effort"] * 100 == 0:
        return None
    return v["reach"] * v["impact"] * v["confidence"] / (v["effort"] * 100)


def wsjf(v):
    """SAFe WSJF: (business value + time criticality + RR/OE) / job size."""
    return (v["business_value"] + v["time_criticality"] +
            v["risk_reduction_opportunity_enablement"]) / v["job_size"]


KANO_MAP = {"must_be": "hygiene_factor", "one_dimensional": "performance_enhancer",
            "attractive": "delighter"}
RICE = Priority([("reach", None, False, (0, None), None),
                 ("impact", None, False, None, ["3", "2", "1", "0.5", "0.25"]),
                 ("confidence", None, False, None, [100, 80, 50]),
                 ("effort", None, False, (0, None), None)],
                model="formula", formula=rice, prefer_higher=["reach"], kano=KANO_MAP)
FIB = [1, 2, 3, 5, 8, 13, 20]
WSJF = Priority([(c, None, False, None, FIB) for c in
                 ("business_value", "time_criticality",
                  "risk_reduction_opportunity_enablement", "job_size")],
                model="formula", formula=wsjf, prefer_higher=["business_value"], kano=KANO_MAP)


# --------------------------------------------------------------------------------------
# Playbooks (docs/playbooks.md): plans, triage, capacity, interventions
# --------------------------------------------------------------------------------------

# Seed 001 "Onboarding Methodology" phases (weeks 1-2, 3-6, 7-8, 9-10 of a 10-week
# template), "Implementation Packages" and "Industry-Specific Implementation Templates"
# (rubrics/playbooks/slavkokernel-implementation.toml).
IMPL_PHASES = [("Prepare", 1, 2), ("Implement", 3, 6), ("Validate", 7, 8), ("Launch", 9, 10)]
IMPL_ACTIVITIES = [
    ("Project Kickoff", "Prepare", "CS Manager"), ("Technical Discovery", "Prepare", "CS Engineer"),
    ("Success Planning", "Prepare", "CS Manager"), ("Environment Setup", "Prepare", "CS Engineer"),
    ("Data Assessment", "Prepare", "CS Engineer"),
    ("Core Configuration", "Implement", "CS Engineer"),
    ("Data Integration", "Implement", "CS Engineer"),
    ("Model Configuration", "Implement", "CS Engineer"),
    ("Integration Setup", "Implement", "CS Engineer"),
    ("Initial Testing", "Implement", "CS Engineer"),
    ("Admin Training", "Implement", "Training Specialist"),
    ("User Acceptance Testing", "Validate", "CS Manager"),
    ("Performance Testing", "Validate", "CS Engineer"),
    ("Security Validation", "Validate", "CS Engineer"),
    ("User Training", "Validate", "Training Specialist"),
    ("Documentation", "Validate", "CS Engineer"), ("Go-Live Planning", "Validate", "CS Manager"),
    ("Production Deployment", "Launch", "CS Engineer"), ("Go-Live Support", "Launch", "CS Team"),
    ("Initial Adoption", "Launch", "CS Manager"), ("Handover", "Launch", "CS Manager"),
    ("Success Baseline", "Launch", "CS Manager"), ("30-Day Plan", "Launch", "CS Manager"),
]
IMPL_ENABLEMENT = [("End user training, office hours", 30), ("Advanced features workshop", 60),
                   ("Best practices review", 90)]
IMPL_PACKAGES = {"standard": (8, 10, ["1 CSM", "1 CS Engineer"]),
                 "advanced": (12, 16, ["1 CSM", "2 CS Engineers"]),
                 "enterprise": (16, 24, ["1 CSM", "3+ CS Engineers", "1 Project Manager"]),
                 "accelerated": (4, 6, ["1 CSM", "1 CS Engineer"])}
IMPL_INDUSTRIES = {"financial-services": (12, 16, "Risk assessment models, compliance frameworks"),
                   "healthcare": (14, 18, "HIPAA compliance, medical models"),
                   "manufacturing": (10, 14, "IoT integration, quality control models"),
                   "legal": (8, 12, "Document analysis, case management"),
                   "government": (16, 20, "Security frameworks, compliance models")}


def plan_expect(kickoff, package=None, industry=None, as_of=None, done=(), cal=BERLIN):
    """The seed 001 implementation plan (docs/playbooks.md "Scheduling"): a D-week plan
    scales a template business-day offset o to floor(o * D / 10); business day 0 is the
    kickoff (or the next working day); the go-live is business day 5 * D - 1 (the last
    day of the last phase); enablement activities N calendar days after go-live, moved to
    the next working day."""
    base = 10
    if package and industry:
        p, i = IMPL_PACKAGES[package], IMPL_INDUSTRIES[industry]
        weeks = (max(p[0], i[0]), max(p[1], i[1]))
    elif package:
        weeks = IMPL_PACKAGES[package][:2]
    elif industry:
        weeks = IMPL_INDUSTRIES[industry][:2]
    else:
        weeks = (base, base)
    d_weeks = weeks[1]  # plan_to = "high"
    start = cal.on_or_after_working_day(kickoff)

    def day(offset):
        return cal.add_working_days(start, offset)

    def span(a, b):  # weeks a..b of the template
        first = (a - 1) * 5 * d_weeks // base
        end = b * 5 * d_weeks // base
        return day(first), day(max(end - 1, first))

    go_live = day(5 * d_weeks - 1)
    acts = []
    phase_dates = {}
    for name, a, b in IMPL_PHASES:
        phase_dates[name] = span(a, b)
    for name, phase, owner in IMPL_ACTIVITIES:
        s, e = phase_dates[phase]
        acts.append({"activity": name, "phase": phase, "start": s, "due": e, "owner": owner,
                     "from": "template"})
    for name, n in IMPL_ENABLEMENT:
        d = cal.on_or_after_working_day(go_live + timedelta(days=n))
        acts.append({"activity": name, "phase": "Enablement", "start": d, "due": d,
                     "owner": "Training Specialist", "from": "template"})
    if industry:
        s, e = phase_dates["Implement"]
        acts.append({"activity": IMPL_INDUSTRIES[industry][2], "phase": "Implement", "start": s,
                     "due": e, "owner": "CS Engineer", "from": industry})
    en = [a for a in acts if a["phase"] == "Enablement"]
    phases = [{"phase": n, "start": phase_dates[n][0].isoformat(),
               "due": phase_dates[n][1].isoformat(), "post_launch": False}
              for n, _, _ in IMPL_PHASES]
    phases.append({"phase": "Enablement", "start": min(a["start"] for a in en).isoformat(),
                   "due": max(a["due"] for a in en).isoformat(), "post_launch": True})
    plan = {"kickoff": kickoff.isoformat(), "start": start.isoformat(), "package": package,
            "industry": industry, "weeks": list(weeks), "planned_weeks": d_weeks,
            "team": IMPL_PACKAGES[package][2] if package else [],
            "go_live": go_live.isoformat(),
            "go_live_range": [day(5 * weeks[0] - 1).isoformat(), day(5 * weeks[1] - 1).isoformat()],
            "phases": phases,
            "activities": [dict(a, start=a["start"].isoformat(), due=a["due"].isoformat())
                           for a in acts]}
    status = None
    if as_of is not None:
        last_due = max([a["due"] for a in acts] + [date.fromisoformat(p["due"]) for p in phases])
        if as_of < start:
            state = "not_started"
        elif as_of <= go_live:
            state = "in_progress"
        elif as_of <= last_due:
            state = "post_launch"
        else:
            state = "finished"
        current = next((p["phase"] for p in phases
                        if date.fromisoformat(p["start"]) <= as_of <= date.fromisoformat(p["due"])),
                       None)
        late = []
        for a in acts:
            if a["due"] < as_of and a["activity"] not in done:
                # working days after the due date up to and including as_of
                n, d = 0, a["due"]
                while d < as_of:
                    d += timedelta(days=1)
                    n += cal.is_working_day(d)
                late.append({"activity": a["activity"], "phase": a["phase"], "owner": a["owner"],
                             "due": a["due"].isoformat(), "working_days_late": n})
        slip = max([l["working_days_late"] for l in late
                    if date.fromisoformat(l["due"]) <= go_live], default=0)
        status = {"as_of": as_of.isoformat(), "state": state, "current_phase": current,
                  "late": late, "projected_go_live": cal.add_working_days(go_live, slip).isoformat(),
                  "slip_working_days": slip}
    return {"plan": plan, "status": status}


# Seed 001 "Issue Prioritization" read as rubrics/playbooks/slavkokernel-triage.toml does.
TRIAGE_PRIORITY = Matrix(
    [("system_down", BOOL, "false"),
     ("impact", ["severe", "significant", "moderate", "minimal"], None),
     ("workaround", BOOL, "false")],
    [dict(level="P1", owner="Critical", when={"system_down": ["true"]},
          criteria="Production system down (system unavailable, data corruption)"),
     dict(level="P1", owner="Critical", when={"impact": ["severe"]},
          criteria="Severe business impact"),
     dict(level="P2", owner="High", when={"impact": ["significant"], "workaround": ["false"]},
          criteria="Major feature unavailable, significant impact"),
     dict(level="P3", owner="Medium", when={"impact": ["significant"], "workaround": ["true"]},
          criteria="Significant impact with a workaround available"),
     dict(level="P3", owner="Medium", when={"impact": ["moderate"]},
          criteria="Minor feature issue, moderate impact"),
     dict(level="P4", owner="Low", when={"impact": ["minimal"]},
          criteria="Question, enhancement request, minimal impact")])
TECH = ["outage", "technical", "performance", "integration"]
TRIAGE_ROUTING = Matrix(
    [("category", ["outage", "technical", "performance", "integration", "how_to",
                   "documentation", "enhancement", "billing", "security"], None),
     ("tier", ["standard", "premium", "enterprise", "white_glove"], None),
     ("priority", ["P1", "P2", "P3", "P4"], None)],
    [dict(level="Dedicated engineer", owner="Named support engineer",
          when={"tier": ["white_glove"],
                "category": TECH + ["how_to", "documentation", "enhancement"]}),
     dict(level="Technical Support", owner="Senior Technical Support Engineer",
          when={"priority": ["P1"], "category": TECH}),
     dict(level="Technical Support", owner="Technical Support Engineer",
          when={"category": ["outage", "technical", "performance"]}),
     dict(level="Customer Success Engineering", owner="CS Engineer",
          when={"category": ["integration"]}),
     dict(level="Technical Support", owner="Support Engineer (how-to)",
          when={"category": ["how_to", "documentation"]}),
     dict(level="Customer Success", owner="CS Manager", when={"category": ["enhancement"]})])
TRIAGE_FALLBACK = ("Support Operations", "Triage queue (manual assignment)")


def triage_expect(tickets):
    out = []
    for i, t in enumerate(tickets, start=1):
        facts = {k: v for k, v in t.items() if k != "id"}
        try:
            p = TRIAGE_PRIORITY.evaluate(facts, None)[0]
            rf = dict(facts, priority=p["level"])
            r = TRIAGE_ROUTING.evaluate(rf, None)
        except HealthError as e:
            out.append(row_error(t["id"], i, e.code))
            continue
        o = {"id": t["id"], "row": i, "priority": p["level"], "priority_rule": p["row"],
             "priority_matched": p["matched"], "priority_criteria": p["criteria"]}
        if r:
            o.update(team=r[0]["level"], owner=r[0]["owner"], route_rule=r[0]["row"],
                     route_matched=r[0]["matched"], fallback=False, warnings=[])
        else:
            given = ", ".join(f"{n} = {rf.get(n, '(none)')}" for n in TRIAGE_ROUTING.names())
            o.update(team=TRIAGE_FALLBACK[0], owner=TRIAGE_FALLBACK[1], route_rule=None,
                     route_matched=[], fallback=True,
                     warnings=[f"no routing rule matches {given}: fallback route "
                               f"`{TRIAGE_FALLBACK[0]}` ({TRIAGE_FALLBACK[1]})"])
        out.append(o)
    return out


# Seed 001 "Roles & Responsibilities" customer ratios; seed 004 "Resource Allocation (80/20)".
CAPACITY_ROLES = [("CSM (Enterprise)", "enterprise", (5, 8)), ("CSM (Strategic)", "strategic", (10, 15)),
                  ("CSM (Growth)", "growth", (20, 30)), ("Implementation Specialist", None, (3, 5))]
CAPACITY_TIERS = [("standard", "80", "John Web / Partners"),
                  ("strategic", "20", "John F. (technical) / Sofie (commercial)")]


def ceil_div(n, d):
    return -(-n // d)


def capacity_expect(accounts, roster=None):
    roles = []
    for role, seg, (lo, hi) in CAPACITY_ROLES:
        n = sum(1 for a in accounts if (a.get("implementing") in (True, "yes", "true", "1")
                                        if seg is None else a["segment"] == seg))
        mn, mx = ceil_div(n, hi), ceil_div(n, lo)
        line = {"role": role, "basis": f"segment = {seg}" if seg else "implementing",
                "accounts": n, "ratio": [lo, hi], "min_headcount": mn, "max_headcount": mx}
        if roster is not None:
            have = sum(1 for p in roster if p["role"] == role)
            line["roster"] = have
            line["status"] = (f"short by {mn - have}" if have < mn else
                              f"over by {have - mx}" if have > mx else "within")
        else:
            line["roster"] = None
            line["status"] = None
        roles.append(line)
    uncovered, load = [], {}
    for a in accounts:
        role = next((r for r, s, _ in CAPACITY_ROLES if s == a["segment"]), None)
        csm = a.get("csm")
        reason = None
        if role is None:
            reason = f"no role serves segment `{a['segment']}`"
        elif csm is None:
            reason = "no CSM assigned"
        else:
            load[csm] = load.get(csm, 0) + 1
            if roster is not None:
                entry = next((p for p in roster if p["id"] == csm), None)
                if entry is None:
                    reason = f"CSM `{csm}` is not on the roster"
                elif entry["role"] != role:
                    reason = f"CSM `{csm}` is `{entry['role']}`, not `{role}`"
        if reason:
            uncovered.append({"account": a["id"], "segment": a["segment"], "reason": reason})
    overloaded = []
    for p in roster or []:
        spec = next((r for r in CAPACITY_ROLES if r[0] == p["role"]), None)
        if spec and load.get(p["id"], 0) > spec[2][1]:
            overloaded.append({"name": p["id"], "role": p["role"], "accounts": load[p["id"]],
                               "limit": spec[2][1]})
    total = len(accounts)
    split = []
    for name, share, owner in CAPACITY_TIERS:
        n = sum(1 for a in accounts if a.get("tier") == name)
        split.append({"tier": name, "accounts": n,
                      "share": norm(round_dp_even(Fraction(n * 100, total), 2)) if total else "0",
                      "target": share, "owner": owner})
    return {"report": {"accounts": total, "roles": roles, "uncovered": uncovered,
                       "overloaded": overloaded, "split": split}, "errors": []}


# Seed 001 "Intervention Playbooks", "Risk Identification Framework", "Risk Mitigation
# Playbooks" (rubrics/playbooks/slavkokernel-interventions.toml).
INT_LEVELS = [("low", "Standard Management", "CS Manager", "Normal cadence", None),
              ("medium", "Focused Intervention", "CS Manager", "30-60 day plan", 60),
              ("high", "Formal Rescue Plan", "CS Manager + Director", "30-90 day plan", 90),
              ("critical", "Executive Escalation", "CS Director + VP", "Immediate action", 0)]
INT_BANDS = {"Excellent": "low", "Good": "low", "Moderate": "medium", "At Risk": "high",
             "Critical": "critical", "Green": "low", "Yellow": "medium", "Red": "high"}
INT_RISKS = {"adoption": "medium", "technical": "medium", "value": "medium",
             "relationship": "medium", "competitive": "high", "contract": "high"}
INT_PLAYBOOKS = [  # scenario, risks, levels, metric, direction, within days
    ("At-Risk Account", [], ["high", "critical"], "health_score", "increase", 60),
    ("Adoption Challenges", ["adoption"], [], "usage", "increase", 30),
    ("Technical Issues", ["technical"], [], "open_technical_issues", "decrease", 30),
    ("Value Gap", ["value"], [], "success_metric_progress", "increase", 60),
    ("Relationship Concerns", ["relationship"], [], "relationship_score", "increase", 90),
]


def interventions_expect(accounts):
    out = []
    names = [l[0] for l in INT_LEVELS]
    for i, a in enumerate(accounts, start=1):
        band, start = a["band"], date.fromisoformat(a["start"])
        risks = a.get("risks", [])
        if isinstance(risks, str):
            risks = [x for x in risks.replace(",", ";").replace(" ", ";").split(";") if x]
        if band not in INT_BANDS or any(r not in INT_RISKS for r in risks):
            out.append(row_error(a["id"], i, "invalid_input"))
            continue
        best = names.index(INT_BANDS[band])
        reasons = [f"band {band} -> {INT_BANDS[band]}"]
        for r in risks:
            k = names.index(INT_RISKS[r])
            if k > best:
                best = k
                reasons.append(f"risk {r} -> {INT_RISKS[r]}")
        name, intervention, owner, timeline, due_days = INT_LEVELS[best]
        pbs, exits = [], []
        for scenario, prisks, plevels, metric, direction, within in INT_PLAYBOOKS:
            because = [f"risk = {r}" for r in prisks if r in risks]
            if name in plevels:
                because.append(f"level = {name}")
            if not because:
                continue
            due = start + timedelta(days=within)
            pbs.append({"scenario": scenario, "because": because,
                        "exit": {"metric": metric, "direction": direction,
                                 "within_days": within}, "due": due.isoformat()})
            b, c, m = a.get(f"baseline_{metric}"), a.get(f"current_{metric}"), a.get("measured")
            if b is None or c is None or m is None:
                exits.append(None)
                continue
            change = F(c) - F(b) if direction == "increase" else F(b) - F(c)
            m = date.fromisoformat(m)
            enough = change > 0  # no min_change in the shipped file
            exits.append("met" if enough and m <= due else "open" if m < due else "missed")
        out.append({"row": i, "plan": {
            "id": a["id"], "risk_level": name, "level_reasons": reasons,
            "intervention": intervention, "owner": owner, "timeline": timeline,
            "due": None if due_days is None else (start + timedelta(days=due_days)).isoformat(),
            "playbooks": pbs}, "exits": exits})
    return out


# ======================================================================================
# The cases
# ======================================================================================

AT = "2026-06-01T12:00:00Z"  # the instant health cases judge overrides at


def rows_of(*cells_list):
    return [dict(c) for c in cells_list]


def slavko_row(id_, p, t, b, r, g):
    return {"id": id_, "product_adoption": p, "technical_health": t, "business_outcomes": b,
            "relationship_health": r, "growth_potential": g}


def slavko_for(target_raw, others=(None, 10, 4, 0, 2)):
    """Inputs whose exact weighted score is `target_raw` (Fraction): technical, business,
    relationship and growth near the target, product adoption solved for:
    p = (100 * raw - 20 t - 25 b - 15 r - 15 g) / 25."""
    base = int(target_raw)
    t = max(0, min(100, base + others[1] - 15))
    b = max(0, min(100, base + others[2]))
    r = max(0, min(100, base + others[3]))
    g = max(0, min(100, base + others[4]))
    p = (100 * target_raw - 20 * t - 25 * b - 15 * r - 15 * g) / 25
    assert 0 <= p <= 100 and terminates(p, 2), (target_raw, p)
    return [norm(p), str(t), str(b), str(r), str(g)]


def health_cases():
    path = "rubrics/health/slavkokernel.toml"
    cs = vector_file("health", "slavkokernel-bands",
                     "Seed 001 health score: band edges exactly at each band minimum and one "
                     "cent below, and half-up ties on the rounded score")
    for label, edge in (("Excellent", 85), ("Good", 70), ("Moderate", 55), ("At Risk", 40)):
        for name, value in ((f"exactly {edge}.00 is {label}", F(edge)),
                            (f"{edge - 1}.99 is one cent below {label}", F(edge) - F("0.01"))):
            cells = slavko_for(value)
            row = slavko_row("a", *cells)
            exp = SLAVKO.expect_rows([row], as_of=instant(AT))
            case(cs, name, path, "score", [row], {"at": AT}, exp,
                 why=f"(25*{cells[0]} + 20*{cells[1]} + 25*{cells[2]} + 15*{cells[3]} + "
                     f"15*{cells[4]}) / 100 = {norm(value)}; bands are lower bounds on the "
                     f"rounded score")
        tie = F(edge) - F("0.005")
        cells = slavko_for(tie)
        row = slavko_row("tie", *cells)
        case(cs, f"{norm(tie)} rounds half-up to {edge}.00 ({label})", path, "score", [row],
             {"at": AT}, SLAVKO.expect_rows([row], as_of=instant(AT)),
             why=f"raw {norm(tie)} is a tie at the third decimal: half-up gives {edge}.00, "
                 f"banded {label}")
        below = F(edge) - F("0.0075")
        cells = slavko_for(below)
        row = slavko_row("below", *cells)
        case(cs, f"{norm(below)} rounds to {edge - 1}.99 (not {label})", path, "score", [row],
             {"at": AT}, SLAVKO.expect_rows([row], as_of=instant(AT)),
             why=f"raw {norm(below)} rounds to {edge - 1}.99, below the {label} edge")
    for value, label in ((0, "Critical"), (100, "Excellent")):
        row = slavko_row("x", *([str(value)] * 5))
        case(cs, f"every component at {value} is {label}", path, "score", [row], {"at": AT},
             SLAVKO.expect_rows([row], as_of=instant(AT)),
             why=f"{value} x (25 + 20 + 25 + 15 + 15) / 100 = {value}")
    # README: delta 70/65/72/60/55 = 65.75; product adoption 86.98 lifts it to 69.995 -> 70.00
    rows = [slavko_row("delta", "70", "65", "72", "60", "55"),
            slavko_row("lifted", "86.98", "65", "72", "60", "55"),
            slavko_row("short", "86.97", "65", "72", "60", "55")]
    case(cs, "README delta and its what-it-takes threshold", path, "score", rows, {"at": AT},
         SLAVKO.expect_rows(rows, as_of=instant(AT)),
         why="70*.25+65*.2+72*.25+60*.15+55*.15 = 65.75; (86.98-70)*.25 = 4.245 -> 69.995 -> "
             "70.00 Good; 86.97 gives 69.9925 -> 69.99 Moderate")

    cs = vector_file("health", "ai-ecosystem",
                     "Seed 002 health score on 0-10: Green from 8, Yellow from 5, Red below")
    p = "rubrics/health/ai-ecosystem.toml"

    def ai_row(i, u, e, s, g):
        return {"id": i, "usage": u, "engagement": e, "success": s, "growth": g}
    for name, row in (
        ("exactly 8.00 is Green", ai_row("g", "9", "8", "7", "8")),
        ("7.99 is Yellow", ai_row("y", "9", "8", "7", "7.96")),
        ("exactly 5.00 is Yellow", ai_row("y5", "5", "5", "4", "6")),
        ("4.99 is Red", ai_row("r", "5", "5", "4", "5.96")),
        ("7.995 rounds half-up to 8.00 (Green)", ai_row("t", "9", "8", "7", "7.98")),
        ("4.9975 rounds to 5.00 (Yellow)", ai_row("t2", "5", "5", "4", "5.99")),
        ("every component at 10", ai_row("top", "10", "10", "10", "10")),
        ("every component at 0", ai_row("bottom", "0", "0", "0", "0")),
    ):
        case(cs, name, p, "score", [row], {"at": AT},
             AI.expect_rows([row], as_of=instant(AT), band_fields=False),
             why="(usage + engagement + success + growth) x 25%")
    metric_rows = [
        {"id": "m1", "login_days_per_week": 5, "feature_adoption_pct": 40,
         "team_activation_pct": 45},
        {"id": "m2", "usage_growth_pct": "0.01", "revenue_growth_pct": -5},
        {"id": "m3", "usage_growth_pct": "0.009", "revenue_growth_pct": 30},
        {"id": "m4", "goal_achievement_pct": 110, "milestones_completed_pct": 150},
        {"id": "m5", "training_completion_pct": 55, "touchpoints_per_month": 3},
    ]
    case(cs, "raw metrics through steps, linear and target functions", p, "score", metric_rows,
         {"at": AT}, AI.expect_rows(metric_rows, as_of=instant(AT), band_fields=False),
         why="each row measures one component (renormalized to it): m1 usage = 9.5*50% "
             "(5 days: top step) + 40/80*10*25% + 45/90*10*25% = 7.25; m2 growth = (3.5 "
             "(0.01 reaches its step) + 1 (-5: bottom step)) / 2 = 2.25; m3 growth = (1 "
             "(0.009 is below 0.01) + 9.5) / 2 = 5.25; m4 success = 9.5*60% + 10*40% (150% "
             "of target, capped) = 9.7; m5 engagement = 5.5*50% + 5.5*50% (3 touchpoints: "
             "the 2 step) = 5.5")

    cs = vector_file("health", "cradle-to-grave",
                     "Seed 004 health score in points: Green from 80, Yellow from 60, Red below")
    p = "rubrics/health/cradle-to-grave.toml"

    def c_row(i, u, b, r, g):
        return {"id": i, "usage": u, "business_value": b, "relationship": r, "growth": g}
    for name, row in (
        ("exactly 80 points is Green", c_row("g", "24", "24", "16", "16")),
        ("79.99 points is Yellow", c_row("y", "23.99", "24", "16", "16")),
        ("exactly 60 points is Yellow", c_row("y60", "24", "21", "10", "5")),
        ("59.99 points is Red", c_row("r", "24", "21", "10", "4.99")),
        ("full points", c_row("full", "30", "30", "20", "20")),
    ):
        case(cs, name, p, "score", [row], {"at": AT},
             C2G.expect_rows([row], as_of=instant(AT), band_fields=False),
             why="points add up: usage + business value + relationship + growth")
    rows = [c_row("over", "31", "30", "20", "20"), c_row("ok", "30", "30", "20", "19.5")]
    case(cs, "a component above its points is out of scale; the other row is scored", p,
         "score", rows, {"at": AT}, C2G.expect_rows(rows, as_of=instant(AT), band_fields=False),
         why="usage is worth 30 points: 31 is outside 0-30; 30+30+20+19.5 = 99.5")
    rows = [{"id": "u", "logins_per_week": 5, "feature_utilization_pct": 75,
             "data_volume_vs_plan_pct": 50},
            {"id": "rel", "stakeholders_engaged": 2, "ticket_sentiment": "0.5",
             "meeting_attendance_pct": 45},
            {"id": "both", "usage": "15", "business_value": "30", "relationship": "10",
             "growth": "0"}]
    case(cs, "metrics scored on the component's points, renormalized to 100", p, "score", rows,
         {"at": AT}, C2G.expect_rows(rows, as_of=instant(AT), band_fields=False),
         why="u: 15*40% + 30*40% + 15*20% = 21 of 30 points -> 70; rel: 14*40% + 15*30% + "
             "10*30% = 13.1 of 20 -> 65.5; both: 15+30+10+0 = 55")


def show(x):
    """An exact value for a `why` note: the terminating decimal, or 6 decimals and `...`."""
    x = F(x)
    return norm(x) if terminates(x, 12) else round_str(x, 6) + "..."


def raw_notes(model, rows, as_of=AT, overrides_by_id=None):
    """`id: raw -> rounded band` for each row, from this script's own model."""
    notes = []
    for r in rows:
        cells = {k: v for k, v in r.items() if k not in ("id", "overrides")}
        ovs = list(r.get("overrides", [])) + list((overrides_by_id or {}).get(r["id"], []))
        ovs = [dict(o, expires=expiry(o["expires"])) if o.get("expires") else o for o in ovs]
        try:
            res = model.score(cells, ovs, instant(as_of))
        except HealthError as e:
            notes.append(f"{r['id']}: error {e.code}")
            continue
        if res["score"] is None:
            notes.append(f"{r['id']}: measured {show(res['measured_weight'])}% -> "
                         f"insufficient_data")
            continue
        notes.append(f"{r['id']}: raw {show(res['raw'])} -> {model.fmt_score(res['score'])} "
                     f"{res['band'].label}")
    return "; ".join(notes)


def health_toml(rid, comps, bands, scale="0-100", decimals=2, mode="half_up", missing=None,
                extra=""):
    """The TOML text of an inline health rubric built from the same description as the
    model (`Comp`, `Band`) that computes the expected answers."""
    lines = ['kind = "health"', f'id = "{rid}"', 'version = "1.0.0"',
             f'title = "{rid} (conformance vector)"', 'source = "tests/vectors/generate.py"',
             f'scale = "{scale}"', f'rounding = {{ decimals = {decimals}, mode = "{mode}" }}']
    if missing:
        lines.append(f"missing = {missing}")
    lines.append(extra)
    for c in comps:
        lines += ["", "[[components]]", f'id = "{c.id}"', f"weight = {norm(c.weight)}"]
        if c.direction == "lower":
            lines.append('direction = "lower_is_better"')
        if c.missing:
            lines.append(f'missing = "{c.missing}"')
        if c.default is not None:
            lines.append(f"default = {norm(c.default)}")
        for m in c.metrics:
            lines += ["", "  [[components.metrics]]", f'  id = "{m.id}"',
                      f"  weight = {norm(m.weight)}"]
            if m.direction == "lower":
                lines.append('  direction = "lower_is_better"')
            k = m.scoring
            if k[0] == "linear":
                lines.append(f'  scoring = {{ type = "linear", from = "{norm(k[1])}", to = "{norm(k[2])}" }}')
            elif k[0] == "target":
                lines.append(f'  scoring = {{ type = "target", target = "{norm(k[1])}", cap = "{norm(k[2])}" }}')
            else:
                st = ", ".join(f'{{ at_least = "{norm(a)}", score = "{norm(s)}" }}' for a, s in k[1])
                lines.append(f'  scoring = {{ type = "steps", steps = [{st}] }}')
    for b in bands:
        lines += ["", "[[bands]]", f"min = {norm(b.min)}", f'label = "{b.label}"',
                  f'action = "{b.action or "Act"}"', f'owner = "{b.owner or "CSM"}"',
                  f'urgency = "{b.urgency or "Low"}"']
    return "\n".join(lines) + "\n"


TINY_BANDS = [Band(70, "Good", "Grow", "CSM", "Low"), Band(40, "Watch", "Check in", "CSM", "Medium"),
              Band(0, "Rescue", "Rescue plan", "CSM + Manager", "High")]


def tiny(policy=None, min_present=None, decimals=2, mode="half_up", comps=None, bands=None,
         scale="0-100"):
    """A three-component inline rubric (usage 50, sentiment 30, outcomes 20) and its model."""
    comps = comps or [Comp("usage", 50), Comp("sentiment", 30), Comp("outcomes", 20)]
    bands = bands or TINY_BANDS
    missing = None
    if policy or min_present is not None:
        parts = []
        if policy:
            parts.append(f'policy = "{policy}"')
        if min_present is not None:
            parts.append(f"min_present = {min_present}")
        missing = "{ " + ", ".join(parts) + " }"
    lo, hi = scale.split("-")
    model = Health(comps, bands, scale=(lo, hi), decimals=decimals, mode=mode,
                   policy=policy or "renormalize", min_present=min_present or 0)
    text = health_toml(f"health/tiny-{policy or 'default'}-{decimals}-{mode}", comps, bands,
                       scale=scale, decimals=decimals, mode=mode, missing=missing)
    return inline(text), model


def health_rounding_and_missing_cases():
    cs = vector_file("health", "rounding",
                     "One rounding at the end, declared by the rubric: half-up against "
                     "half-even ties, and the band chosen on the rounded score")
    for mode in ("half_up", "half_even"):
        rub, model = tiny(decimals=2, mode=mode)
        # usage 70 and sentiment/outcomes chosen so the raw score ends in a 5 at the third
        # decimal: 0.5 u + 0.3 s + 0.2 o
        rows = [{"id": "t1", "usage": "69.99", "sentiment": "70", "outcomes": "70.005"},
                {"id": "t2", "usage": "69.97", "sentiment": "70", "outcomes": "70.005"},
                {"id": "t3", "usage": "40", "sentiment": "39.99", "outcomes": "39.995"},
                {"id": "t4", "usage": "50.01", "sentiment": "50", "outcomes": "49.995"}]
        exp = model.expect_rows(rows, as_of=instant(AT))
        case(cs, f"near ties under {mode}", rub, "score", rows, {"at": AT}, exp,
             why="0.5 usage + 0.3 sentiment + 0.2 outcomes: " + raw_notes(model, rows))
    # Genuine ties: raw = x.xx5 exactly.
    for mode in ("half_up", "half_even"):
        rub, model = tiny(decimals=2, mode=mode)
        rows = [{"id": "even-below", "usage": "69.97", "sentiment": "70", "outcomes": "70"},
                {"id": "odd-below", "usage": "69.99", "sentiment": "70", "outcomes": "70"},
                {"id": "mid", "usage": "84.97", "sentiment": "85", "outcomes": "85"},
                {"id": "low-edge", "usage": "39.99", "sentiment": "40", "outcomes": "40"}]
        exp = model.expect_rows(rows, as_of=instant(AT))
        case(cs, f"exact ties x.xx5 under {mode}", rub, "score", rows, {"at": AT}, exp,
             why="even-below: .5*69.97 + 35 = 69.985 (half-up 69.99, half-even 69.98); "
                 "odd-below: 69.995 -> 70.00 either way (9 is odd); mid: 84.985 -> 84.99 / "
                 "84.98; low-edge: 39.995 -> 40.00 either way")
    for mode in ("half_up", "half_even"):
        rub, model = tiny(decimals=0, mode=mode)
        rows = [{"id": "a", "usage": "69", "sentiment": "70", "outcomes": "70"},
                {"id": "b", "usage": "70", "sentiment": "71", "outcomes": "71"},
                {"id": "c", "usage": "40", "sentiment": "39", "outcomes": "38.5"}]
        exp = model.expect_rows(rows, as_of=instant(AT))
        case(cs, f"whole-number rounding under {mode} moves a band edge", rub, "score", rows,
             {"at": AT}, exp,
             why="a: 34.5 + 21 + 14 = 69.5 -> 70 (Good) half-up, 70 half-even (70 is even); "
                 "b: 35 + 21.3 + 14.2 = 70.5 -> 71 half-up, 70 half-even; c: 20 + 11.7 + 7.7 "
                 "= 39.4 -> 39 (Rescue)")
    rub, model = tiny(decimals=1, mode="half_even")
    rows = [{"id": "a", "usage": "39.9", "sentiment": "40", "outcomes": "40"},
            {"id": "b", "usage": "40.1", "sentiment": "40", "outcomes": "40"},
            {"id": "c", "usage": "40.3", "sentiment": "40", "outcomes": "40"}]
    case(cs, "one-decimal half-even: 39.95 goes to 40.0, 40.15 to 40.2, 40.05 to 40.0",
         rub, "score", rows, {"at": AT}, model.expect_rows(rows, as_of=instant(AT)),
         why="a: 19.95 + 12 + 8 = 39.95 -> 40.0 (Watch); b: 40.05 -> 40.0; c: 40.15 -> 40.2")
    bands4 = [Band(85, "Excellent", "Keep", "CSM", "Low"), Band(0, "Rest", "Act", "CSM", "High")]
    for mode, label in (("half_up", "Excellent"), ("half_even", "Rest")):
        comps = [Comp("usage", 50), Comp("sentiment", 50)]
        rub, model = tiny(decimals=0, mode=mode, comps=comps, bands=bands4)
        rows = [{"id": "edge", "usage": "84", "sentiment": "85"}]
        exp = model.expect_rows(rows, as_of=instant(AT))
        assert exp[0]["band"] == label
        case(cs, f"84.5 is {label} under {mode} with whole-number rounding", rub, "score", rows,
             {"at": AT}, exp,
             why=f"(84 + 85) / 2 = 84.5: half-up 85 (Excellent), half-even 84 (4 is even): "
                 f"{label}")

    cs = vector_file("health", "missing-data",
                     "Missing-data policies: renormalize, zero, fixed, error, min_present, "
                     "per-component policies and missing metrics inside a component")
    path = "rubrics/health/slavkokernel.toml"
    row = {"id": "readme", "product_adoption": "90.00", "technical_health": 80,
           "business_outcomes": 85, "relationship_health": 70, "growth_potential": None}
    case(cs, "README: growth potential missing, its 15% shared out", path, "score", [row],
         {"at": AT}, SLAVKO.expect_rows([row], as_of=instant(AT)),
         why="(90*25 + 80*20 + 85*25 + 70*15) / 85 = 7025 / 85 = 82.647... -> 82.65 (Good)")
    rows = [{"id": "one", "business_outcomes": 40},
            {"id": "none"},
            {"id": "two", "product_adoption": 50, "business_outcomes": 70}]
    case(cs, "renormalize: one component alone is the score; none at all is insufficient",
         path, "score", rows, {"at": AT}, SLAVKO.expect_rows(rows, as_of=instant(AT)),
         why="one: 40 alone -> 40.00 At Risk; none: nothing measured -> insufficient_data, "
             "no score; two: (50*25 + 70*25) / 50 = 60")
    for policy, comps, note in (
        ("renormalize", None, "missing sentiment dropped: (50u + 20o) / 70"),
        ("zero", None, "missing sentiment scores 0 and keeps its 30%"),
        ("fixed", [Comp("usage", 50, default=10), Comp("sentiment", 30, default=55),
                   Comp("outcomes", 20, default=0)],
         "missing sentiment scores its default 55"),
    ):
        rub, model = tiny(policy=policy, comps=comps)
        rows = [{"id": "full", "usage": 80, "sentiment": 60, "outcomes": 90},
                {"id": "gap", "usage": 80, "sentiment": None, "outcomes": 90},
                {"id": "only-sentiment", "sentiment": 100}]
        case(cs, f"policy {policy}", rub, "score", rows, {"at": AT},
             model.expect_rows(rows, as_of=instant(AT)),
             why=f"full: .5*80 + .3*60 + .2*90 = 76; gap: {note}; only-sentiment: the others "
                 f"missing under {policy}")
    rub, model = tiny(policy="error")
    rows = [{"id": "full", "usage": 80, "sentiment": 60, "outcomes": 90},
            {"id": "gap", "usage": 80, "outcomes": 90},
            {"id": "full2", "usage": 10, "sentiment": 20, "outcomes": 30}]
    case(cs, "policy error fails only the row with the gap", rub, "score", rows, {"at": AT},
         model.expect_rows(rows, as_of=instant(AT)),
         why="gap misses sentiment under `error`: missing_input for that row; full2: 5 + 6 + 6 "
             "= 17")
    for mp in (60, 80):
        rub, model = tiny(min_present=mp)
        rows = [{"id": "u+o", "usage": 80, "outcomes": 90},
                {"id": "s+o", "sentiment": 80, "outcomes": 90},
                {"id": "u+s", "usage": 50, "sentiment": 50}]
        case(cs, f"min_present {mp}: below it the account has no score", rub, "score", rows,
             {"at": AT}, model.expect_rows(rows, as_of=instant(AT)),
             why=f"measured shares: u+o 70%, s+o 50%, u+s 80%; below {mp}% -> "
                 f"insufficient_data; u+o = (40 + 18) / .7 = 82.857 -> 82.86")
    comps = [Comp("usage", 50), Comp("sentiment", 30, missing="zero"),
             Comp("outcomes", 20, missing="fixed", default=75)]
    rub, model = tiny(comps=comps)
    rows = [{"id": "all-missing-but-usage", "usage": 60},
            {"id": "usage-missing", "sentiment": 40, "outcomes": 50}]
    case(cs, "per-component policies override the rubric's renormalize", rub, "score", rows,
         {"at": AT}, model.expect_rows(rows, as_of=instant(AT)),
         why="first: 30 + 0 (sentiment zero) + 15 (outcomes fixed 75) = 45; second: usage "
             "dropped: (.3*40 + .2*50) / .5 = 44")
    # Missing metrics inside a component are renormalized among the present ones.
    rows = [{"id": "partial", "active_users_pct": 60, "usage_days_per_week": 4},
            {"id": "tech", "availability_pct": "99.45", "error_rate_pct": "2.55",
             "p95_latency_ms": 1100},
            {"id": "clamped", "availability_pct": 100, "error_rate_pct": "0.05",
             "p95_latency_ms": 2500}]
    case(cs, "missing metrics share their weight within the component", path, "score", rows,
         {"at": AT}, SLAVKO.expect_rows(rows, as_of=instant(AT)),
         why="partial: (75*40 + 80*25) / 65 = 5000/65 = 76.923 -> 76.92; tech: availability "
             "(99.45-99)/0.9 = 50, error rate (5-2.55)/4.9 = 50, latency (2000-1100)/1800 = 50 "
             "-> 50; clamped: 100, 100 (below `from`, lower is better), 0 -> 40*100 + 30*100 "
             "= 70")
    comps = [Comp("usage", 50, [Metric("logins", 50, linear(0, 20)),
                                Metric("seats_pct", 50, target(80))]),
             Comp("latency", 50, direction="lower")]
    for policy in ("zero", "error"):
        rub, model = tiny(policy=policy, comps=comps)
        rows = [{"id": "half", "logins": 10, "latency": 20},
                {"id": "both", "logins": 10, "seats_pct": 40, "latency": 100}]
        case(cs, f"a missing metric under {policy}", rub, "score", rows, {"at": AT},
             model.expect_rows(rows, as_of=instant(AT)),
             why="logins 10 of 20 -> 50; seats 40/80 -> 50; latency is lower-is-better: 20 "
                 "counts 80, 100 counts 0; under zero the missing seats metric scores 0 with "
                 "its weight (usage 25), under error the row fails")


def health_override_and_error_cases():
    path = "rubrics/health/slavkokernel.toml"
    cs = vector_file("health", "overrides",
                     "Manual overrides of a component score or the band: author, reason, "
                     "expiry (an instant, or a date meaning through that day UTC), which one "
                     "counts")
    base = slavko_row("acme", "90", "80", "85", "70", "60")  # 22.5+16+21.25+10.5+9 = 79.25

    def with_ov(id_, *ovs):
        r = dict(base, id=id_)
        r["overrides"] = list(ovs)
        return r

    def ov(target, value=None, expires=None, author="dana", reason="escalation open"):
        o = {"component": target, "score": value} if value is not None else {"band": target}
        o.update(author=author, reason=reason)
        if expires:
            o["expires"] = expires
        return o
    for name, at, rows in (
        ("a component override replaces the computed score", AT,
         [dict(base, id="plain"), with_ov("ov", ov("relationship_health", 40))]),
        ("an override expiring before the instant does not count", AT,
         [with_ov("expired", ov("relationship_health", 40, "2026-05-31T12:00:00Z"))]),
        ("an override expiring exactly at the instant no longer counts", AT,
         [with_ov("edge", ov("relationship_health", 40, AT))]),
        ("a date expiry counts through that day (UTC)", "2026-06-01T23:59:59Z",
         [with_ov("lastday", ov("relationship_health", 40, "2026-06-01"))]),
        ("a date expiry stops at the next midnight UTC", "2026-06-02T00:00:00Z",
         [with_ov("nextday", ov("relationship_health", 40, "2026-06-01"))]),
        ("a band override wins over the computed band", AT,
         [with_ov("band", ov("At Risk", expires="2026-12-31"))]),
        ("an expired band override leaves the computed band", AT,
         [with_ov("band-expired", ov("Critical", expires="2026-01-31"))]),
        ("an expired and an active override of one component", AT,
         [with_ov("two", ov("technical_health", 10, "2026-01-01"),
                  ov("technical_health", 100))]),
        ("two active overrides of one target are an error for that row", AT,
         [with_ov("clash", ov("technical_health", 10), ov("technical_health", 20)),
          dict(base, id="fine")]),
        ("an override naming an unknown component is an error", AT,
         [with_ov("unknown", ov("happiness", 50))]),
        ("an override outside the scale is an error", AT,
         [with_ov("over", ov("business_outcomes", 101))]),
        ("an override naming an unknown band is an error", AT,
         [with_ov("noband", ov("Platinum"))]),
        ("an override replaces a missing component (measured)", AT,
         [{"id": "gap", "product_adoption": 50, "overrides": [ov("growth_potential", 90)]}]),
    ):
        case(cs, name, path, "score", rows, {"at": at},
             SLAVKO.expect_rows(rows, as_of=instant(at)),
             why="acme: 90*.25 + 80*.2 + 85*.25 + 70*.15 + 60*.15 = 79.25; " +
                 raw_notes(SLAVKO, rows, as_of=at) +
                 "; an override counts while the instant is before its expiry (exclusive)")
    rows = [dict(base, id="acme"), dict(base, id="globex")]
    opts = {"at": AT, "overrides": [
        {"account": "acme", "component": "growth_potential", "score": 100, "author": "li",
         "reason": "expansion signed"},
        {"account": "globex", "band": "Critical", "author": "li", "reason": "sponsor left",
         "expires": "2026-06-01T12:00:01Z"}]}
    by_id = {"acme": [opts["overrides"][0]], "globex": [opts["overrides"][1]]}
    by_id = {k: [{kk: vv for kk, vv in o.items() if kk != "account"} for o in v]
             for k, v in by_id.items()}
    case(cs, "overrides given as an option, by account", path, "score", rows, opts,
         SLAVKO.expect_rows(rows, overrides_by_id=by_id, as_of=instant(AT)),
         why="acme: growth 100 instead of 60: 79.25 + 6 = 85.25 Excellent; globex: the band "
             "override expires one second after the instant, so it counts: Critical")

    cs = vector_file("health", "errors",
                     "Row errors (out of scale, not a number, ambiguous input) next to scored "
                     "rows, and whole-request errors")
    rows = [slavko_row("ok", "50", "50", "50", "50", "50"),
            slavko_row("high", "101", "50", "50", "50", "50"),
            slavko_row("neg", "50", "-0.01", "50", "50", "50"),
            slavko_row("text", "50", "50", "lots", "50", "50"),
            {"id": "both", "product_adoption": 50, "active_users_pct": 60},
            slavko_row("ok2", "100", "0", "100", "0", "100")]
    case(cs, "bad rows fail in place, the others are scored", path, "score", rows, {"at": AT},
         SLAVKO.expect_rows(rows, as_of=instant(AT)),
         why="101 and -0.01 are outside 0-100 (out_of_scale); `lots` is not a number; a "
             "direct product_adoption with one of its metrics is ambiguous; ok2: 25 + 25 + 15 "
             "= 65")
    rows = [{"id": "a", "usage": "10.01", "engagement": 5, "success": 5, "growth": 5},
            {"id": "b", "usage": 10, "engagement": 5, "success": 5, "growth": 5}]
    case(cs, "above the top of a 0-10 scale", "rubrics/health/ai-ecosystem.toml", "score",
         rows, {"at": AT}, AI.expect_rows(rows, as_of=instant(AT), band_fields=False),
         why="10.01 > 10: out_of_scale; b: (10 + 5 + 5 + 5) / 4 = 6.25")
    rows = [{"id": "dup", "product_adoption": 50}, {"id": "dup", "product_adoption": 60},
            {"product_adoption": 70}]
    case(cs, "a repeated id and a missing id are input_row failures", path, "score", rows,
         {"at": AT},
         [SLAVKO.expect_rows(rows[:1], as_of=instant(AT))[0],
          {"row": 2, "status": "error", "error": {"code": "input_row"}},
          {"row": 3, "status": "error", "error": {"code": "input_row"}}],
         why="ids are unique per request: the second `dup` fails, the first scores 50")
    for name, op, opts, code in (
        ("an unknown option", "score", {"at": AT, "explian": True}, "invalid_options"),
        ("an instant without an offset", "score", {"at": "2026-06-01T12:00:00"},
         "invalid_options"),
        ("overrides that are not a list", "score", {"overrides": {"account": "a"}},
         "invalid_options"),
        ("an override without an author", "score",
         {"overrides": [{"account": "a", "band": "Good", "reason": "x"}]}, "invalid_options"),
        ("an operation health rubrics do not have", "prioritize", None,
         "unsupported_operation"),
    ):
        case(cs, name, path, op, [slavko_row("a", "1", "1", "1", "1", "1")], opts,
             error=code)
    case(cs, "input that is not a list of rows", path, "score", {"id": "a"}, None,
         error="input_file")


def req(id_, ci, sa, ri, ie, cv=None, **extra):
    r = {"id": id_, "customer_impact": ci, "strategic_alignment": sa, "revenue_impact": ri,
         "implementation_effort": ie}
    if cv is not None:
        r["cross_vertical_value"] = cv
    r.update(extra)
    return r


def vert(*pairs):
    return [{"name": n, "adaptation": a} for n, a in pairs]


def priority_cases():
    path = "rubrics/priority/kinos.toml"
    cs = vector_file("priority", "kinos",
                     "Seed 000 weighted scorecard: 30/25/20/15 (effort reverse-scored)/10 on "
                     "1-5, cross-vertical tiers, ranking tie-breakers")

    def add(name, rows, why, **opts):
        case(cs, name, path, "prioritize", rows, opts or None,
             KINOS.rank(rows, **{k: v for k, v in opts.items() if k != "explain"}), why=why)
    add("seed 000 case study (TherapyKin progress tracking) scores 4.20",
        [req("HLT-101", 5, 4, 4, 2, 3)],
        "5*.30 + 4*.25 + 4*.20 + (6-2)*.15 + 3*.10 = 1.50 + 1.00 + 0.80 + 0.60 + 0.30 = 4.20")
    add("effort is reverse-scored: the quicker request ranks first",
        [req("slow", 3, 3, 3, 5, 3), req("quick", 3, 3, 3, 1, 3)],
        "quick: 2.55 + (6-1)*.15 = 3.30; slow: 2.55 + (6-5)*.15 = 2.70")
    add("the extremes of the scale are 5.00 and 1.00",
        [req("low", 1, 1, 1, 5, 1), req("top", 5, 5, 5, 1, 5)],
        "top: 5 everywhere, effort 1 counts 5 -> 5.00; low: 1 everywhere, effort 5 counts 1")
    add("equal scores: higher customer impact first, then earlier submission, then id",
        [req("c", 3, 4, 3, 3, 3, submitted="2026-03-01"),
         req("a", 4, 3, 3, 4, 4, submitted="2026-02-01"),
         req("b", 3, 4, 3, 3, 3, submitted="2026-01-15"),
         req("e", 3, 4, 3, 3, 3),
         req("d", 3, 4, 3, 3, 3, submitted="2026-01-15")],
        "all 3.25: c, b, d, e: .9 + 1 + .6 + .45 + .3; a: 1.2 + .75 + .6 + .3 + .4. a has "
        "the highest customer impact (4); then b and d (2026-01-15, by id), c (2026-03-01), "
        "and e without a date last")
    add("a request scoring 3.30 against 3.25: the score decides before tie-breakers",
        [req("imp", 4, 3, 3, 3, 3, submitted="2026-05-01"),
         req("early", 3, 4, 3, 3, 3, submitted="2025-01-01")],
        "imp: 1.2 + .75 + .6 + .45 + .3 = 3.30; early: .9 + 1 + .6 + .45 + .3 = 3.25")
    rows = [req("hi5", 4, 4, 4, 2, verticals=vert(("health", "none"), ("finance", "none"),
                                                 ("legal", "none"), ("education", "none"),
                                                 ("gaming", "none"))),
            req("med", 4, 4, 4, 2, verticals=vert(("health", "none"), ("finance", "none"),
                                                 ("legal", "none"), ("education", "none"),
                                                 ("gaming", "significant"))),
            req("med3", 4, 4, 4, 2, verticals={"health": "minimal", "finance": "minimal",
                                               "legal": "none"}),
            req("low2", 4, 4, 4, 2, verticals="health:minimal;finance:none;legal:significant"),
            req("none", 4, 4, 4, 2, verticals=[])]
    add("cross-vertical tiers from `verticals` fill in the criterion", rows,
        "base 1.2 + 1 + .8 + .6 = 3.6; high (5 unmodified) +0.5 = 4.10; medium (4 unmodified "
        "are not 5, but >= 3 need at most minimal) +0.3 = 3.90; med3: 3 at most minimal -> "
        "medium 3.90; low2: only 2 at most minimal -> low +0.1 = 3.70; an empty list is low")
    rows = [req("both", 3, 3, 3, 3, 3, verticals=vert(("health", "none"))),
            req("twice", 3, 3, 3, 3, verticals=vert(("Health", "none"), ("health", "minimal"))),
            req("ok", 3, 3, 3, 3, 3)]
    add("criterion and verticals together are ambiguous; a vertical listed twice is invalid",
        rows, "both: ambiguous_input; twice: `Health` and `health` are one vertical: "
        "invalid_verticals; ok: 3 everywhere = 3.00")
    rows = [req("six", 6, 3, 3, 3, 3), req("zero", 3, 0, 3, 3, 3), req("gap", 3, 3, 3, 3),
            req("text", 3, 3, "high", 3, 3), req("half", "4.5", 3, 3, 3, 3)]
    add("inputs outside 1-5 are refused, never clamped", rows,
        "6 and 0 are outside 1..5 (out_of_scale); gap lacks cross_vertical_value "
        "(missing_input); `high` is not a number; half: 1.35 + .75 + .6 + .45 + .3 = 3.45")
    rows = [req("col", 3, 3, 3, 3, 3, classification="Must Have"),
            req("rule1", 3, 3, 3, 3, 3, core_need=True, severity=4),
            req("rule1-low", 3, 3, 3, 3, 3, core_need="yes", severity=3, request_type="usability"),
            req("hygiene", 3, 3, 3, 3, 3, expected_baseline="true"),
            req("newcap", 3, 3, 3, 3, 3, request_type="New_Capability"),
            req("kano-o", 3, 3, 3, 3, 3, kano="like/dislike;like/dislike;neutral/dislike"),
            req("kano-a", 3, 3, 3, 3, 3, kano=[{"functional": "like", "dysfunctional": "neutral"}]),
            req("kano-tie", 3, 3, 3, 3, 3, kano="neutral/dislike;like/live-with"),
            req("kano-i", 3, 3, 3, 3, 3, kano="neutral/neutral;must-be/tolerate"),
            req("nothing", 3, 3, 3, 3, 3)]
    add("classification: column, then rules in order, then the Kano mode, else unclassified",
        rows, "col: explicit; rule1: core need and severity >= 4 -> must_have; rule1-low: "
        "severity 3 fails rule 1, usability -> performance_enhancer; hygiene: expected "
        "baseline; newcap: delighter (case-insensitive); kano-o: O,O,M -> one_dimensional -> "
        "performance_enhancer; kano-a: like/neutral = A -> delighter; kano-tie: M and A tie "
        "-> must_be (M first) -> hygiene_factor; kano-i: indifferent is unmapped; nothing: "
        "unclassified. All score 3.00; ids break the tie")
    rows = [req("badclass", 3, 3, 3, 3, 3, classification="Nice To Have"),
            req("badkano", 3, 3, 3, 3, 3, kano="like/meh"),
            req("ok", 3, 3, 3, 3, 3)]
    add("an unknown class or Kano answer fails that request", rows,
        "invalid_classification, invalid_kano; ok scores 3.00")
    backlog = [req("HLT-101", 5, 4, 4, 2, verticals=vert(("health", "none"), ("wellness", "minimal"),
                                                        ("education", "minimal")),
                   vertical="health", request_type="improvement"),
               req("FIN-201", 5, 5, 4, 4, 1, vertical="finance", core_need=True, severity=5),
               req("LEG-502", 5, 5, 4, 3, verticals=vert(*[(v, "none") for v in (
                   "legal", "finance", "health", "education", "gaming")]),
                   vertical="legal", core_need=True, severity=4),
               req("EDU-302", 3, 3, 2, 2, 2, vertical="education", request_type="new_capability"),
               req("GAM-401", 2, 2, 2, 4, 1, vertical="gaming")]
    add("the backlog ranked without filters", backlog,
        "HLT-101 4.20; FIN-201 1.5+1.25+.8+.3+.1 = 3.95; LEG-502 1.5+1.25+.8+.45+.5 = 4.50; "
        "EDU-302 .9+.75+.4+.6+.2 = 2.85; GAM-401 .6+.5+.4+.3+.1 = 1.90")
    add("vertical filter: the originating vertical or any listed vertical (case-insensitive)",
        backlog, "health: HLT-101 (origin) and LEG-502 (lists health)", vertical="Health")
    add("classification filter", backlog, "must_have: LEG-502 and FIN-201",
        classification="must_have")
    add("unclassified filter", backlog, "only GAM-401 has no class", classification="unclassified")
    add("min_score is inclusive", backlog, "kept: 4.50, 4.20 and 3.95 (3.95 >= 3.95)",
        min_score="3.95")
    add("relative score: percent of the best kept score", backlog,
        "LEG-502 100; HLT-101 4.20/4.50 = 93.33; FIN-201 3.95/4.50 = 87.78; EDU-302 "
        "2.85/4.50 = 63.33; GAM-401 1.90/4.50 = 42.22", relative=True)
    case(cs, "an unknown class in the filter is a request error", path, "prioritize", backlog,
         {"classification": "nice_to_have"}, error="invalid_options")

    cs = vector_file("priority", "formulas",
                     "Formula models: RICE (reach x impact x confidence% / effort) and WSJF "
                     "(cost of delay / job size), exact and rounded once")
    rows = [{"id": "SSO-AZURE", "reach": 1200, "impact": 2, "confidence": 80, "effort": 3},
            {"id": "DARK-MODE", "reach": 3000, "impact": "0.25", "confidence": 50, "effort": 1},
            {"id": "FRAUD-HOOK", "reach": 400, "impact": 3, "confidence": 100, "effort": 4},
            {"id": "OPCUA", "reach": 150, "impact": 2, "confidence": 80, "effort": 0}]
    case(cs, "README RICE backlog with a zero effort", "rubrics/priority/rice.toml", "prioritize",
         rows, None, RICE.rank(rows),
         why="1200*2*80/(3*100) = 640; 3000*0.25*50/100 = 375; 400*3*100/400 = 300; effort "
             "0 divides by zero")
    rows = [{"id": "third", "reach": 100, "impact": 1, "confidence": 50, "effort": 3},
            {"id": "tie", "reach": 1, "impact": "0.25", "confidence": 50, "effort": 1},
            {"id": "big", "reach": 1000, "impact": "0.5", "confidence": 100, "effort": "2.5"},
            {"id": "same", "reach": 2000, "impact": "0.25", "confidence": 100, "effort": "2.5"},
            {"id": "bad", "reach": 10, "impact": 4, "confidence": 80, "effort": 1},
            {"id": "conf", "reach": 10, "impact": 1, "confidence": 90, "effort": 1},
            {"id": "neg", "reach": -1, "impact": 1, "confidence": 50, "effort": 1}]
    case(cs, "RICE rounding, tie-break on reach and refused values", "rubrics/priority/rice.toml",
         "prioritize", rows, None, RICE.rank(rows),
         why="third: 5000/300 = 16.666... -> 16.67; tie: 12.5/100 = 0.125 -> 0.13 (half-up); "
             "big: 50000/250 = 200 and same: 50000/250 = 200: reach 2000 first; impact 4 and "
             "confidence 90 are not allowed; reach -1 is below its minimum 0")
    rows = [{"id": "a", "business_value": 13, "time_criticality": 8,
             "risk_reduction_opportunity_enablement": 1, "job_size": 8},
            {"id": "b", "business_value": 8, "time_criticality": 5,
             "risk_reduction_opportunity_enablement": 3, "job_size": 5},
            {"id": "c", "business_value": 20, "time_criticality": 1,
             "risk_reduction_opportunity_enablement": 1, "job_size": 3},
            {"id": "d", "business_value": 1, "time_criticality": 1,
             "risk_reduction_opportunity_enablement": 1, "job_size": 20},
            {"id": "e", "business_value": 8, "time_criticality": 5,
             "risk_reduction_opportunity_enablement": 3, "job_size": 4}]
    case(cs, "WSJF on the modified Fibonacci scale", "rubrics/priority/wsjf.toml", "prioritize",
         rows, None, WSJF.rank(rows),
         why="c: 22/3 = 7.333... -> 7.33; b: 16/5 = 3.20; a: 22/8 = 2.75; d: 3/20 = 0.15; "
             "e: job size 4 is not on the scale")


def bt_expect(cal, rows):
    """Expected `business_time` rows: `add` (a target) from `start`, or the open time
    between `start` and `end`; start/end printed in the calendar's zone (`+00:00` form)."""
    out = []
    for i, r in enumerate(rows, start=1):
        try:
            s = instant(r["start"])
        except (KeyError, ValueError):
            out.append(row_error(r["id"], i, "invalid_input"))
            continue
        if ("end" in r) == ("add" in r):
            out.append(row_error(r["id"], i, "invalid_input"))
            continue
        if "end" in r:
            e = instant(r["end"])
        else:
            try:
                kind, amount = parse_target(r["add"])
            except (KeyError, ValueError):
                out.append(row_error(r["id"], i, "invalid_input"))
                continue
            e = cal.add_working_time(s, amount) if kind == "open" else cal.add_business_days(s, amount)
        d = cal.working_time(s, e)
        out.append({"id": r["id"], "row": i, "start": rfc3339(cal.local(s), zone_z=False),
                    "end": rfc3339(cal.local(e), zone_z=False), "working_time": duration(d),
                    "working_seconds": int(d.total_seconds())})
    return out


def calendar_cases():
    cs = vector_file("calendar", "business-time",
                     "Business time on the shipped calendars (`business_time`): open hours, "
                     "business days, holidays, DST in Berlin and New York, 24/7")

    def add(name, path, cal, rows, why):
        case(cs, name, path, "business_time", rows, None, bt_expect(cal, rows), why=why)
    b = "rubrics/calendars/business-hours-berlin.toml"
    ny = "rubrics/calendars/business-hours-new-york.toml"
    ext = "rubrics/calendars/extended-hours-berlin.toml"
    alw = "rubrics/calendars/always-open.toml"
    add("README worked examples (Berlin, German holidays of 2026)", b, BERLIN, [
        {"id": "fri-4h", "start": "2026-11-27T15:00:00+01:00", "add": "4h"},
        {"id": "fri-2h", "start": "2026-11-27T15:00:00+01:00", "add": "2h"},
        {"id": "easter", "start": "2026-04-02T16:00:00+02:00", "add": "3h"},
        {"id": "new-year", "start": "2026-12-31T16:00:00+01:00", "add": "2h"},
        {"id": "dst", "start": "2026-03-27T16:00:00+01:00", "add": "2h"}],
        "2h Fri + 2h Mon = Mon 11:00; 2h ends at the close, Fri 17:00; Thu 16-17, Good "
        "Friday, weekend, Easter Monday, Tue 09-11; New Year's Day is a Friday: Thu 16-17, "
        "Mon 4 Jan 09-10; Berlin moves to CEST on 29 March: Mon 10:00+02:00")
    add("Berlin spring-forward weekend: a business day still holds 8 hours", b, BERLIN, [
        {"id": "span", "start": "2026-03-27T09:00:00+01:00", "end": "2026-03-30T17:00:00+02:00"},
        {"id": "utc-in", "start": "2026-03-27T15:00:00Z", "add": "3h"}],
        "Fri 09-17 CET + Mon 09-17 CEST = 16h; 15:00Z is 16:00 CET: 1h Friday, Monday "
        "09:00-11:00 CEST")
    add("Berlin fall-back weekend", b, BERLIN, [
        {"id": "fall", "start": "2026-10-23T16:00:00+02:00", "add": "2h"},
        {"id": "span", "start": "2026-10-23T00:00:00+02:00", "end": "2026-10-27T00:00:00+01:00"}],
        "CEST ends on 25 October: Fri 16-17, Mon 09-10 CET; Fri 8h + Mon 8h = 16h")
    add("business days: same position N working days later", b, BERLIN, [
        {"id": "mon", "start": "2026-11-23T10:00:00+01:00", "add": "3bd"},
        {"id": "sat", "start": "2026-11-21T10:00:00+01:00", "add": "3bd"},
        {"id": "easter", "start": "2026-04-01T10:00:00+02:00", "add": "3bd"},
        {"id": "opening", "start": "2026-11-23T09:00:00+01:00", "add": "1bd"},
        {"id": "after-close", "start": "2026-11-27T18:00:00+01:00", "add": "2bd"}],
        "Mon 10:00 + 3 = Thu 10:00; from Saturday the clock starts Monday 09:00 and ends at "
        "the close of the 3rd day, Wed 17:00; Wed 1 Apr + 3 skips Good Friday, the weekend "
        "and Easter Monday: Wed 8 Apr 10:00; at an opening: the close of that day; Friday "
        "after the close: the close of Tuesday")
    add("holidays: Labour Day, Ascension, Whit Monday, Christmas, German Unity Day", b, BERLIN, [
        {"id": "may", "start": "2026-04-30T16:00:00+02:00", "add": "2h"},
        {"id": "ascension", "start": "2026-05-13T16:30:00+02:00", "add": "1h"},
        {"id": "whit", "start": "2026-05-22T09:00:00+02:00", "end": "2026-05-27T09:00:00+02:00"},
        {"id": "xmas", "start": "2026-12-24T16:00:00+01:00", "add": "2h"},
        {"id": "unity-2027", "start": "2027-10-01T16:00:00+02:00", "add": "2h"}],
        "Labour Day is a Friday: Thu 16-17, Mon 4 May 09-10; Ascension Thursday 14 May: Wed "
        "16:30-17 + Fri 09:00-09:30; 22-27 May: Fri 8h, Whit Monday closed, Tue 8h = 16h; "
        "Christmas Day and Second Day (Fri, Sat): Thu 16-17, Mon 28 09-10; German Unity Day "
        "2027 is a Sunday, so Monday 4 October is open: Fri 16-17, Mon 09-10")
    add("closed time and zero", b, BERLIN, [
        {"id": "weekend", "start": "2026-11-28T12:00:00+01:00", "add": "1h"},
        {"id": "zero", "start": "2026-11-28T12:00:00+01:00", "add": "0m"},
        {"id": "closed-span", "start": "2026-11-28T00:00:00+01:00", "end": "2026-11-30T09:00:00+01:00"},
        {"id": "backwards", "start": "2026-11-30T12:00:00+01:00", "end": "2026-11-30T10:00:00+01:00"},
        {"id": "minutes", "start": "2026-11-30T16:59:30+01:00", "add": "45m"}],
        "Saturday noon + 1h: Mon 10:00; 0m: the start itself; the weekend holds no open time; "
        "an end before the start is 0; 16:59:30 + 45m: 30s Monday, 44m 30s Tuesday")
    add("New York: spring forward and fall back", ny, NEW_YORK, [
        {"id": "spring", "start": "2026-03-06T16:00:00-05:00", "add": "2h"},
        {"id": "fall", "start": "2026-10-30T16:00:00-04:00", "add": "3h"},
        {"id": "span", "start": "2026-03-06T09:00:00-05:00", "end": "2026-03-10T00:00:00-04:00"}],
        "EDT from Sunday 8 March: Fri 16-17 EST, Mon 09-10 EDT; EST from Sunday 1 November: "
        "Fri 16-17 EDT, Mon 09-11 EST; Fri 8h + Mon 8h = 16h")
    add("New York: federal holidays (observed dates)", ny, NEW_YORK, [
        {"id": "thanksgiving", "start": "2026-11-25T16:30:00-05:00", "add": "1h"},
        {"id": "july", "start": "2026-07-02T16:00:00-04:00", "add": "2h"},
        {"id": "bd", "start": "2026-12-11T12:00:00-05:00", "add": "2bd"},
        {"id": "xmas", "start": "2026-12-24T09:00:00-05:00", "end": "2026-12-29T00:00:00-05:00"},
        {"id": "xmas-2027", "start": "2027-12-23T16:00:00-05:00", "add": "2h"}],
        "Thanksgiving Thursday: Wed 16:30-17, Fri 09:00-09:30; Independence Day observed Fri "
        "3 July: Thu 16-17, Mon 09-10; Fri noon + 2 business days = Tue noon (16h); Dec 24 "
        "2026 is open (8h), 25 closed, Mon 28 8h = 16h; Christmas 2027 is observed Friday "
        "24th: Thu 16-17, Mon 27 09-10")
    add("extended hours: Saturday counts, Sunday does not, holidays are open", ext, EXTENDED, [
        {"id": "weekend", "start": "2026-11-27T20:00:00+01:00", "add": "10h"},
        {"id": "xmas", "start": "2026-12-25T07:00:00+01:00", "end": "2026-12-25T21:00:00+01:00"},
        {"id": "dst", "start": "2026-03-28T16:00:00+01:00", "add": "2h"},
        {"id": "bd", "start": "2026-11-27T20:00:00+01:00", "add": "2bd"},
        {"id": "week", "start": "2026-11-23T00:00:00+01:00", "end": "2026-11-30T00:00:00+01:00"}],
        "Fri 20-21 (1h) + Sat 09-17 (8h) + Mon 07-08 (1h); Christmas Day is a Friday, open "
        "07-21: 14h; Sat 16-17 CET, Sunday closed, Mon 07-08 CEST; Fri 20:00 is 13h into "
        "Friday's 14: 2 working days later (Sat, Mon) Monday 20:00; a week: 5 x 14 + 8 = 78h")
    add("24/7: business time is wall-clock time, across DST too", alw, ALWAYS, [
        {"id": "nye", "start": "2026-12-31T23:50:00Z", "add": "30m"},
        {"id": "dst-night", "start": "2026-03-29T00:30:00Z", "add": "2h"},
        {"id": "bd", "start": "2026-03-28T10:00:00Z", "add": "3bd"},
        {"id": "berlin-clock", "start": "2026-10-24T22:00:00+02:00", "end": "2026-10-25T06:00:00+01:00"},
        {"id": "week", "start": "2026-03-23T00:00:00Z", "end": "2026-03-30T00:00:00Z"}],
        "00:20 next day; 02:30Z (zone UTC, no jump); 3 x 24h = 72h; 22:00 CEST to 06:00 CET "
        "is 9 hours of wall-clock time; 168h")
    add("rows that fail in place", b, BERLIN, [
        {"id": "both", "start": "2026-11-27T16:00:00+01:00", "end": "2026-11-30T10:00:00+01:00",
         "add": "1h"},
        {"id": "neither", "start": "2026-11-27T16:00:00+01:00"},
        {"id": "unit", "start": "2026-11-27T16:00:00+01:00", "add": "3w"},
        {"id": "naive", "start": "2026-11-27T16:00:00", "add": "1h"},
        {"id": "ok", "start": "2026-11-27T16:00:00+01:00", "end": "2026-11-30T10:00:00+01:00"}],
        "exactly one of `end` and `add`; `3w` is not a target; a naive start is refused; ok: "
        "Fri 16-17 + Mon 09-10 = 2h")

    add("business days on the other calendars", ny, NEW_YORK, [
        {"id": "mlk", "start": "2027-01-14T15:00:00-05:00", "add": "2bd"},
        {"id": "dst-bd", "start": "2026-03-06T11:00:00-05:00", "add": "1bd"},
        {"id": "fall-bd", "start": "2026-10-30T10:30:00-04:00", "add": "3bd"},
        {"id": "holiday-start", "start": "2026-11-26T10:00:00-05:00", "add": "1bd"}],
        "Thu 14 Jan + 2 skips MLK Day (Mon 18): Tue 19 Jan 15:00; Fri 11:00 EST + 1 = Mon "
        "11:00 EDT; Fri 10:30 EDT + 3 = Wed 4 Nov 10:30 EST; started on Thanksgiving: the "
        "clock starts Friday 09:00 and ends at its close")
    add("extended hours: Saturday is a short business day", ext, EXTENDED, [
        {"id": "fri-late", "start": "2026-11-27T19:00:00+01:00", "add": "1bd"},
        {"id": "sat", "start": "2026-11-28T12:00:00+01:00", "add": "1bd"},
        {"id": "sunday", "start": "2026-11-29T12:00:00+01:00", "add": "20h"}],
        "Fri 19:00 is 12h into Friday; Saturday holds only 8h: the target day's close, Sat "
        "17:00; Sat 12:00 is 3h in: Mon 10:00; Sunday is closed: 14h Monday + 6h Tuesday -> "
        "Tue 13:00")
    add("24/7: business days and spans in UTC", alw, ALWAYS, [
        {"id": "leap", "start": "2028-02-28T12:00:00Z", "add": "2bd"},
        {"id": "year", "start": "2027-01-01T00:00:00Z", "end": "2028-01-01T00:00:00Z"},
        {"id": "offset-in", "start": "2026-06-01T09:00:00+02:00", "add": "90m"}],
        "Feb 28 + 2 days = Mar 1 in a leap year (Feb 29 between); 2027 has 365 x 24 = 8760h; "
        "09:00+02:00 is 07:00Z, + 90m = 08:30Z, printed in UTC")

    cs = vector_file("calendar", "overnight-shifts",
                     "Inline calendars: an overnight shift owned by the day it starts, on the "
                     "DST nights and across a holiday")
    night = inline("\n".join([
        'kind = "calendar"', 'id = "calendars/night-shift"', 'version = "1.0.0"',
        'title = "Night shift, Berlin"', 'source = "tests/vectors/generate.py"',
        'zone = "Europe/Berlin"', "", "[[hours]]",
        'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]', 'open = "22:00"',
        'close = "06:00"', "", "[[holidays]]", 'date = "2026-12-25"', 'name = "Christmas Day"',
        ""]), name="rubrics/calendars/night-shift.toml")
    ncal = Cal("calendars/night-shift", "Europe/Berlin",
               [(DAY_NAMES, "22:00", "06:00")], ["2026-12-25"])
    rows = [{"id": "spring", "start": "2026-03-28T22:00:00+01:00", "end": "2026-03-29T06:00:00+02:00"},
            {"id": "fall", "start": "2026-10-24T22:00:00+02:00", "end": "2026-10-25T06:00:00+01:00"},
            {"id": "add-8h", "start": "2026-03-28T22:00:00+01:00", "add": "8h"},
            {"id": "xmas", "start": "2026-12-24T20:00:00+01:00", "end": "2026-12-26T20:00:00+01:00"},
            {"id": "bd", "start": "2026-11-23T23:00:00+01:00", "add": "2bd"}]
    case(cs, "a 22:00-06:00 shift holds 7h on the spring-forward night and 9h on fall-back",
         night, "business_time", rows, None, bt_expect(ncal, rows),
         why="22:00 CET (21:00Z) to 06:00 CEST (04:00Z) = 7h; 22:00 CEST (20:00Z) to 06:00 "
             "CET (05:00Z) = 9h; 8h from Saturday 22:00: 7h that night, 1h from Sunday 22:00 "
             "CEST; Christmas Day removes local 00:00-24:00 of the 25th: the 24th's shift keeps "
             "22:00-24:00 (2h), the 25th's own shift keeps its part on the 26th, 00:00-06:00 "
             "(6h): 8h; Monday 23:00 is 1h into Monday's shift: Wednesday's shift + 1h = Wed 23:00")


def ticket_events(r):
    """A ticket row's event log: first_response_at (a reply), resolved_at, then `events`."""
    ev = []
    if r.get("first_response_at"):
        ev.append((instant(r["first_response_at"]), "reply", None))
    if r.get("resolved_at"):
        ev.append((instant(r["resolved_at"]), "resolved", None))
    for e in r.get("events", []):
        value = e.get("status") or e.get("priority")
        ev.append((instant(e["at"]), e["type"], value))
    return ev


TICKET_FIELDS = ("id", "tier", "priority", "opened_at", "first_response_at", "resolved_at",
                 "events")


def sla_expect(policy, rows, at):
    at = instant(at)
    out = []
    for i, r in enumerate(rows, start=1):
        facts = {}
        for k, v in r.items():
            if k in TICKET_FIELDS:
                continue
            facts[k] = ("true" if v else "false") if isinstance(v, bool) else str(v)
        try:
            try:
                opened = instant(r["opened_at"])
                events = ticket_events(r)
            except (KeyError, ValueError):
                raise HealthError("invalid_input")
            if at < opened or any(e[0] < opened for e in events if e[0] <= at):
                raise HealthError("invalid_input")
            res = policy.evaluate(r["tier"], r["priority"], opened, events, at, facts)
        except HealthError as e:
            out.append(row_error(r["id"], i, e.code))
            continue
        o = {"id": r["id"], "row": i}
        o.update(res)
        out.append(o)
    return out


def sla_cases():
    path = "rubrics/escalation/slavkokernel-sla.toml"
    cs = vector_file("sla", "tiers-and-priorities",
                     "Seed 001 SLA policy: every tier x priority at least once (first "
                     "response, resolution, management notification), with the escalation "
                     "level and the next escalation")

    def add(name, rows, at, why, cases=cs, policy=SLA, rubric=path):
        case(cases, name, rubric, "sla", rows, {"at": at}, sla_expect(policy, rows, at), why=why)

    def t(id_, tier, prio, opened, **kw):
        r = {"id": id_, "tier": tier, "priority": prio, "opened_at": opened}
        r.update(kw)
        return r
    add("standard P1 opened Friday 15:00, asked Monday 10:00",
        [t("std-p1", "standard", "P1", "2026-11-27T15:00:00+01:00")], "2026-11-30T10:00:00+01:00",
        "4 business hours: Fri 15-17 + Mon 09-11; management notification is immediate, so "
        "it is past; 3h elapsed, 1h left; Level 1 until the response breaches at 11:00, "
        "then Management")
    add("standard P2 with the customer pending 10:00-14:00",
        [t("std-p2", "standard", "P2", "2026-11-23T09:00:00+01:00", events=[
            {"at": "2026-11-23T10:00:00+01:00", "type": "status", "status": "pending_customer"},
            {"at": "2026-11-23T14:00:00+01:00", "type": "status", "status": "open"}])],
        "2026-11-23T15:00:00+01:00",
        "first response never pauses: 8h -> Mon 17:00; resolution 8h + 4h paused -> Tue "
        "13:00; notification 4h: 09-10 + 14-17 -> Mon 17:00")
    add("standard P3 across Easter (3 business days)",
        [t("std-p3", "standard", "P3", "2026-04-01T10:00:00+02:00",
           first_response_at="2026-04-02T11:00:00+02:00")], "2026-04-07T12:00:00+02:00",
        "resolution 3bd: Wed 1 Apr 10:00 -> Wed 8 Apr 10:00 (Good Friday, weekend, Easter "
        "Monday closed); 24 business hours: Wed 7 + Thu 8 + Tue 8 + Wed 1 -> Wed 8 Apr 10:00; "
        "first response met on Thursday")
    add("standard P4 resolved after its first-response target",
        [t("std-p4", "standard", "P4", "2026-11-23T10:00:00+01:00",
           resolved_at="2026-12-04T12:00:00+01:00")], "2026-12-07T09:00:00+01:00",
        "48 business hours = 6 days: Mon 23 Nov 10:00 -> Tue 1 Dec 10:00; the resolution on "
        "Fri 4 Dec also stops the first-response clock, after its due time: breached; "
        "resolution 10bd -> Mon 7 Dec 10:00: met; notification 5bd -> Mon 30 Nov 10:00")
    add("premium P1 answered Monday 07:30",
        [t("pre-p1", "premium", "P1", "2026-11-21T16:00:00+01:00",
           first_response_at="2026-11-23T07:30:00+01:00")], "2026-11-23T09:00:00+01:00",
        "extended hours: Sat 16-17 (1h) + Mon 07-08 -> due 08:00, met 07:30; resolution 4h "
        "-> Mon 10:00")
    add("premium P2 opened Saturday 16:00 (README)",
        [t("pre-p2", "premium", "P2", "2026-11-21T16:00:00+01:00")], "2026-11-23T08:00:00+01:00",
        "response 4h: Sat 16-17 + Mon 07-10; resolution 8h: Mon 14:00")
    add("premium P3 opened on the spring-forward Saturday",
        [t("pre-p3", "premium", "P3", "2026-03-28T16:00:00+01:00")], "2026-03-30T12:00:00+02:00",
        "8h: Sat 16-17 CET + Mon 07-14 CEST; 3bd: Saturday 16:00 is 7h into Saturday's 8h, "
        "three working days later (Mon, Tue, Wed) 7h into Wednesday: Wed 1 Apr 14:00")
    add("premium P4 with a weekly-review notification",
        [t("pre-p4", "premium", "P4", "2026-11-25T20:30:00+01:00", category="complex_technical")],
        "2026-11-26T08:00:00+01:00",
        "24h of extended hours: Wed 20:30-21 (0.5) + Thu 14 + Fri 07-16:30 (9.5) -> Fri "
        "16:30; the category puts it at Level 2 (Senior Support Engineer, 2h from opening)")
    add("enterprise P1 raised from P3 (README T-201)",
        [t("ent-p1", "enterprise", "P3", "2026-11-23T05:00:00Z", events=[
            {"at": "2026-11-23T07:00:00Z", "type": "priority", "priority": "P1"}])],
        "2026-11-23T09:00:00Z",
        "the P1 targets count from the opening: response 05:30 (breached), resolution 09:00 "
        "(not yet past at 09:00); the breach puts it with the Support Manager, 1h from 05:30")
    add("enterprise P2 over New Year (README)",
        [t("ent-p2", "enterprise", "P2", "2026-12-31T23:00:00Z")], "2027-01-01T00:30:00Z",
        "24/7: response 2h -> 01:00, resolution 8h -> 07:00, notification 4h -> 03:00")
    add("enterprise P3 resolved in time",
        [t("ent-p3", "enterprise", "P3", "2026-11-20T12:00:00Z",
           first_response_at="2026-11-20T15:59:59Z", resolved_at="2026-11-23T11:00:00Z")],
        "2026-11-24T00:00:00Z",
        "response 4h -> 16:00, met one second early; 3bd on 24/7 time = 72h -> Mon 23 Nov "
        "12:00, met at 11:00; notification 24h -> Sat 12:00, stopped by the resolution after "
        "it: breached (notification is not listed in `breached`)")
    add("enterprise P4 paused while pending the customer",
        [t("ent-p4", "enterprise", "P4", "2026-11-23T00:00:00Z", events=[
            {"at": "2026-11-24T00:00:00Z", "type": "status", "status": "pending_customer"}])],
        "2026-11-26T00:00:00Z",
        "response 8h -> 08:00 (breached); resolution 10bd = 240h: 24h ran, paused since: "
        "paused with 216h left and no due time; notification 5bd: paused too")
    add("white glove P1 on the DST night (README)",
        [t("wg-p1", "white_glove", "P1", "2026-03-29T01:50:00+01:00")], "2026-03-29T00:55:00Z",
        "01:50 CET is 00:50 UTC; 15 minutes on 24/7 time -> 01:05 UTC")
    add("white glove P2 with a dissatisfied customer",
        [t("wg-p2", "white_glove", "P2", "2026-11-23T08:00:00Z", dissatisfied=True,
           first_response_at="2026-11-23T08:45:00Z")], "2026-11-23T10:00:00Z",
        "response 1h -> 09:00, met 08:45; dissatisfaction puts it with the Support Manager "
        "within 1h of the opening")
    add("white glove P3 reopened",
        [t("wg-p3", "white_glove", "P3", "2026-11-23T08:00:00Z", events=[
            {"at": "2026-11-23T08:30:00Z", "type": "reply"},
            {"at": "2026-11-23T10:00:00Z", "type": "resolved"},
            {"at": "2026-11-23T12:00:00Z", "type": "reopened"}])], "2026-11-23T13:00:00Z",
        "response 2h, met at 08:30; resolution ran 08-10, stopped 10-12, runs again: 3h "
        "elapsed at 13:00; due 3bd = 72h of running time -> 26 Nov 10:00 (the 2 resolved "
        "hours never count); notification 24h -> 24 Nov 10:00")
    add("white glove P4 for a strategic customer",
        [t("wg-p4", "white_glove", "P4", "2026-11-22T20:00:00Z", strategic=True,
           first_response_at="2026-11-22T21:05:00Z", resolved_at="2026-11-23T00:00:00Z")],
        "2026-11-23T09:00:00Z",
        "response 4h -> 24:00, met 21:05; resolution 10bd, met at midnight; a P4 of a "
        "strategic customer is not Executive (that needs P1): Level 1, per SLA (all met: "
        "no deadline)")

    cs2 = vector_file("sla", "clocks",
                      "SLA clocks: pausing statuses, reopening, priority changes, breaches, "
                      "escalation deadlines, DST and holidays; rows that fail in place")
    add("README T-200: pending customer moves the resolution by the paused hours",
        [t("T-200", "standard", "P3", "2026-11-19T10:00:00+01:00",
           first_response_at="2026-11-19T11:00:00+01:00", events=[
               {"at": "2026-11-19T12:00:00+01:00", "type": "status", "status": "pending_customer"},
               {"at": "2026-11-20T12:00:00+01:00", "type": "status", "status": "open"}])],
        "2026-11-23T10:00:00+01:00",
        "3 business days would end Tue 24 Nov 10:00; 8 paused business hours (Thu 12-17, Fri "
        "09-12) move it to Wed 25 Nov 10:00; Level 1, next Management at the resolution "
        "due time", cases=cs2)
    add("README T-202: premium P2 paused with 6h 30m left",
        [t("T-202", "premium", "P2", "2026-11-23T07:00:00+01:00",
           first_response_at="2026-11-23T09:00:00+01:00", category="complex_technical", events=[
               {"at": "2026-11-23T08:30:00+01:00", "type": "status", "status": "pending_customer"}])],
        "2026-11-23T10:00:00+01:00",
        "resolution ran 07:00-08:30 (1h 30m of 8h) and is paused: no due time; Level 2 for a "
        "complex technical issue (2h from 07:00)", cases=cs2)
    add("a pause at the opening: the clock starts when it ends",
        [t("late-start", "standard", "P2", "2026-11-23T09:00:00+01:00", events=[
            {"at": "2026-11-23T09:00:00+01:00", "type": "status", "status": "pending_customer"},
            {"at": "2026-11-24T09:00:00+01:00", "type": "status", "status": "open"}])],
        "2026-11-24T09:30:00+01:00",
        "resolution paused all Monday: 8h from Tue 09:00 -> Tue 17:00; first response ran "
        "Monday: due Mon 17:00, breached", cases=cs2)
    add("events after the instant asked about are ignored",
        [t("future", "standard", "P2", "2026-11-23T09:00:00+01:00",
           first_response_at="2026-11-23T16:00:00+01:00")], "2026-11-23T12:00:00+01:00",
        "at 12:00 the reply at 16:00 has not happened: response running, 3h elapsed, 5h left",
        cases=cs2)
    add("a breach escalates to the Support Manager from the first breach",
        [t("breach", "standard", "P2", "2026-11-23T09:00:00+01:00",
           first_response_at="2026-11-24T10:00:00+01:00")], "2026-11-24T12:00:00+01:00",
        "response due Mon 17:00, given Tue 10:00: breached at Mon 17:00 (16:00Z); Management "
        "within 1h: 17:00Z", cases=cs2)
    add("a P1 at a strategic customer goes to the executive level",
        [t("exec", "enterprise", "P1", "2026-11-23T10:00:00Z", strategic="yes")],
        "2026-11-23T10:10:00Z",
        "Executive (VP Customer Success) within 4h of the opening; a breach would not change "
        "the level (the Executive row comes first), so no next escalation", cases=cs2)
    add("advanced product issue at Level 3",
        [t("l3", "standard", "P3", "2026-12-23T16:00:00+01:00", category="advanced_product")],
        "2026-12-23T16:30:00+01:00",
        "Level 3, Product Engineering, 4h (wall-clock: the matrix has no calendar) -> 19:00Z; "
        "24h across Christmas: Wed 16-17, Thu 24 Dec 8h, 25-27 closed, Mon 28 8h, Tue 29 "
        "07h -> 16:00", cases=cs2)
    add("rows that fail in place",
        [t("gold", "gold", "P2", "2026-11-23T09:00:00Z"),
         t("p9", "standard", "P9", "2026-11-23T09:00:00Z"),
         t("naive", "standard", "P2", "2026-11-23T09:00:00"),
         t("early", "standard", "P2", "2026-11-24T09:00:00Z"),
         t("before", "standard", "P2", "2026-11-23T09:00:00Z",
           events=[{"at": "2026-11-23T08:00:00Z", "type": "reply"}]),
         t("cat", "standard", "P2", "2026-11-23T09:00:00Z", category="billing"),
         t("ok", "white_glove", "P4", "2026-11-23T08:00:00Z")],
        "2026-11-23T10:00:00Z",
        "unknown tier and priority (unknown_value); a naive timestamp, an instant before the "
        "opening, an event before the opening and a category the matrix does not have "
        "(invalid_input); ok: white glove P4 due 12:00", cases=cs2)

    ny_sla = inline("\n".join([
        'kind = "sla"', 'id = "escalation/new-york-sla"', 'version = "1.0.0"',
        'title = "New York standard support"', 'source = "tests/vectors/generate.py"',
        'priorities = ["P1", "P2"]', "", "[calendars]",
        'business_hours = "../calendars/business-hours-new-york.toml"', "", "[pausing]",
        'resolution = ["pending_customer"]', "", "[[tiers]]", 'id = "standard"',
        'calendar = "business_hours"', 'first_response = { P1 = "4h", P2 = "8h" }',
        'resolution = { P1 = "1bd", P2 = "2bd" }',
        'management_notification = { P1 = "immediate", P2 = "4h" }', ""]),
        name="rubrics/escalation/new-york-sla.toml")
    ny_policy = Sla({"standard": (NEW_YORK, {"P1": ("4h", "1bd", "immediate"),
                                             "P2": ("8h", "2bd", "4h")})},
                    [[], ["pending_customer"], []])
    add("New York: spring forward and Thanksgiving on an inline policy",
        [t("spring", "standard", "P2", "2026-03-06T15:00:00-05:00"),
         t("thanks", "standard", "P1", "2026-11-25T15:00:00-05:00"),
         t("fall", "standard", "P2", "2026-10-30T13:00:00-04:00")],
        "2026-11-25T16:00:00-05:00",
        "spring: Fri 15-17 EST + Mon 09-15 EDT = 8h -> Mon 9 Mar 15:00-04:00; 2bd -> Tue 10 "
        "Mar 15:00; thanks: Wed 15-17 + Fri 09-11 -> Fri 27 Nov 11:00; 1bd -> Fri 15:00; "
        "fall: Fri 13-17 EDT + Mon 09-13 EST", cases=cs2, policy=ny_policy, rubric=ny_sla)


def escalate_expect(matrix, rows, at):
    at = instant(at)
    out = []
    for i, r in enumerate(rows, start=1):
        facts = {k: (("true" if v else "false") if isinstance(v, bool) else str(v))
                 for k, v in r.items() if k != "id"}
        try:
            try:
                since = instant(r["since"]) if "since" in r else (
                    instant(r["opened_at"]) if "opened_at" in r else at)
                sla_due = instant(r["sla_due"]) if "sla_due" in r else None
            except ValueError:
                raise HealthError("invalid_input")
            matches = matrix.evaluate(facts, since, sla_due)
        except HealthError as e:
            out.append(row_error(r["id"], i, e.code))
            continue
        out.append({"id": r["id"], "row": i, "hit_policy": matrix.hit, "matches": matches})
    return out


# Seed 001 "Proactive Monitoring & Alerts" (rubrics/escalation/slavkokernel-alerts.toml).
ALERTS = [  # id, title, column, at_most, protocol, owner, sla
    ("usage_drop", "Usage Drop", "usage_change_pct_2w", -20,
     "Usage analysis, customer outreach", "CSM", "1bd"),
    ("technical_issue", "Technical Issue", "technical_issue", None,
     "Technical review, remediation plan", "CS Engineer", "4h"),
    ("sentiment_decline", "Sentiment Decline", "sentiment_decline", None,
     "Relationship review, action plan", "CSM", "2bd"),
    ("success_risk", "Success Risk", "success_risk", None,
     "Success plan review, corrective actions", "CSM", "3bd"),
    ("executive_change", "Executive Change", "executive_change", None,
     "Relationship rebuilding plan", "CSM + Manager", "5bd"),
]


def alerts_expect(rows, at):
    out = []
    for i, r in enumerate(rows, start=1):
        try:
            try:
                detected = instant(r["detected_at"]) if "detected_at" in r else instant(at)
            except ValueError:
                raise HealthError("invalid_input")
            fired = []
            for aid, title, col, at_most, protocol, owner, sla in ALERTS:
                if col not in r or r[col] is None:
                    continue
                v = r[col]
                if at_most is not None:
                    try:
                        n = F(v)
                    except (ValueError, TypeError):
                        raise HealthError("invalid_input")
                    if n > at_most:
                        continue
                    because = f"{col} = {norm(n)}"
                else:
                    if isinstance(v, bool):
                        b = v
                    elif isinstance(v, str) and v.lower() in ("true", "yes", "false", "no"):
                        b = v.lower() in ("true", "yes")
                    elif isinstance(v, (int, float)):
                        b = v != 0
                    else:
                        raise HealthError("invalid_input")
                    if not b:
                        continue
                    because = f"{col} = true"
                kind, amount = parse_target(sla)
                due = (BERLIN.add_working_time(detected, amount) if kind == "open"
                       else BERLIN.add_business_days(detected, amount))
                fired.append({"alert": aid, "title": title, "owner": owner,
                              "protocol": protocol, "sla": sla,
                              "due": rfc3339(BERLIN.local(due)), "because": because})
        except HealthError as e:
            out.append(row_error(r["id"], i, e.code))
            continue
        out.append({"id": r["id"], "row": i, "alerts": fired})
    return out


def escalation_cases():
    cs = vector_file("sla", "escalation-matrices",
                     "Escalation matrices (`escalate`): seed 001 support and risk matrices, seed "
                     "004 levels 1-4; first hit, deadlines from `since`, inputs outside the "
                     "matrix fail in place")
    at = "2026-11-23T10:00:00Z"

    def add(name, path, matrix, rows, why):
        case(cs, name, path, "escalate", rows, {"at": at}, escalate_expect(matrix, rows, at),
             why=why)
    sup = "rubrics/escalation/slavkokernel-support.toml"
    add("support matrix: every level", sup, SUPPORT, [
        {"id": "exec", "priority": "P1", "strategic": True},
        {"id": "breach", "priority": "P3", "breached": "yes", "strategic": True},
        {"id": "unhappy", "priority": "P2", "dissatisfied": 1, "since": "2026-11-23T08:15:00Z"},
        {"id": "product", "priority": "P4", "category": "advanced_product"},
        {"id": "complex", "priority": "P2", "category": "complex_technical",
         "opened_at": "2026-11-22T23:30:00+01:00"},
        {"id": "plain", "priority": "P3", "sla_due": "2026-11-25T10:00:00+01:00"},
        {"id": "no-sla", "priority": "P3"}],
        "first matching row wins, in file order: P1 + strategic -> Executive 4h; a breach -> "
        "Management 1h (before the strategic P3's other rows); dissatisfaction -> Management "
        "1h from `since`; advanced product -> Level 3 4h; complex technical -> Level 2 2h "
        "from `opened_at` (22:30Z); otherwise Level 1 due with its SLA (none given: no "
        "deadline)")
    add("support matrix: inputs it cannot read", sup, SUPPORT, [
        {"id": "no-priority", "category": "general"},
        {"id": "bad-priority", "priority": "P0"},
        {"id": "bad-flag", "priority": "P2", "breached": "maybe"},
        {"id": "bad-since", "priority": "P2", "since": "tomorrow"},
        {"id": "ok", "priority": "P2", "breached": "no", "category": " complex_technical "}],
        "priority has no default and rows test it; P0 is not a value; `maybe` is not a "
        "boolean; `tomorrow` is not an instant; values are trimmed: ok is Level 2")
    risk = "rubrics/escalation/slavkokernel-risk.toml"
    add("risk matrix (seed 001 risk escalation)", risk, RISK, [
        {"id": "ceo", "risk_level": "critical", "strategic": "true"},
        {"id": "vp", "risk_level": "critical"},
        {"id": "director", "risk_level": "high", "strategic": True},
        {"id": "lead", "risk_level": "medium", "playbook_failing": True},
        {"id": "manager", "risk_level": "medium"},
        {"id": "low", "risk_level": "low", "playbook_failing": True},
        {"id": "severe", "risk_level": "severe"}],
        "critical + strategic -> Level 5 CEO 24h; critical -> Level 4 VP 12h; high -> Level 3 "
        "24h; medium + playbook failing -> Level 2; medium or low -> Level 1; `severe` is "
        "not a risk level")
    c2g = "rubrics/escalation/cradle-to-grave.toml"
    add("cradle-to-grave matrix: the 80/20 rule", c2g, C2G_MATRIX, [
        {"id": "legal", "category": "legal_issue", "segment": "strategic"},
        {"id": "legal-std", "category": "legal_issue"},
        {"id": "pricing", "category": "pricing_negotiation", "segment": "strategic"},
        {"id": "perf-std", "category": "performance_issue", "segment": "standard"},
        {"id": "perf-str", "category": "custom_development", "segment": "strategic"},
        {"id": "training", "category": "training_request", "segment": "strategic"},
        {"id": "unknown", "category": "refund"}],
        "strategic legal -> Level 4 Morten; a standard customer's legal issue stays with the "
        "CSM; strategic commercial -> Level 3 Sofie; technical -> Level 2 for every segment; "
        "no response times in seed 004 (no deadlines)")

    cs = vector_file("sla", "alerts",
                     "Seed 001 proactive-monitoring alerts: thresholds (inclusive) and flags, "
                     "due in Berlin business time from `detected_at`")
    path = "rubrics/escalation/slavkokernel-alerts.toml"
    for name, rows, why in (
        ("README: Friday 16:00 detections", [
            {"id": "acme", "usage_change_pct_2w": -25, "detected_at": "2026-11-27T16:00:00+01:00"},
            {"id": "globex", "technical_issue": True, "detected_at": "2026-11-27T16:00:00+01:00"},
            {"id": "initech", "sentiment_decline": "yes", "success_risk": True,
             "executive_change": True, "detected_at": "2026-11-23T10:00:00+01:00"}],
         "Friday 16:00 + 1 business day = Monday 16:00; + 4 business hours = Monday 12:00; "
         "Monday 10:00 + 2/3/5 business days = Wed 10:00, Thu 10:00, next Monday 10:00"),
        ("threshold edges: -20 fires, -19.99 does not", [
            {"id": "edge", "usage_change_pct_2w": -20, "detected_at": "2026-11-23T10:00:00+01:00"},
            {"id": "below", "usage_change_pct_2w": "-19.99", "detected_at": "2026-11-23T10:00:00+01:00"},
            {"id": "drop", "usage_change_pct_2w": "-20.5", "detected_at": "2026-11-23T10:00:00+01:00"},
            {"id": "flags-off", "technical_issue": False, "sentiment_decline": "no",
             "success_risk": 0, "detected_at": "2026-11-23T10:00:00+01:00"}],
         "at_most -20 is inclusive; false flags never fire"),
        ("alert deadlines across holidays and DST", [
            {"id": "xmas", "technical_issue": True, "detected_at": "2026-12-24T15:00:00+01:00"},
            {"id": "easter", "executive_change": True, "detected_at": "2026-04-02T12:00:00+02:00"},
            {"id": "dst", "success_risk": "true", "detected_at": "2026-03-26T11:00:00+01:00"},
            {"id": "night", "usage_change_pct_2w": -40, "detected_at": "2026-11-27T20:00:00+01:00"}],
         "Thu 24 Dec 15-17 + Mon 28 Dec 09-11; Thu 2 Apr + 5 business days skips Good Friday "
         "and Easter Monday: Mon 13 Apr 12:00; Thu 26 Mar 11:00 CET + 3 = Tue 31 Mar 11:00 "
         "CEST; Friday 20:00 is after the close: the close of the next working day"),
        ("values an alert cannot read fail in place", [
            {"id": "text", "usage_change_pct_2w": "a lot", "detected_at": "2026-11-23T10:00:00+01:00"},
            {"id": "flag", "technical_issue": "maybe", "detected_at": "2026-11-23T10:00:00+01:00"},
            {"id": "naive", "technical_issue": True, "detected_at": "2026-11-23T10:00:00"},
            {"id": "none", "detected_at": "2026-11-23T10:00:00+01:00"}],
         "not a number; not true/false; a naive timestamp; no alert columns: no alerts"),
    ):
        case(cs, name, path, "alerts", rows, {"at": "2026-11-23T09:00:00Z"},
             alerts_expect(rows, "2026-11-23T09:00:00Z"), why=why)


def renewal_cases():
    cs = vector_file("renewal", "schedules",
                     "Renewal milestones dated from the contract end: day offsets, month-end "
                     "and leap-day contracts, auto-renewal terms, notice deadlines, the "
                     "pipeline order")

    def add(name, path, book, rows, today, why, opts=None):
        options = {"today": today}
        options.update(opts or {})
        case(cs, name, path, "renewals", rows, options,
             book.pipeline(rows, date.fromisoformat(today)), why=why)
    sk = "rubrics/renewal/slavkokernel.toml"
    add("a contract ending 2027-06-30: planning 180 days before is 2027-01-01", sk,
        SLAVKO_RENEWAL, [{"id": "northwind", "start": "2026-07-01", "end": "2027-06-30",
                          "notice_days": 60}], "2026-11-23",
        "2027-06-30 - 180 days = 2027-01-01 (29 days of June, 31 + 30 + 31 + 28 + 31 for "
        "May to January); notice 60 days before the end: 2027-05-01; nothing is due yet")
    add("a leap-day contract end (2028-02-29)", sk, SLAVKO_RENEWAL,
        [{"id": "initech", "start": "2027-03-01", "end": "2028-02-29"}], "2027-12-15",
        "2028-02-29 - 90 = 2027-12-01 (preparation, a point in time: overdue by 15 Dec), "
        "- 60 = 2027-12-31, - 30 = 2028-01-30, - 120 = 2027-11-01, - 150 = 2027-10-02, - 180 "
        "= 2027-09-02; + 30 = 2028-03-30")
    add("statuses: done, overdue, open and upcoming", sk, SLAVKO_RENEWAL,
        [{"id": "stark", "start": "2026-02-01", "end": "2027-01-31",
          "completed": ["renewal_planning", "expansion_planning"]},
         {"id": "globex", "start": "2026-03-01", "end": "2027-02-28",
          "completed": "renewal_planning;value_assessment"}], "2026-12-05",
        "stark ends 2027-01-31: preparation 2026-11-02 overdue, negotiation 2026-12-02 .. "
        "2027-01-01 open (current); globex ends 2027-02-28: preparation 2026-11-30 overdue, "
        "executive review 2026-10-31 overdue, negotiation 2026-12-30 next; the pipeline "
        "sorts by the next due date")
    add("the pipeline: next due first, contracts with nothing ahead last, failures at the end",
        sk, SLAVKO_RENEWAL,
        [{"id": "done", "start": "2025-01-01", "end": "2025-12-31"},
         {"id": "late", "start": "2026-01-01", "end": "2026-12-31"},
         {"id": "bad-date", "start": "2026-01-01", "end": "2026-13-01"},
         {"id": "soon", "start": "2026-05-01", "end": "2027-04-30"},
         {"id": "backwards", "start": "2026-05-01", "end": "2026-04-30"},
         {"id": "far", "start": "2027-01-01", "end": "2027-12-31"}], "2026-11-23",
        "late (2026-12-31): closure 2026-12-01 next; soon (2027-04-30): value assessment "
        "2026-12-01 next: the same day, the earlier renewal date first; far: planning "
        "2027-07-04; done: its schedule is over, no next milestone, last; a 13th month and an "
        "end before the start fail, after the others")
    add("monthly auto-renewal from January 31st", sk, SLAVKO_RENEWAL,
        [{"id": "day-after", "start": "2026-01-31", "end": "2026-02-27", "auto_renew": True,
          "notice_days": 10},
         {"id": "month-end", "start": "2026-01-31", "end": "2026-02-28", "auto_renew": True}],
        "2026-04-15",
        "day-after: Jan 31 + 1 month = Feb 28, the day after the end: terms end the day "
        "before start + k months: Mar 30, Apr 29 (term 3); notice 10 days before: Apr 19; "
        "month-end: Jan 31 + 1 month is the end itself: terms end on start + k months: Mar "
        "31, Apr 30 (term 3)")
    add("the end date itself and the day after it", sk, SLAVKO_RENEWAL,
        [{"id": "today-end", "start": "2025-12-01", "end": "2026-11-30"},
         {"id": "yesterday-end", "start": "2025-11-30", "end": "2026-11-29"},
         {"id": "post", "start": "2025-11-01", "end": "2026-10-31",
          "completed": "post_renewal_planning ; renewal_closure"}], "2026-11-30",
        "today-end: closure (until 0) and post-renewal (from 0) both open, the last started "
        "is current, 0 days to renewal; yesterday-end: -1 days, post-renewal open until "
        "Dec 29; post: ended 30 days ago, post-renewal closes today and is done")
    c2g = "rubrics/renewal/cradle-to-grave.toml"
    add("departure path: win-back six months after a month-end contract", c2g, C2G_RENEWAL,
        [{"id": "leaver", "start": "2026-09-01", "end": "2027-08-31", "path": "departure"},
         {"id": "leaver-2026", "start": "2025-09-01", "end": "2026-08-31", "path": "departure"},
         {"id": "stayer", "start": "2026-09-01", "end": "2027-08-31"}], "2027-08-15",
        "2027-08-31 + 6 months = 2028-02-29 (leap year); 2026-08-31 + 6 months = "
        "2027-02-28; the renewal path has no win-back; departure windows close on the end "
        "date (knowledge transfer, data export) or the day before (exit interview)")
    add("auto-renewal rolls whole-month terms, leap days included", c2g, C2G_RENEWAL,
        [{"id": "yearly", "start": "2026-01-01", "end": "2026-12-31", "auto_renew": True},
         {"id": "leap", "start": "2028-02-29", "end": "2029-02-28", "auto_renew": "yes"},
         {"id": "odd", "start": "2026-01-15", "end": "2026-03-31", "auto_renew": 1},
         {"id": "no", "start": "2026-01-01", "end": "2026-12-31", "auto_renew": "no"}],
        "2031-06-01",
        "yearly: terms end 2027-12-31, ..., 2031-12-31 (term 6); leap: start + 12 months is "
        "2029-02-28 = the end, so terms end start + 12k months: 2030-02-28, 2031-02-28, "
        "2032-02-29 (term 4); odd: 76 days is no whole number of months, terms repeat 76 "
        "days; no: the schedule stays on 2026-12-31")
    add("errors in place: unknown path, unknown completed milestone", c2g, C2G_RENEWAL,
        [{"id": "path", "start": "2026-01-01", "end": "2026-12-31", "path": "exit"},
         {"id": "done", "start": "2026-01-01", "end": "2026-12-31", "completed": ["signing"]},
         {"id": "ok", "start": "2026-01-01", "end": "2026-12-31"}], "2026-10-15",
        "paths are renewal and departure; `signing` is no milestone; ok: value documentation "
        "2026-10-02 .. 2026-10-31 is open")

    months = Playbook([
        Milestone("month_before", "A month before", -1, "CSM", unit="months"),
        Milestone("at_end", "End", 0, "CSM"),
        Milestone("month_after", "A month after", 1, "CSM", unit="months"),
        Milestone("year_after", "A year after", 12, "CSM", unit="months")])
    text = "\n".join([
        'kind = "renewal"', 'id = "renewal/months"', 'version = "1.0.0"',
        'title = "Month offsets"', 'source = "tests/vectors/generate.py"', "",
        "[[milestones]]", 'id = "month_before"', 'label = "A month before"', "offset = -1",
        'unit = "months"', 'owner = "CSM"', "", "[[milestones]]", 'id = "at_end"',
        'label = "End"', "offset = 0", 'owner = "CSM"', "", "[[milestones]]",
        'id = "month_after"', 'label = "A month after"', "offset = 1", 'unit = "months"',
        'owner = "CSM"', "", "[[milestones]]", 'id = "year_after"', 'label = "A year after"',
        "offset = 12", 'unit = "months"', 'owner = "CSM"', ""])
    add("calendar months: Jan 31 + 1 month, Mar 31 - 1 month, Feb 29 + 12 months",
        inline(text), months,
        [{"id": "jan31", "start": "2026-02-01", "end": "2027-01-31"},
         {"id": "jan31-leap", "start": "2027-02-01", "end": "2028-01-31"},
         {"id": "mar31", "start": "2026-04-01", "end": "2027-03-31"},
         {"id": "mar31-leap", "start": "2027-04-01", "end": "2028-03-31"},
         {"id": "feb29", "start": "2027-03-01", "end": "2028-02-29"},
         {"id": "aug31", "start": "2025-09-01", "end": "2026-08-31"}], "2026-01-01",
        "Jan 31 + 1 month = Feb 28 (2027) / Feb 29 (2028); Mar 31 - 1 month = Feb 28 / Feb "
        "29; Feb 29 2028 + 12 months = Feb 28 2029 and - 1 month = Jan 29; Aug 31 - 1 month "
        "= Jul 31, + 1 = Sep 30")

    bd_book = Playbook([
        Milestone("prep", "Preparation", -10, "CSM", unit="business_days"),
        Milestone("call", "Call", -30, "CSM", adjust="previous_working_day"),
        Milestone("sign", "Signature", -1, "CSM", unit="business_days"),
        Milestone("kickoff", "Kickoff", 2, "CSM", unit="business_days")], calendar=BERLIN)
    text = "\n".join([
        'kind = "renewal"', 'id = "renewal/business-days"', 'version = "1.0.0"',
        'title = "Business-day offsets"', 'source = "tests/vectors/generate.py"', "",
        "[[milestones]]", 'id = "prep"', 'label = "Preparation"', "offset = -10",
        'unit = "business_days"', 'owner = "CSM"', "", "[[milestones]]", 'id = "call"',
        'label = "Call"', "offset = -30", 'adjust = "previous_working_day"', 'owner = "CSM"',
        "", "[[milestones]]", 'id = "sign"', 'label = "Signature"', "offset = -1",
        'unit = "business_days"', 'owner = "CSM"', "", "[[milestones]]", 'id = "kickoff"',
        'label = "Kickoff"', "offset = 2", 'unit = "business_days"', 'owner = "CSM"', ""])
    add("business-day offsets and moving dates off weekends and holidays (Berlin)",
        inline(text, name="rubrics/renewal/business-days.toml"), bd_book,
        [{"id": "new-year", "start": "2026-01-01", "end": "2026-12-31"},
         {"id": "easter", "start": "2026-03-31", "end": "2027-03-30"},
         {"id": "sunday", "start": "2026-05-04", "end": "2027-05-02"}], "2026-06-01",
        "new-year (Thu 31 Dec): 10 working days back skip Christmas: Wed 16 Dec; call Tue 1 "
        "Dec; sign Wed 30 Dec; kickoff skips New Year's Day: Tue 5 Jan. easter (Tue 30 Mar "
        "2027): sign skips Easter Monday and Good Friday: Thu 25 Mar; call: 28 Feb is a "
        "Sunday, moved back to Fri 26 Feb; sunday (Sun 2 May 2027): the end date is not "
        "counted: sign Fri 30 Apr, kickoff Tue 4 May, prep Mon 19 Apr",
        opts={"calendar": "rubrics/calendars/business-hours-berlin.toml"})
    case(cs, "business-day offsets without a calendar are a request error",
         inline(text, name="rubrics/renewal/business-days.toml"), "renewals",
         [{"id": "x", "start": "2026-01-01", "end": "2026-12-31"}], {"today": "2026-06-01"},
         error="invalid_options")


# Seed 001 "Success Metrics Framework" targets, seed 002 "Customer Success Metrics", seed 004
# "Retention Metrics" / "Satisfaction" / "Expansion Revenue".
KPI_001 = {"grr": (">", 90), "nrr": (">", 110), "logo_retention": (">", 95), "nps": (">", 50),
           "csat_mean": (">", "4.5"), "avg_health": (">", 80), "at_risk_share": ("<", 10),
           "value_realization": (">", 85), "time_to_first_value": ("<", 60)}
KPI_002 = {"nrr": (">=", 120), "grr": (">=", 95), "logo_churn": ("<", 5), "nps": (">=", 50)}
KPI_004 = {"grr": (">", 95), "nrr": (">=", 145), "logo_churn": ("<", 5), "contraction": ("<", 2),
           "expansion_share": (">=", 45), "time_to_first_value": ("<", 30), "nps": (">", 50),
           "csat_mean": (">", "4.5")}


def kpi_cases():
    cs = vector_file("kpi", "portfolio",
                     "Portfolio KPIs with exact numerators and denominators, rounded once, "
                     "judged against the seeds' targets; undefined values and rejected rows")

    def add(name, path, targets, rows, why, **kw):
        case(cs, name, path, "kpi", rows, None, kpi_report(rows, targets, **kw), why=why)
    readme = [
        {"id": "acme", "mrr_start": 10000, "mrr_end": 12500, "nps": 10, "csat": 5, "ces": 6,
         "health": 88, "value_realized": "yes"},
        {"id": "northwind", "mrr_start": 8000, "mrr_end": 8000, "nps": 9, "csat": 5, "ces": 5,
         "health": 82, "value_realized": "yes"},
        {"id": "globex", "mrr_start": 5000, "mrr_end": 4500, "nps": 7, "csat": 4, "ces": 4,
         "health": 71, "value_realized": "yes"},
        {"id": "initech", "mrr_start": 3000, "mrr_end": 0, "churned": "yes", "nps": 3, "csat": 2,
         "ces": 2, "health": 41, "value_realized": "no"},
        {"id": "umbrella", "mrr_start": 2000, "mrr_end": 2600, "nps": 9, "csat": 4, "ces": 6,
         "health": 79, "value_realized": "yes"},
        {"id": "hooli", "mrr_end": 1500, "nps": 8, "csat": 4, "ces": 5, "health": 65,
         "time_to_first_value_days": 28},
        {"id": "stark", "mrr_end": 2500, "nps": 10, "csat": 5, "ces": 7, "health": 90,
         "time_to_first_value_days": 35}]
    add("README portfolio against seed 001 targets", "rubrics/kpi/slavkokernel.toml", KPI_001,
        readme,
        "start 28000; expansion 2500 + 600 = 3100; contraction 500; churn 3000: NRR 27600 / "
        "28000 = 98.571...% -> 98.57; GRR 24500 / 28000 = 87.50; NPS (4 - 1) / 7 = 42.86; "
        "expansion share 3100 / (3100 + 4000) = 43.66; CSAT mean 29 / 7 = 4.14; health 516 "
        "/ 7 = 73.71; TTFV 63 / 2 = 31.50")
    add("the same portfolio against seed 004 targets", "rubrics/kpi/cradle-to-grave.toml",
        KPI_004, readme, "contraction 500 / 28000 = 1.79 (< 2: met); logo churn 1 / 5 = 20 "
        "(missed); TTFV 31.50 is not < 30")
    growth = [
        {"id": "a", "mrr_start": 1000, "mrr_end": 1300, "nps": 9},
        {"id": "b", "mrr_start": 1000, "mrr_end": 1000, "nps": 10},
        {"id": "c", "mrr_start": 1000, "mrr_end": 1300, "nps": 8},
        {"id": "d", "mrr_start": 1000, "mrr_end": 1000, "nps": 6},
        {"id": "e", "mrr_start": 1000, "mrr_end": 1400, "nps": 9}]
    add("targets exactly met: >= holds at the value, > does not", "rubrics/kpi/ai-ecosystem.toml",
        KPI_002, growth,
        "NRR (5000 + 1000) / 5000 = 120.00: >= 120 met; GRR 100 >= 95; churn 0 < 5; NPS (3 "
        "- 1) / 5 = 40 < 50: missed")
    add("the same portfolio: NPS 40 under seed 004's > 50", "rubrics/kpi/cradle-to-grave.toml",
        KPI_004, growth, "NRR 120 is below 145; GRR 100 > 95 met; no new customers: expansion "
        "share 1000 / 1000 = 100")
    edge = [{"id": f"r{i}", "nps": n} for i, n in enumerate([9, 9, 9, 10, 10, 10, 7, 8, 8, 6], 1)]
    add("NPS exactly at 50 misses `> 50`", "rubrics/kpi/slavkokernel.toml", KPI_001, edge,
        "6 promoters (9-10) - 1 detractor (0-6) of 10 responses = 50.00, not above 50; 7 and "
        "8 are passives")
    surveys = [{"id": "s1", "nps": 10, "csat": 5, "ces": 7},
               {"id": "s2", "nps": 9, "csat": 4, "ces": 5},
               {"id": "s3", "nps": 8, "csat": 3, "ces": 4},
               {"id": "s4", "nps": 6, "csat": 2, "ces": 1},
               {"id": "s5", "nps": 0, "csat": 1}]
    add("survey formulas with no revenue: retention is undefined, never 0",
        "rubrics/kpi/slavkokernel.toml", KPI_001, surveys,
        "NPS 2 promoters - 2 detractors of 5 = 0.00; CSAT 4-5: 2 of 5 = 40, mean 15 / 5 = 3; "
        "CES mean 17 / 4 = 4.25, share >= 5: 2 of 4 = 50; no mrr_start: NRR/GRR/churn "
        "undefined and their targets undefined")
    bad = [{"id": "ok", "mrr_start": 800, "mrr_end": 801},
           {"id": "nps11", "nps": 11},
           {"id": "churned-paying", "mrr_start": 100, "mrr_end": 50, "churned": True},
           {"id": "negative", "mrr_start": -5, "mrr_end": 10},
           {"id": "half", "csat": "4.5"},
           {"id": "no-end", "mrr_start": 100},
           {"id": "health", "health": 101},
           {"id": "lost", "mrr_start": 200, "churned": "yes"}]
    add("rows that cannot be read are rejected and counted in no KPI",
        "rubrics/kpi/slavkokernel.toml", KPI_001, bad,
        "kept: ok and lost (churned, no mrr_end: 0); start 1000, expansion 1, churn 200: NRR "
        "801 / 1000 = 80.10; logo churn 1 of 2 = 50")
    tie = [{"id": "a", "mrr_start": 800, "mrr_end": 801},
           {"id": "b", "health": "59.995"}, {"id": "c", "health": "60"},
           {"id": "d", "time_to_first_value_days": "12.5"},
           {"id": "e", "time_to_first_value_days": "12.25"}]
    kpi_half_even = "\n".join([
        'kind = "kpi"', 'id = "kpi/half-even"', 'version = "1.0.0"', 'title = "Half-even KPIs"',
        'source = "tests/vectors/generate.py"', 'rounding = { decimals = 2, mode = "half_even" }',
        "at_risk_below = 60", "", "[[targets]]", 'kpi = "nrr"', 'op = ">"', 'value = "100.12"',
        "", "[[targets]]", 'kpi = "time_to_first_value"', 'op = "<="', 'value = "12.38"', ""])
    case(cs, "KPI rounding ties under half-even, and at-risk below 60 (exclusive)",
         inline(kpi_half_even), "kpi", tie, None,
         kpi_report(tie, {"nrr": (">", "100.12"), "time_to_first_value": ("<=", "12.38")},
                    mode="half_even"),
         why="NRR 801 / 800 = 100.125% -> 100.12 (half-even), not above 100.12; health 59.995 "
             "is at risk, 60 is not: 1 of 2 = 50; TTFV (12.5 + 12.25) / 2 = 12.375 -> 12.38 "
             "<= 12.38 met")
    case(cs, "the same ties under half-up", "rubrics/kpi/slavkokernel.toml", "kpi", tie, None,
         kpi_report(tie, KPI_001),
         why="NRR 100.125 -> 100.13; TTFV 12.375 -> 12.38; average health (59.995 + 60) / 2 = "
             "59.9975 -> 60.00")
    case(cs, "an empty portfolio: every KPI undefined", "rubrics/kpi/ai-ecosystem.toml", "kpi",
         [], None, kpi_report([], KPI_002),
         why="nothing to divide by: value null with the reason, target status undefined")


def playbook_cases():
    cs = vector_file("playbooks", "plans",
                     "Seed 001 implementation plans scheduled in Berlin business days: "
                     "packages, industries, the go-live, status, late work and slip")
    path = "rubrics/playbooks/slavkokernel-implementation.toml"

    def add(name, why, kickoff, package=None, industry=None, as_of=None, done=()):
        opts = {"kickoff": kickoff}
        if package:
            opts["package"] = package
        if industry:
            opts["industry"] = industry
        if as_of:
            opts["as_of"] = as_of
        if done:
            opts["done"] = list(done)
        exp = plan_expect(date.fromisoformat(kickoff), package, industry,
                          date.fromisoformat(as_of) if as_of else None, done)
        case(cs, name, path, "plan", None, opts, exp, why=why)
    add("docs example: standard package, three activities late",
        "standard is 8-10 weeks, scheduled to 10: the template as written; go-live = business "
        "day 50 from Mon 4 Jan 2027 = Fri 12 Mar; 8 weeks = day 40 = Fri 26 Feb; on 20 Jan "
        "the Prepare activities due Fri 15 Jan and not done are 3 working days late; the "
        "go-live slips 3 working days to Wed 17 Mar",
        "2027-01-04", package="standard", as_of="2027-01-20",
        done=["Project Kickoff", "Success Planning"])
    add("enterprise with healthcare: the longer range wins (16-24 weeks)",
        "16-24 and 14-18 -> 16-24, planned 24 weeks: Prepare is template days 0-9 scaled by "
        "2.4: days 0-23 (Mon 4 Jan - Thu 4 Feb 2027); go-live = business day 120 counting "
        "Good Friday, Easter Monday, Ascension and Whit Monday as closed: Thu 24 Jun; 16 "
        "weeks: Tue 27 Apr; the industry adds its Implement activity",
        "2027-01-04", package="enterprise", industry="healthcare")
    add("no package: the 10-week template, kickoff on a Saturday",
        "the plan starts on the next working day, Mon 7 Dec 2026; business day 49 skips "
        "Christmas Day and New Year's Day: Tue 16 Feb 2027; enablement 30/60/90 calendar "
        "days after go-live, moved to a working day; as of the kickoff (before the start): "
        "not_started",
        "2026-12-05", as_of="2026-12-05")
    add("accelerated package kicked off on Christmas Day, after go-live",
        "4-6 weeks, planned 6: days 0-29 from Mon 28 Dec 2026 (New Year's Day skipped); "
        "phases scale by 0.6: Prepare days 0-5, Implement 6-17, Validate 18-23, Launch "
        "24-29; as of the day after go-live the plan is post_launch with its enablement "
        "ahead",
        "2026-12-25", package="accelerated", as_of="2027-02-10",
        done=[a[0] for a in IMPL_ACTIVITIES])
    add("industry only, finished", "legal is 8-12 weeks: planned 12; long after the last "
        "enablement activity the plan is finished; nothing done: every activity is late, the "
        "slip is the largest lateness of a pre-launch activity",
        "2026-06-01", industry="legal", as_of="2027-06-01")
    for name, opts, code in (
        ("an unknown package", {"kickoff": "2027-01-04", "package": "gold"}, "unknown_value"),
        ("no kickoff", {"package": "standard"}, "invalid_options"),
        ("done without as_of", {"kickoff": "2027-01-04", "done": ["Handover"]}, "invalid_options"),
        ("done naming no activity", {"kickoff": "2027-01-04", "as_of": "2027-02-01",
                                     "done": ["Party"]}, "invalid_input"),
        ("a kickoff that is not a date", {"kickoff": "2027-13-04"}, "invalid_options"),
    ):
        case(cs, name, path, "plan", None, opts, error=code)
    case(cs, "a plan takes no rows", path, "plan", [{"id": "x"}], {"kickoff": "2027-01-04"},
         error="invalid_options")

    cs = vector_file("playbooks", "triage",
                     "Ticket triage (seed 001 Issue Prioritization) and routing; the fallback "
                     "route for tickets no routing rule matches")
    path = "rubrics/playbooks/slavkokernel-triage.toml"
    tickets = [
        {"id": "T-100", "system_down": True, "impact": "moderate", "category": "outage",
         "tier": "standard"},
        {"id": "T-101", "impact": "severe", "category": "integration", "tier": "premium"},
        {"id": "T-102", "impact": "significant", "workaround": "no", "category": "integration",
         "tier": "standard"},
        {"id": "T-103", "impact": "significant", "workaround": "yes", "category": "technical",
         "tier": "premium"},
        {"id": "T-104", "impact": "moderate", "category": "how_to", "tier": "white_glove"},
        {"id": "T-105", "impact": "minimal", "category": "enhancement", "tier": "enterprise"},
        {"id": "T-106", "impact": "minimal", "category": "billing", "tier": "enterprise"},
        {"id": "T-107", "impact": "huge", "category": "billing", "tier": "enterprise"},
        {"id": "T-108", "impact": "moderate", "category": "documentation"}]
    case(cs, "every priority rule and the routing table", path, "triage", tickets, None,
         triage_expect(tickets),
         why="P1 when the system is down or impact is severe; P2 significant without a "
             "workaround, P3 with one or moderate, P4 minimal; routing: white glove first, "
             "then P1 technical, technical, integration, how-to, enhancement; billing "
             "matches no rule: fallback with a warning; `huge` is no impact; a ticket "
             "without a tier cannot be routed (routing tests `tier`)")

    cs = vector_file("playbooks", "capacity",
                     "CSM capacity: ceil(n / high) .. ceil(n / low) per role, the roster "
                     "against it, uncovered and overloaded owners, the 80/20 split")
    path = "rubrics/playbooks/slavkokernel-capacity.toml"
    portfolio = ([{"id": f"E-{i}", "segment": "enterprise", "tier": "strategic" if i <= 3 else "standard",
                   "csm": "Ana"} for i in range(1, 10)] +
                 [{"id": f"S-{i}", "segment": "strategic", "tier": "strategic", "csm": "Bo",
                   "implementing": "yes" if i <= 2 else "no"} for i in range(1, 4)] +
                 [{"id": "S-4", "segment": "strategic", "tier": "standard", "csm": "Zoe"}] +
                 [{"id": f"G-{i}", "segment": "growth", "tier": "standard", "csm": "Cy",
                   "implementing": i <= 2} for i in range(1, 7)] +
                 [{"id": "G-7", "segment": "growth", "tier": "standard", "csm": "Bo"},
                  {"id": "G-8", "segment": "growth", "tier": "standard"},
                  {"id": "X-1", "segment": "smb", "tier": "standard"}])
    roster = [{"id": "Ana", "role": "CSM (Enterprise)"}, {"id": "Bo", "role": "CSM (Strategic)"},
              {"id": "Cy", "role": "CSM (Growth)"}, {"id": "Di", "role": "Implementation Specialist"}]
    exp = capacity_expect(portfolio, roster)
    case(cs, "a portfolio against its roster", path, "capacity", portfolio,
         {"roster": roster}, exp,
         why="enterprise 9 accounts at 5-8: ceil(9/8) = 2 .. ceil(9/5) = 2, 1 on the roster: "
             "short by 1; strategic 4 at 10-15: 1..1; growth 8 at 20-30: 1..1; implementing "
             "4 at 3-5: 1..2; Ana carries 9 > 8: overloaded; S-4's CSM is not on the roster, "
             "G-7's CSM is strategic, G-8 has none, no role serves smb; split 6 strategic of "
             "21 = 28.57, standard 15 = 71.43")
    exp = capacity_expect(portfolio[:12])
    case(cs, "without a roster: headcount only", path, "capacity", portfolio[:12], None, exp,
         why="12 accounts: enterprise 9, strategic 3 (2 implementing); no roster: no status, "
             "nothing uncovered for a missing roster; split 6 / 12 = 50 each")

    cs = vector_file("playbooks", "interventions",
                     "Seed 001 intervention and risk playbooks: the risk level from the band "
                     "and flagged risks, the playbooks that apply, exit conditions")
    path = "rubrics/playbooks/slavkokernel-interventions.toml"
    accounts = [
        {"id": "A-1", "band": "Moderate", "start": "2027-01-04", "risks": ["adoption"],
         "measured": "2027-02-01", "baseline_usage": 40, "current_usage": 46},
        {"id": "A-2", "band": "Good", "start": "2027-01-04", "risks": "technical;value",
         "measured": "2027-02-03", "baseline_open_technical_issues": 5,
         "current_open_technical_issues": 5, "baseline_success_metric_progress": 10,
         "current_success_metric_progress": 10},
        {"id": "A-3", "band": "At Risk", "start": "2027-01-04", "measured": "2027-03-05",
         "baseline_health_score": 45, "current_health_score": "45.5"},
        {"id": "A-4", "band": "Critical", "start": "2027-01-04", "risks": ["competitive"]},
        {"id": "A-5", "band": "Excellent", "start": "2027-01-04"},
        {"id": "A-6", "band": "Green", "start": "2027-01-04", "risks": ["contract", "relationship"]},
        {"id": "A-7", "band": "Amber", "start": "2027-01-04"},
        {"id": "A-8", "band": "Good", "start": "2027-01-04", "risks": ["weather"]}]
    case(cs, "risk levels, playbooks and exit checks", path, "interventions", accounts, None,
         interventions_expect(accounts),
         why="A-1: Moderate -> medium (due start + 60); adoption playbook due +30, usage up "
             "by 6 measured before the due date: met; A-2: Good -> low, technical and value "
             "raise it to medium; open issues did not decrease and the window (due 3 Feb) is "
             "over: missed; value progress not up, its window runs to 5 Mar: open; A-3: At "
             "Risk -> high (+90), rescue playbook due +60, health up 0.5 on the due date: "
             "met; A-4: Critical, competitive raises nothing (high < critical), due at once; "
             "A-6: Green -> low, contract raises to high (relationship only medium); Amber "
             "is no band; weather is no risk")


def truthy(v):
    """The scripts' `flag()`: true, "true"/"yes"/"y"/"1" or a non-zero number."""
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    try:
        return F(v) != 0
    except (ValueError, TypeError):
        return str(v).strip().lower() in ("true", "yes", "y", "1")


def capped(bands, band, cap):
    """The lower of two bands (bands sorted from the top down)."""
    labels = [b.label for b in bands]
    return band if labels.index(band.label) >= labels.index(cap) else bands[labels.index(cap)]


def gated_rows(model, rows, gate):
    """Compact answers with an adjust step: `gate(cells, result)` returns a band label cap
    (or None), applied after the weighted score, before nothing else."""
    out = []
    for i, r in enumerate(rows, start=1):
        cells = {k: v for k, v in r.items() if k != "id"}
        try:
            res = model.score({k: v for k, v in cells.items()
                               if k in model_columns(model)}, [], instant(AT))
        except HealthError as e:
            out.append(row_error(r["id"], i, e.code))
            continue
        if res["score"] is not None:
            cap = gate(cells, res)
            if cap is not None:
                res["band"] = capped(model.bands, res["band"], cap)
        out.append(model.compact(r["id"], i, res))
    return out


def model_columns(model):
    cols = set()
    for c in model.comps:
        cols.add(c.id)
        cols.update(m.id for m in c.metrics)
    return cols


def all90(id_, **extra):
    r = {"id": id_}
    r.update({c: 90 for c in SLAVKO_IDS})
    r.update(extra)
    return r


def mixed(id_, **extra):
    r = slavko_row(id_, 80, 70, 60, 50, 40)  # 62.50, Moderate
    r.update(extra)
    return r


def script_cases():
    cs = vector_file("scripts", "kinos",
                     "Seed 000 vertical adaptations as rule scripts: the KinOS Health "
                     "compliance gate and the KinOS Finance change control and availability "
                     "floor")
    path = "rubrics/health/kinos-health.toml"

    def health_gate(cells, res):
        reasons = []
        if not truthy(cells.get("baa_signed")):
            reasons.append("baa")
        audit = cells.get("compliance_audit_score")
        if audit is not None and F(audit) < 90:
            reasons.append("audit")
        if truthy(cells.get("exec_sponsor_left")):
            reasons.append("sponsor")
        return "At Risk" if reasons else None
    rows = [all90("compliant", baa_signed=True, compliance_audit_score=95),
            all90("no-baa", baa_signed=False, compliance_audit_score=95),
            mixed("audit", baa_signed="yes", compliance_audit_score=85),
            mixed("audit-edge", baa_signed="yes", compliance_audit_score=90),
            mixed("sponsor", baa_signed=True, compliance_audit_score=92, exec_sponsor_left=True),
            slavko_row("critical", 30, 30, 30, 30, 30),
            all90("baa-unknown")]
    case(cs, "KinOS Health compliance gate caps the band, never the score", path, "score", rows,
         {"at": AT}, gated_rows(SLAVKO, rows, health_gate),
         why="weights as seed 001: 90 everywhere = 90.00, 80/70/60/50/40 = 62.50; no signed "
             "BAA, an audit below 90 or a departed sponsor caps the band at At Risk; 90 is "
             "not below 90; a cap never raises Critical (30.00); a missing baa_signed is not "
             "a signed BAA")
    fpath = "rubrics/health/kinos-finance.toml"

    def finance_gate(cells, res):
        cap = None
        n = cells.get("unapproved_changes")
        if n is not None and F(n) > 0:
            cap = "Moderate"
        if truthy(cells.get("exec_sponsor_left")):
            cap = "At Risk"
        return cap
    rows = [all90("clean"), all90("changes", unapproved_changes=2),
            all90("sponsor", unapproved_changes=1, exec_sponsor_left="yes"),
            mixed("low", unapproved_changes=3), all90("zero", unapproved_changes=0)]
    case(cs, "KinOS Finance change control", fpath, "score", rows, {"at": AT},
         gated_rows(SLAVKO, rows, finance_gate),
         why="90.00 Excellent; unapproved changes cap at Moderate; a departed sponsor at At "
             "Risk; 62.50 is Moderate already; 0 changes: no cap")
    floor = F("99.9")

    def finance_tech(cells):
        v = {k: F(x) for k, x in cells.items() if k != "id"}
        tech = SLAVKO.comps[1]
        num = sum(eval_metric(m.scoring, m.direction, v[m.id], F(0), F(100)) * m.weight
                  for m in tech.metrics)
        s = num / 100
        return min(s, F(50)) if v["availability_pct"] < floor else s
    rows = [{"id": "below-floor", "availability_pct": "99.5", "error_rate_pct": "0.1",
             "p95_latency_ms": 200},
            {"id": "at-floor", "availability_pct": "99.9", "error_rate_pct": "2.55",
             "p95_latency_ms": 1100},
            {"id": "low-anyway", "availability_pct": "99.0", "error_rate_pct": 5,
             "p95_latency_ms": 2000}]
    exp = []
    for i, r in enumerate(rows, start=1):
        s = finance_tech(r)
        exp.append({"id": r["id"], "row": i, "status": "scored",
                    "score": round_str(s), "band": SLAVKO.band_for(rounded(s)).label})
    case(cs, "KinOS Finance availability floor caps technical health at 50", fpath, "score",
         rows, {"at": AT}, exp,
         why="technical health alone (renormalized): below-floor: availability (99.5-99)/0.9 "
             "= 55.56 x 40% + 100 x 30% + 100 x 30% = 82.22, capped at 50 below 99.9; "
             "at-floor: 100 x 40% + 50 x 30% + 50 x 30% = 70, no cap; low-anyway: 0, "
             "already below 50")
    case(cs, "the KinOS Health rubric passes its own examples", path, "test", None, None,
         {"passed": 6, "failed": 0},
         why="six hand-worked [[examples]] in the file, alerts included")

    cs = vector_file("scripts", "inline",
                     "Inline scripted rubrics: adjust hook results (score, band, cap_band), "
                     "component and metric scripts, and scripts that fail one row: the "
                     "operation limit, a wrong return type, a value off the scale")

    def scripted(adjust=None, comp_script=None, metric_script=None, limits=None, params=None):
        lines = ['kind = "health"', 'id = "health/scripted"', 'version = "1.0.0"',
                 'title = "Scripted"', 'source = "tests/vectors/generate.py"', 'scale = "0-100"',
                 "", "[scripts]"]
        if adjust:
            lines.append("adjust = { source = " + json.dumps(adjust) + " }")
        if limits:
            lines.append("limits = " + limits)
        if params:
            lines.append("params = " + params)
        lines += ["", "[[components]]", 'id = "usage"', "weight = 50"]
        if comp_script:
            lines.append('scoring = { type = "script", source = ' + json.dumps(comp_script) + " }")
        lines += ["", "[[components]]", 'id = "sentiment"', "weight = 50"]
        if metric_script:
            lines += ["", "  [[components.metrics]]", '  id = "nps"', "  weight = 100",
                      '  scoring = { type = "script", source = ' + json.dumps(metric_script) + " }"]
        for b in TINY_BANDS:
            lines += ["", "[[bands]]", f"min = {norm(b.min)}", f'label = "{b.label}"',
                      f'action = "{b.action}"', f'owner = "{b.owner}"', f'urgency = "{b.urgency}"']
        return inline("\n".join(lines) + "\n")
    model = Health([Comp("usage", 50), Comp("sentiment", 50)], TINY_BANDS)

    def expect(rows, adjust=lambda cells, res: res):
        out = []
        for i, r in enumerate(rows, start=1):
            cells = {k: v for k, v in r.items() if k in ("usage", "sentiment")}
            res = model.score(cells, [], instant(AT))
            res = adjust(r, res)
            if isinstance(res, str):
                out.append(row_error(r["id"], i, res))
            else:
                out.append(model.compact(r["id"], i, res))
        return out

    def bonus(r, res):
        if truthy(r.get("bonus")):
            s = min(res["score"] + 15, F(100))
            res.update(score=rounded(s), band=model.band_for(rounded(s)))
        return res
    rows = [{"id": "plain", "usage": 50, "sentiment": 60},
            {"id": "bonus", "usage": 50, "sentiment": 60, "bonus": True},
            {"id": "top", "usage": 100, "sentiment": 96, "bonus": "yes"}]
    case(cs, "adjust returns a new score: rounded and banded again",
         scripted("if flag(inputs.bonus) { min(score + 15, 100) } else { () }"), "score", rows,
         {"at": AT}, expect(rows, bonus),
         why="(50 + 60) / 2 = 55 Watch; + 15 = 70 Good (band chosen on the new score); 98 + "
             "15 is held at 100")

    def label(r, res):
        if truthy(r.get("vip")):
            res["band"] = next(b for b in TINY_BANDS if b.label == "Good")
        return res
    rows = [{"id": "vip", "usage": 10, "sentiment": 20, "vip": 1},
            {"id": "other", "usage": 10, "sentiment": 20}]
    case(cs, "adjust returns a band label: the score stays",
         scripted('if flag(inputs.vip) { "Good" } else { () }'), "score", rows, {"at": AT},
         expect(rows, label), why="15.00 stays 15.00; the band becomes Good for the vip")

    def cap_watch(r, res):
        res["band"] = capped(TINY_BANDS, res["band"], "Watch")
        return res
    rows = [{"id": "high", "usage": 90, "sentiment": 80},
            {"id": "low", "usage": 10, "sentiment": 20},
            {"id": "watch", "usage": 40, "sentiment": 41}]
    case(cs, "adjust caps the band: lowers a higher band, never raises a lower one",
         scripted('#{ cap_band: "Watch", reason: "contract under review" }'), "score", rows,
         {"at": AT}, expect(rows, cap_watch),
         why="85 Good -> Watch; 15 Rescue stays Rescue; 40.50 Watch stays")

    def map_score(r, res):
        s = res["score"] * F(params_factor)
        res.update(score=rounded(s), band=model.band_for(rounded(s)))
        return res
    params_factor = "0.5"
    rows = [{"id": "a", "usage": "70.01", "sentiment": "70"}]
    case(cs, "adjust returns a map with a score, reading `params`",
         scripted('#{ score: score * params.factor, reason: "halved" }', params="{ factor = 0.5 }"),
         "score", rows, {"at": AT}, expect(rows, map_score),
         why="(70.01 + 70) / 2 = 70.005 -> 70.01 (half-up, rounded once before the hook); "
             "the hook sees 70.01 and returns 35.005, rounded again: 35.01 Rescue")

    rows = [{"id": "direct", "usage": 30, "sentiment": 50},
            {"id": "missing", "sentiment": 50}]
    exp = []
    for i, r in enumerate(rows, start=1):
        u = r.get("usage")
        usage = 40 if u is None else min(F(u) * 2, F(100))
        s = (F(usage) + F(r["sentiment"])) / 2
        exp.append({"id": r["id"], "row": i, "status": "scored", "score": round_str(s),
                    "band": model.band_for(rounded(s)).label})
    case(cs, "a component script doubles its input and imputes 40 when it is missing",
         scripted(comp_script="if score == () { 40 } else { min(score * 2, hi) }"), "score",
         rows, {"at": AT}, exp,
         why="direct: usage 30 -> 60: (60 + 50) / 2 = 55; missing: the script scores it 40: "
             "(40 + 50) / 2 = 45")
    rows = [{"id": "promoter", "usage": 80, "nps": 10}, {"id": "detractor", "usage": 80, "nps": 4},
            {"id": "passive", "usage": 80, "nps": 8}]
    exp = []
    for i, r in enumerate(rows, start=1):
        n = r["nps"]
        sent = 100 if n >= 9 else (0 if n <= 6 else 50)
        s = (F(r["usage"]) + sent) / 2
        exp.append({"id": r["id"], "row": i, "status": "scored", "score": round_str(s),
                    "band": model.band_for(rounded(s)).label})
    case(cs, "a metric script scores NPS answers on the component scale",
         scripted(metric_script="if value >= 9 { hi } else if value <= 6 { lo } else { (lo + hi) / 2 }"),
         "score", rows, {"at": AT}, exp,
         why="promoter 100, detractor 0, passive 50: (80 + 100) / 2 = 90, 40, 65")
    rows = [{"id": "calm", "usage": 60, "sentiment": 70},
            {"id": "spin", "usage": 60, "sentiment": 70, "spin": True},
            {"id": "calm2", "usage": 20, "sentiment": 30}]
    case(cs, "a script hitting the operation limit fails that row only",
         scripted("if flag(inputs.spin) { let n = 0; loop { n += 1; } } ()",
                  limits="{ max_operations = 1000 }"), "score", rows, {"at": AT},
         expect(rows, lambda r, res: "script_limit" if truthy(r.get("spin")) else res),
         why="spin loops until the sandbox stops it after 1000 operations: script_limit for "
             "that row; calm 65.00, calm2 25.00")
    rows = [{"id": "bool", "usage": 60, "sentiment": 70, "kind": "bool"},
            {"id": "fine", "usage": 60, "sentiment": 70}]
    case(cs, "an adjust hook returning a boolean is a row error",
         scripted('if inputs.kind == "bool" { true } else { () }'), "score", rows, {"at": AT},
         expect(rows, lambda r, res: "script_return_type" if r.get("kind") else res),
         why="true is not (), a score, a band or a map: script_return_type; fine: 65.00")
    rows = [{"id": "over", "usage": 60, "sentiment": 70},
            {"id": "ok", "usage": 40, "sentiment": 70}]
    case(cs, "a component script returning a score off the scale is a row error",
         scripted(comp_script="score * 2"), "score", rows, {"at": AT},
         [row_error("over", 1, "script_value"),
          {"id": "ok", "row": 2, "status": "scored", "score": "75.00", "band": "Good"}],
         why="usage 60 x 2 = 120 > 100: script_value; ok: (80 + 70) / 2 = 75")
    rows = [{"id": "zero", "usage": 0, "sentiment": 70, "from": 0},
            {"id": "ten", "usage": 10, "sentiment": 70, "from": 10}]
    case(cs, "a runtime error in a script fails that row",
         scripted("let p = pct_change(inputs.from, 20); if p > 50 { () } else { () }"), "score",
         rows, {"at": AT},
         [row_error("zero", 1, "script_runtime"),
          {"id": "ten", "row": 2, "status": "scored", "score": "40.00", "band": "Watch"}],
         why="pct_change from 0 is an error: script_runtime; ten: (10 + 70) / 2 = 40")
    case(cs, "an undefined variable fails when the rubric loads",
         scripted("if scroe > 50 { () } else { () }"), "score", [], None,
         error="rubric_invalid")


def request_error_cases():
    cs = vector_file("errors", "requests",
                     "Whole-request errors: the rubric, the operation, the options or the "
                     "input as a whole (an `error` code instead of `expect`)")
    for name, rubric, op, input_, opts, code in (
        ("an unknown rubric kind", inline('kind = "healht"\nid = "x"\n'), "score", [], None,
         "rubric_invalid"),
        ("a rubric that is not TOML", inline('kind = "health"\nid = \n'), "score", [], None,
         "rubric_syntax"),
        ("weights that do not add up to 100",
         inline(health_toml("health/bad-weights", [Comp("a", 60), Comp("b", 30)], TINY_BANDS)),
         "score", [], None, "rubric_invalid"),
        ("a calendar has no `score`", "rubrics/calendars/always-open.toml", "score", [], None,
         "unsupported_operation"),
        ("business time takes no options", "rubrics/calendars/always-open.toml",
         "business_time", [], {"zone": "UTC"}, "invalid_options"),
        ("an SLA instant that is not a date", "rubrics/escalation/slavkokernel-sla.toml", "sla",
         [], {"at": "monday"}, "invalid_options"),
        ("escalation input that is not a list", "rubrics/escalation/slavkokernel-risk.toml",
         "escalate", {"id": "a"}, {"at": "2026-11-23T10:00:00Z"}, "input_file"),
        ("a minimum score that is not a number", "rubrics/priority/kinos.toml", "prioritize",
         [], {"min_score": "high"}, "invalid_options"),
        ("a renewal day that is not a date", "rubrics/renewal/slavkokernel.toml", "renewals",
         [], {"today": "23/11/2026"}, "invalid_options"),
        ("a renewal calendar that does not exist", "rubrics/renewal/slavkokernel.toml",
         "renewals", [], {"today": "2026-11-23", "calendar": "rubrics/calendars/mars.toml"},
         "rubric_io"),
        ("kpi takes no options", "rubrics/kpi/slavkokernel.toml", "kpi", [], {"period": "q1"},
         "invalid_options"),
        ("a capacity roster that is not a list", "rubrics/playbooks/slavkokernel-capacity.toml",
         "capacity", [], {"roster": "Ana"}, "invalid_options"),
        ("triage takes no options", "rubrics/playbooks/slavkokernel-triage.toml", "triage", [],
         {"strict": True}, "invalid_options"),
    ):
        case(cs, name, rubric, op, input_, opts, error=code)


# --------------------------------------------------------------------------------------
# The explanation ledger (README "Explained", "What would it take")
# --------------------------------------------------------------------------------------

LEDGER_PLACES = 20  # effective weights and contributions: 20 decimals, the last takes the rest


def shares(weights, parts_total):
    """Each weight's share of `parts_total` (already a total of `weights`), rounded to 20
    decimals half-even, the last one taking the remainder, so the shares add up exactly."""
    total = sum(weights)
    out, left = [], F(parts_total)
    for i, w in enumerate(weights):
        if i == len(weights) - 1:
            out.append(left)
        else:
            s = round_dp_even(w * F(parts_total) / total, LEDGER_PLACES)
            out.append(s)
            left -= s
    return out


def explain_expect(model, id_, row_no, cells, as_of=AT, overrides=(), scripted=()):
    """The `explain` answer of one scored account, from this script's model."""
    ovs = [dict(o, expires=expiry(o["expires"])) if o.get("expires") else o for o in overrides]
    res = model.score(cells, ovs, instant(as_of))
    raw = res["raw"]
    assert raw is not None and terminates(raw, 20), f"{id_}: choose inputs with an exact raw score"
    lines, counted = res["lines"], res["counted"]
    span = model.top - model.bottom
    idx = [i for i, k in enumerate(counted) if k is not None]
    eff = dict(zip(idx, shares([model.comps[i].weight for i in idx], 100)))
    terms = res["agg"][2]
    contrib = {}
    left = raw - model.bottom
    for n, i in enumerate(idx):
        if n == len(idx) - 1:
            contrib[i] = left
        else:
            contrib[i] = round_dp_even(terms[i] / res["agg"][1], LEDGER_PLACES)
            left -= contrib[i]
    comps = []
    for i, (c, line) in enumerate(zip(model.comps, lines)):
        o = {"id": c.id, "source": line["source"],
             "input": None if line["input"] is None else norm(line["input"]),
             "computed_score": None if line["computed"] is None else norm(line["computed"]),
             "score": None if line["score"] is None else norm(line["score"]),
             "declared_weight": norm(c.weight),
             "effective_weight": norm(eff.get(i, 0)), "contribution": norm(contrib.get(i, 0))}
        if line["metrics"]:
            present = [m for m in c.metrics if any(x[0] == m.id for x in line["metrics"])]
            mshares = dict(zip([m.id for m in present], shares([m.weight for m in present], 100)))
            o["metrics"] = []
            for m in c.metrics:
                got = next((x for x in line["metrics"] if x[0] == m.id), None)
                o["metrics"].append({
                    "id": m.id, "value": None if got is None else norm(got[1]),
                    "score": None if got is None else norm(got[2]),
                    "declared_weight": norm(m.weight),
                    "effective_weight": norm(mshares.get(m.id, 0))})
        comps.append(o)
    band = res["band"]
    out = {"id": id_, "row": row_no, "status": "scored", "score": model.fmt_score(res["score"]),
           "raw_score": norm(raw),
           "band": {"label": band.label, "min": norm(band.min), "action": band.action,
                    "owner": band.owner, "urgency": band.urgency},
           "computed_band": res["computed_band"].label,
           "measured_weight": norm(res["measured_weight"]), "components": comps,
           "what_it_takes": what_it_takes(model, res, scripted)}
    return out


def what_it_takes(model, res, scripted=()):
    """For an account below the top band: per component (others held), the smallest value
    on the rubric's precision grid that lifts the rounded score into the next band up."""
    cb = res["computed_band"]
    pos = model.bands.index(cb)
    if pos == 0:
        return None
    nxt = model.bands[pos - 1]
    ulp = Fraction(1, 10**model.decimals)
    lines, counted = res["lines"], res["counted"]

    def reaches(i, s):
        trial = list(counted)
        trial[i] = s
        agg = model.aggregate(trial)
        return agg is not None and rounded(agg[0], model.decimals, model.mode) >= nxt.min
    out = []
    for i, (c, line) in enumerate(zip(model.comps, lines)):
        lo, hi = model.bounds(c)
        on = "component_score" if line["source"] == "metrics" else "input"
        base = {"component": c.id, "on": on}
        if c.id in scripted and line["source"] != "override":
            out.append(dict(base, reachable=False,
                            current=None if line["score"] is None else norm(line["score"]),
                            required=None, change=None,
                            note="scored by a script: the needed input cannot be solved for"))
            continue
        if line["source"] == "override":
            out.append(dict(base, reachable=False, current=norm(line["score"]), required=None,
                            change=None,
                            note="overridden by a CSM; the override decides this component"))
            continue
        cur = counted[i]
        if line["source"] == "missing_renormalized" or cur is None:
            out.append(dict(base, reachable=False, current=None, required=None, change=None,
                            note="missing: supply this component to see its effect"))
            continue

        def to_input(s):
            return lo + hi - s if on == "input" and c.direction == "lower" else s
        if on == "input":
            current = line["input"] if line["input"] is not None else to_input(cur)
        else:
            current = cur
        if not reaches(i, hi):
            out.append(dict(base, reachable=False, current=norm(current), required=None,
                            change=None, note="not reachable by this component alone"))
            continue
        k = -(-cur.numerator * ulp.denominator // (cur.denominator * ulp.numerator))  # ceil
        s = k * ulp
        while not reaches(i, min(s, hi)):
            s += ulp
        s = min(s, hi)
        req = to_input(s)
        out.append(dict(base, reachable=True, current=norm(current), required=norm(req),
                        change=norm(req - current)))
    return {"next_band": nxt.label, "next_band_min": norm(nxt.min), "components": out}


def explain_cases():
    cs = vector_file("health", "explain",
                     "The `explain` ledger: sources, declared and effective weights, "
                     "contributions adding up to the raw score, metric lines, overrides and "
                     "what it would take to reach the next band")
    path = "rubrics/health/slavkokernel.toml"
    rows = [("delta", {"product_adoption": 70, "technical_health": 65, "business_outcomes": 72,
                       "relationship_health": 60, "growth_potential": 55}, ()),
            ("renormalized", {"product_adoption": 68, "technical_health": 68,
                              "business_outcomes": 68, "relationship_health": 68}, ()),
            ("metrics", {"active_users_pct": 60, "feature_adoption_pct": 70,
                         "usage_days_per_week": 4, "exec_meetings_per_quarter": 2,
                         "team_satisfaction": 4, "business_outcomes": 44}, ()),
            ("overridden", {"product_adoption": 50, "technical_health": 50,
                            "business_outcomes": 50, "relationship_health": 50,
                            "growth_potential": 50},
             ({"component": "technical_health", "score": 70, "author": "li", "reason": "fixed"},
              {"band": "Good", "author": "li", "reason": "renewal signed",
               "expires": "2026-12-31"}))]
    inputs = []
    exp = []
    for n, (id_, cells, ovs) in enumerate(rows, start=1):
        r = {"id": id_}
        r.update(cells)
        if ovs:
            r["overrides"] = list(ovs)
        inputs.append(r)
        exp.append(explain_expect(SLAVKO, id_, n, cells, overrides=ovs))
    exp[3]["band_override"] = {"value": "Good", "computed": "At Risk", "author": "li",
                               "reason": "renewal signed", "expires": "2027-01-01T00:00:00Z",
                               "counts": True}
    exp[3]["band"] = {"label": "Good", "min": "70", "action": SLAVKO_BANDS[1].action,
                      "owner": "CSM", "urgency": "Low"}
    exp[3]["components"][1]["override"] = {"value": "70", "computed": "50", "author": "li",
                                           "reason": "fixed", "expires": None, "counts": True}
    case(cs, "ledger lines add up: direct, renormalized, metrics, overrides", path, "score",
         inputs, {"at": AT, "explain": True}, exp,
         why="delta: 17.5 + 13 + 18 + 9 + 8.25 = 65.75; to reach Good (69.995) product "
             "adoption needs 70 + 4.245 / .25 = 86.98; renormalized: weights 25/85, 20/85... "
             "(20 decimals, the last takes the rest), 68 everywhere = 68; metrics: product "
             "adoption 75*40 + 100*35 + 80*25 = 85, relationship 80*50 + 75*50 = 77.5: "
             "(85*25 + 77.5*15 + 44*25) / 65 = 4387.5 / 65 = 67.5; overridden: technical "
             "health 70 counts: 50 + 4 = 54 (At Risk), the band override makes it Good")


def explain_more_cases():
    cs = FILES[("health", "explain")]["cases"]
    comps = [Comp("usage", 40), Comp("latency", 30, direction="lower"), Comp("sentiment", 30)]
    for mode in ("half_up", "half_even"):
        rub, model = tiny(mode=mode, comps=comps)
        rows = [("lower", {"usage": 60, "latency": 35, "sentiment": 55}),
                ("unreachable", {"usage": 10, "latency": 90, "sentiment": 20})]
        exp = [explain_expect(model, i, n, c) for n, (i, c) in enumerate(rows, start=1)]
        inputs = [dict(c, id=i) for i, c in rows]
        case(cs, f"what it takes with a lower-is-better input under {mode}", rub, "score",
             inputs, {"at": AT, "explain": True}, exp,
             why="lower: .4*60 + .3*(100-35) + .3*55 = 24 + 19.5 + 16.5 = 60 (Watch); Good "
                 "needs 69.995 (half-up) or 69.995 rounding to 70 (half-even: 70.00, 0 even): "
                 "usage +24.99, latency input down to 1.67, sentiment +33.32 (capped 100: "
                 "not reachable); unreachable: 4 + 3 + 6 = 13, Watch (40) needs +27: only "
                 "usage or nothing")
    rows = [("pts", {"usage": 24, "business_value": "20.5", "relationship": 10, "growth": 5})]
    exp = [explain_expect(C2G, i, n, c) for n, (i, c) in enumerate(rows, start=1)]
    for e in exp:
        e["band"] = {"label": e["band"]["label"], "min": e["band"]["min"]}
    case(cs, "points: a component's ledger is in points, what it takes too",
         "rubrics/health/cradle-to-grave.toml", "score", [dict(c, id=i) for i, c in rows],
         {"at": AT, "explain": True}, exp,
         why="24 + 20.5 + 10 + 5 = 59.5 (Red); Yellow needs 59.995: usage 24.5, business "
             "value 21, relationship 10.5, growth 5.5 (each + 0.5)")
    rub, model = tiny(policy="zero")
    rows = [("imputed", {"usage": 50, "outcomes": 40})]
    exp = [explain_expect(model, i, n, c) for n, (i, c) in enumerate(rows, start=1)]
    case(cs, "a component imputed under `zero` keeps its weight and can still lift",
         rub, "score", [dict(c, id=i) for i, c in rows], {"at": AT, "explain": True}, exp,
         why="25 + 0 (sentiment, missing, scored 0 with its 30%) + 8 = 33 (Rescue); measured "
             "70%; Watch at 40 needs sentiment 23.32, usage 64, outcomes 75")


def probe_cases():
    cs = vector_file("calendar", "dst-gaps",
                     "Local times skipped or repeated by DST inside open hours: a skipped "
                     "time is the instant of the jump, a repeated one its first occurrence")
    early = inline("\n".join([
        'kind = "calendar"', 'id = "calendars/early-shift"', 'version = "1.0.0"',
        'title = "Early shift, Berlin"', 'source = "tests/vectors/generate.py"',
        'zone = "Europe/Berlin"', "", "[[hours]]",
        'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]', 'open = "02:30"',
        'close = "04:00"', ""]), name="rubrics/calendars/early-shift.toml")
    ecal = Cal("calendars/early-shift", "Europe/Berlin", [(DAY_NAMES, "02:30", "04:00")])
    rows = [{"id": "spring", "start": "2026-03-29T00:00:00+01:00", "end": "2026-03-30T00:00:00+02:00"},
            {"id": "fall", "start": "2026-10-25T00:00:00+02:00", "end": "2026-10-26T00:00:00+01:00"},
            {"id": "normal", "start": "2026-03-28T00:00:00+01:00", "end": "2026-03-29T00:00:00+01:00"},
            {"id": "add", "start": "2026-03-28T03:30:00+01:00", "add": "1h"},
            {"id": "add-fall", "start": "2026-10-25T02:45:00+02:00", "add": "2h"}]
    case(cs, "an open interval starting in the spring-forward gap", early, "business_time",
         rows, None, bt_expect(ecal, rows),
         why="29 March: 02:30 does not exist; the day opens at the jump (01:00Z = 03:00 CEST) "
             "and closes 04:00 CEST: 1h; 25 October: 02:30 CEST (first occurrence, 00:30Z) to "
             "04:00 CET (03:00Z): 2h 30m; a normal day 1h 30m; Sat 03:30 + 1h: 30m Saturday, "
             "30m from Sunday's opening at the jump: 03:30 CEST; 02:45 CEST on 25 October "
             "(00:45Z) + 2h = 02:45Z = 03:45 CET")
    cs = vector_file("sla", "inline-matrices",
                     "Inline escalation matrices: response times in business time, the "
                     "collect hit policy, a `within` of business days")
    matrix_text = "\n".join([
        'kind = "escalation"', 'id = "escalation/inline"', 'version = "1.0.0"',
        'title = "Inline matrix"', 'source = "tests/vectors/generate.py"', 'hit_policy = "collect"',
        'gaps = "warn"', 'calendar = "../calendars/business-hours-berlin.toml"', "",
        "[[inputs]]", 'name = "severity"', 'values = ["low", "high"]', "",
        "[[inputs]]", 'name = "vip"', "boolean = true", "",
        "[[levels]]", 'level = "Manager"', 'owner = "Support Manager"', 'within = "2h"',
        'when = { severity = "high" }', "",
        "[[levels]]", 'level = "Account"', 'owner = "CSM"', 'within = "1bd"',
        'when = { vip = true }', "",
        "[[levels]]", 'level = "Queue"', 'owner = "Support"', 'within = "30m"',
        'when = { severity = ["low", "high"], vip = false }', ""])
    m = Matrix([("severity", ["low", "high"], None), ("vip", BOOL, "false")],
               [dict(level="Manager", owner="Support Manager", within="2h",
                     when={"severity": ["high"]}),
                dict(level="Account", owner="CSM", within="1bd", when={"vip": ["true"]}),
                dict(level="Queue", owner="Support", within="30m",
                     when={"severity": ["low", "high"], "vip": ["false"]})], hit="collect")

    def deadline_in_business_time(since, within):
        kind, amount = parse_target(within)
        return (BERLIN.add_working_time(since, amount) if kind == "open"
                else BERLIN.add_business_days(since, amount))
    rows = [{"id": "both", "severity": "high", "vip": True, "since": "2026-11-27T16:00:00+01:00"},
            {"id": "high", "severity": "high", "since": "2026-11-27T16:45:00+01:00"},
            {"id": "low-vip", "severity": "low", "vip": "yes", "since": "2026-11-28T10:00:00+01:00"}]
    exp = []
    for i, r in enumerate(rows, start=1):
        since = instant(r["since"])
        facts = {k: (("true" if v else "false") if isinstance(v, bool) else str(v))
                 for k, v in r.items() if k != "id"}
        matches = m.evaluate(facts, since)
        for x in matches:
            x["deadline"] = rfc3339(deadline_in_business_time(since, x["within"]))
        exp.append({"id": r["id"], "row": i, "hit_policy": "collect", "matches": matches})
    case(cs, "collect every matching row, deadlines in Berlin business hours",
         inline(matrix_text, name="rubrics/escalation/inline-matrix.toml"), "escalate", rows,
         {"at": "2026-11-27T12:00:00Z"}, exp,
         why="both: Manager (Fri 16:00 + 2h = Mon 10:00) and Account (+1bd = Mon 16:00); "
             "high: Manager (Fri 16:45-17:00 + Mon 09:00-10:45) and Queue (30m: 15m Friday, "
             "15m Monday: 09:15); low-vip on a Saturday: Account, the close of Monday")
    cs = vector_file("sla", "inline-alerts",
                     "Inline alert rules: `at_least` thresholds (inclusive), a band of values "
                     "(at_least and at_most), business-day deadlines")
    text = "\n".join([
        'kind = "alerts"', 'id = "escalation/inline-alerts"', 'version = "1.0.0"',
        'title = "Inline alerts"', 'source = "tests/vectors/generate.py"',
        'calendar = "../calendars/business-hours-new-york.toml"', "",
        "[[alerts]]", 'id = "ticket_spike"', 'title = "Ticket spike"',
        'trigger = "10+ tickets in a week"', 'column = "tickets_7d"', "at_least = 10",
        'protocol = "Support review"', 'owner = "CS Engineer"', 'sla = "1bd"', "",
        "[[alerts]]", 'id = "lukewarm"', 'title = "Lukewarm NPS"', 'trigger = "NPS 7-8"',
        'column = "nps"', "at_least = 7", "at_most = 8", 'protocol = "Check-in"',
        'owner = "CSM"', 'sla = "3h"', ""])
    rows = [{"id": "spike", "tickets_7d": 10, "nps": "8", "detected_at": "2026-11-25T15:00:00-05:00"},
            {"id": "calm", "tickets_7d": "9.99", "nps": 9, "detected_at": "2026-11-25T15:00:00-05:00"},
            {"id": "edge", "nps": 7, "detected_at": "2026-07-02T15:30:00-04:00"}]
    exp = []
    for i, r in enumerate(rows, start=1):
        det = instant(r["detected_at"])
        fired = []
        t = r.get("tickets_7d")
        if t is not None and F(t) >= 10:
            fired.append({"alert": "ticket_spike", "owner": "CS Engineer", "sla": "1bd",
                          "due": rfc3339(NEW_YORK.local(NEW_YORK.add_business_days(det, 1))),
                          "because": f"tickets_7d = {norm(F(t))}"})
        n = r.get("nps")
        if n is not None and 7 <= F(n) <= 8:
            fired.append({"alert": "lukewarm", "owner": "CSM", "sla": "3h",
                          "due": rfc3339(NEW_YORK.local(NEW_YORK.add_working_time(
                              det, timedelta(hours=3)))),
                          "because": f"nps = {norm(F(n))}"})
        exp.append({"id": r["id"], "row": i, "alerts": fired})
    case(cs, "thresholds from below and a band of values, on New York time",
         inline(text, name="rubrics/escalation/inline-alerts.toml"), "alerts", rows,
         {"at": "2026-11-25T20:00:00Z"}, exp,
         why="10 >= 10 fires, 9.99 does not; NPS 7 and 8 are in 7..8, 9 is not; Wed 25 Nov "
             "15:00 + 1bd skips Thanksgiving: Fri 15:00; + 3h: Wed 15-17 + Fri 09-10; Thu 2 "
             "July 15:30 + 3h skips Independence Day observed: Mon 6 July 10:30")
    cs = FILES[("playbooks", "interventions")]["cases"]
    text = "\n".join([
        'kind = "interventions"', 'id = "playbooks/inline-interventions"', 'version = "1.0.0"',
        'title = "Inline interventions"', 'source = "tests/vectors/generate.py"', "",
        "[band_levels]", 'Good = "low"', 'Watch = "medium"', "",
        "[[levels]]", 'name = "low"', 'intervention = "Keep"', 'activities = "Check-ins"',
        'owner = "CSM"', 'timeline = "Normal"', "",
        "[[levels]]", 'name = "medium"', 'intervention = "Plan"', 'activities = "Plan"',
        'owner = "CSM"', 'timeline = "30 days"', "due_days = 30", "",
        "[[playbooks]]", 'scenario = "Churn risk"', 'approach = "Save"', 'activities = "Call"',
        'success_metric = "Churn score down 5 points"', 'levels = ["medium"]',
        'exit = { metric = "churn_score", direction = "decrease", min_change = 5, within_days = 45 }',
        ""])
    rows = [{"id": "enough", "band": "Watch", "start": "2027-01-01", "measured": "2027-02-15",
             "baseline_churn_score": 60, "current_churn_score": 55},
            {"id": "short", "band": "Watch", "start": "2027-01-01", "measured": "2027-02-14",
             "baseline_churn_score": 60, "current_churn_score": "55.01"},
            {"id": "late", "band": "Watch", "start": "2027-01-01", "measured": "2027-02-16",
             "baseline_churn_score": 60, "current_churn_score": 40},
            {"id": "calm", "band": "Good", "start": "2027-01-01"}]
    exp = []
    for i, r in enumerate(rows, start=1):
        start = date.fromisoformat(r["start"])
        if r["band"] == "Good":
            exp.append({"row": i, "plan": {"id": r["id"], "risk_level": "low", "due": None,
                                           "playbooks": []}, "exits": []})
            continue
        due = start + timedelta(days=45)
        change = F(r["baseline_churn_score"]) - F(r["current_churn_score"])
        m = date.fromisoformat(r["measured"])
        status = "met" if change >= 5 and m <= due else "open" if m < due else "missed"
        exp.append({"row": i, "plan": {"id": r["id"], "risk_level": "medium",
                                       "due": (start + timedelta(days=30)).isoformat(),
                                       "playbooks": [{"scenario": "Churn risk",
                                                      "because": ["level = medium"],
                                                      "due": due.isoformat()}]},
                    "exits": [status]})
    case(cs, "an exit condition with a minimum change, measured against the due date",
         inline(text), "interventions", rows, None, exp,
         why="due 45 days after 1 Jan = 15 Feb; enough: down 5 (>= 5) measured on the due "
             "date: met; short: down 4.99 before the due date: open; late: down 20 but "
             "measured after the due date: missed")
    cs = FILES[("priority", "kinos")]["cases"]
    rows = [req("HLT-101", 5, 4, 4, 2, verticals=vert(("health", "none"), ("wellness", "minimal"),
                                                     ("education", "minimal")),
                submitted="2026-03-02")]
    r = KINOS.score(rows[0])
    contributions = []
    for cid, w, rev, _, _ in KINOS.criteria:
        v, eff, _ = r["values"][cid]
        contributions.append({"criterion": cid, "value": norm(v),
                              "source": "verticals" if cid == "cross_vertical_value" else "input",
                              "effective": norm(eff), "weight": norm(F(w)),
                              "contribution": norm(eff * F(w) / 100)})
    exp = KINOS.rank(rows)
    exp[0].update(raw_score=norm(r["raw"]), contributions=contributions,
                  verticals=rows[0]["verticals"], submitted="2026-03-02")
    case(cs, "explain: each criterion's contribution, effort reversed, value from verticals",
         "rubrics/priority/kinos.toml", "prioritize", rows, {"explain": True}, exp,
         why="5 x 30% = 1.5; 4 x 25% = 1; 4 x 20% = 0.8; effort 2 reversed to 4 x 15% = 0.6; "
             "cross-vertical from a medium tier: 3 x 10% = 0.3; raw 4.2")


def more_probe_cases():
    cs = FILES[("health", "missing-data")]["cases"]
    comps = [Comp("speed", 50, [Metric("latency_ms", 50, target(200), "lower"),
                                Metric("uptime_pct", 50, target(80, "1.25"))]),
             Comp("value", 50, [Metric("roi_pct", 100, target(100, 2))])]
    rub, model = tiny(comps=comps)
    rows = [{"id": "half", "latency_ms": 400, "uptime_pct": 80, "roi_pct": 100},
            {"id": "fast", "latency_ms": 100, "uptime_pct": 100, "roi_pct": 250},
            {"id": "zero", "latency_ms": 0, "uptime_pct": 0, "roi_pct": -5}]
    case(cs, "target scoring: lower is better, and caps above 1", rub, "score", rows,
         {"at": AT}, model.expect_rows(rows, as_of=instant(AT)),
         why="latency 200/400 = 0.5 -> 50; uptime 80/80 = 1 of a 1.25 cap -> 80; roi 100/100 "
             "= 1 of cap 2 -> 50: (65*50 + 50*50)/100 = 57.5; fast: 200/100 = 2 capped at 1 "
             "-> 100, 100/80 = 1.25 -> 100, 250/100 = 2.5 capped at 2 -> 100; zero: latency 0 "
             "(lower is better) -> 100, uptime 0 -> 0, roi -5 -> 0: 25")
    cs = FILES[("sla", "clocks")]["cases"]

    def t(id_, tier, prio, opened, **kw):
        r = {"id": id_, "tier": tier, "priority": prio, "opened_at": opened}
        r.update(kw)
        return r
    for name, rows, at, why in (
        ("resolved, reopened and resolved again: the gap never counts",
         [t("twice", "white_glove", "P2", "2026-11-23T08:00:00Z", events=[
             {"at": "2026-11-23T09:00:00Z", "type": "resolved"},
             {"at": "2026-11-23T11:00:00Z", "type": "reopened"},
             {"at": "2026-11-23T13:00:00Z", "type": "resolved"}])], "2026-11-23T14:00:00Z",
         "resolution ran 08-09 and 11-13: 3h; its due time ignores only the final stop: 1h + "
         "7h from 11:00 = 18:00, met at 13:00; the first resolution (09:00) answered the "
         "first response exactly on time (1h): met; notification 4h: 1h + 3h = 14:00, met "
         "at 13:00"),
        ("a status that is not pausing ends a pause; resolved while paused",
         [t("pp", "standard", "P2", "2026-11-23T09:00:00+01:00", events=[
             {"at": "2026-11-23T10:00:00+01:00", "type": "status", "status": "pending_customer"},
             {"at": "2026-11-23T11:00:00+01:00", "type": "status", "status": "in_progress"},
             {"at": "2026-11-23T12:00:00+01:00", "type": "status", "status": "pending_customer"},
             {"at": "2026-11-23T13:00:00+01:00", "type": "resolved"}])],
         "2026-11-23T16:00:00+01:00",
         "resolution ran 09-10 and 11-12: 2h elapsed; the due time projects the clock past "
         "the final stop (still paused then): no due time, met at 13:00; first response "
         "stopped by the resolution at 13:00 (due 17:00): met"),
        ("a priority change to a priority the policy does not have",
         [t("p0", "standard", "P3", "2026-11-23T09:00:00Z",
            events=[{"at": "2026-11-23T10:00:00Z", "type": "priority", "priority": "P0"}]),
          t("later", "standard", "P3", "2026-11-23T09:00:00Z",
            events=[{"at": "2026-11-23T12:00:00Z", "type": "priority", "priority": "P0"}])],
         "2026-11-23T11:00:00Z",
         "p0 fails (unknown_value); for `later` the change is after the instant and ignored"),
    ):
        case(cs, name, "rubrics/escalation/slavkokernel-sla.toml", "sla", rows, {"at": at},
             sla_expect(SLA, rows, at), why=why)
    cs = FILES[("renewal", "schedules")]["cases"]
    rows = [{"id": "no-end", "start": "2026-01-01"},
            {"id": "notice", "start": "2026-01-01", "end": "2026-12-31", "notice_days": "30.5"},
            {"id": "flag", "start": "2026-01-01", "end": "2026-12-31", "auto_renew": "maybe"},
            {"id": "zero", "start": "2026-01-01", "end": "2026-12-31", "notice_days": 0}]
    exp = [row_error("no-end", 1, "renewal_missing"), row_error("notice", 2, "renewal_bad_value"),
           row_error("flag", 3, "renewal_bad_value")]
    ok = SLAVKO_RENEWAL.pipeline([rows[3]], date(2026, 12, 1))[0]
    ok["row"] = 4
    case(cs, "contract fields that cannot be read", "rubrics/renewal/slavkokernel.toml",
         "renewals", rows, {"today": "2026-12-01"}, [ok] + exp,
         why="no `end`; half a notice day; `maybe` is no yes/no; a notice of 0 days is the end "
             "date itself, 30 days away")
    cs = FILES[("kpi", "portfolio")]["cases"]
    rows = [{"id": "a", "mrr_start": "1000.50", "mrr_end": "1200.25"},
            {"id": "b", "mrr_start": "999.50", "mrr_end": "899.5"},
            {"id": "c", "mrr_end": "300.125"}]
    case(cs, "money with decimals: sums keep every decimal", "rubrics/kpi/cradle-to-grave.toml",
         "kpi", rows, None, kpi_report(rows, KPI_004),
         why="start 2000.00; expansion 199.75, contraction 100.00: NRR 2099.75 / 2000 = "
             "104.9875 -> 104.99; expansion share 199.75 / (199.75 + 300.125) = 39.96")
    cs = FILES[("priority", "formulas")]["cases"]
    text = "\n".join([
        'kind = "priority"', 'id = "priority/ten-point"', 'version = "1.0.0"',
        'title = "Ten-point scorecard"', 'source = "tests/vectors/generate.py"',
        'model = "weighted"', 'rounding = { decimals = 1, mode = "half_even" }', "",
        "[[criteria]]", 'id = "value"', "weight = 75", "min = 0", "max = 10", "",
        "[[criteria]]", 'id = "cost"', "weight = 25", "min = 0", "max = 10", "reverse = true", ""])
    ten = Priority([("value", 75, False, (0, 10), None), ("cost", 25, True, (0, 10), None)],
                   decimals=1, mode="half_even")
    rows = [{"id": "a", "value": 7, "cost": 1}, {"id": "b", "value": 9, "cost": 9},
            {"id": "c", "value": 5, "cost": 5}, {"id": "d", "value": "6.6", "cost": 4},
            {"id": "f", "value": "6.2", "cost": 4}, {"id": "e", "value": 11, "cost": 0}]
    case(cs, "a weighted scorecard on 0-10 with half-even rounding to one decimal",
         inline(text), "prioritize", rows, None, ten.rank(rows),
         why="a: 5.25 + (10-1)*.25 = 7.5; b: 6.75 + 0.25 = 7.0; c: 3.75 + 1.25 = 5.0; d: "
             "4.95 + 1.5 = 6.45 -> 6.4 (half-even: 4 is even; half-up would give 6.5); f: "
             "4.65 + 1.5 = 6.15 -> 6.2 (1 is odd); e: 11 is above 10")


def history_expect(model, rows, carry_forward_days=0, window_days=14):
    """`history`: each account's snapshots in date order (accounts in order of first
    appearance); missing rubric inputs carried forward from up to N days earlier; the trend
    against the latest snapshot at least the window earlier (else the first); the seed 001
    alerts: usage (product adoption) down 20%+ against the latest snapshot at least 14 days
    earlier, sentiment (relationship health) below the previous snapshot, success (business
    outcomes) below 50."""
    cols = [c for c in sorted(model_columns(model))]
    order = []
    for r in rows:
        if r["id"] not in order:
            order.append(r["id"])
    out = []
    for acc in order:
        snaps = sorted([(date.fromisoformat(r["date"]), n, r) for n, r in enumerate(rows, 1)
                        if r["id"] == acc], key=lambda x: x[0])
        seen = []  # (date, cells, result)
        for d, n, r in snaps:
            cells = {k: v for k, v in r.items() if k in cols}
            carried = []
            for col in cols:
                if cells.get(col) is not None:
                    continue
                for pd, pcells, _ in reversed(seen):
                    if pcells.get(col) is not None:
                        if (d - pd).days <= carry_forward_days:
                            cells[col] = pcells[col]
                            carried.append([col, pd.isoformat()])
                        break
            res = model.score(cells, [], instant(AT))
            o = {"id": acc, "row": n, "date": d.isoformat(), "status": res["status"],
                 "score": None if res["score"] is None else model.fmt_score(res["score"]),
                 "band": res["band"].label if res["band"] else None}
            ref = None
            if seen:
                old = [x for x in seen if (d - x[0]).days >= window_days]
                ref = old[-1] if old else seen[0]
            if ref is not None and res["score"] is not None and ref[2]["score"] is not None:
                delta = res["score"] - ref[2]["score"]
                o["trend"] = {"from": ref[0].isoformat(),
                              "from_score": model.fmt_score(ref[2]["score"]),
                              "to_score": model.fmt_score(res["score"]),
                              "delta": model.fmt_score(delta),
                              "direction": "up" if delta > 0 else "down"}
            else:
                o["trend"] = None

            def signal(result, comp):
                i = [c.id for c in model.comps].index(comp)
                return result["counted"][i]
            alerts = []
            old = [x for x in seen if (d - x[0]).days >= 14]
            u_now = signal(res, "product_adoption")
            if old and u_now is not None:
                u_then = signal(old[-1][2], "product_adoption")
                if u_then and (u_now - u_then) * 100 / u_then <= -20:
                    alerts.append({"id": "usage_drop"})
            if seen:
                s_now, s_prev = signal(res, "relationship_health"), signal(seen[-1][2], "relationship_health")
                if s_now is not None and s_prev is not None and s_now < s_prev:
                    alerts.append({"id": "sentiment_decline"})
            b = signal(res, "business_outcomes")
            if b is not None and b < 50:
                alerts.append({"id": "success_risk"})
            o["alerts"] = alerts
            if carried:
                o["carried"] = carried
            out.append(o)
            seen.append((d, cells, res))
    return out


def history_cases():
    cs = vector_file("health", "history",
                     "Score history (`history`) and backtests (`backtest`): snapshots in date "
                     "order, carry-forward, trends, the seed 001 alerts, ROC AUC from pair "
                     "counts")
    path = "rubrics/health/slavkokernel.toml"
    rows = [{"id": "b", "date": "2026-03-10", "product_adoption": 50},
            {"id": "a", "date": "2026-03-15", "product_adoption": 64, "technical_health": 80,
             "business_outcomes": 45, "relationship_health": 80},
            {"id": "a", "date": "2026-03-01", "product_adoption": 85, "technical_health": 80,
             "business_outcomes": 70, "relationship_health": 85, "growth_potential": 60},
            {"id": "b", "date": "2026-03-01", "product_adoption": 60, "relationship_health": 70},
            {"id": "a", "date": "2026-03-08", "product_adoption": 84, "technical_health": 80,
             "business_outcomes": 70, "relationship_health": 86, "growth_potential": 60}]
    for cf in (0, 14):
        case(cs, f"history with carry_forward_days = {cf}", path, "history", rows,
             {"carry_forward_days": cf}, history_expect(SLAVKO, rows, carry_forward_days=cf),
             why="accounts in order of first appearance, snapshots by date; a on 15 Mar: "
                 "product adoption 85 -> 64 against 1 Mar (14 days earlier): -24.71%, a usage "
                 "drop; relationship 86 -> 80: sentiment decline; business outcomes 45 < 50: "
                 "success risk; with 14 days of carry-forward growth potential 60 comes from 8 "
                 "Mar (7 days) and b's relationship health 70 from 1 Mar (9 days)")
    rows = [{"id": "r1", "product_adoption": 90, "technical_health": 85, "business_outcomes": 88,
             "relationship_health": 80, "growth_potential": 75, "churned": False},
            {"id": "r2", "product_adoption": 60, "technical_health": 60, "business_outcomes": 60,
             "relationship_health": 60, "growth_potential": 60, "churned": "no"},
            {"id": "c1", "product_adoption": 60, "technical_health": 60, "business_outcomes": 60,
             "relationship_health": 60, "growth_potential": 60, "churned": True},
            {"id": "c2", "product_adoption": 30, "churned": "yes"},
            {"id": "c3", "product_adoption": 95, "churned": 1},
            {"id": "x", "product_adoption": 70}]
    scores = {}
    for r in rows:
        res = SLAVKO.score({k: v for k, v in r.items() if k in SLAVKO_IDS}, [], instant(AT))
        scores[r["id"]] = res
    retained = [scores[i]["score"] for i in ("r1", "r2")]
    churned = [scores[i]["score"] for i in ("c1", "c2", "c3")]
    won = sum(1 for c in churned for r in retained if r > c)
    tied = sum(1 for c in churned for r in retained if r == c)
    pairs = len(retained) * len(churned)
    auc = Fraction(2 * won + tied, 2 * pairs)
    bands = []
    for b in SLAVKO_BANDS:
        ids = [i for i in ("r1", "r2", "c1", "c2", "c3") if scores[i]["band"].label == b.label]
        n = len(ids)
        c = sum(1 for i in ids if i.startswith("c"))
        bands.append({"band": b.label, "accounts": n, "churned": c,
                      "churn_rate_pct": norm(round_dp_even(Fraction(100 * c, n), 2)) if n else None})
    case(cs, "backtest: ROC AUC from retained-over-churned pairs, ties count half", path,
         "backtest", rows, None,
         {"auc": norm(round_dp_even(auc, 28)), "pairs_won": won, "pairs_tied": tied,
          "pairs": pairs, "bands": bands, "scored": 5},
         why="retained 83.95 and 60; churned 60, 30, 95: won r1>c1, r1>c2, r2>c2 = 3, tied "
             "r2=c1 = 1, of 6 pairs: (3 + 0.5) / 6 = 0.58333... (28 decimals); x has no "
             "outcome and is skipped")
    case(cs, "a backtest without churned accounts cannot be computed", path, "backtest",
         rows[:2], None, error="backtest_undefined")


def version_and_format_cases():
    cs = vector_file("calendar", "versions",
                     "Calendar versions: new weekly hours from local midnight of the "
                     "effective date; time worked before the change is kept")
    text = "\n".join([
        'kind = "calendar"', 'id = "calendars/berlin-2027"', 'version = "2.0.0"',
        'title = "Berlin, longer hours from March 2027"', 'source = "tests/vectors/generate.py"',
        'zone = "Europe/Berlin"', "", "[[hours]]", 'days = ["mon", "tue", "wed", "thu", "fri"]',
        'open = "09:00"', 'close = "17:00"', "", "[[holidays]]", 'date = "2027-03-26"',
        'name = "Good Friday"', "", "[[changes]]", 'effective = "2027-03-01"',
        'hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], open = "08:00", close = "18:00" }]',
        ""])
    vcal = Cal("calendars/berlin-2027", "Europe/Berlin", [(WEEKDAYS, "09:00", "17:00")],
               ["2027-03-26"], changes=[("2027-03-01", [(WEEKDAYS, "08:00", "18:00")])])
    rows = [{"id": "across", "start": "2027-02-26T16:00:00+01:00", "add": "4h"},
            {"id": "span", "start": "2027-02-26T09:00:00+01:00", "end": "2027-03-02T09:00:00+01:00"},
            {"id": "bd", "start": "2027-02-26T13:00:00+01:00", "add": "2bd"},
            {"id": "long-day", "start": "2027-03-25T17:30:00+01:00", "add": "1h"}]
    case(cs, "longer hours from 1 March 2027", inline(text, name="rubrics/calendars/berlin-2027.toml"),
         "business_time", rows, None, bt_expect(vcal, rows),
         why="Fri 26 Feb 16-17 (old hours) + Mon 1 Mar 08-11 (new): 11:00; Fri 8h + Mon 10h + "
             "Tue 08-09 = 19h; Fri 13:00 is 4h into Friday: 2 working days later (Tue 2 Mar), "
             "4h after its 08:00 opening: 12:00; Thu 25 Mar 17:30-18:00, Good Friday, the "
             "weekend: Mon 29 Mar 08:30")
    cs = FILES[("health", "errors")]["cases"]
    rows = [{"id": "exp", "product_adoption": "8.5e1"}, {"id": "plus", "product_adoption": "+70"},
            {"id": "comma", "product_adoption": "1,000"}, {"id": "bool", "product_adoption": True},
            {"id": "float", "product_adoption": 0.1, "business_outcomes": 0.2},
            {"id": "spaces", "product_adoption": " 55 "}]
    exp = SLAVKO.expect_rows([rows[0], rows[1]], as_of=instant(AT))
    exp[1]["row"] = 2
    exp += [row_error("comma", 3, "not_a_number"), row_error("bool", 4, "not_a_number")]
    exp += [dict(x, row=n) for n, x in zip((5, 6), SLAVKO.expect_rows(
        [rows[4], dict(rows[5], product_adoption="55")], as_of=instant(AT)))]
    case(cs, "numbers as text: exponents and signs are numbers, commas and booleans are not",
         "rubrics/health/slavkokernel.toml", "score", rows, {"at": AT}, exp,
         why="8.5e1 = 85; +70 = 70; `1,000` and true are not numbers; JSON 0.1 and 0.2 are "
             "read as the literals written: (0.1*25 + 0.2*25) / 50 = 0.15; ` 55 ` is trimmed")
    cs = FILES[("kpi", "portfolio")]["cases"]
    rows = [{"id": "kept-zero", "mrr_start": 500, "mrr_end": 0, "churned": "no"},
            {"id": "gone", "mrr_start": 500, "mrr_end": 0},
            {"id": "flat", "mrr_start": 1000, "mrr_end": 1000}]
    case(cs, "an explicit `churned = no` at zero revenue is contraction, not churn",
         "rubrics/kpi/slavkokernel.toml", "kpi", rows, None, kpi_report(rows, KPI_001),
         why="kept-zero: retained, contracted by 500; gone: churned by default (start > 0, end "
             "0); NRR (2000 - 500 - 500) / 2000 = 50; logo churn 1 / 3 = 33.33")
    cs = FILES[("priority", "kinos")]["cases"]
    rows = [req("date", 3, 3, 3, 3, 3, submitted="2026-02-30"),
            req("ok", 4, 4, 4, 2, 2, vertical="Legal")]
    case(cs, "an impossible submission date fails the request; filters can leave nothing",
         "rubrics/priority/kinos.toml", "prioritize", rows, {"vertical": "gaming"},
         [row_error("date", 1, "invalid_date")],
         why="30 February is no date: invalid_date; `ok` is from Legal and lists no "
             "verticals: the gaming filter leaves it out")
    case(cs, "a minimum score above every request keeps none", "rubrics/priority/kinos.toml",
         "prioritize", [req("ok", 4, 4, 4, 2, 2)], {"min_score": "4.01"}, [],
         why="1.2 + 1 + .8 + .6 + .2 = 3.80 < 4.01")


def last_cases():
    cs = FILES[("playbooks", "capacity")]["cases"]
    portfolio = [{"id": "A", "segment": "enterprise", "tier": "standard", "csm": "Ana"},
                 {"id": "B", "tier": "standard", "csm": "Ana"},
                 {"id": "C", "segment": "growth", "tier": "standard", "csm": "Ana",
                  "implementing": "perhaps"},
                 {"id": "D", "segment": "growth", "tier": "gold", "csm": "Cy"}]
    roster = [{"id": "Ana", "role": "CSM (Enterprise)"}, {"id": "Cy"},
              {"id": "Eve", "role": "Analyst"}]
    exp = capacity_expect([portfolio[0], portfolio[3]], [roster[0], roster[2]])
    # Accounts in no declared tier get a line of their own (its label is not documented,
    # so only its numbers are checked).
    exp["report"]["split"].append({"accounts": 1, "share": "50", "target": None})
    exp["report"]["uncovered"] = [{"account": "D", "segment": "growth",
                                   "reason": "CSM `Cy` is not on the roster"}]
    exp["errors"] = [row_error("B", 2, "invalid_input"), row_error("C", 3, "invalid_input"),
                     row_error("Cy", 2, "invalid_input")]
    case(cs, "rows that cannot be read are listed as errors, portfolio first, then roster",
         "rubrics/playbooks/slavkokernel-capacity.toml", "capacity", portfolio,
         {"roster": roster}, exp,
         why="B has no segment, C's `implementing` is not true/false, roster row 2 (Cy) has "
             "no role: they are left out and listed; Eve's role serves no segment; D's tier "
             "`gold` is counted on a line of its own: 1 of 2 = 50; Cy is not on the (readable) roster")
    cs = FILES[("health", "rounding")]["cases"]
    comps = [Comp("usage", 50), Comp("sentiment", 30), Comp("outcomes", 20)]
    model = Health(comps, TINY_BANDS, decimals=2, mode="half_even")
    body = {"kind": "health", "id": "health/tiny-json", "version": "1.0.0",
            "title": "Tiny, as JSON", "source": "tests/vectors/generate.py", "scale": "0-100",
            "rounding": {"decimals": 2, "mode": "half_even"},
            "components": [{"id": c.id, "weight": int(c.weight)} for c in comps],
            "bands": [{"min": int(b.min), "label": b.label, "action": b.action,
                       "owner": b.owner, "urgency": b.urgency} for b in TINY_BANDS]}
    rows = [{"id": "j", "usage": "69.97", "sentiment": 70, "outcomes": 70}]
    case(cs, "a rubric written in JSON scores like its TOML twin",
         inline(json.dumps(body, indent=2), name="inline.json", fmt="json"), "score", rows,
         {"at": AT}, model.expect_rows(rows, as_of=instant(AT)),
         why="34.985 + 21 + 14 = 69.985 -> 69.98 under half-even (8 is even)")
    cs = FILES[("scripts", "kinos")]["cases"]
    rows = [{"id": "clinic", "date": "2026-03-01", "product_adoption": 90,
             "technical_health": 90, "business_outcomes": 90, "relationship_health": 90,
             "growth_potential": 90, "baa_signed": True, "phi_incidents": 2},
            {"id": "calm", "date": "2026-03-01", "product_adoption": 90,
             "technical_health": 90, "business_outcomes": 90, "relationship_health": 90,
             "growth_potential": 90, "baa_signed": True, "phi_incidents": 0}]
    exp = [{"id": "clinic", "row": 1, "date": "2026-03-01", "status": "scored",
            "score": "90.00", "band": "Excellent", "trend": None,
            "alerts": [{"id": "phi_incident", "message": "2 PHI incident(s) this period",
                        "owner": "CSM + Compliance Officer", "sla": "24 hours"}]},
           {"id": "calm", "row": 2, "date": "2026-03-01", "status": "scored",
            "score": "90.00", "band": "Excellent", "trend": None, "alerts": []}]
    case(cs, "a custom alert script fires in the score history",
         "rubrics/health/kinos-health.toml", "history", rows, None, exp,
         why="90 everywhere, BAA signed: 90.00 Excellent; phi_incidents 2 > 0: the script "
             "returns its message; 0 incidents: no alert")
    cs = FILES[("sla", "alerts")]["cases"]
    rows = [{"id": "now", "technical_issue": "yes"}]
    at = "2026-11-27T15:30:00+01:00"
    case(cs, "without `detected_at` the request's instant is the detection time",
         "rubrics/escalation/slavkokernel-alerts.toml", "alerts", rows, {"at": at},
         alerts_expect(rows, at),
         why="Fri 15:30 + 4 business hours: 1h 30m Friday, 2h 30m Monday: 11:30")


def script_explain_cases():
    cs = FILES[("scripts", "kinos")]["cases"]
    cells = {"product_adoption": 80, "technical_health": 70, "business_outcomes": 60,
             "relationship_health": 50, "growth_potential": 40}
    e = explain_expect(SLAVKO, "mixed", 1, cells, scripted={"technical_health"})
    e["band"] = {"label": "At Risk", "min": "40", "action": SLAVKO_BANDS[3].action,
                 "owner": "CSM + Manager", "urgency": "High"}
    # The adjust hook is part of the rubric's computation (docs/scripts.md: metric and
    # component scripts, the weighted score, the adjust hook, then manual overrides): the
    # computed band is the hook's; the band the score alone falls in is `band_before`.
    e["computed_band"] = "At Risk"
    e["adjustment"] = {"changed": True, "score_before": "62.50", "band_before": "Moderate",
                       "reason": "executive sponsor left"}
    row = dict(cells, id="mixed", exec_sponsor_left=True, unapproved_changes=0)
    case(cs, "explain: the adjustment is recorded; a scripted component cannot be solved for",
         "rubrics/health/kinos-finance.toml", "score", [row], {"at": AT, "explain": True},
         [e],
         why="62.50 Moderate by weight; the sponsor left: capped at At Risk (the computed "
             "band), recorded with the score and band before the hook; what it takes is computed on the weighted score: Good "
             "needs 69.995, product adoption would need 109.98 (not reachable), technical "
             "health is scored by its script; business outcomes 60 + 7.495/.25 = 89.98")
    cs = FILES[("priority", "formulas")]["cases"]
    rows = [{"id": "nobody", "reach": 0, "impact": 3, "confidence": 100, "effort": 1},
            {"id": "none2", "reach": 0, "impact": 1, "confidence": 50, "effort": 2}]
    exp = RICE.rank(rows, relative=True)
    case(cs, "relative scores are undefined when the best score is 0",
         "rubrics/priority/rice.toml", "prioritize", rows, {"relative": True}, exp,
         why="both reach nobody: 0.00; a percent of 0 is undefined (null), never a division "
             "by zero; equal scores and reach: by id, `nobody` before `none2`")


def write(out_dir):
    # Vector files this script no longer writes are removed, so the folder is exactly its
    # output.
    wanted = {os.path.join(area, name + ".json") for area, name in FILES}
    if os.path.isdir(out_dir):
        for area in sorted(os.listdir(out_dir)):
            d = os.path.join(out_dir, area)
            if not os.path.isdir(d):
                continue
            for f in sorted(os.listdir(d)):
                if f.endswith(".json") and os.path.join(area, f) not in wanted:
                    os.remove(os.path.join(d, f))
    for (area, name), body in sorted(FILES.items()):
        d = os.path.join(out_dir, area)
        os.makedirs(d, exist_ok=True)
        text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
        with open(os.path.join(d, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def main(argv):
    out = HERE
    if len(argv) == 3 and argv[1] == "--out":
        out = argv[2]
    elif len(argv) != 1:
        sys.exit("usage: generate.py [--out DIR]")
    health_cases()
    health_rounding_and_missing_cases()
    health_override_and_error_cases()
    request_error_cases()
    priority_cases()
    calendar_cases()
    sla_cases()
    escalation_cases()
    renewal_cases()
    kpi_cases()
    playbook_cases()
    script_cases()
    explain_cases()
    explain_more_cases()
    probe_cases()
    more_probe_cases()
    history_cases()
    version_and_format_cases()
    last_cases()
    script_explain_cases()
    write(out)
    counts = {}
    for (area, _), body in FILES.items():
        counts[area] = counts.get(area, 0) + len(body["cases"])
    for area in sorted(counts):
        print(f"{area:<11} {counts[area]:>4}", file=sys.stderr)
    print(f"{'total':<11} {sum(counts.values()):>4}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
