"""Toneless pinyin for homophone-aware matching of Mandarin (建社银行 ≈ 建设银行, 公号 ≈ 工号).

:func:`pinyin_key` turns text into a string of the same length in which every Chinese character is
replaced by a token standing for its toneless syllable, so two strings that sound alike have equal
keys and a span found in a key is the same span in the text. Syllables that speakers and
recognisers commonly confuse (zh/z, ch/c, sh/s, -ing/-in, -eng/-en) share one token.

Each character is read with its most common reading (a few domain overrides: 行 is *hang* as in
银行); both sides of a comparison are read the same way, so polyphones only matter when a recogniser
swaps one for a character of the other reading.
"""

from __future__ import annotations

from functools import lru_cache

#: Readings that differ from pypinyin's single-character default, for bank-call vocabulary.
_OVERRIDES = {"行": "hang", "还": "huan", "重": "chong", "单": "dan", "调": "diao"}
#: Digits sound like the Chinese digits they were normalised from (满1 ≈ 满意, 1 being 一 yi).
_DIGIT_SYLLABLES = dict(
    zip("0123456789", ("ling", "yi", "er", "san", "si", "wu", "liu", "qi", "ba", "jiu"), strict=True)
)
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"))


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


@lru_cache(maxsize=65536)
def syllable(ch: str) -> str:
    """The toneless syllable of one Chinese character ('' for anything else)."""
    if len(ch) != 1 or not _is_han(ch):
        return ""
    if ch in _OVERRIDES:
        return _OVERRIDES[ch]
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
    return out[0] if out else ""


def fuzzy_syllable(syl: str) -> str:
    """Merge commonly confused syllables: zhi→zi, shan→san, ting→tin, feng→fen."""
    for a, b in _FUZZY_INITIALS:
        if syl.startswith(a):
            syl = b + syl[len(a) :]
            break
    for a, b in _FUZZY_FINALS:
        if syl.endswith(a):
            return syl[: -len(a)] + b
    return syl


def to_pinyin(text: str) -> list[str]:
    """Phrase-aware toneless pinyin of ``text`` (for display and tests; slower than the key)."""
    from pypinyin import Style, lazy_pinyin

    return list(lazy_pinyin(text, style=Style.NORMAL))


class _KeyTable(dict[int, str]):
    """Character → syllable token, filled on first sight. Tokens are private-use code points."""

    _BASE = 0xF0000

    def __init__(self) -> None:
        super().__init__()
        self._tokens: dict[str, str] = {}

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        syl = _DIGIT_SYLLABLES.get(ch) or syllable(ch)
        if not syl:
            value = ch
        else:
            key = fuzzy_syllable(syl)
            value = self._tokens.get(key, "")
            if not value:
                value = chr(self._BASE + len(self._tokens))
                self._tokens[key] = value
        self[code] = value
        return value


_KEY_TABLE = _KeyTable()


def pinyin_key(text: str) -> str:
    """``text`` with each Chinese character (and digit, read as its Chinese digit) replaced by its
    (fuzzy) syllable token; same length."""
    return text.translate(_KEY_TABLE)


def sounds_alike(a: str, b: str) -> bool:
    """True when two strings read the same in toneless (fuzzy) pinyin."""
    return pinyin_key(a) == pinyin_key(b)
