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

STACK_REFERENCE = "pulumi:pulumi:StackReference"
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


GET_PARAMETER = "aws:ssm/getParameter:getParameter"
"""Release records are read with this invoke; see `DeterministicMocks.parameters`."""


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

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
        stack_outputs: Mapping[str, Any] | None = None,
        parameters: Mapping[str, str] | None = None,
    ):
        self.default = ProviderTarget(region, account_id)
        self.stack_outputs = dict(stack_outputs or {})
        """What every StackReference reads: the referenced (platform) stack's outputs."""
        self.parameters = dict(parameters or {})
        """SSM parameters that exist, by name; any other is not found, as on a new stack."""
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
        if args.typ == STACK_REFERENCE:
            return resource_id, {"name": args.inputs.get("name"), "outputs": self.stack_outputs}
        if args.typ.startswith("pulumi:providers:"):
            self._providers[f"{urn}::{resource_id}"] = self._provider_target(args.inputs)
            return resource_id, dict(args.inputs)
        state = dict(args.inputs)
        target = self._target(args.provider, args.inputs)
        if args.custom and args.typ.startswith("aws:"):
            if "name" not in state:
                prefix = state.get("namePrefix") or f"{args.name}-"
                state["name"] = f"{prefix}{digest(urn, 7)}"
            state.setdefault("arn", _arn(args.typ, state["name"], resource_id, target))
        compute = _COMPUTED.get(args.typ)
        if compute is not None:
            state.update(compute(_Registered(urn, resource_id, state, target)))
        if args.typ in _ID_IS_BUCKET:  # AWS makes a bucket's id its name
            resource_id = state["bucket"]
        return resource_id, state

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        """Answer a known invoke; fail loudly on any other."""
        if args.token == GET_PARAMETER:
            return self._parameter(dict(args.args))
        answer = self._invokes.get(args.token)
        if answer is None:
            known = ", ".join(sorted(self._invokes))
            raise UnknownInvokeError(
                f"no mock answers the invoke {args.token}; known invokes: {known}"
            )
        return answer(dict(args.args), self._target(args.provider, args.args)), []

    def _parameter(self, args: dict[str, Any]) -> tuple[dict[Any, Any], list[tuple[str, str]]]:
        """A parameter's value, or AWS's not-found: a stack's release records start that way."""
        name = str(args.get("name"))
        if name not in self.parameters:
            return {}, [("name", f"ParameterNotFound: {name}")]
        value = self.parameters[name]
        found = {"id": name, "name": name, "value": value, "insecureValue": value}
        return {**found, "type": "String", "version": 1, "withDecryption": True}, []

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


@dataclass(frozen=True)
class _Registered:
    """What a computed attribute may be derived from."""

    urn: str
    id: str
    state: Mapping[str, Any]
    target: ProviderTarget


def _eks_cluster(resource: _Registered) -> dict[str, Any]:
    cluster_id = digest(resource.urn, 32).upper()
    region = resource.target.region
    return {
        "endpoint": f"https://{cluster_id}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="},
        "identities": [
            {"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{cluster_id}"}]}
        ],
        "clusterSecurityGroupId": f"sg-{digest(resource.urn, 17)}",
        "status": "ACTIVE",
    }


def _oidc_provider(resource: _Registered) -> dict[str, Any]:
    issuer = str(resource.state.get("url", "")).removeprefix("https://")
    return {"arn": f"arn:aws:iam::{resource.target.account_id}:oidc-provider/{issuer}"}


def _random_id(resource: _Registered) -> dict[str, Any]:
    """A random id's encodings, derived from its URN instead of chance."""
    length = int(resource.state.get("byteLength", 4))
    data = hashlib.sha256(resource.urn.encode()).digest()[:length]
    return {
        "hex": data.hex(),
        "dec": str(int.from_bytes(data, "big")),
        "b64Url": base64.urlsafe_b64encode(data).decode().rstrip("="),
        "b64Std": base64.b64encode(data).decode(),
    }


def _random_string(resource: _Registered) -> dict[str, Any]:
    """Lowercase letters and digits, as `RandomString(upper=False, special=False)` gives."""
    length = int(resource.state.get("length", 16))
    text = ""
    counter = 0
    while len(text) < length:
        text += digest(f"{resource.urn}#{counter}", 64)
        counter += 1
    return {"result": text[:length]}


_ID_IS_BUCKET = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})


def _bucket(resource: _Registered) -> dict[str, Any]:
    """The bucket's name (given, or from its prefix or logical name), and the ARN it makes."""
    state = resource.state
    prefix = state.get("bucketPrefix") or f"{resource.urn.rsplit('::', 1)[-1]}-"
    name = state.get("bucket") or f"{prefix}{digest(resource.urn, 7)}"
    return {"bucket": name, "arn": f"arn:aws:s3:::{name}"}


_COMPUTED: dict[str, Callable[[_Registered], dict[str, Any]]] = {
    "aws:ec2/eip:Eip": lambda r: {
        "allocationId": f"eipalloc-{digest(r.urn, 17)}",
        "publicIp": "198.51.100.10",
    },
    "aws:kms/key:Key": lambda r: {"keyId": r.id},
    "aws:iam/role:Role": lambda r: {"uniqueId": f"AROA{digest(r.urn, 16).upper()}"},
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    # What a gateway endpoint routes to.
    "aws:ec2/vpcEndpoint:VpcEndpoint": lambda r: {"prefixListId": f"pl-{digest(r.urn, 8)}"},
    "aws:ec2/launchTemplate:LaunchTemplate": lambda _: {"latestVersion": 1, "defaultVersion": 1},
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _oidc_provider,
    "random:index/randomId:RandomId": _random_id,
    "random:index/randomString:RandomString": _random_string,
}
"""Attributes a provider computes that other resources read, by resource type."""


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
