"""The import floor: import exactly the modules a command loaded, run nothing, exit.

    python bench/floor.py MODULES.txt

MODULES.txt lists module names one a line, in the order the command loaded them
(`bench/stacks.py` writes it). The process ends without tearing its heap down, as `mlops` does.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys


def main(path: str) -> None:
    """Import every module named in `path`, in order, and end the process."""
    with open(path, encoding="utf-8") as handle:
        names = handle.read().split()
    for name in names:
        with contextlib.suppress(Exception):  # `__main__`-only modules and the like
            importlib.import_module(name)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
