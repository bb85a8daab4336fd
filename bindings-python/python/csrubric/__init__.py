"""csrubric: customer-success scoring and rules from rubric files, exact and explainable.

>>> import csrubric
>>> rubric = csrubric.Rubric.from_path("rubrics/health/slavkokernel.toml")  # doctest: +SKIP
>>> rubric.score({"id": "acme", "product_adoption": 90})["band"]  # doctest: +SKIP
"""

from ._csrubric import CsrubricError, InputError, Rubric, RubricError, ScoreError

__all__ = ["CsrubricError", "InputError", "Rubric", "RubricError", "ScoreError"]
