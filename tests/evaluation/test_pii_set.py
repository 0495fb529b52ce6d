"""PII redaction against the labelled set (qa_service/evaluation/pii_set.py), and its building blocks."""

from __future__ import annotations

import random

import pytest

from qa_service.domain import CallTranscript, Utterance, Word
from qa_service.evaluation.pii_set import Item, Label, build, card, resident_id, score
from qa_service.redact import classify_number, find_pii, id_valid, luhn_valid, redact_text, redact_transcript


def test_the_labelled_set_meets_the_bar() -> None:
    items = build()
    s = score(items)
    assert len(items) >= 300 and {i.lang for i in items} == {"zh", "en"}
    assert s.labelled >= 150 and sum(1 for i in items if not i.pii) >= 100
    assert s.recall >= 0.99, "\n".join(s.misses)
    assert s.precision >= 0.95, "\n".join(s.false_alarms)


def test_the_scorer_can_fail() -> None:
    leak = Item("卡号6222021234567897", "zh", (Label(2, 18, "card"),))
    assert score((leak,)).recall == 1.0
    unlabelled = Item("卡号6222021234567897", "zh", ())
    assert score((unlabelled,)).precision == 0.0
    half = Item("工号 6222021234567897", "zh", (Label(3, 19, "card"),))  # job-number words: left alone
    assert score((half,)).recall == 0.0


def test_checksums() -> None:
    rng = random.Random(1)
    assert all(luhn_valid(card(rng)) for _ in range(50))
    assert not luhn_valid("6222021234567890") and luhn_valid("4539578763621486")
    assert all(id_valid(resident_id(rng)) for _ in range(50))
    assert id_valid("11010519491231002X") and not id_valid("110105194912310021")
    assert not id_valid("110105194913310028")  # month 13


@pytest.mark.parametrize(("number", "before", "kind"), [
    ("6222021234567897", "", "card"),
    ("6222021234567890", "", "card"),  # Luhn fails: still masked (a misheard digit)
    ("2026120512345670", "流水号", None),  # a reference number failing Luhn
    ("2026120512345670", "卡号", "card"),
    ("11010519491231002X", "", "id"),
    ("13812345678", "", "phone"),
    ("8613812345678", "", "phone"),
    ("02162345678", "", "phone"),
    ("62345678", "电话", "phone"),
    ("62345678", "", None),
    ("622848040256489001812", "账号", "account"),
    ("1023", "工号", None),
    ("482913", "验证码", None),
    ("13812345678", "工号", None),
])
def test_classify_number(number: str, before: str, kind: str | None) -> None:
    assert classify_number(number, before) == kind


def test_spoken_and_written_forms() -> None:
    assert redact_text("卡号六二二二零二幺二三四五六七八九七", "zh").endswith("七八九七")
    assert "*" * 12 in redact_text("卡号六二二二零二幺二三四五六七八九七", "zh")
    en = redact_text("call me on one three eight double one two three four five six seven", "en")
    assert en == "call me on * * * * * * * four five six seven"
    assert redact_text("my card is 6222 0212 3456 7897", "en") == "my card is **** **** **** 7897"
    assert redact_text("转账三千元，工号1023", "zh") == "转账三千元，工号1023"


def test_find_pii_spans() -> None:
    text = "手机13812345678，谢谢"
    assert [(s.start, s.end) for s in find_pii(text, "zh")] == [(2, 9)]
    assert find_pii("您好，请问有什么可以帮您", "zh") == ()


def test_transcripts_keep_word_timings_and_are_redacted_once() -> None:
    words = (Word("my", 0.0, 0.2), Word("card", 0.2, 0.5), Word("is", 0.5, 0.6), Word("six", 0.6, 0.8),
             Word("two", 0.8, 1.0), Word("two", 1.0, 1.2), Word("two", 1.2, 1.4), Word("0212", 1.4, 2.0),
             Word("3456", 2.0, 2.6), Word("7897", 2.6, 3.2))
    u = Utterance("customer", 0.0, 3.2, " ".join(w.text for w in words), words)
    t = CallTranscript("en", (u,), 3.2)
    once = redact_transcript(t)
    assert once.utterances[0].text == "my card is * * * * **** **** 7897"
    assert [(w.start, w.end) for w in once.utterances[0].words] == [(w.start, w.end) for w in words]
    assert [w.text for w in once.utterances[0].words][3:] == ["*", "*", "*", "*", "****", "****", "7897"]
    assert redact_transcript(once) == once
    assert t.utterances[0].text.startswith("my card is six")  # the input is not changed
