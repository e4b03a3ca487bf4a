"""Opsgate's settings: one `Settings`, read once at start-up and passed down.

Sources, strongest first: keyword arguments, the environment (`OPSGATE_...`,
nested with `__`: `OPSGATE_SERVER__PORT=9000`), then `opsgate.toml` (or the
file `OPSGATE_CONFIG` names), then the defaults below.

    Settings
     ├── database_url
     ├── server          ServerSettings
     ├── webhooks        WebhookSettings
     ├── logging         LoggingSettings
     ├── catalog         CatalogSettings
     ├── routing         RoutingSettings
     ├── delivery        DeliverySettings (opsgate.rules.delivery.settings)
     └── systems_of_record  SystemsOfRecord (opsgate.rules.routing.ownership)
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

import pydantic_settings
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from opsgate.agent.anomalies.settings import AnomalySettings
from opsgate.agent.settings import AgentSettings
from opsgate.agent.summary.schedule import SummarySettings
from opsgate.connectors.bamboohr.employees_api import BambooHRSettings
from opsgate.connectors.clockify.workspace_api import ClockifySettings
from opsgate.connectors.hubspot.crm_api import HubSpotSettings
from opsgate.connectors.odoo.settings import OdooSettings
from opsgate.connectors.toggl.track_api import TogglSettings
from opsgate.rules.delivery.settings import DeliverySettings, NatsSettings
from opsgate.rules.gate.settings import GateSettings
from opsgate.rules.routing.ownership import SystemsOfRecord
from opsgate.rules.workflows.settings import WorkflowSettings
from opsgate.tui.settings import TuiSettings

DEFAULT_CONFIG_PATH = Path("opsgate.toml")
"""The settings file read when `OPSGATE_CONFIG` names none."""

CONFIG_ENV_VAR = "OPSGATE_CONFIG"
"""The environment variable that names another settings file."""


class ServerSettings(BaseModel):
    """The HTTP server that takes webhooks and serves the API."""

    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    """Interface to listen on."""
    port: int = Field(default=8080, ge=0, le=65535)
    api_token: SecretStr | None = None
    """Bearer token `GET /events/{id}` and `POST /ask` require; without one
    they are open, which is safe only on loopback (`opsgate.server.api_token`)."""
    """TCP port to listen on (0 picks a free one)."""
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    """Largest request body accepted, in bytes; larger ones get 413."""
    group_commit_max_batch: int = Field(default=128, ge=1)
    """Most requests whose inserts share one transaction."""
    group_commit_max_wait_ms: float = Field(default=0.0, ge=0)
    """Milliseconds the writer waits for more requests before committing."""


class WebhookSettings(BaseModel):
    """Inbound webhooks: secrets and signature checks."""

    model_config = ConfigDict(extra="forbid")

    secrets: dict[str, SecretStr] = {}
    """Signing secret per source (`whsec_...` for Standard Webhooks)."""
    timestamp_tolerance_s: int = Field(default=300, ge=0)
    """Seconds a signed timestamp may differ from our clock, either way."""
    quarantine_rejected: bool = True
    """Keep the bodies of rejected requests (bad signature, unknown source)."""

    @field_validator("secrets")
    @classmethod
    def _no_blank_secret(cls, secrets: dict[str, SecretStr]) -> dict[str, SecretStr]:
        # An empty key signs anything anyone sends: an unset variable such as
        # OPSGATE_WEBHOOKS__SECRETS__HUBSPOT= must not open the source.
        blank = sorted(
            k for k, v in secrets.items() if not v.get_secret_value().strip()
        )
        if blank:
            raise ValueError(
                f"the webhook secret of {', '.join(blank)} is empty, which would "
                "accept anything signed with an empty key; set it or remove it"
            )
        return secrets


class LoggingSettings(BaseModel):
    """Structured logs: one event per line."""

    model_config = ConfigDict(extra="forbid")

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    """Lowest level written."""
    format: Literal["json", "console"] = "json"
    """`json` for machines, `console` for people at a terminal."""


class CatalogSettings(BaseModel):
    """Where the routing and mapping rules come from."""

    model_config = ConfigDict(extra="forbid")

    include_shipped: bool = True
    """Load the catalog shipped in `opsgate.rules.catalog`."""
    paths: list[Path] = []
    """More catalog files or folders of `*.yaml`, loaded after the shipped ones."""


class RoutingSettings(BaseModel):
    """The stage that maps, checks and routes accepted events."""

    model_config = ConfigDict(extra="forbid")

    batch_size: int = Field(default=500, ge=1)
    """Most accepted events routed in one transaction."""
    poll_interval_s: float = Field(default=0.2, gt=0)
    """Seconds to wait when no accepted event is waiting."""


class Settings(BaseSettings):
    """Everything Opsgate is configured with."""

    model_config = SettingsConfigDict(
        env_prefix="OPSGATE_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file=DEFAULT_CONFIG_PATH,
    )

    database_url: str = "sqlite:///var/opsgate.db"
    """SQLAlchemy URL of the store: SQLite by default, `postgresql://...` at scale."""

    @field_validator("database_url")
    @classmethod
    def _known_store(cls, url: str) -> str:
        if not url.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError(
                f"{url!r} is not a store Opsgate runs on: use sqlite:///path.db or "
                "postgresql://user@host/db"
            )
        return url

    server: ServerSettings = ServerSettings()
    """The HTTP server."""
    webhooks: WebhookSettings = WebhookSettings()
    """Inbound webhook secrets and checks."""
    logging: LoggingSettings = LoggingSettings()
    """Log level and format."""
    catalog: CatalogSettings = CatalogSettings()
    """Where the rules catalog is read from."""
    routing: RoutingSettings = RoutingSettings()
    """The routing stage."""
    systems_of_record: SystemsOfRecord = SystemsOfRecord()
    """Which source owns each canonical object and field."""
    delivery: DeliverySettings = DeliverySettings()
    """How workers claim, attempt and retry deliveries."""

    nats: NatsSettings = NatsSettings()
    """The event backbone (NATS JetStream); off until a URL is set."""
    odoo: OdooSettings | None = None
    """The Odoo server; none configured means no Odoo target."""
    hubspot: HubSpotSettings = HubSpotSettings()
    """The CRM's API (read-backs of deals, account status write-back)."""
    bamboohr: BambooHRSettings = BambooHRSettings()
    """The HR system's API (read-backs of employees)."""
    toggl: TogglSettings = TogglSettings()
    """Toggl Track's API (names behind webhook entries) and the firm's zone."""
    clockify: ClockifySettings = ClockifySettings()
    """Clockify's API (e-mails, approved periods) and the firm's zone."""
    workflows: WorkflowSettings = WorkflowSettings()
    """Legal entities, service products and billing rules of the four workflows."""
    gate: GateSettings = GateSettings()
    """People, roles and what each role may approve."""
    agent: AgentSettings = AgentSettings()
    """The triage agent and its optional language model."""
    anomalies: AnomalySettings = AnomalySettings()
    """Billing anomaly checks and model."""
    summary: SummarySettings = SummarySettings()
    """The daily summary: when, where it is posted."""
    tui: TuiSettings = TuiSettings()
    """The terminal UI: refresh, theme, keymap."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read keyword arguments, then the environment, then the TOML file."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def config_path() -> Path:
    """Return the settings file to read: `OPSGATE_CONFIG`, or `opsgate.toml`."""
    named = os.environ.get(CONFIG_ENV_VAR)
    return Path(named) if named else DEFAULT_CONFIG_PATH


class SettingsError(ValueError):
    """Raised when the settings file or environment cannot be read as settings."""


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings once, from the environment and the TOML file at `path`.

    Raises:
        SettingsError: `OPSGATE_CONFIG` names a file that does not exist, the
            file is not valid TOML, or a value is unknown or of the wrong type;
            the message names the file and every problem.
    """
    toml_file = path if path is not None else config_path()
    if os.environ.get(CONFIG_ENV_VAR) and not toml_file.exists():
        raise SettingsError(
            f"{CONFIG_ENV_VAR} names {str(toml_file)!r}, which does not exist."
        )
    bound = type(
        "Settings",
        (Settings,),
        {"model_config": {**Settings.model_config, "toml_file": toml_file}},
    )
    try:
        settings: Settings = bound()
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{toml_file} is not valid TOML: {exc}.") from None
    except pydantic_settings.SettingsError as exc:
        # An OPSGATE_* variable holding a nested section that is not JSON.
        cause = f" ({exc.__cause__})" if exc.__cause__ else ""
        raise SettingsError(
            f"An OPSGATE_* variable is not valid: {exc}{cause}."
        ) from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise SettingsError(
            f"Settings from {toml_file} and OPSGATE_* variables are not valid: {problems}."
        ) from None
    return settings
