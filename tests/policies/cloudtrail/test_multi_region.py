from __future__ import annotations

from mlops_platform.policies.cloudtrail.multi_region import POLICY
from tests.policies.cloudtrail._fixtures import COMPLIANT, TRAIL
from tests.policies.harness import changed, check_resource, drop_at, set_at

MESSAGE = "the trail records one region only; set is_multi_region_trail=True"


def test_a_multi_region_trail_passes() -> None:
    assert check_resource(POLICY, TRAIL, COMPLIANT) == []


def test_a_single_region_trail() -> None:
    props = changed(COMPLIANT, set_at("isMultiRegionTrail", False))
    assert check_resource(POLICY, TRAIL, props) == [MESSAGE]


def test_unset_means_single_region() -> None:
    assert check_resource(POLICY, TRAIL, changed(COMPLIANT, drop_at("isMultiRegionTrail"))) == [
        MESSAGE
    ]
