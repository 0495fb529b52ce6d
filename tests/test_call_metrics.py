"""Call metrics from hand-built transcripts."""

from __future__ import annotations

import pytest

from qa_service.call_metrics import MetricsOptions, compute_metrics
from qa_service.domain import CallTranscript, Interval, Role, Utterance


def utt(role: str, start: float, end: float, text: str) -> Utterance:
    return Utterance(role, start, end, text, role=Role(role))


def test_talk_time_silence_overtalk_and_interruptions() -> None:
    t = CallTranscript(
        "zh",
        (
            utt("agent", 0.5, 4.5, "您好，建设银行，工号1023为您服务。"),  # 4 s
            utt("customer", 5.0, 15.0, "你好，我想查一下我的银行卡最近的一笔扣款，是昨天的。"),  # 10 s
            utt("agent", 13.0, 17.0, "好的，我帮您查一下。"),  # starts 2 s before the customer stops
            utt("customer", 16.8, 17.2, "嗯。"),  # short overlap
            utt("agent", 25.0, 27.0, "查到了。"),  # 8 s silence before
            utt("customer", 26.0, 26.5, "好"),  # backchannel-length customer overlap
        ),
        duration=30.0,
    )
    m = compute_metrics(t)
    assert m.duration == 30.0
    assert m.agent_talk_time == pytest.approx(10.0)
    assert m.customer_talk_time == pytest.approx(10.9)
    assert m.talk_to_listen_ratio == pytest.approx(10.0 / 10.9, abs=1e-3)
    assert m.silences == (Interval(17.2, 25.0),) and m.total_silence == pytest.approx(7.8)
    assert m.overtalk == (Interval(13.0, 15.0), Interval(16.8, 17.0), Interval(26.0, 26.5))
    assert m.total_overtalk == pytest.approx(2.7)
    assert m.agent_interruptions == 1
    assert m.rate_unit == "chars/min"
    assert m.agent_speaking_rate == pytest.approx(
        (16 + 8 + 3) * 60 / 10.0, abs=0.1
    )  # letters/digits count too
    assert m.time_to_first_agent_response == 0.5


def test_options_and_english_rates() -> None:
    t = CallTranscript(
        "en",
        (
            utt("customer", 0.0, 6.0, "Hello? I'd like to check my balance please."),
            utt("agent", 6.5, 9.5, "Sure, one moment."),
            utt("agent", 12.0, 15.0, "Your balance is 3,500 dollars."),
        ),
    )
    m = compute_metrics(t, MetricsOptions(silence_threshold_s=2.0))
    assert m.silences == (Interval(9.5, 12.0),)
    assert compute_metrics(t).silences == ()
    assert m.rate_unit == "words/min"
    assert m.customer_speaking_rate == pytest.approx(8 * 60 / 6.0)
    assert m.agent_speaking_rate == pytest.approx(8 * 60 / 6.0)
    assert m.time_to_first_agent_response == 6.5
    assert m.duration == 15.0


def test_backchannels_are_not_interruptions() -> None:
    t = CallTranscript(
        "zh", (utt("customer", 0.0, 10.0, "我跟你说这个事情是这样的。"), utt("agent", 5.0, 5.6, "嗯"))
    )
    m = compute_metrics(t)
    assert m.agent_interruptions == 0 and m.overtalk == (Interval(5.0, 5.6),)


def test_empty_and_one_sided_calls() -> None:
    empty = compute_metrics(CallTranscript("zh", ()))
    assert (
        empty.agent_talk_time == 0
        and empty.talk_to_listen_ratio is None
        and empty.agent_speaking_rate is None
    )
    assert empty.time_to_first_agent_response is None
    agent_only = compute_metrics(CallTranscript("zh", (utt("agent", 1.0, 3.0, "您好"),)))
    assert agent_only.talk_to_listen_ratio is None and agent_only.customer_speaking_rate is None
