"""The live floor: a piece from the door to a shelf and on to build-up, charging, the driver."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from silkhub.terminal import (
    EventKind,
    FleetSettings,
    InMemoryFleetDriver,
    JsonLinesFleetDriver,
    ManualClock,
    Piece,
    PieceStatus,
    SlottingRules,
    TaskKind,
    TerminalDeparture,
    TerminalFloor,
    TerminalLayout,
)

START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def _floor(
    layout: TerminalLayout, agents: int = 4, **kw: object
) -> tuple[TerminalFloor, ManualClock]:
    clock = ManualClock(START)
    floor = TerminalFloor(layout, agents=agents, clock=clock, seed=1, **kw)  # type: ignore[arg-type]
    return floor, clock


def _run(floor: TerminalFloor, clock: ManualClock, steps: int) -> None:
    for _ in range(steps):
        floor.tick()
        clock.advance(floor.layout.step_seconds)


def _piece(pid: str = "P1", kg: float = 20.0, dep: str = "D1") -> Piece:
    return Piece(pid, "880-00000001", kg, 0.1, dep)


def test_discrepancy_holds_the_piece_and_raises_an_event(north_cargo_area: TerminalLayout) -> None:
    """A piece 20 % over its declared weight is held: an event, no task, no slot."""
    floor, _ = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=6), "BU-1"))
    result = floor.induct(_piece(kg=20.0), 24.0, "IND-1")
    assert not result.accepted
    assert floor.piece_status("P1") is PieceStatus.HELD
    assert floor.events[-1].kind is EventKind.PIECE_HELD
    assert "exceeds" in floor.events[-1].detail
    assert floor.open_tasks() == []
    assert floor.board.occupied == 0


def test_clean_piece_is_stored_then_built_up(north_cargo_area: TerminalLayout) -> None:
    """Induction → storage task → shelf → retrieval before cut-off → build-up station."""
    rules = SlottingRules(retrieval_lead_s=1800)
    floor, clock = _floor(north_cargo_area, rules=rules)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=1), "BU-3"))
    assert floor.induct(_piece(), 20.4, "IND-2").accepted
    (task,) = floor.open_tasks()
    assert task.kind is TaskKind.STORE
    assert task.errands[0] == north_cargo_area.station("IND-2").cell
    assert floor.board.occupied == 1
    _run(floor, clock, 400)
    assert floor.piece_status("P1") is PieceStatus.STORED
    assert floor.board.stored == 1
    _run(floor, clock, 1100)  # past cut-off − 30 min: retrieval released and done
    assert floor.piece_status("P1") is PieceStatus.BUILT_UP
    assert floor.board.occupied == 0
    kinds = [e.kind for e in floor.events]
    assert kinds.index(EventKind.RETRIEVAL_STARTED) < kinds.index(EventKind.PIECE_BUILT_UP)
    assert floor.counters.tasks_done[TaskKind.RETRIEVE] == 1
    built = next(e for e in floor.events if e.kind is EventKind.PIECE_BUILT_UP)
    assert "D1 at BU-3" in built.detail


def test_piece_after_retrieval_started_goes_straight_to_build_up(
    north_cargo_area: TerminalLayout,
) -> None:
    """Once a departure's retrieval runs, new cargo for it skips the shelves."""
    floor, clock = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(minutes=30), "BU-1"))
    _run(floor, clock, 1)
    floor.induct(_piece(), 20.0, "IND-1")
    (task,) = floor.open_tasks()
    assert task.kind is TaskKind.BUILD_UP
    assert task.errands[-1] in north_cargo_area.station("BU-1").cells
    _run(floor, clock, 300)
    assert floor.piece_status("P1") is PieceStatus.BUILT_UP


def test_late_and_unknown_departures_are_refused(north_cargo_area: TerminalLayout) -> None:
    """Cargo for a closed or unknown departure is refused with an event saying why."""
    floor, clock = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(seconds=2), "BU-1"))
    _run(floor, clock, 2)
    floor.induct(_piece("P1"), 20.0, "IND-1")
    floor.induct(_piece("P2", dep="D9"), 20.0, "IND-1")
    refused = [e for e in floor.events if e.kind is EventKind.PIECE_REFUSED]
    assert [e.detail for e in refused] == ["D1: cut-off passed", "D9: unknown departure"]
    assert floor.piece_status("P2") is PieceStatus.REFUSED
    cutoff = next(e for e in floor.events if e.kind is EventKind.CUTOFF_PASSED)
    assert cutoff.subject == "D1"


def test_a_cut_off_passed_since_the_last_tick_refuses_the_piece(
    north_cargo_area: TerminalLayout,
) -> None:
    """A departure whose cut-off is already past is refused, even before a tick closes it."""
    floor, _ = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START - timedelta(minutes=5), "BU-1"))
    result = floor.induct(_piece(), 20.0, "IND-1")
    assert floor.piece_status("P1") is PieceStatus.REFUSED
    assert floor.events[-1].detail == "D1: cut-off passed"
    assert result.accepted  # the weight was fine: refused for lateness, not held
    assert floor.open_tasks() == []


def test_a_piece_no_shelf_level_takes_is_held_at_the_door(
    north_cargo_area: TerminalLayout,
) -> None:
    """Heavier or bulkier than every level: held with the reason, instead of waiting for ever."""
    heaviest = max(level.max_kg for level in north_cargo_area.levels)
    floor, _ = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=6), "BU-1"))
    result = floor.induct(_piece(kg=heaviest * 2), heaviest * 2, "IND-1")
    assert not result.accepted
    assert floor.piece_status("P1") is PieceStatus.HELD
    assert "fits no shelf level" in floor.events[-1].detail
    bulky = Piece("P2", "880-00000002", 10.0, 1e6, "D1")
    assert not floor.induct(bulky, 10.0, "IND-1").accepted
    assert floor.open_tasks() == []


def test_slotting_respects_the_weighed_mass(north_cargo_area: TerminalLayout) -> None:
    """A level's weight limit holds for what the scale said, not for the declared weight.

    A piece declared at the lowest limit but weighed 4 % heavier (within tolerance) must go
    to a level that takes the weighed mass.
    """
    limits = sorted(level.max_kg for level in north_cargo_area.levels)
    floor, _ = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=6), "BU-1"))
    declared = limits[0]
    measured = declared * 1.04  # inside the 5 % tolerance
    assert floor.induct(_piece(kg=declared), measured, "IND-1").accepted
    (task,) = floor.open_tasks()
    assert task.slot is not None
    level = next(lv for lv in north_cargo_area.levels if lv.level == task.slot.level)
    assert level.max_kg >= measured


def test_the_door_checks_the_weighed_mass_too(north_cargo_area: TerminalLayout) -> None:
    """Declared a little over the heaviest level, weighed at it (within tolerance): accepted."""
    heaviest = max(level.max_kg for level in north_cargo_area.levels)
    floor, _ = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=6), "BU-1"))
    assert floor.induct(_piece(kg=heaviest + 0.4), heaviest, "IND-1").accepted
    assert floor.piece_status("P1") is not PieceStatus.HELD


def test_a_cut_off_out_of_range_in_utc_is_a_value_error() -> None:
    """Year 1 at +05:00 has no UTC date: a ValueError naming the departure, not an overflow."""
    far = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
    with pytest.raises(ValueError, match=r"D1: cutoff .* is out of range"):
        TerminalDeparture("D1", far, "BU-1")


def test_stock_refuses_a_piece_twice_and_a_departure_already_retrieved(
    north_cargo_area: TerminalLayout,
) -> None:
    """Stock is cargo already on the shelves: a piece stocked twice would hold two slots.

    So would one stocked for a departure whose retrieval has begun (it gets no retrieval).
    """
    floor, clock = _floor(north_cargo_area)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=6), "BU-1"))
    floor.add_departure(TerminalDeparture("D2", START + timedelta(minutes=30), "BU-2"))
    assert floor.stock(_piece("P1")) is not None
    with pytest.raises(ValueError, match="already on the floor"):
        floor.stock(_piece("P1"))
    assert floor.board.occupied == 1
    _run(floor, clock, 1)  # D2's retrieval starts (cut-off within the lead time)
    with pytest.raises(ValueError, match="already being retrieved or closed"):
        floor.stock(_piece("P2", dep="D2"))


def _induct(floor: TerminalFloor, n: int) -> bool:
    return floor.induct(_piece(f"P{n}"), 20.0, f"IND-{1 + n % 2}").accepted


def _stock(floor: TerminalFloor, n: int) -> bool:
    return floor.stock(_piece(f"P{n}")) is not None


@pytest.mark.parametrize("place", [_induct, _stock], ids=["induction", "initial stock"])
def test_a_zone_alert_is_raised_by_the_piece_that_fills_the_zone(
    north_cargo_area: TerminalLayout, place: Callable[[TerminalFloor, int], bool]
) -> None:
    """The induction or the initial stock that fills a zone raises its alert, before any tick."""
    floor, _ = _floor(north_cargo_area, alert_threshold=0.01)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=6), "BU-1"))
    n = 0
    while not any(e.kind is EventKind.ZONE_ALERT for e in floor.events):
        n += 1
        assert place(floor, n)
        assert n < 1000
    assert floor.step_index == 0  # no tick ran


def test_low_battery_agv_charges_in_an_alcove(north_cargo_area: TerminalLayout) -> None:
    """An idle AGV below the threshold drives to a charger and leaves it charged."""
    fleet = FleetSettings(charge_hours=0.05)
    floor, clock = _floor(north_cargo_area, agents=2, fleet=fleet, battery=np.array([0.1, 1.0]))
    _run(floor, clock, 5)
    (task,) = floor.active_tasks()
    assert task.kind is TaskKind.CHARGE
    assert task.agent == 0
    _run(floor, clock, 400)
    assert floor.battery[0] >= fleet.charge_until - 0.01
    assert floor.counters.tasks_done[TaskKind.CHARGE] == 1
    assert floor.agvs()[0].task_id is None


def test_driver_receives_each_step_as_json_lines(north_cargo_area: TerminalLayout) -> None:
    """The JSON-lines driver writes one line per step with every AGV's target cell."""
    stream = io.StringIO()
    floor, clock = _floor(north_cargo_area, agents=3, driver=JsonLinesFleetDriver(stream))
    _run(floor, clock, 3)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["step"] for line in lines] == [0, 1, 2]
    assert len(lines[0]["cells"]) == 3


class _FrozenDriver:
    """A fleet that never moves (a stopped floor): the planner must take its word."""

    def execute(self, step: int, targets: np.ndarray) -> np.ndarray:
        return self.where.copy()

    def __init__(self, where: np.ndarray) -> None:
        self.where = where


def test_reported_positions_win_over_planned_ones(north_cargo_area: TerminalLayout) -> None:
    """When the fleet reports other cells than planned, the floor and planner follow it."""
    homes = np.array(north_cargo_area.homes[:2])
    floor, clock = _floor(north_cargo_area, agents=2, driver=_FrozenDriver(homes))
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=5), "BU-1"))
    floor.induct(_piece(), 20.0, "IND-1")
    _run(floor, clock, 5)
    assert np.array_equal(floor.positions, homes)
    assert np.array_equal(floor.planner.positions, homes)


def test_views_and_checks(north_cargo_area: TerminalLayout) -> None:
    """AGV views carry cell, row, col and battery; bad departures and fleets are refused."""
    floor, _ = _floor(north_cargo_area, agents=2)
    first = floor.agvs()[0]
    assert (first.row, first.col) == divmod(first.cell, north_cargo_area.grid.width)
    assert first.battery == 1.0
    assert first.task_kind is None
    with pytest.raises(ValueError, match="unknown station"):
        floor.add_departure(TerminalDeparture("D1", START, "BU-42"))
    floor.add_departure(TerminalDeparture("D1", START, "BU-1"))
    with pytest.raises(ValueError, match="already added"):
        floor.add_departure(TerminalDeparture("D1", START, "BU-1"))
    with pytest.raises(ValueError, match="timezone-aware"):
        TerminalDeparture("D2", datetime(2025, 3, 3), "BU-1")
    with pytest.raises(ValueError, match="agents must be between"):
        TerminalFloor(north_cargo_area, agents=61)
    with pytest.raises(ValueError, match="charge_below"):
        FleetSettings(charge_below=0.9, charge_until=0.5)
    assert isinstance(floor.driver, InMemoryFleetDriver)


def test_manual_clock_only_goes_forward() -> None:
    """A manual clock needs an aware start and never goes back."""
    clock = ManualClock(START)
    clock.advance(60)
    assert clock.now() == START + timedelta(minutes=1)
    with pytest.raises(ValueError, match="does not go back"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2025, 1, 1))


def test_the_wait_counters_cover_the_cargo_tasks_started(north_cargo_area: TerminalLayout) -> None:
    """mean_wait_s divides the waits of the tasks started by their number, not by those done.

    With one AGV and three pieces, stopped once the second task has started: the mean is
    over two waits (the run had divided by the one task done, charges counted too).
    """
    floor, clock = _floor(north_cargo_area, agents=1)
    floor.add_departure(TerminalDeparture("D1", START + timedelta(hours=6), "BU-1"))
    for n in range(3):
        assert floor.induct(_piece(f"P{n}"), 20.0, "IND-1").accepted
    waits: dict[int, float] = {}
    while len(waits) < 2:
        floor.tick()
        clock.advance(north_cargo_area.step_seconds)
        for task in floor.tasks.values():
            if task.assigned_step is not None and task.task_id not in waits:
                waits[task.task_id] = (
                    task.assigned_step - task.created_step
                ) * north_cargo_area.step_seconds
    assert floor.counters.tasks_done[TaskKind.STORE] == 1
    assert floor.counters.cargo_tasks_started == 2
    assert floor.counters.wait_seconds == pytest.approx(sum(waits.values()))
    assert max(waits.values()) > 0


def test_a_slot_freed_between_ticks_goes_to_the_piece_already_waiting(
    north_cargo_area: TerminalLayout,
) -> None:
    """On a full floor, W waits; the first slot freed goes to W, not to N inducted after it.

    Waiting pieces were retried only at the next tick, so a piece inducted in between took
    the slot and W kept waiting (it could miss its cut-off while later cargo was stored).
    """
    floor, clock = _floor(north_cargo_area, agents=60)
    floor.add_departure(TerminalDeparture("SOON", START + timedelta(hours=2, minutes=10), "BU-1"))
    floor.add_departure(TerminalDeparture("FAR", START + timedelta(hours=20), "BU-2"))
    floor.stock(_piece("S0", kg=10.0, dep="SOON"))
    n = 0
    while floor.stock(_piece(f"F{n}", kg=10.0, dep="FAR")) is not None:
        n += 1
    assert floor.board.occupied == floor.board.slots
    assert floor.induct(_piece("W", kg=10.0, dep="FAR"), 10.0, "IND-1").accepted
    assert floor.piece_status("W") is PieceStatus.WAITING
    releases = floor.board.releases
    while floor.board.releases == releases:
        floor.tick()
        clock.advance(north_cargo_area.step_seconds)
    assert floor.induct(_piece("N", kg=10.0, dep="FAR"), 10.0, "IND-2").accepted
    assert floor.piece_status("W") is PieceStatus.TO_SHELF
    assert floor.piece_status("N") is PieceStatus.WAITING
