"""Agent vs customer: from the channel map (stereo) or from what each speaker says (mono). Pure.

Content roles score every speaker on cues an agent gives (the bank's greeting, the bank name, a job
number, verification questions, offers of further help, closing phrases, recording disclosures,
speaking first on inbound calls) and cues a customer gives ("I'd like to…", "my card"). The speaker
with the highest score is the agent. Confidence is the logistic of the margin over the runner-up, so
an even call gets 0.5 and is flagged low-confidence rather than hidden. Mandarin cues match in
toneless pinyin as well as in characters, so ASR homophone errors (建设 → 见设) still match.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from qa_service.domain import Diarization, Role, RoleAssignment, Utterance


@dataclass(frozen=True)
class RoleOptions:
    bank_name: str = "建设银行"
    bank_name_en: str = "Construction Bank"
    confidence_threshold: float = 0.6
    outbound: bool = False  # outbound calls: the customer answers first, so speaking first means nothing
    opening_window: float = 20.0  # greeting cues count only in utterances starting this early (s)


@dataclass(frozen=True)
class Cue:
    name: str
    weight: float  # > 0 agent-like, < 0 customer-like
    zh: tuple[str, ...] = ()  # phrases (characters; matched also in pinyin)
    en: tuple[str, ...] = ()  # regular expressions on lower-case, punctuation-free text
    opening_only: bool = False
    outbound_only: bool = False


CUES: tuple[Cue, ...] = (
    Cue("greeting", 2.0, ("为您服务", "很高兴为您", "欢迎致电", "您好这里是"),
        (r"thank(s| you) for calling", r"how (may|can) i (help|assist)", r"welcome to"), opening_only=True),
    Cue("job number", 2.0, ("工号", "坐席号", "员工号"),
        (r"\bagent (number )?\d+", r"\b(job|employee|agent) (number|id)\b", r"\bthis is agent\b")),
    Cue("verification question", 1.5,
        ("请问您的姓名", "身份证", "后四位", "核实", "验证", "预留手机", "出生日期", "请问您是"),
        (r"may i have your", r"last four digits", r"\bverify\b", r"date of birth", r"your full name",
         r"can you confirm")),
    Cue("offer of further help", 1.5, ("还有什么可以帮您", "还有其他", "还有什么需要"),
        (r"anything else (i|we) can", r"is there anything else")),
    Cue("closing", 1.5, ("感谢您的来电", "感谢来电", "感谢您的接听", "祝您生活愉快", "再见"),
        (r"thank(s| you) for (calling|your call|your time)", r"have a (nice|good|great) day",
         r"\bgoodbye\b")),
    Cue("recording disclosure", 1.5, ("通话可能会被录音", "本次通话", "录音"),
        (r"call (is|may be) recorded", r"\brecorded\b")),
    Cue("outbound introduction", 1.0, ("打扰您", "客户经理", "回访", "理财顾问"),
        (r"i('m| am) calling from", r"calling (you )?from", r"\bfollow(ing)? up\b",
         r"\bthis is \w+ (from|at|with)\b")),
    Cue("opt-out offer", 1.5, ("不希望再接到", "不希望再", "此类电话"),
        (r"prefer not to receive", r"(receive|get) (such|these) calls", r"\bstop calling\b",
         r"remove (you|your number)")),
    Cue("apology", 1.0, ("非常抱歉", "给您带来不便", "很抱歉"),
        (r"\b(we|i) apologi[sz]e\b", r"sorry for the inconvenience")),
    Cue("customer request", -1.0, ("我想", "我要", "我的卡", "我的账户", "帮我", "我的信用卡", "你们银行"),
        (r"\bi('d| would) like to\b", r"\bi want to\b", r"\bmy (card|account|credit card|bill|loan)\b",
         r"\bcan you help me\b", r"\bi need to\b")),
    Cue("answering the phone", -1.0, ("喂",),
        (r"^(hello|yes|hi)$", r"^yes speaking$", r"^(this is )?\w+ speaking$"),
        opening_only=True, outbound_only=True),
)

#: Phrases of at least this many syllables also match approximately in pinyin (ASR near-homophones),
#: with one wrong, missing or extra syllable allowed per this many.
_FUZZY_MIN_SYLLABLES = 4

_BANK_WEIGHT = 1.0
_FIRST_WEIGHT = 0.3  # alone, below the default confidence threshold


@dataclass(frozen=True)
class SpeakerEvidence:
    speaker: str
    score: float
    cues: tuple[str, ...] = field(default=())


def roles_from_content(utterances: Sequence[Utterance], language: str,
                       options: RoleOptions = RoleOptions(), speakers: Sequence[str] = ()) -> RoleAssignment:
    """Decide agent vs customer from what each speaker says and when. ``speakers`` lists every
    diarized speaker, so one whose words the recogniser missed still competes (with no cues)."""
    evidence = speaker_evidence(utterances, language, options)
    heard = {e.speaker for e in evidence}
    evidence += tuple(SpeakerEvidence(s, 0.0) for s in dict.fromkeys(speakers) if s not in heard)
    if not evidence:
        return RoleAssignment((), 0.0, "content", low_confidence=True, reasons=("no speech",))
    ranked = sorted(evidence, key=lambda e: -e.score)
    agent = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    confidence = 1.0 / (1.0 + math.exp(-(agent.score - runner_up)))
    roles = tuple((e.speaker, Role.AGENT if e is agent else Role.CUSTOMER) for e in evidence)
    reasons = tuple(f"{e.speaker}: score {e.score:+.1f} ({', '.join(e.cues) or 'no cues'})" for e in evidence)
    low = confidence < options.confidence_threshold
    if low:
        reasons += (f"low confidence: agent score margin {agent.score - runner_up:.1f}",)
    return RoleAssignment(roles, confidence, "content", low_confidence=low, reasons=reasons)


def roles_from_channels(diarization: Diarization, agent_channel: int,
                        utterances: Sequence[Utterance] = (), language: str = "",
                        options: RoleOptions = RoleOptions()) -> RoleAssignment:
    """Stereo: the configured agent channel is the agent. If what was said clearly says the channel map
    is the wrong way round, the assignment is kept but flagged low-confidence with the reason."""
    agent_label = channel_label(agent_channel)
    roles = tuple((s, Role.AGENT if s == agent_label else Role.CUSTOMER) for s in diarization.speakers)
    reasons: tuple[str, ...] = (f"channel map: agent on channel {agent_channel}",)
    if utterances and language:
        content = roles_from_content(utterances, language, options)
        agents = {s for s, r in content.roles if r == Role.AGENT}
        if agents and agent_label not in agents and not content.low_confidence:
            reasons += (f"content suggests the agent is on {', '.join(sorted(agents))} "
                        f"(confidence {content.confidence:.2f}); check the agent channel setting",)
            return RoleAssignment(roles, 1.0 - content.confidence, "channel", low_confidence=True,
                                  reasons=reasons)
    return RoleAssignment(roles, 1.0, "channel", reasons=reasons)


def channel_label(channel: int) -> str:
    return f"CHANNEL_{channel}"


def apply_roles(utterances: Iterable[Utterance], assignment: RoleAssignment) -> tuple[Utterance, ...]:
    return tuple(replace(u, role=assignment.role_of(u.speaker)) for u in utterances)


def speaker_evidence(utterances: Sequence[Utterance], language: str,
                     options: RoleOptions = RoleOptions()) -> tuple[SpeakerEvidence, ...]:
    """Each speaker's agent score and the cues found, in order of first appearance."""
    order: list[str] = []
    found: dict[str, dict[str, float]] = {}
    for u in sorted(utterances, key=lambda x: x.start):
        if u.speaker not in found:
            order.append(u.speaker)
            found[u.speaker] = {}
        for cue in CUES:
            if (cue.opening_only and u.start > options.opening_window) or (cue.outbound_only
                                                                           and not options.outbound):
                continue
            if _matches(cue, u.text, language):
                found[u.speaker][cue.name] = cue.weight
        if _mentions_bank(u.text, language, options):
            found[u.speaker]["bank name"] = _BANK_WEIGHT
    if order and not options.outbound:
        found[order[0]]["spoke first"] = _FIRST_WEIGHT
    return tuple(SpeakerEvidence(s, sum(found[s].values()), tuple(found[s])) for s in order)


def _matches(cue: Cue, text: str, language: str) -> bool:
    if language == "zh" or _has_cjk(text):
        key = _pinyin_key(text)
        if any(p in text or _pinyin_match(_pinyin_key(p), key) for p in cue.zh):
            return True
    plain = _plain(text)
    return any(re.search(rx, plain) for rx in cue.en)


def _pinyin_match(phrase: str, text: str) -> bool:
    """Exact syllable match (two syllables or more: one syllable has too many homophones), or for
    long phrases a close one, counted in whole syllables (祝您生活愉快 ~ 主您生活又快: one syllable
    off). Counting characters instead let garbled text match on shared syllables alone
    (你们银行 ~ 天真音航: "…en yin hang")."""
    wanted = phrase.split()
    if len(wanted) < 2:
        return False
    if phrase in text:
        return True
    if len(wanted) < _FUZZY_MIN_SYLLABLES:
        return False
    from rapidfuzz.distance import Levenshtein

    heard, n = text.split(), len(wanted)
    edits = n // _FUZZY_MIN_SYLLABLES  # one syllable per four
    return any(Levenshtein.distance(wanted, heard[i : i + width]) <= edits
               for width in (n - 1, n, n + 1) for i in range(max(1, len(heard) - width + 1)))


def _mentions_bank(text: str, language: str, options: RoleOptions) -> bool:
    bank = options.bank_name
    if bank and (bank in text or _pinyin_key(bank) in _pinyin_key(text)):
        return True
    return bool(options.bank_name_en) and _plain(options.bank_name_en) in _plain(text)


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@lru_cache(maxsize=4096)
def _pinyin_key(text: str) -> str:
    """Toneless pinyin syllables (and Latin/digit tokens) with spaces around each: ' gong hao 1023 '."""
    from pypinyin import lazy_pinyin

    tokens: list[str] = []
    for chunk in lazy_pinyin(text):
        tokens.extend(re.findall(r"[\w']+", chunk.lower()))
    return " " + " ".join(tokens) + " "
