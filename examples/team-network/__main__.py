"""A platform team's stack: their own config, their own tags, the platform's network."""

import pulumi

from components import Network, NetworkArgs

config = pulumi.Config()
team = config.require("team")

network = Network(
    f"{team}-network",
    NetworkArgs(
        vpc_cidr=config.require("vpcCidr"),
        az_count=2,
        nat_gateways="single",
        flow_log_retention_days=30,
        protect_data=False,
        tags={"Team": team, "ManagedBy": "pulumi"},
    ),
)

pulumi.export("vpcId", network.vpc_id)
pulumi.export("privateSubnetIds", network.private_subnet_ids)
