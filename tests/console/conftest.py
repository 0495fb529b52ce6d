"""The console under test: the real app (uvicorn, in a thread) on a seeded SQLite database, driven by
Debian's Chromium through Playwright (``executable_path``: no browser download). Screenshots go to
``var/screenshots`` (``QA_SCREENSHOT_DIR``)."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from live_support import LIVE_KEY, fake_recogniser
from seed import PASSWORD, seed
from seed_centre import seed_centre

from api import create_app
from qa_service.services.context import ServiceContext
from qa_service.services.live import LiveHub
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines
from qa_service.store.migrate import upgrade

CHROMIUM = os.environ.get("QA_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("QA_SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots"))
#: Chromium in a closed network: no background connections, no first-run work, autoplay allowed.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--mute-audio"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def console_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh server per test module (each module's tests change what they find)."""
    import uvicorn

    work = tmp_path_factory.mktemp("console")
    settings = Settings(data_dir=work / "data", calibration_sample_rate=0.0, live_api_keys={LIVE_KEY: "c2VjcmV0"})
    upgrade(settings)
    ctx = ServiceContext(settings)
    seed(ctx, work / "audio_in")
    seed_centre(ctx, work / "centre_audio")
    port = _free_port()
    app = create_app(settings, start_worker=False)
    app.state.live_hub = LiveHub(ctx, recogniser=fake_recogniser)  # the UI is the point here, not the model
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the console server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    dispose_engines()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (make test does), or set QA_CHROMIUM")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, console_url: str) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, locale="en-US",
                                  viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def login(console_url: str) -> Callable[[Page, str], None]:
    def sign_in(pg: Page, username: str) -> None:
        pg.goto(f"{console_url}/")  # redirects to the console
        pg.evaluate("sessionStorage.clear()")  # whoever was signed in in this tab is not any more
        pg.reload()
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", PASSWORD)
        pg.click("form.login button[type=submit]")
        pg.wait_for_selector("header nav a")

    return sign_in


@pytest.fixture
def shot() -> Callable[[Page, str], Path]:
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(pg: Page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return save
