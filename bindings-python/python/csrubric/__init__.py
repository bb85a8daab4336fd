"""csrubric: customer-success scoring from rubric files, exact and explainable.

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
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import html as _html
import json as _json
import math as _math
import os as _os
from typing import Any, Mapping

from ._csrubric import (
    CsrubricError,
    InputError,
    NativeRubric as _NativeRubric,
    RubricError,
    ScriptError,
    ValidationError,
    __version__,
    bundled_rubrics as _bundled_rubrics,
    bundled_text as _bundled_text,
)

__all__ = [
    "CsrubricError",
    "HealthResult",
    "InputError",
    "Rubric",
    "RubricError",
    "ScriptError",
    "ValidationError",
    "RESULT_COLUMNS",
    "bundled_rubrics",
    "bundled_text",
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


def bundled_rubrics() -> list[str]:
    """Names of the rubrics bundled in the wheel (paths under ``rubrics/`` without extension).

    >>> "health/slavkokernel" in bundled_rubrics()
    True
    """
    return list(_bundled_rubrics())


def bundled_text(name: str) -> str:
    """The text of a bundled rubric, to read or to copy and adapt."""
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


class Rubric:
    """A loaded, validated rubric (today: ``kind = "health"``).

    Load with `Rubric.from_path`, `Rubric.from_toml`, `Rubric.from_json` or
    `Rubric.bundled`; score one account with `score` or a whole table with `score_batch`.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _NativeRubric) -> None:
        self._native = native

    @classmethod
    def from_path(cls, path: str | _os.PathLike[str]) -> Rubric:
        """Load a ``.toml`` or ``.json`` rubric file.

        Raises `RubricError` (unreadable, syntax) or `ValidationError` (invalid rubric).
        """
        return cls(_NativeRubric.from_path(_os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from TOML text; ``name`` names it in errors."""
        return cls(_NativeRubric.from_text(text, "toml", name))

    @classmethod
    def from_json(cls, text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from JSON text; ``name`` names it in errors."""
        return cls(_NativeRubric.from_text(text, "json", name))

    @classmethod
    def bundled(cls, name: str) -> Rubric:
        """Load a rubric bundled in the wheel, such as ``"health/slavkokernel"``."""
        return cls(_NativeRubric.bundled(name))

    @property
    def kind(self) -> str:
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
        """Where the rubric was loaded from (a path, ``<inline>``, ``<bundled>/name.toml``)."""
        return self._native.info()[5]

    @property
    def input_columns(self) -> list[str]:
        """The columns the rubric reads (component ids and metric ids)."""
        return list(self._native.input_columns())

    @property
    def bands(self) -> list[dict[str, Any]]:
        """The bands from the top down: label, min (Decimal), action, owner, urgency."""
        bands = _json.loads(self._native.bands_json())
        for b in bands:
            b["min"] = _dec(b["min"])
        return bands

    def to_dict(self) -> dict[str, Any]:
        """The rubric model as plain data (numbers as strings, exact)."""
        return _json.loads(self._native.spec_json())

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
            raise TypeError(f"account must be a mapping, not {type(account).__name__}")
        text = _json.dumps({str(k): _cell(v) for k, v in account.items()})
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

    def __repr__(self) -> str:
        return f"<csrubric.Rubric {self.kind} {self.id} {self.version}>"


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
    raise TypeError(
        "score_batch takes a pandas or polars DataFrame, a pyarrow Table or RecordBatch, "
        f"a dict of arrays or an Arrow stream, not {type(data).__name__}"
    )


def _table_error(message: str) -> InputError:
    err = InputError(message)
    err.code = "input_file"
    err.file = None
    err.row = None
    err.id = None
    err.column = None
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
