"""Numbers written as words ↔ digits."""

from __future__ import annotations

import pytest

from qa_service.text import (
    chinese_numerals_to_digits,
    digits_to_chinese,
    digits_to_english,
    english_numbers_to_digits,
)


@pytest.mark.parametrize(
    ("run", "digits"),
    [
        ("一零二三", "1023"),
        ("幺零二三", "1023"),
        ("一千零二十三", "1023"),
        ("三千五百", "3500"),
        ("三千五", "3500"),
        ("两万三", "23000"),
        ("十五", "15"),
        ("十", "10"),
        ("一百零五", "105"),
        ("十二万三千四百五十六", "123456"),
        ("二零二六", "2026"),
        ("千万", "千万"),  # units without digits are words, not numbers
    ],
)
def test_chinese_numerals(run: str, digits: str) -> None:
    assert chinese_numerals_to_digits(run) == digits


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("agent one zero two three", "agent 1023"),
        ("agent ten twenty three", "agent 1023"),
        ("twenty three", "23"),
        ("twenty-first", "21"),
        ("one hundred and five", "105"),
        ("one thousand two hundred fifty dollars", "1250 dollars"),
        ("due on the fifteenth", "due on the 15"),
        ("march 15th", "march 15"),
        ("six two two two 0212", "62220212"),
        ("someone two three", "someone 23"),
        ("often", "often"),
        ("oh", "oh"),
        ("one and two", "1 and 2"),
    ],
)
def test_english_numbers(text: str, digits: str) -> None:
    assert english_numbers_to_digits(text) == digits


def test_digits_back_to_words() -> None:
    assert digits_to_chinese("1023") == "一零二三"
    assert digits_to_english("1023") == "one zero two three"
