"""How a component names, tags, parents and protects its children."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi

from mlops_platform.components.core import tags as _tags


@dataclass(frozen=True)
class Children:
    """Conventions every child of one component instance follows.

    Names derive from the component's name, so two instances never collide; every child is
    parented to the component, so the caller's providers and options reach it.
    """

    prefix: str
    """The component's name; every child's name starts with it."""
    parent: pulumi.Resource
    tags: Mapping[str, str]
    """The caller's tags, which every taggable child carries."""
    protect_data: bool
    """Whether stateful children are protected and kept on delete."""

    def name(self, suffix: str) -> str:
        """The logical name of a child: `<component>-<suffix>`."""
        return f"{self.prefix}-{suffix}"

    def tagged(self, suffix: str, **extra: str) -> dict[str, str]:
        """The caller's tags plus the child's `Name` and any extra tags."""
        return _tags.named(self.tags, self.name(suffix), **extra)

    def opts(self, *, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        """Options of a stateless child."""
        return pulumi.ResourceOptions(parent=self.parent, depends_on=depends_on)

    def stateful_opts(self) -> pulumi.ResourceOptions:
        """Options of a child that holds data: protected and kept on delete when asked.

        When protection is off, `protect` is left unset rather than false, so a caller who
        protects the whole component still protects this child.
        """
        on = True if self.protect_data else None
        return pulumi.ResourceOptions(parent=self.parent, protect=on, retain_on_delete=on)


def register_outputs(component: pulumi.ComponentResource, names: Sequence[str]) -> None:
    """Register a component's outputs, last, under the names of the attributes that hold them."""
    component.register_outputs({name: getattr(component, name) for name in names})
