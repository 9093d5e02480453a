"""A live SageMaker endpoint as the verifier sees it.

moto implements neither `update_endpoint` nor `DeployedImages`, so an apply on moto cannot
change what an endpoint serves. This fake holds the endpoint, its configuration and models, and
the harness's simulated `pulumi up` deploys a release record to it (or, to model a silent
rollback, leaves the previous configuration in place).
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError


class _Exceptions:
    ClientError = ClientError


def _missing(what: str) -> ClientError:
    return ClientError(
        {"Error": {"Code": "ValidationException", "Message": f"Could not find {what}"}}, "Describe"
    )


class FakeSageMaker:
    """describe_endpoint / describe_endpoint_config / describe_model over an in-memory state."""

    exceptions = _Exceptions

    def __init__(self) -> None:
        self.endpoints: dict[str, dict[str, Any]] = {}
        self.configs: dict[str, dict[str, Any]] = {}
        self.models: dict[str, dict[str, Any]] = {}
        self.busy_polls = 0
        """Describe calls that report `Updating` after a deploy."""
        self.use_moto = False
        """True hands SageMaker calls to moto instead (the training workflow's gate)."""

    def deploy(self, record: dict[str, Any], busy_polls: int = 0) -> str:
        """Serve `record` on its endpoint; returns the new configuration's name."""
        name, version = record["endpoint_name"], record["version"]
        config_name, model_name = f"{name}-cfg-v{version}", f"{name}-model-v{version}"
        repository = record["image"].rsplit(":", 1)[0]
        self.models[model_name] = {"ModelPackageName": record["package_arn"]}
        variants = record.get("variants") or [
            {"name": "primary", "weight": 1.0, "instance_count": 1}
        ]
        self.configs[config_name] = {
            "model": model_name,
            "variants": variants,
            "resolved": f"{repository}@{record['image_digest']}",
        }
        self.endpoints[name] = {"config": config_name}
        self.busy_polls = busy_polls
        return config_name

    def describe_model_package(self, **kwargs: Any) -> Any:
        """Model packages are moto's."""
        return boto3.client("sagemaker").describe_model_package(**kwargs)

    def update_model_package(self, **kwargs: Any) -> Any:
        """Model packages are moto's."""
        return boto3.client("sagemaker").update_model_package(**kwargs)

    def describe_endpoint(self, EndpointName: str) -> dict[str, Any]:  # noqa: N803 - boto3's name.
        if EndpointName not in self.endpoints:
            raise _missing(f"endpoint {EndpointName}")
        config_name = self.endpoints[EndpointName]["config"]
        config = self.configs[config_name]
        status = "InService"
        if self.busy_polls > 0:
            self.busy_polls -= 1
            status = "Updating"
        return {
            "EndpointName": EndpointName,
            "EndpointStatus": status,
            "EndpointConfigName": config_name,
            "ProductionVariants": [
                {
                    "VariantName": v["name"],
                    "CurrentWeight": v["weight"],
                    "CurrentInstanceCount": v["instance_count"],
                    "DeployedImages": [{"ResolvedImage": config["resolved"]}],
                }
                for v in config["variants"]
            ],
        }

    def describe_endpoint_config(self, EndpointConfigName: str) -> dict[str, Any]:  # noqa: N803
        config = self.configs[EndpointConfigName]
        return {
            "EndpointConfigName": EndpointConfigName,
            "ProductionVariants": [
                {"VariantName": v["name"], "ModelName": config["model"]} for v in config["variants"]
            ],
        }

    def describe_model(self, ModelName: str) -> dict[str, Any]:  # noqa: N803
        return {"ModelName": ModelName, "PrimaryContainer": self.models[ModelName]}
