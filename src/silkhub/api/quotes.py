"""``/v1/quotes``: Pareto itineraries for a shipment, kept per tenant.

A quote is the first tenant-owned object: ``POST`` computes the itineraries on the store's
departures (with their remaining capacity), stores the request and the answer under a new
id, and answers both; ``GET`` reads them back, only ever the caller's own organisation's.
The itineraries are rendered exactly as ``silkhub quote --json`` prints them, plus each
leg's ``departure_id`` (what a booking will name).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Request, Response, status
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from silkhub.api.auth import require
from silkhub.api.deps import CurrentNetwork, DbSession, get_store
from silkhub.api.key_first import KeyBeforeBodyRoute
from silkhub.api.pagination import PagingParams, next_link
from silkhub.api.problems import FieldProblem, ProblemError, problem_responses
from silkhub.api.quoting import QuoteEngine
from silkhub.api.schemas import IDENTIFIER_PATTERN, Identifier
from silkhub.model import CargoClass, Mode, Network
from silkhub.network.lookup import unknown_place_message
from silkhub.routing import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_MAX_BOARDINGS,
    MAX_BOARDINGS,
    MAX_HORIZON_DAYS,
    MAX_VOLUME_M3,
    MAX_WEIGHT_KG,
    TIME_BOUNDS,
    Itinerary,
    QuoteRequest,
    cover_problem,
    default_fx_rates,
    itinerary_json,
    within_time_bounds,
)
from silkhub.store import Caller, QuoteRepository, QuoteRow, Role, Store, utcnow

__all__ = ["QUOTE_ROLES", "QuoteIn", "QuoteOut", "router"]

#: Who asks for quotes: those who ship, sell or plan freight (and admins).
QUOTE_ROLES = (Role.SHIPPER, Role.FORWARDER, Role.PLANNER, Role.ADMIN)
QuoteCaller = Annotated[Caller, Depends(require(*QUOTE_ROLES))]

#: What a date-time given as text must start with (YYYY-MM-DD), not a count of seconds.
_ISO_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")

router = APIRouter(
    prefix="/v1",
    tags=["quotes"],
    responses=problem_responses(401, 403, 422),
    route_class=KeyBeforeBodyRoute,
)

#: An ISO 8601 date-time with or without an offset, or a date alone (midnight): wider than
#: JSON Schema's "date-time" format (RFC 3339, offset required), so declared as a pattern.
LocalOrAwareDatetime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}",
            "examples": ["2026-12-03T08:00:00+08:00", "2026-12-03T08:00", "2026-12-03"],
        }
    ),
]


class QuoteIn(BaseModel):
    """A shipment to quote: where from and to, when ready, how heavy and big."""

    model_config = ConfigDict(extra="forbid")

    origin: Identifier = Field(description="Place id where the shipment is ready, e.g. `YIW`.")
    destination: Identifier = Field(description="Place id to deliver to, e.g. `MAD`.")
    ready: LocalOrAwareDatetime = Field(
        description="When the shipment is ready (ISO 8601); without an offset, local time at the origin."
    )
    # strict: a JSON number only (lax pydantic would take true as 1 kg and "500" as 500).
    # The weight is taken to the gram: anything that rounds to no gram is refused, so the
    # schema's lower bound is the half gram, not 0.
    weight_kg: float = Field(
        gt=0,
        le=MAX_WEIGHT_KG,
        allow_inf_nan=False,
        strict=True,
        description="Actual weight, taken to the gram.",
        json_schema_extra={"exclusiveMinimum": 0.0005},
    )
    volume_m3: float = Field(
        default=0.0,
        ge=0,
        strict=True,
        le=MAX_VOLUME_M3,
        allow_inf_nan=False,
        description="Volume; air charges 167 kg per m³ when more than the weight.",
    )
    # strict: a JSON integer only (lax pydantic would take true as 1 and "3" as 3).
    max_boardings: int = Field(default=DEFAULT_MAX_BOARDINGS, ge=1, le=MAX_BOARDINGS, strict=True)
    latest_arrival: LocalOrAwareDatetime | None = Field(
        default=None,
        description="Latest acceptable arrival; without an offset, local time at the destination.",
    )
    modes: list[Mode] | None = Field(
        default=None, min_length=1, max_length=4, description="Allowed modes; default all."
    )
    cargo_class: CargoClass | None = None
    currency: str = Field(
        default="CNY", pattern=r"^[A-Z]{3}$", description="ISO 4217 quote currency."
    )
    horizon_days: int = Field(
        default=DEFAULT_HORIZON_DAYS,
        ge=1,
        le=MAX_HORIZON_DAYS,
        strict=True,
        description=(
            "Days after ready to search: only departures that start their run within this "
            "many days × 24 h after ready are boarded."
        ),
    )

    @field_validator("ready", "latest_arrival", mode="before")
    @classmethod
    def _a_string(cls, value: object) -> object:
        # Lax pydantic reads a number, or a string of digits, as Unix seconds; the schema says
        # an ISO 8601 date-time, which starts with its date.
        if value is None or isinstance(value, datetime):
            return value
        if not isinstance(value, str) or not _ISO_DATE_START.match(value):
            raise ValueError("must be an ISO 8601 date-time string, e.g. 2025-09-01T08:00+08:00")
        return value

    @field_validator("ready", "latest_arrival")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        # A naive time is local at its place, whose zone only ``_request`` knows: it is
        # checked there. Checking it here as UTC wrongly refused, say, a naive
        # 2100-01-01T00:30 in Oslo (2099-12-31T23:30Z).
        if value is not None and value.tzinfo is not None and not within_time_bounds(value):
            raise ValueError(f"must be {TIME_BOUNDS}")
        return value

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in default_fx_rates():
            raise ValueError(f"no exchange rate for {value}")
        return value

    @field_validator("weight_kg")
    @classmethod
    def _at_least_a_gram(cls, value: float) -> float:
        if round(value * 1000) < 1:
            raise ValueError("must be at least 0.001 kg")
        return value

    @model_validator(mode="after")
    def _different_places(self) -> QuoteIn:
        if self.origin == self.destination:
            raise ValueError("origin and destination must be different places")
        return self


#: A local time as ``silkhub quote --json`` prints it (``datetime.isoformat``): pydantic would
#: write a zero offset as ``Z``, so London's times would differ from the CLI's ``+00:00``.
LocalTime = Annotated[
    datetime,
    PlainSerializer(datetime.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class MoneyOut(BaseModel):
    """An exact amount (decimal string) in an ISO 4217 currency."""

    amount: Decimal
    currency: str


class ItineraryLegOut(BaseModel):
    """One boarding; times are local at the place, with their offset."""

    model_config = ConfigDict(populate_by_name=True)

    service_id: str = Field(description="The service, or `link:FROM>TO` for a trucking link.")
    departure_id: str | None = Field(description="The dated departure ridden; null for a link.")
    mode: Mode
    from_place: str = Field(alias="from")
    to_place: str = Field(alias="to")
    departure: LocalTime
    arrival: LocalTime
    distance_km: float
    co2e_kg: float
    price: MoneyOut


class ItineraryOut(BaseModel):
    """A Pareto-optimal way from origin to destination."""

    departure: LocalTime
    arrival: LocalTime
    price: MoneyOut
    co2e_kg: float
    legs: list[ItineraryLegOut]


class WindowOut(BaseModel):
    """The service dates whose departures the store holds (quotes outside find nothing)."""

    start: date
    end: date


class QuoteOut(BaseModel):
    """A stored quote: the request as understood and the itineraries answered, by arrival."""

    id: str
    created_at: datetime
    network: str
    departures_window: WindowOut
    request: QuoteIn
    itineraries: list[ItineraryOut]


class QuotePage(BaseModel):
    """A page of the caller's quotes, newest first."""

    items: list[QuoteOut]
    total: int
    limit: int
    offset: int
    next: str | None


def _render(network: Network, itinerary: Itinerary) -> dict[str, Any]:
    return itinerary_json(network, itinerary, departure_ids=True)


def _zoned(moment: datetime | None, network: Network, place_id: str) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(network.places[place_id].timezone))


def _request(body: QuoteIn, network: Network) -> tuple[QuoteIn, QuoteRequest]:
    unknown = [
        FieldProblem(field=f"body.{field}", reason=unknown_place_message(network, place))
        for field in ("origin", "destination")
        if (place := getattr(body, field)) not in network.places
    ]
    if unknown:
        raise ProblemError.invalid_fields(unknown)
    body = body.model_copy(
        update={
            "ready": _zoned(body.ready, network, body.origin),
            "latest_arrival": _zoned(body.latest_arrival, network, body.destination),
        }
    )
    for field in ("ready", "latest_arrival"):  # again, now that a naive time has its zone
        moment = getattr(body, field)
        if moment is not None and not within_time_bounds(moment):
            raise ProblemError.invalid(f"body.{field}", f"must be {TIME_BOUNDS}")
    try:
        request = QuoteRequest(
            origin=body.origin,
            destination=body.destination,
            ready=body.ready,
            weight_kg=body.weight_kg,
            volume_m3=body.volume_m3,
            max_boardings=body.max_boardings,
            latest_arrival=body.latest_arrival,
            modes=frozenset(body.modes) if body.modes else None,
            cargo_class=body.cargo_class,
            currency=body.currency,
            horizon_days=body.horizon_days,
        )
    except ValueError as exc:
        message = str(exc)
        first = message.split(" ", 1)[0]
        field = f"body.{first}" if first in QuoteIn.model_fields else "body"
        raise ProblemError.invalid(field, message) from exc
    return body, request


def _out(row: QuoteRow) -> QuoteOut:
    return QuoteOut.model_validate(
        {"id": row.id, "created_at": row.created_at, **row.answer, "request": row.request}
    )


def _engine(request: Request) -> QuoteEngine:
    engine: QuoteEngine = request.app.state.quote_engine
    return engine


@router.post(
    "/quotes",
    status_code=status.HTTP_201_CREATED,
    response_model=QuoteOut,
    responses=problem_responses(503),
    summary="Quote Pareto-optimal itineraries for a shipment",
)
def create_quote(
    body: QuoteIn,
    caller: QuoteCaller,
    session: DbSession,
    network_row: CurrentNetwork,
    response: Response,
    engine: Annotated[QuoteEngine, Depends(_engine)],
    store: Annotated[Store, Depends(get_store)],
) -> QuoteOut:
    """Itineraries on the Pareto front of arrival, price and CO₂e, by arrival; stored as a quote."""
    compiled = engine.current(session)
    if compiled is None:  # pragma: no cover - CurrentNetwork already answered 503
        raise ProblemError(503, "no network has been imported yet")
    body, request = _request(body, compiled.network)
    short = cover_problem(compiled.cover, request)
    if short is not None:  # the stored departures would give a front that is not complete
        raise ProblemError.invalid(f"body.{short[0]}", short[1])
    itineraries = compiled.router.query(request)
    answer = {
        "network": network_row.name,
        "departures_window": {
            "start": network_row.window_start.isoformat(),
            "end": network_row.window_end.isoformat(),
        },
        "itineraries": [_render(compiled.network, it) for it in itineraries],
    }
    session.rollback()  # end the read transaction before the short write one
    row = QuoteRow(
        network_id=compiled.network_id, request=body.model_dump(mode="json"), answer=answer
    )
    with store.write() as writer:
        QuoteRepository(writer, caller.org_id).add(row, utcnow())
    response.headers["Location"] = f"/v1/quotes/{row.id}"
    return _out(row)


@router.get("/quotes", response_model=QuotePage, summary="List your organisation's quotes")
def list_quotes(
    request: Request, caller: QuoteCaller, session: DbSession, paging: PagingParams
) -> QuotePage:
    """The caller's organisation's quotes, newest first."""
    page = QuoteRepository(session, caller.org_id).list(paging.limit, paging.offset)
    return QuotePage(
        items=[_out(r) for r in page.items],
        total=page.total,
        limit=paging.limit,
        offset=paging.offset,
        next=next_link(request, paging, page.total),
    )


@router.get(
    "/quotes/{quote_id}",
    response_model=QuoteOut,
    responses=problem_responses(404),
    summary="One of your organisation's quotes",
)
def get_quote(
    caller: QuoteCaller,
    session: DbSession,
    quote_id: Annotated[str, Path(pattern=IDENTIFIER_PATTERN)],
) -> QuoteOut:
    """A quote by id; another organisation's quote is answered 404, like an unknown id."""
    row = QuoteRepository(session, caller.org_id).get(quote_id)
    if row is None:
        raise ProblemError(404, f"no quote {quote_id!r}")
    return _out(row)
