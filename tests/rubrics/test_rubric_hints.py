"""The rubric's phrasing as recognition hints: one hint per required phrase, first wordings only."""

from __future__ import annotations

from qa_service.domain import CallMetadata, Campaign, Direction, RecognitionHints
from qa_service.rubrics import load_rubrics, parse_rubric
from qa_service.rubrics.hints import call_hints, rubric_hints
from qa_service.settings import Settings

ZH = """\
id: hints_zh
version: "1"
language: zh
variables:
  bank_name: {default: 建设银行}
  job_number: {default: '(?<!\\d)\\d{4}(?!\\d)', pattern: true}
items:
  - id: greeting
    kind: required_phrase
    all_of:
      - [您好, 你好]
      - ["{bank_name}"]
      - ["工号{job_number}", "{job_number}号"]
  - id: closing
    kind: required_phrase
    phrases: [感谢您的来电, 谢谢来电]
  - id: closing_again
    kind: required_phrase
    phrases: [感谢您的来电]
  - id: forbidden_phrases
    kind: forbidden_phrase
    phrases: [不知道]
"""

EN = """\
id: hints_en
version: "1"
language: en
items:
  - id: offer
    kind: required_phrase
    phrases: [is there anything else i can help you with, anything else]
  - id: amount
    kind: required_phrase
    phrases: ["{job_number}"]
variables:
  job_number: {default: '\\d{4}', pattern: true}
"""


def test_each_required_phrase_gives_its_first_wordings_without_pattern_variables() -> None:
    hints = rubric_hints(parse_rubric(ZH))
    # variables filled in, pattern variables left out, forbidden phrases not hinted, duplicates once
    assert hints == ("您好，建设银行，工号。", "感谢您的来电。")


def test_english_hints_read_as_sentences_and_empty_phrases_are_skipped() -> None:
    rubric = parse_rubric(EN)
    assert rubric_hints(rubric) == ("Is there anything else I can help you with.",)


def test_call_hints_come_from_the_rubric_that_would_score_the_call() -> None:
    settings = Settings()
    rubrics = load_rubrics(settings.rubric_dir, settings.rubric_vars)
    inbound = call_hints(rubrics, CallMetadata("c1"), ("zh", "en"))
    outbound = call_hints(rubrics, CallMetadata("c2", direction=Direction.OUTBOUND, campaign=Campaign.MARKETING),
                          ("zh", "en"))
    assert inbound.for_language("en")[0] == "Thank you for calling, Construction Bank, agent."
    assert inbound.for_language("zh")[0] == "您好，建设银行，工号。"
    assert "This call is recorded." in outbound.for_language("en")
    assert "This call is recorded." not in inbound.for_language("en")
    assert call_hints(rubrics, None, ("en",)).for_language("en") == inbound.for_language("en")
    assert inbound.for_language("fr") == () and not RecognitionHints() and inbound
