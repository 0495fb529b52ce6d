"""User administration (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from api.deps import Context, Require, Tokens
from qa_service.services import users
from qa_service.services.access import Permission, Principal
from qa_service.services.users import NewUser, UserView
from qa_service.store.states import UserRole

router = APIRouter(tags=["users"])
Admin = Annotated[Principal, Depends(Require(Permission.USERS_MANAGE))]
Username = Annotated[str, Path(pattern=r"^[A-Za-z0-9._@-]{2,64}$")]


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    role: UserRole
    password: str = Field(min_length=8, max_length=256)
    teams: list[str] = Field(default_factory=list, max_length=100)
    agent_id: str | None = Field(default=None, max_length=64)
    display_name: str = Field(default="", max_length=128)
    pii_access: bool = False


class UserChange(BaseModel):
    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=256)
    teams: list[str] | None = Field(default=None, max_length=100)


def _view(ctx: Context, username: str) -> UserView:
    with ctx.session() as session:
        return users.get_user(session, username)


@router.get("/users", response_model=list[UserView], summary="All users")
def list_users(principal: Admin, ctx: Context) -> list[UserView]:
    with ctx.session() as session:
        return users.list_users(session)


@router.post("/users", response_model=UserView, status_code=201, summary="Add a user")
def add_user(body: UserIn, principal: Admin, ctx: Context) -> UserView:
    with ctx.session() as session:
        users.add_user(session, NewUser(username=body.username, role=body.role, password=body.password,
                                        teams=tuple(body.teams), agent_id=body.agent_id,
                                        display_name=body.display_name, pii_access=body.pii_access), by=principal)
    return _view(ctx, body.username)


@router.patch("/users/{username}", response_model=UserView, summary="Enable/disable, new password, teams")
def change_user(username: Username, body: UserChange, principal: Admin, ctx: Context,
                tokens: Tokens) -> UserView:
    with ctx.session() as session:
        if body.active is not None:
            users.set_active(session, username, body.active, by=principal)
        if body.password is not None:
            users.set_password(session, username, body.password, by=principal)
        if body.teams is not None:
            users.set_teams(session, username, body.teams, by=principal)
    tokens.clear()
    return _view(ctx, username)
