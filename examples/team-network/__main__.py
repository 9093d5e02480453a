"""A platform team's stack: their own config, their own tags, the platform's network."""

import pulumi

from mlops_platform.components import Network, NetworkArgs
from mlops_platform.components.audit import AuditTrail, AuditTrailArgs
from mlops_platform.components.observability import Observability, ObservabilityArgs

config = pulumi.Config()
team = config.require("team")
# The tags the platform's policy pack requires on every resource (governance rules).
tags = {
    "Environment": pulumi.get_stack(),
    "Owner": team,
    "CostCentre": config.require("costCentre"),
    "ManagedBy": "pulumi",
    "Project": pulumi.get_project(),
}

network = Network(
    f"{team}-network",
    NetworkArgs(
        vpc_cidr=config.require("vpcCidr"),
        az_count=2,
        nat_gateways="single",
        flow_log_retention_days=30,
        protect_data=False,
        tags=tags,
    ),
)

# Every stack keeps an audit trail (the pack's aws-cloudtrail-trail-present is mandatory), whose
# security alarms notify the team's encrypted alerting topic.
alerts = Observability(f"{team}-alerts", ObservabilityArgs(tags=tags, protect_data=False))
trail = AuditTrail(
    f"{team}-audit",
    AuditTrailArgs(
        environment=pulumi.get_stack(),
        trail_name=f"{team}-{pulumi.get_stack()}-audit",
        retention_days=30,
        tags=tags,
        protect_data=False,
    ),
    alerts.topic_arn,
)

pulumi.export("vpcId", network.vpc_id)
pulumi.export("trailArn", trail.trail_arn)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
