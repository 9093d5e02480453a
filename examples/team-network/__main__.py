"""A platform team's stack: their own config, their own tags, the platform's network."""

import pulumi

from mlops_platform.components import Network, NetworkArgs

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

pulumi.export("vpcId", network.vpc_id)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
