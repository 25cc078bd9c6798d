"""Slotting: which shelf slot a piece goes to, and when it must come out again.

Rules, in order:

1. **Limits.** A piece goes only on a level that takes its weight and volume; among the
   levels that do, the tightest fit is used, so the strong floor levels stay free for heavy
   pieces.
2. **Departure.** Pieces booked on one of the next ``near_departures`` departures (by
   cut-off) go to the free slot nearest (in AGV moves) to that departure's build-up station:
   they will be fetched soon, and short retrieval trips are what beats a cut-off. Pieces for
   later departures go to the free slot nearest to the induction lanes: a short storage trip
   now, and the slots near build-up stay free for the cargo that needs them.
3. **Retrieval.** Retrieval tasks for a departure are released ``retrieval_lead_s`` before its
   cut-off; a piece inducted after that goes straight from the lane to build-up.

Ties are broken by shelf order, so slotting is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from silkhub.terminal._graph import CompactGraph, DistanceTables
from silkhub.terminal.layout import TerminalLayout
from silkhub.terminal.occupancy import FREE, OccupancyBoard, SlotRef

__all__ = ["Slotter", "SlottingRules"]


@dataclass(frozen=True, slots=True)
class SlottingRules:
    """How slots are chosen and when retrieval starts (see the module docstring)."""

    near_departures: int = 2
    retrieval_lead_s: float = 7200.0
    store_within_s: float = 1800.0

    def __post_init__(self) -> None:
        if self.near_departures < 0:
            raise ValueError(f"near_departures must be 0 or more, got {self.near_departures}")
        if not self.retrieval_lead_s > 0:
            raise ValueError(f"retrieval_lead_s must be positive, got {self.retrieval_lead_s}")
        if not self.store_within_s > 0:
            raise ValueError(f"store_within_s must be positive, got {self.store_within_s}")


class Slotter:
    """Chooses slots on one layout; distances are computed once when it is built."""

    def __init__(
        self,
        layout: TerminalLayout,
        rules: SlottingRules | None = None,
        *,
        graph: CompactGraph | None = None,
    ) -> None:
        self.layout = layout
        self.rules = rules or SlottingRules()
        graph = graph or CompactGraph(layout.grid)
        tables = DistanceTables(graph, capacity=1)
        access = graph.vertices(np.array([s.access for s in layout.shelves], dtype=np.int64))

        def moves_to(cell: int) -> NDArray[np.int64]:
            goal = int(graph.vertices(np.array([cell], dtype=np.int64))[0])
            return tables.table(goal)[access].astype(np.int64)

        self.to_station = {
            st.station_id: np.stack([moves_to(c) for c in st.cells]).min(axis=0)
            for st in layout.buildup
        }
        lanes = np.stack([moves_to(st.cell) for st in layout.induction])
        self.to_induction = lanes.min(axis=0)
        # levels from the weakest to the strongest: the first that fits is the tightest
        self._level_order = sorted(
            range(len(layout.levels)),
            key=lambda i: (layout.levels[i].max_kg, layout.levels[i].max_m3, i),
        )

    def fitting_levels(self, weight_kg: float, volume_m3: float) -> list[int]:
        """Levels that take the piece, tightest first."""
        return [i for i in self._level_order if self.layout.levels[i].fits(weight_kg, volume_m3)]

    def choose(
        self,
        board: OccupancyBoard,
        *,
        weight_kg: float,
        volume_m3: float,
        station_id: str,
        departure_rank: int,
    ) -> SlotRef | None:
        """The slot for a piece, or None when no free slot takes it.

        ``departure_rank`` is 0 for the next departure to close, 1 for the one after, ...
        """
        if station_id not in self.to_station:
            raise KeyError(f"unknown build-up station {station_id!r}")
        levels = self.fitting_levels(weight_kg, volume_m3)
        if not levels:
            return None
        near = departure_rank < self.rules.near_departures
        distance = self.to_station[station_id] if near else self.to_induction
        free = board.state[:, levels] == FREE  # (shelves, fitting levels), tightest first
        has_free = free.any(axis=1)
        if not has_free.any():
            return None
        best_level = free.argmax(axis=1)  # first (tightest) free fitting level per shelf
        score = np.where(
            has_free, distance * (len(levels) + 1) + best_level, np.iinfo(np.int64).max
        )
        shelf = int(np.argmin(score))
        return SlotRef(shelf, levels[int(best_level[shelf])])
