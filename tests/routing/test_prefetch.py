"""The prefetch intrinsic: emits LLVM's hint, changes nothing, refuses what it cannot hint."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from numba.core.errors import TypingError

from silkhub.routing._prefetch import prefetch


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
