"""A compliant endpoint, endpoint configuration and model that tests change one thing in."""

from __future__ import annotations

from typing import Any

ENDPOINT_TYPE = "aws:sagemaker/endpoint:Endpoint"
CONFIG_TYPE = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL_TYPE = "aws:sagemaker/model:Model"
ALARM_TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm"

ENDPOINT: dict[str, Any] = {
    "endpointConfigName": "cfg-1",
    "deploymentConfig": {
        "blueGreenUpdatePolicy": {
            "trafficRoutingConfiguration": {
                "type": "CANARY",
                "waitIntervalInSeconds": 600,
                "canarySize": {"type": "CAPACITY_PERCENT", "value": 10},
            },
            "maximumExecutionTimeoutInSeconds": 3600,
        },
        "autoRollbackConfiguration": {"alarms": [{"alarmName": "serve-errors"}]},
    },
}

CONFIG: dict[str, Any] = {
    "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k",
    "productionVariants": [
        {
            "variantName": "primary",
            "modelName": "model-1",
            "instanceType": "ml.m5.xlarge",
            "initialInstanceCount": 2,
        }
    ],
    "dataCaptureConfig": {
        "enableCapture": True,
        "initialSamplingPercentage": 100,
        "destinationS3Uri": "s3://capture/prod",
        "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
        "captureOptions": [{"captureMode": "Input"}, {"captureMode": "Output"}],
    },
}

MODEL: dict[str, Any] = {
    "executionRoleArn": "arn:aws:iam::123456789012:role/model",
    "enableNetworkIsolation": True,
    "primaryContainer": {"image": "img", "modelDataUrl": "s3://models/m.tar.gz"},
    "vpcConfig": {"subnets": ["subnet-a"], "securityGroupIds": ["sg-1"]},
}

ALARM: dict[str, Any] = {
    "name": "serve-errors",
    "alarmActions": ["arn:aws:sns:us-east-1:123456789012:alerts"],
    "metricName": "Invocation5XXErrors",
}
