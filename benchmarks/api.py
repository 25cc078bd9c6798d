"""API benchmark: requests per second and p50/p99 latency of the hub API on loopback.

Serves the silkhub API on the embedded default (SQLite in a temporary folder, the Zhengzhou
network with its default departure window) with uvicorn in a subprocess, and drives
``POST /v1/quotes`` and ``GET /v1/departures`` with concurrent keep-alive clients. The
baseline, served the same way (same uvicorn, one worker, no access log) in the same run, is a
minimal FastAPI app with one trivial endpoint: the ratio says how much of the ceiling of
this Python HTTP stack on this machine the real endpoints reach. Only 127.0.0.1 is used, and
every phase is bounded in time.

    python benchmarks/api.py                                  # 10 s per endpoint, 16 clients
    python benchmarks/api.py --duration 3 --concurrency 8     # quick
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
from fastapi import FastAPI

from silkhub.settings import Settings
from silkhub.store import NetworkRepository, create_demo_org, open_store

log = logging.getLogger("silkhub.benchmarks")

HERE = Path(__file__).resolve().parent
#: Origin → destination pairs of the embedded network a shipper typically asks for.
PAIRS = [("YIW", "MAD"), ("CGO", "LGG"), ("CGO", "ALA"), ("CNZGZ", "DEHAM"), ("YIW", "OSL")]


def minimal_app() -> FastAPI:
    """The baseline: FastAPI with one trivial JSON endpoint (served by `--factory`)."""
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve(factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Run uvicorn in a subprocess, the same way for both apps (one worker, no access log)."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", factory, "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log",
            "--app-dir", str(HERE),
        ],
        env={**os.environ, **env},
    )  # fmt: skip


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx2.get(url, timeout=1.0).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s")


@dataclass
class Result:
    """What one endpoint did under load."""

    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        """Latency percentile ``q`` (0..100) in milliseconds."""
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]


RequestMaker = Callable[[httpx2.AsyncClient, random.Random], Any]


async def _load(
    name: str, base: str, make: RequestMaker, concurrency: int, warmup: float, duration: float
) -> Result:
    """``concurrency`` clients send requests back to back; only the timed phase counts."""
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:
        loop = asyncio.get_running_loop()
        start = loop.time() + warmup
        stop = start + duration
        latencies: list[float] = []
        counts = {"ok": 0, "errors": 0}

        async def worker(seed: int) -> None:
            rng = random.Random(seed)
            while True:
                sent = loop.time()
                if sent >= stop:
                    return
                response = await make(client, rng)
                done = loop.time()
                if sent >= start:
                    if response.status_code < 400:
                        counts["ok"] += 1
                        latencies.append((done - sent) * 1000)
                    else:
                        counts["errors"] += 1
                        if counts["errors"] == 1:
                            log.warning(
                                "%s: %s %s", name, response.status_code, response.text[:300]
                            )

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return Result(name, counts["ok"], counts["errors"], duration, latencies)


def _quote_maker(key: str, first: date) -> RequestMaker:
    def make(client: httpx2.AsyncClient, rng: random.Random) -> Any:
        origin, destination = rng.choice(PAIRS)
        ready = datetime.combine(first + timedelta(days=rng.randrange(0, 30)), datetime.min.time())
        body = {
            "origin": origin,
            "destination": destination,
            "ready": ready.replace(hour=rng.randrange(24), tzinfo=UTC).isoformat(),
            "weight_kg": rng.choice([50, 500, 2_000]),
            "volume_m3": rng.choice([0.3, 2.5, 12.0]),
        }
        return client.post("/v1/quotes", json=body, headers={"X-API-Key": key})

    return make


def _departures_maker(key: str, first: date) -> RequestMaker:
    def make(client: httpx2.AsyncClient, rng: random.Random) -> Any:
        day = first + timedelta(days=rng.randrange(0, 30))
        params = {
            "origin": rng.choice(["CGO", "YIW", "CNZGZ"]),
            "from": day.isoformat(),
            "to": (day + timedelta(days=7)).isoformat(),
            "limit": "20",
        }
        return client.get("/v1/departures", params=params, headers={"X-API-Key": key})

    return make


def _ping(client: httpx2.AsyncClient, rng: random.Random) -> Any:
    return client.get("/ping")


def _row(result: Result, baseline: Result) -> str:
    return (
        f"{result.name:<22} {result.rps:>9,.0f} {result.percentile(50):>9.1f} "
        f"{result.percentile(99):>9.1f} {result.rps / baseline.rps:>8.2f} {result.errors:>7}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="Timed seconds per endpoint.")
    parser.add_argument("--warmup", type=float, default=2.0, help="Untimed seconds first.")
    parser.add_argument("--concurrency", type=int, default=16, help="Concurrent clients.")
    args = parser.parse_args()
    if not (0 < args.duration <= 120 and 0 <= args.warmup <= 30 and 1 <= args.concurrency <= 256):
        parser.error("keep --duration in (0, 120], --warmup in [0, 30], --concurrency in [1, 256]")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)

    with tempfile.TemporaryDirectory(prefix="silkhub-bench-") as data_dir:
        settings = Settings(data_dir=Path(data_dir))
        started = time.perf_counter()
        store = open_store(settings)  # migrate + import the embedded network, as on first start
        new = create_demo_org(store)
        assert new is not None
        with store.session() as session:
            network = NetworkRepository(session).current()
            assert network is not None
            first = max(network.window_start, date.today())
        store.close()
        log.info("store prepared in %.1f s (departures %s..)", time.perf_counter() - started, first)

        api_port, base_port = _free_port(), _free_port()
        api = _serve("silkhub.api:create_app_from_env", api_port, {"SILKHUB_DATA_DIR": data_dir})
        base = _serve("api:minimal_app", base_port, {})
        try:
            _wait_ready(f"http://127.0.0.1:{api_port}/v1/ready", api)
            _wait_ready(f"http://127.0.0.1:{base_port}/ping", base)

            def run(name: str, url: str, make: RequestMaker) -> Result:
                return asyncio.run(
                    _load(name, url, make, args.concurrency, args.warmup, args.duration)
                )

            baseline = run("GET /ping (minimal)", f"http://127.0.0.1:{base_port}", _ping)
            quotes = run(
                "POST /v1/quotes",
                f"http://127.0.0.1:{api_port}",
                _quote_maker(new.plaintext, first),
            )
            departures = run(
                "GET /v1/departures",
                f"http://127.0.0.1:{api_port}",
                _departures_maker(new.plaintext, first),
            )
        finally:
            for process in (api, base):
                process.terminate()
                process.wait(timeout=30)

    print(
        f"\nAPI benchmark — {args.concurrency} concurrent clients, {args.duration:.0f} s per "
        f"endpoint, loopback; Python {platform.python_version()}, {os.cpu_count()} cores"
    )
    print(f"{'endpoint':<22} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'ratio':>8} {'errors':>7}")
    for result in (baseline, quotes, departures):
        print(_row(result, baseline))
    print("ratio: requests per second relative to the minimal FastAPI endpoint served the same way")


if __name__ == "__main__":
    main()
