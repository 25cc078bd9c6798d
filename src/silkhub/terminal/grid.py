"""The floor as a 4-connected grid, and the MovingAI map format it is read from.

A cell is addressed by its row-major index ``row * width + col`` (the convention of the League
of Robot Runners agent and task files), so a whole fleet's positions fit in one integer array.
The MovingAI format is the lingua franca of multi-agent path finding benchmarks: a four-line
header (``type``, ``height``, ``width``, ``map``) and one text row per grid row. Blocked cells
are ``@``, ``O``, ``T`` and ``W``; free cells are ``.`` and ``G``; the League of Robot Runners
marks the cells where errands may happen with ``E`` and ``S`` (both free). Reading collects
every problem before failing, so a hand-edited map is fixed in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BLOCKED_CHARS",
    "ENDPOINT_CHARS",
    "FREE_CHARS",
    "Grid",
    "MapFormatError",
    "format_movingai",
    "parse_movingai",
    "read_movingai",
]

#: Characters of a MovingAI map that an AGV may not enter.
BLOCKED_CHARS = frozenset("@OTW")
#: Characters of free cells.
FREE_CHARS = frozenset(".G")
#: Free cells marked as errand endpoints by the League of Robot Runners.
ENDPOINT_CHARS = frozenset("ES")

#: Row and column offsets of the four neighbours, in the order north, south, west, east.
NEIGHBOUR_OFFSETS: tuple[tuple[int, int], ...] = ((-1, 0), (1, 0), (0, -1), (0, 1))

#: Problems listed in one error before the rest are summarised (a wrong file can have many).
_MAX_LISTED = 20


class FloorInputError(ValueError):
    """An input file of the terminal that cannot be used; ``problems`` lists every reason.

    All are collected before raising, so a user fixing a hand-made map sees the whole list.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        shown = problems[:_MAX_LISTED]
        more = len(problems) - len(shown)
        text = "; ".join(shown) + (f"; ... and {more} more" if more else "")
        super().__init__(f"{source}: {text}")


class MapFormatError(FloorInputError):
    """A map file that is not a valid MovingAI map."""


@dataclass(frozen=True, eq=False)
class Grid:
    """A rectangular 4-connected grid: which cells are free, and which are marked endpoints.

    The arrays are copied and made read-only on construction so that a grid can be shared by
    a planner, a checker and a layout without anyone changing the floor under the others.
    """

    passable: NDArray[np.bool_]
    endpoints: NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    name: str = "grid"

    def __post_init__(self) -> None:
        passable = np.array(self.passable, dtype=bool, copy=True)
        if passable.ndim != 2 or passable.shape[0] < 1 or passable.shape[1] < 1:
            raise ValueError(f"passable must be a non-empty 2-D array, got shape {passable.shape}")
        if not passable.any():
            raise ValueError("a grid needs at least one free cell")
        endpoints = np.array(self.endpoints, dtype=bool, copy=True)
        if endpoints.size == 0:
            endpoints = np.zeros_like(passable)
        if endpoints.shape != passable.shape:
            raise ValueError(
                f"endpoints has shape {endpoints.shape}, passable has {passable.shape}"
            )
        if (endpoints & ~passable).any():
            raise ValueError("an endpoint must be a free cell")
        passable.setflags(write=False)
        endpoints.setflags(write=False)
        object.__setattr__(self, "passable", passable)
        object.__setattr__(self, "endpoints", endpoints)

    @property
    def height(self) -> int:
        """Number of rows."""
        return int(self.passable.shape[0])

    @property
    def width(self) -> int:
        """Number of columns."""
        return int(self.passable.shape[1])

    @property
    def size(self) -> int:
        """Number of cells, free or not (cell indices run from 0 to ``size - 1``)."""
        return self.height * self.width

    def cell(self, row: int, col: int) -> int:
        """The row-major index of (``row``, ``col``)."""
        if not (0 <= row < self.height and 0 <= col < self.width):
            raise ValueError(f"({row}, {col}) is outside the {self.height}×{self.width} grid")
        return row * self.width + col

    def row_col(self, cell: int) -> tuple[int, int]:
        """The (row, column) of a row-major cell index."""
        if not 0 <= cell < self.size:
            raise ValueError(f"cell {cell} is outside the {self.height}×{self.width} grid")
        return divmod(int(cell), self.width)

    def is_free(self, cell: int) -> bool:
        """Whether an AGV may stand on ``cell`` (False for cells off the grid)."""
        if not 0 <= cell < self.size:
            return False
        row, col = divmod(int(cell), self.width)
        return bool(self.passable[row, col])

    def neighbours(self, cell: int) -> list[int]:
        """The free 4-neighbours of ``cell`` (north, south, west, east order)."""
        row, col = self.row_col(cell)
        found = []
        for dr, dc in NEIGHBOUR_OFFSETS:
            r, c = row + dr, col + dc
            if 0 <= r < self.height and 0 <= c < self.width and self.passable[r, c]:
                found.append(r * self.width + c)
        return found

    def free_cells(self) -> NDArray[np.int64]:
        """Row-major indices of every free cell, ascending."""
        return np.flatnonzero(self.passable.ravel()).astype(np.int64)

    def endpoint_cells(self) -> NDArray[np.int64]:
        """Row-major indices of every marked endpoint, ascending."""
        return np.flatnonzero(self.endpoints.ravel()).astype(np.int64)

    def components(self) -> int:
        """Number of 4-connected components of free cells (1 for a well-formed floor)."""
        seen = np.zeros(self.size, dtype=bool)
        count = 0
        for start in self.free_cells():
            if seen[start]:
                continue
            count += 1
            seen[start] = True
            stack = [int(start)]
            while stack:
                for nb in self.neighbours(stack.pop()):
                    if not seen[nb]:
                        seen[nb] = True
                        stack.append(nb)
        return count


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        yield number, line.rstrip("\r\n")


def parse_movingai(text: str, *, name: str = "map", source: str = "<map>") -> Grid:
    """A ``Grid`` from the text of a MovingAI map; ``MapFormatError`` lists every problem.

    ``source`` names the file in messages (``file:line:column: reason``).
    """
    problems: list[str] = []
    lines = list(_lines(text))
    header: dict[str, str] = {}
    body_start = None
    for index, (number, line) in enumerate(lines):
        words = line.split()
        if not words:
            continue
        key = words[0].lower()
        if key == "map":
            body_start = index + 1
            break
        if key in ("type", "height", "width") and len(words) == 2:
            header[key] = words[1]
        else:
            problems.append(f"{source}:{number}: expected 'type', 'height', 'width' or 'map'")
    if body_start is None:
        problems.append(f"{source}: no 'map' line ends the header")
        raise MapFormatError(source, problems)
    dims: dict[str, int] = {}
    for key in ("height", "width"):
        if key not in header:
            problems.append(f"{source}: header has no '{key}'")
            continue
        try:
            dims[key] = int(header[key])
        except ValueError:
            problems.append(f"{source}: {key} {header[key]!r} is not a whole number")
            continue
        if dims[key] < 1:
            problems.append(f"{source}: {key} must be at least 1, got {dims[key]}")
    if problems:
        raise MapFormatError(source, problems)
    height, width = dims["height"], dims["width"]
    rows = [(n, line) for n, line in lines[body_start:]]
    while rows and not rows[-1][1].strip():
        rows.pop()
    if len(rows) != height:
        problems.append(f"{source}: height is {height} but the map has {len(rows)} rows")
    for number, line in rows[:height]:
        if len(line) != width:
            problems.append(f"{source}:{number}: row has {len(line)} cells, width is {width}")
    if len(rows) != height or width > max((len(line) for _, line in rows), default=0):
        # before allocating: a header may claim a map far larger than the file holds
        raise MapFormatError(source, problems)
    passable = np.zeros((height, width), dtype=bool)
    endpoints = np.zeros((height, width), dtype=bool)
    for r, (number, line) in enumerate(rows[:height]):
        for c, char in enumerate(line[:width]):
            if char in FREE_CHARS:
                passable[r, c] = True
            elif char in ENDPOINT_CHARS:
                passable[r, c] = endpoints[r, c] = True
            elif char not in BLOCKED_CHARS:
                problems.append(f"{source}:{number}:{c + 1}: unknown cell character {char!r}")
    if not problems and not passable.any():
        problems.append(f"{source}: the map has no free cell")
    if problems:
        raise MapFormatError(source, problems)
    return Grid(passable=passable, endpoints=endpoints, name=name)


def read_movingai(path: str | Path) -> Grid:
    """Read a MovingAI ``.map`` file (the grid is named after the file's stem)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MapFormatError(str(path), [f"not a UTF-8 text file ({exc.reason})"]) from exc
    return parse_movingai(text, name=path.stem, source=str(path))


def format_movingai(grid: Grid) -> str:
    """The MovingAI text of ``grid`` (``@`` blocked, ``.`` free, ``E`` endpoints)."""
    rows = []
    for r in range(grid.height):
        chars = [
            "E" if grid.endpoints[r, c] else ("." if grid.passable[r, c] else "@")
            for c in range(grid.width)
        ]
        rows.append("".join(chars))
    header = f"type octile\nheight {grid.height}\nwidth {grid.width}\nmap\n"
    return header + "\n".join(rows) + "\n"
