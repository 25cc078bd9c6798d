"""Reference data from well-kept packages: ISO countries and currencies, IANA zones, airports.

Every lookup here delegates to a maintained package (pycountry, tzdata via zoneinfo,
airportsdata) so that no code list is ever typed by hand in silkhub. The one table silkhub
ships itself, the exchange rates of ``silkhub/data/fx_rates.csv``, is read here too, so that
both the network loader and the router can reach it.
"""

from silkhub.reference.codes import airport, is_country, is_currency, is_timezone
from silkhub.reference.fx import (
    FX_RATES_RESOURCE,
    RateTable,
    embedded_rate_table,
    parse_rate_table,
    rated_currencies,
)

__all__ = [
    "FX_RATES_RESOURCE",
    "RateTable",
    "airport",
    "embedded_rate_table",
    "is_country",
    "is_currency",
    "is_timezone",
    "parse_rate_table",
    "rated_currencies",
]
