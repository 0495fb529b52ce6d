"""Local worker processes for the scale-path tests and the throughput benchmark: start
``qa-service worker`` subprocesses with given settings (environment), wait until the broker hears
them, stop or kill them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


@dataclass
class WorkerProcess:
    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the worker and everything it started (its own process group)."""
        if self.alive():
            os.killpg(self.proc.pid, sig)

    def stop(self, timeout: float = 30.0) -> None:
        """Warm shutdown (finish the current task), then SIGKILL if it takes too long."""
        if self.alive():
            self.kill(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
                self.proc.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


def start_worker(name: str, env: Mapping[str, str], log_dir: Path, *, queues: str = "gpu,cpu",
                 concurrency: int = 1, pool: str = "solo",
                 extra_env: Mapping[str, str] | None = None) -> WorkerProcess:
    """A ``qa-service worker`` subprocess in its own process group; output goes to ``log_dir/<name>.log``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log = open(log_path, "ab")  # noqa: SIM115 - closed by WorkerProcess.stop
    full_env = {**os.environ, **env, **(extra_env or {})}
    cmd = [sys.executable, "-m", "qa_service.cli", "worker", f"--queues={queues}",
           f"--concurrency={concurrency}", f"--pool={pool}", f"--name={name}"]
    proc = subprocess.Popen(cmd, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return WorkerProcess(name, proc, log_path, log)


def wait_ready(broker_url: str, workers: Sequence[WorkerProcess], timeout: float = 90.0) -> None:
    """Until every worker answers a broker ping (raises TimeoutError with the logs otherwise)."""
    from celery import Celery

    app = Celery("qa-fleet", broker=broker_url, set_as_current=False)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            dead = [w for w in workers if not w.alive()]
            if dead:
                raise RuntimeError(f"worker {dead[0].name} exited:\n{dead[0].log_text()[-3000:]}")
            replies = app.control.ping(timeout=1.0) or []
            names = {host for reply in replies for host in reply}
            if all(any(h.startswith(f"{w.name}-{w.pid}@") for h in names) for w in workers):
                return
            time.sleep(0.5)
    finally:
        app.close()
    logs = "\n".join(f"--- {w.name}\n{w.log_text()[-2000:]}" for w in workers)
    raise TimeoutError(f"workers not ready after {timeout:.0f} s\n{logs}")
