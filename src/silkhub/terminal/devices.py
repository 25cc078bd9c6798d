"""The outside world of the terminal behind one-method interfaces: the AGV fleet and the clock.

A real fleet manager receives one step of moves for every AGV and reports where they are
after it; the in-memory driver executes moves exactly and is what simulations and tests use.
``JsonLinesFleetDriver`` writes each step as one JSON line to a stream (a pipe to a fleet
manager, or a log to replay). Clocks: ``SystemClock`` reads the wall clock, ``ManualClock``
is moved by hand (a simulation advances it one step at a time).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Protocol, TextIO

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Clock",
    "FleetDriver",
    "InMemoryFleetDriver",
    "JsonLinesFleetDriver",
    "ManualClock",
    "SystemClock",
]


class FleetDriver(Protocol):
    """Sends one step of moves to the AGVs."""

    def execute(self, step: int, targets: NDArray[np.int64]) -> NDArray[np.int64]:
        """Move AGV ``a`` to cell ``targets[a]``; return the cells they stand on afterwards."""
        ...


class Clock(Protocol):
    """Tells the time (timezone-aware, UTC)."""

    def now(self) -> datetime:
        """The current time."""
        ...


class InMemoryFleetDriver:
    """Executes every move exactly; keeps the number of steps sent."""

    def __init__(self) -> None:
        self.steps_sent = 0

    def execute(self, step: int, targets: NDArray[np.int64]) -> NDArray[np.int64]:
        """Every AGV reaches its target."""
        self.steps_sent += 1
        return np.asarray(targets, dtype=np.int64).copy()


class JsonLinesFleetDriver:
    """Writes ``{"step": s, "cells": [...]}`` per step to ``stream`` and assumes execution."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def execute(self, step: int, targets: NDArray[np.int64]) -> NDArray[np.int64]:
        """Send the step; the fleet manager is trusted to carry it out."""
        cells = np.asarray(targets, dtype=np.int64)
        self.stream.write(json.dumps({"step": step, "cells": cells.tolist()}) + "\n")
        return cells.copy()


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"a clock needs a timezone-aware time, got {value.isoformat()}")
    return value.astimezone(UTC)


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        """Now."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to (simulations, tests)."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        """The time it was last set to."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds`` (never backwards)."""
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self._now += timedelta(seconds=seconds)
