"""Type stubs for csrubric: customer-success scoring from rubric files."""

import datetime
import decimal
import os
from typing import Any, Literal, Mapping, TypeVar, overload

__version__: str

#: The columns `Rubric.score_batch` returns, in order.
RESULT_COLUMNS: tuple[str, ...]

class CsrubricError(Exception):
    """Base class of every csrubric error."""

    code: str
    """Stable short code, such as `rubric_invalid`, `input_row`, `out_of_scale`."""

class RubricError(CsrubricError):
    """A rubric could not be loaded (unreadable file, unsupported format, syntax error)."""

    file: str
    """The rubric file as given (`<inline>`, `<bundled>/health/x.toml` for text)."""
    path: str | None
    """Rubric path of the first problem, such as `components[2].weight` (`.` for the file)."""
    line: int | None
    """1-based line of the first problem, when known."""
    column: int | None
    """1-based column of the first problem, when known."""
    problems: list[dict[str, Any]]
    """Every problem: `path`, `message`, `line`, `column`."""

class ValidationError(RubricError):
    """The rubric parsed but is invalid (unknown field, weights not summing to 100...)."""

class InputError(CsrubricError):
    """An account (input row or table) is unusable."""

    file: str | None
    """The input source, when the error is about a file or table."""
    row: int | None
    """1-based row, when the error is about one row."""
    id: str | None
    """The account id, when known."""
    column: str | None
    """The column (or component) at fault, when known."""

class ScriptError(CsrubricError):
    """A rubric script failed to compile or run (reserved for script rubrics)."""

    script: str | None
    line: int | None
    column: int | None

def bundled_rubrics() -> list[str]:
    """Names of the rubrics bundled in the wheel, such as `health/slavkokernel`."""

def bundled_text(name: str) -> str:
    """The text of a bundled rubric. Raises `RubricError` for an unknown name."""

class HealthResult:
    """The health score of one account, with its explanation."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> Literal["scored", "insufficient_data"]: ...
    @property
    def score(self) -> decimal.Decimal | None:
        """The rounded score, exact."""
    @property
    def band(self) -> str | None: ...
    @property
    def action(self) -> str | None: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def urgency(self) -> str | None: ...
    @property
    def components(self) -> list[dict[str, Any]]:
        """The per-component ledger: id, source, score, weights, contribution, metrics."""
    @property
    def what_it_takes(self) -> dict[str, Any] | None:
        """What each component would need to reach the next band (None at the top)."""
    @property
    def band_override(self) -> dict[str, Any] | None: ...
    @property
    def rubric(self) -> dict[str, str]:
        """The rubric stamp: id, version, hash."""
    def to_dict(self) -> dict[str, Any]:
        """The whole result as the CLI's `--explain --format json` object."""
    def summary(self) -> dict[str, Any]:
        """id, status, score (Decimal), band, action, owner, urgency."""
    def _repr_html_(self) -> str: ...

_T = TypeVar("_T")

class Rubric:
    """A loaded, validated rubric."""

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Rubric:
        """Load a `.toml` or `.json` rubric file."""
    @classmethod
    def from_toml(cls, text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from TOML text; `name` names it in errors."""
    @classmethod
    def from_json(cls, text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from JSON text; `name` names it in errors."""
    @classmethod
    def bundled(cls, name: str) -> Rubric:
        """Load a bundled rubric, such as `"health/slavkokernel"`."""
    @property
    def kind(self) -> Literal["health"]: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def input_columns(self) -> list[str]: ...
    @property
    def bands(self) -> list[dict[str, Any]]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def score(
        self,
        account: Mapping[str, Any],
        *,
        at: str | datetime.datetime | None = None,
        explain: bool = True,
    ) -> HealthResult:
        """Score one account (a mapping with `id` and input columns).

        `at`: the instant overrides are judged at (default now). `explain`: add what it
        takes to reach the next band. Raises `InputError` when the account cannot be scored.
        """
    @overload
    def score_batch(
        self, data: Mapping[str, Any], *, at: str | datetime.datetime | None = None, threads: int | None = None
    ) -> dict[str, Any]: ...
    @overload
    def score_batch(
        self, data: _T, *, at: str | datetime.datetime | None = None, threads: int | None = None
    ) -> _T: ...
    def score_batch(self, data: Any, *, at: str | datetime.datetime | None = None, threads: int | None = None) -> Any:
        """Score every row of a pandas/polars DataFrame, pyarrow Table/RecordBatch or dict of
        arrays; returns the same kind with `RESULT_COLUMNS`, one row per input row."""
