"""Deterministic stand-ins for what AWS would compute: ids, ARNs, names and look-ups.

Every value is derived from the resource's URN or the invoke's arguments, never from time or
chance, so the same program gives byte-identical plans on every run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

DEFAULT_ACCOUNT_ID = "123456789012"
"""The account a stack deploys into when its config names none."""
DEFAULT_REGION = "us-east-1"
"""The region when neither the provider nor the stack config names one."""
ZONE_SUFFIXES = {"us-east-1": "abcdef", "us-west-1": "ac", "ap-northeast-1": "acd"}
"""Standard zones per region, as AWS has them; other regions get a, b and c."""

_GLOBAL_SERVICES = {"iam", "cloudfront", "route53"}
_ARN_SHAPES = {
    "aws:cloudwatch/logGroup:LogGroup": "log-group:{name}",
    "aws:iam/role:Role": "role/{name}",
    "aws:iam/policy:Policy": "policy/{name}",
    "aws:kms/key:Key": "key/{id}",
    "aws:s3/bucket:Bucket": "{name}",
    "aws:s3/bucketV2:BucketV2": "{name}",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "alarm:{name}",
    "aws:sns/topic:Topic": "{name}",
    "aws:sagemaker/endpoint:Endpoint": "endpoint/{name}",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": "endpoint-config/{name}",
    "aws:sagemaker/model:Model": "model/{name}",
}
"""ARN resource parts for types whose ARN is not `<type>/<name>`."""
_ARN_SERVICES = {"aws:cloudwatch/logGroup:LogGroup": "logs"}
"""ARN services for types whose ARN names another service than their module."""


class UnknownInvokeError(RuntimeError):
    """A program called a function the mocks cannot answer; a test should teach them."""


@dataclass(frozen=True)
class ProviderTarget:
    """Where an explicit provider deploys: read from its inputs when it is registered."""

    region: str
    account_id: str


def digest(text: str, length: int = 8) -> str:
    """A short, stable hex digest of `text`."""
    return hashlib.sha256(text.encode()).hexdigest()[:length]


class DeterministicMocks(Mocks):
    """Answers resource registrations and invokes the way AWS would, but from the URN alone."""

    def __init__(self, *, region: str = DEFAULT_REGION, account_id: str = DEFAULT_ACCOUNT_ID):
        self.default = ProviderTarget(region, account_id)
        self._providers: dict[str, ProviderTarget] = {}
        self._invokes: dict[str, Callable[[dict[str, Any], ProviderTarget], dict[str, Any]]] = {
            "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
            "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
            "aws:index/getPartition:getPartition": _partition,
            "aws:index/getRegion:getRegion": _region,
        }

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        """Return a stable id and the inputs plus the attributes AWS would compute."""
        urn = getattr(args, "urn", f"{args.typ}::{args.name}")
        resource_id = f"{args.name}-{digest(urn)}"
        if args.typ.startswith("pulumi:providers:"):
            self._providers[f"{urn}::{resource_id}"] = self._provider_target(args.inputs)
            return resource_id, dict(args.inputs)
        state = dict(args.inputs)
        if args.typ == "random:index/randomId:RandomId":
            state.update(_random_id(urn, state))
        if args.typ == "random:index/randomString:RandomString":
            state["result"] = _random_text(urn, int(args.inputs.get("length", 16)))
        if not args.custom or not args.typ.startswith("aws:"):
            return resource_id, state
        target = self._target(args.provider, args.inputs)
        if "name" not in state:
            prefix = state.get("namePrefix") or f"{args.name}-"
            state["name"] = f"{prefix}{digest(urn, 7)}"
        state.setdefault("arn", _arn(args.typ, state["name"], resource_id, target))
        state.update(_computed(args.typ, resource_id, urn))
        state.update(_computed_from_state(args.typ, urn, state, target))
        return resource_id, state

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        """Answer a known invoke; fail loudly on any other."""
        answer = self._invokes.get(args.token)
        if answer is None:
            known = ", ".join(sorted(self._invokes))
            raise UnknownInvokeError(
                f"no mock answers the invoke {args.token}; known invokes: {known}"
            )
        return answer(dict(args.args), self._target(args.provider, args.args)), []

    def _provider_target(self, inputs: Mapping[str, Any]) -> ProviderTarget:
        # Provider inputs reach the engine as strings, lists as JSON text.
        accounts = json.loads(inputs.get("allowedAccountIds", "[]"))
        return ProviderTarget(
            region=inputs.get("region") or self.default.region,
            account_id=accounts[0] if accounts else self.default.account_id,
        )

    def _target(self, provider: str | None, inputs: Mapping[str, Any]) -> ProviderTarget:
        target = self._providers.get(provider or "", self.default)
        region = inputs.get("region")
        return ProviderTarget(region, target.account_id) if region else target


def _arn(type_: str, name: str, resource_id: str, target: ProviderTarget) -> str:
    service = _ARN_SERVICES.get(type_) or type_.split(":")[1].split("/", maxsplit=1)[0]
    kind = type_.rsplit(":", 1)[-1]
    shape = _ARN_SHAPES.get(type_, kind[0].lower() + kind[1:] + "/{id}")
    region = "" if service in _GLOBAL_SERVICES or service == "s3" else target.region
    account = "" if service == "s3" else target.account_id
    resource = shape.format(name=name, id=resource_id)
    return f"arn:aws:{service}:{region}:{account}:{resource}"


def _computed(type_: str, resource_id: str, urn: str) -> dict[str, Any]:
    """Attributes a few types compute that other resources read."""
    if type_ == "aws:ec2/eip:Eip":
        return {"allocationId": f"eipalloc-{digest(urn, 17)}", "publicIp": "198.51.100.10"}
    if type_ == "aws:kms/key:Key":
        return {"keyId": resource_id}
    if type_ == "aws:iam/role:Role":
        return {"uniqueId": f"AROA{digest(urn, 16).upper()}"}
    if type_ == "aws:s3/bucket:Bucket":
        return {"bucket": f"{urn.rsplit('::', 1)[-1]}-{digest(urn, 7)}"}
    if type_ == "aws:ec2/vpcEndpoint:VpcEndpoint":
        return {"prefixListId": f"pl-{digest(urn, 8)}"}  # what a gateway endpoint routes to
    return {}


def _computed_from_state(
    type_: str, urn: str, state: Mapping[str, Any], target: ProviderTarget
) -> dict[str, Any]:
    """Attributes computed from a resource's own inputs: EKS endpoints, OIDC providers."""
    if type_ == "aws:eks/cluster:Cluster":
        cluster_id = digest(urn, 32).upper()
        return {
            "endpoint": f"https://{cluster_id}.gr7.{target.region}.eks.amazonaws.com",
            "certificateAuthority": {"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="},
            "identities": [
                {
                    "oidcs": [
                        {
                            "issuer": f"https://oidc.eks.{target.region}.amazonaws.com/id/{cluster_id}"
                        }
                    ]
                }
            ],
            "clusterSecurityGroupId": f"sg-{digest(urn, 17)}",
            "status": "ACTIVE",
        }
    if type_ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        issuer = str(state.get("url", "")).removeprefix("https://")
        return {"arn": f"arn:aws:iam::{target.account_id}:oidc-provider/{issuer}"}
    if type_ == "aws:ec2/launchTemplate:LaunchTemplate":
        return {"latestVersion": 1, "defaultVersion": 1}
    return {}


def _random_id(urn: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """A random id's encodings, derived from its URN instead of chance."""
    data = hashlib.sha256(urn.encode()).digest()[: int(state.get("byteLength", 4))]
    return {
        "hex": data.hex(),
        "dec": str(int.from_bytes(data, "big")),
        "b64Url": base64.urlsafe_b64encode(data).decode().rstrip("="),
        "b64Std": base64.b64encode(data).decode(),
    }


def _random_text(urn: str, length: int) -> str:
    """Lowercase letters and digits, as `RandomString(upper=False, special=False)` gives."""
    text = ""
    counter = 0
    while len(text) < length:
        text += digest(f"{urn}#{counter}", 64)
        counter += 1
    return text[:length]


def _availability_zones(args: dict[str, Any], target: ProviderTarget) -> dict[str, Any]:
    suffixes = ZONE_SUFFIXES.get(target.region, "abc")
    names = [f"{target.region}{suffix}" for suffix in suffixes]
    zone_ids = [
        f"{target.region[:3]}{target.region[-1]}-az{index + 1}" for index in range(len(names))
    ]
    return {"id": target.region, "names": names, "zoneIds": zone_ids, "state": args.get("state")}


def _caller_identity(_args: dict[str, Any], target: ProviderTarget) -> dict[str, Any]:
    return {
        "id": target.account_id,
        "accountId": target.account_id,
        "arn": f"arn:aws:sts::{target.account_id}:assumed-role/mlops-preview/mlops-preview",
        "userId": "AROAMLOPSPREVIEW:mlops-preview",
    }


def _partition(_args: dict[str, Any], _target: ProviderTarget) -> dict[str, Any]:
    return {
        "id": "aws",
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
    }


def _region(_args: dict[str, Any], target: ProviderTarget) -> dict[str, Any]:
    return {
        "id": target.region,
        "name": target.region,
        "region": target.region,
        "endpoint": f"ec2.{target.region}.amazonaws.com",
        "description": target.region,
    }
