"""Type-check Opsgate as it imports: `opsgate.connectors`, `opsgate.rules`, ...

The top-level folders are mapped into the `opsgate` namespace by setup.py,
which an editable install resolves at import time but mypy cannot follow. This
script lays the same namespace out as symlinks under `build/typecheck/` and
runs `mypy -p opsgate` there with the project's settings (`make types`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREE = ROOT / "build" / "typecheck"
FOLDERS = ("connectors", "rules", "agent", "tui", "evals")


def lay_out_namespace() -> Path:
    """Build `build/typecheck/opsgate` from symlinks to the real folders."""
    shutil.rmtree(TREE, ignore_errors=True)
    package = TREE / "opsgate"
    package.mkdir(parents=True)
    for entry in (ROOT / "opsgate").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for folder in FOLDERS:
        (package / folder).symlink_to(ROOT / folder)
    return TREE


def main() -> int:
    """Lay out the namespace and run mypy on it; return mypy's exit status."""
    tree = lay_out_namespace()
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "-p",
        "opsgate",
    ]
    return subprocess.call(command, cwd=tree)


if __name__ == "__main__":
    raise SystemExit(main())
