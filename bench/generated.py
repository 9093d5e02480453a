"""Generated projects: the prod stack with N model endpoints, or with N model services.

Each is a temporary Pulumi project whose `main` is this repository's `infra/`, with one stack
file derived from `Pulumi.prod.yaml`; nothing in the repository changes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from bench.harness import ROOT


def prod_config() -> dict[str, Any]:
    """The committed prod stack's config."""
    document: dict[str, Any] = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text())
    return dict(document["config"])


def with_endpoints(count: int) -> dict[str, Any]:
    """Prod's config with `count` copies of its endpoint, each named apart."""
    config = prod_config()
    template = config["mlops:endpoints"][0]
    config["mlops:endpoints"] = [
        {**copy.deepcopy(template), "name": f"{template['name']}-{index}"} for index in range(count)
    ]
    return config


def with_services(count: int) -> dict[str, Any]:
    """Prod's config with `count` copies of its first model service, each named apart."""
    config = prod_config()
    template = config["mlops:services"][0]
    config["mlops:services"] = [
        {**copy.deepcopy(template), "serviceName": f"{template['serviceName']}-{index}"}
        for index in range(count)
    ]
    return config


def write_project(directory: Path, stacks: dict[str, dict[str, Any]]) -> Path:
    """A project in `directory` running this repository's program, one stack file each."""
    directory.mkdir(parents=True, exist_ok=True)
    project = {"name": "mlops-platform", "runtime": "python", "main": str(ROOT / "infra")}
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(project))
    for stack, config in stacks.items():
        (directory / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}))
    return directory
