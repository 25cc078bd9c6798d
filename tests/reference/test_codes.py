"""Standard code checks delegate to pycountry, tzdata and airportsdata."""

from __future__ import annotations

import pytest

from silkhub.reference import airport, is_country, is_currency, is_timezone


@pytest.mark.parametrize(
    ("code", "known"), [("CN", True), ("DE", True), ("XX", False), ("cn", False), ("CHN", False)]
)
def test_is_country(code: str, known: bool) -> None:
    """ISO 3166-1 alpha-2, upper case only."""
    assert is_country(code) is known


@pytest.mark.parametrize(
    ("code", "known"), [("CNY", True), ("KZT", True), ("RMB", False), ("cny", False), ("EU", False)]
)
def test_is_currency(code: str, known: bool) -> None:
    """ISO 4217 alphabetic codes, upper case only."""
    assert is_currency(code) is known


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("Asia/Shanghai", True),
        ("Europe/Madrid", True),
        ("UTC", True),
        ("Asia/Zhengzhou", False),
        ("", False),
        ("../etc/passwd", False),
    ],
)
def test_is_timezone(name: str, known: bool) -> None:
    """IANA names known to the installed tz database; paths are refused."""
    assert is_timezone(name) is known


def test_airport_lookup() -> None:
    """Zhengzhou Xinzheng is CGO in Asia/Shanghai; unknown codes give None."""
    cgo = airport("CGO")
    assert cgo is not None
    assert cgo["tz"] == "Asia/Shanghai"
    assert cgo["country"] == "CN"
    assert airport("ZZZ") is None
