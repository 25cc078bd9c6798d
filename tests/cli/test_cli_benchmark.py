"""The CLI benchmark script runs end to end (one run of each command; no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "cli.py"


def test_the_cli_benchmark_runs_once() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "1"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for name in ("quote (embedded network, --json)", "network show", "--version"):
        line = next(x for x in lines if x.startswith(f"silkhub {name}: median"))
        assert "peak RSS" in line
        assert "baseline, every stage imported first" in line
        assert "ratio baseline/now" in line
