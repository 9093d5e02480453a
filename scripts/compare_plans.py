"""Compare the offline plans of this checkout with those of another commit, byte for byte.

    python scripts/compare_plans.py REF

Previews every stack at REF (in a temporary git worktree, run with this checkout's virtualenv,
the commit's own code first on the import path) and here, then compares every file of the two
plan trees (`<stack>.json` and the Kubernetes YAML). Exit 0 when identical, 1 with the list of
files that differ. A refactoring that must not change behaviour is proven with it.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def preview(checkout: Path, out: Path) -> None:
    """Run `mlops preview --stack all --no-policy` of `checkout`, writing plans under `out`."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, "-m", "mlops_platform", "preview", "--stack", "all", "--no-policy",
         "--out", str(out), "--project-dir", str(checkout)],
        check=False, cwd=checkout, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"preview of {checkout} failed ({done.returncode}):\n{done.stderr}")


def files(tree: Path) -> set[Path]:
    """Every file under `tree`, relative to it."""
    return {path.relative_to(tree) for path in tree.rglob("*") if path.is_file()}


def differences(before: Path, after: Path) -> list[str]:
    """Files missing on one side or differing in content."""
    old, new = files(before), files(after)
    found = [f"only at the other commit: {path}" for path in sorted(old - new)]
    found += [f"only here: {path}" for path in sorted(new - old)]
    found += [
        f"differs: {path}"
        for path in sorted(old & new)
        if not filecmp.cmp(before / path, after / path, shallow=False)
    ]
    return found


def main(ref: str) -> int:
    """Compare the plans of `ref` with this checkout's; print what differs."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(work / "ref"), ref],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            preview(work / "ref", work / "before")
            preview(ROOT, work / "after")
            found = differences(work / "before", work / "after")
            count = len(files(work / "after"))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(work / "ref")], cwd=ROOT, check=True
            )
    for line in found:
        print(line)
    print(f"plans identical to {ref}: {count} files" if not found else f"{len(found)} differences")
    return 1 if found else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:  # noqa: PLR2004 - the program and one commit
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
