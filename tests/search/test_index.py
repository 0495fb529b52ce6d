"""Transcript search in the store, on SQLite (FTS5) and PostgreSQL (GIN): phrases, filters,
visibility, injection, order and pages, and keeping the index in step with the rows."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, event, func, select, update

from qa_service.domain import CallMetadata, CallTranscript, Role, Utterance
from qa_service.errors import InvalidRequest
from qa_service.search import WINDOW_CALLS, SearchPage, SearchQuery, reindex, search_utterances
from qa_service.settings import Settings
from qa_service.store import calls, results
from qa_service.store.audio_store import StoredAudio
from qa_service.store.db import get_engine, unit_of_work
from qa_service.store.models import Call, UtteranceRow
from qa_service.store.scope import EVERYTHING, Visibility

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _add_call(settings: Settings, call_id: str, lines: list[tuple[Role, str]], *, team: str = "A",
              agent: str = "a1", started_at: datetime | None = T0, language: str = "zh") -> int:
    sha = hashlib.sha256(call_id.encode()).hexdigest()
    transcript = CallTranscript(
        language=language,
        utterances=tuple(Utterance("SPEAKER_00" if role is Role.AGENT else "SPEAKER_01", 2.0 * i, 2.0 * i + 1.5,
                                   said, (), role) for i, (role, said) in enumerate(lines)),
        duration=2.0 * len(lines))
    with unit_of_work(settings) as s:
        calls.add_audio(s, StoredAudio(sha, 1, None), ".wav")  # type: ignore[arg-type]
        call = calls.add_call(s, CallMetadata(call_id, agent_id=agent, team=team, started_at=started_at), sha,
                              source_name=f"{call_id}.wav", batch_id=None, salt="s", tz="UTC", shifts={})
        s.flush()
        results.save_transcript(s, call.id, transcript, pipeline_version="1", redacted=True)
        return call.id


def _search(settings: Settings, text: str, visibility: Visibility = EVERYTHING, /, **filters: object) -> SearchPage:
    """The page, the same whether it comes from reading the newest calls or from the text index (a
    window of one or two calls sends most of these searches to the index)."""
    query = SearchQuery(text, **filters)  # type: ignore[arg-type]
    with unit_of_work(settings) as s:
        pages = [search_utterances(s, query, visibility, window=w) for w in (WINDOW_CALLS, 2, 1)]
    assert pages[1] == pages[0] and pages[2] == pages[0]
    return pages[0]


def _found(page: SearchPage) -> list[tuple[str, int]]:
    return [(h.call_id, h.utterance_index) for h in page.hits]


AGENT, CUSTOMER = Role.AGENT, Role.CUSTOMER


@pytest.fixture
def seeded(db_settings: Settings) -> Settings:
    _add_call(db_settings, "zh-1", [(AGENT, "您好，请问有什么可以帮您？"), (CUSTOMER, "我想办一张信用卡。"),
                                    (AGENT, "好的，您的卡号是****，尾号****。"),
                                    (CUSTOMER, "我的信用额度和卡都有问题")])
    _add_call(db_settings, "en-1", [(AGENT, "Thank you for calling, how can I help?"),
                                    (CUSTOMER, "THANK YOU. My card number is ****."),
                                    (AGENT, "Your credit card, please.")],
              team="B", agent="b1", started_at=T0 + timedelta(hours=1), language="en")
    _add_call(db_settings, "zh-2", [(AGENT, "信用卡中心，您好"), (CUSTOMER, "信用，卡号我忘了")],
              team="A", agent="a2", started_at=T0 - timedelta(days=1))
    return db_settings


def test_mandarin_phrase_is_found_with_its_span(seeded: Settings) -> None:
    page = _search(seeded, "信用卡")
    assert _found(page) == [("zh-1", 1), ("zh-2", 0)]  # not zh-1#3 (信用…卡) nor zh-2#1 (信用，卡)
    hit = page.hits[0]
    assert hit.text == "我想办一张信用卡。" and [hit.text[m.start:m.end] for m in hit.matches] == ["信用卡"]
    assert (hit.role, hit.speaker, hit.start_s, hit.end_s) == ("customer", "SPEAKER_01", 2.0, 3.5)
    assert (hit.started_at, hit.agent_id, hit.team) == (T0, "a1", "A")
    assert not page.has_more


def test_traditional_and_one_character_queries(seeded: Settings) -> None:
    assert _found(_search(seeded, "信用卡")) == _found(_search(seeded, "信 用 卡"))
    assert _found(_search(seeded, "幫您")) == [("zh-1", 0)]  # traditional 幫 → 帮
    assert _found(_search(seeded, "忘")) == [("zh-2", 1)]
    assert {h.call_id for h in _search(seeded, "卡").hits} == {"zh-1", "zh-2"}


def test_english_phrase_is_case_insensitive_and_ignores_punctuation(seeded: Settings) -> None:
    page = _search(seeded, "thank YOU")
    assert _found(page) == [("en-1", 0), ("en-1", 1)]
    assert [h.text[m.start:m.end] for h in page.hits for m in h.matches] == ["Thank you", "THANK YOU"]
    assert _found(_search(seeded, "credit card please")) == [("en-1", 2)]
    assert _found(_search(seeded, "card credit")) == []


def test_role_language_and_date_filters(seeded: Settings) -> None:
    assert _found(_search(seeded, "thank you", role="customer")) == [("en-1", 1)]
    assert _found(_search(seeded, "信用卡", role="agent")) == [("zh-2", 0)]
    assert _found(_search(seeded, "您好", language="en")) == []
    assert _found(_search(seeded, "您好", language="ZH")) == [("zh-1", 0), ("zh-2", 0)]
    assert _found(_search(seeded, "您好", date_from=date(2026, 11, 2))) == [("zh-1", 0)]
    assert _found(_search(seeded, "您好", date_to=date(2026, 11, 1))) == [("zh-2", 0)]
    assert _found(_search(seeded, "您好", agent_id="a2")) == [("zh-2", 0)]
    assert _found(_search(seeded, "thank you", team="A")) == []


def test_visibility_is_applied(seeded: Settings) -> None:
    assert _found(_search(seeded, "卡号", Visibility(teams=("A",)))) == [("zh-1", 2), ("zh-2", 1)]
    assert _found(_search(seeded, "card", Visibility(teams=("A",)))) == []
    assert _found(_search(seeded, "card", Visibility(teams=("B",)))) == [("en-1", 1), ("en-1", 2)]
    assert _found(_search(seeded, "您好", Visibility(agent_id="a2"))) == [("zh-2", 0)]
    assert _found(_search(seeded, "您好", Visibility(agent_id="a2"), team="A", agent_id="a1")) == []
    assert _found(_search(seeded, "您好", Visibility())) == []  # deny by default


def test_redacted_digits_cannot_be_searched(db_settings: Settings) -> None:
    _add_call(db_settings, "pii", [(CUSTOMER, "卡号是****，尾号****"), (CUSTOMER, "card **** **** 1234")])
    assert _found(_search(db_settings, "6222")) == []
    assert _found(_search(db_settings, "1234")) == [("pii", 1)]  # what the redactor left is text like any other
    with pytest.raises(InvalidRequest, match="no letters"):
        _search(db_settings, "****")


@pytest.mark.parametrize("query", ['"信用卡" OR 您好', "NEAR(信用 卡)", "信用*", "信用卡 -您好",
                                   "'); DROP TABLE utterances; --", "信用卡:* | 您好", "!您好 & 卡",
                                   "{search_doc} : 卡", "信用卡 AND 您好", "信用卡\\"])
def test_query_syntax_cannot_be_injected(seeded: Settings, query: str) -> None:
    page = _search(seeded, query)  # no syntax error, and nothing beyond the literal phrase
    assert all(h.matches for h in page.hits)
    assert _found(_search(seeded, "信用*")) == _found(_search(seeded, "信用"))
    with unit_of_work(seeded) as s:
        assert s.scalar(select(func.count()).select_from(UtteranceRow)) == 9


def test_invalid_requests(seeded: Settings) -> None:
    bad: list[dict[str, object]] = [{"role": "unknown"}, {"limit": 0}, {"limit": 101}, {"offset": -1},
                                    {"offset": 10_001}, {"language": "z%"},
                                    {"date_from": date(2026, 11, 3), "date_to": date(2026, 11, 2)}]
    for filters in bad:
        with pytest.raises(InvalidRequest) as err:
            _search(seeded, "您好", **filters)
        assert err.value.details["field"] == next(iter(filters))
    with pytest.raises(InvalidRequest, match="too short"):
        _search(seeded, "a")


def test_order_is_newest_call_first_and_pages_are_stable(db_settings: Settings) -> None:
    starts = [T0 + timedelta(minutes=m) for m in (5, 1, 5, 3)] + [None]
    for n, started in enumerate(starts):
        _add_call(db_settings, f"c{n}", [(AGENT, "您好"), (CUSTOMER, "谢谢"), (AGENT, "您好，再见")],
                  started_at=started)
    everything = _found(_search(db_settings, "您好", limit=100))
    # 5 min (c2 after c0: higher id first), 3 min, 1 min, no start time last; in speaking order inside a call
    assert everything == [(f"c{n}", i) for n in (2, 0, 3, 1, 4) for i in (0, 2)]
    pages, offset = [], 0
    while True:
        page = _search(db_settings, "您好", limit=3, offset=offset)
        pages += _found(page)
        offset += 3
        if not page.has_more:
            break
    assert pages == everything and offset == 12
    assert _search(db_settings, "您好", limit=9).has_more and not _search(db_settings, "您好", limit=10).has_more


def test_index_follows_replaced_and_deleted_transcripts(db_settings: Settings) -> None:
    pk = _add_call(db_settings, "c", [(AGENT, "旧的说法")])
    assert _found(_search(db_settings, "旧的")) == [("c", 0)]
    transcript = CallTranscript(language="zh", utterances=(Utterance("S", 0.0, 1.0, "新的说法", (), AGENT),),
                                duration=1.0)
    with unit_of_work(db_settings) as s:
        results.save_transcript(s, pk, transcript, pipeline_version="2", redacted=True)
    assert _found(_search(db_settings, "旧的")) == []
    assert _found(_search(db_settings, "新的")) == [("c", 0)]
    with unit_of_work(db_settings) as s:
        s.execute(delete(Call))
    assert _found(_search(db_settings, "新的")) == []


def test_reindex_fills_rows_written_before_the_index(db_settings: Settings) -> None:
    _add_call(db_settings, "old", [(AGENT, "您好，信用卡中心"), (CUSTOMER, "Hello there")])
    with unit_of_work(db_settings) as s:
        s.execute(update(UtteranceRow).values(search_doc=""))
    assert _found(_search(db_settings, "信用卡")) == []
    with unit_of_work(db_settings) as s:
        assert reindex(s, batch=1) == 2
    assert _found(_search(db_settings, "信用卡")) == [("old", 0)]
    assert _found(_search(db_settings, "hello there")) == [("old", 1)]
    with unit_of_work(db_settings) as s:
        assert reindex(s) == 0


def test_common_phrases_come_from_the_newest_calls_and_rare_ones_from_the_index(db_settings: Settings) -> None:
    for n in range(4):
        _add_call(db_settings, f"c{n}", [(AGENT, "您好"), (CUSTOMER, "您好")], started_at=T0 + timedelta(minutes=n))
    _add_call(db_settings, "old", [(AGENT, "很少见的说法")], started_at=T0 - timedelta(days=1))
    sent: list[str] = []

    def count(*args: object) -> None:
        sent.append(str(args[2]))

    engine = get_engine(db_settings)
    event.listen(engine, "before_cursor_execute", count)
    try:
        with unit_of_work(db_settings) as s:
            common = search_utterances(s, SearchQuery("您好", limit=3), EVERYTHING, window=2)
            probe = len(sent)
            rare = search_utterances(s, SearchQuery("少见"), EVERYTHING, window=2)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert _found(common) == [("c3", 0), ("c3", 1), ("c2", 0)] and common.has_more
    assert probe == 2  # the two newest calls, then their utterances
    assert _found(rare) == [("old", 0)] and len(sent) - probe == 3  # … then the index
