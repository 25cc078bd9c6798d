"""The embedded Zhengzhou network holds the facts the seed documents report."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest

import silkhub

DATA_DIR = Path(silkhub.__file__).parent / "data" / "zhengzhou"
FILES = ("places", "services", "stops", "calendar", "transfers", "links")


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """All rows of one CSV file of the dataset."""
    with (DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def service(service_id: str) -> dict[str, str]:
    """One row of services.csv."""
    (row,) = [r for r in rows("services") if r["service_id"] == service_id]
    return row


def calendar(service_id: str) -> list[dict[str, str]]:
    """The calendar rows of one service."""
    return [r for r in rows("calendar") if r["service_id"] == service_id]


def stop_places(service_id: str) -> list[str]:
    """The place ids a service calls at, in order."""
    stops = sorted(
        (r for r in rows("stops") if r["service_id"] == service_id), key=lambda r: int(r["seq"])
    )
    return [r["place_id"] for r in stops]


def test_madrid_freighter_is_one_air_b747() -> None:
    """CGO–MAD is One Air's B747-400F, first departing 2025-02-16 at 18:19 local."""
    row = service("AIR-CGO-MAD")
    assert row["operator"] == "One Air"
    assert row["vehicle"] == "B747-400F"
    assert stop_places("AIR-CGO-MAD") == ["CGO", "MAD"]
    (rule,) = calendar("AIR-CGO-MAD")
    assert (rule["valid_from"], rule["start_time"]) == ("2025-02-16", "18:19")
    assert rule["weekdays"][6] == "1"  # 2025-02-16 is a Sunday


def test_oslo_runs_four_times_a_week_from_18_february() -> None:
    """The Oslo freighter (via Karaganda, Capital Airlines) runs 4 a week from 2025-02-18."""
    assert stop_places("AIR-CGO-KGF-OSL") == ["CGO", "KGF", "OSL"]
    assert service("AIR-CGO-KGF-OSL")["operator"] == "Capital Airlines"
    (rule,) = calendar("AIR-CGO-KGF-OSL")
    assert rule["weekdays"].count("1") == 4
    assert rule["valid_from"] == "2025-02-18"


def test_dhaka_runs_twice_a_week_from_17_february() -> None:
    """The Dhaka freighter runs 2 a week from 2025-02-17."""
    (rule,) = calendar("AIR-CGO-DAC")
    assert rule["weekdays"].count("1") == 2
    assert rule["valid_from"] == "2025-02-17"


def test_almaty_tir_starts_23_september_2024_via_khorgos() -> None:
    """The Almaty TIR leaves the TIR centre in the bonded zone from 2024-09-23 via Khorgos."""
    assert stop_places("TIR-ZGZ-ALA") == ["CNZGZ-XZCBZ", "CNHRS", "KZALA"]
    assert min(r["valid_from"] for r in calendar("TIR-ZGZ-ALA")) == "2024-09-23"
    places = {r["place_id"]: r for r in rows("places")}
    assert places["CNZGZ-XZCBZ"]["kind"] == "bonded_zone"


def test_herne_is_in_germany() -> None:
    """Herne is placed in Germany, not in the Netherlands as one seed says."""
    places = {r["place_id"]: r for r in rows("places")}
    assert places["DEHEE"]["country"] == "DE"
    assert places["DEHEE"]["timezone"] == "Europe/Berlin"


@pytest.mark.parametrize(
    "destination", ["BELGG", "DEHAM", "RSBEG", "DEHEE", "AZBAK", "TRIST", "KZALA", "UZTAS"]
)
def test_rail_destinations_are_served_both_ways(destination: str) -> None:
    """Each named China–Europe rail destination has a train from and back to the land port."""
    services = {r["service_id"] for r in rows("services") if r["mode"] == "rail"}
    outbound = [s for s in services if stop_places(s)[:1] == ["CNZGZ"]]
    inbound = [s for s in services if stop_places(s)[-1:] == ["CNZGZ"]]
    assert any(stop_places(s)[-1] == destination for s in outbound)
    assert any(stop_places(s)[0] == destination for s in inbound)


def test_rail_sea_via_qingdao_to_felixstowe() -> None:
    """Rail Zhengzhou→Qingdao and a Qingdao→Felixstowe sailing with a searoute distance."""
    assert stop_places("RS-ZGZ-TAO") == ["CNZGZ", "CNTAO"]
    assert stop_places("SEA-TAO-FXT") == ["CNTAO", "GBFXT"]
    (last,) = [r for r in rows("stops") if r["service_id"] == "SEA-TAO-FXT" and r["seq"] == "2"]
    assert float(last["distance_km"]) > 15_000


def test_yiwu_feeder_reaches_cgo() -> None:
    """A truck link brings Yiwu cargo to Zhengzhou airport."""
    assert any(r["from_place"] == "YIW" and r["to_place"] == "CGO" for r in rows("links"))


def test_over_ten_international_trains_a_day_at_zhengzhou() -> None:
    """Seed 002: over 10 international trains arrive or depart per day (> 70 a week)."""
    from datetime import date

    from silkhub.model import Mode
    from silkhub.network import default_network, expand_departures

    network = default_network()
    week = expand_departures(network, date(2025, 3, 3), date(2025, 3, 9))
    international = [
        run
        for run in week
        if network.services[run.service_id].mode is Mode.RAIL
        and {network.places[s.place_id].country for s in network.stops[run.service_id]} != {"CN"}
    ]
    assert len(international) > 70
