"""`python -m mlops_platform` runs the `mlops` command."""

import sys

from mlops_platform.cli import main

sys.exit(main())
