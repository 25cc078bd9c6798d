"""The embedded Zhengzhou network passes validation and holds the seed facts."""

from __future__ import annotations

import csv

from silkhub.model import Mode
from silkhub.network import default_network, default_network_path, read_network


def test_embedded_network_is_valid() -> None:
    """The shipped folder has no problem at all."""
    network, problems = read_network(default_network_path())
    assert problems == []
    assert network is not None
    assert {Mode.AIR, Mode.RAIL, Mode.SEA, Mode.ROAD} <= {
        s.mode for s in network.services.values()
    } | {link.mode for link in network.links}


def test_every_row_names_its_source() -> None:
    """Every row of every file with a source column says where its facts come from."""
    for path in sorted(default_network_path().glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if "source" not in (reader.fieldnames or []):
                continue
            for line, row in enumerate(reader, start=2):
                source = row["source"].strip()
                assert "seed:" in source or source.startswith("assumption:"), (
                    f"{path.name}:{line}: source {source!r} names neither a seed nor an assumption"
                )


def test_airport_places_come_from_airportsdata() -> None:
    """Airports carry airportsdata's coordinates and zone, not hand-typed ones."""
    import airportsdata

    airports = airportsdata.load("IATA")
    network = default_network()
    for place in network.places.values():
        if place.kind.value == "airport":
            record = airports[place.place_id]
            assert (round(place.lat, 4), round(place.lon, 4)) == (
                round(record["lat"], 4),
                round(record["lon"], 4),
            )
            assert place.timezone == record["tz"]
