import inspect
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from opsgate.commands.init import STARTER_TOML
from opsgate.settings import Settings, SettingsError, load_settings


def test_defaults_use_the_embedded_sqlite_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    settings = load_settings()

    assert settings.database_url == "sqlite:///var/opsgate.db"
    assert settings.server.port == 8080


def test_database_url_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(
        "OPSGATE_DATABASE_URL", "postgresql://postgres@127.0.0.1/opsgate"
    )

    assert load_settings().database_url == "postgresql://postgres@127.0.0.1/opsgate"


def test_toml_file_named_by_opsgate_config_is_read(tmp_path, monkeypatch):
    config = tmp_path / "elsewhere.toml"
    config.write_text('[server]\nport = 9001\n[webhooks.secrets]\nhubspot = "s3cret"\n')
    monkeypatch.setenv("OPSGATE_CONFIG", str(config))

    settings = load_settings()

    assert settings.server.port == 9001
    assert isinstance(settings.webhooks.secrets["hubspot"], SecretStr)
    assert "s3cret" not in repr(settings)


def test_environment_wins_over_the_file_field_by_field(tmp_path, monkeypatch):
    config = tmp_path / "opsgate.toml"
    config.write_text('[server]\nport = 9001\nhost = "0.0.0.0"\n')
    monkeypatch.setenv("OPSGATE_SERVER__PORT", "9002")

    settings = load_settings(config)

    assert (settings.server.host, settings.server.port) == ("0.0.0.0", 9002)


def test_nested_secret_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPSGATE_WEBHOOKS__SECRETS__STANDARD", "whsec_abc")

    assert (
        load_settings().webhooks.secrets["standard"].get_secret_value() == "whsec_abc"
    )


def test_unknown_key_in_the_file_is_refused(tmp_path):
    config = tmp_path / "opsgate.toml"
    config.write_text("[server]\nprot = 9001\n")

    with pytest.raises(
        SettingsError, match=r"server\.prot: Extra inputs are not permitted"
    ):
        load_settings(config)


def test_file_that_is_not_toml_is_refused_naming_it(tmp_path):
    config = tmp_path / "opsgate.toml"
    config.write_text("[server\nport = 1\n")

    with pytest.raises(SettingsError, match="opsgate.toml is not valid TOML"):
        load_settings(config)


def test_config_variable_naming_a_missing_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("OPSGATE_CONFIG", str(tmp_path / "missing.toml"))

    with pytest.raises(SettingsError, match="does not exist"):
        load_settings()


def test_starter_file_states_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "starter.toml"
    config.write_text(STARTER_TOML.format(standard_secret="whsec_x"))

    settings = load_settings(config)

    expected = Settings(webhooks={"secrets": {"standard": "whsec_x"}})
    assert settings.model_dump() == expected.model_dump()


def test_missing_file_is_not_an_error(tmp_path):
    assert load_settings(Path(tmp_path / "absent.toml")).server.host == "127.0.0.1"


def test_every_settings_section_refuses_keys_it_does_not_know():
    def sections(model, path):
        yield path, model
        for name, field in model.model_fields.items():
            for kind in (field.annotation, *typing.get_args(field.annotation)):
                if inspect.isclass(kind) and issubclass(kind, BaseModel):
                    yield from sections(kind, f"{path}.{name}")

    lenient = [
        path
        for path, model in sections(Settings, "settings")
        if model.model_config.get("extra") != "forbid"
    ]

    assert lenient == []


def test_a_typo_in_a_connector_section_is_named():
    with pytest.raises(ValidationError, match=r"toggl\.api_tokn"):
        Settings(toggl={"api_tokn": "x"})


def test_an_empty_webhook_secret_is_refused_because_it_would_accept_anything():
    with pytest.raises(ValidationError, match="hubspot is empty"):
        Settings(webhooks={"secrets": {"hubspot": "", "standard": "whsec_abc"}})


def test_a_store_url_opsgate_cannot_run_on_is_refused_at_load(monkeypatch, tmp_path):
    monkeypatch.setenv("OPSGATE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("OPSGATE_DATABASE_URL", "mysql://x/y")

    with pytest.raises(SettingsError, match="not a store Opsgate runs on"):
        load_settings()


def test_a_nested_variable_that_is_not_json_is_one_message(monkeypatch, tmp_path):
    monkeypatch.setenv("OPSGATE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("OPSGATE_GATE__PEOPLE", "{bad")

    with pytest.raises(SettingsError, match="OPSGATE_\\* variable is not valid"):
        load_settings()


def test_backoff_that_shrinks_is_refused():
    with pytest.raises(ValidationError, match="max_backoff_s = 0.1 is below"):
        Settings(delivery={"initial_backoff_s": 1.0, "max_backoff_s": 0.1})
