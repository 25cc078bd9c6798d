"""The generator of the embedded north cargo area (``data/terminal/north_cargo_area.*``).

The shipped files are the output of ``build()``; a test keeps them equal. To change the
floor, edit this module and run ``.venv/bin/python -m silkhub.terminal._north_cargo_area``.
Figures from DOMAIN.md: 400+ shelves, 60 AGVs, weigh-and-scan at the door, 24 h operation.
The geometry is an assumption (docs/terminal.md): a 66 × 24 grid of 1.5 m cells; west wall
with 6 weigh-and-scan induction lanes; 4 blocks × 6 double rows × 10 racks = 480 shelves in
8 zones; 7 build-up stations of 3 drop points each on the east wall; 60 AGV homes along the
north and south walls; 12 charging spots in alcoves of those walls (dead ends that only an
AGV sent to charge may enter, so a charging AGV blocks nobody).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["build"]

WIDTH = 66
HEIGHT = 24
BLOCK_COLS = ((9, 18), (21, 30), (33, 42), (45, 54))  # racks, with 2-cell cross aisles between
DOUBLE_ROWS = ((3, 4), (6, 7), (9, 10), (12, 13), (15, 16), (18, 19))
NORTH_HALF = (3, 10)
SOUTH_HALF = (12, 19)
LANE_ROWS = (4, 7, 10, 13, 16, 19)
BUILDUP_ROWS = (2, 5, 8, 11, 14, 17, 20)  # each station has drop points one row up and down
HOME_COLS = range(9, 39)  # 30 homes on each of the north and south wall rows
CHARGER_COLS = range(45, 57, 2)  # 6 charging alcoves in each of the north and south walls


def build() -> tuple[str, dict[str, Any]]:
    """The map text and the JSON spec of the north cargo area."""
    grid = [["." for _ in range(WIDTH)] for _ in range(HEIGHT)]
    for c in range(WIDTH):
        grid[0][c] = grid[HEIGHT - 1][c] = "@"
    for r in range(HEIGHT):
        grid[r][0] = grid[r][WIDTH - 1] = "@"
    for c in CHARGER_COLS:
        grid[0][c] = grid[HEIGHT - 1][c] = "."
    for rows in DOUBLE_ROWS:
        for r in rows:
            for c0, c1 in BLOCK_COLS:
                for c in range(c0, c1 + 1):
                    grid[r][c] = "@"
    text = f"type octile\nheight {HEIGHT}\nwidth {WIDTH}\nmap\n"
    text += "\n".join("".join(row) for row in grid) + "\n"
    zones = []
    for letter, (c0, c1) in zip("ABCD", BLOCK_COLS, strict=True):
        for half, rows in (("N", NORTH_HALF), ("S", SOUTH_HALF)):
            zones.append({"id": f"{letter}{half}", "rows": list(rows), "cols": [c0, c1]})
    wall_rows = (1, HEIGHT - 2)
    alcove_rows = (0, HEIGHT - 1)
    spec: dict[str, Any] = {
        "name": "north_cargo_area",
        "map": "north_cargo_area.map",
        "description": (
            "Zhengzhou airport north cargo area (assumed geometry): weigh-and-scan lanes on "
            "the west wall, 480 shelves in 8 zones, build-up stations on the east wall."
        ),
        "step_seconds": 2.0,
        "cell_size_m": 1.5,
        "levels": [
            {"max_kg": 1000.0, "max_m3": 2.5},
            {"max_kg": 500.0, "max_m3": 1.5},
            {"max_kg": 250.0, "max_m3": 1.0},
            {"max_kg": 100.0, "max_m3": 0.5},
        ],
        "zones": zones,
        "induction_lanes": [
            {"id": f"IND-{i + 1}", "row": r, "col": 1} for i, r in enumerate(LANE_ROWS)
        ],
        "buildup_stations": [
            {
                "id": f"BU-{i + 1}",
                "row": r,
                "col": WIDTH - 2,
                "extra_cells": [[r - 1, WIDTH - 2], [r + 1, WIDTH - 2]],
            }
            for i, r in enumerate(BUILDUP_ROWS)
        ],
        "chargers": [
            {"id": f"CHG-{i + 1}", "row": r, "col": c}
            for i, (r, c) in enumerate((r, c) for r in alcove_rows for c in CHARGER_COLS)
        ],
        "agent_homes": [[r, c] for r in wall_rows for c in HOME_COLS],
    }
    return text, spec


def spec_text(spec: dict[str, Any]) -> str:
    """The JSON file's text: stable formatting so the shipped file can be compared."""
    return json.dumps(spec, indent=2) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    folder = Path(__file__).resolve().parents[1] / "data" / "terminal"
    folder.mkdir(parents=True, exist_ok=True)
    map_text, layout_spec = build()
    (folder / "north_cargo_area.map").write_text(map_text, encoding="utf-8")
    (folder / "north_cargo_area.json").write_text(spec_text(layout_spec), encoding="utf-8")
