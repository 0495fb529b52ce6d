"""Transcript search on PostgreSQL at scale: plans (EXPLAIN ANALYZE) and latency under concurrent clients.

    .venv/bin/python bench/search.py [--calls 15000] [--utterances 70] [--clients 8] [--rounds 20]
                                     [--url URL] [--keep]

Loads ``--calls`` synthetic calls × ``--utterances`` utterances into a scratch database (or into
``--url`` when it holds no utterances yet; an already loaded ``--url`` is reused as is), migrated to
head, with the search index built after the load as migration 0003 builds it. Text (bench/corpus.py) is 70 % Mandarin,
30 % English: half the utterances are call-centre stock sentences (greetings, card and balance
questions — phrases found in most calls), the rest draw words from a Zipf-distributed vocabulary
(a long tail of rare phrases); some carry ``****`` redaction masks. Calls spread over 20 teams,
400 agents and 90 days.

Then, for each query of a fixed mix (very common, common, rare, absent, one character, English;
as admin, as a team supervisor and as one agent, with and without a role filter) it prints the plan's
top nodes and its time, and finally runs ``--clients`` threads, each repeating the mix ``--rounds``
times through :func:`qa_service.search.search_utterances`, and prints p50/p95/max per query and overall.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.corpus import AGENTS, EN_VOCAB, T0, TEAMS, ZH_VOCAB, copy_rows, esc, sentence
from bench.load import Load, Send, run_clients, summary
from qa_service.search import SearchQuery, search_utterances
from qa_service.search.terms import search_doc
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines, get_engine, session_factory
from qa_service.store.migrate import upgrade
from qa_service.store.scope import EVERYTHING, Visibility


def load(settings: Settings, n_calls: int, per_call: int) -> None:
    rng = random.Random(1)
    engine = get_engine(settings)
    now = datetime.now(UTC).isoformat()
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        with conn.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS ix_utterances_search_doc_tsv")
        copy_rows(conn, "COPY audio_blobs (sha256, size_bytes, extension, created_at) FROM STDIN",
              (f"{n:064x}\t1\t.wav\t{now}\n" for n in range(1, n_calls + 1)))
        langs = ["zh" if rng.random() < 0.7 else "en" for _ in range(n_calls)]

        def call_rows() -> Iterator[str]:
            for n in range(1, n_calls + 1):
                at = T0 + timedelta(seconds=rng.randint(0, 90 * 86400))
                agent = rng.randrange(len(AGENTS))
                yield (f"{n}\tcall-{n:07d}\t{n:064x}\tc.wav\t{AGENTS[agent]}\t{TEAMS[agent % len(TEAMS)]}\t"
                       f"inbound\t{langs[n - 1]}\t{at.isoformat()}\t{at.date().isoformat()}\tdone\tassess\t100\t\t0\t"
                       f"{now}\t{now}\tunreviewed\n")

        copy_rows(conn, "COPY calls (id, call_id, audio_sha256, source_name, agent_id, team, direction, language, "
                    "started_at, local_date, state, stage, progress, step, attempts, created_at, updated_at, "
                    "review_state) FROM STDIN", call_rows())
        copy_rows(conn, "COPY transcripts (call_pk, pipeline_version, language, duration_s, diarization_method, "
                    "role_low_confidence, redacted, body, created_at) FROM STDIN",
              (f"{n}\t1\t{langs[n - 1]}\t300\tchannel\tf\tt\t{{}}\t{now}\n" for n in range(1, n_calls + 1)))

        def utterance_rows() -> Iterator[str]:
            for n in range(1, n_calls + 1):
                zh = langs[n - 1] == "zh"
                for i in range(per_call):
                    said = esc(sentence(rng, zh))
                    role = "agent" if i % 2 == 0 else "customer"
                    yield f"{n}\t{i}\t{role}\tSPEAKER_0{i % 2}\t{i % 2}\t{4.0 * i}\t{4.0 * i + 3}\t{said}\t" \
                          f"{search_doc(said)}\n"

        copy_rows(conn, "COPY utterances (call_pk, idx, role, speaker, channel, start_s, end_s, text, search_doc) "
                    "FROM STDIN", utterance_rows())
        print(f"loaded {n_calls} calls × {per_call} utterances in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('calls', 'id'), %s)", (n_calls,))
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute("CREATE INDEX ix_utterances_search_doc_tsv ON utterances "
                        "USING gin (to_tsvector('simple'::regconfig, search_doc))")
            cur.execute("ANALYZE")
        conn.commit()
        print(f"GIN index and ANALYZE in {time.perf_counter() - started:.0f} s")
    finally:
        raw.close()


# --------------------------------------------------------------------------- queries
@dataclass(frozen=True)
class Case:
    name: str
    query: SearchQuery
    visibility: Visibility


def cases() -> list[Case]:
    supervisor = Visibility(teams=(TEAMS[3],))
    agent = Visibility(agent_id=AGENTS[43])
    rare_zh = ZH_VOCAB[3000] if len(ZH_VOCAB[3000]) >= 2 else ZH_VOCAB[3001]
    return [
        Case("zh very common, admin", SearchQuery("有什么可以帮您"), EVERYTHING),
        Case("zh very common, supervisor, customer", SearchQuery("信用卡账单", role="customer"), supervisor),
        Case("zh common, agent", SearchQuery("提高信用额度"), agent),
        Case("zh tail word, admin", SearchQuery(ZH_VOCAB[40] + ZH_VOCAB[41]), EVERYTHING),
        Case("zh rare word, supervisor", SearchQuery(rare_zh), supervisor),
        Case("zh absent (common bigrams), admin", SearchQuery("您好再见"), EVERYTHING),
        Case("zh one character, supervisor", SearchQuery("卡"), supervisor),
        Case("en very common, admin", SearchQuery("thank you"), EVERYTHING),
        Case("en common, supervisor, agent role", SearchQuery("check my balance", role="agent"), supervisor),
        Case("en rare word, admin", SearchQuery(EN_VOCAB[2500]), EVERYTHING),
        Case("en absent, supervisor", SearchQuery("balance thank"), supervisor),
        Case("zh common, admin, page 5", SearchQuery("请稍等", offset=80), EVERYTHING),
        Case("zh very common, admin, offset 1000", SearchQuery("请问您是本人吗", offset=1000), EVERYTHING),
    ]


def explain(settings: Settings) -> None:
    """Runs each case once, catching the statements it sends, and prints their EXPLAIN ANALYZE."""
    engine = get_engine(settings)
    factory = session_factory(settings)
    for case in cases():
        sent: list[tuple[str, Any]] = []

        def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
            sent.append((statement, parameters))  # noqa: B023

        event.listen(engine, "before_cursor_execute", catch)
        try:
            with factory() as session:
                started = time.perf_counter()
                page = search_utterances(session, case.query, case.visibility)
                took = (time.perf_counter() - started) * 1000
        finally:
            event.remove(engine, "before_cursor_execute", catch)
        print(f"\n== {case.name}: {case.query.text!r} — {len(page.hits)} hits, has_more={page.has_more}, "
              f"{took:.1f} ms, {len(sent)} statements")
        with engine.connect() as conn:
            for statement, parameters in sent:
                plan = [r[0] for r in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)]
                for line in plan:
                    if "->" in line or line.startswith(("Limit", "Execution", "Sort")) or "Filter" in line \
                            or "Cond" in line:
                        print("   " + line[:160])


def _case_name(case: Case) -> str:
    return case.name


def _connect(settings: Settings) -> Send[Case]:
    factory = session_factory(settings)

    def send(case: Case) -> None:
        with factory() as session:
            search_utterances(session, case.query, case.visibility)

    return send


def concurrent(settings: Settings, clients: int, rounds: int) -> None:
    mix = cases()
    warm = _connect(settings)
    for case in mix:  # warm the cache once
        warm(case)
    load = Load(mix=mix, name=_case_name, connect=functools.partial(_connect, settings), rounds=rounds)
    times, wall = run_clients(load, clients, processes=False)  # the time is spent in the database
    every = [x for v in times.values() for x in v]
    print(f"\n{clients} clients × {rounds} rounds × {len(mix)} queries in {wall:.1f} s "
          f"({len(every) / wall:.0f} searches/s)")
    print(f"{'query':45s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}")
    for case in mix:
        print(f"{case.name:45s} {summary(times[case.name])}")
    print(f"{'all':45s} {summary(every)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=15000)
    parser.add_argument("--utterances", type=int, default=70)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--url", help="a PostgreSQL database to load (or reuse when loaded)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (its URL is printed)")
    args = parser.parse_args()

    from qa_service.store.scratch import create_database, drop_database, ensure_local_services

    ensure_local_services()
    url = args.url or create_database("qa_bench_search")
    print(f"database {url}")
    settings = Settings(database_url=url)
    try:
        upgrade(settings)
        with get_engine(settings).connect() as conn:
            loaded = conn.execute(text("SELECT EXISTS (SELECT 1 FROM utterances)")).scalar()
        if not loaded:
            load(settings, args.calls, args.utterances)
        with get_engine(settings).connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM utterances")).scalar()
            size = conn.execute(text("SELECT pg_size_pretty(pg_relation_size('ix_utterances_search_doc_tsv')), "
                                     "pg_size_pretty(pg_total_relation_size('utterances'))")).one()
        print(f"{rows} utterance rows; GIN index {size[0]}, utterances with indexes {size[1]}")
        explain(settings)
        concurrent(settings, args.clients, args.rounds)
    finally:
        dispose_engines()
        if not args.url and not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
