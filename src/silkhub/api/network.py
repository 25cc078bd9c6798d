"""``/v1/places``, ``/v1/services``, ``/v1/departures``: the hub's network and its capacity.

The network is shared by every tenant (it is the hub's offer), so these endpoints admit any
authenticated caller; the capacity per leg shows what is still for sale.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BeforeValidator

from silkhub.api.auth import AnyCaller
from silkhub.api.deps import CurrentNetwork, DbSession
from silkhub.api.key_first import KeyBeforeBodyRoute
from silkhub.api.pagination import PagingParams, next_link
from silkhub.api.problems import ProblemError, problem_responses
from silkhub.api.schemas import (
    DEPARTURE_ID_PATTERN,
    IDENTIFIER_PATTERN,
    CalendarOut,
    DepartureOut,
    DeparturePage,
    PlaceOut,
    PlacePage,
    ServiceDetailOut,
    ServiceOut,
    ServicePage,
    StopOut,
)
from silkhub.model import Mode, PlaceKind
from silkhub.store import DepartureFilter, DepartureRepository, NetworkRepository

__all__ = ["router"]

router = APIRouter(
    prefix="/v1",
    tags=["network"],
    responses=problem_responses(401, 422, 503),
    route_class=KeyBeforeBodyRoute,
)

PlaceQuery = Annotated[str | None, Query(pattern=IDENTIFIER_PATTERN)]


def _date_text(value: object) -> object:
    # lax pydantic reads Unix seconds (1740787200) and date-times (offset dropped) as dates
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be an ISO date YYYY-MM-DD")
    return value


#: A date written as the docs say, ``YYYY-MM-DD``: nothing else is taken for one.
IsoDate = Annotated[date, BeforeValidator(_date_text)]


def _unknown(what: str, ident: str) -> ProblemError:
    return ProblemError(404, f"no {what} {ident!r} in the network")


@router.get("/places", response_model=PlacePage, summary="List the places of the network")
def list_places(
    request: Request,
    caller: AnyCaller,
    session: DbSession,
    network: CurrentNetwork,
    paging: PagingParams,
    kind: Annotated[PlaceKind | None, Query()] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    ] = None,
) -> PlacePage:
    """Places ordered by id, optionally of one kind or country."""
    page = NetworkRepository(session).places(network.id, kind, country, paging.limit, paging.offset)
    return PlacePage(
        items=[PlaceOut.of(p) for p in page.items],
        total=page.total,
        limit=paging.limit,
        offset=paging.offset,
        next=next_link(request, paging, page.total),
    )


@router.get(
    "/places/{place_id}",
    response_model=PlaceOut,
    responses=problem_responses(404),
    summary="One place",
)
def get_place(
    caller: AnyCaller,
    session: DbSession,
    network: CurrentNetwork,
    place_id: Annotated[str, Path(pattern=IDENTIFIER_PATTERN)],
) -> PlaceOut:
    """A place by id."""
    place = NetworkRepository(session).place(network.id, place_id)
    if place is None:
        raise _unknown("place", place_id)
    return PlaceOut.of(place)


@router.get("/services", response_model=ServicePage, summary="List the scheduled services")
def list_services(
    request: Request,
    caller: AnyCaller,
    session: DbSession,
    network: CurrentNetwork,
    paging: PagingParams,
    mode: Annotated[Mode | None, Query()] = None,
    place: Annotated[PlaceQuery, Query(description="Only services calling at this place.")] = None,
) -> ServicePage:
    """Services ordered by id, optionally of one mode or calling at a place."""
    repo = NetworkRepository(session)
    page = repo.services(network.id, mode, place, paging.limit, paging.offset)
    items = [
        ServiceOut.of(s, [stop.place_id for stop in repo.stops_of(network.id, s.service_id)])
        for s in page.items
    ]
    return ServicePage(
        items=items,
        total=page.total,
        limit=paging.limit,
        offset=paging.offset,
        next=next_link(request, paging, page.total),
    )


@router.get(
    "/services/{service_id}",
    response_model=ServiceDetailOut,
    responses=problem_responses(404),
    summary="One service with its stops and calendar",
)
def get_service(
    caller: AnyCaller,
    session: DbSession,
    network: CurrentNetwork,
    service_id: Annotated[str, Path(pattern=IDENTIFIER_PATTERN)],
) -> ServiceDetailOut:
    """A service by id, with its stops and calendar rules."""
    repo = NetworkRepository(session)
    service = repo.service(network.id, service_id)
    if service is None:
        raise _unknown("service", service_id)
    stops = repo.stops_of(network.id, service_id)
    base = ServiceOut.of(service, [s.place_id for s in stops])
    return ServiceDetailOut(
        **base.model_dump(),
        stops=[
            StopOut(
                seq=s.seq,
                place_id=s.place_id,
                arrival_min=s.arrival_min,
                departure_min=s.departure_min,
                distance_km=s.distance_km,
            )
            for s in stops
        ],
        calendars=[
            CalendarOut(
                weekdays="".join("1" if d else "0" for d in c.weekdays),
                start_time=c.start_time,
                valid_from=c.valid_from,
                valid_to=c.valid_to,
            )
            for c in repo.calendars_of(network.id, service_id)
        ],
    )


@router.get("/departures", response_model=DeparturePage, summary="List dated departures")
def list_departures(
    request: Request,
    caller: AnyCaller,
    session: DbSession,
    network: CurrentNetwork,
    paging: PagingParams,
    origin: Annotated[PlaceQuery, Query(description="Leaves from this place (any stop).")] = None,
    destination: Annotated[
        PlaceQuery, Query(description="Arrives at this place (after the origin, if given).")
    ] = None,
    mode: Annotated[Mode | None, Query()] = None,
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="First service date (inclusive).")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Last service date (inclusive).")
    ] = None,
) -> DeparturePage:
    """Departures by first departure time; dates bound the service date (local, first stop)."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise ProblemError.invalid("query.to", f"must not be before from ({date_from})")
    where = DepartureFilter(origin, destination, mode, date_from, date_to)
    page = DepartureRepository(session, network.id).find(where, paging.limit, paging.offset)
    return DeparturePage(
        items=[DepartureOut.of(r) for r in page.items],
        total=page.total,
        limit=paging.limit,
        offset=paging.offset,
        next=next_link(request, paging, page.total),
    )


@router.get(
    "/departures/{departure_id}",
    response_model=DepartureOut,
    responses=problem_responses(404),
    summary="One dated departure with its capacity per leg",
)
def get_departure(
    caller: AnyCaller,
    session: DbSession,
    network: CurrentNetwork,
    departure_id: Annotated[str, Path(pattern=DEPARTURE_ID_PATTERN)],
) -> DepartureOut:
    """A departure by id (``SERVICE@YYYY-MM-DD``)."""
    record = DepartureRepository(session, network.id).get(departure_id)
    if record is None:
        raise _unknown("departure", departure_id)
    return DepartureOut.of(record)
