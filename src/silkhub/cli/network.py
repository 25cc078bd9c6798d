"""`silkhub network ...`: show, validate and export networks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from silkhub.cli._common import NETWORK_OPTION_HELP, err, fail, network_or_exit, out
from silkhub.cli._store import DataDirOption, settings_or_exit, store_or_exit
from silkhub.network import read_network, summarize, write_network

app = typer.Typer(help="Show, validate and export hub networks.", no_args_is_help=True)

NetworkOption = Annotated[
    Path | None, typer.Option("--network", help=NETWORK_OPTION_HELP, show_default=False)
]


def _parse_week(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"--week: {value!r} is not an ISO date YYYY-MM-DD")
    if day.toordinal() + 6 - day.weekday() > date.max.toordinal():
        fail(f"--week: the week of {value} runs past {date.max}")
    return day


#: Terminal width from which `network show` has room for the operator column.
_WIDE_ENOUGH_FOR_OPERATOR = 120


@app.command("show")
def show(
    network_dir: NetworkOption = None,
    week: Annotated[
        str | None,
        typer.Option(
            "--week", help="Any date of the week to count (ISO date); default: this week."
        ),
    ] = None,
) -> None:
    """Print the places, the services per mode, weekly departures and weekly capacity per channel."""
    network = network_or_exit(network_dir)
    summary = summarize(network, _parse_week(week))
    week_end = summary.week_start.toordinal() + 6
    out.print(
        f"[bold]Network {summary.name or '(unnamed)'}[/]: {summary.place_count} places, "
        f"{len(summary.services)} services, {len(network.links)} links — "
        f"week {summary.week_start} to {date.fromordinal(week_end)}"
    )

    places = Table(title="Places", title_justify="left")
    places.add_column("kind")
    places.add_column("count", justify="right")
    places.add_column("places")
    for kind, count in summary.places_by_kind.items():
        ids = sorted(p.place_id for p in network.places.values() if p.kind is kind)
        places.add_row(kind.value, str(count), ", ".join(ids))
    out.print(places)

    channels = Table(title="Weekly capacity per channel", title_justify="left")
    for name in ("mode", "services", "departures/week", "t/week", "m³/week", "TEU/week", "links"):
        channels.add_column(name, justify="left" if name == "mode" else "right")
    for line in summary.channels:
        channels.add_row(
            line.mode.value,
            str(line.services),
            str(line.weekly_departures),
            f"{line.weekly_capacity_kg / 1000:,.0f}",
            f"{line.weekly_capacity_m3:,.0f}",
            f"{line.weekly_capacity_teu:,}",
            str(line.links),
        )
    out.print(channels)

    # The operator is the longest text; below 120 columns it is left out (with a note)
    # rather than squeezing every column to a few characters.
    wide = out.width >= _WIDE_ENOUGH_FOR_OPERATOR
    services = Table(
        title="Services",
        title_justify="left",
        caption=None
        if wide
        else f"operator column shown from {_WIDE_ENOUGH_FOR_OPERATOR} columns wide",
    )
    names = ("service", "mode", "operator", "vehicle", "route", "dep/week", "capacity t")
    shown = [n for n in names if wide or n != "operator"]
    for name in shown:
        services.add_column(
            name,
            justify="right" if name in ("dep/week", "capacity t") else "left",
            # ids, modes and numbers are read whole; the texts wrap (a route at its arrows)
            no_wrap=name in ("service", "mode", "dep/week", "capacity t"),
        )
    for s in summary.services:
        cells = dict(
            zip(
                names,
                (
                    s.service_id, s.mode.value, s.operator, s.vehicle, " → ".join(s.route),
                    str(s.weekly_departures), f"{s.capacity_kg / 1000:,.1f}",
                ),
                strict=True,
            )
        )  # fmt: skip
        services.add_row(*(cells[name] for name in shown))
    out.print(services)


@app.command("validate")
def validate(
    directory: Annotated[Path, typer.Argument(help="The network folder to check.")],
) -> None:
    """Check a network folder and list every problem (exit code 1 if there is any)."""
    network, problems = read_network(directory)
    for problem in problems:
        out.print(str(problem), soft_wrap=True, markup=False)
    if problems or network is None:
        err.print(f"[red]{len(problems)} problem(s)[/] in {directory}")
        raise typer.Exit(1)
    out.print(
        f"[green]valid[/]: {len(network.places)} places, {len(network.services)} services, "
        f"{sum(len(s) for s in network.stops.values())} stops, {len(network.calendars)} calendar "
        f"rows, {len(network.transfers)} transfers, {len(network.links)} links"
    )


@app.command("export")
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the CSV files into.")],
    network_dir: NetworkOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite network files already in the folder.")
    ] = False,
) -> None:
    """Write a network (the embedded one by default) as a folder of CSV files."""
    network = network_or_exit(network_dir)
    if directory.exists() and not directory.is_dir():
        fail(f"{directory} exists and is not a folder")
    existing = sorted(p.name for p in directory.glob("*.csv")) if directory.is_dir() else []
    if existing and not force:
        fail(f"{directory} already holds {', '.join(existing)}; use --force to overwrite")
    try:
        written = write_network(network, directory)
    except OSError as exc:
        fail(f"cannot write {directory}: {exc.strerror or exc}")
    out.print(f"wrote {len(written)} files to {directory}")


@app.command("import")
def import_(
    directory: Annotated[Path, typer.Argument(help="The network folder to import.")],
    data_dir: DataDirOption = None,
) -> None:
    """Import a network folder into the server's store, replacing the network it serves.

    Departures are stored over the configured window (docs/api.md); capacity already sold on
    departures that stay the same is kept. An invalid folder prints its first 50 problems and
    their count (exit 2); `network validate` lists every one.
    """
    from silkhub.store import import_network  # the store only for this command (cli/app.py)

    if not directory.is_dir():
        fail(f"{directory} is not a folder")
    network = network_or_exit(directory, "network folder")
    settings = settings_or_exit(data_dir)
    store = store_or_exit(settings)
    try:
        row = import_network(store, network, settings)
    finally:
        store.close()
    out.print(
        f"imported network {row.name}: {len(network.places)} places, "
        f"{len(network.services)} services; departures from {row.window_start} to "
        f"{row.window_end}",
        markup=False,
    )
