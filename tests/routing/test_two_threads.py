"""Two threads per query give exactly the fronts of one, however the routes fall between them."""

from __future__ import annotations

import importlib.util
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import silkhub.routing.router as router_module
from silkhub.model import Network
from silkhub.network import expand_departures
from silkhub.routing import QuoteRequest, Router

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "routing.py"


@pytest.fixture(scope="module")
def world() -> Network:
    """A synthetic network of the benchmark's kind, big enough that rounds scan many routes."""
    spec = importlib.util.spec_from_file_location("routing_benchmark_for_threads", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    network: Network = module.generate(150, 4000, 4, 300, 11)
    return network


def _requests(network: Network, count: int) -> list[QuoteRequest]:
    rng = random.Random(5)
    places = sorted(network.places)
    start = datetime(2026, 11, 23, tzinfo=UTC)
    requests = []
    for _ in range(count):
        origin, destination = rng.sample(places, 2)
        ready = start + timedelta(minutes=rng.randrange(3 * 1440))
        requests.append(QuoteRequest(origin, destination, ready, rng.choice((50.0, 5000.0)), 1.0))
    return requests


@pytest.mark.parametrize(("chunk", "pool"), [(16, 1 << 12), (1, 1 << 12), (3, 8)])
def test_two_threads_give_the_fronts_of_one(
    world: Network, monkeypatch: pytest.MonkeyPatch, chunk: int, pool: int
) -> None:
    """The same (arrival, price, CO₂e) points and totals on 80 queries, for any claim size.

    A claim of one route interleaves the threads' routes as finely as it gets; a pool of 8
    labels makes both threads run out in the middle of a round and the search grow and rerun.
    """
    departures = expand_departures(
        world, datetime(2026, 11, 23).date(), datetime(2026, 12, 6).date()
    )
    one = Router(world, departures)
    monkeypatch.setattr(router_module, "_INITIAL_POOL", pool)
    two = Router(world, departures, threads=2)
    two._route_chunk = chunk
    answered = 0
    for request in _requests(world, 80):
        expected = one.query(request)
        got = two.query(request)
        assert sorted(it.criteria for it in got) == sorted(it.criteria for it in expected)
        assert [it.criteria for it in got] == sorted(it.criteria for it in got)
        answered += bool(got)
    assert answered > 40  # the network is connected enough for the comparison to mean much


def test_threads_must_be_one_or_two(world: Network) -> None:
    departures = expand_departures(
        world, datetime(2026, 11, 23).date(), datetime(2026, 11, 24).date()
    )
    for threads in (0, 3):
        with pytest.raises(ValueError, match="threads must be 1 or 2"):
            Router(world, departures, threads=threads)
        with pytest.raises(ValueError, match="threads must be 1 or 2"):
            Router(world, departures).with_threads(threads)


def test_a_twin_with_two_threads_shares_the_timetable_and_answers_alike(world: Network) -> None:
    departures = expand_departures(
        world, datetime(2026, 11, 23).date(), datetime(2026, 12, 6).date()
    )
    one = Router(world, departures)
    two = one.with_threads(2)
    assert two.timetable is one.timetable
    assert (one.threads, two.threads) == (1, 2)
    for request in _requests(world, 20):
        got, expected = two.query(request), one.query(request)
        assert sorted(it.criteria for it in got) == sorted(it.criteria for it in expected)
        assert one._local.ws.shares == 1
        assert two._local.ws.shares == 2
