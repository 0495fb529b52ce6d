"""Transcript search: phrase search in the redacted Mandarin and English utterances, by role and
inside a person's visibility, with hits that point at a call and a time (:func:`search_utterances`).

:mod:`.terms` turns text into index terms and a query into a phrase (pure); :mod:`.query` holds the
request and result types; :mod:`.index` runs the search on SQLite (FTS5) or PostgreSQL (GIN).
"""

from qa_service.search.index import (
    FTS_TABLE,
    PG_INDEX,
    WINDOW_CALLS,
    index_condition,
    phrase_condition,
    reindex,
    search_utterances,
)
from qa_service.search.query import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_OFFSET,
    SearchHit,
    SearchPage,
    SearchQuery,
    checked,
)
from qa_service.search.terms import (
    PhraseQuery,
    Span,
    Term,
    doc_needle,
    document_terms,
    find_matches,
    fts5_expression,
    parse_query,
    search_doc,
)

__all__ = [
    "DEFAULT_LIMIT",
    "FTS_TABLE",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "PG_INDEX",
    "WINDOW_CALLS",
    "PhraseQuery",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "Span",
    "Term",
    "checked",
    "doc_needle",
    "document_terms",
    "find_matches",
    "fts5_expression",
    "index_condition",
    "parse_query",
    "phrase_condition",
    "reindex",
    "search_doc",
    "search_utterances",
]
