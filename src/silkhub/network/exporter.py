"""Write a network back to the folder format; loading the result gives an equal network."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal
from enum import Enum
from pathlib import Path

from silkhub.model import Network, Place, Service, Stop
from silkhub.network._rows import (
    CalendarRow,
    LinkRow,
    PlaceRow,
    ServiceRow,
    StopRow,
    TransferRow,
    _Row,
    columns,
)


def format_cell(value: object) -> str:
    """One value as the loader reads it back: shortest exact float text, HH:MM times, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("booleans have no cell format")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int | Decimal | str):
        return str(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no cell format for {type(value).__name__}")


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write one CSV file with LF line ends, quoting any cell with a CR or LF in it.

    The csv writer quotes only the characters of its own line terminator, so a writer ending
    lines with LF left a lone CR unquoted, and the loader read it as a line break. This one
    ends rows with CRLF (so both are quoted) in a buffer, and the file gets LF.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    with path.open("w", encoding="utf-8", newline="") as handle:
        for cells in itertools.chain([header], ([format_cell(v) for v in row] for row in rows)):
            writer.writerow(cells)
            handle.write(buffer.getvalue()[:-2] + "\n")
            buffer.seek(0)
            buffer.truncate()


def _place_row(p: Place) -> list[object]:
    return [
        p.place_id,
        p.name,
        p.kind,
        p.country,
        p.lat,
        p.lon,
        p.timezone,
        p.iata,
        p.unlocode,
        p.source,
    ]


def _service_row(s: Service) -> list[object]:
    classes = ";".join(sorted(c.value for c in s.cargo_classes))
    return [
        s.service_id,
        s.mode,
        s.operator,
        s.vehicle,
        s.capacity_kg,
        s.capacity_m3,
        s.price_per_kg,
        s.min_charge,
        s.currency,
        s.name,
        classes,
        s.capacity_teu,
        s.source,
    ]


def _stop_row(s: Stop) -> list[object]:
    return [s.service_id, s.seq, s.place_id, s.arrival_min, s.departure_min, s.distance_km]


def write_network(network: Network, directory: Path | str) -> list[Path]:
    """Write all six files into ``directory`` (created if needed); returns the paths written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[type[_Row], list[list[object]]]] = {
        "places.csv": (PlaceRow, [_place_row(p) for p in network.places.values()]),
        "services.csv": (ServiceRow, [_service_row(s) for s in network.services.values()]),
        "stops.csv": (StopRow, [_stop_row(s) for stops in network.stops.values() for s in stops]),
        "calendar.csv": (
            CalendarRow,
            [
                [
                    c.service_id,
                    "".join("1" if d else "0" for d in c.weekdays),
                    c.start_time,
                    c.valid_from,
                    c.valid_to,
                    c.source,
                ]
                for c in network.calendars
            ],
        ),
        "transfers.csv": (
            TransferRow,
            [
                [t.place_id, t.min_minutes, t.from_mode, t.to_mode, t.source]
                for t in network.transfers
            ],
        ),
        "links.csv": (
            LinkRow,
            [
                [
                    k.from_place,
                    k.to_place,
                    k.mode,
                    k.duration_min,
                    k.distance_km,
                    k.price_per_kg,
                    k.min_charge,
                    k.currency,
                    k.source,
                ]
                for k in network.links
            ],
        ),
    }
    written = []
    for name, (model, rows) in files.items():
        header = columns(model)
        assert all(len(row) == len(header) for row in rows)  # exporter and row model agree
        _write(folder / name, header, rows)
        written.append(folder / name)
    return written
