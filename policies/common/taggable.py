"""Resource types the platform creates, or will create, that accept tags.

Kept by hand: a test checks every entry against pulumi-aws (it has a `tags` input) and that every
taggable type in the committed stacks' plans is listed.
"""

from __future__ import annotations

from mlops_platform.policies.common import types

TAGGABLE_TYPES = frozenset(
    {
        *types.BUCKETS,
        types.KMS_KEY,
        types.VPC,
        types.SUBNET,
        types.FLOW_LOG,
        types.SECURITY_GROUP,
        types.INGRESS_RULE,
        types.DEFAULT_SECURITY_GROUP,
        types.LAUNCH_TEMPLATE,
        types.INSTANCE,
        "aws:ec2/eip:Eip",
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        types.EKS_CLUSTER,
        types.EKS_NODE_GROUP,
        "aws:eks/addon:Addon",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        types.SAGEMAKER_MODEL,
        types.SAGEMAKER_ENDPOINT_CONFIG,
        types.SAGEMAKER_ENDPOINT,
        "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
        types.METRIC_ALARM,
        types.COMPOSITE_ALARM,
        types.LOG_GROUP,
        types.TRAIL,
        types.SNS_TOPIC,
        types.DYNAMODB_TABLE,
        types.IAM_POLICY,
        types.IAM_ROLE,
        "aws:appautoscaling/target:Target",
        "aws:lambda/function:Function",
        "aws:sfn/stateMachine:StateMachine",
        "aws:codebuild/project:Project",
        "aws:codepipeline/pipeline:Pipeline",
        "aws:cloudwatch/eventRule:EventRule",
    }
)
