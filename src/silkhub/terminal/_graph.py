"""The compact graph of free cells and a pool of breadth-first distance tables over it.

The planner, the task assignment and the reservation-table baseline all ask "how many moves
from here to there"; a table per goal cell answers in one array read. On a 38,000-cell floor
a table is 77 kB, so thousands fit, but not every cell of a large map at once: tables live in
a fixed pool and the least recently used one that no agent is heading for is recycled.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from numpy.typing import NDArray

from silkhub.terminal._kernels import bfs_fill, dial_fill
from silkhub.terminal.grid import NEIGHBOUR_OFFSETS, Grid

__all__ = ["CompactGraph", "DistanceTables", "crisscross_costs"]


class CompactGraph:
    """Free cells renumbered 0..F-1, with neighbour lists and coordinates as NumPy arrays.

    ``private`` cells (charging spots) may be entered only by an agent headed there: paths
    never pass through them. ``cost[v, k]`` is the cost of the move from ``v`` to its k-th
    neighbour (all 1 unless guidance is set with ``set_costs``).
    """

    def __init__(self, grid: Grid, private: tuple[int, ...] | list[int] = ()) -> None:
        self.grid = grid
        free = grid.passable.ravel()
        self.cells = np.flatnonzero(free).astype(np.int64)  # vertex -> row-major cell
        self.index = np.full(grid.size, -1, dtype=np.int32)  # cell -> vertex or -1
        self.index[self.cells] = np.arange(len(self.cells), dtype=np.int32)
        self.rows = (self.cells // grid.width).astype(np.int32)
        self.cols = (self.cells % grid.width).astype(np.int32)
        nbr = np.full((len(self.cells), 4), -1, dtype=np.int32)
        for k, (dr, dc) in enumerate(NEIGHBOUR_OFFSETS):
            r = self.rows + dr
            c = self.cols + dc
            inside = (r >= 0) & (r < grid.height) & (c >= 0) & (c < grid.width)
            target = np.where(inside, r * grid.width + c, 0)
            ok = inside & free[target]
            nbr[ok, k] = self.index[target[ok]]
        self.nbr = nbr
        self.private = np.zeros(len(self.cells), dtype=np.bool_)
        if len(private):
            self.private[self.vertices(np.asarray(private, dtype=np.int64))] = True
        self.cost: NDArray[np.uint8] | None = None

    def set_costs(self, cost: NDArray[np.uint8]) -> None:
        """Give moves costs (``cost[v, k]`` ≥ 1): distances then follow the cheapest routes."""
        cost = np.asarray(cost, dtype=np.uint8)
        if cost.shape != self.nbr.shape or (cost < 1).any():
            raise ValueError("cost must be an (F, 4) array of costs of at least 1")
        self.cost = cost

    def path_bound(self) -> int:
        """An upper bound on the number of moves of a shortest path between two cells.

        Twice the eccentricity of vertex 0 on a connected floor, the number of cells if not.
        """
        far = np.iinfo(np.int64).max
        seen = np.full(self.vertex_count, far, dtype=np.int64)
        queue = np.empty(self.vertex_count, dtype=np.int32)
        no_private = np.zeros(self.vertex_count, dtype=np.bool_)
        bfs_fill(self.nbr, no_private, 0, seen, queue, far)
        if (seen == far).any():
            return self.vertex_count
        return 2 * int(seen.max())

    @property
    def vertex_count(self) -> int:
        """Number of free cells."""
        return len(self.cells)

    def vertices(self, cells: NDArray[np.int64]) -> NDArray[np.int32]:
        """Compact vertices of row-major ``cells``; ``ValueError`` if one is blocked."""
        cells = np.asarray(cells, dtype=np.int64)
        if ((cells < 0) | (cells >= self.grid.size)).any():
            raise ValueError("a cell is outside the grid")
        v = self.index[cells]
        if (v < 0).any():
            bad = int(cells[np.flatnonzero(v < 0)[0]])
            raise ValueError(f"cell {bad} {self.grid.row_col(bad)} is blocked")
        return v


def crisscross_costs(graph: CompactGraph, against: int) -> NDArray[np.uint8]:
    """One-way-street guidance: every row and column has a preferred direction.

    Even rows run east, odd rows west; even columns run south, odd columns north (the
    "crisscross" highways of the guidance-graph literature). Going with the flow costs 1,
    against it ``against``: agents still may go anywhere, but opposing streams mostly use
    different lanes, so fewer head-on meetings in one-cell aisles.
    """
    if against < 1:
        raise ValueError(f"against must be at least 1, got {against}")
    rows = graph.rows.astype(np.int64)
    cols = graph.cols.astype(np.int64)
    cost = np.ones(graph.nbr.shape, dtype=np.uint8)
    cost[:, 0] = np.where(cols % 2 == 1, 1, against)  # north: odd columns
    cost[:, 1] = np.where(cols % 2 == 0, 1, against)  # south: even columns
    cost[:, 2] = np.where(rows % 2 == 1, 1, against)  # west: odd rows
    cost[:, 3] = np.where(rows % 2 == 0, 1, against)  # east: even rows
    return cost


class DistanceTables:
    """Breadth-first move counts to goal vertices, computed on demand, kept in an LRU pool.

    ``capacity`` bounds memory (``capacity × F`` entries of 2 or 4 bytes). A table whose goal
    is pinned (some agent is heading there) is never recycled.
    """

    def __init__(
        self, graph: CompactGraph, capacity: int | None = None, *, memory_mb: float = 256.0
    ) -> None:
        self.graph = graph
        f = graph.vertex_count
        max_cost = 1 if graph.cost is None else int(graph.cost.max())
        bound = graph.path_bound() * max_cost + 1  # no table entry is larger
        self.dtype = np.uint16 if bound < np.iinfo(np.uint16).max else np.int32
        if capacity is None:
            per_table = np.dtype(self.dtype).itemsize * f
            capacity = max(1, min(f, int(memory_mb * 2**20 // per_table)))
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.unreached = int(np.iinfo(self.dtype).max)
        self._buckets = (
            None if graph.cost is None else np.empty((max_cost + 1, 4 * f + 1), dtype=np.int32)
        )
        self.pool: NDArray[Any] = np.empty((capacity, f), dtype=self.dtype)
        self._queue = np.empty(f, dtype=np.int32)
        self._slot_of: OrderedDict[int, int] = OrderedDict()
        self._goal_of = np.full(capacity, -1, dtype=np.int64)
        self._pins = np.zeros(f, dtype=np.int32)
        self._unused = list(range(capacity - 1, -1, -1))
        self.computed = 0

    @property
    def capacity(self) -> int:
        """How many tables the pool holds."""
        return int(self.pool.shape[0])

    def pin(self, vertices: NDArray[np.int32], delta: int) -> None:
        """Add ``delta`` to the pin count of each vertex (repeats count repeatedly)."""
        np.add.at(self._pins, vertices, delta)

    def cached(self, goal: int) -> int:
        """The slot of ``goal``'s table, or -1 when it is not in the pool."""
        slot = self._slot_of.get(goal, -1)
        if slot >= 0:
            self._slot_of.move_to_end(goal)
        return slot

    def slot(self, goal: int) -> int:
        """The slot holding ``goal``'s table, computing it (and recycling one) if needed.

        Returns -1 when every table in the pool is pinned; the caller falls back to the
        Manhattan distance for that goal.
        """
        slot = self.cached(goal)
        if slot >= 0:
            return slot
        if self._unused:
            slot = self._unused.pop()
        else:
            slot = -1
            for old in self._slot_of:
                if self._pins[old] == 0:
                    slot = self._slot_of.pop(old)
                    break
            if slot < 0:
                return -1
        self._fill(goal, self.pool[slot])
        self._goal_of[slot] = goal
        self._slot_of[goal] = slot
        self.computed += 1
        return slot

    def table(self, goal: int) -> NDArray[Any]:
        """The whole table of ``goal`` (computed if needed; always succeeds)."""
        slot = self.slot(goal)
        if slot >= 0:
            row: NDArray[Any] = self.pool[slot]
            return row
        out = np.empty(self.graph.vertex_count, dtype=self.dtype)
        self._fill(goal, out)
        return out

    def _fill(self, goal: int, out: NDArray[Any]) -> None:
        g = self.graph
        if g.cost is None or self._buckets is None:
            bfs_fill(g.nbr, g.private, goal, out, self._queue, self.unreached)
        else:
            dial_fill(g.nbr, g.cost, g.private, goal, out, self._buckets, self.unreached)

    def distance(self, source: int, goal: int) -> int:
        """Moves from vertex ``source`` to vertex ``goal`` (``unreached`` if impossible)."""
        return int(self.table(goal)[source])
