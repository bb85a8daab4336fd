"""Score a Spark DataFrame of accounts with a csrubric rubric bundled in the wheel.

Nothing of ours runs on the cluster beyond the `csrubric` wheel installed on the workers:
`mapInArrow` hands each worker's partitions to `Rubric.score_batch` as Arrow record batches
(no per-row Python objects), and the results come back as Arrow.

    pip install csrubric pyspark
    python examples/spark_score.py examples/health/slavkokernel.csv

Ids are checked for duplicates within each Arrow batch, not across the whole DataFrame
(deduplicate upstream if the source can repeat an id), and row numbers in error messages
count from the start of each batch; everything else equals scoring the table in one process.
"""

from __future__ import annotations

import sys
from typing import Any, Iterator

RESULT_SCHEMA = (
    "id string, status string, score decimal(38,{decimals}), band string, action string, "
    "owner string, urgency string, error_code string, error string"
)


def score_spark(df: Any, rubric_name: str = "health/slavkokernel", at: str | None = None) -> Any:
    """Score every row of the Spark DataFrame `df` (an `id` column plus the rubric's input
    columns) with the bundled rubric `rubric_name`; returns a DataFrame of the result columns."""
    import csrubric

    decimals = _decimals(csrubric.Rubric.bundled(rubric_name))

    def score_batches(batches: Iterator[Any]) -> Iterator[Any]:
        import csrubric  # imported on the worker

        rubric = csrubric.Rubric.bundled(rubric_name)
        for batch in batches:
            yield rubric.score_batch(batch, at=at)

    return df.mapInArrow(score_batches, RESULT_SCHEMA.format(decimals=decimals))


def _decimals(rubric: Any) -> int:
    return int(rubric.to_dict().get("rounding", {}).get("decimals", 2))


def local_session(app: str = "csrubric", cores: int = 2) -> Any:
    """A local Spark session with Arrow enabled (for examples and tests)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "examples/health/slavkokernel.csv"
    spark = local_session()
    try:
        accounts = spark.read.csv(path, header=True, inferSchema=True)
        scored = score_spark(accounts)
        scored.select("id", "score", "band", "urgency", "error").show(truncate=False)
        scored.groupBy("band").count().orderBy("band").show()
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
