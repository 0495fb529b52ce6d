"""Phrase matching: exact, homophone, fuzzy, slots."""

from __future__ import annotations

from qa_service.rubrics.matching import (
    apply_slots,
    compile_phrase,
    coverage_score,
    find_exact,
    find_fuzzy,
    find_phrase,
    key_of,
)
from qa_service.rubrics.schema import Slot
from qa_service.text import normalize_for_matching


def prep(text: str, language: str) -> tuple[str, str]:
    norm = normalize_for_matching(text, language)
    return norm, key_of(norm, language)


def test_exact_and_word_boundaries() -> None:
    phrase = compile_phrase("I don't know", "en")
    assert find_exact(phrase, *prep("Well, I don't know.", "en"), "en") is not None
    assert find_exact(phrase, *prep("Hi, I don't knowledge", "en"), "en") is None
    assert find_exact(compile_phrase("不知道", "zh"), *prep("这个我也不知道。", "zh"), "zh").method == "exact"  # type: ignore[union-attr]


def test_homophones_match_by_sound() -> None:
    m = find_exact(compile_phrase("建设银行", "zh"), *prep("您好，建社银行", "zh"), "zh")
    assert m is not None and m.method == "homophone" and (m.start, m.end) == (2, 6)
    assert find_exact(compile_phrase("工号", "zh"), *prep("公号1023", "zh"), "zh") is not None


def test_fuzzy_accepts_one_error_and_rejects_near_misses() -> None:
    closing = compile_phrase("感谢您的来电", "zh")
    assert closing.fuzzy
    for said in ("感射您的来电，再见", "感谢您来电，再见"):
        m = find_fuzzy(closing, *prep(said, "zh"), "zh", 70)
        assert m is not None and m.score >= 80, said
    m = find_fuzzy(closing, *prep("感谢您的耐心等待", "zh"), "zh", 70)
    assert m is None or m.score < 70


def test_english_content_words_must_be_present() -> None:
    phrase = compile_phrase("thank you for calling", "en")
    assert find_fuzzy(phrase, *prep("Thank you for caling, goodbye", "en"), "en", 75) is not None
    assert find_fuzzy(phrase, *prep("Thank you for call ing, goodbye", "en"), "en", 75) is not None
    assert find_fuzzy(phrase, *prep("Thank you for holding, goodbye", "en"), "en", 75) is None


def test_short_phrases_are_not_matched_fuzzily() -> None:
    phrase = compile_phrase("您好", "zh")
    assert not phrase.fuzzy
    assert find_phrase(phrase, *prep("你说", "zh"), "zh", 0) is None


def test_coverage_score() -> None:
    assert coverage_score("abcdef", "abcdef") == 100
    assert round(coverage_score("abcdef", "abcde")) == 83  # one dropped
    assert round(coverage_score("abcdef", "abcd")) == 67  # truncated
    assert coverage_score("", "abc") == 0


def test_slots_longest_match_wins_and_index_follows() -> None:
    slots = (Slot("job_number", r"(?<!\d)\d{4}(?!\d)", "\ue000"), Slot("amount", r"\d+元", "\ue001"))
    text = "工号1023金额3260元"
    out, index = apply_slots(text, slots, list(range(len(text))))
    assert out == "工号\ue000金额\ue001"
    assert index == [0, 1, 2, 6, 7, 8]
    phrase = compile_phrase("工号{job_number}", "zh", slots)
    assert phrase.norm == "工号\ue000"
