"""The embedded exchange-rate table as reference data: which currencies have a rate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from silkhub.reference import embedded_rate_table, is_currency, parse_rate_table, rated_currencies
from silkhub.routing import default_fx_rates


def test_rated_currencies_are_those_of_the_router_table() -> None:
    """The loader's list of rated currencies is exactly the router's rate table."""
    assert rated_currencies() == default_fx_rates().currencies
    assert {"CNY", "EUR", "USD"} <= rated_currencies()
    assert is_currency("XAU")
    assert "XAU" not in rated_currencies()


def test_embedded_table_is_read_once_and_immutable() -> None:
    """The table is cached and its mapping cannot be changed by a caller."""
    table = embedded_rate_table()
    assert embedded_rate_table() is table
    assert table.cny_per_unit["CNY"] == Decimal(1)
    with pytest.raises(TypeError):
        table.cny_per_unit["XAU"] = Decimal(700)  # type: ignore[index]


def test_parse_rate_table_keeps_dates_and_sources() -> None:
    """Rates are exact decimals; the dates and sources are joined; a repeated code is refused."""
    text = "currency,cny_per_unit,as_of,source\nCNY,1,2025-03-03,a\nEUR,7.5145,2025-03-04,b\n"
    table = parse_rate_table(text)
    assert dict(table.cny_per_unit) == {"CNY": Decimal(1), "EUR": Decimal("7.5145")}
    assert (table.as_of, table.source) == ("2025-03-03; 2025-03-04", "a; b")
    with pytest.raises(ValueError, match=":3:currency: CNY appears twice"):
        parse_rate_table("currency,cny_per_unit,as_of,source\nCNY,1,d,x\nCNY,1,d,x\n")
