"""csrubric: customer-success scoring and rules from rubric files, exact and explainable.

The rules live in the Rust core; this package converts Python data to and from it.

>>> import csrubric
>>> rubric = csrubric.Rubric.bundled("health/slavkokernel")
>>> result = rubric.score({"id": "acme", "product_adoption": 92, "technical_health": 88,
...                        "business_outcomes": 90, "relationship_health": 80,
...                        "growth_potential": 85})
>>> result.score, result.band
(Decimal('87.85'), 'Excellent')

Batch scoring takes a pandas or polars DataFrame, a pyarrow Table or RecordBatch, or a dict
of numpy arrays, and returns the same kind with the result columns
``id, status, score, band, action, owner, urgency, error_code, error``.

Every rubric kind (health, priority, sla, escalation, alerts, calendar, renewal, kpi, plan,
triage, capacity, interventions) loads the same way and offers its operations as methods
(``rubric.ops`` lists them):

>>> backlog = csrubric.Rubric.bundled("priority/kinos")
>>> backlog.kind, backlog.ops
('priority', ['prioritize', 'test'])
>>> # Seed 000's case study: 5*.30 + 4*.25 + 4*.20 + (6-2)*.15 + 3*.10 = 4.20
>>> ranked = backlog.prioritize([{"id": "HLT-101", "customer_impact": 5,
...     "strategic_alignment": 4, "revenue_impact": 4, "implementation_effort": 2,
...     "cross_vertical_value": 3}])
>>> ranked[0]["id"], ranked[0]["score"]
('HLT-101', Decimal('4.20'))

Answers are plain data (lists and dicts), exactly the JSON ``csrubric run`` prints, with one
rule applied in one place (`decode`): a decimal the core prints as a string (``"4.20"``)
under one of the keys in `DECIMAL_FIELDS` becomes a ``decimal.Decimal`` with the same digits.
`to_cli_json` turns an answer back into the CLI's JSON data.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import html as _html
import json as _json
import math as _math
import os as _os
import re as _re
from typing import Any, Iterable, Mapping

from ._csrubric import (
    CsrubricError,
    InputError,
    NativeRubric as _NativeRubric,
    OptionsError,
    RubricError,
    ScriptError,
    ValidationError,
    __version__,
    bundled_rubrics as _bundled_rubrics,
    bundled_text as _bundled_text,
    journey as _journey,
)

__all__ = [
    "CsrubricError",
    "DECIMAL_FIELDS",
    "HealthResult",
    "InputError",
    "OptionsError",
    "Rubric",
    "RubricError",
    "ScriptError",
    "SelfTestResult",
    "ValidationError",
    "RESULT_COLUMNS",
    "bundled_rubrics",
    "bundled_text",
    "decode",
    "journey",
    "to_cli_json",
    "__version__",
]

#: The columns `Rubric.score_batch` returns, in order.
RESULT_COLUMNS = (
    "id",
    "status",
    "score",
    "band",
    "action",
    "owner",
    "urgency",
    "error_code",
    "error",
)

#: The answer keys whose values are exact decimals (the core prints them as strings such as
#: ``"85.00"``): `decode` turns such a string into a ``decimal.Decimal``. Everything else
#: (ids, labels, dates, durations such as ``"4h"``, versions) stays a string, and counts stay
#: ints. A key not listed here keeps the CLI's string: adding a name is the only way a value
#: changes type.
DECIMAL_FIELDS = frozenset(
    {
        # health scores and their ledger (score, score with explain, history, shadow)
        "score", "raw_score", "computed", "computed_score", "contribution", "weight",
        "declared_weight", "effective_weight", "measured_weight", "input", "current",
        "required", "min", "next_band_min", "change", "delta", "from_score", "to_score",
        "score_before",
        # backtests
        "auc", "churn_rate_pct",
        # priority
        "relative", "value", "effective",
        # kpi, capacity
        "numerator", "denominator", "target", "share",
    }
)

_DECIMAL_TEXT = _re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")


def decode(value: Any, key: str | None = None) -> Any:
    """The answer rule, applied to every answer of every operation: a string under a key in
    `DECIMAL_FIELDS` that is a plain decimal number becomes a ``decimal.Decimal`` with the
    same digits (``"4.20"`` is ``Decimal('4.20')``, trailing zeros kept); lists take their
    key from the dict entry holding them. Nothing else changes.

    >>> decode({"id": "7", "score": "4.20", "band": "Good", "rows": 3})
    {'id': '7', 'score': Decimal('4.20'), 'band': 'Good', 'rows': 3}
    """
    if isinstance(value, dict):
        return {k: decode(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v, key) for v in value]
    if isinstance(value, str) and key in DECIMAL_FIELDS and _DECIMAL_TEXT.match(value):
        return _decimal.Decimal(value)
    return value


def to_cli_json(value: Any) -> Any:
    """An answer back as the CLI's JSON data: every ``Decimal`` as its digits (``"4.20"``),
    so ``json.dumps(to_cli_json(answer))`` is what ``csrubric run`` prints (up to spacing).

    >>> import decimal
    >>> to_cli_json({"score": decimal.Decimal("4.20"), "ids": ["a"]})
    {'score': '4.20', 'ids': ['a']}
    """
    if isinstance(value, dict):
        return {k: to_cli_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_cli_json(v) for v in value]
    if isinstance(value, _decimal.Decimal):
        return format(value, "f")
    return value


def bundled_rubrics() -> list[str]:
    """Names of the rubrics bundled in the wheel (paths under ``rubrics/`` without extension),
    every kind.

    >>> "health/slavkokernel" in bundled_rubrics(), "calendars/always-open" in bundled_rubrics()
    (True, True)
    """
    return list(_bundled_rubrics())


def bundled_text(name: str) -> str:
    """The text of a bundled rubric, to read or to copy and adapt.

    >>> bundled_text("priority/kinos").startswith("#") or "kind" in bundled_text("priority/kinos")
    True
    """
    return _bundled_text(name)


def _instant(at: Any) -> str | None:
    if at is None:
        return None
    if isinstance(at, _dt.datetime):
        return at.isoformat()
    return str(at)


def _cell(v: Any) -> Any:
    """One account value as JSON-ready data; nothing numeric goes through a lossy step."""
    if v is None or isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, float):
        return None if _math.isnan(v) else v
    if isinstance(v, _decimal.Decimal):
        return None if v.is_nan() else str(v)
    if type(v).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
        return None
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    item = getattr(v, "item", None)  # numpy scalars
    if callable(item) and not isinstance(v, (list, tuple, dict)):
        try:
            return _cell(item())
        except (TypeError, ValueError):
            pass
    if isinstance(v, Mapping):
        return {str(k): _cell(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_cell(x) for x in v]
    tolist = getattr(v, "tolist", None)  # numpy arrays
    if callable(tolist):
        return _cell(tolist())
    return str(v)


def _dec(v: Any) -> _decimal.Decimal | None:
    return None if v is None else _decimal.Decimal(str(v))


class _InputTypeError(InputError, TypeError):
    """Input of a type csrubric cannot read: an `InputError` (code ``input_type``) that is
    also a ``TypeError``."""


def _type_error(message: str) -> InputError:
    err = _InputTypeError(message)
    err.code = "input_type"
    return err


def _json_text(value: Any, source: str) -> str:
    """JSON text for the core; a value JSON cannot hold (a float infinity, nesting deeper
    than Python can walk) is an `InputError`, never a crash."""
    try:
        return _json.dumps(value, allow_nan=False)
    except (ValueError, TypeError, RecursionError) as e:
        err = InputError(f"{source}: cannot be sent as JSON: {e}")
        err.code = "input_file"
        err.file = source
        raise err from None


def _records(data: Any) -> tuple[list[Any], str] | None:
    """Rows of a table-like object (pandas, polars, pyarrow) as Python records, or None."""
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and hasattr(data, "columns") and hasattr(data, "to_dict"):
        return data.to_dict(orient="records"), "<pandas>"
    if module == "polars" and hasattr(data, "to_dicts"):
        return data.to_dicts(), "<polars>"
    if module == "pyarrow" and hasattr(data, "to_pylist") and hasattr(data, "schema"):
        return data.to_pylist(), "<pyarrow>"
    return None


def _rows(data: Any, what: str = "data") -> tuple[str | None, str, str]:
    """Input rows for the core: ``(text, format, source)``.

    * None: no input;
    * ``str``: CSV text (a header row with an ``id`` column), read by the core exactly as a
      CSV file is; a ``pathlib.Path`` (any ``os.PathLike``): the file, ``.json`` as JSON,
      anything else as CSV;
    * a pandas or polars DataFrame, a pyarrow Table or RecordBatch, a list (or other
      iterable) of dicts, or a dict of columns: rows of JSON values, each cell converted
      by `_cell` (ints and decimals exact, a float as its shortest literal, NaN/None/NA
      absent, dates as ISO text).
    """
    if data is None:
        return None, "json", "<input>"
    if isinstance(data, str):
        return data, "csv", "<csv>"
    if isinstance(data, _os.PathLike):
        path = _os.fspath(data)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            err = InputError(f"{path}: cannot read input: {e}")
            err.code = "input_io"
            err.file = str(path)
            raise err from None
        fmt = "json" if str(path).lower().endswith(".json") else "csv"
        return text, fmt, str(path)
    source = f"<{what}>"
    try:
        found = _records(data)
        if found is not None:
            rows, source = found
        elif isinstance(data, Mapping) and not any(_is_column(v) for v in data.values()):
            # Not a dict of columns (one row, or an object): the core judges it as JSON
            # input, exactly as the CLI and the npm package do (`input_file`).
            return _json_text(_cell(data), source), "json", source
        elif isinstance(data, Mapping):
            rows = _columns_to_rows(data)
        elif isinstance(data, (bytes, bytearray)) or not isinstance(data, Iterable):
            raise _type_error(
                f"{what}: cannot read a {type(data).__name__}: give a list of dicts, a pandas "
                "or polars DataFrame, a pyarrow Table, CSV text or a pathlib.Path"
            )
        else:
            rows = list(data)
        rows = [_cell(r) for r in rows]
    except RecursionError:
        err = InputError(f"{source}: nested too deeply to read")
        err.code = "input_file"
        err.file = source
        raise err from None
    return _json_text(rows, source), "json", source


def _is_column(v: Any) -> bool:
    """A dict value that is a column: a list, tuple or array, not text or a mapping."""
    return not isinstance(v, (str, bytes, Mapping)) and hasattr(v, "__len__")


def _columns_to_rows(data: Mapping[Any, Any]) -> list[dict[str, Any]]:
    """A dict of equal-length columns (lists, tuples, numpy arrays) as rows."""
    columns = {}
    for k, v in data.items():
        if not _is_column(v):
            raise _type_error(
                f"a dict is read as columns, but `{k}` is not a column (a list or array): "
                "for one row, pass [row]"
            )
        columns[str(k)] = list(v)
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        err = InputError(f"<dict>: columns of different lengths {sorted(lengths)}")
        err.code = "input_file"
        err.file = "<dict>"
        raise err
    n = lengths.pop() if lengths else 0
    return [{k: v[i] for k, v in columns.items()} for i in range(n)]


def _option(name: str, value: Any) -> Any:
    """One option as JSON data: dates and aware datetimes as ISO text, paths as text,
    Decimals exact, rows (a roster) like input rows. Anything else is an `OptionsError`."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if _math.isfinite(value):
            return value
        raise _options_error(name, f"`{value}` is not a number")
    if isinstance(value, _decimal.Decimal):
        if value.is_finite():
            return format(value, "f")
        raise _options_error(name, f"`{value}` is not a number")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _options_error(
                name,
                f"`{value.isoformat()}` has no time zone: give an aware datetime "
                "(tzinfo=datetime.timezone.utc) or RFC 3339 text with an offset",
            )
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _os.PathLike):
        return _os.fspath(value)
    if _records(value) is not None:
        rows, _ = _records(value)
        return [_cell(r) for r in rows]
    if isinstance(value, Mapping):
        return {str(k): _option(f"{name}.{k}", v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_option(name, v) for v in value]
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            return _option(name, item())
        except (TypeError, ValueError):
            pass
    raise _options_error(name, f"cannot pass a {type(value).__name__} as an option")


def _options_error(name: str, message: str) -> OptionsError:
    err = OptionsError(f"`{name}`: {message}")
    err.code = "invalid_options"
    return err


def _options(op: str, options: Mapping[str, Any]) -> str | None:
    """The options of an operation as JSON text; options given as None are left out (the
    core's default applies)."""
    try:
        data = {k: _option(k, v) for k, v in options.items() if v is not None}
        return _json.dumps(data, allow_nan=False) if data else None
    except RecursionError:
        raise _options_error(op, "nested too deeply") from None
    except (ValueError, TypeError) as e:
        raise _options_error(op, str(e)) from None


class HealthResult:
    """The health score of one account, with its explanation.

    Attributes: ``id``, ``status`` (``scored`` or ``insufficient_data``), ``score``
    (``decimal.Decimal`` or None), ``band``, ``action``, ``owner``, ``urgency``,
    ``components`` (the per-component ledger, plain dicts), ``what_it_takes`` (the lift to
    the next band, or None), ``band_override`` and ``rubric`` (id, version, hash).
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    @property
    def id(self) -> str:
        return self._data["id"]

    @property
    def status(self) -> str:
        return self._data["status"]

    @property
    def score(self) -> _decimal.Decimal | None:
        return _dec(self._data.get("score"))

    @property
    def band(self) -> str | None:
        b = self._data.get("band")
        return b["label"] if b else None

    @property
    def action(self) -> str | None:
        b = self._data.get("band")
        return b["action"] if b else None

    @property
    def owner(self) -> str | None:
        b = self._data.get("band")
        return b["owner"] if b else None

    @property
    def urgency(self) -> str | None:
        b = self._data.get("band")
        return b["urgency"] if b else None

    @property
    def components(self) -> list[dict[str, Any]]:
        return [dict(c) for c in self._data.get("components", [])]

    @property
    def what_it_takes(self) -> dict[str, Any] | None:
        return self._data.get("what_it_takes")

    @property
    def band_override(self) -> dict[str, Any] | None:
        return self._data.get("band_override")

    @property
    def rubric(self) -> dict[str, str]:
        return dict(self._data["rubric"])

    def to_dict(self) -> dict[str, Any]:
        """The whole result as plain data: exactly the object ``csrubric score --explain
        --format json`` prints for this account (decimals as strings)."""
        return _json.loads(_json.dumps(self._data))

    def summary(self) -> dict[str, Any]:
        """The compact row: id, status, score (Decimal), band, action, owner, urgency."""
        return {
            "id": self.id,
            "status": self.status,
            "score": self.score,
            "band": self.band,
            "action": self.action,
            "owner": self.owner,
            "urgency": self.urgency,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HealthResult) and self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self.score is None:
            return f"<HealthResult {self.id!r}: {self.status}>"
        return (
            f"<HealthResult {self.id!r}: {self.score} {self.band} "
            f"(action: {self.action}; owner: {self.owner}; urgency: {self.urgency})>"
        )

    def _repr_html_(self) -> str:
        e = _html.escape
        head = (
            f"<p><b>{e(self.id)}</b>: score <b>{e(str(self.score))}</b>, "
            f"band <b>{e(str(self.band))}</b> &mdash; {e(str(self.action))} "
            f"({e(str(self.owner))}, urgency {e(str(self.urgency))})</p>"
        )
        rows = []
        for c in self._data.get("components", []):
            cells = [
                c.get("id"),
                c.get("source"),
                c.get("score"),
                c.get("declared_weight"),
                c.get("effective_weight"),
                c.get("contribution"),
            ]
            rows.append(
                "<tr>" + "".join(f"<td>{e('' if x is None else str(x))}</td>" for x in cells) + "</tr>"
            )
        table = (
            "<table><thead><tr><th>component</th><th>source</th><th>score</th>"
            "<th>weight %</th><th>effective %</th><th>contribution</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        return head + table


class SelfTestResult:
    """The outcome of a rubric's own ``[[examples]]`` (`Rubric.self_test`).

    Attributes: ``passed`` and ``failed`` (counts), ``examples`` (one dict per example:
    ``name``, ``passed``, ``diffs``, each diff naming the ``field`` with what was
    ``expected`` and the ``actual`` value), ``rubric`` (id, version, hash). True when every
    example passed.

    >>> result = Rubric.bundled("priority/kinos").self_test()
    >>> bool(result), result.failed
    (True, 0)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    @property
    def passed(self) -> int:
        return self._data["passed"]

    @property
    def failed(self) -> int:
        return self._data["failed"]

    @property
    def examples(self) -> list[dict[str, Any]]:
        return list(self._data.get("examples", []))

    @property
    def rubric(self) -> dict[str, str]:
        return dict(self._data.get("rubric") or {})

    def __bool__(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        """The whole answer, as ``csrubric run RUBRIC test`` prints it."""
        return _json.loads(_json.dumps(to_cli_json(self._data)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SelfTestResult) and self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        rid = self.rubric.get("id", "?")
        head = f"<SelfTestResult {rid}: {self.passed} passed, {self.failed} failed"
        failing = [e for e in self.examples if not e.get("passed")]
        if not failing:
            return head + ">"
        lines = [head + ":"]
        for e in failing:
            lines.append(f"  {e.get('name')}")
            for d in e.get("diffs") or []:
                lines.append(f"    {d.get('field')}: expected {d.get('expected')}, got {d.get('actual')}")
        return "\n".join(lines) + ">"


class Rubric:
    """A loaded, validated rubric of any kind.

    Load with `Rubric.from_path`, `Rubric.from_toml`, `Rubric.from_json` or
    `Rubric.bundled`. Every kind runs its operations (`ops`) as methods, each taking the
    input rows first and its options as keywords: `prioritize`, `sla`, `escalate`, `alerts`,
    `business_time`, `renewals`, `kpi`, `plan`, `triage`, `capacity`, `interventions`,
    `history`, `backtest`, `self_test`, or any of them by name with `run`. A health rubric
    also scores one account with `score` (a `HealthResult`) or a whole table with
    `score_batch`.

    Input rows are a list of dicts, a pandas or polars DataFrame, a pyarrow Table or
    RecordBatch, a dict of columns, CSV text (``str``) or a ``pathlib.Path`` to a CSV/JSON
    file. Answers are plain data, as the CLI's JSON, decimals as ``decimal.Decimal`` (see
    `decode`). A row that cannot be processed is in its place in the answer as
    ``{"id", "row", "status": "error", "error": {"code", "message"}}``; only a problem with
    the whole request raises (`OptionsError`, `InputError`, `RubricError`).

    An operation the rubric's kind does not have raises `OptionsError` with code
    ``unsupported_operation``.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _NativeRubric) -> None:
        self._native = native

    @classmethod
    def from_path(cls, path: str | _os.PathLike[str]) -> Rubric:
        """Load a ``.toml`` or ``.json`` rubric file of any kind; the calendars, matrices and
        scripts it links to are read from disk, relative to it.

        Raises `RubricError` (unreadable, syntax) or `ValidationError` (invalid rubric).
        """
        return cls(_NativeRubric.from_path(_os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from TOML text; ``name`` names it in errors, and linked files are
        read from disk relative to it.

        >>> Rubric.from_toml(bundled_text("calendars/always-open")).kind
        'calendar'
        """
        return cls(_NativeRubric.from_text(text, "toml", name))

    @classmethod
    def from_json(cls, text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from JSON text; ``name`` names it in errors."""
        return cls(_NativeRubric.from_text(text, "json", name))

    @classmethod
    def bundled(cls, name: str) -> Rubric:
        """Load a rubric bundled in the wheel, such as ``"health/slavkokernel"`` (see
        `bundled_rubrics`). Its linked files, and calendar files its operations' options
        name (``calendar="calendars/business-hours-berlin.toml"``), come from the bundle.

        >>> Rubric.bundled("escalation/slavkokernel-sla").source
        'rubrics/escalation/slavkokernel-sla.toml'
        """
        return cls(_NativeRubric.bundled(name))

    # ------------------------------------------------------------------ what it is

    @property
    def kind(self) -> str:
        """The rubric's kind: ``health``, ``priority``, ``sla``, ``calendar``..."""
        return self._native.info()[0]

    @property
    def id(self) -> str:
        return self._native.info()[1]

    @property
    def version(self) -> str:
        return self._native.info()[2]

    @property
    def title(self) -> str:
        return self._native.info()[3]

    @property
    def hash(self) -> str:
        """``sha256:`` hash of the rubric text, stamped on every result."""
        return self._native.info()[4]

    @property
    def source(self) -> str:
        """Where the rubric was loaded from (a path, ``<inline>``, ``rubrics/<name>.toml``
        for a bundled one)."""
        return self._native.info()[5]

    @property
    def ops(self) -> list[str]:
        """The operations of this rubric's kind, ``test`` (`self_test`) last.

        >>> Rubric.bundled("health/slavkokernel").ops
        ['score', 'history', 'backtest', 'test']
        """
        return list(self._native.ops())

    @property
    def summary(self) -> str:
        """One line: id, version, what it holds, hash (what ``csrubric check`` prints).

        >>> Rubric.bundled("health/slavkokernel").summary.split(" sha256:")[0]
        'health/slavkokernel 1.0.0 (5 components, 5 bands)'
        """
        return self._native.summary()

    @property
    def warnings(self) -> list[dict[str, Any]]:
        """Load-time warnings (the rubric works but may not do what its author meant): each
        with its rubric ``path`` and ``message``."""
        return _json.loads(self._native.warnings_json())

    @property
    def input_columns(self) -> list[str]:
        """The columns a health rubric reads (component ids and metric ids)."""
        cols = self._native.input_columns()
        if cols is None:
            raise self._health_only("input_columns")
        return list(cols)

    @property
    def bands(self) -> list[dict[str, Any]]:
        """A health rubric's bands from the top down: label, min (Decimal), action, owner,
        urgency."""
        text = self._native.bands_json()
        if text is None:
            raise self._health_only("bands")
        bands = _json.loads(text)
        for b in bands:
            b["min"] = _dec(b["min"])
        return bands

    def _health_only(self, what: str) -> OptionsError:
        err = OptionsError(
            f"`{what}` is a health rubric's; a `{self.kind}` rubric has: {', '.join(self.ops)}"
        )
        err.code = "unsupported_operation"
        err.op = what
        return err

    def to_dict(self) -> dict[str, Any]:
        """The rubric model as plain data (numbers as strings, exact)."""
        return _json.loads(self._native.spec_json())

    # ------------------------------------------------------------------ any operation

    def run(self, op: str, data: Any = None, **options: Any) -> Any:
        """Run operation ``op`` (one of `ops`) on ``data`` with ``options``: the answer
        ``csrubric run RUBRIC OP INPUT --options JSON`` prints, decimals decoded (`decode`).
        Options given as None are left out. The named methods call this.

        >>> rubric = Rubric.bundled("health/ai-ecosystem")
        >>> # (8 + 8 + 8 + 4) x 25% = 7.00: Yellow (5 to 8).
        >>> [(r["score"], r["band"]) for r in rubric.run("score", "id,usage,engagement,success,growth\\na,8,8,8,4\\n")]
        [(Decimal('7.00'), 'Yellow')]
        """
        return self._run(op, data, "data", options)

    def _run(self, op: str, data: Any, what: str, options: Mapping[str, Any]) -> Any:
        text, fmt, source = _rows(data, what)
        out = self._native.run(op, text, _options(op, options), fmt, source)
        return decode(_json.loads(out))

    # ------------------------------------------------------------------ health

    def score(
        self, account: Mapping[str, Any], *, at: str | _dt.datetime | None = None, explain: bool = True
    ) -> HealthResult:
        """Score one account: a mapping with ``id`` and the rubric's input columns.

        Numbers may be ints, floats (read as their shortest literal), ``Decimal``s or numeric
        strings; ``None``/NaN is absent. An ``overrides`` entry (a list of override objects)
        is applied. ``at`` (RFC 3339 text or an aware datetime) is the instant overrides are
        judged at, default now. ``explain`` adds "what would it take" to reach the next band.

        Raises `InputError` (with ``code``, ``id``, ``row``, ``column``) when the account
        cannot be scored.
        """
        if hasattr(account, "to_dict") and not isinstance(account, Mapping):
            account = account.to_dict()  # a pandas Series (one DataFrame row)
        if not isinstance(account, Mapping):
            raise _type_error(f"account must be a mapping, not {type(account).__name__}")
        try:
            data = {str(k): _cell(v) for k, v in account.items()}
        except RecursionError:
            err = InputError("<account>: nested too deeply to read")
            err.code = "input_file"
            raise err from None
        text = _json_text(data, "<account>")
        return HealthResult(_json.loads(self._native.score_json(text, _instant(at), explain)))

    def score_batch(self, data: Any, *, at: str | _dt.datetime | None = None, threads: int | None = None) -> Any:
        """Score every row of a table; one result row per input row, in order, never dropped.

        ``data`` is a pandas DataFrame, a polars DataFrame, a pyarrow Table or RecordBatch,
        a dict of numpy arrays (or lists), or anything exposing ``__arrow_c_stream__``. The
        answer is the same kind (pandas keeps the input's index) with the columns
        `RESULT_COLUMNS`; ``score`` is an exact decimal (``decimal.Decimal`` in pandas and
        numpy). A row that cannot be scored has ``status == "error"`` and its ``error_code``
        and ``error`` message; nothing is raised for it.

        Input is read through the Arrow C data interface; scoring runs with the GIL released,
        on several threads for large tables (``threads`` overrides the count).
        """
        import pyarrow as pa

        kind, table = _to_arrow(pa, data)
        out = self._native.score_arrow(table, _instant(at), f"<{kind}>", threads)
        return _from_arrow(pa, kind, out, data)

    def history(
        self,
        snapshots: Any,
        *,
        carry_forward_days: int | None = None,
        window_days: int | None = None,
        explain: bool = False,
    ) -> list[dict[str, Any]]:
        """Score dated snapshots (rows with ``id`` and ``date``, an id once per date) of a
        health rubric: one entry per snapshot, grouped by account and sorted by date, with
        score, band, trend and alerts. ``carry_forward_days``: how long a missing input may
        keep its last value; ``window_days``: the trend window; ``explain``: each date's
        whole result.

        >>> rubric = Rubric.bundled("health/slavkokernel")
        >>> out = rubric.history("id,date,product_adoption\\na,2026-03-01,80\\na,2026-03-15,64\\n")
        >>> [(e["date"], e["score"], [a["id"] for a in e["alerts"]]) for e in out]
        [('2026-03-01', Decimal('80.00'), []), ('2026-03-15', Decimal('64.00'), ['usage_drop'])]
        """
        return self._run(
            "history",
            snapshots,
            "snapshots",
            {"carry_forward_days": carry_forward_days, "window_days": window_days, "explain": explain},
        )

    def backtest(self, accounts: Any) -> dict[str, Any]:
        """How well a health rubric separates churned from retained accounts: each row an
        account with a ``churned`` cell (true/false, yes/no, 1/0). The answer has ``auc``,
        churn per band, the accounts used and the ``failed`` rows."""
        return self._run("backtest", accounts, "accounts", {})

    def shadow(self, candidate: Rubric, accounts: Any) -> list[dict[str, Any]]:
        """Score ``accounts`` under this health rubric and a ``candidate`` version of it: one
        row per account with both bands, both results and ``band_changed``, so a change can
        be reviewed before it ships.

        >>> current = Rubric.bundled("health/slavkokernel")
        >>> out = current.shadow(current, [{"id": "a", "product_adoption": 90}])
        >>> out[0]["band_changed"]
        False
        """
        if not isinstance(candidate, Rubric):
            raise _type_error(f"candidate must be a Rubric, not {type(candidate).__name__}")
        text, fmt, source = _rows(accounts, "accounts")
        return decode(_json.loads(self._native.shadow(candidate._native, text, fmt, source)))

    # ------------------------------------------------------------------ escalation

    def business_time(self, rows: Any) -> list[dict[str, Any]]:
        """Business time on a calendar rubric, one answer per row (see the README's
        calendar section for the columns)."""
        return self._run("business_time", rows, "rows", {})

    def sla(self, tickets: Any, *, at: str | _dt.datetime | None = None) -> list[dict[str, Any]]:
        """The SLA state of each ticket (``id``, ``tier``, ``priority``, ``opened_at`` and
        optional events) under an SLA policy at instant ``at`` (RFC 3339 text or an aware
        datetime; default now): per target its state, due time, elapsed and remaining
        business time, breaches, escalation level.

        >>> policy = Rubric.bundled("escalation/slavkokernel-sla")
        >>> out = policy.sla("id,tier,priority,opened_at\\nT-1,standard,P2,2026-11-20T15:30:00+01:00\\n",
        ...                  at="2026-11-23T10:00:00+01:00")
        >>> # Standard P2 first response, 8 business hours: 1.5h Friday + 6.5h Monday.
        >>> first = out[0]["targets"][0]
        >>> first["target"], first["due"], first["remaining"]
        ('first_response', '2026-11-23T15:30:00+01:00', '5h 30m')
        """
        return self._run("sla", tickets, "tickets", {"at": at})

    def escalate(self, cases: Any, *, at: str | _dt.datetime | None = None) -> list[dict[str, Any]]:
        """The escalation level of each case under an escalation matrix at instant ``at``
        (default now): owner, level, next escalation and when."""
        return self._run("escalate", cases, "cases", {"at": at})

    def alerts(self, accounts: Any, *, at: str | _dt.datetime | None = None) -> list[dict[str, Any]]:
        """The proactive-monitoring alerts each account triggers under alert rules, with
        protocol, owner and SLA, at instant ``at`` (default now)."""
        return self._run("alerts", accounts, "accounts", {"at": at})

    # ------------------------------------------------------------------ priority

    def prioritize(
        self,
        requests: Any,
        *,
        vertical: str | None = None,
        classification: str | None = None,
        min_score: int | float | str | _decimal.Decimal | None = None,
        relative: bool = False,
        explain: bool = False,
    ) -> list[dict[str, Any]]:
        """Rank enhancement requests under a priority rubric: the kept requests best first,
        then the requests that failed, in input order.

        ``vertical``: keep requests from (or applying to) this vertical; ``classification``:
        keep one class (``must_have``, ``performance_enhancer``, ``delighter``,
        ``hygiene_factor``, ``unclassified``); ``min_score``: keep scores at least this;
        ``relative``: add each score as a percent of the best; ``explain``: add the
        per-criterion contributions.
        """
        return self._run(
            "prioritize",
            requests,
            "requests",
            {
                "vertical": vertical,
                "classification": classification,
                "min_score": min_score,
                "relative": relative,
                "explain": explain,
            },
        )

    # ------------------------------------------------------------------ lifecycle

    def renewals(
        self,
        contracts: Any,
        *,
        today: str | _dt.date | None = None,
        calendar: str | _os.PathLike[str] | None = None,
    ) -> list[dict[str, Any]]:
        """The renewal pipeline of contracts (``id``, ``start``, ``end`` and optional
        ``notice_days``, ``auto_renew``, ``completed``) under a renewal playbook, sorted by
        the next due milestone. ``today`` (a date or ``YYYY-MM-DD``; default today, UTC);
        ``calendar``: a calendar rubric file, needed by playbooks that count business days
        (for a bundled playbook, a bundled name such as
        ``"rubrics/calendars/business-hours-berlin.toml"``).

        >>> playbook = Rubric.bundled("renewal/slavkokernel")
        >>> out = playbook.renewals([{"id": "northwind", "start": "2026-07-01", "end": "2027-06-30"}],
        ...                         today="2026-11-23")
        >>> # Seed 001's renewal planning, 180 days before 2027-06-30.
        >>> out[0]["next_due"]
        '2027-01-01'
        """
        return self._run("renewals", contracts, "contracts", {"today": today, "calendar": calendar})

    def kpi(self, accounts: Any) -> dict[str, Any]:
        """Portfolio KPIs (NRR, churn, NPS...) of the accounts against a KPI targets rubric;
        rows that cannot be read are listed in ``rejected``."""
        return self._run("kpi", accounts, "accounts", {})

    # ------------------------------------------------------------------ playbooks

    def plan(
        self,
        *,
        kickoff: str | _dt.date,
        package: str | None = None,
        industry: str | None = None,
        calendar: str | _os.PathLike[str] | None = None,
        as_of: str | _dt.date | None = None,
        done: Iterable[str] = (),
    ) -> dict[str, Any]:
        """A dated onboarding or implementation plan from a plan template: phases and
        activities from ``kickoff``, for a ``package`` or ``industry`` of the template; with
        ``as_of``, its status that day given the activities ``done``.

        >>> template = Rubric.bundled("playbooks/slavkokernel-implementation")
        >>> out = template.plan(kickoff="2027-01-04", package="standard")
        >>> # Standard is 8-10 weeks, planned to 10: go-live on the 50th working day.
        >>> out["plan"]["go_live"]
        '2027-03-12'
        """
        return self._run(
            "plan",
            None,
            "data",
            {
                "kickoff": kickoff,
                "package": package,
                "industry": industry,
                "calendar": calendar,
                "as_of": as_of,
                "done": list(done) if done else None,
            },
        )

    def triage(self, tickets: Any) -> list[dict[str, Any]]:
        """Priority and route of each support ticket under triage rules."""
        return self._run("triage", tickets, "tickets", {})

    def capacity(self, portfolio: Any, *, roster: Any = None) -> dict[str, Any]:
        """CSM headcount for a portfolio (``id``, ``segment``, optional ``tier``,
        ``implementing``, ``csm``) under capacity ratios, against a ``roster`` (rows with
        ``id`` and ``role``: a list of dicts or a DataFrame) when given."""
        return self._run("capacity", portfolio, "portfolio", {"roster": roster})

    def interventions(self, accounts: Any) -> list[dict[str, Any]]:
        """Risk level and intervention playbooks of each account (``id``, ``band``,
        ``start``, optional ``risks``...) under intervention rules."""
        return self._run("interventions", accounts, "accounts", {})

    # ------------------------------------------------------------------ every kind

    def self_test(self) -> SelfTestResult:
        """Run the rubric's own ``[[examples]]``.

        >>> Rubric.bundled("escalation/slavkokernel-sla").self_test()  # doctest: +ELLIPSIS
        <SelfTestResult escalation/slavkokernel-sla: ... passed, 0 failed>
        """
        return SelfTestResult(self._run("test", None, "data", {}))

    def __repr__(self) -> str:
        return f"<csrubric.Rubric {self.kind} {self.id} {self.version}>"


def journey(
    accounts: Any,
    *,
    today: str | _dt.date | None = None,
    map: str | None = None,
) -> list[dict[str, Any]]:
    """Journey stage, owner, segment, engagement tier, advocacy level and next touch point of
    each account (``id``, ``go_live`` and optional ``signed``, ``contract_end``,
    ``employees``, ``strategic``, ``nps``, ``success``). No rubric: ``map`` picks seed 004's
    six stages (``"cradle_to_grave"``, the default) or seed 001's five phases
    (``"slavkokernel"``); ``today`` defaults to today (UTC).

    >>> out = journey([{"id": "acme", "go_live": "2026-01-12", "contract_end": "2027-01-11"}],
    ...               today="2026-11-23")
    >>> # 90 days before 2027-01-11 is 2026-10-13: the renewal stage.
    >>> out[0]["stage"]["stage"]
    'Renewal or Transition'
    """
    text, fmt, source = _rows(accounts, "accounts")
    options = _options("journey", {"today": today, "map": map})
    return decode(_json.loads(_journey(text, options, fmt, source)))


def _to_arrow(pa: Any, data: Any) -> tuple[str, Any]:
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and hasattr(data, "columns"):
        try:
            return "pandas", pa.Table.from_pandas(data, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
            raise _table_error(f"<pandas>: {e}") from e
    if module == "polars" and hasattr(data, "to_arrow"):
        return "polars", data.to_arrow()
    if isinstance(data, pa.Table):
        return "pyarrow.Table", data
    if isinstance(data, pa.RecordBatch):
        return "pyarrow.RecordBatch", pa.Table.from_batches([data])
    if isinstance(data, Mapping):
        try:
            return "dict", pa.table({str(k): pa.array(v) for k, v in data.items()})
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as e:
            raise _table_error(f"<dict>: {e}") from e
    if hasattr(data, "__arrow_c_stream__"):
        return "arrow", data
    raise _type_error(
        "score_batch takes a pandas or polars DataFrame, a pyarrow Table or RecordBatch, "
        f"a dict of arrays or an Arrow stream, not {type(data).__name__}"
    )


def _table_error(message: str) -> InputError:
    err = InputError(message)
    err.code = "input_file"
    return err


def _from_arrow(pa: Any, kind: str, out: Any, data: Any) -> Any:
    if kind == "pandas":
        frame = out.to_pandas()
        frame.index = data.index
        return frame
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(out)
    if kind == "pyarrow.RecordBatch":
        return out.combine_chunks().to_batches()[0] if out.num_rows else pa.RecordBatch.from_pylist([], schema=out.schema)
    if kind == "dict":
        return {name: out.column(name).to_numpy(zero_copy_only=False) for name in out.column_names}
    return out
