"""Fixtures of the handler tests."""

from .aws_fixtures import moto_aws

__all__ = ["moto_aws"]
