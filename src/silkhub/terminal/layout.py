"""The terminal floor: shelves and their slots, induction lanes, build-up stations, chargers.

A layout is a grid (see ``grid``) plus the special cells, read from a MovingAI map and a
small JSON file beside it (``north_cargo_area.map`` + ``north_cargo_area.json``). A shelf
is a blocked cell in a storage zone; an AGV serves it from its *access* cell, the free
neighbour it stands on to put a piece in or take one out (north or south first, as racks face
the aisles). Every shelf has the same stack of slot levels, each with its own weight and
volume limit (heavy pieces low). Any plain map can also become a terminal with
``layout_from_grid``, which places lanes on the west edge and build-up on the east edge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from silkhub.terminal.charger_sites import choose_charger_cells, floor_cut_by
from silkhub.terminal.grid import (
    NEIGHBOUR_OFFSETS,
    FloorInputError,
    Grid,
    MapFormatError,
    parse_movingai,
)

__all__ = [
    "DEFAULT_LAYOUT_NAME",
    "LayoutError",
    "Shelf",
    "SlotLevel",
    "Station",
    "StationKind",
    "TerminalLayout",
    "default_layout",
    "layout_from_grid",
    "layout_from_spec",
    "read_layout",
]

DEFAULT_LAYOUT_NAME = "north_cargo_area"


class LayoutError(FloorInputError):
    """A layout that cannot be used; ``problems`` lists every reason (``field: reason``)."""


class StationKind(StrEnum):
    """What happens at a special free cell."""

    INDUCTION = "induction"
    BUILDUP = "buildup"
    CHARGER = "charger"


@dataclass(frozen=True, slots=True)
class SlotLevel:
    """One level of every shelf: the heaviest and the largest piece it takes."""

    level: int
    max_kg: float
    max_m3: float

    def __post_init__(self) -> None:
        if self.level < 0:
            raise ValueError(f"level must be 0 or more, got {self.level}")
        if not (self.max_kg > 0 and self.max_m3 > 0):
            raise ValueError(f"level {self.level}: max_kg and max_m3 must be positive")

    def fits(self, weight_kg: float, volume_m3: float) -> bool:
        """Whether a piece of this weight and volume may go on this level."""
        return weight_kg <= self.max_kg and volume_m3 <= self.max_m3


@dataclass(frozen=True, slots=True)
class Shelf:
    """A shelf cell (blocked) in ``zone``, served from the free ``access`` cell beside it."""

    shelf_id: str
    cell: int
    access: int
    zone: str


@dataclass(frozen=True, slots=True)
class Station:
    """An induction lane, a build-up station or a charging spot on one or more free cells.

    ``cell`` is the station's main cell; ``extra_cells`` are further points of the same
    station (a build-up station has several drop points, so AGVs unload side by side).
    """

    station_id: str
    kind: StationKind
    cell: int
    extra_cells: tuple[int, ...] = ()

    @property
    def cells(self) -> tuple[int, ...]:
        """Every cell of the station, the main one first."""
        return (self.cell, *self.extra_cells)


@dataclass(frozen=True, eq=False)
class TerminalLayout:
    """A terminal floor: the grid and its special cells, checked on construction.

    ``homes`` are where the AGVs start and park when idle (one per AGV, so the fleet size
    is at most ``len(homes)``). ``step_seconds`` is how long one move of one cell takes.
    """

    name: str
    grid: Grid
    shelves: tuple[Shelf, ...]
    levels: tuple[SlotLevel, ...]
    induction: tuple[Station, ...]
    buildup: tuple[Station, ...]
    chargers: tuple[Station, ...]
    homes: tuple[int, ...]
    step_seconds: float = 2.0
    cell_size_m: float = 1.5

    def __post_init__(self) -> None:
        problems = _check_layout(self)
        if problems:
            raise LayoutError(self.name, problems)

    @property
    def zones(self) -> tuple[str, ...]:
        """Zone ids, sorted."""
        return tuple(sorted({s.zone for s in self.shelves}))

    @property
    def slot_count(self) -> int:
        """Slots on the floor (shelves × levels)."""
        return len(self.shelves) * len(self.levels)

    def station(self, station_id: str) -> Station:
        """The station with this id (``KeyError`` if none)."""
        for station in (*self.induction, *self.buildup, *self.chargers):
            if station.station_id == station_id:
                return station
        raise KeyError(station_id)


def _check_layout(layout: TerminalLayout) -> list[str]:
    grid = layout.grid
    problems: list[str] = []
    if not layout.step_seconds > 0:
        problems.append(f"step_seconds: must be positive, got {layout.step_seconds}")
    if not layout.cell_size_m > 0:
        problems.append(f"cell_size_m: must be positive, got {layout.cell_size_m}")
    if not layout.shelves:
        problems.append("shelves: a terminal needs at least one shelf")
    if not layout.levels:
        problems.append("levels: shelves need at least one slot level")
    if sorted(lv.level for lv in layout.levels) != list(range(len(layout.levels))):
        problems.append("levels: must be numbered 0, 1, 2, ... from the floor up")
    for label, group in (
        ("induction_lanes", layout.induction),
        ("buildup_stations", layout.buildup),
    ):
        if not group:
            problems.append(f"{label}: at least one is needed")
    ids: set[str] = set()
    used: dict[int, str] = {}
    for group, kind in (
        (layout.induction, StationKind.INDUCTION),
        (layout.buildup, StationKind.BUILDUP),
        (layout.chargers, StationKind.CHARGER),
    ):
        for st in group:
            where = f"{kind.value} {st.station_id}"
            if st.kind is not kind:
                problems.append(f"{where}: listed as {kind.value} but is a {st.kind.value}")
            if st.station_id in ids:
                problems.append(f"{where}: duplicate id")
            ids.add(st.station_id)
            for cell in st.cells:
                if not grid.is_free(cell):
                    problems.append(f"{where}: cell {_rc(grid, cell)} is not a free cell")
                elif cell in used:
                    problems.append(f"{where}: cell {_rc(grid, cell)} is also {used[cell]}")
                used[cell] = where
    shelf_ids: set[str] = set()
    shelf_cells: set[int] = set()
    for shelf in layout.shelves:
        where = f"shelf {shelf.shelf_id}"
        if shelf.shelf_id in shelf_ids or shelf.cell in shelf_cells:
            problems.append(f"{where}: duplicate id or cell")
        shelf_ids.add(shelf.shelf_id)
        shelf_cells.add(shelf.cell)
        if not 0 <= shelf.cell < grid.size or grid.is_free(shelf.cell):
            problems.append(f"{where}: a shelf must be a blocked cell inside the map")
        elif shelf.access not in grid.neighbours(shelf.cell):
            problems.append(f"{where}: access cell is not a free neighbour of the shelf")
    homes = layout.homes
    if not homes:
        problems.append("agent_homes: a terminal needs at least one AGV home")
    if len(set(homes)) != len(homes):
        problems.append("agent_homes: two AGVs share a home cell")
    charger_cells = {cell for st in layout.chargers for cell in st.cells}
    for i, cell in enumerate(homes):
        if not grid.is_free(cell):
            problems.append(f"agent_homes[{i}]: cell {_rc(grid, cell)} is not a free cell")
        elif cell in charger_cells:  # an AGV parked there would keep the charger for ever
            problems.append(f"agent_homes[{i}]: cell {_rc(grid, cell)} is a charger")
    if grid.components() != 1:
        problems.append("map: the free cells must form one connected floor")
    else:
        problems.extend(floor_cut_by(grid, charger_cells))
    return problems


def _rc(grid: Grid, cell: int) -> tuple[int, int]:
    return divmod(int(cell), grid.width) if 0 <= cell < grid.size else (-1, -1)


def _access_of(grid: Grid, cell: int) -> int | None:
    """The free neighbour an AGV serves a shelf from: north or south first, then west, east."""
    row, col = divmod(cell, grid.width)
    for dr, dc in NEIGHBOUR_OFFSETS:
        r, c = row + dr, col + dc
        if 0 <= r < grid.height and 0 <= c < grid.width and grid.passable[r, c]:
            return r * grid.width + c
    return None


# --- the JSON file beside a map (validated with Pydantic: clear messages per field) ---------


class _StationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    row: int
    col: int
    extra_cells: list[tuple[int, int]] = Field(default_factory=list)


class _ZoneSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    rows: tuple[int, int]
    cols: tuple[int, int]


class _LevelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_kg: float = Field(gt=0)
    max_m3: float = Field(gt=0)


class _LayoutSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    map: str = Field(min_length=1)
    description: str = ""
    step_seconds: float = Field(default=2.0, gt=0)
    cell_size_m: float = Field(default=1.5, gt=0)
    levels: list[_LevelSpec] = Field(min_length=1)
    zones: list[_ZoneSpec] = Field(min_length=1)
    induction_lanes: list[_StationSpec] = Field(min_length=1)
    buildup_stations: list[_StationSpec] = Field(min_length=1)
    chargers: list[_StationSpec] = Field(default_factory=list)
    agent_homes: list[tuple[int, int]] = Field(min_length=1)


def _pydantic_problems(exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(file)"
        out.append(f"{where}: {error['msg']}")
    return out


def layout_from_spec(
    grid: Grid, spec: Mapping[str, Any], *, source: str = "layout"
) -> TerminalLayout:
    """A layout from ``grid`` and the parsed JSON ``spec`` (see docs/terminal.md)."""
    try:
        parsed = _LayoutSpec.model_validate(spec)
    except ValidationError as exc:
        raise LayoutError(source, _pydantic_problems(exc)) from exc
    problems: list[str] = []

    def cell_of(label: str, row: int, col: int) -> int:
        if not (0 <= row < grid.height and 0 <= col < grid.width):
            problems.append(
                f"{label}: ({row}, {col}) is outside the {grid.height}×{grid.width} map"
            )
            return -1
        return row * grid.width + col

    stations: dict[StationKind, list[Station]] = {k: [] for k in StationKind}
    for kind, label, items in (
        (StationKind.INDUCTION, "induction_lanes", parsed.induction_lanes),
        (StationKind.BUILDUP, "buildup_stations", parsed.buildup_stations),
        (StationKind.CHARGER, "chargers", parsed.chargers),
    ):
        for i, st in enumerate(items):
            cell = cell_of(f"{label}[{i}]", st.row, st.col)
            extra = tuple(
                cell_of(f"{label}[{i}].extra_cells[{k}]", r, c)
                for k, (r, c) in enumerate(st.extra_cells)
            )
            stations[kind].append(Station(st.id, kind, cell, extra))
    homes = [cell_of(f"agent_homes[{i}]", r, c) for i, (r, c) in enumerate(parsed.agent_homes)]
    shelves: list[Shelf] = []
    seen: dict[int, str] = {}
    for i, zone in enumerate(parsed.zones):
        (r0, r1), (c0, c1) = zone.rows, zone.cols
        if not (0 <= r0 <= r1 < grid.height and 0 <= c0 <= c1 < grid.width):
            problems.append(f"zones[{i}]: rows {zone.rows} cols {zone.cols} leave the map")
            continue
        found = 0
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cell = r * grid.width + c
                if grid.passable[r, c]:
                    continue
                access = _access_of(grid, cell)
                if access is None:
                    continue  # a blocked cell no AGV can reach is a wall, not a shelf
                if cell in seen:
                    problems.append(f"zones[{i}]: shelf ({r}, {c}) is also in zone {seen[cell]}")
                    continue
                seen[cell] = zone.id
                shelves.append(Shelf(f"{zone.id}-{r:02d}-{c:02d}", cell, access, zone.id))
                found += 1
        if not found:
            problems.append(f"zones[{i}]: zone {zone.id} holds no reachable shelf")
    if problems:
        raise LayoutError(source, problems)
    levels = tuple(SlotLevel(i, lv.max_kg, lv.max_m3) for i, lv in enumerate(parsed.levels))
    return TerminalLayout(
        name=parsed.name,
        grid=grid,
        shelves=tuple(shelves),
        levels=levels,
        induction=tuple(stations[StationKind.INDUCTION]),
        buildup=tuple(stations[StationKind.BUILDUP]),
        chargers=tuple(stations[StationKind.CHARGER]),
        homes=tuple(homes),
        step_seconds=parsed.step_seconds,
        cell_size_m=parsed.cell_size_m,
    )


def read_layout(path: str | Path) -> TerminalLayout:
    """Read a layout JSON file and the map it names (relative to the JSON file)."""
    path = Path(path)
    source = str(path)
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise LayoutError(source, [f"not a UTF-8 text file ({exc.reason})"]) from exc
    except json.JSONDecodeError as exc:
        raise LayoutError(source, [f"line {exc.lineno}: not JSON ({exc.msg})"]) from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("map"), str):
        raise LayoutError(source, ["map: the file must be a JSON object naming its map"])
    map_path = path.parent / spec["map"]
    try:
        grid = parse_movingai(
            map_path.read_text(encoding="utf-8"), name=map_path.stem, source=str(map_path)
        )
    except OSError as exc:
        raise LayoutError(source, [f"map: cannot read {map_path} ({exc.strerror or exc})"]) from exc
    except UnicodeDecodeError as exc:
        raise LayoutError(
            source, [f"map: {map_path} is not a UTF-8 text file ({exc.reason})"]
        ) from exc
    except MapFormatError as exc:
        raise LayoutError(source, [f"map: {p}" for p in exc.problems]) from exc
    return layout_from_spec(grid, spec, source=source)


def default_layout() -> TerminalLayout:
    """The embedded north cargo area (docs/terminal.md): 480 shelves, 60 AGVs, 6 lanes."""
    folder = resources.files("silkhub").joinpath("data", "terminal")
    spec = json.loads(folder.joinpath(f"{DEFAULT_LAYOUT_NAME}.json").read_text(encoding="utf-8"))
    text = folder.joinpath(spec["map"]).read_text(encoding="utf-8")
    grid = parse_movingai(text, name=DEFAULT_LAYOUT_NAME, source=spec["map"])
    return layout_from_spec(grid, spec, source=f"{DEFAULT_LAYOUT_NAME}.json")


def _spread(cells: list[int], count: int) -> list[int]:
    """``count`` cells evenly spaced along ``cells`` (all of them if there are fewer)."""
    if len(cells) <= count:
        return list(cells)
    picks = np.linspace(0, len(cells) - 1, count).round().astype(int)
    return [cells[i] for i in picks]


def layout_from_grid(
    grid: Grid,
    *,
    agents: int,
    seed: int = 0,
    lanes: int = 6,
    stations: int = 8,
    chargers: int = 8,
    levels: tuple[SlotLevel, ...] = (
        SlotLevel(0, 1000.0, 2.5),
        SlotLevel(1, 500.0, 1.5),
        SlotLevel(2, 250.0, 1.0),
    ),
) -> TerminalLayout:
    """Make a terminal of any map: shelves where the map has racks, lanes west, build-up east.

    Shelves are the blocked cells beside an endpoint (``E``/``S``) when the map marks any,
    otherwise every blocked cell with a free neighbour that is not on the map's border.
    Induction lanes are spread over the free cells of the westmost column that has any,
    build-up stations over the eastmost, chargers where no path needs to cross one: dead ends
    (free cells with one free neighbour) first, then northmost-row cells, then any free cell,
    each taken only if, with the chargers before it, the floor stays one piece and none of
    its neighbours becomes a dead end, and never beside a station or where a shelf is served.
    Fewer chargers than asked come when fewer cells qualify, a ValueError when none does.
    AGV homes are ``agents`` other free cells drawn with ``seed``. Zones split the shelves
    into four column bands, west to east ``W``, ``CW``, ``CE``, ``E``.
    """
    if agents < 1:
        raise ValueError(f"agents must be at least 1, got {agents}")
    h, w = grid.height, grid.width
    shelves: list[Shelf] = []
    marked = grid.endpoints
    use_marks = bool(marked.any())
    band_names = ("W", "CW", "CE", "E")
    for r in range(h):
        for c in range(w):
            if grid.passable[r, c]:
                continue
            cell = r * w + c
            access = None
            for dr, dc in NEIGHBOUR_OFFSETS:
                rr, cc = r + dr, c + dc
                if 0 <= rr < h and 0 <= cc < w and grid.passable[rr, cc]:
                    if use_marks and not marked[rr, cc]:
                        continue
                    access = rr * w + cc
                    break
            if access is None or (not use_marks and (r in (0, h - 1) or c in (0, w - 1))):
                continue
            zone = band_names[min(3, 4 * c // w)]
            shelves.append(Shelf(f"{zone}-{r:03d}-{c:03d}", cell, access, zone))
    if not shelves:
        raise LayoutError(grid.name, ["the map has no blocked cell an AGV could serve as a shelf"])
    free = grid.passable
    cols_with_free = np.flatnonzero(free.any(axis=0))
    rows_with_free = np.flatnonzero(free.any(axis=1))
    west, east = int(cols_with_free[0]), int(cols_with_free[-1])
    north = int(rows_with_free[0])
    taken: set[int] = set()

    def stations_on(
        cells: list[int], count: int, prefix: str, kind: StationKind
    ) -> tuple[Station, ...]:
        chosen = _spread([c for c in cells if c not in taken], count)
        taken.update(chosen)
        return tuple(Station(f"{prefix}-{i + 1}", kind, c) for i, c in enumerate(chosen))

    induction = stations_on(
        [r * w + west for r in range(h) if free[r, west]], lanes, "IND", StationKind.INDUCTION
    )
    buildup = stations_on(
        [r * w + east for r in range(h) if free[r, east]], stations, "BU", StationKind.BUILDUP
    )
    # A charger is a cell no path may cross (see charger_sites). Dead ends first, as in the
    # north cargo area's alcoves, then the northmost row, then any free cell; never a cell
    # beside a station (on the northmost row of a MovingAI warehouse, a charger beside a lane
    # or a drop point had left that station a dead end, where PIBT's AGVs lock each other in)
    # nor where an AGV stands to serve a shelf (AGVs sent to that shelf would enter it).
    station_cells = {st.cell for st in (*induction, *buildup)}
    access_cells = {shelf.access for shelf in shelves}
    padded = np.pad(free, 1)
    free_around = (
        padded[:-2, 1:-1].astype(int) + padded[2:, 1:-1] + padded[1:-1, :-2] + padded[1:-1, 2:]
    )

    def may_hold_a_charger(cell: int) -> bool:
        return (
            cell not in taken
            and cell not in access_cells
            and not station_cells.intersection(grid.neighbours(cell))
        )

    dead_ends = [int(c) for c in np.flatnonzero(free & (free_around == 1))]
    north_row = [north * w + c for c in range(w) if free[north, c]]
    tiers = (dead_ends, north_row, [int(c) for c in grid.free_cells()])
    sites = choose_charger_cells(
        grid, ([c for c in tier if may_hold_a_charger(c)] for tier in tiers), chargers
    )
    if chargers and not sites:
        raise ValueError(
            "the map has no free cell for a charger: each one would cut the floor, leave a "
            "dead end, border a station or stand where a shelf is served"
        )
    charger_cells = stations_on(sites, chargers, "CHG", StationKind.CHARGER)
    candidates = np.array([c for c in grid.free_cells() if int(c) not in taken], dtype=np.int64)
    if agents > len(candidates) - 1:
        raise ValueError(f"the map has room for at most {len(candidates) - 1} AGVs, not {agents}")
    rng = np.random.default_rng(seed)
    homes = tuple(int(c) for c in sorted(rng.choice(candidates, size=agents, replace=False)))
    return TerminalLayout(
        name=grid.name,
        grid=grid,
        shelves=tuple(shelves),
        levels=levels,
        induction=induction,
        buildup=buildup,
        chargers=charger_cells,
        homes=homes,
    )
