"""The promotion workflow on an EKS target, on moto, through the real definition: the real
verifier reads the Argo Rollout from a fake Kubernetes API through the official client."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_platform.lambdas.common.release import ReleaseRecord

from .harness import ENV, SERVICE, World, pinned_image, service_release


@pytest.fixture(autouse=True)
def packages(world: World) -> None:
    """Release records of these tests name packages 1 to 6 of the group."""
    world.create_packages(6)


def promotion(version: int) -> dict[str, Any]:
    """A valid promotion of the EKS target with every wait at zero."""
    return {
        "env": ENV,
        "target": SERVICE,
        "actor": "ci@fraud",
        "release": service_release(version),
        "approval": {"required": False, "timeout_seconds": 60},
        "bake": {"interval_seconds": 0, "checks": 1, "alarm_names": ["fraud-5xx"]},
        "timing": {"poll_seconds": 0, "max_polls": 5},
        "lock_ttl_seconds": 600,
    }


def image(version: int) -> str:
    return pinned_image(ReleaseRecord.parse(service_release(version)))


def test_eks_target_is_promoted_once_the_rollout_is_healthy_on_the_record(world: World) -> None:
    world.alarm()
    world.serve_service(4)
    run = world.promote(promotion(5))
    assert (run.status, run.error) == ("SUCCEEDED", "")
    assert world.actions(SERVICE) == ["promote-started", "promoted"]
    assert world.ledger(SERVICE)[-1]["image_digest"] == service_release(5)["image_digest"]
    assert world.released_version(SERVICE) == 5
    assert world.stable_image() == image(5)
    verifies = [(e["target"], e["attempt"]) for n, e in world.router.calls if n == "verify"]
    assert verifies == [(SERVICE, 0), (SERVICE, 1)], "Progressing was waited out once"
    assert world.kubernetes.authorizations, "the verifier read the Rollout over the API"
    assert not world.live.endpoints, "no SageMaker endpoint was touched"
    assert not world.locked(SERVICE)


def test_eks_rollout_aborted_by_argo_is_a_silent_rollback(world: World) -> None:
    world.serve_service(4)
    world.silent_rollback = True
    run = world.promote(promotion(5))
    assert (run.status, run.error) == ("FAILED", "SilentRollback")
    assert f"{SERVICE}/{SERVICE} does not serve version 5: Argo aborted the update" in run.cause
    assert world.actions(SERVICE) == ["promote-started", "silent-rollback", "rolled-back"]
    assert world.released_version(SERVICE) == 4
    assert world.stable_image() == image(4)
    assert not world.locked(SERVICE)
