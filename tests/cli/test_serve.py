"""`silkhub serve`: first start migrates, imports the embedded hub and prints a demo key."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from apihub import free_port
from silkhub.cli import app

runner = CliRunner()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Captures what `silkhub serve` would hand to uvicorn instead of serving forever."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_first_start_prints_a_demo_key_that_works(
    tmp_path: Path, served: list[dict[str, Any]]
) -> None:
    """The first start prints a demo admin key; with it the API answers; the next start does not."""
    port = free_port()
    result = runner.invoke(app, ["serve", "--data-dir", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 0, result.output
    match = re.search(r"shk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", result.stdout)
    assert match, result.stdout
    assert served[0]["host"] == "127.0.0.1"
    assert served[0]["port"] == port
    with TestClient(served[0]["app"]) as client:
        ready = client.get("/v1/ready").json()
        assert ready["network"] == "zhengzhou"
        headers = {"X-API-Key": match.group(0)}
        assert client.get("/v1/admin/organisation", headers=headers).json()["name"] == "demo"
        assert client.get("/v1/places/CGO", headers=headers).status_code == 200
    again = runner.invoke(app, ["serve", "--data-dir", str(tmp_path), "--port", str(free_port())])
    assert again.exit_code == 0, again.output
    assert "shk_" not in again.stdout
    assert (tmp_path / "silkhub.db").exists()


def test_bad_port_is_a_usage_error(tmp_path: Path, served: list[dict[str, Any]]) -> None:
    """A port outside 0..65535 exits 2 before anything starts."""
    result = runner.invoke(app, ["serve", "--data-dir", str(tmp_path), "--port", "70000"])
    assert result.exit_code == 2
    assert not served


def test_a_port_in_use_names_the_port(tmp_path: Path, served: list[dict[str, Any]]) -> None:
    """A port another server holds exits 2 naming --port (uvicorn would have exited 3)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        result = runner.invoke(app, ["serve", "--data-dir", str(tmp_path), "--port", str(taken)])
    assert result.exit_code == 2
    assert f"--port {taken}: cannot listen on 127.0.0.1:{taken}" in result.output
    assert not served
    assert not (tmp_path / "silkhub.db").exists()


def test_a_host_that_does_not_resolve_names_the_host(
    tmp_path: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An address that is no address exits 2 naming --host, before the store is opened.

    "999.1.1.1" is no IPv4 literal, so the C library asks DNS about it: the lookup answers as
    a resolver that knows no such name does, so a resolver that makes names up cannot fail it.
    """
    lookup = socket.getaddrinfo

    def no_such_name(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "999.1.1.1":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    result = runner.invoke(app, ["serve", "--data-dir", str(tmp_path), "--host", "999.1.1.1"])
    assert result.exit_code == 2
    assert "--host 999.1.1.1: not an address this machine can listen on" in result.output
    assert not served
