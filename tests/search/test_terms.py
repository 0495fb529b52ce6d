"""Index terms and phrase queries (pure): Mandarin bigrams, English words, normalisation, spans."""

from __future__ import annotations

import pytest

from qa_service.errors import InvalidRequest
from qa_service.search.terms import (
    MAX_QUERY_CHARS,
    PhraseQuery,
    document_terms,
    find_matches,
    fts5_expression,
    parse_query,
    search_doc,
)


def _spans(text: str, query: str) -> list[str]:
    return [text[s.start:s.end] for s in find_matches(text, parse_query(query))]


def test_mandarin_is_bigrams_with_the_run_end_marked() -> None:
    assert search_doc("信用卡") == "信用 用卡 卡"
    assert search_doc("卡") == "卡"
    assert search_doc("信用，卡号") == "信用 用 卡号 号"  # punctuation ends a run


def test_english_is_lower_case_words_without_punctuation() -> None:
    assert search_doc("Thank you, Mr. O'Brien!") == "thank you mr obrien"
    assert search_doc("VIP客户 500元") == "vip 客户 户 500 元"


def test_width_script_and_spaces_inside_mandarin_are_normalised() -> None:
    assert search_doc("ＡＢＣ１２３") == "abc123"
    assert search_doc("電話銀行") == search_doc("电话银行")
    assert search_doc("信用 卡") == search_doc("信用卡")


def test_terms_keep_their_place_in_the_original_text() -> None:
    text = "您好，ＶＩＰ客户"
    assert [(t.text, text[t.start:t.end]) for t in document_terms(text)] == [
        ("您好", "您好"), ("好", "好"), ("vip", "ＶＩＰ"), ("客户", "客户"), ("户", "户")]


def test_redaction_masks_are_not_terms() -> None:
    assert search_doc("卡号是****，尾号********") == "卡号 号是 是 尾号 号"


def test_query_phrase_drops_the_open_end_of_its_last_mandarin_run() -> None:
    assert parse_query("信用卡") == PhraseQuery("信用卡", ("信用", "用卡"))
    assert parse_query("卡") == PhraseQuery("卡", ("卡",), prefix=True)
    assert parse_query("用卡 card") == PhraseQuery("用卡 card", ("用卡", "卡", "card"))
    assert parse_query("Thank You") == PhraseQuery("Thank You", ("thank", "you"))


@pytest.mark.parametrize(("text", "query", "found"), [
    ("我想办一张信用卡，谢谢", "信用卡", ["信用卡"]),
    ("我的信用额度和卡", "信用卡", []),  # not contiguous
    ("信用，卡号", "信用卡", []),  # across punctuation
    ("信用，卡号", "信用，卡", ["信用，卡"]),
    ("卡号是多少，银行卡", "卡", ["卡", "卡"]),
    ("Thank you for calling", "THANK YOU", ["Thank you"]),
    ("thanks, you", "thank you", []),  # words are whole
    ("Card number, please", "number please", ["number, please"]),
    ("我是VIP客户", "vip客", ["VIP客"]),
    ("電話銀行", "电话", ["電話"]),
    ("信用卡信用卡", "信用卡", ["信用卡", "信用卡"]),
])
def test_find_matches(text: str, query: str, found: list[str]) -> None:
    assert _spans(text, query) == found


@pytest.mark.parametrize("query", ["", "   ", "，。！？", "****", "a", "5", "x" * (MAX_QUERY_CHARS + 1)])
def test_queries_with_nothing_to_search_are_refused(query: str) -> None:
    with pytest.raises(InvalidRequest) as err:
        parse_query(query)
    assert err.value.details["field"] == "q"


@pytest.mark.parametrize(("query", "expression"), [
    ('"信用卡" OR 1', '"信用 用卡 卡 or 1"'),
    ("NEAR(信用 卡)", '"near 信用 用卡"'),
    ("信用*", '"信用"'),
    ("^卡 + -x:y", '"卡 x y"'),
    ("卡", '"卡" *'),
])
def test_fts5_expression_is_one_quoted_phrase_whatever_was_typed(query: str, expression: str) -> None:
    assert fts5_expression(parse_query(query)) == expression
