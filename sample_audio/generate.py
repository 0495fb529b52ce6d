"""Synthesise the sample calls in calls.yaml with espeak-ng + sox (deterministic, offline).

    python sample_audio/generate.py [--out DIR] [--force] [--check] [--jobs N]

Per call it writes ``<id>.stereo.flac`` (16 kHz, 16-bit; the agent on ``agent_channel``, the customer on
the other channel), ``<id>.mono.flac`` (the mix: mean of the two channels), ``<id>.mono.8k-ulaw.wav``
(telephony calls only: 8 kHz μ-law), ``<id>.rttm`` (reference speaker turns) and the ``<id>.json``
sidecar read by :mod:`qa_service.samples`.

Each turn is synthesised on its own, its leading/trailing silence trimmed, and placed with a gap of
0.3-1.2 s after the previous one (or ``overlap`` seconds before its end), so the sidecar's turn times are
where the speech is. Low-level Gaussian noise (seeded by the call id) keeps the gaps from being digital
silence. Mandarin is read from pinyin with tone numbers (pypinyin, Style.TONE3) by ``cmn-latn-pinyin``;
digits become Chinese number words first (amounts/dates as cardinals, identifiers digit by digit).

Work is skipped when ``DIR/.generated`` records the same hash of calls.yaml, this script and
GENERATOR_VERSION and every output is present.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml
from pypinyin import Style, lazy_pinyin, load_phrases_dict

log = logging.getLogger("sample_audio.generate")

GENERATOR_VERSION = "1"
HERE = Path(__file__).resolve().parent
SPEC = HERE / "calls.yaml"
STAMP = ".generated"
SAMPLE_RATE = 16_000
TELEPHONY_RATE = 8_000
TARGET_RMS = 0.1  # speech level of every clip (about -20 dBFS over its voiced part)
NOISE_STD = 0.0006  # background noise (about -64 dBFS)
GAP = (0.3, 1.2)
LEAD = (0.4, 0.8)
TAIL = (0.5, 0.9)
ROLES = ("agent", "customer")
LANGUAGES = ("zh", "en")
CALL_ID = re.compile(r"^[a-z0-9_]+$")

Samples = npt.NDArray[np.float32]


# ------------------------------------------------------------------------------- spoken forms
_ZH_DIGITS = "零一二三四五六七八九"
_ZH_CARDINAL_SUFFIX = ("元", "块", "万", "千", "百", "个", "月", "日", "号", "天", "小时", "分钟", "期",
                       "笔", "年", "位", "岁", "次", "周")
_ZH_PAUSE = set("，。、；：？！,.;:?!…—（）()“”\"'《》")


def _zh_under_10k(n: int, leading: bool) -> str:
    units = ("千", "百", "十", "")
    out: list[str] = []
    zero = False
    for i, power in enumerate((1000, 100, 10, 1)):
        d = n // power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        if d == 1 and power == 10 and not out and leading:
            out.append("十")  # 十五, not 一十五
        elif d == 2 and power >= 1000 and not out and leading:
            out.append("两千")
        else:
            out.append(_ZH_DIGITS[d] + units[i])
    return "".join(out)


def zh_cardinal(n: int) -> str:
    """12 → 十二, 2000 → 两千, 3260 → 三千二百六十, 10000 → 一万 (up to 10^8 - 1)."""
    if n == 0:
        return "零"
    if n >= 100_000_000:
        return "".join(_ZH_DIGITS[int(c)] for c in str(n))
    high, low = divmod(n, 10_000)
    if not high:
        return _zh_under_10k(low, leading=True)
    text = _zh_under_10k(high, leading=True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _zh_under_10k(low, leading=False)
    return text


def _zh_number(match: re.Match[str]) -> str:
    raw, frac, percent = match.group(1), match.group(2) or "", match.group(3)
    after = match.string[match.end():]
    digits = raw.replace(" ", "")
    spoken_frac = ("点" + "".join(_ZH_DIGITS[int(c)] for c in frac[1:])) if frac else ""
    if percent:
        return "百分之" + zh_cardinal(int(digits)) + spoken_frac
    if after.startswith("年") and len(digits) == 4:  # a year: 二零二六年
        return "".join(_ZH_DIGITS[int(c)] for c in digits)
    if " " not in raw and after.startswith(_ZH_CARDINAL_SUFFIX):
        return zh_cardinal(int(digits)) + spoken_frac
    groups = raw.split(" ")  # identifiers: digit by digit, a pause between groups
    return "，".join("".join(_ZH_DIGITS[int(c)] for c in g) for g in groups) + spoken_frac


# Phrases pypinyin reads wrongly in these scripts (segmentation picks 没收 "confiscate", 跨行 xíng, …).
_PHRASES = {
    "跨行": [["kuà"], ["háng"]],
    "没收到": [["méi"], ["shōu"], ["dào"]],
    "应还": [["yīng"], ["huán"]],
    "办得": [["bàn"], ["de"]],
    "标记为": [["biāo"], ["jì"], ["wéi"]],
}
load_phrases_dict(_PHRASES)

_NUMBER = re.compile(r"(\d+(?: \d+)*)(\.\d+)?(%)?")


def zh_spoken(text: str) -> str:
    """Chinese text → pinyin with tone numbers for ``cmn-latn-pinyin``; punctuation becomes a pause."""
    hanzi = _NUMBER.sub(_zh_number, text)
    words: list[str] = []
    for item in lazy_pinyin(hanzi, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True):
        token = item.strip()
        if not token:
            continue
        if re.fullmatch(r"[a-zü]+[1-5]", token):
            words.append(token.replace("ü", "v"))
        elif any(c in _ZH_PAUSE for c in token):
            if words and words[-1] != ",":
                words.append(",")
        else:
            words.append(token)  # Latin letters etc. pass through as they are
    return " ".join(words).replace(" ,", ",").strip(", ")


def en_spoken(text: str) -> str:
    """Read identifiers (4+ digits, optionally grouped) digit by digit; amounts are left to espeak."""

    def digits(match: re.Match[str]) -> str:
        return ", ".join(" ".join(g) for g in match.group(0).split(" "))

    return re.sub(r"(?<![\d,.$])\d{4,}(?: \d{4})*(?!\d|[,.]\d)", digits, text)


# ------------------------------------------------------------------------------- the spec
@dataclass(frozen=True)
class Voice:
    voice: str
    pitch: int
    speed: int


@dataclass(frozen=True)
class Turn:
    role: str
    text: str
    overlap: float
    voice: Voice


def _fail(message: str) -> None:
    raise SystemExit(f"calls.yaml: {message}")


def load_spec(path: Path = SPEC) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(spec, dict) or not isinstance(spec.get("calls"), list):
        _fail("expected a mapping with a 'calls' list")
    voices = spec.get("voices", {})
    seen: set[str] = set()
    for i, call in enumerate(spec["calls"]):
        where = f"calls[{i}]"
        for key in ("call_id", "language", "description", "metadata", "expected", "turns", "scenarios"):
            if key not in call:
                _fail(f"{where}: missing '{key}'")
        cid = call["call_id"]
        if not isinstance(cid, str) or not CALL_ID.match(cid) or cid in seen:
            _fail(f"{where}: call_id {cid!r} must be unique, lower-case letters, digits and _")
        seen.add(cid)
        if call["language"] not in LANGUAGES or call["language"] not in voices:
            _fail(f"{cid}: language must be one of {LANGUAGES} with voices defined")
        if call.get("agent_channel", 0) not in (0, 1):
            _fail(f"{cid}: agent_channel must be 0 or 1")
        turns = call["turns"]
        if not isinstance(turns, list) or not turns:
            _fail(f"{cid}: turns must be a non-empty list")
        for j, turn in enumerate(turns):
            if turn.get("role") not in ROLES or not str(turn.get("text", "")).strip():
                _fail(f"{cid}.turns[{j}]: needs role (agent/customer) and text")
            if turn.get("overlap") and (j == 0 or turns[j - 1]["role"] == turn["role"]):
                _fail(f"{cid}.turns[{j}]: overlap needs a previous turn by the other speaker")
    return voices, spec["calls"]


def call_turns(call: dict[str, Any], voices: dict[str, Any]) -> list[Turn]:
    lang = call["language"]
    out = []
    for turn in call["turns"]:
        role = turn["role"]
        params = {**voices[lang][role], **call.get("voices", {}).get(role, {})}
        voice = Voice(str(params["voice"]), int(params["pitch"]), int(params["speed"]))
        out.append(Turn(role, str(turn["text"]).strip(), float(turn.get("overlap", 0.0)), voice))
    return out


# ------------------------------------------------------------------------------- synthesis
def synthesise(text: str, language: str, voice: Voice) -> Samples:
    """One utterance → float32 mono at 16 kHz, silence trimmed, level normalised."""
    spoken = zh_spoken(text) if language == "zh" else en_spoken(text)
    wav = subprocess.run(
        ["espeak-ng", "-v", voice.voice, "-p", str(voice.pitch), "-s", str(voice.speed), "--stdout", spoken],
        check=True, capture_output=True,
    ).stdout
    raw = subprocess.run(
        ["sox", "-D", "-R", "-t", "wav", "-", "-t", "raw", "-e", "floating-point", "-b", "32",
         "--endian", "little", "-c", "1", "-r", str(SAMPLE_RATE), "-"],
        input=wav, check=True, capture_output=True,
    ).stdout
    clip = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    peak = float(np.abs(clip).max()) if clip.size else 0.0
    if peak <= 0:
        raise SystemExit(f"espeak-ng produced silence for {text!r}")
    loud = np.nonzero(np.abs(clip) > 0.01 * peak)[0]
    clip = clip[loud[0] : loud[-1] + 1]
    voiced = clip[np.abs(clip) > 0.05 * peak]
    clip = clip * (TARGET_RMS / float(np.sqrt(np.mean(voiced**2))))
    return np.clip(clip, -0.95, 0.95).astype(np.float32)


@dataclass(frozen=True)
class Placed:
    role: str
    text: str
    start: int  # samples
    end: int


def place(call_id: str, turns: Sequence[Turn], clips: Sequence[Samples]) -> tuple[list[Placed], int]:
    rng = np.random.default_rng(zlib.crc32(call_id.encode()))
    placed: list[Placed] = []
    cursor = rng.uniform(*LEAD)
    latest_end = 0.0
    for turn, clip in zip(turns, clips, strict=True):
        gap = rng.uniform(*GAP)
        if not placed:
            start = cursor
        elif turn.overlap:
            prev = placed[-1]
            start = prev.end / SAMPLE_RATE - min(turn.overlap, 0.5 * (prev.end - prev.start) / SAMPLE_RATE)
        else:
            start = latest_end + gap
        s = round(start * SAMPLE_RATE)
        placed.append(Placed(turn.role, turn.text, s, s + len(clip)))
        latest_end = max(latest_end, (s + len(clip)) / SAMPLE_RATE)
    total = round((latest_end + rng.uniform(*TAIL)) * SAMPLE_RATE)
    return placed, total


def mixdown(
    call_id: str, agent_channel: int, placed: Sequence[Placed], clips: Sequence[Samples], total: int
) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int16]]:
    """(stereo int16 (2, n), mono int16 (n,)) with seeded background noise on both channels."""
    rng = np.random.default_rng(zlib.crc32(call_id.encode()) ^ 0x5EED)
    signal = rng.normal(0.0, NOISE_STD, size=(2, total))
    for p, clip in zip(placed, clips, strict=True):
        ch = agent_channel if p.role == "agent" else 1 - agent_channel
        signal[ch, p.start : p.end] += clip
    stereo = np.clip(np.round(signal * 32767.0), -32768, 32767).astype(np.int16)
    mono = np.round((stereo[0].astype(np.int32) + stereo[1].astype(np.int32)) / 2.0).astype(np.int16)
    return stereo, mono


# ------------------------------------------------------------------------------- writing
def _sox_write(pcm: npt.NDArray[np.int16], channels: int, path: Path, out_args: list[str]) -> None:
    part = path.with_name(path.name + ".part")
    interleaved = np.ascontiguousarray(pcm.T if channels > 1 else pcm).astype("<i2")
    subprocess.run(
        ["sox", "-D", "-R", "-t", "raw", "-e", "signed-integer", "-b", "16", "--endian", "little",
         "-c", str(channels), "-r", str(SAMPLE_RATE), "-", *out_args, str(part)],
        input=interleaved.tobytes(), check=True, capture_output=True,
    )
    os.replace(part, path)


def _write_text(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def output_names(call: dict[str, Any]) -> list[str]:
    cid = call["call_id"]
    names = [f"{cid}.stereo.flac", f"{cid}.mono.flac", f"{cid}.rttm", f"{cid}.json"]
    if call.get("telephony"):
        names.append(f"{cid}.mono.8k-ulaw.wav")
    return names


def write_call(call: dict[str, Any], placed: Sequence[Placed], clips: Sequence[Samples], total: int,
               out: Path) -> None:
    cid = call["call_id"]
    agent_channel = int(call.get("agent_channel", 0))
    stereo, mono = mixdown(cid, agent_channel, placed, clips, total)
    _sox_write(stereo, 2, out / f"{cid}.stereo.flac", ["-t", "flac"])
    _sox_write(mono, 1, out / f"{cid}.mono.flac", ["-t", "flac"])
    telephony = f"{cid}.mono.8k-ulaw.wav" if call.get("telephony") else None
    if telephony:
        _sox_write(mono, 1, out / telephony,
                   ["-t", "wav", "-e", "u-law", "-b", "8", "-r", str(TELEPHONY_RATE)])
    times = [(round(p.start / SAMPLE_RATE, 3), round(p.end / SAMPLE_RATE, 3)) for p in placed]
    turns = [
        {"role": p.role, "speaker": p.role, "start": start, "end": end, "text": p.text}
        for p, (start, end) in zip(placed, times, strict=True)
    ]
    rttm = "".join(
        f"SPEAKER {cid} 1 {start:.3f} {end - start:.3f} <NA> <NA> {p.role} <NA> <NA>\n"
        for p, (start, end) in zip(placed, times, strict=True)
    )
    _write_text(out / f"{cid}.rttm", rttm)
    sidecar = {
        "call_id": cid,
        "language": call["language"],
        "description": call["description"],
        "scenarios": list(call["scenarios"]),
        "audio": {
            "stereo": f"{cid}.stereo.flac",
            "mono": f"{cid}.mono.flac",
            "telephony": telephony,
            "rttm": f"{cid}.rttm",
            "duration": round(total / SAMPLE_RATE, 3),
            "sample_rate": SAMPLE_RATE,
            "agent_channel": agent_channel,
        },
        "metadata": call["metadata"],
        "expected": call["expected"],
        "turns": turns,
    }
    _write_text(out / f"{cid}.json", json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n")


# ------------------------------------------------------------------------------- stamp
def spec_hash() -> str:
    h = hashlib.sha256()
    for part in (SPEC.read_bytes(), Path(__file__).read_bytes(), GENERATOR_VERSION.encode()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _read_stamp(out: Path) -> dict[str, Any]:
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def is_up_to_date(out: Path) -> bool:
    stamp = _read_stamp(out)
    files = stamp.get("files")
    return (
        stamp.get("hash") == spec_hash()
        and isinstance(files, list)
        and all((out / str(name)).is_file() for name in files)
    )


def generate(out: Path, jobs: int) -> list[str]:
    voices, calls = load_spec()
    out.mkdir(parents=True, exist_ok=True)
    per_call = [call_turns(c, voices) for c in calls]
    work = [(c["language"], t) for c, turns in zip(calls, per_call, strict=True) for t in turns]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        flat = list(pool.map(lambda lt: synthesise(lt[1].text, lt[0], lt[1].voice), work))
        futures = []
        for call, turns in zip(calls, per_call, strict=True):
            clips, flat = flat[: len(turns)], flat[len(turns):]
            placed, total = place(call["call_id"], turns, clips)
            futures.append(pool.submit(write_call, call, placed, clips, total, out))
        for f in futures:
            f.result()
    names = [n for c in calls for n in output_names(c)]
    previous = _read_stamp(out).get("files")
    for stale in set(previous if isinstance(previous, list) else []) - set(names):
        (out / str(stale)).unlink(missing_ok=True)
    _write_text(out / STAMP, json.dumps({"hash": spec_hash(), "version": GENERATOR_VERSION,
                                         "files": names}, indent=1) + "\n")
    return [c["call_id"] for c in calls]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output directory (default: sample_audio/)")
    parser.add_argument("--force", action="store_true", help="regenerate even when up to date")
    parser.add_argument("--check", action="store_true", help="exit 1 if outputs are stale; write nothing")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel synthesis jobs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = args.out.resolve()
    if not args.force and is_up_to_date(out):
        log.info("sample audio in %s is up to date", out)
        return 0
    if args.check:
        log.info("sample audio in %s is stale", out)
        return 1
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        log.error("%s not found: install them (Debian: apt-get install espeak-ng sox)", " and ".join(missing))
        return 2
    began = time.perf_counter()
    ids = generate(out, max(1, args.jobs))
    log.info("generated %d sample calls in %s (%.1f s)", len(ids), out, time.perf_counter() - began)
    return 0


if __name__ == "__main__":
    sys.exit(main())
