"""The routing benchmark script still runs end to end (on a tiny network; no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "routing.py"


def test_the_benchmark_runs_on_a_tiny_network() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--places", "40", "--departures", "400", "--services",
         "120", "--links", "40", "--queries", "30", "--baseline-queries", "10", "--phases"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "router, 30 queries: p50" in out
    assert "baseline (networkx time-expanded Dijkstra" in out
    assert "10 queries p50" in out
    assert "ratio baseline/router on the same 10 queries" in out
    assert "embedded Zhengzhou network" in out
