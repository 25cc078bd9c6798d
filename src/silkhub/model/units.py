"""Units and the freight conventions built on them (masses in kg, volumes in m³)."""

from __future__ import annotations

from silkhub.model.enums import Mode

#: IATA volumetric ratio: 1 m³ of air cargo is charged as 167 kg (6,000 cm³ per kg).
AIR_VOLUMETRIC_KG_PER_M3 = 167.0


def chargeable_kg(mode: Mode, actual_kg: float, volume_m3: float) -> float:
    """The weight a carrier charges for: air charges the larger of actual and volumetric weight.

    Rail, sea and road sell by actual weight in silkhub's tariffs (containers and LCL are
    priced per kg equivalent in the network files), so only air applies the volumetric rule.
    """
    if mode is Mode.AIR:
        return max(actual_kg, AIR_VOLUMETRIC_KG_PER_M3 * volume_m3)
    return actual_kg
