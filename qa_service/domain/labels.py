"""Label vocabularies shared by classifiers, sample sidecars, storage and reports."""

from __future__ import annotations

from enum import StrEnum


class ContactReason(StrEnum):
    """The bank's service-supervision categories (咨询 / 投诉 / 建议 / 表扬)."""

    INQUIRY = "inquiry"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    PRAISE = "praise"


class BusinessType(StrEnum):
    ACCOUNT_INQUIRY = "account_inquiry"
    BILL_PAYMENT = "bill_payment"
    TRANSFER = "transfer"
    CARD_SERVICES = "card_services"
    LOANS_REPAYMENT = "loans_repayment"
    WEALTH_PRODUCTS = "wealth_products"
    OTHER = "other"


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class OutboundOutcome(StrEnum):
    """Outcome of an outbound call; which values apply depends on the campaign."""

    # marketing
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CALL_BACK_LATER = "call_back_later"
    # return visit (the customer's satisfaction answer)
    SATISFIED = "satisfied"
    NEUTRAL = "neutral"
    DISSATISFIED = "dissatisfied"
    # repayment reminder
    PROMISED_TO_PAY = "promised_to_pay"
    DISPUTES = "disputes"
    # any campaign
    NOT_REACHED = "not_reached"
