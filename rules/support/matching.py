"""Tie a support ticket to the customers and projects Opsgate knows.

The rule, plainly:

- A ticket **names a customer** when one of its customer values (`tickets`
  lists them per desk: labels, organisation, custom fields, ...) equals,
  ignoring case, the customer an incident carries — the customer name or key
  of the incident's canonical object, which is how Opsgate knows customers.
- A ticket **names a project** when one of its project values (Jira project
  key or name, labels, components, tags, custom fields) equals, ignoring
  case, an incident's project (its project code, or name where it has no
  code), or when its summary/subject contains, as a whole word, a project
  code Opsgate knows: an `odoo.project` reference (`rules/workflows/
  references.py`), an unresolved incident's project, or the target of a
  `support.project` mapping.
- A desk's own value can be **mapped** through value mappings (the same table
  as every other mapping): namespace `support.customer` or `support.project`,
  source value either `<desk>:<value>` (`zendesk:organization:6607619104125`,
  `jira:ACME`) or the plain value, target Opsgate's customer or project as
  incidents carry it (`Acme Corporation`, `P-08`). Source values are
  compared ignoring case.

Every value is kept lower-case on the ticket (`support_ticket_reference`), so
a ticket whose customer Opsgate does not know yet is kept and starts to count
once an incident for that customer opens.

Not covered: fuzzy or partial names (`Acme` does not name `Acme
Corporation`; map it), customer names inside a summary, Zendesk organisation
names that only organisation events carry (map the id), and Jira custom
fields are not told apart by what they mean: any text in one is a candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from opsgate.rules.incidents.open_tickets import reference_value
from opsgate.rules.store.mapping_tables import ValueMapping
from opsgate.rules.store.statuses import IncidentStatus
from opsgate.rules.store.tables import Incident
from opsgate.rules.support.tickets import Ticket
from opsgate.rules.workflows.references import reference_namespace

CUSTOMER_MAPPINGS = "support.customer"
"""Value-mapping namespace: a desk's value → Opsgate's customer."""
PROJECT_MAPPINGS = "support.project"
"""Value-mapping namespace: a desk's value → Opsgate's project code."""


@dataclass(frozen=True)
class TicketReferences:
    """The customer and project values a ticket is matched on, lower-case."""

    customers: frozenset[str] = frozenset()
    projects: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.customers or self.projects)

    def __or__(self, other: TicketReferences) -> TicketReferences:
        return TicketReferences(
            self.customers | other.customers, self.projects | other.projects
        )


def ticket_references(session: Session, ticket: Ticket) -> TicketReferences:
    """What `ticket` may name, after mappings and the project codes in its title."""
    customer_map = _mappings(session, CUSTOMER_MAPPINGS)
    project_map = _mappings(session, PROJECT_MAPPINGS)
    customers = _mapped(ticket.source, ticket.customer_values, customer_map)
    projects = _mapped(ticket.source, ticket.project_values, project_map)
    if ticket.title:
        codes = known_project_codes(session) | set(project_map.values())
        projects |= codes_in(ticket.title, codes)
    return TicketReferences(frozenset(customers), frozenset(projects))


def known_project_codes(session: Session) -> set[str]:
    """Project codes Opsgate knows: Odoo references and unresolved incidents'."""
    referenced = session.exec(
        select(ValueMapping.source_value).where(
            ValueMapping.namespace == reference_namespace("odoo", "project")
        )
    ).all()
    on_incidents = session.exec(
        select(Incident.project)
        .where(
            col(Incident.status) != IncidentStatus.RESOLVED,
            col(Incident.project).is_not(None),
        )
        .distinct()
    ).all()
    return {reference_value(code) for code in [*referenced, *on_incidents] if code}


def codes_in(text: str, codes: set[str]) -> set[str]:
    """The `codes` (lower-case) that appear in `text` as whole words."""
    lowered = text.lower()
    return {
        code
        for code in codes
        if code in lowered
        and re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", lowered)
    }


def _mappings(session: Session, namespace: str) -> dict[str, str]:
    rows = session.exec(
        select(ValueMapping.source_value, ValueMapping.target_value).where(
            ValueMapping.namespace == namespace
        )
    ).all()
    return {source.lower(): reference_value(target) for source, target in rows}


def _mapped(source: str, values: tuple[str, ...], mapping: dict[str, str]) -> set[str]:
    found = set()
    for value in values:
        found.add(reference_value(value))
        for key in (f"{source}:{value}".lower(), value.lower()):
            if key in mapping:
                found.add(mapping[key])
    found.discard("")
    return found
