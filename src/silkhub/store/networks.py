"""Import a network into the store and read it back, losslessly.

Importing replaces the network the store serves. Capacity already sold on a departure that
survives the re-import (same departure id, same legs) is carried over, so re-importing a
corrected timetable never resells cargo space; the old network's rows are then deleted.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, exists, func, select
from sqlalchemy.orm import Session

from silkhub.model import CalendarRule, Mode, Network, Place, PlaceKind, Service, Stop
from silkhub.store import _import, _rows
from silkhub.store.engine import lock_on_postgresql
from silkhub.store.page import Page
from silkhub.store.tables import (
    CalendarRow,
    LinkRow,
    NetworkRow,
    PlaceRow,
    ServiceRow,
    StopRow,
    TransferRow,
)

__all__ = ["NetworkRepository"]

log = logging.getLogger("silkhub.store")

#: The advisory-lock space of network imports on PostgreSQL (any fixed 32-bit number: 'netw').
_IMPORT_LOCK_SPACE = 0x6E657477


def count(session: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    """How many rows ``stmt`` would return."""
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


class NetworkRepository:
    """The network the store serves: import it, read it back, list its places and services."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_imports(self) -> None:
        """Make this transaction the one that may import a network until it ends.

        An import reads the current network, then replaces it: on PostgreSQL two imports at
        once would both keep the network they found and leave two (``lock_on_postgresql``).
        """
        lock_on_postgresql(self.session, _IMPORT_LOCK_SPACE)

    def current(self) -> NetworkRow | None:
        """The network being served (the latest import), or ``None`` before the first one."""
        stmt = select(NetworkRow).order_by(NetworkRow.id.desc()).limit(1)
        return self.session.scalars(stmt).first()

    def version(self) -> tuple[int, int] | None:
        """``(network id, capacity version)`` of the current network: a cheap freshness key."""
        stmt = select(NetworkRow.id, NetworkRow.capacity_version)
        row = self.session.execute(stmt.order_by(NetworkRow.id.desc()).limit(1)).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def import_network(
        self, network: Network, window: tuple[date, date], now: datetime
    ) -> NetworkRow:
        """Store ``network`` and its departures in ``window``; it becomes the current network.

        Runs in the caller's transaction (commit to publish it). Returns the new network row.
        """
        self.lock_imports()
        previous = self.current()
        sold = {} if previous is None else _import.sold_capacity(self.session, previous.id)
        row = NetworkRow(
            name=network.name or "network",
            imported_at=now,
            window_start=window[0],
            window_end=window[1],
            capacity_version=0,
        )
        self.session.add(row)
        self.session.flush()
        _import.insert_network(self.session, row.id, network)
        stored, carried = _import.insert_departures(self.session, row.id, network, window, sold)
        if previous is not None:
            if len(sold) > carried:
                log.warning(
                    "%d leg(s) with sold capacity are not in the new network", len(sold) - carried
                )
            self.session.execute(delete(NetworkRow).where(NetworkRow.id == previous.id))
        log.info(
            "imported network %s: %d places, %d services, %d departures from %s to %s",
            row.name,
            len(network.places),
            len(network.services),
            stored,
            window[0],
            window[1],
        )
        return row

    def load_network(self, network_id: int) -> Network:
        """The stored network, equal to the one imported."""
        row = self.session.get(NetworkRow, network_id)
        if row is None:
            raise LookupError(f"no network {network_id} in the store")

        def rows(table: type[Any], *order: Any) -> Any:
            stmt = select(table).where(table.network_id == network_id).order_by(*order)
            return self.session.scalars(stmt)

        stops: dict[str, list[Stop]] = defaultdict(list)
        for stop in rows(StopRow, StopRow.service_id, StopRow.seq):
            stops[stop.service_id].append(_rows.stop(stop))
        return Network(
            places={p.place_id: _rows.place(p) for p in rows(PlaceRow, PlaceRow.place_id)},
            services={
                s.service_id: _rows.service(s) for s in rows(ServiceRow, ServiceRow.service_id)
            },
            stops={service_id: tuple(run) for service_id, run in stops.items()},
            calendars=tuple(_rows.calendar(c) for c in rows(CalendarRow, CalendarRow.ordinal)),
            transfers=tuple(_rows.transfer(t) for t in rows(TransferRow, TransferRow.ordinal)),
            links=tuple(_rows.link(k) for k in rows(LinkRow, LinkRow.ordinal)),
            name=row.name,
        )

    def place(self, network_id: int, place_id: str) -> Place | None:
        """One place, or ``None``."""
        row = self.session.get(PlaceRow, (network_id, place_id))
        return None if row is None else _rows.place(row)

    def places(
        self, network_id: int, kind: PlaceKind | None, country: str | None, limit: int, offset: int
    ) -> Page[Place]:
        """Places ordered by id, optionally of one kind or country."""
        stmt = select(PlaceRow).where(PlaceRow.network_id == network_id)
        if kind is not None:
            stmt = stmt.where(PlaceRow.kind == kind.value)
        if country is not None:
            stmt = stmt.where(PlaceRow.country == country)
        page = stmt.order_by(PlaceRow.place_id).limit(limit).offset(offset)
        items = [_rows.place(r) for r in self.session.scalars(page)]
        return Page(items, count(self.session, stmt))

    def service(self, network_id: int, service_id: str) -> Service | None:
        """One service, or ``None``."""
        row = self.session.get(ServiceRow, (network_id, service_id))
        return None if row is None else _rows.service(row)

    def services(
        self, network_id: int, mode: Mode | None, place: str | None, limit: int, offset: int
    ) -> Page[Service]:
        """Services ordered by id, optionally of one mode or calling at ``place``."""
        stmt = select(ServiceRow).where(ServiceRow.network_id == network_id)
        if mode is not None:
            stmt = stmt.where(ServiceRow.mode == mode.value)
        if place is not None:
            stmt = stmt.where(
                exists().where(
                    StopRow.network_id == ServiceRow.network_id,
                    StopRow.service_id == ServiceRow.service_id,
                    StopRow.place_id == place,
                )
            )
        page = stmt.order_by(ServiceRow.service_id).limit(limit).offset(offset)
        items = [_rows.service(r) for r in self.session.scalars(page)]
        return Page(items, count(self.session, stmt))

    def stops_of(self, network_id: int, service_id: str) -> tuple[Stop, ...]:
        """The stops of one service, in order."""
        stmt = select(StopRow).where(
            StopRow.network_id == network_id, StopRow.service_id == service_id
        )
        return tuple(_rows.stop(r) for r in self.session.scalars(stmt.order_by(StopRow.seq)))

    def calendars_of(self, network_id: int, service_id: str) -> tuple[CalendarRule, ...]:
        """The calendar rules of one service, in file order."""
        stmt = select(CalendarRow).where(
            CalendarRow.network_id == network_id, CalendarRow.service_id == service_id
        )
        rules = self.session.scalars(stmt.order_by(CalendarRow.ordinal))
        return tuple(_rows.calendar(r) for r in rules)
