"""Build the engine's parts from settings: targets, controls, clients.

`opsgate run`, `opsgate reconcile` and `opsgate pull` all need the same
connectors opened from the same settings; this is the one place that knows
how. A connector whose settings are absent is simply not built, and
deliveries to it wait (and end as dead letters naming the missing target).
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from opsgate.agent.llm import LLMClient
from opsgate.agent.llm.audit import store_audit, tokens_spent_since
from opsgate.agent.llm.budget import TokenBudget
from opsgate.connectors.bamboohr.employees_api import BambooHREmployees
from opsgate.connectors.clockify.workspace_api import ClockifyWorkspace
from opsgate.connectors.hubspot.crm_api import HubSpotCrm
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.toggl.track_api import TogglTrack
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.delivery.targets import NullTarget, Target
from opsgate.rules.workflows.controls import WorkflowControls
from opsgate.rules.workflows.enrichment import BambooHRTarget, HubSpotTarget
from opsgate.rules.workflows.odoo_target import OdooWorkflowTarget
from opsgate.rules.workflows.tracked_time import TimeTrackerTarget
from opsgate.settings import Settings


@dataclass
class Connectors:
    """The outside systems settings name, opened once per process."""

    odoo: OdooClient | None = None
    hubspot: HubSpotCrm | None = None
    bamboohr: BambooHREmployees | None = None
    toggl: TogglTrack | None = None
    clockify: ClockifyWorkspace | None = None
    targets: list[Target] = field(default_factory=list)


async def open_connectors(
    stack: AsyncExitStack, settings: Settings, engine: Engine, catalog: Catalog
) -> Connectors:
    """Open every configured connector on `stack` and build its target."""
    found = Connectors(targets=[NullTarget("null")])
    if settings.odoo is not None:
        found.odoo = await stack.enter_async_context(OdooClient(settings=settings.odoo))
        found.targets.append(
            OdooWorkflowTarget(
                odoo=found.odoo, engine=engine, settings=settings.workflows
            )
        )
    if settings.hubspot.access_token is not None:
        found.hubspot = await stack.enter_async_context(
            HubSpotCrm(settings=settings.hubspot)
        )
        found.targets.append(
            HubSpotTarget(crm=found.hubspot, engine=engine, catalog=catalog)
        )
    if settings.bamboohr.api_key is not None:
        found.bamboohr = await stack.enter_async_context(
            BambooHREmployees(settings=settings.bamboohr)
        )
        found.targets.append(
            BambooHRTarget(employees=found.bamboohr, engine=engine, catalog=catalog)
        )
    if settings.toggl.api_token is not None:
        found.toggl = await stack.enter_async_context(
            TogglTrack(settings=settings.toggl)
        )
        found.targets.append(
            TimeTrackerTarget(
                name="toggl",
                directory=found.toggl,
                engine=engine,
                catalog=catalog,
                timezone=settings.toggl.timezone,
            )
        )
    if settings.clockify.api_key is not None:
        found.clockify = await stack.enter_async_context(
            ClockifyWorkspace(settings=settings.clockify)
        )
        found.targets.append(
            TimeTrackerTarget(
                name="clockify",
                directory=found.clockify,
                engine=engine,
                catalog=catalog,
                timezone=settings.clockify.timezone,
                approval_required=settings.clockify.approval_required,
            )
        )
    return found


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

READ_BACK_CREDENTIALS = {
    "hubspot": ("hubspot", "access_token"),
    "bamboohr": ("bamboohr", "api_key"),
    "toggl": ("toggl", "api_token"),
    "clockify": ("clockify", "api_key"),
}
"""Sources whose webhooks name records by id, and the setting that reads them."""


def configuration_warnings(
    settings: Settings, catalog: Catalog, *, stand_ins: tuple[str, ...] = ()
) -> list[str]:
    """What in these settings will fail later, said at start-up.

    A webhook secret for a source the catalog does not know is a typo; a
    secret for a source whose webhooks must be read back, without the API
    credential to read them, sends every event of it to a dead letter.
    """
    warnings = []
    if settings.server.host not in LOOPBACK and settings.server.api_token is None:
        warnings.append(
            f"The server listens on {settings.server.host} without [server] "
            "api_token: GET /events/{id} (raw bodies) and POST /ask are open to "
            "anyone who reaches it; set one (OPSGATE_SERVER__API_TOKEN)."
        )
    if settings.odoo is None and "odoo" not in stand_ins:
        warnings.append(
            "No [odoo] is configured: deliveries to Odoo wait and end as dead "
            "letters naming the missing target; set [odoo] url, database and "
            "api_key (OPSGATE_ODOO__URL, ...)."
        )
    known = set(catalog.sources)
    for source in sorted(settings.webhooks.secrets):
        if source not in known:
            warnings.append(
                f"[webhooks.secrets] names {source!r}, which is not a catalog "
                f"source; known: {', '.join(sorted(known))}."
            )
        elif source in READ_BACK_CREDENTIALS:
            section, key = READ_BACK_CREDENTIALS[source]
            credential = getattr(getattr(settings, section), key)
            if credential is None or not credential.get_secret_value().strip():
                warnings.append(
                    f"{source} webhooks are accepted but cannot be read back: set "
                    f"[{section}] {key} (OPSGATE_{section.upper()}__{key.upper()}); "
                    "until then their deliveries end as dead letters."
                )
    return warnings


def workflow_controls(settings: Settings, engine: Engine) -> WorkflowControls:
    """The workflow controls routing runs, from the workflow settings."""
    return WorkflowControls(settings.workflows.legal_entities, engine=engine)


def llm_client(settings: Settings, engine: Engine) -> LLMClient | None:
    """The model client settings name, audited in the store, or None without one.

    The day's budget starts from what the audit log says was already spent
    today, so restarting the process does not reset it.
    """
    if not settings.agent.llm.configured:
        return None
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    budget = TokenBudget(
        settings.agent.llm.max_tokens_per_day,
        spent_today=tokens_spent_since(engine, midnight),
    )
    return LLMClient(settings.agent.llm, audit=store_audit(engine), budget=budget)
