"""Contract terms per project: how its time may be billed."""

from __future__ import annotations

from dataclasses import dataclass

from opsgate.rules.canonical import BillingType, Contract, Project


@dataclass(frozen=True)
class ProjectTerms:
    """What the contract (and, when known, the sale order line) says about a project."""

    project_key: str
    """The project's code, or its name when it has none."""
    name: str
    """The project's name."""
    billing_type: BillingType | None = None
    """Time and materials or fixed price; None when no contract says."""
    hourly_rate: float | None = None
    """Contracted hourly rate, in `currency`."""
    order_line_rate: float | None = None
    """Rate on the sale order line, when Odoo supplies one."""
    currency: str | None = None
    """ISO 4217 code of the rates."""
    weekend_work_allowed: bool = False
    """Whether weekend and holiday time may be billed."""
    customer: str | None = None
    """Customer name, for incidents."""
    manager_key: str | None = None
    """Source key of the project manager, for proposals that ask them."""
    contract_key: str | None = None
    """Source key of the contract behind the terms."""


def project_key_of(project: Project) -> str:
    """Return the key timesheets use for `project`: its code, else its name."""
    return project.code or project.name


def terms_for(project: Project, contract: Contract | None) -> ProjectTerms:
    """Combine a project and its contract into the terms checks read."""
    rate = contract.hourly_rate if contract is not None else None
    return ProjectTerms(
        project_key=project_key_of(project),
        name=project.name,
        billing_type=project.billing_type
        or (contract.billing_type if contract is not None else None),
        hourly_rate=float(rate) if rate is not None else None,
        currency=contract.currency if contract is not None else None,
        weekend_work_allowed=contract.weekend_work_allowed if contract else False,
        customer=contract.customer_name if contract is not None else None,
        manager_key=project.manager_key,
        contract_key=project.contract_key,
    )
