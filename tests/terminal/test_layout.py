"""Terminal layouts: the embedded north cargo area, layout files, and layouts made from any map."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from silkhub.terminal import (
    LayoutError,
    LorrInstance,
    StationKind,
    TerminalLayout,
    layout_from_grid,
    layout_from_spec,
    parse_movingai,
    read_layout,
    read_movingai,
)
from silkhub.terminal._north_cargo_area import build, spec_text


def test_north_cargo_area_matches_domain_figures(north_cargo_area: TerminalLayout) -> None:
    """400+ shelves, 60 AGVs, several induction lanes, build-up stations and chargers."""
    layout = north_cargo_area
    assert len(layout.shelves) >= 400
    assert len(layout.homes) >= 60
    assert len(layout.induction) >= 3
    assert len(layout.buildup) >= 3
    assert layout.chargers
    assert layout.slot_count == len(layout.shelves) * len(layout.levels)
    assert layout.grid.components() == 1


def test_lanes_west_build_up_east(north_cargo_area: TerminalLayout) -> None:
    """Induction lanes are on the west side, build-up stations on the east side."""
    width = north_cargo_area.grid.width
    lane_cols = {c % width for st in north_cargo_area.induction for c in st.cells}
    station_cols = {c % width for st in north_cargo_area.buildup for c in st.cells}
    assert max(lane_cols) < width // 4
    assert min(station_cols) > 3 * width // 4


def test_shelves_are_served_from_a_free_neighbour(north_cargo_area: TerminalLayout) -> None:
    """Every shelf is a blocked cell whose access cell is a free 4-neighbour."""
    grid = north_cargo_area.grid
    for shelf in north_cargo_area.shelves:
        assert not grid.is_free(shelf.cell)
        assert shelf.access in grid.neighbours(shelf.cell)


def test_chargers_are_dead_end_alcoves(north_cargo_area: TerminalLayout) -> None:
    """A charging AGV stands in an alcove with one way out, so it blocks no aisle."""
    grid = north_cargo_area.grid
    for charger in north_cargo_area.chargers:
        assert charger.kind is StationKind.CHARGER
        assert len(grid.neighbours(charger.cell)) == 1


def test_shipped_files_are_the_generators_output() -> None:
    """The embedded files equal what `_north_cargo_area.build()` writes (edit the generator)."""
    folder = resources.files("silkhub").joinpath("data", "terminal")
    map_text, spec = build()
    assert folder.joinpath("north_cargo_area.map").read_text(encoding="utf-8") == map_text
    assert folder.joinpath("north_cargo_area.json").read_text(encoding="utf-8") == spec_text(spec)


def test_read_layout_from_files(tmp_path: Path) -> None:
    """A layout JSON and the map it names can live anywhere."""
    map_text, spec = build()
    (tmp_path / "north_cargo_area.map").write_text(map_text)
    (tmp_path / "floor.json").write_text(json.dumps(spec))
    layout = read_layout(tmp_path / "floor.json")
    assert len(layout.shelves) == 480
    assert layout.station("BU-1").cells[0] == layout.grid.cell(2, 64)
    with pytest.raises(KeyError):
        layout.station("BU-99")


def _spec(**changes: Any) -> dict[str, Any]:
    _, spec = build()
    spec.update(changes)
    return spec


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"induction_lanes": []}, "induction_lanes: List should have at least 1 item"),
        (
            {"levels": [{"max_kg": -1, "max_m3": 1}]},
            "levels.0.max_kg: Input should be greater than 0",
        ),
        ({"colour": "red"}, "colour: Extra inputs are not permitted"),
        (
            {"chargers": [{"id": "C", "row": 3, "col": 9}]},
            "charger C: cell (3, 9) is not a free cell",
        ),
        ({"chargers": [{"id": "C", "row": 99, "col": 9}]}, "chargers[0]: (99, 9) is outside"),
        ({"agent_homes": [[1, 1], [1, 1]]}, "agent_homes: two AGVs share a home cell"),
        # an AGV parked on a charger would keep it for ever
        ({"agent_homes": [[1, 1], [0, 45]]}, "agent_homes[1]: cell (0, 45) is a charger"),
        (
            {"zones": [{"id": "X", "rows": [1, 2], "cols": [1, 5]}]},
            "zones[0]: zone X holds no reachable shelf",
        ),
        (
            {"buildup_stations": [{"id": "IND-1", "row": 2, "col": 64}]},
            "buildup IND-1: duplicate id",
        ),
    ],
)
def test_bad_layout_specs_name_the_field(changes: dict[str, Any], message: str) -> None:
    """Each broken layout file is refused with the field and the reason."""
    map_text, _ = build()
    grid = parse_movingai(map_text)
    with pytest.raises(LayoutError) as info:
        layout_from_spec(grid, _spec(**changes), source="floor.json")
    assert any(message in p for p in info.value.problems), info.value.problems


def test_layout_needs_one_connected_floor() -> None:
    """A floor split in two is refused: some AGVs could never reach some shelves."""
    grid = parse_movingai("type octile\nheight 3\nwidth 5\nmap\n..@..\n.@@@.\n..@..\n")
    spec = {
        "name": "split",
        "map": "x.map",
        "levels": [{"max_kg": 100, "max_m3": 1}],
        "zones": [{"id": "Z", "rows": [0, 2], "cols": [0, 4]}],
        "induction_lanes": [{"id": "I", "row": 0, "col": 0}],
        "buildup_stations": [{"id": "B", "row": 0, "col": 4}],
        "agent_homes": [[2, 0]],
    }
    with pytest.raises(LayoutError, match="one connected floor"):
        layout_from_spec(grid, spec)


def test_layout_from_lorr_map_uses_racks_beside_endpoints(lorr_small: LorrInstance) -> None:
    """On a LoRR warehouse, shelves are the racks next to the marked endpoints."""
    layout = layout_from_grid(lorr_small.grid, agents=60, seed=1)
    assert len(layout.homes) == 60
    endpoints = lorr_small.grid.endpoints.ravel()
    assert all(endpoints[s.access] for s in layout.shelves)
    assert len(layout.shelves) > 300
    assert set(layout.zones) == {"W", "CW", "CE", "E"}


def test_layout_from_plain_map(benchmarks_dir: Path) -> None:
    """A MovingAI map without endpoints becomes a terminal too (racks = walls beside aisles)."""
    grid = read_movingai(benchmarks_dir / "movingai" / "warehouse-20-40-10-2-2.map")
    layout = layout_from_grid(grid, agents=100, seed=0)
    assert len(layout.shelves) > 1000
    assert len(layout.induction) == 6
    with pytest.raises(ValueError, match="at least 1"):
        layout_from_grid(grid, agents=0)


def test_chargers_made_for_a_map_cut_no_path(benchmarks_dir: Path) -> None:
    """No charger sits beside a lane or a drop point, and the floor stays whole without them.

    On the MovingAI warehouse the northmost row is a corridor; chargers placed on it beside
    IND-1 and BU-1 had left those stations dead ends where the fleet locked up.
    """
    grid = read_movingai(benchmarks_dir / "movingai" / "warehouse-20-40-10-2-2.map")
    layout = layout_from_grid(grid, agents=60)
    stations = {st.cell for st in (*layout.induction, *layout.buildup)}
    chargers = {st.cell for st in layout.chargers}
    assert len(chargers) == 8
    for cell in chargers:
        assert not stations.intersection(grid.neighbours(cell)), grid.row_col(cell)
    start = next(iter(stations))
    seen, stack = {start}, [start]
    while stack:
        for nxt in grid.neighbours(stack.pop()):
            if nxt not in seen and nxt not in chargers:
                seen.add(nxt)
                stack.append(nxt)
    free = {int(c) for c in grid.free_cells()} - chargers
    assert seen == free


POCKETS = """type octile
height 7
width 26
map
@@@@@@@@@@@@@@@@@@@@@@@@@@
@........................@
@..@.@.@.@.@.@.@.@.@.@...@
@@@@@@@@@@@@@@@@@@@@@@@..@
@........................@
@........................@
@@@@@@@@@@@@@@@@@@@@@@@@@@
"""


def test_no_charger_is_where_a_shelf_is_served(tmp_path: Path) -> None:
    """Pockets above a rack are dead ends, and shelves are served from them: no charger there.

    A charger in such a pocket had let AGVs sent to the shelf drive in and lock the fleet.
    """
    path = tmp_path / "pockets.map"
    path.write_text(POCKETS, encoding="ascii")
    layout = layout_from_grid(read_movingai(path), agents=6, seed=0)
    access = {shelf.access for shelf in layout.shelves}
    assert layout.chargers
    assert not access.intersection(st.cell for st in layout.chargers)


THREE_BLOCKS = """type octile
height 9
width 20
map
@@@@@@@@@@@@@@@@@@@@
@..................@
@.@@@@..@@@@..@@@@.@
@.@@@@..@@@@..@@@@.@
@.@@@@..@@@@..@@@@.@
@.@@@@..@@@@..@@@@.@
@.@@@@..@@@@..@@@@.@
@..................@
@@@@@@@@@@@@@@@@@@@@
"""


def _degree(grid: Any, cell: int, cells: set[int]) -> int:
    return sum(1 for n in grid.neighbours(cell) if n in cells)


def _assert_chargers_cut_nothing(layout: TerminalLayout) -> None:
    """Without the chargers the floor is one piece and no cell is a new dead end."""
    grid = layout.grid
    chargers = {st.cell for st in layout.chargers}
    everything = {int(c) for c in grid.free_cells()}
    floor = everything - chargers
    start = next(iter(floor))
    seen, stack = {start}, [start]
    while stack:
        for nxt in grid.neighbours(stack.pop()):
            if nxt in floor and nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    assert seen == floor, sorted(grid.row_col(c) for c in floor - seen)
    new_dead_ends = [
        grid.row_col(c)
        for c in floor
        if _degree(grid, c, floor) == 1 and _degree(grid, c, everything) >= 2
    ]
    assert not new_dead_ends


def test_chargers_taken_together_cut_no_aisle() -> None:
    """Each charger is checked against the floor with the chargers before it.

    Checked one by one, two chargers had landed on the two junctions of the north aisle with
    a cross aisle, cutting the cells between them off: the fleet locked up (2 tasks in 2 h).
    """
    layout = layout_from_grid(parse_movingai(THREE_BLOCKS, name="three"), agents=10)
    assert layout.chargers
    _assert_chargers_cut_nothing(layout)


def test_chargers_on_a_lorr_map_leave_no_new_dead_end(lorr_small: LorrInstance) -> None:
    """On LoRR ``warehouse_small`` a charger at the end of a one-cell pocket is refused.

    It turned the pocket's other cell into a dead end, where an AGV carrying a piece had
    stayed locked in for 81 minutes among 200.
    """
    layout = layout_from_grid(lorr_small.grid, agents=60, seed=1)
    assert len(layout.chargers) == 8
    _assert_chargers_cut_nothing(layout)


def test_a_map_with_no_cell_for_a_charger_is_refused() -> None:
    """A one-cell ring corridor: every charger would leave dead ends, so none is placed."""
    grid = parse_movingai(
        "type octile\nheight 5\nwidth 6\nmap\n@@@@@@\n@....@\n@.@@.@\n@....@\n@@@@@@\n"
    )
    with pytest.raises(ValueError, match="no free cell for a charger"):
        layout_from_grid(grid, agents=2)


def test_layout_file_whose_chargers_cut_the_floor_is_refused() -> None:
    """A charger is private, so a layout file may not wall off cells behind its chargers."""
    grid = parse_movingai("type octile\nheight 3\nwidth 5\nmap\n.....\n@@.@@\n.....\n")
    spec = {
        "name": "cut",
        "map": "x.map",
        "levels": [{"max_kg": 100, "max_m3": 1}],
        "zones": [{"id": "Z", "rows": [0, 2], "cols": [0, 4]}],
        "induction_lanes": [{"id": "I", "row": 0, "col": 0}],
        "buildup_stations": [{"id": "B", "row": 2, "col": 4}],
        "chargers": [{"id": "C", "row": 1, "col": 2}],
        "agent_homes": [[0, 4]],
    }
    with pytest.raises(LayoutError, match="without the chargers must form one connected"):
        layout_from_spec(grid, spec)
