"""Sign-in (OAuth2 password flow), sign-out, who am I."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from api.deps import Client, Context, Require, Tokens, bearer_token
from qa_service.services import auth
from qa_service.services.access import Permission, Principal

router = APIRouter(tags=["sign-in"])


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    teams: list[str]
    agent_id: str | None
    pii_access: bool
    permissions: list[str]

    @classmethod
    def of(cls, p: Principal) -> Me:
        return cls(username=p.username, display_name=p.display_name, role=p.role.value, teams=list(p.teams),
                   agent_id=p.agent_id, pii_access=p.pii_access,
                   permissions=sorted(x.value for x in Permission if p.can(x)))


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: Me


@router.post("/auth/token", response_model=TokenOut, summary="Sign in (OAuth2 password flow)")
def sign_in(form: Annotated[OAuth2PasswordRequestForm, Depends()], ctx: Context, client: Client) -> TokenOut:
    issued = auth.sign_in(ctx, form.username, form.password, client=client)
    return TokenOut(access_token=issued.token, expires_at=issued.expires_at, user=Me.of(issued.principal))


@router.post("/auth/logout", status_code=204, summary="End this sign-in")
def sign_out(principal: Annotated[Principal, Depends(Require(Permission.SELF))],
             token: Annotated[str, Depends(bearer_token)], ctx: Context, client: Client, tokens: Tokens) -> None:
    with ctx.session() as session:
        auth.sign_out(session, principal, token, client=client)
    tokens.forget(token)


@router.get("/me", response_model=Me, summary="Who is signed in, and what they may do")
def me(principal: Annotated[Principal, Depends(Require(Permission.SELF))]) -> Me:
    return Me.of(principal)
