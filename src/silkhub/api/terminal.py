"""``/v1/terminal``: the cargo terminal floor — layout, occupancy, tasks, AGV positions.

A thin adapter over ``silkhub.terminal.TerminalFloor``. Each organisation has its own live
floor (the embedded north cargo area), created on first use and kept in memory by this API
process; it runs in simulated time that ``POST /v1/terminal/advance`` moves forward (a site
with a real fleet wires a ``FleetDriver`` and the system clock instead, see docs/terminal.md).
Terminal operators, planners and admins read; operators induct pieces and advance the floor,
planners open departures.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from silkhub.api.auth import require
from silkhub.api.key_first import KeyBeforeBodyRoute
from silkhub.api.pagination import PagingParams, next_link
from silkhub.api.problems import ProblemError, problem_responses
from silkhub.api.schemas import IDENTIFIER_PATTERN
from silkhub.store import Caller, Role
from silkhub.terminal import (
    EventKind,
    ManualClock,
    Piece,
    StationKind,
    Task,
    TaskKind,
    TerminalDeparture,
    TerminalFloor,
    TerminalLayout,
    default_layout,
    format_movingai,
)

__all__ = ["MAX_ADVANCE_STEPS", "READ_ROLES", "router"]

#: Steps one ``POST /advance`` may run (two simulated hours of 2-second steps).
MAX_ADVANCE_STEPS = 3600
#: Who may look at the floor.
READ_ROLES = (Role.TERMINAL_OPERATOR, Role.PLANNER, Role.ADMIN)
OPERATE_ROLES = (Role.TERMINAL_OPERATOR, Role.ADMIN)
PLAN_ROLES = (Role.PLANNER, Role.ADMIN)

Reader = Annotated[Caller, Depends(require(*READ_ROLES))]
Operator = Annotated[Caller, Depends(require(*OPERATE_ROLES))]
Planner = Annotated[Caller, Depends(require(*PLAN_ROLES))]

router = APIRouter(
    prefix="/v1/terminal",
    tags=["terminal"],
    responses=problem_responses(401, 403, 422),
    route_class=KeyBeforeBodyRoute,
)


@dataclass
class _Live:
    """One organisation's floor, its clock, and the lock serialising requests on it."""

    floor: TerminalFloor
    clock: ManualClock
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Floors:
    """The live floors of one app, by organisation (kept on ``app.state``)."""

    def __init__(self, layout: TerminalLayout) -> None:
        self.layout = layout
        self._floors: dict[int, _Live] = {}
        self._lock = threading.Lock()

    def of(self, org_id: int) -> _Live:
        with self._lock:
            live = self._floors.get(org_id)
            if live is None:
                start = datetime.now(UTC).replace(microsecond=0)
                clock = ManualClock(start)
                live = _Live(TerminalFloor(self.layout, clock=clock, seed=0), clock)
                self._floors[org_id] = live
            return live


_REGISTRY_LOCK = threading.Lock()  # guards the one-time creation of an app's registry


def _live(request: Request, caller: Caller) -> _Live:
    state = request.app.state
    floors: _Floors | None = getattr(state, "terminal_floors", None)
    if floors is None:
        with _REGISTRY_LOCK:
            floors = getattr(state, "terminal_floors", None)
            if floors is None:
                floors = _Floors(default_layout())
                state.terminal_floors = floors
    return floors.of(caller.org_id)


# --- response and request bodies -------------------------------------------------------------


class CellOut(BaseModel):
    """A grid cell (row, column), both from 0 at the north-west corner."""

    row: int
    col: int


class LevelOut(BaseModel):
    """A slot level of every shelf and its limits."""

    level: int
    max_kg: float
    max_m3: float


class ShelfOut(BaseModel):
    """A shelf (a blocked cell) and the free cell an AGV serves it from."""

    id: str
    zone: str
    cell: CellOut
    access: CellOut


class StationOut(BaseModel):
    """An induction lane, build-up station or charger and its cells."""

    id: str
    kind: StationKind
    cells: list[CellOut]


class LayoutOut(BaseModel):
    """The floor: the MovingAI rows of the map and its special cells."""

    name: str
    height: int
    width: int
    step_seconds: float
    cell_size_m: float
    map: list[str] = Field(description="MovingAI rows: '@' blocked, '.' free.")
    levels: list[LevelOut]
    zones: list[str]
    shelves: list[ShelfOut]
    stations: list[StationOut]
    agv_homes: list[CellOut]


class ZoneOut(BaseModel):
    """Occupancy of one zone."""

    zone: str
    slots: int
    stored: int
    reserved: int
    fraction: float
    alerting: bool


class DepartureLoadOut(BaseModel):
    """Pieces on (or promised) shelves for one departure."""

    departure_id: str
    pieces: int


class OccupancyOut(BaseModel):
    """Live occupancy: totals, per zone, per departure, and the heatmap if asked for."""

    at: datetime
    step: int
    slots: int
    occupied: int
    stored: int
    fraction: float
    peak_fraction: float
    alert_threshold: float
    zones: list[ZoneOut]
    departures: list[DepartureLoadOut]
    heatmap: dict[str, object] | None = Field(
        default=None, description="Per-cell occupied share (null where no shelf); ?heatmap=true"
    )


class TaskOut(BaseModel):
    """An AGV task: open (waiting for an AGV) or active (an AGV is on it)."""

    id: int
    kind: TaskKind
    state: Literal["open", "active"]
    errands: list[CellOut]
    errand_index: int
    piece_id: str | None
    departure_id: str | None
    station_id: str | None
    agv: int | None
    created_step: int
    assigned_step: int | None
    due_step: int


class TaskPage(BaseModel):
    """A page of tasks, most urgent first."""

    items: list[TaskOut]
    total: int
    limit: int
    offset: int
    next: str | None


class AgvOut(BaseModel):
    """Where an AGV is, its battery and what it is doing."""

    agv: int
    cell: CellOut
    battery: float
    task_id: int | None
    task_kind: str | None


class FleetOut(BaseModel):
    """Every AGV at a step."""

    at: datetime
    step: int
    items: list[AgvOut]


class PieceIn(BaseModel):
    """A piece at a lane's weigh-and-scan: its waybill data and the scale's reading."""

    model_config = ConfigDict(extra="forbid")

    piece_id: str = Field(pattern=IDENTIFIER_PATTERN)
    waybill: str = Field(pattern=IDENTIFIER_PATTERN)
    # strict: a JSON number only (lax pydantic would take true as 1 m³ and "12.5" as 12.5);
    # at least a gram and a cubic centimetre, the scale's and the scanner's resolution
    declared_kg: float = Field(ge=0.001, le=10_000, strict=True, allow_inf_nan=False)
    volume_m3: float = Field(ge=0.000001, le=100, strict=True, allow_inf_nan=False)
    departure_id: str = Field(pattern=IDENTIFIER_PATTERN)
    measured_kg: float = Field(
        ge=0, le=10_000, strict=True, allow_inf_nan=False, description="The scale's reading."
    )
    lane: str = Field(pattern=IDENTIFIER_PATTERN, description="Induction lane id, e.g. IND-1.")


class InductionOut(BaseModel):
    """What the door decided, and where the piece goes next."""

    piece_id: str
    verdict: Literal["accepted", "held"]
    declared_kg: float
    measured_kg: float
    allowed_kg: float
    difference_kg: float
    reason: str
    status: str


class DepartureIn(BaseModel):
    """A flight or train to build up: its cut-off and build-up station."""

    model_config = ConfigDict(extra="forbid")

    departure_id: str = Field(pattern=IDENTIFIER_PATTERN)
    cutoff: AwareDatetime
    station_id: str = Field(pattern=IDENTIFIER_PATTERN)
    label: str = Field(default="", max_length=200)

    @field_validator("cutoff")
    @classmethod
    def _in_range(cls, value: datetime) -> datetime:
        try:
            value.astimezone(UTC)
        except OverflowError:  # year 1 or 9999 with an offset that leaves the calendar
            raise ValueError("is out of range once converted to UTC") from None
        return value


class DepartureOut(BaseModel):
    """An open departure."""

    departure_id: str
    cutoff: datetime
    station_id: str
    label: str


class AdvanceIn(BaseModel):
    """How many steps to run the floor (simulated time)."""

    model_config = ConfigDict(extra="forbid")

    steps: int = Field(ge=1, le=MAX_ADVANCE_STEPS, strict=True)  # not true, "3" or 2.0


class AdvanceOut(BaseModel):
    """The floor after the steps: time, step, tasks done so far by kind."""

    at: datetime
    step: int
    tasks_done: dict[str, int]


class EventOut(BaseModel):
    """Something that happened on the floor."""

    at: datetime
    step: int
    kind: EventKind
    subject: str
    detail: str


class EventPage(BaseModel):
    """A page of events, oldest first."""

    items: list[EventOut]
    total: int
    limit: int
    offset: int
    next: str | None


# --- endpoints -----------------------------------------------------------------------------------


def _cell(floor: TerminalFloor, cell: int) -> CellOut:
    row, col = divmod(int(cell), floor.layout.grid.width)
    return CellOut(row=row, col=col)


@router.get("/layout", response_model=LayoutOut, summary="The terminal floor's layout")
def get_layout(request: Request, caller: Reader) -> LayoutOut:
    """Map rows, shelves with their access cells and zones, stations, AGV homes."""
    live = _live(request, caller)
    floor = live.floor
    layout = floor.layout
    rows = format_movingai(layout.grid).splitlines()[4:]
    return LayoutOut(
        name=layout.name,
        height=layout.grid.height,
        width=layout.grid.width,
        step_seconds=layout.step_seconds,
        cell_size_m=layout.cell_size_m,
        map=rows,
        levels=[
            LevelOut(level=lv.level, max_kg=lv.max_kg, max_m3=lv.max_m3) for lv in layout.levels
        ],
        zones=list(layout.zones),
        shelves=[
            ShelfOut(
                id=s.shelf_id, zone=s.zone, cell=_cell(floor, s.cell), access=_cell(floor, s.access)
            )
            for s in layout.shelves
        ],
        stations=[
            StationOut(id=st.station_id, kind=st.kind, cells=[_cell(floor, c) for c in st.cells])
            for st in (*layout.induction, *layout.buildup, *layout.chargers)
        ],
        agv_homes=[_cell(floor, c) for c in layout.homes],
    )


@router.get("/occupancy", response_model=OccupancyOut, summary="Live shelf occupancy")
def get_occupancy(
    request: Request,
    caller: Reader,
    heatmap: Annotated[bool, Query(description="Include the per-cell heatmap.")] = False,
) -> OccupancyOut:
    """Totals, per zone (with alerts), per departure; the heatmap on request."""
    live = _live(request, caller)
    with live.lock:
        board = live.floor.board
        alerting = set(board.alerting)
        return OccupancyOut(
            at=live.clock.now(),
            step=live.floor.step_index,
            slots=board.slots,
            occupied=board.occupied,
            stored=board.stored,
            fraction=round(board.fraction, 4),
            peak_fraction=round(board.peak_fraction, 4),
            alert_threshold=board.alert_threshold,
            zones=[
                ZoneOut(
                    zone=z.zone,
                    slots=z.slots,
                    stored=z.stored,
                    reserved=z.reserved,
                    fraction=round(z.fraction, 4),
                    alerting=z.zone in alerting,
                )
                for z in board.by_zone()
            ],
            departures=[
                DepartureLoadOut(departure_id=d, pieces=n) for d, n in board.by_departure().items()
            ],
            heatmap=board.heatmap().as_dict() if heatmap else None,
        )


def _task_out(floor: TerminalFloor, task: Task, state: Literal["open", "active"]) -> TaskOut:
    return TaskOut(
        id=task.task_id,
        kind=task.kind,
        state=state,
        errands=[_cell(floor, c) for c in task.errands],
        errand_index=task.errand_index,
        piece_id=task.piece_id,
        departure_id=task.departure_id,
        station_id=task.station_id,
        agv=task.agent,
        created_step=task.created_step,
        assigned_step=task.assigned_step,
        due_step=task.due_step,
    )


@router.get("/tasks", response_model=TaskPage, summary="AGV tasks, open and active")
def list_tasks(
    request: Request,
    caller: Reader,
    paging: PagingParams,
    state: Annotated[
        Literal["open", "active", "all"], Query(description="Which tasks to list.")
    ] = "all",
) -> TaskPage:
    """Active tasks (by AGV) then open ones (most urgent first)."""
    live = _live(request, caller)
    with live.lock:
        floor = live.floor
        items: list[TaskOut] = []
        if state in ("active", "all"):
            items += [_task_out(floor, t, "active") for t in floor.active_tasks()]
        if state in ("open", "all"):
            items += [_task_out(floor, t, "open") for t in floor.open_tasks()]
    page = items[paging.offset : paging.offset + paging.limit]
    return TaskPage(
        items=page,
        total=len(items),
        limit=paging.limit,
        offset=paging.offset,
        next=next_link(request, paging, len(items)),
    )


@router.get("/agvs", response_model=FleetOut, summary="AGV positions")
def list_agvs(request: Request, caller: Reader) -> FleetOut:
    """Every AGV's cell, battery and task at the current step."""
    live = _live(request, caller)
    with live.lock:
        floor = live.floor
        return FleetOut(
            at=live.clock.now(),
            step=floor.step_index,
            items=[
                AgvOut(
                    agv=a.agv,
                    cell=CellOut(row=a.row, col=a.col),
                    battery=a.battery,
                    task_id=a.task_id,
                    task_kind=a.task_kind,
                )
                for a in floor.agvs()
            ],
        )


@router.post(
    "/pieces",
    response_model=InductionOut,
    responses=problem_responses(409),
    summary="Induct a piece (weigh-and-scan at a lane)",
)
def induct_piece(request: Request, caller: Operator, body: PieceIn) -> InductionOut:
    """Reconcile the weight; a held piece raises an event, a clean one gets a task."""
    live = _live(request, caller)
    floor = live.floor
    lanes = {st.station_id for st in floor.layout.induction}
    if body.lane not in lanes:
        raise ProblemError.invalid(
            "body.lane", f"unknown induction lane (one of {', '.join(sorted(lanes))})"
        )
    piece = Piece(body.piece_id, body.waybill, body.declared_kg, body.volume_m3, body.departure_id)
    with live.lock:
        if body.piece_id in floor.pieces:
            raise ProblemError(409, f"piece {body.piece_id!r} was already inducted")
        result = floor.induct(piece, body.measured_kg, body.lane)
        status = floor.piece_status(body.piece_id).value
    return InductionOut(
        piece_id=result.piece_id,
        verdict="accepted" if result.accepted else "held",
        declared_kg=result.declared_kg,
        measured_kg=result.measured_kg,
        allowed_kg=round(result.allowed_kg, 4),
        difference_kg=round(result.difference_kg, 4),
        reason=result.reason,
        status=status,
    )


@router.post(
    "/departures",
    response_model=DepartureOut,
    status_code=201,
    responses=problem_responses(409),
    summary="Open a departure for build-up",
)
def add_departure(request: Request, caller: Planner, body: DepartureIn) -> DepartureOut:
    """A flight or train with its cut-off and build-up station."""
    live = _live(request, caller)
    floor = live.floor
    stations = {st.station_id for st in floor.layout.buildup}
    if body.station_id not in stations:
        raise ProblemError.invalid(
            "body.station_id", f"unknown build-up station (one of {', '.join(sorted(stations))})"
        )
    departure = TerminalDeparture(body.departure_id, body.cutoff, body.station_id, body.label)
    with live.lock:
        if body.departure_id in floor.departures:
            raise ProblemError(409, f"departure {body.departure_id!r} already exists")
        floor.add_departure(departure)
    return DepartureOut(
        departure_id=departure.departure_id,
        cutoff=departure.cutoff,
        station_id=departure.station_id,
        label=departure.label,
    )


@router.post("/advance", response_model=AdvanceOut, summary="Run the floor for some steps")
def advance(request: Request, caller: Operator, body: AdvanceIn) -> AdvanceOut:
    """Plan and execute ``steps`` collision-free steps of the fleet (simulated time)."""
    live = _live(request, caller)
    with live.lock:
        floor = live.floor
        for _ in range(body.steps):
            floor.tick()
            live.clock.advance(floor.layout.step_seconds)
        return AdvanceOut(
            at=live.clock.now(),
            step=floor.step_index,
            tasks_done={str(k): v for k, v in floor.counters.tasks_done.items()},
        )


@router.get("/events", response_model=EventPage, summary="What happened on the floor")
def list_events(
    request: Request,
    caller: Reader,
    paging: PagingParams,
    kind: Annotated[EventKind | None, Query(description="Only events of this kind.")] = None,
) -> EventPage:
    """Held pieces, build-ups, cut-offs, zone alerts..., oldest first."""
    live = _live(request, caller)
    with live.lock:
        events = [e for e in live.floor.events if kind is None or e.kind is kind]
    page = events[paging.offset : paging.offset + paging.limit]
    return EventPage(
        items=[
            EventOut(at=e.at, step=e.step, kind=e.kind, subject=e.subject, detail=e.detail)
            for e in page
        ],
        total=len(events),
        limit=paging.limit,
        offset=paging.offset,
        next=next_link(request, paging, len(events)),
    )
