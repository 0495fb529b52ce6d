"""A transparent keyword baseline with the same interface as the trained classifier.

Every decision is a keyword hit in the lists below (lower-cased substring match, Mandarin and
English together), so a supervisor can read exactly why a call got its labels. It is evaluated
beside the model on the same held-out set (``qa-service eval-classifier``).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallTranscript,
    Campaign,
    Classification,
    ContactReason,
    Direction,
    LabelScore,
    OutboundOutcome,
    Role,
    Sentiment,
    TurnSentiment,
)

REASON_KEYWORDS: dict[ContactReason, tuple[str, ...]] = {
    ContactReason.COMPLAINT: (
        "投诉",
        "不满",
        "太差",
        "太慢",
        "离谱",
        "过分",
        "不像话",
        "坑",
        "骗",
        "气人",
        "失望",
        "讨个说法",
        "凭什么",
        "complain",
        "complaint",
        "unacceptable",
        "ridiculous",
        "outrageous",
        "terrible",
        "disappoint",
        "furious",
        "fed up",
        "rip-off",
        "unhappy",
        "upset",
        "disgrace",
    ),
    ContactReason.SUGGESTION: (
        "建议",
        "希望你们",
        "能不能",
        "最好",
        "要是能",
        "可以考虑",
        "提个",
        "意见",
        "suggest",
        "suggestion",
        "recommend",
        "it would help",
        "it would be nice",
        "could the",
        "should",
        "idea",
        "consider",
    ),
    ContactReason.PRAISE: (
        "表扬",
        "感谢你们",
        "点赞",
        "好评",
        "耐心",
        "专业",
        "暖心",
        "感动",
        "夸",
        "praise",
        "compliment",
        "thank you so much",
        "wonderful",
        "patient",
        "professional",
        "impressed",
        "outstanding",
        "shout-out",
        "appreciate",
    ),
}
BUSINESS_KEYWORDS: dict[BusinessType, tuple[str, ...]] = {
    BusinessType.ACCOUNT_INQUIRY: (
        "余额",
        "明细",
        "流水",
        "扣款",
        "账户",
        "对账单",
        "利息",
        "冻结",
        "管理费",
        "balance",
        "statement",
        "transaction",
        "account",
        "interest",
        "frozen",
        "maintenance fee",
        "charge",
    ),
    BusinessType.BILL_PAYMENT: (
        "电费",
        "水费",
        "燃气",
        "话费",
        "物业费",
        "学费",
        "缴费",
        "代缴",
        "代扣",
        "罚款",
        "充值",
        "bill",
        "electricity",
        "water",
        "gas",
        "utility",
        "top up",
        "top-up",
        "direct debit",
        "fee payment",
        "fine",
    ),
    BusinessType.TRANSFER: (
        "转账",
        "汇款",
        "到账",
        "跨行",
        "转错",
        "汇",
        "打款",
        "transfer",
        "remittance",
        "wire",
        "sent money",
        "swift",
        "recipient",
    ),
    BusinessType.CARD_SERVICES: (
        "挂失",
        "补卡",
        "激活",
        "吞卡",
        "吞了",
        "密码",
        "信用卡",
        "换卡",
        "新卡",
        "取款机",
        "开卡",
        "额度",
        "lost my",
        "card",
        "activate",
        "pin",
        "atm",
        "replacement",
        "credit limit",
    ),
    BusinessType.LOANS_REPAYMENT: (
        "贷款",
        "房贷",
        "车贷",
        "还款",
        "月供",
        "逾期",
        "提前还",
        "放款",
        "按揭",
        "loan",
        "mortgage",
        "repay",
        "installment",
        "overdue",
        "principal",
    ),
    BusinessType.WEALTH_PRODUCTS: (
        "理财",
        "基金",
        "国债",
        "保险",
        "收益",
        "赎回",
        "黄金",
        "金条",
        "风险评估",
        "investment",
        "fund",
        "bond",
        "insurance",
        "return",
        "redeem",
        "gold",
        "wealth",
    ),
}
ESCALATION_KEYWORDS: tuple[str, ...] = (
    "银保监",
    "监管",
    "人民银行",
    "12378",
    "媒体",
    "曝光",
    "法院",
    "起诉",
    "律师",
    "报警",
    "领导",
    "行长",
    "主管",
    "经理来",
    "负责人",
    "电视台",
    "消费者协会",
    "举报",
    "发到网上",
    "regulator",
    "ombudsman",
    "central bank",
    "authorities",
    "press",
    "journalist",
    "court",
    "lawyer",
    "police",
    "supervisor",
    "manager on the phone",
    "someone senior",
    "in charge",
    "post all of this online",
    "consumer protection",
)
NEGATIVE_KEYWORDS: tuple[str, ...] = REASON_KEYWORDS[ContactReason.COMPLAINT] + (
    "不满意",
    "很差",
    "糟糕",
    "差评",
    "没有",
    "不行",
    "不认",
    "不同意",
    "错",
    "dissatisfied",
    "bad",
    "awful",
    "poor",
    "wrong",
    "dispute",
    "not happy",
    "don't agree",
)
POSITIVE_KEYWORDS: tuple[str, ...] = REASON_KEYWORDS[ContactReason.PRAISE] + (
    "谢谢",
    "满意",
    "太好了",
    "不错",
    "放心",
    "thank",
    "great",
    "perfect",
    "satisfied",
    "excellent",
    "lovely",
    "happy",
    "good",
)
OUTCOME_KEYWORDS: dict[OutboundOutcome, tuple[str, ...]] = {
    OutboundOutcome.NOT_REACHED: (
        "打错",
        "无法接通",
        "无法接听",
        "通话中",
        "关机",
        "空号",
        "不在",
        "没有这个人",
        "wrong number",
        "not available",
        "switched off",
        "not home",
        "does not exist",
        "line is busy",
        "cannot answer",
        "the person you are calling",
    ),
    OutboundOutcome.CALL_BACK_LATER: (
        "再打",
        "晚点",
        "改天",
        "再联系",
        "不方便",
        "下周",
        "call me",
        "later",
        "tomorrow",
        "another day",
        "next week",
        "call back",
        "ring me",
    ),
    OutboundOutcome.DECLINED: (
        "不需要",
        "不感兴趣",
        "不用了",
        "不要",
        "不办",
        "not interested",
        "no thank",
        "no need",
        "don't want",
    ),
    OutboundOutcome.ACCEPTED: (
        "办一个",
        "我要了",
        "试试",
        "同意",
        "申请",
        "好啊",
        "sign me up",
        "i'll take it",
        "let's do it",
        "apply",
        "i want it",
        "set it up",
    ),
    OutboundOutcome.DISPUTES: (
        "已经还",
        "不是我",
        "不对",
        "搞错",
        "异议",
        "不认",
        "already paid",
        "not mine",
        "wrong",
        "dispute",
        "never",
        "double charge",
    ),
    OutboundOutcome.PROMISED_TO_PAY: (
        "还",
        "存进去",
        "转过去",
        "按时",
        "pay",
        "deposit",
        "transfer it",
        "on time",
    ),
    OutboundOutcome.DISSATISFIED: (
        "不满意",
        "很差",
        "差评",
        "失望",
        "糟糕",
        "不怎么样",
        "dissatisfied",
        "not happy",
        "unhappy",
        "bad",
        "awful",
        "poor",
        "disappointed",
    ),
    OutboundOutcome.SATISFIED: (
        "满意",
        "很好",
        "不错",
        "点赞",
        "satisfied",
        "great",
        "excellent",
        "pleased",
        "happy",
        "good",
    ),
    OutboundOutcome.NEUTRAL: (
        "一般",
        "还行",
        "凑合",
        "还可以",
        "okay",
        "so-so",
        "average",
        "ordinary",
        "alright",
    ),
}
#: Per campaign, outcomes in the order they are tested (first hit wins; the last is the default).
OUTCOME_ORDER: dict[Campaign | None, tuple[OutboundOutcome, ...]] = {
    Campaign.MARKETING: (
        OutboundOutcome.NOT_REACHED,
        OutboundOutcome.CALL_BACK_LATER,
        OutboundOutcome.DECLINED,
        OutboundOutcome.ACCEPTED,
    ),
    Campaign.RETURN_VISIT: (
        OutboundOutcome.NOT_REACHED,
        OutboundOutcome.DISSATISFIED,
        OutboundOutcome.NEUTRAL,
        OutboundOutcome.SATISFIED,
    ),
    Campaign.REPAYMENT_REMINDER: (
        OutboundOutcome.NOT_REACHED,
        OutboundOutcome.DISPUTES,
        OutboundOutcome.PROMISED_TO_PAY,
    ),
    None: (
        OutboundOutcome.NOT_REACHED,
        OutboundOutcome.CALL_BACK_LATER,
        OutboundOutcome.DECLINED,
        OutboundOutcome.ACCEPTED,
    ),
}


def hits(text: str, keywords: Sequence[str]) -> int:
    low = text.lower()
    return sum(1 for k in keywords if k in low)


class KeywordClassifier:
    """Keyword rules over the customer's words (and all words for business type)."""

    name = "keyword-baseline"

    def classify(self, transcript: CallTranscript, metadata: CallMetadata | None = None) -> Classification:
        direction = metadata.direction if metadata else Direction.INBOUND
        campaign = metadata.campaign if metadata else None
        customer = [(i, u.text) for i, u in enumerate(transcript.utterances) if u.role != Role.AGENT]
        reason_hits = {r: [i for i, t in customer if hits(t, kw)] for r, kw in REASON_KEYWORDS.items()}
        reasons = [
            r for r in (ContactReason.COMPLAINT, ContactReason.SUGGESTION, ContactReason.PRAISE) if reason_hits[r]
        ]
        if direction == Direction.INBOUND and not reasons and customer:
            reasons = [ContactReason.INQUIRY]
        ordered = tuple(r for r in ContactReason if r in reasons)
        text = "\n".join(u.text for u in transcript.utterances)
        counts = {b: hits(text, kw) for b, kw in BUSINESS_KEYWORDS.items()}
        total = sum(counts.values())
        best = max(counts, key=lambda b: counts[b]) if total else BusinessType.OTHER
        scores = {b: (counts.get(b, 0) / total if total else float(b == BusinessType.OTHER)) for b in BusinessType}
        escalation = [i for i, t in customer if hits(t, ESCALATION_KEYWORDS)]
        outcome = None
        if direction == Direction.OUTBOUND:
            said = "\n".join(t for _, t in customer)
            order = OUTCOME_ORDER.get(campaign, OUTCOME_ORDER[None])
            outcome = next((o for o in order[:-1] if hits(said, OUTCOME_KEYWORDS[o])), order[-1])
            if not customer:
                outcome = OutboundOutcome.NOT_REACHED
        return Classification(
            contact_reasons=ordered,
            contact_reason_scores=tuple(LabelScore(r.value, 1.0 if r in ordered else 0.0) for r in ContactReason),
            business_type=best,
            business_type_scores=tuple(
                sorted((LabelScore(b.value, round(s, 4)) for b, s in scores.items()), key=lambda s: -s.score)
            ),
            sentiment=tuple(_sentiment(i, t) for i, t in customer),
            escalation_risk=bool(escalation),
            escalation_score=1.0 if escalation else 0.0,
            escalation_evidence=tuple(escalation),
            complaint_evidence=tuple(reason_hits[ContactReason.COMPLAINT]),
            outcome=outcome,
            outcome_score=None if outcome is None else 1.0,
            model=self.name,
        )


def _sentiment(index: int, text: str) -> TurnSentiment:
    neg, pos = hits(text, NEGATIVE_KEYWORDS), hits(text, POSITIVE_KEYWORDS)
    if neg > pos:
        return TurnSentiment(index, Sentiment.NEGATIVE, 1.0)
    if pos > neg:
        return TurnSentiment(index, Sentiment.POSITIVE, 1.0)
    return TurnSentiment(index, Sentiment.NEUTRAL, 1.0)
