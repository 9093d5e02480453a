"""A compliant ModelEndpoint to start every component test from, changing one thing per test."""

from __future__ import annotations

from typing import Any

from mlops_platform.components import ModelEndpoint, ModelEndpointArgs, RolloutSpec, VariantSpec
from mlops_platform.components.core.placement import Placement
from mlops_platform.testing import Registration, Registry
from tests.conftest import RunProgram

TAGS = {"Environment": "test", "Owner": "ml-platform"}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.4.0"
NEXT_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:1.5.0"
PREFIX = "s3://acme-models/fraud/"
SUBNETS = ["subnet-0a", "subnet-0b"]
GROUPS = ["sg-models"]
PLACEMENT = Placement(vpc_id="vpc-1234", subnet_ids=SUBNETS, security_group_ids=GROUPS)
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def blue(**overrides: Any) -> VariantSpec:
    """The current version: most of the traffic."""
    fields = {
        "name": "blue",
        "instance_type": "ml.m5.large",
        "instance_count": 2,
        "weight": 90,
        "image": IMAGE,
        "model_data": f"{PREFIX}1.4.0/model.tar.gz",
        **overrides,
    }
    return VariantSpec(**fields)


def green(**overrides: Any) -> VariantSpec:
    """The next version: the rest of the traffic."""
    fields = {
        "name": "green",
        "instance_type": "ml.m5.large",
        "instance_count": 2,
        "weight": 10,
        "image": NEXT_IMAGE,
        "model_data": f"{PREFIX}1.5.0/model.tar.gz",
        **overrides,
    }
    return VariantSpec(**fields)


def endpoint_args(**overrides: Any) -> ModelEndpointArgs:
    """Two production variants, 90/10, rolled out by a 10 % canary, in two private subnets."""
    fields = {
        "variants": [blue(), green()],
        "artifact_prefix": PREFIX,
        "rollout": RolloutSpec.canary(percent=10, wait_seconds=600),
        "tags": TAGS,
        **overrides,
    }
    return ModelEndpointArgs(**fields)


def endpoint(run: RunProgram, **overrides: Any) -> Registry:
    """Run a program holding one `ModelEndpoint("fraud", ...)`."""
    args = endpoint_args(**overrides)
    return run(lambda: ModelEndpoint("fraud", args, PLACEMENT))


def by_name(registry: Registry, type_: str) -> dict[str, Registration]:
    """The registrations of one type, by logical name."""
    return {r.name: r for r in registry.all(type_)}
