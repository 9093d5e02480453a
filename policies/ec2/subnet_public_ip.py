"""Only public subnets give instances public IP addresses at launch."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs, Severity

from mlops_platform.policies.common.rule import Control, Report, ResourceRule, RuleInfo, Settings
from mlops_platform.policies.common.types import SUBNET
from mlops_platform.policies.common.values import dig, is_true, tags_of

INFO = RuleInfo(
    name="aws-ec2-subnet-no-public-ip-on-launch",
    description="Subnets assign public IP addresses on launch only when they are public subnets.",
    resource_types=(SUBNET,),
    severity=Severity.MEDIUM,
    controls=(Control.fsbp("EC2.15"),),
    remediation=(
        "Set map_public_ip_on_launch=False; a public subnet that really needs it carries the "
        "public tier tag."
    ),
    params={
        "tierTagKey": {
            "type": "string",
            "minLength": 1,
            "description": "Tag that names a subnet's tier.",
            "default": "Tier",
        },
        "publicTier": {
            "type": "string",
            "minLength": 1,
            "description": "Tier tag value of public subnets.",
            "default": "public",
        },
    },
)


def _check(args: ResourceValidationArgs, settings: Settings, report: Report) -> None:
    if not is_true(dig(args.props, "mapPublicIpOnLaunch")):
        return
    key, public = settings["tierTagKey"], settings["publicTier"]
    if tags_of(args.props).get(key) != public:
        report(
            f"the subnet assigns public IPs on launch but is not tagged {key}={public}; set "
            "map_public_ip_on_launch=False"
        )


POLICY = ResourceRule(INFO, _check)
