"""League of Robot Runners problem files: a map, agent start cells and errand sequences.

A problem is a JSON file naming a MovingAI map, an agents file (a count, then one start cell
per line as a row-major index) and a tasks file (a count, then one task per line: one errand
cell, or several separated by commas for the 2024 format where a task is an ordered errand
sequence). Lines starting with ``#`` are comments. Paths in the JSON are relative to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from silkhub.terminal.grid import FloorInputError, Grid, MapFormatError, read_movingai

__all__ = ["LorrFormatError", "LorrInstance", "read_lorr"]


class LorrFormatError(FloorInputError):
    """A League of Robot Runners problem that cannot be used; ``problems`` lists why."""


@dataclass(frozen=True, eq=False)
class LorrInstance:
    """A problem: the grid, every agent's start cell and the tasks in file order.

    ``task_offsets`` has one entry per task plus one: the errands of task ``t`` are
    ``errands[task_offsets[t]:task_offsets[t + 1]]`` (cells, row-major), a layout that keeps
    100,000 tasks in two small arrays.
    """

    name: str
    grid: Grid
    starts: NDArray[np.int64]
    errands: NDArray[np.int64]
    task_offsets: NDArray[np.int64]
    team_size: int

    def __post_init__(self) -> None:
        starts = np.asarray(self.starts, dtype=np.int64)
        errands = np.asarray(self.errands, dtype=np.int64)
        offsets = np.asarray(self.task_offsets, dtype=np.int64)
        if starts.ndim != 1 or len(starts) == 0:
            raise ValueError("an instance needs at least one agent")
        if len(np.unique(starts)) != len(starts):
            raise ValueError("two agents start on the same cell")
        if offsets.ndim != 1 or len(offsets) < 1 or offsets[0] != 0:
            raise ValueError("task_offsets must start at 0")
        if offsets[-1] != len(errands) or (np.diff(offsets) < 1).any():
            raise ValueError("every task needs at least one errand and offsets must cover them")
        for label, cells in (("start", starts), ("errand", errands)):
            bad = cells[(cells < 0) | (cells >= self.grid.size)]
            if len(bad):
                raise ValueError(f"{label} cell {int(bad[0])} is outside the grid")
            blocked = cells[~self.grid.passable.ravel()[cells]]
            if len(blocked):
                raise ValueError(f"{label} cell {int(blocked[0])} is blocked")
        for array in (starts, errands, offsets):
            array.setflags(write=False)
        object.__setattr__(self, "starts", starts)
        object.__setattr__(self, "errands", errands)
        object.__setattr__(self, "task_offsets", offsets)

    @property
    def task_count(self) -> int:
        """Number of tasks in the file."""
        return len(self.task_offsets) - 1

    def task(self, index: int) -> tuple[int, ...]:
        """The errand cells of task ``index``, in order."""
        lo, hi = self.task_offsets[index], self.task_offsets[index + 1]
        return tuple(int(c) for c in self.errands[lo:hi])


def _numbered_lines(path: Path) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if text and not text.startswith("#"):
            out.append((number, text))
    return out


def _read_counted(path: Path, problems: list[str], *, multi: bool) -> list[list[int]]:
    """Lines of cell indices after a leading count line; problems name ``file:line``."""
    try:
        lines = _numbered_lines(path)
    except OSError as exc:
        problems.append(f"{path}: cannot read ({exc.strerror or exc})")
        return []
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not a UTF-8 text file ({exc.reason})")
        return []
    if not lines:
        problems.append(f"{path}: empty file")
        return []
    number, first = lines[0]
    try:
        count = int(first)
    except ValueError:
        problems.append(f"{path}:{number}: first line must be the count, got {first!r}")
        return []
    rows: list[list[int]] = []
    for number, text in lines[1:]:
        parts = text.split(",") if multi else [text]
        try:
            rows.append([int(p) for p in parts])
        except ValueError:
            problems.append(f"{path}:{number}: {text!r} is not a cell index")
    if len(lines) - 1 != count:
        problems.append(f"{path}: count line says {count}, file has {len(lines) - 1} entries")
    return rows


def read_lorr(path: str | Path) -> LorrInstance:
    """Read a League of Robot Runners problem JSON and the three files it names."""
    path = Path(path)
    source = str(path)
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LorrFormatError(source, [f"cannot read ({exc.strerror or exc})"]) from exc
    except json.JSONDecodeError as exc:
        raise LorrFormatError(source, [f"line {exc.lineno}: not JSON ({exc.msg})"]) from exc
    except UnicodeDecodeError as exc:
        raise LorrFormatError(source, [f"not a UTF-8 text file ({exc.reason})"]) from exc
    if not isinstance(spec, dict):
        raise LorrFormatError(source, ["the file must hold a JSON object"])
    problems: list[str] = []
    files: dict[str, Path] = {}
    for key in ("mapFile", "agentFile", "taskFile"):
        value = spec.get(key)
        if not isinstance(value, str) or not value:
            problems.append(f"{key}: missing or not a file name")
        else:
            files[key] = path.parent / value
    team = spec.get("teamSize")
    if team is not None and (not isinstance(team, int) or isinstance(team, bool) or team < 1):
        problems.append(f"teamSize: must be a positive whole number, got {team!r}")
    if problems:
        raise LorrFormatError(source, problems)
    try:
        grid = read_movingai(files["mapFile"])
    except OSError as exc:
        raise LorrFormatError(
            source, [f"mapFile: cannot read {files['mapFile']} ({exc.strerror or exc})"]
        ) from exc
    except MapFormatError as exc:
        raise LorrFormatError(source, [f"mapFile: {p}" for p in exc.problems]) from exc
    agent_rows = _read_counted(files["agentFile"], problems, multi=False)
    task_rows = _read_counted(files["taskFile"], problems, multi=True)
    free = grid.passable.ravel()
    for label, rows in (("agentFile", agent_rows), ("taskFile", task_rows)):
        for index, row in enumerate(rows):
            for cell in row:
                if not 0 <= cell < grid.size:
                    problems.append(f"{label}: entry {index}: cell {cell} is outside the map")
                elif not free[cell]:
                    problems.append(f"{label}: entry {index}: cell {cell} is blocked")
    if not agent_rows:
        problems.append("agentFile: no agents")
    if not task_rows:
        problems.append("taskFile: no tasks")
    if problems:
        raise LorrFormatError(source, problems)
    starts = np.array([row[0] for row in agent_rows], dtype=np.int64)
    if len(np.unique(starts)) != len(starts):
        raise LorrFormatError(source, ["agentFile: two agents start on the same cell"])
    errands = np.array([c for row in task_rows for c in row], dtype=np.int64)
    offsets = np.zeros(len(task_rows) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(row) for row in task_rows])
    return LorrInstance(
        name=path.stem,
        grid=grid,
        starts=starts,
        errands=errands,
        task_offsets=offsets,
        team_size=int(team) if team is not None else len(starts),
    )
