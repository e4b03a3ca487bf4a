"""Failures the workflows produce on the peer side, written as the engine words them.

Each template is (category, proposal kind, slug, source, workflow, blocks,
stage, http status, message). Placeholders are filled from small pools of
realistic values, so one template yields several different incidents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class PeerTemplate:
    """One kind of peer-side failure."""

    category: str
    proposal_kind: str
    slug: str
    source: str
    workflow: str
    blocks: str
    stage: str
    http_status: int | None
    message: str


_T = PeerTemplate
TEMPLATES: list[PeerTemplate] = [
    _T("mapping", "replay_with_patch", "deal_amount_not_decimal", "hubspot", "lead-to-project",
       "project_creation", "map", None,
       "Mapping hubspot.deal→project failed at data.properties.amount: expected a "
       "decimal, got {word!r}."),
    _T("mapping", "add_mapping", "country_unmapped", "hubspot", "lead-to-project",
       "project_creation", "map", None,
       "No Odoo country mapping for HubSpot country {cc!r} (namespace "
       "hubspot.country→res.country)."),
    _T("mapping", "add_mapping", "harvest_client_unmapped", "harvest", "time-to-billing",
       "timesheet", "map", None,
       "Harvest client {client!r} has no Odoo partner mapping (namespace "
       "harvest.client→res.partner)."),
    _T("mapping", "add_mapping", "toggl_project_unmapped", "toggl", "time-to-billing",
       "timesheet", "map", None,
       "Toggl project {project!r} maps to no Odoo project (namespace "
       "toggl.project→project.project)."),
    _T("mapping", "add_mapping", "salesforce_type_unmapped", "salesforce", "contract-to-cash",
       "invoice", "map", None,
       "Salesforce Account.Type {word!r} has no mapping to an Odoo partner category."),
    _T("mapping", "add_mapping", "clockify_currency_unmapped", "clockify", "time-to-billing",
       "timesheet", "map", None,
       "Clockify column 'Billable Rate ({cur})' names a currency with no ISO 4217 "
       "mapping."),
    _T("validation", "replay_with_patch", "canonical_email_invalid", "hubspot",
       "lead-to-project", "project_creation", "validate", None,
       "Validation of canonical customer failed at email: value is not a valid email "
       "address: An email address must have an @-sign, got {word!r}."),
    _T("validation", "replay_with_patch", "canonical_field_required", "bamboohr",
       "staffing-to-delivery", "staffing", "validate", None,
       "Validation of canonical consultant failed at {field}: Field required."),
    _T("validation", "replay_with_patch", "canonical_date_invalid", "harvest",
       "time-to-billing", "timesheet", "validate", None,
       "Validation of canonical timesheet failed at date: Input should be a valid "
       "date, got {date_bad!r}."),
    _T("validation", "replay_with_patch", "canonical_hours_not_positive", "toggl",
       "time-to-billing", "timesheet", "validate", None,
       "Validation of canonical timesheet failed at hours: Input should be greater "
       "than 0, got {neg}."),
    _T("validation", "replay_with_patch", "canonical_currency_invalid", "stripe",
       "contract-to-cash", "payment_status", "validate", None,
       "Validation of canonical payment failed at currency: Value error, currency "
       "must be an ISO 4217 code, got {word!r}."),
    _T("conflict", "skip_with_reason", "ownership_refused", "salesforce", "contract-to-cash",
       "master_data", "ownership", None,
       "Update of customer.{field} from salesforce refused: hubspot is the system of "
       "record for customer.{field}."),
    _T("conflict", "skip_with_reason", "ownership_refused_hr", "harvest",
       "staffing-to-delivery", "staffing", "ownership", None,
       "Update of consultant.{field} from harvest refused: bamboohr is the system of "
       "record for consultant.{field}."),
    _T("conflict", "skip_with_reason", "invoiced_time_changed", "harvest", "time-to-billing",
       "invoice", "ownership", None,
       "Harvest changed entry {key} from {hours} h to {hours2} h, but Odoo timesheet "
       "{oid} is already invoiced on INV/2026/{inv:05d}."),
    _T("duplicate", "skip_with_reason", "webhook_redelivered", "hubspot", "lead-to-project",
       "project_creation", "accept", None,
       "HubSpot delivered deal {num} closedwon again (attemptNumber {small}); event "
       "{eid} was already accepted."),
    _T("duplicate", "add_mapping", "partner_exists_other_xmlid", "salesforce",
       "contract-to-cash", "invoice", "deliver", 200,
       "Odoo already holds partner {company!r} with VAT {vat} (id {oid}) under "
       "external id opsgate.hubspot_company_{num}; refusing to create a second one."),
    _T("duplicate", "skip_with_reason", "export_overlap", "clockify", "time-to-billing",
       "timesheet", "accept", None,
       "Timesheet export overlaps an earlier import: entry {key} on {date} for "
       "{hours} h was already imported on {date2}."),
    _T("duplicate", "skip_with_reason", "unique_violation", "bamboohr",
       "staffing-to-delivery", "staffing", "deliver", 200,
       'duplicate key value violates unique constraint "hr_employee_barcode_uniq" '
       "DETAIL: Key (barcode)=({num}) already exists."),
    _T("data_quality", "escalate", "hours_over_day", "harvest", "time-to-billing",
       "timesheet", "validate", None,
       "Harvest entry {key} books {big} h on {date} for one consultant, more than a "
       "day holds."),
    _T("data_quality", "escalate", "entry_without_project", "clockify", "time-to-billing",
       "timesheet", "validate", None,
       "Clockify entry {key} has no project and no client (description {desc!r})."),
    _T("data_quality", "escalate", "won_deal_zero_amount", "hubspot", "lead-to-project",
       "project_creation", "validate", None,
       "HubSpot deal {num} is closedwon with amount 0 and no line items."),
    _T("data_quality", "escalate", "employee_without_email", "bamboohr",
       "staffing-to-delivery", "staffing", "validate", None,
       "BambooHR employee {num} has no work email; Odoo users are matched by email."),
    _T("data_quality", "escalate", "entry_ends_before_start", "toggl", "time-to-billing",
       "timesheet", "validate", None,
       "Toggl entry {key} ends before it starts ({date} 17:00 > {date} 09:30)."),
    _T("missing_reference", "create_reference", "unknown_project_code", "harvest",
       "time-to-billing", "timesheet", "deliver", 200,
       "Timesheet for unknown project code {code!r}: Odoo has no project with external "
       "id opsgate.psa_project_{num}."),
    _T("missing_reference", "create_reference", "unknown_employee", "harvest",
       "time-to-billing", "timesheet", "deliver", 200,
       "Employee opsgate.bamboohr_employee_{num} named by Harvest entry {key} does not "
       "exist in Odoo."),
    _T("missing_reference", "create_reference", "stripe_customer_missing", "stripe",
       "contract-to-cash", "payment_status", "deliver", 200,
       "Payment for Stripe customer cus_{code} refers to partner "
       "opsgate.stripe_customer_{num}, which Odoo does not have."),
    _T("rate_limit", "retry", "hubspot_429", "hubspot", "lead-to-project",
       "project_creation", "pull", 429,
       "HubSpot answered 429: You have reached your ten_secondly_rolling limit. "
       "Retry-After: {small} s."),
    _T("rate_limit", "retry", "harvest_429", "harvest", "time-to-billing", "timesheet",
       "pull", 429, "Harvest answered 429 Too Many Requests; Retry-After: {small} s."),
    _T("rate_limit", "retry", "salesforce_limit", "salesforce", "contract-to-cash",
       "invoice", "pull", 403,
       "Salesforce REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded."),
    _T("timeout", "retry", "odoo_read_timeout", "odoo", "{workflow}", "{blocks}", "deliver",
       None, "Odoo did not answer {op} within {secs} s (read timeout)."),
    _T("timeout", "retry", "harvest_timeout", "harvest", "time-to-billing", "timesheet",
       "pull", None, "Harvest GET /v2/time_entries timed out after {secs} s."),
    _T("unavailable", "retry", "odoo_503", "odoo", "{workflow}", "{blocks}", "deliver", 503,
       "Odoo answered 503 Service Unavailable for {op}."),
    _T("unavailable", "retry", "connection_refused", "odoo", "{workflow}", "{blocks}",
       "deliver", None,
       "Connection refused by odoo.internal:8069 while sending {op}."),
    _T("unavailable", "retry", "zendesk_502", "zendesk", "lead-to-project",
       "master_data", "pull", 502, "Zendesk API answered 502 Bad Gateway."),
    _T("auth", "escalate", "hubspot_token_expired", "hubspot", "lead-to-project",
       "project_creation", "pull", 401,
       "HubSpot answered 401: The OAuth token used to make this call expired {small} "
       "minute(s) ago."),
    _T("auth", "escalate", "salesforce_session", "salesforce", "contract-to-cash",
       "invoice", "pull", 401, "Salesforce INVALID_SESSION_ID: Session expired or invalid."),
    _T("auth", "escalate", "harvest_token", "harvest", "time-to-billing", "timesheet",
       "pull", 401, "Harvest answered 401: invalid_token (the access token is invalid)."),
    _T("permission", "escalate", "salesforce_access", "salesforce", "contract-to-cash",
       "invoice", "pull", 403,
       "Salesforce INSUFFICIENT_ACCESS_OR_READONLY: insufficient access rights on "
       "object id 001000000000{num}AAA."),
    _T("permission", "escalate", "hubspot_scopes", "hubspot", "lead-to-project",
       "project_creation", "pull", 403,
       "HubSpot answered 403: This app hasn't been granted all required scopes to make "
       "this call (crm.objects.deals.read)."),
    _T("schema_drift", "escalate", "hubspot_property_gone", "hubspot", "lead-to-project",
       "project_creation", "map", None,
       "HubSpot deal payload has no property 'dealstage' any more (properties: "
       "{fields}); the payload shape changed."),
    _T("schema_drift", "escalate", "harvest_header_changed", "harvest", "time-to-billing",
       "timesheet", "map", None,
       "Harvest export header changed: column {column!r} is missing; the import "
       "expects it."),
    _T("schema_drift", "escalate", "clockify_unknown_columns", "clockify",
       "time-to-billing", "timesheet", "map", None,
       "Clockify export has columns this import does not know: [{column!r}]."),
    _T("unknown", "escalate", "lease_lost", "odoo", "{workflow}", "{blocks}", "deliver",
       None, "Worker lost its lease on delivery {num} mid-attempt; the outcome is unknown."),
    _T("unknown", "escalate", "empty_answer", "odoo", "{workflow}", "{blocks}", "deliver",
       200, "Odoo answered 200 with an empty body for {op}."),
]

POOLS: dict[str, list[str]] = {
    "word": ["TBD", "n/a", "twelve thousand", "€12k", "see notes", "-", "pending", "Partner"],
    "cc": ["XX", "UK", "EL", "KO", "Deutschland", "U.S.", "CH-ZH"],
    "client": ["Northwind Traders", "Contoso Ltd", "Fabrikam Consulting", "Tailspin Advisory",
               "Litware Partners", "Adatum Corp", "Globex"],
    "project": ["Website relaunch", "ERP rollout", "Data platform", "Q4 audit",
                "Mobile app v2", "Cloud migration"],
    "cur": ["Euro", "Pfund", "US$", "CHF (Franken)"],
    "field": ["vat", "email", "phone", "job_title", "hourly_cost", "legal_entity", "name"],
    "date": ["2026-11-03", "2026-11-12", "2026-11-19", "2026-11-27", "2026-12-01"],
    "date2": ["2026-11-05", "2026-11-20", "2026-12-02"],
    "date_bad": ["03/12/2026", "2026-13-01", "12.11.2026", "yesterday"],
    "neg": ["-2.0", "0", "-0.25", "-8"],
    "hours": ["7.5", "8.0", "6.25", "4.0"],
    "hours2": ["8.5", "9.0", "3.0", "7.0"],
    "big": ["26.0", "31.5", "48.0", "25.25"],
    "desc": ["meeting", "call with client", "", "misc", "travel"],
    "code": ["P-404", "PRJ-1207", "WEB-77", "ERP-3", "AUD-19"],
    "company": ["Northwind Traders", "Contoso Ltd", "Fabrikam Consulting LLC", "Globex GmbH"],
    "vat": ["BE0477472701", "DE811907980", "GB123456789", "US94-1234567"],
    "op": ["load:res.partner", "load:account.analytic.line", "create:sale.order",
           "action_post:account.move", "load:project.project", "load:hr.employee"],
    "secs": ["10.0", "30.0", "15.0", "60.0"],
    "fields": ["amount, closedate, pipeline", "dealname, amount", "hs_object_id, amount"],
    "column": ["Hours Rounded", "Billable?", "Dauer (dezimal)", "Project Code", "Invoiced?"],
    "workflow": ["lead-to-project", "time-to-billing", "contract-to-cash",
                 "staffing-to-delivery"],
}
BLOCKS_OF = {"lead-to-project": "project_creation", "time-to-billing": "timesheet",
             "contract-to-cash": "invoice", "staffing-to-delivery": "staffing"}


def fill(template: PeerTemplate, rng: random.Random) -> dict[str, str]:
    """Return values for every placeholder, drawn from the pools."""
    values = {name: rng.choice(pool) for name, pool in POOLS.items()}
    values["num"] = str(rng.randint(1000, 9999))
    values["small"] = str(rng.randint(1, 30))
    values["oid"] = str(rng.randint(30, 12000))
    values["inv"] = rng.randint(1, 400)  # type: ignore[assignment]
    values["key"] = f"{template.source}:{rng.randint(6000, 99999)}"
    values["eid"] = f"evt-{rng.randint(10**7, 10**8)}"
    values["blocks"] = BLOCKS_OF[values["workflow"]]
    return values
