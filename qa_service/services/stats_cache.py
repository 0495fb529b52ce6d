"""A cache of computed statistics (centre figures, compliance, grades), keyed by what they are computed
from, so a dashboard that many supervisors open shows the same figures without recounting them.

An entry is valid for one *data version*: a handful of index lookups that change whenever anything a
figure reads changes — a call stored, processed or corrected (``calls.updated_at``, ``calls.id``), a
review or an accepted dispute (``reviews.id``), a dispute raised (``disputes.id``), a listen
(the newest listen in the audit log), a change of the grade bands, and the local day (periods end
"today"). A stale figure is never served: the version is read in the same transaction as the answer
would be. The cache is per API process (``QA_STATS_CACHE_SIZE`` entries, least recently used go first;
0 turns it off)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_service.settings import Settings
from qa_service.store.models import AuditEvent, Call, Dispute, GradeBand, Review
from qa_service.store.states import AuditAction

T = TypeVar("T")


def data_version(session: Session, tz: str) -> tuple[Any, ...]:
    listens = (AuditAction.LISTEN.value, AuditAction.LIVE_LISTEN.value)
    row = session.execute(select(
        select(func.max(Call.id)).scalar_subquery(),
        select(func.max(Call.updated_at)).scalar_subquery(),
        select(func.max(Review.id)).scalar_subquery(),
        select(func.max(Dispute.id)).scalar_subquery(),
        select(func.max(AuditEvent.at)).where(AuditEvent.action.in_(listens)).scalar_subquery(),
        select(func.max(GradeBand.updated_at)).scalar_subquery(),
        select(func.count()).select_from(GradeBand).scalar_subquery(),
    )).one()
    return (*row, datetime.now(ZoneInfo(tz)).date())


class StatsCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        if self.size <= 0:
            return compute()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
        value = compute()
        with self._lock:
            self.misses += 1
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


_caches: dict[int, StatsCache] = {}
_caches_lock = threading.Lock()


def cache_of(size: int) -> StatsCache:
    with _caches_lock:
        if size not in _caches:
            _caches[size] = StatsCache(size)
        return _caches[size]


@dataclass(frozen=True)
class CacheSpec:
    """Which cache a service uses (from settings: ``CacheSpec.of(settings)``)."""

    size: int
    database: str
    tz: str

    @classmethod
    def of(cls, settings: Settings) -> CacheSpec:
        return cls(settings.stats_cache_size, settings.resolved_database_url, settings.timezone)


def memoized(session: Session, spec: CacheSpec | None, what: str, args: tuple[Hashable, ...],
             compute: Callable[[], T]) -> T:
    """``compute()``, or its answer from when the data were as they are now (same ``what`` and ``args``);
    ``spec`` None: no cache."""
    if spec is None or spec.size <= 0:
        return compute()
    key = (spec.database, what, args, data_version(session, spec.tz))
    return cache_of(spec.size).get_or_compute(key, compute)
