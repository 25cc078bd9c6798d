"""Shared fixtures of the terminal tests: small named floors and the public benchmark instances."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from silkhub.terminal import (
    Grid,
    LorrInstance,
    TerminalLayout,
    default_layout,
    parse_movingai,
    read_lorr,
)

#: The folder ``shared/benchmarks`` beside the repository (CI has it); SILKHUB_BENCHMARKS wins.
REPO = Path(__file__).resolve().parents[2]


def shared_benchmarks() -> Path:
    """The public benchmark instances, or a test failure saying where they were looked for."""
    override = os.environ.get("SILKHUB_BENCHMARKS")
    folder = Path(override) if override else REPO.parent / "shared" / "benchmarks"
    if not (folder / "lorr" / "warehouse_small_200.json").is_file():
        pytest.fail(
            f"benchmark instances not found in {folder}: these tests need the folder "
            "shared/benchmarks beside the repository (or SILKHUB_BENCHMARKS pointing to it)"
        )
    return folder


@pytest.fixture(scope="session")
def benchmarks_dir() -> Path:
    """The shared/benchmarks folder (League of Robot Runners and MovingAI instances)."""
    return shared_benchmarks()


@pytest.fixture(scope="session")
def lorr_small(benchmarks_dir: Path) -> LorrInstance:
    """warehouse_small: 33×57, 200 agents, 20,000 single-errand tasks: the competition's small warehouse."""
    return read_lorr(benchmarks_dir / "lorr" / "warehouse_small_200.json")


@pytest.fixture(scope="session")
def north_cargo_area() -> TerminalLayout:
    """The embedded default floor: 480 shelves, 60 AGV homes, 6 lanes, 7 build-up stations."""
    return default_layout()


ROOM_MAP = """type octile
height 5
width 7
map
@@@@@@@
@.....@
@.@.@.@
@.....@
@@@@@@@
"""


@pytest.fixture(scope="session")
def room() -> Grid:
    """A 3×5 room with two pillars: every aisle cell lies on a cycle (biconnected), 13 free cells."""
    return parse_movingai(ROOM_MAP, name="room")


CORRIDOR_MAP = """type octile
height 3
width 6
map
@@@@@@
@....@
@@@@@@
"""


@pytest.fixture(scope="session")
def corridor() -> Grid:
    """A one-lane corridor of four cells: agents can follow but never pass each other."""
    return parse_movingai(CORRIDOR_MAP, name="corridor")
