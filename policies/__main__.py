"""Serve the pack to the Pulumi engine: build the `PolicyPack`, which blocks serving gRPC.

The engine runs this directory as a program (`python -m pulumi.policy <engine> .` from here),
which puts this directory itself on `sys.path`; the rules import each other as the `policies`
package, so the directory above goes first.
"""

import sys
from pathlib import Path

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
if _PACKAGE_PARENT not in sys.path:
    sys.path.insert(0, _PACKAGE_PARENT)

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policies.pack import PACK_NAME, policies  # noqa: E402

PolicyPack(
    name=PACK_NAME,
    policies=policies(),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="Governance rules of the mlops-platform: every resource it creates, checked.",
)
