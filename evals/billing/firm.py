"""A generated firm: consultants, projects, contracts and a year of clean time.

Deterministic by seed. The clean year follows habits a real firm has: part-
and full-timers, people split across two projects, vacations, holidays,
weekend work only where the contract allows it, monthly invoices in arrears
for time-and-materials work, quarterly milestones for fixed-price work, and
payments in one or two instalments.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from opsgate.rules.canonical import BillingType, Contract, Project

HOLIDAYS_2026 = (
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 1),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),
)
"""The firm's public holidays in the generated year."""

YEAR = 2026
AS_OF = date(2027, 1, 20)
"""The day the generated facts are read: every month of the year is due for billing."""

_CUSTOMERS = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Logistics",
    "Wayne Retail",
    "Hooli",
    "Soylent Foods",
    "Tyrell Labs",
    "Cyberdyne",
)
_TASKS = ("Design", "Build", "Review", "Meetings", "Testing", "Support")


@dataclass
class Person:
    """One consultant and the projects they work on."""

    email: str
    name: str
    usual_day_h: float
    projects: list[str]


@dataclass
class Line:
    """A mutable timesheet line while the year is generated and injected."""

    key: str
    email: str
    name: str
    project: str
    day: date
    hours: float
    task: str
    rate: float | None
    currency: str | None
    approved: bool = True
    invoiced: bool = False
    billable: bool = True


@dataclass
class Firm:
    """The firm's master data and its clean year of time."""

    seed: int
    people: list[Person]
    projects: list[Project]
    contracts: list[Contract]
    lines: list[Line] = field(default_factory=list)

    def contract_of(self, project_key: str) -> Contract:
        """Return the contract behind `project_key`."""
        project = next(p for p in self.projects if p.code == project_key)
        return next(c for c in self.contracts if c.source_key == project.contract_key)


def generate_firm(seed: int) -> Firm:
    """Return a firm with its master data and a clean year of time."""
    rng = random.Random(seed)
    projects, contracts = _projects(rng, seed)
    people = _people(rng, projects)
    firm = Firm(seed=seed, people=people, projects=projects, contracts=contracts)
    firm.lines = _year_of_time(rng, firm)
    return firm


def _projects(rng: random.Random, seed: int) -> tuple[list[Project], list[Contract]]:
    projects, contracts = [], []
    currencies = ("EUR", "EUR", "EUR", "EUR", "USD", "EUR", "GBP", "EUR", "EUR", "EUR")
    for number in range(10):
        fixed = number >= 7
        code = f"P-{seed % 100:02d}{number + 1:02d}"
        customer = _CUSTOMERS[(number + seed) % len(_CUSTOMERS)]
        contract = Contract(
            source="hubspot",
            source_key=f"deal-{seed}-{number}",
            name=f"{customer} {code}",
            customer_key=f"cust-{(number + seed) % len(_CUSTOMERS)}",
            customer_name=customer,
            won=True,
            currency=currencies[number],
            billing_type=BillingType.FIXED_PRICE
            if fixed
            else BillingType.TIME_AND_MATERIALS,
            hourly_rate=None
            if fixed
            else Decimal(rng.choice((95, 110, 125, 140, 160, 180))),
            amount=Decimal(rng.choice((40_000, 60_000, 80_000))) if fixed else None,
            weekend_work_allowed=number in (2, 5),
            start_date=date(YEAR, 1, 1),
        )
        contracts.append(contract)
        projects.append(
            Project(
                source="odoo",
                source_key=f"proj-{seed}-{number}",
                name=contract.name,
                code=code,
                customer_key=contract.customer_key,
                contract_key=contract.source_key,
                billing_type=contract.billing_type,
                manager_key=f"pm-{number % 4}",
            )
        )
    return projects, contracts


def _people(rng: random.Random, projects: list[Project]) -> list[Person]:
    people = []
    codes = [p.code or p.name for p in projects]
    for number in range(24):
        part_time = number % 4 == 3
        first = codes[number % len(codes)]
        split = rng.random() < 0.4
        second = codes[(number * 3 + 1) % len(codes)]
        people.append(
            Person(
                email=f"consultant{number:02d}@firm.example",
                name=f"Consultant {number:02d}",
                usual_day_h=4.0 if part_time else rng.choice((7.5, 8.0)),
                projects=[first, second] if split and second != first else [first],
            )
        )
    return people


def _year_of_time(rng: random.Random, firm: Firm) -> list[Line]:
    lines: list[Line] = []
    day = date(YEAR, 1, 1)
    while day.year == YEAR:
        for person in firm.people:
            lines.extend(_day_of(rng, firm, person, day, len(lines)))
        day += timedelta(days=1)
    return lines


def _day_of(
    rng: random.Random, firm: Firm, person: Person, day: date, start: int
) -> list[Line]:
    off = day.weekday() >= 5 or day in HOLIDAYS_2026
    if off:
        allowed = [
            p for p in person.projects if firm.contract_of(p).weekend_work_allowed
        ]
        if not allowed or rng.random() > 0.08:
            return []
        projects = allowed[:1]
    elif rng.random() < 0.1:
        return []
    else:
        projects = person.projects
    total = max(1.0, round(rng.gauss(person.usual_day_h, 0.35) * 4) / 4)
    lines: list[Line] = []
    for _index, project in enumerate(projects):
        hours = total / len(projects)
        tasks = rng.sample(_TASKS, 2)
        parts = [hours] if rng.random() > 0.1 or hours < 3 else [hours - 1.5, 1.5]
        for part_index, part in enumerate(parts):
            lines.append(
                _line(
                    firm,
                    person,
                    project,
                    day,
                    round(part * 4) / 4,
                    tasks[part_index],
                    f"ts-{firm.seed}-{start + len(lines)}",
                )
            )
    return lines


def _line(
    firm: Firm,
    person: Person,
    project: str,
    day: date,
    hours: float,
    task: str,
    key: str,
) -> Line:
    contract = firm.contract_of(project)
    rate = float(contract.hourly_rate) if contract.hourly_rate is not None else None
    return Line(
        key=key,
        email=person.email,
        name=person.name,
        project=project,
        day=day,
        hours=hours,
        task=task,
        rate=rate,
        currency=contract.currency,
    )
