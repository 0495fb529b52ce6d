"""What a person asks the transcript search for (:class:`SearchQuery`) and what comes back
(:class:`SearchHit` in a :class:`SearchPage`). Plain frozen dataclasses; :func:`checked` turns a
request into the phrase to look for, or raises :class:`~qa_service.errors.InvalidRequest`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from qa_service.errors import InvalidRequest
from qa_service.search.terms import PhraseQuery, Span, parse_query

#: Hits per page: default and most.
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: Deepest offset served (a page further on costs a scan that long; narrow the search instead).
MAX_OFFSET = 10_000
#: Roles a search may be limited to.
ROLES = ("agent", "customer")

_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")


@dataclass(frozen=True)
class SearchQuery:
    """A phrase to find in the stored (redacted) utterances, with optional filters.

    ``role`` limits it to what agents or customers said; ``language`` to calls whose transcript has
    that language (``zh`` also matches ``zh-cn``); ``date_from``/``date_to`` (inclusive) are the call
    centre's local call dates; ``team`` and ``agent_id`` narrow further inside the caller's visibility.
    """

    text: str
    role: str | None = None
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    team: str | None = None
    agent_id: str | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class SearchHit:
    """One utterance where the phrase occurs; ``matches`` are spans of ``text`` to highlight."""

    call_id: str
    utterance_index: int
    role: str
    speaker: str
    start_s: float
    end_s: float
    text: str  # as stored: redacted
    matches: tuple[Span, ...]
    started_at: datetime | None
    agent_id: str | None
    team: str | None


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, newest calls first and in speaking order within a call. There is no total
    (it would mean counting every hit); ``has_more`` says whether a next page exists."""

    query: str
    limit: int
    offset: int
    has_more: bool
    hits: tuple[SearchHit, ...]


def checked(query: SearchQuery) -> PhraseQuery:
    """The phrase of ``query`` once its filters are known to be in range."""
    if query.role is not None and query.role not in ROLES:
        raise InvalidRequest(f"role must be one of {', '.join(ROLES)}", field="role")
    if query.language is not None and not _LANGUAGE.fullmatch(query.language.lower()):
        raise InvalidRequest("language must be a language code such as zh or en-US", field="language")
    if query.date_from is not None and query.date_to is not None and query.date_from > query.date_to:
        raise InvalidRequest("date_from is after date_to", field="date_from")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if not 0 <= query.offset <= MAX_OFFSET:
        raise InvalidRequest(f"offset must be between 0 and {MAX_OFFSET}", field="offset")
    return parse_query(query.text)
