from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa_service.domain import CallMetadata, Campaign, Direction
from qa_service.settings import Settings
from qa_service.store import calls
from qa_service.store.audio_store import StoredAudio
from qa_service.store.db import unit_of_work
from qa_service.store.models import Call

SHIFTS = {"early": "07:00-15:00", "late": "15:00-23:00", "night": "23:00-07:00"}


@pytest.mark.parametrize(
    ("utc_hour", "day", "shift"),
    [
        (0, "2026-11-02", "early"),  # 08:30 in Shanghai
        (14, "2026-11-02", "late"),  # 22:30
        (16, "2026-11-03", "night"),  # 00:30 the next local day
    ],
)
def test_local_day_and_shift(utc_hour: int, day: str, shift: str) -> None:
    started = datetime(2026, 11, 2, utc_hour, 30, tzinfo=UTC)
    local_day, got = calls.local_day_and_shift(started, "Asia/Shanghai", SHIFTS)
    assert (str(local_day), got) == (day, shift)


def test_night_shift_wraps_midnight_and_day_is_local() -> None:
    started = datetime(2026, 11, 2, 17, 30, tzinfo=UTC)  # 01:30 on 3 Nov in Shanghai
    local_day, shift = calls.local_day_and_shift(started, "Asia/Shanghai", SHIFTS)
    assert (str(local_day), shift) == ("2026-11-03", "night")
    assert calls.local_day_and_shift(None, "Asia/Shanghai", SHIFTS) == (None, None)


def test_customer_ref_is_stored_only_as_salted_hash(db_settings: Settings) -> None:
    meta = CallMetadata(
        "c1",
        Direction.OUTBOUND,
        "zh",
        "1023",
        "T1",
        "retail",
        Campaign.MARKETING,
        datetime(2026, 11, 2, 1, 0, tzinfo=UTC),
        "C-88213",
        0,
    )
    with unit_of_work(db_settings) as s:
        calls.add_audio(s, StoredAudio("a" * 64, 10, None), ".wav")  # type: ignore[arg-type]
        calls.add_call(
            s,
            meta,
            "a" * 64,
            source_name="x.wav",
            batch_id=None,
            salt="pepper",
            tz="Asia/Shanghai",
            shifts=SHIFTS,
        )
    with unit_of_work(db_settings) as s:
        row = calls.get(s, "c1")
        assert row.customer_ref_hash == calls.hash_customer_ref("C-88213", "pepper")
        assert row.customer_ref_hash != calls.hash_customer_ref("C-88213", "salt2")
        assert "C-88213" not in repr({c.name: getattr(row, c.name) for c in Call.__table__.columns})
        back = calls.metadata_of(row)
        assert back == CallMetadata(
            "c1",
            Direction.OUTBOUND,
            "zh",
            "1023",
            "T1",
            "retail",
            Campaign.MARKETING,
            meta.started_at,
            None,
            0,
        )
        assert row.started_at == meta.started_at and row.started_at.tzinfo is not None
        assert str(row.local_date) == "2026-11-02" and row.shift == "early"
