"""Numba kernels of the fleet planner: breadth-first distances and one PIBT step.

Both work on the compact graph of free cells (``nbr[v, k]`` is the k-th neighbour of free
vertex ``v`` or -1), so a distance table holds one entry per free cell and nothing for walls.
Only NumPy arrays cross the boundary: Numba compiles one specialisation per dtype and caches
it on disk, so the first call in a fresh checkout pays a few seconds of compilation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["bfs_fill", "dial_fill", "pibt_step"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _jit(fn: _F) -> _F:
    return cast(_F, njit(cache=True, nogil=True)(fn))


@_jit
def bfs_fill(
    nbr: NDArray[np.int32],
    private: NDArray[np.bool_],
    goal: int,
    out: NDArray[Any],
    queue: NDArray[np.int32],
    unreached: int,
) -> None:
    """Fill ``out[v]`` with the number of moves from free vertex ``v`` to ``goal``.

    A private vertex (one only its own visitors may enter, such as a charging spot) gets a
    distance, since an agent standing there must find the way out, but no path passes
    through it unless it is the goal.
    """
    out[:] = unreached
    out[goal] = 0
    queue[0] = goal
    head = 0
    tail = 1
    while head < tail:
        v = queue[head]
        head += 1
        if private[v] and v != goal:
            continue
        d = out[v] + 1
        for k in range(4):
            u = nbr[v, k]
            if u >= 0 and out[u] == unreached:
                out[u] = d
                queue[tail] = u
                tail += 1


@_jit
def _next_random(state: NDArray[np.uint64]) -> int:
    """xorshift64*: a cheap, seedable generator for tie-breaking inside the kernel."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return int((x * np.uint64(2685821657736338717)) >> np.uint64(40))


@_jit
def _distance(
    a: int,
    v: int,
    goal: NDArray[np.int32],
    slot: NDArray[np.int32],
    pool: NDArray[Any],
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
) -> int:
    s = slot[a]
    if s >= 0:
        return int(pool[s, v])
    g = goal[a]
    return abs(int(rows[v]) - int(rows[g])) + abs(int(cols[v]) - int(cols[g]))


@_jit
def _candidates(
    a: int,
    cur: NDArray[np.int32],
    goal: NDArray[np.int32],
    slot: NDArray[np.int32],
    pool: NDArray[Any],
    nbr: NDArray[np.int32],
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    occ_now: NDArray[np.int32],
    private: NDArray[np.bool_],
    cand: NDArray[np.int32],
    ncand: NDArray[np.int32],
    keys: NDArray[np.int64],
    rng: NDArray[np.uint64],
) -> None:
    """Order agent ``a``'s moves (stay or a free neighbour): nearer to its goal first.

    Ties prefer cells nobody stands on now (fewer pushes), then a random order, which is
    what keeps two symmetric agents from mirroring each other forever. A private cell is a
    candidate only for the agent whose goal it is.
    """
    v0 = cur[a]
    n = 0
    for k in range(5):
        u = v0 if k == 4 else nbr[v0, k]
        if u < 0 or (u != v0 and private[u] and u != goal[a]):
            continue
        d = _distance(a, u, goal, slot, pool, rows, cols)
        busy = 1 if (occ_now[u] >= 0 and occ_now[u] != a) else 0
        key = (np.int64(d) << np.int64(8)) | np.int64(busy << 7) | np.int64(_next_random(rng) & 127)
        j = n
        while j > 0 and keys[j - 1] > key:
            keys[j] = keys[j - 1]
            cand[a, j] = cand[a, j - 1]
            j -= 1
        keys[j] = key
        cand[a, j] = u
        n += 1
    ncand[a] = n


@_jit
def pibt_step(
    cur: NDArray[np.int32],
    goal: NDArray[np.int32],
    slot: NDArray[np.int32],
    pool: NDArray[Any],
    order: NDArray[np.int64],
    nbr: NDArray[np.int32],
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    occ_now: NDArray[np.int32],
    occ_next: NDArray[np.int32],
    nxt: NDArray[np.int32],
    private: NDArray[np.bool_],
    rng: NDArray[np.uint64],
) -> None:
    """One step of PIBT (priority inheritance with backtracking), written without recursion.

    ``order`` lists agents from the highest priority down. An agent takes its best free
    candidate; if another agent stands there and has no move yet, that agent inherits the
    priority and must move away first (it may not take the parent's cell, which rules out
    swaps); if it cannot, the parent backtracks to its next candidate. ``occ_now`` and
    ``occ_next`` must be all -1 on entry and are left so; ``nxt`` receives the moves.
    """
    n_agents = cur.shape[0]
    for a in range(n_agents):
        occ_now[cur[a]] = a
        nxt[a] = -1
    cand = np.empty((n_agents, 5), dtype=np.int32)
    ncand = np.zeros(n_agents, dtype=np.int32)
    cidx = np.zeros(n_agents, dtype=np.int32)
    parent = np.full(n_agents, -1, dtype=np.int32)
    stack = np.empty(n_agents, dtype=np.int32)
    keys = np.empty(5, dtype=np.int64)
    for root in order:
        if nxt[root] >= 0:
            continue
        top = 0
        stack[0] = root
        parent[root] = -1
        _candidates(
            root, cur, goal, slot, pool, nbr, rows, cols, occ_now, private, cand, ncand, keys, rng
        )
        cidx[root] = 0
        result = -1  # -1: no child returned yet; 0: child failed; 1: child succeeded
        while top >= 0:
            a = stack[top]
            if result == 1:
                top -= 1  # the child moved away: a keeps the cell it reserved
                continue
            descended = False
            while cidx[a] < ncand[a]:
                u = cand[a, cidx[a]]
                cidx[a] += 1
                if occ_next[u] >= 0:
                    continue
                p = parent[a]
                if p >= 0 and u == cur[p]:
                    continue
                occ_next[u] = a
                nxt[a] = u
                k = occ_now[u]
                if k >= 0 and k != a and nxt[k] < 0:
                    top += 1
                    stack[top] = k
                    parent[k] = a
                    _candidates(
                        k,
                        cur,
                        goal,
                        slot,
                        pool,
                        nbr,
                        rows,
                        cols,
                        occ_now,
                        private,
                        cand,
                        ncand,
                        keys,
                        rng,
                    )
                    cidx[k] = 0
                    descended = True
                    break
                result = 1
                break
            if descended:
                result = -1
                continue
            if result == 1:
                top -= 1
                continue
            # every candidate failed: stay (a child that stays here overwrites our claim)
            nxt[a] = cur[a]
            occ_next[cur[a]] = a
            result = 0
            top -= 1
    for a in range(n_agents):
        occ_now[cur[a]] = -1
        occ_next[nxt[a]] = -1


@_jit
def dial_fill(
    nbr: NDArray[np.int32],
    cost: NDArray[np.uint8],
    private: NDArray[np.bool_],
    goal: int,
    out: NDArray[Any],
    buckets: NDArray[np.int32],
    unreached: int,
) -> None:
    """Like ``bfs_fill`` with a cost per move: ``cost[v, k]`` to go from ``v`` to ``nbr[v, k]``.

    Dial's algorithm (a bucket queue, one bucket per distance modulo ``max cost + 1``) keeps
    it linear in the number of cells, since costs are small integers.
    """
    out[:] = unreached
    n_buckets = buckets.shape[0]
    size = buckets.shape[1]
    head = np.zeros(n_buckets, dtype=np.int64)
    tail = np.zeros(n_buckets, dtype=np.int64)
    out[goal] = 0
    buckets[0, 0] = goal
    tail[0] = 1
    pending = 1
    d = 0
    while pending > 0:
        b = d % n_buckets
        while head[b] < tail[b]:
            v = buckets[b, head[b]]
            head[b] += 1
            pending -= 1
            if out[v] != d or (private[v] and v != goal):
                continue
            for k in range(4):
                u = nbr[v, k]
                if u < 0:
                    continue
                nd = d + cost[u, k ^ 1]  # the move u -> v goes the opposite way
                if nd < out[u] and nd < unreached:
                    out[u] = nd
                    nb = nd % n_buckets
                    if tail[nb] < size:
                        buckets[nb, tail[nb]] = u
                        tail[nb] += 1
                        pending += 1
        head[b] = 0
        tail[b] = 0
        d += 1
