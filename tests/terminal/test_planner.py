"""The lifelong PIBT planner (and the A* baseline) on small floors, checked independently."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from silkhub.terminal import (
    FleetPlanner,
    Grid,
    PlannerConfig,
    ReservationPlanner,
    check_plan,
    to_row_col,
)
from silkhub.terminal._graph import CompactGraph


@dataclass(frozen=True)
class Case:
    """A random floor, a fleet on distinct cells and a queue of errand cells per agent."""

    grid: Grid
    starts: list[int]
    errands: list[list[int]]
    seed: int


def _graph(grid: Grid) -> nx.Graph:
    g = nx.Graph()
    for cell in grid.free_cells():
        g.add_node(int(cell))
        for nb in grid.neighbours(int(cell)):
            g.add_edge(int(cell), nb)
    return g


@st.composite
def cases(draw: st.DrawFn, *, biconnected: bool) -> Case:
    """Small grids with random walls, kept when the free cells are connected (or biconnected)."""
    height = draw(st.integers(3, 7))
    width = draw(st.integers(3, 7))
    walls = draw(
        st.sets(
            st.tuples(st.integers(0, height - 1), st.integers(0, width - 1)),
            max_size=height * width // 3,
        )
    )
    passable = np.ones((height, width), dtype=bool)
    for r, c in walls:
        passable[r, c] = False
    assume(passable.sum() >= 3)
    grid = Grid(passable)
    graph = _graph(grid)
    assume(nx.is_connected(graph))
    if biconnected:
        assume(nx.is_biconnected(graph))
    free = [int(c) for c in grid.free_cells()]
    agents = draw(st.integers(1, min(8, len(free) - 1)))
    starts = draw(st.permutations(free))[:agents]
    errands = [draw(st.lists(st.sampled_from(free), min_size=1, max_size=4)) for _ in starts]
    return Case(grid, starts, errands, draw(st.integers(0, 2**16)))


def _run(
    case: Case, planner: FleetPlanner | ReservationPlanner, max_steps: int
) -> tuple[np.ndarray, int, int]:
    """Run until every agent has visited its errands in order; (plan, steps, errands done)."""
    n = len(case.starts)
    cursor = [0] * n
    goals = np.array([q[0] for q in case.errands], dtype=np.int64)
    history = [planner.positions.copy()]
    done = 0
    total = sum(len(q) for q in case.errands)
    steps = 0
    while done < total and steps < max_steps:
        pos = planner.step(goals)
        steps += 1
        history.append(pos.copy())
        for a in range(n):
            if cursor[a] < len(case.errands[a]) and pos[a] == goals[a]:
                done += 1
                cursor[a] += 1
                if cursor[a] < len(case.errands[a]):
                    goals[a] = case.errands[a][cursor[a]]
    return np.array(history), steps, done


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(case=cases(biconnected=False))
def test_pibt_plans_never_conflict(case: Case) -> None:
    """On any connected floor, every step of a PIBT plan passes the independent checker."""
    planner = FleetPlanner(case.grid, case.starts, seed=case.seed)
    history, _, _ = _run(case, planner, max_steps=150)
    verdict = check_plan(case.grid, to_row_col(history, case.grid.width))
    assert verdict.ok, verdict.conflicts[:3]


@pytest.mark.parametrize(("guidance", "cost"), [("none", 1), ("crisscross", 2)])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(case=cases(biconnected=True))
def test_pibt_serves_every_task_on_biconnected_floors(guidance: str, cost: int, case: Case) -> None:
    """Every errand is served within errands × (diameter × dearest move + 1) steps.

    Condition (PIBT, Okumura et al. 2022): the free cells form a biconnected graph (every
    pair of adjacent cells lies on a cycle: no dead ends, no bridges) and there are fewer
    agents than cells. Then the agent with the highest priority moves to a cell strictly
    nearer its goal every step, so it arrives within its distance (at most diameter × the
    dearest move with guidance); since waiting agents gain priority, one errand is served
    at least that often until all are.
    """
    diameter = nx.diameter(_graph(case.grid))
    total = sum(len(q) for q in case.errands)
    bound = total * (diameter * cost + 1) + 1
    config = PlannerConfig(guidance=guidance, against_flow_cost=cost)  # type: ignore[arg-type]
    planner = FleetPlanner(case.grid, case.starts, seed=case.seed, config=config)
    history, steps, done = _run(case, planner, max_steps=bound)
    assert done == total, f"{done}/{total} errands served in {steps} steps"
    assert check_plan(case.grid, to_row_col(history, case.grid.width)).ok


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(case=cases(biconnected=False))
def test_reservation_baseline_never_conflicts(case: Case) -> None:
    """The space-time A* baseline is collision-free too (it may stall, never collide)."""
    planner = ReservationPlanner(case.grid, case.starts, window=6)
    history, _, _ = _run(case, planner, max_steps=80)
    assert check_plan(case.grid, to_row_col(history, case.grid.width)).ok


def test_agents_pass_each_other_in_a_room(room: Grid) -> None:
    """Two agents crossing a room swap ends without meeting."""
    a, b = room.cell(1, 1), room.cell(1, 5)
    planner = FleetPlanner(room, [a, b], seed=3)
    history = [planner.positions]
    for _ in range(12):
        history.append(planner.step(np.array([b, a])))
    assert history[-1].tolist() == [b, a]
    assert check_plan(room, to_row_col(np.array(history), room.width)).ok


def test_planner_is_deterministic_for_a_seed(room: Grid) -> None:
    """Same seed, same plan."""
    starts = [room.cell(1, 1), room.cell(1, 5), room.cell(3, 3)]
    goals = np.array([room.cell(3, 5), room.cell(3, 1), room.cell(1, 3)])
    runs = []
    for _ in range(2):
        planner = FleetPlanner(room, starts, seed=42)
        runs.append([planner.step(goals).tolist() for _ in range(10)])
    assert runs[0] == runs[1]


def test_dwelling_agent_is_not_pushed(corridor: Grid) -> None:
    """An agent loading on its goal keeps its cell even when another agent wants through."""
    left, right = corridor.cell(1, 1), corridor.cell(1, 3)
    planner = FleetPlanner(corridor, [left, right], seed=0)
    for _ in range(3):
        pos = planner.step(np.array([corridor.cell(1, 4), right]), np.array([False, True]))
        assert pos[1] == right


def test_private_cells_are_entered_only_by_their_visitor() -> None:
    """A charging alcove is never used as a passing place, only by the AGV sent there."""
    from silkhub.terminal import parse_movingai

    grid = parse_movingai("type octile\nheight 3\nwidth 4\nmap\n@.@@\n....\n....\n")
    alcove = grid.cell(0, 1)
    graph = CompactGraph(grid, private=[alcove])
    starts = [grid.cell(1, 0), grid.cell(1, 1), grid.cell(1, 2)]
    planner = FleetPlanner(grid, starts, seed=1, graph=graph)
    goals = np.array([grid.cell(1, 3), grid.cell(1, 0), grid.cell(2, 1)])
    for _ in range(15):
        assert alcove not in planner.step(goals)
    goals[2] = alcove
    for _ in range(10):
        pos = planner.step(goals)
    assert pos[2] == alcove


def test_distance_tables_fall_back_and_recycle(room: Grid) -> None:
    """A pool too small for every goal steers by Manhattan distance and stays collision-free."""
    free = [int(c) for c in room.free_cells()]
    planner = FleetPlanner(
        room,
        free[:4],
        config=PlannerConfig(table_memory_mb=1e-6, tables_per_step=1, guidance="none"),
        seed=0,
    )
    assert planner.tables.capacity == 1
    history = [planner.positions]
    goals = np.array(free[-4:])
    for _ in range(20):
        history.append(planner.step(goals))
        assert planner.fallback_agents >= 3
    assert check_plan(room, to_row_col(np.array(history), room.width)).ok
    assert planner.distance(free[0], free[-1]) == 6


def test_bad_fleets_are_refused(room: Grid) -> None:
    """Shared, blocked or too many start cells, and wrong goal arrays, are refused."""
    free = [int(c) for c in room.free_cells()]
    with pytest.raises(ValueError, match="same cell"):
        FleetPlanner(room, [free[0], free[0]])
    with pytest.raises(ValueError, match="blocked"):
        FleetPlanner(room, [room.cell(0, 0)])
    with pytest.raises(ValueError, match="free cells"):
        FleetPlanner(room, free)
    planner = FleetPlanner(room, free[:2])
    with pytest.raises(ValueError, match="expected 2 goals"):
        planner.step(np.array(free[:3]))
    with pytest.raises(ValueError, match="dwelling"):
        planner.step(np.array(free[:2]), np.array([True]))
    with pytest.raises(ValueError, match="distinct"):
        planner.relocate(np.array([free[0], free[0]]))
    with pytest.raises(ValueError, match="tables_per_step"):
        PlannerConfig(tables_per_step=0)
    with pytest.raises(ValueError, match="window"):
        ReservationPlanner(room, free[:2], window=0)
