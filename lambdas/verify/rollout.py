"""What an Argo Rollout serves, and whether that is the release record (plain values only).

Argo Rollouts reports its state in `status`: `phase` (`Healthy`, `Progressing`, `Paused`,
`Degraded`), `abort` (a failed analysis or an operator aborted, and traffic went back to the
stable version), `stableRS` (the pod-template hash of the stable ReplicaSet) and
`currentPodHash` (the hash of the current template). A promotion is done when the Rollout is
`Healthy` and the stable ReplicaSet is the current template; it serves the release when the
images of that ReplicaSet's pod template carry the record's digest.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..common.release import ReleaseRecord

BUSY_PHASES = frozenset({"Progressing", "Paused"})
"""Phases to wait out, as `Updating` is for an endpoint (a pause step waits for its time)."""
HEALTHY = "Healthy"
DEGRADED = "Degraded"


@dataclass(frozen=True)
class LiveRollout:
    """A Rollout's status and the images its stable ReplicaSet runs."""

    name: str
    """`namespace/name` of the Rollout."""
    phase: str
    """`status.phase`; empty before the controller has looked at the Rollout."""
    aborted: bool
    """`status.abort`: the update was aborted and the stable version serves again."""
    message: str
    """`status.message`, Argo's reason for the phase."""
    stable_hash: str
    """`status.stableRS`."""
    current_hash: str
    """`status.currentPodHash`."""
    observed: bool
    """Whether the controller has seen the Rollout's latest spec (`observedGeneration`)."""
    stable_images: tuple[str, ...]
    """Images of the stable ReplicaSet's pod template (every container), in order."""


@dataclass(frozen=True)
class Verdict:
    """What verify makes of a Rollout."""

    state: str
    """`waiting`, `verified`, `rolled_back` (a silent rollback) or `failed`."""
    reasons: tuple[str, ...] = ()
    """Why, for every state but `verified`."""


def image_digest(image: str) -> str:
    """The `sha256:...` an image reference is pinned to; empty for a tag-only reference."""
    return image.rpartition("@")[2] if "@" in image else ""


def repository(image: str) -> str:
    """An image reference without its digest and tag (`registry/name`)."""
    name = image.partition("@")[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        last[-1] = last[-1].rsplit(":", 1)[0]
    return "/".join(last)


def image_mismatches(images: tuple[str, ...], record: ReleaseRecord) -> list[str]:
    """Every stable image that is not the record's image at the record's digest."""
    if not images:
        return ["the stable ReplicaSet's pod template has no containers"]
    wanted = repository(record.image)
    return [
        f"stable ReplicaSet runs {image}, not {wanted}@{record.image_digest}"
        for image in images
        if image_digest(image) != record.image_digest or repository(image) != wanted
    ]


def judge(live: LiveRollout, record: ReleaseRecord) -> Verdict:
    """Decide whether `live` serves `record`, is still moving, rolled back, or failed."""
    if live.aborted:
        return Verdict(
            "rolled_back",
            (f"Argo aborted the update of {live.name} and serves the stable version again: "
             f"{live.message or 'no message'}",),
        )  # fmt: skip
    if live.phase == DEGRADED:
        return Verdict("failed", (f"{live.name} is Degraded: {live.message or 'no message'}",))
    if not live.observed or live.phase in BUSY_PHASES or not live.phase:
        return Verdict("waiting", (f"{live.name} is {live.phase or 'not yet observed'}",))
    if live.phase != HEALTHY:
        return Verdict("failed", (f"{live.name} is in the unknown phase {live.phase}",))
    if live.stable_hash != live.current_hash:
        return Verdict(
            "rolled_back",
            (f"{live.name} is Healthy on stable ReplicaSet {live.stable_hash or '<none>'}, "
             f"not on the current pod template {live.current_hash or '<none>'}",),
        )  # fmt: skip
    found = image_mismatches(live.stable_images, record)
    return Verdict("rolled_back", tuple(found)) if found else Verdict("verified")
