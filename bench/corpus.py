"""Synthetic call-centre text and PostgreSQL COPY helpers shared by the store benchmarks
(``bench/search.py``, ``bench/api.py``).

Text is 70 % Mandarin, 30 % English: half the sentences are call-centre stock sentences (greetings,
card and balance questions — phrases found in most calls), the rest draw words from a
Zipf-distributed vocabulary (a long tail of rare phrases); some carry ``****`` redaction masks.
Calls spread over :data:`TEAMS` (20), :data:`AGENTS` (400, agent ``n`` in team ``n % 20``) and 90
days from :data:`T0`.
"""

from __future__ import annotations

import io
import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

TEAMS = [f"team{n:02d}" for n in range(20)]
AGENTS = [f"agent{n:03d}" for n in range(400)]
T0 = datetime(2026, 8, 1, tzinfo=UTC)
DAYS = 90

ZH_STOCK = [
    "您好，请问有什么可以帮您？", "您好，这里是信用卡中心", "请问您是本人吗", "好的，请稍等", "我想查一下信用卡账单",
    "我的卡号是****", "您的账户余额是****元", "请问还有其他问题吗", "感谢您的来电，再见", "我想办理分期还款",
    "这笔交易不是我本人操作的", "我要投诉", "我们会尽快为您处理", "您的身份证后四位是****吗", "麻烦您再说一遍",
    "好的，没问题", "本期应还款金额是****元", "最低还款额是多少", "我想提高信用额度", "我的卡被锁了",
]
EN_STOCK = [
    "Thank you for calling, how can I help you today?", "Can I have your card number please?",
    "My card number is ****.", "I would like to check my balance.", "Your balance is **** dollars.",
    "Is there anything else I can help you with?", "I want to dispute a transaction.",
    "Please hold while I check that for you.", "Thank you, have a nice day.", "I lost my credit card.",
    "Can you verify your date of birth?", "I want to speak to a manager.", "We will process it right away.",
]
_rng = random.Random(7)
ZH_CHARS = [chr(c) for c in _rng.sample(range(0x4E00, 0x4E00 + 3500), 3000)]
ZH_VOCAB = ["".join(_rng.choice(ZH_CHARS) for _ in range(_rng.choice((1, 2, 2, 2, 3, 4)))) for _ in range(6000)]
EN_VOCAB = ["".join(_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_rng.randint(2, 9))) for _ in range(6000)]
#: Cumulative Zipf weights over vocabulary rank (precomputed: ``random.choices`` is then O(k log n)).
_ZIPF_CUM = list(itertools.accumulate(1 / (rank + 1) for rank in range(6000)))


def sentence(rng: random.Random, zh: bool) -> str:
    """One utterance's text."""
    if rng.random() < 0.5:
        return rng.choice(ZH_STOCK if zh else EN_STOCK)
    words = rng.choices(ZH_VOCAB if zh else EN_VOCAB, cum_weights=_ZIPF_CUM, k=rng.randint(3, 12))
    if zh:
        return "".join(words) + rng.choice("，。？")
    return " ".join(words).capitalize() + rng.choice(".,?")


def copy_rows(conn: Any, sql: str, rows: Iterator[str]) -> None:
    """``COPY ... FROM STDIN`` (text format) of pre-formatted lines, sent 20,000 at a time
    (``conn``: a psycopg 3 connection)."""
    with conn.cursor() as cur, cur.copy(sql) as copy:
        buf = io.StringIO()
        for n, row in enumerate(rows, 1):
            buf.write(row)
            if n % 20000 == 0:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())


def esc(value: str) -> str:
    """A value for COPY's text format (no tabs, newlines or unescaped backslashes)."""
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
