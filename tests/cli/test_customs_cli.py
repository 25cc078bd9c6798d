"""`silkhub customs validate` as a broker runs it: streaming, report, totals, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from silkhub.cli import app
from silkhub.customs import synthetic_lines

runner = CliRunner()
MIXED_DAY = Path(__file__).parents[1] / "data" / "customs" / "mixed_day.jsonl"


def test_validate_writes_the_report_and_ends_with_totals(tmp_path: Path) -> None:
    """Problems go to the report (one object per line); stdout ends with totals per code."""
    report = tmp_path / "report.jsonl"
    result = runner.invoke(
        app,
        ["customs", "validate", str(MIXED_DAY), "--report", str(report), "--as-of", "2026-11-23"],
    )
    assert result.exit_code == 1, result.output
    entries = [json.loads(line) for line in report.read_text().splitlines()]
    by_line = {e["line"]: e for e in entries}
    assert sorted(by_line) == [11, 12, 13, 15, 16, 18, 19]
    assert by_line[11] == {
        "line": 11,
        "message_id": None,
        "errors": [
            {
                "code": "schema.invalid_json",
                "field": "",
                "message": "not valid JSON: Input data was truncated",
            }
        ],
    }
    assert by_line[12]["message_id"] == "E2-I"
    assert by_line[12]["errors"][0]["code"] == "match.missing_waybill"
    tail = result.stdout.strip().splitlines()
    assert "total" in tail[-2]
    assert " 7 " in tail[-2]
    assert any("goods.restricted" in line and " 2 " in line for line in tail)


def test_a_clean_file_exits_0(tmp_path: Path) -> None:
    """Without any problem the exit code is 0 and every list is released."""
    clean = tmp_path / "clean.jsonl"
    clean.write_bytes(
        b"\n".join(line for line, _ in synthetic_lines(50, seed=3, defect_rate=0)) + b"\n"
    )
    result = runner.invoke(app, ["customs", "validate", str(clean)])
    assert result.exit_code == 0, result.output
    assert "released   │    50" in result.stdout


def test_nothing_is_dropped_in_a_larger_file(tmp_path: Path) -> None:
    """Every defective order of a 4,000-line file shows up in the report."""
    lines = list(synthetic_lines(1000, seed=11, defect_rate=0.05))
    source = tmp_path / "day.jsonl"
    source.write_bytes(b"\n".join(line for line, _ in lines) + b"\n")
    report = tmp_path / "report.jsonl"
    result = runner.invoke(app, ["customs", "validate", str(source), "--report", str(report)])
    assert result.exit_code == 1
    reported = {json.loads(e)["line"] for e in report.read_text().splitlines()}
    lines_of: dict[bytes, set[int]] = {}
    for number, (line, defect) in enumerate(lines, 1):
        if defect:
            lines_of.setdefault(re.search(rb"ZZ\d{10}", line).group(), set()).add(number)  # type: ignore[union-attr]
    assert lines_of
    assert all(numbers & reported for numbers in lines_of.values())
    assert len(reported) < len(lines) / 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["customs", "validate", "missing.jsonl"], "no such file"),
        (["customs", "validate", "."], "is a folder"),
        (["customs", "validate", str(MIXED_DAY), "--as-of", "soon"], "--as-of"),
        (["customs", "validate", str(MIXED_DAY), "--as-of", ""], "--as-of: '' is not"),
        (["customs", "validate", str(MIXED_DAY), "--rules", "nope.toml"], "--rules"),
        (
            ["customs", "validate", str(MIXED_DAY), "--report", "/nonexistent/dir/r.jsonl"],
            "--report",
        ),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(args: list[str], message: str) -> None:
    """A missing or unreadable input, or a bad option, is a usage error (exit code 2)."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_binary_garbage_is_reported_not_raised(tmp_path: Path) -> None:
    """Lines that are not UTF-8 JSON become schema.invalid_json problems; the run completes."""
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b"\xef\xbb\xbf\x00\x01\x02\n\xff\xfe\n{}\n")
    report = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["customs", "validate", str(garbage), "--report", str(report)])
    assert result.exit_code == 1
    codes = [json.loads(e)["errors"][0]["code"] for e in report.read_text().splitlines()]
    assert codes == ["schema.invalid_json", "schema.invalid_json", "schema.missing_field"]


@pytest.mark.parametrize("command", ["validate", "ingest"])
def test_a_line_nested_too_deeply_is_reported_and_its_neighbours_kept(
    tmp_path: Path, command: str
) -> None:
    """A line nested 5,000 deep is schema.invalid_json on its line; the others are processed.

    The decoders stop at Python's recursion limit (about 990 levels), and the RecursionError
    had ended the run with a traceback and an empty report.
    """
    good = MIXED_DAY.read_text(encoding="utf-8").splitlines(keepends=True)
    deep = '{"type":"order","message_id":"x","ceb":' + '{"a":' * 5000 + "1" + "}" * 5001 + "\n"
    source = tmp_path / "day.jsonl"
    source.write_text("".join(good[:5]) + deep + "".join(good[5:]), encoding="utf-8")
    report, expected = tmp_path / "r.jsonl", tmp_path / "expected.jsonl"
    data = ["--data-dir", str(tmp_path / "data")]
    runner.invoke(app, ["admin", "create-org", "acme", *data])
    extra = ["--org", "acme", *data] if command == "ingest" else ["--as-of", "2026-11-23"]
    result = runner.invoke(app, ["customs", command, str(source), "--report", str(report), *extra])
    assert result.exit_code == 1, result.output
    entries = [json.loads(e) for e in report.read_text().splitlines()]
    assert [e["errors"] for e in entries if e["line"] == 6] == [
        [
            {
                "code": "schema.invalid_json",
                "field": "",
                "message": "not valid JSON: nested too deeply",
            }
        ]
    ]
    runner.invoke(
        app,
        ["customs", "validate", str(MIXED_DAY), "--report", str(expected), "--as-of", "2026-11-23"],
    )
    shifted = {(n if n < 6 else n + 1, f, c) for n, f, c in _report(expected)}
    assert _report(report) - {(6, None, ("schema.invalid_json",))} == shifted


def test_ingest_files_the_messages_in_the_store(tmp_path: Path) -> None:
    """Ingest gives the same problems as validate, and a second run finds only duplicates."""
    data = tmp_path / "data"
    assert (
        runner.invoke(app, ["admin", "create-org", "acme", "--data-dir", str(data)]).exit_code == 0
    )
    report = tmp_path / "report.jsonl"
    args = ["customs", "ingest", str(MIXED_DAY), "--org", "acme", "--data-dir", str(data)]
    result = runner.invoke(app, [*args, "--report", str(report), "--batch", "3"])
    assert result.exit_code == 1, result.output
    lines = {json.loads(e)["line"] for e in report.read_text().splitlines()}
    assert lines == {11, 12, 13, 15, 16, 18, 19}
    checked = tmp_path / "validate.jsonl"
    runner.invoke(
        app,
        ["customs", "validate", str(MIXED_DAY), "--report", str(checked), "--as-of", "2026-11-23"],
    )
    assert _report(report) == _report(checked)
    assert "held       │     1" in result.stdout
    again = runner.invoke(app, [*args, "--report", str(report)])
    codes = {e["errors"][0]["code"] for e in map(json.loads, report.read_text().splitlines())}
    assert again.exit_code == 1
    assert "duplicate.message_id" in codes


def test_ingest_for_an_unknown_organisation_exits_2(tmp_path: Path) -> None:
    """The --org must exist (created with silkhub admin create-org)."""
    result = runner.invoke(
        app,
        ["customs", "ingest", str(MIXED_DAY), "--org", "nobody", "--data-dir", str(tmp_path)],
    )
    assert result.exit_code == 2
    assert "no organisation 'nobody'" in result.output


@pytest.mark.parametrize("command", ["validate", "ingest"])
def test_a_report_onto_the_input_is_refused_and_the_input_kept(
    tmp_path: Path, command: str
) -> None:
    """``--report`` naming the input file (by any path) exits 2 before writing anything."""
    data = tmp_path / "day.jsonl"
    data.write_bytes(MIXED_DAY.read_bytes())
    other_name = tmp_path / "." / "day.jsonl"
    extra = ["--org", "acme"] if command == "ingest" else []
    result = runner.invoke(
        app, ["customs", command, str(data), "--report", str(other_name), *extra]
    )
    assert result.exit_code == 2, result.output
    assert "is the input file" in result.output
    assert data.read_bytes() == MIXED_DAY.read_bytes()


def _report(path: Path) -> set[tuple[int, str | None, tuple[str, ...]]]:
    entries = [json.loads(line) for line in path.read_text().splitlines()]
    return {
        (e["line"], e["message_id"], tuple(sorted(x["code"] for x in e["errors"]))) for e in entries
    }


@pytest.mark.parametrize("list_first", [True, False])
@pytest.mark.parametrize("batch", ["1", "500"])
def test_ingest_reports_what_matching_finds_as_validate_does(
    tmp_path: Path, list_first: bool, batch: str
) -> None:
    """An order in another currency than its list: the mismatch is on the list's line in both.

    Ingest had counted the rejected list but reported no problem (and exited 0).
    """
    messages: dict[str, dict[str, object]] = {}
    for line in MIXED_DAY.read_text(encoding="utf-8").splitlines():
        if line.endswith("}") and (m := json.loads(line))["order_no"] == "E1":
            messages.setdefault(m["message_id"], m)
    order = next(m for m in messages.values() if m["type"] == "order")
    order["currency"] = "USD"  # the list says EUR
    ordered = sorted(messages.values(), key=lambda m: (m["type"] != "inventory") == list_first)
    day = tmp_path / "day.jsonl"
    day.write_text("".join(json.dumps(m) + "\n" for m in ordered), encoding="utf-8")
    data = tmp_path / "data"
    runner.invoke(app, ["admin", "create-org", "acme", "--data-dir", str(data)])
    checked, filed = tmp_path / "validate.jsonl", tmp_path / "ingest.jsonl"
    validated = runner.invoke(
        app, ["customs", "validate", str(day), "--report", str(checked), "--as-of", "2026-11-23"]
    )
    ingested = runner.invoke(
        app,
        ["customs", "ingest", str(day), "--org", "acme", "--data-dir", str(data),
         "--report", str(filed), "--batch", batch],
    )  # fmt: skip
    assert validated.exit_code == ingested.exit_code == 1, ingested.output
    assert _report(filed) == _report(checked)
    assert any("match.amount_mismatch" in codes for _, _, codes in _report(filed))


def test_a_rules_file_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    """A binary --rules file exits 2 with a message, not a traceback."""
    rules = tmp_path / "rules.toml"
    rules.write_bytes(b"\xff\xfe")
    result = runner.invoke(app, ["customs", "validate", str(MIXED_DAY), "--rules", str(rules)])
    assert result.exit_code == 2
    assert "--rules" in result.output
    assert "is not UTF-8" in result.output


@pytest.mark.parametrize("command", ["validate", "ingest"])
def test_a_report_that_cannot_be_written_exits_2_naming_it(tmp_path: Path, command: str) -> None:
    """A full disk under --report exits 2 with a message (it was a traceback, exit 1)."""
    data = ["--data-dir", str(tmp_path / "data")]
    runner.invoke(app, ["admin", "create-org", "acme", *data])
    extra = ["--org", "acme", *data] if command == "ingest" else []
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "order"}\n' * 3000, encoding="utf-8")  # a report over the buffer
    result = runner.invoke(app, ["customs", command, str(bad), "--report", "/dev/full", *extra])
    assert result.exit_code == 2, result.output
    assert result.output.count("--report /dev/full: cannot write it (No space left on device)") == 1
    assert ("a rerun files the rest" in result.output) == (command == "ingest")
