"""Where chargers may go on a floor: cells whose loss, all chargers taken together, cuts nothing.

A charger is private: only the AGV sent to charge there may enter it (``CompactGraph``'s
``private`` cells), so for every other AGV it is a wall. Checking each charger on its own is
not enough: two chargers on the two junctions of one aisle cut the cells between them off,
and a charger at the end of a one-cell corridor turns the cell before it into a new dead end,
where PIBT's AGVs can lock each other in. So each candidate is tried against the floor as it
stands with the chargers already chosen: none of its free neighbours may become a dead end
(or be cut off) and the open floor must stay one piece.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from silkhub.terminal.grid import Grid

__all__ = ["choose_charger_cells", "floor_cut_by"]

_FOUR = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=bool)


def _open_degree(open_cells: NDArray[np.bool_], row: int, col: int) -> int:
    height, width = open_cells.shape
    return sum(
        1
        for r, c in ((row - 1, col), (row + 1, col), (row, col - 1), (row, col + 1))
        if 0 <= r < height and 0 <= c < width and open_cells[r, c]
    )


def _pieces(open_cells: NDArray[np.bool_]) -> int:
    """Number of 4-connected pieces of the open floor."""
    return int(ndimage.label(open_cells, structure=_FOUR)[1])


def _may_take(grid: Grid, open_cells: NDArray[np.bool_], cell: int) -> bool:
    """Whether ``cell`` can become a charger with the floor left as ``open_cells`` says."""
    row, col = grid.row_col(cell)
    if not open_cells[row, col]:
        return False
    around = [grid.row_col(n) for n in grid.neighbours(cell) if open_cells[grid.row_col(n)]]
    if not around:  # nothing could drive in
        return False
    open_cells[row, col] = False
    try:
        for r, c in around:
            # a neighbour with two ways out keeps two; one at a dead end keeps its one
            if _open_degree(open_cells, r, c) < min(2, _open_degree(grid.passable, r, c)):
                return False
        return len(around) == 1 or _pieces(open_cells) == 1
    finally:
        open_cells[row, col] = True


def _spread_order(cells: Sequence[int]) -> list[int]:
    """``cells`` reordered so that every prefix is spread along them (van der Corput order).

    Charger candidates are tried in this order, so the ones accepted are spread over the
    floor even when many are refused, rather than bunched at the start of the list.
    """
    n = len(cells)
    if n == 0:
        return []
    bits = max(1, (n - 1).bit_length())
    order: list[int] = []
    taken = [False] * n
    for i in range(1 << bits):
        index = int(f"{i:0{bits}b}"[::-1], 2) * n >> bits
        if not taken[index]:
            taken[index] = True
            order.append(cells[index])
    return order


def choose_charger_cells(grid: Grid, tiers: Iterable[Sequence[int]], count: int) -> list[int]:
    """Up to ``count`` charger cells, tried tier by tier, each kept only if it cuts nothing.

    Fewer than ``count`` come back when the tiers hold no more such cells.
    """
    open_cells = grid.passable.copy()
    chosen: list[int] = []
    seen: set[int] = set()
    for tier in tiers:
        for cell in _spread_order(tier):
            if len(chosen) == count:
                return chosen
            if cell in seen:
                continue
            seen.add(cell)
            if _may_take(grid, open_cells, cell):
                open_cells[grid.row_col(cell)] = False
                chosen.append(cell)
    return chosen


def floor_cut_by(grid: Grid, chargers: Iterable[int]) -> list[str]:
    """Why these chargers break the floor for the AGVs that cannot enter them (none: ``[]``)."""
    cells = {int(c) for c in chargers if grid.is_free(int(c))}
    if not cells:
        return []
    open_cells = grid.passable.copy()
    for cell in cells:
        open_cells[grid.row_col(cell)] = False
    problems = []
    if open_cells.any() and _pieces(open_cells) > 1:
        problems.append(
            "chargers: the free cells without the chargers must form one connected floor "
            "(no AGV may cross a charger but the one charging there)"
        )
    for cell in sorted(cells):
        row, col = grid.row_col(cell)
        if _open_degree(open_cells, row, col) == 0:
            problems.append(f"chargers: cell {(row, col)} has no free neighbour to drive in from")
    return problems
