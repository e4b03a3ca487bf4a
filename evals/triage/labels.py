"""Ground truth for the real Odoo faults: which category and which fix.

The labels follow the category definitions in `evals/cases/triage/README.md`.
They are written by hand, one line per kind of fault, in order: the first
line whose pattern matches the fault's name and message labels it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """What a correct triage concludes about one fault."""

    category: str
    proposal_kind: str
    slug: str
    blocks: str | None = None


_TABLE: list[tuple[str, Label]] = [
    (
        r"AccessDenied|Access Denied|Invalid apikey|not authenticated|Session expired",
        Label("auth", "escalate", "odoo_auth_refused"),
    ),
    (r"Private methods", Label("permission", "escalate", "odoo_private_method")),
    (
        r"You are not allowed to|AccessError",
        Label("permission", "escalate", "odoo_access_error"),
    ),
    (
        r"No matching record found for external id",
        Label("missing_reference", "add_mapping", "odoo_unknown_xmlid_in_load"),
    ),
    (
        r"External ID not found",
        Label("missing_reference", "create_reference", "odoo_external_id_not_found"),
    ),
    (
        r"Record does not exist or has been deleted",
        Label("missing_reference", "create_reference", "odoo_record_missing"),
    ),
    (
        r"not found in selection field",
        Label("mapping", "add_mapping", "odoo_selection_value_unmapped"),
    ),
    (
        r"does not seem to be a valid date|does not match format|unconverted data remains",
        Label("mapping", "replay_with_patch", "odoo_date_format"),
    ),
    (
        r"invalid literal for int|invalid input syntax for type integer",
        Label("mapping", "escalate", "odoo_wrong_value_type"),
    ),
    (
        r"Invalid field|KeyError: 'hubspot|hubspot_owner",
        Label("schema_drift", "replay_with_patch", "odoo_unknown_field"),
    ),
    (
        r"model '.*' does not exist|Object .* doesn't exist|method '.*' does not exist|"
        r"Method not found|Did you mean POST|unexpected keyword argument|"
        r"missing a required argument|cannot call .* with ids|missing \d required positional",
        Label("schema_drift", "escalate", "odoo_api_contract_changed"),
    ),
    (r"Invalid operator", Label("schema_drift", "escalate", "odoo_domain_operator")),
    (
        r"already invoiced|reconciled journal entry|posted journal item|"
        r"confirmed sales order|not in a state requiring confirmation",
        Label("conflict", "skip_with_reason", "odoo_locked_by_state", "invoice"),
    ),
    (
        r"active employee",
        Label("validation", "escalate", "odoo_archived_employee", "timesheet"),
    ),
    (
        r"recursive|Badge ID|mandatory field|Missing required value|probability of closing|"
        r"Invalid language code|register payment wizard",
        Label("validation", "escalate", "odoo_constraint"),
    ),
    (r"cannot marshal None", Label("unknown", "escalate", "odoo_xmlrpc_marshal_none")),
    (
        r"connection to server at|OperationalError",
        Label("unavailable", "retry", "odoo_database_unavailable"),
    ),
    (
        r"could not parse the body|ExpatError|dictionary update sequence|KeyError|TypeError",
        Label("unknown", "escalate", "odoo_malformed_request"),
    ),
]


def label_for(name: str, message: str) -> Label | None:
    """Return the label of a fault, or None when no line matches it."""
    text = f"{name} {message}"
    for pattern, label in _TABLE:
        if re.search(pattern, text):
            return label
    return None
