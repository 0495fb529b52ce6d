"""PII redaction: card numbers, Chinese ID numbers and phone numbers are masked, keeping the last
four digits as a bank's own systems do (``************1234``).

A number is found however it was written or recognised: digits with or without spaces or dashes
(6217 0012 3456 7890), full-width digits, Chinese digit words (六二一七零零一二…, 幺 for 1) and,
in English, digit words ("six two one seven …"). By digit count:

- 18 digits, or 17 and a final X — a resident ID number;
- 11 digits starting with 1 — a mobile number; 10–12 digits starting with 0 — a landline with area code;
- 13–19 digits — a bank card number;

shorter numbers (amounts, job numbers, the last four digits of an ID) are left alone. Masking is
character for character (a masked English digit word becomes one ``*``), so separators stay where
they were and every word keeps its timing. Nothing is mutated: a new transcript is returned.
"""

from __future__ import annotations

import re
from dataclasses import replace

from qa_service.domain import CallTranscript, Utterance, Word
from qa_service.text import is_chinese

KEEP_LAST = 4
MASK = "*"
_DIGIT_CHARS = "0-9０-９零〇一二三四五六七八九幺两"
_DIGIT = f"[{_DIGIT_CHARS}]"
_SEPARATOR = r"[ \-－—]"
#: Digits possibly grouped by single spaces or dashes, optionally ending in an ID check letter X.
_DIGIT_RUN = re.compile(rf"{_DIGIT}(?:{_SEPARATOR}?{_DIGIT})*(?:{_SEPARATOR}?[Xx]\b|[Xx](?![A-Za-z]))?")
_EN_DIGIT_WORDS = {
    "zero": 1,
    "oh": 1,
    "o": 1,
    "one": 1,
    "two": 1,
    "three": 1,
    "four": 1,
    "five": 1,
    "six": 1,
    "seven": 1,
    "eight": 1,
    "nine": 1,
}
_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = ".,;:!?\"'()[]，。；：！？、"


def _is_digit_char(ch: str) -> bool:
    return bool(re.fullmatch(_DIGIT, ch))


def _is_pii(digits: int, first: str, ends_with_x: bool) -> bool:
    if ends_with_x:
        return digits == 17
    if digits == 18:
        return True
    if digits == 11 and first in "1１一幺":
        return True
    if 10 <= digits <= 12 and first in "0０零〇":
        return True
    return 13 <= digits <= 19


def _mask_run(run: str) -> str:
    positions = [i for i, ch in enumerate(run) if _is_digit_char(ch) or ch in "Xx"]
    keep = set(positions[-KEEP_LAST:])
    return "".join(MASK if i in positions and i not in keep else ch for i, ch in enumerate(run))


def _mask_digit_chars(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        digits = [ch for ch in run if _is_digit_char(ch)]
        ends_with_x = run[-1] in "Xx"
        return _mask_run(run) if _is_pii(len(digits), digits[0], ends_with_x) else run

    return _DIGIT_RUN.sub(repl, text)


def _core(token: str) -> str:
    return token.strip(_EDGE_PUNCT).lower()


def _token_digits(token: str) -> int:
    core = _core(token)
    if core in _EN_DIGIT_WORDS:
        return 1
    return len(core) if core.isdigit() else 0


def _mask_token(token: str, keep_digits: int) -> str:
    """Mask a digit word or digit string, keeping its last ``keep_digits`` digits."""
    core = _core(token)
    start = token.lower().find(core)
    if core in _EN_DIGIT_WORDS:
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
        if not _token_digits(tokens[i]):
            i += 1
            continue
        j = i
        while j < len(tokens) and _token_digits(tokens[j]):
            j += 1
        counts = [_token_digits(t) for t in tokens[i:j]]
        first = _core(tokens[i])
        first_char = "0" if first in ("zero", "oh", "o") else ("1" if first == "one" else first[:1] or "x")
        if (
            sum(counts) > 4
            and _is_pii(sum(counts), first_char, False)
            and any(_core(t) in _EN_DIGIT_WORDS for t in tokens[i:j])
        ):
            keep = KEEP_LAST
            for k in range(j - 1, i - 1, -1):
                out[k] = _mask_token(tokens[k], keep)
                keep = max(0, keep - counts[k - i])
        i = j
    return out


def redact_text(text: str, language: str) -> str:
    """``text`` with card, ID and phone numbers masked (last four digits kept)."""
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
