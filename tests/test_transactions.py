"""Transactions do not leak into each other (SECURITY.md F25) and writers never hit "locked"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from hackathon.db import Database
from hackathon.queries import events as q
from hackathon.tables import events, sites, users

NOW = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)
CONCURRENT_WRITERS = 20


async def _add_user(conn: object, email: str) -> None:
    await conn.execute(  # type: ignore[attr-defined]
        insert(users).values(
            email=email, name="Ada", password_hash="x", locale="en", created_at=NOW
        )
    )


async def _emails(database: Database) -> list[str]:
    async with database.read() as conn:
        return list((await conn.execute(select(users.c.email).order_by(users.c.email))).scalars())


async def test_transaction_failing_half_way_leaves_nothing(database: Database):
    with pytest.raises(IntegrityError):
        async with database.write() as conn:
            event_id = await q.insert_event(
                conn, slug="e", name="Event", starts_on=NOW.date(), ends_on=NOW.date()
            )
            await q.insert_site(
                conn,
                event_id=event_id,
                slug="metz",
                city="Metz",
                country="FR",
                venue="",
                capacity=4,
            )
            await q.insert_site(  # same slug: the constraint stops the transaction here
                conn,
                event_id=event_id,
                slug="metz",
                city="Metz",
                country="FR",
                venue="",
                capacity=4,
            )

    async with database.read() as conn:
        counts = [
            (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (events, sites)
        ]
    assert counts == [0, 0]


async def test_transaction_failing_half_way_leaves_a_concurrent_commit_intact(database: Database):
    failing_has_written = asyncio.Event()

    async def failing() -> None:
        async with database.write() as conn:
            await _add_user(conn, "failing@example.org")
            failing_has_written.set()
            await asyncio.sleep(0.01)
            raise RuntimeError("the request breaks after its first write")

    async def succeeding() -> None:
        await failing_has_written.wait()
        async with database.write() as conn:
            await _add_user(conn, "succeeding@example.org")

    results = await asyncio.gather(failing(), succeeding(), return_exceptions=True)

    assert [type(result) for result in results] == [RuntimeError, type(None)]
    assert await _emails(database) == ["succeeding@example.org"]


async def test_uncommitted_write_is_invisible_to_readers(database: Database):
    async with database.write() as conn:
        await _add_user(conn, "pending@example.org")
        seen_while_open = await _emails(database)

    assert (seen_while_open, await _emails(database)) == ([], ["pending@example.org"])


async def _read_then_write(database: Database, number: int) -> None:
    async with database.write() as conn:
        # Reading first is what makes DEFERRED transactions fail with "database is locked".
        count = (await conn.execute(select(func.count()).select_from(users))).scalar_one()
        await _add_user(conn, f"user{number}-saw{count}@example.org")


async def test_concurrent_read_then_write_transactions_all_commit(database: Database):
    results = await asyncio.gather(
        *(_read_then_write(database, number) for number in range(CONCURRENT_WRITERS)),
        return_exceptions=True,
    )

    assert [result for result in results if result is not None] == []
    assert len(await _emails(database)) == CONCURRENT_WRITERS


async def test_sqlite_serialised_writers_each_see_the_previous_commit(sqlite_url: str):
    database = Database(sqlite_url)
    try:
        await asyncio.gather(*(_read_then_write(database, n) for n in range(CONCURRENT_WRITERS)))
        emails = await _emails(database)
    finally:
        await database.dispose()

    seen_counts = sorted(int(email.split("saw")[1].split("@")[0]) for email in emails)
    assert seen_counts == list(range(CONCURRENT_WRITERS))


async def test_sqlite_two_handles_on_one_file_never_report_locked(sqlite_url: str):
    # Two Database objects stand for two processes (the app and a CLI command).
    first, second = Database(sqlite_url), Database(sqlite_url)
    try:
        results = await asyncio.gather(
            *(
                _read_then_write(first if number % 2 else second, number)
                for number in range(CONCURRENT_WRITERS)
            ),
            return_exceptions=True,
        )
        emails = await _emails(first)
    finally:
        await first.dispose()
        await second.dispose()

    assert [str(result) for result in results if result is not None] == []
    assert len(emails) == CONCURRENT_WRITERS
