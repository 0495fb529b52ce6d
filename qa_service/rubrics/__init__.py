"""The rubric engine: versioned YAML rubrics (规范服务用语), phrase matching that survives recognition
errors, and scoring of call transcripts into findings with evidence."""

from qa_service.rubrics.engine import score_call, scorecard
from qa_service.rubrics.loader import (
    load_rubric,
    load_rubrics,
    parse_rubric,
    rubric_hash,
    select_rubric,
    with_review_confidence,
)
from qa_service.rubrics.schema import (
    AppliesTo,
    ForbiddenPhraseItem,
    ItemKind,
    OrderItem,
    Phrase,
    RequiredPhraseItem,
    Rubric,
    Window,
    WindowKind,
)
from qa_service.rubrics.serialize import rubric_result_from_dict, rubric_result_to_dict

__all__ = [
    "AppliesTo",
    "ForbiddenPhraseItem",
    "ItemKind",
    "OrderItem",
    "Phrase",
    "RequiredPhraseItem",
    "Rubric",
    "Window",
    "WindowKind",
    "load_rubric",
    "load_rubrics",
    "parse_rubric",
    "rubric_hash",
    "rubric_result_from_dict",
    "rubric_result_to_dict",
    "score_call",
    "scorecard",
    "select_rubric",
    "with_review_confidence",
]
