"""The terminal floor at work: induction → storage → retrieval → build-up, one step at a time.

``TerminalFloor`` owns the live state of one terminal (occupancy, tasks, the AGVs' positions,
batteries and errands, events) and moves it forward with ``tick()``: release the retrievals
due before each cut-off, send idle AGVs to charge or to the best open tasks, plan one
collision-free step for the whole fleet, have the fleet driver execute it, and record what
the fleet achieved. ``induct()`` is the door: it reconciles a piece's weight, holds it or
slots it and creates its storage task. Everything outside (the fleet, the clock) comes in
through the interfaces of ``devices``, so the same floor runs a simulation or a real fleet.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from silkhub.terminal._graph import CompactGraph
from silkhub.terminal.devices import Clock, FleetDriver, InMemoryFleetDriver, SystemClock
from silkhub.terminal.induction import (
    InductionResult,
    InductionVerdict,
    Piece,
    WeightTolerance,
    reconcile_weight,
)
from silkhub.terminal.layout import TerminalLayout
from silkhub.terminal.occupancy import OccupancyBoard, SlotRef
from silkhub.terminal.planner import FleetPlanner, PlannerConfig
from silkhub.terminal.slotting import Slotter, SlottingRules
from silkhub.terminal.tasks import Task, TaskKind, assign

__all__ = [
    "AgvState",
    "EventKind",
    "FleetSettings",
    "FloorCounters",
    "PieceStatus",
    "TerminalDeparture",
    "TerminalEvent",
    "TerminalFloor",
]

log = logging.getLogger("silkhub.terminal")


@dataclass(frozen=True, slots=True)
class FleetSettings:
    """How the AGVs work (assumptions in docs/terminal.md).

    ``handling_steps``: steps an AGV stands at a lane, shelf or station to load or unload.
    Batteries drain from full to empty in ``drive_hours`` of driving (idle AGVs drain at
    ``idle_drain_share`` of that rate) and charge from empty to full in ``charge_hours``; an
    idle AGV goes to charge below ``charge_below`` and leaves above ``charge_until``.
    Assignment weighs a task's urgency rank as ``urgency_weight`` moves and looks at the
    ``candidate_factor`` most urgent open tasks per idle AGV.
    """

    handling_steps: int = 5
    drive_hours: float = 8.0
    idle_drain_share: float = 0.25
    charge_hours: float = 1.5
    charge_below: float = 0.25
    charge_until: float = 0.95
    urgency_weight: float = 2.0
    candidate_factor: int = 3

    def __post_init__(self) -> None:
        if self.handling_steps < 0:
            raise ValueError(f"handling_steps must be 0 or more, got {self.handling_steps}")
        for name in ("drive_hours", "charge_hours"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if not 0 <= self.idle_drain_share <= 1:
            raise ValueError(f"idle_drain_share must be in [0, 1], got {self.idle_drain_share}")
        if not 0 <= self.charge_below < self.charge_until <= 1:
            raise ValueError("need 0 <= charge_below < charge_until <= 1")
        if self.urgency_weight < 0:
            raise ValueError(f"urgency_weight must be 0 or more, got {self.urgency_weight}")
        if self.candidate_factor < 1:
            raise ValueError(f"candidate_factor must be at least 1, got {self.candidate_factor}")


@dataclass(frozen=True, slots=True)
class TerminalDeparture:
    """A flight or train the terminal builds up: its cut-off and its build-up station."""

    departure_id: str
    cutoff: datetime
    station_id: str
    label: str = ""

    def __post_init__(self) -> None:
        if not self.departure_id:
            raise ValueError("departure_id must not be empty")
        if self.cutoff.tzinfo is None or self.cutoff.utcoffset() is None:
            raise ValueError(f"departure {self.departure_id}: cutoff must be timezone-aware")
        try:
            object.__setattr__(self, "cutoff", self.cutoff.astimezone(UTC))
        except OverflowError:  # year 1 or 9999 with an offset that leaves the calendar
            raise ValueError(
                f"departure {self.departure_id}: cutoff {self.cutoff.isoformat()} is out of range"
            ) from None


class EventKind(StrEnum):
    """What the floor reports."""

    PIECE_ACCEPTED = "piece_accepted"
    PIECE_HELD = "piece_held"
    PIECE_REFUSED = "piece_refused"
    NO_SLOT = "no_slot"
    RETRIEVAL_STARTED = "retrieval_started"
    PIECE_BUILT_UP = "piece_built_up"
    CUTOFF_PASSED = "cutoff_passed"
    ZONE_ALERT = "zone_alert"
    ZONE_CLEARED = "zone_cleared"


@dataclass(frozen=True, slots=True)
class TerminalEvent:
    """Something that happened on the floor, at a time and step, about a piece/zone/departure."""

    at: datetime
    step: int
    kind: EventKind
    subject: str
    detail: str = ""


class PieceStatus(StrEnum):
    """Where a piece is in the flow."""

    HELD = "held"
    REFUSED = "refused"
    WAITING = "waiting"  # accepted, no slot free yet
    TO_SHELF = "to_shelf"
    STORED = "stored"
    TO_BUILDUP = "to_buildup"
    BUILT_UP = "built_up"


@dataclass(slots=True)
class _PieceState:
    piece: Piece
    lane: int
    status: PieceStatus
    slot: SlotRef | None = None
    #: What the scale said at induction; a shelf level's limit holds for this, not for the
    #: declared weight (within tolerance, it may be the heavier of the two)
    measured_kg: float | None = None

    @property
    def weight_kg(self) -> float:
        """The weight slotting must respect: the weighed one, else the declared one."""
        return self.piece.declared_kg if self.measured_kg is None else self.measured_kg


@dataclass(frozen=True, slots=True)
class AgvState:
    """One AGV as the API shows it."""

    agv: int
    cell: int
    row: int
    col: int
    battery: float
    task_id: int | None
    task_kind: str | None


@dataclass(slots=True)
class FloorCounters:
    """Running totals of a floor: tasks done by kind, times, pieces, alerts, planning time."""

    tasks_done: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TaskKind, 0))
    task_seconds: float = 0.0
    #: Time cargo tasks (not charging) waited for an AGV, and how many of them an AGV started.
    wait_seconds: float = 0.0
    cargo_tasks_started: int = 0
    busy_agent_steps: int = 0
    agent_steps: int = 0
    inducted: int = 0
    held: int = 0
    refused: int = 0
    built_up: int = 0
    built_up_late: int = 0
    missed_cutoff: int = 0
    zone_alerts: int = 0
    plan_seconds: float = 0.0
    plan_seconds_max: float = 0.0


class TerminalFloor:
    """The live terminal: induct pieces, ``tick()`` the fleet, read occupancy and positions.

    ``agents`` AGVs start on the first homes of the layout (all of them by default).
    ``battery`` gives their initial charge (full by default). ``seed`` fixes the planner's
    tie-breaking.
    """

    def __init__(
        self,
        layout: TerminalLayout,
        *,
        agents: int | None = None,
        tolerance: WeightTolerance | None = None,
        rules: SlottingRules | None = None,
        fleet: FleetSettings | None = None,
        planner_config: PlannerConfig | None = None,
        alert_threshold: float = 0.85,
        clock: Clock | None = None,
        driver: FleetDriver | None = None,
        battery: NDArray[np.float64] | None = None,
        seed: int = 0,
    ) -> None:
        n = len(layout.homes) if agents is None else agents
        if not 1 <= n <= len(layout.homes):
            raise ValueError(f"agents must be between 1 and {len(layout.homes)}, got {n}")
        self.layout = layout
        self.tolerance = tolerance or WeightTolerance.from_customs()
        self.rules = rules or SlottingRules()
        self.fleet = fleet or FleetSettings()
        self.clock: Clock = clock or SystemClock()
        self.driver: FleetDriver = driver or InMemoryFleetDriver()
        graph = CompactGraph(layout.grid, private=[c.cell for c in layout.chargers])
        self.homes = np.array(layout.homes[:n], dtype=np.int64)
        self.planner = FleetPlanner(
            layout.grid, self.homes, config=planner_config, seed=seed, graph=graph
        )
        self.slotter = Slotter(layout, self.rules, graph=graph)
        if not 0.01 <= alert_threshold <= 1:
            raise ValueError(f"alert_threshold must be 0.01 .. 1, got {alert_threshold}")
        self.board = OccupancyBoard(
            layout,
            alert_threshold=alert_threshold,
            clear_below=max(0.01, round(alert_threshold - 0.05, 6)),  # 0.8, not 0.7999999999999999
        )
        self.positions = self.homes.copy()
        self.battery = (
            np.ones(n) if battery is None else np.clip(np.asarray(battery, dtype=float), 0, 1)
        )
        if self.battery.shape != (n,):
            raise ValueError(f"battery must give one charge per AGV ({n})")
        self.task_of = np.full(n, -1, dtype=np.int64)
        self.dwell = np.full(n, -1, dtype=np.int64)
        self.step_index = 0
        self.tasks: dict[int, Task] = {}
        self._open: list[int] = []
        self._next_task = 0
        self.departures: dict[str, TerminalDeparture] = {}
        self._retrieving: set[str] = set()
        self._closed: set[str] = set()
        self._booked: dict[str, int] = {}
        self._built: dict[str, int] = {}
        self.pieces: dict[str, _PieceState] = {}
        self._waiting: list[str] = []
        self._releases_seen = -1
        self._charger_user: dict[int, int] = {}  # charger cell -> agent
        self._drop_load: dict[int, int] = {}  # build-up drop point -> tasks heading there
        self.events: list[TerminalEvent] = []
        self.counters = FloorCounters()
        step_h = layout.step_seconds / 3600.0
        self._drain_move = step_h / self.fleet.drive_hours
        self._drain_idle = self._drain_move * self.fleet.idle_drain_share
        self._charge_rate = step_h / self.fleet.charge_hours

    # --- departures and pieces -----------------------------------------------------------------

    @property
    def agent_count(self) -> int:
        """Number of AGVs."""
        return len(self.homes)

    def add_departure(self, departure: TerminalDeparture) -> None:
        """Open a departure for booking (its build-up station must exist)."""
        try:
            self.layout.station(departure.station_id)
        except KeyError:
            raise ValueError(
                f"departure {departure.departure_id}: unknown station {departure.station_id!r}"
            ) from None
        if departure.departure_id in self.departures:
            raise ValueError(f"departure {departure.departure_id} already added")
        self.departures[departure.departure_id] = departure
        self._booked.setdefault(departure.departure_id, 0)
        self._built.setdefault(departure.departure_id, 0)

    def _event(self, kind: EventKind, subject: str, detail: str = "") -> None:
        self.events.append(TerminalEvent(self.clock.now(), self.step_index, kind, subject, detail))
        log.debug("step %d: %s %s %s", self.step_index, kind.value, subject, detail)

    def _rank(self, departure_id: str) -> int:
        cutoff = self.departures[departure_id].cutoff
        return sum(
            1
            for d in self.departures.values()
            if d.departure_id not in self._closed and d.cutoff < cutoff
        )

    def _steps_until(self, when: datetime) -> int:
        seconds = (when - self.clock.now()).total_seconds()
        return self.step_index + math.ceil(seconds / self.layout.step_seconds)

    def _new_task(
        self,
        kind: TaskKind,
        errands: tuple[int, ...],
        due_step: int,
        *,
        piece_id: str | None = None,
        departure_id: str | None = None,
        slot: SlotRef | None = None,
        station_id: str | None = None,
    ) -> Task:
        task = Task(
            self._next_task,
            kind,
            errands,
            self.step_index,
            due_step,
            piece_id=piece_id,
            departure_id=departure_id,
            slot=slot,
            station_id=station_id,
        )
        self._next_task += 1
        self.tasks[task.task_id] = task
        if kind is not TaskKind.CHARGE:
            self._open.append(task.task_id)
        return task

    def stock(self, piece: Piece) -> SlotRef | None:
        """Put a piece straight on the best slot (stock already on the shelves at start).

        Only for a departure whose retrieval has not started: a piece stocked later would get
        no retrieval task and hold its slot for ever.
        """
        if piece.piece_id in self.pieces:
            raise ValueError(f"piece {piece.piece_id} is already on the floor")
        departure = self.departures.get(piece.departure_id)
        if departure is None:
            raise ValueError(f"piece {piece.piece_id}: unknown departure {piece.departure_id}")
        if piece.departure_id in self._retrieving or piece.departure_id in self._closed:
            raise ValueError(
                f"piece {piece.piece_id}: departure {piece.departure_id} is already being "
                "retrieved or closed; stock pieces before its retrieval starts"
            )
        slot = self.slotter.choose(
            self.board,
            weight_kg=piece.declared_kg,
            volume_m3=piece.volume_m3,
            station_id=departure.station_id,
            departure_rank=self._rank(piece.departure_id),
        )
        if slot is None:
            return None
        self.board.place(slot, piece.piece_id, piece.departure_id)
        self.pieces[piece.piece_id] = _PieceState(piece, -1, PieceStatus.STORED, slot)
        self._booked[piece.departure_id] += 1
        self._check_zones()  # the stock that fills a zone raises its alert at once
        return slot

    def induct(self, piece: Piece, measured_kg: float, lane_id: str) -> InductionResult:
        """Weigh-and-scan at a lane: hold the piece, refuse it (late) or send it on.

        A clean piece gets a slot and a storage task, or, when its departure's retrieval has
        already started, a task straight to build-up. Every outcome is also an event.
        """
        lane = self.layout.station(lane_id)
        if piece.piece_id in self.pieces:
            raise ValueError(f"piece {piece.piece_id} was already inducted")
        result = reconcile_weight(piece, measured_kg, self.tolerance)
        self.counters.inducted += 1
        if not result.accepted:
            self.counters.held += 1
            self.pieces[piece.piece_id] = _PieceState(piece, lane.cell, PieceStatus.HELD)
            self._event(EventKind.PIECE_HELD, piece.piece_id, result.reason)
            return result
        weight = measured_kg  # what the slotter will place it by (the weighed mass)
        if not self.slotter.fitting_levels(weight, piece.volume_m3):
            # no level of any shelf takes it: it would wait at the lane for ever
            self.counters.held += 1
            self.pieces[piece.piece_id] = _PieceState(piece, lane.cell, PieceStatus.HELD)
            reason = (
                f"fits no shelf level ({weight:.2f} kg, {piece.volume_m3:g} m³; the levels take "
                f"at most {max(lv.max_kg for lv in self.layout.levels):g} kg and "
                f"{max(lv.max_m3 for lv in self.layout.levels):g} m³)"
            )
            self._event(EventKind.PIECE_HELD, piece.piece_id, reason)
            return replace(result, verdict=InductionVerdict.HELD, reason=reason)
        departure = self.departures.get(piece.departure_id)
        late = departure is not None and (
            piece.departure_id in self._closed or departure.cutoff <= self.clock.now()
        )  # a cut-off can pass between two ticks
        if departure is None or late:
            self.counters.refused += 1
            self.pieces[piece.piece_id] = _PieceState(piece, lane.cell, PieceStatus.REFUSED)
            why = "unknown departure" if departure is None else "cut-off passed"
            self._event(EventKind.PIECE_REFUSED, piece.piece_id, f"{piece.departure_id}: {why}")
            return result
        self._booked[piece.departure_id] += 1
        state = _PieceState(piece, lane.cell, PieceStatus.WAITING, measured_kg=measured_kg)
        self.pieces[piece.piece_id] = state
        self._event(
            EventKind.PIECE_ACCEPTED,
            piece.piece_id,
            f"{measured_kg:.2f} kg (declared {piece.declared_kg:.2f} kg)",
        )
        self._retry_waiting()
        self._route(state)
        self._check_zones()  # a reservation may take a zone over its level between two ticks
        return result

    def _route(self, state: _PieceState) -> None:
        """Give an accepted piece at a lane its next task (build-up, or a slot and storage)."""
        piece = state.piece
        departure = self.departures[piece.departure_id]
        if piece.departure_id in self._retrieving:
            station = self.layout.station(departure.station_id)
            state.status = PieceStatus.TO_BUILDUP
            self._new_task(
                TaskKind.BUILD_UP,
                (state.lane, self._drop_point(station.cells)),
                self._steps_until(departure.cutoff),
                piece_id=piece.piece_id,
                departure_id=piece.departure_id,
                station_id=station.station_id,
            )
            return
        slot = self.slotter.choose(
            self.board,
            weight_kg=state.weight_kg,
            volume_m3=piece.volume_m3,
            station_id=departure.station_id,
            departure_rank=self._rank(piece.departure_id),
        )
        if slot is None:
            if piece.piece_id not in self._waiting:
                self._waiting.append(piece.piece_id)
                self._event(EventKind.NO_SLOT, piece.piece_id, "no free slot takes it; waiting")
            return
        self.board.reserve(slot, piece.piece_id, piece.departure_id)
        state.slot = slot
        state.status = PieceStatus.TO_SHELF
        shelf = self.layout.shelves[slot.shelf]
        self._new_task(
            TaskKind.STORE,
            (state.lane, shelf.access),
            self.step_index + math.ceil(self.rules.store_within_s / self.layout.step_seconds),
            piece_id=piece.piece_id,
            departure_id=piece.departure_id,
            slot=slot,
        )

    def _retrieve(self, state: _PieceState) -> None:
        departure = self.departures[state.piece.departure_id]
        station = self.layout.station(departure.station_id)
        assert state.slot is not None
        shelf = self.layout.shelves[state.slot.shelf]
        state.status = PieceStatus.TO_BUILDUP
        self._new_task(
            TaskKind.RETRIEVE,
            (shelf.access, self._drop_point(station.cells)),
            self._steps_until(departure.cutoff),
            piece_id=state.piece.piece_id,
            departure_id=departure.departure_id,
            slot=state.slot,
            station_id=station.station_id,
        )

    # --- the step ------------------------------------------------------------------------------

    def _release_and_close(self) -> None:
        now = self.clock.now()
        lead = self.rules.retrieval_lead_s
        for dep in sorted(self.departures.values(), key=lambda d: d.cutoff):
            did = dep.departure_id
            if did not in self._retrieving and (dep.cutoff - now).total_seconds() <= lead:
                self._retrieving.add(did)
                count = 0
                for pid, state in self.pieces.items():
                    if state.piece.departure_id != did:
                        continue
                    if state.status is PieceStatus.STORED:
                        self._retrieve(state)
                        count += 1
                    elif state.status is PieceStatus.TO_SHELF:
                        task = self._store_task_of(pid)
                        if task is not None and task.agent is None:  # not yet picked up
                            self._cancel(task)
                            assert state.slot is not None
                            self.board.release(state.slot)
                            state.slot = None
                            state.status = PieceStatus.WAITING
                            self._route(state)
                            count += 1
                    elif state.status is PieceStatus.WAITING:
                        self._route(state)
                self._event(EventKind.RETRIEVAL_STARTED, did, f"{count} piece(s) to build up")
            if did not in self._closed and dep.cutoff <= now:
                self._closed.add(did)
                missed = self._booked[did] - self._built[did]
                self.counters.missed_cutoff += missed
                self._event(
                    EventKind.CUTOFF_PASSED,
                    did,
                    f"{self._built[did]} built up, {missed} not built up in time",
                )
        self._retry_waiting()

    def _retry_waiting(self) -> None:
        """Offer the slots freed since the last try to the waiting pieces, oldest first.

        Called before a new piece is routed too: a slot freed between two ticks goes to the
        pieces already waiting, not to one inducted after they were.
        """
        if self._waiting and self.board.releases != self._releases_seen:
            self._releases_seen = self.board.releases
            waiting, self._waiting = self._waiting, []
            for pid in waiting:
                state = self.pieces[pid]
                if state.status is PieceStatus.WAITING:
                    self._route(state)
                    if state.status is PieceStatus.WAITING and pid not in self._waiting:
                        self._waiting.append(pid)

    def _drop_point(self, cells: tuple[int, ...]) -> int:
        """The drop point of a station with the fewest tasks heading there (first on ties)."""
        best = min(cells, key=lambda c: (self._drop_load.get(c, 0), cells.index(c)))
        self._drop_load[best] = self._drop_load.get(best, 0) + 1
        return best

    def _store_task_of(self, piece_id: str) -> Task | None:
        for tid in self._open:
            task = self.tasks[tid]
            if task.piece_id == piece_id and task.kind is TaskKind.STORE:
                return task
        return None

    def _cancel(self, task: Task) -> None:
        self._open.remove(task.task_id)
        del self.tasks[task.task_id]

    def _assign(self) -> None:
        idle = [a for a in range(self.agent_count) if self.task_of[a] < 0]
        if not idle:
            return
        fleet = self.fleet
        workers = []
        for a in idle:
            if self.battery[a] < fleet.charge_below and self._send_to_charge(a):
                continue
            if self.battery[a] >= fleet.charge_below:
                workers.append(a)
        if not workers or not self._open:
            return
        self._open.sort(key=lambda t: (self.tasks[t].due_step, t))
        candidates = self._open[: max(8, fleet.candidate_factor * len(workers))]
        graph = self.planner.graph
        agent_v = graph.vertices(self.positions[workers])
        costs = np.empty((len(workers), len(candidates)))
        tables: dict[int, NDArray[np.float64]] = {}
        for j, tid in enumerate(candidates):
            pickup = int(graph.vertices(np.array([self.tasks[tid].errands[0]]))[0])
            if pickup not in tables:
                table = self.planner.tables.table(pickup)
                moves = table[agent_v].astype(np.float64)
                moves[moves >= self.planner.tables.unreached] = np.inf
                tables[pickup] = moves
            costs[:, j] = tables[pickup] + fleet.urgency_weight * j
        for i, j in assign(costs):
            self._start(workers[i], self.tasks[candidates[j]])

    def _start(self, agent: int, task: Task) -> None:
        task.agent = agent
        task.assigned_step = self.step_index
        self.task_of[agent] = task.task_id
        self.dwell[agent] = -1
        if task.task_id in self._open:
            self._open.remove(task.task_id)
        if task.kind is not TaskKind.CHARGE:  # a charge is made for its AGV: it never waits
            self.counters.wait_seconds += (
                task.assigned_step - task.created_step
            ) * self.layout.step_seconds
            self.counters.cargo_tasks_started += 1

    def _send_to_charge(self, agent: int) -> bool:
        # A charger is handed on only once its last user has driven out: its alcove has one
        # way out, and an AGV sent in while the other is still inside blocks that way.
        for cell, user in list(self._charger_user.items()):
            tid = int(self.task_of[user])
            charging = tid >= 0 and self.tasks[tid].kind is TaskKind.CHARGE
            # the AGV asking now has left its last charger, or is on it and takes it again
            if user == agent or (not charging and int(self.positions[user]) != cell):
                del self._charger_user[cell]
        free = [c for c in self.layout.chargers if c.cell not in self._charger_user]
        if not free:
            return False
        here = int(self.positions[agent])
        best = min(free, key=lambda c: (self.planner.distance(here, c.cell), c.station_id))
        self._charger_user[best.cell] = agent
        task = self._new_task(
            TaskKind.CHARGE, (best.cell,), self.step_index, station_id=best.station_id
        )
        self._start(agent, task)
        return True

    def _goals(self) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        goals = self.homes.copy()
        dwelling = np.zeros(self.agent_count, dtype=bool)
        for a in np.flatnonzero(self.task_of >= 0):
            task = self.tasks[int(self.task_of[a])]
            goals[a] = task.current_cell
            if self.positions[a] == goals[a] and (
                self.dwell[a] > 0 or task.kind is TaskKind.CHARGE
            ):
                dwelling[a] = True
        return goals, dwelling

    def tick(self) -> NDArray[np.int64]:
        """Advance the floor by one step; the AGVs' cells afterwards.

        The caller advances the clock between ticks (``layout.step_seconds`` per step).
        """
        self._release_and_close()
        self._assign()
        goals, dwelling = self._goals()
        started = time.perf_counter()
        planned = self.planner.step(goals, dwelling)
        spent = time.perf_counter() - started
        self.counters.plan_seconds += spent
        self.counters.plan_seconds_max = max(self.counters.plan_seconds_max, spent)
        reached = np.asarray(self.driver.execute(self.step_index, planned), dtype=np.int64)
        if not np.array_equal(reached, planned):
            self.planner.relocate(reached)
        moved = reached != self.positions
        self.positions = reached
        self.battery -= np.where(moved, self._drain_move, self._drain_idle)
        np.clip(self.battery, 0.0, 1.0, out=self.battery)
        busy = self.task_of >= 0
        for a in np.flatnonzero(busy):
            if self.tasks[int(self.task_of[a])].kind is TaskKind.CHARGE:
                busy[a] = False
        self.counters.busy_agent_steps += int(busy.sum())
        self.counters.agent_steps += self.agent_count
        self.step_index += 1
        self._progress()
        self._check_zones()
        return self.positions.copy()

    def _check_zones(self) -> None:
        """Raise or clear zone alerts for the board as it is now (after a tick or an induction)."""
        for alert in self.board.alerts(self.clock.now()):
            self.counters.zone_alerts += alert.raised
            kind = EventKind.ZONE_ALERT if alert.raised else EventKind.ZONE_CLEARED
            self._event(kind, alert.zone, f"{alert.fraction:.0%} of slots taken")

    def _progress(self) -> None:
        for a in np.flatnonzero(self.task_of >= 0):
            task = self.tasks[int(self.task_of[a])]
            if self.positions[a] != task.current_cell:
                self.dwell[a] = -1
                continue
            if task.kind is TaskKind.CHARGE:
                self.battery[a] = min(1.0, self.battery[a] + self._charge_rate)
                if self.battery[a] >= self.fleet.charge_until:
                    # the charger stays this AGV's until it has left (see _send_to_charge)
                    self._finish(int(a), task)
                continue
            if self.dwell[a] < 0:
                self.dwell[a] = self.fleet.handling_steps
            if self.dwell[a] > 0:
                self.dwell[a] -= 1
                if self.dwell[a] > 0:
                    continue
            self._errand_done(int(a), task)

    def _errand_done(self, agent: int, task: Task) -> None:
        self.dwell[agent] = -1
        first = task.errand_index == 0
        assert task.piece_id is not None
        state = self.pieces[task.piece_id]
        if task.kind is TaskKind.RETRIEVE and first:
            assert task.slot is not None
            self.board.release(task.slot)
            state.slot = None
        if not first or len(task.errands) == 1:
            if task.kind is TaskKind.STORE:
                assert task.slot is not None
                self.board.store(task.slot)
                state.status = PieceStatus.STORED
                if state.piece.departure_id in self._retrieving:
                    self._retrieve(state)
            else:
                state.status = PieceStatus.BUILT_UP
                did = state.piece.departure_id
                self._built[did] += 1
                self.counters.built_up += 1
                late = did in self._closed
                self.counters.built_up_late += late
                self._event(
                    EventKind.PIECE_BUILT_UP,
                    task.piece_id,
                    f"{did} at {task.station_id}" + (" (after cut-off)" if late else ""),
                )
            self._finish(agent, task)
            return
        task.errand_index += 1

    def _finish(self, agent: int, task: Task) -> None:
        task.completed_step = self.step_index
        task.errand_index = len(task.errands)
        self.task_of[agent] = -1
        self.dwell[agent] = -1
        self.counters.tasks_done[task.kind] += 1
        if task.kind in (TaskKind.RETRIEVE, TaskKind.BUILD_UP):
            self._drop_load[task.errands[-1]] -= 1
        if task.assigned_step is not None and task.kind is not TaskKind.CHARGE:
            self.counters.task_seconds += (
                task.completed_step - task.assigned_step
            ) * self.layout.step_seconds
        del self.tasks[task.task_id]

    # --- views ---------------------------------------------------------------------------------

    def agvs(self) -> list[AgvState]:
        """Every AGV's cell, battery and task."""
        out = []
        for a in range(self.agent_count):
            cell = int(self.positions[a])
            tid = int(self.task_of[a])
            kind = self.tasks[tid].kind.value if tid >= 0 else None
            r, c = divmod(cell, self.layout.grid.width)
            out.append(
                AgvState(
                    a, cell, r, c, round(float(self.battery[a]), 4), tid if tid >= 0 else None, kind
                )
            )
        return out

    def open_tasks(self) -> list[Task]:
        """Tasks not yet assigned, most urgent first."""
        return sorted((self.tasks[t] for t in self._open), key=lambda t: (t.due_step, t.task_id))

    def active_tasks(self) -> list[Task]:
        """Tasks an AGV is working on."""
        return [self.tasks[int(t)] for t in self.task_of if t >= 0]

    def piece_status(self, piece_id: str) -> PieceStatus:
        """Where a piece is (``KeyError`` if it never came through the door)."""
        return self.pieces[piece_id].status

    @property
    def departures_open(self) -> list[TerminalDeparture]:
        """Departures whose cut-off has not passed, soonest first."""
        return sorted(
            (d for d in self.departures.values() if d.departure_id not in self._closed),
            key=lambda d: d.cutoff,
        )
