"""The release record: what one target of one environment should serve, kept in SSM.

One SSM String parameter per environment and target, named by `release_record_name`, holds the
record as JSON. SSM keeps every version of a parameter, so the history of writes is kept by AWS
as well as by the ledger, and the Pulumi program reads the record with `aws.ssm.get_parameter`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from .events import Reader

PARAMETER_PREFIX = "/mlops"
SEED_SOURCE = "first version"
"""`extra.source` of the record the platform seeds from the stack file (see `ReleaseRecord`)."""


def release_record_name(env: str, target: str) -> str:
    """Name of the SSM parameter holding the release record of `target` in `env`.

    Args:
        env: Environment name (`dev`, `staging`, `prod`).
        target: The endpoint or model service the record describes.

    Returns:
        `/mlops/<env>/release/<target>`.
    """
    return f"{PARAMETER_PREFIX}/{env}/release/{target}"


@dataclass(frozen=True)
class Variant:
    """One production variant the endpoint should run."""

    name: str
    """Variant name."""
    weight: float
    """Traffic weight (a ratio, as in the AWS API)."""
    instance_count: int
    """Instances the variant should run."""


@dataclass(frozen=True)
class ReleaseRecord:
    """What a target should serve; the Pulumi program deploys exactly this.

    Every record the workflow writes names a model package. One other form exists: the seed,
    which the platform creates from the stack file's first version before any promotion ran
    (`extra.source == SEED_SOURCE`). It has no package (`package_arn` is empty): its image, the
    image's digest, its artifact and its commit say what serves, all required as in any record.
    """

    version: int
    """Model package version."""
    package_arn: str
    """Model package ARN; empty only in the seed."""
    image: str
    """Inference image URI as given to SageMaker."""
    image_digest: str
    """`sha256:...` digest the image must resolve to."""
    model_data_url: str
    """S3 URI of the model artefact."""
    commit: str
    """Git commit the model was built from."""
    endpoint_name: str
    """The live endpoint that serves the target."""
    variants: tuple[Variant, ...] = ()
    """Production variants expected live; empty means not checked."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Anything else the writer wants kept (execution ARN, actor)."""

    @property
    def is_seed(self) -> bool:
        """Whether this is the platform's seed from the stack file (no package)."""
        return self.extra.get("source") == SEED_SOURCE

    def to_json(self) -> str:
        """Serialise as the JSON kept in the parameter (keys sorted)."""
        return json.dumps(asdict(self), sort_keys=True)

    def as_dict(self) -> dict[str, Any]:
        """The record as plain values."""
        result: dict[str, Any] = json.loads(self.to_json())
        return result

    @classmethod
    def parse(cls, value: object, subject: str = "release record") -> ReleaseRecord:
        """Build from plain values; raises `InvalidEvent` naming every bad field."""
        reader = Reader(subject, value)
        return reader.done(cls.read(reader))

    @classmethod
    def read(cls, reader: Reader) -> ReleaseRecord:
        """Read the fields from `reader` (problems stay in the reader)."""
        variants = tuple(
            Variant(
                child.name("name"),
                child.number("weight"),
                child.integer("instance_count", minimum=1),
            )
            for child in reader.each("variants")
        )
        extra = reader.mapping("extra", required=False)
        seed = extra.get("source") == SEED_SOURCE
        digest = reader.string("image_digest")
        if digest and not digest.startswith("sha256:"):
            reader.problem("image_digest", digest, "must start with 'sha256:'")
        return cls(
            version=reader.integer("version", minimum=1),
            package_arn=reader.string("package_arn", required=not seed),
            image=reader.string("image"),
            image_digest=digest,
            model_data_url=reader.string("model_data_url"),
            commit=reader.string("commit"),
            endpoint_name=reader.name("endpoint_name"),
            variants=variants,
            extra=extra,
        )


def read_release(ssm: Any, env: str, target: str) -> ReleaseRecord | None:
    """The current release record of `target` in `env`, or None when none was written."""
    try:
        response = ssm.get_parameter(Name=release_record_name(env, target))
    except ssm.exceptions.ParameterNotFound:
        return None
    return ReleaseRecord.parse(json.loads(response["Parameter"]["Value"]))


def write_release(ssm: Any, env: str, target: str, record: ReleaseRecord) -> int:
    """Write `record` as the release of `target` in `env`; returns the parameter version."""
    response = ssm.put_parameter(
        Name=release_record_name(env, target),
        Value=record.to_json(),
        Type="String",
        Overwrite=True,
    )
    return int(response["Version"])


def delete_release(ssm: Any, env: str, target: str) -> None:
    """Remove the release record (a rollback to 'nothing was released')."""
    try:
        ssm.delete_parameter(Name=release_record_name(env, target))
    except ssm.exceptions.ParameterNotFound:
        return
