"""Live occupancy of the shelves: by slot, shelf, zone and departure, with zone alerts.

A slot is *free*, *reserved* (a piece is on its way to it: no other piece may take it) or
*stored*. Occupancy counts reserved and stored slots, because that is the capacity left to
promise; both numbers are reported. A zone alert is raised once when a zone's occupancy
reaches the threshold and cleared once it falls below the clear level (a hysteresis band, so
a zone hovering at the threshold does not flood the operators with alerts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from silkhub.terminal.layout import TerminalLayout

__all__ = [
    "FREE",
    "RESERVED",
    "STORED",
    "Heatmap",
    "OccupancyBoard",
    "SlotRef",
    "ZoneAlert",
    "ZoneOccupancy",
    "render_heatmap_png",
]

FREE, RESERVED, STORED = 0, 1, 2


@dataclass(frozen=True, slots=True, order=True)
class SlotRef:
    """A slot: the index of its shelf in ``layout.shelves`` and its level."""

    shelf: int
    level: int


@dataclass(frozen=True, slots=True)
class ZoneOccupancy:
    """Slots of a zone: how many, how many stored and reserved, the occupied share."""

    zone: str
    slots: int
    stored: int
    reserved: int

    @property
    def fraction(self) -> float:
        """Occupied (stored + reserved) share of the zone's slots."""
        return (self.stored + self.reserved) / self.slots if self.slots else 0.0


@dataclass(frozen=True, slots=True)
class ZoneAlert:
    """A zone crossed the alert threshold (``raised``) or fell back below the clear level."""

    zone: str
    raised: bool
    fraction: float
    threshold: float
    at: datetime


@dataclass(frozen=True, slots=True)
class Heatmap:
    """Occupied share of each shelf cell on the grid (``None`` where there is no shelf).

    ``blocked`` marks walls and shelves; ``stations`` lists every station cell as
    (station id, row, col, kind), so a UI can draw the floor from this object alone.
    """

    height: int
    width: int
    values: tuple[tuple[float | None, ...], ...]
    blocked: tuple[tuple[bool, ...], ...]
    stations: tuple[tuple[str, int, int, str], ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the UI and the API)."""
        return {
            "height": self.height,
            "width": self.width,
            "values": [list(row) for row in self.values],
            "blocked": [list(row) for row in self.blocked],
            "stations": [list(s) for s in self.stations],
        }


class OccupancyBoard:
    """The state of every slot of a layout, with the piece and departure in it.

    ``alert_threshold`` and ``clear_below`` are shares in (0, 1], the clear level at most the
    threshold.
    """

    def __init__(
        self, layout: TerminalLayout, *, alert_threshold: float = 0.85, clear_below: float = 0.8
    ) -> None:
        if not 0 < clear_below <= alert_threshold <= 1:
            raise ValueError("need 0 < clear_below <= alert_threshold <= 1")
        self.layout = layout
        self.alert_threshold = alert_threshold
        self.clear_below = clear_below
        self.state = np.zeros((len(layout.shelves), len(layout.levels)), dtype=np.int8)
        self._content: dict[SlotRef, tuple[str, str]] = {}
        zones = layout.zones
        self._zone_index = {z: i for i, z in enumerate(zones)}
        self.shelf_zone = np.array([self._zone_index[s.zone] for s in layout.shelves])
        self._zone_slots = np.bincount(self.shelf_zone, minlength=len(zones)) * len(layout.levels)
        self._alerting: set[str] = set()
        self._taken = 0
        self.peak_fraction = 0.0
        self.peak_slots = 0
        #: Slots freed so far: a caller waiting for room retries only when this changes.
        self.releases = 0

    # --- changes -----------------------------------------------------------------------------

    def reserve(self, slot: SlotRef, piece_id: str, departure_id: str) -> None:
        """Promise a free slot to a piece (``ValueError`` if the slot is not free)."""
        if self.state[slot.shelf, slot.level] != FREE:
            raise ValueError(f"slot {slot} is not free")
        self.state[slot.shelf, slot.level] = RESERVED
        self._content[slot] = (piece_id, departure_id)
        self._taken += 1
        if self._taken > self.peak_slots:
            self.peak_slots = self._taken
            self.peak_fraction = self._taken / self.state.size

    def store(self, slot: SlotRef) -> None:
        """The piece promised the slot is now on it."""
        if self.state[slot.shelf, slot.level] != RESERVED:
            raise ValueError(f"slot {slot} was not reserved")
        self.state[slot.shelf, slot.level] = STORED

    def place(self, slot: SlotRef, piece_id: str, departure_id: str) -> None:
        """Put a piece straight on a free slot (initial stock)."""
        self.reserve(slot, piece_id, departure_id)
        self.store(slot)

    def release(self, slot: SlotRef) -> tuple[str, str]:
        """Empty a slot (the piece was picked up); the (piece, departure) that was there."""
        if self.state[slot.shelf, slot.level] == FREE:
            raise ValueError(f"slot {slot} is already free")
        self.state[slot.shelf, slot.level] = FREE
        self._taken -= 1
        self.releases += 1
        return self._content.pop(slot)

    # --- queries -----------------------------------------------------------------------------

    @property
    def slots(self) -> int:
        """Number of slots."""
        return int(self.state.size)

    @property
    def occupied(self) -> int:
        """Stored plus reserved slots."""
        return self._taken

    @property
    def stored(self) -> int:
        """Slots holding a piece now."""
        return int(np.count_nonzero(self.state == STORED))

    @property
    def fraction(self) -> float:
        """Occupied share of all slots."""
        return self.occupied / self.slots

    def content(self, slot: SlotRef) -> tuple[str, str] | None:
        """(piece, departure) promised or stored in ``slot``, or None."""
        return self._content.get(slot)

    def slots_of(self, departure_id: str, *, stored_only: bool = True) -> list[SlotRef]:
        """Slots holding (or promised to) pieces of a departure."""
        return sorted(
            slot
            for slot, (_, dep) in self._content.items()
            if dep == departure_id
            and (not stored_only or self.state[slot.shelf, slot.level] == STORED)
        )

    def by_shelf(self) -> NDArray[np.float64]:
        """Occupied share of each shelf, in ``layout.shelves`` order."""
        share: NDArray[np.float64] = np.count_nonzero(self.state, axis=1) / self.state.shape[1]
        return share

    def by_zone(self) -> list[ZoneOccupancy]:
        """Occupancy of each zone, in zone order."""
        out = []
        for zone, i in self._zone_index.items():
            rows = self.state[self.shelf_zone == i]
            out.append(
                ZoneOccupancy(
                    zone,
                    int(rows.size),
                    int(np.count_nonzero(rows == STORED)),
                    int(np.count_nonzero(rows == RESERVED)),
                )
            )
        return out

    def by_departure(self) -> dict[str, int]:
        """Pieces stored or promised a slot, per departure."""
        counts: dict[str, int] = {}
        for _, dep in self._content.values():
            counts[dep] = counts.get(dep, 0) + 1
        return dict(sorted(counts.items()))

    def alerts(self, now: datetime) -> list[ZoneAlert]:
        """Zones that crossed the threshold up (raised) or the clear level down since last asked."""
        taken = np.bincount(
            self.shelf_zone,
            weights=np.count_nonzero(self.state, axis=1),
            minlength=len(self._zone_slots),
        )
        share = taken / self._zone_slots
        changes = []
        for zone, i in self._zone_index.items():
            if zone not in self._alerting and share[i] >= self.alert_threshold:
                self._alerting.add(zone)
                changes.append(ZoneAlert(zone, True, float(share[i]), self.alert_threshold, now))
            elif zone in self._alerting and share[i] < self.clear_below:
                self._alerting.discard(zone)
                changes.append(ZoneAlert(zone, False, float(share[i]), self.alert_threshold, now))
        return changes

    @property
    def alerting(self) -> tuple[str, ...]:
        """Zones in alert now."""
        return tuple(sorted(self._alerting))

    def heatmap(self) -> Heatmap:
        """Occupied share per shelf cell, as a grid (for the UI and the PNG)."""
        grid = self.layout.grid
        values: list[list[float | None]] = [[None] * grid.width for _ in range(grid.height)]
        for shelf, share in zip(self.layout.shelves, self.by_shelf(), strict=True):
            r, c = divmod(shelf.cell, grid.width)
            values[r][c] = round(float(share), 4)
        stations = tuple(
            (st.station_id, *divmod(cell, grid.width), st.kind.value)
            for st in (*self.layout.induction, *self.layout.buildup, *self.layout.chargers)
            for cell in st.cells
        )
        blocked = tuple(tuple(bool(not x) for x in row) for row in grid.passable)
        return Heatmap(
            grid.height, grid.width, tuple(tuple(row) for row in values), blocked, stations
        )


def render_heatmap_png(heatmap: Heatmap, *, title: str = "Shelf occupancy") -> bytes:
    """The heatmap drawn as a PNG image (matplotlib's Agg backend; no window, no file).

    matplotlib is imported here, not at module import, so the terminal package stays light
    for callers that never draw.
    """
    from io import BytesIO

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    values = np.array(
        [[np.nan if v is None else v for v in row] for row in heatmap.values], dtype=float
    )
    walls = np.array(heatmap.blocked, dtype=float) * np.isnan(values)
    aspect = heatmap.height / max(heatmap.width, 1)
    fig = Figure(figsize=(10, max(2.5, 10 * aspect + 1.2)), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.imshow(
        np.where(walls > 0, 1.0, np.nan),
        cmap=ListedColormap(["#555555"]),
        interpolation="nearest",
    )
    image = ax.imshow(values, cmap="RdYlGn_r", vmin=0, vmax=1, interpolation="nearest")
    colours = {"induction": "#1f77b4", "buildup": "#9467bd", "charger": "#ff7f0e"}
    for kind, colour in colours.items():
        cells = [(r, c) for _, r, c, k in heatmap.stations if k == kind]
        if cells:
            rows, cols = zip(*cells, strict=True)
            ax.scatter(cols, rows, s=18, marker="s", color=colour, label=kind)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    if heatmap.stations:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, frameon=False)
    fig.colorbar(image, ax=ax, fraction=0.025, pad=0.01, label="occupied share")
    fig.tight_layout()
    buffer = BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
