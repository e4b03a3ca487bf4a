import importlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("part", ["connectors", "rules", "agent", "tui", "evals"])
def test_each_top_level_folder_imports_under_the_opsgate_namespace(part):
    module = importlib.import_module(f"opsgate.{part}")

    assert module.__name__ == f"opsgate.{part}"
    assert Path(module.__file__).parent == ROOT / part


def test_wheel_installs_everything_under_opsgate_and_no_generic_names(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("opsgate-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}

    assert tops == {"opsgate", next(t for t in tops if t.endswith(".dist-info"))}
    assert any(
        name.startswith("opsgate/rules/canonical/") for name in archive.namelist()
    )
