"""The command list: each line of help is the command's own; listing imports none."""

import subprocess
import sys

import pytest

from opsgate.cli import COMMANDS

HEAVY = ("sklearn", "langgraph", "chromadb", "textual")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_listed_help_is_the_commands_own(command):
    loaded = command.load()

    assert loaded.get_short_help_str(limit=300) == command.help


def test_help_and_a_light_command_import_no_heavy_library():
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from opsgate.cli import app\n"
        "runner = CliRunner()\n"
        "assert runner.invoke(app, ['--help']).exit_code == 0\n"
        "assert runner.invoke(app, ['audit', 'verify', '--help']).exit_code == 0\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_an_unknown_command_is_named():
    from typer.testing import CliRunner

    from opsgate.cli import app

    result = CliRunner().invoke(app, ["frobnicate"])

    assert result.exit_code == 2
    assert "frobnicate" in result.output
