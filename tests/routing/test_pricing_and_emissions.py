"""Tariffs, exchange rates, emission factors and the request's own checks."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkhub.model import CargoClass, Mode, Network
from silkhub.network import expand_departures, load_network
from silkhub.routing import (
    MAX_VOLUME_M3,
    QuoteRequest,
    Router,
    UnknownCurrencyError,
    boarding_charge,
    chargeable_grams,
    default_emission_factors,
    default_fx_rates,
    leg_co2e_grams,
    leg_price,
    load_fx_rates,
    quote,
)
from silkhub.routing.tariff import integer_cents, scaled_tariff

READY = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(
    ppk=st.integers(0, 1000 * 10**4).map(lambda v: Decimal(v) / 10**4),
    minimum=st.integers(0, 10**6).map(lambda v: Decimal(v) / 100),
    grams=st.integers(1, 10**9),
    cur=st.sampled_from(sorted(default_fx_rates().currencies)),
    quote_cur=st.sampled_from(sorted(default_fx_rates().currencies)),
)
def test_integer_pricing_equals_decimal_pricing(
    ppk: Decimal, minimum: Decimal, grams: int, cur: str, quote_cur: str
) -> None:
    """The router's integer cents equal the Decimal tariff → convert → round chain."""
    rates = default_fx_rates()
    ppk_u, min_u = scaled_tariff(ppk, minimum, "test")
    cents = integer_cents(ppk_u, min_u, grams, rates.scaled(cur), rates.scaled(quote_cur))
    money = leg_price(ppk, minimum, cur, grams, quote_cur, rates)
    assert Decimal(cents) / 100 == money.amount


@pytest.mark.parametrize(
    ("ppk", "minimum", "grams", "expected"),
    [
        ("32.50", "800", 500_000, "16250.00"),  # per kg beats the minimum
        ("32.50", "800", 10_000, "800.00"),  # the minimum charge applies
        ("0.005", "0", 1_000, "0.01"),  # half a cent rounds up
        ("0.0049", "0", 1_000, "0.00"),
    ],
)
def test_boarding_charge_is_max_of_minimum_and_rate_rounded(
    ppk: str, minimum: str, grams: int, expected: str
) -> None:
    """A boarding costs max(min_charge, price_per_kg × kg), rounded half-up to cents."""
    assert boarding_charge(Decimal(ppk), Decimal(minimum), grams) == Decimal(expected)


def test_air_charges_volumetric_weight_other_modes_actual() -> None:
    """Air uses max(kg, 167 × m³); rail, sea and road use the actual kg."""
    assert chargeable_grams(Mode.AIR, 100, 2.0) == 334_000
    assert chargeable_grams(Mode.AIR, 500, 2.0) == 500_000
    assert chargeable_grams(Mode.RAIL, 100, 2.0) == 100_000


def test_conversion_goes_through_cny_and_rounds_to_cents() -> None:
    """USD → EUR converts with the CNY cross rate of the table and rounds half-up."""
    rates = default_fx_rates()
    usd, eur = rates.cny_per_unit["USD"], rates.cny_per_unit["EUR"]
    expected = (Decimal("100.00") * usd / eur).quantize(Decimal("0.01"))
    assert rates.convert(Decimal("100.00"), "USD", "EUR") == expected
    assert rates.convert(Decimal("12.345"), "CNY", "CNY") == Decimal("12.35")


@pytest.mark.parametrize(
    "code", ["CNY", "USD", "EUR", "GBP", "KZT", "UZS", "NOK", "BDT", "HUF", "TRY", "AZN", "RSD"]
)
def test_rate_table_covers_the_corridor_currencies(code: str) -> None:
    """Every currency of the hub's corridors has a dated, sourced rate."""
    rates = default_fx_rates()
    assert rates.cny_per_unit[code] > 0
    assert rates.as_of
    assert rates.source


def test_rate_table_rejects_bad_rows() -> None:
    """A rate table without CNY = 1 or with a non-number is refused with its line."""
    with pytest.raises(ValueError, match="CNY"):
        load_fx_rates("currency,cny_per_unit,as_of,source\nUSD,7.1,2025-01-01,x\n")
    with pytest.raises(ValueError, match=":3:cny_per_unit"):
        load_fx_rates("currency,cny_per_unit,as_of,source\nCNY,1,d,x\nUSD,abc,d,x\n")


def test_no_rate_is_an_unknown_currency_error_not_a_key_error() -> None:
    """Converting from a currency the table lacks raises UnknownCurrencyError, a ValueError."""
    with pytest.raises(UnknownCurrencyError, match="no exchange rate for currency 'XAU'"):
        default_fx_rates().convert(Decimal(1), "XAU", "CNY")
    assert issubclass(UnknownCurrencyError, ValueError)
    assert not issubclass(UnknownCurrencyError, KeyError)


def test_quote_names_the_service_or_link_priced_without_a_rate(tiny_hub: Network) -> None:
    """A hand-built network with a tariff in XAU fails quote() naming it; Router too, clearly."""
    request = QuoteRequest("YIW", "MAD", READY, 500.0)
    in_gold = dataclasses.replace(tiny_hub.services["1Z101"], currency="XAU")
    network = dataclasses.replace(tiny_hub, services={**tiny_hub.services, "1Z101": in_gold})
    with pytest.raises(UnknownCurrencyError, match="service '1Z101' is priced in 'XAU'"):
        quote(network, request)
    with pytest.raises(UnknownCurrencyError, match="no exchange rate for currency 'XAU'"):
        Router(network, expand_departures(network, READY.date(), READY.date()))
    link = dataclasses.replace(tiny_hub.links[0], currency="XAU")
    with pytest.raises(UnknownCurrencyError, match="link YIW>CGO is priced in 'XAU'"):
        quote(dataclasses.replace(tiny_hub, links=(link,)), request)


def test_a_router_without_the_quote_currency_says_so(tiny_hub: Network) -> None:
    """A router on a table without the request's currency raises UnknownCurrencyError."""
    cny_only = load_fx_rates("currency,cny_per_unit,as_of,source\nCNY,1,d,x\n")
    in_cny = dataclasses.replace(
        tiny_hub,
        services={k: dataclasses.replace(s, currency="CNY") for k, s in tiny_hub.services.items()},
        links=tuple(dataclasses.replace(k, currency="CNY") for k in tiny_hub.links),
    )
    router = Router(in_cny, expand_departures(in_cny, READY.date(), READY.date()), rates=cny_only)
    request = QuoteRequest("YIW", "MAD", READY, 500.0, currency="EUR")
    with pytest.raises(UnknownCurrencyError, match="no exchange rate for currency 'EUR'"):
        router.query(request)


def test_tariffs_at_the_loader_limits_are_priced(tiny_hub_copy: Path) -> None:
    """Whatever tariff the loader accepts, the router prices exactly (bounds are shared)."""
    services = tiny_hub_copy / "services.csv"
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("32.50,800.00", "999.9999,999999999.9999999"), "utf-8")
    network = load_network(tiny_hub_copy)
    (it,) = quote(network, QuoteRequest("CGO", "MAD", READY, 100_000.0))
    assert it.price.amount == Decimal("1000000000.00")  # the minimum charge, rounded


@pytest.mark.parametrize(
    ("mode", "vehicle", "vehicle_class"),
    [
        (Mode.AIR, "B747-400F", "freighter wide-body long haul"),
        (Mode.AIR, "", "air default"),
        (Mode.RAIL, "electric container train", "electric container train"),
        (Mode.RAIL, "block train", "rail default (mixed traction)"),
        (Mode.SEA, "feeder 1,100 TEU", "container feeder (<2000 TEU)"),
        (Mode.SEA, "1,100 TEU", "container feeder (<2000 TEU)"),
        (Mode.SEA, "container ship 12,000 TEU", "container ship large (>7500 TEU)"),
        (Mode.SEA, "14 000 TEU", "container ship large (>7500 TEU)"),
        (Mode.SEA, "8000 TEU", "container ship large (>7500 TEU)"),
        (Mode.SEA, "container ship 2,000 TEU", "sea default (container)"),
        (Mode.ROAD, "40t tractor-trailer (TIR)", "articulated truck 34-40 t"),
        (Mode.SEA, "RoPax ferry", "ferry RoPax >20000 GT (VLSFO)"),
        # The freighter pattern had matched the type number of any 777 or A350, ahead of the
        # belly row; "40 ?t" matched inside "140 t" and "van" inside "caravan".
        (Mode.AIR, "B777-300ER belly", "belly cargo long haul"),
        (Mode.AIR, "Boeing 777-300ER (passenger)", "belly cargo long haul"),
        (Mode.AIR, "A350-900 passenger belly", "belly cargo long haul"),
        (Mode.AIR, "A321P2F", "air default"),  # not a wide-body
        (Mode.ROAD, "TIR 40 t", "articulated truck 34-40 t"),
        (Mode.ROAD, "truck 140 t", "road default (articulated truck)"),
        (Mode.ROAD, "12 t rigid", "rigid truck 7.5-12 t"),
        (Mode.ROAD, "caravan", "road default (articulated truck)"),
    ],
)
def test_vehicle_text_picks_the_glec_row(mode: Mode, vehicle: str, vehicle_class: str) -> None:
    """The service's vehicle picks its GLEC class; unknown vehicles get the mode default."""
    factor = default_emission_factors().factor_for(mode, vehicle)
    assert factor.vehicle_class == vehicle_class


def test_every_factor_is_cited_or_labelled_as_an_unverified_assumption() -> None:
    """A row cites its GLEC table (v3.0, or v2.0 where no v3 value was found) or says it is unverified."""
    for factor in default_emission_factors().factors:
        cited = (
            factor.source.startswith(
                ("GLEC Framework v3.0 (2023), Table ", "GLEC Framework v2.0 (Smart Freight Centre")
            )
            and re.search(r"Table \d+", factor.source) is not None
        )
        assumed = factor.source.startswith("UNVERIFIED ASSUMPTION")
        assert cited != assumed, factor.vehicle_class


def test_the_ferry_factor_is_the_glec_table_14_value() -> None:
    """GLEC v3.0 Table 14: RoPax ferry >20,000 GT on VLSFO, 0.098 kg CO2e/t-km WTW."""
    factor = default_emission_factors().factor_for(Mode.SEA, "ferry")
    assert factor.g_co2e_per_tkm_wtw == 98.0
    assert "Table 14" in factor.source


def test_the_diesel_train_factor_is_the_glec_v2_table_38_value() -> None:
    """GLEC v2.0 Table 38: European diesel traction, average/mixed load, 28 g CO2e/t-km WTW."""
    factor = default_emission_factors().factor_for(Mode.RAIL, "TE33A diesel")
    assert factor.vehicle_class == "diesel container train"
    assert factor.g_co2e_per_tkm_wtw == 28.0
    assert "Table 38" in factor.source


def test_leg_emissions_are_mass_times_distance_times_intensity() -> None:
    """500 kg over 1,000 km at 78 g/tkm is 39 kg CO₂e (whole grams)."""
    assert leg_co2e_grams(78.0, 1000.0, 500.0) == 39_000
    assert leg_co2e_grams(0.4, 1.0, 1.0) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_kg": 0}, "weight_kg"),
        ({"weight_kg": float("nan")}, "weight_kg"),
        ({"weight_kg": 2e6}, "weight_kg"),
        ({"volume_m3": -1}, "volume_m3"),
        ({"ready": datetime(2025, 3, 3, 8)}, "timezone-aware"),
        ({"destination": "CGO"}, "same place"),
        ({"currency": "XXX"}, "currency"),
        ({"max_boardings": 0}, "max_boardings"),
        ({"max_boardings": 2.5}, "max_boardings must be a whole number"),
        ({"max_boardings": True}, "max_boardings must be a whole number"),
        ({"horizon_days": 1.5}, "horizon_days must be a whole number"),
        ({"horizon_days": 367}, "horizon_days"),
        ({"latest_arrival": READY}, "latest_arrival"),
        ({"modes": frozenset()}, "modes"),
    ],
)
def test_request_rejects_bad_values(changes: dict[str, object], message: str) -> None:
    """A request with a bad field fails on construction, naming the field."""
    fields: dict[str, object] = {
        "origin": "CGO",
        "destination": "MAD",
        "ready": READY,
        "weight_kg": 500.0,
    }
    fields.update(changes)
    with pytest.raises(ValueError, match=message):
        QuoteRequest(**fields)  # type: ignore[arg-type]


def test_request_normalises_times_to_utc() -> None:
    """An aware ready time in any zone is kept in UTC; cargo class strings become the enum."""
    ready = datetime.fromisoformat("2025-03-03T08:00+08:00")
    request = QuoteRequest("CGO", "MAD", ready, 1.5, cargo_class=CargoClass("e-commerce"))
    assert request.ready == datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
    assert request.weight_grams == 1500


def test_the_dearest_tariff_at_the_largest_volume_is_priced_exactly(tiny_hub_copy: Path) -> None:
    """The format's top air tariff, in GBP, quoted in UZS for the largest volume: no overflow."""
    services = tiny_hub_copy / "services.csv"
    text = services.read_text(encoding="utf-8")
    services.write_text(
        text.replace("110000,680,32.50,800.00,CNY", "2000000,10000,1000,800.00,GBP"), "utf-8"
    )
    network = load_network(tiny_hub_copy)
    request = QuoteRequest("CGO", "MAD", READY, 10.0, MAX_VOLUME_M3, currency="UZS")
    (it,) = quote(network, request)
    grams = chargeable_grams(Mode.AIR, request.weight_kg, request.volume_m3)
    expected = leg_price(Decimal(1000), Decimal(800), "GBP", grams, "UZS", default_fx_rates())
    assert it.price == expected
    assert it.price.amount > 0
    with pytest.raises(ValueError, match="volume_m3 must be at most 5,988"):
        QuoteRequest("CGO", "MAD", READY, 10.0, MAX_VOLUME_M3 + 1)
