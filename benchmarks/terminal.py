"""AGV fleet planner: time per step and throughput on League of Robot Runners warehouses.

    .venv/bin/python benchmarks/terminal.py                 # full run (about 6-8 minutes)
    .venv/bin/python benchmarks/terminal.py --quick         # about a minute
    .venv/bin/python benchmarks/terminal.py --cases small60,large5000 --steps 1000

For each case the first N agents of the instance serve tasks in file order (an agent that
finishes a task takes the next unassigned one), and each run's step-by-step plan is checked
by the independent checker (``silkhub.terminal.check_plan``). Planners, in the same run:

- **pibt**: ``FleetPlanner``, lifelong PIBT with distance tables and crisscross guidance;
- **baseline**: ``ReservationPlanner``, agents planned one by one with space-time A* and a
  reservation table (windowed prioritized planning; fewer steps on the big cases, since it
  is slow: its time per step is what is compared).

Plus the embedded north cargo area (60 AGVs, one simulated hour) for the terminal's own
planning time. Goals: ≤ 5 ms per step for 60 AGVs, ≤ 1 s per step for 5,000 agents on
warehouse_large, zero conflicts. Results are recorded in docs/benchmarks.md ("Terminal").
Instances are read from ``shared/benchmarks`` beside the repository (or SILKHUB_BENCHMARKS).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silkhub.terminal import (
    LorrInstance,
    default_layout,
    read_lorr,
    run_lorr,
    simulate,
)

REPO = Path(__file__).resolve().parents[1]

#: Best published results on the same map and fleet (League of Robot Runners archive,
#: github.com/MAPF-Competition/Benchmark-Archive). Their action model adds rotations
#: (turning costs a step) and their schedulers may pick any revealed task; see docs.
PUBLISHED = {
    "large5000": {
        "instance": "TR24-warehouse_large_5000 (LoRR 2024 test round)",
        "tasks": 94_232,
        "steps": 5000,
        "team": "Team_Kitty Knight",
    },
}


@dataclass(frozen=True)
class Case:
    """One benchmark case: an instance, a fleet size and the steps for each planner."""

    name: str
    instance: str
    agents: int
    steps: int
    baseline_steps: int


CASES = {
    "small60": Case("small60", "warehouse_small_200", 60, 5000, 5000),
    "small200": Case("small200", "warehouse_small_200", 200, 3000, 2000),  # 20,000 tasks
    "large1000": Case("large1000", "warehouse_large_5000", 1000, 5000, 500),
    "large5000": Case("large5000", "warehouse_large_5000", 5000, 5000, 100),
}


def shared_benchmarks() -> Path:
    """The shared/benchmarks folder beside the repository (or SILKHUB_BENCHMARKS)."""
    override = os.environ.get("SILKHUB_BENCHMARKS")
    folder = Path(override) if override else REPO.parent / "shared" / "benchmarks"
    if not (folder / "lorr").is_dir():
        sys.exit(f"benchmark instances not found in {folder} (shared/benchmarks beside the repo)")
    return folder


def warm_up(instance: LorrInstance) -> None:
    """Load the compiled kernels (Numba caches them on disk) before anything is timed."""
    for planner in ("pibt", "reservation"):
        run_lorr(instance, agents=4, steps=3, planner=planner, check=False)  # type: ignore[arg-type]


def run_case(case: Case, instance: LorrInstance, scale: float) -> list[dict[str, Any]]:
    out = []
    pibt_run = None
    for planner, steps in (("pibt", case.steps), ("reservation", case.baseline_steps)):
        steps = max(10, int(steps * scale))
        print(f"  {case.name}: {planner}, {case.agents} agents, {steps} steps ...", flush=True)
        run = run_lorr(instance, agents=case.agents, steps=steps, planner=planner)  # type: ignore[arg-type]
        m = run.metrics()
        m["case"] = case.name
        if pibt_run is None:
            pibt_run = run
        else:  # PIBT over the same first steps, for a like-for-like throughput ratio
            m["pibt_errands_same_steps"] = pibt_run.errands_within(steps)
        out.append(m)
        print(
            f"    {m['errands_per_step']:.3f} errands/step, {m['tasks_per_step']:.3f} tasks/step, "
            f"{m['plan_ms_per_step_mean']:.2f} ms/step mean ({m['plan_ms_per_step_max']:.1f} max), "
            f"conflicts {m['conflicts']}",
            flush=True,
        )
    return out


def terminal_case(hours: float) -> dict[str, Any]:
    layout = default_layout()
    steps = int(hours * 3600 / layout.step_seconds)
    print(f"  terminal: north cargo area, 60 AGVs, {steps} steps ...", flush=True)
    simulate(layout, steps=10, seed=0)  # warm-up
    m = simulate(layout, steps=steps, seed=0).metrics()
    print(
        f"    {m['tasks_per_hour']:.0f} tasks/h, {m['plan_ms_per_step_mean']:.3f} ms/step mean "
        f"({m['plan_ms_per_step_max']:.2f} max), conflicts {m['conflicts']}",
        flush=True,
    )
    return m


def report(results: list[dict[str, Any]], terminal: dict[str, Any] | None) -> None:
    print()
    header = (
        "| case | planner | agents | steps | errands/step | tasks/step | ms/step mean | "
        "p95 | max | conflicts |"
    )
    print(header)
    print("|" + "---|" * 10)
    for m in results:
        print(
            f"| {m['case']} | {m['planner']} | {m['agents']:,} | {m['steps']:,} | "
            f"{m['errands_per_step']:.3f} | {m['tasks_per_step']:.3f} | "
            f"{m['plan_ms_per_step_mean']:.2f} | {m['plan_ms_per_step_p95']:.2f} | "
            f"{m['plan_ms_per_step_max']:.1f} | {m['conflicts']} |"
        )
    print()
    by_case: dict[str, dict[str, dict[str, Any]]] = {}
    for m in results:
        by_case.setdefault(m["case"], {})[m["planner"]] = m
    for name, pair in by_case.items():
        if "pibt" in pair and "reservation" in pair:
            p, b = pair["pibt"], pair["reservation"]
            speed = b["plan_ms_per_step_mean"] / max(p["plan_ms_per_step_mean"], 1e-9)
            gain = b["pibt_errands_same_steps"] / max(b["errands_done"], 1)
            print(
                f"{name}: PIBT plans a step {speed:.1f}× faster; over the baseline's "
                f"{b['steps']:,} steps PIBT did {b['pibt_errands_same_steps']:,} errands, "
                f"the baseline {b['errands_done']:,} ({gain:.2f}×)"
            )
        for m in pair.values():
            if m["tasks_ran_out_at"] is not None:
                print(
                    f"{name} {m['planner']}: the task file ran out at step {m['tasks_ran_out_at']}"
                )
        if name in PUBLISHED and "pibt" in pair:
            pub = PUBLISHED[name]
            theirs = pub["tasks"] / pub["steps"]
            ours = pair["pibt"]["tasks_per_step"]
            print(
                f"{name}: published best {pub['instance']}: {pub['tasks']:,} tasks in "
                f"{pub['steps']:,} steps = {theirs:.2f} tasks/step ({pub['team']}); "
                f"ours {ours:.2f} tasks/step ({ours / theirs:.0%})"
            )
    goals = []
    for m in results:
        if m["planner"] != "pibt":
            continue
        if m["agents"] <= 60:
            goals.append((f"{m['case']}: ≤ 5 ms/step", m["plan_ms_per_step_mean"] <= 5))
        if m["agents"] >= 5000:
            goals.append((f"{m['case']}: ≤ 1 s every step", m["plan_ms_per_step_max"] <= 1000))
    if terminal is not None:
        goals.append(("terminal 60 AGVs: ≤ 5 ms/step", terminal["plan_ms_per_step_mean"] <= 5))
    goals.append(("zero conflicts", all(m["conflicts"] == 0 for m in results)))
    for label, ok in goals:
        print(f"goal {label}: {'met' if ok else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the steps")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated cases")
    parser.add_argument("--steps", type=int, help="PIBT steps for every case (baseline: a fifth)")
    parser.add_argument("--no-terminal", action="store_true", help="skip the north cargo area")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()
    names = [c for c in args.cases.split(",") if c]
    unknown = sorted(set(names) - set(CASES))
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    folder = shared_benchmarks() / "lorr"
    scale = 0.1 if args.quick else 1.0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    instances: dict[str, LorrInstance] = {}
    for name in names:
        case = CASES[name]
        if args.steps:
            case = Case(case.name, case.instance, case.agents, args.steps, max(10, args.steps // 5))
        if case.instance not in instances:
            instances[case.instance] = read_lorr(folder / f"{case.instance}.json")
            warm_up(instances[case.instance])
        results.extend(run_case(case, instances[case.instance], scale))
    terminal = None if args.no_terminal else terminal_case(0.1 if args.quick else 1.0)
    report(results, terminal)
    print(f"\nwall time {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"lorr": results, "terminal": terminal}, indent=2))


if __name__ == "__main__":
    main()
