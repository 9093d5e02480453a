"""Run an `mlops` command in this process and write the modules it loaded, in load order.

python -m bench.modules OUT.txt preview --stack prod --no-policy --out DIR
"""

from __future__ import annotations

import sys

from mlops_platform import cli


def main(out: str, argv: list[str]) -> None:
    """Run the command, then list `sys.modules` into `out`."""
    cli.main(argv)
    names = [name for name in sys.modules if name != "__main__"]
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
