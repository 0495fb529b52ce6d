"""Scale-path fixtures: a fresh PostgreSQL database for the session, a private redis-server per test
(so a test can stop and restart its broker without touching the shared one), and worker subprocesses."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"
sys.path.insert(0, str(SERVICES_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from svc_support import FAKE_BACKEND, write_rubric  # noqa: E402

from qa_service.settings import Settings  # noqa: E402
from qa_service.store.db import dispose_engines  # noqa: E402
from qa_service.store.scratch import port_open  # noqa: E402
from workers.fleet import WorkerProcess, start_worker, wait_ready  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RedisServer:
    port: int
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise TimeoutError("private redis-server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        """Like a crash without persistence: every queued message is gone."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    from qa_service.store.scratch import scratch_database

    with scratch_database("qa_test_workers") as url:
        from qa_service.store.migrate import upgrade

        upgrade(Settings(database_url=url))
        yield url
        dispose_engines()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed")
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


def _truncate(url: str) -> None:
    from sqlalchemy import text

    from qa_service.store.db import get_engine
    from qa_service.store.models import Base

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(Settings(database_url=url)).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@dataclass
class Scale:
    env: dict[str, str]
    settings: Settings
    log_dir: Path
    broker: RedisServer


@pytest.fixture
def scale(tmp_path: Path, pg_url: str, redis_server: RedisServer) -> Iterator[Scale]:
    """Settings for the scale path (as environment for workers, as Settings for the test itself)."""
    _truncate(pg_url)
    write_rubric(tmp_path / "rubrics", "1")
    env = {
        "QA_DATABASE_URL": pg_url, "QA_BROKER_URL": redis_server.url, "QA_DATA_DIR": str(tmp_path / "data"),
        "QA_RUBRIC_DIR": str(tmp_path / "rubrics"), "QA_ANALYSIS_BACKEND": FAKE_BACKEND,
        "QA_LEASE_TIMEOUT_S": "6", "QA_SWEEP_INTERVAL_S": "1", "QA_QUEUE_GRACE_S": "3",
        "QA_RETRY_BACKOFF_S": "0.5", "QA_RETRY_BACKOFF_MAX_S": "3", "QA_TASK_MAX_RETRIES": "12",
        "QA_CPU_THREADS": "1",
        "PYTHONPATH": os.pathsep.join([str(SERVICES_DIR), os.environ.get("PYTHONPATH", "")]),
    }
    settings = Settings(**{k[3:].lower(): v for k, v in env.items() if k.startswith("QA_")})
    yield Scale(env, settings, tmp_path / "logs", redis_server)
    dispose_engines()


@pytest.fixture
def fleet(scale: Scale) -> Iterator[Callable[..., list[WorkerProcess]]]:
    """``fleet(n, **extra_env)`` starts n workers and waits until they are ready; all stopped at the end."""
    started: list[WorkerProcess] = []

    def launch(n: int = 1, prefix: str = "w", wait: bool = True, **extra: str) -> list[WorkerProcess]:
        new = [start_worker(f"{prefix}{len(started) + i}", scale.env, scale.log_dir, extra_env=extra)
               for i in range(n)]
        started.extend(new)
        if wait:
            wait_ready(scale.env["QA_BROKER_URL"], new)
        return new

    yield launch
    for w in started:
        w.kill()
        w.stop(timeout=5)


class TcpProxy:
    """A TCP relay the test can cut (every connection dropped, new ones refused) and restore."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        import threading

        self.target = (target_host, target_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._threading = threading

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self._threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                self._threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def cut(self) -> None:
        """The database 'goes away': the listener closes and every relayed connection is reset."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        self.start()


@pytest.fixture
def tcp_proxy() -> Iterator[Callable[[int], TcpProxy]]:
    proxies: list[TcpProxy] = []

    def make(port: int) -> TcpProxy:
        proxy = TcpProxy(port)
        proxy.start()
        proxies.append(proxy)
        return proxy

    yield make
    for p in proxies:
        p.cut()
