"""Writing a network and its dated departures into the store (used by ``NetworkRepository``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from silkhub.model import Network
from silkhub.network import expand_departures
from silkhub.store import _rows
from silkhub.store.tables import (
    CalendarRow,
    DepartureLegRow,
    DepartureRow,
    LinkRow,
    PlaceRow,
    ServiceRow,
    StopRow,
    TransferRow,
)

#: Capacity sold per leg, keyed by (departure id, leg seq, from place, to place).
Sold = dict[tuple[str, int, str, str], tuple[float, float]]


def insert_network(session: Session, network_id: int, network: Network) -> None:
    """Write the places, services, stops, calendars, transfers and links of ``network``."""
    nid = network_id
    batches: list[tuple[type[Any], list[dict[str, Any]]]] = [
        (PlaceRow, [_rows.values(p, network_id=nid) for p in network.places.values()]),
        (ServiceRow, [_rows.service_values(s, nid) for s in network.services.values()]),
        (StopRow, [_rows.values(s, network_id=nid) for run in network.stops.values() for s in run]),
        (CalendarRow, [_rows.calendar_values(c, nid, i) for i, c in enumerate(network.calendars)]),
        (
            TransferRow,
            [_rows.values(t, network_id=nid, ordinal=i) for i, t in enumerate(network.transfers)],
        ),
        (
            LinkRow,
            [_rows.values(k, network_id=nid, ordinal=i) for i, k in enumerate(network.links)],
        ),
    ]
    for table, rows in batches:
        if rows:
            session.execute(insert(table), rows)


def sold_capacity(session: Session, network_id: int) -> Sold:
    """The capacity already sold on the legs of ``network_id`` (legs with none are left out)."""
    rows = session.execute(
        select(
            DepartureRow.departure_id,
            DepartureLegRow.seq,
            DepartureLegRow.from_place,
            DepartureLegRow.to_place,
            DepartureLegRow.capacity_kg - DepartureLegRow.remaining_kg,
            DepartureLegRow.capacity_m3 - DepartureLegRow.remaining_m3,
        )
        .join(DepartureRow, DepartureRow.id == DepartureLegRow.departure_pk)
        .where(DepartureRow.network_id == network_id)
        .where(
            (DepartureLegRow.remaining_kg < DepartureLegRow.capacity_kg)
            | (DepartureLegRow.remaining_m3 < DepartureLegRow.capacity_m3)
        )
    )
    return {(r[0], int(r[1]), r[2], r[3]): (float(r[4]), float(r[5])) for r in rows}


def insert_departures(
    session: Session, network_id: int, network: Network, window: tuple[date, date], sold: Sold
) -> tuple[int, int]:
    """Expand the calendars over ``window`` and store every run and leg.

    A leg found in ``sold`` starts with that much less capacity (never below zero). Returns
    (departures stored, legs whose sold capacity was carried over).
    """
    departures = expand_departures(network, window[0], window[1])
    if not departures:
        return 0, 0
    ids = session.scalars(
        insert(DepartureRow).returning(DepartureRow.id, sort_by_parameter_order=True),
        [
            {
                "network_id": network_id,
                "departure_id": d.departure_id,
                "service_id": d.service_id,
                "service_date": d.service_date,
                "first_departure": d.first_departure,
                "last_arrival": d.last_arrival,
            }
            for d in departures
        ],
    ).all()
    legs: list[dict[str, Any]] = []
    carried = 0
    for pk, d in zip(ids, departures, strict=True):
        for seq in range(len(d.stop_times) - 1):
            here, there = d.stop_times[seq], d.stop_times[seq + 1]
            cap_kg, cap_m3 = d.remaining_kg[seq], d.remaining_m3[seq]
            key = (d.departure_id, seq, here.place_id, there.place_id)
            sold_kg, sold_m3 = sold.get(key, (0.0, 0.0))
            carried += key in sold
            legs.append(
                {
                    "departure_pk": pk,
                    "seq": seq,
                    "from_place": here.place_id,
                    "to_place": there.place_id,
                    "departs_at": here.departure,
                    "arrives_at": there.arrival,
                    "capacity_kg": cap_kg,
                    "capacity_m3": cap_m3,
                    "remaining_kg": max(0.0, cap_kg - sold_kg),
                    "remaining_m3": max(0.0, cap_m3 - sold_m3),
                }
            )
    session.execute(insert(DepartureLegRow), legs)
    return len(departures), carried
