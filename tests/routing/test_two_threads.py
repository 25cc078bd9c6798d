"""Two threads per query give exactly the fronts of one, however the routes fall between them."""

from __future__ import annotations

import importlib.util
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import silkhub.routing.router as router_module
from silkhub.model import Network
from silkhub.network import expand_departures
from silkhub.routing import QuoteRequest, Router

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "routing.py"


def world_network() -> Network:
    """A synthetic network of the benchmark's kind, big enough that rounds scan many routes."""
    spec = importlib.util.spec_from_file_location("routing_benchmark_for_threads", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    network: Network = module.generate(150, 4000, 4, 300, 11)
    return network


@pytest.fixture(scope="module")
def world() -> Network:
    return world_network()


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
    for threads in (0, 3, True, 2.0, "2"):
        with pytest.raises(ValueError, match="threads must be 1 or 2"):
            Router(world, departures, threads=threads)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="threads must be 1 or 2"):
            Router(world, departures).with_threads(threads)  # type: ignore[arg-type]
    router = Router(world, departures)
    with pytest.raises(AttributeError):
        router.threads = 2  # type: ignore[misc]  # fixed per router: its workspaces follow it


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


_CONCURRENT = """
import random, sys, threading
from datetime import UTC, datetime, timedelta
sys.path.insert(0, {tests!r})
from test_two_threads import _requests, world_network
from silkhub.network import expand_departures
from silkhub.routing import Router
net = world_network()
departures = expand_departures(net, datetime(2026, 11, 23).date(), datetime(2026, 12, 6).date())
one, two = Router(net, departures), Router(net, departures, threads=2)
requests = _requests(net, 30)
expected = [sorted(it.criteria for it in one.query(r)) for r in requests]
bad = []
def work():
    for r, want in zip(requests, expected):
        if sorted(it.criteria for it in two.query(r)) != want:
            bad.append(r)
threads = [threading.Thread(target=work) for _ in range(3)]
for t in threads: t.start()
for t in threads: t.join()
print("mismatches", len(bad))
"""


@pytest.mark.parametrize("layer", ["default", "workqueue"])
def test_two_thread_queries_from_several_python_threads_at_once(layer: str) -> None:
    """Three Python threads share one two-thread router: the same fronts, and no abort.

    Numba's workqueue layer (its fallback without OpenMP or TBB) kills the process when two
    parallel regions run at once, so the router makes two-thread searches take turns there.
    """
    env = dict(os.environ, NUMBA_THREADING_LAYER=layer)
    script = _CONCURRENT.format(tests=str(Path(__file__).parent))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=900, env=env,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "mismatches 0" in done.stdout
