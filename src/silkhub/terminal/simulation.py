"""Runs of the floor: a terminal day in simulation, and League of Robot Runners instances.

``simulate(layout, scenario, steps=..., seed=...)`` drives a ``TerminalFloor`` with a stream
of pieces (Poisson arrivals at the induction lanes, booked on the next departures, a few with
a wrong declared weight) against a schedule of departures, and returns a ``TerminalRun``:
tasks done, tasks per hour, AGV utilisation, task times, peak occupancy, and the independent
checker's verdict on the recorded plan. ``run_lorr(instance, agents=..., steps=...)`` runs
the first N agents of a competition instance, each taking the next task in file order when it
finishes one, with PIBT or the reservation-table baseline.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from silkhub.terminal.checker import PlanCheck, check_plan
from silkhub.terminal.devices import ManualClock
from silkhub.terminal.floor import FleetSettings, TerminalDeparture, TerminalEvent, TerminalFloor
from silkhub.terminal.induction import Piece, WeightTolerance
from silkhub.terminal.layout import TerminalLayout
from silkhub.terminal.lorr import LorrInstance
from silkhub.terminal.occupancy import Heatmap
from silkhub.terminal.planner import FleetPlanner, PlannerConfig
from silkhub.terminal.reservation import ReservationPlanner
from silkhub.terminal.slotting import SlottingRules
from silkhub.terminal.tasks import TaskKind

__all__ = [
    "LorrRun",
    "TerminalRun",
    "TerminalScenario",
    "run_lorr",
    "simulate",
    "to_row_col",
]

log = logging.getLogger("silkhub.terminal")

#: Destinations of the departures in the default scenario (DOMAIN.md: routes from CGO).
DESTINATIONS = ("MAD", "OSL", "LGG", "DAC", "EMA", "KGF", "BUD", "IST", "FRA", "CDG")


@dataclass(frozen=True, slots=True)
class TerminalScenario:
    """The traffic a simulated floor sees (assumptions in docs/terminal.md).

    Pieces arrive at ``pieces_per_hour`` (Poisson), each booked on one of the next
    ``booking_window`` departures whose cut-off is at least ``min_booking_lead_h`` away.
    A departure closes every ``departure_every_h`` hours, the first ``first_cutoff_h`` after
    ``start``. Weights are log-normal around ``median_kg`` with density ``kg_per_m3``;
    ``declared_noise`` is the typical honest difference between waybill and scale, and a
    share ``misdeclared_share`` of pieces is declared 8–30 % off. ``initial_fill`` of the
    slots hold stock for the upcoming departures at the start.
    """

    start: datetime = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
    pieces_per_hour: float = 300.0
    departure_every_h: float = 2.0
    first_cutoff_h: float = 1.5
    booking_window: int = 3
    min_booking_lead_h: float = 0.5
    median_kg: float = 18.0
    kg_per_m3: float = 160.0
    declared_noise: float = 0.01
    misdeclared_share: float = 0.02
    initial_fill: float = 0.35
    battery_low: float = 0.3

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise ValueError("start must be timezone-aware")
        positive = ("pieces_per_hour", "departure_every_h", "median_kg", "kg_per_m3")
        for name in positive:
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be positive, got {value}")
        if self.first_cutoff_h < 0 or self.min_booking_lead_h < 0:
            raise ValueError("first_cutoff_h and min_booking_lead_h must be 0 or more")
        if self.booking_window < 1:
            raise ValueError(f"booking_window must be at least 1, got {self.booking_window}")
        for name in ("declared_noise", "misdeclared_share", "initial_fill", "battery_low"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be in [0, 1], got {value}")


@dataclass(frozen=True, slots=True)
class TerminalRun:
    """What a simulated run achieved (keys of ``metrics()`` are documented in docs/terminal.md)."""

    layout: str
    agents: int
    steps: int
    step_seconds: float
    seed: int
    tasks_done: dict[str, int]
    mean_task_s: float
    mean_wait_s: float
    utilisation: float
    pieces_inducted: int
    pieces_held: int
    pieces_refused: int
    pieces_built_up: int
    pieces_built_up_late: int
    pieces_missed_cutoff: int
    peak_occupancy: float
    peak_occupied_slots: int
    final_occupancy: float
    slots: int
    zone_alerts: int
    plan_ms_mean: float
    plan_ms_max: float
    check: PlanCheck
    positions: NDArray[np.int64] = field(repr=False)
    heatmap: Heatmap = field(repr=False)
    events: tuple[TerminalEvent, ...] = field(repr=False, default=())
    occupancy_by_zone: dict[str, float] = field(default_factory=dict)

    @property
    def hours(self) -> float:
        """Simulated hours."""
        return self.steps * self.step_seconds / 3600.0

    @property
    def tasks_completed(self) -> int:
        """Store, retrieve and build-up tasks done (charging excluded)."""
        return sum(v for k, v in self.tasks_done.items() if k != TaskKind.CHARGE)

    def metrics(self) -> dict[str, Any]:
        """The headline figures as one JSON-ready dict."""
        return {
            "mode": "terminal",
            "layout": self.layout,
            "agents": self.agents,
            "steps": self.steps,
            "step_seconds": self.step_seconds,
            "hours": round(self.hours, 4),
            "seed": self.seed,
            "tasks_completed": self.tasks_completed,
            "tasks_by_kind": {str(k): v for k, v in self.tasks_done.items()},
            "tasks_per_hour": round(self.tasks_completed / self.hours, 2) if self.hours else 0.0,
            "agv_utilisation": round(self.utilisation, 4),
            "mean_task_time_s": round(self.mean_task_s, 1),
            "mean_wait_s": round(self.mean_wait_s, 1),
            "pieces_inducted": self.pieces_inducted,
            "pieces_held": self.pieces_held,
            "pieces_refused": self.pieces_refused,
            "pieces_built_up": self.pieces_built_up,
            "pieces_built_up_late": self.pieces_built_up_late,
            "pieces_missed_cutoff": self.pieces_missed_cutoff,
            "slots": self.slots,
            "peak_occupancy": round(self.peak_occupancy, 4),
            "peak_occupied_slots": self.peak_occupied_slots,
            "final_occupancy": round(self.final_occupancy, 4),
            "occupancy_by_zone": {k: round(v, 4) for k, v in self.occupancy_by_zone.items()},
            "zone_alerts": self.zone_alerts,
            "plan_ms_per_step_mean": round(self.plan_ms_mean, 4),
            "plan_ms_per_step_max": round(self.plan_ms_max, 4),
            "conflicts": self.check.total,
            "conflicts_by_kind": dict(self.check.counts),
        }


@dataclass(frozen=True, slots=True)
class LorrRun:
    """What a League of Robot Runners run achieved."""

    instance: str
    planner: str
    agents: int
    steps: int
    errands_done: int
    tasks_done: int
    plan_ms_mean: float
    plan_ms_p95: float
    plan_ms_max: float
    wall_seconds: float
    check: PlanCheck | None
    positions: NDArray[np.int64] = field(repr=False)
    errands_by_step: NDArray[np.int64] = field(repr=False)
    tasks_ran_out_at: int | None = None

    def errands_within(self, steps: int) -> int:
        """Errands done in the first ``steps`` steps (to compare runs of different lengths)."""
        return int(self.errands_by_step[min(steps, self.steps) - 1]) if steps > 0 else 0

    @property
    def errands_per_step(self) -> float:
        """Throughput: errands done per step."""
        return self.errands_done / self.steps if self.steps else 0.0

    @property
    def tasks_per_step(self) -> float:
        """Tasks (all their errands) done per step."""
        return self.tasks_done / self.steps if self.steps else 0.0

    def metrics(self) -> dict[str, Any]:
        """The headline figures as one JSON-ready dict."""
        return {
            "mode": "lorr",
            "instance": self.instance,
            "planner": self.planner,
            "agents": self.agents,
            "steps": self.steps,
            "errands_done": self.errands_done,
            "tasks_done": self.tasks_done,
            "errands_per_step": round(self.errands_per_step, 4),
            "tasks_per_step": round(self.tasks_per_step, 4),
            "plan_ms_per_step_mean": round(self.plan_ms_mean, 4),
            "plan_ms_per_step_p95": round(self.plan_ms_p95, 4),
            "plan_ms_per_step_max": round(self.plan_ms_max, 4),
            "wall_seconds": round(self.wall_seconds, 3),
            "conflicts": None if self.check is None else self.check.total,
            "conflicts_by_kind": None if self.check is None else dict(self.check.counts),
            "tasks_ran_out_at": self.tasks_ran_out_at,
        }


def to_row_col(cells: NDArray[np.int64], width: int) -> NDArray[np.int64]:
    """Row-major cells of shape (...) as (row, col) pairs of shape (..., 2)."""
    cells = np.asarray(cells, dtype=np.int64)
    return np.stack([cells // width, cells % width], axis=-1)


def _departures(
    layout: TerminalLayout, scenario: TerminalScenario, hours: float
) -> list[TerminalDeparture]:
    count = math.ceil((hours - scenario.first_cutoff_h) / scenario.departure_every_h) + 1
    count += scenario.booking_window + 1
    out = []
    for k in range(max(count, scenario.booking_window + 1)):
        cutoff = scenario.start + timedelta(
            hours=scenario.first_cutoff_h + k * scenario.departure_every_h
        )
        dest = DESTINATIONS[k % len(DESTINATIONS)]
        station = layout.buildup[k % len(layout.buildup)].station_id
        label = f"CGO→{dest}"
        out.append(TerminalDeparture(f"D{k + 1:03d}-{dest}", cutoff, station, label=label))
    return out


class _PieceFactory:
    """Makes pieces with log-normal weights; a share of them mis-declared."""

    def __init__(self, scenario: TerminalScenario, rng: np.random.Generator) -> None:
        self.scenario = scenario
        self.rng = rng
        self.count = 0

    def make(self, departure_id: str) -> tuple[Piece, float]:
        s, rng = self.scenario, self.rng
        self.count += 1
        true_kg = float(np.clip(rng.lognormal(math.log(s.median_kg), 0.8), 0.3, 900.0))
        volume = float(np.clip(true_kg / s.kg_per_m3 * rng.uniform(0.6, 1.6), 0.002, 2.4))
        if rng.random() < s.misdeclared_share:
            declared = true_kg * (1 + rng.choice([-1, 1]) * rng.uniform(0.08, 0.3))
        else:
            declared = true_kg * (1 + rng.normal(0, s.declared_noise))
        measured = true_kg * (1 + rng.normal(0, 0.001))
        piece = Piece(
            piece_id=f"P{self.count:07d}",
            waybill=f"{880 + self.count % 7}-{10_000_000 + self.count // 3:08d}",
            declared_kg=round(max(0.1, declared), 2),
            volume_m3=round(volume, 4),
            departure_id=departure_id,
        )
        return piece, round(measured, 2)


def simulate(
    layout: TerminalLayout,
    scenario: TerminalScenario | None = None,
    *,
    steps: int,
    seed: int = 0,
    agents: int | None = None,
    fleet: FleetSettings | None = None,
    rules: SlottingRules | None = None,
    tolerance: WeightTolerance | None = None,
    planner_config: PlannerConfig | None = None,
    alert_threshold: float = 0.85,
) -> TerminalRun:
    """Simulate ``steps`` steps of the floor: induction → storage → retrieval → build-up."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    scenario = scenario or TerminalScenario()
    rng = np.random.default_rng(seed)
    clock = ManualClock(scenario.start)
    n = len(layout.homes) if agents is None else agents
    if not 1 <= n <= len(layout.homes):
        raise ValueError(f"agents must be between 1 and {len(layout.homes)}, got {n}")
    battery = rng.uniform(scenario.battery_low, 1.0, size=n)
    floor = TerminalFloor(
        layout,
        agents=agents,
        tolerance=tolerance,
        rules=rules,
        fleet=fleet,
        planner_config=planner_config,
        alert_threshold=alert_threshold,
        clock=clock,
        battery=battery,
        seed=seed,
    )
    hours = steps * layout.step_seconds / 3600.0
    for departure in _departures(layout, scenario, hours):
        floor.add_departure(departure)
    factory = _PieceFactory(scenario, rng)
    stock_target = int(scenario.initial_fill * layout.slot_count)
    upcoming = [d.departure_id for d in floor.departures_open[: scenario.booking_window + 1]]
    for i in range(stock_target):
        piece, _ = factory.make(upcoming[i % len(upcoming)] if upcoming else "")
        if floor.stock(piece) is None:
            break
    lanes = [st.station_id for st in layout.induction]
    per_step = scenario.pieces_per_hour * layout.step_seconds / 3600.0
    history = np.empty((steps + 1, floor.agent_count), dtype=np.int64)
    history[0] = floor.positions
    for t in range(steps):
        now = clock.now()
        bookable = [
            d.departure_id
            for d in floor.departures_open
            if (d.cutoff - now).total_seconds() >= scenario.min_booking_lead_h * 3600
        ][: scenario.booking_window]
        for _ in range(int(rng.poisson(per_step)) if bookable else 0):
            piece, measured = factory.make(bookable[int(rng.integers(len(bookable)))])
            floor.induct(piece, measured, lanes[int(rng.integers(len(lanes)))])
        history[t + 1] = floor.tick()
        clock.advance(layout.step_seconds)
    log.info("simulated %d steps of %s with %d AGVs", steps, layout.name, floor.agent_count)
    c = floor.counters
    done_other = sum(v for k, v in c.tasks_done.items() if k != TaskKind.CHARGE)
    check = check_plan(layout.grid.passable, to_row_col(history, layout.grid.width))
    return TerminalRun(
        layout=layout.name,
        agents=floor.agent_count,
        steps=steps,
        step_seconds=layout.step_seconds,
        seed=seed,
        tasks_done={str(k): v for k, v in c.tasks_done.items()},
        mean_task_s=c.task_seconds / done_other if done_other else 0.0,
        mean_wait_s=c.wait_seconds / max(1, c.cargo_tasks_started),
        utilisation=c.busy_agent_steps / c.agent_steps if c.agent_steps else 0.0,
        pieces_inducted=c.inducted,
        pieces_held=c.held,
        pieces_refused=c.refused,
        pieces_built_up=c.built_up,
        pieces_built_up_late=c.built_up_late,
        pieces_missed_cutoff=c.missed_cutoff,
        peak_occupancy=floor.board.peak_fraction,
        peak_occupied_slots=floor.board.peak_slots,
        final_occupancy=floor.board.fraction,
        slots=floor.board.slots,
        zone_alerts=c.zone_alerts,
        plan_ms_mean=1000 * c.plan_seconds / steps,
        plan_ms_max=1000 * c.plan_seconds_max,
        check=check,
        positions=history,
        heatmap=floor.board.heatmap(),
        events=tuple(floor.events),
        occupancy_by_zone={z.zone: z.fraction for z in floor.board.by_zone()},
    )


def run_lorr(
    instance: LorrInstance,
    *,
    steps: int,
    agents: int | None = None,
    planner: Literal["pibt", "reservation"] = "pibt",
    seed: int = 0,
    planner_config: PlannerConfig | None = None,
    check: bool = True,
    window: int = 24,
) -> LorrRun:
    """Run the first ``agents`` agents of ``instance`` for ``steps`` steps.

    Agent ``a`` starts on task ``a``; whoever finishes a task takes the next one in file
    order. An errand counts when the agent stands on its cell after a step; a task when its
    last errand does. When the file has no task left, agents that finish stay where they are
    (``tasks_ran_out_at`` says when that first happened). ``planner="reservation"`` runs
    the space-time A* baseline instead of PIBT. The recorded plan is checked by the independent checker unless ``check=False``.
    """
    n = len(instance.starts) if agents is None else agents
    if not 1 <= n <= len(instance.starts):
        raise ValueError(f"agents must be between 1 and {len(instance.starts)}, got {n}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    starts = instance.starts[:n]
    fleet: FleetPlanner | ReservationPlanner
    if planner == "pibt":
        fleet = FleetPlanner(instance.grid, starts, config=planner_config, seed=seed)
    elif planner == "reservation":
        fleet = ReservationPlanner(instance.grid, starts, window=window)
    else:
        raise ValueError(f"unknown planner {planner!r}")
    offsets = instance.task_offsets
    errands = instance.errands
    task_count = instance.task_count
    task_of = np.arange(n, dtype=np.int64)
    cursor = np.array(offsets[np.minimum(task_of, task_count - 1)], dtype=np.int64)
    active = task_of < task_count
    goals = np.where(active, errands[np.minimum(cursor, len(errands) - 1)], starts)
    next_task = min(n, task_count)
    history = np.empty((steps + 1, n), dtype=np.int64)
    history[0] = starts
    times = np.empty(steps)
    timeline = np.empty(steps, dtype=np.int64)
    ran_out: int | None = None
    errands_done = tasks_done = 0
    wall = time.perf_counter()
    for t in range(steps):
        t0 = time.perf_counter()
        pos = fleet.step(goals)
        times[t] = time.perf_counter() - t0
        history[t + 1] = pos
        for a in np.flatnonzero(active & (pos == goals)):
            errands_done += 1
            cursor[a] += 1
            if cursor[a] < offsets[task_of[a] + 1]:
                goals[a] = errands[cursor[a]]
                continue
            tasks_done += 1
            if next_task < task_count:
                task_of[a] = next_task
                cursor[a] = offsets[next_task]
                goals[a] = errands[cursor[a]]
                next_task += 1
            else:
                active[a] = False
                if ran_out is None:
                    ran_out = t + 1
        timeline[t] = errands_done
    wall = time.perf_counter() - wall
    log.info(
        "%s: %d agents, %d steps, %d errands in %.1f s (%s)",
        instance.name,
        n,
        steps,
        errands_done,
        wall,
        planner,
    )
    verdict = (
        check_plan(instance.grid.passable, to_row_col(history, instance.grid.width))
        if check
        else None
    )
    ms = times * 1000
    return LorrRun(
        instance=instance.name,
        planner=planner,
        agents=n,
        steps=steps,
        errands_done=errands_done,
        tasks_done=tasks_done,
        plan_ms_mean=float(ms.mean()),
        plan_ms_p95=float(np.percentile(ms, 95)),
        plan_ms_max=float(ms.max()),
        wall_seconds=wall,
        check=verdict,
        positions=history,
        errands_by_step=timeline,
        tasks_ran_out_at=ran_out,
    )
