"""Rules for the network: security groups, default security group, flow logs, subnets, instances."""
