"""A labelled set for PII redaction: Mandarin and English utterances of a bank hotline with card
numbers (valid Luhn), resident IDs (valid check character), mobile and landline numbers and account
numbers — as digits, grouped digits, full-width digits, Chinese digit words, English digit words and
mixed — beside negatives a hotline hears all day (amounts, dates, times, job numbers, last four
digits, verification codes, rates, transaction references).

The truth comes from construction (each PII number is inserted where the label says), never from the
redactor. ``HAND_WRITTEN`` holds tricky cases written by hand, PII in ``[brackets]``.

Scoring (:func:`score`): a labelled number is *found* when every digit of it but the last four is
masked; a masked character outside every labelled number is a *false positive* (counted once per
masked stretch). Recall = found / labelled; precision = masked stretches inside labels / all masked
stretches.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

from qa_service.redact import MASK, find_pii, id_check_char, redact_text

ZH_DIGIT = "零一二三四五六七八九"
EN_DIGIT = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Item:
    text: str
    lang: str
    pii: tuple[Label, ...]


# --------------------------------------------------------------------------- numbers
def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + d)):
            v = int(ch)
            if i % 2 == 1:
                v = v * 2 - 9 if v > 4 else v * 2
            total += v
        if total % 10 == 0:
            return body + d
    raise AssertionError("unreachable")


def card(rng: random.Random) -> str:
    prefix = rng.choice(("622202", "621700", "622848", "436742", "622588", "518710", "625965"))
    length = rng.choice((16, 16, 16, 19))
    return _luhn_complete(prefix + "".join(rng.choice("0123456789") for _ in range(length - 7)))


def resident_id(rng: random.Random) -> str:
    area = rng.choice(("110101", "310104", "440305", "330106", "510107", "420102", "370202"))
    birth = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first = area + birth + f"{rng.randint(0, 999):03d}"
    return first + id_check_char(first)


def mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def landline(rng: random.Random) -> str:
    area = rng.choice(("010", "021", "0755", "0571", "028"))
    return area + "".join(rng.choice("0123456789") for _ in range(8 if len(area) == 3 else 7))


def account(rng: random.Random) -> str:
    return "".join(rng.choice("123456789") for _ in range(1)) + "".join(
        rng.choice("0123456789") for _ in range(rng.choice((19, 20, 22)) - 1))


# --------------------------------------------------------------------------- renderings
def render(number: str, style: str, rng: random.Random) -> str:
    if style == "plain":
        return number
    if style == "grouped":
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    if style == "dashed":
        return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
    if style == "fullwidth":
        return "".join(chr(ord(c) - ord("0") + ord("０")) if c.isdigit() else c for c in number)
    if style == "zh_words":
        return "".join(("幺" if c == "1" and rng.random() < 0.3 else ZH_DIGIT[int(c)]) if c.isdigit() else c
                       for c in number)
    if style == "en_words":
        return " ".join(("oh" if c == "0" and rng.random() < 0.3 else EN_DIGIT[int(c)]) if c.isdigit() else c
                        for c in number)
    if style == "mixed_en":
        cut = rng.randint(3, 6)
        return " ".join(EN_DIGIT[int(c)] for c in number[:cut]) + " " + number[cut:]
    raise ValueError(style)


ZH_STYLES = ("plain", "grouped", "fullwidth", "zh_words", "zh_words", "dashed")
EN_STYLES = ("plain", "grouped", "en_words", "en_words", "mixed_en", "dashed")

ZH_TEMPLATES = {
    "card": ("我的卡号是{n}", "卡号{n}，麻烦帮我查一下", "是{n}这张卡", "银行卡{n}被冻结了", "信用卡号码是{n}对吧",
             "嗯，{n}，就是这张"),
    "id": ("身份证号码{n}", "我的身份证是{n}", "证件号{n}", "身份证号{n}，您核对一下"),
    "phone": ("手机号{n}，麻烦回电", "我电话是{n}", "联系电话{n}", "您打{n}就行", "号码是{n}"),
    "account": ("账号{n}", "转到账户{n}", "对方账号是{n}"),
}
EN_TEMPLATES = {
    "card": ("my card number is {n}", "the card is {n}", "it's {n} on the card", "card ending, well the full number "
             "is {n}", "um {n} that's the one"),
    "id": ("my ID number is {n}", "identity card {n}", "the ID is {n}"),
    "phone": ("you can reach me at {n}", "my phone number is {n}", "call me back on {n}", "mobile {n}"),
    "account": ("the account number is {n}", "transfer to account {n}", "acct {n} please"),
}
ZH_NEGATIVE = ("转账金额{a}元", "我上个月还了{a}块钱", "您好，工号{j}为您服务", "您尾号{l}的卡已挂失", "验证码是{v}",
               "下午{h}点{m}分到账", "年利率{r}%", "{y}年{mo}月{d}日的账单", "网点编号{l}", "分期{k}期",
               "一共{k}笔交易",
               "流水号{t}", "订单号{t}，您记一下", "第{k}个工作日到账", "额度是{a}", "最低还款{a}元", "您好请讲",
               "请问还有什么可以帮您", "好的，谢谢您的来电", "我要投诉你们的服务")
EN_NEGATIVE = ("I paid {a} dollars last month", "this is agent {j} speaking", "the card ending in {l}",
               "your verification code is {v}", "it will arrive at {h}:{m:02d}", "the rate is {r} percent",
               "the statement of {mo}/{d}/{y}", "one or two things", "I called two or three times",
               "the reference number is {t}", "transaction {t} was declined", "in {k} working days",
               "that's {a} dollars", "my job number is {j}", "thank you for calling", "how may I help you today",
               "I want to make a complaint", "minimum payment of {a} dollars")


def _negative(template: str, rng: random.Random, lang: str) -> str:
    ref = _luhn_bad(rng)
    return template.format(a=rng.choice((50, 300, 1180, 3000, 25000)), j=rng.randint(1000, 9999),
                           l=f"{rng.randint(0, 9999):04d}", v=f"{rng.randint(0, 999999):06d}", h=rng.randint(1, 12),
                           m=rng.randint(0, 59), r=rng.choice(("3.85", "4.35", "0.05")), y=rng.randint(2020, 2026),
                           mo=rng.randint(1, 12), d=rng.randint(1, 28), k=rng.randint(2, 24), t=ref)


def _luhn_bad(rng: random.Random) -> str:
    while True:
        ref = "2026" + "".join(rng.choice("0123456789") for _ in range(12))
        if _luhn_complete(ref[:-1]) != ref:
            return ref


HAND_WRITTEN = (
    ("zh", "您好，请问您的卡号是多少？"),
    ("zh", "[六二二二零二幺二三四五六七八九七]，就这个"),  # Luhn fails (a misheard digit): still a card
    ("zh", "卡号是[六二二二 零二一二 三四五六 七八九七]"),
    ("zh", "我身份证[11010519491231002X]"),
    ("zh", "手机[13812345678]，座机[021-62345678]"),
    ("zh", "您好，工号1023为您服务，请问有什么可以帮您"),
    ("zh", "我的账号是[6228480402564890018]，转五千块"),
    ("zh", "一二三四，尾号一二三四的那张"),
    ("zh", "验证码三八二九一五您收到了吗"),
    ("zh", "两千五百元已经到账了"),
    ("zh", "电话[88776655]，分机8021"),
    ("zh", "二零二六年十二月五日的交易"),
    ("zh", "我的手机号是[幺三九 幺二三四 五六七八]"),
    ("zh", "身份证号码[３１０１０４１９８８０５０１２３４Ｘ]"),
    ("zh", "转到[６２２２０２１２３４５６７８９７]"),
    ("zh", "这笔是流水号2026120512345670的交易"),
    ("zh", "我打了三四次电话都没人接"),
    ("zh", "您的额度是五万元"),
    ("zh", "请您报一下身份证后四位"),
    ("zh", "后四位是一二三X"),
    ("en", "my card number is [four three six seven four two one two three four five six seven eight nine two]"),
    ("en", "it's [six two two two oh two one two 3456] then 7897"),
    ("en", "call me on [one three eight double one two three four five six seven]"),
    ("en", "the number is [oh two one six two three four five six seven eight]"),
    ("en", "I'd like to report a lost card"),
    ("en", "the last four digits are seven eight nine seven"),
    ("en", "I was charged one hundred and twenty dollars twice"),
    ("en", "my ID is [1101 0519 4912 3100 2X]"),
    ("en", "this is agent one zero two three, how can I help"),
    ("en", "account [6228 4804 0256 4890 018]"),
    ("en", "press one for English, two for Mandarin"),
    ("en", "the code is four eight two nine one three"),
    ("en", "I have two cards and one account"),
    ("en", "my phone is [(021) 6234 5678]"),
    ("en", "my mobile is [+86 138 1234 5678]"),
    ("en", "on the twelfth of March twenty twenty five"),
    ("en", "reference number 2026 1205 1234 5670"),
    ("en", "card [4367 4212 3456 7892]"),
    ("en", "in three to five working days"),
    ("en", "it ends in one two three four"),
)


def _hand(lang: str, marked: str) -> Item:
    text, labels, pos = "", [], 0
    for m in re.finditer(r"\[([^\]]+)\]", marked):
        text += marked[pos : m.start()]
        labels.append(Label(len(text), len(text) + len(m.group(1)), "pii"))
        text += m.group(1)
        pos = m.end()
    text += marked[pos:]
    return Item(text, lang, tuple(labels))


def build(seed: int = 20261205) -> tuple[Item, ...]:
    rng = random.Random(seed)
    items: list[Item] = []
    makers = {"card": card, "id": resident_id, "phone": lambda r: r.choice((mobile, mobile, landline))(r),
              "account": account}
    for lang, templates, styles in (("zh", ZH_TEMPLATES, ZH_STYLES), ("en", EN_TEMPLATES, EN_STYLES)):
        for kind, forms in templates.items():
            for k in range(24 if kind != "account" else 12):
                number = makers[kind](rng)
                style = styles[k % len(styles)]
                if kind == "id" and style in ("en_words", "mixed_en") and number.endswith("X"):
                    style = "grouped"
                shown = render(number, style, rng)
                template = forms[k % len(forms)]
                start = template.index("{n}")
                text = template.replace("{n}", shown)
                items.append(Item(text, lang, (Label(start, start + len(shown), kind),)))
        negatives = ZH_NEGATIVE if lang == "zh" else EN_NEGATIVE
        for k in range(60):
            items.append(Item(_negative(negatives[k % len(negatives)], rng, lang), lang, ()))
    items += [_hand(lang, text) for lang, text in HAND_WRITTEN]
    return tuple(items)


# --------------------------------------------------------------------------- scoring
@dataclass(frozen=True)
class PiiScores:
    items: int
    labelled: int
    found: int
    masked_stretches: int
    false_positives: int
    by_kind: dict[str, tuple[int, int]]  # kind → (found, labelled)
    by_language: dict[str, tuple[int, int]]
    misses: tuple[str, ...]
    false_alarms: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return 1 - self.false_positives / self.masked_stretches if self.masked_stretches else 1.0


def _found(item: Item, label: Label) -> bool:
    """Every digit of the label but the last four is gone from the redacted text."""
    spans = find_pii(item.text, item.lang)
    covered = [any(s.start <= i < s.end for s in spans) for i in range(label.start, label.end)]
    units = _units(item.text, label)
    must = units[:-4] if len(units) > 4 else []
    return all(all(covered[i - label.start] for i in unit) for unit in must)


_EN_UNIT = re.compile(r"[A-Za-z]+|\d|[０-９]|[零〇一二三四五六七八九幺两]")


def _units(text: str, label: Label) -> list[list[int]]:
    """The digits of a label as character-index groups (an English digit word is one unit)."""
    units: list[list[int]] = []
    for m in _EN_UNIT.finditer(text, label.start, label.end):
        word = m.group(0).lower()
        if word.isalpha() and word not in EN_DIGIT and word not in ("oh", "x", "double", "triple"):
            continue
        units.append(list(range(m.start(), m.end())))
    return units


def score(items: tuple[Item, ...]) -> PiiScores:
    labelled = found = stretches = false_pos = 0
    by_kind: Counter[str] = Counter()
    kind_found: Counter[str] = Counter()
    by_lang: Counter[str] = Counter()
    lang_found: Counter[str] = Counter()
    misses: list[str] = []
    alarms: list[str] = []
    for item in items:
        for label in item.pii:
            labelled += 1
            by_kind[label.kind] += 1
            by_lang[item.lang] += 1
            if _found(item, label):
                found += 1
                kind_found[label.kind] += 1
                lang_found[item.lang] += 1
            else:
                misses.append(f"{item.text} → {redact_text(item.text, item.lang)}")
        for span in find_pii(item.text, item.lang):
            stretches += 1
            if not any(span.start < lab.end and lab.start < span.end for lab in item.pii):
                false_pos += 1
                alarms.append(f"{item.text} → {redact_text(item.text, item.lang)}")
    return PiiScores(len(items), labelled, found, stretches, false_pos,
                     {k: (kind_found[k], by_kind[k]) for k in sorted(by_kind)},
                     {k: (lang_found[k], by_lang[k]) for k in sorted(by_lang)}, tuple(misses), tuple(alarms))


__all__ = ["HAND_WRITTEN", "MASK", "Item", "Label", "PiiScores", "build", "score"]
