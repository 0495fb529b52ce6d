"""The workers package plugs into the library through entry points: the broker dispatcher and the
``qa-service worker`` command are found by group, and ``qa_service`` never imports ``workers``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa_service.cli.main import build_app
from qa_service.errors import ConfigError
from qa_service.services import dispatch
from qa_service.services.dispatch import LocalDispatcher, dispatcher_for
from qa_service.settings import Settings
from workers.dispatch import CeleryDispatcher

LIBRARY = Path(__file__).resolve().parents[2] / "qa_service"
FORBIDDEN = ("workers", "api", "celery", "fastapi")


def test_broker_url_selects_the_celery_dispatcher_from_its_entry_point() -> None:
    assert isinstance(dispatcher_for(Settings(broker_url=None)), LocalDispatcher)
    chosen = dispatcher_for(Settings(broker_url="redis://127.0.0.1:1/0"))
    assert isinstance(chosen, CeleryDispatcher)


def test_a_missing_dispatcher_plugin_is_a_config_error_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "DISPATCHER_GROUP", "qa_service.no-such-group")
    with pytest.raises(ConfigError, match="no Celery dispatcher is installed") as err:
        dispatcher_for(Settings(broker_url="redis://127.0.0.1:1/0"))
    assert err.value.details["setting"] == "QA_BROKER_URL"


def test_worker_command_joins_the_cli_through_its_entry_point() -> None:
    result = CliRunner().invoke(build_app(), ["worker", "--queues", "disk"])
    assert result.exit_code == 2 and "queues: gpu, cpu" in result.output


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args and isinstance(node.args[0], ast.Constant)):
            roots.add(str(node.args[0].value).split(".")[0])
    return roots


def test_library_never_imports_workers_api_celery_or_fastapi() -> None:
    offenders = {str(p.relative_to(LIBRARY)): sorted(_imported_roots(p) & set(FORBIDDEN))
                 for p in LIBRARY.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
