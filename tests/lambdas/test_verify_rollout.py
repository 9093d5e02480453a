"""The verifier on an EKS target: an Argo Rollout read through the official client from a fake
Kubernetes API, the token made as `aws eks get-token` makes it, the cluster from moto's EKS."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest

from mlops_platform.lambdas.common.events import InvalidEvent
from mlops_platform.lambdas.common.release import ReleaseRecord, write_release
from mlops_platform.lambdas.verify import handler as verify
from mlops_platform.lambdas.verify import kube
from mlops_platform.lambdas.verify.rollout import image_digest, repository
from mlops_platform.lambdas.verify.targets import ServiceRef, parse_targets

from .aws_fixtures import ACCOUNT, REGION
from .fake_kubernetes import FakeKubernetes, template_hash

DIGEST = "sha256:" + "ab" * 32
REPOSITORY = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/fraud-scorer"
IMAGE = f"{REPOSITORY}@{DIGEST}"
SERVICE = {"cluster_name": "dev-cluster", "namespace": "fraud-scorer", "rollout": "fraud-scorer"}
RECORD = {
    "version": 5,
    "package_arn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/fraud-scorer/5",
    "image": f"{REPOSITORY}:5",
    "image_digest": DIGEST,
    "model_data_url": "s3://models/fraud-scorer/5/",
    "commit": "c0ffee05",
    "endpoint_name": "fraud-scorer",  # a service's record names the service, as its seed does
}
EVENT = {"env": "dev", "target": "fraud-scorer", "previous_endpoint_config": "", "max_attempts": 3}


@pytest.fixture
def api(moto_aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeKubernetes]:
    """The record in moto's SSM; the handler reaches the fake API through the real client."""
    write_release(
        boto3.client("ssm", region_name=REGION), "dev", "fraud-scorer", ReleaseRecord.parse(RECORD)
    )
    monkeypatch.setenv("EKS_TARGETS", json.dumps({"fraud-scorer": SERVICE}))
    fake = FakeKubernetes()
    reached: list[ServiceRef] = []

    def connect(service: ServiceRef) -> kube.RolloutReader:
        reached.append(service)
        return fake.reader()

    monkeypatch.setattr(verify, "connect_rollouts", connect)
    yield fake
    fake.close()
    assert reached
    assert all(s == ServiceRef(**SERVICE) for s in reached)


def test_healthy_rollout_on_the_record_image_is_verified(api: FakeKubernetes) -> None:
    api.serve("fraud-scorer", "fraud-scorer", IMAGE)
    assert verify.handler(EVENT, None) == {
        "state": "verified",
        "attempt": 0,
        "stable_hash": template_hash(IMAGE),
    }
    assert api.authorizations == ["Bearer k8s-aws-v1.test"] * 2


def test_progressing_is_waited_out_then_verified(api: FakeKubernetes) -> None:
    api.serve("fraud-scorer", "fraud-scorer", IMAGE, progressing_reads=1)
    first = verify.handler(EVENT, None)
    assert first == {"state": "waiting", "attempt": 1, "rollout_phase": "Progressing"}
    assert verify.handler({**EVENT, "attempt": 1}, None)["state"] == "verified"


def test_a_rollout_that_never_settles_fails(api: FakeKubernetes) -> None:
    api.serve("fraud-scorer", "fraud-scorer", IMAGE, phase="Paused")
    with pytest.raises(verify.VerifyFailed, match=r"fraud-scorer/fraud-scorer is Paused, still "
                       r"after 3 checks"):  # fmt: skip
        verify.handler({**EVENT, "attempt": 2}, None)


@pytest.mark.parametrize(
    ("serve", "message"),
    [
        (
            {"image": f"{REPOSITORY}@sha256:" + "cd" * 32},
            f"stable ReplicaSet runs {REPOSITORY}@sha256:{'cd' * 32}, not {REPOSITORY}@{DIGEST}",
        ),
        (
            {"image": f"{REPOSITORY}:5"},
            f"stable ReplicaSet runs {REPOSITORY}:5, not {REPOSITORY}@{DIGEST}",
        ),
        (
            {"image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/other@{DIGEST}"},
            f"runs {ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/other@{DIGEST}, not",
        ),
        (
            {"image": IMAGE, "phase": "Degraded", "abort": True,
             "stable_image": f"{REPOSITORY}@sha256:" + "04" * 32,
             "message": "RolloutAborted: Rollout aborted update to revision 5"},
            "Argo aborted the update of fraud-scorer/fraud-scorer and serves the stable version "
            "again: RolloutAborted: Rollout aborted update to revision 5",
        ),
        (
            {"image": IMAGE, "stable_image": f"{REPOSITORY}@sha256:" + "04" * 32},
            "is Healthy on stable ReplicaSet",
        ),
    ],
    ids=["other digest", "tag only", "other repository", "aborted", "stable is not current"],
)  # fmt: skip
def test_a_rollout_not_on_the_record_is_a_silent_rollback(
    api: FakeKubernetes, serve: dict[str, Any], message: str
) -> None:
    image = serve.pop("image")
    api.serve("fraud-scorer", "fraud-scorer", image, **serve)
    with pytest.raises(verify.SilentRollback) as raised:
        verify.handler(EVENT, None)
    assert str(raised.value).startswith("fraud-scorer/fraud-scorer does not serve version 5: ")
    assert message in str(raised.value)


def test_a_degraded_rollout_fails_the_verify(api: FakeKubernetes) -> None:
    api.serve("fraud-scorer", "fraud-scorer", IMAGE, phase="Degraded",
              message="ProgressDeadlineExceeded: ReplicaSet has timed out progressing")  # fmt: skip
    with pytest.raises(verify.VerifyFailed) as raised:
        verify.handler(EVENT, None)
    assert str(raised.value) == (
        "fraud-scorer/fraud-scorer is Degraded: "
        "ProgressDeadlineExceeded: ReplicaSet has timed out progressing"
    )


def test_an_unreadable_rollout_fails_the_verify(api: FakeKubernetes) -> None:
    with pytest.raises(verify.VerifyFailed) as raised:
        verify.handler(EVENT, None)
    assert str(raised.value) == (
        "cannot read the Rollout fraud-scorer/fraud-scorer on dev-cluster: 404 Not Found"
    )


def test_an_unreachable_api_fails_the_verify(api: FakeKubernetes) -> None:
    api.close()  # nothing listens on its port any more
    with pytest.raises(verify.VerifyFailed, match=r"^cannot reach the API of fraud-scorer/"):
        verify.handler(EVENT, None)


def test_the_kind_comes_from_the_function_config_not_the_record(
    moto_aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse_targets("") == {}
    assert parse_targets(json.dumps({"fraud-scorer": SERVICE})) == {
        "fraud-scorer": ServiceRef(**SERVICE)
    }
    with pytest.raises(InvalidEvent) as bad:
        parse_targets(json.dumps({"fraud-scorer": {"cluster_name": "c", "namespace": "a b"}}))
    assert str(bad.value) == (
        "EKS_TARGETS is invalid (2 problems): "
        "fraud-scorer.namespace = 'a b': must be 1-63 letters, digits, '-', '_' or '.'; "
        "fraud-scorer.rollout = '<missing>': is required"
    )
    # A target the config does not list takes the SageMaker path, whatever its record says.
    write_release(
        boto3.client("ssm", region_name=REGION), "dev", "fraud", ReleaseRecord.parse(RECORD)
    )
    monkeypatch.setenv("EKS_TARGETS", json.dumps({"fraud-scorer": SERVICE}))
    monkeypatch.setattr(verify, "connect_rollouts", lambda _s: pytest.fail("no Kubernetes"))
    with pytest.raises(Exception, match="fraud-scorer"):  # moto has no such endpoint
        verify.handler({**EVENT, "target": "fraud"}, None)


@pytest.mark.parametrize(
    ("image", "repo", "digest"),
    [
        (IMAGE, REPOSITORY, DIGEST),
        (f"{REPOSITORY}:5", REPOSITORY, ""),
        (f"{REPOSITORY}:5@{DIGEST}", REPOSITORY, DIGEST),
        ("localhost:5000/model@" + DIGEST, "localhost:5000/model", DIGEST),
        ("localhost:5000/model", "localhost:5000/model", ""),
    ],
)
def test_image_references_are_split_into_repository_and_digest(
    image: str, repo: str, digest: str
) -> None:
    assert (repository(image), image_digest(image)) == (repo, digest)


def test_the_client_is_configured_as_aws_eks_get_token_would(moto_aws: None) -> None:
    eks = boto3.client("eks", region_name=REGION)
    cluster = eks.create_cluster(
        name="dev-cluster",
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks",
        resourcesVpcConfig={"subnetIds": ["subnet-1"]},
    )["cluster"]
    ca = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n")
    described = {**cluster, "certificateAuthority": {"data": ca.decode()}}
    sts = kube.token_client(boto3.session.Session(), REGION)
    bearer = kube.token(sts, "dev-cluster")
    assert bearer.startswith("k8s-aws-v1.")
    encoded = bearer.removeprefix("k8s-aws-v1.")
    url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    parsed = urlparse(url)
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert parsed.netloc == f"sts.{REGION}.amazonaws.com"
    assert (query["Action"], query["Version"]) == ("GetCallerIdentity", "2011-06-15")
    assert query["X-Amz-Expires"] == "60"
    assert query["X-Amz-SignedHeaders"].split(";") == ["host", "x-k8s-aws-id"]
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    config = kube.configuration(described, bearer)
    assert config.host == cluster["endpoint"].rstrip("/")
    assert Path(config.ssl_ca_cert).read_bytes() == base64.b64decode(ca)
    assert config.verify_ssl is True
    assert config.get_api_key_with_prefix("authorization") == f"Bearer {bearer}"
    client = kube.connect(eks, sts, "dev-cluster")
    assert client.configuration.host == cluster["endpoint"].rstrip("/")
