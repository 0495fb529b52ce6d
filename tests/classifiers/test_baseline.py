"""The transparent keyword baseline."""

from __future__ import annotations

from qa_service.classifiers.baseline import KeywordClassifier
from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallTranscript,
    Campaign,
    ContactReason,
    Direction,
    OutboundOutcome,
    Role,
    Sentiment,
    Utterance,
)


def _t(lang: str, *turns: tuple[Role, str]) -> CallTranscript:
    return CallTranscript(lang, tuple(Utterance(r.value, i * 3.0, i * 3.0 + 2.5, text, role=r)
                                      for i, (r, text) in enumerate(turns)))


def test_complaint_with_evidence_and_escalation() -> None:
    call = _t("zh",
              (Role.AGENT, "您好，请问有什么可以帮您？"),
              (Role.CUSTOMER, "我要投诉，转账三天了还没到账！"),
              (Role.AGENT, "非常抱歉。"),
              (Role.CUSTOMER, "再不处理我就去银保监会。"))
    result = KeywordClassifier().classify(call)
    assert result.contact_reasons == (ContactReason.COMPLAINT,)
    assert result.complaint_evidence == (1,)
    assert result.business_type == BusinessType.TRANSFER
    assert result.escalation_risk and result.escalation_evidence == (3,)
    assert result.sentiment[0].sentiment == Sentiment.NEGATIVE


def test_agent_words_do_not_make_a_complaint() -> None:
    call = _t("en", (Role.AGENT, "Sorry, is this a complaint?"), (Role.CUSTOMER, "No, what's my balance?"))
    result = KeywordClassifier().classify(call)
    assert result.contact_reasons == (ContactReason.INQUIRY,)
    assert result.business_type == BusinessType.ACCOUNT_INQUIRY


def test_outbound_outcome_by_campaign() -> None:
    meta = CallMetadata("c1", direction=Direction.OUTBOUND, campaign=Campaign.MARKETING)
    call = _t("en", (Role.AGENT, "We have a new fund for you."), (Role.CUSTOMER, "Not interested, no thanks."))
    result = KeywordClassifier().classify(call, meta)
    assert result.outcome == OutboundOutcome.DECLINED
    assert result.contact_reasons == ()
    silent = _t("en", (Role.AGENT, "Hello? Hello?"))
    assert KeywordClassifier().classify(silent, meta).outcome == OutboundOutcome.NOT_REACHED
