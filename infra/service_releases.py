"""Release records of the model services: seeded by the platform layer, served by the serving one.

A service with `release: managed` serves the image and model URI its record
`/mlops/<env>/release/<serviceName>` names. The platform layer creates the record with the stack
file's first version (`ignore_changes` on the value: only the promotion workflow writes it
afterwards); the serving layer reads it with the same invoke the endpoints use
(`aws.ssm.get_parameter`) and builds each `ModelService` from what it says. Until the platform
layer has created it (`ParameterNotFound`), the serving layer serves the first version.
"""

from __future__ import annotations

from dataclasses import replace

import pulumi
import pulumi_aws as aws

from infra.config import ConfigError, StackConfig
from infra.delivery import NOT_FOUND
from infra.schema.first_release import FirstRelease
from mlops_platform.components.core import Problem
from mlops_platform.components.delivery import releases as _releases
from mlops_platform.components.eks import ModelServiceArgs
from mlops_platform.lambdas.common.release import release_record_name


def _first(service: ModelServiceArgs, seed: FirstRelease) -> str:
    return _releases.first_service_record(
        service=service.service_name,
        image=service.image,
        model_uri=service.model_uri,
        image_digest=seed.image_digest,
        commit=seed.commit,
    )


def seed_service_records(
    stack: StackConfig, options: pulumi.ResourceOptions
) -> dict[str, aws.ssm.Parameter]:
    """Platform layer: the record of every managed service, created with its first version."""
    created = {}
    for service in stack.services:
        seed = stack.service_releases.get(service.service_name)
        if seed is None:
            continue
        name = release_record_name(stack.environment, service.service_name)
        created[service.service_name] = aws.ssm.Parameter(
            f"{stack.environment}-release-{service.service_name}",
            name=name,
            type="String",
            insecure_value=_first(service, seed),  # no secret: plans and summaries show it
            description=f"Release record of {service.service_name}: written by the promotion "
            "workflow",
            tags={**stack.tags, "Name": name, "mlops:target": service.service_name},
            opts=pulumi.ResourceOptions.merge(
                options, pulumi.ResourceOptions(ignore_changes=["insecure_value"])
            ),
        )
    return created


def _read(name: str, first: str, opts: pulumi.InvokeOptions) -> tuple[str, bool]:
    """The record's text and whether it exists; the first version when it does not."""
    try:
        return aws.ssm.get_parameter(name=name, opts=opts).value, True
    except Exception as error:
        if not any(marker in str(error) for marker in NOT_FOUND):
            raise
    return first, False


def served_services(
    stack: StackConfig, options: pulumi.ResourceOptions
) -> tuple[ModelServiceArgs, ...]:
    """Serving layer: the services, each managed one serving exactly its record's version.

    The record is read with `options`' AWS provider (the serving layer's, pinned to the
    stack's account). A record that is not valid for its service stops the program, naming it.
    """
    providers = options.providers
    provider = providers.get("aws") if isinstance(providers, dict) else None
    opts = pulumi.InvokeOptions(provider=provider)
    problems: list[Problem] = []
    served = []
    summary: dict[str, object] = {}
    for index, service in enumerate(stack.services):
        seed = stack.service_releases.get(service.service_name)
        if seed is None:
            served.append(service)
            continue
        name = release_record_name(stack.environment, service.service_name)
        text, exists = _read(name, _first(service, seed), opts)
        try:
            release = _releases.parse_service_record(text, service=service.service_name)
            served.append(
                replace(service, image=str(release.image), model_uri=str(release.model_data))
            )
        except ValueError as error:
            problems.append(Problem(f"mlops:services[{index}]", name, str(error)))
            continue
        source = _releases.RECORD if exists else _releases.FIRST_VERSION
        summary[service.service_name] = {
            "version": release.version, "source": source,
            "image": release.image, "modelUri": release.model_data,
        }  # fmt: skip
    if problems:
        raise ConfigError(f"Release records of {stack.stack!r}", problems)
    pulumi.export("releases", summary)
    return tuple(served)
