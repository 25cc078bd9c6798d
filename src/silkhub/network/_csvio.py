"""Reading CSV files into typed rows, collecting every problem instead of stopping."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError

from silkhub.network._rows import _Row, columns, required_columns
from silkhub.network.problems import Problem

R = TypeVar("R", bound=_Row)

#: Columns that must be in the header even though their cells may be empty.
HEADER_ALSO_REQUIRED = {"stops.csv": {"arrival_min", "departure_min"}}


@dataclass(frozen=True, slots=True)
class Numbered(Generic[R]):
    """A validated row and the line it came from (for problems found later, across rows)."""

    line: int
    row: R


def _pydantic_problems(file: str, line: int, error: ValidationError) -> list[Problem]:
    found = []
    for detail in error.errors():
        column = str(detail["loc"][0]) if detail["loc"] else ""
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "required, but the cell is empty"
        found.append(Problem(file, line, column, message))
    return found


def read_rows(
    path: Path,
    model: type[R],
    problems: list[Problem],
    rejected_ids: set[str] | None = None,
    context: Mapping[str, object] | None = None,
) -> list[Numbered[R]]:
    """Every valid row of one file; each bad row, header or encoding issue goes to ``problems``.

    A bad row is reported and left out, so the cross-file checks still run on the rest and
    the user sees every problem in one pass. The id (first column) of each rejected row goes
    into ``rejected_ids`` so that other files referring to it are not reported a second time.
    ``context`` is passed to the row models' validators (e.g. the currencies with a rate).
    """
    file = path.name
    try:
        # bytes, then decode: read_text would turn a CR inside a quoted cell into LF
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(file, 0, "", f"is not valid UTF-8 ({exc.reason} at byte {exc.start})")
        )
        return []
    try:
        return _read_text(file, text, model, problems, rejected_ids, context)
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        problems.append(Problem(file, 0, "", f"is not readable as CSV ({exc})"))
        return []


def _read_text(
    file: str,
    text: str,
    model: type[R],
    problems: list[Problem],
    rejected_ids: set[str] | None,
    context: Mapping[str, object] | None,
) -> list[Numbered[R]]:
    # csv splits rows itself: str.splitlines would also break at U+2028, \x85 or \x0c, which
    # may sit inside a quoted cell
    reader = csv.reader(io.StringIO(text, newline=""))
    # blank lines are skipped wherever they are, before the header too
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        problems.append(Problem(file, 0, "", "is empty (a header row is required)"))
        return []
    at_header = reader.line_num
    header = [name.strip() for name in header]
    known = set(columns(model))
    for name in header:
        if name not in known:
            problems.append(
                Problem(
                    file, at_header, name, f"unknown column (known: {', '.join(columns(model))})"
                )
            )
    duplicated = {name for name in header if header.count(name) > 1}
    for name in sorted(duplicated):
        problems.append(Problem(file, at_header, name, "column appears more than once"))
    missing = (required_columns(model) | HEADER_ALSO_REQUIRED.get(file, set())) - set(header)
    for name in sorted(missing):
        problems.append(Problem(file, at_header, name, "required column is missing"))
    if missing or duplicated:
        return []  # every row would repeat the header's problem

    rows: list[Numbered[R]] = []
    end = reader.line_num  # the last line read so far
    for fields in reader:
        # a row's line is the one it starts on (a quoted cell may run over several lines)
        line, end = end + 1, reader.line_num
        if not any(field.strip() for field in fields):
            if fields:  # a row of empty cells; a truly blank line is tolerated
                problems.append(Problem(file, line, "", "row has no values"))
            continue
        if len(fields) != len(header):
            problems.append(
                Problem(
                    file, line, "", f"row has {len(fields)} fields, the header has {len(header)}"
                )
            )
            # its id (the model's first column) may still be read: no cascades from it
            at = header.index(columns(model)[0])  # a required column, so in the header
            if rejected_ids is not None and at < len(fields) and fields[at].strip():
                rejected_ids.add(fields[at].strip())
            continue
        values = {
            name: value.strip()
            for name, value in zip(header, fields, strict=True)
            if name in known and value.strip()
        }
        try:
            rows.append(Numbered(line, model.model_validate(values, context=context)))
        except ValidationError as exc:
            problems.extend(_pydantic_problems(file, line, exc))
            id_column = columns(model)[0]
            if rejected_ids is not None and values.get(id_column):
                rejected_ids.add(values[id_column])
    return rows
