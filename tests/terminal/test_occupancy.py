"""Live occupancy by shelf, zone and departure; zone alerts; the heatmap for the UI and the PNG."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from silkhub.terminal import OccupancyBoard, SlotRef, TerminalLayout, render_heatmap_png

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def _zone_slots(layout: TerminalLayout, zone: str) -> list[SlotRef]:
    return [
        SlotRef(i, level)
        for i, shelf in enumerate(layout.shelves)
        if shelf.zone == zone
        for level in range(len(layout.levels))
    ]


def test_reserve_store_release(north_cargo_area: TerminalLayout) -> None:
    """A slot goes free → reserved → stored → free, and refuses out-of-order changes."""
    board = OccupancyBoard(north_cargo_area)
    slot = SlotRef(0, 0)
    board.reserve(slot, "P1", "D001")
    assert (board.occupied, board.stored) == (1, 0)
    with pytest.raises(ValueError, match="not free"):
        board.reserve(slot, "P2", "D001")
    board.store(slot)
    assert board.stored == 1
    assert board.content(slot) == ("P1", "D001")
    assert board.slots_of("D001") == [slot]
    assert board.release(slot) == ("P1", "D001")
    assert board.occupied == 0
    with pytest.raises(ValueError, match="already free"):
        board.release(slot)
    with pytest.raises(ValueError, match="not reserved"):
        board.store(slot)


def test_occupancy_by_shelf_zone_and_departure(north_cargo_area: TerminalLayout) -> None:
    """Counts roll up per shelf, per zone and per departure."""
    board = OccupancyBoard(north_cargo_area)
    board.place(SlotRef(0, 0), "P1", "D001")
    board.place(SlotRef(0, 1), "P2", "D002")
    board.reserve(SlotRef(5, 0), "P3", "D001")
    assert board.by_shelf()[0] == pytest.approx(0.5)
    assert board.by_departure() == {"D001": 2, "D002": 1}
    zone = north_cargo_area.shelves[0].zone
    line = next(z for z in board.by_zone() if z.zone == zone)
    assert (line.stored, line.reserved) == (2, 1)
    assert line.fraction == pytest.approx(3 / line.slots)
    assert board.peak_slots == 3


def test_zone_alert_raised_once_and_cleared_with_hysteresis(
    north_cargo_area: TerminalLayout,
) -> None:
    """A zone passing 85 % raises one alert; it clears only below 80 %."""
    board = OccupancyBoard(north_cargo_area, alert_threshold=0.85, clear_below=0.8)
    slots = _zone_slots(north_cargo_area, "DN")
    need = int(0.85 * len(slots)) + 1
    for i, slot in enumerate(slots[:need]):
        board.place(slot, f"P{i}", "D")
    (alert,) = board.alerts(NOW)
    assert (alert.zone, alert.raised) == ("DN", True)
    assert board.alerting == ("DN",)
    assert board.alerts(NOW) == []  # no repeat while still above
    for slot in slots[int(0.82 * len(slots)) : need]:
        board.release(slot)
    assert board.alerts(NOW) == []  # between 80 % and 85 %: still in alert
    for slot in slots[int(0.7 * len(slots)) : int(0.82 * len(slots))]:
        board.release(slot)
    (cleared,) = board.alerts(NOW)
    assert (cleared.zone, cleared.raised) == ("DN", False)


def test_threshold_order_is_checked(north_cargo_area: TerminalLayout) -> None:
    """The clear level may not exceed the threshold."""
    with pytest.raises(ValueError, match="clear_below"):
        OccupancyBoard(north_cargo_area, alert_threshold=0.5, clear_below=0.6)


def test_heatmap_data_and_png(north_cargo_area: TerminalLayout) -> None:
    """The heatmap has a value per shelf cell, None elsewhere, and draws as a PNG."""
    board = OccupancyBoard(north_cargo_area)
    board.place(SlotRef(0, 0), "P1", "D001")
    heatmap = board.heatmap()
    grid = north_cargo_area.grid
    r, c = divmod(north_cargo_area.shelves[0].cell, grid.width)
    assert heatmap.values[r][c] == pytest.approx(0.25)
    assert heatmap.values[1][1] is None
    assert heatmap.blocked[0][0] is True
    data = heatmap.as_dict()
    assert len(data["values"]) == grid.height
    assert {s[3] for s in data["stations"]} == {"induction", "buildup", "charger"}
    png = render_heatmap_png(heatmap)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
