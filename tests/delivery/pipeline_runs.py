"""What CodePipeline resolves in a run started by the registry trigger, to resolve an input."""

from __future__ import annotations

import json
import re
from typing import Any

PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/dev-fraud-detector-ab12cd34/4"
RUN = {
    "variables.PackageArn": PACKAGE,
    "variables.PackageVersion": "4",
    "variables.ModelDataUrl": "s3://acme-ml-models-dev/fraud-detector/4/model.tar.gz",
    "SourceVariables.CommitId": "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
    "BuildVariables.IMAGE_URI": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-detector-cd",
    "BuildVariables.IMAGE_TAG": "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
    "BuildVariables.IMAGE_DIGEST": "sha256:" + "3f" * 32,
    "codepipeline.PipelineExecutionId": "5d1c6a0e-8f2b-4c1e-9a7d-2b3c4d5e6f70",
}
"""Each `#{namespace.name}` a deploy input may use, as a registry-started run resolves it."""
_REFERENCE = re.compile(r"#\{([A-Za-z0-9_.-]+)\}")


def resolve(text: str, values: dict[str, str] | None = None) -> Any:
    """`text` with each variable replaced as CodePipeline does, parsed as JSON.

    Raises `KeyError` for a variable the run does not have: the input may use no other.
    """
    known = RUN if values is None else values
    return json.loads(_REFERENCE.sub(lambda match: known[match.group(1)], text))
