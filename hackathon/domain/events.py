"""The event and its sites: the demo event is data, stored once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from hackathon.queries import events as q


@dataclass(frozen=True)
class SiteSpec:
    slug: str
    city: str
    country: str
    venue: str
    capacity: int


@dataclass(frozen=True)
class EventSpec:
    slug: str
    name: str
    starts_on: date
    ends_on: date
    timezone: str
    sites: tuple[SiteSpec, ...]


# City names are proper names and stay as written in their own language.
DEMO_EVENT = EventSpec(
    slug="quattropole-health-2027",
    name="QuattroPole Health Hackathon 2027",
    starts_on=date(2027, 3, 12),
    ends_on=date(2027, 3, 14),
    timezone="Europe/Luxembourg",
    sites=(
        SiteSpec("luxembourg", "Luxembourg", "LU", "House of Startups, Luxembourg-Hollerich", 60),
        SiteSpec("metz", "Metz", "FR", "BliiDA, Metz", 40),
        SiteSpec("saarbruecken", "Saarbrücken", "DE", "Saarland University, Campus E1", 50),
        SiteSpec("trier", "Trier", "DE", "Trier University of Applied Sciences", 40),
    ),
)


async def ensure_event(conn: AsyncConnection, spec: EventSpec) -> int:
    """Store ``spec`` with its sites unless an event with its slug exists; return the event id.

    Idempotent: a second call returns the stored event untouched, so a demo
    loader can run at every start. Call it inside a write transaction.
    """
    existing = await q.find_event(conn, spec.slug)
    if existing is not None:
        return existing.id
    event_id = await q.insert_event(
        conn,
        slug=spec.slug,
        name=spec.name,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        timezone=spec.timezone,
    )
    for site in spec.sites:
        await q.insert_site(
            conn,
            event_id=event_id,
            slug=site.slug,
            city=site.city,
            country=site.country,
            venue=site.venue,
            capacity=site.capacity,
        )
    return event_id


async def ensure_demo_event(conn: AsyncConnection) -> int:
    """The demo event (four QuattroPole sites), stored on first call; returns its id."""
    return await ensure_event(conn, DEMO_EVENT)
