"""Who is calling: an API key in ``X-API-Key`` or ``Authorization: Bearer``, and its role.

Every endpoint but health and readiness depends on ``authenticated`` (or on ``require(...)``,
which also checks the role). The caller's organisation then scopes every tenant-owned read,
so a handler cannot forget it: it is handed a ``Caller``, never a free ``org_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from silkhub.api.deps import DbSession
from silkhub.api.problems import ProblemError
from silkhub.store import ApiKeyRepository, Caller, Role

__all__ = ["AnyCaller", "authenticated", "require"]

_api_key_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    description="An API key (`shk_…`), e.g. from `silkhub admin create-key`.",
    auto_error=False,
)
_bearer = HTTPBearer(
    scheme_name="Bearer",
    description="The same API key as a bearer token: `Authorization: Bearer shk_…`.",
    auto_error=False,
)

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="silkhub"'}


def authenticated(
    session: DbSession,
    api_key: Annotated[str | None, Security(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Caller:
    """The caller a valid key belongs to; 401 without a key or with a bad or revoked one."""
    key = api_key or (bearer.credentials if bearer is not None else None)
    if not key:
        raise ProblemError(
            401, "an API key is required (X-API-Key or Authorization: Bearer)", headers=_CHALLENGE
        )
    caller = ApiKeyRepository(session).authenticate(key.strip())
    # End the key's read transaction, handing its connection back to the pool: a request
    # that then writes takes a second connection (``Store.write``), and with more writers
    # than the pool holds, each keeping its first connection, all of them waited until the
    # pool's timeout (500). Handlers that read on this session take a connection again.
    session.rollback()
    if caller is None:
        raise ProblemError(
            401, "the API key is not valid (unknown, malformed or revoked)", headers=_CHALLENGE
        )
    return caller


AnyCaller = Annotated[Caller, Depends(authenticated)]


def require(*roles: Role) -> Callable[[Caller], Caller]:
    """A dependency admitting only callers with one of ``roles`` (403 for the others)."""
    allowed = frozenset(roles)
    names = ", ".join(sorted(r.value for r in allowed))

    def check(caller: AnyCaller) -> Caller:
        if caller.role not in allowed:
            raise ProblemError(
                403, f"role {caller.role.value} may not do this (needs one of: {names})"
            )
        return caller

    return check
