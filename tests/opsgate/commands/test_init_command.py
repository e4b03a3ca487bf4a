from typer.testing import CliRunner

from opsgate.cli import app
from opsgate.settings import load_settings

runner = CliRunner()


def test_init_writes_a_starter_file_with_a_fresh_secret(tmp_path):
    path = tmp_path / "opsgate.toml"

    result = runner.invoke(app, ["init", "--path", str(path)])

    assert result.exit_code == 0, result.output
    assert path.read_text().startswith("# Opsgate settings.")
    assert (
        load_settings(path)
        .webhooks.secrets["standard"]
        .get_secret_value()
        .startswith("whsec_")
    )


def test_init_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "opsgate.toml"
    path.write_text("database_url = 'sqlite:///mine.db'\n")

    refused = runner.invoke(app, ["init", "--path", str(path)])
    forced = runner.invoke(app, ["init", "--path", str(path), "--force"])

    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert forced.exit_code == 0
    assert "mine.db" not in path.read_text()
