"""The stack's promotion and training workflows, over its managed targets, deploying in its VPC.

The targets are what a promotion can change: every endpoint with a `release: managed` variant
and every model service with `release: managed` (a pinned target's record would be written but
never served). A stack with `mlops:workflows` and no such target gets no workflows, and its
preview says so (a documented no-op: nothing could be promoted).

Stack outputs: `workflows` holds the state machines' ARNs, the tables' names, the topic, the
deploy project and the execution defaults. The release CLI reads them from the stack's outputs
(`pulumi stack output workflows --stack <env>`); nothing is looked up by a physical name.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pulumi

from infra.config import StackConfig
from mlops_platform.components.eks import GpuCluster, ModelServiceArgs
from mlops_platform.components.network import Network
from mlops_platform.components.sagemaker import ModelEndpoint
from mlops_platform.components.workflows import (
    PromotionWorkflows,
    PromotionWorkflowsArgs,
    ServiceCluster,
    ServiceTarget,
    ServingDeploy,
    WorkflowTarget,
)

LAMBDAS_ROOT = Path(__file__).resolve().parent.parent / "lambdas"
"""The handlers' sources, next to `infra/` in the repository."""
ARCHIVE_DIR = Path("build/lambda")
"""Where the zips are written, relative to the project (the engine runs the program there)."""
NO_TARGETS = (
    "mlops:workflows is set but nothing can be promoted: no endpoint has a `release: managed` "
    "variant and no model service has `release: managed`; no workflows are created"
)
"""The warning of a stack whose workflows would have no target."""


def endpoint_targets(
    stack: StackConfig, endpoints: dict[str, ModelEndpoint]
) -> list[WorkflowTarget]:
    """Every endpoint with a managed variant, bake watching its rollback alarms."""
    return [
        WorkflowTarget(
            name=declaration.name,
            endpoint_name=endpoints[declaration.name].endpoint_name,
            package_group=endpoints[declaration.name].model_package_group_name,
            alarm_names=endpoints[declaration.name].rollback_alarm_names,
            artifact_prefix=declaration.args.artifact_prefix,
        )
        for declaration in stack.endpoints
        if declaration.managed_variants
    ]


def service_artifact_prefix(service: ModelServiceArgs) -> str:
    """`s3://<bucket of the model URI>/<service>/`: where the service's models live."""
    bucket = service.model_uri.removeprefix("s3://").split("/", 1)[0]
    return f"s3://{bucket}/{service.service_name}/"


def service_targets(stack: StackConfig, cluster: GpuCluster | None) -> list[WorkflowTarget]:
    """Every managed model service, on the stack's one cluster.

    Its namespace and Rollout are named after the service (as `ModelService` names them). It has
    no model package group of its own: its packages may come from any `<env>-<service>-*`
    registry (what its release record accepts). Bake watches no CloudWatch alarm: the platform
    emits no CloudWatch metric of a service; Argo's analysis (the Prometheus error rate and
    latency) judges the canary, and an aborted Rollout fails verify as a silent rollback.
    """
    managed = [s for s in stack.services if s.service_name in stack.service_releases]
    if cluster is None or not managed:
        return []
    on = ServiceCluster(
        cluster_name=cluster.cluster_name,
        cluster_arn=cluster.cluster_arn,
        api_security_group_id=cluster.api_security_group_id,
    )  # one object: every EKS target names the same cluster
    return [
        WorkflowTarget(
            name=service.service_name,
            service=ServiceTarget(cluster=on, namespace=service.service_name),
            package_group=f"*-{service.service_name}-*",
            alarm_names=[],
            artifact_prefix=service_artifact_prefix(service),
        )
        for service in managed
    ]


def serving_deploy(stack: StackConfig) -> ServingDeploy:
    """How the deploy project applies the serving layer: the cluster deployer's backend."""
    deployer = stack.cluster.deployer if stack.cluster is not None else None
    if deployer is None:
        return ServingDeploy(serving_prefix=f"{stack.environment}-serving")
    return ServingDeploy(
        backend_url=deployer.backend_url,
        secrets_key_arn=deployer.secrets_key_arn,
        serving_prefix=deployer.serving_prefix,
    )


def create_workflows(
    stack: StackConfig,
    network: Network,
    endpoints: dict[str, ModelEndpoint],
    options: pulumi.ResourceOptions,
    cluster: GpuCluster | None = None,
) -> PromotionWorkflows | None:
    """The workflows over every managed target, when the stack has `mlops:workflows`."""
    settings = stack.workflows
    if settings is None:
        return None
    targets = [*endpoint_targets(stack, endpoints), *service_targets(stack, cluster)]
    if not targets:
        pulumi.log.warn(NO_TARGETS)
        return None
    deploy = settings.deploy
    if any(target.service is not None for target in targets):
        deploy = replace(deploy, serving=serving_deploy(stack))
    args = PromotionWorkflowsArgs(
        environment=stack.environment,
        targets=targets,
        deploy=deploy,
        lambdas_root=LAMBDAS_ROOT,
        archive_dir=ARCHIVE_DIR,
        defaults=settings.defaults,
        log_retention_days=settings.log_retention_days,
        protect_data=settings.protect_data,
        tags=settings.tags,
    )
    return PromotionWorkflows(f"{stack.environment}-workflows", args, network.placement(), options)


def workflow_outputs(workflows: PromotionWorkflows) -> dict[str, object]:
    """What the release CLI and operators need: where to start runs, where the ledger is."""
    return {
        "promotionStateMachineArn": workflows.promotion_state_machine_arn,
        "trainingStateMachineArn": workflows.training_state_machine_arn,
        "ledgerTableName": workflows.ledger_table_name,
        "lockTableName": workflows.lock_table_name,
        "topicArn": workflows.topic_arn,
        "deployProjectName": workflows.deploy_project_name,
        "functionNames": workflows.function_names,
        "codeSha256": workflows.code_sha256,
        "executionDefaults": workflows.execution_defaults,
    }
