"""What every area shares: errors, child conventions, AWS look-ups, IAM and KMS documents, logs.

Modules here are used by every component; each area's own modules build on them.
"""

from mlops_platform.components.core.errors import ArgsError, InvalidInputError, Problem
from mlops_platform.components.core.placement import Placement

__all__ = ["ArgsError", "InvalidInputError", "Placement", "Problem"]
