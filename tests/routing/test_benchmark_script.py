"""The routing benchmark script still runs end to end (on a tiny network; no timing asserted)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from silkhub.network import load_network, write_network

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "routing.py"


def test_the_benchmark_runs_on_a_tiny_network() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--places", "40", "--departures", "400", "--services",
         "120", "--links", "40", "--queries", "30", "--baseline-queries", "10", "--phases"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "router, 30 queries, 1 thread: p50" in out
    two_cores = (os.cpu_count() or 1) >= 2  # the script times two threads only then
    assert ("router, 30 queries, 2 threads: p50" in out) == two_cores
    assert "points) with every thread count: yes" in out
    assert "baseline (networkx time-expanded Dijkstra" in out
    assert "10 queries p50" in out
    assert "ratio baseline/router (1 thread) on the same 10 queries" in out
    assert ("ratio baseline/router (2 threads) on the same 10 queries" in out) == two_cores
    assert "embedded Zhengzhou network" in out


def test_the_generated_network_loads_after_export(tmp_path: Path) -> None:
    """A synthetic network written in the network format loads back, so the CLI can use it."""
    spec = importlib.util.spec_from_file_location("routing_benchmark", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    network = module.generate(40, 400, 4, 40, 7, 120)
    write_network(network, tmp_path / "world")
    loaded = load_network(tmp_path / "world")
    assert set(loaded.services) == set(network.services)
    assert {s.vehicle for s in loaded.services.values()} == set(module.VEHICLES.values())
