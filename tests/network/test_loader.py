"""The loader: every kind of bad input is reported with file, line, column and reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from silkhub.model import MAX_MIN_CHARGE, MAX_PRICE_PER_KG, CargoClass, Mode, Network, PlaceKind
from silkhub.network import NetworkInvalidError, Problem, load_network, read_network


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(folder: Path, file: str, row: str) -> None:
    with (folder / file).open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")


def test_tiny_hub_loads_with_typed_values(tiny_hub: Network) -> None:
    """A valid folder becomes typed domain objects."""
    assert set(tiny_hub.places) == {"CGO", "MAD", "KGF", "OSL", "YIW"}
    assert tiny_hub.places["YIW"].kind is PlaceKind.ROAD_HUB
    madrid = tiny_hub.services["1Z101"]
    assert madrid.mode is Mode.AIR
    assert madrid.price_per_kg == Decimal("32.50")
    assert madrid.cargo_classes == {CargoClass.E_COMMERCE, CargoClass.GENERAL}
    assert [s.place_id for s in tiny_hub.stops["JD451"]] == ["CGO", "KGF", "OSL"]
    assert tiny_hub.stops["JD451"][2].distance_km == 4188.5
    assert len(tiny_hub.calendars) == 3
    assert tiny_hub.links[0].from_place == "YIW"


def test_load_network_raises_with_all_problems(tiny_hub_copy: Path) -> None:
    """load_network raises one error that carries every problem."""
    _edit(tiny_hub_copy, "places.csv", "Asia/Shanghai,CGO", "Asia/Zhengzhou,CGO")
    _edit(tiny_hub_copy, "services.csv", "32.50,800.00,CNY", "32.50,800.00,RMB")
    with pytest.raises(NetworkInvalidError) as caught:
        load_network(tiny_hub_copy)
    assert {(p.file, p.column) for p in caught.value.problems} == {
        ("places.csv", "timezone"),
        ("services.csv", "currency"),
    }


def test_not_a_folder(tmp_path: Path) -> None:
    """A path that is no folder is one problem, not a crash."""
    network, problems = read_network(tmp_path / "nowhere")
    assert network is None
    assert "is not a folder" in problems[0].reason


# (file, old text, new text, expected file, line, column, words in the reason)
BAD_EDITS = [
    (
        "places.csv",
        "CGO,Zhengzhou",
        "MAD,Zhengzhou",
        "places.csv",
        3,
        "place_id",
        "already defined on line 2",
    ),
    ("places.csv", ",airport,CN,34", ",spaceport,CN,34", "places.csv", 2, "kind", "'airport'"),
    (
        "places.csv",
        ",airport,CN,34",
        ",airport,XX,34",
        "places.csv",
        2,
        "country",
        "not an ISO 3166-1",
    ),
    (
        "places.csv",
        ",airport,CN,34",
        ",airport,cn,34",
        "places.csv",
        2,
        "country",
        "not an ISO 3166-1",
    ),
    ("places.csv", "34.519699", "134.5", "places.csv", 2, "lat", "less than or equal to 90"),
    ("places.csv", "113.841003", "east", "places.csv", 2, "lon", "valid number"),
    (
        "places.csv",
        "Asia/Shanghai,CGO",
        "Asia/Zhengzhou,CGO",
        "places.csv",
        2,
        "timezone",
        "not an IANA time zone",
    ),
    ("places.csv", "Airport,airport,CN", "Airport,,CN", "places.csv", 2, "kind", "cell is empty"),
    ("places.csv", ",CGO,CNCGO,", ",CG0,CNCGO,", "places.csv", 2, "iata", "pattern"),
    ("services.csv", "110000,680", "-5,680", "services.csv", 2, "capacity_kg", "greater than 0"),
    ("services.csv", "110000,680", "1e308,680", "services.csv", 2, "capacity_kg", "1000000000"),
    ("services.csv", "110000,680", "110000,1e12", "services.csv", 2, "capacity_m3", "10000000"),
    (
        "services.csv",
        "32.50,800.00,CNY",
        "32.50,800.00,RMB",
        "services.csv",
        2,
        "currency",
        "not an ISO 4217",
    ),
    ("services.csv", "32.50,800.00", "cheap,800.00", "services.csv", 2, "price_per_kg", "decimal"),
    ("services.csv", "1Z101,air", "1Z101,teleport", "services.csv", 2, "mode", "'air'"),
    (
        "services.csv",
        "e-commerce;general",
        "e-commerce;livestock",
        "services.csv",
        2,
        "cargo_classes",
        "'general'",
    ),
    (
        "services.csv",
        "e-commerce;general",
        "e-commerce;;general",
        "services.csv",
        2,
        "cargo_classes",
        "list has an empty item",
    ),
    (
        "services.csv",
        "e-commerce;general",
        "e-commerce;general;",
        "services.csv",
        2,
        "cargo_classes",
        "list has an empty item",
    ),
    (
        "services.csv",
        "32.50,800.00,CNY",
        "32.50,800.00,XAU",
        "services.csv",
        2,
        "currency",
        "silkhub has no exchange rate for 'XAU'",
    ),
    (
        "services.csv",
        "32.50,800.00",
        "1000.01,800.00",
        "services.csv",
        2,
        "price_per_kg",
        "price_per_kg 1000.01 is above silkhub's limit of 1,000",
    ),
    (
        "services.csv",
        "32.50,800.00",
        "32.00005,800.00",
        "services.csv",
        2,
        "price_per_kg",
        "more than 4 decimals",
    ),
    (
        "services.csv",
        "32.50,800.00",
        "32.50,1000000000.01",
        "services.csv",
        2,
        "min_charge",
        "min_charge 1000000000.01 is above silkhub's limit of 1,000,000,000",
    ),
    (
        "services.csv",
        "32.50,800.00",
        "32.50,800.00000001",
        "services.csv",
        2,
        "min_charge",
        "more than 7 decimals",
    ),
    ("stops.csv", "1Z101,2,MAD", "1Z101,2,BCN", "stops.csv", 3, "place_id", "unknown place 'BCN'"),
    ("stops.csv", "1Z101,1,CGO", "1Z999,1,CGO", "stops.csv", 2, "service_id", "unknown service"),
    ("stops.csv", "JD451,3,OSL", "JD451,4,OSL", "stops.csv", 6, "seq", "expected 3"),
    (
        "stops.csv",
        "JD451,2,KGF,330,420",
        "JD451,2,KGF,330,300",
        "stops.csv",
        5,
        "departure_min",
        "before the arrival",
    ),
    (
        "stops.csv",
        "JD451,3,OSL,900",
        "JD451,3,OSL,400",
        "stops.csv",
        6,
        "arrival_min",
        "not after the previous stop's departure 420",
    ),
    (
        "stops.csv",
        "1Z101,1,CGO,,0",
        "1Z101,1,CGO,,15",
        "stops.csv",
        2,
        "departure_min",
        "must be 0",
    ),
    (
        "stops.csv",
        "1Z101,1,CGO,,0",
        "1Z101,1,CGO,5,0",
        "stops.csv",
        2,
        "arrival_min",
        "empty on the first stop",
    ),
    (
        "stops.csv",
        "1Z101,2,MAD,750,",
        "1Z101,2,MAD,750,800",
        "stops.csv",
        3,
        "departure_min",
        "empty on the last stop",
    ),
    (
        "stops.csv",
        "JD451,2,KGF,330,420",
        "JD451,2,KGF,,420",
        "stops.csv",
        5,
        "arrival_min",
        "required on every stop but the first",
    ),
    (
        "stops.csv",
        "1Z101,2,MAD,750,",
        "1Z101,2,MAD,7.5,",
        "stops.csv",
        3,
        "arrival_min",
        "whole number",
    ),
    (
        "calendar.csv",
        "1000001,18:19",
        "100001,18:19",
        "calendar.csv",
        2,
        "weekdays",
        "7 characters of 0/1",
    ),
    ("calendar.csv", "1000001,18:19", "0000000,18:19", "calendar.csv", 2, "weekdays", "no weekday"),
    ("calendar.csv", "18:19", "6pm", "calendar.csv", 2, "start_time", "HH:MM"),
    (
        "calendar.csv",
        "2025-02-16",
        "2025-02-30",
        "calendar.csv",
        2,
        "valid_from",
        "not a valid date",
    ),
    ("calendar.csv", "2025-02-16", "16/02/2025", "calendar.csv", 2, "valid_from", "YYYY-MM-DD"),
    (
        "calendar.csv",
        "2025-02-16,2025-12-31",
        "2025-12-31,2025-02-16",
        "calendar.csv",
        2,
        "valid_to",
        "before valid_from",
    ),
    ("calendar.csv", "JD451,1010100", "JD451,1110100", "calendar.csv", 4, "weekdays", "overlap"),
    ("transfers.csv", "CGO,180", "PEK,180", "transfers.csv", 2, "place_id", "unknown place"),
    (
        "transfers.csv",
        "CGO,120,air,air",
        "CGO,120,,air",
        "transfers.csv",
        3,
        "place_id",
        "same place and modes as line 2",
    ),
    (
        "transfers.csv",
        "CGO,180",
        "CGO,-1",
        "transfers.csv",
        2,
        "min_minutes",
        "greater than or equal to 0",
    ),
    ("links.csv", "YIW,CGO,road", "YIW,YIW,road", "links.csv", 2, "to_place", "another place"),
    (
        "links.csv",
        "YIW,CGO,road",
        "YIW,XIY,road",
        "links.csv",
        2,
        "to_place",
        "unknown place 'XIY'",
    ),
    ("links.csv", "road,720", "road,0", "links.csv", 2, "duration_min", "greater than 0"),
    (
        "links.csv",
        "1.20,300,CNY",
        "1.20,300,XAU",
        "links.csv",
        2,
        "currency",
        "silkhub has no exchange rate for 'XAU'",
    ),
    (
        "links.csv",
        "1050,1.20,300",
        "1050,1500,300",
        "links.csv",
        2,
        "price_per_kg",
        "above silkhub's limit of 1,000",
    ),
    (
        "links.csv",
        "1.20,300,CNY",
        "1.20,2e9,CNY",
        "links.csv",
        2,
        "min_charge",
        "above silkhub's limit of 1,000,000,000",
    ),
    ("places.csv", "place_id,name", "place_id,nom", "places.csv", 1, "nom", "unknown column"),
    (
        "places.csv",
        "place_id,name",
        "place_id,place_id",
        "places.csv",
        1,
        "place_id",
        "more than once",
    ),
    (
        "stops.csv",
        "arrival_min,departure_min",
        "arrival,departure_min",
        "stops.csv",
        1,
        "arrival_min",
        "required column is missing",
    ),
    ("links.csv", "1050,1.20", "1050", "links.csv", 2, "", "8 fields, the header has 9"),
    (
        "services.csv",
        "32.50,800.00",
        "1e-999999999,800.00",
        "services.csv",
        2,
        "price_per_kg",
        "more than 4 decimals",
    ),
    (
        "services.csv",
        "e-commerce;general,,test",
        "e-commerce;general,100000000000000000000,test",
        "services.csv",
        2,
        "capacity_teu",
        "less than or equal to 1000000",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "at_file", "line", "column", "words"), BAD_EDITS)
def test_bad_input_is_reported_where_it_is(
    tiny_hub_copy: Path,
    file: str,
    old: str,
    new: str,
    at_file: str,
    line: int,
    column: str,
    words: str,
) -> None:
    """Each kind of bad cell, row or header yields a problem at its file, line and column."""
    _edit(tiny_hub_copy, file, old, new)
    network, problems = read_network(tiny_hub_copy)
    assert network is None
    matching = [p for p in problems if (p.file, p.line, p.column) == (at_file, line, column)]
    assert matching, f"no problem at {at_file}:{line}:{column}; got {[str(p) for p in problems]}"
    assert any(words in p.reason for p in matching), [p.reason for p in matching]


@pytest.mark.parametrize("file", ["places.csv", "services.csv", "stops.csv", "calendar.csv"])
def test_missing_required_file(tiny_hub_copy: Path, file: str) -> None:
    """A required file that is absent is named."""
    (tiny_hub_copy / file).unlink()
    _, problems = read_network(tiny_hub_copy)
    assert Problem(file, 0, "", "required file is missing") in problems


@pytest.mark.parametrize("file", ["transfers.csv", "links.csv"])
def test_optional_files_may_be_absent(tiny_hub_copy: Path, file: str) -> None:
    """transfers.csv and links.csv are optional."""
    (tiny_hub_copy / file).unlink()
    network, problems = read_network(tiny_hub_copy)
    assert problems == []
    assert network is not None


def test_service_without_stops_or_calendar(tiny_hub_copy: Path) -> None:
    """A service that never calls anywhere or never runs is a problem."""
    _append(tiny_hub_copy, "services.csv", "GHOST,rail,CR,train,1000,50,1,10,CNY,,,,test")
    _, problems = read_network(tiny_hub_copy)
    reasons = {p.reason for p in problems if p.line == 4}
    assert reasons == {"service 'GHOST' has no stops", "service 'GHOST' has no calendar row"}


def test_service_with_one_stop(tiny_hub_copy: Path) -> None:
    """A single stop is no journey."""
    _append(tiny_hub_copy, "services.csv", "LONE,rail,CR,train,1000,50,1,10,CNY,,,,test")
    _append(tiny_hub_copy, "stops.csv", "LONE,1,CGO,,0,")
    _append(tiny_hub_copy, "calendar.csv", "LONE,1111111,08:00,2025-01-01,2025-12-31,test")
    _, problems = read_network(tiny_hub_copy)
    assert any("only one stop" in p.reason for p in problems)


def test_not_utf8(tiny_hub_copy: Path) -> None:
    """A file in another encoding is reported, not decoded wrongly."""
    (tiny_hub_copy / "places.csv").write_bytes("place_id,name\nX,Zürich\n".encode("latin-1"))
    _, problems = read_network(tiny_hub_copy)
    assert any(p.file == "places.csv" and "not valid UTF-8" in p.reason for p in problems)


def test_bom_and_blank_trailing_line_are_tolerated(tiny_hub_copy: Path) -> None:
    """Spreadsheet exports often start with a BOM and end with a blank line."""
    path = tiny_hub_copy / "places.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes() + b"\n")
    network, problems = read_network(tiny_hub_copy)
    assert problems == []
    assert network is not None


def test_every_problem_is_reported_not_only_the_first(tiny_hub_copy: Path) -> None:
    """Several independent mistakes in several files come back together, in file order."""
    _edit(tiny_hub_copy, "places.csv", ",airport,ES,", ",airport,SP,")
    _edit(tiny_hub_copy, "stops.csv", "JD451,3,OSL,900", "JD451,3,OSL,400")
    _edit(tiny_hub_copy, "calendar.csv", "09:30", "9.30")
    _edit(tiny_hub_copy, "links.csv", "1.20,300,CNY", "1.20,300,YUAN")
    _, problems = read_network(tiny_hub_copy)
    assert [p.file for p in problems] == ["places.csv", "stops.csv", "calendar.csv", "links.csv"]
    assert (
        str(problems[0]) == "places.csv:3:country: 'SP' is not an ISO 3166-1 alpha-2 country code"
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "column"),
    [
        ("stops.csv", "1Z101,2,MAD,750,", "1Z101,2,MAD,99999999999999999,", "arrival_min"),
        ("transfers.csv", "CGO,180", "CGO,99999999999999999999", "min_minutes"),
        ("links.csv", "road,720", "road,99999999999999999999", "duration_min"),
        ("places.csv", "Asia/Shanghai,CGO", "A" * 300 + ",CGO", "timezone"),
    ],
)
def test_out_of_range_values_are_problems_not_crashes(
    tiny_hub_copy: Path, file: str, old: str, new: str, column: str
) -> None:
    """Minutes beyond a year and absurd zone names are reported, never overflow later."""
    _edit(tiny_hub_copy, file, old, new)
    _, problems = read_network(tiny_hub_copy)
    assert any(p.file == file and p.column == column for p in problems), problems


def test_tariffs_at_the_limits_load(tiny_hub_copy: Path) -> None:
    """price_per_kg 1,000 and min_charge 1,000,000,000 with the most decimals allowed are valid."""
    _edit(tiny_hub_copy, "services.csv", "32.50,800.00", "1000.0000,999999999.9999999")
    _edit(tiny_hub_copy, "links.csv", "1.20,300", "0.0001,1000000000")
    network = load_network(tiny_hub_copy)
    assert network.services["1Z101"].price_per_kg == MAX_PRICE_PER_KG
    assert network.services["1Z101"].min_charge == Decimal("999999999.9999999")
    assert network.links[0].min_charge == MAX_MIN_CHARGE


def test_currency_without_a_rate_names_the_currency(tiny_hub_copy: Path) -> None:
    """XAU is valid ISO 4217 but has no rate: one problem at the cell, in the usual form."""
    _edit(tiny_hub_copy, "services.csv", "32.50,800.00,CNY", "32.50,800.00,XAU")
    _, problems = read_network(tiny_hub_copy)
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        "services.csv:2:currency: silkhub has no exchange rate for 'XAU', so this tariff"
    )


def test_currencies_of_an_own_rate_table_are_accepted(tiny_hub_copy: Path) -> None:
    """``currencies=`` replaces the embedded table's codes (for a router with its own rates)."""
    _edit(tiny_hub_copy, "services.csv", "32.50,800.00,CNY", "32.50,800.00,XAU")
    network = load_network(tiny_hub_copy, currencies={"CNY", "XAU"})
    assert network.services["1Z101"].currency == "XAU"
    _, problems = read_network(tiny_hub_copy, currencies={"XAU"})
    assert {(p.file, p.line, p.column) for p in problems} == {
        ("services.csv", 3, "currency"),  # JD451 in CNY
        ("links.csv", 2, "currency"),
    }


def test_field_over_the_csv_limit_is_a_problem(tiny_hub_copy: Path) -> None:
    """A cell too large for the csv module is a problem of its file, not a traceback."""
    _edit(tiny_hub_copy, "places.csv", ",test\nMAD", "," + "x" * 200_000 + "\nMAD")
    _, problems = read_network(tiny_hub_copy)
    assert any(p.file == "places.csv" and "not readable as CSV" in p.reason for p in problems)


def test_a_currency_without_a_rate_is_reported_beside_the_row_s_other_problems(
    tiny_hub_copy: Path,
) -> None:
    """A row with a price beyond the limit and an unrated currency gets both problems."""
    _edit(tiny_hub_copy, "services.csv", "32.50,800.00,CNY", "1500,800.00,XAU")
    _, problems = read_network(tiny_hub_copy)
    assert {(p.file, p.line, p.column) for p in problems} == {
        ("services.csv", 2, "price_per_kg"),
        ("services.csv", 2, "currency"),
    }


def test_a_bad_stop_row_does_not_hide_a_missing_calendar(tiny_hub_copy: Path) -> None:
    """A service whose stop row is bad is still reported when it has no calendar row."""
    stops = tiny_hub_copy / "stops.csv"
    lines = stops.read_text("utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("1Z101,2,"))
    cells = lines[first].split(",")
    cells[3] = "abc"  # arrival_min
    lines[first] = ",".join(cells)
    stops.write_text("\n".join(lines) + "\n", "utf-8")
    calendar = tiny_hub_copy / "calendar.csv"
    kept = [
        line for line in calendar.read_text("utf-8").splitlines() if not line.startswith("1Z101,")
    ]
    calendar.write_text("\n".join(kept) + "\n", "utf-8")
    _, problems = read_network(tiny_hub_copy)
    reasons = [p.reason for p in problems]
    assert "service '1Z101' has no calendar row" in reasons, reasons
    assert any(p.file == "stops.csv" and p.column == "arrival_min" for p in problems)


def test_a_row_with_the_wrong_field_count_causes_no_cascade(tiny_hub_copy: Path) -> None:
    """A place row with a field too many is one problem, not one per row that names it."""
    _edit(tiny_hub_copy, "places.csv", "CGO,Zhengzhou", "CGO,,Zhengzhou")
    _, problems = read_network(tiny_hub_copy)
    assert [(p.file, p.line) for p in problems] == [("places.csv", 2)], [str(p) for p in problems]


@pytest.mark.parametrize(
    ("file", "old", "new", "column", "words"),
    [
        ("places.csv", "\nMAD,", "\n" + "M" * 101 + ",", "place_id", "at most 100"),
        ("places.csv", "\nMAD,", "\nM\tAD,", "place_id", "pattern"),
        ("places.csv", "\nMAD,", "\nES/MAD,", "place_id", "pattern"),
        ("places.csv", "Madrid–Barajas", "Madrid\x00Barajas", "name", "NUL"),
        ("calendar.csv", "2025-01-01,2025-06-30", "1999-12-31,2025-06-30", "valid_from", "2000"),
        ("calendar.csv", "2025-01-01,2025-06-30", "2025-01-01,9999-12-31", "valid_to", "2099"),
        ("places.csv", "Asia/Shanghai,CGO", "localtime,CGO", "timezone", "IANA"),
        ("places.csv", "Asia/Shanghai,CGO", "posix/Asia/Shanghai,CGO", "timezone", "IANA"),
    ],
)
def test_values_the_store_or_the_calendar_cannot_take_are_problems(
    tiny_hub_copy: Path, file: str, old: str, new: str, column: str, words: str
) -> None:
    """Long or control-character ids, NUL, dates near the calendar's ends, non-zones.

    Each had passed validation and then failed later: PostgreSQL refused the import, the
    API could not look the id up, date arithmetic overflowed, or times followed the host.
    """
    _edit(tiny_hub_copy, file, old, new)
    _, problems = read_network(tiny_hub_copy)
    found = [p for p in problems if p.file == file and p.column == column]
    assert any(words in p.reason for p in found), [str(p) for p in problems]


def test_a_tariff_with_trailing_zeros_is_the_same_number_kept_short(tiny_hub_copy: Path) -> None:
    """32.50 followed by forty zeros is 32.5: kept with at most 4 decimals (a store column)."""
    _edit(tiny_hub_copy, "services.csv", "32.50,800.00", "32.50" + "0" * 40 + ",800.00")
    network = load_network(tiny_hub_copy)
    price = network.services["1Z101"].price_per_kg
    assert price == Decimal("32.5")
    assert len(str(price)) <= 10


def test_blank_lines_before_the_header_are_skipped(tiny_hub_copy: Path) -> None:
    """A blank or white-space line before the header is skipped like any blank line."""
    path = tiny_hub_copy / "links.csv"
    path.write_text("\n   \n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    network = load_network(tiny_hub_copy)
    assert network.links


def test_a_row_s_problems_name_the_line_it_starts_on(tiny_hub_copy: Path) -> None:
    """A quoted cell over three lines: the row's country problem is on its first line."""
    _edit(tiny_hub_copy, "places.csv", "airport,ES,", "airport,XX,")
    _edit(tiny_hub_copy, "places.csv", "ESMAD,test", 'ESMAD,"multi\nline\nsource"')
    _, problems = read_network(tiny_hub_copy)
    assert "places.csv:3:country" in {f"{p.file}:{p.line}:{p.column}" for p in problems}
