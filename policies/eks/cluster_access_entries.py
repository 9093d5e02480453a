"""Every cluster grants access explicitly: no bootstrap admin, an access entry for its deployer."""

from __future__ import annotations

from pulumi_policy import Severity, StackValidationArgs

from mlops_platform.policies.common.rule import RuleInfo, Settings, StackReport, StackRule
from mlops_platform.policies.common.stack import of_type
from mlops_platform.policies.common.types import EKS_CLUSTER
from mlops_platform.policies.common.values import dig, is_false

ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"

INFO = RuleInfo(
    name="aws-eks-cluster-access-entries",
    description=(
        "EKS clusters turn bootstrap creator admin off and grant their deployers access "
        "entries with an access policy."
    ),
    resource_types=(EKS_CLUSTER, ACCESS_ENTRY, ASSOCIATION),
    severity=Severity.HIGH,
    remediation=(
        "Set access_config.bootstrap_cluster_creator_admin_permissions=False and give the "
        "cluster's deployer (GpuCluster's deployer) and each listed role an aws.eks.AccessEntry "
        "with an aws.eks.AccessPolicyAssociation."
    ),
)


def _check(args: StackValidationArgs, _settings: Settings, report: StackReport) -> None:
    entries = of_type(args.resources, ACCESS_ENTRY)
    associations = of_type(args.resources, ASSOCIATION)
    for cluster in of_type(args.resources, EKS_CLUSTER):
        name = dig(cluster.props, "name")
        if not is_false(
            dig(cluster.props, "accessConfig", "bootstrapClusterCreatorAdminPermissions")
        ):
            report(
                "the cluster makes its creator admin implicitly (an entry nobody manages); set "
                "bootstrap_cluster_creator_admin_permissions=False",
                cluster.urn,
            )
        mine = [e for e in entries if dig(e.props, "clusterName") == name]
        if not mine:
            report(
                "the cluster has no access entry, so no deployer can reach its API after "
                "creation; grant its deployer an entry",
                cluster.urn,
            )
        granted = {
            dig(a.props, "principalArn")
            for a in associations
            if dig(a.props, "clusterName") == name
        }
        for entry in mine:
            if dig(entry.props, "principalArn") not in granted:
                report("the access entry has no access policy; associate one", entry.urn)


POLICY = StackRule(INFO, _check)
