"""Assemble labelled calls from the phrase pools and write ``data/train.jsonl`` / ``data/test.jsonl``.

``python -m qa_service.classifiers.corpus.generate [--out DIR]`` is deterministic (fixed seeds).
Train calls draw only the *train* half of every pool and the train dialogue structures; test calls
only the *test* half and the test structures. Records follow :mod:`qa_service.classifiers.dataset`.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_service.classifiers.corpus import pools_en, pools_zh

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUSINESS = (
    "account_inquiry",
    "bill_payment",
    "transfer",
    "card_services",
    "loans_repayment",
    "wealth_products",
    "other",
)
PITCHED = ("wealth_products", "wealth_products", "card_services", "loans_repayment", "bill_payment")
SIZES = {"train": 640, "test": 240}
SEEDS = {"train": 20261101, "test": 20261102}

#: scenario → weight; inbound kinds name their contact reasons, outbound kinds their campaign.
SCENARIOS: dict[str, float] = {
    "inquiry": 22,
    "inquiry+praise": 5,
    "inquiry+suggestion": 5,
    "inquiry+complaint": 4,
    "complaint": 13,
    "complaint+suggestion": 3,
    "suggestion": 6,
    "praise": 6,
    "praise+suggestion": 2,
    "marketing": 13,
    "return_visit": 11,
    "repayment_reminder": 12,
}


@dataclass
class Turn:
    role: str
    text: str
    reason: str | None = None
    sentiment: str = "neutral"
    escalation: bool = False
    topic: str | None = None  # the business the utterance is about, when it is about one
    outcome: str | None = None  # the outbound outcome this customer utterance states, if any


@dataclass
class Call:
    """One call being assembled; ``pick`` draws phrasings from the split's half of each pool."""

    lang: str
    split: str
    rng: random.Random
    fill: dict[str, str]
    cycles: dict[str, list[str]]
    turns: list[Turn] = field(default_factory=list)

    @property
    def pools(self) -> dict[str, tuple[list[str], list[str]]]:
        return pools_zh.POOLS if self.lang == "zh" else pools_en.POOLS

    def pick(self, key: str) -> str:
        train, test = self.pools[key]
        options = [t.format_map(self.fill) for t in (train if self.split == "train" else test)]
        used = {t.text for t in self.turns}
        return self.rng.choice([o for o in options if o not in used] or options)

    def cycle(self, key: str, values: tuple[str, ...]) -> str:
        """The next value of a shuffled round-robin over ``values`` (balances classes per split)."""
        queue = self.cycles.setdefault(key, [])
        if not queue:
            queue.extend(self.rng.sample(values, len(values)))
        return queue.pop()

    def agent(self, key: str) -> None:
        self.turns.append(Turn("agent", self.pick(key), topic=_topic(key)))

    def customer(
        self, key: str, reason: str | None = None, sentiment: str = "neutral", escalation: bool = False
    ) -> None:
        self.turns.append(
            Turn("customer", self.pick(key), reason, sentiment, escalation, _topic(key), _OUTCOME_KEYS.get(key))
        )

    def merge_last(self) -> None:
        """Join the last two customer turns into one utterance (test-only structure)."""
        b, a = self.turns.pop(), self.turns.pop()
        sentiment = b.sentiment if b.sentiment != "neutral" else a.sentiment
        joiner = "" if self.lang == "zh" else " "
        self.turns.append(
            Turn(
                "customer",
                a.text + joiner + b.text,
                b.reason or a.reason,
                sentiment,
                a.escalation or b.escalation,
                b.topic or a.topic,
            )
        )

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


#: customer pools that state an outbound call's outcome
_OUTCOME_KEYS = {
    "mk.accepted": "accepted",
    "mk.declined": "declined",
    "mk.callback": "call_back_later",
    "rv.satisfied": "satisfied",
    "rv.neutral": "neutral",
    "rv.dissatisfied": "dissatisfied",
    "rr.promise": "promised_to_pay",
    "rr.dispute": "disputes",
    "nr.wrong_person": "not_reached",
    "nr.family": "not_reached",
    "nr.machine": "not_reached",
}
_TOPIC_PREFIXES = ("req.", "follow.", "handle.", "complain.", "pitch.", "rv.purpose.", "mkq.", "mka.")


def _topic(key: str) -> str | None:
    """Pools that are about one business carry it in their key (``req.transfer`` → transfer)."""
    if key == "rr.amount":
        return "loans_repayment"
    for prefix in _TOPIC_PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in BUSINESS:
            return key[len(prefix) :]
    return None


def _fillers(lang: str, split: str, rng: random.Random) -> dict[str, str]:
    mod = pools_zh if lang == "zh" else pools_en
    half = 0 if split == "train" else 1
    name, title = rng.choice(mod.NAMES[half])
    months = rng.choice([3, 6, 9, 12, 18, 24])
    day = rng.randint(1, 28)
    month = rng.randint(1, 12)
    months_en = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    return {
        "bank": rng.choice(mod.BANKS[half]),
        "agent": rng.choice(mod.AGENTS[half]),
        "job": f"{rng.randint(1000, 9999)}",
        "name": name,
        "title": title,
        "digits": f"{rng.randint(0, 9999):04d}",
        "card": " ".join(f"{rng.randint(0, 9999):04d}" for _ in range(4)),
        "amount": f"{rng.choice([58, 120, 300, 860, 1500, 2000, 3260, 5000, 12000, 20000, 50000])}",
        "date": f"{month}月{day}日" if lang == "zh" else f"{months_en[month - 1]} {day}",
        "days": f"{rng.choice([2, 3, 5, 7, 10])}",
        "rate": f"{rng.choice([2.8, 3.1, 3.45, 4.2, 6.5, 7.12])}",
        "months": f"{months}",
        "due": f"{day}" if lang == "zh" else f"{day}th",
    }


# ----------------------------------------------------------------------------- inbound
def _open(c: Call, reason: str, business: str) -> None:
    """Greeting and the customer's first request, in one of the split's structures."""
    c.agent("greet")
    structures = ("direct", "opener") if c.split == "train" else ("line", "merged")
    structure = c.rng.choice(structures)
    sentiment = {"complaint": "negative", "praise": "positive"}.get(reason, "neutral")
    if structure == "line":
        c.customer("line_check")
        c.agent("line_ok")
    if structure in ("opener", "merged") or (structure == "line" and c.chance(0.5)):
        c.customer(f"opener.{reason}", reason, sentiment)
        if structure == "opener":
            c.agent("invite")
    key = {"inquiry": f"req.{business}", "complaint": f"complain.{business}"}.get(reason, reason)
    c.customer(key, reason, sentiment)
    if structure == "merged" and c.turns[-2].role == "customer":
        c.merge_last()


def _verify(c: Call) -> None:
    c.agent("verify_ask")
    c.customer("id_answer")
    if c.chance(0.35):
        c.agent("card_ask")
        c.customer("card_answer")


def _close(c: Call, offer_help: bool = True) -> None:
    if offer_help:
        c.agent("further_help")
        c.customer("close.customer")
    c.agent("closing")


def _praise(c: Call, announce: bool) -> None:
    if announce:
        c.customer("opener.praise", "praise", "positive")
    c.customer("praise", "praise", "positive")
    if announce and c.split == "test" and c.chance(0.5):
        c.merge_last()
    c.agent("praise_reply")


def _suggest(c: Call, announce: bool) -> None:
    if announce:
        c.customer("opener.suggestion", "suggestion")
        c.agent("invite")
    c.customer("suggest", "suggestion")
    c.agent("suggestion_reply")
    if c.chance(0.5):
        c.customer("ack.neutral")


def _complaint_body(c: Call, business: str, escalate: bool) -> None:
    if c.chance(0.6):
        c.agent("apology")
    _verify(c)
    c.agent(f"handle.{business}")
    c.customer("complain.react", "complaint", "negative")
    if escalate:
        if c.chance(0.7):  # otherwise the customer escalates straight after reacting
            c.agent("apology")
        c.customer("escalate", "complaint", "negative", escalation=True)
        c.agent("escalation_reply")
    else:
        c.agent("apology")
    c.customer("complain.resigned", None, "negative")


def inbound(c: Call, scenario: str) -> dict[str, Any]:
    reasons = scenario.split("+")
    business = "other"
    escalation = False
    if "inquiry" in reasons:
        business = c.cycle("inquiry", BUSINESS)
        _open(c, "inquiry", business)
        _verify(c)
        c.agent(f"handle.{business}")
        for _ in range(c.rng.choice([0, 1, 1, 2])):
            c.customer(c.rng.choice([f"follow.{business}", "follow.generic"]), "inquiry")
            c.agent(f"handle.{business}")
        _ack(c)
        if "complaint" in reasons:
            c.customer("another")
            c.customer("complain.other", "complaint", "negative")
            c.agent("apology")
            c.customer("complain.resigned", None, "negative")
        if "suggestion" in reasons:
            if c.chance(0.5):
                c.customer("another")
            _suggest(c, announce=False)
        if "praise" in reasons:
            _praise(c, announce=False)
        _close(c)
    elif "complaint" in reasons:
        business = c.cycle("complaint", BUSINESS)
        escalation = c.chance(0.35)
        _open(c, "complaint", business)
        _complaint_body(c, business, escalation)
        if "suggestion" in reasons:
            _suggest(c, announce=False)
        _close(c, offer_help=c.chance(0.8))
    else:
        first = reasons[0]
        c.agent("greet")
        if first == "praise":
            _praise(c, announce=True)
        else:
            _suggest(c, announce=True)
        if c.chance(0.6):
            _verify(c)
        if "suggestion" in reasons[1:]:
            _suggest(c, announce=False)
        _ack(c)
        _close(c, offer_help=c.split == "train" or c.chance(0.5))
    return {
        "direction": "inbound",
        "campaign": None,
        "business_type": business,
        "outcome": None,
        "escalation": escalation,
    }


def _ack(c: Call) -> None:
    key = c.rng.choice(["ack.neutral", "ack.positive"])
    c.customer(key, sentiment="positive" if key == "ack.positive" else "neutral")


# ---------------------------------------------------------------------------- outbound
def _not_reached(c: Call, intro: str) -> None:
    kind = c.rng.choice(["silence", "wrong_person", "family", "machine"])
    if kind == "silence":
        c.agent("nr.agent_hello")
        c.agent("nr.agent_hello")
    elif kind == "machine":
        c.customer("nr.machine")
    else:
        c.customer("hello")
        c.agent(intro)
        c.customer(f"nr.{kind}")
    c.agent("nr.agent_end")


def _maybe_outbound_complaint(c: Call, p: float) -> bool:
    if c.chance(p):
        c.customer("ob.complaint", "complaint", "negative")
        c.agent("apology")
        return True
    return False


def marketing(c: Call) -> dict[str, Any]:
    outcome = c.cycle("marketing", ("accepted", "declined", "call_back_later", "not_reached"))
    if outcome == "not_reached":
        _not_reached(c, "mk.intro")
        return {"business_type": "other", "outcome": outcome}
    product = c.cycle("pitch", PITCHED)
    if c.chance(0.5):
        c.customer("hello")
    c.agent("mk.intro")
    c.customer("rv.yes")
    c.agent(f"pitch.{product}")
    for _ in range(c.rng.choice([0, 1, 1, 2, 2])):
        specific = c.chance(0.7)  # a question about the product, or a general one
        c.customer(f"mkq.{product}" if specific else "mk.question")
        c.agent(f"mka.{product}" if specific else "mk.answer")
    if product == "wealth_products":
        c.agent("mk.risk")
    key = {"accepted": "mk.accepted", "declined": "mk.declined", "call_back_later": "mk.callback"}[outcome]
    c.customer(key, sentiment="positive" if outcome == "accepted" else "neutral")
    reply = {
        "accepted": "mk.accept_reply",
        "declined": "mk.decline_reply",
        "call_back_later": "mk.callback_reply",
    }
    c.agent(reply[outcome])
    if c.chance(0.7):
        c.agent("mk.optout")
    if c.chance(0.4):
        c.customer("ack.neutral")
    c.agent("mk.closing")
    return {"business_type": product, "outcome": outcome}


def return_visit(c: Call) -> dict[str, Any]:
    outcome = c.cycle("return_visit", ("satisfied", "neutral", "dissatisfied", "not_reached"))
    if outcome == "not_reached":
        _not_reached(c, "rv.intro")
        return {"business_type": "other", "outcome": outcome}
    business = c.cycle("visited", BUSINESS[:-1])
    c.agent("rv.intro")
    c.customer("rv.yes")
    c.agent(f"rv.purpose.{business}")
    if c.chance(0.5):
        c.customer("ack.neutral")
    c.agent("rv.question")
    sentiment = {"satisfied": "positive", "neutral": "neutral", "dissatisfied": "negative"}[outcome]
    c.customer(f"rv.{outcome}", sentiment=sentiment)
    complained = False
    if outcome == "dissatisfied":
        c.agent("rv.sorry")
        complained = _maybe_outbound_complaint(c, 0.25)
    else:
        c.agent("rv.thanks")
    if c.chance(0.5):
        c.customer("ack.neutral")
    c.agent("rv.closing")
    return {"business_type": business, "outcome": outcome, "complained": complained}


def repayment_reminder(c: Call) -> dict[str, Any]:
    outcome = c.cycle("repayment_reminder", ("promised_to_pay", "disputes", "not_reached"))
    if outcome == "not_reached":
        _not_reached(c, "rr.intro")
        return {"business_type": "other", "outcome": outcome}
    c.agent("rr.intro")
    c.customer("rv.yes")
    c.agent("rr.verify")
    c.customer("rr.id")
    c.agent("rr.amount")
    escalation = False
    if outcome == "promised_to_pay":
        c.customer("rr.promise")
        c.agent("rr.promise_reply")
    else:
        c.customer("rr.dispute", sentiment="negative")
        c.agent("rr.dispute_reply")
        if c.chance(0.2):
            escalation = True
            c.customer("escalate", "complaint", "negative", escalation=True)
            c.agent("escalation_reply")
    if c.chance(0.5):
        c.customer("ack.neutral")
    c.agent("rr.closing")
    return {"business_type": "loans_repayment", "outcome": outcome, "escalation": escalation}


OUTBOUND: dict[str, Callable[[Call], dict[str, Any]]] = {
    "marketing": marketing,
    "return_visit": return_visit,
    "repayment_reminder": repayment_reminder,
}


# ------------------------------------------------------------------------------ records
def _timed(turns: list[Turn], lang: str, rng: random.Random) -> list[dict[str, Any]]:
    t = round(rng.uniform(0.2, 0.8), 2)
    out = []
    for turn in turns:
        length = len(turn.text) / 4.5 if lang == "zh" else len(turn.text.split()) / 2.6
        end = round(t + length + 0.4, 2)
        out.append({"role": turn.role, "start": t, "end": end, "text": turn.text})
        t = round(end + rng.uniform(0.2, 0.9), 2)
    return out


def build_call(
    split: str, index: int, lang: str, scenario: str, rng: random.Random, cycles: dict[str, list[str]]
) -> dict[str, Any]:
    c = Call(lang, split, rng, _fillers(lang, split, rng), cycles)
    if scenario in OUTBOUND:
        info = OUTBOUND[scenario](c)
        info.update(direction="outbound", campaign=scenario)
    else:
        info = inbound(c, scenario)
    reasons = sorted(
        {t.reason for t in c.turns if t.reason and t.role == "customer"},
        key=("inquiry", "complaint", "suggestion", "praise").index,
    )
    escalation = any(t.escalation for t in c.turns)
    return {
        "call_id": f"{split}-{lang}-{index:04d}",
        "language": lang,
        "source": "corpus",
        "scenario": scenario,
        "metadata": {"direction": info["direction"], "campaign": info["campaign"]},
        "transcript": {"language": lang, "utterances": _timed(c.turns, lang, rng)},
        "labels": {
            "contact_reasons": reasons,
            "business_type": info["business_type"],
            "escalation_risk": escalation,
            "outcome": info["outcome"],
            "turns": [
                {"topic": t.topic}
                if t.role == "agent"
                else {
                    "reason": t.reason,
                    "sentiment": t.sentiment,
                    "escalation": t.escalation,
                    "topic": t.topic,
                    "outcome": t.outcome,
                }
                for t in c.turns
            ],
        },
    }


def generate(split: str) -> list[dict[str, Any]]:
    rng = random.Random(SEEDS[split])
    names = list(SCENARIOS)
    weights = [SCENARIOS[n] for n in names]
    cycles: dict[str, list[str]] = {}
    return [
        build_call(split, i, ("zh", "en")[i % 2], rng.choices(names, weights)[0], rng, cycles)
        for i in range(SIZES[split])
    ]


def write(out_dir: Path = DATA_DIR) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for split in SIZES:
        records = generate(split)
        with open(out_dir / f"{split}.jsonl", "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        counts[split] = len(records)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    log.info("wrote %s", write(args.out))


if __name__ == "__main__":
    main()
