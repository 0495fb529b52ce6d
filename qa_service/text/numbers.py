"""Numbers written as words ↔ digits, for Mandarin (一二三, 一千零二十三, 幺) and English.

Digit-by-digit readings (job, card and phone numbers: 一零二三, "one zero two three") become the
digit string; positional readings (三千五百, "twenty three") become their value. Adjacent numbers
are joined without a space, as a phone or card number read in groups would be ("ten twenty three"
→ ``1023``).
"""

from __future__ import annotations

import re
from functools import lru_cache

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
#: A run of Chinese numeral characters.
CN_NUMERAL_RUN = re.compile("[零〇一二两三四五六七八九幺十百千万亿]+")
_DIGIT_TO_CN = "零一二三四五六七八九"


def _parse_positional(run: str) -> int | None:
    """Value of a positional numeral (三千五百, 一千零二十三, 十五, 两万三); None if it is not one."""
    total = section = number = 0
    last_unit = 0
    seen_digit = False
    prev_digit = False
    for ch in run:
        if ch in CN_DIGITS:
            if prev_digit and CN_DIGITS[ch] != 0 and number != 0:
                return None  # two digits in a row inside a positional number
            number = CN_DIGITS[ch]
            seen_digit = True
            prev_digit = True
            if number == 0:
                last_unit = 0
            continue
        prev_digit = False
        if ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if number == 0 and not ((unit == 10 and section == 0 and total == 0) or seen_digit):
                return None
            section += (number or 1) * unit
            number = 0
            last_unit = unit
        else:  # 万 / 亿
            if section == 0 and number == 0:
                return None
            total = (total + section + number) * _CN_BIG[ch]
            section = number = 0
            last_unit = _CN_BIG[ch]
    if number and last_unit >= 10 and prev_digit and run[-2:-1] not in ("零", "〇"):
        number *= last_unit // 10  # 三千五 → 3500, 两万三 → 23000
    return total + section + number


@lru_cache(maxsize=4096)
def chinese_numerals_to_digits(run: str) -> str:
    """One run of numeral characters as digits; units without digits (千万) are left alone."""
    has_unit = any(ch in _CN_UNITS or ch in _CN_BIG for ch in run)
    if not has_unit:
        return "".join(str(CN_DIGITS[ch]) for ch in run)
    if not any(ch in CN_DIGITS for ch in run) and run != "十":
        return run
    value = _parse_positional(run)
    if value is not None:
        return str(value)
    return "".join(str(CN_DIGITS[ch]) if ch in CN_DIGITS else ch for ch in run)


def digits_to_chinese(digits: str) -> str:
    """Digit-by-digit reading: ``1023`` → 一零二三 (other characters are kept)."""
    return "".join(_DIGIT_TO_CN[int(c)] if c.isascii() and c.isdigit() else c for c in digits)


# English ---------------------------------------------------------------------------------------
EN_UNITS: dict[str, int] = {
    "zero": 0,
    "oh": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
EN_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
EN_ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def trie_regex(words: list[str], top: bool = False) -> str:
    """An alternation of ``words`` as a prefix tree (one comparison per character, not per word).
    With ``top``, the bare list of branches (each starting with a literal character)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    if top:
        return "|".join(re.escape(ch) + build(child) for ch, child in sorted(trie.items()) if ch)
    return build(trie)


_NUMBER_WORDS = sorted([*EN_UNITS, *EN_TENS, *_EN_SCALES, *EN_ORDINALS], key=len, reverse=True)
# every branch starts with a literal character, so the regex engine scans for those characters only
_TOKEN = "(?:" + "|".join(rf"{d}\d*" for d in "0123456789") + "|" + trie_regex(_NUMBER_WORDS, top=True) + ")"
#: A run of English number words and digit groups ("twenty three", "one zero two three", "6222 0212").
#: No leading ``\b`` (it would defeat the regex engine's first-character scan): callers check that a
#: match does not start inside a word (see :func:`sub_number_runs`).
EN_NUMBER_RUN = re.compile(rf"{_TOKEN}(?:[\s-]+(?:and[\s-]+)?{_TOKEN})*\b")
ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)\b")
_FIRST_TOKEN = re.compile(rf"{_TOKEN}")


class _Chunks:
    """Accumulates number chunks; each flushed chunk is written as its digits."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.total = 0
        self.current = 0
        self.active = False
        self.ends_with_unit = False

    def flush(self) -> None:
        if self.active:
            self.out.append(str(self.total + self.current))
        self.total = self.current = 0
        self.active = False
        self.ends_with_unit = False

    def add_small(self, value: int, is_tens: bool) -> None:
        below_hundred = self.current % 100
        if self.active and (
            (is_tens and below_hundred != 0)  # "ten twenty" → 10, 20
            or (not is_tens and self.ends_with_unit)  # "eleven twelve" → 11, 12
            or (not is_tens and value >= 10 and below_hundred != 0)  # "twenty eleven" → 20, 11
        ):
            self.flush()
        self.current += value
        self.active = True
        self.ends_with_unit = not is_tens

    def add_scale(self, scale: int) -> None:
        if scale == 100:
            self.current = (self.current or 1) * 100
        else:
            self.total += (self.current or 1) * scale
            self.current = 0
        self.active = True
        self.ends_with_unit = False


@lru_cache(maxsize=4096)
def english_number_run_to_digits(run: str) -> str:
    """Convert one match of :data:`EN_NUMBER_RUN` (lower case) to digits."""
    tokens = [t for t in re.split(r"[\s-]+", run) if t]
    words = [t for t in tokens if t != "and"]
    if all(t == "oh" for t in words):
        return run
    if "and" not in tokens and all(
        (t.isdigit() and len(t) == 1) or (t in EN_UNITS and EN_UNITS[t] < 10) for t in words
    ):
        return "".join(t if t.isdigit() else str(EN_UNITS[t]) for t in words)
    parts: list[str] = []
    chunks = _Chunks()
    prev = ""
    for tok in tokens:
        if tok == "and":
            if prev not in _EN_SCALES:
                chunks.flush()
                parts.append("".join(chunks.out))
                chunks.out = []
            prev = tok
            continue
        if tok.isdigit():
            if len(tok) == 1:
                chunks.add_small(int(tok), False)
            else:
                chunks.flush()
                chunks.out.append(tok)
        elif tok in EN_UNITS:
            chunks.add_small(EN_UNITS[tok], False)
        elif tok in EN_TENS:
            chunks.add_small(EN_TENS[tok], True)
        elif tok in EN_ORDINALS:
            value = EN_ORDINALS[tok]
            chunks.add_small(value, value in (20, 30))
            chunks.flush()
        else:
            chunks.add_scale(_EN_SCALES[tok])
        prev = tok
    chunks.flush()
    parts.append("".join(chunks.out))
    return " and ".join(p for p in parts if p)


def starts_inside_word(m: re.Match[str]) -> bool:
    start = m.start()
    return start > 0 and m.string[start - 1].isalnum()


def number_run_replacement(m: re.Match[str]) -> str:
    """The digits for a match of :data:`EN_NUMBER_RUN` (unchanged where it starts inside a word:
    the "one" of "someone"; number words after that first token are still converted)."""
    text = m.group(0)
    if not starts_inside_word(m):
        return english_number_run_to_digits(text)
    first = _FIRST_TOKEN.match(text)
    cut = first.end() if first else len(text)
    return text[:cut] + EN_NUMBER_RUN.sub(number_run_replacement, text[cut:])


def ordinal_replacement(m: re.Match[str]) -> str:
    return m.group(0) if starts_inside_word(m) else m.group(1)


def english_numbers_to_digits(text: str) -> str:
    """Every number in lower-case English text as digits ("fifteenth" → 15, "15th" → 15)."""
    text = ORDINAL_DIGITS.sub(ordinal_replacement, text)
    return EN_NUMBER_RUN.sub(number_run_replacement, text)


def digits_to_english(digits: str) -> str:
    """Digit-by-digit reading: ``1023`` → "one zero two three"."""
    return " ".join(_EN_DIGITS[int(c)] for c in digits if c.isascii() and c.isdigit())
