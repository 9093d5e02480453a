from __future__ import annotations

from mlops_platform.policies.eks.cluster_access_entries import ACCESS_ENTRY, ASSOCIATION, POLICY
from tests.policies.harness import Stack, urn_of

CLUSTER = "aws:eks/cluster:Cluster"
ROLE = "arn:aws:iam::123456789012:role/deployer"


def stack(*, bootstrap: bool = False, entry: bool = True, association: bool = True) -> Stack:
    result = Stack()
    access = {"bootstrapClusterCreatorAdminPermissions": bootstrap}
    result.add(CLUSTER, "c", {"name": "c-1", "accessConfig": access})
    if entry:
        result.add(ACCESS_ENTRY, "e", {"clusterName": "c-1", "principalArn": ROLE})
    if association:
        result.add(ASSOCIATION, "a", {"clusterName": "c-1", "principalArn": ROLE})
    return result


def test_explicit_entries_with_a_policy_pass() -> None:
    assert stack().check(POLICY) == []


def test_bootstrap_admin_and_a_cluster_without_entries_are_reported() -> None:
    assert stack(bootstrap=True, entry=False, association=False).check(POLICY) == [
        (
            "the cluster makes its creator admin implicitly (an entry nobody manages); set "
            "bootstrap_cluster_creator_admin_permissions=False",
            urn_of(CLUSTER, "c"),
        ),
        (
            "the cluster has no access entry, so no deployer can reach its API after creation; "
            "grant its deployer an entry",
            urn_of(CLUSTER, "c"),
        ),
    ]


def test_an_entry_without_an_access_policy_is_reported() -> None:
    assert stack(association=False).check(POLICY) == [
        ("the access entry has no access policy; associate one", urn_of(ACCESS_ENTRY, "e"))
    ]
