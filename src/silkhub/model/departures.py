"""Dated departures: one run of a service on one date, with its capacity per leg.

Times are timezone-aware UTC datetimes; local times exist only at the edges (files, CLI,
API), converted with the IANA zone of the place concerned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class StopTime:
    """When a dated departure is at one of its stops (UTC)."""

    place_id: str
    arrival: datetime | None  # None at the first stop
    departure: datetime | None  # None at the last stop


@dataclass(frozen=True, slots=True)
class Departure:
    """One dated run of a service; leg ``i`` goes from stop ``i`` to stop ``i + 1``.

    ``remaining_kg``/``remaining_m3`` hold the capacity still for sale on each leg; a new
    departure starts with the service's full capacity on every leg.
    """

    departure_id: str
    service_id: str
    service_date: date  # local date of the first stop
    stop_times: tuple[StopTime, ...]
    remaining_kg: tuple[float, ...]
    remaining_m3: tuple[float, ...]

    def __post_init__(self) -> None:
        legs = len(self.stop_times) - 1
        if legs < 1:
            raise ValueError(f"departure {self.departure_id} needs at least two stops")
        if len(self.remaining_kg) != legs or len(self.remaining_m3) != legs:
            raise ValueError(
                f"departure {self.departure_id} needs capacity for each of {legs} legs"
            )

    @property
    def first_departure(self) -> datetime:
        """When the run leaves its first stop."""
        first = self.stop_times[0].departure
        assert first is not None  # guaranteed by the expansion
        return first

    @property
    def last_arrival(self) -> datetime:
        """When the run reaches its last stop."""
        last = self.stop_times[-1].arrival
        assert last is not None  # guaranteed by the expansion
        return last

    def can_carry(self, board: int, alight: int, kg: float, m3: float) -> bool:
        """Whether every leg from stop ``board`` to stop ``alight`` has room for the shipment."""
        return all(
            self.remaining_kg[leg] >= kg and self.remaining_m3[leg] >= m3
            for leg in range(board, alight)
        )


def departure_id(service_id: str, service_date: date) -> str:
    """The stable id of a dated run: ``SERVICE@YYYY-MM-DD`` (local date of the first stop)."""
    return f"{service_id}@{service_date.isoformat()}"
