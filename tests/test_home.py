"""The home page and the layout every page shares: event, cities, navigation, language switcher."""

from __future__ import annotations

import re
from datetime import date

import httpx
from starlette.applications import Starlette

from hackathon.domain.events import ensure_demo_event
from hackathon.queries import events as events_q
from tests.web_fixtures import csrf_from, signed_in_client

CANARY = "\"><svg onload=x>'"


async def _with_demo_event(app: Starlette) -> None:
    async with app.state.database.write() as conn:
        await ensure_demo_event(conn)


def _texts(pattern: str, html: str) -> list[str]:
    return [match.strip() for match in re.findall(pattern, html, flags=re.S)]


async def test_home_shows_event_dates_and_cities_in_german(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await _with_demo_event(app)

    response = await client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})

    html = response.text
    assert response.status_code == 200
    assert response.headers["content-language"] == "de"
    assert '<html lang="de">' in html
    assert _texts(r"<h1>(.*?)</h1>", html) == ["QuattroPole Health Hackathon 2027"]
    assert _texts(r'<time datetime="2027-03-12">(.*?)</time>', html) == ["12.–14. März 2027"]
    assert _texts(r"<h3>(.*?)</h3>", html) == ["Luxembourg", "Metz", "Saarbrücken", "Trier"]
    assert _texts(r'<li class="card">.*?<p>(.*?)</p>', html) == [
        "Luxemburg",
        "Frankreich",
        "Deutschland",
        "Deutschland",
    ]
    assert _texts(r"<p>(\d+ Plätze)</p>", html) == [
        "60 Plätze",
        "40 Plätze",
        "50 Plätze",
        "40 Plätze",
    ]


async def test_home_formats_dates_per_language(client: httpx.AsyncClient, app: Starlette) -> None:
    await _with_demo_event(app)
    found = {}

    for locale in ("de", "fr", "en", "lb"):
        response = await client.get("/", headers={"Accept-Language": locale})
        found[locale] = _texts(r'<time datetime="2027-03-12">(.*?)</time>', response.text)

    assert found == {
        "de": ["12.–14. März 2027"],
        "fr": ["12–14 mars 2027"],
        "en": ["March 12\u2009–\u200914, 2027"],
        "lb": ["12.–14. Mäerz 2027"],
    }


async def test_home_without_event_says_none_is_planned(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Accept-Language": "fr"})

    assert response.status_code == 200
    assert _texts(r'<p class="lead">(.*?)</p>', response.text) == [
        "Aucun événement n’est encore prévu. Revenez plus tard."
    ]


async def test_home_escapes_names_written_by_people(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    async with app.state.database.write() as conn:
        event_id = await events_q.insert_event(
            conn, slug="x", name=CANARY, starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 2)
        )
        await events_q.insert_site(
            conn, event_id=event_id, slug="y", city=CANARY, country="LU", venue=CANARY, capacity=1
        )

    response = await client.get("/")

    assert "<svg" not in response.text
    assert response.text.count("&#34;&gt;&lt;svg onload=x&gt;&#39;") == 4  # title, h1, city, venue


async def test_home_anonymous_navigation_offers_login_and_signup(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/")

    nav = response.text.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert _texts(r'<a href="([^"]+)">', nav) == ["/login", "/signup"]
    assert "/logout" not in nav


async def test_home_participant_navigation_has_profile_and_logout_but_no_admin(
    app: Starlette,
) -> None:
    client = await signed_in_client(app, "pia@example.org")
    try:
        response = await client.get("/")
    finally:
        await client.aclose()

    nav = response.text.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert _texts(r'<a href="([^"]+)">', nav) == ["/profile"]
    assert _texts(r'<form class="inline-form" method="post" action="([^"]+)">', nav) == ["/logout"]
    assert 'name="csrf_token"' in nav


async def test_home_organizer_navigation_has_admin(app: Starlette) -> None:
    client = await signed_in_client(app, "olga@example.org", roles=("organizer",))
    try:
        response = await client.get("/")
    finally:
        await client.aclose()

    nav = response.text.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert _texts(r'<a href="([^"]+)">', nav) == ["/profile", "/admin/users"]


async def test_language_switcher_offers_each_language_in_its_own_name(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/", headers={"Accept-Language": "lb"})

    buttons = re.findall(
        r'<button type="submit" name="locale" value="(\w+)" lang="(\w+)"([^>]*)>([^<]+)</button>',
        response.text,
    )
    assert buttons == [
        ("de", "de", "", "Deutsch"),
        ("fr", "fr", "", "Français"),
        ("en", "en", "", "English"),
        ("lb", "lb", ' aria-current="true"', "Lëtzebuergesch"),
    ]
    assert '<form class="language-switcher" method="post" action="/language">' in response.text


async def test_language_switcher_choice_is_remembered(client: httpx.AsyncClient) -> None:
    page = await client.get("/", headers={"Accept-Language": "de"})
    data = {"csrf_token": csrf_from(page.text), "locale": "lb", "next": "/"}

    switched = await client.post("/language", data=data)
    again = await client.get("/", headers={"Accept-Language": "de"})

    assert (switched.status_code, switched.headers["location"]) == (303, "/")
    assert client.cookies["lang"] == "lb"
    assert '<html lang="lb">' in again.text
    assert _texts(r'<h2 id="join-heading">(.*?)</h2>', again.text) == ["Matmaachen"]


async def test_layout_has_skip_link_and_stylesheet_without_inline_code(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/")

    html = response.text
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main" class="page" tabindex="-1">' in html
    assert '<link rel="stylesheet" href="/static/style.css">' in html
    assert re.findall(r"<script|<style|\sstyle=|\son\w+=", html) == []


async def test_stylesheet_is_served_with_focus_styles(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/style.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in response.text


async def test_language_switcher_returns_to_the_same_address_with_its_query(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/login?next=/profile")

    switcher = response.text.split('<form class="language-switcher"')[1].split("</form>")[0]
    assert re.findall(r'name="next" value="([^"]*)"', switcher) == ["/login?next=/profile"]


async def test_navigation_marks_the_current_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/signup")

    nav = response.text.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert re.findall(r"<a ([^>]+)>", nav) == [
        'href="/login"',
        'href="/signup" aria-current="page"',
    ]


async def test_favicon_is_served_from_static(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    icon = await client.get("/static/favicon.svg")

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
    assert (icon.status_code, icon.headers["content-type"]) == (200, "image/svg+xml")
