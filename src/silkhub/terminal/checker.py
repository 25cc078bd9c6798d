"""An independent check of a step-by-step plan: vertex, swap, jump and blocked-cell conflicts.

Written apart from the planner on purpose: it shares nothing with it but the map, so a bug
in the planner cannot hide itself here. Anyone can run it on a plan written with
``silkhub terminal run --plan-out`` (``silkhub terminal check``). The rules, per step t → t+1:

- **blocked**: every agent stands on a free cell inside the map, at every step;
- **jump**: an agent moves to one of its four neighbours or stays (no diagonal, no teleport);
- **vertex**: no two agents stand on the same cell at the same step;
- **swap**: no two agents exchange cells in one step (they would pass through each other).

Following (moving into a cell another agent leaves in the same step) and rotations of three
or more agents are allowed, as in the League of Robot Runners rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

#: Cells beyond this cannot be on any map (and would not fit the planner's integers).
_COORD_LIMIT = 2**31

__all__ = [
    "PLAN_FORMAT",
    "Conflict",
    "ConflictKind",
    "PlanCheck",
    "check_plan",
    "parse_plan_document",
    "plan_document",
]

#: The ``format`` tag of a plan document (JSON, see docs/terminal.md).
PLAN_FORMAT = "silkhub-plan/1"

ConflictKind = Literal["blocked", "jump", "vertex", "swap"]

#: Conflicts of one kind listed before the checker only counts the rest (a bad plan can
#: hold millions).
_MAX_LISTED = 1000


@dataclass(frozen=True, slots=True)
class Conflict:
    """One broken rule: at ``step`` (the step an agent arrives), these ``agents`` and ``cells``.

    ``cells`` are (row, col): for a vertex conflict the shared cell, for a swap the two cells,
    for a jump or a blocked cell the offending move's source and target.
    """

    kind: ConflictKind
    step: int
    agents: tuple[int, ...]
    cells: tuple[tuple[int, int], ...]

    def __str__(self) -> str:
        where = " ".join(f"({r},{c})" for r, c in self.cells)
        who = ",".join(str(a) for a in self.agents)
        return f"step {self.step}: {self.kind} conflict, agent(s) {who} at {where}"


@dataclass(frozen=True, slots=True)
class PlanCheck:
    """What the checker found: counts per kind and the first conflicts of each kind."""

    steps: int
    agents: int
    counts: Mapping[str, int]
    conflicts: tuple[Conflict, ...]

    @property
    def total(self) -> int:
        """Number of conflicts of every kind."""
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        """Whether the plan breaks no rule."""
        return self.total == 0


def check_plan(
    passable: NDArray[np.bool_] | Any, positions: NDArray[np.integer[Any]] | Sequence[Any]
) -> PlanCheck:
    """Check ``positions[t][a] = (row, col)`` of every agent ``a`` at every step ``t``.

    ``passable`` is the map (a 2-D boolean array, or anything with a ``passable`` attribute
    such as a ``Grid``). Step 0 is where the agents start.
    """
    free = np.asarray(getattr(passable, "passable", passable), dtype=bool)
    if free.ndim != 2:
        raise ValueError("passable must be a 2-D boolean array")
    height, width = free.shape
    pos = np.asarray(positions, dtype=np.int64)
    if pos.ndim != 3 or pos.shape[2] != 2:
        raise ValueError("positions must have shape (steps + 1, agents, 2)")
    n_steps, n_agents = pos.shape[0] - 1, pos.shape[1]
    rows, cols = pos[..., 0], pos[..., 1]
    found: dict[str, list[Conflict]] = {"blocked": [], "jump": [], "vertex": [], "swap": []}
    counts = dict.fromkeys(found, 0)

    def note(kind: ConflictKind, step: int, agents: tuple[int, ...], cells: Any) -> None:
        counts[kind] += 1
        if len(found[kind]) < _MAX_LISTED:
            cells_rc = tuple((int(r), int(c)) for r, c in cells)
            found[kind].append(Conflict(kind, step, agents, cells_rc))

    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    on_free = inside.copy()
    on_free[inside] = free[rows[inside], cols[inside]]
    for t, a in zip(*np.nonzero(~on_free), strict=True):
        note("blocked", int(t), (int(a),), [(rows[t, a], cols[t, a])])

    if n_steps > 0:
        step_len = np.abs(np.diff(rows, axis=0)) + np.abs(np.diff(cols, axis=0))
        for t, a in zip(*np.nonzero(step_len > 1), strict=True):
            note(
                "jump",
                int(t) + 1,
                (int(a),),
                [(rows[t, a], cols[t, a]), (rows[t + 1, a], cols[t + 1, a])],
            )

    # one integer per cell; when some cell is off the map (a plan that is invalid anyway),
    # numbered by np.unique, so that two different cells never share a code however far off
    # they are (row-major codes with a margin of one had let far cells collide)
    if inside.all():
        code = rows * width + cols
    else:
        row_col = np.stack([rows.ravel(), cols.ravel()], axis=1)
        code = np.unique(row_col, axis=0, return_inverse=True)[1].reshape(rows.shape)
    base = int(code.max()) + 1 if code.size else 1
    for t in range(n_steps + 1):
        here = code[t]
        order = np.argsort(here, kind="stable")
        ordered = here[order]
        dup = np.flatnonzero(ordered[1:] == ordered[:-1])
        if len(dup):
            for value in np.unique(ordered[dup]):
                who = tuple(sorted(int(a) for a in np.flatnonzero(here == value)))
                a0 = who[0]
                note("vertex", t, who, [(rows[t, a0], cols[t, a0])])
        if t == n_steps:
            break
        there = code[t + 1]
        moving = np.flatnonzero(here != there)
        if len(moving) < 2:
            continue
        edges = here[moving] * base + there[moving]
        reverse = there[moving] * base + here[moving]
        hits = np.flatnonzero(np.isin(reverse, edges))
        pairs = {}
        for i in hits:
            a = int(moving[i])
            partner = np.flatnonzero(edges == reverse[i])
            for j in partner:
                b = int(moving[j])
                if a < b:
                    pairs[(a, b)] = True
        for a, b in pairs:
            note(
                "swap",
                t + 1,
                (a, b),
                [(rows[t, a], cols[t, a]), (rows[t, b], cols[t, b])],
            )
    listed = tuple(c for kind in found for c in found[kind])
    return PlanCheck(steps=n_steps, agents=n_agents, counts=counts, conflicts=listed)


def plan_document(
    height: int,
    width: int,
    positions: NDArray[np.integer[Any]],
    *,
    map_name: str = "",
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON-ready plan: for each step the (row, col) of every agent (step 0 = starts)."""
    pos = np.asarray(positions, dtype=np.int64)
    if pos.ndim != 3 or pos.shape[2] != 2:
        raise ValueError("positions must have shape (steps + 1, agents, 2)")
    return {
        "format": PLAN_FORMAT,
        "map": map_name,
        "height": int(height),
        "width": int(width),
        "agents": int(pos.shape[1]),
        "steps": pos.tolist(),
        **({"metadata": dict(metadata)} if metadata else {}),
    }


def parse_plan_document(document: Any) -> tuple[int, int, NDArray[np.int64]]:
    """``(height, width, positions)`` from a plan document; ``ValueError`` names the field."""
    if not isinstance(document, Mapping):
        raise ValueError("a plan must be a JSON object")
    if document.get("format") != PLAN_FORMAT:
        raise ValueError(f"format: expected {PLAN_FORMAT!r}, got {document.get('format')!r}")
    dims = []
    for key in ("height", "width", "agents"):
        value = document.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{key}: must be a positive whole number, got {value!r}")
        dims.append(value)
    height, width, agents = dims
    steps = document.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ValueError("steps: must be a non-empty list of steps")
    try:
        fast = np.asarray(steps)
    except ValueError:  # ragged lists
        fast = np.zeros(0)
    if (
        fast.ndim == 3
        and fast.shape[1:] == (agents, 2)
        and fast.dtype.kind in "iu"
        and -_COORD_LIMIT < int(fast.min()) <= int(fast.max()) < _COORD_LIMIT
    ):
        return height, width, fast.astype(np.int64)
    for t, step in enumerate(steps):
        if not isinstance(step, list) or len(step) != agents:
            raise ValueError(f"steps[{t}]: must list the cell of each of the {agents} agents")
        for a, cell in enumerate(step):
            if (
                not isinstance(cell, list)
                or len(cell) != 2
                or not all(
                    isinstance(x, int) and not isinstance(x, bool) and abs(x) < _COORD_LIMIT
                    for x in cell
                )
            ):
                raise ValueError(
                    f"steps[{t}][{a}]: must be [row, col] with whole numbers below "
                    f"{_COORD_LIMIT:,}, got {cell!r}"
                )
    return height, width, np.asarray(steps, dtype=np.int64)
