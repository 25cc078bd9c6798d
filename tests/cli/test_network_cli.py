"""`silkhub network show|validate|export` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from silkhub.cli import _common as cli_common
from silkhub.cli import app
from silkhub.network import load_network

runner = CliRunner()


def test_show_prints_places_channels_and_services(tiny_hub_dir: Path) -> None:
    """The summary names the places, weekly departures per mode and each service's route."""
    result = runner.invoke(
        app, ["network", "show", "--network", str(tiny_hub_dir), "--week", "2025-03-03"]
    )
    assert result.exit_code == 0, result.output
    assert "5 places, 2 services, 1 links" in result.output
    assert "CGO → KGF → OSL" in result.output
    air_row = next(
        line for line in result.output.splitlines() if line.strip("│ ").startswith("air ")
    )
    cells = [cell.strip() for cell in air_row.split("│")]
    assert cells[1:5] == ["air", "2", "8", "580"]  # 2 Madrid + 6 Oslo runs, 580 t that week


def test_show_defaults_to_the_embedded_hub() -> None:
    """Without --network the embedded Zhengzhou hub is shown."""
    result = runner.invoke(app, ["network", "show", "--week", "2025-03-03"])
    assert result.exit_code == 0, result.output
    assert "Network zhengzhou" in result.output
    assert "CGO" in result.output


def test_show_with_bad_week_exits_2(tiny_hub_dir: Path) -> None:
    """A week that is not a date is a usage error with exit code 2."""
    result = runner.invoke(
        app, ["network", "show", "--network", str(tiny_hub_dir), "--week", "soon"]
    )
    assert result.exit_code == 2
    assert "--week" in result.output


def test_show_with_week_at_end_of_calendar_exits_2(tiny_hub_dir: Path) -> None:
    """A week running past 9999-12-31 is a usage error, not an OverflowError."""
    result = runner.invoke(
        app, ["network", "show", "--network", str(tiny_hub_dir), "--week", "9999-12-31"]
    )
    assert result.exit_code == 2
    assert "--week" in result.output


def test_show_with_invalid_network_lists_problems_and_exits_2(tiny_hub_copy: Path) -> None:
    """An invalid --network folder prints its problems."""
    (tiny_hub_copy / "places.csv").write_text(
        (tiny_hub_copy / "places.csv").read_text().replace("Europe/Oslo", "Europe/Olso")
    )
    result = runner.invoke(app, ["network", "show", "--network", str(tiny_hub_copy)])
    assert result.exit_code == 2
    assert "places.csv:5:timezone: 'Europe/Olso' is not an IANA time zone" in result.output


def test_an_invalid_network_with_many_problems_shows_the_first_fifty(tiny_hub_copy: Path) -> None:
    """Thousands of problems would bury the answer: the first 50, their count, and where to look."""
    stops = tiny_hub_copy / "stops.csv"
    header, *rows = stops.read_text().splitlines()
    extra = [f"NOPE{n},1,CGO,,0," for n in range(60)]  # 60 stops of a service that does not exist
    stops.write_text("\n".join([header, *rows, *extra]) + "\n")
    result = runner.invoke(app, ["network", "show", "--network", str(tiny_hub_copy)])
    assert result.exit_code == 2
    listed = [line for line in result.output.splitlines() if line.startswith("stops.csv:")]
    assert len(listed) == 50
    every = runner.invoke(app, ["network", "validate", str(tiny_hub_copy)])
    assert every.exit_code == 1
    total = sum(line.startswith("stops.csv:") for line in every.output.splitlines())
    assert total >= 60  # validate lists every one (each stray stop breaks two rules)
    tail = " ".join(result.output.split())
    assert f"{total} problems, the first 50 above" in tail
    assert "silkhub network validate" in tail


def test_validate_good_folder(tiny_hub_dir: Path) -> None:
    """A valid folder passes with counts and exit code 0."""
    result = runner.invoke(app, ["network", "validate", str(tiny_hub_dir)])
    assert result.exit_code == 0, result.output
    assert "valid: 5 places, 2 services, 5 stops" in result.output


def test_validate_lists_every_problem_and_exits_1(tiny_hub_copy: Path) -> None:
    """Every problem is printed as file:line:column: reason, and the exit code is 1."""
    stops = tiny_hub_copy / "stops.csv"
    stops.write_text(stops.read_text().replace("JD451,3,OSL,900", "JD451,3,OSL,400"))
    calendar = tiny_hub_copy / "calendar.csv"
    calendar.write_text(calendar.read_text().replace("1000001", "10000011"))
    result = runner.invoke(app, ["network", "validate", str(tiny_hub_copy)])
    assert result.exit_code == 1
    assert (
        "stops.csv:6:arrival_min: arrival 400 is not after the previous stop's departure 420"
        in result.output
    )
    assert (
        "calendar.csv:2:weekdays: must be 7 characters of 0/1, Monday first (got '10000011')"
        in result.output
    )
    assert "2 problem(s)" in result.output


def test_validate_reports_a_currency_without_an_exchange_rate(tiny_hub_copy: Path) -> None:
    """A valid ISO 4217 code silkhub has no rate for (XAU) is a problem at its cell, exit 1."""
    services = tiny_hub_copy / "services.csv"
    services.write_text(services.read_text().replace("800.00,CNY", "800.00,XAU"))
    result = runner.invoke(app, ["network", "validate", str(tiny_hub_copy)])
    assert result.exit_code == 1
    assert "services.csv:2:currency: silkhub has no exchange rate for 'XAU'" in result.output
    assert "1 problem(s)" in result.output


def test_export_writes_a_loadable_copy(tiny_hub_dir: Path, tmp_path: Path) -> None:
    """Export writes the format; the copy loads to the same network."""
    result = runner.invoke(
        app, ["network", "export", str(tmp_path / "copy"), "--network", str(tiny_hub_dir)]
    )
    assert result.exit_code == 0, result.output
    assert load_network(tmp_path / "copy") == load_network(tiny_hub_dir)


def test_export_refuses_to_overwrite_without_force(tiny_hub_dir: Path, tmp_path: Path) -> None:
    """Existing network files are only overwritten with --force."""
    args = ["network", "export", str(tmp_path), "--network", str(tiny_hub_dir)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 2
    assert "--force" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_export_into_an_impossible_folder_is_a_clear_error(tmp_path: Path) -> None:
    """A folder under a plain file cannot be made: exit code 2 and a message, no traceback."""
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(app, ["network", "export", str(tmp_path / "afile" / "sub")])
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_export_of_the_embedded_hub_round_trips(tmp_path: Path) -> None:
    """The embedded network exports and reloads unchanged."""
    result = runner.invoke(app, ["network", "export", str(tmp_path / "zz")])
    assert result.exit_code == 0, result.output
    from silkhub.network import default_network

    assert load_network(tmp_path / "zz") == default_network()


def test_show_leaves_the_operator_out_of_a_narrow_terminal(
    tiny_hub_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns every other column keeps room to be read; from 120 the operator is shown."""
    args = ["network", "show", "--network", str(tiny_hub_dir), "--week", "2025-03-03"]
    monkeypatch.setattr(cli_common.out, "_width", 80)
    narrow = runner.invoke(app, args)
    assert narrow.exit_code == 0, narrow.output
    assert "CGO → KGF → OSL" in narrow.output  # the route is not squeezed to nothing
    assert "┃ operator" not in narrow.output
    assert "operator column shown from 120 columns wide" in narrow.output
    monkeypatch.setattr(cli_common.out, "_width", 160)
    wide = runner.invoke(app, args)
    assert "┃ operator" in wide.output
    assert "operator column shown" not in wide.output
