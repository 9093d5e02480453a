"""What the drill provisions on the moto server, per stack, from the real definitions."""

from __future__ import annotations

import io
import json
import os
import threading
import zipfile
from collections.abc import Callable
from typing import Any

from mlops_platform.components.workflows.definitions import (
    PromotionFunctions,
    RetryPolicy,
    promotion_definition,
)
from mlops_platform.lambdas.apply import handler as apply_handler
from mlops_platform.lambdas.approval import handler as approval_handler
from mlops_platform.lambdas.bake import handler as bake_handler
from mlops_platform.lambdas.common.ledger import SERVING_INDEX
from mlops_platform.lambdas.common.release import ReleaseRecord, read_release, write_release
from mlops_platform.lambdas.intake import handler as intake_handler
from mlops_platform.lambdas.ledger import handler as ledger_handler
from mlops_platform.lambdas.lock import handler as lock_handler
from mlops_platform.lambdas.release import handler as release_handler
from mlops_platform.lambdas.rollback_trigger import handler as trigger_handler
from mlops_platform.lambdas.verify import handler as verify_handler

from ._drill_live import LiveEndpoints
from .clients import Clients
from .naming import stack_resources

REGION, ACCOUNT, TARGET, GROUP = "us-east-1", "123456789012", "fraud-detector", "fraud"
HANDLERS: dict[str, Callable[[Any, Any], Any]] = {
    "intake": intake_handler.handler,
    "lock": lock_handler.handler,
    "ledger": ledger_handler.handler,
    "release": release_handler.handler,
    "apply": apply_handler.handler,
    "verify": verify_handler.handler,
    "bake": bake_handler.handler,
    "approval": approval_handler.handler,
    "rollback_trigger": trigger_handler.handler,
}
RETRY = RetryPolicy(interval_seconds=1, max_attempts=1, backoff_rate=1.0)


class Router:
    """Runs moto's Lambda invocations with the real handlers, each with its stack's settings.

    Functions are named `mlops-<env>-<handler>`; the environment variables a deployed function
    would have (LOCK_TABLE, LEDGER_TABLE, CODEBUILD_PROJECT) are set around each call, one call
    at a time.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.before: list[Callable[[str, str, dict[str, Any]], None]] = []
        self._lock = threading.Lock()

    def invoke(self, function_name: str, body: Any, response_headers: dict[str, str]) -> bytes:
        """Run the handler; an exception becomes a function error, as in Lambda."""
        name = function_name.rsplit(":", 1)[-1] if ":" in function_name else function_name
        env, handler = name.removeprefix("mlops-").split("-", 1)
        event = json.loads(body) if body else {}
        resources = stack_resources(env)
        with self._lock:
            self.calls.append((env, handler, event))
            os.environ.update(
                LOCK_TABLE=resources.lock_table,
                LEDGER_TABLE=resources.ledger_table,
                CODEBUILD_PROJECT=f"mlops-{env}-deploy",
            )
            try:
                for hook in self.before:
                    hook(env, handler, event)
                result = HANDLERS[handler.replace("-", "_")](event, None)
                if handler == "apply" and event.get("action") == "start":
                    self.world.deploy(env, int(event["version"]))
            except Exception as error:
                response_headers["x-amz-function-error"] = "Unhandled"
                return json.dumps(
                    {"errorType": type(error).__name__, "errorMessage": str(error)}
                ).encode()
        return json.dumps(result).encode()


class World:
    """Stacks on the moto server: tables, functions, topic, alarm, packages, state machine."""

    def __init__(self, clients: Clients) -> None:
        self.clients = clients
        self.live = LiveEndpoints(clients.client("sagemaker"))
        clients.overrides["sagemaker"] = self.live
        self.silent: set[tuple[str, int]] = set()
        """(env, version) whose forward apply leaves the previous configuration serving."""
        self.topics: dict[str, str] = {}
        self.queues: dict[str, str] = {}

    def deploy(self, env: str, version: int) -> None:
        """The simulated `pulumi up`: serve the release record (unless staged to fail)."""
        record = read_release(self.clients.client("ssm"), env, TARGET)
        if record is None:
            self.live.endpoints.pop(f"{env}-{TARGET}", None)
        elif (env, version) not in self.silent or record.version != version:
            self.live.deploy(record.as_dict())

    def packages(self, count: int) -> None:
        """Versions 1..count of the model's package group."""
        sagemaker = self.live.packages
        sagemaker.create_model_package_group(ModelPackageGroupName=GROUP)
        for version in range(1, count + 1):
            sagemaker.create_model_package(
                ModelPackageGroupName=GROUP,
                InferenceSpecification={
                    "Containers": [
                        {
                            "Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/fraud:{version}",
                            "ImageDigest": "sha256:" + f"{version:02d}" * 32,
                            "ModelDataUrl": f"s3://models/fraud/{version}/model.tar.gz",
                        }
                    ],
                    "SupportedContentTypes": ["text/csv"],
                    "SupportedResponseMIMETypes": ["text/csv"],
                },
                CustomerMetadataProperties={"lineage:commit": f"c0ffee{version:02d}"},
            )

    def package_arn(self, version: int) -> str:
        """ARN of version `version` of the group."""
        return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/{GROUP}/{version}"

    def stack(self, env: str, role: str) -> None:
        """Provision stack `env` and serve version 1 on its endpoint."""
        names = stack_resources(env)
        self._tables(names.ledger_table, names.lock_table)
        self.clients.client("codebuild").create_project(
            name=f"mlops-{env}-deploy",
            source={"type": "S3", "location": "deploy-sources/stack.zip"},
            artifacts={"type": "NO_ARTIFACTS"},
            environment={
                "type": "LINUX_CONTAINER",
                "image": "pulumi",
                "computeType": "BUILD_GENERAL1_SMALL",
            },
            serviceRole=role,
        )
        arns = [self._function(f"mlops-{env}-{n.replace('_', '-')}", role) for n in HANDLERS]
        topic = self._topic(env)
        definition = promotion_definition(PromotionFunctions(*arns[:8]), topic, RETRY)
        self.clients.client("stepfunctions").create_state_machine(
            name=names.state_machine, definition=json.dumps(definition), roleArn=role
        )
        self.clients.client("cloudwatch").put_metric_alarm(
            AlarmName=f"{env}-{TARGET}-5xx",
            MetricName="Invocation5XXErrors",
            Namespace="AWS/SageMaker",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1.0,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            Tags=[{"Key": "mlops:env", "Value": env}, {"Key": "mlops:target", "Value": TARGET}],
        )
        described = self.live.packages.describe_model_package(ModelPackageName=self.package_arn(1))
        container = described["InferenceSpecification"]["Containers"][0]
        record = ReleaseRecord.parse(
            {
                "version": 1,
                "package_arn": self.package_arn(1),
                "image": container["Image"],
                "image_digest": container["ImageDigest"],
                "model_data_url": container["ModelDataUrl"],
                "commit": "c0ffee01",
                "endpoint_name": f"{env}-{TARGET}",
                "variants": [{"name": "primary", "weight": 1.0, "instance_count": 2}],
            }
        )
        write_release(self.clients.client("ssm"), env, TARGET, record)
        self.live.deploy(record.as_dict())

    def role(self) -> str:
        """The one role every function and state machine of the drill uses."""
        trust = {"Version": "2012-10-17", "Statement": []}
        created = self.clients.client("iam").create_role(
            RoleName="mlops-drill", AssumeRolePolicyDocument=json.dumps(trust)
        )
        return str(created["Role"]["Arn"])

    def _tables(self, ledger: str, locks: str) -> None:
        dynamodb = self.clients.client("dynamodb")
        key = [{"AttributeName": "pk", "KeyType": "HASH"}]
        dynamodb.create_table(
            TableName=locks,
            KeySchema=key,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        dynamodb.create_table(
            TableName=ledger,
            KeySchema=[*key, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": n, "AttributeType": "S"}
                for n in ("pk", "sk", "serving_env", "serving_sk")
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": SERVING_INDEX,
                    "KeySchema": [
                        {"AttributeName": "serving_env", "KeyType": "HASH"},
                        {"AttributeName": "serving_sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )

    def _function(self, name: str, role: str) -> str:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("lambdas/__init__.py", "")
        created = self.clients.client("lambda").create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler=f"lambdas.{name.split('-', 2)[2].replace('-', '_')}.handler.handler",
            Code={"ZipFile": archive.getvalue()},
        )
        return str(created["FunctionArn"])

    def _topic(self, env: str) -> str:
        sns, sqs = self.clients.client("sns"), self.clients.client("sqs")
        topic = str(sns.create_topic(Name=f"mlops-{env}-notifications")["TopicArn"])
        queue = str(sqs.create_queue(QueueName=f"mlops-{env}-inbox")["QueueUrl"])
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=queue_arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        self.topics[env], self.queues[env] = topic, queue
        return topic
