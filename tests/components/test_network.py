"""The Network component: its exact children and their security-relevant inputs."""

from __future__ import annotations

from collections import Counter

import pulumi
import pulumi_aws as aws
import pytest

from mlops_platform.components import ArgsError, Network, NetworkArgs
from mlops_platform.testing import DeterministicMocks, Registry
from tests.conftest import RunProgram, policy, statement

TAGS = {"Environment": "dev", "Owner": "ml-platform"}
INTERFACE_SERVICES = ["ecr-api", "ecr-dkr", "logs", "sagemaker-api", "sagemaker-runtime", "sts"]


def network(run: RunProgram, **overrides: object) -> Registry:
    args = {"vpc_cidr": "10.10.0.0/16", "tags": TAGS, **overrides}
    return run(lambda: Network("net", NetworkArgs(**args)))  # type: ignore[arg-type]


def inputs_of(registry: Registry, type_: str) -> dict[str, dict]:
    return {r.name: r.inputs for r in registry.all(type_)}


def test_two_zones_with_one_nat_gateway_make_exactly_these_children(run: RunProgram) -> None:
    registry = network(run, az_count=2, nat_gateways="single")
    component = registry.one("mlops:network:Network", "net")
    children = registry.children_of(component)
    assert len(children) == len(registry) - 2  # everything but the stack and the component
    assert Counter(child.type for child in children) == {
        "aws:ec2/vpc:Vpc": 1,
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
        "aws:ec2/subnet:Subnet": 4,
        "aws:ec2/internetGateway:InternetGateway": 1,
        "aws:ec2/routeTable:RouteTable": 3,
        "aws:ec2/routeTableAssociation:RouteTableAssociation": 4,
        "aws:ec2/route:Route": 3,
        "aws:ec2/eip:Eip": 1,
        "aws:ec2/natGateway:NatGateway": 1,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 7,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
        "aws:kms/key:Key": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "aws:ec2/flowLog:FlowLog": 1,
    }
    assert {child.name for child in children} == {
        "net-vpc", "net-default-sg", "net-igw",
        "net-public-0", "net-public-1", "net-private-0", "net-private-1",
        "net-public-rt", "net-public-default-route", "net-public-rta-0", "net-public-rta-1",
        "net-private-rt-0", "net-private-rt-1", "net-private-rta-0", "net-private-rta-1",
        "net-private-default-route-0", "net-private-default-route-1",
        "net-nat-eip-0", "net-nat-0",
        "net-s3-endpoint", "net-endpoints-sg", "net-endpoints-https-from-vpc",
        "net-workloads-sg", "net-workloads-https-to-endpoints", "net-workloads-https-to-s3",
        *(f"net-{service}-endpoint" for service in INTERFACE_SERVICES),
        "net-flow-logs-key", "net-flow-logs", "net-flow-logs-role", "net-flow-logs-write",
        "net-flow-log",
    }  # fmt: skip


def test_subnets_follow_the_layout_never_assign_public_ips_and_spread_over_zones(
    run: RunProgram,
) -> None:
    subnets = inputs_of(network(run, az_count=3, vpc_cidr="10.30.0.0/16"), "aws:ec2/subnet:Subnet")
    assert {name: s["cidrBlock"] for name, s in subnets.items()} == {
        "net-private-0": "10.30.0.0/19",
        "net-private-1": "10.30.32.0/19",
        "net-private-2": "10.30.64.0/19",
        "net-public-0": "10.30.255.0/24",
        "net-public-1": "10.30.254.0/24",
        "net-public-2": "10.30.253.0/24",
    }
    assert {name: s["availabilityZone"] for name, s in subnets.items()} == {
        "net-private-0": "us-east-1a",
        "net-private-1": "us-east-1b",
        "net-private-2": "us-east-1c",
        "net-public-0": "us-east-1a",
        "net-public-1": "us-east-1b",
        "net-public-2": "us-east-1c",
    }
    assert all(s["mapPublicIpOnLaunch"] is False for s in subnets.values())
    assert subnets["net-public-0"]["tags"]["kubernetes.io/role/elb"] == "1"
    assert subnets["net-private-0"]["tags"]["kubernetes.io/role/internal-elb"] == "1"


def test_default_security_group_is_stripped_of_every_rule(run: RunProgram) -> None:
    default = network(run).one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default.inputs["ingress"] == []
    assert default.inputs["egress"] == []


def test_interface_endpoints_admit_https_from_the_vpc_only(run: RunProgram) -> None:
    registry = network(run)
    group = registry.one("aws:ec2/securityGroup:SecurityGroup", "net-endpoints-sg")
    assert "ingress" not in group.inputs
    assert "egress" not in group.inputs
    rule = registry.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert rule.property_dependencies["securityGroupId"] == (group.urn,)
    assert {k: rule.inputs[k] for k in ("ipProtocol", "fromPort", "toPort", "cidrIpv4")} == {
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
        "cidrIpv4": "10.10.0.0/16",
    }
    private_ids = {s.id for s in registry.all("aws:ec2/subnet:Subnet") if "private" in s.name}
    interface = [
        e for e in registry.all("aws:ec2/vpcEndpoint:VpcEndpoint") if e.name != "net-s3-endpoint"
    ]
    assert sorted(e.inputs["serviceName"] for e in interface) == [
        f"com.amazonaws.us-east-1.{service}"
        for service in ("ecr.api", "ecr.dkr", "logs", "sagemaker.api", "sagemaker.runtime", "sts")
    ]
    for endpoint in interface:
        assert endpoint.inputs["vpcEndpointType"] == "Interface"
        assert endpoint.inputs["privateDnsEnabled"] is True
        assert endpoint.inputs["securityGroupIds"] == [group.id]
        assert set(endpoint.inputs["subnetIds"]) == private_ids


def test_the_workload_group_reaches_aws_only_through_the_endpoints(run: RunProgram) -> None:
    registry = network(run)
    workloads = registry.one("aws:ec2/securityGroup:SecurityGroup", "net-workloads-sg")
    endpoints = registry.one("aws:ec2/securityGroup:SecurityGroup", "net-endpoints-sg")
    s3 = registry.one("aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3-endpoint")
    assert "ingress" not in workloads.inputs
    assert "egress" not in workloads.inputs
    ingress = registry.all("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert all(r.inputs["securityGroupId"] != workloads.id for r in ingress)  # nothing comes in
    rules = {
        r.name: r.inputs
        for r in registry.all("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    }
    assert set(rules) == {"net-workloads-https-to-endpoints", "net-workloads-https-to-s3"}
    for rule in rules.values():
        assert (rule["ipProtocol"], rule["fromPort"], rule["toPort"]) == ("tcp", 443, 443)
        assert rule["securityGroupId"] == workloads.id
        assert "cidrIpv4" not in rule  # no address range: only the endpoints are reachable
    assert rules["net-workloads-https-to-endpoints"]["referencedSecurityGroupId"] == endpoints.id
    assert rules["net-workloads-https-to-s3"]["prefixListId"] == s3.state["prefixListId"]
    outputs = registry.outputs(registry.one("mlops:network:Network"))
    assert outputs["workload_security_group_id"] == workloads.id


def test_s3_gateway_endpoint_serves_the_private_route_tables(run: RunProgram) -> None:
    registry = network(run)
    s3 = registry.one("aws:ec2/vpcEndpoint:VpcEndpoint", "net-s3-endpoint")
    assert s3.inputs["vpcEndpointType"] == "Gateway"
    assert s3.inputs["serviceName"] == "com.amazonaws.us-east-1.s3"
    private_tables = {
        r.urn for r in registry.all("aws:ec2/routeTable:RouteTable") if "private" in r.name
    }
    assert set(s3.property_dependencies["routeTableIds"]) == private_tables


@pytest.mark.parametrize(
    ("strategy", "nat_of_private_route"),
    [
        ("per_az", {"net-private-default-route-0": "net-nat-0",
                    "net-private-default-route-1": "net-nat-1",
                    "net-private-default-route-2": "net-nat-2"}),
        ("single", {"net-private-default-route-0": "net-nat-0",
                    "net-private-default-route-1": "net-nat-0",
                    "net-private-default-route-2": "net-nat-0"}),
        ("none", {}),
    ],
)  # fmt: skip
def test_nat_strategy_decides_gateways_and_private_default_routes(
    run: RunProgram, strategy: str, nat_of_private_route: dict[str, str]
) -> None:
    registry = network(run, az_count=3, nat_gateways=strategy)
    nats = {r.urn: r.name for r in registry.all("aws:ec2/natGateway:NatGateway")}
    assert sorted(nats.values()) == sorted(set(nat_of_private_route.values()))
    assert len(registry.all("aws:ec2/eip:Eip")) == len(nats)
    private_routes = {
        r.name: nats[r.property_dependencies["natGatewayId"][0]]
        for r in registry.all("aws:ec2/route:Route")
        if "private" in r.name
    }
    assert private_routes == nat_of_private_route
    public_route = registry.one("aws:ec2/route:Route", "net-public-default-route")
    assert public_route.inputs["destinationCidrBlock"] == "0.0.0.0/0"
    igw = registry.one("aws:ec2/internetGateway:InternetGateway")
    assert public_route.property_dependencies["gatewayId"] == (igw.urn,)
    for nat in registry.all("aws:ec2/natGateway:NatGateway"):
        assert igw.urn in nat.dependencies  # the gateway is attached before NAT routes


def test_flow_logs_capture_all_traffic_into_an_encrypted_log_group(run: RunProgram) -> None:
    registry = network(run, flow_log_retention_days=90)
    flow_log = registry.one("aws:ec2/flowLog:FlowLog")
    group = registry.one("aws:cloudwatch/logGroup:LogGroup")
    key = registry.one("aws:kms/key:Key")
    role = registry.one("aws:iam/role:Role")
    assert flow_log.inputs["trafficType"] == "ALL"
    assert flow_log.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow_log.property_dependencies["logDestination"] == (group.urn,)
    assert flow_log.property_dependencies["iamRoleArn"] == (role.urn,)
    assert flow_log.inputs["maxAggregationInterval"] == 60
    assert group.property_dependencies["kmsKeyId"] == (key.urn,)
    assert group.inputs["retentionInDays"] == 90
    assert group.inputs["namePrefix"] == "/mlops/net/flow-logs-"
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30


def test_flow_log_key_lets_only_cloudwatch_logs_of_this_group_use_it(run: RunProgram) -> None:
    key_policy = policy(network(run).one("aws:kms/key:Key"))
    admin = statement(key_policy, "AccountAdministersKey")
    assert admin["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    logs = statement(key_policy, "CloudWatchLogsEncryptsFlowLogs")
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": (
                "arn:aws:logs:us-east-1:123456789012:log-group:/mlops/net/flow-logs-*"
            )
        }
    }
    assert not any("kms:*" in str(s["Action"]) for s in key_policy["Statement"] if s is not admin)


def test_flow_log_role_is_for_this_account_and_writes_only_its_group(run: RunProgram) -> None:
    registry = network(run)
    trust = policy(registry.one("aws:iam/role:Role"), "assumeRolePolicy")
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        }
    ]
    write = statement(policy(registry.one("aws:iam/rolePolicy:RolePolicy")), "WriteOwnLogGroupOnly")
    group_arn = registry.one("aws:cloudwatch/logGroup:LogGroup").state["arn"]
    assert write["Resource"] == [group_arn, f"{group_arn}:*"]
    assert write["Action"] == [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogStreams",
    ]


@pytest.mark.parametrize("protect", [True, False])
def test_only_the_flow_log_key_and_group_are_protected_and_kept(
    run: RunProgram, protect: bool
) -> None:
    registry = network(run, protect_data=protect)
    protected = {r.name for r in registry if r.protect}
    kept = {r.name for r in registry if r.retain_on_delete}
    expected = {"net-flow-logs-key", "net-flow-logs"} if protect else set()
    assert protected == expected
    assert kept == expected
    group = registry.one("aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["deletionProtectionEnabled"] is protect


def test_caller_protection_still_reaches_children_when_data_protection_is_off(
    run: RunProgram,
) -> None:
    registry = run(
        lambda: Network(
            "net",
            NetworkArgs(vpc_cidr="10.10.0.0/16", protect_data=False),
            pulumi.ResourceOptions(protect=True),
        )
    )
    assert all(r.protect for r in registry if r.type != "pulumi:pulumi:Stack")


def test_every_taggable_child_carries_the_callers_tags_and_a_name(run: RunProgram) -> None:
    registry = network(run)
    taggable = [r for r in registry if r.custom and "tags" in r.inputs]
    untagged = {r.type for r in registry if r.custom and "tags" not in r.inputs}
    assert untagged == {
        "aws:ec2/route:Route",
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "aws:iam/rolePolicy:RolePolicy",
    }  # these types have no tags in AWS
    for resource in taggable:
        assert resource.inputs["tags"].items() >= TAGS.items(), resource.name
        assert resource.inputs["tags"]["Name"] == resource.name


def test_an_explicit_provider_reaches_every_child_and_answers_the_lookups(
    run: RunProgram,
) -> None:
    def program() -> None:
        provider = aws.Provider("acct", region="us-west-1", allowed_account_ids=["444455556666"])
        Network(
            "net",
            NetworkArgs(vpc_cidr="10.10.0.0/16", az_count=2),
            pulumi.ResourceOptions(providers={"aws": provider}),
        )

    registry = run(program)
    provider = registry.one("pulumi:providers:aws", "acct")
    children = registry.descendants_of(registry.one("mlops:network:Network"))
    assert {child.provider for child in children if child.custom} == {provider.urn}
    zones = {s.inputs["availabilityZone"] for s in registry.all("aws:ec2/subnet:Subnet")}
    assert zones == {"us-west-1a", "us-west-1c"}  # us-west-1 has no 1b
    key_policy = policy(registry.one("aws:kms/key:Key"))
    assert statement(key_policy, "AccountAdministersKey")["Principal"] == {
        "AWS": "arn:aws:iam::444455556666:root"
    }


def test_pinned_zones_are_used_as_given(run: RunProgram) -> None:
    registry = network(run, az_count=2, availability_zones=["us-east-1d", "us-east-1f"])
    subnets = inputs_of(registry, "aws:ec2/subnet:Subnet")
    assert subnets["net-private-0"]["availabilityZone"] == "us-east-1d"
    assert subnets["net-private-1"]["availabilityZone"] == "us-east-1f"


def test_a_region_with_too_few_zones_fails_naming_them(run: RunProgram) -> None:
    with pytest.raises(ArgsError) as raised:
        run(
            lambda: Network("net", NetworkArgs(vpc_cidr="10.10.0.0/16", az_count=3)),
            mocks=DeterministicMocks(region="us-west-1"),
        )
    assert str(raised.value) == (
        "NetworkArgs is invalid (1 problem):\n"
        "  - az_count = 3: the region has only 2 standard zones (us-west-1a, us-west-1c)"
    )


def test_outputs_are_registered(run: RunProgram) -> None:
    registry = network(run, az_count=2)
    outputs = registry.outputs(registry.one("mlops:network:Network"))
    subnets = {s.name: s for s in registry.all("aws:ec2/subnet:Subnet")}
    assert outputs["vpc_cidr"] == "10.10.0.0/16"
    assert outputs["availability_zones"] == ["us-east-1a", "us-east-1b"]
    assert outputs["private_subnet_ids"] == [
        subnets["net-private-0"].id,
        subnets["net-private-1"].id,
    ]
    assert outputs["vpc_id"] == registry.one("aws:ec2/vpc:Vpc").id
    assert outputs["flow_log_group_name"].startswith("/mlops/net/flow-logs-")


@pytest.mark.parametrize(
    ("overrides", "messages"),
    [
        ({"az_count": 0}, ["az_count = 0: a whole number from 1 to 6"]),
        ({"az_count": 7}, ["az_count = 7: a whole number from 1 to 6"]),
        ({"nat_gateways": "two"}, ["nat_gateways = 'two': allowed: none, single, per_az"]),
        (
            {"flow_log_retention_days": 10},
            [
                "flow_log_retention_days = 10: CloudWatch Logs accepts 1, 3, 5, 7, 14, 30, 60, "
                "90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
            ],
        ),
        (
            {"availability_zones": ["us-east-1a"]},
            [
                "availability_zones = ['us-east-1a']: must name exactly 2 zones, "
                "one per zone counted"
            ],
        ),
        (
            {"availability_zones": ["us-east-1a", "us-east-1a"]},
            ["availability_zones = ['us-east-1a', 'us-east-1a']: each zone may appear once"],
        ),
        (
            {"availability_zones": ["us-east-1a", "east"]},
            ["availability_zones[1] = 'east': a zone name such as eu-west-1a"],
        ),
        (
            {"interface_endpoints": ["sagemaker.api", "Bad Service"]},
            ["interface_endpoints[1] = 'Bad Service': a service suffix such as sagemaker.api "
             "or ecr.dkr"],
        ),
        (
            {"interface_endpoints": ["sagemaker.api", "sts", "sagemaker.api"]},
            ["interface_endpoints[2] = 'sagemaker.api': services must be unique; [0] has it too"],
        ),
        (
            {"tags": {"aws:owner": "x"}},
            ["tags['aws:owner'] = 'aws:owner': tag keys are 1-128 letters, digits, spaces or "
             "_.:/=+-@ and may not start with 'aws:'"],
        ),
        (
            {"peer_cidrs": ["10.10.128.0/17"]},
            ["peer_cidrs[0] = '10.10.128.0/17': overlaps the VPC's 10.10.0.0/16; routed "
             "networks need distinct ranges"],
        ),
        (
            {"vpc_cidr": "10.10.0.0/16", "private_subnet_prefix": 17, "az_count": 3},
            ["vpc_cidr = '10.10.0.0/16': too small for 3 public /24 and 3 private /17 subnets "
             "(99072 addresses needed, 65536 available); use a larger VPC or longer subnet "
             "prefixes"],
        ),
    ],
)  # fmt: skip
def test_bad_args_are_rejected_before_any_resource_with_exact_messages(
    run: RunProgram, overrides: dict[str, object], messages: list[str]
) -> None:
    with pytest.raises(ArgsError) as raised:
        NetworkArgs(**{"vpc_cidr": "10.10.0.0/16", **overrides})  # type: ignore[arg-type]
    assert [str(problem) for problem in raised.value.problems] == messages


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ArgsError) as raised:
        NetworkArgs(vpc_cidr="8.8.8.8/16", az_count=9, nat_gateways="many")  # type: ignore[arg-type]
    assert str(raised.value) == (
        "NetworkArgs is invalid (3 problems):\n"
        "  - vpc_cidr = '8.8.8.8/16': has host bits set; did you mean 8.8.0.0/16?\n"
        "  - az_count = 9: a whole number from 1 to 6\n"
        "  - nat_gateways = 'many': allowed: none, single, per_az"
    )
