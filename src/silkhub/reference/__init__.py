"""Reference data from well-kept packages: ISO countries and currencies, IANA zones, airports.

Every lookup here delegates to a maintained package (pycountry, tzdata via zoneinfo,
airportsdata) so that no code list is ever typed by hand in silkhub.
"""

from silkhub.reference.codes import airport, is_country, is_currency, is_timezone

__all__ = ["airport", "is_country", "is_currency", "is_timezone"]
