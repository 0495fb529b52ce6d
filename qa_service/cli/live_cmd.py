"""``qa-service simulate-live``: stream sample calls through the live protocols, several at once."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import typer


def simulate_live(
    url: str = typer.Option("ws://127.0.0.1:8000", help="The API's WebSocket address."),
    calls: int = typer.Option(3, min=1, max=200, help="How many calls at once (the sample calls, in turn)."),
    protocol: str = typer.Option("stream", help="stream (plain PCM16) or audiohook (signed, μ-law)."),
    speed: float = typer.Option(1.0, min=0.1, max=50.0, help="1 = real time."),
    api_key_env: str = typer.Option("QA_SIM_API_KEY", help="Environment variable holding the API key."),
    secret_env: str = typer.Option("QA_SIM_SECRET", help="Environment variable holding the client secret."),
    samples: Path = typer.Option(Path("sample_audio"), help="Folder of sample calls (with their .json answers)."),
) -> None:
    """Play sample calls to a live endpoint as a PBX would, and print what came back."""
    from qa_service.live.simulate import load_call, simulate

    if protocol not in ("stream", "audiohook"):
        raise typer.BadParameter("--protocol is stream or audiohook")
    api_key, secret = os.environ.get(api_key_env, ""), os.environ.get(secret_env, "")
    if not api_key or (protocol == "audiohook" and not secret):
        raise typer.BadParameter(f"set {api_key_env} (and {secret_env} for audiohook) to a key in QA_LIVE_API_KEYS")
    answers = sorted(samples.glob("*.json"))
    if not answers:
        raise typer.BadParameter(f"no sample calls in {samples}")
    chosen = []
    for i in range(calls):
        answer = json.loads(answers[i % len(answers)].read_text(encoding="utf-8"))
        chosen.append(load_call(samples / answer["audio"]["stereo"], call_id=f"sim-{i:03d}-{answer['call_id']}",
                                language=answer["language"], agent_channel=answer["audio"]["agent_channel"],
                                agent_id=answer["metadata"]["agent_id"], team=answer["metadata"]["team"]))
    results = asyncio.run(simulate(url, chosen, protocol=protocol, api_key=api_key, secret=secret, speed=speed))
    for r in results:
        alerts = [e["kind"] for _, e in r.events if e.get("type") == "alert"]
        typer.echo(f"{r.call_id}: {r.frames} frames, stored as {r.stored_call_id}, alerts {alerts or '-'}"
                   + (f", error {r.error}" if r.error else ""))


def register(app: typer.Typer) -> None:
    app.command("simulate-live")(simulate_live)
