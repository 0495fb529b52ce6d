"""The web console: static pages and light JavaScript served by the API (nothing fetched from
elsewhere: every asset ships in this package). It talks to the same routes as any client, so what a
page shows is what the person's role allows."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
PATH = "/console"


def mount(app: FastAPI) -> None:
    app.mount(PATH, StaticFiles(directory=STATIC, html=True), name="console")
