# ruff: noqa: E501  (hand-written phrase lists read better unwrapped)
"""Write tests/rubrics/data/variants.jsonl: the labelled transcript variants for rubric matching.

    .venv/bin/python tests/rubrics/make_variants.py

Deterministic (no randomness): each rubric has a short scripted call in which every item passes (or
is N/A), and each variant changes one thing — the utterance that carries one item, an inserted
utterance, or the recogniser's word confidences — with the expected outcome of every item written
down by hand. Categories:

- ``correct``: the standard phrasing (also with numbers read out, traditional characters, …);
- ``paraphrase``: other wording a QA reviewer accepts — must still pass;
- ``near_miss``: similar wording that does not meet the item — must fail (for ``forbidden_phrases``:
  the agent does say a forbidden phrase);
- ``asr``: recognition errors on a correct utterance — homophones (建社银行, 公号, 感射), dropped
  characters, split words, English misspellings and splits — and low-confidence words. Where the
  match rests on unsure words (low confidence, or a forbidden phrase heard only by its sound) the
  expected outcome is ``needs_review``.

Each line: ``{"id", "language", "rubric", "item", "category", "note", "utterances": [{"role",
"start", "end", "text", "words"?}], "expected": {item_id: outcome}}``; ``utterances`` are in the
interchange form (qa_service/interchange.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "variants.jsonl"
A, C = "agent", "customer"
PASS, FAIL, NA, REVIEW = "pass", "fail", "n/a", "needs_review"


@dataclass(frozen=True)
class Turn:
    role: str
    text: str
    key: str = ""  # the item this turn carries (mutations replace it)
    low: str = ""  # substring said with low recogniser confidence


@dataclass
class Base:
    rubric: str
    language: str
    turns: list[Turn]
    expected: dict[str, str]
    variants: list[dict] = field(default_factory=list)


# --------------------------------------------------------------------------- timing and words
def _duration(text: str, zh: bool) -> float:
    if zh:
        return max(1.5, round(len(re.sub(r"[\s，。？！、,.?!]", "", text)) * 0.3, 2))
    return max(1.2, round(len(text.split()) * 0.42, 2))


def _words(text: str, start: float, end: float, low: str, zh: bool) -> list[dict]:
    tokens = list(re.sub(r"\s+", "", text)) if zh else text.split()
    lo = text.find(low) if low else -1
    lo_span = (lo, lo + len(low)) if lo >= 0 else (-1, -1)
    out, pos = [], 0
    step = (end - start) / max(1, len(tokens))
    for k, tok in enumerate(tokens):
        at = text.find(tok, pos)
        pos = at + len(tok)
        unsure = lo_span[0] <= at < lo_span[1] or lo_span[0] < pos <= lo_span[1]
        out.append(
            {
                "text": tok,
                "start": round(start + k * step, 3),
                "end": round(start + (k + 1) * step, 3),
                "confidence": 0.3 if unsure else 0.95,
            }
        )
    return out


def _utterances(turns: list[Turn], zh: bool) -> list[dict]:
    out, t = [], 0.5
    for turn in turns:
        dur = _duration(turn.text, zh)
        utt = {"role": turn.role, "start": round(t, 3), "end": round(t + dur, 3), "text": turn.text}
        if turn.low:
            utt["words"] = _words(turn.text, t, t + dur, turn.low, zh)
        out.append(utt)
        t += dur + 0.9
    return out


# --------------------------------------------------------------------------- mutations
def replace(base: Base, key: str, text: str, role: str = A, low: str = "") -> list[Turn]:
    turns = [Turn(role, text, key, low) if t.key == key else t for t in base.turns]
    assert any(t.key == key for t in base.turns), key
    return turns


def insert_after(base: Base, key: str, *new: Turn) -> list[Turn]:
    out: list[Turn] = []
    for t in base.turns:
        out.append(t)
        if t.key == key:
            out.extend(new)
    return out


def add(base: Base, item: str, category: str, note: str, turns: list[Turn], **expected: str) -> None:
    exp = dict(base.expected)
    for k, v in expected.items():
        assert k in exp, (base.rubric, k)
        exp[k] = v
    base.variants.append({"item": item, "category": category, "note": note, "turns": turns, "expected": exp})


def phrase_variants(base: Base, item: str, key: str, cases: list[tuple[str, str, str]]) -> None:
    """``cases``: (category, text, expected outcome of ``item``) — the text replaces turn ``key``."""
    for category, text, outcome in cases:
        low = ""
        if text.startswith("LOW:"):  # LOW:<unsure substring>|<text>
            low, text = text[4:].split("|", 1)
        add(base, item, category, text, replace(base, key, text, low=low), **{item: outcome})


# --------------------------------------------------------------------------- inbound service, zh
def inbound_zh() -> Base:
    b = Base(
        "inbound_service_zh",
        "zh",
        [
            Turn(A, "您好，建设银行，工号1023为您服务。", "greeting"),
            Turn(C, "你好，我想查一下我的卡最近的一笔扣款。"),
            Turn(A, "好的，为了核实您的身份，请问您的姓名和身份证后四位？", "verification"),
            Turn(C, "我叫王建国，后四位是0318。"),
            Turn(A, "谢谢王先生，这笔是11月1日的话费自动扣款，金额是98元。", "handling"),
            Turn(C, "哦，原来是话费，那就没问题了。", "customer_reply"),
            Turn(A, "请问还有什么可以帮您？", "offer"),
            Turn(C, "没有了，谢谢。"),
            Turn(A, "感谢您的来电，再见。", "closing"),
        ],
        {
            "greeting": PASS,
            "verification": PASS,
            "offer_further_help": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
            "apology_on_complaint": NA,
            "order": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "greeting",
        "greeting",
        [
            ("correct", "您好，建设银行，工号一零二三为您服务。", PASS),
            ("correct", "您好，建設銀行，工號1023為您服務。", PASS),
            ("correct", "您好，建设银行，工号幺零二三为您服务。", PASS),
            ("paraphrase", "您好，欢迎致电建设银行，我是1023号客服，很高兴为您服务。", PASS),
            ("paraphrase", "建设银行您好，工号1023，请问有什么可以帮您？", PASS),
            ("paraphrase", "早上好，这里是建设银行，1023号为您服务。", PASS),
            ("paraphrase", "您好，建行，工号1023为您服务。", PASS),
            ("paraphrase", "嗯，您好，建设银行，工号1023很高兴为您服务。", PASS),
            ("near_miss", "喂，你说。", FAIL),
            ("near_miss", "您好，工号1023为您服务。", FAIL),
            ("near_miss", "您好，建设银行为您服务。", FAIL),
            ("near_miss", "您好，工商银行，工号1023为您服务。", FAIL),
            ("near_miss", "喂，建设银行，什么事？", FAIL),
            ("near_miss", "您好，请问有什么可以帮您？", FAIL),
            ("near_miss", "您好，建设银行，工号102为您服务。", FAIL),
            ("asr", "您好，建社银行，公号1023为您服务。", PASS),
            ("asr", "您好，建设银航，工号1023为您服务。", PASS),
            ("asr", "您好建设银行工号1023为您服务", PASS),
            ("asr", "您好，建设 银行，工号 1023 为您 服务", PASS),
            ("asr", "您好，建设银行，工号1023为您务。", PASS),
            ("asr", "你好，建设银行，工号1023为你服务。", PASS),
            ("asr", "您好，见设银行，工号1023为您服务。", PASS),
            ("asr", "您好，建设银，工号1023为您服务。", REVIEW),
            ("asr", "LOW:建设银行|您好，建设银行，工号1023为您服务。", REVIEW),
        ],
    )
    late = [
        Turn(C, "喂？喂？能听到吗？"),
        Turn(C, "我这边信号不太好，刚才没听清楚你们说什么。"),
        Turn(C, "我再说一遍，你能听到我说话吗？"),
        Turn(C, "喂，有人吗？怎么没有声音啊？"),
    ]
    add(b, "greeting", "near_miss", "greeting only after 15 s", [*late, *b.turns], greeting=FAIL)

    phrase_variants(
        b,
        "verification",
        "verification",
        [
            ("correct", "请问您的姓名和身份证后四位？", PASS),
            ("paraphrase", "麻烦您提供一下身份证后四位，我核实一下。", PASS),
            ("paraphrase", "先跟您核实一下身份，请问您怎么称呼？", PASS),
            ("paraphrase", "好的，请问您的姓名是？", PASS),
            ("paraphrase", "我需要验证一下您的身份，请报一下证件号码后四位。", PASS),
            ("near_miss", "好的，请问您怎么称呼？", FAIL),
            ("near_miss", "好的，请问您贵姓？", FAIL),
            ("near_miss", "好的，您的卡号是多少？", FAIL),
            ("near_miss", "好的，我帮您看一下。", FAIL),
            ("asr", "好的，为了核实您的身份，请问您的姓名和身份证后四为？", PASS),
            ("asr", "好的，请问您的姓明和身分证后四位？", PASS),
            ("asr", "好的，请问你的姓名？", PASS),
            ("asr", "好的，请问您姓名和身份证后四位？", PASS),
            ("asr", "好的，请问您的性名？", PASS),
            ("asr", "好的 为了 核实 您的 身份 请问 您的 姓名", PASS),
            ("asr", "LOW:请问您的姓名和身份证后四位|好的，请问您的姓名和身份证后四位？", REVIEW),
        ],
    )
    phrase_variants(
        b,
        "offer_further_help",
        "offer",
        [
            ("correct", "请问还有什么可以帮您的吗？", PASS),
            ("paraphrase", "请问您还有其他需要帮助的吗？", PASS),
            ("paraphrase", "还有什么可以帮到您的吗？", PASS),
            ("paraphrase", "请问还有其他业务需要办理吗？", PASS),
            ("paraphrase", "您看还有什么问题吗？", PASS),
            ("near_miss", "好的，那就这样。", FAIL),
            ("near_miss", "请问您对这次服务满意吗？", FAIL),
            ("near_miss", "您还记得卡号吗？", FAIL),
            ("near_miss", "还有别的吗", FAIL),
            ("asr", "请问还有什么可以帮你？", PASS),
            ("asr", "请问还有什么可以邦您？", PASS),
            ("asr", "请问还有什么可帮您？", PASS),
            ("asr", "请问 还有 什么 可以 帮 您", PASS),
            ("asr", "请问还由什么可以帮您？", PASS),
            ("asr", "LOW:还有什么可以帮您|请问还有什么可以帮您？", REVIEW),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("correct", "感谢您的来电，再见！", PASS),
            ("paraphrase", "好的，感谢来电，再见。", PASS),
            ("paraphrase", "谢谢您的来电，祝您生活愉快，再见。", PASS),
            ("paraphrase", "再次感谢您的来电，再见。", PASS),
            ("paraphrase", "感谢您的来电，拜拜。", PASS),
            ("near_miss", "好的，再见。", FAIL),
            ("near_miss", "感谢您的耐心等待，再见。", FAIL),
            ("near_miss", "那先这样吧。", FAIL),
            ("near_miss", "感谢您的来电。", FAIL),
            ("asr", "感射您的来电，再见。", PASS),
            ("asr", "感谢您的来电，在见。", PASS),
            ("asr", "感谢您来电，再见。", PASS),
            ("asr", "感谢 您的 来电 再 见", PASS),
            ("asr", "敢谢您的来电，再见。", PASS),
            ("asr", "LOW:感谢您的来电|感谢您的来电，再见。", REVIEW),
        ],
    )
    for category, text, outcome in [
        ("paraphrase", "这个我需要帮您核实一下，稍后给您回复。", PASS),
        ("paraphrase", "不知道您现在是否方便接听？", PASS),
        ("paraphrase", "我看看有没有办法帮您处理。", PASS),
        ("paraphrase", "如果您不知道户号，可以看一下账单。", PASS),
        ("paraphrase", "我们一起想办法解决。", PASS),
        ("near_miss", "这个我也不知道。", FAIL),
        ("near_miss", "没办法，这是规定。", FAIL),
        ("near_miss", "这不归我管，你去问别人。", FAIL),
        ("near_miss", "你听不懂吗？我都说了三遍了。", FAIL),
        ("near_miss", "我也没办法，你自己看着办吧。", FAIL),
        ("near_miss", "这个跟我没关系。", FAIL),
        ("asr", "这个我也不只道。", REVIEW),
        ("asr", "没半法，这是规定。", REVIEW),
        ("asr", "LOW:不知道|这个我也不知道。", REVIEW),
    ]:
        low = ""
        if text.startswith("LOW:"):
            low, text = text[4:].split("|", 1)
        add(
            b,
            "forbidden_phrases",
            category,
            text + (" (low confidence)" if low else ""),
            insert_after(b, "handling", Turn(A, text, low=low)),
            forbidden_phrases=outcome,
        )
    add(
        b,
        "forbidden_phrases",
        "paraphrase",
        "customer says 不知道",
        insert_after(b, "handling", Turn(C, "户号我不知道在哪儿看。")),
    )
    complaint = Turn(C, "我要投诉！你们乱扣我的钱！", "complaint")
    for category, reply, outcome in [
        ("correct", "非常抱歉给您带来不便，我马上为您核实处理。", PASS),
        ("paraphrase", "对不起，这个问题我帮您提交工单，会有专人给您回电。", PASS),
        ("paraphrase", "不好意思让您久等了，我这就帮您申请退款。", PASS),
        ("paraphrase", "真的很抱歉，我把这个情况反馈给主管，今天之内给您答复。", PASS),
        ("near_miss", "这个扣费是正常的。", FAIL),
        ("near_miss", "抱歉。", FAIL),
        ("near_miss", "我帮您查一下。", FAIL),
        ("near_miss", "这是系统扣的，您自己看账单吧。", FAIL),
        ("asr", "非常报歉，我马上为您核实处理。", PASS),
        ("asr", "对不气，我帮您提交工单。", PASS),
        ("asr", "LOW:抱歉|非常抱歉，我马上为您核实处理。", REVIEW),
    ]:
        low = ""
        if reply.startswith("LOW:"):
            low, reply = reply[4:].split("|", 1)
        add(
            b,
            "apology_on_complaint",
            category,
            reply,
            insert_after(b, "handling", complaint, Turn(A, reply, low=low)),
            apology_on_complaint=outcome,
        )
    add(
        b,
        "apology_on_complaint",
        "near_miss",
        "negated complaint: 不是要投诉",
        insert_after(b, "handling", Turn(C, "我不是要投诉，就是问一下。"), Turn(A, "好的，明白。")),
    )
    add(
        b,
        "apology_on_complaint",
        "asr",
        "complaint heard as 投素 (same sound)",
        insert_after(b, "handling", Turn(C, "我要投素，你们乱扣钱！"), Turn(A, "非常抱歉，我马上为您处理。")),
        apology_on_complaint=PASS,
    )
    extra_zh(b)
    # order
    swapped = [t for t in b.turns if t.key != "verification"]
    swapped = [
        *swapped[:-1],
        Turn(A, "请问您的姓名和身份证后四位？", "verification"),
        Turn(C, "王建国，0318。"),
        swapped[-1],
    ]
    add(
        b,
        "order",
        "near_miss",
        "verification only after the offer of help, right before closing",
        swapped,
        order=FAIL,
    )
    early = [
        Turn(A, "请问您的姓名和身份证后四位？"),
        Turn(A, "您好，建设银行，工号1023为您服务。", "greeting"),
        *b.turns[1:2],
        *b.turns[3:],
    ]
    add(b, "order", "near_miss", "verification before the greeting", early, order=FAIL)
    no_handling = [b.turns[0], b.turns[1], b.turns[2], Turn(A, "感谢您的来电，再见。", "closing")]
    add(
        b,
        "order",
        "near_miss",
        "closing right after verification, nothing handled",
        no_handling,
        order=FAIL,
        offer_further_help=FAIL,
    )
    add(
        b,
        "order",
        "paraphrase",
        "greeting missing, the rest in order",
        replace(b, "greeting", "喂，你说。"),
        greeting=FAIL,
        order=PASS,
    )
    return b


def extra_zh(b: Base) -> None:
    """A second batch, written after the engine was tuned on the first, to check it generalises."""
    phrase_variants(
        b,
        "greeting",
        "greeting",
        [
            ("paraphrase", "您好，中国建设银行，工号1023，很高兴为您服务。", PASS),
            ("paraphrase", "下午好，建设银行客服1023号为您服务。", PASS),
            ("near_miss", "您好，建设银行。", FAIL),
            ("asr", "宁好，建设银行，工号1023为您服务。", PASS),
            ("asr", "您好，建设银行，工号1023位您服务。", PASS),
        ],
    )
    phrase_variants(
        b,
        "verification",
        "verification",
        [
            ("paraphrase", "好的，请您提供一下姓名和证件后四位。", PASS),
            ("near_miss", "好的，请问您是本人吗？", FAIL),
            ("asr", "好的，请问您的星名和身份证后四位？", PASS),
        ],
    )
    phrase_variants(
        b,
        "offer_further_help",
        "offer",
        [
            ("paraphrase", "请问您还有其他问题吗？", PASS),
            ("near_miss", "还要别的吗？", FAIL),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "感谢您的来电，祝您生活愉快，再见。", PASS),
            ("near_miss", "祝您生活愉快。", FAIL),
            ("asr", "感谢您的来电在见", PASS),
        ],
    )
    for category, text, outcome in [
        ("near_miss", "我真的不知道。", FAIL),
        ("paraphrase", "这个我不太清楚，我帮您问一下。", PASS),
        ("near_miss", "这事不归我管。", FAIL),
    ]:
        add(
            b,
            "forbidden_phrases",
            category,
            text,
            insert_after(b, "handling", Turn(A, text)),
            forbidden_phrases=outcome,
        )
    for category, complaint, reply, outcome in [
        ("paraphrase", "你们这服务太差了！", "很抱歉，我帮您升级处理。", PASS),
        ("near_miss", "你们这服务太差了！", "好的。", FAIL),
    ]:
        add(
            b,
            "apology_on_complaint",
            category,
            f"{complaint} / {reply}",
            insert_after(b, "handling", Turn(C, complaint), Turn(A, reply)),
            apology_on_complaint=outcome,
        )


def extra_en(b: Base) -> None:
    """A second batch, written after the engine was tuned on the first, to check it generalises."""
    phrase_variants(
        b,
        "greeting",
        "greeting",
        [
            (
                "paraphrase",
                "Good afternoon, Construction Bank, this is Mike, agent 2041, how can I help?",
                PASS,
            ),
            ("near_miss", "Construction Bank, hold on.", FAIL),
            (
                "asr",
                "Thank you for calling Construction Bank, this is agent ten twenty-three, how may I help you?",
                PASS,
            ),
        ],
    )
    phrase_variants(
        b,
        "verification",
        "verification",
        [
            ("paraphrase", "Can you please verify your identity for me?", PASS),
            ("near_miss", "Can I have your email address?", FAIL),
        ],
    )
    phrase_variants(
        b,
        "offer_further_help",
        "offer",
        [
            ("paraphrase", "Anything else I can do for you today?", PASS),
            ("near_miss", "Anything else?", FAIL),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "Thanks for calling Construction Bank, goodbye.", PASS),
            ("near_miss", "Have a nice day.", FAIL),
            ("asr", "Thank you for calling, good buy.", PASS),
        ],
    )
    for category, text, outcome in [
        ("near_miss", "It's not my department.", FAIL),
        ("paraphrase", "I'm not sure, let me check with my colleague.", PASS),
    ]:
        add(
            b,
            "forbidden_phrases",
            category,
            text,
            insert_after(b, "handling", Turn(A, text)),
            forbidden_phrases=outcome,
        )
    for category, complaint, reply, outcome in [
        (
            "paraphrase",
            "This is unacceptable.",
            "I apologize, I'll file a complaint for you right now.",
            PASS,
        ),
        ("near_miss", "This is unacceptable.", "I understand.", FAIL),
    ]:
        add(
            b,
            "apology_on_complaint",
            category,
            f"{complaint} / {reply}",
            insert_after(b, "handling", Turn(C, complaint), Turn(A, reply)),
            apology_on_complaint=outcome,
        )


# --------------------------------------------------------------------------- inbound service, en
def inbound_en() -> Base:
    b = Base(
        "inbound_service_en",
        "en",
        [
            Turn(
                A,
                "Thank you for calling Construction Bank, this is agent 1023, how may I help you?",
                "greeting",
            ),
            Turn(C, "Hi, I want to check a charge on my card."),
            Turn(A, "May I have your full name and the last four digits of your ID?", "verification"),
            Turn(C, "David Miller, 4471."),
            Turn(A, "Thank you. That charge is your phone bill from November first, 98 dollars.", "handling"),
            Turn(C, "Oh right, that's fine then."),
            Turn(A, "Is there anything else I can help you with?", "offer"),
            Turn(C, "No, that's all."),
            Turn(A, "Thank you for calling, goodbye.", "closing"),
        ],
        {
            "greeting": PASS,
            "verification": PASS,
            "offer_further_help": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
            "apology_on_complaint": NA,
            "order": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "greeting",
        "greeting",
        [
            (
                "correct",
                "Thank you for calling Construction Bank, this is agent ten twenty three, how may I help you?",
                PASS,
            ),
            (
                "correct",
                "Thank you for calling Construction Bank, this is agent one zero two three. How can I help?",
                PASS,
            ),
            (
                "paraphrase",
                "Good morning, Construction Bank, agent number 1023 speaking, how can I help you today?",
                PASS,
            ),
            ("paraphrase", "Hello, you've reached Construction Bank, this is Anna, agent 1023.", PASS),
            (
                "paraphrase",
                "Thanks for calling Construction Bank. My name is Tom, agent ID 1023. What can I do for you?",
                PASS,
            ),
            ("paraphrase", "Welcome to Construction Bank, agent 1023 here, how may I help you?", PASS),
            ("near_miss", "Hello?", FAIL),
            ("near_miss", "Thank you for calling, this is agent 1023, how may I help you?", FAIL),
            ("near_miss", "Thank you for calling Construction Bank, how may I help you?", FAIL),
            (
                "near_miss",
                "Thank you for calling Commerce Bank, this is agent 1023, how may I help you?",
                FAIL,
            ),
            ("near_miss", "Yeah, what do you need?", FAIL),
            ("asr", "Thank you for calling Construction Bank this is agent 1023 how may I help you", PASS),
            ("asr", "Thank you for calling Construktion Bank, this is agent 1023, how may I help you?", PASS),
            (
                "asr",
                "Thank you for calling Con struction Bank, this is agent 1023, how may I help you?",
                PASS,
            ),
            ("asr", "Thank you for calling Construction Bang, this is agent 1023, how may I help you?", PASS),
            (
                "asr",
                "Thank you for calling Construction Bank, this is agent 1 0 2 3, how may I help you?",
                PASS,
            ),
            (
                "asr",
                "LOW:Construction Bank|Thank you for calling Construction Bank, this is agent 1023, how may I help you?",
                REVIEW,
            ),
        ],
    )
    phrase_variants(
        b,
        "verification",
        "verification",
        [
            ("correct", "May I have your full name and the last 4 digits of your ID?", PASS),
            ("paraphrase", "Before we start, I need to verify your identity. What is your full name?", PASS),
            ("paraphrase", "Could I have your full name, please?", PASS),
            ("paraphrase", "Can you confirm your identity with the last four digits of your ID?", PASS),
            ("paraphrase", "For security, could you give me your date of birth?", PASS),
            ("near_miss", "What is your card number?", FAIL),
            ("near_miss", "Sure, let me take a look.", FAIL),
            ("near_miss", "What is your first name?", FAIL),
            ("near_miss", "May I have your phone number?", FAIL),
            ("asr", "May I have your ful name and the last four digits of your I.D.?", PASS),
            ("asr", "May I have your full name and the last for digits of your ID?", PASS),
            ("asr", "May I have your fullname and the last four digits of your ID?", PASS),
            ("asr", "May I half your full name and the last four digits of your ID?", PASS),
            (
                "asr",
                "LOW:full name and the last four digits of your ID|May I have your full name and the last four digits of your ID?",
                REVIEW,
            ),
        ],
    )
    phrase_variants(
        b,
        "offer_further_help",
        "offer",
        [
            ("correct", "Is there anything else I can help you with today?", PASS),
            ("paraphrase", "Can I help you with anything else?", PASS),
            ("paraphrase", "Is there anything else I can do for you?", PASS),
            ("paraphrase", "Great. Anything else I can help with?", PASS),
            ("paraphrase", "Is there anything else you need?", PASS),
            ("near_miss", "Okay, that's it then.", FAIL),
            ("near_miss", "Is there anything wrong with the card?", FAIL),
            ("near_miss", "Do you have your card with you?", FAIL),
            ("near_miss", "Are you happy with that?", FAIL),
            ("asr", "Is there anything else I can help you width?", PASS),
            ("asr", "Is there any thing else I can help you with?", PASS),
            ("asr", "Is there anythin else I can help you with?", PASS),
            ("asr", "Is their anything else I can help you with?", PASS),
            (
                "asr",
                "LOW:anything else I can help you with|Is there anything else I can help you with?",
                REVIEW,
            ),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("correct", "Thank you for calling. Goodbye!", PASS),
            ("paraphrase", "Thanks for calling, have a nice day.", PASS),
            ("paraphrase", "Thank you for your call, bye.", PASS),
            ("paraphrase", "Alright, thank you for calling Construction Bank, have a great day.", PASS),
            ("near_miss", "Okay.", FAIL),
            ("near_miss", "Thank you for holding, goodbye.", FAIL),
            ("near_miss", "Thank you for calling.", FAIL),
            ("near_miss", "Bye.", FAIL),
            ("near_miss", "Thank you for your patience, goodbye.", FAIL),
            ("asr", "Thank you for caling, goodbye.", PASS),
            ("asr", "Thank you for call ing, good bye.", PASS),
            ("asr", "Thank you for calling, good by.", PASS),
            ("asr", "Thank you for colling, goodbye.", PASS),
            ("asr", "LOW:Thank you for calling|Thank you for calling, goodbye.", REVIEW),
        ],
    )
    for category, text, outcome, low in [
        ("paraphrase", "Let me find out for you and call you back.", PASS, ""),
        ("paraphrase", "I don't know if you have seen our new app, it shows this too.", PASS, ""),
        ("paraphrase", "If you don't know the account number, it is on your statement.", PASS, ""),
        ("paraphrase", "I'll check with the team that handles it.", PASS, ""),
        ("near_miss", "Why it failed, I don't know.", FAIL, ""),
        ("near_miss", "That's not my job.", FAIL, ""),
        ("near_miss", "That is not my problem, call the biller.", FAIL, ""),
        ("near_miss", "Are you deaf? I already told you.", FAIL, ""),
        ("near_miss", "There's nothing I can do.", FAIL, ""),
        ("near_miss", "I do not know.", FAIL, ""),
        ("asr", "I don't know.", REVIEW, "I don't know"),
        ("asr", "That's not my job.", REVIEW, "not my job"),
    ]:
        add(
            b,
            "forbidden_phrases",
            category,
            text + (" (low confidence)" if low else ""),
            insert_after(b, "handling", Turn(A, text, low=low)),
            forbidden_phrases=outcome,
        )
    add(
        b,
        "forbidden_phrases",
        "paraphrase",
        "customer says I don't know",
        insert_after(b, "handling", Turn(C, "I don't know where to find that.")),
    )
    complaint = Turn(C, "This is ridiculous, you charged me twice! I want to make a complaint.")
    for category, reply, outcome, low in [
        ("correct", "I'm so sorry about that. I will refund the second charge right away.", PASS, ""),
        ("paraphrase", "I apologize for the trouble. Let me escalate this to my supervisor.", PASS, ""),
        ("paraphrase", "Sorry for the inconvenience, I'll look into it and call you back today.", PASS, ""),
        ("paraphrase", "My apologies. I have raised a complaint ticket for you.", PASS, ""),
        ("near_miss", "The charge is correct according to our terms.", FAIL, ""),
        ("near_miss", "Sorry.", FAIL, ""),
        ("near_miss", "I will check the charge.", FAIL, ""),
        ("near_miss", "You can read the terms on our website.", FAIL, ""),
        ("asr", "I'm so sorry about that. I will re fund the second charge right away.", PASS, ""),
        ("asr", "I apologise for the trouble. Let me escalate this to my super visor.", PASS, ""),
        ("asr", "I'm so sorry about that. I will refund the second charge right away.", REVIEW, "so sorry"),
    ]:
        add(
            b,
            "apology_on_complaint",
            category,
            reply + (" (low confidence)" if low else ""),
            insert_after(b, "handling", complaint, Turn(A, reply, low=low)),
            apology_on_complaint=outcome,
        )
    extra_en(b)
    add(
        b,
        "apology_on_complaint",
        "near_miss",
        "negated complaint: no complaints",
        insert_after(b, "handling", Turn(C, "No complaints, I just wanted to check."), Turn(A, "Of course.")),
    )
    swapped = [t for t in b.turns if t.key != "verification"]
    swapped = [
        *swapped[:-1],
        Turn(A, "May I have your full name and the last four digits of your ID?", "verification"),
        Turn(C, "David Miller, 4471."),
        swapped[-1],
    ]
    add(b, "order", "near_miss", "verification only right before closing", swapped, order=FAIL)
    early = [
        Turn(A, "May I have your full name and the last four digits of your ID?"),
        *b.turns[0:2],
        *b.turns[3:],
    ]
    add(b, "order", "near_miss", "verification before the greeting", early, order=FAIL)
    return b


# --------------------------------------------------------------------------- outbound marketing
def marketing_zh() -> Base:
    b = Base(
        "outbound_marketing_zh",
        "zh",
        [
            Turn(C, "喂，你好。"),
            Turn(A, "您好，我是建设银行的理财顾问小周，工号3015。", "greeting"),
            Turn(A, "本次通话可能会被录音。", "recording"),
            Turn(C, "嗯，什么事？"),
            Turn(A, "我们新推出一款稳健型理财产品，想向您介绍一下。", "purpose"),
            Turn(C, "风险大吗？"),
            Turn(A, "需要提醒您，理财非存款，产品有风险，投资须谨慎。", "risk"),
            Turn(C, "那我先考虑一下。"),
            Turn(A, "好的。如果您不希望再接到此类电话，可以随时告诉我们。", "opt_out"),
            Turn(C, "好的。"),
            Turn(A, "感谢您的接听，祝您生活愉快，再见。", "closing"),
        ],
        {
            "greeting": PASS,
            "identity": PASS,
            "purpose": PASS,
            "recording_disclosure": PASS,
            "risk_disclosure": PASS,
            "opt_out": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "recording_disclosure",
        "recording",
        [
            ("paraphrase", "温馨提示，本次通话将被录音。", PASS),
            ("paraphrase", "我们的通话可能会被录音。", PASS),
            ("near_miss", "我们的通话很快就好。", FAIL),
            ("near_miss", "请您记录一下我的工号。", FAIL),
            ("asr", "本次通话可能会被路音。", PASS),
            ("asr", "本次通化可能会被录音。", PASS),
            ("asr", "本次通话可能被录音。", PASS),
            ("asr", "LOW:可能会被录音|本次通话可能会被录音。", REVIEW),
        ],
    )
    phrase_variants(
        b,
        "risk_disclosure",
        "risk",
        [
            ("paraphrase", "提醒您，理财产品不是存款，存在风险，请谨慎投资。", PASS),
            ("paraphrase", "理财产品不等同于存款，投资有风险。", PASS),
            ("near_miss", "这款产品收益很稳定，您放心。", FAIL),
            ("near_miss", "这款产品是中低风险的。", FAIL),
            ("asr", "需要提醒您，理财非存款，产品有风线，投资须谨慎。", PASS),
            ("asr", "需要提醒您，理财飞存款，产品有风险，投资须谨慎。", PASS),
            ("asr", "LOW:理财非存款，产品有风险|需要提醒您，理财非存款，产品有风险，投资须谨慎。", REVIEW),
        ],
    )
    not_wealth = [
        t if t.key != "purpose" else Turn(A, "我们有一张新的信用卡，首年免年费，想向您介绍一下。", "purpose")
        for t in b.turns
        if t.key != "risk"
    ]
    not_wealth = [
        t if t.key != "greeting" else Turn(A, "您好，我是建设银行的信用卡专员小周，工号3015。", "greeting")
        for t in not_wealth
    ]
    not_wealth = [t if t.text != "风险大吗？" else Turn(C, "年费多少？") for t in not_wealth]
    add(
        b,
        "risk_disclosure",
        "correct",
        "credit card, not a wealth product: N/A",
        not_wealth,
        risk_disclosure=NA,
    )
    phrase_variants(
        b,
        "opt_out",
        "opt_out",
        [
            ("paraphrase", "好的。如果您不希望我们再联系您，可以告诉我。", PASS),
            ("paraphrase", "好的，如果您以后不想再接到这类电话，我们可以为您登记。", PASS),
            ("near_miss", "好的，我下周再给您打电话。", FAIL),
            ("near_miss", "好的，有需要您随时联系我们。", FAIL),
            ("asr", "好的。如果您不希望再接到此类店话，可以随时告诉我们。", PASS),
            ("asr", "好的。如果您不希望再接到此类电，可以随时告诉我们。", PASS),
        ],
    )
    phrase_variants(
        b,
        "purpose",
        "purpose",
        [
            ("paraphrase", "今天给您打电话是想给您推荐一款理财产品。", PASS),
            ("near_miss", "您最近怎么样？", FAIL),
            ("asr", "我们新推出一款稳健型理财产品，想向您介少一下。", PASS),
        ],
    )
    phrase_variants(
        b,
        "identity",
        "greeting",
        [
            ("paraphrase", "您好，这里是建设银行，我是客户经理小王。", PASS),
            ("near_miss", "您好，我是小周。", FAIL),
            ("asr", "您好，我是建社银行的理财顾问小周，工号3015。", PASS),
        ],
    )
    for category, text, outcome in [
        ("near_miss", "这款产品保本保息，稳赚不赔。", FAIL),
        ("near_miss", "这个我也不知道。", FAIL),
        ("paraphrase", "这个问题我记下来，稍后给您回复。", PASS),
    ]:
        add(
            b,
            "forbidden_phrases",
            category,
            text,
            insert_after(b, "purpose", Turn(A, text)),
            forbidden_phrases=outcome,
        )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "打扰您了，再见。", PASS),
            ("near_miss", "好的，就这样。", FAIL),
            ("asr", "感谢您的接停，再见。", PASS),
        ],
    )
    return b


def marketing_en() -> Base:
    b = Base(
        "outbound_marketing_en",
        "en",
        [
            Turn(C, "Hello?"),
            Turn(A, "Hello, this is Anna from Construction Bank, agent 3040.", "greeting"),
            Turn(A, "Please note that this call is recorded.", "recording"),
            Turn(C, "Okay, what is it about?"),
            Turn(A, "I'm calling about our new six month wealth management product.", "purpose"),
            Turn(C, "Is it safe?"),
            Turn(A, "I should tell you that investment products carry risk and are not deposits.", "risk"),
            Turn(C, "Let me think about it."),
            Turn(A, "Of course. And if you prefer not to receive such calls, just let us know.", "opt_out"),
            Turn(C, "Sure."),
            Turn(A, "Thank you for your time, goodbye.", "closing"),
        ],
        {
            "greeting": PASS,
            "identity": PASS,
            "purpose": PASS,
            "recording_disclosure": PASS,
            "risk_disclosure": PASS,
            "opt_out": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "recording_disclosure",
        "recording",
        [
            ("paraphrase", "Just so you know, this call may be recorded.", PASS),
            ("paraphrase", "All our calls are recorded for quality purposes.", PASS),
            ("near_miss", "This call will only take a minute.", FAIL),
            ("near_miss", "Please record my agent number.", FAIL),
            ("asr", "Please note that this call is recordid.", PASS),
            ("asr", "Please note that this call is re corded.", PASS),
            ("asr", "LOW:this call is recorded|Please note that this call is recorded.", REVIEW),
        ],
    )
    phrase_variants(
        b,
        "risk_disclosure",
        "risk",
        [
            (
                "paraphrase",
                "Please be aware that investment products are not bank deposits and involve risk.",
                PASS,
            ),
            ("paraphrase", "These are not deposits, and you may lose money.", PASS),
            ("near_miss", "It is a great alternative to a savings account.", FAIL),
            ("near_miss", "Many customers move their deposits into it.", FAIL),
            ("asr", "I should tell you that investment products cary risk and are not deposits.", PASS),
            ("asr", "I should tell you that investment products carry risk and are not de posits.", PASS),
        ],
    )
    not_wealth = [
        t
        if t.key != "purpose"
        else Turn(A, "I'm calling about our new travel credit card with no annual fee.", "purpose")
        for t in b.turns
        if t.key != "risk"
    ]
    not_wealth = [t if t.text != "Is it safe?" else Turn(C, "What is the interest rate?") for t in not_wealth]
    add(
        b,
        "risk_disclosure",
        "correct",
        "credit card, not a wealth product: N/A",
        not_wealth,
        risk_disclosure=NA,
    )
    phrase_variants(
        b,
        "opt_out",
        "opt_out",
        [
            (
                "paraphrase",
                "Of course. If you would rather not receive these calls, tell me and we will stop.",
                PASS,
            ),
            ("paraphrase", "Sure. I can also remove you from our call list if you like.", PASS),
            ("near_miss", "Of course, I will call you again next week.", FAIL),
            ("near_miss", "Feel free to call us any time.", FAIL),
            ("asr", "Of course. And if you prefer not to recieve such calls, just let us know.", PASS),
        ],
    )
    phrase_variants(
        b,
        "purpose",
        "purpose",
        [
            ("paraphrase", "The reason for my call is our new wealth management product.", PASS),
            ("near_miss", "How are you doing today?", FAIL),
            ("asr", "I'm calling a bout our new six month wealth management product.", PASS),
        ],
    )
    phrase_variants(
        b,
        "identity",
        "greeting",
        [
            ("paraphrase", "Hi, my name is Anna and I'm calling from Construction Bank.", PASS),
            ("near_miss", "Hello, this is Anna.", FAIL),
        ],
    )
    for category, text, outcome in [
        ("near_miss", "It is completely risk free, guaranteed returns.", FAIL),
        ("paraphrase", "I will send you the product details by message.", PASS),
    ]:
        add(
            b,
            "forbidden_phrases",
            category,
            text,
            insert_after(b, "purpose", Turn(A, text)),
            forbidden_phrases=outcome,
        )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "Thanks for your time, have a good day.", PASS),
            ("near_miss", "Okay, talk later.", FAIL),
        ],
    )
    return b


# --------------------------------------------------------------------------- return visit
def return_visit_zh() -> Base:
    b = Base(
        "return_visit_zh",
        "zh",
        [
            Turn(A, "您好，我是建设银行客服中心的小林，工号3102。请问是赵先生吗？", "greeting"),
            Turn(C, "是我，什么事？"),
            Turn(A, "您上周办理了信用卡分期业务，今天给您做个回访。", "purpose"),
            Turn(C, "可以，你说吧。"),
            Turn(A, "请问您对这次业务办理的服务是否满意？", "satisfaction"),
            Turn(C, "挺满意的。"),
            Turn(A, "感谢您的接听，祝您生活愉快，再见。", "closing"),
        ],
        {
            "greeting": PASS,
            "identity": PASS,
            "purpose": PASS,
            "satisfaction_question": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "satisfaction_question",
        "satisfaction",
        [
            ("paraphrase", "您对我们的服务满意吗？", PASS),
            ("paraphrase", "想请您对这次服务评价一下。", PASS),
            ("near_miss", "请问您分期办好了吗？", FAIL),
            ("near_miss", "请问您还有其他问题吗？", FAIL),
            ("asr", "请问您对这次业务办理的服务是否满一？", PASS),
            ("asr", "请问您对这次业务办理的服务是否慢意？", PASS),
            ("asr", "LOW:是否满意|请问您对这次业务办理的服务是否满意？", REVIEW),
        ],
    )
    phrase_variants(
        b,
        "purpose",
        "purpose",
        [
            ("paraphrase", "今天打电话是想了解一下您的办理情况。", PASS),
            ("near_miss", "今天打电话是想给您推荐一款理财产品。", FAIL),
            ("asr", "您上周办理了信用卡分期业务，今天给您做个回放。", PASS),
        ],
    )
    phrase_variants(
        b,
        "identity",
        "greeting",
        [
            ("near_miss", "您好，请问是赵先生吗？", FAIL),
            ("asr", "您好，我是建设银行客服中心的小林，公号3102。请问是赵先生吗？", PASS),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "感谢您的反馈，再见。", PASS),
            ("near_miss", "好的，再见。", FAIL),
            ("asr", "感谢您的接听，祝您生活愉快，在见。", PASS),
        ],
    )
    add(
        b,
        "forbidden_phrases",
        "near_miss",
        "agent: 没办法",
        insert_after(b, "purpose", Turn(A, "分期已经办了，没办法取消。")),
        forbidden_phrases=FAIL,
    )
    return b


def return_visit_en() -> Base:
    b = Base(
        "return_visit_en",
        "en",
        [
            Turn(
                A,
                "Hello, this is Lily from Construction Bank, agent 3102. Am I speaking with Mr. Zhao?",
                "greeting",
            ),
            Turn(C, "Yes, speaking."),
            Turn(
                A,
                "This is a quick follow up call about the card instalment plan you set up last week.",
                "purpose",
            ),
            Turn(C, "Sure."),
            Turn(A, "Were you satisfied with the service you received?", "satisfaction"),
            Turn(C, "Yes, very."),
            Turn(A, "Thank you for your time, goodbye.", "closing"),
        ],
        {
            "greeting": PASS,
            "identity": PASS,
            "purpose": PASS,
            "satisfaction_question": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "satisfaction_question",
        "satisfaction",
        [
            ("paraphrase", "How would you rate the service you received?", PASS),
            ("paraphrase", "Are you satisfied with how it went?", PASS),
            ("near_miss", "Did the plan start already?", FAIL),
            ("near_miss", "Is there anything else I can help you with?", FAIL),
            ("asr", "Were you satisfyed with the service you received?", PASS),
            ("asr", "LOW:satisfied|Were you satisfied with the service you received?", REVIEW),
        ],
    )
    phrase_variants(
        b,
        "purpose",
        "purpose",
        [
            ("paraphrase", "I'm following up on the card instalment plan you set up last week.", PASS),
            ("near_miss", "I'm calling about our new wealth management product.", FAIL),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "Thanks for your feedback, have a great day.", PASS),
            ("near_miss", "Okay, bye.", FAIL),
        ],
    )
    return b


# --------------------------------------------------------------------------- repayment reminder
def repayment_zh() -> Base:
    b = Base(
        "repayment_reminder_zh",
        "zh",
        [
            Turn(A, "您好，我是建设银行个人贷款中心的小郑，工号3210。请问是孙丽女士吗？", "greeting"),
            Turn(C, "我是，你好。"),
            Turn(A, "为了保护您的信息安全，请您提供一下身份证后四位。", "verification"),
            Turn(C, "后四位是7731。"),
            Turn(A, "谢谢。提醒您，本期应还金额是3260元，到期日是11月20日。", "amount"),
            Turn(C, "好的，我这周五之前就存进去。"),
            Turn(A, "感谢您的配合，再见。", "closing"),
        ],
        {
            "greeting": PASS,
            "identity": PASS,
            "verification": PASS,
            "amount_and_due_date": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "amount_and_due_date",
        "amount",
        [
            ("correct", "谢谢。提醒您，本期应还金额是三千二百六十元，到期日是十一月二十日。", PASS),
            ("paraphrase", "谢谢。您这期要还3260块，20号之前存进去就可以。", PASS),
            ("near_miss", "谢谢。提醒您按时还款。", FAIL),
            ("near_miss", "谢谢。本期应还金额是3260元，请尽快还款。", FAIL),
            ("near_miss", "谢谢。您的还款日快到了，是11月20日。", FAIL),
            ("asr", "谢谢。提醒您，本期应还金额是三千两百六十元，到期日是十一月二十号。", PASS),
        ],
    )
    phrase_variants(
        b,
        "verification",
        "verification",
        [
            ("paraphrase", "先核实一下您的身份，请报一下身份证后四位。", PASS),
            ("near_miss", "您的贷款快到期了。", FAIL),
            ("asr", "为了保护您的信息安全，请您提供一下身份正后四位。", PASS),
        ],
    )
    phrase_variants(
        b,
        "identity",
        "greeting",
        [
            ("near_miss", "您好，请问是孙丽女士吗？", FAIL),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "感谢您的接听，再见。", PASS),
            ("near_miss", "行，就这样。", FAIL),
        ],
    )
    add(
        b,
        "forbidden_phrases",
        "near_miss",
        "abusive collection language",
        insert_after(b, "amount", Turn(A, "您要是不还，后果自负。")),
        forbidden_phrases=FAIL,
    )
    return b


def repayment_en() -> Base:
    b = Base(
        "repayment_reminder_en",
        "en",
        [
            Turn(
                A,
                "Good morning, this is Kelly from Construction Bank, agent 3088. Am I speaking with Mr. Wright?",
                "greeting",
            ),
            Turn(C, "Yes, speaking."),
            Turn(
                A,
                "To protect your account, could you confirm the last four digits of your ID?",
                "verification",
            ),
            Turn(C, "It's 5108."),
            Turn(A, "Thank you. Your car loan payment of 1,180 dollars is due on November 25th.", "amount"),
            Turn(C, "Okay, I'll pay it this week."),
            Turn(A, "Thank you for your time, goodbye.", "closing"),
        ],
        {
            "greeting": PASS,
            "identity": PASS,
            "verification": PASS,
            "amount_and_due_date": PASS,
            "closing": PASS,
            "forbidden_phrases": PASS,
        },
    )
    add(b, "greeting", "correct", "base call", list(b.turns))
    phrase_variants(
        b,
        "amount_and_due_date",
        "amount",
        [
            (
                "correct",
                "Thank you. Your car loan payment of one thousand one hundred eighty dollars is due on November twenty fifth.",
                PASS,
            ),
            ("paraphrase", "Thank you. You owe 1180 dollars, and it is due by the 25th of November.", PASS),
            ("near_miss", "Thank you. Please remember to make your payment soon.", FAIL),
            ("near_miss", "Thank you. Your payment is due on November 25th.", FAIL),
            ("near_miss", "Thank you. Your payment is 1,180 dollars.", FAIL),
        ],
    )
    phrase_variants(
        b,
        "verification",
        "verification",
        [
            ("paraphrase", "Before we continue, I need to verify your identity.", PASS),
            ("near_miss", "Your loan payment is coming up.", FAIL),
            ("asr", "To protect your account, could you confirm the last four digits of your I.D.?", PASS),
        ],
    )
    phrase_variants(
        b,
        "closing",
        "closing",
        [
            ("paraphrase", "Thanks for your time, have a nice day.", PASS),
            ("near_miss", "Okay then.", FAIL),
        ],
    )
    add(
        b,
        "forbidden_phrases",
        "near_miss",
        "abusive collection language",
        insert_after(b, "amount", Turn(A, "If you don't pay, we will tell your employer.")),
        forbidden_phrases=FAIL,
    )
    return b


# --------------------------------------------------------------------------- output
def variants() -> Iterator[dict]:
    for base in (
        inbound_zh(),
        inbound_en(),
        marketing_zh(),
        marketing_en(),
        return_visit_zh(),
        return_visit_en(),
        repayment_zh(),
        repayment_en(),
    ):
        counts: dict[str, int] = {}
        for v in base.variants:
            n = counts[v["item"]] = counts.get(v["item"], 0) + 1
            yield {
                "id": f"{base.rubric}/{v['item']}/{n:02d}",
                "language": base.language,
                "rubric": base.rubric,
                "item": v["item"],
                "category": v["category"],
                "note": v["note"],
                "utterances": _utterances(v["turns"], base.language == "zh"),
                "expected": v["expected"],
            }


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in variants()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} variants to {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
