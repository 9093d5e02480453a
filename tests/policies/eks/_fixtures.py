"""A compliant cluster, node group and launch template that tests change one thing in."""

from __future__ import annotations

from typing import Any

CLUSTER_TYPE = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"

CLUSTER: dict[str, Any] = {
    "version": "1.33",
    "roleArn": "arn:aws:iam::123456789012:role/cluster",
    "vpcConfig": {
        "subnetIds": ["subnet-a", "subnet-b"],
        "endpointPrivateAccess": True,
        "endpointPublicAccess": False,
    },
    "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": "arn:aws:kms:k"}},
    "enabledClusterLogTypes": ["api", "audit", "authenticator"],
}

TEMPLATE: dict[str, Any] = {
    "instanceType": "g5.xlarge",
    "metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 2},
    "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true"}}],
}

GPU_GROUP: dict[str, Any] = {
    "clusterName": "ml",
    "instanceTypes": ["g5.xlarge"],
    "launchTemplate": {"id": "lt-1", "version": "1"},
    "scalingConfig": {"minSize": 0, "desiredSize": 1, "maxSize": 2},
    "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}],
}
