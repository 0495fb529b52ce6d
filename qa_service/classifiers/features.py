"""From a transcript to the heads' inputs: utterance features, roles, positions, call context.

:class:`FeatureCache` memoises utterance features for bulk training and evaluation, on disk under
``<model_cache_dir>/text-features/`` keyed by the base encoder's checksum, the pooled layers and
the token limit (features are a deterministic function of those and the text). Single-call
inference does not use it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch

from qa_service.classifiers.encoder import MAX_TOKENS, with_prefix
from qa_service.classifiers.heads import CONTEXTS, EXTRA, context_index, outcome_mask
from qa_service.domain import CallMetadata, CallTranscript, Direction, Role

log = logging.getLogger(__name__)

Embedder = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True, eq=False)
class CallInputs:
    emb: npt.NDArray[np.float32]  # (T, dim)
    prev: npt.NDArray[np.float32]  # (T, dim): the other party's previous utterance, zeros if none
    extra: npt.NDArray[np.float32]  # (T, EXTRA)
    customer: npt.NDArray[np.bool_]  # (T,)
    context: npt.NDArray[np.float32]  # (len(CONTEXTS),)
    outcome_mask: npt.NDArray[np.float32]  # (9,)


def utterance_texts(transcript: CallTranscript) -> list[str]:
    return with_prefix([u.text for u in transcript.utterances])


def is_customer(transcript: CallTranscript) -> npt.NDArray[np.bool_]:
    """Customer-side utterances: everything not labelled agent (unknown roles count as customer)."""
    return np.array([u.role != Role.AGENT for u in transcript.utterances], dtype=bool)


def call_inputs(transcript: CallTranscript, metadata: CallMetadata | None, emb: npt.NDArray[np.float32]) -> CallInputs:
    direction = metadata.direction if metadata else Direction.INBOUND
    campaign = metadata.campaign if metadata else None
    n = len(transcript.utterances)
    customer = is_customer(transcript)
    extra = np.zeros((n, EXTRA), dtype=np.float32)
    extra[:, 0] = ~customer
    extra[:, 1] = customer
    extra[:, 2] = np.arange(n) / max(n - 1, 1)
    ctx = np.zeros(len(CONTEXTS), dtype=np.float32)
    ctx[context_index(direction, campaign)] = 1.0
    extra[:, 3:] = ctx
    emb = emb.astype(np.float32)
    prev = np.zeros_like(emb)
    last: dict[bool, int] = {}
    for j in range(n):
        if (not customer[j]) in last:
            prev[j] = emb[last[not customer[j]]]
        last[bool(customer[j])] = j
    return CallInputs(emb, prev, extra, customer, ctx, outcome_mask(direction, campaign).numpy())


def collate(batch: Sequence[CallInputs]) -> dict[str, torch.Tensor]:
    """Pad a batch of calls to the longest one (at least one position, so empty calls work)."""
    t_max = max([1, *(len(c.customer) for c in batch)])
    dim = batch[0].emb.shape[1]
    b = len(batch)
    emb = torch.zeros(b, t_max, dim)
    prev = torch.zeros(b, t_max, dim)
    extra = torch.zeros(b, t_max, EXTRA)
    mask = torch.zeros(b, t_max, dtype=torch.bool)
    customer = torch.zeros(b, t_max, dtype=torch.bool)
    for i, c in enumerate(batch):
        n = len(c.customer)
        if n:
            emb[i, :n] = torch.from_numpy(c.emb)
            prev[i, :n] = torch.from_numpy(c.prev)
            extra[i, :n] = torch.from_numpy(c.extra)
            mask[i, :n] = True
            customer[i, :n] = torch.from_numpy(c.customer)
    return {
        "emb": emb,
        "prev": prev,
        "extra": extra,
        "mask": mask,
        "customer": customer,
        "context": torch.from_numpy(np.stack([c.context for c in batch])),
        "outcome_mask": torch.from_numpy(np.stack([c.outcome_mask for c in batch])),
    }


class FeatureCache:
    """Prefixed text → utterance features, loaded from and saved to one ``.npz`` file."""

    def __init__(self, path: Path | None, compute: Embedder) -> None:
        self.path = path
        self._compute = compute
        self._vectors: dict[str, npt.NDArray[np.float32]] = {}
        if path is not None and path.exists():
            try:
                with np.load(path) as data:
                    texts = json.loads(str(data["texts"]))
                    for text, vec in zip(texts, data["vectors"], strict=True):
                        self._vectors[text] = vec
            except (OSError, ValueError, KeyError) as exc:  # a damaged cache is rebuilt, never trusted
                log.warning("ignoring unreadable feature cache %s (%s)", path, exc)
                self._vectors = {}

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            log.info("encoding %d new utterances", len(missing))
            for text, vec in zip(missing, self._compute(missing), strict=True):
                self._vectors[text] = vec
            self.save()
        if not texts:
            dim = next(iter(self._vectors.values())).shape[0] if self._vectors else 0
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def save(self) -> None:
        if self.path is None or not self._vectors:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self._vectors)
        fd, tmp = tempfile.mkstemp(prefix=".features-", suffix=".npz", dir=self.path.parent)
        os.close(fd)
        try:
            np.savez(
                tmp,
                texts=np.array(json.dumps(texts, ensure_ascii=False)),
                vectors=np.stack([self._vectors[t] for t in texts]),
            )
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)


def cache_path(cache_dir: Path, base_sha256: str, layers: Sequence[int]) -> Path:
    pooled = "-".join(str(k) for k in layers)
    return cache_dir / "text-features" / f"e5-{base_sha256[:16]}-pool{pooled}-t{MAX_TOKENS}.npz"
