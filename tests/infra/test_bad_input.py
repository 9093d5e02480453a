"""Bad input by class: each class a table of stack-file values and the exact messages they get."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from infra.config import ConfigError, parse
from infra.stack_input import NULL, NULL_REQUIRED, outside_namespace
from tests.infra.test_serving_stacks import prod_cluster, prod_service, stack_values

PLATFORM_LABEL = "mlops/node-group"
OTHER_REGION_IMAGE = "444455556666.dkr.ecr.eu-west-1.amazonaws.com/fraud-detector:1.5.0"
OTHER_ACCOUNT_IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud-detector:1.5.0"


def problems(stack: str, region: str = "us-east-1", **changes: Any) -> list[str]:
    """The problems of committed stack `stack` with `changes` (JSON text, as the engine)."""
    values = stack_values(stack)
    values.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in changes.items()})
    with pytest.raises(ConfigError) as raised:
        parse(values, region=region, stack=stack)
    return [str(problem) for problem in raised.value.problems]


def prod_endpoint(**changes: Any) -> list[dict[str, Any]]:
    endpoints: list[dict[str, Any]] = json.loads(stack_values("prod")["endpoints"])
    endpoints[0] = {**endpoints[0], **changes}
    return endpoints


def prod_variant(**changes: Any) -> list[dict[str, Any]]:
    endpoints = prod_endpoint()
    endpoints[0]["variants"][0] = {**endpoints[0]["variants"][0], **changes}
    return endpoints


def network(**changes: Any) -> dict[str, Any]:
    return {**json.loads(stack_values("prod")["network"]), **changes}


def group(**changes: Any) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = prod_cluster()["gpuNodeGroups"]
    groups[0] = {**groups[0], **changes}
    return groups


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"owner": "null"}, [f"mlops:owner = None: {NULL_REQUIRED}"],
                     id="null required root key"),
        pytest.param({"protectData": "null"}, [f"mlops:protectData = None: {NULL}"],
                     id="null root key with a default"),
        pytest.param({"network": "null"}, [f"mlops:network = None: {NULL_REQUIRED}"],
                     id="null required block"),
        pytest.param({"services": "null", "endpoints": "null"},
                     [f"mlops:services = None: {NULL}", f"mlops:endpoints = None: {NULL}"],
                     id="list blocks with every entry commented out"),
        pytest.param({"network": network(azCount=True)},
                     ["mlops:network.azCount = True: must be a number, not true"],
                     id="true for a count"),
        pytest.param({"endpoints": prod_variant(weight=math.nan)},
                     ["mlops:endpoints[0].variants[0].weight = nan: must be a finite number, not "
                      "NaN or infinity"],
                     id="NaN"),
        pytest.param({"endpoints": prod_variant(weight=math.inf)},
                     ["mlops:endpoints[0].variants[0].weight = inf: must be a finite number, not "
                      "NaN or infinity"],
                     id="infinity"),
        pytest.param({"cluster": prod_cluster(kubernetesVersion=1.3)},
                     ['mlops:cluster.kubernetesVersion = 1.3: quote the version ("1.30"); YAML '
                      "reads 1.30 as the number 1.3"],
                     id="a version read as a float"),
        pytest.param({"network": network(azCount="2024-05-01")},
                     ["mlops:network.azCount = '2024-05-01': must be a whole number"],
                     id="a date for a number"),
    ],
)  # fmt: skip
def test_yaml_as_people_write_it(changes: dict[str, Any], expected: list[str]) -> None:
    assert problems("prod", **changes) == expected


def test_a_key_without_the_namespace_is_reported_not_ignored() -> None:
    outside = outside_namespace(
        {"mlops-platform:endpoints": "[]", "mlops:owner": "x", "aws:region": "us-east-1"},
        "mlops-platform",
    )
    with pytest.raises(ConfigError) as raised:
        parse(stack_values("prod"), region="us-east-1", stack="prod", outside=outside)
    assert [str(p) for p in raised.value.problems] == [
        "mlops-platform:endpoints = []: a key without a namespace belongs to the project and is "
        "ignored; write mlops:endpoints"
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"network": network(availabilityZones=["eu-west-1a", "us-east-1b",
                                                            "us-east-1c"])},
                     ["mlops:network.availabilityZones[0] = 'eu-west-1a': a zone of us-east-1, "
                      "the stack's region, such as us-east-1a"],
                     id="a zone of another region"),
        pytest.param({"network": network(interfaceEndpoints=["sts", "logs", "sts"])},
                     ["mlops:network.interfaceEndpoints[2] = 'sts': services must be unique; [0] "
                      "has it too"],
                     id="an interface endpoint twice"),
        pytest.param({"cluster": prod_cluster(gpuNodeGroups=group(labels={"tier": "gold tier"}))},
                     ["mlops:cluster.gpuNodeGroups[0].labels['tier'] = 'gold tier': a label value "
                      "Kubernetes accepts: at most 63 letters, digits, -, _ or ., starting and "
                      "ending with a letter or digit (quote true, 1.0 and dates)"],
                     id="a label value Kubernetes refuses"),
        pytest.param({"cluster": prod_cluster(gpuNodeGroups=group(labels={PLATFORM_LABEL: "x"}))},
                     ["mlops:cluster.gpuNodeGroups[0].labels['mlops/node-group'] = 'x': the "
                      "platform sets this label itself"],
                     id="a label the platform sets"),
        pytest.param({"cluster": prod_cluster(gpuNodeGroups=group(name="system"))},
                     ["mlops:cluster.systemNodeGroup.name = 'system': a GPU group has this name "
                      "too, so both would carry the label mlops/node-group=system; rename one"],
                     id="two node groups with the same label"),
        pytest.param({"cluster": prod_cluster(privateAccessCidrs=["10.30.0.0/16", "0.0.0.0/0"])},
                     ["mlops:cluster.privateAccessCidrs = ['10.30.0.0/16', '0.0.0.0/0']: together "
                      "these admit the whole internet (0.0.0.0/0); list only the networks that "
                      "reach the API"],
                     id="private access admitting the internet"),
        pytest.param({"cluster": prod_cluster(endpointPublicAccess=True,
                                              publicAccessCidrs=["0.0.0.0/1", "128.0.0.0/1"])},
                     ["mlops:cluster.publicAccessCidrs = ['0.0.0.0/1', '128.0.0.0/1']: together "
                      "these admit the whole internet (0.0.0.0/0); list only the networks that "
                      "reach the API"],
                     id="public access whose union is the internet"),
        pytest.param({"services": prod_service(image=OTHER_REGION_IMAGE)},
                     [f"mlops:services[0].image = '{OTHER_REGION_IMAGE}': an ECR image of "
                      "us-east-1, the stack's region (pulls go through the region's ecr.dkr "
                      "endpoint); replicate fraud-detector to us-east-1 with ECR replication"],
                     id="a service image of another region"),
        pytest.param({"endpoints": prod_variant(image=OTHER_REGION_IMAGE)},
                     [f"mlops:endpoints[0].variants[0].image = '{OTHER_REGION_IMAGE}': an ECR "
                      "image of us-east-1, the stack's region (pulls go through the region's "
                      "ecr.dkr endpoint); replicate fraud-detector to us-east-1 with ECR "
                      "replication"],
                     id="an endpoint image of another region"),
        pytest.param({"endpoints": prod_variant(image=OTHER_ACCOUNT_IMAGE)},
                     [f"mlops:endpoints[0].variants[0].image = '{OTHER_ACCOUNT_IMAGE}': an image "
                      "of account 444455556666's registry, or list "
                      "arn:aws:ecr:us-east-1:111122223333:repository/fraud-detector under "
                      "imageRepositories and let 444455556666 pull it in that repository's policy "
                      "(docs/images.md)"],
                     id="an endpoint image of another account"),
    ],
)  # fmt: skip
def test_values_valid_alone_but_wrong_together(
    changes: dict[str, Any], expected: list[str]
) -> None:
    assert problems("prod", **changes) == expected


def test_an_image_of_another_account_listed_with_its_repository_is_served() -> None:
    endpoints = prod_variant(image=OTHER_ACCOUNT_IMAGE)
    endpoints[0]["imageRepositories"] = [
        "arn:aws:ecr:us-east-1:111122223333:repository/fraud-detector"
    ]
    values = {**stack_values("prod"), "endpoints": json.dumps(endpoints)}
    assert parse(values, region="us-east-1", stack="prod").endpoints


def test_an_eks_cluster_needs_two_zones() -> None:
    assert problems("dev", network={"vpcCidr": "10.10.0.0/16", "azCount": 1}) == [
        "mlops:network.azCount = 1: an EKS cluster (mlops:cluster) needs subnets in at least 2 "
        "zones"
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"endpoints": prod_endpoint(alarms={"enabled": False})},
                     ["mlops:endpoints[0].alarms.enabled = False: prod rolls back on the "
                      "endpoint's own alarms",
                      "mlops:endpoints[0].rollout.strategy = 'CANARY': a CANARY rollout needs at "
                      "least one rollback alarm; keep the endpoint's own alarms on or add extra "
                      "rollback alarms"],
                     id="the fix one message suggests is one prod accepts"),
        pytest.param({"endpoints": prod_endpoint(alarms={"enabled": False},
                                                 rollout={"strategy": "ALL_AT_ONCE"})},
                     ["mlops:endpoints[0].alarms.enabled = False: prod rolls back on the "
                      "endpoint's own alarms",
                      "mlops:endpoints[0].rollout.strategy = 'ALL_AT_ONCE': prod shifts traffic "
                      "gradually, watched by alarms: use CANARY or LINEAR"],
                     id="and after the other fix, both at once"),
        pytest.param({"endpoints": prod_endpoint(rollout={"strategy": "canary", "step": 10})},
                     ["mlops:endpoints[0].rollout.strategy = 'canary': allowed: 'ALL_AT_ONCE', "
                      "'CANARY', 'LINEAR' or 'ROLLING'"],
                     id="a value that failed to parse is not reported again as its default"),
        pytest.param({"services": prod_service(canarySteps=[{"setWeight": 50}])},
                     ["mlops:services[0].canarySteps = [{'setWeight': 50}]: prod needs an "
                      "analysis step, so a failing canary rolls back by itself"],
                     id="values in the words of the stack file"),
    ],
)  # fmt: skip
def test_all_problems_at_once_and_only_real_ones(
    changes: dict[str, Any], expected: list[str]
) -> None:
    assert problems("prod", **changes) == expected
