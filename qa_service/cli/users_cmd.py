"""``qa-service users``: add, disable, enable, change passwords and teams, list."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from qa_service.services.context import ServiceContext

users_app = typer.Typer(help="People who sign in to the supervisor API.", no_args_is_help=True)


def _password(password_env: str | None) -> str:
    if password_env:
        value = os.environ.get(password_env)
        if not value:
            raise typer.BadParameter(f"environment variable {password_env} is empty or unset")
        return value
    value = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return str(value)


def _ctx() -> ServiceContext:
    from qa_service.services.context import ServiceContext
    from qa_service.settings import get_settings
    from qa_service.store.migrate import ensure_schema

    ctx = ServiceContext(get_settings())
    ensure_schema(ctx.settings)
    return ctx


@users_app.command("add")
def add(username: str,
        role: str = typer.Option(..., help="admin, supervisor, trainer, auditor or agent."),
        team: list[str] = typer.Option([], help="A team the user sees (repeat for several)."),
        agent_id: str | None = typer.Option(None, help="Agents: the agent id their calls carry."),
        name: str = typer.Option("", help="Display name."),
        pii: bool = typer.Option(False, "--pii/--no-pii", help="May hear audio without PII bleeped."),
        password_env: str | None = typer.Option(None, help="Read the password from this environment variable "
                                                "(default: prompt).")) -> None:
    """Add a user."""
    from qa_service.errors import InvalidRequest
    from qa_service.services.users import NewUser, add_user
    from qa_service.store.states import UserRole

    try:
        role_value = UserRole(role)
    except ValueError:
        raise InvalidRequest(f"unknown role {role!r}: {', '.join(r.value for r in UserRole)}") from None
    ctx = _ctx()
    with ctx.session() as session:
        p = add_user(session, NewUser(username=username, role=role_value, password=_password(password_env),
                                      teams=tuple(team), agent_id=agent_id, display_name=name, pii_access=pii))
    typer.echo(f"added {p.username} ({p.role.value}{', teams ' + ', '.join(p.teams) if p.teams else ''})")


@users_app.command("disable")
def disable(username: str) -> None:
    """Disable a user (their sign-ins end now)."""
    from qa_service.services.users import set_active

    with _ctx().session() as session:
        set_active(session, username, False)
    typer.echo(f"disabled {username}")


@users_app.command("enable")
def enable(username: str) -> None:
    """Enable a disabled user."""
    from qa_service.services.users import set_active

    with _ctx().session() as session:
        set_active(session, username, True)
    typer.echo(f"enabled {username}")


@users_app.command("passwd")
def passwd(username: str, password_env: str | None = typer.Option(None, help="Read it from this variable.")) -> None:
    """Set a new password (the user's sign-ins end now)."""
    from qa_service.services.users import set_password

    with _ctx().session() as session:
        set_password(session, username, _password(password_env))
    typer.echo(f"password of {username} changed")


@users_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """List users."""
    import json
    from dataclasses import asdict

    from qa_service.services.users import list_users

    with _ctx().session() as session:
        views = list_users(session)
    if as_json:
        typer.echo(json.dumps([asdict(v) for v in views], ensure_ascii=False, indent=1))
        return
    for v in views:
        state = "" if v.active else "  (disabled)"
        scope = ", ".join(v.teams) or (f"agent {v.agent_id}" if v.agent_id else "all")
        typer.echo(f"{v.username:20} {v.role:10} {scope}{'  pii' if v.pii_access else ''}{state}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
