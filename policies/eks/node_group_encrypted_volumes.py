"""Node groups launch with encrypted EBS volumes."""

from __future__ import annotations

from pulumi_policy import PolicyResource, Severity, StackValidationArgs

from mlops_platform.policies.common.rule import RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import describe, of_type
from mlops_platform.policies.common.types import EKS_NODE_GROUP, LAUNCH_TEMPLATE
from mlops_platform.policies.common.values import as_list, dig, is_set, is_true
from mlops_platform.policies.eks._nodes import launch_template_of, uses_launch_template

INFO = RuleInfo(
    name="aws-eks-node-group-encrypted-volumes",
    description="EKS node groups launch from a template whose EBS volumes are encrypted.",
    resource_types=(EKS_NODE_GROUP, LAUNCH_TEMPLATE),
    severity=Severity.HIGH,
    remediation=(
        "Map the root device in the node group's launch template with ebs.encrypted='true' "
        "(and a kms_key_id)."
    ),
)


def _template_problem(template: PolicyResource) -> str | None:
    mappings = [m for m in as_list(dig(template.props, "blockDeviceMappings")) if is_set(m, "ebs")]
    if not mappings:
        return (
            "maps no EBS volume, so the root volume is encrypted only if the account encrypts "
            "EBS by default; map it with ebs.encrypted 'true'"
        )
    plain = [str(dig(m, "deviceName")) for m in mappings if not is_true(dig(m, "ebs", "encrypted"))]
    if plain:
        return f"leaves {', '.join(plain)} unencrypted; set ebs.encrypted 'true'"
    return None


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    templates = of_type(args.resources, LAUNCH_TEMPLATE)
    for group in of_type(args.resources, EKS_NODE_GROUP):
        template = launch_template_of(group, templates) if uses_launch_template(group) else None
        if template is None:
            report(
                f"{describe(group)} has no launch template in this stack, so its volumes are "
                "encrypted only if the account encrypts EBS by default; give it one",
                group.urn,
            )
            continue
        problem = _template_problem(template)
        if problem:
            report(
                f"{describe(group)} launches from {describe(template)}, which {problem}", group.urn
            )


POLICY = StackRule(INFO, _check)
