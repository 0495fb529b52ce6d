"""Text → index terms, and a person's query → a phrase of terms (pure functions, no database).

The store indexes every utterance's (already redacted) text as ``utterances.search_doc``: the
space-separated terms of :func:`document_terms`. Both backends index that column word by word
(SQLite FTS5 ``unicode61``, PostgreSQL ``to_tsvector('simple', …)``), so a term must be one token to
both tokenisers: terms hold only letters and ASCII digits, lower case.

Normalisation (one character in, at most one out, so every term keeps its place in the original
text): traditional → simplified (OpenCC ``t2s``, character by character), full width → half width
(１２３ＡＢＣ, the ideographic space), lower case, apostrophes dropped (don't → dont). Everything that
is neither a letter nor an ASCII digit separates terms; the redaction mask ``*`` therefore never
becomes a term, so masked digits cannot be searched for.

Terms:

- a run of Latin (or other non-Han) letters and digits is one term (``VIP`` → ``vip``, ``500``),
  at most :data:`MAX_TERM_CHARS` characters (longer runs are cut, in documents and queries alike);
- a run of Han characters — whitespace inside it ignored, any other character ends it — becomes its
  overlapping bigrams followed by its last character alone (信用卡 → 信用 用卡 卡; 卡 → 卡). The
  trailing single character marks where a run ends, which lets one-character runs be searched
  and keeps a phrase from matching across punctuation (信用，卡 → 信用 用 卡 has no 用卡).

A query goes through the same function; a hit is a place where the query's terms occur one after
another in the utterance's terms. The last Han run of a query may continue in the text, so its
trailing single character is dropped (信用 finds 信用卡); when that run is a single character, the
query's last term is a prefix instead (卡 finds 卡号 and a run ending in 卡). Mixed text gives both kinds
of term in reading order (VIP客户 → vip 客户 户).

:func:`find_matches` is the same test on one utterance in Python: the store uses it to confirm what
the index found and to give the character spans to highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from qa_service.errors import InvalidRequest
from qa_service.text import Compose, FullWidthToHalfWidth, ToLowerCase, ToSimplified
from qa_service.text.transforms import CharTransform

#: Longest term kept (characters); longer letter/digit runs are cut to this length.
MAX_TERM_CHARS = 64
#: Longest query accepted (characters of the text as typed).
MAX_QUERY_CHARS = 200
#: Most terms a query may have after normalisation.
MAX_QUERY_TERMS = 64

_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{_HAN_CHARS}]")
_SPACE = re.compile(r"\s")
# a Han run (whitespace inside it ignored), or a run of other letters and digits
_TOKEN = re.compile(f"(?P<han>[{_HAN_CHARS}](?:\\s*[{_HAN_CHARS}])*)|(?P<word>(?:(?![{_HAN_CHARS}])[^\\W_])+)")
_APOSTROPHES = "'’‘`"


class _DropApostrophes(CharTransform):
    def map_char(self, ch: str) -> str:
        return "" if ch in _APOSTROPHES else ch


@lru_cache(maxsize=1)
def _pipeline() -> Compose:
    return Compose([ToSimplified(), FullWidthToHalfWidth(), ToLowerCase(), _DropApostrophes()])


@dataclass(frozen=True)
class Term:
    """One index term and the characters ``text[start:end]`` of the original text it stands for."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class PhraseQuery:
    """A query as the index sees it: terms that must follow one another; with ``prefix`` the last
    term only has to start the term found there (a one-character Han query end)."""

    text: str  # as typed
    terms: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Span:
    """Where a hit lies in an utterance's text: ``text[start:end]``."""

    start: int
    end: int


def _is_han(ch: str) -> bool:
    return _HAN.match(ch) is not None


def _normalised(text: str, tracked: bool) -> tuple[str, list[int] | None]:
    return _pipeline().apply(text, list(range(len(text))) if tracked else None)


def _raw_terms(norm: str) -> list[tuple[str, int, int]]:
    """Terms of normalised text as (term, first character, last character) positions in ``norm``."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(norm):
        start, end = m.span()
        if m.lastgroup == "word":
            end = min(end, start + MAX_TERM_CHARS)
            out.append((norm[start:end], start, end - 1))
            continue
        run = m.group()
        if _SPACE.search(run) is None:  # the usual case
            out.extend((run[k:k + 2], start + k, start + k + 1) for k in range(len(run) - 1))
        else:
            keep = [k for k in range(start, end) if not norm[k].isspace()]
            out.extend((norm[a] + norm[b], a, b) for a, b in pairwise(keep))
        out.append((norm[end - 1], end - 1, end - 1))
    return out


def document_terms(text: str) -> tuple[Term, ...]:
    """The index terms of ``text`` in reading order, each with its span in ``text``."""
    norm, index = _normalised(text, tracked=True)
    assert index is not None
    return tuple(Term(term, index[a], index[b] + 1) for term, a, b in _raw_terms(norm))


def search_doc(text: str) -> str:
    """What ``utterances.search_doc`` holds for an utterance saying ``text``."""
    return " ".join(term for term, _a, _b in _raw_terms(_normalised(text, tracked=False)[0]))


def parse_query(text: str) -> PhraseQuery:
    """The phrase to look for; :class:`InvalidRequest` (field ``q``) when nothing searchable is left."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidRequest(f"the search text is longer than {MAX_QUERY_CHARS} characters", field="q")
    found = list(document_terms(text))
    if not found:
        raise InvalidRequest("the search text has no letters, digits or Chinese characters to look for", field="q")
    prefix = False
    last = found[-1].text
    if _is_han(last):  # the query's last Han run may go on in the text
        if len(found) >= 2 and _is_han(found[-2].text) and len(found[-2].text) == 2 and found[-2].text[1] == last:
            found.pop()  # trailing single character of a longer run
        else:
            prefix = True  # a one-character run: whatever follows it
    elif len(found) == 1 and len(last) < 2:
        raise InvalidRequest("the search text is too short: give at least two letters or digits, or one Chinese "
                             "character", field="q")
    if len(found) > MAX_QUERY_TERMS:
        raise InvalidRequest(f"the search text has more than {MAX_QUERY_TERMS} words or character pairs", field="q")
    return PhraseQuery(text=text, terms=tuple(t.text for t in found), prefix=prefix)


def _term_matches(term: Term, wanted: str, prefix: bool) -> bool:
    return term.text.startswith(wanted) if prefix else term.text == wanted


def find_matches(text: str, query: PhraseQuery) -> tuple[Span, ...]:
    """Where ``query`` occurs in ``text`` (non-overlapping, left to right); empty when it does not."""
    terms = document_terms(text)
    k = len(query.terms)
    spans: list[Span] = []
    p = 0
    while p + k <= len(terms):
        window = terms[p:p + k]
        if all(t.text == w for t, w in zip(window[:-1], query.terms[:-1], strict=True)) and _term_matches(
                window[-1], query.terms[-1], query.prefix):
            last = window[-1]
            end = last.start + len(query.terms[-1]) if query.prefix else last.end
            spans.append(Span(window[0].start, end))
            p += k
            continue
        p += 1
    return tuple(spans)


# --------------------------------------------------------------------------- backend query syntax
def fts5_expression(query: PhraseQuery) -> str:
    """The FTS5 MATCH expression: one quoted phrase (``"信用 用卡"``, ``"卡" *`` for a prefix).

    Terms hold only letters and digits, so nothing in them is FTS5 syntax; quotes are doubled all
    the same, and the expression is always passed as a bound parameter."""
    phrase = '"' + " ".join(t.replace('"', '""') for t in query.terms) + '"'
    return phrase + " *" if query.prefix else phrase


def doc_needle(query: PhraseQuery) -> str:
    """The phrase as a substring of ``" " + search_doc + " "``: terms are space-separated and hold
    no spaces, so the terms follow one another in a document exactly when this occurs in it (with
    a prefix end, the last term only has to start there)."""
    return " " + " ".join(query.terms) + ("" if query.prefix else " ")
