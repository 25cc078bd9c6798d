"""Slotting rules: weight and size limits per level, next departures near their build-up."""

from __future__ import annotations

import numpy as np
import pytest

from silkhub.terminal import OccupancyBoard, SlotRef, Slotter, SlottingRules, TerminalLayout


@pytest.fixture
def board(north_cargo_area: TerminalLayout) -> OccupancyBoard:
    return OccupancyBoard(north_cargo_area)


@pytest.fixture(scope="module")
def slotter(north_cargo_area: TerminalLayout) -> Slotter:
    return Slotter(north_cargo_area)


def _col(layout: TerminalLayout, slot: SlotRef) -> int:
    return layout.shelves[slot.shelf].cell % layout.grid.width


def test_next_departure_goes_next_to_its_build_up_station(
    north_cargo_area: TerminalLayout, slotter: Slotter, board: OccupancyBoard
) -> None:
    """Cargo of the next departure takes the free slot nearest its station (east side)."""
    slot = slotter.choose(board, weight_kg=10, volume_m3=0.05, station_id="BU-4", departure_rank=0)
    assert slot is not None
    distance = slotter.to_station["BU-4"]
    assert distance[slot.shelf] == distance.min()
    assert _col(north_cargo_area, slot) >= 45  # the easternmost rack block


def test_later_departures_stay_near_induction(
    north_cargo_area: TerminalLayout, slotter: Slotter, board: OccupancyBoard
) -> None:
    """Cargo for a departure further out goes near the lanes, leaving the east for urgent cargo."""
    slot = slotter.choose(board, weight_kg=10, volume_m3=0.05, station_id="BU-4", departure_rank=5)
    assert slot is not None
    assert slotter.to_induction[slot.shelf] == slotter.to_induction.min()
    assert _col(north_cargo_area, slot) <= 18  # the westernmost rack block


@pytest.mark.parametrize(
    ("weight", "volume", "level"),
    [
        (50.0, 0.2, 3),  # light and small: top level (100 kg, 0.5 m³)
        (150.0, 0.2, 2),  # too heavy for the top: 250 kg level
        (80.0, 0.8, 2),  # too big for the top: 1.0 m³ level
        (400.0, 1.2, 1),
        (900.0, 2.0, 0),  # only the floor level takes it
    ],
)
def test_tightest_level_that_takes_the_piece(
    slotter: Slotter, board: OccupancyBoard, weight: float, volume: float, level: int
) -> None:
    """A piece goes on the weakest level whose weight and volume limits it fits."""
    slot = slotter.choose(
        board, weight_kg=weight, volume_m3=volume, station_id="BU-1", departure_rank=0
    )
    assert slot is not None
    assert slot.level == level


def test_too_heavy_or_too_big_has_no_slot(slotter: Slotter, board: OccupancyBoard) -> None:
    """A piece over every level's limit gets no slot (the floor keeps it waiting)."""
    assert (
        slotter.choose(board, weight_kg=1500, volume_m3=1, station_id="BU-1", departure_rank=0)
        is None
    )
    assert (
        slotter.choose(board, weight_kg=10, volume_m3=3, station_id="BU-1", departure_rank=0)
        is None
    )


def test_full_levels_are_skipped(slotter: Slotter, board: OccupancyBoard) -> None:
    """When every top-level slot is taken, a light piece goes one level down."""
    board.state[:, 3] = 2
    slot = slotter.choose(board, weight_kg=5, volume_m3=0.05, station_id="BU-1", departure_rank=0)
    assert slot is not None
    assert slot.level == 2
    board.state[:] = 2
    assert (
        slotter.choose(board, weight_kg=5, volume_m3=0.05, station_id="BU-1", departure_rank=0)
        is None
    )


def test_consecutive_pieces_fill_outwards(slotter: Slotter, board: OccupancyBoard) -> None:
    """Each reserved slot is skipped by the next piece, which takes the next-nearest."""
    taken = []
    for i in range(10):
        slot = slotter.choose(
            board, weight_kg=5, volume_m3=0.05, station_id="BU-2", departure_rank=0
        )
        assert slot is not None
        board.reserve(slot, f"P{i}", "D")
        taken.append(slot)
    assert len(set(taken)) == 10
    distances = slotter.to_station["BU-2"][[s.shelf for s in taken if s.level == 3]]
    assert np.all(np.diff(distances) >= 0)


def test_unknown_station_and_bad_rules(slotter: Slotter, board: OccupancyBoard) -> None:
    """Unknown stations and nonsensical rules are refused."""
    with pytest.raises(KeyError):
        slotter.choose(board, weight_kg=1, volume_m3=0.1, station_id="BU-99", departure_rank=0)
    with pytest.raises(ValueError, match="near_departures"):
        SlottingRules(near_departures=-1)
    with pytest.raises(ValueError, match="retrieval_lead_s"):
        SlottingRules(retrieval_lead_s=0)
