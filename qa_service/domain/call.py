"""What we know about a call before listening to it (recorder / telephony metadata)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Campaign(StrEnum):
    """Outbound call programmes (the interview's three kinds of outbound work)."""

    MARKETING = "marketing"
    RETURN_VISIT = "return_visit"
    REPAYMENT_REMINDER = "repayment_reminder"


@dataclass(frozen=True)
class CallMetadata:
    """Recorder metadata. ``customer_ref`` is raw here; the store keeps only its salted hash."""

    call_id: str
    direction: Direction = Direction.INBOUND
    language: str | None = None  # "zh" / "en"; None = from settings or detection
    agent_id: str | None = None
    team: str | None = None
    queue: str | None = None
    campaign: Campaign | None = None
    started_at: datetime | None = None
    customer_ref: str | None = None
    agent_channel: int | None = None  # stereo recordings: which channel is the agent


#: How recorders and their users name the two channels of a stereo call.
CHANNEL_NAMES = {"0": 0, "1": 1, "left": 0, "right": 1, "l": 0, "r": 1}


def parse_channel(value: str | int) -> int | None:
    """0/1 or left/right (any case) → the channel index; None when it is neither."""
    return CHANNEL_NAMES.get(str(value).strip().lower())
