"""Suggestions for unknown places: codes in any case, UN/LOCODEs, city names, and nothing."""

from __future__ import annotations

import pytest

from silkhub.model import Network
from silkhub.network import default_network
from silkhub.network.lookup import similar_places, unknown_place_message


@pytest.fixture(scope="module")
def hub() -> Network:
    return default_network()


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("mad", ["MAD"]),  # an id in lower case
        (" cgo ", ["CGO"]),
        ("CNYIW", ["YIW"]),  # a UN/LOCODE whose location part is the airport's IATA code
        ("CNCGO", ["CGO"]),
        ("Madrid", ["MAD"]),  # a city, found in the place names
        ("Liège", ["BELGG"]),
        ("Felixstowe", ["GBFXT"]),
        ("hamburg", ["DEHAM"]),
        ("Tashkent", ["TAS", "UZTAS"]),
        ("Zhengzhou", ["CGO", "CNZGZ", "CNZGZ-XZCBZ"]),  # the airport too: its name has the city
        ("XXX", []),
        ("Atlantis", []),
        ("", []),
        ("ZZ", []),
    ],
)
def test_similar_places(hub: Network, text: str, meant: list[str]) -> None:
    assert similar_places(hub, text) == meant


def test_at_most_limit_places(hub: Network) -> None:
    assert len(similar_places(hub, "airport")) == 3
    assert similar_places(hub, "Almaty", limit=1) == ["ALA"]


def test_codes_in_the_network_come_before_names(tiny_hub: Network) -> None:
    """The tiny hub's CGO has UN/LOCODE CNCGO: the code wins over any name."""
    assert similar_places(tiny_hub, "cncgo") == ["CGO"]
    assert similar_places(tiny_hub, "esmad") == ["MAD"]
    assert similar_places(tiny_hub, "Yiwu") == ["YIW"]


def test_message(hub: Network) -> None:
    assert unknown_place_message(hub, "XXX") == "unknown place 'XXX'"
    assert unknown_place_message(hub, "CNYIW") == (
        "unknown place 'CNYIW'; did you mean 'YIW' (Yiwu Airport)?"
    )
    assert unknown_place_message(hub, "Tashkent") == (
        "unknown place 'Tashkent'; did you mean 'TAS' (Tashkent International Airport) or "
        "'UZTAS' (Tashkent rail and TIR terminal)?"
    )
