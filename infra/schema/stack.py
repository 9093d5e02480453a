"""Stack-wide keys: which environment this is, who owns it, and where it deploys."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from infra.schema import Section

Environment = Literal["dev", "staging", "prod"]
"""The environments the platform knows; each has its own rules (prod: protected, HA)."""


def _matching(pattern: str, allowed: str) -> AfterValidator:
    """A validator accepting strings that match `pattern` entirely; `allowed` says what does."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(allowed)
        return value

    return AfterValidator(check)


TagText = Annotated[
    str,
    _matching(
        r"[\w .:/=+\-@]{1,256}",
        "1-256 letters, digits, spaces or _.:/=+-@ (it becomes a tag value)",
    ),
]
AccountId = Annotated[
    str, _matching(r"[0-9]{12}", "a 12-digit AWS account id, quoted so YAML keeps leading zeros")
]
RoleName = Annotated[
    str, _matching(r"[\w+=,.@-]{1,64}", "an IAM role name: 1-64 letters, digits or +=,.@_-")
]
ExternalId = Annotated[
    str, _matching(r"[\w+=,.@:/-]{2,1224}", "2-1224 letters, digits or +=,.@:/_-")
]


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

    id: AccountId
    """The account every resource of the stack must land in."""

    @field_validator("id", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValueError(
                f'quote the account id ("{value:012d}"); YAML reads it as a number and drops '
                "leading zeros"
            )
        return value

    role_name: RoleName
    """The role to assume in that account."""
    external_id: ExternalId | None = None
    """The external id the role's trust policy asks for, if any."""
