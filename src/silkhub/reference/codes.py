"""Checks of standard codes, cached because validators call them once per row."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@lru_cache(maxsize=1024)
def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 country code (upper case)."""
    import pycountry

    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=1024)
def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 alphabetic currency code (upper case)."""
    import pycountry

    return len(code) == 3 and code.isupper() and pycountry.currencies.get(alpha_3=code) is not None


#: Names a tz database directory may hold that are no zone of their own: ``localtime`` is the
#: host's zone (a network's times must not depend on the server), the others are build
#: artefacts or copies under another name.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(
        name
        for name in available_timezones()
        if name not in _NOT_ZONES and not name.startswith(("posix/", "right/"))
    )


@lru_cache(maxsize=1024)
def is_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone known to the installed tz database."""
    if name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        return False
    return True


@lru_cache(maxsize=1)
def _airports() -> Mapping[str, Mapping[str, Any]]:
    import airportsdata

    loaded: Mapping[str, Mapping[str, Any]] = airportsdata.load("IATA")
    return loaded


def airport(iata: str) -> Mapping[str, Any] | None:
    """The airportsdata record of an IATA airport code (name, lat, lon, tz, country...)."""
    return _airports().get(iata)
