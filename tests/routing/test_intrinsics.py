"""The kernels' intrinsics: the prefetch hint changes nothing; the atomic add is atomic."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit, prange
from numba.core.errors import TypingError

from silkhub.routing._intrinsics import fetch_add, prefetch


@njit(cache=False)
def _sum_with_hints(values, order):  # type: ignore[no-untyped-def]
    """Sum values[order[k]], hinting the element two ahead (as the search does)."""
    total = values[0] * 0
    for k in range(order.shape[0]):
        if k + 2 < order.shape[0]:
            prefetch(values, order[k + 2])
        total += values[order[k]]
    return total


@pytest.mark.parametrize("value_type", [np.int32, np.int64, np.float64, np.bool_])
@pytest.mark.parametrize("index_type", [np.int32, np.int64])
def test_hints_change_nothing(value_type: type, index_type: type) -> None:
    rng = np.random.default_rng(3)
    values: np.ndarray = rng.integers(0, 1000, 5000).astype(value_type)
    order: np.ndarray = rng.permutation(5000).astype(index_type)
    assert _sum_with_hints(values, order) == values[order].sum()


def test_the_hint_reaches_the_compiled_code() -> None:
    values = np.arange(10, dtype=np.int64)
    order = np.arange(10, dtype=np.int64)
    _sum_with_hints(values, order)
    llvm_ir = _sum_with_hints.inspect_llvm(_sum_with_hints.signatures[-1])
    assert "@llvm.prefetch" in llvm_ir


def test_refuses_what_it_cannot_hint() -> None:
    @njit(cache=False)
    def hint_2d(grid):  # type: ignore[no-untyped-def]
        prefetch(grid, 0)

    @njit(cache=False)
    def hint_float_index(values):  # type: ignore[no-untyped-def]
        prefetch(values, 1.5)

    with pytest.raises(TypingError):
        hint_2d(np.zeros((2, 2)))
    with pytest.raises(TypingError):
        hint_float_index(np.zeros(3))


@njit(cache=False, parallel=True)
def _count_in_threads(counter, times):  # type: ignore[no-untyped-def]
    """Both threads add 1 to counter[0] ``times`` times each; the sum of the old values seen."""
    seen = np.zeros(2, np.int64)
    for s in prange(2):
        for _ in range(times):
            seen[s] += fetch_add(counter, 0, 1)
    return seen.sum()


def test_fetch_add_returns_the_old_value_and_loses_no_update() -> None:
    counter = np.zeros(3, np.int64)
    times = 200_000
    seen = _count_in_threads(counter, times)
    n = 2 * times
    assert counter[0] == n  # a plain += from two threads loses updates
    assert seen == n * (n - 1) // 2  # each old value 0 .. n − 1 was handed out exactly once
    assert counter[1] == counter[2] == 0


def test_fetch_add_refuses_what_it_cannot_add_to() -> None:
    @njit(cache=False)
    def add_to_floats(values):  # type: ignore[no-untyped-def]
        return fetch_add(values, 0, 1)

    with pytest.raises(TypingError):
        add_to_floats(np.zeros(2))
