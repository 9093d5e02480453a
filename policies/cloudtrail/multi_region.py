"""Trails record every region."""

from __future__ import annotations

from mlops_platform.policies.cloudtrail._trail import trail_rule
from mlops_platform.policies.common.rule import Control
from mlops_platform.policies.common.values import dig, is_true

POLICY = trail_rule(
    name="aws-cloudtrail-trail-multi-region",
    description="CloudTrail trails record events of every region.",
    controls=(Control.cis("3.1"), Control.fsbp("CloudTrail.1")),
    remediation="Set is_multi_region_trail=True (and include_global_service_events=True).",
    holds=lambda props: is_true(dig(props, "isMultiRegionTrail")),
    message="the trail records one region only; set is_multi_region_trail=True",
)
INFO = POLICY.info
