"""``/v1/customs``: submit messages, follow inventory lists, decide them (officers), audit.

A thin adapter over ``silkhub.customs.Clearance`` on the tenant's ``CustomsRepository``:
every object read or written belongs to the caller's organisation. A batch of messages is
answered per message (errors as data): the good ones are filed, each bad one comes back with
its index and problems, and the request itself succeeds. Only ``customs_officer`` keys may
decide a list.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from silkhub.api.auth import require
from silkhub.api.batch_body import BatchBodyError, message_id_of, split_batch
from silkhub.api.deps import DbSession, get_store
from silkhub.api.key_first import KeyBeforeBodyRoute
from silkhub.api.pagination import PagingParams, next_link
from silkhub.api.problems import ProblemError, problem_responses
from silkhub.api.schemas import IDENTIFIER_PATTERN
from silkhub.customs import (
    Clearance,
    ClearanceState,
    InventoryRecord,
    Message,
    Problem,
    SubmitResult,
    TransitionError,
    UnknownInventoryError,
    parse_message,
)
from silkhub.store import Caller, CustomsRepository, Role, Store

__all__ = ["MAX_BATCH", "router"]

#: Messages per POST; larger batches are a 422 (send several, or use ``silkhub customs ingest``).
MAX_BATCH = 1000

#: Who files messages: brokers and forwarders, shippers filing their own, admins.
SUBMIT_ROLES = (Role.FORWARDER, Role.SHIPPER, Role.ADMIN)
#: Who follows lists: the filers and the customs officers.
READ_ROLES = (*SUBMIT_ROLES, Role.CUSTOMS_OFFICER)

Submitter = Annotated[Caller, Depends(require(*SUBMIT_ROLES))]
Reader = Annotated[Caller, Depends(require(*READ_ROLES))]
Officer = Annotated[Caller, Depends(require(Role.CUSTOMS_OFFICER))]
InventoryId = Annotated[str, Path(pattern=IDENTIFIER_PATTERN)]

router = APIRouter(
    prefix="/v1/customs",
    tags=["customs"],
    responses=problem_responses(401, 403, 422),
    route_class=KeyBeforeBodyRoute,
)


class ProblemItem(BaseModel):
    """A problem with a message: stable code, field path, message (docs/customs.md)."""

    code: str
    field: str
    message: str


class SubmitItemOut(BaseModel):
    """What became of one message of the batch (``index``: its position, from 0)."""

    index: int
    message_id: str | None
    accepted: bool
    problems: list[ProblemItem]
    inventory_id: str | None = None
    state: ClearanceState | None = None
    list_problems: list[ProblemItem] = Field(
        default_factory=list,
        description=(
            "What the list `inventory_id` was found to have when this message let it be "
            "matched (disagreements between its messages, limits): why it was held or rejected."
        ),
    )


class SubmitOut(BaseModel):
    """The answer to a batch: per message, and totals."""

    accepted: int
    rejected: int
    results: list[SubmitItemOut]


class TaxOut(BaseModel):
    """Import tax of a released B2C import list, in CNY (decimal strings)."""

    tariff: str
    consumption_tax: str
    vat: str
    total: str
    currency: str


class InventoryOut(BaseModel):
    """An inventory list under clearance."""

    id: str
    order_no: str
    direction: str
    mode: str
    state: ClearanceState
    problems: list[ProblemItem]
    exporter: str
    declared_at: datetime
    updated_at: datetime
    released_at: datetime | None
    tax: TaxOut | None
    inventory: dict[str, Any] = Field(description="The list as submitted (JSON form).")


class InventoryPage(BaseModel):
    """A page of the organisation's lists, in declaration order."""

    items: list[InventoryOut]
    total: int
    limit: int
    offset: int
    next: str | None


class DecisionIn(BaseModel):
    """An officer's decision and the reason recorded in the audit log."""

    model_config = ConfigDict(extra="forbid")

    # the four an officer may take, not every ClearanceState: the schema and the first 422
    # then say what the handler accepts
    decision: Literal["released", "inspection", "held", "rejected"] = Field(
        description="released, inspection, held or rejected."
    )
    # something to read, and no NUL (PostgreSQL's text cannot hold it)
    reason: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")


class AuditEntryOut(BaseModel):
    """One move of a list."""

    sequence: int
    at: datetime
    actor: str
    from_state: ClearanceState | None
    to_state: ClearanceState
    reason: str
    rules_version: str


def _problems(problems: tuple[Problem, ...] | list[Problem]) -> list[ProblemItem]:
    return [ProblemItem(**p.as_dict()) for p in problems]


def _inventory_out(record: InventoryRecord) -> InventoryOut:
    tax = record.tax
    return InventoryOut(
        id=record.inventory_id,
        order_no=record.order_no,
        direction=record.inventory.direction.value,
        mode=record.inventory.mode.value,
        state=record.state,
        problems=_problems(record.problems),
        exporter=record.exporter,
        declared_at=record.declared_at,
        updated_at=record.updated_at,
        released_at=record.released_at,
        tax=TaxOut(
            tariff=str(tax.tariff.amount),
            consumption_tax=str(tax.consumption_tax.amount),
            vat=str(tax.vat.amount),
            total=str(tax.total.amount),
            currency=tax.total.currency,
        )
        if tax is not None
        else None,
        inventory=msgspec.to_builtins(record.inventory),
    )


async def _raw_body(request: Request) -> bytes:
    """The request's body as sent."""
    return await request.body()


def _batch_texts(body: bytes) -> list[bytes]:
    """The messages' texts of a batch body, or a 422 naming ``body`` if it is no batch."""
    try:
        texts = split_batch(body, most=MAX_BATCH)
    except BatchBodyError as exc:
        raise ProblemError.invalid("body", str(exc)) from None
    if not 1 <= len(texts) <= MAX_BATCH:  # the scan stops counting past MAX_BATCH
        count = "more" if texts else "0"
        raise ProblemError.invalid("body", f"must hold 1 to {MAX_BATCH:,} messages, not {count}")
    return texts


#: The audit trail's actor column holds 100 characters (PostgreSQL refuses more).
_ACTOR_LENGTH = 100


def _actor(caller: Caller) -> str:
    """Who acted, for the audit trail: organisation (cut to fit), role and key id."""
    tail = f"/{caller.role.value}#{caller.key_id}"
    return caller.org_name[: _ACTOR_LENGTH - len(tail)] + tail


#: The batch's schema, declared by hand: the endpoint reads the body itself (``batch_body``).
_BATCH_SCHEMA = {
    "type": "array",
    "items": {"type": "object"},
    "minItems": 1,
    "maxItems": MAX_BATCH,
    "description": "Messages in silkhub's JSON form (docs/customs.md), 1 to 1,000.",
}


@router.post(
    "/messages",
    response_model=SubmitOut,
    summary="Submit a batch of customs messages (order, payment, waybill, inventory)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _BATCH_SCHEMA}},
        }
    },
)
def submit_messages(
    caller: Submitter,
    store: Annotated[Store, Depends(get_store)],
    body: Annotated[bytes, Depends(_raw_body)],
) -> SubmitOut:
    """File each message; bad ones come back with their problems, the others are processed.

    Each message is read from its own text in the body, as a line of a file is: one that
    cannot be parsed is refused alone (``schema.invalid_json``), its numbers are exact.
    """
    texts = _batch_texts(body)
    results: list[SubmitItemOut] = []
    parsed: list[tuple[int, Message]] = []
    for index, text in enumerate(texts):
        message, problems = parse_message(text)
        if message is None:
            results.append(
                SubmitItemOut(
                    index=index,
                    message_id=message_id_of(text),
                    accepted=False,
                    problems=_problems(problems),
                )
            )
        else:
            parsed.append((index, message))
    with store.write() as session:
        clearance = Clearance(CustomsRepository(session, caller.org_id, writing=True))
        outcomes: list[SubmitResult] = clearance.submit(
            [m for _, m in parsed], actor=_actor(caller)
        )
    for (index, _), outcome in zip(parsed, outcomes, strict=True):
        results.append(
            SubmitItemOut(
                index=index,
                message_id=outcome.message_id,
                accepted=outcome.accepted,
                problems=_problems(outcome.problems),
                inventory_id=outcome.inventory_id,
                state=outcome.state,
                list_problems=_problems(outcome.list_problems),
            )
        )
    results.sort(key=lambda r: r.index)
    accepted = sum(r.accepted for r in results)
    return SubmitOut(accepted=accepted, rejected=len(results) - accepted, results=results)


@router.get("/inventories", response_model=InventoryPage, summary="List your inventory lists")
def list_inventories(
    request: Request,
    caller: Reader,
    session: DbSession,
    paging: PagingParams,
    state: Annotated[ClearanceState | None, Query(description="Only lists in this state.")] = None,
) -> InventoryPage:
    """The organisation's lists in declaration order, optionally in one state."""
    page = CustomsRepository(session, caller.org_id).page(state, paging.limit, paging.offset)
    return InventoryPage(
        items=[_inventory_out(r) for r in page.items],
        total=page.total,
        limit=paging.limit,
        offset=paging.offset,
        next=next_link(request, paging, page.total),
    )


@router.get(
    "/inventories/{inventory_id}",
    response_model=InventoryOut,
    responses=problem_responses(404),
    summary="One of your inventory lists",
)
def get_inventory(caller: Reader, session: DbSession, inventory_id: InventoryId) -> InventoryOut:
    """A list by id (its message_id); another organisation's is answered 404."""
    record = CustomsRepository(session, caller.org_id).get_inventory(inventory_id)
    if record is None:
        raise ProblemError(404, f"no inventory list {inventory_id!r}")
    return _inventory_out(record)


@router.post(
    "/inventories/{inventory_id}/decision",
    response_model=InventoryOut,
    responses=problem_responses(404, 409),
    summary="Decide a list (customs officers only)",
)
def decide(
    caller: Officer,
    store: Annotated[Store, Depends(get_store)],
    inventory_id: InventoryId,
    body: DecisionIn,
) -> InventoryOut:
    """Release, inspect, hold or reject a list; recorded in its audit trail."""
    decision = ClearanceState(body.decision)
    with store.write() as session:
        clearance = Clearance(CustomsRepository(session, caller.org_id, writing=True))
        try:
            record = clearance.decide(
                inventory_id, decision, actor=_actor(caller), reason=body.reason
            )
        except UnknownInventoryError:
            raise ProblemError(404, f"no inventory list {inventory_id!r}") from None
        except TransitionError as exc:
            raise ProblemError(409, str(exc)) from None
        return _inventory_out(record)


@router.get(
    "/inventories/{inventory_id}/audit",
    response_model=list[AuditEntryOut],
    responses=problem_responses(404),
    summary="The audit trail of a list",
)
def audit_trail(
    caller: Reader, session: DbSession, inventory_id: InventoryId
) -> list[AuditEntryOut]:
    """Every move of a list, oldest first: who, when, from and to, why, under which rules."""
    repository = CustomsRepository(session, caller.org_id)
    if repository.get_inventory(inventory_id) is None:
        raise ProblemError(404, f"no inventory list {inventory_id!r}")
    return [
        AuditEntryOut(
            sequence=e.sequence,
            at=e.at,
            actor=e.actor,
            from_state=e.from_state,
            to_state=e.to_state,
            reason=e.reason,
            rules_version=e.rules_version,
        )
        for e in repository.audit_trail(inventory_id)
    ]
