"""Composable text transforms in the style of jiwer's (``Compose([ToLowerCase(), ...])``).

Every transform maps a string to a string (or a list of strings to a list). Each can also carry an
*index*: ``index[k]`` is the position in the original text that output character ``k`` came from,
so a span found in normalised text maps back to the words it covers (see :meth:`Transform.apply`).

Character transforms (one character in, at most one out) are fused by :class:`Compose` into a single
lazily-filled translation table and run through :meth:`str.translate`, which keeps normalisation
cheap enough to run on every utterance of every call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from types import MappingProxyType
from typing import overload

from qa_service.text.numbers import (
    CN_NUMERAL_RUN,
    EN_NUMBER_RUN,
    ORDINAL_DIGITS,
    chinese_numerals_to_digits,
    digits_to_chinese,
    number_run_replacement,
    ordinal_replacement,
    starts_inside_word,
)

Index = list[int]


class Transform:
    """A text transform. Subclasses implement :meth:`apply`."""

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        """Transform ``text``; when ``index`` is given, return the index of the output as well."""
        raise NotImplementedError

    @overload
    def __call__(self, text: str) -> str: ...

    @overload
    def __call__(self, text: list[str]) -> list[str]: ...

    def __call__(self, text: str | list[str]) -> str | list[str]:
        if isinstance(text, list):
            return [self.apply(t)[0] for t in text]
        return self.apply(text)[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class CharTransform(Transform):
    """A transform that maps each character to one character or deletes it (``""``)."""

    #: Whether :class:`Compose` may fuse it with its neighbours into one table.
    fusable = True

    def map_char(self, ch: str) -> str:
        raise NotImplementedError

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        return _FusedChars((self,)).apply(text, index)


class _Table(dict[int, str | None]):
    """Translation table filled on first sight of each character."""

    def __init__(self, steps: tuple[CharTransform, ...]) -> None:
        super().__init__()
        self._steps = steps

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        for step in self._steps:
            if not ch:
                break
            mapped = step.map_char(ch)
            ch = mapped if len(mapped) <= 1 else ch
        value = ch or None
        self[code] = value
        return value


class _FusedChars(Transform):
    """Consecutive character transforms as one translation. ASCII text goes through a plain
    128-entry table (CPython's fast path); other text through a plain dict of every character seen
    so far, grown through :class:`_Table` when a string brings new characters."""

    def __init__(self, steps: tuple[CharTransform, ...]) -> None:
        self.steps = steps
        self.table = _Table(steps)
        self.ascii: dict[int, str | None] = {code: self.table[code] for code in range(128)}
        self.known: dict[int, str | None] = dict(self.ascii)
        self.seen: frozenset[str] = frozenset(chr(c) for c in range(128))

    def _lookup(self, text: str) -> dict[int, str | None]:
        if text.isascii():
            return self.ascii
        if not self.seen.issuperset(text):
            new = set(text) - self.seen
            for ch in new:
                self.known[ord(ch)] = self.table[ord(ch)]
            self.seen = self.seen | new
        return self.known

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        table = self._lookup(text)
        out = text.translate(table)
        if index is None or len(out) == len(text):
            return out, index
        return out, [index[i] for i, ch in enumerate(text) if table[ord(ch)] is not None]

    def __repr__(self) -> str:
        return " + ".join(repr(s) for s in self.steps)


class Compose(Transform):
    """Apply transforms in order; adjacent character transforms run as one table lookup."""

    def __init__(self, transforms: Sequence[Transform]) -> None:
        self.transforms = tuple(transforms)
        fused: list[Transform] = []
        run: list[CharTransform] = []
        for t in self.transforms:
            if isinstance(t, CharTransform) and t.fusable:
                run.append(t)
                continue
            if run:
                fused.append(_FusedChars(tuple(run)))
                run = []
            fused.append(t)
        if run:
            fused.append(_FusedChars(tuple(run)))
        self._steps = tuple(fused)

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        for step in self._steps:
            text, index = step.apply(text, index)
        return text, index

    def __repr__(self) -> str:
        return f"Compose([{', '.join(repr(t) for t in self.transforms)}])"


def sub_tracked(
    pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str, index: Index | None
) -> tuple[str, Index | None]:
    """``pattern.sub(repl, text)`` that also maps each output character to a source position.

    Characters of a replacement are spread evenly over the span they replace.
    """
    if index is None:
        return pattern.sub(repl, text), None
    parts: list[str] = []
    new_index: Index = []
    pos = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        replacement = repl(m)
        parts.append(text[pos:start])
        new_index.extend(index[pos:start])
        parts.append(replacement)
        n, span = len(replacement), end - start
        if n and span:
            new_index.extend(index[start + (k * span) // n] for k in range(n))
        elif n:
            anchor = index[min(start, len(index) - 1)] if index else 0
            new_index.extend([anchor] * n)
        pos = end
    parts.append(text[pos:])
    new_index.extend(index[pos:])
    return "".join(parts), new_index


def _constant(value: str) -> Callable[[re.Match[str]], str]:
    def repl(_m: re.Match[str]) -> str:
        return value

    return repl


class RegexTransform(Transform):
    """Replace every match of ``pattern`` by ``repl`` (a string or a function of the match)."""

    def __init__(self, pattern: str | re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> None:
        self.pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        self.repl: Callable[[re.Match[str]], str] = repl if callable(repl) else _constant(repl)

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        return sub_tracked(self.pattern, self.repl, text, index)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.pattern.pattern!r})"


# string transforms -----------------------------------------------------------------------------
class CollapseWhitespace(RegexTransform):
    """Runs of whitespace → one space, and no leading/trailing whitespace."""

    def __init__(self) -> None:
        super().__init__(r"\s{2,}|[^\S ]", " ")

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        if index is None:
            return " ".join(text.split()), None
        text, index = super().apply(text, index)
        start = len(text) - len(text.lstrip())
        stripped = text.strip()
        if index is not None:
            index = index[start : start + len(stripped)]
        return stripped, index


class DropPossessiveS(RegexTransform):
    """English ``'s`` after a word is dropped (bank's → bank, that's → that), on both sides of a
    comparison alike, so possessives and contractions do not break exact matching."""

    def __init__(self) -> None:
        super().__init__(r"['’][sS]\b", self._repl)

    @staticmethod
    def _repl(m: re.Match[str]) -> str:
        start = m.start()
        return "" if start and (m.string[start - 1].isalnum()) else m.group(0)


class RemoveWords(RegexTransform):
    """Delete whole words (English fillers such as um, uh)."""

    def __init__(self, words: Iterable[str]) -> None:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        super().__init__(rf"(?:{alternatives})\b", lambda m: m.group(0) if starts_inside_word(m) else "")


class JoinDigitGroups(RegexTransform):
    """Drop spaces, dashes and thousands commas between digits (6222 0212 → 62220212, 1,250 → 1250)."""

    def __init__(self) -> None:
        super().__init__(r"(?<=\d)[\s,\-]+(?=\d)", "")


_CURRENCY_WORDS = MappingProxyType({"$": "dollars", "£": "pounds", "€": "euros", "¥": "yuan", "￥": "yuan"})


class SpellOutSymbols(RegexTransform):
    """Amount symbols spoken as words, as a reference transcript writes them: ``5%`` → ``5 percent``,
    ``$10,000`` → ``10,000 dollars`` (also £, €, ¥/￥) — the way Whisper's own evaluation normaliser
    treats them, so a recogniser is not charged for writing a symbol where the speaker said a word."""

    def __init__(self) -> None:
        super().__init__(r"([$£€¥￥])\s?(\d[\d,]*(?:\.\d+)?)|(\d)\s?%", self._repl)

    @staticmethod
    def _repl(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return f"{m.group(3)} percent"
        return f"{m.group(2)} {_CURRENCY_WORDS[m.group(1)]}"


class ChineseNumeralsToDigits(RegexTransform):
    """一零二三 / 幺零二三 → 1023 (digit by digit); 一千零二十三, 三千五 → 1023, 3500 (by value)."""

    def __init__(self) -> None:
        super().__init__(CN_NUMERAL_RUN, lambda m: chinese_numerals_to_digits(m.group(0)))


class DigitsToChineseNumerals(RegexTransform):
    """1023 → 一零二三 (digit by digit)."""

    def __init__(self) -> None:
        super().__init__(r"\d+", lambda m: digits_to_chinese(m.group(0)))


class EnglishNumbersToDigits(RegexTransform):
    """Lower-case English number words → digits ("twenty three" → 23, "one zero two three" → 1023,
    "fifteenth"/"15th" → 15)."""

    def __init__(self) -> None:
        super().__init__(EN_NUMBER_RUN, number_run_replacement)

    def apply(self, text: str, index: Index | None = None) -> tuple[str, Index | None]:
        text, index = sub_tracked(ORDINAL_DIGITS, ordinal_replacement, text, index)
        return super().apply(text, index)
