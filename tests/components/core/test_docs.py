"""`help()` on an Args class shows each field's documentation."""

from __future__ import annotations

import dataclasses
import pydoc

import pytest

from mlops_platform.components import (
    GpuClusterArgs,
    ModelEndpointArgs,
    ModelServiceArgs,
    NetworkArgs,
)
from mlops_platform.components.core.docs import field_docs


@pytest.mark.parametrize("cls", [ModelEndpointArgs, NetworkArgs, GpuClusterArgs, ModelServiceArgs])
def test_every_field_is_documented_in_help(cls: type) -> None:
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    docs = field_docs(cls)
    assert set(docs) == {field.name for field in dataclasses.fields(cls)}
    for name, doc in docs.items():
        assert f"{name}: {doc.splitlines()[0]}" in text


def test_help_on_model_endpoint_args_reads_the_rollout_field() -> None:
    text = pydoc.render_doc(ModelEndpointArgs, renderer=pydoc.plaintext)
    assert "rollout: How traffic moves to a new version." in text
