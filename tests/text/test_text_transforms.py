"""Composable transforms, with and without a source index."""

from __future__ import annotations

from qa_service.text import (
    ChineseNumeralsToDigits,
    CollapseWhitespace,
    Compose,
    DigitsToChineseNumerals,
    EnglishNumbersToDigits,
    FullWidthToHalfWidth,
    JoinDigitGroups,
    PunctuationToSpace,
    RemoveCharacters,
    RemovePunctuation,
    RemoveWhitespace,
    RemoveWords,
    ToLowerCase,
    ToSimplified,
)


def test_each_transform() -> None:
    assert ToSimplified()("建設銀行為您服務") == "建设银行为您服务"
    assert ToSimplified(phrases=True)("建設銀行") == "建设银行"
    assert FullWidthToHalfWidth()("ＡＴＭ１２３，") == "ATM123,"
    assert ToLowerCase()("Thank YOU") == "thank you"
    assert RemovePunctuation()("您好，建设银行！") == "您好建设银行"
    assert PunctuationToSpace()("don't, stop") == "dont  stop"
    assert RemoveWhitespace()("建设 银行") == "建设银行"
    assert RemoveCharacters("嗯呃")("嗯，您好呃") == "，您好"
    assert CollapseWhitespace()("  a \t b  ") == "a b"
    assert RemoveWords(["um"])("um hello drum") == " hello drum"
    assert JoinDigitGroups()("6222 0212-1234 and 1,250") == "622202121234 and 1250"
    assert ChineseNumeralsToDigits()("工号一零二三") == "工号1023"
    assert DigitsToChineseNumerals()("工号1023") == "工号一零二三"
    assert EnglishNumbersToDigits()("agent ten twenty three") == "agent 1023"


def test_transforms_work_on_lists_like_jiwer() -> None:
    assert ToLowerCase()(["A", "B"]) == ["a", "b"]


def test_compose_fuses_character_transforms_and_keeps_the_index() -> None:
    pipeline = Compose(
        [ToSimplified(), FullWidthToHalfWidth(), RemovePunctuation(), ChineseNumeralsToDigits()]
    )
    source = "工號：一零二三，為您服務"
    out, index = pipeline.apply(source, list(range(len(source))))
    assert out == "工号1023为您服务"
    assert index is not None and len(index) == len(out)
    assert [source[i] for i in index[:2]] == ["工", "號"]
    assert source[index[out.index("为")]] == "為"
    # the digits map back into the numeral run they came from
    assert all(source[i] in "一零二三" for i in index[2:6])


def test_tracked_and_untracked_outputs_agree() -> None:
    pipeline = Compose([ToLowerCase(), PunctuationToSpace(), EnglishNumbersToDigits(), CollapseWhitespace()])
    for text in ["  Hello, Agent TEN twenty-three! ", "one, two", "", "It's 5108."]:
        tracked, index = pipeline.apply(text, list(range(len(text))))
        assert tracked == pipeline(text)
        assert index is not None and len(index) == len(tracked)


def test_compose_repr_names_its_steps() -> None:
    assert "ToLowerCase" in repr(Compose([ToLowerCase()]))
