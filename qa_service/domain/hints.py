"""What the recogniser is told to listen for on one call."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecognitionHints:
    """Phrases the call is expected to contain, per language (the rubric that would score the call in
    that language): the recogniser is given them as hotwords, so that a required phrase heard through a
    telephone line is written as the rubric writes it. The language is decided later than the hints are
    built (detection), hence one entry per language."""

    by_language: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def for_language(self, language: str | None) -> tuple[str, ...]:
        return next((phrases for lang, phrases in self.by_language if lang == language), ())

    def __bool__(self) -> bool:
        return any(phrases for _, phrases in self.by_language)
