"""The ModelEndpoint component: what it serves, as whom, with which weights and how it scales."""

from __future__ import annotations

from mlops_platform.components import VariantAutoscalingSpec, VariantSpec
from tests.components.endpoint_fixtures import (
    CONFIG,
    ENDPOINT,
    GROUPS,
    IMAGE,
    MODEL,
    SUBNETS,
    blue,
    by_name,
    endpoint,
    green,
)
from tests.conftest import RunProgram, policy, statement


def test_models_run_isolated_in_the_given_subnets_under_the_endpoint_role(run: RunProgram) -> None:
    registry = endpoint(run)
    role = registry.one("aws:iam/role:Role")
    role_policy = registry.one("aws:iam/rolePolicy:RolePolicy")
    models = by_name(registry, MODEL)
    assert models["fraud-blue-model"].inputs["primaryContainer"] == {
        "image": IMAGE,
        "modelDataUrl": "s3://acme-models/fraud/1.4.0/model.tar.gz",
    }
    for model in models.values():
        assert model.inputs["enableNetworkIsolation"] is True
        assert model.inputs["vpcConfig"] == {"subnets": SUBNETS, "securityGroupIds": GROUPS}
        assert model.property_dependencies["executionRoleArn"] == (role.urn,)
        assert role_policy.urn in model.dependencies  # SageMaker checks the role's permissions


def test_the_role_touches_only_what_is_this_endpoints(run: RunProgram) -> None:
    registry = endpoint(run)
    name = registry.one(ENDPOINT).inputs["name"]
    trust = policy(registry.one("aws:iam/role:Role"), "assumeRolePolicy")
    assert trust["Statement"][0]["Principal"] == {"Service": "sagemaker.amazonaws.com"}
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"}
    }
    document = policy(registry.one("aws:iam/rolePolicy:RolePolicy"))
    resources = {s["Sid"]: s["Resource"] for s in document["Statement"]}
    group = registry.one("aws:cloudwatch/logGroup:LogGroup").state["arn"]
    arn = "arn:aws:{}:us-east-1:123456789012:{}"
    assert resources == {
        "ReadOwnArtifacts": "arn:aws:s3:::acme-models/fraud/*",
        "PullOwnImages": [arn.format("ecr", "repository/fraud")],
        "AuthorizeImagePulls": "*",
        "WriteOwnLogs": [group, f"{group}:*"],
        "UseEndpointKey": registry.one("aws:kms/key:Key").state["arn"],
        "ReadRollbackAlarms": [arn.format("cloudwatch", f"alarm:{name}-*")],
        "DescribeVpcPlacement": "*",
        "ManageOwnNetworkInterfaces": [
            arn.format("ec2", "network-interface/*"),
            arn.format("ec2", "subnet/subnet-0a"),
            arn.format("ec2", "subnet/subnet-0b"),
            arn.format("ec2", "security-group/sg-models"),
        ],
        "WriteOwnDataCapture": (
            f"arn:aws:s3:::{registry.one('aws:s3/bucket:Bucket').state['bucket']}/data-capture/*"
        ),
    }
    wildcard = {s["Sid"]: s["Action"] for s in document["Statement"] if s["Resource"] == "*"}
    assert wildcard == {  # AWS offers no narrower resource for these actions
        "AuthorizeImagePulls": ["ecr:GetAuthorizationToken"],
        "DescribeVpcPlacement": [
            "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
        ],
    }  # fmt: skip
    assert not any(a.endswith(":*") for s in document["Statement"] for a in s["Action"])


def test_endpoint_configuration_is_auto_named_and_carries_the_weights_as_ratios(
    run: RunProgram,
) -> None:
    registry = endpoint(run)
    config = registry.one(CONFIG)
    assert "name" not in config.inputs
    assert "namePrefix" not in config.inputs
    models = by_name(registry, MODEL)
    assert config.inputs["productionVariants"] == [
        {"variantName": "blue", "modelName": models["fraud-blue-model"].state["name"],
         "instanceType": "ml.m5.large", "initialInstanceCount": 2, "initialVariantWeight": 0.9},
        {"variantName": "green", "modelName": models["fraud-green-model"].state["name"],
         "instanceType": "ml.m5.large", "initialInstanceCount": 2, "initialVariantWeight": 0.1},
    ]  # fmt: skip
    assert "shadowProductionVariants" not in config.inputs


def test_changing_only_weights_makes_a_new_configuration_but_leaves_the_models(
    run: RunProgram,
) -> None:
    before = endpoint(run, variants=[blue(weight=90), green(weight=10)])
    after = endpoint(run, variants=[blue(weight=50), green(weight=50)])
    assert {m.name: m.inputs for m in before.all(MODEL)} == {
        m.name: m.inputs for m in after.all(MODEL)
    }
    weights = [v["initialVariantWeight"] for v in after.one(CONFIG).inputs["productionVariants"]]
    assert weights == [0.5, 0.5]
    assert before.one(CONFIG).inputs != after.one(CONFIG).inputs
    new_image = endpoint(run, variants=[blue(image=IMAGE.replace("1.4.0", "1.4.1")), green()])
    assert by_name(new_image, MODEL)["fraud-blue-model"].inputs != (
        by_name(before, MODEL)["fraud-blue-model"].inputs
    )


def test_shadow_variant_gets_a_copy_of_the_traffic(run: RunProgram) -> None:
    shadow = green(name="candidate", shadow=True, weight=45, instance_count=1)
    registry = endpoint(run, variants=[blue(weight=100), shadow])
    config = registry.one(CONFIG).inputs
    assert [v["variantName"] for v in config["productionVariants"]] == ["blue"]
    assert [(v["variantName"], v["initialVariantWeight"], v["initialInstanceCount"])
            for v in config["shadowProductionVariants"]] == [("candidate", 0.45, 1)]  # fmt: skip


def test_autoscaling_tracks_invocations_and_owns_the_instance_count(run: RunProgram) -> None:
    scaling = VariantAutoscalingSpec(min_capacity=2, max_capacity=6, invocations_per_instance=300)
    registry = endpoint(run, variants=[blue(), green(autoscaling=scaling)])
    name = registry.one(ENDPOINT).inputs["name"]
    target = registry.one("aws:appautoscaling/target:Target", "fraud-green-scaling")
    assert {k: target.inputs[k] for k in ("serviceNamespace", "scalableDimension", "resourceId",
                                         "minCapacity", "maxCapacity")} == {
        "serviceNamespace": "sagemaker",
        "scalableDimension": "sagemaker:variant:DesiredInstanceCount",
        "resourceId": f"endpoint/{name}/variant/green",
        "minCapacity": 2,
        "maxCapacity": 6,
    }  # fmt: skip
    assert registry.one(ENDPOINT).urn in target.dependencies
    scaling_policy = registry.one("aws:appautoscaling/policy:Policy", "fraud-green-invocations")
    assert scaling_policy.inputs["policyType"] == "TargetTrackingScaling"
    assert scaling_policy.inputs["targetTrackingScalingPolicyConfiguration"] == {
        "targetValue": 300,
        "predefinedMetricSpecification": {
            "predefinedMetricType": "SageMakerVariantInvocationsPerInstance"
        },
        "scaleInCooldown": 300,
        "scaleOutCooldown": 60,
    }
    assert scaling_policy.property_dependencies["resourceId"] == (target.urn,)
    assert registry.all("aws:appautoscaling/target:Target") == [target]  # blue has no scaling
    # A later `pulumi up` keeps the autoscaled count: green is variant 1 of the configuration.
    assert registry.one(CONFIG).ignore_changes == ("productionVariants[1].initialInstanceCount",)
    assert endpoint(run).one(CONFIG).ignore_changes == ()


def test_registry_is_readable_by_the_other_environments_and_pins_a_version(
    run: RunProgram,
) -> None:
    pinned = VariantSpec(name="green", instance_type="ml.m5.large", instance_count=2,
                         weight=10, model_package=7)  # fmt: skip
    registry = endpoint(
        run,
        variants=[blue(), pinned],
        image_repositories=["arn:aws:ecr:us-east-1:123456789012:repository/fraud-packaged"],
        registry_reader_accounts=["111122223333", "444455556666"],
    )
    group = registry.one("aws:sagemaker/modelPackageGroup:ModelPackageGroup")
    name = registry.one(ENDPOINT).inputs["name"]
    assert group.inputs["modelPackageGroupName"] == name
    model = by_name(registry, MODEL)["fraud-green-model"]
    assert model.inputs["primaryContainer"] == {
        "modelPackageName": f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{name}/7"
    }
    document = policy(
        registry.one("aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy"),
        "resourcePolicy",
    )
    readers = ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]
    arn = "arn:aws:sagemaker:us-east-1:123456789012:"
    assert statement(document, "OtherEnvironmentsReadGroup") == {
        "Sid": "OtherEnvironmentsReadGroup", "Effect": "Allow", "Principal": {"AWS": readers},
        "Action": ["sagemaker:DescribeModelPackageGroup"],
        "Resource": f"{arn}model-package-group/{name}",
    }  # fmt: skip
    packages = statement(document, "OtherEnvironmentsReadAndServePackages")
    assert packages["Action"] == [
        "sagemaker:CreateModel", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages",
    ]  # fmt: skip  # never UpdateModelPackage: approval stays with the owner
    assert packages["Resource"] == f"{arn}model-package/{name}/*"
    role = policy(registry.one("aws:iam/rolePolicy:RolePolicy"))
    assert statement(role, "PullOwnImages")["Resource"] == [
        "arn:aws:ecr:us-east-1:123456789012:repository/fraud",
        "arn:aws:ecr:us-east-1:123456789012:repository/fraud-packaged",
    ]


def test_a_package_arn_is_served_as_given_and_no_policy_without_readers(run: RunProgram) -> None:
    package = "arn:aws:sagemaker:us-east-1:111122223333:model-package/dev-fraud-1a2b3c4d/3"
    pinned = VariantSpec(name="blue", instance_type="ml.m5.large", instance_count=2,
                         model_package=package)  # fmt: skip
    registry = endpoint(
        run,
        variants=[pinned],
        image_repositories=["arn:aws:ecr:us-east-1:111122223333:repository/fraud"],
    )
    assert registry.one(MODEL).inputs["primaryContainer"] == {"modelPackageName": package}
    assert registry.all("aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy") == []
