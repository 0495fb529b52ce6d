"""Phrase search in Mandarin and English transcripts; hits link to a call and a time."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import Client, Context, Require
from qa_service.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, SearchPage, SearchQuery
from qa_service.services import search as search_service
from qa_service.services.access import Permission, Principal

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchPage, summary="Phrase search in transcripts (by role)")
def search(principal: Annotated[Principal, Depends(Require(Permission.CALLS_READ))], ctx: Context, client: Client,
           q: Annotated[str, Query(min_length=1, max_length=200, description="A phrase: 挂失 or 'lost card'")],
           role: Annotated[str | None, Query(pattern="^(agent|customer)$")] = None,
           language: Annotated[str | None, Query(pattern="^(zh|en)$")] = None,
           date_from: date | None = None, date_to: date | None = None,
           team: Annotated[str | None, Query(max_length=64)] = None,
           agent_id: Annotated[str | None, Query(max_length=64)] = None,
           limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
           offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> SearchPage:
    query = SearchQuery(text=q, role=role, language=language, date_from=date_from, date_to=date_to, team=team,
                        agent_id=agent_id, limit=limit, offset=offset)
    with ctx.session() as session:
        return search_service.search(session, principal, query, client=client)
