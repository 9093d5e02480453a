"""Where a variant's model comes from, inside what the models' role may read.

An ECR image and an S3 artifact, or a registered package: pure functions of plain values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mlops_platform.components.core.checks import is_whole
from mlops_platform.components.core.errors import Problem
from mlops_platform.components.sagemaker.variants import VariantSpec

_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?"
    r"/(?P<repository>[a-z0-9][a-z0-9._/-]*)(:[\w.-]{1,128}|@sha256:[0-9a-f]{64})$"
)
_ECR_REPOSITORY_ARN = re.compile(r"^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository/[a-z0-9._/-]+$")
_S3_URI = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>.*)$")
_PACKAGE_ARN = re.compile(
    r"^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package/[a-zA-Z0-9-]{1,63}/\d+$"
)


def repository_arn(image: str) -> str | None:
    """The ECR repository ARN an image URI comes from; None when it is not an ECR image."""
    match = _ECR_IMAGE.match(image)
    if match is None:
        return None
    partition = "aws-cn" if match["cn"] else "aws"
    return (
        f"arn:{partition}:ecr:{match['region']}:{match['account']}:repository/{match['repository']}"
    )


def split_s3_uri(uri: str) -> tuple[str, str] | None:
    """`s3://bucket/key` as (bucket, key); None when it is not an S3 URI."""
    match = _S3_URI.match(uri)
    return (match["bucket"], match["key"]) if match else None


def check_sources(
    variants: Sequence[VariantSpec], artifact_prefix: str, image_repositories: Sequence[str]
) -> list[Problem]:
    """Where each variant's model comes from, inside what the model's role may read."""
    problems = []
    if (
        not isinstance(artifact_prefix, str)
        or split_s3_uri(artifact_prefix) is None
        or not artifact_prefix.endswith("/")
    ):
        problems.append(
            Problem(
                "artifact_prefix",
                artifact_prefix,
                "an s3:// prefix ending in '/', e.g. s3://acme-models/fraud/; the model's role "
                "reads nothing else",
            )
        )
    prefix = artifact_prefix if isinstance(artifact_prefix, str) else ""  # reported above
    for index, variant in enumerate(variants):
        problems += _check_source(index, variant, prefix)
    problems += [
        Problem(
            f"image_repositories[{index}]",
            arn,
            "an ECR repository ARN, e.g. arn:aws:ecr:us-east-1:123456789012:repository/fraud",
        )
        for index, arn in enumerate(image_repositories)
        if not isinstance(arn, str) or not _ECR_REPOSITORY_ARN.match(arn)
    ]
    packaged = [f"variants[{i}]" for i, v in enumerate(variants) if v.model_package is not None]
    if packaged and not image_repositories:
        problems.append(
            Problem(
                "image_repositories",
                [],
                f"{', '.join(packaged)} serve model packages; list the ECR repositories their "
                "images come from, so the model's role may pull them",
            )
        )
    return problems


def _check_source(index: int, variant: VariantSpec, artifact_prefix: str) -> list[Problem]:
    field = f"variants[{index}]"
    package = variant.model_package
    if package is not None:
        problems = []
        if variant.image is not None or variant.model_data is not None:
            problems.append(
                Problem(
                    f"{field}.model_package",
                    package,
                    "remove the image and the model artifact: a package defines both",
                )
            )
        if not _valid_package(package):
            problems.append(
                Problem(
                    f"{field}.model_package",
                    package,
                    "a model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/"
                    "<group>/<version>) or a version number (1 or more) of the endpoint's group",
                )
            )
        return problems
    return _check_image_and_artifact(field, variant, artifact_prefix)


def _check_image_and_artifact(
    field: str, variant: VariantSpec, artifact_prefix: str
) -> list[Problem]:
    problems = []
    if variant.image is None:
        problems.append(
            Problem(
                f"{field}.image",
                None,
                "an ECR image URI, unless the variant serves a model package",
            )
        )
    elif not isinstance(variant.image, str) or repository_arn(variant.image) is None:
        problems.append(
            Problem(
                f"{field}.image",
                variant.image,
                "an ECR image URI with a tag or digest, e.g. "
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.4.0",
            )
        )
    if variant.model_data is None:
        problems.append(
            Problem(
                f"{field}.model_data",
                None,
                "an s3:// model artifact, unless the variant serves a model package",
            )
        )
    elif not isinstance(variant.model_data, str) or not variant.model_data.startswith(
        artifact_prefix
    ):
        problems.append(
            Problem(
                f"{field}.model_data",
                variant.model_data,
                f"must lie under the artifact prefix {artifact_prefix}, the only prefix the "
                "model's role may read",
            )
        )
    return problems


def _valid_package(package: object) -> bool:
    if is_whole(package):
        return package >= 1
    return isinstance(package, str) and bool(_PACKAGE_ARN.match(package))
