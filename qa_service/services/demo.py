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
