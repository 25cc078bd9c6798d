"""Charger sites: chosen together so that no charger cuts the floor or makes a dead end."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from silkhub.terminal.charger_sites import _spread_order, choose_charger_cells, floor_cut_by
from silkhub.terminal.grid import parse_movingai

ROOM = "type octile\nheight 5\nwidth 6\nmap\n@@@@@@\n@....@\n@....@\n@....@\n@@@@@@\n"


@given(st.integers(min_value=0, max_value=300))
def test_spread_order_tries_every_cell_once(n: int) -> None:
    """Every candidate is tried exactly once, whatever the tier's length."""
    assert sorted(_spread_order(list(range(n)))) == list(range(n))


def test_spread_order_starts_at_both_ends_and_the_middle() -> None:
    """The first tries are far apart, so accepted chargers spread over the floor."""
    assert _spread_order(list(range(8)))[:4] == [0, 4, 2, 6]


def test_fewer_chargers_come_back_when_fewer_cells_qualify() -> None:
    """In a 3 × 4 room a corner takes a charger; the cell below it would then leave a dead end."""
    grid = parse_movingai(ROOM)
    corners = [grid.cell(1, 1), grid.cell(2, 1)]
    assert choose_charger_cells(grid, [corners], 2) == [grid.cell(1, 1)]


def test_floor_cut_by_names_a_charger_with_no_way_in() -> None:
    """Two chargers side by side in a one-cell pocket: the inner one cannot be reached."""
    grid = parse_movingai("type octile\nheight 3\nwidth 4\nmap\n@.@@\n....\n....\n")
    problems = floor_cut_by(grid, [grid.cell(0, 1), grid.cell(1, 1)])
    assert problems == ["chargers: cell (0, 1) has no free neighbour to drive in from"]
