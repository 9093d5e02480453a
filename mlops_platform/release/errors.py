"""The two ways a release command stops short, and their exit codes."""

from __future__ import annotations


class BadInput(ValueError):  # noqa: N818 - reads as what it is, like Refused.
    """Unusable input (unknown stack or target, a bad time, another model's package): exit 2."""


class Refused(RuntimeError):  # noqa: N818 - reads as what it is.
    """The operation failed or was refused: exit 1."""
