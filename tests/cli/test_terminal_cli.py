"""`silkhub terminal run|check` as a user runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from silkhub.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def lorr_small_json() -> Path:
    """warehouse_small_200.json from shared/benchmarks beside the repository (CI has it)."""
    override = os.environ.get("SILKHUB_BENCHMARKS")
    folder = (
        Path(override)
        if override
        else Path(__file__).resolve().parents[3] / "shared" / "benchmarks"
    )
    path = folder / "lorr" / "warehouse_small_200.json"
    if not path.is_file():
        pytest.fail(f"benchmark instance not found: {path} (shared/benchmarks beside the repo)")
    return path


def test_run_prints_the_metrics_table() -> None:
    """By default a Rich table with tasks, utilisation, occupancy and conflicts."""
    result = runner.invoke(app, ["terminal", "run", "--steps", "300"])
    assert result.exit_code == 0, result.output
    for label in ("tasks completed", "tasks per hour", "AGV utilisation", "mean task time"):
        assert label in result.output
    assert "peak occupancy" in result.output
    line = next(x for x in result.output.splitlines() if "conflicts (independent checker)" in x)
    assert line.strip("│ ").endswith("0")


def test_run_json_is_one_object() -> None:
    """--json prints one JSON object with the documented keys and zero conflicts."""
    result = runner.invoke(app, ["terminal", "run", "--hours", "0.1", "--json", "--seed", "3"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["mode"] == "terminal"
    assert metrics["agents"] == 60
    assert metrics["steps"] == 180
    assert metrics["conflicts"] == 0
    assert {"tasks_completed", "tasks_per_hour", "agv_utilisation", "peak_occupancy"} <= set(
        metrics
    )


def test_plan_out_and_heatmap_then_check(tmp_path: Path) -> None:
    """The written plan passes `terminal check`; the heatmap is a PNG."""
    plan, png = tmp_path / "plan.json", tmp_path / "occupancy.png"
    result = runner.invoke(
        app,
        [
            "terminal",
            "run",
            "--steps",
            "120",
            "--agents",
            "20",
            "--plan-out",
            str(plan),
            "--heatmap",
            str(png),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(plan.read_text())
    assert doc["agents"] == 20
    assert len(doc["steps"]) == 121
    assert png.read_bytes().startswith(b"\x89PNG")
    checked = runner.invoke(app, ["terminal", "check", str(plan)])
    assert checked.exit_code == 0, checked.output
    assert "valid: 20 agents, 120 steps" in checked.output


def test_check_finds_a_planted_swap(tmp_path: Path) -> None:
    """A hand-edited plan with two AGVs swapping cells fails the check with exit code 1."""
    plan = tmp_path / "plan.json"
    runner.invoke(
        app, ["terminal", "run", "--steps", "2", "--agents", "2", "--plan-out", str(plan)]
    )
    doc = json.loads(plan.read_text())
    doc["steps"] = [[[1, 9], [1, 10]], [[1, 10], [1, 9]]]
    plan.write_text(json.dumps(doc))
    result = runner.invoke(app, ["terminal", "check", str(plan), "--json"])
    assert result.exit_code == 1
    verdict = json.loads(result.stdout)
    assert verdict["conflicts_by_kind"]["swap"] == 1


def test_lorr_run(lorr_small_json: Path, tmp_path: Path) -> None:
    """--lorr runs the first N agents in file order and reports errands per step."""
    plan = tmp_path / "lorr.json"
    result = runner.invoke(
        app,
        [
            "terminal",
            "run",
            "--lorr",
            str(lorr_small_json),
            "--agents",
            "60",
            "--steps",
            "200",
            "--json",
            "--plan-out",
            str(plan),
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert (metrics["mode"], metrics["agents"], metrics["steps"]) == ("lorr", 60, 200)
    assert metrics["conflicts"] == 0
    assert metrics["errands_done"] > 0
    map_file = lorr_small_json.parent / "maps" / "warehouse_small.map"
    checked = runner.invoke(app, ["terminal", "check", str(plan), "--map", str(map_file)])
    assert checked.exit_code == 0, checked.output


def test_lorr_baseline_table(lorr_small_json: Path) -> None:
    """--planner reservation runs the A* baseline and prints a table."""
    result = runner.invoke(
        app,
        [
            "terminal",
            "run",
            "--lorr",
            str(lorr_small_json),
            "--agents",
            "10",
            "--steps",
            "30",
            "--planner",
            "reservation",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "errands per step" in result.output
    assert "reservation" in result.output


def test_run_on_a_plain_map(lorr_small_json: Path) -> None:
    """--map with a MovingAI map builds a terminal from it (lanes west, build-up east)."""
    map_file = lorr_small_json.parent / "maps" / "warehouse_small.map"
    result = runner.invoke(
        app,
        ["terminal", "run", "--map", str(map_file), "--agents", "30", "--steps", "100", "--json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["layout"] == "warehouse_small"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hours", "1", "--steps", "10"], "--hours and --steps"),
        (["--map", "nowhere.map"], "--map nowhere.map: no such file"),
        (["--map", "."], "--map .: is a folder, not a file"),
        (["--agents", "0"], "--agents: must be at least 1"),
        (["--agents", "61", "--steps", "5"], "--agents: the layout has 60 AGV homes"),
        (["--hours", "-2"], "--hours: must be a positive number"),
        (["--steps", "0"], "--steps: must be between 1"),
        (["--steps", "ten"], "Invalid value for '--steps'"),
        (["--planner", "magic"], "--planner: must be pibt or reservation"),
        (["--seed", "-1", "--steps", "5"], "--seed: must be a whole number 0"),
        (["--hours", "200"], "--hours: must be at most 168"),
        (["--hours", "1e308"], "--hours: must be at most 168"),
        (["--steps", "5", "--plan-out", "."], "--plan-out .: is a folder"),
        (["--steps", "5", "--heatmap", "/nonexistent/x.png"], "no such folder /nonexistent"),
        (["--seed", "-1", "--map", "nowhere.map"], "--seed: must be a whole number 0"),
        (["--planner", "reservation", "--steps", "5"], "only with --lorr"),
        (["--lorr", "nowhere.json"], "--lorr nowhere.json: no such file"),
        (["--lorr", "."], "--lorr .: is a folder, not a file"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str) -> None:
    """Bad options are refused with a message naming the option and exit code 2."""
    result = runner.invoke(app, ["terminal", "run", *args])
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--hours", "1"], "LoRR instances count steps"),
        (["--map", "x.map"], "--map and --lorr"),
        (["--agents", "500"], "has 200 agents"),
        (["--heatmap", "x.png"], "--heatmap"),
    ],
)
def test_bad_lorr_combinations_exit_2(
    lorr_small_json: Path, extra: list[str], message: str
) -> None:
    """Options that make no sense with --lorr are refused."""
    result = runner.invoke(app, ["terminal", "run", "--lorr", str(lorr_small_json), *extra])
    assert result.exit_code == 2
    assert message in result.output


def test_bad_map_lists_problems(tmp_path: Path) -> None:
    """A malformed map prints its problems and exits 2."""
    bad = tmp_path / "bad.map"
    bad.write_text("type octile\nheight 2\nwidth 2\nmap\n.x\n..\n")
    result = runner.invoke(app, ["terminal", "run", "--map", str(bad)])
    assert result.exit_code == 2
    assert "unknown cell character 'x'" in result.output


def test_check_says_a_folder_is_a_folder(tmp_path: Path) -> None:
    """A folder given as PLAN or --map is named a folder, not a missing file (exit 2)."""
    result = runner.invoke(app, ["terminal", "check", str(tmp_path)])
    assert result.exit_code == 2
    assert f"PLAN {tmp_path}: is a folder, not a file" in " ".join(result.output.split())
    assert "no such file" not in result.output
    plan = tmp_path / "plan.json"
    plan.write_text("{}")
    result = runner.invoke(app, ["terminal", "check", str(plan), "--map", str(tmp_path)])
    assert result.exit_code == 2
    assert f"--map {tmp_path}: is a folder, not a file" in " ".join(result.output.split())


def test_check_bad_inputs(tmp_path: Path) -> None:
    """Missing or malformed plans, and plans for another map, exit 2."""
    assert runner.invoke(app, ["terminal", "check", str(tmp_path / "none.json")]).exit_code == 2
    plan = tmp_path / "plan.json"
    plan.write_text("{")
    result = runner.invoke(app, ["terminal", "check", str(plan)])
    assert result.exit_code == 2
    assert "not JSON" in result.output
    plan.write_text(
        json.dumps(
            {"format": "silkhub-plan/1", "height": 3, "width": 3, "agents": 1, "map": "tiny",
             "steps": [[[0, 0]]]}
        )
    )  # fmt: skip
    result = runner.invoke(app, ["terminal", "check", str(plan)])
    assert result.exit_code == 2
    # no --map was given: the message says what was used instead, not "--map is ..."
    assert "made for a 3×3 map, the default north cargo area is 24×66" in result.output
    assert "pass --map FILE with the plan's map ('tiny')" in result.output


def test_check_with_a_layout_or_map_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    """A binary layout JSON, or a layout naming a binary map, is bad input, not a traceback."""
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {"format": "silkhub-plan/1", "height": 3, "width": 3, "agents": 1, "steps": [[[0, 0]]]}
        )
    )
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe{}")
    (tmp_path / "binary.map").write_bytes(b"\xff\xfetype octile\n")
    naming = tmp_path / "layout.json"
    naming.write_text(json.dumps({"map": "binary.map"}))
    for layout, reason in (
        (binary, "not a UTF-8 text file"),
        (naming, "binary.map is not a UTF-8"),
    ):
        result = runner.invoke(app, ["terminal", "check", str(plan), "--map", str(layout)])
        assert result.exit_code == 2, result.output
        assert f"--map {layout}" in result.output
        assert reason in result.output
