"""Dated departures as stored: look them up, filter and page them, load them for routing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, cast

from sqlalchemy import Select, Table, and_, exists, func, select
from sqlalchemy.orm import Session

from silkhub.model import Departure, Mode, StopTime
from silkhub.store.networks import count
from silkhub.store.page import Page
from silkhub.store.tables import DepartureLegRow, DepartureRow, ServiceRow

__all__ = ["DepartureFilter", "DepartureRecord", "DepartureRepository"]

_IN_CHUNK = 5000  # ids per IN (...) list, well below every backend's parameter limit


@dataclass(frozen=True, slots=True)
class DepartureFilter:
    """Which departures to list; ``None`` leaves a criterion open.

    ``origin``/``destination`` match runs that leave from / arrive at the place at any of their
    stops (with both, the origin comes first); the dates bound the run's service date (the
    local date at its first stop, as in its id).
    """

    origin: str | None = None
    destination: str | None = None
    mode: Mode | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class DepartureRecord:
    """A stored departure with its remaining capacity and the capacity it started with."""

    departure: Departure
    mode: Mode
    capacity_kg: tuple[float, ...]
    capacity_m3: tuple[float, ...]


class DepartureRepository:
    """The dated departures of a network and the capacity left on each leg."""

    def __init__(self, session: Session, network_id: int) -> None:
        self.session = session
        self.network_id = network_id

    def get(self, departure_id: str) -> DepartureRecord | None:
        """One departure by its id (``SERVICE@YYYY-MM-DD``), or ``None``."""
        stmt = self._select().where(DepartureRow.departure_id == departure_id)
        records = self._records(self.session.execute(stmt).all())
        return records[0] if records else None

    def pk(self, departure_id: str) -> int | None:
        """The row id of a departure (what ``reserve_capacity`` takes), or ``None``."""
        return self.session.scalar(
            select(DepartureRow.id).where(
                DepartureRow.network_id == self.network_id,
                DepartureRow.departure_id == departure_id,
            )
        )

    def find(self, where: DepartureFilter, limit: int, offset: int) -> Page[DepartureRecord]:
        """Departures matching ``where``, by first departure time then id.

        The total comes from a window count in the same query (one round trip, one statement
        to build); only a page past the end needs a separate count.
        """
        stmt = self._select()
        if where.mode is not None:
            stmt = stmt.where(ServiceRow.mode == where.mode.value)
        if where.date_from is not None:
            stmt = stmt.where(DepartureRow.service_date >= where.date_from)
        if where.date_to is not None:
            stmt = stmt.where(DepartureRow.service_date <= where.date_to)
        calls = self._calls_at(where.origin, where.destination)
        if calls is not None:
            stmt = stmt.where(calls)
        page = stmt.add_columns(func.count().over().label("total")).order_by(
            DepartureRow.first_departure, DepartureRow.departure_id
        )
        rows = self.session.execute(page.limit(limit).offset(offset)).all()
        total = int(rows[0][-1]) if rows else (count(self.session, stmt) if offset else 0)
        return Page(self._records(rows), total)

    @staticmethod
    def _calls_at(origin: str | None, destination: str | None) -> Any:
        """The condition "leaves from ``origin`` and later arrives at ``destination``".

        Core table aliases rather than ORM ``aliased()``: building the statement is most of
        a listing's cost, and these are several times cheaper to build.
        """
        legs = cast(Table, DepartureLegRow.__table__)
        departure = cast(Table, DepartureRow.__table__).c.id
        board, alight = legs.alias("board"), legs.alias("alight")
        if origin is not None and destination is not None:
            return (
                select(1)
                .select_from(
                    board.join(
                        alight,
                        and_(
                            alight.c.departure_pk == board.c.departure_pk,
                            alight.c.seq >= board.c.seq,
                        ),
                    )
                )
                .where(
                    board.c.departure_pk == departure,
                    board.c.from_place == origin,
                    alight.c.to_place == destination,
                )
                .exists()
            )
        if origin is not None:
            return exists().where(board.c.departure_pk == departure, board.c.from_place == origin)
        if destination is not None:
            return exists().where(
                alight.c.departure_pk == departure, alight.c.to_place == destination
            )
        return None

    def all(self) -> list[Departure]:
        """Every stored departure with its remaining capacity (what the router compiles)."""
        stmt = self._select().order_by(DepartureRow.first_departure, DepartureRow.departure_id)
        return [r.departure for r in self._records(self.session.execute(stmt).all())]

    def _select(self) -> Select[int, str, str, date, str]:
        return (
            select(
                DepartureRow.id,
                DepartureRow.departure_id,
                DepartureRow.service_id,
                DepartureRow.service_date,
                ServiceRow.mode,
            )
            .join(
                ServiceRow,
                and_(
                    ServiceRow.network_id == DepartureRow.network_id,
                    ServiceRow.service_id == DepartureRow.service_id,
                ),
            )
            .where(DepartureRow.network_id == self.network_id)
        )

    def _records(self, rows: Sequence[Any]) -> list[DepartureRecord]:
        legs: dict[int, list[Any]] = defaultdict(list)
        pks = [r[0] for r in rows]
        for start in range(0, len(pks), _IN_CHUNK):
            stmt = (
                select(
                    DepartureLegRow.departure_pk,
                    DepartureLegRow.from_place,
                    DepartureLegRow.to_place,
                    DepartureLegRow.departs_at,
                    DepartureLegRow.arrives_at,
                    DepartureLegRow.capacity_kg,
                    DepartureLegRow.capacity_m3,
                    DepartureLegRow.remaining_kg,
                    DepartureLegRow.remaining_m3,
                )
                .where(DepartureLegRow.departure_pk.in_(pks[start : start + _IN_CHUNK]))
                .order_by(DepartureLegRow.departure_pk, DepartureLegRow.seq)
            )
            for leg in self.session.execute(stmt):
                legs[leg[0]].append(leg)
        return [_record(r, legs[r[0]]) for r in rows]


def _record(row: Any, legs: Sequence[Any]) -> DepartureRecord:
    stop_times = [StopTime(legs[0][1], None, legs[0][3])]
    stop_times += [StopTime(after[1], before[4], after[3]) for before, after in pairwise(legs)]
    stop_times.append(StopTime(legs[-1][2], legs[-1][4], None))
    departure = Departure(
        departure_id=row[1],
        service_id=row[2],
        service_date=row[3],
        stop_times=tuple(stop_times),
        remaining_kg=tuple(float(leg[7]) for leg in legs),
        remaining_m3=tuple(float(leg[8]) for leg in legs),
    )
    return DepartureRecord(
        departure=departure,
        mode=Mode(row[4]),
        capacity_kg=tuple(float(leg[5]) for leg in legs),
        capacity_m3=tuple(float(leg[6]) for leg in legs),
    )
