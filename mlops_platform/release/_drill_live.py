"""The drill's live endpoints: what `pulumi up` would leave serving.

moto implements neither `update_endpoint` nor `DeployedImages`, and CodeBuild builds are stored,
not run, so the drill simulates the deploy: when the apply function starts a build, the release
record is deployed to this in-memory endpoint (or, to stage a silent rollback, the previous
configuration stays). Model package calls go to the moto server.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


class _Exceptions:
    ClientError = ClientError


class LiveEndpoints:
    """describe_endpoint / _endpoint_config / _model over simulated deployments."""

    exceptions = _Exceptions

    def __init__(self, packages: Any) -> None:
        self.packages = packages
        """The moto server's SageMaker client (model packages)."""
        self.endpoints: dict[str, str] = {}
        """Endpoint name -> configuration serving."""
        self.configs: dict[str, dict[str, Any]] = {}
        """Configuration name -> what it runs."""

    def deploy(self, record: dict[str, Any]) -> None:
        """Serve `record` on its endpoint."""
        name, version = record["endpoint_name"], record["version"]
        config = f"{name}-cfg-v{version}"
        self.configs[config] = {
            "package_arn": record["package_arn"],
            "variants": record["variants"],
            "resolved": f"{record['image'].rsplit(':', 1)[0]}@{record['image_digest']}",
        }
        self.endpoints[name] = config

    def serving_version(self, endpoint: str) -> int:
        """Version the endpoint serves now (0: none)."""
        config = self.endpoints.get(endpoint, "")
        return int(config.rsplit("-v", 1)[1]) if config else 0

    def describe_model_package(self, **kwargs: Any) -> Any:
        """From the moto server."""
        return self.packages.describe_model_package(**kwargs)

    def update_model_package(self, **kwargs: Any) -> Any:
        """From the moto server."""
        return self.packages.update_model_package(**kwargs)

    def describe_endpoint(self, EndpointName: str) -> dict[str, Any]:  # noqa: N803 - boto3's name.
        """The endpoint, InService, with its deployed images."""
        if EndpointName not in self.endpoints:
            raise ClientError(
                {"Error": {"Code": "ValidationException", "Message": "Could not find endpoint"}},
                "DescribeEndpoint",
            )
        name = self.endpoints[EndpointName]
        config = self.configs[name]
        return {
            "EndpointName": EndpointName,
            "EndpointStatus": "InService",
            "EndpointConfigName": name,
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
        """The configuration's variants, each with its model."""
        variants = self.configs[EndpointConfigName]["variants"]
        return {
            "ProductionVariants": [
                {"VariantName": v["name"], "ModelName": f"{EndpointConfigName}-model"}
                for v in variants
            ]
        }

    def describe_model(self, ModelName: str) -> dict[str, Any]:  # noqa: N803
        """The model, built from the configuration's package."""
        config = self.configs[ModelName.removesuffix("-model")]
        return {
            "ModelName": ModelName,
            "PrimaryContainer": {"ModelPackageName": config["package_arn"]},
        }
