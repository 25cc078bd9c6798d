"""Task records and the optimal assignment of idle AGVs to open tasks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from silkhub.terminal import Task, TaskKind, assign


def test_assignment_beats_greedy() -> None:
    """Nearest-first would send AGV 0 to task 0 (cost 1) and AGV 1 to task 1 (cost 100)."""
    costs = np.array([[1.0, 2.0], [3.0, 100.0]])
    assert sorted(assign(costs)) == [(0, 1), (1, 0)]


def test_unreachable_pairs_are_dropped() -> None:
    """An infinite cost (no path) is never assigned; fewer tasks than AGVs is fine."""
    costs = np.array([[np.inf], [5.0], [np.inf]])
    assert assign(costs) == [(1, 0)]
    assert assign(np.array([[np.inf, np.inf]])) == []
    assert assign(np.zeros((0, 3))) == []
    with pytest.raises(ValueError, match="2-D"):
        assign(np.zeros(3))


@settings(max_examples=200, deadline=None)
@given(
    costs=arrays(
        np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=st.integers(0, 50)
    )
)
def test_assignment_is_optimal(costs: np.ndarray) -> None:
    """The total cost equals the best over every one-to-one matching (brute force)."""
    pairs = assign(costs)
    rows, cols = costs.shape
    k = min(rows, cols)
    assert len(pairs) == k
    assert len({r for r, _ in pairs}) == len({c for _, c in pairs}) == k
    best = min(
        sum(costs[r, c] for r, c in zip(rs, cs, strict=True))
        for rs in itertools.permutations(range(rows), k)
        for cs in itertools.combinations(range(cols), k)
    )
    assert sum(costs[r, c] for r, c in pairs) == pytest.approx(best)


def test_task_checks_itself() -> None:
    """A task needs errands, and cargo tasks need a piece."""
    with pytest.raises(ValueError, match="no errand"):
        Task(0, TaskKind.CHARGE, (), 0, 0)
    with pytest.raises(ValueError, match="needs a piece"):
        Task(0, TaskKind.STORE, (1, 2), 0, 0)
    task = Task(1, TaskKind.RETRIEVE, (4, 9), 0, 10, piece_id="P1")
    assert task.current_cell == 4
    assert not task.done
