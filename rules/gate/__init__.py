"""The gate: proposals are executed only with approvals from allowed people.

    propose()  → Proposal (pending, with preview, risk, record version)
    approve()  → GateResult (approved once enough different people said yes)
    reject()   → GateResult
    execute()  → GateResult (runs the kind's executor, audits the outcome)

Every refusal raises `GateRefusal` with a message that says why.
"""

from opsgate.rules.gate.approval import approve, reject
from opsgate.rules.gate.decision import ResumeDecision, apply_decision
from opsgate.rules.gate.errors import GateError, GateRefusal
from opsgate.rules.gate.execution import execute
from opsgate.rules.gate.proposal import propose
from opsgate.rules.gate.result import GateResult
from opsgate.rules.gate.roles import Role
from opsgate.rules.gate.settings import GateSettings

__all__ = [
    "GateError",
    "GateRefusal",
    "GateResult",
    "GateSettings",
    "ResumeDecision",
    "Role",
    "apply_decision",
    "approve",
    "execute",
    "propose",
    "reject",
]
