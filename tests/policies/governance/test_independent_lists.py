"""The lists that drive governance rules, against lists typed out here by hand."""

from __future__ import annotations

import pytest

from mlops_platform.policies.common.taggable import TAGGABLE_TYPES
from mlops_platform.policies.governance import required_tags, stateful_protected
from tests.policies.harness import check_resource

STATEFUL_TYPES = {
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:dynamodb/table:Table",
    "aws:kms/key:Key",
    "aws:cloudtrail/trail:Trail",
    "aws:cloudwatch/logGroup:LogGroup",
}
"""Types whose deletion loses data or makes data unreadable (a key), typed out by hand."""


@pytest.mark.parametrize("type_", sorted(STATEFUL_TYPES))
def test_every_data_holding_type_must_be_protected(type_: str) -> None:
    assert check_resource(stateful_protected.POLICY, type_, {}) == [
        "holds data but is not protected; deploy it with protect=True"
    ]


def test_the_model_registry_must_be_protected() -> None:
    type_ = "aws:sagemaker/modelPackageGroup:ModelPackageGroup"
    assert check_resource(stateful_protected.POLICY, type_, {}) == [
        "holds data but is not protected; deploy it with protect=True"
    ]


@pytest.mark.parametrize(
    "type_",
    sorted(
        {
            "aws:s3/bucket:Bucket",
            "aws:kms/key:Key",
            "aws:ec2/vpc:Vpc",
            "aws:ec2/subnet:Subnet",
            "aws:ec2/flowLog:FlowLog",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            "aws:ec2/launchTemplate:LaunchTemplate",
            "aws:ec2/eip:Eip",
            "aws:ec2/internetGateway:InternetGateway",
            "aws:ec2/natGateway:NatGateway",
            "aws:ec2/routeTable:RouteTable",
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            "aws:eks/cluster:Cluster",
            "aws:eks/nodeGroup:NodeGroup",
            "aws:eks/addon:Addon",
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
            "aws:iam/role:Role",
            "aws:sagemaker/model:Model",
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
            "aws:sagemaker/endpoint:Endpoint",
            "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:sns/topic:Topic",
            "aws:appautoscaling/target:Target",
        }
    ),
)
def test_every_taggable_type_the_components_create_must_carry_the_tags(type_: str) -> None:
    assert type_ in TAGGABLE_TYPES
    assert check_resource(required_tags.POLICY, type_, {"tags": {"Owner": "ml"}}) != []
