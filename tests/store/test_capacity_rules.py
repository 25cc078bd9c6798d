"""``reserve_capacity``: all legs or none, never below zero, and caches learn of it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkhub.store import DepartureRepository, NetworkRepository, Store, reserve_capacity


def _departure(store: Store, departure_id: str) -> tuple[int, int]:
    with store.session() as session:
        version = NetworkRepository(session).version()
        assert version is not None
        pk = DepartureRepository(session, version[0]).pk(departure_id)
    assert pk is not None
    return version[0], pk


def _remaining(store: Store, network_id: int, departure_id: str) -> tuple[float, ...]:
    with store.session() as session:
        record = DepartureRepository(session, network_id).get(departure_id)
    assert record is not None
    return record.departure.remaining_kg


def test_reservation_takes_capacity_on_every_leg_ridden(tiny_store: Store) -> None:
    """Riding CGO→OSL on JD451 takes the weight off both legs; the version goes up."""
    nid, pk = _departure(tiny_store, "JD451@2025-03-04")
    with tiny_store.write() as session:
        assert reserve_capacity(session, pk, 0, 2, 10_000.0, 1.0)
    assert _remaining(tiny_store, nid, "JD451@2025-03-04") == (50_000.0, 50_000.0)
    with tiny_store.session() as session:
        assert NetworkRepository(session).version() == (nid, 1)


def test_reservation_is_all_or_nothing(tiny_store: Store) -> None:
    """When one leg lacks room, no leg changes and the version stays put."""
    nid, pk = _departure(tiny_store, "JD451@2025-03-04")
    with tiny_store.write() as session:
        assert reserve_capacity(session, pk, 1, 2, 55_000.0, 1.0)  # KGF→OSL nearly full
    with tiny_store.write() as session:
        assert not reserve_capacity(session, pk, 0, 2, 10_000.0, 1.0)
    assert _remaining(tiny_store, nid, "JD451@2025-03-04") == (60_000.0, 5_000.0)
    with tiny_store.session() as session:
        assert NetworkRepository(session).version() == (nid, 1)


def test_exact_fit_succeeds_and_then_nothing_more(tiny_store: Store) -> None:
    """The last kilogram can be sold, the next one cannot."""
    nid, pk = _departure(tiny_store, "1Z101@2025-03-03")
    with tiny_store.write() as session:
        assert reserve_capacity(session, pk, 0, 1, 110_000.0, 0.0)
    with tiny_store.write() as session:
        assert not reserve_capacity(session, pk, 0, 1, 1.0, 0.0)
    assert _remaining(tiny_store, nid, "1Z101@2025-03-03") == (0.0,)


@pytest.mark.parametrize(
    ("board", "alight", "kg", "m3"),
    [
        (0, 0, 1.0, 0.0),
        (1, 0, 1.0, 0.0),
        (0, 1, -1.0, 0.0),
        (0, 1, 0.0, 0.0),
        (0, 1, float("nan"), 0),
    ],
)
def test_nonsense_amounts_and_legs_are_refused(
    tiny_store: Store, board: int, alight: int, kg: float, m3: float
) -> None:
    """Empty or reversed leg ranges and non-positive or NaN amounts are programming errors."""
    _, pk = _departure(tiny_store, "JD451@2025-03-04")
    with tiny_store.write() as session, pytest.raises(ValueError, match=r"board|amount"):
        reserve_capacity(session, pk, board, alight, kg, m3)


def test_unknown_departure_and_leg_beyond_the_last_are_refused(tiny_store: Store) -> None:
    """A missing departure raises LookupError; alighting past the last stop raises ValueError."""
    _, pk = _departure(tiny_store, "JD451@2025-03-04")
    with tiny_store.write() as session, pytest.raises(LookupError):
        reserve_capacity(session, 999_999, 0, 1, 1.0, 0.0)
    with tiny_store.write() as session, pytest.raises(ValueError, match="legs"):
        reserve_capacity(session, pk, 0, 3, 1.0, 0.0)


@given(
    ops=st.lists(
        st.tuples(st.integers(0, 1), st.integers(1, 2), st.floats(1.0, 40_000.0)), max_size=10
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_sequence_of_reservations_keeps_exact_books(
    tiny_store: Store, ops: list[tuple[int, int, float]]
) -> None:
    """Whatever is reserved, a reservation succeeds exactly when every leg has room."""
    with tiny_store.session() as session:
        version = NetworkRepository(session).version()
        assert version is not None
        repo = DepartureRepository(session, version[0])
        fresh = next(
            d.departure_id
            for d in repo.all()
            if d.service_id == "JD451" and d.remaining_kg == (60_000.0, 60_000.0)
        )
        pk = repo.pk(fresh)
    assert pk is not None
    books = [60_000.0, 60_000.0]
    for board, alight, kg in ops:
        if board >= alight:
            continue
        with tiny_store.write() as session:
            taken = reserve_capacity(session, pk, board, alight, kg, 0.0)
        assert taken == all(books[leg] >= kg for leg in range(board, alight))
        if taken:
            for leg in range(board, alight):
                books[leg] -= kg
    assert _remaining(tiny_store, version[0], fresh) == tuple(books)
