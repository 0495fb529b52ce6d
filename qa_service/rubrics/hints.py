"""The rubric's own phrasing as hints for the recogniser (see :class:`RecognitionHints`).

Each required-phrase item gives one hint: the first wording of each of its groups, in order, pattern
variables left out ("thank you for calling" + "Construction Bank" + "agent {job_number}" → "Thank you
for calling, Construction Bank, agent."). Only the first wording: the others are the rubric's
tolerance for what agents say, not what the recogniser should expect."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from qa_service.domain import CallMetadata, RecognitionHints
from qa_service.rubrics.loader import select_rubric
from qa_service.rubrics.schema import RequiredPhraseItem, Rubric
from qa_service.text import is_chinese

_SLOT = re.compile(r"\{[^}]*\}")
_SPACES = re.compile(r"\s+")


def rubric_hints(rubric: Rubric) -> tuple[str, ...]:
    """One hint per required-phrase item of ``rubric`` (duplicates dropped, the items' order kept)."""
    chinese = is_chinese(rubric.language)
    hints: list[str] = []
    for item in rubric.items:
        if not isinstance(item, RequiredPhraseItem):
            continue
        parts = [_SPACES.sub(" ", _SLOT.sub(" ", group[0].text)).strip(" ,，") for group in item.groups if group]
        parts = [p for p in parts if p]
        if not parts:
            continue
        hint = ("，".join(parts) + "。") if chinese else _sentence(", ".join(parts))
        if hint not in hints:
            hints.append(hint)
    return tuple(hints)


def _sentence(text: str) -> str:
    """English phrases are written in lower case in the rubrics; a hint reads as a sentence."""
    text = re.sub(r"\bi\b", "I", text)
    return text[:1].upper() + text[1:] + "."


def call_hints(rubrics: Iterable[Rubric], metadata: CallMetadata | None,
               languages: Sequence[str]) -> RecognitionHints:
    """The hints of the rubric that would score this call, for each language it may be in."""
    pool = tuple(rubrics)
    meta = metadata or CallMetadata(call_id="")
    found = []
    for language in languages:
        rubric = select_rubric(pool, meta, language)
        if rubric is not None:
            found.append((language, rubric_hints(rubric)))
    return RecognitionHints(tuple(found))
