"""`silkhub quote`: Pareto-optimal itineraries for one shipment, as a table or as JSON.

Times are shown in local time with the offset of the place they happen at: a departure in
the zone of the place it leaves from, an arrival in the zone of the place it reaches. A
``--ready`` time without an offset is read in the origin's time zone.
"""

from __future__ import annotations

import json
import logging
import math
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from silkhub.cli._common import NETWORK_OPTION_HELP, err, fail, network_or_exit, out
from silkhub.model import CargoClass, Mode, Network
from silkhub.network import zone
from silkhub.network.lookup import unknown_place_message
from silkhub.routing import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_MAX_BOARDINGS,
    MAX_BOARDINGS,
    MAX_HORIZON_DAYS,
    MAX_VOLUME_M3,
    MAX_WEIGHT_KG,
    TIME_BOUNDS,
    Itinerary,
    QuoteRequest,
    default_fx_rates,
    itinerary_json,
    local_time,
    quote,
    within_time_bounds,
)

__all__ = ["quote_command"]


_log = logging.getLogger("silkhub.cli.quote")


#: A plain decimal number in ASCII (``500``, ``2.5``, ``1e3``), or a word float() knows for
#: infinity or NaN (refused below as not finite). float() alone also takes ``1_000``, blanks
#: around the number and other scripts' digits (``١٢``, ``５``).
_PLAIN_NUMBER = re.compile(
    r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)", re.ASCII | re.IGNORECASE
)


def _number(option: str, text: str, *, positive: bool, limit: float) -> float:
    if not _PLAIN_NUMBER.fullmatch(text):
        fail(f"{option}: {text!r} is not a number (plain digits, as 500, 2.5 or 1e3)")
    value = float(text)
    if not math.isfinite(value):
        fail(f"{option}: {text!r} is not a finite number")
    if positive and value <= 0:
        fail(f"{option}: must be greater than 0 (got {text})")
    if value < 0:
        fail(f"{option}: must not be negative (got {text})")
    if value > limit:
        fail(f"{option}: must be at most {limit:,.0f} (got {text})")
    return value


def _past_the_timetable(network: Network, request: QuoteRequest) -> str | None:
    """A note for an empty answer when the shipment is ready after every calendar has ended."""
    last = max((rule.valid_to for rule in network.calendars), default=None)
    if last is None or request.ready.date() <= last:
        return None
    return (
        f"note: the network's timetable ends on {last.isoformat()}: nothing departs after it "
        "(quote an earlier --ready, or load a newer network with --network)"
    )


def _ready(network: Network, origin: str, text: str, option: str = "--ready") -> datetime:
    try:
        ready = datetime.fromisoformat(text)
    except ValueError as exc:
        # datetime's own reason, except for an offset, where it is a repr of timedelta bounds
        reason = "its UTC offset must lie within ±23:59" if "offset" in str(exc) else str(exc)
        fail(f"{option}: {text!r} is not an ISO-8601 date-time ({reason})")
    if ready.tzinfo is None:
        ready = ready.replace(tzinfo=zone(network.places[origin].timezone))
    # The same bounds as the API: far dates would overflow the departure window.
    if not within_time_bounds(ready):
        fail(f"{option}: must be {TIME_BOUNDS} (got {text!r})")
    return ready


def _place(network: Network, option: str, place_id: str) -> str:
    if place_id not in network.places:
        fail(f"{option}: {unknown_place_message(network, place_id)} (see `silkhub network show`)")
    return place_id


def _duration(delta: timedelta) -> str:
    """Door-to-door time to the minute: ``4h 55m``, ``3d 22h 59m`` (never rounded up)."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return f"{days}d {hours:02d}h {minutes:02d}m" if days else f"{hours}h {minutes:02d}m"


def _table(network: Network, itineraries: list[Itinerary]) -> Table:
    table = Table(title="Pareto-optimal itineraries (arrival, price, CO₂e)", title_justify="left")
    for name, justify in (
        ("#", "right"),
        ("departure", "left"),
        ("arrival", "left"),
        ("transit", "right"),
        ("price", "right"),
        ("CO₂e kg", "right"),
        ("legs", "left"),
    ):
        # A narrow terminal breaks a long service id rather than cutting it off with "…".
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for n, it in enumerate(itineraries, start=1):
        # Each place once, each hop in brackets: "YIW [road link] → CGO [air AIR-CGO-MAD] → MAD".
        hops = (
            f"[{leg.mode.value} {'link' if leg.is_link else leg.service_id}] → {leg.to_place}"
            for leg in it.legs
        )
        legs = " ".join((it.origin, *hops))
        table.add_row(
            str(n),
            local_time(network, it.origin, it.departure).strftime("%Y-%m-%d %H:%M %z"),
            local_time(network, it.destination, it.arrival).strftime("%Y-%m-%d %H:%M %z"),
            _duration(it.arrival - it.departure),
            f"{it.price.amount:,} {it.price.currency}",
            f"{it.co2e_kg:,.1f}",
            escape(legs),
        )
    return table


def quote_command(
    from_: Annotated[str, typer.Option("--from", help="Origin place id (e.g. CGO).")],
    to: Annotated[str, typer.Option("--to", help="Destination place id (e.g. MAD).")],
    ready: Annotated[
        str,
        typer.Option(
            "--ready",
            help="When the shipment is ready, ISO-8601; without an offset, local time at --from.",
        ),
    ],
    weight: Annotated[str, typer.Option("--weight", help="Actual weight in kg.")],
    volume: Annotated[str, typer.Option("--volume", help="Volume in m³.")] = "0",
    network_dir: Annotated[
        Path | None, typer.Option("--network", help=NETWORK_OPTION_HELP, show_default=False)
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"itineraries": [...]} as JSON.')
    ] = False,
    currency: Annotated[str, typer.Option("--currency", help="Quote currency.")] = "CNY",
    max_boardings: Annotated[
        int, typer.Option("--max-boardings", help="Most boardings (services and links).")
    ] = DEFAULT_MAX_BOARDINGS,
    modes: Annotated[
        list[Mode] | None,
        typer.Option("--mode", help="Allowed mode (repeat for several); default: all."),
    ] = None,
    cargo_class: Annotated[
        CargoClass | None, typer.Option("--cargo-class", help="Only services accepting it.")
    ] = None,
    latest: Annotated[
        str | None, typer.Option("--latest", help="Latest acceptable arrival, ISO-8601.")
    ] = None,
    horizon: Annotated[
        int,
        typer.Option(
            "--horizon",
            help=f"Board only departures that start within this many days after --ready "
            f"(1..{MAX_HORIZON_DAYS}); fewer is faster on a large network.",
        ),
    ] = DEFAULT_HORIZON_DAYS,
) -> None:
    """Quote Pareto-optimal itineraries (arrival, price, CO₂e) for one shipment."""
    network = network_or_exit(network_dir)
    origin = _place(network, "--from", from_)
    destination = _place(network, "--to", to)
    if origin == destination:
        fail(f"--to: the destination is the origin ({origin})")
    weight_kg = _number("--weight", weight, positive=True, limit=MAX_WEIGHT_KG)
    if round(weight_kg * 1000) < 1:
        fail(f"--weight: must be at least 0.001 kg (got {weight})")
    volume_m3 = _number("--volume", volume, positive=False, limit=MAX_VOLUME_M3)
    ready_at = _ready(network, origin, ready)
    latest_at = None if latest is None else _ready(network, destination, latest, "--latest")
    if latest_at is not None and latest_at <= ready_at:
        fail(f"--latest: must be after --ready (got {latest!r}, ready {ready!r})")
    currency = currency.upper()
    if currency not in default_fx_rates():
        fail(f"--currency: no exchange rate for {currency!r}")
    if not 1 <= max_boardings <= MAX_BOARDINGS:
        fail(f"--max-boardings: must be 1..{MAX_BOARDINGS} (got {max_boardings})")
    if not 1 <= horizon <= MAX_HORIZON_DAYS:
        fail(f"--horizon: must be 1..{MAX_HORIZON_DAYS} days (got {horizon})")
    try:
        request = QuoteRequest(
            origin=origin,
            destination=destination,
            ready=ready_at,
            weight_kg=weight_kg,
            volume_m3=volume_m3,
            max_boardings=max_boardings,
            latest_arrival=latest_at,
            modes=frozenset(modes) if modes else None,
            cargo_class=cargo_class,
            currency=currency,
            horizon_days=horizon,
        )
    except ValueError as exc:
        fail(str(exc))
    try:
        # A spinner on stderr (only in a terminal): a large network takes a while to compile.
        # Not with --verbose, whose log lines would interleave with it.
        if logging.getLogger().isEnabledFor(logging.INFO):
            itineraries = quote(network, request, progress=_log.info)
        else:
            with err.status("quoting") as status:
                itineraries = quote(
                    network, request, progress=lambda step: status.update(escape(step))
                )
    except ValueError as exc:  # a network built or changed past the loader's checks
        fail(str(exc))
    if not itineraries and (hint := _past_the_timetable(network, request)):
        err.print(hint, soft_wrap=True, markup=False)  # stderr: --json's stdout stays the same
    if as_json:
        doc = {"itineraries": [itinerary_json(network, it) for it in itineraries]}
        typer.echo(json.dumps(doc, ensure_ascii=False))
        return
    if not itineraries:
        out.print(f"No itinerary from {origin} to {destination} for this shipment.")
        return
    out.print(_table(network, itineraries))
