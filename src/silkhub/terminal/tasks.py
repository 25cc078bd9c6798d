"""AGV tasks: what to fetch where, and the optimal matching of idle AGVs to open tasks.

A task is an ordered list of errands (cells to visit); an errand is done once the AGV has
stood on its cell for the handling time. Kinds:

- ``store``: from an induction lane to a shelf's access cell;
- ``retrieve``: from a shelf to the build-up station of the piece's departure;
- ``build_up``: straight from an induction lane to build-up (a piece that arrives after its
  departure's retrieval has started);
- ``charge``: to a charging spot, staying until the battery is full enough.

Assignment solves the linear assignment problem (SciPy's ``linear_sum_assignment``, the
Jonker–Volgenant algorithm) on travel moves plus an urgency term, which is optimal for the
AGVs idle at this step, unlike greedy nearest-first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from silkhub.terminal.occupancy import SlotRef

__all__ = ["Task", "TaskKind", "assign"]


class TaskKind(StrEnum):
    """What an AGV is sent to do."""

    STORE = "store"
    RETRIEVE = "retrieve"
    BUILD_UP = "build_up"
    CHARGE = "charge"


@dataclass(slots=True)
class Task:
    """One task and its progress (a record owned by the floor that created it).

    ``due_step`` orders open tasks by urgency (a departure's cut-off for retrieval and
    build-up, the storage deadline for storage).
    """

    task_id: int
    kind: TaskKind
    errands: tuple[int, ...]
    created_step: int
    due_step: int
    piece_id: str | None = None
    departure_id: str | None = None
    slot: SlotRef | None = None
    station_id: str | None = None
    agent: int | None = None
    assigned_step: int | None = None
    errand_index: int = 0
    completed_step: int | None = None

    def __post_init__(self) -> None:
        if not self.errands:
            raise ValueError(f"task {self.task_id} has no errand")
        if (
            self.kind in (TaskKind.STORE, TaskKind.RETRIEVE, TaskKind.BUILD_UP)
            and not self.piece_id
        ):
            raise ValueError(f"a {self.kind.value} task needs a piece")

    @property
    def current_cell(self) -> int:
        """The cell of the errand in progress."""
        return self.errands[min(self.errand_index, len(self.errands) - 1)]

    @property
    def done(self) -> bool:
        """Whether every errand is done."""
        return self.completed_step is not None


def assign(costs: NDArray[np.float64], *, max_cost: float = np.inf) -> list[tuple[int, int]]:
    """Optimal (row, column) pairs of a cost matrix: rows are AGVs, columns tasks.

    Each row and column is used at most once; ``min(rows, columns)`` pairs are made, except
    pairs whose cost is ``max_cost`` or more (an unreachable task), which are dropped.
    """
    matrix = np.asarray(costs, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("costs must be a 2-D matrix")
    if matrix.size == 0:
        return []
    finite = np.where(np.isfinite(matrix), matrix, np.nan)
    big = (np.nanmax(finite) if np.isfinite(finite).any() else 0.0) * 2 + 1e6
    rows, cols = linear_sum_assignment(np.where(np.isfinite(matrix), matrix, big))
    return [
        (int(r), int(c))
        for r, c in zip(rows, cols, strict=True)
        if np.isfinite(matrix[r, c]) and matrix[r, c] < max_cost
    ]
