"""Train the call-classifier heads on frozen e5 utterance features (deterministic, CPU, minutes).

The base encoder stays frozen: every distinct utterance is encoded once (and memoised on disk),
then only the heads train, passes over the calls in shuffled mini-batches with fixed seeds; a
few members with different seeds make the ensemble. Supervisors' review exports (same JSONL
form as the corpus, see :mod:`qa_service.classifiers.dataset`) are merged into the training
calls, weighted up so the team's own corrections count.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F

from qa_service.classifiers.dataset import LabelledCall
from qa_service.classifiers.features import CallInputs, Embedder, call_inputs, collate, utterance_texts
from qa_service.classifiers.heads import (
    BUSINESS,
    N_TOPICS,
    OUTCOMES,
    REASONS,
    SENTIMENTS,
    CallHeads,
    HeadConfig,
    HeadOutput,
)

log = logging.getLogger(__name__)

IGNORE = -100


@dataclass(frozen=True)
class TrainOptions:
    epochs: int = 40
    batch_size: int = 16
    lr: float = 2e-3
    weight_decay: float = 0.01
    hidden: int = 256
    topic_hidden: int = 128
    dropout: float = 0.2
    members: int = 5  # ensemble size (seeds seed, seed + 1, ...)
    noise: float = 0.3  # Gaussian noise on standardised embeddings (augmentation)
    prev_dropout: float = 0.3  # chance to hide the previous utterance (no leaning on context alone)
    review_weight: float = 3.0  # loss weight of supervisors' corrected calls
    seed: int = 1101
    threads: int = 1  # small matmuls: more threads only contend on a shared CPU

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, eq=False)
class Targets:
    turn_reason: torch.Tensor  # (B, T, 4)
    turn_reason_mask: torch.Tensor  # (B, T)
    turn_sentiment: torch.Tensor  # (B, T) long, IGNORE where unlabelled
    turn_escalation: torch.Tensor  # (B, T)
    turn_topic: torch.Tensor  # (B, T) long, IGNORE where unlabelled; N_TOPICS - 1 = no topic
    turn_outcome: torch.Tensor  # (B, T) long, IGNORE where unlabelled; len(OUTCOMES) = states none
    call_reason: torch.Tensor  # (B, 4)
    call_reason_mask: torch.Tensor  # (B,)
    call_escalation: torch.Tensor  # (B,)
    call_escalation_mask: torch.Tensor  # (B,)
    business: torch.Tensor  # (B,) long
    outcome: torch.Tensor  # (B,) long, IGNORE where none
    weight: torch.Tensor  # (B,)


def build_targets(calls: Sequence[LabelledCall], inputs: Sequence[CallInputs], review_weight: float) -> Targets:
    b = len(calls)
    t_max = max(1, *(len(c.transcript.utterances) for c in calls))
    tr = torch.zeros(b, t_max, len(REASONS))
    trm = torch.zeros(b, t_max)
    ts = torch.full((b, t_max), IGNORE, dtype=torch.long)
    te = torch.zeros(b, t_max)
    cr = torch.zeros(b, len(REASONS))
    crm = torch.zeros(b)
    ce = torch.zeros(b)
    cem = torch.zeros(b)
    bt = torch.zeros(b, dtype=torch.long)
    oc = torch.full((b,), IGNORE, dtype=torch.long)
    tt = torch.full((b, t_max), IGNORE, dtype=torch.long)
    to = torch.full((b, t_max), IGNORE, dtype=torch.long)
    w = torch.ones(b)
    for i, (call, inp) in enumerate(zip(calls, inputs, strict=True)):
        labels = call.labels
        has_customer = bool(inp.customer.any())
        for r in labels.contact_reasons:
            cr[i, REASONS.index(r)] = 1.0
        crm[i] = 1.0 if has_customer else 0.0
        if labels.escalation_risk is not None and has_customer:
            ce[i], cem[i] = float(labels.escalation_risk), 1.0
        bt[i] = BUSINESS.index(labels.business_type)
        if labels.outcome is not None and inp.outcome_mask[OUTCOMES.index(labels.outcome)] > 0:
            oc[i] = OUTCOMES.index(labels.outcome)
        if call.source == "review":
            w[i] = review_weight
        for j, turn in enumerate(labels.turns or ()):
            if turn is None:
                continue
            tt[i, j] = BUSINESS.index(turn.topic) if turn.topic is not None else N_TOPICS - 1
            if not inp.customer[j]:
                continue
            trm[i, j] = 1.0
            to[i, j] = OUTCOMES.index(turn.outcome) if turn.outcome is not None else len(OUTCOMES)
            if turn.reason is not None:
                tr[i, j, REASONS.index(turn.reason)] = 1.0
            if turn.sentiment is not None:
                ts[i, j] = SENTIMENTS.index(turn.sentiment)
            te[i, j] = float(turn.escalation)
    return Targets(tr, trm, ts, te, tt, to, cr, crm, ce, cem, bt, oc, w)


def _slice(t: Targets, idx: torch.Tensor, t_max: int) -> Targets:
    def cut(x: torch.Tensor) -> torch.Tensor:  # per-turn targets: this batch's calls, padded length
        return x[idx][:, :t_max]

    return Targets(
        cut(t.turn_reason),
        cut(t.turn_reason_mask),
        cut(t.turn_sentiment),
        cut(t.turn_escalation),
        cut(t.turn_topic),
        cut(t.turn_outcome),
        t.call_reason[idx],
        t.call_reason_mask[idx],
        t.call_escalation[idx],
        t.call_escalation_mask[idx],
        t.business[idx],
        t.outcome[idx],
        t.weight[idx],
    )


def _masked_bce(logits: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    loss = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    while mask.dim() < loss.dim():
        mask = mask.unsqueeze(-1)
    mask = mask.expand_as(loss)
    return (loss * mask).sum() / mask.sum().clamp(min=1.0)


def loss_fn(out: HeadOutput, tg: Targets) -> torch.Tensor:
    w_turn = tg.weight.unsqueeze(1)
    turn_mask = tg.turn_reason_mask * w_turn
    loss = _masked_bce(out.reason_logits, tg.turn_reason, turn_mask)
    loss = loss + _masked_bce(out.escalation_logits, tg.turn_escalation, turn_mask)
    sent = F.cross_entropy(
        out.sentiment_logits.flatten(0, 1),
        tg.turn_sentiment.flatten(),
        ignore_index=IGNORE,
        reduction="none",
    )
    sent_w = (tg.turn_sentiment.flatten() != IGNORE).float() * w_turn.expand_as(tg.turn_sentiment).flatten()
    loss = loss + (sent * sent_w).sum() / sent_w.sum().clamp(min=1.0)
    topic = F.cross_entropy(
        out.topic_logits.flatten(0, 1),
        tg.turn_topic.flatten(),
        ignore_index=IGNORE,
        reduction="none",
    )
    topic_w = (tg.turn_topic.flatten() != IGNORE).float() * w_turn.expand_as(tg.turn_topic).flatten()
    loss = loss + (topic * topic_w).sum() / topic_w.sum().clamp(min=1.0)
    stated = F.cross_entropy(
        out.utterance_outcome_logits.flatten(0, 1), tg.turn_outcome.flatten(), ignore_index=IGNORE, reduction="none"
    )
    stated_w = (tg.turn_outcome.flatten() != IGNORE).float() * w_turn.expand_as(tg.turn_outcome).flatten()
    loss = loss + (stated * stated_w).sum() / stated_w.sum().clamp(min=1.0)
    loss = loss + _masked_bce(out.call_reason_logits, tg.call_reason, tg.call_reason_mask * tg.weight)
    loss = loss + _masked_bce(
        out.call_escalation_logits,
        tg.call_escalation,
        tg.call_escalation_mask * tg.weight,
    )
    bus = F.cross_entropy(out.business_logits, tg.business, reduction="none")
    loss = loss + (bus * tg.weight).sum() / tg.weight.sum()
    oc_w = (tg.outcome != IGNORE).float() * tg.weight
    if oc_w.sum() > 0:
        oc = F.cross_entropy(out.outcome_logits, tg.outcome.clamp(min=0), reduction="none")
        loss = loss + (oc * oc_w).sum() / oc_w.sum()
    return loss


def prepare_inputs(calls: Sequence[LabelledCall], embed: Embedder) -> list[CallInputs]:
    texts = [utterance_texts(c.transcript) for c in calls]
    flat = embed([s for ts in texts for s in ts])
    out, offset = [], 0
    for call, ts in zip(calls, texts, strict=True):
        out.append(call_inputs(call.transcript, call.metadata, flat[offset : offset + len(ts)]))
        offset += len(ts)
    return out


def train_heads(
    calls: Sequence[LabelledCall],
    inputs: Sequence[CallInputs],
    options: TrainOptions,
    steps_limit: int | None = None,
) -> tuple[CallHeads, dict[str, float]]:
    """Fit the heads; returns them (in eval mode) and a few training statistics."""
    if not calls:
        raise ValueError("no training calls")
    torch.manual_seed(options.seed)
    if options.threads > 0:
        torch.set_num_threads(options.threads)
    heads = CallHeads(
        HeadConfig(
            dim=inputs[0].emb.shape[1],
            hidden=options.hidden,
            topic_hidden=options.topic_hidden,
            dropout=options.dropout,
        )
    )
    all_emb = np.concatenate([c.emb for c in inputs if len(c.emb)])
    heads.mean.copy_(torch.from_numpy(all_emb.mean(0)))
    heads.std.copy_(torch.from_numpy(all_emb.std(0) + 1e-4))
    targets = build_targets(calls, inputs, options.review_weight)
    opt = torch.optim.AdamW(heads.parameters(), lr=options.lr, weight_decay=options.weight_decay)
    n = len(calls)
    steps_per_epoch = (n + options.batch_size - 1) // options.batch_size
    total = (
        options.epochs * steps_per_epoch if steps_limit is None else min(steps_limit, options.epochs * steps_per_epoch)
    )
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=options.lr, total_steps=max(total, 1), pct_start=0.1)
    gen = torch.Generator().manual_seed(options.seed)
    step, last_loss = 0, float("nan")
    started = time.perf_counter()
    heads.train()
    while step < total:
        perm = torch.randperm(n, generator=gen)
        for start in range(0, n, options.batch_size):
            if step >= total:
                break
            idx = perm[start : start + options.batch_size]
            batch = collate([inputs[int(k)] for k in idx])
            t_max = batch["emb"].shape[1]
            if options.noise > 0:
                noise = torch.randn(batch["emb"].shape, generator=gen) * heads.std * options.noise
                batch["emb"] = batch["emb"] + noise * batch["mask"].unsqueeze(-1)
                keep = (torch.rand(batch["prev"].shape[:2], generator=gen) >= options.prev_dropout).float()
                batch["prev"] = batch["prev"] * keep.unsqueeze(-1)
                has_prev = (batch["prev"].abs().sum(-1, keepdim=True) > 0).float()
                batch["prev"] = (
                    batch["prev"]
                    + torch.randn(batch["prev"].shape, generator=gen) * heads.std * options.noise * has_prev
                )
            out = heads(**batch)
            loss = loss_fn(out, _slice(targets, idx, t_max))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            last_loss = float(loss.detach())
    heads.eval()
    log.info("trained heads: %d steps in %.1fs, final loss %.4f", step, time.perf_counter() - started, last_loss)
    return heads, {
        "steps": step,
        "seconds": round(time.perf_counter() - started, 1),
        "final_loss": round(last_loss, 4),
    }


def train_members(
    calls: Sequence[LabelledCall],
    inputs: Sequence[CallInputs],
    options: TrainOptions,
    steps_limit: int | None = None,
) -> tuple[list[CallHeads], dict[str, object]]:
    """Train ``options.members`` heads with consecutive seeds (the ensemble)."""
    members, stats = [], []
    for k in range(max(1, options.members)):
        heads, st = train_heads(calls, inputs, replace(options, seed=options.seed + k), steps_limit)
        members.append(heads)
        stats.append(st)
    return members, {"members": stats, "seconds": round(sum(float(s["seconds"]) for s in stats), 1)}
