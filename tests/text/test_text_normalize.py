"""The service's normalisation pipelines and pinyin helpers."""

from __future__ import annotations

import pytest

from qa_service.text import (
    normalize_for_cer,
    normalize_for_matching,
    normalize_for_matching_tracked,
    normalize_for_wer,
    pinyin_key,
    sounds_alike,
    syllable,
    to_pinyin,
)


def test_matching_mandarin() -> None:
    assert (
        normalize_for_matching("您好，建設銀行，工號一零二三為您服務。", "zh")
        == "您好建设银行工号1023为您服务"
    )
    assert normalize_for_matching("嗯，请问 还有 什么可以帮您？", "zh") == "请问还有什么可以帮您"
    assert normalize_for_matching("ＡＴＭ机", "zh") == "atm机"


def test_matching_english() -> None:
    text = "Um, thank you for calling Construction Bank's agent ten twenty-three!"
    assert normalize_for_matching(text, "en") == "thank you for calling construction bank agent 1023"
    assert normalize_for_matching("I don't know", "en") == "i dont know"
    assert normalize_for_matching("That's not my job.", "en") == "that not my job"


def test_tracked_matching_maps_back_to_source() -> None:
    source = "您好，建设银行"
    norm, index = normalize_for_matching_tracked(source, "zh")
    assert norm == "您好建设银行"
    assert source[index[2] : index[-1] + 1] == "建设银行"


def test_cer_uses_opencc_phrase_conversion() -> None:
    # character by character 乾 would become 干; OpenCC's phrase table keeps 乾隆
    assert normalize_for_cer("乾隆皇帝，頭髮") == "乾隆皇帝头发"
    # matching converts character by character (both sides of a comparison alike)
    assert normalize_for_matching("乾隆", "zh") == "干隆"


def test_cer_and_wer() -> None:
    assert normalize_for_cer("您好，建設銀行 工號一零二三。") == "您好建设银行工号1023"
    assert normalize_for_wer("Thank you, agent ten twenty-three.") == "thank you agent 1023"


def test_pinyin() -> None:
    assert syllable("谢") == "xie"
    assert syllable("行") == "hang"  # domain reading: 银行
    assert syllable("a") == ""
    assert to_pinyin("银行") == ["yin", "hang"]
    assert sounds_alike("建社银行", "建设银行")
    assert sounds_alike("公号", "工号")
    assert sounds_alike("只", "知")  # zh/z-merging: zhi = zi too
    assert not sounds_alike("感射", "感谢")
    assert len(pinyin_key("工号1023为您服务")) == len("工号1023为您服务")
    assert pinyin_key("满1") == pinyin_key("满意")  # digits read as Chinese digits


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("returns of up to 5% a year", "returns of up to five percent a year"),
        ("the minimum is $10,000.", "the minimum is ten thousand dollars"),
        ("a fee of ¥200", "a fee of two hundred yuan"),
    ],
)
def test_wer_normalisation_reads_amount_symbols_as_words(written: str, spoken: str) -> None:
    assert normalize_for_wer(written) == normalize_for_wer(spoken)


def test_wer_normalisation_leaves_a_lone_symbol_alone() -> None:
    assert normalize_for_wer("100 % sure, $ signs") == "100 percent sure signs"
