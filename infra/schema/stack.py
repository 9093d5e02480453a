"""Stack-wide keys: which environment this is, who owns it, and where it deploys."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from infra.schema import Section

Environment = Literal["dev", "staging", "prod"]
"""The environments the platform knows; each has its own rules (prod: protected, HA)."""

_TAG_TEXT = re.compile(r"^[\w .:/=+\-@]{1,256}$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
_EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")


def _tag_text(value: str) -> str:
    if not _TAG_TEXT.match(value):
        raise ValueError("1-256 letters, digits, spaces or _.:/=+-@ (it becomes a tag value)")
    return value


def _account_id(value: str) -> str:
    if not _ACCOUNT_ID.match(value):
        raise ValueError("a 12-digit AWS account id, quoted so YAML keeps leading zeros")
    return value


def _role_name(value: str) -> str:
    if not _ROLE_NAME.match(value):
        raise ValueError("an IAM role name: 1-64 letters, digits or +=,.@_-")
    return value


def _external_id(value: str) -> str:
    if not _EXTERNAL_ID.match(value):
        raise ValueError("2-1224 letters, digits or +=,.@:/_-")
    return value


TagText = Annotated[str, AfterValidator(_tag_text)]


class StackSettings(Section):
    """`mlops:environment`, `mlops:owner`, `mlops:costCentre`, `mlops:protectData`, `mlops:tags`."""

    environment: Environment
    """Which environment the stack is."""
    owner: TagText
    """The team answerable for the stack; tagged on every resource."""
    cost_centre: TagText
    """Where the bill goes; tagged on every resource."""
    protect_data: bool = True
    """Protect stateful resources from deletion and keep them on destroy; prod must keep it on."""
    tags: dict[str, TagText] = Field(default_factory=dict)
    """Extra tags for every resource, on top of the common ones."""


class AccountSettings(Section):
    """`mlops:account`: deploy into another account by assuming a role there."""

    id: Annotated[str, AfterValidator(_account_id)]
    """The account every resource of the stack must land in."""
    role_name: Annotated[str, AfterValidator(_role_name)]
    """The role to assume in that account."""
    external_id: Annotated[str, AfterValidator(_external_id)] | None = None
    """The external id the role's trust policy asks for, if any."""
