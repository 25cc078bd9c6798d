"""What a customer asks for: a shipment ready at a place and time, to be carried somewhere.

The request checks itself on construction, so the router never has to guess what a bad
value means: weights must be positive, times aware, currencies known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from numbers import Integral

from silkhub.model import AIR_VOLUMETRIC_KG_PER_M3, CargoClass, Mode
from silkhub.routing.fx import default_fx_rates

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "DEFAULT_MAX_BOARDINGS",
    "EARLIEST_TIME",
    "LATEST_TIME",
    "MAX_BOARDINGS",
    "MAX_HORIZON_DAYS",
    "MAX_VOLUME_M3",
    "MAX_WEIGHT_KG",
    "TIME_BOUNDS",
    "QuoteRequest",
    "within_time_bounds",
]

DEFAULT_MAX_BOARDINGS = 4
DEFAULT_HORIZON_DAYS = 45
#: The most boardings, and the longest horizon, a request may ask for.
MAX_BOARDINGS = 8
MAX_HORIZON_DAYS = 366
#: The ready and latest-arrival times a request accepts: dates far out would overflow the
#: departure window. ``TIME_BOUNDS`` is how their messages say it.
EARLIEST_TIME = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(2100, 1, 1, tzinfo=UTC)
TIME_BOUNDS = "between 2000-01-01T00:00Z and 2100-01-01T00:00Z (UTC)"
#: The heaviest single shipment a quote accepts (1,000 t). Prices are computed in exact
#: integer arithmetic, and this bound keeps every intermediate value inside 64 bits.
MAX_WEIGHT_KG = 1_000_000.0
#: The largest volume: its air chargeable weight (167 kg per m³) must stay within the same
#: 1,000 t, or the dearest tariff the network format admits would overflow 64 bits (a block
#: train of 50 forty-foot containers is about 3,350 m³).
MAX_VOLUME_M3 = float(int(MAX_WEIGHT_KG / AIR_VOLUMETRIC_KG_PER_M3))


def within_time_bounds(moment: datetime) -> bool:
    """Whether ``moment`` lies within ``EARLIEST_TIME`` .. ``LATEST_TIME`` (naive: as UTC)."""
    probe = moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)
    return EARLIEST_TIME <= probe <= LATEST_TIME


def _check_count(name: str, value: object, top: int) -> None:
    """A count must be a whole number (not a bool, not 2.5) in 1..top."""
    if isinstance(value, bool) or not isinstance(value, Integral) or not 1 <= int(value) <= top:
        raise ValueError(f"{name} must be a whole number 1..{top} (got {value!r})")


def _aware_utc(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {value.isoformat()})")
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset that leaves the calendar
        raise ValueError(f"{name} must be {TIME_BOUNDS} (got {value.isoformat()})") from None


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """A request for itineraries from ``origin`` to ``destination``.

    Weights are taken to the gram (see ``weight_grams``), so prices can be computed exactly;
    the volume is used as given (air's chargeable weight is then taken to the gram too). ``modes=None`` allows every mode; ``cargo_class=None`` means the
    shipment has no class restriction (every service accepts it). Times are converted to UTC.
    """

    origin: str
    destination: str
    ready: datetime
    weight_kg: float
    volume_m3: float = 0.0
    max_boardings: int = DEFAULT_MAX_BOARDINGS
    latest_arrival: datetime | None = None
    modes: frozenset[Mode] | None = None
    cargo_class: CargoClass | None = None
    currency: str = "CNY"
    horizon_days: int = DEFAULT_HORIZON_DAYS

    def __post_init__(self) -> None:
        if not self.origin or not self.destination:
            raise ValueError("origin and destination must be place ids")
        if self.origin == self.destination:
            raise ValueError(f"origin and destination are the same place ({self.origin})")
        object.__setattr__(self, "ready", _aware_utc("ready", self.ready))
        if not within_time_bounds(self.ready):
            raise ValueError(f"ready must be {TIME_BOUNDS} (got {self.ready.isoformat()})")
        if self.latest_arrival is not None:
            latest = _aware_utc("latest_arrival", self.latest_arrival)
            if not within_time_bounds(latest):
                raise ValueError(f"latest_arrival must be {TIME_BOUNDS} (got {latest.isoformat()})")
            if latest <= self.ready:
                raise ValueError("latest_arrival must be after the ready time")
            object.__setattr__(self, "latest_arrival", latest)
        weight = float(self.weight_kg)
        if not math.isfinite(weight) or weight <= 0:
            raise ValueError(f"weight_kg must be a positive number (got {self.weight_kg!r})")
        if weight > MAX_WEIGHT_KG:
            raise ValueError(f"weight_kg must be at most {MAX_WEIGHT_KG:,.0f} (got {weight:g})")
        if round(weight * 1000) < 1:
            raise ValueError(f"weight_kg must be at least 0.001 kg (got {weight!r})")
        volume = float(self.volume_m3)
        if not math.isfinite(volume) or volume < 0:
            raise ValueError(f"volume_m3 must be a number ≥ 0 (got {self.volume_m3!r})")
        if volume > MAX_VOLUME_M3:
            raise ValueError(
                f"volume_m3 must be at most {MAX_VOLUME_M3:,.0f} (got {volume:g}): its air "
                f"chargeable weight ({AIR_VOLUMETRIC_KG_PER_M3:g} kg/m³) would pass 1,000 t"
            )
        object.__setattr__(self, "weight_kg", weight)
        object.__setattr__(self, "volume_m3", volume)
        _check_count("max_boardings", self.max_boardings, MAX_BOARDINGS)
        _check_count("horizon_days", self.horizon_days, MAX_HORIZON_DAYS)
        if self.modes is not None:
            modes = frozenset(Mode(m) for m in self.modes)
            if not modes:
                raise ValueError("modes must name at least one mode (or be None for all)")
            object.__setattr__(self, "modes", modes)
        if self.cargo_class is not None:
            object.__setattr__(self, "cargo_class", CargoClass(self.cargo_class))
        rates = default_fx_rates()
        if self.currency not in rates:
            known = ", ".join(sorted(rates.currencies))
            raise ValueError(f"currency {self.currency!r} is not known (known: {known})")

    @property
    def weight_grams(self) -> int:
        """The actual weight to the gram: the unit prices are computed in."""
        return round(self.weight_kg * 1000)

    def allows(self, mode: Mode) -> bool:
        """Whether the request lets the shipment travel by ``mode``."""
        return self.modes is None or mode in self.modes
