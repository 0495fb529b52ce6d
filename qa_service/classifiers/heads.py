"""The trained part of the call classifier: small task heads over frozen utterance features.

Each utterance's features (standardised) are joined with the other party's previous utterance,
its role, its relative position and the call's context (inbound / outbound campaign) and mapped
through one shared hidden layer. From there:

- per customer utterance: contact-reason logits (4, multi-label; separate read-outs for inbound
  and outbound calls, plus a per-context prior), sentiment (3) and escalation (1). The call's
  contact reasons and escalation flag are the *max* over customer utterances, so the utterances
  that carry a complaint are the evidence, and call-level labels alone (supervisors'
  corrections) can train them;
- per utterance, from its own features: the topic (one of the business types, or none); the
  call's business type is read from the summed and strongest topic probabilities;
- per customer utterance: the outbound outcome it states (or none); per call the outcome (9,
  masked to the campaign's outcomes) from the strongest statements and attention-pooled context.

A classifier is an ensemble of a few such heads trained with different seeds; their
probabilities are averaged (:func:`ensemble_probs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from qa_service.domain import BusinessType, Campaign, ContactReason, Direction, OutboundOutcome, Sentiment

REASONS: tuple[ContactReason, ...] = tuple(ContactReason)
BUSINESS: tuple[BusinessType, ...] = tuple(BusinessType)
#: per-utterance topic: one of the business types, or none (greetings, identity, small talk)
N_TOPICS = len(BUSINESS) + 1
SENTIMENTS: tuple[Sentiment, ...] = tuple(Sentiment)
OUTCOMES: tuple[OutboundOutcome, ...] = tuple(OutboundOutcome)
#: call context one-hot: inbound, the three campaigns, outbound with no known campaign
CONTEXTS = ("inbound", "marketing", "return_visit", "repayment_reminder", "outbound")
CAMPAIGN_OUTCOMES: dict[Campaign, tuple[OutboundOutcome, ...]] = {
    Campaign.MARKETING: (
        OutboundOutcome.ACCEPTED,
        OutboundOutcome.DECLINED,
        OutboundOutcome.CALL_BACK_LATER,
        OutboundOutcome.NOT_REACHED,
    ),
    Campaign.RETURN_VISIT: (
        OutboundOutcome.SATISFIED,
        OutboundOutcome.NEUTRAL,
        OutboundOutcome.DISSATISFIED,
        OutboundOutcome.NOT_REACHED,
    ),
    Campaign.REPAYMENT_REMINDER: (
        OutboundOutcome.PROMISED_TO_PAY,
        OutboundOutcome.DISPUTES,
        OutboundOutcome.NOT_REACHED,
    ),
}
EXTRA = 2 + 1 + len(CONTEXTS)  # role one-hot, relative position, context
_NEG = -1e4


def context_index(direction: Direction, campaign: Campaign | None) -> int:
    if direction == Direction.INBOUND:
        return 0
    return CONTEXTS.index(campaign.value) if campaign is not None else len(CONTEXTS) - 1


def outcome_mask(direction: Direction, campaign: Campaign | None) -> torch.Tensor:
    """1 for the outcomes this call can have, 0 elsewhere (all zero for inbound calls)."""
    mask = torch.zeros(len(OUTCOMES))
    if direction == Direction.OUTBOUND:
        allowed = CAMPAIGN_OUTCOMES.get(campaign, OUTCOMES) if campaign is not None else OUTCOMES
        for o in allowed:
            mask[OUTCOMES.index(o)] = 1.0
    return mask


@dataclass(frozen=True)
class HeadConfig:
    dim: int = 768
    hidden: int = 256
    topic_hidden: int = 128
    dropout: float = 0.2


@dataclass
class HeadOutput:
    reason_logits: torch.Tensor  # (B, T, 4)
    topic_logits: torch.Tensor  # (B, T, N_TOPICS)
    sentiment_logits: torch.Tensor  # (B, T, 3)
    escalation_logits: torch.Tensor  # (B, T)
    utterance_outcome_logits: torch.Tensor  # (B, T, 10): the outcomes, then "states none"
    call_reason_logits: torch.Tensor  # (B, 4): max over customer utterances
    call_escalation_logits: torch.Tensor  # (B,)
    business_logits: torch.Tensor  # (B, 7)
    outcome_logits: torch.Tensor  # (B, 9), very negative where the campaign rules an outcome out


class CallHeads(nn.Module):
    mean: torch.Tensor  # feature standardisation (buffers, set from the training data)
    std: torch.Tensor

    def __init__(self, cfg: HeadConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.register_buffer("mean", torch.zeros(cfg.dim))
        self.register_buffer("std", torch.ones(cfg.dim))
        self.shared = nn.Sequential(
            nn.Dropout(cfg.dropout),
            nn.Linear(2 * cfg.dim + EXTRA, cfg.hidden),
            nn.GELU(),
            nn.Dropout(cfg.dropout),
        )
        #: inbound and outbound customers get separate reason read-outs: a question about an agent's
        #: offer is not a contact reason, the same question in an inbound call is an inquiry
        self.reason = nn.Linear(cfg.hidden, 2 * len(REASONS))
        self.reason_prior = nn.Parameter(torch.zeros(len(CONTEXTS), len(REASONS)))
        self.escalation = nn.Linear(cfg.hidden, 1)
        self.escalation_prior = nn.Parameter(torch.zeros(len(CONTEXTS)))
        self.sentiment = nn.Linear(cfg.hidden, len(SENTIMENTS))
        self.topic = nn.Sequential(
            nn.Dropout(cfg.dropout),
            nn.Linear(cfg.dim + 2, cfg.topic_hidden),
            nn.GELU(),
            nn.Dropout(cfg.dropout),
            nn.Linear(cfg.topic_hidden, N_TOPICS),
        )
        self.business = nn.Linear(2 * N_TOPICS + len(CONTEXTS), len(BUSINESS))
        #: outcome: each customer utterance may state one (or none); the call's outcome is read from
        #: the strongest statements together with attention-pooled context
        self.utt_outcome = nn.Linear(cfg.hidden, len(OUTCOMES) + 1)
        self.attend = nn.Linear(cfg.hidden, 1)
        pooled = 3 * cfg.hidden + len(CONTEXTS)
        self.outcome = nn.Sequential(
            nn.Linear(pooled + len(OUTCOMES) + 1, cfg.hidden),
            nn.GELU(),
            nn.Dropout(cfg.dropout),
            nn.Linear(cfg.hidden, len(OUTCOMES)),
        )

    def forward(
        self,
        emb: torch.Tensor,
        prev: torch.Tensor,
        extra: torch.Tensor,
        mask: torch.Tensor,
        customer: torch.Tensor,
        context: torch.Tensor,
        outcome_mask: torch.Tensor,
    ) -> HeadOutput:
        """``emb``/``prev`` (B, T, dim): utterance features and the other party's previous utterance
        (zeros where none); ``extra`` (B, T, EXTRA); ``mask``/``customer`` (B, T) bool;
        ``context`` (B, len(CONTEXTS)); ``outcome_mask`` (B, 9)."""
        x = (emb - self.mean) / self.std
        has_prev = (prev.abs().sum(-1, keepdim=True) > 0).to(x.dtype)
        p = (prev - self.mean) / self.std * has_prev
        h = self.shared(torch.cat([x, p, extra], dim=-1))  # (B, T, H)
        inbound = context[:, :1].unsqueeze(1)  # (B, 1, 1)
        reason_in, reason_out = self.reason(h).split(len(REASONS), dim=-1)
        reason = inbound * reason_in + (1 - inbound) * reason_out + (context @ self.reason_prior).unsqueeze(1)
        escalation = self.escalation(h).squeeze(-1) + (context @ self.escalation_prior).unsqueeze(1)
        cust = customer & mask
        call_reason = reason.masked_fill(~cust.unsqueeze(-1), _NEG).amax(dim=1)
        call_escalation = escalation.masked_fill(~cust, _NEG).amax(dim=1)
        topic = self.topic(torch.cat([x, extra[..., :2]], dim=-1))
        topic_p = torch.softmax(topic, dim=-1) * mask.unsqueeze(-1).to(h.dtype)
        business = self.business(torch.cat([torch.log1p(topic_p.sum(1)), topic_p.amax(1), context], dim=-1))
        att = self.attend(h).squeeze(-1).masked_fill(~mask, _NEG)
        attended = (torch.softmax(att, dim=1).unsqueeze(-1) * h).sum(1)
        pooled = torch.cat([attended, _masked_mean(h, cust), _masked_mean(h, ~customer & mask), context], dim=-1)
        utt_outcome = self.utt_outcome(h)
        stated = (torch.softmax(utt_outcome, dim=-1) * cust.unsqueeze(-1).to(h.dtype)).amax(1)
        outcome = self.outcome(torch.cat([pooled, stated], dim=-1)).masked_fill(outcome_mask <= 0, _NEG)
        return HeadOutput(
            reason, topic, self.sentiment(h), escalation, utt_outcome, call_reason, call_escalation, business, outcome
        )


@dataclass
class HeadProbs:
    """Ensemble-averaged probabilities for a batch of calls."""

    reason: torch.Tensor  # (B, T, 4)
    sentiment: torch.Tensor  # (B, T, 3)
    escalation: torch.Tensor  # (B, T)
    business: torch.Tensor  # (B, 7)
    outcome: torch.Tensor  # (B, 9)


def ensemble_probs(members: Sequence[CallHeads], batch: dict[str, torch.Tensor]) -> HeadProbs:
    outs = [m(**batch) for m in members]
    n = float(len(outs))
    return HeadProbs(
        reason=sum(torch.sigmoid(o.reason_logits) for o in outs) / n,  # type: ignore[arg-type]
        sentiment=sum(torch.softmax(o.sentiment_logits, dim=-1) for o in outs) / n,  # type: ignore[arg-type]
        escalation=sum(torch.sigmoid(o.escalation_logits) for o in outs) / n,  # type: ignore[arg-type]
        business=sum(torch.softmax(o.business_logits, dim=-1) for o in outs) / n,  # type: ignore[arg-type]
        outcome=sum(torch.softmax(o.outcome_logits, dim=-1) for o in outs) / n,  # type: ignore[arg-type]
    )


def _masked_mean(h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(h.dtype)
    return (h * m).sum(1) / m.sum(1).clamp(min=1.0)
