"""Generate one realistic month of a consulting firm, the same for the same seed.

The firm has consultants (HR), clients and deals (CRM), projects sold under
those deals, and a month of time entries (the time tool). Everything is plain
data; `opsgate.demo.inputs` renders it in the shapes the real products send.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

FIRST_NAMES = tuple(
    "Ada Grace Linus Kenji Amara Bruno Chloe Dmitri Elena Farid Greta Hiro "
    "Ines Jonas Kaia Luca Maren Nadia Omar Priya Quentin Rosa Sven Tara "
    "Umar Vera Wen Ximena Yusuf Zoe Anika Bjorn Carmen Dev Emil Fatima "
    "Gustav Hana Ivo Jana".split()
)
LAST_NAMES = tuple(
    "Lindqvist Hopper Berg Sato Okafor Costa Martin Ivanov Rossi Haddad "
    "Nilsen Tanaka Moreno Weber Koch Bianchi Dahl Petrova Said Raman Dubois "
    "Lopez Ek Walsh Khan Novak Li Vargas Demir Brown".split()
)
TITLES = (
    ("Principal Consultant", Decimal("140"), Decimal("240")),
    ("Senior Consultant", Decimal("95"), Decimal("180")),
    ("Consultant", Decimal("70"), Decimal("140")),
    ("Junior Consultant", Decimal("50"), Decimal("100")),
)
DEPARTMENTS = ("Data", "Cloud", "Strategy", "Delivery")
CLIENTS = (
    ("Acme Corporation", "US"),
    ("Globex", "US"),
    ("Initech", "US"),
    ("Northwind Traders", "GB"),
    ("Contoso", "US"),
    ("Umbrella Health", "DE"),
    ("Stark Logistics", "NL"),
    ("Wayne Foods", "US"),
    ("Tyrell Systems", "SE"),
    ("Cyberdyne Robotics", "DE"),
    ("Soylent Nutrition", "FR"),
    ("Hooli", "US"),
)
ENGAGEMENTS = (
    "data platform discovery",
    "cloud migration",
    "analytics rollout",
    "ERP integration",
    "security review",
    "operating model design",
    "pricing analytics",
    "customer data platform",
)
TASKS = ("Discovery", "Design", "Build", "Testing", "Workshops", "Project management")
LEGAL_ENTITIES = ("Opsgate Consulting Inc.", "Opsgate Consulting Ltd")


@dataclass(frozen=True)
class Consultant:
    """A person on the firm's payroll, as the HR system knows them."""

    key: str
    first_name: str
    last_name: str
    email: str
    title: str
    department: str
    cost_rate: Decimal
    bill_rate: Decimal
    hire_date: date
    termination_date: date | None = None

    @property
    def name(self) -> str:
        """Full name."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Client:
    """A company the firm sells to, as the CRM knows it."""

    key: str
    name: str
    country: str
    legal_entity: str

    @property
    def domain(self) -> str:
        """Web domain, used for the contact's address."""
        return self.name.lower().split()[0] + ".example"


@dataclass(frozen=True)
class Deal:
    """A CRM deal; closed-won deals become projects."""

    key: str
    client_key: str
    name: str
    amount: str
    """As the CRM property holds it: a decimal string, or junk when faulty."""
    currency: str
    billing_type: str
    """`time_and_materials` or `fixed_price`."""
    start_date: date | None
    sow_signed: bool
    legal_entity: str
    hourly_rate: Decimal
    hours: Decimal
    closed_on: date
    project_code: str
    staff: tuple[str, ...]
    """Consultant keys assigned to the project."""


@dataclass(frozen=True)
class TimeEntry:
    """One entry in the time tool."""

    work_date: date
    consultant_key: str
    project_code: str
    project_name: str
    client_name: str
    task: str
    notes: str
    hours: Decimal
    billable: bool
    approved: bool
    rate: Decimal


@dataclass(frozen=True)
class InjectedFault:
    """A fault placed in the month on purpose, with what it should lead to."""

    name: str
    """Stable key (`missing_legal_entity_mapping`, ...)."""
    description: str
    expected_category: str
    """The incident category it should open, or `none` when it must be absorbed."""
    subject: str
    """The deal, consultant, entry or call it concerns."""


@dataclass(frozen=True)
class FirmMonth:
    """Everything that happened at the firm in one month."""

    seed: int
    year: int
    month: int
    consultants: tuple[Consultant, ...]
    clients: tuple[Client, ...]
    deals: tuple[Deal, ...]
    entries: tuple[TimeEntry, ...]
    faults: tuple[InjectedFault, ...] = field(default=())

    @property
    def first_day(self) -> date:
        """First day of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """Last day of the month."""
        return date(
            self.year, self.month, calendar.monthrange(self.year, self.month)[1]
        )

    def consultant(self, key: str) -> Consultant:
        """Return the consultant with `key`."""
        return next(c for c in self.consultants if c.key == key)

    def client(self, key: str) -> Client:
        """Return the client with `key`."""
        return next(c for c in self.clients if c.key == key)


def build_firm_month(
    seed: int = 7, *, year: int = 2026, month: int = 11, consultants: int = 40
) -> FirmMonth:
    """Return the firm's month for `seed`; the same seed gives the same month."""
    rng = random.Random(seed)
    people = _consultants(rng, consultants, date(year, month, 1))
    clients = _clients(rng)
    deals = _deals(rng, clients, people, date(year, month, 1))
    month_data = FirmMonth(seed, year, month, people, clients, deals, ())
    entries = tuple(_entries(rng, month_data))
    return _inject_faults(rng, replace(month_data, entries=entries))


def _consultants(
    rng: random.Random, count: int, month_start: date
) -> tuple[Consultant, ...]:
    people = []
    names = rng.sample(
        [(first, last) for first in FIRST_NAMES for last in LAST_NAMES], count
    )
    for index, (first, last) in enumerate(names):
        title, cost, bill = TITLES[min(index % 7, 3)]
        people.append(
            Consultant(
                key=str(5001 + index),
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower()}@opsgate-demo.example",
                title=title,
                department=DEPARTMENTS[index % len(DEPARTMENTS)],
                cost_rate=cost + Decimal(rng.randrange(0, 15)),
                bill_rate=bill,
                hire_date=month_start - timedelta(days=rng.randrange(90, 2400)),
            )
        )
    return tuple(people)


def _clients(rng: random.Random) -> tuple[Client, ...]:
    return tuple(
        Client(
            key=str(1001 + index),
            name=name,
            country=country,
            legal_entity=LEGAL_ENTITIES[0] if country == "US" else LEGAL_ENTITIES[1],
        )
        for index, (name, country) in enumerate(CLIENTS)
    )


def _deals(
    rng: random.Random,
    clients: tuple[Client, ...],
    people: tuple[Consultant, ...],
    month_start: date,
) -> tuple[Deal, ...]:
    deals = []
    pool = [p.key for p in people]
    rng.shuffle(pool)
    teams = [tuple(pool[i :: len(clients)]) for i in range(len(clients))]
    for index, client in enumerate(clients):
        staff = teams[index]
        billing = "fixed_price" if index % 4 == 3 else "time_and_materials"
        rate = Decimal(rng.choice((150, 165, 180, 195, 210)))
        hours = Decimal(rng.randrange(8, 30) * 20)
        deals.append(
            Deal(
                key=str(3001 + index),
                client_key=client.key,
                name=f"{client.name} - {rng.choice(ENGAGEMENTS)}",
                amount=str(rate * hours),
                currency="USD" if client.country == "US" else "EUR",
                billing_type=billing,
                start_date=month_start + timedelta(days=rng.randrange(0, 3)),
                sow_signed=True,
                legal_entity=client.legal_entity,
                hourly_rate=rate,
                hours=hours,
                closed_on=month_start - timedelta(days=rng.randrange(1, 10)),
                project_code=f"P-{index + 1:02d}",
                staff=staff,
            )
        )
    return tuple(deals)


def _entries(rng: random.Random, month: FirmMonth) -> list[TimeEntry]:
    entries = []
    day = month.first_day
    while day <= month.last_day:
        if day.weekday() < 5:
            for deal in month.deals:
                client = month.client(deal.client_key)
                for key in deal.staff:
                    if rng.random() < 0.15:
                        continue
                    person = month.consultant(key)
                    entries.append(
                        TimeEntry(
                            work_date=day,
                            consultant_key=key,
                            project_code=deal.project_code,
                            project_name=deal.name,
                            client_name=client.name,
                            task=rng.choice(TASKS),
                            notes=f"{rng.choice(TASKS)} for {client.name}",
                            hours=Decimal(rng.choice((2, 3, 4, 5, 6, 7, 7.5, 8))),
                            billable=True,
                            approved=rng.random() < 0.93,
                            rate=deal.hourly_rate or person.bill_rate,
                        )
                    )
        day += timedelta(days=1)
    return entries


def _inject_faults(rng: random.Random, month: FirmMonth) -> FirmMonth:
    deals = list(month.deals)
    consultants = list(month.consultants)
    faults = []

    unmapped = deals[5]
    deals[5] = replace(unmapped, legal_entity="Opsgate Consulting GmbH")
    faults.append(
        InjectedFault(
            "missing_legal_entity_mapping",
            f"Deal {unmapped.key} is contracted by a legal entity no Odoo company maps.",
            "mapping",
            f"hubspot deal {unmapped.key}",
        )
    )
    unsigned = deals[7]
    deals[7] = replace(unsigned, sow_signed=False)
    faults.append(
        InjectedFault(
            "statement_of_work_unsigned",
            f"Deal {unsigned.key} is closed-won without a signed statement of work.",
            "validation",
            f"hubspot deal {unsigned.key}",
        )
    )
    junk = deals[9]
    deals[9] = replace(junk, amount="TBD")
    faults.append(
        InjectedFault(
            "deal_amount_not_a_number",
            f"Deal {junk.key} carries the amount 'TBD'.",
            "mapping",
            f"hubspot deal {junk.key}",
        )
    )
    leaver_key = deals[0].staff[0]
    leaver_index = next(i for i, c in enumerate(consultants) if c.key == leaver_key)
    termination = month.first_day + timedelta(days=17)
    consultants[leaver_index] = replace(
        consultants[leaver_index], termination_date=termination
    )
    faults.append(
        InjectedFault(
            "time_after_termination",
            f"Consultant {leaver_key} left on {termination} but time was logged after.",
            "validation",
            f"bamboohr employee {leaver_key}",
        )
    )
    faults.append(
        InjectedFault(
            "duplicate_webhook",
            "HubSpot redelivers a closed-won notification (attemptNumber 2).",
            "none",
            f"hubspot deal {deals[1].key}",
        )
    )
    faults.append(
        InjectedFault(
            "odoo_rate_limited",
            "Odoo answers 429 with Retry-After to the first timesheet loads.",
            "none",
            "odoo account.analytic.line load",
        )
    )
    faults.append(
        InjectedFault(
            "renamed_field",
            "Odoo no longer knows hr.employee field 'hourly_cost' for one upsert.",
            "schema_drift",
            "odoo hr.employee",
        )
    )
    entries = list(month.entries)
    bad_row = entries[len(entries) // 3]
    entries[len(entries) // 3] = replace(bad_row, hours=Decimal("-1"))
    faults.append(
        InjectedFault(
            "timesheet_row_invalid_hours",
            "One exported time entry has negative hours.",
            "validation",
            f"timesheet row for {bad_row.consultant_key} on {bad_row.work_date}",
        )
    )
    entries.append(
        replace(
            entries[0],
            project_code="P-99",
            project_name="Unknown Client - shadow project",
            client_name="Unknown Client",
        )
    )
    faults.append(
        InjectedFault(
            "time_on_unknown_project",
            "Time logged on project P-99, which no deal created.",
            "missing_reference",
            "project P-99",
        )
    )
    return replace(
        month,
        deals=tuple(deals),
        consultants=tuple(consultants),
        entries=tuple(entries),
        faults=tuple(faults),
    )


TOGGL_WEEK_DAYS = 5
"""Working days at the end of the month one team tracks in Toggl Track."""


@dataclass(frozen=True)
class TrackedEntry:
    """A time entry as Toggl Track holds it: the entry, its ids and its clock."""

    entry: TimeEntry
    entry_id: int
    user_id: int
    project_id: int
    task_id: int
    started_at: datetime

    @property
    def ended_at(self) -> datetime:
        """When the timer stopped."""
        return self.started_at + timedelta(hours=float(self.entry.hours))


def toggl_team(month: FirmMonth) -> Deal:
    """The deal whose team moved to Toggl Track for the month's last week.

    The first time-and-materials deal none of the injected faults touches,
    staffed by nobody the staffing faults concern, so its time lands.
    """
    touched = {f.subject.split()[-1] for f in month.faults}
    unlucky = {c.key for c in month.consultants[:3]} | {
        c.key for c in month.consultants if c.termination_date
    }
    return next(
        deal
        for deal in month.deals
        if deal.key not in touched
        and deal.billing_type == "time_and_materials"
        and not unlucky & set(deal.staff)
    )


def toggl_entries(month: FirmMonth) -> tuple[TrackedEntry, ...]:
    """The Toggl team's entries of the month's last working week, clocked from 9:00."""
    deal = toggl_team(month)
    days = sorted(
        {e.work_date for e in month.entries if e.project_code == deal.project_code}
    )[-TOGGL_WEEK_DAYS:]
    users = {c.key: 7_100_000 + n for n, c in enumerate(month.consultants)}
    clocks: dict[tuple[str, date], datetime] = {}
    tracked: list[TrackedEntry] = []
    for entry in month.entries:
        if entry.project_code != deal.project_code or entry.work_date not in days:
            continue
        if entry.hours <= 0:
            continue
        slot = (entry.consultant_key, entry.work_date)
        start = clocks.get(slot) or datetime.combine(entry.work_date, time(9), UTC)
        tracked.append(
            TrackedEntry(
                entry=entry,
                entry_id=3_300_000_000 + len(tracked),
                user_id=users[entry.consultant_key],
                project_id=201_000 + month.deals.index(deal),
                task_id=5_500 + TASKS.index(entry.task),
                started_at=start,
            )
        )
        clocks[slot] = tracked[-1].ended_at
    return tuple(tracked)
