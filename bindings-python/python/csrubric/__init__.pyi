"""Type stubs for csrubric: customer-success scoring and rules from rubric files."""

import datetime
import decimal
import os
from typing import Any, Iterable, Literal, Mapping, TypeVar, overload

__version__: str

#: The columns `Rubric.score_batch` returns, in order.
RESULT_COLUMNS: tuple[str, ...]

#: The answer keys whose decimal strings become `decimal.Decimal` (see `decode`).
DECIMAL_FIELDS: frozenset[str]

Kind = Literal[
    "health",
    "calendar",
    "sla",
    "escalation",
    "alerts",
    "priority",
    "renewal",
    "kpi",
    "plan",
    "triage",
    "capacity",
    "interventions",
]
"""The rubric kinds."""

Op = Literal[
    "score",
    "history",
    "backtest",
    "business_time",
    "sla",
    "escalate",
    "alerts",
    "prioritize",
    "renewals",
    "kpi",
    "plan",
    "triage",
    "capacity",
    "interventions",
    "test",
]
"""The operations of every kind (`Rubric.ops` lists one rubric's)."""

Rows = Any
"""Input rows: a list of dicts, a pandas or polars DataFrame, a pyarrow Table or
RecordBatch, a dict of columns, CSV text (`str`) or a `pathlib.Path` to a `.csv`/`.json`
file."""

Instant = str | datetime.datetime
"""An instant: RFC 3339 text with an offset, or an aware datetime."""

Day = str | datetime.date
"""A day: `YYYY-MM-DD` text or a date."""

class CsrubricError(Exception):
    """Base class of every csrubric error. Every attribute exists on every error; it is
    None when it does not apply."""

    code: str
    """Stable short code, such as `rubric_invalid`, `input_row`, `invalid_options`."""
    file: str | None
    """The rubric or input file (`<inline>`, `rubrics/health/x.toml`, `<pandas>`...)."""
    path: str | None
    """Rubric path of the first problem, such as `components[2].weight`."""
    line: int | None
    """1-based line (rubric file or script), when known."""
    column: int | str | None
    """1-based column in a rubric file or script; for an `InputError`, the input column
    (or component) at fault."""
    row: int | None
    """1-based input row, when the error is about one row."""
    id: str | None
    """The account id, when known."""
    problems: list[dict[str, Any]] | None
    """A rubric error's problems: `path`, `message`, `line`, `column`."""
    script: str | None
    """A script error's script file."""
    op: str | None
    """An options error's operation."""

class RubricError(CsrubricError):
    """A rubric could not be loaded (unreadable file, unsupported format, syntax error)."""

    file: str
    problems: list[dict[str, Any]]

class ValidationError(RubricError):
    """The rubric parsed but is invalid (unknown field, weights not summing to 100...)."""

class InputError(CsrubricError):
    """The input as a whole is unusable (malformed CSV/JSON, no `id` column, a type csrubric
    cannot read: code `input_type`, then also a `TypeError`), one account given to
    `Rubric.score` cannot be scored, or an operation failed as a whole for its data (the
    domain's code, such as `unknown_value`)."""

class OptionsError(CsrubricError):
    """An option is unknown or has the wrong type or value (`invalid_options`), or the
    rubric's kind has no such operation (`unsupported_operation`)."""

    op: str | None
    #: The option at fault (`min_score`, an unknown `relatve`), `None` when not one option.
    option: str | None

class ScriptError(CsrubricError):
    """A rubric script failed to compile or run (one account given to `Rubric.score`)."""

def bundled_rubrics() -> list[str]:
    """Names of the rubrics bundled in the wheel, every kind, such as `health/slavkokernel`."""

def bundled_text(name: str) -> str:
    """The text of a bundled rubric. Raises `RubricError` for an unknown name."""

def decode(value: Any, key: str | None = None) -> Any:
    """The answer rule: decimal strings under `DECIMAL_FIELDS` keys become `Decimal`s."""

def to_cli_json(value: Any) -> Any:
    """An answer back as the CLI's JSON data (every `Decimal` as its digits)."""

def journey(
    accounts: Rows,
    *,
    today: Day | None = None,
    map: Literal["cradle_to_grave", "cradle-to-grave", "slavkokernel", "slavko_kernel"] | None = None,
) -> list[dict[str, Any]]:
    """Journey stage, owner, segment, tier, advocacy and next touch point of each account.

    `today`: the day (default today, UTC). `map`: seed 004's six stages (default) or seed
    001's five phases.
    """

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

class SelfTestResult:
    """The outcome of a rubric's own `[[examples]]`; true when all passed."""

    @property
    def passed(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def examples(self) -> list[dict[str, Any]]:
        """One per example: `name`, `passed`, `diffs` (`field`, `expected`, `actual`)."""
    @property
    def rubric(self) -> dict[str, str]: ...
    def __bool__(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]:
        """As `csrubric run RUBRIC test` prints it."""

_T = TypeVar("_T")

class Rubric:
    """A loaded, validated rubric of any kind."""

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
    def kind(self) -> Kind: ...
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
    def ops(self) -> list[Op]:
        """The operations of this rubric's kind, `test` last."""
    @property
    def summary(self) -> str:
        """What `csrubric check` prints for the rubric."""
    @property
    def warnings(self) -> list[dict[str, Any]]:
        """Load-time warnings: `path`, `message`."""
    @property
    def input_columns(self) -> list[str]:
        """Health rubrics: the columns read. Other kinds raise `OptionsError`."""
    @property
    def bands(self) -> list[dict[str, Any]]:
        """Health rubrics: the bands, top down. Other kinds raise `OptionsError`."""
    def to_dict(self) -> dict[str, Any]:
        """The rubric model as plain data."""
    def run(self, op: Op | str, data: Rows = None, **options: Any) -> Any:
        """Any operation by name: the answer `csrubric run` prints, decimals decoded."""
    def score(
        self,
        account: Mapping[str, Any],
        *,
        at: Instant | None = None,
        explain: bool = True,
    ) -> HealthResult:
        """Score one account (a mapping with `id` and input columns).

        `at`: the instant overrides are judged at (default now). `explain`: add what it
        takes to reach the next band. Raises `InputError` when the account cannot be scored.
        """
    @overload
    def score_batch(
        self, data: Mapping[str, Any], *, at: Instant | None = None, threads: int | None = None
    ) -> dict[str, Any]: ...
    @overload
    def score_batch(self, data: _T, *, at: Instant | None = None, threads: int | None = None) -> _T: ...
    def score_batch(self, data: Any, *, at: Instant | None = None, threads: int | None = None) -> Any:
        """Score every row of a pandas/polars DataFrame, pyarrow Table/RecordBatch or dict of
        arrays; returns the same kind with `RESULT_COLUMNS`, one row per input row."""
    def history(
        self,
        snapshots: Rows,
        *,
        carry_forward_days: int | None = None,
        window_days: int | None = None,
        explain: bool = False,
    ) -> list[dict[str, Any]]:
        """Health: score dated snapshots (`id`, `date`), with trends and alerts."""
    def backtest(self, accounts: Rows) -> dict[str, Any]:
        """Health: AUC and churn per band of accounts with a `churned` cell."""
    def shadow(self, candidate: Rubric, accounts: Rows) -> list[dict[str, Any]]:
        """Health: each account under this rubric and a candidate; `band_changed`."""
    def business_time(self, rows: Rows) -> list[dict[str, Any]]:
        """Calendar: business time per row."""
    def sla(self, tickets: Rows, *, at: Instant | None = None) -> list[dict[str, Any]]:
        """SLA policy: each ticket's targets, due times, breaches at `at` (default now)."""
    def escalate(self, cases: Rows, *, at: Instant | None = None) -> list[dict[str, Any]]:
        """Escalation matrix: each case's level, owner and next escalation."""
    def alerts(self, accounts: Rows, *, at: Instant | None = None) -> list[dict[str, Any]]:
        """Alert rules: the alerts each account triggers."""
    def prioritize(
        self,
        requests: Rows,
        *,
        vertical: str | None = None,
        classification: Literal[
            "must_have", "performance_enhancer", "delighter", "hygiene_factor", "unclassified"
        ]
        | None = None,
        min_score: int | float | str | decimal.Decimal | None = None,
        relative: bool = False,
        explain: bool = False,
    ) -> list[dict[str, Any]]:
        """Priority rubric: the kept requests best first, then the failed ones."""
    def renewals(
        self,
        contracts: Rows,
        *,
        today: Day | None = None,
        calendar: str | os.PathLike[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Renewal playbook: the pipeline of contracts, by next due milestone."""
    def kpi(self, accounts: Rows) -> dict[str, Any]:
        """KPI rubric: portfolio KPIs against targets."""
    def plan(
        self,
        *,
        kickoff: Day,
        package: str | None = None,
        industry: str | None = None,
        calendar: str | os.PathLike[str] | None = None,
        as_of: Day | None = None,
        done: Iterable[str] = (),
    ) -> dict[str, Any]:
        """Plan template: a dated plan from `kickoff`; with `as_of`, its status."""
    def triage(self, tickets: Rows) -> list[dict[str, Any]]:
        """Triage rules: priority and route of each ticket."""
    def capacity(self, portfolio: Rows, *, roster: Rows | None = None) -> dict[str, Any]:
        """Capacity ratios: CSM headcount for the portfolio, against a roster."""
    def interventions(self, accounts: Rows) -> list[dict[str, Any]]:
        """Intervention rules: risk level and playbooks of each account."""
    def self_test(self) -> SelfTestResult:
        """Run the rubric's own `[[examples]]`."""
