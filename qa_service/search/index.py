"""Transcript search in the store: the phrase index on ``utterances.search_doc`` and the queries on it.

Each utterance row carries ``search_doc``, the terms of its redacted text (:mod:`.terms`), written
by :func:`~qa_service.store.results.save_transcript` (and :func:`reindex` for rows written before).
Migration 0003 indexes it per backend:

- SQLite: ``utterances_fts``, an FTS5 external-content table over ``utterances(search_doc)``
  (tokenizer ``unicode61 remove_diacritics 0``) kept in step by insert/update/delete triggers. A
  search is ``rowid IN (SELECT rowid FROM utterances_fts WHERE utterances_fts MATCH '"t1 t2"')``.
- PostgreSQL: a GIN index on ``to_tsvector('simple', search_doc)``; a search is
  ``to_tsvector('simple', search_doc) @@ phraseto_tsquery('simple', 't1 t2')`` (``<->`` joined with
  ``to_tsquery('simple', '卡:*')`` for a prefix end). The planner either reads the GIN index and sorts
  the (few) hits, or — for a phrase found everywhere — walks the calls newest first and stops at
  the page's end.

The query text only ever reaches SQL as bound parameters, after :func:`~.terms.parse_query` has
reduced it to letters and digits, so neither FTS5 nor tsquery syntax can be injected.

Every search applies the caller's :class:`~qa_service.store.scope.Visibility`. Hits come newest
call first (``calls.started_at`` descending, calls without a start time last on both backends,
then ``calls.id`` descending) and in speaking order within a call, so pages are stable. A page is
read as ``limit + 1`` rows (``has_more``), never counted. The index narrows the candidates; each is
then checked with :func:`~.terms.find_matches` on the stored text, which also gives the spans to
highlight (a candidate that fails the check, which the term design leaves only for utterances
longer than PostgreSQL's 16,383 positions, is left out of its page).

:func:`qa_service.store.backend_only.include_name` hides these per-backend objects (the FTS5 tables,
the expression index) from Alembic's comparison of the database with the ORM models, which cannot describe them.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Text,
    any_,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Session

from qa_service.errors import InvalidRequest
from qa_service.search.query import SearchHit, SearchPage, SearchQuery, checked
from qa_service.search.terms import PhraseQuery, doc_needle, find_matches, fts5_expression, search_doc
from qa_service.store.models import Call, Transcript, UtteranceRow
from qa_service.store.scope import Visibility

log = logging.getLogger(__name__)

#: The SQLite FTS5 table (its shadow tables are ``utterances_fts_*``).
FTS_TABLE = "utterances_fts"
#: The PostgreSQL GIN expression index.
PG_INDEX = "ix_utterances_search_doc_tsv"
#: How many of the newest visible calls a search reads directly before it asks the text index. Small,
#: because every search pays for it: at 100,000 calls of 70 utterances on PostgreSQL a 200-call window
#: cost 12-55 ms per search (a Mandarin one most) against 2-3 ms for 25 calls; a phrase common enough
#: to fill a page from 25 calls is found there, a rarer one goes to the index, which is quick for it.
WINDOW_CALLS = 25
#: A phrase with at least this many hits per call in that window is common: a deeper page of it
#: widens the window (to at most :data:`WIDEST_WINDOW_CALLS` calls) rather than ask the index.
COMMON_HITS_PER_CALL = 0.1
WIDEST_WINDOW_CALLS = 4000

_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")
_fts = table(FTS_TABLE, column("rowid"))


def _tsquery(phrase: PhraseQuery) -> ColumnElement[Any]:
    """Every term of the phrase (``t1 & t2 & q:*``): exact on the GIN index, no recheck needed."""
    body = phrase.terms[:-1] if phrase.prefix else phrase.terms
    parts: list[ColumnElement[Any]] = []
    if body:
        parts.append(func.plainto_tsquery(_SIMPLE, literal(" ".join(body), Text)))
    if phrase.prefix:
        parts.append(func.to_tsquery(_SIMPLE, literal(phrase.terms[-1] + ":*", Text)))
    return parts[0] if len(parts) == 1 else parts[0].op("&&")(parts[1])


def phrase_condition(dialect: str, phrase: PhraseQuery) -> ColumnElement[bool]:
    """True where the phrase's terms follow one another in ``search_doc`` (a substring test, exact
    and cheap, but no index serves it)."""
    padded = literal(" ", Text) + UtteranceRow.search_doc + literal(" ", Text)
    find = func.strpos if dialect == "postgresql" else func.instr
    return find(padded, literal(doc_needle(phrase), Text)) > 0


def index_condition(dialect: str, phrase: PhraseQuery) -> ColumnElement[bool]:
    """True for the rows the backend's text index finds for ``phrase`` (on PostgreSQL every row
    holding all its terms: :func:`phrase_condition` then keeps those where they are in order)."""
    if dialect == "postgresql":
        return func.to_tsvector(_SIMPLE, UtteranceRow.search_doc).bool_op("@@")(_tsquery(phrase))
    if dialect == "sqlite":
        match = text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=fts5_expression(phrase))
        return UtteranceRow.id.in_(select(_fts.c.rowid).where(match))
    raise NotImplementedError(f"transcript search is not built for {dialect}")


def _call_conditions(query: SearchQuery, visibility: Visibility) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = list(visibility.conditions())
    if query.team is not None:
        cond.append(Call.team == query.team)
    if query.agent_id is not None:
        cond.append(Call.agent_id == query.agent_id)
    if query.date_from is not None:
        cond.append(Call.local_date >= query.date_from)
    if query.date_to is not None:
        cond.append(Call.local_date <= query.date_to)
    if query.language is not None:
        lang = query.language.lower()  # checked: letters, digits and hyphens only
        stored = func.lower(Transcript.language)
        cond.append(select(Transcript.call_pk).where(Transcript.call_pk == Call.id,
                                                     or_(stored == lang, stored.like(lang + "-%"))).exists())
    return cond


_CALL_ORDER = (Call.started_at.desc().nulls_last(), Call.id.desc())


def _among(dialect: str, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter however many ids."""
    if dialect == "postgresql":
        return column == any_(literal(ids, ARRAY(BigInteger)))
    return column.in_(ids)


def _newest_calls(session: Session, call_cond: list[ColumnElement[bool]], n: int) -> list[int]:
    """The first ``n`` calls in hit order. Calls with a start time and those without are read apart,
    so that the first read can walk ``ix_calls_started_at`` backwards instead of sorting every call."""
    timed = list(session.scalars(select(Call.id).where(*call_cond, Call.started_at.is_not(None))
                                 .order_by(Call.started_at.desc(), Call.id.desc()).limit(n)))
    if len(timed) == n:
        return timed
    untimed = session.scalars(select(Call.id).where(*call_cond, Call.started_at.is_(None))
                              .order_by(Call.id.desc()).limit(n - len(timed)))
    return timed + list(untimed)


def _hits(session: Session, query: SearchQuery, call_cond: list[ColumnElement[bool]],
          utterance_cond: list[ColumnElement[bool]], *, offset: int, limit: int) -> list[Any]:
    role = [UtteranceRow.role == query.role] if query.role is not None else []
    stmt = (
        select(UtteranceRow.idx, UtteranceRow.role, UtteranceRow.speaker, UtteranceRow.start_s, UtteranceRow.end_s,
               UtteranceRow.text, Call.call_id, Call.started_at, Call.agent_id, Call.team)
        .join(Call, Call.id == UtteranceRow.call_pk)
        .where(*utterance_cond, *role, *call_cond)
        .order_by(*_CALL_ORDER, UtteranceRow.idx)
        .limit(limit).offset(offset)
    )
    return list(session.execute(stmt).all())


def _from_newest(session: Session, query: SearchQuery, phrase: PhraseQuery, call_cond: list[ColumnElement[bool]],
                 window: int, dialect: str) -> list[Any] | None:
    """The rows up to the end of the page when the newest calls hold them (or are all the calls
    there are); None when the text index should look instead."""
    wanted = query.offset + query.limit + 1
    in_order = phrase_condition(dialect, phrase)
    n = window
    while True:
        newest = _newest_calls(session, call_cond, n)
        rows = _hits(session, query, [*call_cond, _among(dialect, Call.id, newest)],
                     [_among(dialect, UtteranceRow.call_pk, newest), in_order], offset=0, limit=wanted)
        if len(rows) >= wanted or len(newest) < n:
            return rows
        # A phrase this common has too many hits for the index to read them all; a deeper page
        # of it is reached by reading more of the newest calls, while they stay few.
        need = int(n * wanted / len(rows) * 1.25) + 1 if len(rows) >= COMMON_HITS_PER_CALL * n else None
        if need is None or n >= WIDEST_WINDOW_CALLS:
            return None
        n = min(need, WIDEST_WINDOW_CALLS)


def search_utterances(session: Session, query: SearchQuery, visibility: Visibility, *,
                      window: int = WINDOW_CALLS) -> SearchPage:
    """One page of the utterances inside ``visibility`` where ``query``'s phrase occurs.

    First the newest ``window`` calls the caller may see (and that pass the filters) are read
    utterance by utterance; when they hold the page (or are all there is), that is the answer, so
    a phrase found in every call costs no more than a rare one. A common phrase whose page lies
    deeper widens that window (up to :data:`WIDEST_WINDOW_CALLS`); any other phrase goes to the
    text index, which finds its (then few) hits among all calls. Raises
    :class:`~qa_service.errors.InvalidRequest` for a query with nothing to search for or a filter
    out of range."""
    phrase = checked(query)
    if window < 1:
        raise InvalidRequest("window must be at least 1", field="window")
    dialect = session.get_bind().dialect.name
    call_cond = _call_conditions(query, visibility)
    rows = _from_newest(session, query, phrase, call_cond, window, dialect)
    if rows is None:
        rows = _hits(session, query, call_cond, [index_condition(dialect, phrase), phrase_condition(dialect, phrase)],
                     offset=query.offset, limit=query.limit + 1)
    else:
        rows = rows[query.offset:]
    hits: list[SearchHit] = []
    for idx, role, speaker, start_s, end_s, said, call_id, started_at, agent_id, team in rows[:query.limit]:
        spans = find_matches(said, phrase)
        if not spans:  # search_doc out of step with the text (written by another version): skip it
            log.warning("search: %s#%s matched %r in search_doc but not in its text", call_id, idx, phrase.terms)
            continue
        hits.append(SearchHit(call_id=call_id, utterance_index=idx, role=role, speaker=speaker, start_s=start_s,
                              end_s=end_s, text=said, matches=spans, started_at=started_at, agent_id=agent_id,
                              team=team))
    return SearchPage(query=query.text, limit=query.limit, offset=query.offset, has_more=len(rows) > query.limit,
                      hits=tuple(hits))


def reindex(session: Session, *, batch: int = 1000) -> int:
    """Recompute ``search_doc`` for every utterance row, ``batch`` rows at a time (by id); returns
    how many rows changed. Never commits (the FTS5 triggers keep SQLite's index in step)."""
    if batch < 1:
        raise InvalidRequest("batch must be at least 1", field="batch")
    changed, last = 0, 0
    while True:
        rows = session.execute(select(UtteranceRow.id, UtteranceRow.text, UtteranceRow.search_doc)
                               .where(UtteranceRow.id > last).order_by(UtteranceRow.id).limit(batch)).all()
        if not rows:
            return changed
        last = rows[-1].id
        updates = [{"id": r.id, "search_doc": doc} for r in rows if (doc := search_doc(r.text)) != r.search_doc]
        if updates:
            session.execute(update(UtteranceRow), updates)  # ORM bulk update by primary key
            changed += len(updates)
