"""The boto3 clients of one invocation.

The usual credential chain, a profile, a region, and any endpoint (`--endpoint-url`, how tests
and the drill reach a moto server).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3


@dataclass
class Clients:
    """Lazily created clients of one session.

    `overrides` replaces a service (the drill's simulated endpoint).
    """

    profile: str | None = None
    """AWS profile, or the default chain."""
    region: str | None = None
    """Region, or the profile's."""
    endpoint_url: str | None = None
    """Endpoint for every service (a moto server), or AWS's."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Service name -> object answering that service's calls."""
    _made: dict[str, Any] = field(default_factory=dict)

    @property
    def session(self) -> Any:
        """One boto3 session for every client (service models load once)."""
        if "session" not in self._made:
            self._made["session"] = boto3.session.Session(
                profile_name=self.profile, region_name=self.region
            )
        return self._made["session"]

    def client(self, service: str) -> Any:
        """The client of `service`."""
        if service in self.overrides:
            return self.overrides[service]
        if service not in self._made:
            # Any service by name: the typed stubs only know literal service names.
            self._made[service] = self.session.client(service, endpoint_url=self.endpoint_url)
        return self._made[service]

    def table(self, name: str) -> Any:
        """The DynamoDB Table resource `name`."""
        key = f"table:{name}"
        if key not in self._made:
            resource = self.session.resource("dynamodb", endpoint_url=self.endpoint_url)
            self._made[key] = resource.Table(name)
        return self._made[key]

    @property
    def region_name(self) -> str:
        """The region the clients use."""
        return str(self.client("stepfunctions").meta.region_name)
