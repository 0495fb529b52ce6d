"""FastAPI dependencies: settings (overridable in tests), the service context, the signed-in person
and the permission each route needs (``Require``; the authorisation test reads it off the routes).

Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in the thread
pool, and each hop costs more than the work. Those that touch the database stay ``def``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from qa_service.errors import NotAuthenticated
from qa_service.services import auth
from qa_service.services.access import Permission, Principal
from qa_service.services.context import ServiceContext
from qa_service.services.dispatch import Dispatcher
from qa_service.settings import Settings

oauth2 = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_context(settings: Annotated[Settings, Depends(get_settings)]) -> ServiceContext:
    return ServiceContext(settings)


async def get_dispatcher(request: Request) -> Dispatcher:
    dispatcher: Dispatcher = request.app.state.dispatcher
    return dispatcher


async def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


async def bearer_token(token: Annotated[str | None, Depends(oauth2)]) -> str:
    if not token:
        raise NotAuthenticated("not signed in: send 'Authorization: Bearer <token>' (POST /auth/token)")
    return token


async def token_cache(request: Request) -> auth.TokenCache:
    cache: auth.TokenCache = request.app.state.tokens
    return cache


async def current_principal(ctx: Annotated[ServiceContext, Depends(get_context)],
                            tokens: Annotated[auth.TokenCache, Depends(token_cache)],
                            token: Annotated[str, Depends(bearer_token)]) -> Principal:
    return await principal_of_token(ctx, tokens, token)


async def principal_of_token(ctx: ServiceContext, tokens: auth.TokenCache, token: str) -> Principal:
    """The signed-in person: from this process's token cache, else checked in the database (in the
    thread pool: the database call blocks). WebSocket routes, which cannot use the bearer header,
    call it with their ``?token=``."""
    cached = tokens.get(token)
    if cached is not None:
        return cached

    def check() -> Principal:
        with ctx.session() as session:
            return tokens.check(session, token)

    return await run_in_threadpool(check)


class Require:
    """``Depends(Require(Permission.X))``: the signed-in person, if their role holds ``X``."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        principal.require(self.permission)
        return principal


Context = Annotated[ServiceContext, Depends(get_context)]
Client = Annotated[str, Depends(client_of)]
Tokens = Annotated[auth.TokenCache, Depends(token_cache)]

#: A row id in a path: a positive 64-bit integer (larger ones are refused with 422, not sent to the database).
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
