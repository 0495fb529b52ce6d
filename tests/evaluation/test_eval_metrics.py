"""WER/CER, DER and role accuracy on hand-built references and hypotheses."""

from __future__ import annotations

import pytest

from qa_service.domain import Role, SpeakerTurn, Utterance
from qa_service.evaluation.metrics import (
    DerCounts,
    ErrorCounts,
    RoleCounts,
    SpeakerRoleCounts,
    diarization_errors,
    role_errors,
    speaker_role_decisions,
    transcript_errors,
)


def test_wer_normalises_case_punctuation_and_number_words() -> None:
    counts = transcript_errors("Thank you for calling, goodbye.", "thank you for calling goodbye", "en")
    assert counts.unit == "WER" and counts.errors == 0 and counts.reference_length == 5
    one_sub = transcript_errors("may I have your full name", "may I have your phone name", "en")
    assert one_sub.substitutions == 1 and one_sub.rate == pytest.approx(1 / 6)
    spelled = transcript_errors("I sent 2500 dollars", "I sent two thousand five hundred dollars", "en")
    assert spelled.errors == 0


def test_cer_normalises_script_width_and_punctuation() -> None:
    counts = transcript_errors("您好，建设银行。", "您好, 建設銀行!", "zh")
    assert counts.unit == "CER" and counts.errors == 0 and counts.reference_length == 6
    sub = transcript_errors("工号一零二三", "公号一零二三", "zh")
    assert sub.errors == 1


def test_empty_references_and_hypotheses() -> None:
    assert transcript_errors("", "", "en").rate == 0.0
    assert transcript_errors("", "invented words", "en").rate == 1.0  # anything invented is an error
    nothing = transcript_errors("hello there", "", "en")
    assert nothing.deletions == 2 and nothing.rate == 1.0


def test_error_counts_add_up_corpus_level() -> None:
    a = ErrorCounts("WER", 1, 0, 0, 10)
    b = ErrorCounts("WER", 0, 1, 1, 30)
    assert (a + b).rate == pytest.approx(3 / 40)


def _turns(*t: tuple[str, float, float]) -> tuple[SpeakerTurn, ...]:
    return tuple(SpeakerTurn(s, a, b) for s, a, b in t)


def test_der_uses_the_optimal_label_mapping_and_collars() -> None:
    ref = _turns(("agent", 0.0, 5.0), ("customer", 6.0, 10.0))
    perfect = _turns(("SPEAKER_01", 0.0, 5.0), ("SPEAKER_00", 6.0, 10.0))
    assert diarization_errors(ref, perfect).rate == 0.0
    late = _turns(("A", 0.1, 5.0), ("B", 6.0, 10.0))  # 0.1 s missed at the first boundary
    assert diarization_errors(ref, late, collar=0.0).rate == pytest.approx(0.1 / 9.0)
    assert diarization_errors(ref, late, collar=0.25).rate == 0.0  # ±0.125 s forgiven
    swapped = _turns(("A", 0.0, 10.0))  # one speaker for everything
    counts = diarization_errors(ref, swapped)
    assert counts.confusion == pytest.approx(4.0) and counts.false_alarm == pytest.approx(1.0)
    assert counts.rate == pytest.approx(5.0 / 9.0)


def test_der_counts_add_up() -> None:
    total = DerCounts(1.0, 0.0, 0.0, 10.0) + DerCounts(0.0, 1.0, 1.0, 10.0)
    assert total.rate == pytest.approx(0.15)


def _utt(role: Role, start: float, end: float) -> Utterance:
    return Utterance("X", start, end, "...", role=role)


def test_role_accuracy_is_measured_over_attributed_reference_time() -> None:
    ref = [(Role.AGENT, 0.0, 4.0), (Role.CUSTOMER, 5.0, 9.0)]
    right = [_utt(Role.AGENT, 0.2, 3.8), _utt(Role.CUSTOMER, 5.1, 9.0)]
    counts = role_errors(ref, right)
    assert counts.accuracy == 1.0
    assert counts.coverage == pytest.approx((3.6 + 3.9) / 8.0)
    swapped = [_utt(Role.CUSTOMER, 0.0, 4.0), _utt(Role.AGENT, 5.0, 9.0)]
    assert role_errors(ref, swapped).accuracy == 0.0
    half = [_utt(Role.AGENT, 0.0, 4.0), _utt(Role.AGENT, 5.0, 7.0), _utt(Role.CUSTOMER, 7.0, 9.0)]
    assert role_errors(ref, half).accuracy == pytest.approx(6.0 / 8.0)


def test_role_accuracy_ignores_unknown_roles_and_handles_nothing() -> None:
    ref = [(Role.AGENT, 0.0, 4.0)]
    assert role_errors(ref, [_utt(Role.UNKNOWN, 0.0, 4.0)]).accuracy is None
    assert RoleCounts(0.0, 0.0, 0.0).coverage is None
    assert (RoleCounts(1.0, 2.0, 4.0) + RoleCounts(1.0, 2.0, 4.0)).accuracy == 0.5


def test_overlapped_reference_speech_given_to_the_other_real_speaker_is_missed_not_confused() -> None:
    # the customer interjects at 3.5-5.0 while the agent is still talking (until 4.0); the recogniser
    # only heard the customer there. That is missed agent speech, not a wrong role.
    ref = [(Role.AGENT, 0.0, 4.0), (Role.CUSTOMER, 3.5, 5.0)]
    hyp = [_utt(Role.AGENT, 0.0, 3.4), _utt(Role.CUSTOMER, 3.5, 5.0)]
    counts = role_errors(ref, hyp)
    assert counts.accuracy == 1.0 and counts.attributed == pytest.approx(3.4 + 1.5)


def _spk(speaker: str, role: Role, start: float, end: float) -> Utterance:
    return Utterance(speaker, start, end, "...", role=role)


def test_speaker_role_decisions_judge_the_role_stage_apart_from_diarization_errors() -> None:
    ref = [(Role.AGENT, 0.0, 4.0), (Role.CUSTOMER, 5.0, 9.0), (Role.AGENT, 10.0, 14.0)]
    # the diarizer gave 5-6 s of customer speech to the agent's speaker: role accuracy drops, the
    # role decision for each speaker is still right
    hyp = [_spk("S0", Role.AGENT, 0.0, 4.0), _spk("S0", Role.AGENT, 5.0, 6.0), _spk("S1", Role.CUSTOMER, 6.0, 9.0),
           _spk("S0", Role.AGENT, 10.0, 14.0)]
    assert role_errors(ref, hyp).accuracy == pytest.approx(11.0 / 12.0)
    assert speaker_role_decisions(ref, hyp) == SpeakerRoleCounts(2, 2)
    swapped = [_spk("S0", Role.CUSTOMER, 0.0, 4.0), _spk("S1", Role.AGENT, 5.0, 9.0),
               _spk("S0", Role.CUSTOMER, 10.0, 14.0)]
    assert speaker_role_decisions(ref, swapped) == SpeakerRoleCounts(0, 2)


def test_speaker_role_decisions_skip_unknown_roles_and_speakers_outside_the_reference() -> None:
    ref = [(Role.AGENT, 0.0, 4.0)]
    hyp = [_spk("S0", Role.AGENT, 0.0, 4.0), _spk("S1", Role.CUSTOMER, 20.0, 21.0), _spk("S2", Role.UNKNOWN, 0, 1)]
    counts = speaker_role_decisions(ref, hyp)
    assert counts == SpeakerRoleCounts(1, 1) and counts.accuracy == 1.0
    assert SpeakerRoleCounts(0, 0).accuracy is None
    assert SpeakerRoleCounts(1, 2) + SpeakerRoleCounts(2, 2) == SpeakerRoleCounts(3, 4)
