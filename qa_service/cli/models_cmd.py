"""``qa-service models``: every model role, where it resolves from, size, checksum, and whether it loads."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qa_service.errors import QAError
from qa_service.settings import get_settings


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _main_file(path: Path, names: list[str]) -> Path | None:
    if path.is_file():
        return path
    for name in names:
        if name and (path / name).is_file():
            return path / name
    return None


def models(
    prepare: bool = typer.Option(False, "--prepare", help="Only build/verify the defaults; no load test."),
    no_load: bool = typer.Option(False, "--no-load", help="Skip the load test."),
    checksum: bool = typer.Option(True, "--checksum/--no-checksum", help="Compute sha256 of the main file."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List every model: where it resolves from, its size and checksum, and whether it loads."""
    from qa_service.weights import list_roles, resolve_model, sha256_file
    from qa_service.weights.checks import check_loads

    settings = get_settings()
    rows = []
    failures = 0
    for spec in list_roles(settings):
        row: dict[str, object] = {"role": spec.role, "kind": spec.kind, "setting": spec.env_var or "-",
                                  "description": spec.description}
        try:
            resolved = resolve_model(spec.role, settings)
            row.update(path=str(resolved.path), origin=resolved.origin, size=_size(resolved.path))
            main = _main_file(resolved.path, [c.name for c in spec.checks])
            if checksum and main is not None and not prepare:
                row["sha256"] = sha256_file(main)
                expected = next((c.sha256 for c in spec.checks if c.sha256), None)
                row["checksum_ok"] = expected is None or expected == row["sha256"]
            if not (prepare or no_load):
                row["loads"] = check_loads(resolved, settings)
            row["status"] = "ok"
        except QAError as exc:
            failures += 1
            row.update(status="error", error=exc.reason)
        rows.append(row)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            mark = "OK " if row["status"] == "ok" else "ERR"
            typer.echo(f"[{mark}] {row['role']:<17} {row['description']}")
            if row["status"] == "ok":
                size_mb = int(row["size"]) / 1e6  # type: ignore[call-overload]
                typer.echo(f"      from   {row['origin']}  ({row['path']})")
                typer.echo(f"      size   {size_mb:,.1f} MB   setting {row['setting']}")
                if "sha256" in row:
                    ok = "verified" if row.get("checksum_ok") else "MISMATCH"
                    typer.echo(f"      sha256 {row['sha256']} ({ok})")
                if "loads" in row:
                    typer.echo(f"      loads  yes: {row['loads']}")
            else:
                typer.echo(f"      {row['error']}")
    if failures:
        raise typer.Exit(code=2)


def register(app: typer.Typer) -> None:
    app.command("models")(models)
