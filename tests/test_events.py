"""Events and sites: queries, and the demo event stored as data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from hackathon.db import Database
from hackathon.domain.events import DEMO_EVENT, ensure_demo_event
from hackathon.errors import NotFound
from hackathon.queries import events as q
from hackathon.tables import events, sites


async def test_ensure_demo_event_stores_the_event_and_its_four_sites(database: Database):
    async with database.write() as conn:
        event_id = await ensure_demo_event(conn)

    async with database.read() as conn:
        event = await q.get_event(conn, "quattropole-health-2027")
        stored_sites = await q.list_sites(conn, event_id)

    assert event == q.EventRow(
        id=event_id,
        slug="quattropole-health-2027",
        name="QuattroPole Health Hackathon 2027",
        starts_on=date(2027, 3, 12),
        ends_on=date(2027, 3, 14),
        timezone="Europe/Luxembourg",
    )
    assert [(s.slug, s.city, s.country, s.capacity) for s in stored_sites] == [
        ("luxembourg", "Luxembourg", "LU", 60),
        ("metz", "Metz", "FR", 40),
        ("saarbruecken", "Saarbrücken", "DE", 50),
        ("trier", "Trier", "DE", 40),
    ]
    assert [s.venue for s in stored_sites] == [site.venue for site in DEMO_EVENT.sites]
    assert {s.event_id for s in stored_sites} == {event_id}


async def test_ensure_demo_event_twice_stores_it_once(database: Database):
    async with database.write() as conn:
        first = await ensure_demo_event(conn)
    async with database.write() as conn:
        second = await ensure_demo_event(conn)

    async with database.read() as conn:
        counts = [
            (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (events, sites)
        ]
    assert (second, counts) == (first, [1, 4])


async def test_get_event_unknown_slug_raises_not_found(database: Database):
    async with database.read() as conn:
        with pytest.raises(NotFound):
            await q.get_event(conn, "no-such-event")


async def test_get_current_event_without_events_raises_not_found(database: Database):
    async with database.read() as conn:
        with pytest.raises(NotFound):
            await q.get_current_event(conn)


async def test_get_current_event_is_the_latest_starting_one(database: Database):
    async with database.write() as conn:
        await q.insert_event(
            conn, slug="2026", name="2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 2)
        )
        latest = await q.insert_event(
            conn, slug="2027", name="2027", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 2)
        )
        await q.insert_event(
            conn, slug="2025", name="2025", starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 2)
        )

    async with database.read() as conn:
        current = await q.get_current_event(conn)

    assert (current.id, current.slug) == (latest, "2027")


async def test_list_sites_returns_only_the_events_own_sites(database: Database):
    async with database.write() as conn:
        demo = await ensure_demo_event(conn)
        other = await q.insert_event(
            conn, slug="other", name="Other", starts_on=date(2027, 5, 1), ends_on=date(2027, 5, 1)
        )
        site_id = await q.insert_site(
            conn, event_id=other, slug="metz", city="Metz", country="FR", venue="Hall", capacity=9
        )

    async with database.read() as conn:
        other_sites = await q.list_sites(conn, other)
        demo_slugs = [site.slug for site in await q.list_sites(conn, demo)]
        fetched = await q.get_site(conn, site_id)

    assert other_sites == [
        q.SiteRow(
            id=site_id,
            event_id=other,
            slug="metz",
            city="Metz",
            country="FR",
            venue="Hall",
            capacity=9,
        )
    ]
    assert fetched == other_sites[0]
    assert demo_slugs == ["luxembourg", "metz", "saarbruecken", "trier"]


async def test_get_site_unknown_id_raises_not_found(database: Database):
    async with database.read() as conn:
        with pytest.raises(NotFound):
            await q.get_site(conn, 999)
