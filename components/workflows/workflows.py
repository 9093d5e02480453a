"""One environment's promotion and training workflows, wired to real functions and tables."""

from __future__ import annotations

from dataclasses import fields as _fields
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import ArgsError
from mlops_platform.components.core.logs import encrypted_log_group
from mlops_platform.components.core.placement import Placement
from mlops_platform.components.workflows import _deploy, _machines, _stores
from mlops_platform.components.workflows._cluster_access import grant_read, verifier_network
from mlops_platform.components.workflows._functions import LOG_PREFIX, Shared, create_function
from mlops_platform.components.workflows._grants import function_specs, training_job_role
from mlops_platform.components.workflows.args import (
    PromotionWorkflowsArgs,
    check_name,
    service_targets,
)
from mlops_platform.components.workflows.definitions import (
    PromotionFunctions,
    TrainingFunctions,
    alarm_rule_pattern,
    promotion_definition,
    training_definition,
)
from mlops_platform.components.workflows.packaging import build_archive

TYPE = "mlops:workflows:PromotionWorkflows"


def fields(functions: Any) -> list[str]:
    """The field names of a `PromotionFunctions` or `TrainingFunctions` class."""
    return [field.name for field in _fields(functions)]


class PromotionWorkflows(pulumi.ComponentResource):
    """Promotion and training state machines with their functions, ledger, locks and deploy.

    Executions take their waits, approval and lock expiry from the input; the release CLI
    fills them from `execution_defaults`.
    """

    promotion_state_machine_arn: pulumi.Output[str]
    """Start promotions here (one execution per target and version)."""
    training_state_machine_arn: pulumi.Output[str]
    """Start training and registration runs here."""
    ledger_table_name: pulumi.Output[str]
    """The append-only ledger (`pk` `<env>#<target>`, GSI `serving`)."""
    lock_table_name: pulumi.Output[str]
    """Promotion locks and incident claims."""
    topic_arn: pulumi.Output[str]
    """Approvals and outcome notices; subscribe the release owners."""
    deploy_project_name: pulumi.Output[str]
    """The CodeBuild project that runs `pulumi up` of the environment."""
    function_names: pulumi.Output[dict[str, str]]
    """Every function's name, by handler."""
    code_sha256: dict[str, str]
    """Every function's archive sha256 (hex), by handler: what it ships."""
    execution_defaults: dict[str, Any]
    """Approval, bake and lock-TTL parts of every promotion's input."""

    def __init__(
        self,
        name: str,
        args: PromotionWorkflowsArgs,
        placement: Placement,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the workflows in `placement`'s private subnets.

        The deploy project runs there, and so does the verifier when a target is an EKS model
        service.
        """
        problems = check_name(name)
        if problems:
            raise ArgsError("PromotionWorkflows", problems)
        super().__init__(TYPE, name, None, opts)
        children = Children(name, self, args.tags, args.protect_data)
        context = AwsContext.of(self)
        prefixes = [f"{LOG_PREFIX}{name}/", f"{_machines.LOG_PREFIX}{name}-", f"/mlops/{name}/"]
        key = _stores.create_key(children, context, prefixes)
        topic = _stores.create_topic(children, key)
        ledger = _stores.create_ledger(children, key)
        locks = _stores.create_coordination(children, key)
        deploy_logs = _deploy_logs(children, key, args.log_retention_days)
        project = _deploy.create_project(
            children, context, environment=args.environment, spec=args.deploy,
            placement=placement, log_group=deploy_logs,
            services={t.name: t.service.cluster for t in args.targets if t.service is not None},
        )  # fmt: skip
        alarm_arns = _alarm_arns(context, args)
        shared = Shared(
            children, context, key, args.log_retention_days, args.lambdas_root, args.archive_dir
        )
        services = service_targets(args.targets)
        specs = function_specs(
            args, context, ledger=ledger, locks=locks, project=project, alarm_arns=alarm_arns,
            training_role=training_job_role(children, context, args),
            verify_network=(
                verifier_network(children, services[0].cluster, placement) if services else None
            ),
        )  # fmt: skip
        functions = {spec.handler: create_function(shared, spec) for spec in specs}
        if services:
            grant_read(children, context, services[0].cluster, functions["verify"].role,
                       [service.namespace for service in services])  # fmt: skip
        arns = {handler: function.arn for handler, function in functions.items()}
        promotion = _machines.create_state_machine(
            children, context, kind="promotion",
            definition=_definition(promotion_definition, PromotionFunctions, arns, topic),
            function_arns=[arns[f] for f in fields(PromotionFunctions)],
            topic=topic, key=key, retention_days=args.log_retention_days,
        )  # fmt: skip
        training = _machines.create_state_machine(
            children, context, kind="training",
            definition=_definition(training_definition, TrainingFunctions, arns, topic),
            function_arns=[arns[f] for f in fields(TrainingFunctions)],
            topic=topic, key=key, retention_days=args.log_retention_days,
        )  # fmt: skip
        _machines.create_alarm_rule(
            children, pattern=alarm_arns.apply(alarm_rule_pattern),
            watcher=functions["rollback_trigger"],
        )  # fmt: skip
        self.promotion_state_machine_arn = promotion.arn
        self.training_state_machine_arn = training.arn
        self.ledger_table_name = ledger.name
        self.lock_table_name = locks.name
        self.topic_arn = topic.arn
        self.deploy_project_name = project.name
        self.function_names = pulumi.Output.all(**{h: f.name for h, f in functions.items()})
        self.code_sha256 = {h: build_archive(args.lambdas_root, h).sha256 for h in functions}
        self.execution_defaults = args.defaults.as_input()
        register_outputs(self, OUTPUTS)


OUTPUTS = (
    "promotion_state_machine_arn",
    "training_state_machine_arn",
    "ledger_table_name",
    "lock_table_name",
    "topic_arn",
    "deploy_project_name",
    "function_names",
    "code_sha256",
    "execution_defaults",
)
"""The outputs every PromotionWorkflows registers, in the order of its annotations."""


def _deploy_logs(children: Children, key: aws.kms.Key, days: int) -> aws.cloudwatch.LogGroup:
    return encrypted_log_group(
        children, "deploy-logs", key=key, retention_days=days,
        name_prefix=f"/mlops/{children.prefix}/deploy-",
    )  # fmt: skip


def _alarm_arns(context: AwsContext, args: PromotionWorkflowsArgs) -> pulumi.Output[list[str]]:
    """Every target's rollback alarms as ARNs, the form EventBridge events name them in."""
    names = pulumi.Output.all(*(target.alarm_names for target in args.targets))
    return pulumi.Output.all(context.partition, context.region, context.account_id, names).apply(
        lambda v: [
            f"arn:{v[0]}:cloudwatch:{v[1]}:{v[2]}:alarm:{alarm}"
            for group in v[3]
            for alarm in group
        ]
    )


def _definition(
    build: Any, functions: Any, arns: dict[str, pulumi.Output[str]], topic: aws.sns.Topic
) -> pulumi.Output[str]:
    """The pure definition with the ARNs in place, serialised by `Output.json_dumps`.

    The definitions only place ARNs as values (never format them), so Outputs can stand in.
    """
    values = {name: cast("str", arns[name]) for name in fields(functions)}
    return pulumi.Output.json_dumps(build(functions(**values), cast("str", topic.arn)))
