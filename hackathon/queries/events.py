"""SQL for events and their sites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.errors import NotFound
from hackathon.tables import events, sites


@dataclass(frozen=True)
class EventRow:
    id: int
    slug: str
    name: str
    starts_on: date
    ends_on: date
    timezone: str


@dataclass(frozen=True)
class SiteRow:
    id: int
    event_id: int
    slug: str
    city: str
    country: str
    venue: str
    capacity: int


def _event(row: object) -> EventRow:
    return EventRow(**row._mapping)  # type: ignore[attr-defined]


async def get_event(conn: AsyncConnection, slug: str) -> EventRow:
    """The event called ``slug``; NotFound if there is none."""
    row = (await conn.execute(select(events).where(events.c.slug == slug))).one_or_none()
    if row is None:
        raise NotFound(f"event {slug!r}")
    return _event(row)


async def find_event(conn: AsyncConnection, slug: str) -> EventRow | None:
    row = (await conn.execute(select(events).where(events.c.slug == slug))).one_or_none()
    return None if row is None else _event(row)


async def get_current_event(conn: AsyncConnection) -> EventRow:
    """The event the app is run for: the one that starts last; NotFound when there is none."""
    query = select(events).order_by(events.c.starts_on.desc(), events.c.id.desc()).limit(1)
    row = (await conn.execute(query)).one_or_none()
    if row is None:
        raise NotFound("no event has been set up")
    return _event(row)


async def find_current_event(conn: AsyncConnection) -> EventRow | None:
    """The event that starts last, or None before any event is set up (the home page)."""
    query = select(events).order_by(events.c.starts_on.desc(), events.c.id.desc()).limit(1)
    row = (await conn.execute(query)).one_or_none()
    return None if row is None else _event(row)


async def list_sites(conn: AsyncConnection, event_id: int) -> list[SiteRow]:
    """The event's sites in a stable order (by city)."""
    query = select(sites).where(sites.c.event_id == event_id).order_by(sites.c.city, sites.c.id)
    return [SiteRow(**row._mapping) for row in await conn.execute(query)]


async def get_site(conn: AsyncConnection, site_id: int) -> SiteRow:
    row = (await conn.execute(select(sites).where(sites.c.id == site_id))).one_or_none()
    if row is None:
        raise NotFound(f"site {site_id}")
    return SiteRow(**row._mapping)


async def insert_event(
    conn: AsyncConnection,
    *,
    slug: str,
    name: str,
    starts_on: date,
    ends_on: date,
    timezone: str = "Europe/Luxembourg",
) -> int:
    result = await conn.execute(
        insert(events)
        .values(slug=slug, name=name, starts_on=starts_on, ends_on=ends_on, timezone=timezone)
        .returning(events.c.id)
    )
    return int(result.scalar_one())


async def insert_site(
    conn: AsyncConnection,
    *,
    event_id: int,
    slug: str,
    city: str,
    country: str,
    venue: str,
    capacity: int,
) -> int:
    result = await conn.execute(
        insert(sites)
        .values(
            event_id=event_id,
            slug=slug,
            city=city,
            country=country,
            venue=venue,
            capacity=capacity,
        )
        .returning(sites.c.id)
    )
    return int(result.scalar_one())
