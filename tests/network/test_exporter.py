"""The exporter writes the format back losslessly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from silkhub.model import Mode, Network
from silkhub.network import load_network, write_network
from silkhub.network.exporter import format_cell


def test_round_trip_is_lossless(tiny_hub: Network, tmp_path: Path) -> None:
    """Loading an exported network gives back an equal network."""
    write_network(tiny_hub, tmp_path / "out")
    again = load_network(tmp_path / "out")
    assert again == tiny_hub
    assert again.services["1Z101"].price_per_kg == Decimal("32.50")


def test_a_line_separator_inside_a_cell_round_trips(tiny_hub_copy: Path, tmp_path: Path) -> None:
    """U+2028 or a form feed inside a quoted cell is text, not a line break, when read back."""
    places = tiny_hub_copy / "places.csv"
    text = places.read_text("utf-8")
    places.write_text(
        text.replace(
            "Zhengzhou Xinzheng International Airport", '"Zhengzhou\u2028Xinzheng\x0cAirport"'
        ),
        "utf-8",
    )
    network = load_network(tiny_hub_copy)
    assert network.places["CGO"].name == "Zhengzhou\u2028Xinzheng\x0cAirport"
    write_network(network, tmp_path / "out")
    assert load_network(tmp_path / "out") == network


@pytest.mark.parametrize(
    "name", ["Zhengzhou\rAirport", "Zhengzhou\r\nAirport", "Zheng\nzhou\rAirport"]
)
def test_a_carriage_return_inside_a_cell_round_trips(
    tiny_hub: Network, tmp_path: Path, name: str
) -> None:
    """A CR in a name given in code is quoted on export and read back as written, not as LF.

    The csv writer quoted only LF (its line terminator), and reading the file as text turned
    a quoted CR into LF: a lone CR split the row, CRLF came back as LF.
    """
    network = replace(
        tiny_hub, places={**tiny_hub.places, "CGO": replace(tiny_hub.places["CGO"], name=name)}
    )
    write_network(network, tmp_path / "out")
    again = load_network(tmp_path / "out")
    assert again.places["CGO"].name == name
    assert again == network


def test_second_export_is_byte_identical(tiny_hub: Network, tmp_path: Path) -> None:
    """Exporting what was exported changes no byte (stable for version control)."""
    write_network(tiny_hub, tmp_path / "a")
    write_network(load_network(tmp_path / "a"), tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_writes_all_six_files_with_headers(tiny_hub: Network, tmp_path: Path) -> None:
    """Every file is written, optional ones included, with a header row."""
    written = write_network(tiny_hub, tmp_path)
    assert sorted(p.name for p in written) == [
        "calendar.csv", "links.csv", "places.csv", "services.csv", "stops.csv", "transfers.csv",
    ]  # fmt: skip
    assert (tmp_path / "calendar.csv").read_text().splitlines()[0] == (
        "service_id,weekdays,start_time,valid_from,valid_to,source"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (110000.0, "110000"),
        (0.1, "0.1"),
        (34.519699, "34.519699"),
        (Decimal("32.50"), "32.50"),
        (7, "7"),
        (Mode.SEA, "sea"),
        (time(18, 19), "18:19"),
        (date(2025, 2, 16), "2025-02-16"),
    ],
)
def test_cells_are_written_as_the_loader_reads_them(value: object, text: str) -> None:
    """Floats use their shortest exact text, money keeps its digits, times are HH:MM."""
    assert format_cell(value) == text
