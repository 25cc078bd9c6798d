"""Pydantic models of one CSV row per file: the edge where text becomes typed values.

Each model checks what one row can check on its own (types, ranges, code lists); checks
across rows and files (references, stop sequences, calendar overlaps) live in ``_checks``.
Empty cells are removed before validation, so an empty required cell reads as "missing".
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from silkhub.model import (
    MAX_MIN_CHARGE,
    MAX_PRICE_PER_KG,
    MIN_CHARGE_DECIMALS,
    PRICE_PER_KG_DECIMALS,
    CargoClass,
    Mode,
    PlaceKind,
)
from silkhub.reference import is_country, is_currency, is_timezone

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HH_MM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_WEEKDAYS = re.compile(r"[01]{7}")


def _country(value: str) -> str:
    if not is_country(value):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value


#: Key of the validation context holding the currencies a tariff may be in (those with an
#: exchange rate); without it only the ISO 4217 code is checked.
RATED_CURRENCIES = "rated_currencies"


def _currency(value: str, info: ValidationInfo) -> str:
    if not is_currency(value):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    rated = (info.context or {}).get(RATED_CURRENCIES)
    if rated is not None and value not in rated:
        raise ValueError(
            f"silkhub has no exchange rate for {value!r}, so this tariff cannot be "
            f"quoted (currencies with a rate: {', '.join(sorted(rated))})"
        )
    return value


def _timezone(value: str) -> str:
    if not is_timezone(value):
        raise ValueError(f"{value!r} is not an IANA time zone")
    return value


def _iso_date(value: object) -> object:
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(f"must be an ISO date YYYY-MM-DD (got {value!r})")
        try:
            value = date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a valid date ({exc})") from None
    if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must be between {EARLIEST_DATE} and {LATEST_DATE} (got {value})")
    return value


def _hh_mm(value: object) -> object:
    if isinstance(value, str):
        if not _HH_MM.fullmatch(value):
            raise ValueError(f"must be a 24-hour time HH:MM (got {value!r})")
        return time.fromisoformat(value)
    return value


def _weekdays(value: str) -> str:
    if not _WEEKDAYS.fullmatch(value):
        raise ValueError(f"must be 7 characters of 0/1, Monday first (got {value!r})")
    if "1" not in value:
        raise ValueError("runs on no weekday (all 0)")
    return value


def _cargo_classes(value: object) -> object:
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(";")]
        if "" in parts:
            raise ValueError(
                f"the ;-separated list has an empty item (got {value!r}): "
                "remove the doubled, leading or trailing ';'"
            )
        return parts
    return value


def _tariff_figure(column: str, limit: Decimal, decimals: int) -> AfterValidator:
    """At most ``limit`` with at most ``decimals`` decimals: what the router can price exactly."""

    def check(value: Decimal) -> Decimal:
        if value > limit:
            raise ValueError(f"{column} {value} is above silkhub's limit of {limit:,}")
        # read the digits, not arithmetic on the value: scaling or normalising 1e-999999999
        # underflows to zero in the decimal context and would pass
        _, digits, exponent = value.as_tuple()
        trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        if value and (not isinstance(exponent, int) or exponent + trailing_zeros < -decimals):
            raise ValueError(f"{column} {value} has more than {decimals} decimals")
        if isinstance(exponent, int) and exponent < -decimals:
            # only zeros lie beyond the allowed decimals: drop them (the same number), so
            # that "1.000…0" with forty zeros is stored as 1.0000, not as a 42-character text
            return value.quantize(Decimal(1).scaleb(-decimals))
        return value

    return AfterValidator(check)


def _whole(value: object) -> object:
    """Accept only whole numbers written as integers ("12", not "12.5" or "1e3")."""
    if isinstance(value, str) and not re.fullmatch(r"[+-]?\d+", value):
        raise ValueError(f"must be a whole number (got {value!r})")
    return value


Country = Annotated[str, AfterValidator(_country)]
Currency = Annotated[str, AfterValidator(_currency)]
TimeZone = Annotated[str, AfterValidator(_timezone)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
HourMinute = Annotated[time, BeforeValidator(_hh_mm)]
Weekdays = Annotated[str, AfterValidator(_weekdays)]
Whole = Annotated[int, BeforeValidator(_whole)]
Text = Annotated[str, Field(min_length=1)]
#: An id others refer to (a place, a service): what the API's paths take, 1..100 characters,
#: no control character and no '/' (a departure id adds ``@YYYY-MM-DD`` to its service's).
MAX_ID_LENGTH = 100
Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH, pattern=r"^[^\x00-\x1f\x7f/]+$")]
#: Calendar dates a timetable may run on: date arithmetic (windows, expansion across time
#: zones) must never leave the calendar, and quotes take 2000..2100 too.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
PricePerKg = Annotated[
    Money, _tariff_figure("price_per_kg", MAX_PRICE_PER_KG, PRICE_PER_KG_DECIMALS)
]
MinCharge = Annotated[Money, _tariff_figure("min_charge", MAX_MIN_CHARGE, MIN_CHARGE_DECIMALS)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
#: Per departure: a million tonnes and ten million m³ are far beyond any vehicle (the largest
#: container ships carry about 24,000 TEU, some 600,000 t), and keep sums of capacity finite.
MAX_CAPACITY_KG = 1e9
MAX_CAPACITY_M3 = 1e7
#: The longest span of minutes a timetable may state (a year): beyond it no real service runs,
#: and unbounded numbers would overflow date arithmetic downstream.
MAX_MINUTES = 525_600
Minutes = Annotated[Whole, Field(ge=0, le=MAX_MINUTES)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL's text cannot hold U+0000, so a network with one would not import
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain the NUL character (U+0000)")
        return value


class PlaceRow(_Row):
    """A row of places.csv."""

    place_id: Id
    name: Text
    kind: PlaceKind
    country: Country
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    timezone: TimeZone
    iata: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = ""
    unlocode: Annotated[str, Field(pattern=r"^[A-Z]{2}[A-Z2-9]{3}$")] = ""
    source: str = ""


class ServiceRow(_Row):
    """A row of services.csv."""

    service_id: Id
    mode: Mode
    operator: Text
    vehicle: Text
    capacity_kg: Annotated[float, Field(gt=0, le=MAX_CAPACITY_KG, allow_inf_nan=False)]
    capacity_m3: Annotated[float, Field(gt=0, le=MAX_CAPACITY_M3, allow_inf_nan=False)]
    price_per_kg: PricePerKg
    min_charge: MinCharge
    currency: Currency
    name: str = ""
    cargo_classes: Annotated[list[CargoClass], BeforeValidator(_cargo_classes)] = []
    # the largest container ships carry about 24,000 TEU; the bound keeps stores' integers safe
    capacity_teu: Annotated[Whole, Field(ge=0, le=1_000_000)] | None = None
    source: str = ""


class StopRow(_Row):
    """A row of stops.csv."""

    service_id: Id
    seq: Annotated[Whole, Field(ge=1)]
    place_id: Id
    arrival_min: Minutes | None = None
    departure_min: Minutes | None = None
    distance_km: Positive | None = None


class CalendarRow(_Row):
    """A row of calendar.csv."""

    service_id: Id
    weekdays: Weekdays
    start_time: HourMinute
    valid_from: IsoDate
    valid_to: IsoDate
    source: str = ""


class TransferRow(_Row):
    """A row of transfers.csv."""

    place_id: Id
    min_minutes: Minutes
    from_mode: Mode | None = None
    to_mode: Mode | None = None
    source: str = ""


class LinkRow(_Row):
    """A row of links.csv."""

    from_place: Id
    to_place: Id
    mode: Mode
    duration_min: Annotated[Whole, Field(gt=0, le=MAX_MINUTES)]
    distance_km: Positive
    price_per_kg: PricePerKg
    min_charge: MinCharge
    currency: Currency
    source: str = ""


#: file name → (row model, required?) in the order files are read and written.
FILES: dict[str, tuple[type[_Row], bool]] = {
    "places.csv": (PlaceRow, True),
    "services.csv": (ServiceRow, True),
    "stops.csv": (StopRow, True),
    "calendar.csv": (CalendarRow, True),
    "transfers.csv": (TransferRow, False),
    "links.csv": (LinkRow, False),
}


def columns(model: type[_Row]) -> list[str]:
    """All columns of a file, required first, in the documented order."""
    return list(model.model_fields)


def required_columns(model: type[_Row]) -> set[str]:
    """The columns a file must have in its header."""
    return {name for name, info in model.model_fields.items() if info.is_required()}
