"""Who may do what: the permission of each action, the roles that hold it, and which calls a person
sees. Deny by default — a permission no role lists is held by no one, and a person's
:class:`~qa_service.store.scope.Visibility` names exactly the calls they may see (supervisors and
trainers: their teams; agents: their own calls; admins and auditors: all).

Every API route declares the one permission it needs (``tests/api/test_authorization.py`` walks
every route × every role against this table)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qa_service.errors import PermissionDenied
from qa_service.store.scope import EVERYTHING, Visibility
from qa_service.store.states import UserRole


class Permission(StrEnum):
    CALLS_READ = "calls.read"  # queue, call detail, transcript, search
    AUDIO_LISTEN = "audio.listen"  # play recorded calls (PII bleeped unless the user has pii_access)
    CALLS_REVIEW = "calls.review"  # submit reviews and overrides
    CALLS_CORRECT = "calls.correct"  # swap agent/customer roles, re-assess
    CALLS_UPLOAD = "calls.upload"  # upload recordings
    REPORTS_READ = "reports.read"  # centre statistics
    AUDIT_READ = "audit.read"  # the audit log
    USERS_MANAGE = "users.manage"  # add, disable, change users
    CALLS_RESPOND = "calls.respond"  # an agent acknowledges or disputes their own call's result
    DISPUTES_READ = "disputes.read"  # list disputes (agents: their own)
    DISPUTES_RESOLVE = "disputes.resolve"  # accept or reject a dispute
    CALIBRATION_MANAGE = "calibration.manage"  # send calls to reviewers, read and close the report
    CALIBRATION_RATE = "calibration.rate"  # score a call blind in a session one was asked to
    COACHING_READ = "coaching.read"  # coaching sets and their exports
    COACHING_MANAGE = "coaching.manage"  # make and change coaching sets
    COMPLIANCE_READ = "compliance.read"  # adherence per item, forbidden-phrase occurrences
    GRADES_READ = "grades.read"  # agent scorecards, rankings and grades
    GRADES_MANAGE = "grades.manage"  # configure the grade bands
    LIVE_MONITOR = "live.monitor"  # the live board and listening in on calls in progress
    SELF = "self"  # one's own account (who am I, log out)


R = UserRole
GRANTS: dict[Permission, frozenset[UserRole]] = {
    Permission.CALLS_READ: frozenset({R.ADMIN, R.SUPERVISOR, R.TRAINER, R.AUDITOR, R.AGENT}),
    Permission.AUDIO_LISTEN: frozenset({R.ADMIN, R.SUPERVISOR, R.TRAINER, R.AUDITOR, R.AGENT}),
    Permission.CALLS_REVIEW: frozenset({R.ADMIN, R.SUPERVISOR}),
    Permission.CALLS_CORRECT: frozenset({R.ADMIN, R.SUPERVISOR}),
    Permission.CALLS_UPLOAD: frozenset({R.ADMIN, R.SUPERVISOR}),
    Permission.REPORTS_READ: frozenset({R.ADMIN, R.SUPERVISOR, R.AUDITOR}),
    Permission.AUDIT_READ: frozenset({R.ADMIN, R.AUDITOR}),
    Permission.USERS_MANAGE: frozenset({R.ADMIN}),
    Permission.CALLS_RESPOND: frozenset({R.AGENT}),
    Permission.DISPUTES_READ: frozenset({R.ADMIN, R.SUPERVISOR, R.AUDITOR, R.AGENT}),
    Permission.DISPUTES_RESOLVE: frozenset({R.ADMIN, R.SUPERVISOR}),
    Permission.CALIBRATION_MANAGE: frozenset({R.ADMIN, R.SUPERVISOR}),
    Permission.CALIBRATION_RATE: frozenset({R.ADMIN, R.SUPERVISOR, R.TRAINER}),
    Permission.COACHING_READ: frozenset({R.ADMIN, R.SUPERVISOR, R.TRAINER}),
    Permission.COACHING_MANAGE: frozenset({R.ADMIN, R.TRAINER}),
    Permission.COMPLIANCE_READ: frozenset({R.ADMIN, R.SUPERVISOR, R.AUDITOR}),
    Permission.GRADES_READ: frozenset({R.ADMIN, R.SUPERVISOR, R.AUDITOR}),
    Permission.GRADES_MANAGE: frozenset({R.ADMIN}),
    Permission.LIVE_MONITOR: frozenset({R.ADMIN, R.SUPERVISOR}),
    Permission.SELF: frozenset(R),
}


@dataclass(frozen=True)
class Principal:
    """A signed-in person, as the services see them."""

    user_id: int
    username: str
    role: UserRole
    teams: tuple[str, ...] = ()
    agent_id: str | None = None
    pii_access: bool = False
    display_name: str = ""

    def can(self, permission: Permission) -> bool:
        return self.role in GRANTS.get(permission, frozenset())

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"a {self.role.value} may not do this ({permission.value})",
                                   permission=permission.value, role=self.role.value)

    @property
    def visibility(self) -> Visibility:
        if self.role in (R.ADMIN, R.AUDITOR):
            return EVERYTHING
        if self.role is R.AGENT:
            return Visibility(agent_id=self.agent_id) if self.agent_id else Visibility()
        return Visibility(teams=self.teams)


def roles_with(permission: Permission) -> frozenset[UserRole]:
    return GRANTS.get(permission, frozenset())
