"""Conditions that decide whether a conditional rubric item applies to a call.

Built in: ``customer_complaint`` — the customer complains (投诉, 不满意, 乱扣费, "this is
unacceptable", "charged twice", …; negated forms such as 不是投诉 / "no complaints" do not count).
Rubrics define further conditions of their own (e.g. ``wealth_product``: someone mentions 理财, a
fund or a product name variable); see :class:`~qa_service.rubrics.schema.MentionCondition`.

A condition that holds returns a :class:`Trigger`: the first utterance that made it true, which
items can use as their window (``window: {after: trigger}``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from qa_service.domain import Evidence, Role
from qa_service.rubrics.matching import compile_phrase, covered
from qa_service.rubrics.prepared import PreparedCall
from qa_service.rubrics.schema import MentionCondition, Phrase
from qa_service.text import is_chinese

CUSTOMER_COMPLAINT = "customer_complaint"

_COMPLAINT_ZH = (
    "投诉",
    "不满意",
    "太差了",
    "很差",
    "差劲",
    "什么服务",
    "怎么回事",
    "怎么搞的",
    "搞什么",
    "乱扣",
    "多扣",
    "扣错",
    "重复扣款",
    "等了半天",
    "等了好久",
    "太慢了",
    "生气",
    "气死",
    "太过分",
    "不合理",
    "坑人",
    "骗人",
    "凭什么",
    "没人管",
    "没人处理",
    "说了好几次",
    "反映过好几次",
    "不像话",
    "莫名其妙",
    "给个说法",
    "讨个说法",
    "赔偿",
    "退钱",
    "太离谱",
)
_COMPLAINT_ZH_NEGATED = (
    "不是投诉",
    "没有投诉",
    "不是要投诉",
    "没有要投诉",
    "不想投诉",
    "无需投诉",
    "不用投诉",
    "不投诉",
    "没有不满意",
    "不是不满意",
    "不生气",
    "没生气",
    "没有生气",
)
_COMPLAINT_EN = (
    "complain",
    "complaint",
    "complaints",
    "complaining",
    "unacceptable",
    "ridiculous",
    "terrible",
    "awful",
    "frustrated",
    "frustrating",
    "angry",
    "upset",
    "furious",
    "charged twice",
    "double charged",
    "third time",
    "worst",
    "not happy",
    "disappointed",
    "outrageous",
    "fed up",
    "nobody helped",
    "no one helped",
    "wrong charge",
    "never received",
    "want a refund",
    "this is a joke",
    "unbelievable",
)
_COMPLAINT_EN_NEGATED = (
    "not complaining",
    "no complaints",
    "not a complaint",
    "nothing to complain",
    "not to complain",
    "not upset",
    "not angry",
    "no complaint",
    "not frustrated",
    "dont want to complain",
)


@dataclass(frozen=True)
class Trigger:
    """The utterance that made a condition true."""

    condition: str
    position: int
    start: float
    end: float
    evidence: Evidence


@lru_cache(maxsize=4)
def _complaint_lexicon(language: str) -> tuple[tuple[Phrase, ...], tuple[Phrase, ...]]:
    terms, negated = (
        (_COMPLAINT_ZH, _COMPLAINT_ZH_NEGATED)
        if is_chinese(language)
        else (_COMPLAINT_EN, _COMPLAINT_EN_NEGATED)
    )
    return (
        tuple(compile_phrase(t, language) for t in terms),
        tuple(compile_phrase(t, language) for t in negated),
    )


def detect_mention(
    call: PreparedCall,
    name: str,
    role: Role | None,
    phrases: Sequence[Phrase],
    exceptions: Sequence[Phrase] = (),
) -> Trigger | None:
    """The earliest utterance of ``role`` saying one of ``phrases`` exactly (or, in Mandarin, by
    sound) outside any of the ``exceptions``."""
    best: tuple[int, int, int] | None = None  # (position, start, end)
    for phrase in phrases:
        for pu, start, end, _method in call.find_exact(phrase, role):
            if best is not None and (pu.position, start) >= best[:2]:
                continue
            if exceptions and covered((start, end), exceptions, pu.norm, pu.key, call.chinese):
                continue
            best = (pu.position, start, end)
    if best is None:
        return None
    pu = call.utterances[best[0]]
    ev = call.evidence(pu, best[1], best[2])
    return Trigger(name, pu.position, pu.utterance.start, pu.utterance.end, ev)


def detect_complaint(call: PreparedCall) -> Trigger | None:
    """The first customer utterance that complains (lexicon with negation), or None."""
    terms, negated = _complaint_lexicon("zh" if is_chinese(call.language) else "en")
    return detect_mention(call, CUSTOMER_COMPLAINT, Role.CUSTOMER, terms, negated)


BUILTIN_CONDITIONS = (CUSTOMER_COMPLAINT,)


def evaluate_condition(name: str, call: PreparedCall, defined: Sequence[MentionCondition]) -> Trigger | None:
    """Evaluate a built-in or rubric-defined condition on a call."""
    for cond in defined:
        if cond.name == name:
            return detect_mention(call, name, cond.role, cond.phrases, cond.exceptions)
    if name == CUSTOMER_COMPLAINT:
        return detect_complaint(call)
    raise KeyError(name)
