"""The one place where capacity changes: reserve room on consecutive legs of a departure.

Overselling a freighter is the costliest bug a hub can have, so the check and the write are
one conditional UPDATE (``... WHERE remaining_kg >= :kg``) rather than a read followed by a
write, which two clients could interleave. Before it, the network's ``capacity_version`` is
bumped: on PostgreSQL that row lock serialises the capacity changes of one network (so the
guard that *every* leg has room sees committed data, and a multi-leg reservation is all or
nothing), on SQLite it takes the database's single write lock; either way caches of the
compiled timetable learn that capacity moved. A CHECK constraint (remaining ≥ 0) stands
behind it all.
"""

from __future__ import annotations

import math

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from silkhub.store.tables import DepartureLegRow, DepartureRow, NetworkRow

__all__ = ["reserve_capacity"]


def reserve_capacity(
    session: Session, departure_pk: int, board: int, alight: int, kg: float, m3: float
) -> bool:
    """Take ``kg`` and ``m3`` on legs ``board`` .. ``alight - 1`` of a departure, or nothing.

    Returns ``True`` if every leg had room (and now has that much less), ``False`` if any leg
    lacked it (and nothing changed). Runs in the caller's transaction, which should be a
    ``Store.write()`` one (on SQLite it then holds the write lock from its start, so racing
    writers wait instead of failing); commit to keep the reservation. ``departure_pk`` is
    the row id (``DepartureRepository.pk``).
    """
    if not (math.isfinite(kg) and math.isfinite(m3)) or kg < 0 or m3 < 0 or kg == m3 == 0:
        raise ValueError(f"reserve a positive amount (got {kg!r} kg, {m3!r} m³)")
    if not 0 <= board < alight:
        raise ValueError(f"legs must satisfy 0 <= board < alight (got {board}, {alight})")
    with session.begin_nested() as savepoint:
        network_of = select(DepartureRow.network_id).where(DepartureRow.id == departure_pk)
        bumped = session.execute(
            update(NetworkRow)
            .where(NetworkRow.id == network_of.scalar_subquery())
            .values(capacity_version=NetworkRow.capacity_version + 1)
        )
        if bumped.rowcount == 0:  # type: ignore[attr-defined]
            raise LookupError(f"no departure with row id {departure_pk}")
        legs = session.scalar(
            select(func.count()).where(DepartureLegRow.departure_pk == departure_pk)
        )
        if alight > (legs or 0):
            raise ValueError(f"departure {departure_pk} has {legs} legs; cannot alight at {alight}")
        other = aliased(DepartureLegRow)
        short = exists().where(
            other.departure_pk == departure_pk,
            other.seq >= board,
            other.seq < alight,
            or_(other.remaining_kg < kg, other.remaining_m3 < m3),
        )
        taken = session.execute(
            update(DepartureLegRow)
            .where(
                DepartureLegRow.departure_pk == departure_pk,
                DepartureLegRow.seq >= board,
                DepartureLegRow.seq < alight,
                DepartureLegRow.remaining_kg >= kg,
                DepartureLegRow.remaining_m3 >= m3,
                ~short,
            )
            .values(
                remaining_kg=DepartureLegRow.remaining_kg - kg,
                remaining_m3=DepartureLegRow.remaining_m3 - m3,
            )
        ).rowcount  # type: ignore[attr-defined]
        if taken == alight - board:
            return True
        if taken:  # cannot happen under the lock above; never leave a partial reservation
            savepoint.rollback()
            raise RuntimeError(f"partial reservation on departure {departure_pk} was undone")
        savepoint.rollback()
        return False
