"""Reading floors: the MovingAI map format and League of Robot Runners problem files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from silkhub.terminal import (
    Grid,
    LorrFormatError,
    LorrInstance,
    MapFormatError,
    format_movingai,
    parse_movingai,
    read_lorr,
    read_movingai,
)


def test_map_characters_follow_movingai_and_lorr(room: Grid) -> None:
    """`@`/`T` are blocked, `.` free, `E`/`S` free endpoints."""
    grid = parse_movingai("type octile\nheight 2\nwidth 4\nmap\n.@TE\nS.G.\n")
    assert grid.passable.tolist() == [[True, False, False, True], [True, True, True, True]]
    assert grid.endpoint_cells().tolist() == [3, 4]
    assert (grid.height, grid.width, grid.size) == (2, 4, 8)
    assert room.free_cells().size == 13


def test_cells_are_row_major(room: Grid) -> None:
    """A cell index is row × width + column, as in the LoRR agent and task files."""
    assert room.cell(2, 3) == 17
    assert room.row_col(17) == (2, 3)
    assert room.neighbours(room.cell(1, 1)) == [room.cell(2, 1), room.cell(1, 2)]
    assert not room.is_free(room.cell(2, 2))
    assert not room.is_free(-1)
    with pytest.raises(ValueError, match="outside"):
        room.cell(5, 0)
    with pytest.raises(ValueError, match="outside"):
        room.row_col(35)


def test_format_round_trips(room: Grid) -> None:
    """Writing a grid and reading it back gives the same grid."""
    again = parse_movingai(format_movingai(room))
    assert np.array_equal(again.passable, room.passable)


def test_read_map_from_file(tmp_path: Path) -> None:
    """A map file is named after its stem."""
    path = tmp_path / "dock.map"
    path.write_text("type octile\nheight 1\nwidth 3\nmap\n...\n")
    assert read_movingai(path).name == "dock"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("height 1\nwidth 1\n", "no 'map' line"),
        ("type octile\nwidth 2\nmap\n..\n", "header has no 'height'"),
        ("type octile\nheight x\nwidth 2\nmap\n..\n", "'x' is not a whole number"),
        ("type octile\nheight 2\nwidth 2\nmap\n..\n", "height is 2 but the map has 1 rows"),
        ("type octile\nheight 1\nwidth 3\nmap\n..\n", ":5: row has 2 cells, width is 3"),
        ("type octile\nheight 1\nwidth 2\nmap\n.#\n", ":5:2: unknown cell character '#'"),
        ("type octile\nheight 1\nwidth 2\nmap\n@@\n", "no free cell"),
        ("junk\ntype octile\nheight 1\nwidth 1\nmap\n.\n", ":1: expected"),
        # a header claiming a vast map is refused before anything that size is allocated
        ("type octile\nheight 100000000\nwidth 100000000\nmap\n..\n", "the map has 1 rows"),
        ("type octile\nheight 1\nwidth 100000000000\nmap\n..\n", "row has 2 cells"),
    ],
)
def test_bad_maps_name_the_line_and_reason(text: str, message: str) -> None:
    """Each malformed map is refused with the place and the reason."""
    with pytest.raises(MapFormatError, match=message):
        parse_movingai(text, source="bad.map")


def test_every_problem_is_listed() -> None:
    """Two bad rows give two problems in one error."""
    with pytest.raises(MapFormatError) as info:
        parse_movingai("type octile\nheight 2\nwidth 2\nmap\n.x\ny.\n")
    assert len(info.value.problems) == 2


def test_grid_checks_itself() -> None:
    """A grid without free cells or with endpoints on walls is refused."""
    with pytest.raises(ValueError, match="at least one free cell"):
        Grid(np.zeros((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="endpoint must be a free cell"):
        Grid(np.array([[True, False]]), np.array([[False, True]]))
    with pytest.raises(ValueError, match="2-D"):
        Grid(np.ones(3, dtype=bool))


def test_lorr_small_instance(lorr_small: LorrInstance) -> None:
    """warehouse_small reads as 33×57 with 200 agents and 20,000 one-errand tasks."""
    assert (lorr_small.grid.height, lorr_small.grid.width) == (33, 57)
    assert len(lorr_small.starts) == lorr_small.team_size == 200
    assert lorr_small.task_count == 20_000
    assert lorr_small.task(0) == (1298,)
    assert lorr_small.grid.passable.ravel()[lorr_small.errands].all()


def test_lorr_large_instance_has_two_errand_tasks(benchmarks_dir: Path) -> None:
    """The 2024-format warehouse_large tasks are ordered pairs of errands."""
    instance = read_lorr(benchmarks_dir / "lorr" / "warehouse_large_5000.json")
    assert len(instance.starts) == 5000
    assert instance.task(0) == (15857, 15259)
    assert set(np.diff(instance.task_offsets).tolist()) == {2}


def _write_problem(folder: Path, agents: str, tasks: str, map_text: str | None = None) -> Path:
    (folder / "m.map").write_text(map_text or "type octile\nheight 2\nwidth 3\nmap\n..@\n...\n")
    (folder / "a.agents").write_text(agents)
    (folder / "t.tasks").write_text(tasks)
    problem = folder / "p.json"
    problem.write_text(
        json.dumps({"mapFile": "m.map", "agentFile": "a.agents", "taskFile": "t.tasks"})
    )
    return problem


def test_lorr_reads_comments_and_errand_lists(tmp_path: Path) -> None:
    """Comment lines are skipped and a task line may list several errands."""
    problem = _write_problem(tmp_path, "# v\n2\n0\n4\n", "2\n1,3\n5\n")
    instance = read_lorr(problem)
    assert instance.starts.tolist() == [0, 4]
    assert [instance.task(i) for i in range(instance.task_count)] == [(1, 3), (5,)]
    assert instance.team_size == 2


@pytest.mark.parametrize(
    ("agents", "tasks", "message"),
    [
        ("2\n0\n", "1\n1\n", "count line says 2, file has 1"),
        ("1\n2\n", "1\n1\n", "agentFile: entry 0: cell 2 is blocked"),
        ("1\n0\n", "1\n99\n", "taskFile: entry 0: cell 99 is outside the map"),
        ("1\nx\n", "1\n1\n", "'x' is not a cell index"),
        ("2\n0\n0\n", "1\n1\n", "two agents start on the same cell"),
        ("", "1\n1\n", "empty file"),
    ],
)
def test_bad_lorr_files_are_refused_with_reasons(
    tmp_path: Path, agents: str, tasks: str, message: str
) -> None:
    """Counts, blocked or outside cells and bad numbers are reported by file and entry."""
    with pytest.raises(LorrFormatError, match=message):
        read_lorr(_write_problem(tmp_path, agents, tasks))


def test_lorr_files_that_are_not_utf8_are_refused(tmp_path: Path) -> None:
    """A problem JSON or an agents file in another encoding is a problem, not a traceback."""
    problem = _write_problem(tmp_path, "1\n0\n", "1\n1\n")
    agents = next(p for p in tmp_path.iterdir() if p.suffix == ".agents")
    agents.write_bytes(b"1\n\xff\n")
    with pytest.raises(LorrFormatError, match="not a UTF-8 text file"):
        read_lorr(problem)
    problem.write_bytes(b'{"mapFile": "\xff"}')
    with pytest.raises(LorrFormatError, match="not a UTF-8 text file"):
        read_lorr(problem)


def test_lorr_json_problems(tmp_path: Path) -> None:
    """A problem file that is not JSON, or misses a file name, is refused."""
    bad = tmp_path / "p.json"
    bad.write_text("{nope")
    with pytest.raises(LorrFormatError, match="not JSON"):
        read_lorr(bad)
    bad.write_text(json.dumps({"mapFile": "m.map", "teamSize": 0}))
    with pytest.raises(LorrFormatError, match="agentFile: missing") as info:
        read_lorr(bad)
    assert any("teamSize" in p for p in info.value.problems)
    bad.write_text(json.dumps({"mapFile": "none.map", "agentFile": "a", "taskFile": "t"}))
    with pytest.raises(LorrFormatError, match="cannot read"):
        read_lorr(bad)
