"""Align recognised words to speaker turns and merge them into utterances (pure; no IO).

Each word goes to the speaker whose turns overlap it most. Where turns of several speakers cover the
word's midpoint (overlapping speech) it goes to the speaker whose turn covers the midpoint best (most
central in the turn, relative to the turn's length). A word outside every turn (diarization missed
it) goes to the nearest turn: words are never dropped. A word sticking out of its speaker's turn is
trimmed to the turn, one just outside it pinned to its edge; a turn's first and last words reach
the turn's edges when they stop just short of them. Consecutive words of one speaker separated
by less than ``max_gap`` seconds form one utterance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qa_service.domain import AsrResult, Diarization, SpeakerTurn, Utterance, Word

FALLBACK_SPEAKER = "SPEAKER_00"


@dataclass(frozen=True)
class AlignOptions:
    max_gap: float = 1.0  # a silence longer than this ends an utterance
    max_utterance: float = 30.0  # an utterance longer than this is split at its next pause
    snap: float = 0.6  # a word this close to its speaker's turn is pinned to the turn's edge
    hug: float = 0.5  # a turn's first/last word starting/ending this close inside the turn reaches its edge


def align_words(asr: AsrResult, diarization: Diarization,
                options: AlignOptions = AlignOptions()) -> tuple[Utterance, ...]:
    """Utterances in time order; ``channel`` is set when the turns come from stereo channels."""
    words = sorted(asr.words, key=lambda w: (w.start, w.end))
    if not words:
        return ()
    turns = diarization.turns
    default = diarization.speakers[0] if diarization.speakers else FALLBACK_SPEAKER
    speakers = [assign_speaker(w, turns) or default for w in words]
    words = [_clamp(w, s, turns, options.snap) for w, s in zip(words, speakers, strict=True)]
    words = _hug_turn_edges(words, speakers, turns, options.hug)
    channel = asr.channel if diarization.method == "channels" else None
    return tuple(_utterances(words, speakers, channel, options))


def assign_speaker(word: Word, turns: Sequence[SpeakerTurn]) -> str | None:
    """The speaker a word belongs to; None only when there are no turns at all."""
    if not turns:
        return None
    mid = (word.start + word.end) / 2
    covering = [t for t in turns if t.start <= mid <= t.end]
    if len({t.speaker for t in covering}) > 1:  # overlapping speech: the turn that holds the midpoint best
        return max(covering, key=lambda t: (_centrality(mid, t), -(t.end - t.start))).speaker
    overlap: dict[str, float] = {}
    for t in turns:
        shared = min(word.end, t.end) - max(word.start, t.start)
        if shared > 0:
            overlap[t.speaker] = overlap.get(t.speaker, 0.0) + shared
    if overlap:
        return max(overlap, key=lambda s: overlap[s])
    if covering:  # zero-length word inside a turn
        return covering[0].speaker
    return min(turns, key=lambda t: _distance(mid, t)).speaker


def _clamp(word: Word, speaker: str, turns: Sequence[SpeakerTurn], snap: float) -> Word:
    """Fit a word's times into its speaker's turn. Whisper often starts a segment's first word early,
    in the silence before it, and runs the last one on into the silence after it: a word sticking out
    of its turn is trimmed to it; one just outside (within ``snap`` s) is pinned to the turn's edge."""
    own = [t for t in turns if t.speaker == speaker]
    if not own:
        return word
    best = max(own, key=lambda t: min(word.end, t.end) - max(word.start, t.start))
    shared = min(word.end, best.end) - max(word.start, best.start)
    if shared >= 0.02:
        start, end = max(word.start, best.start), min(word.end, best.end)
    else:
        nearest = min(own, key=lambda t: _distance((word.start + word.end) / 2, t))
        keep = min(word.end - word.start, 0.1, nearest.end - nearest.start)
        if nearest.end <= word.start and word.start - nearest.end <= snap:
            start, end = nearest.end - keep, nearest.end
        elif nearest.start >= word.end and nearest.start - word.end <= snap:
            start, end = nearest.start, nearest.start + keep
        else:
            return word
    if (start, end) == (word.start, word.end):
        return word
    return Word(word.text, start, end, word.confidence)


def _hug_turn_edges(words: Sequence[Word], speakers: Sequence[str], turns: Sequence[SpeakerTurn],
                    hug: float) -> list[Word]:
    """Whisper's word timings run late at the onset of speech after a silence (by 0.2-0.4 s) and early
    at its end; the turn edges come from the audio itself (channel VAD or diarization). So the first word
    of a turn that starts less than ``hug`` s after the turn starts begins where the turn does, and the
    last word likewise ends with the turn: an utterance played back from its start is not clipped."""
    out = list(words)
    for turn in turns:
        inside = [i for i, (w, s) in enumerate(zip(out, speakers, strict=True))
                  if s == turn.speaker and turn.start <= (w.start + w.end) / 2 <= turn.end]
        if not inside:
            continue
        first = out[inside[0]]
        if 0.0 < first.start - turn.start <= hug:
            out[inside[0]] = Word(first.text, turn.start, first.end, first.confidence)
        last = out[inside[-1]]  # read after the onset fix: a one-word turn gets both
        if 0.0 < turn.end - last.end <= hug:
            out[inside[-1]] = Word(last.text, last.start, turn.end, last.confidence)
    return out


def _centrality(t: float, turn: SpeakerTurn) -> float:
    """1.0 at the middle of the turn, 0.0 at its edges (so a short interjection is not outweighed by
    the long turn it interrupts)."""
    half = (turn.end - turn.start) / 2
    return min(t - turn.start, turn.end - t) / half if half > 0 else 1.0


def _distance(t: float, turn: SpeakerTurn) -> float:
    return 0.0 if turn.start <= t <= turn.end else min(abs(t - turn.start), abs(t - turn.end))


def _utterances(words: Sequence[Word], speakers: Sequence[str], channel: int | None,
                options: AlignOptions) -> Iterable[Utterance]:
    run: list[Word] = [words[0]]
    speaker = speakers[0]
    for word, who in zip(words[1:], speakers[1:], strict=True):
        gap = word.start - run[-1].end
        too_long = word.end - run[0].start > options.max_utterance and gap > 0.2
        if who == speaker and gap <= options.max_gap and not too_long:
            run.append(word)
            continue
        yield _utterance(run, speaker, channel)
        run, speaker = [word], who
    yield _utterance(run, speaker, channel)


def _utterance(words: Sequence[Word], speaker: str, channel: int | None) -> Utterance:
    return Utterance(speaker=speaker, start=words[0].start, end=max(w.end for w in words),
                     text=join_words(w.text for w in words), words=tuple(words), channel=channel)


def merge_utterances(*groups: Iterable[Utterance]) -> tuple[Utterance, ...]:
    """Utterances from several channels in one time-ordered tuple."""
    return tuple(sorted((u for g in groups for u in g), key=lambda u: (u.start, u.end, u.speaker)))


def join_words(tokens: Iterable[str]) -> str:
    """Join word texts: a space between Latin-script words, none next to CJK characters."""
    out = ""
    for token in tokens:
        token = token.strip()
        if not token:
            continue
        if out and not (_is_cjk(out[-1]) or _is_cjk(token[0])):
            out += " "
        out += token
    return out


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x2E80 <= code <= 0x9FFF) or (0xF900 <= code <= 0xFAFF) or (0xFF00 <= code <= 0xFFEF)
