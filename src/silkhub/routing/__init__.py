"""The timetable router: Pareto-optimal itineraries over arrival time, price and CO₂e.

Build, solve, result: a ``QuoteRequest`` says what is wanted, a ``Router`` (compiled once over
a network and its dated departures) answers it with ``Itinerary`` objects; ``quote()`` does
both in one call. Emissions follow ISO 14083 with GLEC default factors, prices the services'
tariffs converted with a dated rate table. See docs/routing.md for the exact semantics.
"""

from silkhub.routing.api import quote, quote_window
from silkhub.routing.coverage import WindowCover, cover_problem, window_cover
from silkhub.routing.emissions import (
    EmissionFactor,
    EmissionFactors,
    default_emission_factors,
    leg_co2e_grams,
    load_emission_factors,
)
from silkhub.routing.fx import FxRates, UnknownCurrencyError, default_fx_rates, load_fx_rates
from silkhub.routing.itinerary import Itinerary, Leg
from silkhub.routing.render import itinerary_json, local_time, money_json
from silkhub.routing.request import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_MAX_BOARDINGS,
    EARLIEST_TIME,
    LATEST_TIME,
    MAX_BOARDINGS,
    MAX_HORIZON_DAYS,
    MAX_VOLUME_M3,
    MAX_WEIGHT_KG,
    TIME_BOUNDS,
    QuoteRequest,
    within_time_bounds,
)
from silkhub.routing.router import Router, UnknownPlaceError
from silkhub.routing.tariff import boarding_charge, chargeable_grams, leg_price

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
    "EmissionFactor",
    "EmissionFactors",
    "FxRates",
    "Itinerary",
    "Leg",
    "QuoteRequest",
    "Router",
    "UnknownCurrencyError",
    "UnknownPlaceError",
    "WindowCover",
    "boarding_charge",
    "chargeable_grams",
    "cover_problem",
    "default_emission_factors",
    "default_fx_rates",
    "itinerary_json",
    "leg_co2e_grams",
    "leg_price",
    "load_emission_factors",
    "load_fx_rates",
    "local_time",
    "money_json",
    "quote",
    "quote_window",
    "window_cover",
    "within_time_bounds",
]
