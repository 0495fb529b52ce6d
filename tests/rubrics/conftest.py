"""Helpers for rubric tests: hand-built transcripts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qa_service.domain import CallTranscript, Role, Utterance, Word

#: (role, start, end, text) or (role, start, end, text, low-confidence substring)
Line = tuple


def make_call(lines: list[Line], language: str = "zh", duration: float | None = None) -> CallTranscript:
    """A transcript from (role, start, end, text[, unsure]) lines; with ``unsure``, the utterance
    gets word timings and the words of that substring get confidence 0.3."""
    utts = []
    for line in lines:
        role, start, end, text = line[:4]
        unsure = line[4] if len(line) > 4 else None
        words: tuple[Word, ...] = ()
        if unsure is not None:
            tokens = list(text) if language == "zh" else text.split()
            step = (end - start) / len(tokens)
            lo = text.find(unsure)
            pos, ws = 0, []
            for k, tok in enumerate(tokens):
                at = text.find(tok, pos)
                pos = at + len(tok)
                low = lo <= at < lo + len(unsure)
                ws.append(Word(tok, start + k * step, start + (k + 1) * step, 0.3 if low else 0.95))
            words = tuple(ws)
        utts.append(Utterance(role, start, end, text, words, Role(role)))
    end = max(u.end for u in utts) if utts else 0.0
    return CallTranscript(language, tuple(utts), duration if duration is not None else end + 0.5)


@pytest.fixture
def call() -> Callable[..., CallTranscript]:
    return make_call
