"""Which dated departures to store when a network is imported.

Calendars can run for years, but a hub sells capacity for the coming months and looks back a
little (late arrivals, disputes). The default window is the rolling one, today − 30 days to
today + 180 days, cut to the timetable's own validity. Its start reaches further back by the
network's longest run and the span of the time zones: a train that left Zhengzhou six weeks
ago may still call at Hamburg today, and a quote from Hamburg needs it. A timetable that lies wholly outside
that window (a historic or a future network, such as a test fixture from 2025) is stored
from its first valid date instead, over a window of the same length, so importing it always
gives departures to quote on.
"""

from __future__ import annotations

from datetime import date, timedelta

from silkhub.model import Network
from silkhub.network import longest_run

__all__ = ["departure_window"]

_ZONES_SPAN = timedelta(hours=26)


def departure_window(
    network: Network,
    today: date,
    past_days: int = 30,
    future_days: int = 180,
    start: date | None = None,
    end: date | None = None,
) -> tuple[date, date]:
    """The first and last service date (inclusive) whose departures are stored.

    ``start``/``end`` fix a bound explicitly (it is then kept as given). The result never
    has ``end < start``.
    """
    span = timedelta(days=past_days + future_days)
    # Whole days back: the longest run, plus the 26 hours the world's zones span (UTC−12 to
    # UTC+14), so that a ready time on today − past_days, local anywhere, sees every train
    # still under way (``silkhub.routing.window_cover``).
    reach_back = timedelta(days=-(-(longest_run(network) + _ZONES_SPAN) // timedelta(days=1)))
    lo = start if start is not None else today - timedelta(days=past_days) - reach_back
    hi = end if end is not None else today + timedelta(days=future_days)
    if network.calendars:
        first = min(rule.valid_from for rule in network.calendars)
        last = max(rule.valid_to for rule in network.calendars)
        if start is None:
            lo = max(lo, first)
        if end is None:
            hi = min(hi, last)
        if hi < lo and start is None and end is None:
            lo, hi = first, min(last, first + span)
    if hi < lo:
        hi = lo
    return lo, hi
