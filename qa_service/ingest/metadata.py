"""Recorder metadata from loose text (sidecar cells, file-name fields) to a validated CallMetadata.

Raises :class:`~qa_service.errors.IngestError` naming the field and the bad value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from qa_service.domain import CallMetadata, Campaign, Direction
from qa_service.domain.call import parse_channel
from qa_service.errors import IngestError

FIELDS = ("call_id", "agent_id", "team", "queue", "direction", "campaign", "language", "started_at",
          "customer_ref", "agent_channel")
LANGUAGES = ("zh", "en")
_COMPACT = ("%Y%m%d%H%M%S", "%Y%m%dT%H%M%S", "%Y%m%d_%H%M%S", "%Y%m%d-%H%M%S",
            "%Y%m%d%H%M", "%Y%m%dT%H%M", "%Y%m%d_%H%M", "%Y%m%d-%H%M")
_CALL_ID = re.compile(r"^[\w.:@+-]{1,128}$")


def parse_datetime(text: str, tz: str) -> datetime:
    """ISO 8601 (with or without zone) or a recorder's compact ``YYYYMMDD[T_-]HHMM[SS]``; times
    without a zone are call-centre local time (``tz``)."""
    raw = text.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _COMPACT:
            try:
                parsed = datetime.strptime(raw, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise IngestError(f"started_at: cannot read {text!r} as a date and time", field="started_at")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=ZoneInfo(tz))


def _text(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def build_metadata(raw: Mapping[str, Any], *, default_call_id: str, tz: str) -> CallMetadata:
    """Validate ``raw`` (strings or JSON values) into :class:`CallMetadata`."""
    call_id = _text(raw, "call_id") or default_call_id
    if not _CALL_ID.match(call_id):
        raise IngestError(f"call_id {call_id!r}: use 1-128 letters, digits or . _ - : @ +", field="call_id")
    campaign_text = _text(raw, "campaign")
    try:
        campaign = Campaign(campaign_text.lower()) if campaign_text else None
    except ValueError:
        raise IngestError(f"campaign {campaign_text!r}: expected one of "
                          f"{', '.join(c.value for c in Campaign)}", field="campaign") from None
    direction_text = _text(raw, "direction")
    try:
        direction = Direction(direction_text.lower()) if direction_text else (
            Direction.OUTBOUND if campaign else Direction.INBOUND)
    except ValueError:
        raise IngestError(f"direction {direction_text!r}: expected inbound or outbound",
                          field="direction") from None
    if campaign is not None and direction is not Direction.OUTBOUND:
        raise IngestError(f"campaign {campaign.value!r} is set on an inbound call", field="campaign")
    language = _text(raw, "language")
    if language is not None and language.lower() not in LANGUAGES:
        raise IngestError(f"language {language!r}: expected zh or en", field="language")
    started = _text(raw, "started_at")
    channel_text = _text(raw, "agent_channel")
    channel = parse_channel(channel_text) if channel_text is not None else None
    if channel_text is not None and channel is None:
        raise IngestError(f"agent_channel {channel_text!r}: expected 0/1 or left/right", field="agent_channel")
    return CallMetadata(
        call_id=call_id,
        direction=direction,
        language=language.lower() if language else None,
        agent_id=_text(raw, "agent_id"),
        team=_text(raw, "team"),
        queue=_text(raw, "queue"),
        campaign=campaign,
        started_at=parse_datetime(started, tz) if started else None,
        customer_ref=_text(raw, "customer_ref"),
        agent_channel=channel,
    )


_TEMPLATE_FIELD = re.compile(r"\{(\w+)\}")


def pattern_regex(pattern: str) -> str:
    """A file-name pattern as a regex. Either a regex with named groups
    (``AGENT_(?P<agent_id>\\d+)_DT_(?P<started_at>\\d{8}T\\d{6})``) or a template where ``{field}`` is a
    metadata field and ``...`` anything (``..._AGENT_{agent_id}_DT_{started_at}...``)."""
    if "(?P<" in pattern or "{" not in pattern:
        return pattern
    out: list[str] = []
    for i, part in enumerate(_TEMPLATE_FIELD.split(pattern)):
        if i % 2:
            out.append(f"(?P<{part}>[^_./]+)")
        else:
            out.append(".*?".join(re.escape(chunk) for chunk in part.split("...")))
    return "".join(out)


def fields_from_name(name: str, pattern: str) -> dict[str, str]:
    """Named fields of ``pattern`` (see :func:`pattern_regex`) found in a file name (``{}``: no match)."""
    try:
        regex = re.compile(pattern_regex(pattern))
    except re.error as exc:
        raise IngestError(f"file-name pattern {pattern!r} is not a valid regular expression: {exc}",
                          setting="ingest_filename_pattern") from exc
    unknown = set(regex.groupindex) - set(FIELDS)
    if unknown:
        raise IngestError(f"file-name pattern names unknown fields {sorted(unknown)}; known: {FIELDS}",
                          setting="ingest_filename_pattern")
    match = regex.search(name)
    if match is None:
        return {}
    return {k: v for k, v in match.groupdict().items() if v}
