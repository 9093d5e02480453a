"""Pure steps of the training workflow: data checks, metrics parsing, package metadata."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping, Sequence


class DataInvalid(ValueError):  # noqa: N818 - the name is what a Step Functions Catch matches on.
    """The training data does not have the expected schema or size."""


def split_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/key` -> (bucket, key)."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def check_csv(body: bytes, expected_columns: Sequence[str], min_rows: int) -> dict[str, object]:
    """Check the header and row count of a CSV; returns rows and sha256 of the bytes.

    Raises:
        DataInvalid: naming the columns that differ or the row count found.
    """
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    header = rows[0] if rows else []
    problems = []
    if header != list(expected_columns):
        problems.append(f"header is {header}, expected {list(expected_columns)}")
    count = max(len(rows) - 1, 0)
    if count < min_rows:
        problems.append(f"{count} data rows, at least {min_rows} required")
    if problems:
        raise DataInvalid("; ".join(problems))
    return {"rows": count, "sha256": hashlib.sha256(body).hexdigest()}


def parse_metrics(body: bytes) -> dict[str, float]:
    """Read `{"metrics": {name: number}}` from an evaluation report."""
    document = json.loads(body)
    metrics = document.get("metrics") if isinstance(document, dict) else None
    if not isinstance(metrics, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in metrics.values()
    ):
        raise DataInvalid(
            f"evaluation report must hold {{'metrics': {{name: number}}}}, got {document!r}"
        )
    return {str(k): float(v) for k, v in metrics.items()}


def package_metadata(
    metrics: Mapping[str, float], lineage: Mapping[str, str], hyperparameters: Mapping[str, object]
) -> dict[str, str]:
    """`CustomerMetadataProperties` of a model package: metrics, lineage and hyperparameters."""
    result = {f"metric:{k}": repr(float(v)) for k, v in sorted(metrics.items())}
    result.update({f"lineage:{k}": str(v) for k, v in sorted(lineage.items()) if v})
    result["hyperparameters"] = json.dumps(dict(hyperparameters), sort_keys=True)
    return result
