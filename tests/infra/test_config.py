"""Stack config: typed objects from valid files, every problem at once from bad ones."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from infra.config import ConfigError, StackConfig, parse, partition_of
from mlops_platform.components.network import NetworkArgs

NETWORK = {"vpcCidr": "10.30.0.0/16", "azCount": 3, "natGateways": "per_az"}
AUDIT = {
    "readerArns": ["arn:aws:iam::444455556666:role/auditor"],
    "dataBucketArns": ["arn:aws:s3:::acme-ml-models-prod"],
}
ALERTING = {"subscriptions": [{"protocol": "email", "endpoint": "oncall@example.com"}]}


def stack_file(**overrides: Any) -> dict[str, str]:
    """A valid prod config as the engine passes it (objects as JSON text), with overrides.

    An override of None removes the key.
    """
    values: dict[str, Any] = {
        "environment": "prod",
        "owner": "ml-platform",
        "costCentre": "ml-platform-prod",
        "network": NETWORK,
        "audit": AUDIT,
        "alerting": ALERTING,
        **overrides,
    }
    return {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in values.items()
        if value is not None
    }


def problems(raw: dict[str, str], region: str | None = "us-east-1") -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse(raw, region=region, stack="prod")
    return [str(problem) for problem in raised.value.problems]


def test_a_valid_file_becomes_frozen_typed_objects() -> None:
    config = parse(stack_file(), region="eu-west-1", stack="prod")
    assert isinstance(config, StackConfig)
    assert config.environment == "prod"
    assert config.region == "eu-west-1"
    assert config.protect_data is True
    assert config.account is None
    assert config.tags == {
        "Environment": "prod",
        "Owner": "ml-platform",
        "CostCentre": "ml-platform-prod",
        "ManagedBy": "pulumi",
        "Project": "mlops-platform",
        "Stack": "prod",
    }
    assert config.network == NetworkArgs(
        vpc_cidr="10.30.0.0/16",
        az_count=3,
        nat_gateways="per_az",
        tags=config.tags,
        protect_data=True,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.environment = "dev"  # type: ignore[misc]


def test_unset_network_keys_take_the_components_defaults() -> None:
    config = parse(stack_file(network={"vpcCidr": "10.30.0.0/16"}, environment="dev"),
                   region="us-east-1", stack="dev")  # fmt: skip
    defaults = NetworkArgs(vpc_cidr="10.30.0.0/16")
    assert config.network.az_count == defaults.az_count
    assert config.network.nat_gateways == defaults.nat_gateways
    assert config.network.flow_log_retention_days == defaults.flow_log_retention_days


def test_an_account_builds_the_role_to_assume_in_the_right_partition() -> None:
    account = {"id": "444455556666", "roleName": "mlops-deployer", "externalId": "ext-123"}
    config = parse(stack_file(account=account), region="cn-north-1", stack="prod")
    assert config.account is not None
    assert config.account.account_id == "444455556666"
    assert config.account.role_arn == "arn:aws-cn:iam::444455556666:role/mlops-deployer"
    assert config.account.external_id == "ext-123"
    assert config.account.session_name == "mlops-platform-prod"


@pytest.mark.parametrize(
    ("region", "partition"),
    [("us-east-1", "aws"), ("cn-northwest-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")],
)
def test_partition_follows_the_region(region: str, partition: str) -> None:
    assert partition_of(region) == partition


def test_extra_tags_join_the_common_ones() -> None:
    config = parse(stack_file(tags={"team": "ranking"}), region="us-east-1", stack="prod")
    assert config.tags["team"] == "ranking"
    assert config.network.tags["team"] == "ranking"


ALLOWED_ROOT = (
    "mlops:account, mlops:alerting, mlops:audit, mlops:cluster, mlops:costCentre, "
    "mlops:delivery, mlops:endpoints, mlops:environment, mlops:monitoring, mlops:network, "
    "mlops:owner, mlops:protectData, mlops:services, mlops:tags, mlops:workflows"
)
ALLOWED_NETWORK = (
    "availabilityZones, azCount, flowLogRetentionDays, interfaceEndpoints, natGateways, "
    "peerCidrs, privateSubnetPrefix, publicSubnetPrefix, vpcCidr"
)


@pytest.mark.parametrize(
    ("overrides", "region", "expected"),
    [
        pytest.param({"enviroment": "prod"}, "us-east-1",
                     [f"mlops:enviroment = 'prod': unknown key; allowed keys: {ALLOWED_ROOT}"],
                     id="unknown key"),
        pytest.param({}, None,
                     ["aws:region = (missing): required; set it with "
                      "`pulumi config set aws:region <region>`"],
                     id="missing region"),
        pytest.param({}, "Europe",
                     ["aws:region = 'Europe': an AWS region such as us-east-1 or eu-west-2"],
                     id="malformed region"),
        pytest.param({"environment": "qa"}, "us-east-1",
                     ["mlops:environment = 'qa': allowed: 'dev', 'staging' or 'prod'"],
                     id="unknown environment"),
        pytest.param({"owner": None}, "us-east-1",
                     ["mlops:owner = (missing): required: the team answerable for the stack; "
                      "tagged on every resource"],
                     id="missing owner"),
        pytest.param({"costCentre": "cost/centre#1"}, "us-east-1",
                     ["mlops:costCentre = 'cost/centre#1': 1-256 letters, digits, spaces or "
                      "_.:/=+-@ (it becomes a tag value)"],
                     id="tag-unsafe cost centre"),
        pytest.param({"protectData": "perhaps"}, "us-east-1",
                     ["mlops:protectData = 'perhaps': must be true or false"],
                     id="wrong type"),
        pytest.param({"protectData": "false"}, "us-east-1",
                     ["mlops:protectData = False: prod must protect its data; remove the key "
                      "or set it to true"],
                     id="unprotected prod"),
        pytest.param({"tags": {"Owner": "someone"}}, "us-east-1",
                     ["mlops:tags['Owner'] = 'someone': a common tag the platform sets itself"],
                     id="tag clash"),
        pytest.param({"tags": "team=ranking"}, "us-east-1",
                     ["mlops:tags = 'team=ranking': must be a mapping of keys to values"],
                     id="tags not a mapping"),
        pytest.param({"account": {"id": 444455556666, "roleName": "deployer"}}, "us-east-1",
                     ['mlops:account.id = 444455556666: quote the account id ("444455556666"); '
                      "YAML reads it as a number and drops leading zeros"],
                     id="unquoted account id"),
        pytest.param({"account": {"id": "4444", "roleName": "deployer"}}, "us-east-1",
                     ["mlops:account.id = '4444': a 12-digit AWS account id, quoted so YAML "
                      "keeps leading zeros"],
                     id="short account id"),
        pytest.param({"account": {"id": "444455556666", "roleName": "role/deployer"}}, "us-east-1",
                     ["mlops:account.roleName = 'role/deployer': an IAM role name: 1-64 letters, "
                      "digits or +=,.@_-"],
                     id="role path instead of name"),
        pytest.param({"account": {"id": "444455556666", "role": "deployer"}}, "us-east-1",
                     ["mlops:account.roleName = (missing): required: the role to assume in that "
                      "account",
                      "mlops:account.role = 'deployer': unknown key; allowed keys: externalId, "
                      "id, roleName"],
                     id="misspelt account key"),
        pytest.param({"network": None}, "us-east-1",
                     ["mlops:network = (missing): required block"],
                     id="missing network"),
        pytest.param({"network": {**NETWORK, "natGateway": "single"}}, "us-east-1",
                     [f"mlops:network.natGateway = 'single': unknown key; allowed keys: "
                      f"{ALLOWED_NETWORK}"],
                     id="unknown network key"),
        pytest.param({"network": {**NETWORK, "azCount": "three"}}, "us-east-1",
                     ["mlops:network.azCount = 'three': must be a whole number"],
                     id="network type error"),
        pytest.param({"network": {**NETWORK, "azCount": 2.5}}, "us-east-1",
                     ["mlops:network.azCount = 2.5: must be a whole number"],
                     id="fractional number"),
        pytest.param({"network": {**NETWORK, "azCount": 8}}, "us-east-1",
                     ["mlops:network.azCount = 8: a whole number from 1 to 6"],
                     id="out-of-range number"),
        pytest.param({"network": {**NETWORK, "natGateways": "one"}}, "us-east-1",
                     ["mlops:network.natGateways = 'one': allowed: 'none', 'single' or 'per_az'"],
                     id="unknown NAT strategy"),
        pytest.param({"network": {**NETWORK, "vpcCidr": "10.30.0.0/33"}}, "us-east-1",
                     ["mlops:network.vpcCidr = '10.30.0.0/33': has an invalid prefix length; "
                      "allowed /0 to /32"],
                     id="malformed CIDR"),
        pytest.param({"network": {**NETWORK, "vpcCidr": "10.30.1.0/16"}}, "us-east-1",
                     ["mlops:network.vpcCidr = '10.30.1.0/16': has host bits set; did you mean "
                      "10.30.0.0/16?"],
                     id="CIDR with host bits"),
        pytest.param({"network": {**NETWORK, "vpcCidr": "100.30.0.0/16"}}, "us-east-1",
                     ["mlops:network.vpcCidr = '100.30.0.0/16': must lie inside a private range "
                      "(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"],
                     id="public CIDR"),
        pytest.param({"network": {**NETWORK, "peerCidrs": ["10.30.4.0/24", "10.40.0.0/16",
                                                           "10.40.1.0/24"]}}, "us-east-1",
                     ["mlops:network.peerCidrs[0] = '10.30.4.0/24': overlaps the VPC's "
                      "10.30.0.0/16; routed networks need distinct ranges",
                      "mlops:network.peerCidrs[2] = '10.40.1.0/24': overlaps 10.40.0.0/16, "
                      "listed before it"],
                     id="overlapping CIDRs"),
        pytest.param({"network": {**NETWORK, "vpcCidr": "10.30.0.0/22"}}, "us-east-1",
                     ["mlops:network.privateSubnetPrefix = 19: must be longer than the VPC's /22 "
                      "and at most /28"],
                     id="subnets larger than the VPC"),
        pytest.param({"network": {**NETWORK, "azCount": 1}}, "us-east-1",
                     ["mlops:network.azCount = 1: prod needs at least 2 zones to survive a zone "
                      "outage"],
                     id="prod with one zone"),
        pytest.param({"network": {**NETWORK, "natGateways": "single"}}, "us-east-1",
                     ["mlops:network.natGateways = 'single': prod needs per_az, so one zone's "
                      "outage cannot cut the others"],
                     id="prod with one NAT gateway"),
        pytest.param({"network": "10.30.0.0/16"}, "us-east-1",
                     [f"mlops:network = '10.30.0.0/16': must be a mapping; allowed keys: "
                      f"{ALLOWED_NETWORK}"],
                     id="network not a mapping"),
    ],
)  # fmt: skip
def test_each_bad_value_is_named_with_its_key_value_and_what_is_allowed(
    overrides: dict[str, Any], region: str | None, expected: list[str]
) -> None:
    assert problems(stack_file(**overrides), region) == expected


def test_every_problem_in_every_block_is_reported_at_once() -> None:
    raw = stack_file(
        environment="qa",
        costCentre=None,
        colour="blue",
        account={"id": "12"},
        network={
            **NETWORK,
            "azCount": "x",
            "vpcCidr": "10.30.0.1/16",
            "peerCidrs": ["10.30.0.0/24"],
        },
    )
    assert problems(raw, region=None) == [
        f"mlops:colour = 'blue': unknown key; allowed keys: {ALLOWED_ROOT}",
        "aws:region = (missing): required; set it with `pulumi config set aws:region <region>`",
        "mlops:environment = 'qa': allowed: 'dev', 'staging' or 'prod'",
        "mlops:costCentre = (missing): required: where the bill goes; tagged on every resource",
        "mlops:account.id = '12': a 12-digit AWS account id, quoted so YAML keeps leading zeros",
        "mlops:account.roleName = (missing): required: the role to assume in that account",
        "mlops:network.azCount = 'x': must be a whole number",
        # The type error in azCount does not hide the component's own checks of the other keys.
        "mlops:network.vpcCidr = '10.30.0.1/16': has host bits set; did you mean 10.30.0.0/16?",
    ]


def test_the_error_message_lists_every_problem_under_the_stack_name() -> None:
    with pytest.raises(ConfigError) as raised:
        parse(stack_file(environment="qa", owner=None), region="us-east-1", stack="prod")
    assert str(raised.value) == (
        "Stack config of 'prod' is invalid (2 problems):\n"
        "  - mlops:environment = 'qa': allowed: 'dev', 'staging' or 'prod'\n"
        "  - mlops:owner = (missing): required: the team answerable for the stack; tagged on "
        "every resource"
    )


def test_dev_may_run_one_zone_one_nat_and_unprotected() -> None:
    raw = stack_file(
        environment="dev",
        protectData="false",
        network={"vpcCidr": "10.10.0.0/16", "azCount": 1, "natGateways": "single"},
    )
    config = parse(raw, region="us-east-1", stack="dev")
    assert config.protect_data is False
    assert config.network.protect_data is False
    assert config.network.az_count == 1


NULL = "null is not a value: remove the key to take its default"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({"network": {**NETWORK, "azCount": None}},
                     [f"mlops:network.azCount = None: {NULL}"], id="a number"),
        pytest.param({"network": {**NETWORK, "interfaceEndpoints": None}},
                     [f"mlops:network.interfaceEndpoints = None: {NULL}"],
                     id="a list whose entries are all commented out"),
        pytest.param({"network": {**NETWORK, "peerCidrs": ["10.40.0.0/16", None]}},
                     ["mlops:network.peerCidrs[1] = None: null is not a list entry: remove it"],
                     id="a list entry"),
        pytest.param({"network": {**NETWORK, "azCount": None, "vpcCidr": "10.30.1.0/16"}},
                     [f"mlops:network.azCount = None: {NULL}",
                      "mlops:network.vpcCidr = '10.30.1.0/16': has host bits set; did you mean "
                      "10.30.0.0/16?"],
                     id="beside another problem, both reported"),
    ],
)  # fmt: skip
def test_an_explicit_null_is_refused_naming_its_key(
    overrides: dict[str, Any], expected: list[str]
) -> None:
    assert problems(stack_file(**overrides)) == expected
