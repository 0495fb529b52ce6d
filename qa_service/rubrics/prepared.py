"""A call made ready for matching: every utterance normalised once, spans mapped back to words.

All utterances of a call are normalised in one pass (joined by a private-use separator that every
transform leaves alone), and each role's utterances are joined again with newlines so a phrase is
searched once per call rather than once per utterance.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from qa_service.domain import CallTranscript, Evidence, Role, Utterance
from qa_service.rubrics.matching import apply_slots, exact_or_homophone, key_of
from qa_service.rubrics.schema import Phrase, Slot
from qa_service.text import is_chinese, matching_pipeline
from qa_service.text.transforms import Index

_SEP = "\x00"  # between utterances in the batch normalisation; survives every transform


def source_text(utterance: Utterance, language: str) -> str:
    """The text matched against: the recognised words joined, or the utterance text. Mandarin words
    are concatenated as they are (spaces are dropped by normalisation anyway); English words are
    stripped and joined by single spaces."""
    if not utterance.words:
        return utterance.text
    if is_chinese(language):
        return "".join([w.text for w in utterance.words])
    return " ".join([w.text.strip() for w in utterance.words])


def word_spans(utterance: Utterance, language: str) -> tuple[tuple[int, int], ...]:
    """Each word's character span in :func:`source_text`."""
    chinese = is_chinese(language)
    spans = []
    pos = 0
    for i, word in enumerate(utterance.words):
        text = word.text if chinese else word.text.strip()
        if i and not chinese:
            pos += 1
        spans.append((pos, pos + len(text)))
        pos += len(text)
    return tuple(spans)


@dataclass
class PreparedUtterance:
    position: int  # index into the transcript's utterances
    utterance: Utterance
    source: str
    norm: str
    key: str
    _index: Index | None = field(default=None, repr=False)
    _spans: tuple[tuple[int, int], ...] | None = field(default=None, repr=False)

    @property
    def role(self) -> Role:
        return self.utterance.role


@dataclass(frozen=True)
class _Joined:
    """One role's utterances joined by newlines, for one search per phrase per call."""

    utterances: tuple[PreparedUtterance, ...]
    offsets: tuple[int, ...]
    norm: str
    key: str


def _strip_tail(text: str) -> str:
    end = len(text)
    while end > 1 and (text[end - 1].isspace() or unicodedata.category(text[end - 1])[0] in "PS"):
        end -= 1
    return text[:end]


def _normalise_all(sources: list[str], language: str, slots: tuple[Slot, ...]) -> tuple[list[str], list[str]]:
    """Normalised text and pinyin key of every utterance, computed on all of them at once."""
    if not sources:
        return [], []
    pipeline = matching_pipeline(language)
    chinese = is_chinese(language)
    batch, _ = pipeline.apply(_SEP.join(sources))
    if slots:
        batch, _ = apply_slots(batch, slots)
    norms = batch.split(_SEP)
    if len(norms) != len(sources):  # a separator got lost (a NUL in the text, a slot regex eating it)
        norms = [apply_slots(pipeline.apply(s)[0], slots)[0] for s in sources]
        return norms, [key_of(n, language) for n in norms]
    if not chinese:
        norms = [n.strip() for n in norms]
        return norms, norms
    keys = key_of(batch, language).split(_SEP)
    return norms, keys


class PreparedCall:
    """The utterances of one call, normalised for one rubric's language and pattern variables."""

    def __init__(self, transcript: CallTranscript, language: str, slots: tuple[Slot, ...] = ()) -> None:
        self.transcript = transcript
        self.language = language
        self.chinese = is_chinese(language)
        self.slots = slots
        ends = [u.end for u in transcript.utterances]
        self.duration = max([transcript.duration, *ends]) if ends else transcript.duration
        sources = [source_text(u, language) for u in transcript.utterances]
        norms, keys = _normalise_all(sources, language, slots)
        self.utterances = [
            PreparedUtterance(i, u, src, norm, key)
            for i, (u, src, norm, key) in enumerate(
                zip(transcript.utterances, sources, norms, keys, strict=True)
            )
        ]
        self._joined: dict[Role | None, _Joined] = {}

    def by_role(self, role: Role | None) -> tuple[PreparedUtterance, ...]:
        """Utterances of ``role`` (all utterances for ``None``), in transcript order."""
        return self.joined(role).utterances

    def joined(self, role: Role | None) -> _Joined:
        if role not in self._joined:
            utts = tuple(u for u in self.utterances if role is None or u.role == role)
            offsets, pos = [], 0
            for u in utts:
                offsets.append(pos)
                pos += len(u.norm) + 1
            self._joined[role] = _Joined(
                utts, tuple(offsets), "\n".join(u.norm for u in utts), "\n".join(u.key for u in utts)
            )
        return self._joined[role]

    def find_exact(
        self, phrase: Phrase, role: Role | None, only: tuple[int, int] | None = None
    ) -> list[tuple[PreparedUtterance, int, int, str]]:
        """Exact (and, in Mandarin, same-sounding) occurrences of ``phrase`` in ``role``'s speech:
        (utterance, start, end, method) with offsets into the utterance's normalised text.
        ``only`` limits the search to the utterances from ``only[0]`` to ``only[1]`` (positions in
        :meth:`by_role` order, inclusive)."""
        joined = self.joined(role)
        if not joined.utterances:
            return []
        lo, hi = 0, len(joined.norm)
        if only is not None:
            first, last = only
            lo = joined.offsets[first]
            hi = joined.offsets[last] + len(joined.utterances[last].norm)
        found = exact_or_homophone(phrase, joined.norm, joined.key, self.chinese, lo, hi)
        if not found:
            return []
        out = []
        for start, end, method in found:
            i = bisect_right(joined.offsets, start) - 1
            offset = joined.offsets[i]
            out.append((joined.utterances[i], start - offset, end - offset, method))
        return out

    def _index(self, pu: PreparedUtterance) -> Index | None:
        if pu._index is None:
            out, index = matching_pipeline(self.language).apply(pu.source, list(range(len(pu.source))))
            if not self.chinese and index is not None:
                lead = len(out) - len(out.lstrip())
                out, index = out.strip(), index[lead : lead + len(out.strip())]
            out, index = apply_slots(out, self.slots, index)
            if out != pu.norm or index is None:
                return None
            pu._index = index
        return pu._index

    def evidence(self, pu: PreparedUtterance, start: int, end: int) -> Evidence:
        """Evidence for the normalised span ``[start, end)`` of an utterance: the source text it came
        from, the time of the words it covers and their lowest confidence (1.0 without words)."""
        utt = pu.utterance
        index = self._index(pu)
        if index is None or not index or end <= start:
            conf = min((w.confidence for w in utt.words), default=1.0)
            return Evidence(pu.position, utt.text, pu.norm[start:end], utt.start, utt.end, conf)
        src_start = index[min(start, len(index) - 1)]
        # up to where the next kept character starts, so a slot (a whole number) is covered fully
        src_end = index[end] if end < len(index) else len(pu.source)
        matched = _strip_tail(pu.source[src_start:src_end])
        src_end = src_start + len(matched)
        if not utt.words:
            return Evidence(pu.position, utt.text, matched, utt.start, utt.end, 1.0)
        if pu._spans is None:
            pu._spans = word_spans(utt, self.language)
        words = [w for w, (a, b) in zip(utt.words, pu._spans, strict=True) if a < src_end and b > src_start]
        if not words:
            return Evidence(pu.position, utt.text, matched, utt.start, utt.end, 1.0)
        return Evidence(
            pu.position, utt.text, matched, words[0].start, words[-1].end, min(w.confidence for w in words)
        )
