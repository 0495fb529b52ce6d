"""The normalisation pipelines the service uses, built from :mod:`qa_service.text.transforms`.

- :func:`normalize_for_matching` — rubric phrase matching: script, width, case, punctuation,
  fillers and numbers (一零二三 / one zero two three → 1023) normalised, and in English amount
  symbols read as words ($1,180 → 1180 dollars, as a recogniser often writes what was said);
  Mandarin loses all spaces.
- :func:`normalize_for_cer` — character error rate on Mandarin: the same minus filler removal, with
  OpenCC's phrase-aware traditional → simplified conversion; no spaces.
- :func:`normalize_for_wer` — word error rate on English: lower case, amount symbols as words
  (5% → 5 percent, $10 → 10 dollars), no punctuation, numbers as digits, single spaces.
"""

from __future__ import annotations

from functools import lru_cache

from qa_service.text.chars import (
    FullWidthToHalfWidth,
    PunctuationToSpace,
    RemoveCharacters,
    RemovePunctuation,
    RemoveWhitespace,
    ToLowerCase,
    ToSimplified,
)
from qa_service.text.transforms import (
    ChineseNumeralsToDigits,
    CollapseWhitespace,
    Compose,
    DropPossessiveS,
    EnglishNumbersToDigits,
    Index,
    RemoveWords,
    SpellOutSymbols,
)

#: Hesitation sounds dropped before matching.
ZH_FILLERS = "嗯呃唔"
EN_FILLERS = ("um", "umm", "uh", "uhm", "er", "erm", "hmm", "mm")


@lru_cache(maxsize=64)
def is_chinese(language: str) -> bool:
    return language.lower().startswith(("zh", "cmn", "yue"))


@lru_cache(maxsize=8)
def matching_pipeline(language: str) -> Compose:
    """The transform chain :func:`normalize_for_matching` applies for ``language``."""
    if is_chinese(language):
        return Compose(
            [
                ToSimplified(),
                FullWidthToHalfWidth(),
                ToLowerCase(),
                RemovePunctuation(),
                RemoveWhitespace(),
                RemoveCharacters(ZH_FILLERS),
                ChineseNumeralsToDigits(),
            ]
        )
    return Compose(
        [
            DropPossessiveS(),
            FullWidthToHalfWidth(),
            ToLowerCase(),
            SpellOutSymbols(),
            PunctuationToSpace(),
            EnglishNumbersToDigits(),
            RemoveWords(EN_FILLERS),
            CollapseWhitespace(),
        ]
    )


def normalize_for_matching(text: str, language: str) -> str:
    return matching_pipeline(language).apply(text)[0]


def normalize_for_matching_tracked(text: str, language: str) -> tuple[str, Index]:
    """Like :func:`normalize_for_matching`, plus the source position of every output character."""
    out, index = matching_pipeline(language).apply(text, list(range(len(text))))
    assert index is not None
    return out, index


@lru_cache(maxsize=1)
def cer_pipeline() -> Compose:
    return Compose(
        [
            ToSimplified(phrases=True),
            FullWidthToHalfWidth(),
            ToLowerCase(),
            RemovePunctuation(),
            RemoveWhitespace(),
            ChineseNumeralsToDigits(),
        ]
    )


@lru_cache(maxsize=1)
def wer_pipeline() -> Compose:
    return Compose(
        [
            FullWidthToHalfWidth(),
            ToLowerCase(),
            SpellOutSymbols(),
            PunctuationToSpace(),
            EnglishNumbersToDigits(),
            CollapseWhitespace(),
        ]
    )


def normalize_for_cer(text: str) -> str:
    return cer_pipeline().apply(text)[0]


def normalize_for_wer(text: str) -> str:
    return wer_pipeline().apply(text)[0]
