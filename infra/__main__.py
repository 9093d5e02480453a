"""Entry point the Pulumi engine runs (`main: infra/` in Pulumi.yaml)."""

import sys
from pathlib import Path

# The engine runs this directory as a script, which puts infra/ itself on sys.path; the program
# imports its modules as the `infra` package, so the project root goes first.
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
if _PROJECT_ROOT not in sys.path:
    sys.path.insert(0, _PROJECT_ROOT)

from infra.program import main  # noqa: E402

main()
