"""Replay a plan's registrations on the bare Pulumi SDK with trivial mocks, then exit.

    python bench/replay.py PLAN.json

The same resources, parents, providers and dependencies as the preview registered, without the
platform's components, the generated provider SDKs or the recording: what registering them
costs the SDK itself. The process ends without tearing its heap down, as `mlops` does.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pulumi
from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks


class TrivialMocks(Mocks):
    """Every resource gets its inputs back and an id from its name; every call an empty answer."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


def replay(resources: list[dict[str, Any]]) -> None:
    """Register every resource, parents, providers and dependencies first."""
    by_urn = {resource["urn"]: resource for resource in resources}
    made: dict[str, pulumi.Resource] = {}

    def register(urn: str) -> pulumi.Resource | None:
        resource = by_urn.get(urn)
        if resource is None or resource["type"] == "pulumi:pulumi:Stack":
            return None
        if urn in made:
            return made[urn]
        parent = register(resource["parent"]) if resource["parent"] else None
        provider = register(resource["provider"]) if resource["provider"] else None
        depends = [d for d in (register(urn) for urn in resource["dependencies"]) if d]
        opts = pulumi.ResourceOptions(
            parent=parent,
            provider=provider if isinstance(provider, pulumi.ProviderResource) else None,
            depends_on=depends,
            protect=resource["protect"],
            ignore_changes=resource["ignoreChanges"] or None,
        )
        kind = resource["type"]
        if kind.startswith("pulumi:providers:"):
            made[urn] = pulumi.ProviderResource(kind.split(":")[2], resource["name"], {}, opts)
        elif resource["custom"]:
            made[urn] = pulumi.CustomResource(kind, resource["name"], resource["props"], opts)
        else:
            made[urn] = pulumi.ComponentResource(kind, resource["name"], None, opts)
        return made[urn]

    for urn in by_urn:
        register(urn)


def main(path: str) -> None:
    """Replay the plan at `path` and end the process."""
    with open(path, encoding="utf-8") as handle:
        plan = json.load(handle)
    pulumi.runtime.set_mocks(TrivialMocks(), project=plan["project"], stack=plan["stack"])
    pulumi.runtime.test(lambda: replay(plan["resources"]))()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
