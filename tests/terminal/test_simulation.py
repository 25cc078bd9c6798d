"""Offline runs: a simulated terminal day and League of Robot Runners instances."""

from __future__ import annotations

from datetime import datetime

import pytest

from silkhub.terminal import (
    FleetSettings,
    LorrInstance,
    TerminalLayout,
    TerminalScenario,
    default_layout,
    run_lorr,
    simulate,
)

TIMING_KEYS = {"plan_ms_per_step_mean", "plan_ms_per_step_max"}

METRIC_KEYS = {
    "mode",
    "layout",
    "agents",
    "steps",
    "step_seconds",
    "hours",
    "seed",
    "tasks_completed",
    "tasks_by_kind",
    "tasks_per_hour",
    "agv_utilisation",
    "mean_task_time_s",
    "mean_wait_s",
    "pieces_inducted",
    "pieces_held",
    "pieces_refused",
    "pieces_built_up",
    "pieces_built_up_late",
    "pieces_missed_cutoff",
    "slots",
    "peak_occupancy",
    "peak_occupied_slots",
    "final_occupancy",
    "occupancy_by_zone",
    "zone_alerts",
    "plan_ms_per_step_mean",
    "plan_ms_per_step_max",
    "conflicts",
    "conflicts_by_kind",
}


@pytest.fixture(scope="module")
def half_hour(north_cargo_area: TerminalLayout) -> dict:
    """Half an hour of the north cargo area with the default traffic, seed 7."""
    return simulate(north_cargo_area, steps=900, seed=7).metrics()


def test_simulated_floor_moves_cargo_without_conflicts(half_hour: dict) -> None:
    """Tasks of every cargo kind get done, occupancy is reported and no AGVs collide."""
    m = half_hour
    assert set(m) == METRIC_KEYS
    assert m["conflicts"] == 0
    assert m["tasks_by_kind"]["store"] > 0
    assert m["tasks_by_kind"]["retrieve"] > 0
    assert m["tasks_completed"] == sum(v for k, v in m["tasks_by_kind"].items() if k != "charge")
    assert m["tasks_per_hour"] == pytest.approx(m["tasks_completed"] / m["hours"], rel=1e-3)
    assert 0 < m["agv_utilisation"] <= 1
    assert 0 < m["peak_occupancy"] <= 1
    assert m["pieces_held"] > 0  # about 2 % of pieces are mis-declared
    assert m["hours"] == 0.5


def test_simulation_is_deterministic_for_a_seed(
    north_cargo_area: TerminalLayout, half_hour: dict
) -> None:
    """The same seed gives the same run (timings aside)."""
    again = simulate(north_cargo_area, steps=900, seed=7).metrics()
    strip = lambda m: {k: v for k, v in m.items() if k not in TIMING_KEYS}  # noqa: E731
    assert strip(again) == strip(half_hour)


def test_smaller_fleet_and_scenario_checks(north_cargo_area: TerminalLayout) -> None:
    """A fleet of 10 works; nonsense scenarios and fleets are refused."""
    run = simulate(north_cargo_area, TerminalScenario(pieces_per_hour=60), steps=200, agents=10)
    assert run.agents == 10
    assert run.check.ok
    assert run.positions.shape == (201, 10)
    with pytest.raises(ValueError, match="agents must be between"):
        simulate(north_cargo_area, steps=10, agents=0)
    with pytest.raises(ValueError, match="steps must be at least 1"):
        simulate(north_cargo_area, steps=0)
    with pytest.raises(ValueError, match="pieces_per_hour"):
        TerminalScenario(pieces_per_hour=0)
    with pytest.raises(ValueError, match="timezone-aware"):
        TerminalScenario(start=datetime(2025, 3, 3))


def test_lorr_small_with_60_agents(lorr_small: LorrInstance) -> None:
    """60 agents on warehouse_small serve errands in file order without a conflict."""
    run = run_lorr(lorr_small, agents=60, steps=300)
    assert run.check is not None
    assert run.check.ok
    assert run.errands_done > 100
    assert run.tasks_done == run.errands_done  # one-errand tasks
    assert run.positions[0].tolist() == lorr_small.starts[:60].tolist()
    m = run.metrics()
    assert m["errands_per_step"] == pytest.approx(run.errands_done / 300, abs=1e-4)


def test_lorr_baseline_is_conflict_free(lorr_small: LorrInstance) -> None:
    """The space-time A* baseline runs the same instance without conflicts."""
    run = run_lorr(lorr_small, agents=30, steps=150, planner="reservation")
    assert run.check is not None
    assert run.check.ok
    assert run.errands_done > 0
    assert run.planner == "reservation"


def test_lorr_argument_checks(lorr_small: LorrInstance) -> None:
    """Fleet size, steps and planner are checked."""
    with pytest.raises(ValueError, match="agents must be between 1 and 200"):
        run_lorr(lorr_small, agents=201, steps=10)
    with pytest.raises(ValueError, match="steps"):
        run_lorr(lorr_small, agents=2, steps=0)
    with pytest.raises(ValueError, match="unknown planner"):
        run_lorr(lorr_small, agents=2, steps=1, planner="magic")  # type: ignore[arg-type]


def test_a_charger_is_handed_on_only_after_its_user_left() -> None:
    """Short batteries make AGVs charge often; none may be sent into an occupied alcove.

    With seed 2 AGV 9 finished charging at CHG-6 at step 3659, and AGV 1, waiting at the
    alcove's mouth, was sent in at once: each blocked the other for the rest of the run.
    """
    run = simulate(
        default_layout(),
        TerminalScenario(battery_low=0.0),
        steps=4200,
        seed=2,
        fleet=FleetSettings(drive_hours=0.5, charge_hours=0.2),
    )
    moves = run.positions[3700:] != run.positions[3699:-1]
    assert moves[:, 1].any()
    assert moves[:, 9].any()
