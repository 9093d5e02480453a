"""Entry point of the serving layer (`main: __main__.py` in serving/Pulumi.yaml)."""

import sys
from pathlib import Path

# The engine runs this file from serving/; the program imports its modules as the `infra`
# package, so the repository root goes first.
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
if _PROJECT_ROOT not in sys.path:
    sys.path.insert(0, _PROJECT_ROOT)

from infra.serving_layer import main  # noqa: E402

main()
