"""What a preview says about release records: the version each managed target deploys.

Offline no record exists yet (the mocks answer every look-up with not-found, as AWS does for a
new stack), so each managed target deploys the stack file's committed first version: the value
the platform creates its parameter with, read here from the parameter's registration.
"""

from __future__ import annotations

import json
from typing import Any

from mlops_platform.preview.recorder import Registry

PARAMETER = "aws:ssm/parameter:Parameter"


def release_lines(registry: Registry) -> list[str]:
    """One line per release record; none when the stack has no managed target."""
    lines = []
    for parameter in registry.all(PARAMETER):
        name = str(parameter.inputs.get("name", ""))
        if "/release/" not in name:
            continue
        record = json.loads(parameter.inputs.get("insecureValue", "{}"))
        target = name.rsplit("/", 1)[-1]
        lines.append(f"    {target}: {_served(record)} ({name}, first version: no record yet)")
    return ["  releases:", *lines] if lines else []


def _served(record: dict[str, Any]) -> str:
    if record.get("package_arn"):
        return f"version {record.get('version')}: package {record['package_arn']}"
    return (
        f"version {record.get('version')}: image {record.get('image')}, "
        f"model {record.get('model_data_url')}"
    )
