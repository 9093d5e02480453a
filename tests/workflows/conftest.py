"""Fixtures of the workflow tests: moto with the handlers routed in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

from mlops_platform.lambdas.common import aws
from mlops_platform.lambdas.verify import handler as verify_handler

from ..lambdas.aws_fixtures import moto_aws
from ..lambdas.fake_kubernetes import FakeKubernetes
from .fake_sagemaker import FakeSageMaker
from .harness import Router, World
from .records import EKS_TARGETS

__all__ = ["moto_aws"]


_TREES: dict[str, Any] = {}
_PARSE = AmazonStateLanguageParser.parse


def _parse_once(definition: str) -> tuple[Any, Any]:
    """moto parses a definition with a pure-Python ANTLR parser on every create and start
    (about 0.6 s each); keep the syntax tree, build fresh evaluation components every time."""
    if definition not in _TREES:
        _TREES[definition] = _PARSE(definition)[1]
    tree = _TREES[definition]
    return Preprocessor().visit(tree), tree


@pytest.fixture(autouse=True)
def _fast_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AmazonStateLanguageParser, "parse", staticmethod(_parse_once))


@pytest.fixture
def kubernetes() -> Iterator[FakeKubernetes]:
    """The EKS target's Kubernetes API (Argo Rollouts and ReplicaSets) on 127.0.0.1."""
    fake = FakeKubernetes()
    yield fake
    fake.close()


@pytest.fixture
def world(moto_aws: None, monkeypatch: pytest.MonkeyPatch, kubernetes: FakeKubernetes) -> World:
    """Both workflows registered on moto; SageMaker endpoint calls answered by the fake, the
    EKS target's Rollout read by the real verifier from the fake Kubernetes API."""
    router, live = Router(), FakeSageMaker()
    monkeypatch.setattr(verify_handler, "connect_rollouts", lambda _service: kubernetes.reader())
    monkeypatch.setenv("EKS_TARGETS", json.dumps(EKS_TARGETS))

    def invoke(
        _backend: Any,
        function_name: str,
        _qualifier: Any,
        body: Any,
        _headers: Any,
        response_headers: Any,
    ) -> bytes:
        return router.invoke(function_name, body, response_headers)

    monkeypatch.setattr(LambdaSimpleBackend, "invoke", invoke)
    real_client = aws.client

    def client(service: str) -> Any:
        return live if service == "sagemaker" and not live.use_moto else real_client(service)

    monkeypatch.setattr(aws, "client", client)
    return World(router, live, kubernetes)


def pytest_configure(config: pytest.Config) -> None:
    """`conformance`: moto against the pure interpreter; in `make test`, never per mutant."""
    config.addinivalue_line(
        "markers", "conformance: compares moto's engine with the pure interpreter (slow)"
    )
