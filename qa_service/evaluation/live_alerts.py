"""Live alerts on the sample calls, beside the answers: each call streamed as a PBX sends it (8 kHz
stereo, 200 ms frames) through the live hub — the checks, the recogniser and its options exactly as a
live connection gets them — with every chunk transcribed the moment it closes (an idle recogniser:
what is measured is what fires, not how late), then compared with the alerts the sample's answers
call for.

The answers call for ``greeting_missing`` where an item of the call's rubric limited to the call's
first seconds is expected to fail, ``forbidden_phrase`` where a forbidden-phrase item is, ``complaint`` where the
contact reasons include a complaint and ``escalation`` where an escalation risk is expected. Each
kind fires at most once per call, so per kind and call an alert is right (expected and fired, or
neither), a false alarm, or missed."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa_service.domain import ContactReason, Outcome, Role
from qa_service.live.call import LiveCall
from qa_service.live.simulate import FRAME_S, SimCall, load_call
from qa_service.rubrics import Rubric, select_rubric
from qa_service.rubrics.schema import ForbiddenPhraseItem, RequiredPhraseItem, WindowKind
from qa_service.samples import SampleCall
from qa_service.services.live import LiveHub, LiveStart

#: The alert kinds the sample answers say something about.
KINDS = ("greeting_missing", "forbidden_phrase", "complaint", "escalation")
LIVE_RATE = 8000


@dataclass(frozen=True)
class LiveAlertCase:
    call_id: str
    language: str
    expected: frozenset[str]
    fired: frozenset[str]
    duration_s: float
    seconds: float  # wall-clock time the call took to follow

    def outcome(self, kind: str) -> str:
        """"right", "false_alarm" or "missed"."""
        want, got = kind in self.expected, kind in self.fired
        if want == got:
            return "right"
        return "false_alarm" if got else "missed"


def expected_alerts(sample: SampleCall, rubric: Rubric | None) -> frozenset[str]:
    """The alerts the sample's answers call for (see the module docstring)."""
    failed = {item for item, outcome in sample.expected.rubric if outcome is Outcome.FAIL}
    items = rubric.items if rubric else ()
    want = set()
    if any(isinstance(i, RequiredPhraseItem) and i.window.kind is WindowKind.FIRST and i.window.seconds is not None
           and i.id in failed for i in items):
        want.add("greeting_missing")
    if any(isinstance(i, ForbiddenPhraseItem) and i.id in failed for i in items):
        want.add("forbidden_phrase")
    if ContactReason.COMPLAINT in sample.expected.contact_reasons:
        want.add("complaint")
    if sample.expected.escalation_risk:
        want.add("escalation")
    return frozenset(want)


def follow(hub: LiveHub, sim: SimCall, start: LiveStart) -> LiveCall:
    """``sim`` through the hub as fast as it is transcribed: each frame fed, each closed chunk
    transcribed before the next frame, the time checks run after every frame."""
    call = hub.start(start)
    step = int(FRAME_S * LIVE_RATE)
    for j in range(0, sim.audio.shape[0], step):
        for chunk_id, chunk in call.feed(sim.audio[j:j + step]):
            hub.transcribe(call, chunk_id, chunk)
        call.tick()
    for chunk_id, chunk in call.end():
        hub.transcribe(call, chunk_id, chunk)
    call.tick()
    return call


def sample_start(sample: SampleCall, run: str) -> LiveStart:
    m = sample.metadata
    return LiveStart(f"{sample.call_id}-{run}", m.agent_id, m.team, m.direction, sample.language, LIVE_RATE,
                     (Role.AGENT, Role.CUSTOMER), "eval", campaign=m.campaign)


def evaluate_live_alerts(hub: LiveHub, samples: Sequence[SampleCall], rubrics: Sequence[Rubric], *,
                         on_case: Callable[[LiveAlertCase], None] | None = None) -> list[LiveAlertCase]:
    """Every sample call followed live, its alerts beside its answers."""
    run = f"{time.time_ns():x}"
    out = []
    for sample in samples:
        sim = load_call(sample.stereo_path, call_id=sample.call_id, language=sample.language,
                        agent_channel=sample.agent_channel)
        began = time.monotonic()
        call = follow(hub, sim, sample_start(sample, run))
        rubric = select_rubric(rubrics, sample.metadata, sample.language)
        case = LiveAlertCase(sample.call_id, sample.language, expected_alerts(sample, rubric),
                             frozenset(a.kind for a in call.alerts if a.kind in KINDS),
                             sim.audio.shape[0] / LIVE_RATE, time.monotonic() - began)
        if on_case is not None:
            on_case(case)
        out.append(case)
    return out


@dataclass(frozen=True)
class KindTally:
    kind: str
    language: str  # "all" for both
    calls: int
    expected: int
    right: int
    false_alarms: int
    missed: int

    @property
    def agreement(self) -> float:
        return self.right / self.calls if self.calls else float("nan")


def tally(cases: Sequence[LiveAlertCase]) -> list[KindTally]:
    """Per kind and language (then both): how many calls got it right, false alarms, misses."""
    out = []
    languages = sorted({c.language for c in cases})
    for kind in (*KINDS, "all kinds"):
        kinds = KINDS if kind == "all kinds" else (kind,)
        for language in (*languages, "all"):
            chosen = [c for c in cases if language in ("all", c.language)]
            results = [c.outcome(k) for c in chosen for k in kinds]
            out.append(KindTally(kind, language, len(results), sum(k in c.expected for c in chosen for k in kinds),
                                 results.count("right"), results.count("false_alarm"), results.count("missed")))
    return out


def format_live_alerts(cases: Sequence[LiveAlertCase]) -> str:
    lines = ["Live alerts on the sample calls (8 kHz stereo, each chunk transcribed as it closes)",
             f"{'call':42s} {'expected':36s} {'fired':36s}"]
    for c in cases:
        expected, fired = ",".join(sorted(c.expected)) or "-", ",".join(sorted(c.fired)) or "-"
        lines.append(f"{c.call_id:42s} {expected:36s} {fired:36s}")
    lines += ["", f"{'kind':18s} {'lang':4s} {'calls':>5s} {'expected':>8s} {'right':>5s} {'false':>5s} "
                  f"{'missed':>6s} {'agree':>6s}"]
    for t in tally(cases):
        lines.append(f"{t.kind:18s} {t.language:4s} {t.calls:5d} {t.expected:8d} {t.right:5d} {t.false_alarms:5d} "
                     f"{t.missed:6d} {100 * t.agreement:5.1f}%")
    audio = sum(c.duration_s for c in cases)
    wall = sum(c.seconds for c in cases)
    if audio:
        lines.append(f"\nreal-time factor (recognition of every chunk, one call at a time): {wall / audio:.3f}")
    return "\n".join(lines)
