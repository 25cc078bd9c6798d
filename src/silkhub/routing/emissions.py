"""CO₂e of a leg per ISO 14083, with GLEC Framework default well-to-wheel intensities.

ISO 14083 computes a leg's emissions as *transport activity × intensity*: the shipment's
actual mass in tonnes × the leg's distance in km × g CO₂e per tonne-km (WTW). The default
intensities live in ``silkhub/data/emission_factors.csv``, one row per mode and vehicle
class, each citing the GLEC table it comes from; a service's ``vehicle`` text picks its row
(first matching regex of that mode, else the mode's default row without a regex).

Emissions are rounded to whole grams per leg, so that sums and comparisons are exact.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from silkhub.model import Mode

__all__ = [
    "EmissionFactor",
    "EmissionFactors",
    "default_emission_factors",
    "leg_co2e_grams",
    "load_emission_factors",
]


@dataclass(frozen=True, slots=True)
class EmissionFactor:
    """One GLEC default intensity: g CO₂e per tonne-km, well-to-wheel, for a vehicle class."""

    mode: Mode
    vehicle_class: str
    match: str  # regex searched in Service.vehicle; empty for the mode's default
    g_co2e_per_tkm_wtw: float
    source: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.g_co2e_per_tkm_wtw) or self.g_co2e_per_tkm_wtw < 0:
            raise ValueError(f"{self.vehicle_class}: intensity must be a number ≥ 0")
        if not self.source:
            raise ValueError(f"{self.vehicle_class}: every factor must cite its source")
        re.compile(self.match)  # a bad pattern is a data error: fail on load, not on use


@dataclass(frozen=True, slots=True)
class EmissionFactors:
    """The factor table; picks the factor for a mode and vehicle description."""

    factors: tuple[EmissionFactor, ...]

    def __post_init__(self) -> None:
        for mode in Mode:
            if not any(f.mode is mode and not f.match for f in self.factors):
                raise ValueError(f"the factor table needs a default row (empty match) for {mode}")

    def factor_for(self, mode: Mode, vehicle: str = "") -> EmissionFactor:
        """The first row of ``mode`` whose regex matches ``vehicle``, else the mode default."""
        default: EmissionFactor | None = None
        for factor in self.factors:
            if factor.mode is not mode:
                continue
            if not factor.match:
                default = default or factor
            elif vehicle and re.search(factor.match, vehicle):
                return factor
        assert default is not None  # checked in __post_init__
        return default


def leg_co2e_grams(g_per_tkm: float, distance_km: float, weight_kg: float) -> int:
    """Whole grams of CO₂e for carrying ``weight_kg`` over ``distance_km``.

    The router computes exactly this expression (same floating-point operations, same order)
    so that its sums equal the ones reported per leg.
    """
    return math.floor(g_per_tkm * distance_km * (weight_kg / 1000.0) + 0.5)


def load_emission_factors(text: str, origin: str = "emission_factors.csv") -> EmissionFactors:
    """Parse a factor table in the ``emission_factors.csv`` format."""
    rows: list[EmissionFactor] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    for line, row in enumerate(reader, start=2):
        try:
            rows.append(
                EmissionFactor(
                    mode=Mode((row.get("mode") or "").strip()),
                    vehicle_class=(row.get("vehicle_class") or "").strip(),
                    match=(row.get("match") or "").strip(),
                    g_co2e_per_tkm_wtw=float(row.get("g_co2e_per_tkm_wtw") or "nan"),
                    source=(row.get("source") or "").strip(),
                )
            )
        except (ValueError, re.error) as exc:
            raise ValueError(f"{origin}:{line}: {exc}") from None
    return EmissionFactors(tuple(rows))


@cache
def default_emission_factors() -> EmissionFactors:
    """The embedded GLEC default table (read once, on first use; immutable)."""
    path = resources.files("silkhub").joinpath("data/emission_factors.csv")
    return load_emission_factors(
        path.read_text(encoding="utf-8"), "silkhub/data/emission_factors.csv"
    )
