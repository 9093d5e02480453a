"""Pulumi components that take ML models safely to production on AWS.

Import what you build with from here; modules starting with an underscore are internal.
"""

from components.errors import ArgsError, InvalidInputError, Problem
from components.network import Network, NetworkArgs

__all__ = ["ArgsError", "InvalidInputError", "Network", "NetworkArgs", "Problem"]
