"""PII redaction: card, ID and phone numbers masked, last four digits and word timings kept."""

from __future__ import annotations

import copy

import pytest

from qa_service.domain import CallTranscript, Role, Utterance, Word
from qa_service.redact import redact_text, redact_transcript


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("卡号是6217 0012 3456 7890。", "zh", "卡号是**** **** **** 7890。"),
        ("卡号是6217001234567890", "zh", "卡号是************7890"),
        ("卡号是六二一七零零一二三四五六七八九零", "zh", "卡号是************七八九零"),
        ("身份证号码是11010519900307123X，", "zh", "身份证号码是**************123X，"),
        ("身份证110105199003071234", "zh", "身份证**************1234"),
        ("手机13812345678", "zh", "手机*******5678"),
        ("电话是幺三八一二三四五六七八", "zh", "电话是*******五六七八"),
        ("座机010-12345678", "zh", "座机***-****5678"),
        ("卡号是６２１７００１２３４５６７８９０", "zh", "卡号是************７８９０"),
        ("The card number is 6217 0055 1234 9087.", "en", "The card number is **** **** **** 9087."),
        ("Call me on 138-1234-5678.", "en", "Call me on ***-****-5678."),
        (
            "It is six two one seven, zero zero five five, one two three four, nine zero eight seven.",
            "en",
            "It is * * * *, * * * *, * * * *, nine zero eight seven.",
        ),
    ],
)
def test_numbers_are_masked(text: str, language: str, expected: str) -> None:
    assert redact_text(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("身份证后四位是0318，金额是98元，工号1023。", "zh"),
        ("转了5000元，11月20日到期，热线95533。", "zh"),
        ("The last four digits are 4471, and the fee was 2,500 dollars.", "en"),
        ("Agent ten twenty three, one moment, oh I see.", "en"),
    ],
)
def test_short_numbers_are_left_alone(text: str, language: str) -> None:
    assert redact_text(text, language) == text


def test_transcript_words_keep_their_timings_and_inputs_are_not_mutated() -> None:
    words = (
        Word("卡号", 1.0, 1.4, 0.9),
        Word("是", 1.4, 1.5, 0.9),
        Word("6217", 1.5, 2.0, 0.8),
        Word("0012", 2.0, 2.5, 0.8),
        Word("3456", 2.5, 3.0, 0.8),
        Word("7890", 3.0, 3.5, 0.8),
    )
    en_words = tuple(
        Word(f" {w}", 5.0 + i, 5.5 + i, 0.9)
        for i, w in enumerate(
            [
                *("six", "two", "one", "seven", "zero", "zero", "five", "five"),
                *("one", "two", "three", "four", "nine", "zero", "eight", "seven"),
            ]
        )
    )
    t = CallTranscript(
        "zh",
        (
            Utterance("customer", 1.0, 3.5, "卡号是6217 0012 3456 7890", words, Role.CUSTOMER),
            Utterance("agent", 4.0, 4.5, "好的", (), Role.AGENT),
        ),
    )
    before = copy.deepcopy(t)
    red = redact_transcript(t)
    assert t == before
    u = red.utterances[0]
    assert u.text == "卡号是**** **** **** 7890"
    assert [w.text for w in u.words] == ["卡号", "是", "****", "****", "****", "7890"]
    assert [(w.start, w.end, w.confidence) for w in u.words] == [
        (w.start, w.end, w.confidence) for w in words
    ]
    assert red.utterances[1] is t.utterances[1]
    en = CallTranscript(
        "en",
        (
            Utterance(
                "customer", 5.0, 21.0, " ".join(w.text.strip() for w in en_words), en_words, Role.CUSTOMER
            ),
        ),
    )
    red_en = redact_transcript(en).utterances[0]
    assert [w.text for w in red_en.words][:2] == [" *", " *"]
    assert [w.text.strip() for w in red_en.words][-4:] == ["nine", "zero", "eight", "seven"]
    assert red_en.text.endswith("* * * * nine zero eight seven")
