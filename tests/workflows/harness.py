"""The real definitions on moto, with the real handlers routed in-process."""

from __future__ import annotations

import functools
import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key

from mlops_platform.components.workflows.definitions import (
    PromotionFunctions,
    RetryPolicy,
    TrainingFunctions,
    promotion_definition,
    training_definition,
)
from mlops_platform.lambdas.apply import handler as apply_handler
from mlops_platform.lambdas.approval import handler as approval_handler
from mlops_platform.lambdas.bake import handler as bake_handler
from mlops_platform.lambdas.common.release import ReleaseRecord, read_release, write_release
from mlops_platform.lambdas.gate import handler as gate_handler
from mlops_platform.lambdas.intake import handler as intake_handler
from mlops_platform.lambdas.ledger import handler as ledger_handler
from mlops_platform.lambdas.lock import handler as lock_handler
from mlops_platform.lambdas.release import handler as release_handler
from mlops_platform.lambdas.rollback_trigger import handler as trigger_handler
from mlops_platform.lambdas.training import handler as training_handler
from mlops_platform.lambdas.verify import handler as verify_handler

from ..lambdas.aws_fixtures import ACCOUNT, REGION
from ..lambdas.fake_kubernetes import FakeKubernetes
from .eks import ServiceTargets
from .records import ENDPOINT, ENV, SERVICE, TARGET, pinned_image, release, service_release

__all__ = ["ENDPOINT", "ENV", "SERVICE", "TARGET", "pinned_image", "release", "service_release"]

HANDLERS: dict[str, Callable[[Any, Any], Any]] = {
    "intake": intake_handler.handler,
    "lock": lock_handler.handler,
    "ledger": ledger_handler.handler,
    "release": release_handler.handler,
    "apply": apply_handler.handler,
    "verify": verify_handler.handler,
    "bake": bake_handler.handler,
    "training": training_handler.handler,
    "gate": gate_handler.handler,
    "rollback_trigger": trigger_handler.handler,
    "approval": approval_handler.handler,
}
TEST_RETRY = RetryPolicy(interval_seconds=1, max_attempts=1, backoff_rate=1.0)
Hook = Callable[[dict[str, Any]], None]


def function_arn(name: str) -> str:
    """ARN of one of the harness's functions."""
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


@dataclass
class Run:
    """The end of one execution."""

    status: str
    error: str
    cause: str
    output: dict[str, Any] = field(default_factory=dict)


class Router:
    """Routes moto's Lambda invocations to the handlers, with test hooks around them."""

    def __init__(self) -> None:
        self.before: dict[str, list[Hook]] = {}
        self.after: dict[str, list[Callable[[dict[str, Any], Any], None]]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, function_name: str, body: Any, response_headers: dict[str, str]) -> bytes:
        """Run the handler; an exception becomes a function error, as in Lambda."""
        name = function_name.split(":")[6] if function_name.startswith("arn:") else function_name
        event = json.loads(body) if body else {}
        self.calls.append((name, event))
        try:
            for hook in self.before.get(name, []):
                hook(event)
            result = HANDLERS[name](event, None)
            for after in self.after.get(name, []):
                after(event, result)
        except Exception as error:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(
                {"errorType": type(error).__name__, "errorMessage": str(error)}
            ).encode()
        return json.dumps(result).encode()


class World(ServiceTargets):
    """Everything one workflow test needs, on moto."""

    def __init__(self, router: Router, live: Any, kubernetes: FakeKubernetes | None = None) -> None:
        self.router, self.live = router, live
        self.kubernetes = kubernetes if kubernetes is not None else FakeKubernetes()
        self.sfn = boto3.client("stepfunctions", region_name=REGION)
        self.ssm = boto3.client("ssm", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.cloudwatch = boto3.client("cloudwatch", region_name=REGION)
        self.ledger_table = boto3.resource("dynamodb", region_name=REGION).Table("ledger")
        self.lock_table = boto3.resource("dynamodb", region_name=REGION).Table("locks")
        self.silent_rollback = False
        self._create_functions()
        self.topic_arn, self.queue_url = self._create_topic()
        boto3.client("codebuild", region_name=REGION).create_project(
            name="deploy-dev",
            source={"type": "S3", "location": "deploy-sources/stack.zip"},
            artifacts={"type": "NO_ARTIFACTS"},
            environment={
                "type": "LINUX_CONTAINER",
                "image": "pulumi",
                "computeType": "BUILD_GENERAL1_SMALL",
            },
            serviceRole=f"arn:aws:iam::{ACCOUNT}:role/lambda",
        )
        router.after.setdefault("apply", []).append(self._deploy)

    @functools.cached_property
    def promotion_arn(self) -> str:
        """The promotion state machine, created on first use (moto parses it slowly)."""
        names = ("intake", "lock", "ledger", "release", "apply", "verify", "bake", "approval")
        functions = PromotionFunctions(*(function_arn(n) for n in names))
        return self._state_machine(
            "promotion", promotion_definition(functions, self.topic_arn, TEST_RETRY)
        )

    @functools.cached_property
    def training_arn(self) -> str:
        """The training state machine, created on first use."""
        names = ("intake", "lock", "ledger", "training", "gate")
        functions = TrainingFunctions(*(function_arn(n) for n in names))
        return self._state_machine(
            "training", training_definition(functions, self.topic_arn, TEST_RETRY)
        )

    def create_packages(self, count: int) -> None:
        """Versions 1..count of the `fraud` group, so release records name real packages."""
        sagemaker = boto3.client("sagemaker", region_name=REGION)
        sagemaker.create_model_package_group(ModelPackageGroupName="fraud")
        spec = {
            "Containers": [{"Image": "fraud"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        }
        for version in range(1, count + 1):
            sagemaker.create_model_package(
                ModelPackageGroupName="fraud",
                InferenceSpecification=spec,
                CustomerMetadataProperties={"lineage:commit": f"c0ffee{version:02d}"},
            )

    def package_metadata(self, version: int) -> dict[str, str]:
        """Customer metadata of package `version`."""
        described = boto3.client("sagemaker", region_name=REGION).describe_model_package(
            ModelPackageName=release(version)["package_arn"]
        )
        return dict(described.get("CustomerMetadataProperties", {}))

    def _create_functions(self) -> None:
        iam = boto3.client("iam", region_name=REGION)
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        role = iam.create_role(RoleName="lambda", AssumeRolePolicyDocument=json.dumps(trust))[
            "Role"
        ]["Arn"]
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("lambdas/__init__.py", "")
        client = boto3.client("lambda", region_name=REGION)
        for name in HANDLERS:
            client.create_function(
                FunctionName=name,
                Runtime="python3.12",
                Role=role,
                Handler=f"lambdas.{name}.handler.handler",
                Code={"ZipFile": archive.getvalue()},
            )

    def _create_topic(self) -> tuple[str, str]:
        topic = boto3.client("sns", region_name=REGION).create_topic(Name="promotions")["TopicArn"]
        queue_url = self.sqs.create_queue(QueueName="inbox")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        boto3.client("sns", region_name=REGION).subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=queue_arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        return topic, queue_url

    def _state_machine(self, name: str, definition: dict[str, Any]) -> str:
        return str(
            self.sfn.create_state_machine(
                name=name,
                definition=json.dumps(definition),
                roleArn=f"arn:aws:iam::{ACCOUNT}:role/sfn",
            )["stateMachineArn"]
        )

    def _deploy(self, event: dict[str, Any], _result: Any) -> None:
        """The simulated `pulumi up`: make the live endpoint serve the release record."""
        if event.get("action") != "start":
            return
        record = read_release(self.ssm, event["env"], event["target"])
        if record is not None and event["target"] == SERVICE:
            self._deploy_service(record, forward=record.version == event["version"])
        elif record is None:
            self.live.endpoints.pop(ENDPOINT, None)
        elif not (
            self.silent_rollback and record.version == event["version"] and self._is_forward(record)
        ):
            self.live.deploy(record.as_dict(), busy_polls=1)

    def serve(self, version: int) -> None:
        """Make `version` what serves now, as a finished earlier promotion left it."""
        record = ReleaseRecord.parse(release(version))
        write_release(self.ssm, ENV, TARGET, record)
        self.live.deploy(record.as_dict())

    def alarm(self, name: str = "fraud-5xx") -> str:
        """A target alarm tagged with its environment and target; returns its ARN."""
        self.cloudwatch.put_metric_alarm(
            AlarmName=name,
            MetricName="Invocation5XXErrors",
            Namespace="AWS/SageMaker",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1.0,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            Tags=[{"Key": "mlops:env", "Value": ENV}, {"Key": "mlops:target", "Value": TARGET}],
        )
        return str(
            self.cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]["AlarmArn"]
        )

    def start(self, arn: str, payload: Any, name: str) -> str:
        """Start an execution; returns its ARN."""
        body = payload if isinstance(payload, str) else json.dumps(payload)
        return str(
            self.sfn.start_execution(stateMachineArn=arn, name=name, input=body)["executionArn"]
        )

    def wait(self, execution_arn: str, timeout: float = 30.0, poll: float = 0.1) -> Run:
        """Poll until the execution ends (every `poll` s: each describe costs moto CPU)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            described = self.sfn.describe_execution(executionArn=execution_arn)
            if described["status"] != "RUNNING":
                output = json.loads(described.get("output") or "{}")
                return Run(
                    described["status"],
                    described.get("error", ""),
                    described.get("cause", ""),
                    output,
                )
            time.sleep(poll)
        raise AssertionError(f"{execution_arn} still running after {timeout} s")

    def promote(self, payload: Any, name: str = "promote-1", poll: float = 0.1) -> Run:
        """Run one promotion to its end."""
        return self.wait(self.start(self.promotion_arn, payload, name), poll=poll)

    def ledger(self, target: str = TARGET, env: str = ENV) -> list[dict[str, Any]]:
        """The target's history, oldest first."""
        items = self.ledger_table.query(KeyConditionExpression=Key("pk").eq(f"{env}#{target}"))[
            "Items"
        ]
        return sorted(items, key=lambda item: item["sk"])

    def actions(self, target: str = TARGET, env: str = ENV) -> list[str]:
        """Actions of the target's history, oldest first."""
        return [str(item["action"]) for item in self.ledger(target, env)]

    def released_version(self, target: str = TARGET, env: str = ENV) -> int | None:
        """Version in the release record now."""
        record = read_release(self.ssm, env, target)
        return record.version if record else None

    def serving_version(self) -> int | None:
        """Version the live endpoint serves now."""
        endpoint = self.live.endpoints.get(ENDPOINT)
        return int(endpoint["config"].rsplit("-v", 1)[1]) if endpoint else None

    def locked(self, target: str = TARGET, env: str = ENV) -> bool:
        """Whether the target's promotion lock is held."""
        return "Item" in self.lock_table.get_item(Key={"pk": f"lock#{env}#{target}"})

    def messages(self) -> list[str]:
        """Messages published to the topic so far (drains the queue)."""
        found: list[str] = []
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not batch:
                return found
            for message in batch:
                found.append(message["Body"])
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
