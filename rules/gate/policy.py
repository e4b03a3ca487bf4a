"""The gate's policy: who someone is, and what a proposal needs."""

from __future__ import annotations

from opsgate.rules.gate.errors import GateRefusal, RefusalReason
from opsgate.rules.gate.kinds import KINDS
from opsgate.rules.gate.roles import MACHINE_ACTORS, Principal
from opsgate.rules.gate.settings import GateSettings
from opsgate.rules.store.statuses import RiskLevel
from opsgate.rules.store.tables import Proposal


def resolve(settings: GateSettings, name: str) -> Principal:
    """Return who `name` is according to the settings."""
    if name in MACHINE_ACTORS:
        return Principal(name=name, role=None, is_person=False)
    if name in settings.service_accounts:
        return Principal(
            name=name, role=settings.service_accounts[name], is_person=False
        )
    return Principal(name=name, role=settings.people.get(name), is_person=True)


def approvals_needed(settings: GateSettings, proposal: Proposal) -> int:
    """Return how many different people must approve `proposal`."""
    if proposal.risk == RiskLevel.HIGH:
        return max(settings.high_risk_approvals, 1)
    return 1


def needs_approval(settings: GateSettings, kind: str) -> bool:
    """Return whether `kind` needs approval; unknown kinds always do."""
    return kind not in KINDS or kind not in settings.no_approval_kinds


def default_risk(settings: GateSettings, kind: str) -> RiskLevel:
    """Return the risk of `kind` from the settings; unlisted kinds are high."""
    return settings.risk_by_kind.get(kind, RiskLevel.HIGH)


def require_approver(
    settings: GateSettings, principal: Principal, proposal: Proposal
) -> None:
    """Refuse unless `principal` may approve `proposal`."""
    if not principal.is_person:
        raise GateRefusal(
            f"Approval by {principal.name!r} refused: only people approve, and "
            f"{principal.name!r} is a machine account.",
            reason=RefusalReason.NOT_A_PERSON,
            proposal_id=proposal.id,
        )
    allowed = settings.approve_roles.get(proposal.risk, frozenset())
    if principal.role not in allowed:
        raise GateRefusal(
            f"Approval by {principal.name!r} refused: role "
            f"{_role_name(principal)!r} may not approve a {proposal.risk.value}-risk "
            f"proposal (allowed: {', '.join(sorted(allowed)) or 'nobody'}).",
            reason=RefusalReason.ROLE_NOT_ALLOWED,
            proposal_id=proposal.id,
        )


def require_role(
    principal: Principal, allowed: frozenset[str], *, verb: str, proposal_id: int
) -> None:
    """Refuse unless `principal` holds one of the `allowed` roles."""
    if principal.role in allowed:
        return
    raise GateRefusal(
        f"{verb.capitalize()} by {principal.name!r} refused: role "
        f"{_role_name(principal)!r} may not {verb} proposals "
        f"(allowed: {', '.join(sorted(allowed))}).",
        reason=RefusalReason.ROLE_NOT_ALLOWED,
        proposal_id=proposal_id,
    )


def _role_name(principal: Principal) -> str:
    return principal.role.value if principal.role else "none (not in settings)"
