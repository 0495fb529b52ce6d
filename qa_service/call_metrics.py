"""Call metrics from the role-labelled transcript: a pure stage, no IO.

- talk time per role: the union of that role's utterance intervals (overlaps counted once);
- talk-to-listen ratio: agent talk time / customer talk time;
- silences: gaps where nobody speaks, between the first and the last speech, of at least
  ``silence_threshold_s`` (holds show up here, with their times);
- overtalk: stretches where agent and customer speak at once, of at least ``min_overtalk_s``;
- agent interruptions: agent turns that start while the customer is still speaking, at least
  ``interruption_min_overlap_s`` before the customer stops, and that are not short backchannels
  (嗯 / "mm-hm", up to ``backchannel_max_s``);
- speaking rate per role: characters per minute of talk time for Mandarin (Chinese characters,
  letters and digits; no punctuation), words per minute for other languages;
- time to first agent response: when the agent first speaks, in seconds from the start of the call.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from qa_service.domain import CallMetrics, CallTranscript, Interval, Role, Utterance
from qa_service.text import is_chinese

_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.,][A-Za-z0-9]+)*")  # I'd, 3,500 and 3.5 are one word each
_EPS = 1e-9


@dataclass(frozen=True)
class MetricsOptions:
    silence_threshold_s: float = 5.0
    min_overtalk_s: float = 0.2
    interruption_min_overlap_s: float = 0.5
    backchannel_max_s: float = 1.0


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersection(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _total(intervals: list[tuple[float, float]]) -> float:
    return sum(end - start for start, end in intervals)


def _units(utterances: tuple[Utterance, ...], chinese: bool) -> int:
    if chinese:
        return sum(1 for u in utterances for ch in u.text if ch.isalnum())
    return sum(len(_EN_WORD.findall(u.text)) for u in utterances)


def _rate(count: int, seconds: float) -> float | None:
    return round(count * 60.0 / seconds, 1) if seconds > 0 else None


def _interruptions(
    agent: tuple[Utterance, ...], customer: tuple[Utterance, ...], options: MetricsOptions
) -> int:
    interrupted: set[int] = set()
    for a in agent:
        if a.duration <= options.backchannel_max_s:
            continue
        for k, c in enumerate(customer):
            if c.start < a.start and c.end - a.start >= options.interruption_min_overlap_s - _EPS:
                interrupted.add(k)
    return len(interrupted)


def compute_metrics(transcript: CallTranscript, options: MetricsOptions = MetricsOptions()) -> CallMetrics:
    """Metrics of a role-labelled transcript (utterances of unknown role count as speech only)."""
    utts = transcript.utterances
    duration = max([transcript.duration, *(u.end for u in utts)]) if utts else transcript.duration
    agent, customer = transcript.by_role(Role.AGENT), transcript.by_role(Role.CUSTOMER)
    agent_iv = _union([(u.start, u.end) for u in agent])
    customer_iv = _union([(u.start, u.end) for u in customer])
    speech = _union([(u.start, u.end) for u in utts])
    silences = tuple(
        Interval(round(prev_end, 3), round(start, 3))
        for (_, prev_end), (start, _) in itertools.pairwise(speech)
        if start - prev_end >= options.silence_threshold_s - _EPS
    )
    overtalk = tuple(
        Interval(round(s, 3), round(e, 3))
        for s, e in _intersection(agent_iv, customer_iv)
        if e - s >= options.min_overtalk_s - _EPS
    )
    agent_time, customer_time = _total(agent_iv), _total(customer_iv)
    chinese = is_chinese(transcript.language)
    return CallMetrics(
        duration=round(duration, 3),
        agent_talk_time=round(agent_time, 3),
        customer_talk_time=round(customer_time, 3),
        talk_to_listen_ratio=round(agent_time / customer_time, 3) if customer_time > 0 else None,
        silences=silences,
        total_silence=round(sum(s.duration for s in silences), 3),
        overtalk=overtalk,
        total_overtalk=round(sum(o.duration for o in overtalk), 3),
        agent_interruptions=_interruptions(agent, customer, options),
        agent_speaking_rate=_rate(_units(agent, chinese), agent_time),
        customer_speaking_rate=_rate(_units(customer, chinese), customer_time),
        rate_unit="chars/min" if chinese else "words/min",
        time_to_first_agent_response=round(min(u.start for u in agent), 3) if agent else None,
    )
