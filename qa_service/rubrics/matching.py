"""Phrase matching that survives recognition errors.

A phrase is compared with an utterance after both went through the same normalisation
(:func:`qa_service.text.normalize_for_matching`), pattern variables turned into slot characters.
In order of preference:

1. *exact*: the normalised phrase occurs in the utterance (whole words in English);
2. *homophone* (Mandarin): the phrase's pinyin key occurs in the utterance's key (建社银行 = 建设银行);
3. *fuzzy*: the best local alignment of the phrase with a stretch of the utterance, scored 0..100
   (indel similarity), on characters and, for Mandarin, on pinyin keys; only for phrases long enough
   for a fuzzy score to mean something (:data:`FUZZY_MIN_LENGTH`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from qa_service.rubrics.schema import Phrase, Slot
from qa_service.text import is_chinese, normalize_for_matching, pinyin_key
from qa_service.text.transforms import Index

#: Shorter phrases (normalised characters) match only exactly or by sound.
FUZZY_MIN_LENGTH = {"zh": 4, "en": 6}
#: First slot character (private use; survives normalisation).
SLOT_BASE = 0xE000


@dataclass(frozen=True)
class PhraseMatch:
    """Where a phrase matched in a normalised text: ``text[start:end]``, with a 0..100 score."""

    score: float
    start: int
    end: int
    method: str  # "exact", "homophone", "fuzzy" or "fuzzy-pinyin"


def fuzzy_min_length(language: str) -> int:
    return FUZZY_MIN_LENGTH["zh"] if is_chinese(language) else FUZZY_MIN_LENGTH["en"]


def key_of(norm: str, language: str) -> str:
    return pinyin_key(norm) if is_chinese(language) else norm


def compile_phrase(text: str, language: str, slots: Sequence[Slot] = ()) -> Phrase:
    """Normalise a phrase whose pattern variables are written ``{name}``."""
    marked = text
    for slot in slots:
        marked = marked.replace("{" + slot.name + "}", slot.char)
    norm = normalize_for_matching(marked, language)
    return Phrase(
        text=text, norm=norm, key=key_of(norm, language), fuzzy=len(norm) >= fuzzy_min_length(language)
    )


@lru_cache(maxsize=64)
def _slot_patterns(slots: tuple[Slot, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(s.regex), s.char) for s in slots)


def apply_slots(norm: str, slots: tuple[Slot, ...], index: Index | None = None) -> tuple[str, Index | None]:
    """Replace text matching each pattern variable by its slot character; where matches of two
    variables overlap, the longer wins (``3260元`` is an amount, not a four-digit job number)."""
    if not slots:
        return norm, index
    found = [
        (m.start(), m.end(), char)
        for pattern, char in _slot_patterns(slots)
        for m in pattern.finditer(norm)
        if m.end() > m.start()
    ]
    if not found:
        return norm, index
    chosen: list[tuple[int, int, str]] = []
    for start, end, char in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, char))
    chosen.sort()
    parts: list[str] = []
    new_index: Index | None = [] if index is not None else None
    pos = 0
    for start, end, char in chosen:
        parts.append(norm[pos:start])
        parts.append(char)
        if new_index is not None and index is not None:
            new_index.extend(index[pos:start])
            new_index.append(index[start])
        pos = end
    parts.append(norm[pos:])
    if new_index is not None and index is not None:
        new_index.extend(index[pos:])
    return "".join(parts), new_index


def exact_spans(
    needle: str, hay: str, words: bool, lo: int = 0, hi: int | None = None
) -> list[tuple[int, int]]:
    """Every occurrence of ``needle`` in ``hay[lo:hi]``; with ``words``, only at word boundaries (a
    space, a newline or either end). A plain loop over :meth:`str.find`: this runs for every phrase
    of every rubric on every call."""
    if not needle:
        return []
    size = len(hay)
    hi = size if hi is None else hi
    pos = hay.find(needle, lo, hi)
    if pos < 0:
        return []
    n = len(needle)
    out: list[tuple[int, int]] = []
    while pos >= 0:
        end = pos + n
        if not words or ((pos == 0 or hay[pos - 1] in " \n") and (end == size or hay[end] in " \n")):
            out.append((pos, end))
        pos = hay.find(needle, pos + 1, hi)
    return out


def iter_exact(needle: str, hay: str, words: bool) -> Iterator[tuple[int, int]]:
    """Every occurrence of ``needle`` in ``hay`` (see :func:`exact_spans`)."""
    return iter(exact_spans(needle, hay, words))


def exact_or_homophone(
    phrase: Phrase, norm: str, key: str, chinese: bool, lo: int = 0, hi: int | None = None
) -> list[tuple[int, int, str]]:
    """Exact occurrences (method "exact"), then, in Mandarin, same-sounding ones ("homophone"),
    within ``[lo, hi)``."""
    out = [(s, e, "exact") for s, e in exact_spans(phrase.norm, norm, not chinese, lo, hi)]
    if chinese:
        found = exact_spans(phrase.key, key, False, lo, hi)
        if found:
            seen = {s for s, _, _ in out}
            out.extend((s, e, "homophone") for s, e in found if s not in seen)
    return out


def find_exact(phrase: Phrase, norm: str, key: str, language: str) -> PhraseMatch | None:
    """The first exact (or, in Mandarin, same-sounding) occurrence of ``phrase``."""
    for start, end, method in exact_or_homophone(phrase, norm, key, is_chinese(language)):
        return PhraseMatch(100.0, start, end, method)
    return None


def coverage_score(needle: str, window: str) -> float:
    """100 × (longest common subsequence) / (the longer of the two): a dropped, added or wrong
    character costs one character's share, and a window that covers only part of the phrase scores
    only the part it covers."""
    if not needle or not window:
        return 0.0
    return 100.0 * LCSseq.similarity(needle, window) / max(len(needle), len(window))


#: Window adjustments tried around rapidfuzz's fixed-length alignment (a dropped or inserted
#: character at either end, or two at the end).
_REFINE = ((0, 0), (0, -1), (0, 1), (1, 0), (-1, 0), (1, 1), (-1, -1), (0, -2), (0, 2), (-1, 1), (1, -1))


def _local_alignment(needle: str, hay: str, cutoff: float) -> tuple[float, int, int] | None:
    """The stretch of ``hay`` that best matches ``needle`` by :func:`coverage_score`, if it scores at
    least ``cutoff``. rapidfuzz locates the best fixed-length window; windows a character or two
    longer or shorter are then tried."""
    if not needle or not hay:
        return None
    h = len(hay)
    found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=max(0.0, cutoff - 20))
    if found is None:
        return None
    if len(hay) < len(needle):
        center_start, center_end = 0, h
    else:
        center_start, center_end = found.dest_start, found.dest_end
    best: tuple[float, int, int] | None = None
    for ds, de in _REFINE:
        start, end = center_start + ds, min(h, center_end + de)
        if start < 0 or end <= start:
            continue
        score = coverage_score(needle, hay[start:end])
        if score >= cutoff and (best is None or score > best[0]):
            best = (score, start, end)
    return best


def _word_bounds(hay: str, start: int, end: int) -> str:
    while start > 0 and hay[start - 1] not in " \n":
        start -= 1
    while end < len(hay) and hay[end] not in " \n":
        end += 1
    return hay[start:end]


def _content_words_present(needle: str, text: str) -> bool:
    """Every word of four or more letters in ``needle`` is in ``text`` (spelled within 75%, or split
    across two words: "call ing")."""
    words = text.split()
    pairs = [a + b for a, b in itertools.pairwise(words)]
    for word in needle.split():
        if len(word) < 4 or word in words:
            continue
        if not any(fuzz.ratio(word, w, score_cutoff=75) for w in (*words, *pairs)):
            return False
    return True


def find_fuzzy(phrase: Phrase, norm: str, key: str, language: str, cutoff: float) -> PhraseMatch | None:
    """The best fuzzy alignment scoring at least ``cutoff`` (characters, then pinyin keys). In
    English every content word of the phrase must be there too, so "thank you for holding" is not
    taken for "thank you for calling"."""
    best: PhraseMatch | None = None
    found = _local_alignment(phrase.norm, norm, cutoff)
    if found:
        best = PhraseMatch(found[0], found[1], found[2], "fuzzy")
    if is_chinese(language):
        found = _local_alignment(phrase.key, key, max(cutoff, best.score if best else 0.0))
        if found and (best is None or found[0] > best.score):
            best = PhraseMatch(found[0], found[1], found[2], "fuzzy-pinyin")
    elif best is not None and not _content_words_present(
        phrase.norm, _word_bounds(norm, best.start, best.end)
    ):
        return None
    return best


def find_phrase(phrase: Phrase, norm: str, key: str, language: str, cutoff: float) -> PhraseMatch | None:
    """Exact, then homophone, then (for long enough phrases) fuzzy."""
    exact = find_exact(phrase, norm, key, language)
    if exact is not None or not phrase.fuzzy:
        return exact
    return find_fuzzy(phrase, norm, key, language, cutoff)


def covered(span: tuple[int, int], phrases: Sequence[Phrase], norm: str, key: str, chinese: bool) -> bool:
    """True when ``span`` lies inside an exact (or same-sounding) occurrence of one of ``phrases``."""
    for phrase in phrases:
        for start, end in iter_exact(phrase.norm, norm, not chinese):
            if start <= span[0] and span[1] <= end:
                return True
        if chinese:
            for start, end in iter_exact(phrase.key, key, False):
                if start <= span[0] and span[1] <= end:
                    return True
    return False
