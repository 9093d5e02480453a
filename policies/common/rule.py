"""How a rule of this pack is declared: metadata, parameters and the check itself.

`ResourceRule` and `StackRule` are the SDK's policy classes with what the catalogue and the
offline check need besides: the resource types a rule looks at, the framework controls it
implements, and a check that receives the rule's settings with the schema's defaults applied.
The engine applies those defaults itself before `Configure`; tests that build the SDK's argument
objects directly do not, so the rule applies them again and both paths see the same values.
Importing this module makes the SDK's Analyzer convert each resource once per request for all
rules (`_conversions.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi_policy.policy
from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from mlops_platform.policies.common import _conversions

_conversions.install(pulumi_policy.policy)  # each resource converted once per request, not per rule

CIS = "CIS Amazon Web Services Foundations Benchmark"
CIS_VERSION = "1.4.0"
FSBP = "AWS Foundational Security Best Practices"
FSBP_VERSION = "1.0.0"
DEFAULT_LEVEL = EnforcementLevel.MANDATORY
"""Every rule blocks unless an environment's config says otherwise."""

Report = Callable[[str], None]
"""Report one violation of a resource rule: the message, one line, saying what to change."""
StackReport = Callable[[str, str | None], None]
"""Report one violation of a stack rule: the message and the URN of the resource at fault."""


@dataclass(frozen=True)
class Control:
    """One control of a compliance framework that a rule implements."""

    framework: str
    version: str
    reference: str

    @classmethod
    def cis(cls, reference: str) -> Control:
        """A recommendation of the CIS AWS Foundations Benchmark (v1.4.0 numbering)."""
        return cls(CIS, CIS_VERSION, reference)

    @classmethod
    def fsbp(cls, reference: str) -> Control:
        """A control of AWS Security Hub's Foundational Security Best Practices."""
        return cls(FSBP, FSBP_VERSION, reference)

    @property
    def label(self) -> str:
        """Short form for tables and tags: `CIS 3.1`, `FSBP CloudTrail.1`."""
        short = "CIS" if self.framework == CIS else "FSBP"
        return f"{short} {self.reference}"


class Settings(Mapping[str, Any]):
    """A rule's parameters: the configured values over the schema's defaults."""

    def __init__(self, configured: Mapping[str, Any], schema: Mapping[str, Mapping[str, Any]]):
        self._values = {key: spec["default"] for key, spec in schema.items() if "default" in spec}
        self._values.update(
            {key: value for key, value in configured.items() if key != "enforcementLevel"}
        )

    def __getitem__(self, key: str) -> Any:
        """The value of parameter `key`."""
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        """The parameter names."""
        return iter(self._values)

    def __len__(self) -> int:
        """How many parameters have a value."""
        return len(self._values)


ResourceCheck = Callable[[ResourceValidationArgs, Settings, Report], None]
StackCheck = Callable[[StackValidationArgs, Settings, StackReport], None]


@dataclass(frozen=True)
class RuleInfo:
    """What every rule declares besides its check."""

    name: str
    """`aws-<service>-<resource>-<rule>`."""
    description: str
    """One sentence: what must hold."""
    resource_types: tuple[str, ...]
    """The resource type tokens the rule looks at."""
    severity: Severity
    remediation: str
    """What to change when the rule is violated."""
    controls: tuple[Control, ...] = ()
    """Framework controls the rule implements; empty where none exists."""
    params: Mapping[str, Mapping[str, Any]] | None = None
    """JSON schema of each parameter, each with a `default`."""

    def sdk_args(self) -> dict[str, Any]:
        """Keyword arguments for the SDK's policy constructors."""
        first = self.controls[0] if self.controls else None
        return {
            "name": self.name,
            "description": self.description,
            "enforcement_level": DEFAULT_LEVEL,
            "config_schema": (
                PolicyConfigSchema({key: dict(spec) for key, spec in self.params.items()})
                if self.params
                else None
            ),
            "severity": self.severity,
            "framework": (
                PolicyComplianceFramework(
                    name=first.framework, version=first.version, reference=first.reference
                )
                if first
                else None
            ),
            "tags": [control.label for control in self.controls],
            "remediation_steps": self.remediation,
        }

    def settings(self, configured: Mapping[str, Any]) -> Settings:
        """The parameters for one run, defaults applied."""
        return Settings(configured, self.params or {})


class ResourceRule(ResourceValidationPolicy):
    """A rule that looks at one resource at a time."""

    def __init__(self, info: RuleInfo, check: ResourceCheck) -> None:
        super().__init__(**info.sdk_args())
        self.info = info
        self._check = check

    def validate(
        self, args: ResourceValidationArgs, report_violation: ReportViolation
    ) -> Awaitable[Any] | None:
        """Run the check on resources of the rule's types; others are left alone."""
        if args.resource_type in self.info.resource_types:
            self._check(
                args,
                self.info.settings(args.get_config()),
                lambda message: report_violation(message, None),
            )
        return None


class StackRule(StackValidationPolicy):
    """A rule that looks at the whole stack at once."""

    def __init__(self, info: RuleInfo, check: StackCheck) -> None:
        super().__init__(**info.sdk_args())
        self.info = info
        self._check = check

    def validate(
        self, args: StackValidationArgs, report_violation: ReportViolation
    ) -> Awaitable[Any] | None:
        """Run the check over every resource of the stack."""
        self._check(args, self.info.settings(args.get_config()), report_violation)
        return None


def string_list(description: str, default: Sequence[str]) -> dict[str, Any]:
    """Schema of a list-of-strings parameter."""
    return {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": description,
        "default": list(default),
    }


def integer(description: str, default: int, minimum: int = 0) -> dict[str, Any]:
    """Schema of a whole-number parameter."""
    return {"type": "integer", "minimum": minimum, "description": description, "default": default}


def boolean(description: str, default: bool) -> dict[str, Any]:
    """Schema of a yes/no parameter."""
    return {"type": "boolean", "description": description, "default": default}
