"""Itineraries as JSON documents: the one shape the CLI prints and the API answers.

Times are local with their offset: a departure in the zone of the place it leaves from, an
arrival in the zone of the place it reaches (a planner reads "18:19 in Zhengzhou", not UTC).
Money is a decimal string with its currency, so no client parses it into a float by accident.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from silkhub.model import Money, Network
from silkhub.network import zone
from silkhub.routing.itinerary import Itinerary


def local_time(network: Network, place_id: str, moment: datetime) -> datetime:
    """``moment`` in the time zone of ``place_id``."""
    return moment.astimezone(zone(network.places[place_id].timezone))


def money_json(money: Money) -> dict[str, str]:
    """``{"amount": "16600.00", "currency": "CNY"}``."""
    return {"amount": str(money.amount), "currency": money.currency}


def itinerary_json(
    network: Network, itinerary: Itinerary, *, departure_ids: bool = False
) -> dict[str, Any]:
    """One itinerary as a JSON object (docs/routing.md).

    ``departure_ids`` adds each leg's dated departure (``null`` for a trucking link), which the
    API needs for booking; the CLI's ``--json`` keeps the documented shape without it.
    """
    legs = []
    for leg in itinerary.legs:
        rendered: dict[str, Any] = {
            "service_id": leg.service_id,
            "mode": leg.mode.value,
            "from": leg.from_place,
            "to": leg.to_place,
            "departure": local_time(network, leg.from_place, leg.departure).isoformat(),
            "arrival": local_time(network, leg.to_place, leg.arrival).isoformat(),
            "distance_km": round(leg.distance_km, 1),
            "co2e_kg": leg.co2e_kg,
            "price": money_json(leg.price),
        }
        if departure_ids:
            rendered["departure_id"] = leg.departure_id
        legs.append(rendered)
    return {
        "departure": local_time(network, itinerary.origin, itinerary.departure).isoformat(),
        "arrival": local_time(network, itinerary.destination, itinerary.arrival).isoformat(),
        "price": money_json(itinerary.price),
        "co2e_kg": itinerary.co2e_kg,
        "legs": legs,
    }
