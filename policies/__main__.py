"""Serve the pack to the Pulumi engine: build the `PolicyPack`, which blocks serving gRPC.

The engine runs this directory as a program (`python -m pulumi.policy <engine> .` from here) in
the project's virtualenv, where the rules are installed as `mlops_platform.policies`.
"""

from pulumi_policy import EnforcementLevel, PolicyPack

from mlops_platform.policies.pack import PACK_NAME, policies

PolicyPack(
    name=PACK_NAME,
    policies=policies(),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="Governance rules of the mlops-platform: every resource it creates, checked.",
)
