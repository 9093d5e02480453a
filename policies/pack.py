"""Every rule of the pack, discovered from `policies/<service>/<rule>.py`: none can be missed.

The one list `__main__` and the tools read, in catalogue order (by name).
"""

from __future__ import annotations

import importlib
import pkgutil

from pulumi_policy import Policy

import mlops_platform.policies as policies_package
from mlops_platform.policies.common.rule import ResourceRule, StackRule

PACK_NAME = "mlops-platform"
"""The pack's name, as the engine and Pulumi Cloud show it."""

Rule = ResourceRule | StackRule

NOT_RULES = frozenset({"common", "config"})
"""Packages of the pack that hold shared helpers and config, not rules."""


def rule_modules() -> list[str]:
    """Every public module of every service package (`policies/<service>/<rule>.py`).

    Modules whose name starts with an underscore are a service's shared helpers.
    """
    names = []
    for service in pkgutil.iter_modules(policies_package.__path__):
        if not service.ispkg or service.name in NOT_RULES:
            continue
        package = importlib.import_module(f"{policies_package.__name__}.{service.name}")
        names += [
            f"{package.__name__}.{module.name}"
            for module in pkgutil.iter_modules(package.__path__)
            if not module.name.startswith("_")
        ]
    return sorted(names)


def discover() -> tuple[Rule, ...]:
    """The `POLICY` of every rule module, sorted by name; a module without one is an error."""
    rules = []
    for name in rule_modules():
        module = importlib.import_module(name)
        rule = getattr(module, "POLICY", None)
        if not isinstance(rule, ResourceRule | StackRule):
            raise TypeError(f"{name} is a rule module but defines no POLICY rule")
        rules.append(rule)
    return tuple(sorted(rules, key=lambda rule: rule.name))


RULES: tuple[Rule, ...] = discover()
"""Every rule, sorted by name."""


def policies() -> list[Policy]:
    """The rules as the SDK's `PolicyPack` takes them."""
    return list(RULES)
