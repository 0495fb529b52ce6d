"""PII redaction: card numbers, Chinese resident ID numbers, phone and bank account numbers are
masked, keeping the last four digits as a bank's own systems do (``************1234``).

A number is found however it was written or recognised: digits with or without spaces or dashes
(6217 0012 3456 7890), full-width digits, Chinese digit words (六二一七零零一二…, 幺 for 1, 两 for 2)
and, in English, digit words ("six two one seven …", "oh", "double five", "triple zero"), also mixed.
Each run of digits is judged by its length, its checksum and the words just before it
(:func:`classify_number`):

- 18 digits, or 17 and a final X — a resident ID (GB 11643 check digit; also masked when the check
  fails, since one misrecognised digit breaks it); 15 digits with a valid birth date after ID words — an
  old-style ID;
- 11 digits starting with 1 (optionally after 86) — a mobile number; 10–12 digits starting with 0 — a
  landline with area code; 7–8 digits after phone words (电话, phone …) — a local number;
- 13–19 digits — a bank card (Luhn). A run failing Luhn is still masked (an ASR slip on a card number
  is still a card number) unless the words before it name a reference that is not PII (流水号, 订单号,
  transaction / reference number);
- 12–25 digits after account words (账号, 账户, account) — an account number;

shorter numbers (amounts, dates, job numbers, the last four digits of a card, verification codes)
are left alone, and numbers after 工号 / job number never are PII. Masking is character for
character (a masked English digit word becomes one ``*``), so separators stay where they were and
every word keeps its timing; redacting twice gives the same text as once. Nothing is mutated: a new
transcript is returned. :func:`find_pii` gives the masked spans of a text (for search and exports).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from qa_service.domain import CallTranscript, Utterance, Word
from qa_service.text import is_chinese

KEEP_LAST = 4
MASK = "*"
_DIGIT_CHARS = "0-9０-９零〇一二三四五六七八九幺两"
_DIGIT = f"[{_DIGIT_CHARS}]"
_SEPARATOR = r"(?:\) ?|[ \-－—])"  # a space or dash; ") " after an area code
#: Digits possibly grouped by single spaces or dashes, optionally ending in an ID check letter X.
_DIGIT_RUN = re.compile(rf"{_DIGIT}(?:{_SEPARATOR}?{_DIGIT})*(?:{_SEPARATOR}?[Xx]\b|[Xx](?![A-Za-z]))?")
_EN_DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "nil": "0", "one": "1", "two": "2", "three": "3",
                   "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
#: words a caller puts between the digit groups of one number
_FILLERS = {"then", "um", "uh", "er", "and", "dash"}
#: "double five" = 55, "triple zero" = 000
_EN_REPEATS = {"double": 2, "triple": 3}
_TOKEN = re.compile(r"\S+")
_MASKED_DIGITS = re.compile(r"[0-9*]+")
_EDGE_PUNCT = ".,;:!?\"'()[]，。；：！？、"


def _is_digit_char(ch: str) -> bool:
    return bool(re.fullmatch(_DIGIT, ch))


_ZH_DIGITS = {"零": "0", "〇": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CONTEXT_CHARS = 16
_CARD_WORDS = re.compile(r"卡号|银行卡|信用卡|借记卡|储蓄卡|卡片|card", re.I)
_ID_WORDS = re.compile(r"身份证|证件|身份号|\bid\b|identity|identification|passport", re.I)
_PHONE_WORDS = re.compile(r"电话|手机|号码|联系|回拨|来电|phone|mobile|cell|call (?:me|back)|reach me", re.I)
_ACCOUNT_WORDS = re.compile(r"账号|帐号|账户|帐户|户号|account|acct", re.I)
_NOT_PII_WORDS = re.compile(r"工号|坐席号|流水号|订单号|交易号|参考号|业务编号|job number|agent number|employee|"
                            r"reference|transaction|order number|ticket", re.I)
_JOB_WORDS = re.compile(r"工号|坐席号|job number|agent number|employee", re.I)


def ascii_digits(run: str) -> str:
    """The digits of a run (any script), as ASCII; an ID's final X stays X."""
    out = []
    for ch in run:
        if ch in _ZH_DIGITS:
            out.append(_ZH_DIGITS[ch])
        elif "０" <= ch <= "９":
            out.append(chr(ord(ch) - ord("０") + ord("0")))
        elif ch.isdigit():
            out.append(ch)
        elif ch in "Xx":
            out.append("X")
    return "".join(out)


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _plausible_birth(yyyymmdd: str) -> bool:
    y, m, d = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return 1900 <= y <= 2030 and 1 <= m <= 12 and 1 <= d <= 31


def id_valid(number: str) -> bool:
    """A resident ID number: 18 characters, a plausible birth date and the GB 11643 check character."""
    return (len(number) == 18 and number[:17].isdigit() and _plausible_birth(number[6:14])
            and id_check_char(number[:17]) == number[17].upper())


def classify_number(number: str, before: str = "") -> str | None:
    """``'card' | 'id' | 'phone' | 'account'`` for a run of digits (ASCII, an ID's X kept) said after
    ``before``; None when it is not PII."""
    n = len(number)
    digits = number.rstrip("X")
    context = before[-_CONTEXT_CHARS * 3 :]
    if _JOB_WORDS.search(context[-_CONTEXT_CHARS:]):
        return None
    if number.endswith("X"):
        return "id" if n == 18 else None
    if n == 18:
        return "id" if id_valid(number) or not luhn_valid(digits) or _ID_WORDS.search(context) else "card"
    if n == 15 and _ID_WORDS.search(context) and _plausible_birth("19" + digits[6:12]):
        return "id"
    if n == 11 and digits[0] == "1":
        return "phone"
    if n == 13 and digits.startswith("861"):
        return "phone"
    if 10 <= n <= 12 and digits[0] == "0":
        return "phone"
    if 12 <= n <= 25 and _ACCOUNT_WORDS.search(context):
        return "account"
    if 13 <= n <= 19:
        if luhn_valid(digits) or _CARD_WORDS.search(context):
            return "card"
        return None if _NOT_PII_WORDS.search(context) else "card"
    if 7 <= n <= 8 and _PHONE_WORDS.search(context[-_CONTEXT_CHARS:]):
        return "phone"
    return None


def _mask_run(run: str) -> str:
    positions = [i for i, ch in enumerate(run) if _is_digit_char(ch) or ch in "Xx"]
    keep = set(positions[-KEEP_LAST:])
    return "".join(MASK if i in positions and i not in keep else ch for i, ch in enumerate(run))


def _mask_digit_chars(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        before = text[max(0, m.start() - _CONTEXT_CHARS * 3) : m.start()]
        return _mask_run(run) if classify_number(ascii_digits(run), before) else run

    return _DIGIT_RUN.sub(repl, text)


def _core(token: str) -> str:
    return token.strip(_EDGE_PUNCT).lower()


def _token_value(token: str) -> str | None:
    """The digits a token stands for ("six" → "6", "0212" → "0212"); "" for double/triple; None if none."""
    core = _core(token)
    if core in _EN_DIGIT_WORDS:
        return _EN_DIGIT_WORDS[core]
    if core in _EN_REPEATS:
        return ""
    if _MASKED_DIGITS.fullmatch(core):  # digits, possibly masked already by the digit pass (or earlier)
        return core.replace(MASK, "0")
    return None


def _run_digits(tokens: list[str]) -> list[str]:
    """Per token of a run, the digits it contributes (a repeat word contributes the repeated ones,
    a filler none)."""
    values = [_token_value(t) or "" for t in tokens]
    out = list(values)
    for k, t in enumerate(tokens):
        times = _EN_REPEATS.get(_core(t))
        if times and k + 1 < len(tokens) and len(values[k + 1]) == 1:
            out[k] = values[k + 1] * (times - 1)
    return out


def _mask_token(token: str, keep_digits: int) -> str:
    """Mask a digit word or digit string, keeping its last ``keep_digits`` digits."""
    core = _core(token)
    start = token.lower().find(core)
    if core in _EN_DIGIT_WORDS or core in _EN_REPEATS:
        masked = core if keep_digits >= 1 else MASK
    else:
        cut = max(0, len(core) - keep_digits)
        masked = MASK * cut + core[cut:]
    original = token[start : start + len(core)]
    if masked == core:
        masked = original
    return token[:start] + masked + token[start + len(core) :]


def _mask_token_runs(tokens: list[str]) -> list[str]:
    """English: runs of digit words / digit strings ("six two one seven 0012 …") that make a PII
    number are masked token by token, keeping the last four digits."""
    out = list(tokens)
    i = 0
    while i < len(tokens):
        if _token_value(tokens[i]) is None:
            i += 1
            continue
        j = i
        while j < len(tokens):
            if _token_value(tokens[j]) is not None:
                j += 1
            elif (_core(tokens[j]) in _FILLERS and j + 1 < len(tokens) and j > i
                  and _token_value(tokens[j + 1]) is not None):
                j += 1  # "… three four five six, then seven eight nine seven"
            else:
                break
        parts = _run_digits(tokens[i:j])
        number = "".join(parts)
        words = any(_core(t) in _EN_DIGIT_WORDS for t in tokens[i:j])
        before = " ".join(tokens[max(0, i - 8) : i])
        if words and len(number) > KEEP_LAST and classify_number(number, before):
            keep = KEEP_LAST
            for k in range(j - 1, i - 1, -1):
                out[k] = _mask_token(tokens[k], keep)
                keep = max(0, keep - len(parts[k - i]))
        i = j
    return out


def redact_text(text: str, language: str = "") -> str:
    """``text`` with card, ID, phone and account numbers masked (last four digits kept). Digit words
    are read in both languages unless ``language`` says Chinese."""
    masked = _mask_digit_chars(text)
    if is_chinese(language):
        return masked
    tokens = _TOKEN.findall(masked)
    new_tokens = _mask_token_runs(tokens)
    if new_tokens == tokens:
        return masked
    parts, pos = [], 0
    for m, new in zip(_TOKEN.finditer(masked), new_tokens, strict=True):
        parts.append(masked[pos : m.start()])
        parts.append(new)
        pos = m.end()
    parts.append(masked[pos:])
    return "".join(parts)


def _redact_words(words: tuple[Word, ...], language: str) -> tuple[Word, ...]:
    if not words:
        return words
    texts = [w.text for w in words]
    joined = "".join(texts)
    masked = _mask_digit_chars(joined)  # length-preserving
    new_texts, pos = [], 0
    for t in texts:
        new_texts.append(masked[pos : pos + len(t)])
        pos += len(t)
    if not is_chinese(language):
        # each word is one token (leading/trailing spaces of recogniser words are kept)
        new_texts = [
            t[: len(t) - len(t.lstrip())] + new + t[len(t.rstrip()) :] if t.strip() else t
            for t, new in zip(new_texts, _mask_token_runs([t.strip() or t for t in new_texts]), strict=True)
        ]
    if new_texts == texts:
        return words
    return tuple(replace(w, text=t) for w, t in zip(words, new_texts, strict=True))


def redact_utterance(utterance: Utterance, language: str) -> Utterance:
    text = redact_text(utterance.text, language)
    words = _redact_words(utterance.words, language)
    if text == utterance.text and words is utterance.words:
        return utterance
    return replace(utterance, text=text, words=words)


def redact_transcript(transcript: CallTranscript) -> CallTranscript:
    """A copy of ``transcript`` with PII masked in every utterance's text and words (timings kept)."""
    utterances = tuple(redact_utterance(u, transcript.language) for u in transcript.utterances)
    if all(a is b for a, b in zip(utterances, transcript.utterances, strict=True)):
        return replace(transcript)
    return replace(transcript, utterances=utterances)


@dataclass(frozen=True)
class PiiSpan:
    """Characters ``start:end`` of a text were masked (the kept last four digits are not in it)."""

    start: int
    end: int


def find_pii(text: str, language: str = "") -> tuple[PiiSpan, ...]:
    """The spans of ``text`` that redaction masks (offsets into ``text``; an English digit word
    masked to one ``*`` is a span of the whole word)."""
    masked = redact_text(text, language)
    if masked == text:
        return ()
    matcher = difflib.SequenceMatcher(None, text, masked, autojunk=False)
    spans: list[PiiSpan] = []
    for op, a0, a1, _b0, _b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if spans and not text[spans[-1].end : a0].strip(" -－—"):
            spans[-1] = PiiSpan(spans[-1].start, a1)
        else:
            spans.append(PiiSpan(a0, a1))
    return tuple(spans)
