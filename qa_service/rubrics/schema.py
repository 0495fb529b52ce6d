"""The rubric model: what a loaded, validated, variable-substituted rubric looks like.

A rubric is a versioned list of items. Item kinds:

- ``required_phrase`` — a role must say something within a window. ``groups`` is a conjunction of
  disjunctions: every group must be matched by one of its phrases (e.g. a greeting needs a
  salutation *and* the bank name *and* a job number).
- ``forbidden_phrase`` — a role must never say any of ``phrases`` (``exceptions`` are longer phrases
  that contain a forbidden one but are fine, e.g. 不知道您是否方便 contains 不知道).
- ``order`` — the items in ``sequence`` (plus the pseudo-step ``handling``) happen in that order.

Any item can carry ``when``: a condition (built-in ``customer_complaint`` or one the rubric defines)
that must hold for the item to apply; otherwise the item is N/A.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from qa_service.domain import CallMetadata, Campaign, Direction, Role


class ItemKind(StrEnum):
    REQUIRED_PHRASE = "required_phrase"
    FORBIDDEN_PHRASE = "forbidden_phrase"
    ORDER = "order"


class WindowKind(StrEnum):
    ANYWHERE = "anywhere"
    FIRST = "first"  # the first N seconds of the call
    LAST = "last"  # the last N seconds of the call
    AFTER = "after"  # after another item's evidence, or after the condition's trigger


#: ``window: {after: trigger}`` — after the utterance that made the item's ``when`` condition true.
TRIGGER = "trigger"
#: The pseudo-step of an ``order`` item: the conversation between the steps around it.
HANDLING = "handling"


@dataclass(frozen=True)
class Window:
    kind: WindowKind = WindowKind.ANYWHERE
    seconds: float | None = None
    after: str | None = None

    def describe(self) -> str:
        if self.kind == WindowKind.FIRST:
            return f"within the first {self.seconds:g} s"
        if self.kind == WindowKind.LAST:
            return f"within the last {self.seconds:g} s"
        if self.kind == WindowKind.AFTER:
            return "after the triggering utterance" if self.after == TRIGGER else f"after {self.after}"
        return "anywhere in the call"


@dataclass(frozen=True)
class Phrase:
    """One phrase variant, compiled for matching.

    ``text`` is the phrase as written (variables substituted, pattern variables as ``{name}``);
    ``norm`` its normalised form, pattern variables replaced by their slot character; ``key`` its
    pinyin key (Mandarin) or ``norm`` (other languages); ``fuzzy`` whether it is long enough for
    fuzzy matching (short phrases must match exactly or, in Mandarin, by sound).
    """

    text: str
    norm: str
    key: str
    fuzzy: bool


@dataclass(frozen=True, kw_only=True)
class Item:
    id: str
    kind: ItemKind
    description: str = ""
    weight: float = 1.0
    critical: bool = False
    when: str | None = None
    line: int = 0  # where the item starts in its file (for messages)


@dataclass(frozen=True, kw_only=True)
class RequiredPhraseItem(Item):
    role: Role | None = Role.AGENT  # None = anyone
    window: Window = Window()
    groups: tuple[tuple[Phrase, ...], ...] = ()
    threshold: float = 85.0  # fuzzy score (0..100) at or above which a phrase counts as said
    review_threshold: float = 70.0  # scores in [review_threshold, threshold) need review


@dataclass(frozen=True, kw_only=True)
class ForbiddenPhraseItem(Item):
    role: Role | None = Role.AGENT
    window: Window = Window()
    phrases: tuple[Phrase, ...] = ()
    exceptions: tuple[Phrase, ...] = ()


@dataclass(frozen=True, kw_only=True)
class OrderItem(Item):
    sequence: tuple[str, ...] = ()


AnyItem = RequiredPhraseItem | ForbiddenPhraseItem | OrderItem


@dataclass(frozen=True)
class MentionCondition:
    """A rubric-defined condition: true when ``role`` says one of ``phrases`` (exact or by sound)."""

    name: str
    role: Role | None
    phrases: tuple[Phrase, ...]
    exceptions: tuple[Phrase, ...] = ()


@dataclass(frozen=True)
class Slot:
    """A pattern variable: where a phrase says ``{name}``, text matching ``regex`` is accepted."""

    name: str
    regex: str
    char: str  # the private-use character standing for the slot in normalised text


@dataclass(frozen=True)
class AppliesTo:
    """Which calls a rubric is for; an empty tuple means "any"."""

    languages: tuple[str, ...] = ()
    directions: tuple[Direction, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    queues: tuple[str, ...] = ()

    def matches(self, metadata: CallMetadata, language: str) -> bool:
        if self.languages and language not in self.languages:
            return False
        if self.directions and metadata.direction not in self.directions:
            return False
        if self.campaigns and metadata.campaign not in self.campaigns:
            return False
        return not (self.queues and metadata.queue not in self.queues)

    @property
    def specificity(self) -> int:
        return sum(bool(x) for x in (self.languages, self.directions, self.campaigns, self.queues))


@dataclass(frozen=True)
class Rubric:
    """A loaded rubric. ``hash`` is the sha256 of its canonical content plus variable values."""

    id: str
    version: str
    name: str
    language: str
    items: tuple[AnyItem, ...]
    hash: str
    applies_to: AppliesTo = AppliesTo()
    pass_threshold: float = 80.0
    review_confidence: float = 0.5
    conditions: tuple[MentionCondition, ...] = ()
    slots: tuple[Slot, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    description: str = ""
    source: str = field(default="", compare=False)

    def item(self, item_id: str) -> AnyItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)
