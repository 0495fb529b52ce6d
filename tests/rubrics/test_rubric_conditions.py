"""Conditions: complaint detection and rubric-defined mentions."""

from __future__ import annotations

from collections.abc import Callable

from qa_service.domain import CallTranscript
from qa_service.rubrics.conditions import detect_complaint
from qa_service.rubrics.prepared import PreparedCall


def test_complaints_are_found_in_customer_speech(call: Callable[..., CallTranscript]) -> None:
    t = call([("agent", 0, 2, "您好"), ("customer", 3, 6, "我要投诉！你们乱扣我的钱！")])
    trigger = detect_complaint(PreparedCall(t, "zh"))
    assert trigger is not None and trigger.position == 1 and trigger.evidence.matched_text == "投诉"


def test_negated_and_agent_mentions_do_not_count(call: Callable[..., CallTranscript]) -> None:
    t = call([("customer", 0, 2, "我不是要投诉，就是问一下。"), ("agent", 3, 5, "您可以投诉到消保热线。")])
    assert detect_complaint(PreparedCall(t, "zh")) is None
    en = call([("customer", 0, 2, "No complaints, I just wanted to check.")], language="en")
    assert detect_complaint(PreparedCall(en, "en")) is None


def test_english_complaint_and_homophone(call: Callable[..., CallTranscript]) -> None:
    en = call([("customer", 0, 2, "This is unacceptable, you charged me twice!")], language="en")
    assert detect_complaint(PreparedCall(en, "en")) is not None
    zh = call([("customer", 0, 2, "我要投素")])  # 投素 sounds like 投诉
    assert detect_complaint(PreparedCall(zh, "zh")) is not None


def test_inquiries_are_not_complaints(call: Callable[..., CallTranscript]) -> None:
    en = call([("customer", 0, 2, "She still hasn't received it.")], language="en")
    assert detect_complaint(PreparedCall(en, "en")) is None
    zh = call([("customer", 0, 2, "到现在对方还没收到。")])
    assert detect_complaint(PreparedCall(zh, "zh")) is None
