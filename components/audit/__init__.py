"""Audit: a trail nobody can alter, and the locked bucket that keeps it."""

from mlops_platform.components.audit.args import AuditTrailArgs
from mlops_platform.components.audit.trail import AuditTrail

__all__ = ["AuditTrail", "AuditTrailArgs"]
