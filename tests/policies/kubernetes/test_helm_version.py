from __future__ import annotations

from mlops_platform.policies.kubernetes.helm_version import CHART, POLICY, RELEASE
from tests.policies.harness import check_resource


def test_a_pinned_release_passes() -> None:
    assert (
        check_resource(POLICY, RELEASE, {"chart": "nvidia-device-plugin", "version": "0.17.0"})
        == []
    )


def test_an_unpinned_release() -> None:
    assert check_resource(POLICY, RELEASE, {"chart": "nvidia-device-plugin"}) == [
        "chart 'nvidia-device-plugin' has no version; pin the reviewed version"
    ]


def test_v4_charts_are_checked() -> None:
    assert len(check_resource(POLICY, CHART, {"chart": "karpenter"})) == 1
