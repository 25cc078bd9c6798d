"""Small pieces of the search kernel, tested on their own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkhub.model import AIR_VOLUMETRIC_KG_PER_M3, MAX_MIN_CHARGE, MAX_PRICE_PER_KG, Mode
from silkhub.routing import MAX_VOLUME_M3, MAX_WEIGHT_KG, default_fx_rates
from silkhub.routing._kernel import _first_trip, _front_order, quote_cents
from silkhub.routing.tariff import MIN_CHARGE_SCALE, PRICE_PER_KG_SCALE, integer_cents
from silkhub.routing.timetable import MODE_CODE


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([], []),
        ([(5, 1, 1)], [0]),
        # the destination's bag is sorted by arrival; ties are put in price, then CO₂e order
        ([(1, 9, 1), (2, 5, 5), (2, 3, 7), (2, 3, 6), (4, 1, 9)], [0, 3, 2, 1, 4]),
        ([(3, 2, 2), (3, 1, 3), (3, 0, 4)], [2, 1, 0]),
    ],
)
def test_front_order_sorts_by_arrival_price_co2(
    points: list[tuple[int, int, int]], expected: list[int]
) -> None:
    columns = np.array(points, np.int64).reshape(-1, 3).T.copy()  # C-contiguous rows
    t, price, co2 = columns
    order = _front_order(t, price, co2, len(points))
    assert order.tolist() == expected
    ranked = [points[i] for i in order]
    assert ranked == sorted(points)


@settings(max_examples=300, deadline=None)
@given(
    starts=st.lists(st.integers(0, 40), max_size=70).map(sorted),
    before=st.lists(st.integers(-5, 50), max_size=5),
    data=st.data(),
)
def test_first_trip_is_the_first_start_at_or_after_ready(
    starts: list[int], before: list[int], data: st.DataObject
) -> None:
    """``_first_trip`` gives what ``np.searchsorted(..., side="left")`` gives on the route's trips.

    Starts are drawn from a narrow range, so that many trips share a start and the ready time
    often equals one exactly (a trip leaving the moment the shipment is ready is caught) at
    every position the galloping and the bisection can reach; other routes' trips lie before
    this route's in the array, as in the timetable.
    """
    trip_start = np.array(sorted(before) + starts, np.int64)
    t_lo = len(before)
    ready_t = data.draw(
        st.sampled_from(starts) if starts and data.draw(st.booleans()) else st.integers(-2, 42)
    )
    expected = int(np.searchsorted(trip_start[t_lo:], ready_t, side="left"))
    assert _first_trip(trip_start, t_lo, len(starts), ready_t) == expected


_RATES = default_fx_rates()
_SCALED = sorted({_RATES.scaled(code) for code in _RATES.currencies})
_AIR = MODE_CODE[Mode.AIR]


@settings(max_examples=200, deadline=None)
@given(
    tariffs=st.lists(
        st.tuples(
            st.sampled_from(sorted(MODE_CODE.values())),
            st.integers(0, int(MAX_PRICE_PER_KG) * PRICE_PER_KG_SCALE),
            st.integers(0, int(MAX_MIN_CHARGE) * MIN_CHARGE_SCALE),
            st.sampled_from(_SCALED),
        ),
        min_size=1,
        max_size=40,
    ),
    grams=st.integers(1, int(MAX_WEIGHT_KG) * 1000),
    air_grams=st.integers(1, int(MAX_VOLUME_M3 * AIR_VOLUMETRIC_KG_PER_M3) * 1000),
    quote_rate=st.sampled_from(_SCALED),
)
def test_quote_cents_equals_integer_cents_to_the_limits(
    tariffs: list[tuple[int, int, int, int]], grams: int, air_grams: int, quote_rate: int
) -> None:
    """The kernel's branch-free pass gives each tariff's ``integer_cents``.

    Up to the largest tariff, minimum charge and shipment the model allows, in every currency
    of the table.
    """
    mode, ppk, minimum, rate = (np.array(column, np.int64) for column in zip(*tariffs, strict=True))
    cents = np.empty(len(tariffs), np.int64)
    quote_cents(mode.astype(np.int8), ppk, minimum, rate, _AIR, grams, air_grams, quote_rate, cents)
    expected = [
        integer_cents(p, m, air_grams if md == _AIR else grams, rt, quote_rate)
        for md, p, m, rt in tariffs
    ]
    assert cents.tolist() == expected


@pytest.mark.parametrize("quote_rate", _SCALED)
def test_quote_cents_at_the_largest_charge(quote_rate: int) -> None:
    """The dearest boarding the model allows, in every currency pair: no overflow, exact."""
    top = int(MAX_MIN_CHARGE) * MIN_CHARGE_SCALE
    n = len(_SCALED)
    rate = np.array(_SCALED, np.int64)
    cents = np.empty(n, np.int64)
    quote_cents(
        np.zeros(n, np.int8), np.full(n, int(MAX_PRICE_PER_KG) * PRICE_PER_KG_SCALE, np.int64),
        np.full(n, top, np.int64), rate, _AIR, 10**9, 10**9, quote_rate, cents,
    )  # fmt: skip
    assert cents.tolist() == [integer_cents(0, top, 1, r, quote_rate) for r in _SCALED]


def test_quote_cents_corrects_the_float_quotient_both_ways() -> None:
    """Where the conversion's float quotient is one off, the kernel's integer tests fix it.

    It is one too high or one too low for about one boarding in a thousand at the largest charges;
    the test fails if either correction is left out.
    """
    rng = np.random.default_rng(0)
    n = 400_000
    c = rng.integers(0, 10**11, n)
    rate = rng.choice(np.array(_SCALED, np.int64), n)
    quote_rate = _SCALED[0]  # the smallest rate: the largest quotients
    x = 2 * c * rate + quote_rate
    estimate = (x * (1.0 / (2 * quote_rate))).astype(np.int64)
    exact = x // (2 * quote_rate)
    high, low = np.flatnonzero(estimate > exact), np.flatnonzero(estimate < exact)
    assert len(high) > 0  # the cases this test is about occur in the sample
    assert len(low) > 0
    picked = np.concatenate([high, low])
    k = len(picked)
    cents = np.empty(k, np.int64)
    minimum = c[picked] * (MIN_CHARGE_SCALE // 100)  # exactly c[picked] cents before converting
    quote_cents(
        np.zeros(k, np.int8), np.zeros(k, np.int64), minimum, rate[picked], _AIR, 1, 1,
        quote_rate, cents,
    )  # fmt: skip
    assert cents.tolist() == exact[picked].tolist()
    assert cents.tolist() == [
        integer_cents(0, int(m), 1, int(r), quote_rate)
        for m, r in zip(minimum, rate[picked], strict=True)
    ]


def test_quote_cents_corrects_the_float_quotient_to_cents() -> None:
    """Where the float quotient of units by one cent is one too high, the kernel fixes it.

    The charge before rounding is drawn one unit below, on or above a half cent (so it
    rounds one way or the other), up to the largest charge the model allows. There the
    float estimate is one too high often enough that the test fails if the correction is
    left out, and never one too low, which is why the kernel has no correction up.
    """
    rng = np.random.default_rng(1)
    n = 400_000
    unit = MIN_CHARGE_SCALE // 100  # one cent in units of 10**-7
    top = int(MAX_MIN_CHARGE) * MIN_CHARGE_SCALE
    rounded = rng.integers(1, top // unit, n) * unit  # a whole number of cents, in units
    units = rounded - unit // 2 + rng.integers(-1, 2, n)  # just below, on or above half a cent
    halfway = units + unit // 2
    estimate = (halfway * 1e-5).astype(np.int64)
    exact = halfway // unit
    assert not (estimate < exact).any()
    picked = np.flatnonzero(estimate > exact)
    assert len(picked) > 1000  # the cases this test is about occur in the sample
    k = len(picked)
    quote_rate = _SCALED[0]
    cents = np.empty(k, np.int64)
    quote_cents(
        np.zeros(k, np.int8), np.zeros(k, np.int64), units[picked],
        np.full(k, quote_rate, np.int64), _AIR, 1, 1, quote_rate, cents,
    )  # fmt: skip
    assert cents.tolist() == exact[picked].tolist()
    assert cents.tolist() == [
        integer_cents(0, int(m), 1, quote_rate, quote_rate) for m in units[picked]
    ]
