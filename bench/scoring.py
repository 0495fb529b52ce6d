"""Benchmark: transcripts scored per second per core, on realistic 5-minute calls.

    .venv/bin/python bench/scoring.py [--calls 40] [--seconds 10] [--minutes 5]

Builds ``--calls`` distinct calls per language (inbound service, Mandarin and English), each about
``--minutes`` long with word-level timings and confidences like the recogniser produces (agent and
customer turns of 2–8 s, business talk drawn from phrase pools, random names, amounts and card
numbers, a few low-confidence words), then scores them round-robin against the shipped rubrics in
this one process for ``--seconds``. Reports transcripts/s by CPU time (``time.process_time``: the
per-core figure) and by wall time.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_service.domain import CallTranscript, Role, Utterance, Word  # noqa: E402
from qa_service.rubrics import load_rubric, score_call  # noqa: E402

ZH_AGENT = [
    "好的，请您稍等，我这边帮您查询一下。",
    "您这张卡目前状态正常，可以正常使用。",
    "这笔交易是{d}月{d}日发生的，金额是{n}元。",
    "您可以通过手机银行的转账汇款功能办理。",
    "手续费是按照转账金额的千分之一收取的。",
    "我已经帮您提交了申请，预计{d}个工作日内处理完成。",
    "请问您是要办理挂失还是补卡呢？",
    "您的账户余额是{n}元。",
    "这个业务需要您本人携带身份证到网点办理。",
    "好的，明白了，我再帮您核对一下。",
    "您说的这笔代缴费是每个月自动扣的水费。",
    "信用卡的账单日是每月{d}日，还款日是{d}日。",
]
ZH_CUSTOMER = [
    "我想问一下我的卡是不是被冻结了。",
    "那大概要多久才能到账？",
    "好的，我知道了。",
    "我上个月交的电费怎么又扣了一次？",
    "嗯，对，就是那一笔。",
    "我的卡号是{card}。",
    "那我手机银行上怎么操作啊？",
    "行，那我明天去网点看看。",
    "这个手续费能不能免掉？",
    "好的，谢谢你啊。",
    "我叫{name}，身份证后四位是{d4}。",
    "我想把钱转到我爱人的账户上。",
]
EN_AGENT = [
    "Let me check that for you, one moment please.",
    "Your card is active and can be used normally.",
    "That transaction was on the {d}th and the amount was {n} dollars.",
    "You can do that in the mobile app under transfers.",
    "The fee is one tenth of a percent of the amount.",
    "I have submitted the request, it should be processed within {d} business days.",
    "Would you like to report the card lost or order a replacement?",
    "Your available balance is {n} dollars.",
    "For this you will need to visit a branch with your ID.",
    "Okay, I understand, let me double check that.",
    "That is the automatic payment for your water bill.",
    "Your statement date is the {d}th of each month.",
]
EN_CUSTOMER = [
    "I wanted to ask if my card has been frozen.",
    "How long will it take to arrive?",
    "Okay, I see.",
    "Why was my electricity bill charged again this month?",
    "Yes, that's the one.",
    "My card number is {card}.",
    "How do I do that in the app?",
    "Alright, I'll go to the branch tomorrow.",
    "Can you waive that fee?",
    "Okay, thank you.",
    "My name is {name}, and the last four digits are {d4}.",
    "I want to move money to my wife's account.",
]
NAMES_ZH = ["王建国", "李娜", "张伟", "刘芳", "陈明", "赵丽", "孙强", "周敏"]
NAMES_EN = ["David Miller", "Emily Chen", "Robert Brown", "Linda Green", "James Wilson", "Sarah Johnson"]


def _fill(template: str, rng: random.Random, zh: bool) -> str:
    card = " ".join(str(rng.randint(1000, 9999)) for _ in range(4))
    return template.format(
        d=rng.randint(1, 28),
        n=rng.randint(10, 99999),
        card=card,
        d4=rng.randint(1000, 9999),
        name=rng.choice(NAMES_ZH if zh else NAMES_EN),
    )


def _words(text: str, start: float, end: float, zh: bool, rng: random.Random) -> tuple[Word, ...]:
    if zh:  # Whisper emits Mandarin as runs of one or two characters
        tokens, i = [], 0
        while i < len(text):
            step = rng.choice((1, 2, 2))
            tokens.append(text[i : i + step])
            i += step
    else:
        tokens = [(" " + t) for t in text.split()]
    span = (end - start) / max(1, len(tokens))
    return tuple(
        Word(
            tok,
            start + k * span,
            start + (k + 1) * span,
            0.35 if rng.random() < 0.03 else rng.uniform(0.7, 1.0),
        )
        for k, tok in enumerate(tokens)
    )


def build_call(language: str, minutes: float, seed: int) -> CallTranscript:
    """A realistic inbound call of about ``minutes`` minutes, deterministic for a seed."""
    rng = random.Random(seed)
    zh = language == "zh"
    job = rng.randint(1000, 9999)
    if zh:
        opening = [
            (Role.AGENT, f"您好，建设银行，工号{job}为您服务。"),
            (Role.CUSTOMER, "你好，我想咨询一下我的银行卡。"),
            (Role.AGENT, "好的，为了核实您的身份，请问您的姓名和身份证后四位？"),
        ]
        ending = [
            (Role.AGENT, "请问还有什么可以帮您？"),
            (Role.CUSTOMER, "没有了，谢谢。"),
            (Role.AGENT, "感谢您的来电，再见。"),
        ]
        agent_pool, customer_pool = ZH_AGENT, ZH_CUSTOMER
    else:
        opening = [
            (
                Role.AGENT,
                f"Thank you for calling Construction Bank, this is agent {job}, how may I help you?",
            ),
            (Role.CUSTOMER, "Hi, I have a question about my card."),
            (Role.AGENT, "May I have your full name and the last four digits of your ID?"),
        ]
        ending = [
            (Role.AGENT, "Is there anything else I can help you with?"),
            (Role.CUSTOMER, "No, that's all."),
            (Role.AGENT, "Thank you for calling, goodbye."),
        ]
        agent_pool, customer_pool = EN_AGENT, EN_CUSTOMER
    target = minutes * 60.0
    middle: list[tuple[Role, str]] = []
    seconds = 0.0
    role = Role.CUSTOMER
    while seconds < target - 40:
        pool = customer_pool if role == Role.CUSTOMER else agent_pool
        text = _fill(rng.choice(pool), rng, zh)
        middle.append((role, text))
        seconds += 4.0
        role = Role.AGENT if role == Role.CUSTOMER else Role.CUSTOMER
    if rng.random() < 0.3:  # some calls carry a complaint
        middle.insert(
            2,
            (
                Role.CUSTOMER,
                "我要投诉，你们乱扣费！" if zh else "This is ridiculous, I want to make a complaint.",
            ),
        )
    utterances = []
    t = 0.5
    for r, text in [*opening, *middle, *ending]:
        dur = max(1.2, len(text) * (0.22 if zh else 0.06)) * rng.uniform(0.9, 1.1)
        utterances.append(Utterance(r.value, t, t + dur, text, _words(text, t, t + dur, zh, rng), r))
        t += dur + rng.uniform(0.2, 1.5)
    return CallTranscript(language=language, utterances=tuple(utterances), duration=t + 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40, help="distinct calls per language")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to score")
    parser.add_argument("--minutes", type=float, default=5.0, help="length of each call")
    args = parser.parse_args()

    rubrics = {lang: load_rubric(ROOT / "rubrics" / f"inbound_service_{lang}.yaml") for lang in ("zh", "en")}
    calls = [build_call(lang, args.minutes, seed) for seed in range(args.calls) for lang in ("zh", "en")]
    n_utts = sum(len(c.utterances) for c in calls) / len(calls)
    n_chars = sum(len(c.text) for c in calls) / len(calls)
    for call in calls[:2]:  # warm-up: lazy tables (pinyin, OpenCC) fill on first use
        score_call(call, rubrics[call.language])

    scored = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    while time.perf_counter() - wall0 < args.seconds:
        for call in calls:
            score_call(call, rubrics[call.language])
        scored += len(calls)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, "
        f"Python {platform.python_version()}"
    )
    print(
        f"calls: {len(calls)} distinct ({args.calls} zh + {args.calls} en), ~{args.minutes:g} min each, "
        f"{n_utts:.0f} utterances and {n_chars:.0f} characters on average"
    )
    print(f"scored {scored} transcripts in {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"per core (CPU time): {scored / cpu:.0f} transcripts/s  ({1000 * cpu / scored:.2f} ms each)")
    print(f"wall clock:          {scored / wall:.0f} transcripts/s")


if __name__ == "__main__":
    main()
