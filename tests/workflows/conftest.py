"""Fixtures of the workflow tests: moto with the handlers routed in-process."""

from __future__ import annotations

from typing import Any

import pytest
from moto.awslambda_simple.models import LambdaSimpleBackend

from lambdas.common import aws

from ..lambdas.aws_fixtures import moto_aws
from .fake_sagemaker import FakeSageMaker
from .harness import Router, World

__all__ = ["moto_aws"]


@pytest.fixture
def world(moto_aws: None, monkeypatch: pytest.MonkeyPatch) -> World:
    """Both workflows registered on moto; SageMaker endpoint calls answered by the fake."""
    router, live = Router(), FakeSageMaker()

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
    return World(router, live)
