"""Small pieces of the search kernel, tested on their own."""

from __future__ import annotations

import numpy as np
import pytest

from silkhub.routing._kernel import _front_order


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
