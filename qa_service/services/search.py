"""Transcript search for a person: inside their visibility, audited (what was searched for is a
question an auditor may ask)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa_service.search import SearchPage, SearchQuery, search_utterances
from qa_service.services.access import Permission, Principal
from qa_service.store import audit
from qa_service.store.states import AuditAction


def search(session: Session, principal: Principal, query: SearchQuery, *, client: str = "") -> SearchPage:
    principal.require(Permission.CALLS_READ)
    page = search_utterances(session, query, principal.visibility)
    audit.record(session, AuditAction.SEARCH, user_id=principal.user_id, client=client,
                 detail={"q": query.text[:200], "role": query.role, "hits": len(page.hits), "offset": query.offset})
    return page
