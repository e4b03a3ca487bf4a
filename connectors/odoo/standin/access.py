"""Access rights of the non-admin (demo) user, as the recordings show them.

The admin key may do everything. The demo user's key is refused reading
`ir.config_parameter` and modifying `res.company` with the recorded messages
(they name different groups in 18 and 19). Known limitation: the demo user's
other rights are not modelled beyond one extrapolation: it may not create,
change or delete invoices and payments (`account.move`, `account.payment`),
which its recorded groups (Sales, Project, Timesheets) do not grant.
"""

from __future__ import annotations

from opsgate.connectors.odoo.standin.registry import model_specs

_VERBS = {
    "read": "access",
    "write": "modify",
    "create": "create",
    "unlink": "delete",
}

# (model, operation) → group named in the message, per version.
_RULES: dict[tuple[str, str], dict[int, str]] = {
    **{
        ("ir.config_parameter", op): {
            18: "Administration/Settings",
            19: "Role / Administrator",
        }
        for op in _VERBS
    },
    **{
        ("res.company", op): {18: "Administration/Access Rights", 19: "Access Rights"}
        for op in ("write", "create", "unlink")
    },
    **{
        (model, op): {18: "Invoicing/Billing", 19: "Invoicing / Billing"}
        for model in ("account.move", "account.move.line", "account.payment")
        for op in ("write", "create", "unlink")
    },
}


def access_message(version: int, model: str, operation: str) -> str | None:
    """Return the AccessError message for the demo user, or None if allowed."""
    groups = _RULES.get((model, operation))
    if groups is None:
        return None
    description = model_specs()[model].description
    return (
        f"You are not allowed to {_VERBS[operation]} '{description}' ({model}) records."
        "\n\nThis operation is allowed for the following groups:\n"
        f"\t- {groups[19 if version >= 19 else 18]}"
        "\n\nContact your administrator to request access if necessary."
    )
