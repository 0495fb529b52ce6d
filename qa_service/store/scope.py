"""Which calls a person may see, as SQL conditions on ``calls`` (every query the API runs for a
person goes through one). Deny by default: a :class:`Visibility` that names nothing sees nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false

from qa_service.store.models import Call


@dataclass(frozen=True)
class Visibility:
    """Every call (``everything``), the calls of some teams, or one agent's own calls."""

    everything: bool = False
    teams: tuple[str, ...] = ()
    agent_id: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        if self.everything:
            return []
        if self.agent_id is not None:
            return [Call.agent_id == self.agent_id]
        if self.teams:
            return [Call.team.in_(self.teams)]
        return [false()]

    def allows(self, call: Call) -> bool:
        if self.everything:
            return True
        if self.agent_id is not None:
            return call.agent_id == self.agent_id
        return call.team is not None and call.team in self.teams


#: Sees every call (the CLI, workers, admins).
EVERYTHING = Visibility(everything=True)
