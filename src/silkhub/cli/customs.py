"""`silkhub customs ...`: validate and match message files of any size; read and write CEB XML."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, BinaryIO, NoReturn

import msgspec
import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from silkhub.cli._common import err, fail, out
from silkhub.cli._store import DataDirOption, settings_or_exit, store_or_exit
from silkhub.customs import (
    BatchSummary,
    BatchValidator,
    Clearance,
    ClearanceState,
    LineVerdict,
    Message,
    MessageReader,
    Problem,
    RuleSet,
    RulesFileError,
    default_rules,
    load_rules,
)
from silkhub.store import CustomsRepository, OrganisationRepository, Store

app = typer.Typer(
    help="Customs e-clearance: validate and match messages, file them in the store.",
    no_args_is_help=True,
)

#: Exit code when the file was read to the end and some line has a problem (see docs/customs.md).
EXIT_PROBLEMS = 1
_BOM = b"\xef\xbb\xbf"
#: The progress bar is refreshed every this many lines (refreshing is dearer than a line).
_PROGRESS_EVERY = 4096

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules", help="A rules file (rules.toml); default: the shipped rules.", show_default=False
    ),
]


def _rules_or_exit(path: Path | None) -> RuleSet:
    if path is None:
        return default_rules()
    try:
        return load_rules(path)
    except RulesFileError as exc:
        fail(f"--rules: {exc}")


def _open_or_exit(path: Path) -> BinaryIO:
    if not path.exists():
        fail(f"{path}: no such file")
    if path.is_dir():
        fail(f"{path}: is a folder, not a JSON Lines file")
    try:
        return path.open("rb")
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror}")


def _lines(handle: BinaryIO) -> Iterator[bytes]:
    first = True
    for line in handle:
        if first:
            first = False
            if line.startswith(_BOM):
                line = line[len(_BOM) :]
        yield line


@app.command("validate")
def validate(
    file: Annotated[
        Path, typer.Argument(help="JSON Lines file: one message a line (docs/customs.md).")
    ],
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write one JSON object per line with problems: {line, message_id, errors}.",
            show_default=False,
        ),
    ] = None,
    rules_path: RulesOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Declaration date of lists without declared_on (ISO date); default: today in China.",
        ),
    ] = None,
) -> None:
    """Check and match every message of FILE, streaming; print totals per problem code.

    Exit code 0: no problem; 1: the file was processed and some lines have problems (the
    report lists them); 2: a usage error (missing or unreadable file, bad option).
    """
    rules = _rules_or_exit(rules_path)
    try:
        day = date.fromisoformat(as_of) if as_of is not None else None
    except ValueError:
        fail(f"--as-of: {as_of!r} is not an ISO date YYYY-MM-DD")
    handle = _open_or_exit(file)
    size = file.stat().st_size
    report_handle = _open_report_or_exit(report, file, handle)
    validator = BatchValidator(rules, as_of=day)
    encoder = msgspec.json.Encoder()

    def write(verdicts: list[LineVerdict]) -> None:
        if report_handle is None:
            return
        for verdict in verdicts:
            if verdict.problems:
                report_handle.write(encoder.encode(verdict.report_entry()) + b"\n")

    progress = _progress("customs validate")
    try:
        with handle, progress:
            task = progress.add_task("validate", total=size, lines=0)
            done = 0
            number = 0
            for number, line in enumerate(_lines(handle), start=1):
                done += len(line)
                write(validator.feed_line(number, line))
                if number % _PROGRESS_EVERY == 0:
                    progress.update(task, completed=done, lines=number)
            write(validator.finish())
            progress.update(task, completed=size, lines=number)
    finally:
        if report_handle is not None:
            report_handle.close()
    _print_summary(file, validator.summary, rules, report)
    if validator.summary.lines_with_problems:
        raise typer.Exit(EXIT_PROBLEMS)


@app.command("ingest")
def ingest(
    file: Annotated[
        Path, typer.Argument(help="JSON Lines file: one message a line (docs/customs.md).")
    ],
    org: Annotated[str, typer.Option("--org", help="The organisation the messages are filed for.")],
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Write one JSON object per line with problems.", show_default=False
        ),
    ] = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, max=10_000, help="Messages per database transaction.")
    ] = 500,
    data_dir: DataDirOption = None,
) -> None:
    """File every message of FILE in the store for --org and clear its lists (as the API does).

    Streams like `validate`, in transactions of --batch messages; lists whose partners are
    not in the store yet stay declared (reported with match.missing_*). Exit codes as for
    `validate`; 1 also when the database cannot be opened.
    """
    handle = _open_or_exit(file)
    report_handle = _open_report_or_exit(report, file, handle, ingest=True)
    store = store_or_exit(settings_or_exit(data_dir))
    try:
        with store.session() as session:
            found = OrganisationRepository(session).by_name(org)
            org_id = found.id if found is not None else None
        if org_id is None:
            handle.close()
            if report_handle is not None:
                report_handle.close()
            fail(f"--org: no organisation {org!r} (create it with `silkhub admin create-org`)")
        summary = _ingest(store, org_id, file, handle, report_handle, batch)
        with store.session() as session:
            repository = CustomsRepository(session, org_id)
            for state in ClearanceState:
                summary.states[state] = repository.page(state, 0, 0).total
    finally:
        store.close()
        if report_handle is not None:
            report_handle.close()
    _print_summary(file, summary, default_rules(), report, f"lists of {org}")
    if summary.lines_with_problems:
        raise typer.Exit(EXIT_PROBLEMS)


def _ingest(
    store: Store,
    org_id: int,
    file: Path,
    handle: BinaryIO,
    report_handle: _Report | None,
    batch_size: int,
) -> BatchSummary:
    summary = BatchSummary()
    reader = MessageReader()
    encoder = msgspec.json.Encoder()
    # lists still declared: their line and own problems, reported once they are decided (with
    # what matching found) or at the end (with what they still wait for), as validate does
    waiting: dict[str, tuple[int, tuple[Problem, ...]]] = {}
    batch: list[tuple[int, Message]] = []

    def emit(
        line: int, message_id: str | None, problems: tuple[Problem, ...] | list[Problem]
    ) -> None:
        summary.lines_with_problems += 1
        for problem in problems:
            summary.problems[problem.code] += 1
        if report_handle is not None:
            entry = LineVerdict(line, message_id, tuple(problems)).report_entry()
            report_handle.write(encoder.encode(entry) + b"\n")

    def flush() -> None:
        if not batch:
            return
        with store.write() as session:
            results = Clearance(CustomsRepository(session, org_id, writing=True)).submit(
                [m for _, m in batch], actor="silkhub customs ingest"
            )
        for (line, message), result in zip(batch, results, strict=True):
            is_list = message.kind == "inventory"
            if is_list and result.accepted and result.state is ClearanceState.DECLARED:
                waiting[result.message_id] = (line, result.problems)
                continue
            if is_list:  # decided at once (or refused): its own problems and matching's
                problems = (*result.problems, *result.list_problems)
                if problems:
                    emit(line, result.message_id, problems)
                continue
            if result.problems:
                emit(line, result.message_id, result.problems)
            if result.inventory_id is not None and result.state is not ClearanceState.DECLARED:
                # this message let its list be decided: the list's problems go on its line
                list_line, own = waiting.pop(result.inventory_id, (line, ()))
                if own or result.list_problems:
                    emit(list_line, result.inventory_id, (*own, *result.list_problems))
        batch.clear()

    progress = _progress("customs ingest")
    with handle, progress:
        task = progress.add_task("ingest", total=file.stat().st_size, lines=0)
        done = 0
        for number, line in enumerate(_lines(handle), start=1):
            done += len(line)
            if not line.strip():
                continue
            summary.lines += 1
            message, problems = reader.parse(line)
            if message is None:
                emit(number, None, problems)
                continue
            summary.messages[message.kind] += 1
            batch.append((number, message))
            if len(batch) >= batch_size:
                flush()
                progress.update(task, completed=done, lines=number)
        flush()
    with store.session() as session:
        clearance = Clearance(CustomsRepository(session, org_id))
        for inventory_id, (line_no, own) in sorted(waiting.items(), key=lambda kv: kv[1][0]):
            missing = clearance.waiting_for(inventory_id)
            if own or missing:
                emit(line_no, inventory_id, (*own, *missing))
    return summary


class _Report:
    """The ``--report`` file: a write that fails (a full disk...) exits 2 naming it.

    Its OSError had ended the run with a traceback and exit 1, the code for problems found.
    """

    def __init__(self, path: Path, handle: io.BufferedWriter, *, ingest: bool = False) -> None:
        self._path = path
        self._handle = handle
        self._ingest = ingest
        self._failed = False

    def write(self, data: bytes) -> None:
        try:
            self._handle.write(data)
        except OSError as exc:
            self._fail(exc)

    def close(self) -> None:
        try:
            self._handle.close()
        except OSError as exc:
            if not self._failed:  # closing after a failed write fails again: say it once
                self._fail(exc)

    def _fail(self, exc: OSError) -> NoReturn:
        self._failed = True
        after = " (what was filed stays filed: a rerun files the rest)" if self._ingest else ""
        fail(
            f"--report {self._path}: cannot write it ({exc.strerror or exc}); the report is "
            f"incomplete{after}"
        )


def _open_report_or_exit(
    report: Path | None, file: Path, handle: BinaryIO, *, ingest: bool = False
) -> _Report | None:
    if report is None:
        return None
    try:
        same = report.exists() and report.samefile(file)
    except OSError:
        same = False
    if same:  # opening it for writing would empty the input before a line is read
        handle.close()
        fail(f"--report {report}: is the input file; choose another path")
    try:
        return _Report(report, report.open("wb"), ingest=ingest)
    except OSError as exc:
        handle.close()
        fail(f"--report {report}: cannot write: {exc.strerror}")


def _progress(title: str) -> Progress:
    return Progress(
        TextColumn(f"[bold]{title}[/]"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[lines]:,} lines"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def _print_summary(
    file: Path,
    summary: BatchSummary,
    rules: RuleSet,
    report: Path | None,
    lists_title: str = "Inventory lists by state",
) -> None:
    kinds = ", ".join(
        f"{summary.messages[k]:,} {k}" for k in ("order", "payment", "waybill", "inventory")
    )
    out.print(f"[bold]{file}[/]: {summary.lines:,} lines ({kinds}); rules {rules.version}")
    states = Table(title=lists_title, title_justify="left")
    states.add_column("state")
    states.add_column("lists", justify="right")
    for state in ("released", "inspection", "held", "rejected", "declared"):
        states.add_row(state, f"{summary.states[state]:,}")
    out.print(states)
    if summary.awaiting_inventory:
        out.print(
            f"{summary.awaiting_inventory:,} orders have messages but no inventory list yet (pre-declared)"
        )
    if report is not None:
        out.print(f"report: {report} ({summary.lines_with_problems:,} lines with problems)")
    totals = Table(title="Problems per code", title_justify="left")
    totals.add_column("code")
    totals.add_column("action")
    totals.add_column("count", justify="right")
    for code, count in sorted(summary.problems.items(), key=lambda kv: (-kv[1], kv[0])):
        totals.add_row(code, rules.action(code), f"{count:,}")
    totals.add_row("[bold]total[/]", "", f"[bold]{sum(summary.problems.values()):,}[/]")
    out.print(totals)
