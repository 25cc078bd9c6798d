"""The baseline planner: agents planned one by one with space-time A* and a reservation table.

This is the textbook approach (prioritized planning, as in Token Passing or windowed
cooperative A*) that PIBT is measured against in ``benchmarks/terminal.py``. Each agent holds
a reserved path of at most ``window`` steps and then *parks* on its last cell, reserved from
then on. An agent replans only when its path has run out: it searches space-time A* (distance
tables as the heuristic) from where it is now, avoiding every cell and move the others have
reserved and every cell where another agent parks, and may end only on a cell nobody else
will need later. When no such path is found it stays parked where it is, which is always safe:
everyone who planned after it parked there steered around it. Collision-free by
construction, simple, and slow on big fleets, which is the point of the comparison.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np
from numpy.typing import NDArray

from silkhub.terminal._graph import CompactGraph, DistanceTables
from silkhub.terminal.grid import Grid

__all__ = ["ReservationPlanner"]


class ReservationPlanner:
    """Prioritized space-time A* over a reservation table (the benchmark's baseline).

    ``window`` bounds the length of each reserved path; ``max_expansions`` bounds one search.
    """

    def __init__(
        self,
        grid: Grid,
        starts: NDArray[np.int64] | list[int] | tuple[int, ...],
        *,
        window: int = 24,
        max_expansions: int = 4000,
        table_memory_mb: float = 512.0,
        graph: CompactGraph | None = None,
    ) -> None:
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        if max_expansions < 1:
            raise ValueError(f"max_expansions must be at least 1, got {max_expansions}")
        self.grid = grid
        self.graph = graph if graph is not None else CompactGraph(grid)
        cells = np.asarray(starts, dtype=np.int64)
        if len(np.unique(cells)) != len(cells) or len(cells) == 0:
            raise ValueError("agents need distinct start cells")
        self.window = window
        self.max_expansions = max_expansions
        self.tables = DistanceTables(self.graph, memory_mb=table_memory_mb)
        self._nbr = [[int(u) for u in row if u >= 0] for row in self.graph.nbr]
        start_v = [int(v) for v in self.graph.vertices(cells)]
        self.now = 0
        self._path: list[list[int]] = [[v] for v in start_v]
        self._path_start = [0] * len(start_v)
        self._goal = list(start_v)
        self._vertex: dict[tuple[int, int], int] = {}  # (vertex, time) -> agent
        self._edge: set[tuple[int, int, int]] = set()  # (from, to, arrival time)
        self._parked: dict[int, tuple[int, int]] = {}  # vertex -> (agent, from time)
        self._last_use: defaultdict[int, dict[int, int]] = defaultdict(dict)  # v -> agent -> t
        self.searches = 0
        self.failed_searches = 0
        for a, v in enumerate(start_v):
            self._reserve(a, [v], 0)

    @property
    def agent_count(self) -> int:
        """Number of agents."""
        return len(self._path)

    def _at(self, a: int, t: int) -> int:
        path = self._path[a]
        i = t - self._path_start[a]
        return path[i] if i < len(path) else path[-1]

    @property
    def positions(self) -> NDArray[np.int64]:
        """Row-major cell of every agent now."""
        verts = np.array([self._at(a, self.now) for a in range(self.agent_count)], dtype=np.int64)
        return self.graph.cells[verts]

    def _reserve(self, a: int, path: list[int], start: int) -> None:
        for i, v in enumerate(path):
            t = start + i
            self._vertex[(v, t)] = a
            if i:
                self._edge.add((path[i - 1], v, t))
            uses = self._last_use[v]
            uses[a] = max(uses.get(a, -1), t)
        end = path[-1]
        self._parked[end] = (a, start + len(path) - 1)
        self._path[a] = path
        self._path_start[a] = start

    def _unpark(self, a: int) -> None:
        end = self._path[a][-1]
        if self._parked.get(end, (-1, 0))[0] == a:
            del self._parked[end]

    def _free(self, a: int, v: int, t: int) -> bool:
        other = self._vertex.get((v, t), a)
        if other != a:
            return False
        parked = self._parked.get(v)
        return parked is None or parked[0] == a or parked[1] > t

    def _can_park(self, a: int, v: int, t: int) -> bool:
        parked = self._parked.get(v)
        if parked is not None and parked[0] != a:
            return False
        return all(last <= t for b, last in self._last_use[v].items() if b != a)

    def _search(self, a: int, start: int, goal: int) -> list[int] | None:
        """Space-time A* from (start, now) towards goal; the path or None."""
        self.searches += 1
        dist = self.tables.table(goal)
        unreached = self.tables.unreached
        t0 = self.now
        h0 = int(dist[start])
        if h0 >= unreached:
            return None
        counter = 0
        frontier: list[tuple[int, int, int, int, int]] = [(h0, h0, 0, counter, start)]
        parent: dict[tuple[int, int], tuple[int, int] | None] = {(start, 0): None}
        best: tuple[int, int, int] | None = None  # (h, depth, vertex) of the best parkable node
        expansions = 0
        while frontier:
            _, h, depth, _, v = heapq.heappop(frontier)
            t = t0 + depth
            if depth and self._can_park(a, v, t):
                if v == goal or depth >= self.window:
                    return self._unwind(parent, v, depth)
                if best is None or (h, depth) < best[:2]:
                    best = (h, depth, v)
            if depth >= self.window:
                continue
            expansions += 1
            if expansions > self.max_expansions:
                break
            for u in (*self._nbr[v], v):
                key = (u, depth + 1)
                if key in parent or not self._free(a, u, t + 1):
                    continue
                if u != v and (u, v, t + 1) in self._edge:
                    continue  # the agent on u is moving to v: a swap
                hu = int(dist[u])
                if hu >= unreached:
                    continue
                parent[key] = (v, depth)
                counter += 1
                heapq.heappush(frontier, (depth + 1 + hu, hu, depth + 1, counter, u))
        if best is not None:
            return self._unwind(parent, best[2], best[1])
        return None

    @staticmethod
    def _unwind(
        parent: dict[tuple[int, int], tuple[int, int] | None], v: int, depth: int
    ) -> list[int]:
        path = []
        node: tuple[int, int] | None = (v, depth)
        while node is not None:
            path.append(node[0])
            node = parent[node]
        return path[::-1]

    def step(
        self, goals: NDArray[np.int64], dwelling: NDArray[np.bool_] | None = None
    ) -> NDArray[np.int64]:
        """Replan the agents whose path ran out, then advance one step; the new positions.

        ``dwelling`` is accepted for the planner interface and ignored: an agent at the end of
        its path stays parked until its goal moves.
        """
        goal_v = self.graph.vertices(np.asarray(goals, dtype=np.int64))
        if len(goal_v) != self.agent_count:
            raise ValueError(f"expected {self.agent_count} goals, got {len(goal_v)}")
        n = self.agent_count
        first = self.now % n
        for k in range(n):
            a = (first + k) % n
            goal = int(goal_v[a])
            end_time = self._path_start[a] + len(self._path[a]) - 1
            if end_time > self.now:
                continue
            here = self._path[a][-1]
            if here == goal and self._goal[a] == goal:
                continue
            self._goal[a] = goal
            self._unpark(a)
            path = self._search(a, here, goal) if here != goal else None
            if path is None:
                if here != goal:
                    self.failed_searches += 1
                path = [here]
            self._reserve(a, path, self.now)
        self.now += 1
        if self.now % 64 == 0:
            self._forget_past()
        return self.positions

    def _forget_past(self) -> None:
        """Drop reservations that lie in the past (they can no longer conflict)."""
        now = self.now
        self._vertex = {k: a for k, a in self._vertex.items() if k[1] >= now - 1}
        self._edge = {e for e in self._edge if e[2] >= now - 1}
        for v in list(self._last_use):
            kept = {b: t for b, t in self._last_use[v].items() if t >= now - 1}
            if kept:
                self._last_use[v] = kept
            else:
                del self._last_use[v]
