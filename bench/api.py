"""The supervisor API at scale on PostgreSQL: queue, call detail, search, audio Range requests,
centre statistics and compliance audits under concurrent clients, through HTTP against
``qa-service serve``.

    .venv/bin/python bench/api.py [--calls 100000] [--utterances 70] [--clients 8] [--rounds 25]
                                  [--server-workers N] [--url URL] [--data-dir DIR] [--keep]

Seeding (skipped when ``--url`` already holds calls; the audio store is ``--data-dir``):

- :data:`TEMPLATES` scored calls are written through the real store functions (users, audio blobs,
  calls, transcripts with word timings, metrics, scorecards and findings, classifications and labels,
  queue flags by :func:`qa_service.flags.flags_for` with the default rules). Their scores, item
  outcomes, contact reasons, silences and escalation vary; the first :data:`AUDIO_CALLS` carry a
  real five-minute 8 kHz stereo WAV in the audio store, all in the benchmark supervisor's team.
- The other calls are copies of a template (every result table copied row for row in SQL, so the
  rows have exactly the shape the store writes) with their own call id, agent, team (20 teams,
  400 agents) and start time (90 days); each has ``--utterances`` utterance rows of its own text
  (``bench/corpus.py``: 70 % Mandarin, stock call-centre sentences and a Zipf tail), so search
  meets a realistic index. One template in five is an outbound call (marketing or return visit,
  with an outcome); copies get one of :data:`CUSTOMERS` customers and their local day and shift;
  :data:`LISTENS` listens are written to the audit log (monitored calls). The GIN index is built
  after the load, then ``VACUUM (ANALYZE)``.

Then ``qa-service serve --workers N`` runs on a free port (``--server-workers``, default one API
process per CPU; no embedded worker, no access log), and ``--clients`` client processes
(``bench/load.py``), each with its own HTTP connection and a mix of users (admin, a team
supervisor without PII access — so audio comes bleeped —, an agent), send ``--rounds`` rounds of
the request mix below. Audio is warmed first (each call's bleeped rendering is cached on first
listen; that cold time is printed apart). It prints p50/p95/p99/max per request kind and per case
(beside each case its time alone on the machine, warm: what the request costs before the clients
queue behind one another), and the targets: queue and detail p95 < 50 ms, search p95 < 200 ms,
statistics (centre, grades) and compliance p95 < 300 ms. Statistics are counted once per API
process and data version (the first request of each, printed as "cold", alone on the machine) and
then served from the statistics cache (``QA_STATS_CACHE_SIZE``) until something they read changes.
Any non-2xx answer fails the run.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import Table, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.corpus import AGENTS, DAYS, EN_VOCAB, T0, TEAMS, ZH_VOCAB, copy_rows, esc, sentence
from bench.load import Load, Send, percentile, run_clients, summary
from qa_service.analysis import Assessment
from qa_service.classifiers.heads import CAMPAIGN_OUTCOMES
from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallMetrics,
    CallTranscript,
    Campaign,
    Classification,
    ContactReason,
    Direction,
    Evidence,
    Finding,
    Interval,
    LabelScore,
    Outcome,
    Role,
    RoleAssignment,
    RubricResult,
    Utterance,
    Word,
)
from qa_service.flags import FlagRules, flags_for
from qa_service.search.terms import search_doc
from qa_service.services.context import ServiceContext
from qa_service.services.users import NewUser, add_user
from qa_service.settings import Settings
from qa_service.store import calls, results
from qa_service.store.calls import local_day_and_shift
from qa_service.store.db import dispose_engines, get_engine
from qa_service.store.migrate import upgrade
from qa_service.store.models import Base
from qa_service.store.states import CallState, UserRole

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = 40
AUDIO_CALLS = 10
AUDIO_SECONDS = 300
AUDIO_RATE = 8000
PASSWORD = "bench-password-123"
SUP_TEAM = TEAMS[3]
AGENT = AGENTS[43]  # in team 43 % 20 == 3
#: Tables copied row for row from a template call (all keyed by ``call_pk``).
#: Templates that are outbound calls (so one copy in five is), by programme.
OUTBOUND_TEMPLATES = {n: (Campaign.MARKETING, Campaign.RETURN_VISIT)[n % 2] for n in range(12, TEMPLATES + 1, 5)}
CUSTOMERS = 30_000
LISTENS = 5_000
COPIED = ("transcripts", "call_metrics", "scorecards", "findings", "classifications", "call_labels", "call_flags")
ITEMS = ("greeting", "verification", "needs_check", "closing", "forbidden_phrases", "disclosure")


# --------------------------------------------------------------------------- templates
def _template_transcript(rng: random.Random, per_call: int, zh: bool) -> CallTranscript:
    utterances = []
    for i in range(per_call):
        said = sentence(rng, zh)
        start = 4.0 * i + (20.0 if i == per_call // 2 and rng.random() < 0.3 else 0.0)
        tokens = list(said) if zh else said.split()
        step = 3.0 / max(len(tokens), 1)
        words = tuple(Word(t, start + k * step, start + (k + 1) * step, 0.9) for k, t in enumerate(tokens))
        role = Role.AGENT if i % 2 == 0 else Role.CUSTOMER
        utterances.append(Utterance(role.value, start, start + 3.0, said, words, role, i % 2))
    return CallTranscript(language="zh" if zh else "en", utterances=tuple(utterances),
                          duration=utterances[-1].end + 1.0,
                          roles=RoleAssignment((("agent", Role.AGENT), ("customer", Role.CUSTOMER)), 0.95, "channel"),
                          diarization_method="channels")


def _template_assessment(rng: random.Random, t: CallTranscript, campaign: Campaign | None) -> Assessment:
    findings = []
    for position, item in enumerate(ITEMS):
        outcome = rng.choices([Outcome.PASS, Outcome.FAIL, Outcome.NEEDS_REVIEW], weights=[7, 2, 1])[0]
        weight = 20.0 if item == "verification" else 10.0
        u = t.utterances[min(position * 3, len(t.utterances) - 1)]
        kind = "forbidden_phrase" if item == "forbidden_phrases" else "required_phrase"
        findings.append(Finding(item, kind, outcome, weight,
                                {Outcome.PASS: weight, Outcome.NEEDS_REVIEW: weight / 2}.get(outcome, 0.0),
                                critical=item == "verification",
                                evidence=(Evidence(position * 3, u.text, u.text[:4], u.start, u.end, 0.7),),
                                message="" if outcome is Outcome.PASS else f"{item}: expected phrase not found"))
    total = sum(f.weight for f in findings)
    score = round(100 * sum(f.score for f in findings) / total, 1)
    critical = any(f.critical and f.outcome is Outcome.FAIL for f in findings)
    rubric = RubricResult("inbound_service_zh" if t.language == "zh" else "inbound_service_en", "1.0.0", "b" * 64,
                          tuple(findings), score, passed=score >= 80 and not critical, auto_failed=critical)
    reason = rng.choices(list(ContactReason), weights=[6, 2, 1, 1])[0]
    business = rng.choice(list(BusinessType))
    escalation = rng.random() < 0.15
    result = rng.choice(CAMPAIGN_OUTCOMES[campaign]) if campaign is not None else None
    classification = Classification((reason,), (LabelScore(reason.value, 0.8),), business,
                                    (LabelScore(business.value, 0.7),), escalation_risk=escalation,
                                    escalation_score=0.8 if escalation else 0.1, outcome=result,
                                    outcome_score=0.8 if result else None)
    gaps = tuple(Interval(a.end, b.start) for a, b in zip(t.utterances, t.utterances[1:], strict=False)
                 if b.start - a.end > 0.5)
    metrics = CallMetrics(t.duration, t.duration * 0.4, t.duration * 0.35, 1.14, gaps, sum(g.duration for g in gaps),
                          (), 0.0, rng.randint(0, 3), 210.0, 190.0, "chars/min" if t.language == "zh" else "words/min",
                          0.8)
    return Assessment(t, metrics, rubric, classification)


def _write_wav(path: Path, seed: int) -> Path:
    """Five minutes of 8 kHz stereo: tones and noise, a different pitch per channel."""
    n = AUDIO_SECONDS * AUDIO_RATE
    t = np.arange(n) / AUDIO_RATE
    rng = np.random.default_rng(seed)
    chans = [0.2 * np.sin(2 * np.pi * f * t) * (np.sin(2 * np.pi * 0.1 * t) > 0) + 0.01 * rng.standard_normal(n)
             for f in (300 + seed, 520 + seed)]
    pcm = (np.clip(np.stack(chans, axis=1), -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(AUDIO_RATE)
        w.writeframes(pcm.tobytes())
    return path


@dataclass(frozen=True)
class Placement:
    """Who a call belongs to and when it started."""

    agent: str
    team: str
    started_at: datetime


def _placement(rng: random.Random, n: int) -> Placement:
    if n <= AUDIO_CALLS:
        return Placement(AGENT, SUP_TEAM, T0 + timedelta(days=DAYS - 1, minutes=n))
    agent = rng.randrange(len(AGENTS))
    return Placement(AGENTS[agent], TEAMS[agent % len(TEAMS)], T0 + timedelta(seconds=rng.randint(0, DAYS * 86400)))


def _store_templates(ctx: ServiceContext, rng: random.Random, per_call: int, work: Path) -> None:
    with ctx.session() as session:
        for name, role, teams, agent_id, pii in (("bench_admin", UserRole.ADMIN, (), None, True),
                                                 ("bench_sup", UserRole.SUPERVISOR, (SUP_TEAM,), None, False),
                                                 ("bench_agent", UserRole.AGENT, (), AGENT, False)):
            add_user(session, NewUser(name, role, PASSWORD, teams=teams, agent_id=agent_id, pii_access=pii))
    rules = FlagRules.from_settings(ctx.settings)
    for n in range(1, TEMPLATES + 1):
        where = _placement(rng, n)
        if n <= AUDIO_CALLS:
            audio = _write_wav(work / f"t{n}.wav", n)
        else:  # a short file: only the first calls are listened to
            audio = work / f"t{n}.wav"
            with wave.open(str(audio), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(AUDIO_RATE)
                w.writeframes(np.full(800, n, "<i2").tobytes())
        stored = ctx.audio_store.put_file(audio)
        t = _template_transcript(rng, per_call, zh=rng.random() < 0.7)
        campaign = OUTBOUND_TEMPLATES.get(n)
        a = _template_assessment(rng, t, campaign)
        meta = CallMetadata(f"call-{n:07d}", Direction.OUTBOUND if campaign else Direction.INBOUND, t.language,
                            where.agent, where.team, campaign=campaign, started_at=where.started_at,
                            agent_channel=0)
        with ctx.session() as session:
            calls.add_audio(session, stored, "wav")
            call = calls.add_call(session, meta, stored.sha256, source_name=f"t{n}.wav", batch_id=None,
                                  salt=ctx.settings.customer_ref_salt, tz=ctx.settings.timezone,
                                  shifts=ctx.settings.shifts)
            session.flush()
            results.save_transcript(session, call.id, t, pipeline_version="bench", redacted=True)
            calls.set_duration(session, call.id, AUDIO_SECONDS if n <= AUDIO_CALLS else t.duration)
            results.save_assessment(session, call.id, a)
            results.save_flags(session, call.id, flags_for(meta.call_id, a, rules))
            call.state, call.stage, call.progress = CallState.DONE.value, "assess", 100.0
            call.result_pipeline_version = "bench"


# --------------------------------------------------------------------------- copies
def _columns(name: str) -> list[str]:
    table: Table = Base.metadata.tables[name]
    return [c.name for c in table.columns if not (c.primary_key and c.autoincrement is True and c.name == "id")]


def _copy_calls(settings: Settings, rng: random.Random, n_calls: int, per_call: int) -> None:
    raw = get_engine(settings).raw_connection()
    try:
        conn: Any = raw.driver_connection
        with conn.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS ix_utterances_search_doc_tsv")
            cur.execute("CREATE TEMP TABLE bench_calls (id bigint, call_id text, sha text, agent text, team text, "
                        "started_at timestamptz, local_date date, template bigint, customer text, shift text)")
            cur.execute("SELECT min(id) FROM calls")
            first = cur.fetchone()[0]

        def call_rows() -> Iterator[str]:
            for n in range(TEMPLATES + 1, n_calls + 1):
                where = _placement(rng, n)
                day, shift = local_day_and_shift(where.started_at, settings.timezone, settings.shifts)
                yield (f"{first + n - 1}\tcall-{n:07d}\t{n:064x}\t{where.agent}\t{where.team}\t"
                       f"{where.started_at.isoformat()}\t{day}\t{first + (n % TEMPLATES)}\t"
                       f"{rng.randrange(CUSTOMERS):064x}\t{shift or ''}\n")

        copy_rows(conn, "COPY bench_calls FROM STDIN", call_rows())
        cols = _columns("calls")
        own = {"id": "b.id", "call_id": "b.call_id", "audio_sha256": "b.sha", "agent_id": "b.agent",
               "team": "b.team", "started_at": "b.started_at", "local_date": "b.local_date",
               "source_name": "b.call_id || '.wav'", "customer_ref_hash": "b.customer",
               "shift": "NULLIF(b.shift, '')"}
        with conn.cursor() as cur:
            cur.execute("INSERT INTO audio_blobs (sha256, size_bytes, extension, created_at) "
                        "SELECT sha, 1, '.wav', now() FROM bench_calls")
            cur.execute(f"INSERT INTO calls ({', '.join(cols)}) SELECT "
                        f"{', '.join(own.get(c, 't.' + c) for c in cols)} "
                        "FROM bench_calls b JOIN calls t ON t.id = b.template")
            for name in COPIED:
                cols = _columns(name)
                picked = ", ".join("b.id" if c == "call_pk" else "t." + c for c in cols)
                cur.execute(f"INSERT INTO {name} ({', '.join(cols)}) SELECT {picked} "
                            f"FROM bench_calls b JOIN {name} t ON t.call_pk = b.template")
            cur.execute("SELECT id, language FROM bench_calls b JOIN transcripts t ON t.call_pk = b.id ORDER BY id")
            langs = cur.fetchall()

        def utterance_rows() -> Iterator[str]:
            for pk, language in langs:
                zh = language == "zh"
                for i in range(per_call):
                    said = esc(sentence(rng, zh))
                    role = "agent" if i % 2 == 0 else "customer"
                    yield (f"{pk}\t{i}\t{role}\t{role}\t{i % 2}\t{4.0 * i}\t{4.0 * i + 3}\t{said}\t"
                           f"{search_doc(said)}\n")

        copy_rows(conn, "COPY utterances (call_pk, idx, role, speaker, channel, start_s, end_s, text, search_doc) "
                        "FROM STDIN", utterance_rows())
        with conn.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('calls', 'id'), (SELECT max(id) FROM calls))")
            # listens (monitored calls) spread over the 90 days, by the team supervisor and the admin
            cur.execute("INSERT INTO audit_log (at, user_id, action, call_pk, detail, client) "
                        "SELECT %s::timestamptz + random() * interval '90 days', u.id, 'listen', c.id, '{}'::jsonb, "
                        "'bench' FROM (SELECT id FROM calls ORDER BY random() LIMIT %s) c "
                        "CROSS JOIN (SELECT id FROM users WHERE username = 'bench_admin') u",
                        (T0.isoformat(), LISTENS))
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute("CREATE INDEX ix_utterances_search_doc_tsv ON utterances "
                        "USING gin (to_tsvector('simple'::regconfig, search_doc))")
        conn.commit()
        # what autovacuum does to a loaded table sooner or later: the visibility map lets the index-only
        # scans of the queue (flags, findings) skip the table, and ANALYZE gives the planner its figures
        conn.autocommit = True
        conn.execute("VACUUM (ANALYZE)")
    finally:
        raw.close()


def seed(settings: Settings, n_calls: int, per_call: int) -> None:
    rng = random.Random(11)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        _store_templates(ServiceContext(settings), rng, per_call, Path(work))
    print(f"{TEMPLATES} template calls through the store in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    _copy_calls(settings, rng, n_calls, per_call)
    print(f"{n_calls - TEMPLATES} copies, {per_call} utterances each, GIN index and VACUUM ANALYZE in "
          f"{time.perf_counter() - started:.0f} s")


# --------------------------------------------------------------------------- requests
@dataclass(frozen=True)
class Case:
    kind: str  # queue, detail, search, audio, stats, compliance
    name: str
    user: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]


def cases(rng: random.Random, n_calls: int) -> list[Case]:
    out: list[Case] = []

    def add(kind: str, name: str, user: str, path: str, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> None:
        out.append(Case(kind, name, user, path, params or {}, headers or {}))

    last_week = (T0 + timedelta(days=DAYS - 7)).date().isoformat()
    add("queue", "flagged, newest (admin)", "bench_admin", "/calls")
    add("queue", "flagged, newest (supervisor)", "bench_sup", "/calls")
    add("queue", "critical failed, by score", "bench_admin", "/calls", {"flag_reason": "critical_failed",
                                                                         "sort": "score", "order": "asc"})
    add("queue", "score 0-60, last week", "bench_admin", "/calls", {"score_max": 60, "date_from": last_week})
    add("queue", "complaints, unreviewed (supervisor)", "bench_sup", "/calls",
        {"contact_reason": "complaint", "review_state": "unreviewed"})
    add("queue", "failed closing, page 20", "bench_admin", "/calls", {"failed_item": "closing", "offset": 1000})
    add("queue", "one agent, all calls", "bench_admin", "/calls", {"agent_id": AGENTS[77], "flagged": "false"})
    add("queue", "own calls (agent)", "bench_agent", "/calls", {"flagged": "false"})
    add("queue", "by duration, team", "bench_admin", "/calls", {"team": TEAMS[9], "sort": "duration"})
    for k in range(6):
        n = rng.randint(1, n_calls)
        add("detail", f"any call #{k} (admin)", "bench_admin", f"/calls/call-{n:07d}")
    for k in range(3):
        add("detail", f"team call #{k} (supervisor)", "bench_sup", f"/calls/call-{rng.randint(1, AUDIO_CALLS):07d}")
    rare_zh = ZH_VOCAB[3000] if len(ZH_VOCAB[3000]) >= 2 else ZH_VOCAB[3001]
    for name, user, params in (
            ("zh very common (admin)", "bench_admin", {"q": "有什么可以帮您"}),
            ("zh common, customer (supervisor)", "bench_sup", {"q": "信用卡账单", "role": "customer"}),
            ("zh common (agent)", "bench_agent", {"q": "提高信用额度"}),
            ("zh tail phrase (admin)", "bench_admin", {"q": ZH_VOCAB[40] + ZH_VOCAB[41]}),
            ("zh rare word (supervisor)", "bench_sup", {"q": rare_zh}),
            ("zh absent (admin)", "bench_admin", {"q": "您好再见"}),
            ("zh one character (supervisor)", "bench_sup", {"q": "卡"}),
            ("en very common (admin)", "bench_admin", {"q": "thank you"}),
            ("en rare word (admin)", "bench_admin", {"q": EN_VOCAB[2500]}),
            ("en absent (supervisor)", "bench_sup", {"q": "balance thank"}),
            ("zh common, page 5 (admin)", "bench_admin", {"q": "请稍等", "offset": 80})):
        add("search", name, user, "/search", params)
    month = {"start": (T0 + timedelta(days=DAYS - 30)).date().isoformat(),
             "end": (T0 + timedelta(days=DAYS - 1)).date().isoformat()}
    week = {"start": last_week, "end": month["end"]}
    quarter = {"start": T0.date().isoformat(), "end": month["end"]}
    for name, user, path, params in (
            ("centre by day, 30 days (admin)", "bench_admin", "/stats/centre", {**month, "group_by": "day"}),
            ("centre by team, 30 days (admin)", "bench_admin", "/stats/centre", {**month, "group_by": "team"}),
            ("centre by agent, team, 30 days (supervisor)", "bench_sup", "/stats/centre",
             {**month, "group_by": "agent"}),
            ("centre by month, 90 days (admin)", "bench_admin", "/stats/centre", {**quarter, "group_by": "month"}),
            ("centre CSV by week, 30 days (admin)", "bench_admin", "/stats/centre.csv", {**month, "group_by": "week"}),
            ("grades, 30 days (admin)", "bench_admin", "/grades", month)):
        add("stats", name, user, path, params)
    for name, user, path, params in (
            ("adherence by team, 30 days (admin)", "bench_admin", "/compliance/adherence",
             {**month, "group_by": "team"}),
            ("adherence by agent, team, 30 days (supervisor)", "bench_sup", "/compliance/adherence",
             {**month, "group_by": "agent"}),
            ("adherence by week, 90 days (admin)", "bench_admin", "/compliance/adherence",
             {**quarter, "group_by": "week"}),
            ("forbidden phrases, last week (admin)", "bench_admin", "/compliance/forbidden-phrases", week),
            ("forbidden phrases CSV, team, 30 days (supervisor)", "bench_sup", "/compliance/forbidden-phrases.csv",
             month)):
        add("compliance", name, user, path, params)
    size = AUDIO_SECONDS * AUDIO_RATE * 4 + 44
    for k in range(AUDIO_CALLS):
        start = rng.randrange(0, size - 65536)
        user = "bench_sup" if k % 2 == 0 else "bench_admin"
        add("audio", f"64 KiB range, {'bleeped' if user == 'bench_sup' else 'raw'} #{k}", user,
            f"/calls/call-{k + 1:07d}/audio", headers={"Range": f"bytes={start}-{start + 65535}"})
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, data_dir: Path, port: int, log: Path, workers: int) -> subprocess.Popen[bytes]:
    """``qa-service serve --workers N`` in a child process (no access log), its output in ``log``."""
    env = {**os.environ, "QA_DATABASE_URL": url, "QA_DATA_DIR": str(data_dir), "QA_API_PORT": str(port),
           "QA_API_HOST": "127.0.0.1", "HF_HUB_OFFLINE": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "qa-service"), "serve", "--no-worker", "--no-access-log",
                                 "--workers", str(workers)], env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"qa-service serve exited:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("qa-service serve did not answer /health in 60 s")


def _tokens(base: str) -> dict[str, str]:
    out = {}
    for user in ("bench_admin", "bench_sup", "bench_agent"):
        r = httpx.post(f"{base}/auth/token", data={"username": user, "password": PASSWORD}, timeout=30)
        r.raise_for_status()
        out[user] = r.json()["access_token"]
    return out


def _send(client: httpx.Client, case: Case, tokens: dict[str, str]) -> float:
    started = time.perf_counter()
    headers = {**case.headers, "Authorization": f"Bearer {tokens[case.user]}"}
    r = client.get(case.path, params=case.params, headers=headers)
    took = (time.perf_counter() - started) * 1000
    if r.status_code not in (200, 206):
        raise RuntimeError(f"{case.name}: {case.path} {case.params} -> {r.status_code} {r.text[:300]}")
    return took


def _case_name(case: Case) -> str:
    return case.name


def _connect(base: str, tokens: dict[str, str]) -> Send[Case]:
    """One client's own HTTP connection (made in the client's process)."""
    http = httpx.Client(base_url=base, timeout=60)

    def send(case: Case) -> None:
        _send(http, case, tokens)

    return send


def run(base: str, mix: list[Case], clients: int,
        rounds: int) -> tuple[dict[str, list[float]], dict[str, float]]:
    tokens = _tokens(base)
    with httpx.Client(base_url=base, timeout=60) as warm:
        for case in mix:
            if case.kind == "audio":
                took = _send(warm, case, tokens)
                print(f"cold {case.name}: {took:.0f} ms (renders and caches the call's audio)")
        for case in mix:
            took = _send(warm, case, tokens)
            if case.kind in ("stats", "compliance"):
                print(f"cold {case.kind}: {case.name}: {took:.0f} ms (counted; repeated while the data are "
                      "unchanged, it comes from the statistics cache)")
        # each request alone on the machine (median of 3, warm): its own cost, apart from the queueing
        # that the concurrent clients add on top of it
        alone = {case.name: sorted(_send(warm, case, tokens) for _ in range(3))[1] for case in mix}
    load = Load(mix=mix, name=_case_name, connect=functools.partial(_connect, base, tokens), rounds=rounds)
    times, wall = run_clients(load, clients, processes=True)
    total = sum(len(v) for v in times.values())
    print(f"\n{clients} client processes × {rounds} rounds × {len(mix)} requests = {total} in {wall:.1f} s "
          f"({total / wall:.0f} requests/s); one round alone: {sum(alone.values()):.0f} ms")
    return times, alone


def report(mix: list[Case], times: dict[str, list[float]], alone: dict[str, float]) -> bool:
    print(f"\n{'request':48s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'max ms':>8s} {'alone ms':>9s}")
    for case in mix:
        print(f"{case.kind + ': ' + case.name:48s} {summary(times[case.name])} {alone[case.name]:9.1f}")
    ok = True
    print(f"\n{'kind':10s} {'n':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}  target")
    targets: dict[str, float | None] = {"queue": 50.0, "detail": 50.0, "search": 200.0, "audio": None,
                                        "stats": 300.0, "compliance": 300.0}
    for kind, target in targets.items():
        v = [x for c in mix if c.kind == kind for x in times[c.name]]
        p95 = percentile(v, 0.95)
        verdict = "" if target is None else f"p95 < {target:g} ms: {'met' if p95 < target else 'MISSED'}"
        ok = ok and (target is None or p95 < target)
        print(f"{kind:10s} {len(v):6d} {summary(v)}  {verdict}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--utterances", type=int, default=70)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--server-workers", type=int, default=os.cpu_count() or 1,
                        help="API processes of qa-service serve (default: one per CPU)")
    parser.add_argument("--url", help="a PostgreSQL database to load (or reuse when it holds calls)")
    parser.add_argument("--data-dir", type=Path, help="the audio store (default: a temporary folder, or "
                                                       "var/bench_api with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (its URL is printed)")
    args = parser.parse_args()
    if args.calls <= TEMPLATES:
        parser.error(f"--calls must be more than {TEMPLATES}")

    from qa_service.store.scratch import create_database, drop_database, ensure_local_services

    ensure_local_services()
    url = args.url or create_database("qa_bench_api")
    scratch = tempfile.TemporaryDirectory()
    data_dir = args.data_dir or (ROOT / "var" / "bench_api" if args.keep else Path(scratch.name))
    print(f"database {url}\naudio store {data_dir}")
    settings = Settings(database_url=url, data_dir=data_dir)
    proc: subprocess.Popen[bytes] | None = None
    try:
        upgrade(settings)
        with get_engine(settings).connect() as conn:
            loaded = conn.execute(text("SELECT count(*) FROM calls")).scalar()
        if not loaded:
            seed(settings, args.calls, args.utterances)
        with get_engine(settings).connect() as conn:
            n_calls = conn.execute(text("SELECT count(*) FROM calls")).scalar() or 0
            rows = conn.execute(text("SELECT count(*) FROM utterances")).scalar()
            size = conn.execute(text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar()
        print(f"{n_calls} calls, {rows} utterances, database {size}")
        dispose_engines()
        port = _free_port()
        proc = _serve(url, data_dir, port, Path(scratch.name) / "serve.log", args.server_workers)
        mix = cases(random.Random(5), n_calls)
        times, alone = run(f"http://127.0.0.1:{port}", mix, args.clients, args.rounds)
        ok = report(mix, times, alone)
        print(f"\nserver: qa-service serve --workers {args.server_workers}; clients: {args.clients} processes; "
              f"machine: {os.cpu_count()} CPUs; {platform_line()}")
        if not ok:
            sys.exit(1)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        dispose_engines()
        if not args.url and not args.keep:
            drop_database(url)
        scratch.cleanup()


def platform_line() -> str:
    import platform

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return f"{cpu}, Python {platform.python_version()}"



if __name__ == "__main__":
    main()
