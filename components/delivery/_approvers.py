"""The approver role of each stage with an approval: assumed by config's approvers only.

The policy lets the role see the pipeline (the approval token is in its state) and answer the
one approval action of its stage; the approvers named in config are the only principals its
trust admits, so the policy reaches exactly them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core.children import Children
from mlops_platform.components.delivery import access_spec


def create_approver_role(
    children: Children,
    *,
    pipeline: str,
    pipeline_arn: pulumi.Input[str],
    stage: str,
    approvers: Sequence[str],
) -> tuple[aws.iam.Role, aws.iam.Policy]:
    """The role `approvers` assume to answer `stage`'s approval, with its managed policy."""
    part = f"approve-{stage}"
    policy = aws.iam.Policy(
        children.name(part),
        description=f"Answer the {stage} approval of pipeline {pipeline}",
        policy=pulumi.Output.from_input(pipeline_arn).apply(
            lambda arn: json.dumps(
                access_spec.approver_policy(pipeline_arn=arn, stage=stage), sort_keys=True
            )
        ),
        tags=children.tagged(part),
        opts=children.opts(),
    )
    role = aws.iam.Role(
        children.name(f"{part}-role"),
        description=f"Assumed by the approvers of the {stage} stage of pipeline {pipeline}",
        assume_role_policy=json.dumps(access_spec.approver_trust(approvers), sort_keys=True),
        max_session_duration=3600,
        tags=children.tagged(f"{part}-role"),
        opts=children.opts(),
    )
    aws.iam.RolePolicyAttachment(
        children.name(f"{part}-attach"),
        role=role.name,
        policy_arn=policy.arn,
        opts=children.opts(),
    )
    return role, policy
