"""Scratch databases and the local PostgreSQL/Redis, for the scale-path tests and the benchmark.

``ensure_local_services()`` starts the machine's PostgreSQL cluster and Redis when they are not
running (the commands of ``scripts/services.sh``); ``scratch_database()`` creates a fresh,
uniquely named PostgreSQL database and drops it afterwards.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _wait(host: str, port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(host, port):
            return True
        time.sleep(0.3)
    return False


def ensure_local_services() -> None:
    """Start PostgreSQL (pg_ctlcluster) and Redis (redis-server) on localhost if they are down."""
    if not port_open("127.0.0.1", 5432) and shutil.which("pg_ctlcluster"):
        etc = Path("/etc/postgresql")
        versions = sorted(p.name for p in etc.iterdir()) if etc.is_dir() else []
        if versions:
            log.info("starting PostgreSQL %s", versions[0])
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "start"],
                           check=False, capture_output=True)
            _wait("127.0.0.1", 5432, 30)
    if not port_open(REDIS_HOST, REDIS_PORT) and shutil.which("redis-server"):
        log.info("starting Redis")
        for d in ("/var/lib/redis", "/var/log/redis"):
            Path(d).mkdir(parents=True, exist_ok=True)
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port",
                        str(REDIS_PORT), "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
                        "--logfile", "/var/log/redis/ci.log"], check=False, capture_output=True)
        _wait(REDIS_HOST, REDIS_PORT, 30)


def create_database(prefix: str = "qa_test", admin_url: str = PG_ADMIN_URL) -> str:
    """A new empty database; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, admin_url: str = PG_ADMIN_URL) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@contextmanager
def scratch_database(prefix: str = "qa_test") -> Iterator[str]:
    ensure_local_services()
    url = create_database(prefix)
    try:
        yield url
    finally:
        drop_database(url)
