"""Measure SECURITY.md A1 and A4 timings, which the test suite deliberately does not assert.

A1: the worst event-loop stall while 20 logins run concurrently (threshold < 100 ms).
A4: the median answer time of a failed login for a known and for an unknown e-mail
(threshold: differ by < 25 ms).

    .venv/bin/python benchmarks/login_stall.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hackathon.app import create_app
from hackathon.migrate import upgrade
from tests.web_fixtures import (
    PASSWORD,
    create_user,
    csrf_token,
    make_client,
    make_settings,
    running,
)

CONCURRENT = 20
ROUNDS = 30


async def worst_stall(stop: asyncio.Event) -> float:
    worst = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        worst = max(worst, time.perf_counter() - started - 0.001)
    return worst


async def one_login(app, email: str, password: str) -> float:
    async with make_client(app) as client:
        token = await csrf_token(client)
        started = time.perf_counter()
        await client.post(
            "/login", data={"csrf_token": token, "email": email, "password": password}
        )
        return time.perf_counter() - started


async def open_login_page(app) -> None:
    async with make_client(app) as client:
        await csrf_token(client)


async def stall_during(work) -> float:
    stop = asyncio.Event()
    ticker = asyncio.create_task(worst_stall(stop))
    await work
    stop.set()
    return await ticker


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await asyncio.to_thread(upgrade, url)
        async with running(create_app(make_settings(url, Path(tmp) / "data"))) as app:
            for number in range(CONCURRENT):
                await create_user(app.state.database, f"user{number}@example.org")
            # Warm up: compile the templates and open the pools before measuring.
            await one_login(app, "user0@example.org", PASSWORD)
            logins = asyncio.gather(
                *(one_login(app, f"user{n}@example.org", PASSWORD) for n in range(CONCURRENT))
            )
            stall = await stall_during(logins)
            baseline = await stall_during(
                asyncio.gather(*(open_login_page(app) for _ in range(CONCURRENT)))
            )
            print(
                f"A1: worst event-loop stall under {CONCURRENT} concurrent logins: "
                f"{stall * 1000:.1f} ms (threshold 100 ms); the same {CONCURRENT} clients "
                f"only opening the login page, no hashing: {baseline * 1000:.1f} ms"
            )
            known, unknown = [], []
            for _ in range(ROUNDS):
                known.append(await one_login(app, "user0@example.org", "wrong password here"))
                unknown.append(await one_login(app, "nobody@example.org", "wrong password here"))
            difference = abs(statistics.median(known) - statistics.median(unknown)) * 1000
            print(
                f"A4: median failed login, known {statistics.median(known) * 1000:.1f} ms, "
                f"unknown {statistics.median(unknown) * 1000:.1f} ms, "
                f"difference {difference:.1f} ms (threshold 25 ms)"
            )


if __name__ == "__main__":
    asyncio.run(main())
