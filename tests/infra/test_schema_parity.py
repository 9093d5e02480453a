"""Each settings model and the Args it builds say the same thing: config is declared once.

The settings models are the stack file's view (camelCase keys, no program-supplied values); every
field must have a twin in the Args class it builds, and every default a settings model states (as
a value, or in its docstring as `(default 2)` where the Args default is a plain value) must be
the Args default; composite defaults (the default interface endpoints, canary steps) are
described in words and documented once, on the Args.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from pydantic import BaseModel

from infra.schema import audit, cluster, drift, endpoints, monitoring, network, services
from mlops_platform.components.audit import AuditTrailArgs
from mlops_platform.components.eks import (
    AnalysisSpec,
    CanaryStep,
    DeployerSpec,
    DisruptionSpec,
    GpuClusterArgs,
    ModelServiceArgs,
    NodeGroupSpec,
    ServiceAutoscalingSpec,
    Taint,
)
from mlops_platform.components.network import NetworkArgs
from mlops_platform.components.observability import DriftDetectorArgs, DriftFeature
from mlops_platform.components.observability.monitoring_stack import ClusterMonitoringSpec
from mlops_platform.components.sagemaker import (
    AlarmThresholds,
    DataCaptureSpec,
    ModelEndpointArgs,
    RolloutSpec,
    VariantAutoscalingSpec,
    VariantSpec,
)

TWINS: list[tuple[type[BaseModel], type[Any], frozenset[str]]] = [
    (network.NetworkSettings, NetworkArgs, frozenset()),
    # `drift` builds the endpoint's DriftDetectorArgs, twinned below.
    (endpoints.EndpointSettings, ModelEndpointArgs, frozenset({"name", "drift"})),
    (drift.DriftSettings, DriftDetectorArgs, frozenset()),
    (drift.DriftFeatureSettings, DriftFeature, frozenset()),
    (audit.AuditSettings, AuditTrailArgs, frozenset()),
    (monitoring.MonitoringSettings, ClusterMonitoringSpec, frozenset()),
    (endpoints.VariantSettings, VariantSpec, frozenset({"release", "image_digest", "commit"})),
    (endpoints.AutoscalingSettings, VariantAutoscalingSpec, frozenset()),
    (endpoints.RolloutSettings, RolloutSpec, frozenset()),
    (endpoints.AlarmSettings, AlarmThresholds, frozenset({"enabled"})),
    (endpoints.DataCaptureSettings, DataCaptureSpec, frozenset({"enabled"})),
    (cluster.ClusterSettings, GpuClusterArgs, frozenset()),
    (cluster.NodeGroupSettings, NodeGroupSpec, frozenset()),
    (cluster.TaintSettings, Taint, frozenset()),
    (cluster.DeployerSettings, DeployerSpec, frozenset()),
    (services.ServiceSettings, ModelServiceArgs, frozenset({"release", "image_digest", "commit"})),
    (services.CanaryStepSettings, CanaryStep, frozenset()),
    (services.AutoscalingSettings, ServiceAutoscalingSpec, frozenset()),
    (services.DisruptionSettings, DisruptionSpec, frozenset()),
    (services.AnalysisSettings, AnalysisSpec, frozenset()),
]
"""Every settings model, the Args class its block builds, and its config-only keys."""
STATED = re.compile(r"\(default:? `?([^`);,]+)`?[);,]")
"""A default stated in a docstring: `(default 2)`, `(default `per_az`)`."""
IDS = [model.__name__ + "->" + args.__name__ for model, args, _ in TWINS]


def _args_defaults(args: type[Any]) -> dict[str, Any]:
    found = {}
    for item in dataclasses.fields(args):
        if item.default is not dataclasses.MISSING:
            found[item.name] = item.default
        elif item.default_factory is not dataclasses.MISSING:
            found[item.name] = item.default_factory()
        else:
            found[item.name] = dataclasses.MISSING
    return found


def _same(stated: str, default: Any) -> bool:
    if isinstance(default, bool):
        return stated.strip().lower() == str(default).lower()
    if isinstance(default, int | float):
        try:
            return float(stated) == float(default)
        except ValueError:
            return False
    return stated.strip() == str(default)


@pytest.mark.parametrize(("model", "args", "config_only"), TWINS, ids=IDS)
def test_every_settings_key_has_an_args_twin(
    model: type[BaseModel], args: type[Any], config_only: frozenset[str]
) -> None:
    twins = set(_args_defaults(args))
    assert [name for name in model.model_fields if name not in twins | config_only] == []


@pytest.mark.parametrize(("model", "args", "config_only"), TWINS, ids=IDS)
def test_every_default_a_settings_model_states_is_the_args_default(
    model: type[BaseModel], args: type[Any], config_only: frozenset[str]
) -> None:
    defaults = _args_defaults(args)
    wrong = []
    for name, info in model.model_fields.items():
        if name in config_only:
            continue
        default = defaults[name]
        if info.is_required():
            continue  # the stack file must say it; nothing to agree on
        if info.default is not None:
            if info.default != default:
                wrong.append(f"{name}: settings {info.default!r}, args {default!r}")
            continue
        stated = STATED.search(info.description or "")
        scalar = isinstance(default, bool | int | float | str)
        if stated and scalar and not _same(stated.group(1), default):
            wrong.append(f"{name}: docstring says {stated.group(1)!r}, args {default!r}")
    assert wrong == []


def test_the_table_covers_every_settings_model_of_the_schema() -> None:
    modules = (network, endpoints, cluster, services, drift, audit, monitoring)
    models = {
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    }
    assert models == {model for model, _, _ in TWINS}
