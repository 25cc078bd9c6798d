"""`silkhub quote` as a user runs it: table, JSON, and clear errors with exit code 2."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from silkhub.cli import _common as cli_common
from silkhub.cli import app
from silkhub.cli import quote as quote_cli
from silkhub.model import Network

runner = CliRunner()


def _quote(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["quote", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_prints_only_the_itineraries_document(tiny_hub_dir: Path) -> None:
    """--json prints exactly {"itineraries": [...]} with local times, prices and legs."""
    code, stdout, _ = _quote(
        "--from", "YIW", "--to", "MAD", "--ready", "2025-03-03T08:00+08:00",
        "--weight", "500", "--volume", "2.5", "--network", str(tiny_hub_dir), "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(stdout)
    assert list(doc) == ["itineraries"]
    first = doc["itineraries"][0]
    assert set(first) == {"departure", "arrival", "price", "co2e_kg", "legs"}
    assert first["departure"].endswith("+08:00")  # Yiwu's zone
    assert first["arrival"].endswith(("+01:00", "+02:00"))  # Madrid's zone
    assert first["price"]["currency"] == "CNY"
    assert isinstance(first["price"]["amount"], str)
    leg_keys = {"service_id", "mode", "from", "to", "departure", "arrival", "distance_km",
                "co2e_kg", "price"}  # fmt: skip
    assert all(set(leg) == leg_keys for leg in first["legs"])
    assert next(leg["from"] for leg in first["legs"]) == "YIW"


def test_json_itineraries_are_sorted_by_arrival_then_price_then_co2e() -> None:
    """On the embedded hub, Zhengzhou → Almaty offers a TIR run and a cheaper, later train."""
    code, stdout, _ = _quote(
        "--from", "CNZGZ", "--to", "KZALA", "--ready", "2026-12-01T08:00+08:00",
        "--weight", "500", "--volume", "2.5", "--json",
    )  # fmt: skip
    assert code == 0
    itineraries = json.loads(stdout)["itineraries"]
    assert len(itineraries) >= 2
    keys = [
        (datetime.fromisoformat(it["arrival"]), Decimal(it["price"]["amount"]), it["co2e_kg"])
        for it in itineraries
    ]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)  # each point of the front once


def test_table_is_the_default(tiny_hub_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --json a Rich table lists each itinerary's legs."""
    monkeypatch.setattr(cli_common.out, "_width", 160)  # the legs on one line
    code, stdout, _ = _quote(
        "--from", "CGO", "--to", "OSL", "--ready", "2025-03-03T06:00",
        "--weight", "100", "--network", str(tiny_hub_dir),
    )  # fmt: skip
    assert code == 0
    assert "CGO [air JD451] → OSL" in stdout  # each place once, each hop in brackets
    assert "CNY" in stdout


def test_table_names_each_place_once(tiny_hub_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link then a flight: the place where they meet is written once, between the hops."""
    monkeypatch.setattr(cli_common.out, "_width", 160)
    code, stdout, _ = _quote(
        "--from", "YIW", "--to", "MAD", "--ready", "2025-03-03T08:00+08:00",
        "--weight", "500", "--network", str(tiny_hub_dir),
    )  # fmt: skip
    assert code == 0
    assert "YIW [road link] → CGO [air" in stdout


def test_table_shows_transit_to_the_minute(
    tiny_hub_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transit column is departure to arrival in days, hours and minutes, not rounded."""
    monkeypatch.setattr(cli_common.out, "_width", 200)
    code, stdout, _ = _quote(
        "--from", "YIW", "--to", "MAD", "--ready", "2025-03-03T08:00+08:00",
        "--weight", "500", "--network", str(tiny_hub_dir), "--json",
    )  # fmt: skip
    assert code == 0
    first = json.loads(stdout)["itineraries"][0]
    minutes = int(
        (
            datetime.fromisoformat(first["arrival"]) - datetime.fromisoformat(first["departure"])
        ).total_seconds()
        // 60
    )
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    expected = f"{days}d {hours:02d}h {minutes:02d}m" if days else f"{hours}h {minutes:02d}m"
    code, stdout, _ = _quote(
        "--from", "YIW", "--to", "MAD", "--ready", "2025-03-03T08:00+08:00",
        "--weight", "500", "--network", str(tiny_hub_dir),
    )  # fmt: skip
    assert code == 0
    assert expected in stdout


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(minutes=295), "4h 55m"),
        (timedelta(minutes=59, seconds=59), "0h 59m"),
        (timedelta(days=3, hours=22, minutes=59, seconds=59), "3d 22h 59m"),
        (timedelta(days=1), "1d 00h 00m"),
    ],
)
def test_transit_is_shown_to_the_minute_rounded_down(delta: timedelta, shown: str) -> None:
    assert quote_cli._duration(delta) == shown


def test_no_route_is_an_empty_list_and_success(tiny_hub_dir: Path) -> None:
    """A destination no service reaches gives {"itineraries": []} and exit code 0."""
    code, stdout, _ = _quote(
        "--from", "MAD", "--to", "YIW", "--ready", "2025-03-03T08:00+01:00",
        "--weight", "10", "--network", str(tiny_hub_dir), "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(stdout) == {"itineraries": []}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "XXX"], "--from: unknown place 'XXX'"),
        (["--to", "ZZZ"], "--to: unknown place 'ZZZ'"),
        (["--to", "Madrid"], "--to: unknown place 'Madrid'; did you mean 'MAD' (Adolfo Suárez"),
        (["--from", "cncgo"], "--from: unknown place 'cncgo'; did you mean 'CGO'"),
        (["--to", "CGO"], "--to: the destination is the origin"),
        (["--ready", "2025-02-30T08:00"], "--ready"),
        (["--ready", "soon"], "--ready"),
        (["--weight", "-5"], "--weight: must be greater than 0"),
        (["--weight", "abc"], "--weight: 'abc' is not a number"),
        (["--weight", "inf"], "--weight"),
        (["--volume", "-1"], "--volume: must not be negative"),
        (["--currency", "XYZ"], "--currency"),
        (["--weight", "1_000"], "--weight: '1_000' is not a number"),
        # float() takes other scripts' digits and blanks; the docs promise plain numbers
        (["--weight", "\u0661\u0662"], "--weight: '١٢' is not a number"),
        (["--weight", "\uff15"], "--weight: '５' is not a number"),
        (["--weight", " 5"], "--weight: ' 5' is not a number"),
        (["--volume", "2.5 "], "--volume: '2.5 ' is not a number"),
        (["--weight", "nan"], "--weight: 'nan' is not a finite number"),
        (["--ready", "2025-03-03T08:00+25:00"], "its UTC offset must lie within ±23:59"),
        (["--ready", "2000-01-01T00:00+08:00"], "2000-01-01T00:00Z and 2100-01-01T00:00Z (UTC)"),
        (["--latest", "2025-03-01T00:00+01:00"], "--latest: must be after --ready"),
        (["--horizon", "0"], "--horizon: must be 1..366 days"),
        (["--horizon", "367"], "--horizon: must be 1..366 days"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    tiny_hub_dir: Path, args: list[str], message: str
) -> None:
    """Unknown places, impossible dates and bad numbers name the option and exit with 2."""
    base = {"--from": "CGO", "--to": "MAD", "--ready": "2025-03-03T08:00", "--weight": "10"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [part for pair in base.items() for part in pair]
    code, stdout, stderr = _quote(*flat, "--network", str(tiny_hub_dir))
    assert code == 2
    assert message in " ".join(stderr.split())
    assert stdout == ""


def test_horizon_limits_the_departures_searched() -> None:
    """--horizon 3 (72 h) stops before the Madrid freighter; --horizon 4 reaches it.

    It leaves 2025-09-04 18:19, 3 days 10 h after the ready time.
    """
    base = ["--from", "YIW", "--to", "MAD", "--ready", "2025-09-01T08:00+08:00", "--weight", "500"]
    code, stdout, _ = _quote(*base, "--json", "--horizon", "3")
    assert code == 0
    assert json.loads(stdout) == {"itineraries": []}
    code, stdout, _ = _quote(*base, "--json", "--horizon", "4")
    assert code == 0
    services = {leg["service_id"] for it in json.loads(stdout)["itineraries"] for leg in it["legs"]}
    assert "AIR-CGO-MAD" in services


def test_default_network_is_the_embedded_hub() -> None:
    """Without --network the embedded Zhengzhou hub answers the README's example."""
    code, stdout, _ = _quote(
        "--from", "YIW", "--to", "MAD", "--ready", "2025-09-01T08:00+08:00", "--weight", "500",
        "--volume", "2.5", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(stdout)["itineraries"]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--ready", "9999-12-31T08:00+08:00"),
        ("--ready", "0001-01-01T00:00+08:00"),
        ("--latest", "9999-12-31T23:59+00:00"),
    ],
)
def test_date_far_out_of_range_exits_2(tiny_hub_dir: Path, option: str, value: str) -> None:
    """A date near the calendar's ends exits 2 naming the option, not an OverflowError."""
    args = {"--ready": "2025-03-03T08:00+08:00", option: value}
    flat = [part for pair in args.items() for part in pair]
    code, _, stderr = _quote(
        "--from", "YIW", "--to", "MAD", "--weight", "500", "--network", str(tiny_hub_dir), *flat
    )  # fmt: skip
    assert code == 2
    assert f"error: {option}:" in stderr


def test_bad_latest_names_latest(tiny_hub_dir: Path) -> None:
    """An unparsable --latest is reported against --latest, not --ready."""
    code, _, stderr = _quote(
        "--from", "YIW", "--to", "MAD", "--ready", "2025-03-03T08:00+08:00", "--weight", "500",
        "--network", str(tiny_hub_dir), "--latest", "soon",
    )  # fmt: skip
    assert code == 2
    assert "error: --latest:" in stderr


def test_network_with_a_currency_without_a_rate_exits_2(tiny_hub_copy: Path) -> None:
    """A --network folder priced in XAU prints the loader's problem and exits 2, no traceback."""
    services = tiny_hub_copy / "services.csv"
    services.write_text(services.read_text().replace("800.00,CNY", "800.00,XAU"))
    code, stdout, stderr = _quote(
        "--from", "CGO", "--to", "MAD", "--ready", "2025-03-03T08:00", "--weight", "10",
        "--network", str(tiny_hub_copy),
    )  # fmt: skip
    assert code == 2
    assert stdout == ""
    assert "services.csv:2:currency: silkhub has no exchange rate for 'XAU'" in stderr
    assert f"error: --network {tiny_hub_copy}: 1 problem(s)" in " ".join(stderr.split())


def test_network_used_past_the_loader_gives_an_error_not_a_traceback(
    tiny_hub: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A network that skipped validation and has a tariff in XAU exits 2 with `error: ...`."""
    in_gold = dataclasses.replace(tiny_hub.services["1Z101"], currency="XAU")
    network = dataclasses.replace(tiny_hub, services={**tiny_hub.services, "1Z101": in_gold})
    monkeypatch.setattr("silkhub.cli.quote.network_or_exit", lambda _: network)
    code, stdout, stderr = _quote(
        "--from", "CGO", "--to", "MAD", "--ready", "2025-03-03T08:00", "--weight", "10",
    )  # fmt: skip
    assert code == 2
    assert stdout == ""
    assert "error: service '1Z101' is priced in 'XAU'" in " ".join(stderr.split())
    assert "Traceback" not in stderr


def test_verbose_logs_each_step_to_stderr_and_keeps_stdout_json(
    tiny_hub_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """-v logs what is being done (it had turned the spinner off and said nothing)."""
    caplog.set_level(logging.INFO)
    result = runner.invoke(
        app,
        ["-v", "quote", "--from", "YIW", "--to", "MAD", "--ready", "2025-03-03T08:00+08:00",
         "--weight", "500", "--network", str(tiny_hub_dir), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["itineraries"]
    steps = [r.getMessage() for r in caplog.records if r.name == "silkhub.cli.quote"]
    assert steps
    assert steps[-1] == "searching"


def test_a_shipment_ready_after_the_timetable_ends_gets_a_note() -> None:
    """No route and exit 0, as the issue asks, but stderr says the timetable has ended."""
    args = ["--from", "YIW", "--to", "MAD", "--ready", "2030-01-01T08:00+08:00", "--weight", "500"]
    code, stdout, stderr = _quote(*args, "--json")
    assert code == 0
    assert json.loads(stdout) == {"itineraries": []}
    assert "note: the network's timetable ends on 2027-12-31" in " ".join(stderr.split())
    code, _, stderr = _quote(*args[:5], "2025-09-01T08:00+08:00", *args[6:], "--json")
    assert code == 0
    assert "timetable ends" not in stderr
