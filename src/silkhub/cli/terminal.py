"""`silkhub terminal ...`: run the terminal floor or a League of Robot Runners instance."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from silkhub.cli._common import err, fail, out, require_file
from silkhub.terminal import (
    LayoutError,
    LorrFormatError,
    LorrInstance,
    MapFormatError,
    TerminalLayout,
    check_plan,
    default_layout,
    layout_from_grid,
    parse_plan_document,
    plan_document,
    read_layout,
    read_lorr,
    read_movingai,
    render_heatmap_png,
    run_lorr,
    simulate,
    to_row_col,
)

app = typer.Typer(
    help="Run the terminal floor (induction, shelves, AGV fleet) and check AGV plans.",
    no_args_is_help=True,
)

#: Steps run on a League of Robot Runners instance when --steps is not given.
DEFAULT_LORR_STEPS = 1000
#: Simulated hours on the terminal when neither --hours nor --steps is given.
DEFAULT_HOURS = 1.0
#: The longest run accepted (a week of 2-second steps): beyond it a typo is likelier.
MAX_STEPS = 302_400


def _load_layout(map_file: Path | None, agents: int | None, seed: int) -> TerminalLayout:
    """The default floor, a layout JSON, or a map (with its sidecar JSON if there is one)."""
    if map_file is None:
        return default_layout()
    require_file(map_file, "--map")
    try:
        if map_file.suffix.lower() == ".json":
            return read_layout(map_file)
        sidecar = map_file.with_suffix(".json")
        if sidecar.is_file():
            return read_layout(sidecar)
        grid = read_movingai(map_file)
        return layout_from_grid(grid, agents=agents or 60, seed=seed)
    except (MapFormatError, LayoutError) as exc:
        for problem in exc.problems[:50]:
            err.print(problem, soft_wrap=True, markup=False)
        fail(f"--map {map_file}: {len(exc.problems)} problem(s), see above")
    except ValueError as exc:
        fail(f"--map {map_file}: {exc}")


def _load_lorr(path: Path) -> LorrInstance:
    require_file(path, "--lorr")
    try:
        return read_lorr(path)
    except LorrFormatError as exc:
        for problem in exc.problems[:50]:
            err.print(problem, soft_wrap=True, markup=False)
        fail(f"--lorr {path}: {len(exc.problems)} problem(s), see above")


def _steps_for(
    hours: float | None, steps: int | None, step_seconds: float, default_h: float
) -> int:
    longest = MAX_STEPS * step_seconds / 3600
    if hours is not None:
        if not (math.isfinite(hours) and hours > 0):
            fail(f"--hours: must be a positive number, got {hours}")
        if hours > longest:  # checked before the product, which overflows near 1e308
            fail(f"--hours: must be at most {longest:,.0f} ({MAX_STEPS:,} steps), got {hours:g}")
        count = math.ceil(hours * 3600 / step_seconds)
    elif steps is not None:
        count = steps
    else:
        count = math.ceil(default_h * 3600 / step_seconds)
    if not 1 <= count <= MAX_STEPS:
        if hours is not None:  # name the option the user gave
            fail(f"--hours: must be at most {longest:,.0f} ({MAX_STEPS:,} steps), got {hours:g}")
        fail(f"--steps: must be between 1 and {MAX_STEPS:,}, got {count:,}")
    return count


def _check_writable(path: Path | None, option: str) -> None:
    """Refuse an output path that cannot be written before a long run, not after it."""
    if path is None:
        return
    if path.is_dir():
        fail(f"{option} {path}: is a folder, not a file")
    if not path.parent.is_dir():
        fail(f"{option} {path}: no such folder {path.parent}")


def _write(path: Path, data: bytes | str, option: str) -> None:
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        fail(f"{option} {path}: cannot write ({exc.strerror or exc})")


def _table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, value)
    return table


@app.command("run")
def run(
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map",
            help="A MovingAI .map (its sidecar .json layout if present) or a layout .json; "
            "the embedded north cargo area if not given.",
            show_default=False,
        ),
    ] = None,
    lorr: Annotated[
        Path | None,
        typer.Option(
            "--lorr",
            help="Run a League of Robot Runners problem JSON "
            "(first N agents, tasks in file order).",
            show_default=False,
        ),
    ] = None,
    agents: Annotated[
        int | None,
        typer.Option(
            "--agents",
            help="Fleet size (default: every AGV home, or the teamSize).",
            show_default=False,
        ),
    ] = None,
    hours: Annotated[
        float | None,
        typer.Option(
            "--hours", help="Simulated hours (terminal runs; default 1).", show_default=False
        ),
    ] = None,
    steps: Annotated[
        int | None,
        typer.Option(
            "--steps",
            help=f"Steps to run (default: 1 hour, or {DEFAULT_LORR_STEPS} with --lorr).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random choice.")] = 0,
    planner: Annotated[
        str,
        typer.Option(
            "--planner", help="pibt, or reservation (the space-time A* baseline; --lorr only)."
        ),
    ] = "pibt",
    plan_out: Annotated[
        Path | None,
        typer.Option(
            "--plan-out",
            help="Write the plan (each step, every agent's cell) as JSON.",
            show_default=False,
        ),
    ] = None,
    heatmap: Annotated[
        Path | None,
        typer.Option(
            "--heatmap",
            help="Write the final shelf occupancy as a PNG heatmap.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the metrics as one JSON object.")
    ] = False,
) -> None:
    """Simulate induction → storage → retrieval → build-up (or a LoRR instance) and report."""
    if hours is not None and steps is not None:
        fail("--hours and --steps: give one or the other, not both")
    if agents is not None and agents < 1:
        fail(f"--agents: must be at least 1, got {agents}")
    if not 0 <= seed < 2**63:  # NumPy's generators take a non-negative 64-bit seed
        fail(f"--seed: must be a whole number 0 .. 2^63 − 1, got {seed}")
    if planner not in ("pibt", "reservation"):
        fail(f"--planner: must be pibt or reservation, got {planner!r}")
    _check_writable(plan_out, "--plan-out")
    _check_writable(heatmap, "--heatmap")
    if lorr is not None:
        if map_file is not None:
            fail("--map and --lorr: a LoRR problem names its own map; give one or the other")
        if hours is not None:
            fail("--hours: LoRR instances count steps, not hours; use --steps")
        if heatmap is not None:
            fail("--heatmap: LoRR instances have no shelves to show; drop --heatmap")
        _run_lorr(lorr, agents, steps, seed, planner, plan_out, as_json)
        return
    if planner != "pibt":
        fail("--planner reservation: only with --lorr (the terminal floor runs PIBT)")
    layout = _load_layout(map_file, agents, seed)
    if agents is not None and agents > len(layout.homes):
        fail(f"--agents: the layout has {len(layout.homes)} AGV homes, got {agents}")
    count = _steps_for(hours, steps, layout.step_seconds, DEFAULT_HOURS)
    if not as_json:
        err.print(f"simulating {count:,} steps of {layout.name} ...")
    result = simulate(layout, steps=count, seed=seed, agents=agents)
    metrics = result.metrics()
    if plan_out is not None:
        doc = plan_document(
            layout.grid.height,
            layout.grid.width,
            to_row_col(result.positions, layout.grid.width),
            map_name=layout.name,
            metadata={"seed": seed, "mode": "terminal"},
        )
        _write(plan_out, json.dumps(doc, separators=(",", ":")), "--plan-out")
    if heatmap is not None:
        title = f"{layout.name}: shelf occupancy after {result.hours:.2f} h"
        _write(heatmap, render_heatmap_png(result.heatmap, title=title), "--heatmap")
    if as_json:
        typer.echo(json.dumps(metrics, ensure_ascii=False))
        return
    _print_terminal(metrics)


def _print_terminal(m: dict[str, Any]) -> None:
    kinds = m["tasks_by_kind"]
    rows = [
        ("layout", f"{m['layout']}"),
        ("AGVs", f"{m['agents']}"),
        ("simulated", f"{m['hours']:.2f} h ({m['steps']:,} steps of {m['step_seconds']:g} s)"),
        ("tasks completed", f"{m['tasks_completed']:,}"),
        (
            "  store / retrieve / build-up",
            f"{kinds['store']:,} / {kinds['retrieve']:,} / {kinds['build_up']:,}",
        ),
        ("  charging sessions", f"{kinds['charge']:,}"),
        ("tasks per hour", f"{m['tasks_per_hour']:,.1f}"),
        ("AGV utilisation", f"{m['agv_utilisation']:.1%}"),
        ("mean task time", f"{m['mean_task_time_s']:,.0f} s"),
        ("mean wait for an AGV", f"{m['mean_wait_s']:,.0f} s"),
        ("pieces inducted / held", f"{m['pieces_inducted']:,} / {m['pieces_held']:,}"),
        ("pieces built up (late)", f"{m['pieces_built_up']:,} ({m['pieces_built_up_late']:,})"),
        ("pieces missing their cut-off", f"{m['pieces_missed_cutoff']:,}"),
        (
            "peak occupancy",
            f"{m['peak_occupancy']:.1%} ({m['peak_occupied_slots']:,} of {m['slots']:,} slots)",
        ),
        ("zone alerts", f"{m['zone_alerts']}"),
        (
            "planning time per step",
            f"{m['plan_ms_per_step_mean']:.3f} ms mean, {m['plan_ms_per_step_max']:.1f} ms max",
        ),
        ("conflicts (independent checker)", f"{m['conflicts']}"),
    ]
    out.print(_table("Terminal run", rows))


def _run_lorr(
    path: Path,
    agents: int | None,
    steps: int | None,
    seed: int,
    planner: str,
    plan_out: Path | None,
    as_json: bool,
) -> None:
    instance = _load_lorr(path)
    n = min(instance.team_size, len(instance.starts)) if agents is None else agents
    if n > len(instance.starts):
        fail(f"--agents: {path} has {len(instance.starts)} agents, got {agents}")
    count = _steps_for(None, steps, 1.0, DEFAULT_LORR_STEPS)
    if not as_json:
        err.print(f"running {n:,} agents for {count:,} steps on {instance.name} ({planner}) ...")
    try:
        result = run_lorr(
            instance,
            agents=n,
            steps=count,
            seed=seed,
            planner="pibt" if planner == "pibt" else "reservation",
        )
    except ValueError as exc:  # e.g. more agents than the map has room to move them
        fail(f"--lorr {path}: {exc}")
    metrics = result.metrics()
    if plan_out is not None:
        doc = plan_document(
            instance.grid.height,
            instance.grid.width,
            to_row_col(result.positions, instance.grid.width),
            map_name=instance.grid.name,
            metadata={"seed": seed, "mode": "lorr", "instance": instance.name, "planner": planner},
        )
        _write(plan_out, json.dumps(doc, separators=(",", ":")), "--plan-out")
    if as_json:
        typer.echo(json.dumps(metrics, ensure_ascii=False))
        return
    rows = [
        ("instance", metrics["instance"]),
        ("planner", metrics["planner"]),
        ("agents", f"{metrics['agents']:,}"),
        ("steps", f"{metrics['steps']:,}"),
        ("errands done", f"{metrics['errands_done']:,}"),
        ("tasks done", f"{metrics['tasks_done']:,}"),
        ("errands per step", f"{metrics['errands_per_step']:.3f}"),
        ("tasks per step", f"{metrics['tasks_per_step']:.3f}"),
        (
            "planning time per step",
            f"{metrics['plan_ms_per_step_mean']:.3f} ms mean, "
            f"{metrics['plan_ms_per_step_p95']:.3f} ms p95, "
            f"{metrics['plan_ms_per_step_max']:.1f} ms max",
        ),
        ("conflicts (independent checker)", f"{metrics['conflicts']}"),
    ]
    out.print(_table("League of Robot Runners run", rows))


@app.command("check")
def check(
    plan: Annotated[Path, typer.Argument(help="A plan JSON written by `terminal run --plan-out`.")],
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map",
            help="The map the plan runs on (default: the embedded north cargo area).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the verdict as one JSON object.")
    ] = False,
) -> None:
    """Check a plan independently: vertex, swap, jump and blocked-cell conflicts (exit 1 if any)."""
    require_file(plan, "PLAN")
    if map_file is not None:
        require_file(map_file, "--map")
    try:
        document = json.loads(plan.read_text(encoding="utf-8"))
        height, width, positions = parse_plan_document(document)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"PLAN {plan}: not JSON ({exc})")
    except ValueError as exc:
        fail(f"PLAN {plan}: {exc}")
    try:
        if map_file is None:
            grid = default_layout().grid
        elif map_file.suffix.lower() == ".json":
            grid = read_layout(map_file).grid
        else:
            grid = read_movingai(map_file)
    except (MapFormatError, LayoutError) as exc:
        fail(f"--map {map_file}: {exc}")
    if (grid.height, grid.width) != (height, width):
        if map_file is None:  # the user gave no --map: say what was used, and what to give
            named = document.get("map") if isinstance(document, dict) else None
            hint = f" ({named!r})" if isinstance(named, str) and named else ""
            fail(
                f"PLAN {plan}: made for a {height}×{width} map, the default north cargo area "
                f"is {grid.height}×{grid.width}; pass --map FILE with the plan's map{hint}"
            )
        fail(f"PLAN {plan}: made for a {height}×{width} map, --map is {grid.height}×{grid.width}")
    verdict = check_plan(grid.passable, positions)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "steps": verdict.steps,
                    "agents": verdict.agents,
                    "conflicts": verdict.total,
                    "conflicts_by_kind": dict(verdict.counts),
                    "first": [str(c) for c in verdict.conflicts[:20]],
                }
            )
        )
    else:
        for conflict in verdict.conflicts[:20]:
            out.print(str(conflict), markup=False)
        counts = ", ".join(f"{k} {v}" for k, v in verdict.counts.items())
        word = "valid" if verdict.ok else "INVALID"
        out.print(
            f"{word}: {verdict.agents} agents, {verdict.steps} steps — {counts}", markup=False
        )
    if not verdict.ok:
        raise typer.Exit(1)
