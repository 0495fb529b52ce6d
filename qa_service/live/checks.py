"""Checks that can be judged while a call runs, raising an alert the moment they can:

- ``forbidden_phrase``: a forbidden-phrase item of the call's rubric fails (the rubric engine scores the
  transcript so far after each agent utterance, with the same matching as the batch scorecard);
- ``greeting_missing``: a required-phrase item limited to the first N seconds (the greeting) has
  failed once the call is past N seconds and everything said before then is transcribed;
- ``complaint`` / ``escalation``: the customer says a complaint or escalation phrase (the keyword
  lists of :mod:`qa_service.classifiers.baseline`);
- ``long_silence``: neither side has spoken for ``silence_s`` seconds.

Each kind fires once per call (``long_silence`` once per silent stretch)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_service.classifiers.baseline import ESCALATION_KEYWORDS, REASON_KEYWORDS
from qa_service.domain import CallTranscript, ContactReason, Outcome, Role, Utterance
from qa_service.rubrics import Rubric
from qa_service.rubrics.engine import score_call
from qa_service.rubrics.schema import ForbiddenPhraseItem, RequiredPhraseItem, WindowKind


@dataclass(frozen=True)
class AlertSpec:
    kind: str
    at_s: float  # call time the alert is about
    message: str
    evidence: str = ""
    trigger_end_s: float | None = None  # end of the words that set it off


@dataclass
class LiveChecks:
    rubric: Rubric | None
    silence_s: float = 15.0
    greeting_grace_s: float = 2.0
    fired: set[str] = field(default_factory=set)
    _silence_from: float | None = None

    def _greeting_items(self) -> list[RequiredPhraseItem]:
        if self.rubric is None:
            return []
        return [i for i in self.rubric.items if isinstance(i, RequiredPhraseItem)
                and i.window.kind is WindowKind.FIRST and i.window.seconds is not None]

    def after_utterance(self, transcript: CallTranscript, utt: Utterance) -> list[AlertSpec]:
        out: list[AlertSpec] = []
        text = utt.text.lower()
        if utt.role is Role.CUSTOMER:
            for kind, words in (("complaint", REASON_KEYWORDS[ContactReason.COMPLAINT]),
                                ("escalation", ESCALATION_KEYWORDS)):
                hit = next((w for w in words if w.lower() in text), None)
                if hit and kind not in self.fired:
                    self.fired.add(kind)
                    out.append(AlertSpec(kind, utt.start, f"customer {kind}: “{hit}”", utt.text, utt.end))
        if utt.role is Role.AGENT and self.rubric is not None and "forbidden_phrase" not in self.fired:
            result = score_call(transcript, self.rubric)
            forbidden = {i.id for i in self.rubric.items if isinstance(i, ForbiddenPhraseItem)}
            for f in result.findings:
                if f.item_id in forbidden and f.outcome is Outcome.FAIL:
                    self.fired.add("forbidden_phrase")
                    said = f.evidence[0] if f.evidence else None
                    out.append(AlertSpec("forbidden_phrase", said.start if said and said.start is not None
                                         else utt.start, f"forbidden phrase ({f.item_id})",
                                         said.text if said else utt.text, utt.end))
                    break
        return out

    def at_time(self, transcript: CallTranscript, call_s: float, last_speech_s: float,
                transcribed_until_s: float) -> list[AlertSpec]:
        """Time-based checks; ``transcribed_until_s``: everything said before it has been transcribed."""
        out: list[AlertSpec] = []
        for item in self._greeting_items():
            window = float(item.window.seconds or 0.0)
            key = f"greeting_missing:{item.id}"
            if key in self.fired or call_s < window + self.greeting_grace_s or transcribed_until_s < window:
                continue
            result = score_call(transcript, self.rubric) if self.rubric else None
            finding = next((f for f in result.findings if f.item_id == item.id), None) if result else None
            self.fired.add(key)
            if finding is not None and finding.outcome is Outcome.FAIL:
                out.append(AlertSpec("greeting_missing", window, f"no {item.id} in the first {window:g} s"))
        silent = last_speech_s > 0 and call_s - last_speech_s >= self.silence_s
        if silent and self._silence_from != last_speech_s:
            self._silence_from = last_speech_s
            quiet = call_s - last_speech_s
            out.append(AlertSpec("long_silence", last_speech_s, f"no one has spoken for {quiet:.0f} s"))
        return out
