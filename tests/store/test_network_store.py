"""Importing networks into the store and reading them back."""

from __future__ import annotations

from datetime import date

from silkhub.model import Mode, Network, PlaceKind
from silkhub.network import default_network, expand_departures
from silkhub.settings import Settings
from silkhub.store import (
    DepartureFilter,
    DepartureRepository,
    NetworkRepository,
    Store,
    import_network,
    reserve_capacity,
)


def _current(store: Store) -> int:
    with store.session() as session:
        version = NetworkRepository(session).version()
    assert version is not None
    return version[0]


def test_tiny_hub_round_trips_losslessly(tiny_store: Store, tiny_hub: Network) -> None:
    """The network read back from the store equals the imported one, field for field."""
    with tiny_store.session() as session:
        back = NetworkRepository(session).load_network(_current(tiny_store))
    assert back == tiny_hub
    assert back.name == tiny_hub.name


def test_embedded_network_round_trips_losslessly(
    empty_store: Store, store_settings: Settings
) -> None:
    """The whole Zhengzhou network (decimals, DST-sensitive calendars, links) survives the store."""
    hub = default_network()
    row = import_network(empty_store, hub, store_settings)
    with empty_store.session() as session:
        assert NetworkRepository(session).load_network(row.id) == hub


def test_departures_are_those_of_the_window(
    tiny_store: Store, tiny_hub: Network, tiny_window: tuple[date, date]
) -> None:
    """Every dated departure of the window is stored, with its stop times and full capacity."""
    expected = expand_departures(tiny_hub, *tiny_window)
    with tiny_store.session() as session:
        stored = DepartureRepository(session, _current(tiny_store)).all()
    assert stored == expected
    assert len(stored) == 195


def test_filters_by_origin_destination_mode_and_dates(tiny_store: Store) -> None:
    """Origin, destination, mode and service dates narrow the listing as documented."""
    with tiny_store.session() as session:
        repo = DepartureRepository(session, _current(tiny_store))
        via_kgf = repo.find(DepartureFilter(origin="KGF", destination="OSL"), 500, 0)
        assert via_kgf.total > 0
        assert all(r.departure.service_id == "JD451" for r in via_kgf.items)
        backwards = repo.find(DepartureFilter(origin="OSL", destination="KGF"), 10, 0)
        assert backwards.total == 0
        week = repo.find(
            DepartureFilter(date_from=date(2025, 3, 3), date_to=date(2025, 3, 9)), 500, 0
        )
        assert {r.departure.service_date for r in week.items} <= {
            date(2025, 3, d) for d in range(3, 10)
        }
        assert week.total == 8  # 2 Madrid + 6 Oslo runs that week
        assert repo.find(DepartureFilter(mode=Mode.SEA), 10, 0).total == 0


def test_pages_are_ordered_and_complete(tiny_store: Store) -> None:
    """Walking the pages yields every departure once, in departure-time order."""
    with tiny_store.session() as session:
        repo = DepartureRepository(session, _current(tiny_store))
        seen = []
        offset = 0
        while True:
            page = repo.find(DepartureFilter(), 40, offset)
            seen += [r.departure for r in page.items]
            offset += 40
            if offset >= page.total:
                break
    assert len(seen) == 195 == len({d.departure_id for d in seen})
    assert [d.first_departure for d in seen] == sorted(d.first_departure for d in seen)


def test_places_and_services_listings(tiny_store: Store) -> None:
    """Places filter by kind and country; services by mode and by a place they call at."""
    with tiny_store.session() as session:
        repo = NetworkRepository(session)
        nid = _current(tiny_store)
        assert repo.places(nid, None, None, 50, 0).total == 5
        airports = repo.places(nid, PlaceKind.AIRPORT, None, 50, 0)
        assert all(p.kind is PlaceKind.AIRPORT for p in airports.items)
        assert [p.place_id for p in repo.places(nid, None, "NO", 50, 0).items] == ["OSL"]
        assert [s.service_id for s in repo.services(nid, None, "KGF", 50, 0).items] == ["JD451"]
        assert repo.services(nid, Mode.RAIL, None, 50, 0).total == 0
        assert repo.place(nid, "NOWHERE") is None


def test_reimport_keeps_sold_capacity(
    tiny_store: Store, tiny_hub: Network, store_settings: Settings
) -> None:
    """Re-importing the same network carries sold capacity over instead of reselling it."""
    first = _current(tiny_store)
    with tiny_store.session() as session:
        pk = DepartureRepository(session, first).pk("JD451@2025-03-04")
    assert pk is not None
    with tiny_store.write() as session:
        assert reserve_capacity(session, pk, 0, 1, 1500.0, 2.0)
    second = import_network(tiny_store, tiny_hub, store_settings).id
    assert second != first
    with tiny_store.session() as session:
        record = DepartureRepository(session, second).get("JD451@2025-03-04")
        assert NetworkRepository(session).version() == (second, 0)
        assert DepartureRepository(session, first).get("JD451@2025-03-04") is None
    assert record is not None
    assert record.departure.remaining_kg == (58_500.0, 60_000.0)
    assert record.departure.remaining_m3 == (448.0, 450.0)
