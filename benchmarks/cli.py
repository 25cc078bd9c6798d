"""CLI benchmark: how long a `silkhub` command takes from the shell, start to exit.

Runs commands as a user would, each in a fresh interpreter (`python -m silkhub ...`), and
times them from start to exit, with the peak resident memory of each run. The
baseline, run in the same session in alternating order, is the same command with every stage
imported before it runs (the store, the service, the terminal and customs), as each command
paid before the root group loaded stages lazily (`silkhub/cli/app.py`): the ratio says what
the lazy loading saves.

    python benchmarks/cli.py               # 5 runs of each command
    python benchmarks/cli.py --runs 2      # quick
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

#: What the baseline imports first: every stage the commands below do not need.
EAGER = "import silkhub.store, silkhub.api, silkhub.terminal, silkhub.customs"

COMMANDS: dict[str, list[str]] = {
    "quote (embedded network, --json)": [
        "quote", "--from", "YIW", "--to", "MAD", "--ready", "2026-12-07T09:00+08:00",
        "--weight", "500", "--json",
    ],
    "network show": ["network", "show"],
    "--help": ["--help"],
    "--version": ["--version"],
}  # fmt: skip


def timed(argv: list[str]) -> tuple[float, float]:
    """Seconds from start to exit of ``argv`` (which must succeed) and its peak RSS in MiB."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: no child blocks on it
        t0 = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)  # the child's own resource usage
        elapsed = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise SystemExit(f"{' '.join(argv)} failed ({code}): {message}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each command and baseline")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    lazy = [sys.executable, "-m", "silkhub"]
    eager = [sys.executable, "-c", f"{EAGER}\nfrom silkhub.cli import main\nmain()"]
    timed([*lazy, *COMMANDS["quote (embedded network, --json)"]])  # warm Numba's cache and the disk
    for name, command in COMMANDS.items():
        runs: dict[str, list[tuple[float, float]]] = {"lazy": [], "eager": []}
        for i in range(args.runs):
            order = ("lazy", "eager") if i % 2 == 0 else ("eager", "lazy")
            for which in order:
                prefix = lazy if which == "lazy" else eager
                runs[which].append(timed([*prefix, *command]))
        now, before = (statistics.median(t for t, _ in runs[w]) for w in ("lazy", "eager"))
        rss_now, rss_before = (statistics.median(m for _, m in runs[w]) for w in ("lazy", "eager"))
        print(
            f"silkhub {name}: median {now:.2f} s over {args.runs} runs "
            f"(min {min(t for t, _ in runs['lazy']):.2f} s), peak RSS {rss_now:.0f} MiB; "
            f"baseline, every stage imported first: {before:.2f} s, {rss_before:.0f} MiB; "
            f"ratio baseline/now {before / now:.2f}x time, {rss_before / rss_now:.2f}x memory"
        )


if __name__ == "__main__":
    main()
