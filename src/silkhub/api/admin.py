"""``/v1/admin``: an organisation's admins manage its own API keys (and nothing else).

Creating organisations is an operator's job (``silkhub admin create-org``), never an API
caller's, so a leaked admin key can at worst affect its own tenant. A new key's plaintext is
in the creation answer only; listings show the prefix, role and dates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from silkhub.api.auth import require
from silkhub.api.deps import DbSession, get_store
from silkhub.api.key_first import KeyBeforeBodyRoute
from silkhub.api.problems import ProblemError, problem_responses
from silkhub.store import ApiKeyRepository, Caller, OrganisationRepository, Role, Store, utcnow

__all__ = ["router"]

AdminCaller = Annotated[Caller, Depends(require(Role.ADMIN))]
#: Writes run in their own short write transaction (see silkhub.store.Store.write).
WriteStore = Annotated[Store, Depends(get_store)]

router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    responses=problem_responses(401, 403, 422),
    route_class=KeyBeforeBodyRoute,
)


class OrganisationOut(BaseModel):
    """The caller's organisation."""

    id: int
    name: str
    created_at: datetime


class KeyOut(BaseModel):
    """An API key as listed: never its secret."""

    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class NewKeyOut(KeyOut):
    """A key just created: ``key`` is shown this once and cannot be read again."""

    key: str


class KeyIn(BaseModel):
    """The key to create."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str = Field(default="", max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")


class KeyList(BaseModel):
    """The organisation's keys, oldest first (revoked ones too)."""

    items: list[KeyOut]


@router.get("/organisation", response_model=OrganisationOut, summary="Your organisation")
def get_organisation(caller: AdminCaller, session: DbSession) -> OrganisationOut:
    """The organisation the calling key belongs to."""
    org = OrganisationRepository(session).get(caller.org_id)
    if org is None:  # pragma: no cover - the key's organisation was deleted mid-request
        raise ProblemError(404, "organisation not found")
    return OrganisationOut(id=org.id, name=org.name, created_at=org.created_at)


@router.get("/keys", response_model=KeyList, summary="Your organisation's API keys")
def list_keys(caller: AdminCaller, session: DbSession) -> KeyList:
    """Every key of the caller's organisation, without secrets."""
    rows = ApiKeyRepository(session).of_org(caller.org_id)
    return KeyList(
        items=[
            KeyOut(
                id=r.id,
                name=r.name,
                role=Role(r.role),
                prefix=r.prefix,
                created_at=r.created_at,
                revoked_at=r.revoked_at,
            )
            for r in rows
        ]
    )


@router.post(
    "/keys",
    status_code=status.HTTP_201_CREATED,
    response_model=NewKeyOut,
    summary="Create an API key in your organisation",
)
def create_key(body: KeyIn, caller: AdminCaller, store: WriteStore) -> NewKeyOut:
    """A new key with ``role``; the answer holds its plaintext, shown only this once."""
    with store.write() as session:
        org = OrganisationRepository(session).get(caller.org_id)
        if org is None:  # pragma: no cover - the key's organisation was deleted mid-request
            raise ProblemError(404, "organisation not found")
        new = ApiKeyRepository(session).create(org, body.role, utcnow(), name=body.name)
    return NewKeyOut(
        id=new.key_id,
        name=new.name,
        role=new.role,
        prefix=new.prefix,
        created_at=new.created_at,
        revoked_at=None,
        key=new.plaintext,
    )


@router.delete(
    "/keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
    summary="Revoke an API key of your organisation",
)
def revoke_key(
    caller: AdminCaller,
    store: WriteStore,
    key_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    """Revoke a key; another organisation's key answers 404 like an unknown one."""
    with store.write() as session:
        row = ApiKeyRepository(session).revoke(caller.org_id, key_id, utcnow())
    if row is None:
        raise ProblemError(404, f"no key {key_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
