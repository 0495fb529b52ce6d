"""The README's main job on the embedded default: sample calls → SQLite → local worker → report."""

from __future__ import annotations

import importlib.util
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from qa_service.errors import ConfigError
from qa_service.ingest import IngestOptions, IngestReport, ingest_paths
from qa_service.ingest.run import FileObserver
from qa_service.services.context import ServiceContext
from qa_service.services.keeper import ProgressObserver
from qa_service.services.local_worker import LocalRunSummary, run_local
from qa_service.services.report_render import render_html
from qa_service.services.reports import ServiceReport, call_table, service_report
from qa_service.store.migrate import ensure_schema

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoResult:
    ingest: IngestReport
    run: LocalRunSummary
    report: ServiceReport
    html_path: Path


def ensure_sample_audio(sample_dir: Path) -> None:
    """Synthesise the sample calls with ``sample_audio/generate.py`` unless they are up to date."""
    script = sample_dir / "generate.py"
    if not script.is_file():
        if any(sample_dir.glob("*.json")):
            return
        raise ConfigError(f"no sample calls in {sample_dir} and no generate.py to make them",
                          setting="sample_dir")
    spec = importlib.util.spec_from_file_location("_qa_sample_generate", script)
    if spec is None or spec.loader is None:
        raise ConfigError(f"cannot load {script}", setting="sample_dir")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses in the script look their module up
    spec.loader.exec_module(module)
    if not module.is_up_to_date(sample_dir):
        log.info("generating the sample calls in %s", sample_dir)
        if module.main(["--out", str(sample_dir)]) != 0:
            raise ConfigError(f"generating the sample calls in {sample_dir} failed", setting="sample_dir")


def write_html(ctx: ServiceContext, report: ServiceReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report, call_table(ctx)), encoding="utf-8")
    return path


def run_demo(ctx: ServiceContext, *, on_file: FileObserver | None = None,
             observer: ProgressObserver | None = None) -> DemoResult:
    settings = ctx.settings
    ensure_sample_audio(settings.sample_dir)
    ensure_schema(settings)
    ingested = ingest_paths(settings, [settings.sample_dir], IngestOptions(variant="stereo"), on_file)
    summary = run_local(ctx, observer=observer)
    report = service_report(ctx)
    html_path = write_html(ctx, report, settings.data_dir / "report.html")
    return DemoResult(ingested, summary, report, html_path)


#: The demo's sign-ins (one per role). Only ``qa-service serve --demo`` creates them, on the demo's own data.
DEMO_PASSWORD = "demo-password-95533"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


def ensure_demo_users(ctx: ServiceContext) -> list[DemoLogin]:
    """One user per role for trying the console on the sample calls (made once; existing users with the
    same names are left as they are). The supervisor and trainer see every team of the stored calls;
    the agent is the agent of the first stored call."""
    from sqlalchemy import select

    from qa_service.services.users import NewUser, add_user
    from qa_service.store.models import Call, User
    from qa_service.store.states import UserRole

    with ctx.session() as session:
        teams = tuple(sorted(t for t in session.scalars(select(Call.team).distinct()) if t))
        agent = session.scalar(select(Call.agent_id).where(Call.agent_id.is_not(None)).order_by(Call.id).limit(1))
        wanted = [("demo-admin", UserRole.ADMIN, (), None, True),
                  ("demo-supervisor", UserRole.SUPERVISOR, teams, None, False),
                  ("demo-trainer", UserRole.TRAINER, teams, None, False),
                  ("demo-auditor", UserRole.AUDITOR, (), None, False),
                  ("demo-agent", UserRole.AGENT, (), agent, False)]
        existing = set(session.scalars(select(User.username)))
        for name, role, scope, agent_id, pii in wanted:
            needs = {UserRole.AGENT: bool(agent_id), UserRole.SUPERVISOR: bool(teams), UserRole.TRAINER: bool(teams)}
            if name not in existing and needs.get(role, True):
                add_user(session, NewUser(name, role, DEMO_PASSWORD, teams=scope, agent_id=agent_id, pii_access=pii,
                                          display_name=name))
                log.info("demo user %s (%s) created", name, role.value)
        made = set(session.scalars(select(User.username)))
        return [DemoLogin(name, role.value) for name, role, *_ in wanted if name in made]
