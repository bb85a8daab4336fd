from typing import Any, Mapping

class CsrubricError(Exception):
    """Base class of every csrubric error. `code` is a stable short string."""
    code: str

class RubricError(CsrubricError):
    """A rubric file could not be loaded: `problems` lists path, message, line, column."""
    problems: list[dict[str, Any]]

class InputError(CsrubricError):
    """An input record is unusable (no id, malformed)."""

class ScoreError(CsrubricError):
    """An account could not be scored (a value outside its scale, a missing input...)."""

class Rubric:
    """A loaded, validated health rubric."""
    @staticmethod
    def from_path(path: str) -> Rubric:
        """Load a `.toml` or `.json` rubric file."""
    @staticmethod
    def from_toml(text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from TOML text; `name` names it in errors."""
    @staticmethod
    def from_json(text: str, name: str = "<inline>") -> Rubric:
        """Load a rubric from JSON text; `name` names it in errors."""
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def hash(self) -> str: ...
    def score(self, account: Mapping[str, Any], *, at: str | None = None) -> dict[str, Any]:
        """Score one account (a mapping with `id` and input columns). Decimals come back as strings."""
