"""The stack's delivery plane: release records, a pipeline per model, CI roles for GitHub.

`apply_releases` runs before the endpoints are built: every variant with `release: managed`
serves what its release record says. The record is an SSM parameter the platform creates with
the stack file's version (`ignore_changes` on the value, so `pulumi up` never reverts a release)
and the promotion workflow writes afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pulumi
import pulumi_aws as aws

from infra.config import ConfigError, StackConfig
from infra.schema.endpoints import EndpointDeclaration
from infra.schema.first_release import FirstRelease
from mlops_platform.components.core import Problem
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.delivery import GithubOidc, GithubOidcArgs
from mlops_platform.components.delivery import releases as _releases
from mlops_platform.components.delivery.args import DeployStage, ModelPipelineArgs
from mlops_platform.components.delivery.deploy_input import PromotionSettings, ReleaseVariant
from mlops_platform.components.delivery.pipeline import ModelPipeline
from mlops_platform.components.network import Network
from mlops_platform.components.sagemaker import ModelEndpoint
from mlops_platform.components.sagemaker.variants import VariantSpec
from mlops_platform.components.workflows import ExecutionDefaults
from mlops_platform.lambdas.common.release import release_record_name

NOT_FOUND = ("ParameterNotFound", "couldn't find resource")
"""How AWS and the provider say that a parameter does not exist (a stack's first deploy)."""


def _invoke_options(options: pulumi.ResourceOptions) -> pulumi.InvokeOptions:
    providers = options.providers
    provider = providers.get("aws") if isinstance(providers, dict) else None
    return pulumi.InvokeOptions(provider=provider)


def read_release(
    name: str, first: str, *, target: str, endpoint: str, variant: str, opts: pulumi.InvokeOptions
) -> _releases.Release:
    """The record `name` as the program must deploy it; the first version when none exists."""
    try:
        text = aws.ssm.get_parameter(name=name, opts=opts).value
    except Exception as error:
        if not any(marker in str(error) for marker in NOT_FOUND):
            raise
        text = first
    release = _releases.parse_record(text, target=target, endpoint=endpoint, variant=variant)
    return release if text != first else replace(release, source=_releases.FIRST_VERSION)


def _repositories(found: list[str], release: _releases.Release) -> list[str]:
    """The endpoint's image repositories plus the one of the released image."""
    arn = _releases.repository_arn(release.image or release.package_image or "")
    return [*found, arn] if arn and arn not in found else found


def _served(variant: VariantSpec, release: _releases.Release) -> VariantSpec:
    if release.image is None:
        return replace(variant, model_package=release.package_arn, image=None, model_data=None)
    return replace(variant, model_package=None, image=release.image, model_data=release.model_data)


def apply_releases(
    stack: StackConfig, options: pulumi.ResourceOptions
) -> tuple[StackConfig, dict[str, _releases.Release]]:
    """The stack with each managed variant serving its release, and the releases by target."""
    opts = _invoke_options(options)
    found: dict[str, _releases.Release] = {}
    problems: list[Problem] = []
    declarations = []
    for index, declaration in enumerate(stack.endpoints):
        variants = list(declaration.args.variants)
        repositories = list(declaration.args.image_repositories)
        for position, variant in enumerate(variants):
            if variant.name not in declaration.managed_variants:
                continue
            target = declaration.name  # the workflow's target: one record per endpoint
            name = release_record_name(stack.environment, target)
            first = _first(declaration.name, variant, declaration.first_releases[variant.name])
            _parameter(stack, name, target, first, options)
            try:
                release = read_release(
                    name, first, target=target, endpoint=declaration.name,
                    variant=variant.name, opts=opts,
                )  # fmt: skip
            except ValueError as error:
                problems.append(Problem(f"mlops:endpoints[{index}]", name, str(error)))
                continue
            found[target] = release
            variants[position] = _served(variant, release)
            repositories = _repositories(repositories, release)
        args = replace(declaration.args, variants=variants, image_repositories=repositories)
        declarations.append(replace(declaration, args=args))
    if problems:
        raise ConfigError(f"Release records of {stack.stack!r}", problems)
    pulumi.export("releases", {t: _summary(r) for t, r in found.items()})
    return replace(stack, endpoints=tuple(declarations)), found


def _first(endpoint: str, variant: VariantSpec, seed: FirstRelease) -> str:
    package = variant.model_package if isinstance(variant.model_package, str) else None
    return _releases.first_record(
        image_digest=seed.image_digest,
        commit=seed.commit,
        endpoint_name=endpoint,
        variant=variant.name,
        package_arn=package,
        image=variant.image,
        model_data=variant.model_data,
        instance_count=variant.instance_count,
        weight=variant.weight,
    )


def _parameter(
    stack: StackConfig, name: str, target: str, first: str, options: pulumi.ResourceOptions
) -> aws.ssm.Parameter:
    """The record, created with the first version; later writes are the workflow's alone."""
    return aws.ssm.Parameter(
        f"{stack.environment}-release-{target}",
        name=name,
        type="String",
        insecure_value=first,  # a release is no secret: plans and the summary show it
        description=f"Release record of {target}: written by the promotion workflow",
        tags={**stack.tags, "Name": name, "mlops:target": target},
        opts=pulumi.ResourceOptions.merge(
            options, pulumi.ResourceOptions(ignore_changes=["insecure_value"])
        ),
    )


def _summary(release: _releases.Release) -> dict[str, object]:
    served = {"package": release.package_arn} if release.image is None else {
        "image": release.image, "modelData": release.model_data,
        **({"package": release.package_arn} if release.package_arn else {}),
    }  # fmt: skip
    return {"version": release.version, "source": release.source, **served}


def create_delivery(
    stack: StackConfig,
    network: Network,
    endpoints: dict[str, ModelEndpoint],
    promotion_machine: pulumi.Input[str] | None,
    options: pulumi.ResourceOptions,
) -> dict[str, ModelPipeline]:
    """The CI roles and one pipeline per delivered endpoint; nothing without `mlops:delivery`.

    The deploy stages start `promotion_machine` (the stack's own promotion workflow), unless
    the block names another one.
    """
    config = stack.delivery
    if config is None:
        return {}
    machine = config.promotion_state_machine_arn or promotion_machine
    if machine is None:
        raise ConfigError(
            f"Stack config of {stack.stack!r}",
            [
                Problem(
                    "mlops:delivery.promotionStateMachineArn",
                    "(unset)",
                    "the deploy stages start a promotion workflow: add mlops:workflows to this "
                    "stack, or name an existing workflow's ARN",
                )
            ],
        )
    env = stack.environment
    stack_role = _stack_role(stack)
    GithubOidc(
        f"{env}-github",
        GithubOidcArgs(
            repository=config.platform_repository,
            environments=[env],
            assumable_role_arns=[stack_role],
            provider_arn=config.oidc_provider_arn,
            pull_request_role=config.pull_request_role,
            tags=stack.tags,
        ),
        options,
    )
    private = stack.cluster is not None and not stack.cluster.endpoint_public_access
    placement = network.placement() if private else None
    managed = tuple(d.name for d in stack.endpoints if d.managed_variants)
    models = config.models if config.models is not None else managed
    pipelines = {}
    for declaration in stack.endpoints:
        if declaration.name not in models:
            continue
        endpoint = endpoints[declaration.name]
        stage = _stage(stack, declaration, endpoint, stack_role, machine)
        args = ModelPipelineArgs(
            settings=config.settings,
            model_package_group=endpoint.model_package_group_name,
            stages=[stage],
            platform_repository=config.platform_repository,
            connection_arn=config.connection_arn,
            statistics_prefix=declaration.args.artifact_prefix,
            log_retention_days=declaration.args.log_retention_days,
            protect_data=stack.protect_data,
            tags={**stack.tags, "Endpoint": declaration.name},
        )
        pipelines[declaration.name] = ModelPipeline(
            f"{env}-{declaration.name}-cd", args, placement, options
        )
    pulumi.export("pipelines", {m: p.pipeline_name for m, p in pipelines.items()})
    return pipelines


def _stack_role(stack: StackConfig) -> pulumi.Input[str]:
    """The deployer role of the stack's account (config refuses delivery without an account)."""
    if stack.account is None:
        raise ConfigError(
            f"Stack config of {stack.stack!r}",
            [Problem("mlops:account", "(unset)", "required by mlops:delivery")],
        )
    return stack.account.role_arn


def _stage(
    stack: StackConfig,
    declaration: EndpointDeclaration,
    endpoint: ModelEndpoint,
    stack_role: pulumi.Input[str],
    machine: pulumi.Input[str],
) -> DeployStage:
    name, managed = declaration.name, declaration.managed_variants
    variants = declaration.args.variants
    config = stack.delivery
    assert config is not None
    context = AwsContext.of(endpoint)
    alarm = endpoint.rollback_alarm_names.apply(lambda names: names[0])
    rollback = config.settings.alarm_rollback
    staging = stack.environment == "staging"
    return DeployStage(
        environment=stack.environment,
        target=name,
        promotion_state_machine_arn=machine,
        stack_role_arn=stack_role,
        approval=config.settings.approval,
        rollback_alarm_name=alarm if rollback else None,
        rollback_alarm_arn=context.arn("cloudwatch", pulumi.Output.concat("alarm:", alarm))
        if rollback
        else None,
        integration_endpoint_name=endpoint.endpoint_name if staging else None,
        integration_endpoint_arn=endpoint.endpoint_arn if staging else None,
        endpoint_name=endpoint.endpoint_name,
        variants=_release_variants(variants, managed),
        bake_alarm_names=endpoint.rollback_alarm_names,
        promotion=_promotion(stack),
    )


def _release_variants(
    variants: Sequence[VariantSpec], managed: tuple[str, ...]
) -> tuple[ReleaseVariant, ...]:
    """The target's variants as its record expects them.

    The managed variant when there is one, else every production variant of the endpoint.
    """
    chosen = [v for v in variants if v.name in managed[:1]]
    chosen = chosen or [v for v in variants if not v.shadow]
    return tuple(ReleaseVariant(v.name, float(v.weight), v.instance_count) for v in chosen)


def _promotion(stack: StackConfig) -> PromotionSettings:
    """The workflow's settings the deploy action sends: `mlops:workflows`' execution defaults."""
    defaults = stack.workflows.defaults if stack.workflows else ExecutionDefaults()
    return PromotionSettings(
        approval_required=defaults.approval_required,
        approval_timeout_seconds=defaults.approval_timeout_seconds,
        bake_interval_seconds=defaults.bake_interval_seconds,
        bake_checks=defaults.bake_checks,
        lock_ttl_seconds=defaults.lock_ttl_seconds,
    )
