"""Terminal operations: weigh-and-scan induction, shelves and slotting, the AGV fleet, occupancy.

The floor is a grid (MovingAI maps; League of Robot Runners instances read as they are).
Pieces are reconciled with their waybill at the door (``reconcile_weight``), slotted by
departure, size and weight (``Slotter``) and moved by a fleet of AGVs whose tasks are matched
optimally (``assign``) and whose moves come from a lifelong PIBT planner (``FleetPlanner``)
that never lets two AGVs meet or swap. ``check_plan`` verifies any step-by-step plan
independently. ``TerminalFloor`` runs it all live; ``simulate`` and ``run_lorr`` run it
offline. See docs/terminal.md.
"""

from silkhub.terminal.checker import (
    PLAN_FORMAT,
    Conflict,
    ConflictKind,
    PlanCheck,
    check_plan,
    parse_plan_document,
    plan_document,
)
from silkhub.terminal.devices import (
    Clock,
    FleetDriver,
    InMemoryFleetDriver,
    JsonLinesFleetDriver,
    ManualClock,
    SystemClock,
)
from silkhub.terminal.floor import (
    AgvState,
    EventKind,
    FleetSettings,
    FloorCounters,
    PieceStatus,
    TerminalDeparture,
    TerminalEvent,
    TerminalFloor,
)
from silkhub.terminal.grid import (
    Grid,
    MapFormatError,
    format_movingai,
    parse_movingai,
    read_movingai,
)
from silkhub.terminal.induction import (
    DEFAULT_ABSOLUTE_KG,
    DEFAULT_RELATIVE,
    WEIGHT_RULE_ID,
    InductionResult,
    InductionVerdict,
    Piece,
    WeightTolerance,
    reconcile_weight,
)
from silkhub.terminal.layout import (
    DEFAULT_LAYOUT_NAME,
    LayoutError,
    Shelf,
    SlotLevel,
    Station,
    StationKind,
    TerminalLayout,
    default_layout,
    layout_from_grid,
    layout_from_spec,
    read_layout,
)
from silkhub.terminal.lorr import LorrFormatError, LorrInstance, read_lorr
from silkhub.terminal.occupancy import (
    Heatmap,
    OccupancyBoard,
    SlotRef,
    ZoneAlert,
    ZoneOccupancy,
    render_heatmap_png,
)
from silkhub.terminal.planner import FleetPlanner, PlannerConfig
from silkhub.terminal.reservation import ReservationPlanner
from silkhub.terminal.simulation import (
    LorrRun,
    TerminalRun,
    TerminalScenario,
    run_lorr,
    simulate,
    to_row_col,
)
from silkhub.terminal.slotting import Slotter, SlottingRules
from silkhub.terminal.tasks import Task, TaskKind, assign

__all__ = [
    "DEFAULT_ABSOLUTE_KG",
    "DEFAULT_LAYOUT_NAME",
    "DEFAULT_RELATIVE",
    "PLAN_FORMAT",
    "WEIGHT_RULE_ID",
    "AgvState",
    "Clock",
    "Conflict",
    "ConflictKind",
    "EventKind",
    "FleetDriver",
    "FleetPlanner",
    "FleetSettings",
    "FloorCounters",
    "Grid",
    "Heatmap",
    "InMemoryFleetDriver",
    "InductionResult",
    "InductionVerdict",
    "JsonLinesFleetDriver",
    "LayoutError",
    "LorrFormatError",
    "LorrInstance",
    "LorrRun",
    "ManualClock",
    "MapFormatError",
    "OccupancyBoard",
    "Piece",
    "PieceStatus",
    "PlanCheck",
    "PlannerConfig",
    "ReservationPlanner",
    "Shelf",
    "SlotLevel",
    "SlotRef",
    "Slotter",
    "SlottingRules",
    "Station",
    "StationKind",
    "SystemClock",
    "Task",
    "TaskKind",
    "TerminalDeparture",
    "TerminalEvent",
    "TerminalFloor",
    "TerminalLayout",
    "TerminalRun",
    "TerminalScenario",
    "WeightTolerance",
    "ZoneAlert",
    "ZoneOccupancy",
    "assign",
    "check_plan",
    "default_layout",
    "format_movingai",
    "layout_from_grid",
    "layout_from_spec",
    "parse_movingai",
    "parse_plan_document",
    "plan_document",
    "read_layout",
    "read_lorr",
    "read_movingai",
    "reconcile_weight",
    "render_heatmap_png",
    "run_lorr",
    "simulate",
    "to_row_col",
]
