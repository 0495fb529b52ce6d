"""Scoring hand-built transcripts: outcomes, evidence, windows, order, review, totals, purity."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace

import pytest

from qa_service.domain import CallTranscript, Outcome
from qa_service.redact import redact_transcript
from qa_service.rubrics import (
    load_rubric,
    parse_rubric,
    rubric_result_from_dict,
    rubric_result_to_dict,
    score_call,
)
from qa_service.rubrics.engine import scorecard
from qa_service.settings import PROJECT_ROOT

ZH = load_rubric(PROJECT_ROOT / "rubrics" / "inbound_service_zh.yaml")
EN = load_rubric(PROJECT_ROOT / "rubrics" / "inbound_service_en.yaml")
Call = Callable[..., CallTranscript]

GOOD_ZH = [
    ("agent", 0.5, 4.0, "您好，建设银行，工号1023为您服务。"),
    ("customer", 4.5, 8.0, "你好，我想查一下余额。"),
    ("agent", 8.5, 12.0, "好的，请问您的姓名和身份证后四位？"),
    ("customer", 12.5, 15.0, "王建国，0318。"),
    ("agent", 15.5, 30.0, "您的活期余额是三千五百元，定期账户有两万元。"),
    ("customer", 30.5, 34.0, "好的，谢谢。"),
    ("agent", 34.5, 37.0, "请问还有什么可以帮您？"),
    ("customer", 37.5, 39.0, "没有了。"),
    ("agent", 39.5, 42.0, "感谢您的来电，再见。"),
]


def outcomes(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f.item_id: f.outcome.value for f in result.findings}


def test_a_good_call_passes_with_evidence(call: Call) -> None:
    result = score_call(call(GOOD_ZH), ZH)
    assert outcomes(result) == {
        "greeting": "pass",
        "verification": "pass",
        "offer_further_help": "pass",
        "closing": "pass",
        "forbidden_phrases": "pass",
        "apology_on_complaint": "n/a",
        "order": "pass",
    }
    assert result.passed and result.score == 100.0 and not result.auto_failed and not result.needs_review
    assert (result.rubric_id, result.rubric_version, result.rubric_hash) == (ZH.id, ZH.version, ZH.hash)
    greeting = result.finding("greeting")
    assert [e.matched_text for e in greeting.evidence] == ["您好", "建设银行", "工号1023"]
    assert greeting.evidence[0].utterance_index == 0 and greeting.evidence[0].start == 0.5
    assert greeting.evidence[0].text == "您好，建设银行，工号1023为您服务。"
    assert greeting.evidence[0].confidence == 1.0  # no words: interchange-style transcript


def test_not_applicable_is_not_a_pass(call: Call) -> None:
    result = score_call(call(GOOD_ZH), ZH)
    apology = result.finding("apology_on_complaint")
    assert apology.outcome == Outcome.NOT_APPLICABLE and apology.score == 0
    # N/A weight is left out of the total: 100 over the applicable items
    assert result.score == 100.0


def test_conditional_item_applies_when_the_customer_complains(call: Call) -> None:
    lines = [
        *GOOD_ZH[:5],
        ("customer", 30.5, 33.0, "我要投诉，你们乱扣费！"),
        ("agent", 33.5, 36.0, "非常抱歉，我马上为您核实处理。"),
        *GOOD_ZH[6:],
    ]
    assert score_call(call(lines), ZH).finding("apology_on_complaint").outcome == Outcome.PASS
    lines[6] = ("agent", 33.5, 36.0, "这是正常扣费。")
    finding = score_call(call(lines), ZH).finding("apology_on_complaint")
    assert finding.outcome == Outcome.FAIL
    assert "after the triggering utterance" in finding.message and "30.5" in finding.message


def test_a_critical_failure_fails_the_call(call: Call) -> None:
    lines = [*GOOD_ZH[:5], ("agent", 30.1, 30.4, "这个我也不知道。"), *GOOD_ZH[5:]]
    result = score_call(call(lines), ZH)
    forbidden = result.finding("forbidden_phrases")
    assert forbidden.outcome == Outcome.FAIL and forbidden.critical
    assert forbidden.evidence[0].matched_text == "不知道" and forbidden.evidence[0].start == 30.1
    assert result.auto_failed and not result.passed
    assert result.score == pytest.approx(100 * 75 / 95, abs=0.01)


def test_forbidden_phrase_by_the_customer_or_in_a_polite_form_is_fine(call: Call) -> None:
    lines = [
        *GOOD_ZH[:5],
        ("customer", 30.1, 30.4, "我不知道卡号。"),
        ("agent", 30.5, 31.0, "不知道您现在是否方便？我看看有没有办法。"),
        *GOOD_ZH[5:],
    ]
    assert score_call(call(lines), ZH).finding("forbidden_phrases").outcome == Outcome.PASS


def test_low_confidence_words_need_review(call: Call) -> None:
    lines = list(GOOD_ZH)
    lines[0] = (*GOOD_ZH[0], "建设银行")
    result = score_call(call(lines), ZH)
    greeting = result.finding("greeting")
    assert greeting.outcome == Outcome.NEEDS_REVIEW
    assert min(e.confidence for e in greeting.evidence) == pytest.approx(0.3)
    assert result.needs_review and greeting.score == 0
    assert result.score == 100.0  # needs-review items wait for a reviewer, out of the total
    lines = [*GOOD_ZH[:5], ("agent", 30.1, 31.0, "这个我也不知道。", "不知道"), *GOOD_ZH[5:]]
    assert score_call(call(lines), ZH).finding("forbidden_phrases").outcome == Outcome.NEEDS_REVIEW


def test_same_sounding_forbidden_phrase_needs_review(call: Call) -> None:
    lines = [*GOOD_ZH[:5], ("agent", 30.1, 31.0, "这个我也不只道。"), *GOOD_ZH[5:]]
    finding = score_call(call(lines), ZH).finding("forbidden_phrases")
    assert finding.outcome == Outcome.NEEDS_REVIEW and "same sound" in finding.message


def test_homophones_and_recognition_errors_still_pass(call: Call) -> None:
    lines = list(GOOD_ZH)
    lines[0] = ("agent", 0.5, 4.0, "您好，建社银行，公号一零二三为您服务。")
    lines[-1] = ("agent", 39.5, 42.0, "感射您的来电，再见。")
    result = score_call(call(lines), ZH)
    assert result.finding("greeting").outcome == Outcome.PASS
    assert result.finding("closing").outcome == Outcome.PASS
    assert "fuzzy" in result.finding("closing").message


def test_window_first_seconds(call: Call) -> None:
    lines = [
        ("customer", 0.5, 16.0, "喂？喂？能听到吗？我这边信号不好。"),
        *[(r, s + 16, e + 16, t) for r, s, e, t in GOOD_ZH],
    ]
    finding = score_call(call(lines), ZH).finding("greeting")
    assert finding.outcome == Outcome.FAIL
    assert "within the first 15 s (0.0–15.0 s)" in finding.message


def test_window_last_seconds(call: Call) -> None:
    lines = list(GOOD_ZH)
    lines.append(
        ("customer", 42.5, 80.0, "好的，那我再说一下我的另一个问题，就是关于信用卡的还款日期的事情。")
    )
    finding = score_call(call(lines), ZH).finding("closing")
    assert finding.outcome == Outcome.FAIL
    assert "within the last 30 s (from 50.5 s)" in finding.message  # the call lasts 80.5 s


def test_window_after_another_item(call: Call) -> None:
    lines = [("agent", 0.2, 0.4, "请问还有什么可以帮您？"), *GOOD_ZH[:6], *GOOD_ZH[7:]]
    finding = score_call(call(lines), ZH).finding("offer_further_help")
    assert finding.outcome == Outcome.FAIL and "after greeting" in finding.message


def test_order(call: Call) -> None:
    assert score_call(call(GOOD_ZH), ZH).finding("order").outcome == Outcome.PASS
    late = [
        *GOOD_ZH[:2],
        *GOOD_ZH[4:8],
        ("agent", 38.0, 39.0, "请问您的姓名和身份证后四位？"),
        ("customer", 39.1, 39.4, "王建国，0318。"),
        GOOD_ZH[8],
    ]
    finding = score_call(call(late), ZH).finding("order")
    assert finding.outcome == Outcome.FAIL and "came before verification" in finding.message
    bare = [GOOD_ZH[1], GOOD_ZH[5]]
    assert score_call(call(bare), ZH).finding("order").outcome == Outcome.NOT_APPLICABLE


def test_english_call(call: Call) -> None:
    lines = [
        ("agent", 0.5, 4.0, "Thank you for calling Construction Bank, this is agent ten twenty three."),
        ("customer", 4.5, 8.0, "Hi, I need my balance."),
        ("agent", 8.5, 12.0, "May I have your full name and the last four digits of your ID?"),
        ("customer", 12.5, 15.0, "David Miller, 4471."),
        ("agent", 15.5, 30.0, "Your balance is 3,500 dollars."),
        ("agent", 34.5, 37.0, "Is there anything else I can help you with?"),
        ("customer", 37.5, 39.0, "No."),
        ("agent", 39.5, 42.0, "Thank you for calling, goodbye."),
    ]
    result = score_call(call(lines, language="en"), EN)
    assert result.passed, result
    assert result.finding("greeting").evidence[2].matched_text == "agent ten twenty three"


def test_scoring_is_pure(call: Call) -> None:
    transcript = call([*GOOD_ZH[:5], ("agent", 30.1, 30.4, "没办法。"), *GOOD_ZH[5:]])
    before = copy.deepcopy(transcript)
    first, second = score_call(transcript, ZH), score_call(transcript, ZH)
    assert transcript == before and first == second


def test_a_changed_rubric_rescores_the_same_transcript(call: Call) -> None:
    transcript = call(GOOD_ZH)
    text = (PROJECT_ROOT / "rubrics" / "inbound_service_zh.yaml").read_text(encoding="utf-8")
    stricter = parse_rubric(text.replace("      - [再见, 拜拜]", "      - [祝您生活愉快]"), "stricter.yaml")
    result = score_call(transcript, stricter)
    assert result.rubric_hash != ZH.hash and result.finding("closing").outcome == Outcome.FAIL


def test_redacted_transcripts_still_score(call: Call) -> None:
    lines = [
        *GOOD_ZH[:3],
        ("customer", 12.5, 15.0, "王建国，身份证110105199003071234，卡号6217001234567890。"),
        *GOOD_ZH[4:],
    ]
    transcript = call(lines)
    redacted = redact_transcript(transcript)
    assert "6217001234567890" not in redacted.text
    assert outcomes(score_call(redacted, ZH)) == outcomes(score_call(transcript, ZH))


def test_result_round_trips_through_json(call: Call) -> None:
    result = score_call(call(GOOD_ZH), ZH)
    data = rubric_result_to_dict(result)
    assert set(data["items"]) == set(ZH.item_ids)
    assert data["items"]["greeting"]["evidence"][0]["matched_text"] == "您好"
    assert rubric_result_from_dict(data) == result


def test_scorecard_totals(call: Call) -> None:
    result = score_call(call(GOOD_ZH), ZH)
    failed = tuple(
        replace(f, outcome=Outcome.FAIL, score=0.0) if f.item_id == "offer_further_help" else f
        for f in result.findings
    )
    card = scorecard(ZH, failed)
    assert card.score == pytest.approx(100 * 80 / 95, abs=0.01) and not card.passed and not card.auto_failed
