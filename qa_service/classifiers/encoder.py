"""The frozen base text encoder (multilingual-e5-small as a transformers ``BertModel``).

Each utterance gets the ``"query: "`` prefix e5 expects, is truncated to :data:`MAX_TOKENS` and
becomes one feature vector: its token states mean-pooled at each of :data:`POOL_LAYERS` and
concatenated (layer 12 is e5's own sentence embedding; layer 10 keeps more of how something is
said, which helps tell a complaint from a question). One encoder pass per batch of utterances.
The encoder is loaded once per process and thread count (:func:`load_encoder`) and never trained.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from qa_service.errors import ModelLoadError, ModelNotFound

log = logging.getLogger(__name__)

PREFIX = "query: "
#: Utterances longer than this (in tokens, prefix included) are truncated.
MAX_TOKENS = 128
#: Hidden-state layers mean-pooled into an utterance's features (0 = embeddings, 12 = last).
POOL_LAYERS = (10, 12)


def with_prefix(texts: Sequence[str]) -> list[str]:
    return [PREFIX + t.strip() for t in texts]


class TextEncoder:
    """Tokenizer + frozen ``BertModel``. Not thread-safe; one per process."""

    def __init__(self, path: Path, tokenizer: Any, model: Any) -> None:
        self.path = path
        self._tokenizer = tokenizer
        self._model = model

    @property
    def num_parameters(self) -> int:
        return int(sum(p.numel() for p in self._model.parameters()))

    @property
    def hidden(self) -> int:
        return int(self._model.config.hidden_size)

    def features(
        self, texts: Sequence[str], layers: Sequence[int] = POOL_LAYERS, batch_size: int = 32
    ) -> npt.NDArray[np.float32]:
        """``(len(texts), hidden * len(layers))`` mean-pooled states of prefixed ``texts``.

        Texts are batched by length so little time goes into padding.
        """
        import torch

        out = np.zeros((len(texts), self.hidden * len(layers)), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                enc = self._tokenizer(
                    [texts[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=MAX_TOKENS,
                    return_tensors="pt",
                )
                states = self._model(
                    input_ids=enc["input_ids"],
                    attention_mask=enc["attention_mask"],
                    output_hidden_states=True,
                ).hidden_states
                mask = enc["attention_mask"].unsqueeze(-1).float()
                pooled = [(states[k] * mask).sum(1) / mask.sum(1).clamp(min=1.0) for k in layers]
                out[idx] = torch.cat(pooled, dim=-1).numpy()
        return out

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Plain e5 sentence embeddings (last layer, mean-pooled, not normalised) of prefixed texts."""
        return self.features(texts, layers=(len(self._model.encoder.layer),))


@lru_cache(maxsize=4)
def load_encoder(path: Path, threads: int = 0) -> TextEncoder:
    """Load the encoder folder once per process (``threads`` > 0 sets torch's intra-op threads)."""
    if not (path / "config.json").is_file():
        raise ModelNotFound(
            f"text encoder: {path} has no config.json; set QA_TEXT_ENCODER_MODEL to a "
            "transformers encoder folder or unset it for the embedded default",
            setting="text_encoder_model",
        )
    import torch
    from transformers import AutoModel, AutoTokenizer

    if threads > 0:
        torch.set_num_threads(threads)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        model = AutoModel.from_pretrained(str(path), add_pooling_layer=False)
    except (OSError, ValueError) as exc:
        raise ModelLoadError(
            f"text encoder at {path} does not load ({exc}); set QA_TEXT_ENCODER_MODEL",
            setting="text_encoder_model",
        ) from exc
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    log.info("loaded text encoder %s", path)
    return TextEncoder(path, tokenizer, model)
