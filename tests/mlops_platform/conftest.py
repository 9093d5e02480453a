"""The committed stacks' plans, shared with the policy tests."""

from tests.policies.conftest import committed_plan_paths, committed_plans

__all__ = ["committed_plan_paths", "committed_plans"]
