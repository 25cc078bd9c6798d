"""The independent conflict checker catches every planted conflict and passes legal plans."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkhub.terminal import Grid, check_plan, parse_plan_document, plan_document


def _plan(*steps: list[tuple[int, int]]) -> np.ndarray:
    return np.array(steps, dtype=np.int64)


def test_legal_plan_passes(room: Grid) -> None:
    """Moves to neighbours, waits and following an agent that leaves are all legal."""
    plan = _plan(
        [(1, 1), (1, 2), (3, 5)],
        [(1, 2), (1, 3), (3, 5)],  # agent 0 follows agent 1 into the cell it leaves
        [(1, 3), (2, 3), (3, 4)],
    )
    verdict = check_plan(room, plan)
    assert verdict.ok
    assert (verdict.steps, verdict.agents, verdict.total) == (2, 3, 0)


def test_rotation_of_four_is_legal() -> None:
    """Four agents turning round a 2×2 block in one step is not a swap."""
    free = np.ones((2, 2), dtype=bool)
    plan = _plan([(0, 0), (0, 1), (1, 1), (1, 0)], [(0, 1), (1, 1), (1, 0), (0, 0)])
    assert check_plan(free, plan).ok


def test_planted_vertex_conflict(room: Grid) -> None:
    """Two agents in one cell at one step are caught, with the step, agents and cell."""
    plan = _plan([(1, 1), (1, 3)], [(1, 2), (1, 2)])
    verdict = check_plan(room, plan)
    assert verdict.counts["vertex"] == 1
    (conflict,) = verdict.conflicts
    assert (conflict.kind, conflict.step, conflict.agents, conflict.cells) == (
        "vertex",
        1,
        (0, 1),
        ((1, 2),),
    )
    assert str(conflict) == "step 1: vertex conflict, agent(s) 0,1 at (1,2)"


def test_planted_swap_conflict(room: Grid) -> None:
    """Two agents exchanging cells in one step are caught."""
    plan = _plan([(1, 1), (1, 2), (3, 1)], [(1, 2), (1, 1), (3, 2)])
    verdict = check_plan(room, plan)
    assert verdict.counts == {"blocked": 0, "jump": 0, "vertex": 0, "swap": 1}
    assert verdict.conflicts[0].agents == (0, 1)
    assert verdict.conflicts[0].step == 1


def test_planted_jump_and_blocked_cell(room: Grid) -> None:
    """A diagonal move, a two-cell jump, a wall and a cell off the map are all caught."""
    plan = _plan([(1, 1), (1, 5)], [(2, 2), (1, 3)], [(3, 3), (0, 3)], [(3, 3), (-1, 3)])
    verdict = check_plan(room, plan)
    assert verdict.counts["jump"] == 3  # (1,1)->(2,2), (1,5)->(1,3), (2,2)->(3,3)
    assert verdict.counts["blocked"] == 3  # (2,2) pillar, (0,3) wall, (-1,3) off the map
    assert not verdict.ok


def test_a_cell_far_off_the_map_collides_with_no_agent_on_it(room: Grid) -> None:
    """An agent at (0, width + 3) is blocked, and no one shares a cell with the agent at (1,1).

    Row-major codes with a margin of one had given both the same code: a phantom vertex
    conflict blaming an agent alone on its cell.
    """
    width = room.width
    plan = _plan([(1, 1), (0, width + 3)], [(1, 1), (-5, -5)], [(1, 1), (-5, -5)])
    verdict = check_plan(room, plan)
    assert verdict.counts["vertex"] == 0
    assert verdict.counts["blocked"] == 3
    twice = _plan([(1, 1), (0, width + 3), (0, width + 3)])  # two agents on one off-map cell
    assert check_plan(room, twice).counts["vertex"] == 1


def test_start_positions_are_checked_too(room: Grid) -> None:
    """Two agents starting on one cell is a vertex conflict at step 0."""
    verdict = check_plan(room, _plan([(1, 1), (1, 1)]))
    assert verdict.counts["vertex"] == 1
    assert verdict.conflicts[0].step == 0


def test_shape_is_checked(room: Grid) -> None:
    """Positions must be (steps + 1, agents, 2)."""
    with pytest.raises(ValueError, match="shape"):
        check_plan(room, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="2-D"):
        check_plan(np.ones(3, dtype=bool), np.zeros((1, 1, 2)))


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=3, max_size=3),
        min_size=2,
        max_size=6,
    )
)
def test_checker_agrees_with_a_brute_force_reading_of_the_rules(data: list) -> None:
    """On random plans on an open 4×4 floor the counts equal a pairwise check of the rules."""
    plan = np.array(data, dtype=np.int64)
    free = np.ones((4, 4), dtype=bool)
    verdict = check_plan(free, plan)
    vertex = swap = jump = 0
    for t in range(len(plan)):
        cells = [tuple(p) for p in plan[t]]
        vertex += sum(1 for c in set(cells) if cells.count(c) > 1)
        if t == 0:
            continue
        prev = [tuple(p) for p in plan[t - 1]]
        jump += sum(
            1 for a, b in zip(prev, cells, strict=True) if abs(a[0] - b[0]) + abs(a[1] - b[1]) > 1
        )
        for i in range(3):
            for j in range(i + 1, 3):
                if prev[i] != cells[i] and prev[i] == cells[j] and prev[j] == cells[i]:
                    swap += 1
    assert verdict.counts == {"blocked": 0, "jump": jump, "vertex": vertex, "swap": swap}


def test_plan_document_round_trips(room: Grid) -> None:
    """A written plan reads back as the same positions."""
    plan = _plan([(1, 1), (1, 3)], [(1, 2), (1, 3)])
    doc = plan_document(room.height, room.width, plan, map_name="room", metadata={"seed": 1})
    assert doc["format"] == "silkhub-plan/1"
    assert doc["metadata"] == {"seed": 1}
    height, width, positions = parse_plan_document(doc)
    assert (height, width) == (5, 7)
    assert np.array_equal(positions, plan)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other"}, "format: expected"),
        ({"height": 0}, "height: must be a positive whole number"),
        ({"steps": []}, "steps: must be a non-empty list"),
        ({"steps": [[[1, 1]]]}, r"steps\[0\]: must list the cell of each of the 2 agents"),
        ({"steps": [[[1, 1], [1, "x"]]]}, r"steps\[0\]\[1\]: must be \[row, col\]"),
        ({"steps": [[[1, 1], [1, 2.5]]]}, r"steps\[0\]\[1\]: must be \[row, col\]"),
        ({"steps": [[[1, 1], [10**30, 2]]]}, r"steps\[0\]\[1\]: must be \[row, col\] with whole"),
        # within int64, so the whole-array path had taken them
        ({"steps": [[[1, 1], [2**31, 2]]]}, r"steps\[0\]\[1\]: must be \[row, col\] with whole"),
        ({"steps": [[[1, 1], [3, -(2**63)]]]}, r"steps\[0\]\[1\]: must be \[row, col\]"),
    ],
)
def test_bad_plan_documents_name_the_field(change: dict, message: str) -> None:
    """A malformed plan is refused with the field that is wrong."""
    doc = plan_document(5, 7, _plan([(1, 1), (1, 3)]))
    doc.update(change)
    with pytest.raises(ValueError, match=message):
        parse_plan_document(doc)
    with pytest.raises(ValueError, match="JSON object"):
        parse_plan_document([1])
