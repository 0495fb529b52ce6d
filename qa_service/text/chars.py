"""Character transforms: one character in, at most one out (fused by :class:`Compose` into a
single translation table)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from qa_service.text.transforms import CharTransform, Index


# character transforms --------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _opencc_t2s() -> Any:
    from opencc import OpenCC  # opencc-python-reimplemented; loaded once per process

    return OpenCC("t2s")


class ToSimplified(CharTransform):
    """Traditional → simplified Chinese with OpenCC ``t2s``.

    As a character transform it converts character by character (fast, what matching needs); set
    ``phrases=True`` for OpenCC's phrase-aware conversion of whole strings (for evaluation).
    """

    def __init__(self, phrases: bool = False) -> None:
        self.phrases = phrases
        self.fusable = not phrases

    def map_char(self, ch: str) -> str:
        if ch.isascii():
            return ch
        out: str = _opencc_t2s().convert(ch)
        return out

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        if self.phrases:
            out: str = _opencc_t2s().convert(text)
            if len(out) == len(text) or index is None:
                return out, index
        return super().apply(text, index)


class FullWidthToHalfWidth(CharTransform):
    """Full-width ASCII variants (１２３ＡＢＣ，) and the ideographic space → half width."""

    def map_char(self, ch: str) -> str:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            return chr(code - 0xFEE0)
        if code == 0x3000:
            return " "
        return ch


class ToLowerCase(CharTransform):
    def map_char(self, ch: str) -> str:
        low = ch.lower()
        return low if len(low) == 1 else ch


_KEEP_SYMBOLS = frozenset("%")


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS" and ch not in _KEEP_SYMBOLS


class RemovePunctuation(CharTransform):
    """Delete punctuation and symbols (Unicode categories P* and S*, except ``%``)."""

    def map_char(self, ch: str) -> str:
        return "" if _is_punctuation(ch) else ch


class PunctuationToSpace(CharTransform):
    """Replace punctuation with a space, except apostrophes, which are dropped (don't → dont)."""

    def map_char(self, ch: str) -> str:
        if ch in "'’‘`":
            return ""
        return " " if _is_punctuation(ch) else ch


class RemoveWhitespace(CharTransform):
    def map_char(self, ch: str) -> str:
        return "" if ch.isspace() else ch


class RemoveCharacters(CharTransform):
    """Delete the given characters (e.g. Mandarin fillers 嗯呃)."""

    def __init__(self, chars: Iterable[str]) -> None:
        self.chars = frozenset(chars)

    def map_char(self, ch: str) -> str:
        return "" if ch in self.chars else ch

    def __repr__(self) -> str:
        return f"RemoveCharacters({''.join(sorted(self.chars))!r})"
