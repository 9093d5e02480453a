"""The PromotionWorkflows component: exact children, security inputs, IAM documents parsed."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mlops_platform.components.core import ArgsError, Placement
from mlops_platform.components.workflows import (
    DeploySpec,
    ExecutionDefaults,
    PromotionWorkflows,
    PromotionWorkflowsArgs,
    ServiceCluster,
    ServiceTarget,
    ServingDeploy,
    WorkflowTarget,
)
from mlops_platform.components.workflows.args import FUNCTIONS, max_name_length
from mlops_platform.preview.recorder import Registration
from mlops_platform.testing import Registry, run_program
from tests.conftest import PROJECT_ROOT, RunProgram, policy, statement

TAGS = {"Environment": "prod", "Owner": "ml-platform"}
SUFFIXES = [handler.replace("_", "-") for handler in FUNCTIONS]
PLACEMENT = Placement(vpc_id="vpc-1", subnet_ids=["subnet-a", "subnet-b"],
                      security_group_ids=["sg-1"])  # fmt: skip


def target(name: str = "fraud-detector") -> WorkflowTarget:
    return WorkflowTarget(
        name=name,
        endpoint_name=f"prod-{name}-abc",
        package_group=f"prod-{name}-abc",
        alarm_names=[f"prod-{name}-blue-5xx", f"prod-{name}-blue-latency"],
        artifact_prefix=f"s3://models/{name}/",
    )


def make_args(tmp: Path, **overrides: Any) -> PromotionWorkflowsArgs:
    values: dict[str, Any] = {
        "environment": "prod",
        "targets": [target()],
        "deploy": DeploySpec(repository="https://github.com/acme/mlops-platform.git",
                             deploy_role_arn="arn:aws:iam::444455556666:role/deployer"),
        "lambdas_root": PROJECT_ROOT / "lambdas",
        "archive_dir": tmp,
        "defaults": ExecutionDefaults(approval_required=True),
        "tags": TAGS,
        **overrides,
    }  # fmt: skip
    return PromotionWorkflowsArgs(**values)


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lambda")


@pytest.fixture(scope="module")
def registry(archive_dir: Path) -> Registry:
    """One run for the module's read-only questions (each run takes seconds)."""
    return run_program(
        lambda: PromotionWorkflows("prod-workflows", make_args(archive_dir), PLACEMENT)
    )


def by_name(registry: Registry, type_: str) -> dict[str, Registration]:
    return {r.name: r for r in registry.all(type_)}


def test_exactly_these_children(registry: Registry) -> None:
    component = registry.one("mlops:workflows:PromotionWorkflows", "prod-workflows")
    children = registry.children_of(component)
    assert len(children) == len(registry) - 2
    assert Counter(child.type for child in children) == {
        "aws:kms/key:Key": 1,
        "aws:sns/topic:Topic": 1,
        "aws:dynamodb/table:Table": 2,
        "aws:cloudwatch/logGroup:LogGroup": 14,  # eleven functions, two machines, the deploy
        "aws:iam/role:Role": 15,  # eleven functions, two machines, the deploy, training jobs
        "aws:iam/rolePolicy:RolePolicy": 25,  # logs of each, grants of 10; machines, deploy, jobs
        "aws:lambda/function:Function": 11,
        "aws:codebuild/project:Project": 1,
        "aws:sfn/stateMachine:StateMachine": 2,
        "aws:cloudwatch/eventRule:EventRule": 1,
        "aws:cloudwatch/eventTarget:EventTarget": 1,
        "aws:lambda/permission:Permission": 1,
    }
    assert set(by_name(registry, "aws:lambda/function:Function")) == {
        f"prod-workflows-{suffix}" for suffix in SUFFIXES
    }


def test_longest_child_name_fits_the_limits_with_the_suffix(registry: Registry) -> None:
    longest = max(len(r.name) for r in registry.all() if r.custom)
    assert longest + 8 <= 64
    assert len("prod-workflows") <= max_name_length()


def test_state_machines_log_all_with_data_encrypted_and_trace(registry: Registry) -> None:
    groups = by_name(registry, "aws:cloudwatch/logGroup:LogGroup")
    key = registry.one("aws:kms/key:Key")
    for kind in ("promotion", "training"):
        machine = registry.one("aws:sfn/stateMachine:StateMachine", f"prod-workflows-{kind}")
        assert machine.inputs["type"] == "STANDARD"
        assert machine.inputs["tracingConfiguration"] == {"enabled": True}
        logging = machine.inputs["loggingConfiguration"]
        assert logging["level"] == "ALL"
        assert logging["includeExecutionData"] is True
        group = groups[f"prod-workflows-{kind}-machine-logs"]
        assert logging["logDestination"] == group.state["arn"] + ":*"
        assert group.inputs["kmsKeyId"] == key.state["arn"]
        definition = json.loads(machine.inputs["definition"])
        tasks = [s for s in definition["States"].values() if s["Type"] == "Task"]
        assert tasks
        assert all(s.get("Catch") for s in tasks)


def test_every_function_ships_its_archive_and_says_so(
    registry: Registry, archive_dir: Path
) -> None:
    for handler, suffix in zip(FUNCTIONS, SUFFIXES, strict=True):
        function = registry.one("aws:lambda/function:Function", f"prod-workflows-{suffix}")
        assert function.inputs["runtime"] == "python3.12"
        assert function.inputs["architectures"] == ["arm64"]
        assert function.inputs["handler"] == f"lambdas.{handler}.handler.handler"
        shipped = Path(function.inputs["code"]["path"])
        names = zipfile.ZipFile(io.BytesIO(shipped.read_bytes())).namelist()
        assert f"lambdas/{handler}/handler.py" in names
        assert shipped.parent == archive_dir
        sha = function.inputs["tags"]["mlops:code-sha256"]
        assert shipped.name == f"{handler}-{sha[:16]}.zip"
        assert function.inputs["description"].startswith(f"lambdas.{handler}.handler.handler, ")
        assert len(function.inputs["description"]) <= 256
        group = registry.get(function.property_dependencies["loggingConfig"][0])
        assert group.type == "aws:cloudwatch/logGroup:LogGroup"
        assert group.inputs["kmsKeyId"]


def test_every_function_traces_and_its_role_may_send_traces(registry: Registry) -> None:
    for suffix in SUFFIXES:
        function = registry.one("aws:lambda/function:Function", f"prod-workflows-{suffix}")
        assert function.inputs["tracingConfig"] == {"mode": "Active"}
        role = registry.get(function.property_dependencies["role"][0])
        attached = registry.one(
            "aws:iam/rolePolicy:RolePolicy", f"prod-workflows-{suffix}-logs-policy"
        )
        assert attached.inputs["role"] == role.id
        tracing = statement(policy(attached), "Tracing")
        assert tracing["Action"] == ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
        assert tracing["Resource"] == ["*"]


def test_functions_read_the_variables_their_handlers_need(registry: Registry) -> None:
    functions = by_name(registry, "aws:lambda/function:Function")
    tables = by_name(registry, "aws:dynamodb/table:Table")
    env = {name.removeprefix("prod-workflows-"): f.inputs.get("environment", {}).get("variables")
           for name, f in functions.items()}  # fmt: skip
    locks = {"LOCK_TABLE": tables["prod-workflows-locks"].state["name"]}
    assert env["lock"] == env["bake"] == env["rollback-trigger"] == locks
    assert env["ledger"] == {"LEDGER_TABLE": tables["prod-workflows-ledger"].state["name"]}
    project = registry.one("aws:codebuild/project:Project")
    assert env["apply"] == {"CODEBUILD_PROJECT": project.state["name"]}
    role = registry.one("aws:iam/role:Role", "prod-workflows-training-job-role")
    assert env["training"] == {"TRAINING_ROLE_ARN": role.state["arn"]}
    assert functions["prod-workflows-rollback-trigger"].inputs["reservedConcurrentExecutions"] == 5


def test_ledger_is_append_only_and_recoverable(registry: Registry) -> None:
    ledger = registry.one("aws:dynamodb/table:Table", "prod-workflows-ledger")
    assert ledger.inputs["tags"]["mlops:purpose"] == "ledger"
    assert ledger.inputs["pointInTimeRecovery"] == {"enabled": True}
    assert ledger.inputs["deletionProtectionEnabled"] is True
    assert ledger.protect
    assert ledger.inputs["streamEnabled"] is True
    assert ledger.inputs["streamViewType"] == "NEW_IMAGE"
    assert ledger.inputs["serverSideEncryption"]["enabled"] is True
    assert [i["name"] for i in ledger.inputs["globalSecondaryIndexes"]] == ["serving"]
    writer = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-ledger-1-policy"))
    assert statement(writer, "Append")["Action"] == ["dynamodb:PutItem"]
    assert "dynamodb:DeleteItem" in statement(writer, "NeverRewrite")["Action"]
    locks = registry.one("aws:dynamodb/table:Table", "prod-workflows-locks")
    assert locks.inputs["ttl"] == {"attributeName": "expires_at", "enabled": True}


def test_deploy_project_runs_the_buildspec_in_the_private_subnets(registry: Registry) -> None:
    project = registry.one("aws:codebuild/project:Project")
    assert project.inputs["vpcConfig"] == {
        "vpcId": "vpc-1", "subnets": ["subnet-a", "subnet-b"], "securityGroupIds": ["sg-1"]
    }  # fmt: skip
    assert project.inputs["source"]["buildspec"] == "components/delivery/buildspecs/deploy.yml"
    assert (PROJECT_ROOT / project.inputs["source"]["buildspec"]).is_file()
    assert project.inputs["environment"]["privilegedMode"] is False
    assert project.inputs["environment"]["environmentVariables"] == [
        {"name": "STACK", "type": "PLAINTEXT", "value": "prod"}
    ]
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-deploy-policy"))
    assert statement(document, "AssumeDeployRole")["Resource"] == (
        "arn:aws:iam::444455556666:role/deployer"
    )


def test_alarm_rule_invokes_the_watcher_only(registry: Registry) -> None:
    rule = registry.one("aws:cloudwatch/eventRule:EventRule")
    pattern = json.loads(rule.inputs["eventPattern"])
    assert pattern["detail"] == {"state": {"value": ["ALARM"]}}
    assert [arn.rsplit(":", 1)[1] for arn in pattern["resources"]] == [
        "prod-fraud-detector-blue-5xx", "prod-fraud-detector-blue-latency"
    ]  # fmt: skip
    permission = registry.one("aws:lambda/permission:Permission")
    assert permission.inputs["principal"] == "events.amazonaws.com"
    assert permission.inputs["sourceArn"] == rule.state["arn"]
    watcher = policy(
        registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-rollback-trigger-1-policy")
    )
    assert statement(watcher, "AlarmTags")["Resource"] == pattern["resources"]


def test_the_approval_reader_lists_action_executions_of_this_envs_pipelines_only(
    registry: Registry,
) -> None:
    document = policy(
        registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-approval-1-policy")
    )
    (allowed,) = document["Statement"]
    assert allowed["Action"] == ["codepipeline:ListActionExecutions"]
    (pattern,) = allowed["Resource"]
    assert pattern.startswith("arn:aws:codepipeline:")
    assert pattern.endswith(":prod-*")
    function = registry.one("aws:lambda/function:Function", "prod-workflows-approval")
    assert function.inputs["handler"] == "lambdas.approval.handler.handler"


def test_state_machine_roles_invoke_only_their_functions(registry: Registry) -> None:
    functions = by_name(registry, "aws:lambda/function:Function")
    expected = {"promotion": ["intake", "lock", "ledger", "release", "apply", "verify", "bake",
                              "approval"],
                "training": ["intake", "lock", "ledger", "training", "gate"]}  # fmt: skip
    for kind, handlers in expected.items():
        name = f"prod-workflows-{kind}-machine-policy"
        invoke = statement(policy(registry.one("aws:iam/rolePolicy:RolePolicy", name)),
                           "InvokeFunctions")  # fmt: skip
        arns = [functions[f"prod-workflows-{h}"].state["arn"] for h in handlers]
        assert invoke["Resource"] == [*arns, *(f"{arn}:*" for arn in arns)]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"targets": []}, "targets = []: at least one target"),
        ({"targets": [target("Bad_Name")]},
         "targets[0].name = 'Bad_Name': 1-63 of a-z, 0-9 and '-'"),
        ({"targets": [target(), target()]},
         "targets[0].name = 'fraud-detector': must be unique"),
        ({"log_retention_days": 10}, "log_retention_days = 10: CloudWatch Logs accepts"),
        ({"watcher_concurrency": 0}, "watcher_concurrency = 0: 1-100 or None"),
        ({"deploy": DeploySpec(repository="git@github.com:acme/x.git")},
         "deploy.repository = 'git@github.com:acme/x.git': an https:// git URL"),
    ],
    ids=["no targets", "bad target", "duplicate target", "retention", "concurrency", "repository"],
)  # fmt: skip
def test_bad_args_name_the_field(tmp_path: Path, overrides: dict[str, Any], expected: str) -> None:
    with pytest.raises(ArgsError) as error:
        make_args(tmp_path, **overrides)
    assert expected in str(error.value)


def test_bad_defaults_and_a_long_name_are_refused(run: RunProgram, tmp_path: Path) -> None:
    with pytest.raises(ArgsError, match=r"bake_checks = 0: 1-10000"):
        ExecutionDefaults(bake_checks=0)
    with pytest.raises(ArgsError, match=r"name = 'x{30}': .* at most 27 characters"):
        PromotionWorkflows("x" * 30, make_args(tmp_path), PLACEMENT)


CLUSTER = ServiceCluster(
    cluster_name="prod-cluster-1a2b",
    cluster_arn="arn:aws:eks:us-east-1:444455556666:cluster/prod-cluster-1a2b",
    api_security_group_id="sg-api",
)


SERVING = ServingDeploy(
    backend_url="s3://acme-state", secrets_key_arn=None, serving_prefix="prod-serving"
)


def service_target(name: str = "fraud-scorer", cluster: ServiceCluster = CLUSTER) -> WorkflowTarget:
    return WorkflowTarget(
        name=name,
        service=ServiceTarget(cluster=cluster, namespace=name),
        package_group=f"prod-{name}-abc",
        alarm_names=[f"prod-{name}-5xx"],
        artifact_prefix=f"s3://models/{name}/",
    )


@pytest.fixture(scope="module")
def eks_registry(archive_dir: Path) -> Registry:
    """An endpoint target and an EKS target."""
    deploy = DeploySpec(repository="https://github.com/acme/mlops-platform.git",
                        deploy_role_arn="arn:aws:iam::444455556666:role/deployer",
                        serving=SERVING)  # fmt: skip
    args = make_args(archive_dir, targets=[target(), service_target()], deploy=deploy)
    return run_program(lambda: PromotionWorkflows("prod-workflows", args, PLACEMENT))


def test_without_eks_targets_the_verifier_stays_outside_the_vpc(registry: Registry) -> None:
    verify = registry.one("aws:lambda/function:Function", "prod-workflows-verify")
    assert verify.inputs.get("vpcConfig") is None
    assert "environment" not in verify.inputs
    assert registry.all("aws:eks/accessEntry:AccessEntry") == []
    document = policy(
        registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-verify-1-policy")
    )
    assert "eks:DescribeCluster" not in {a for s in document["Statement"] for a in s["Action"]}


def test_eks_verifier_runs_in_the_private_subnets_admitted_by_the_api(
    eks_registry: Registry,
) -> None:
    verify = eks_registry.one("aws:lambda/function:Function", "prod-workflows-verify")
    assert json.loads(verify.inputs["environment"]["variables"]["EKS_TARGETS"]) == {
        "fraud-scorer": {"cluster_name": CLUSTER.cluster_name, "namespace": "fraud-scorer",
                         "rollout": "fraud-scorer"}
    }  # fmt: skip
    group = eks_registry.one("aws:ec2/securityGroup:SecurityGroup", "prod-workflows-verify-sg")
    assert verify.inputs["vpcConfig"] == {
        "subnetIds": ["subnet-a", "subnet-b"], "securityGroupIds": [group.id]
    }  # fmt: skip
    egress = eks_registry.one(
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "prod-workflows-verify-https-out"
    )
    assert egress.inputs["securityGroupId"] == group.id
    assert (egress.inputs["fromPort"], egress.inputs["toPort"]) == (443, 443)
    ingress = eks_registry.one(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "prod-workflows-api-https-verify",
    )
    assert ingress.inputs["securityGroupId"] == "sg-api"
    assert ingress.inputs["referencedSecurityGroupId"] == group.id
    assert (ingress.inputs["fromPort"], ingress.inputs["toPort"]) == (443, 443)
    network = policy(
        eks_registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-verify-2-policy")
    )
    assert "ec2:CreateNetworkInterface" in statement(network, "NetworkInterfaces")["Action"]


def test_eks_verifier_may_describe_its_cluster_and_read_the_namespace_only(
    eks_registry: Registry,
) -> None:
    document = policy(
        eks_registry.one("aws:iam/rolePolicy:RolePolicy", "prod-workflows-verify-1-policy")
    )
    assert statement(document, "DescribeCluster") == {
        "Sid": "DescribeCluster", "Effect": "Allow", "Action": ["eks:DescribeCluster"],
        "Resource": [CLUSTER.cluster_arn],
    }  # fmt: skip
    role = eks_registry.one("aws:iam/role:Role", "prod-workflows-verify-role")
    entry = eks_registry.one("aws:eks/accessEntry:AccessEntry", "prod-workflows-verify-access")
    assert entry.inputs["clusterName"] == CLUSTER.cluster_name
    assert entry.inputs["principalArn"] == role.state["arn"]
    assert entry.inputs["kubernetesGroups"] == ["mlops:rollout-readers"]
    association = eks_registry.one(
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "prod-workflows-verify-access-policy",
    )
    assert association.inputs["policyArn"] == (
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    )
    assert association.inputs["accessScope"] == {
        "type": "namespace",
        "namespaces": ["fraud-scorer"],
    }
    assert association.inputs["principalArn"] == role.state["arn"]


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ([WorkflowTarget(name="x", package_group="g", alarm_names=[], artifact_prefix="s3://m/x/")],
         "targets[0] = 'neither': set exactly one of endpoint_name and service"),
        ([WorkflowTarget(name="x", endpoint_name="e",
                         service=ServiceTarget(cluster=CLUSTER, namespace="x"),
                         package_group="g", alarm_names=[], artifact_prefix="s3://m/x/")],
         "targets[0] = 'both': set exactly one of endpoint_name and service"),
        ([service_target("a"), service_target("b", ServiceCluster(
            cluster_name="other", cluster_arn="arn:other", api_security_group_id="sg-2"))],
         "targets = '2 clusters': every EKS target names one cluster"),
        ([service_target()],
         "deploy.serving = None: EKS targets need how the serving layer is applied"),
    ],
    ids=["neither", "both", "two clusters", "no serving deploy"],
)  # fmt: skip
def test_a_target_is_an_endpoint_or_a_service_on_one_cluster(
    tmp_path: Path, targets: list[WorkflowTarget], expected: str
) -> None:
    with pytest.raises(ArgsError) as error:
        make_args(tmp_path, targets=targets)
    assert expected in str(error.value)
