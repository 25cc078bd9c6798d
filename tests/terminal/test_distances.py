"""Distance tables: breadth-first, with guidance costs (Dijkstra), and private cells."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from silkhub.terminal import Grid, parse_movingai
from silkhub.terminal._graph import CompactGraph, DistanceTables, crisscross_costs


@st.composite
def floors(draw: st.DrawFn) -> Grid:
    """Random small grids with a few walls (any connectivity)."""
    h, w = draw(st.integers(2, 7)), draw(st.integers(2, 7))
    walls = draw(
        st.sets(st.tuples(st.integers(0, h - 1), st.integers(0, w - 1)), max_size=h * w // 2)
    )
    passable = np.ones((h, w), dtype=bool)
    for r, c in walls:
        passable[r, c] = False
    passable[0, 0] = True
    return Grid(passable)


def _weighted_digraph(graph: CompactGraph) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.vertex_count))
    cost = graph.cost if graph.cost is not None else np.ones(graph.nbr.shape, dtype=np.uint8)
    for v in range(graph.vertex_count):
        for k in range(4):
            u = int(graph.nbr[v, k])
            if u >= 0:
                g.add_edge(v, u, weight=int(cost[v, k]))
    return g


@settings(max_examples=100, deadline=None)
@given(grid=floors(), against=st.integers(1, 4))
def test_tables_equal_dijkstra(grid: Grid, against: int) -> None:
    """Every table entry is the cheapest cost to the goal (networkx Dijkstra agrees)."""
    graph = CompactGraph(grid)
    if against > 1:
        graph.set_costs(crisscross_costs(graph, against))
    tables = DistanceTables(graph)
    digraph = _weighted_digraph(graph)
    goal = 0
    expected = nx.single_source_dijkstra_path_length(digraph.reverse(), goal)
    table = tables.table(goal)
    for v in range(graph.vertex_count):
        if v in expected:
            assert table[v] == expected[v]
        else:
            assert table[v] == tables.unreached


def test_crisscross_makes_rows_one_way() -> None:
    """Row 1 runs west: going east along it costs double."""
    grid = parse_movingai("type octile\nheight 3\nwidth 5\nmap\n@@@@@\n.....\n@@@@@\n")
    graph = CompactGraph(grid)
    graph.set_costs(crisscross_costs(graph, 2))
    tables = DistanceTables(graph)
    west, east = graph.vertices(np.array([grid.cell(1, 0), grid.cell(1, 4)]))
    assert tables.distance(int(east), int(west)) == 4
    assert tables.distance(int(west), int(east)) == 8


def test_private_cells_are_never_passed_through() -> None:
    """A path may end in or leave a private cell but never cross it."""
    grid = parse_movingai("type octile\nheight 1\nwidth 3\nmap\n...\n")
    graph = CompactGraph(grid, private=[1])
    tables = DistanceTables(graph)
    assert tables.distance(0, 2) == tables.unreached
    assert tables.distance(1, 2) == 1  # an agent inside can leave
    assert tables.distance(0, 1) == 1  # and one sent there can enter


def test_pool_recycles_unpinned_tables() -> None:
    """With room for two tables, a third goal recycles the least recently used unpinned one."""
    grid = parse_movingai("type octile\nheight 1\nwidth 4\nmap\n....\n")
    graph = CompactGraph(grid)
    tables = DistanceTables(graph, capacity=2)
    tables.pin(np.array([0], dtype=np.int32), 1)
    a, b = tables.slot(0), tables.slot(1)
    assert tables.slot(2) == b  # goal 1 was unpinned, goal 0 is pinned
    tables.pin(np.array([2], dtype=np.int32), 1)
    assert tables.slot(3) == -1  # everything pinned: the caller falls back
    assert tables.table(3)[0] == 3  # a one-off table is still available
    assert a != b
    assert graph.path_bound() >= 3
