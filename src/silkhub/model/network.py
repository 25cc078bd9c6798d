"""The hub network as plain, immutable domain objects.

These types carry no I/O: ``silkhub.network`` reads and writes them, ``silkhub.routing``
searches them. Every record keeps its ``source`` (a seed document or ``assumption: why``)
because planners must be able to tell a reported figure from a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from types import MappingProxyType

from silkhub.model.enums import CargoClass, Mode, PlaceKind

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: The largest tariff figures of a service or link, and the most decimals each may have. The
#: router prices in exact 64-bit integers (``price_per_kg`` × 10**4 times grams, ``min_charge``
#: × 10**7, chargeable weights ≤ 1,000 t — a quote caps the actual weight at 1,000 t and the
#: volume at 5,988 m³, 1,000 t by air's 167 kg/m³ — and rates ≤ 40 CNY per unit, which the
#: rate table enforces); these bounds keep every intermediate value inside 64 bits and lie
#: far above any real freight tariff. The network loader refuses figures beyond them, so
#: every loaded network can be priced.
MAX_PRICE_PER_KG = Decimal(1000)
MAX_MIN_CHARGE = Decimal(10**9)
PRICE_PER_KG_DECIMALS = 4
#: A minimum charge is compared with price_per_kg × grams, which has three more decimals.
MIN_CHARGE_DECIMALS = PRICE_PER_KG_DECIMALS + 3


@dataclass(frozen=True, slots=True)
class Place:
    """A node of the network: an airport, rail terminal, seaport, road hub, border or bonded zone."""

    place_id: str
    name: str
    kind: PlaceKind
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    timezone: str  # IANA zone name
    iata: str = ""
    unlocode: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Service:
    """A scheduled transport offer (flight number, train line, sailing, TIR run)."""

    service_id: str
    mode: Mode
    operator: str
    vehicle: str
    capacity_kg: float
    capacity_m3: float
    price_per_kg: Decimal
    min_charge: Decimal
    currency: str  # ISO 4217
    cargo_classes: frozenset[CargoClass] = frozenset()  # empty: every class is accepted
    capacity_teu: int | None = None
    name: str = ""
    source: str = ""

    def accepts(self, cargo_class: CargoClass | None) -> bool:
        """Whether the service carries ``cargo_class`` (``None`` means "any cargo")."""
        return cargo_class is None or not self.cargo_classes or cargo_class in self.cargo_classes


@dataclass(frozen=True, slots=True)
class Stop:
    """A call of a service at a place, in minutes from the service's start time."""

    service_id: str
    seq: int
    place_id: str
    arrival_min: int | None  # None on the first stop
    departure_min: int | None  # None on the last stop
    distance_km: float | None = None  # from the previous stop; overrides computed distances


@dataclass(frozen=True, slots=True)
class CalendarRule:
    """On which weekdays, from when to when, and at what local time a service runs."""

    service_id: str
    weekdays: tuple[bool, bool, bool, bool, bool, bool, bool]  # Monday first
    start_time: time  # local time of the first stop
    valid_from: date
    valid_to: date  # inclusive
    source: str = ""

    def runs_on(self, day: date) -> bool:
        """Whether the service starts a run on the local date ``day``."""
        return self.valid_from <= day <= self.valid_to and self.weekdays[day.weekday()]

    @property
    def weekly_runs(self) -> int:
        """Runs in a full week of the validity period."""
        return sum(self.weekdays)


@dataclass(frozen=True, slots=True)
class TransferRule:
    """The least time between being at a place and boarding a departure there.

    ``from_mode``/``to_mode`` narrow the rule (e.g. air→air at an airport is quicker than
    rail→air); ``None`` matches any mode.
    """

    place_id: str
    min_minutes: int
    from_mode: Mode | None = None
    to_mode: Mode | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """An unscheduled connection (trucking) that can start at any time."""

    from_place: str
    to_place: str
    mode: Mode
    duration_min: int
    distance_km: float
    price_per_kg: Decimal
    min_charge: Decimal
    currency: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Network:
    """A whole, validated network. Build it with ``silkhub.network.load_network`` or by hand.

    Stops are grouped per service and ordered by ``seq``; calendars may hold several rules per
    service (e.g. a winter and a summer timetable) as long as they do not overlap.
    """

    places: Mapping[str, Place]
    services: Mapping[str, Service]
    stops: Mapping[str, tuple[Stop, ...]]
    calendars: tuple[CalendarRule, ...] = ()
    transfers: tuple[TransferRule, ...] = ()
    links: tuple[Link, ...] = ()
    name: str = field(default="", compare=False)  # a label (the folder name), not content
    _transfer_index: Mapping[str, tuple[TransferRule, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "places", MappingProxyType(dict(self.places)))
        object.__setattr__(self, "services", MappingProxyType(dict(self.services)))
        object.__setattr__(self, "stops", MappingProxyType(dict(self.stops)))
        index: dict[str, list[TransferRule]] = {}
        for rule in self.transfers:
            index.setdefault(rule.place_id, []).append(rule)
        object.__setattr__(
            self, "_transfer_index", MappingProxyType({k: tuple(v) for k, v in index.items()})
        )

    def transfer_minutes(
        self, place_id: str, from_mode: Mode | None = None, to_mode: Mode | None = None
    ) -> int:
        """Minimum transfer time at ``place_id`` for a change from ``from_mode`` to ``to_mode``.

        The most specific matching rule wins (both modes named beats one beats none); between
        equally specific ones (one naming only ``from_mode``, one only ``to_mode``) the longer
        time, so the answer does not depend on the order of the rows. With no rule the
        transfer is free (0 minutes). ``from_mode`` is ``None`` at the origin, where
        the rule acts as the acceptance cut-off, so only rules without ``from_mode`` apply.
        """
        best: tuple[int, int] | None = None  # (specificity, minutes)
        for rule in self._transfer_index.get(place_id, ()):
            if rule.from_mode is not None and rule.from_mode != from_mode:
                continue
            if rule.to_mode is not None and rule.to_mode != to_mode:
                continue
            specificity = (rule.from_mode is not None) + (rule.to_mode is not None)
            if best is None or (specificity, rule.min_minutes) > best:
                best = (specificity, rule.min_minutes)
        return 0 if best is None else best[1]

    def calendars_of(self, service_id: str) -> tuple[CalendarRule, ...]:
        """The calendar rules of one service."""
        return tuple(rule for rule in self.calendars if rule.service_id == service_id)
