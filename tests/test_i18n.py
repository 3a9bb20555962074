"""Locale negotiation, gettext, the locale middleware, templates and Babel formatting."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from hackathon import i18n
from hackathon.i18n import (
    LocaleMiddleware,
    compile_catalog,
    current_locale,
    format_date,
    format_date_range,
    format_datetime,
    format_decimal,
    format_number,
    gettext,
    lazy_gettext,
    locale_name,
    make_templates,
    negotiate_locale,
    ngettext,
    parse_accept_language,
    set_request_locale,
    use_locale,
)
from hackathon.settings import Settings

FIREFOX_SWISS_FRENCH = "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"


# --- negotiation -----------------------------------------------------------------------------


def test_parse_accept_language_orders_by_quality() -> None:
    assert parse_accept_language("de;q=0.7, fr-CH, *;q=0.5, en;q=0.8") == [
        ("fr-CH", 1.0),
        ("en", 0.8),
        ("de", 0.7),
        ("*", 0.5),
    ]


def test_parse_accept_language_drops_zero_and_malformed_qualities() -> None:
    assert parse_accept_language("fr;q=0, de;q=abc, en;q=2, lb;q=0.3, , ;q=1") == [("lb", 0.3)]


def test_negotiate_locale_swiss_french_browser_gets_french() -> None:
    locale = negotiate_locale(
        explicit=None, user_locale=None, accept_language=FIREFOX_SWISS_FRENCH, default="en"
    )
    assert locale == "fr"


def test_negotiate_locale_highest_quality_wins_over_order() -> None:
    locale = negotiate_locale(
        explicit=None, user_locale=None, accept_language="en;q=0.2, de;q=0.9", default="fr"
    )
    assert locale == "de"


def test_negotiate_locale_luxembourgish_tags_map_to_lb() -> None:
    found = [
        negotiate_locale(explicit=None, user_locale=None, accept_language=tag, default="en")
        for tag in ("lb", "lb-LU", "LB-lu", "ltz")
    ]
    assert found == ["lb", "lb", "lb", "lb"]


def test_negotiate_locale_quality_zero_is_excluded() -> None:
    locale = negotiate_locale(
        explicit=None, user_locale=None, accept_language="de;q=0, fr;q=0.1", default="en"
    )
    assert locale == "fr"


def test_negotiate_locale_unsupported_languages_fall_back_to_default() -> None:
    locale = negotiate_locale(
        explicit=None, user_locale=None, accept_language="pt-BR, es;q=0.8", default="de"
    )
    assert locale == "de"


def test_negotiate_locale_wildcard_before_supported_language_gives_default() -> None:
    locale = negotiate_locale(
        explicit=None, user_locale=None, accept_language="es, *;q=0.9, fr;q=0.5", default="lb"
    )
    assert locale == "lb"


def test_negotiate_locale_explicit_choice_beats_profile_and_browser() -> None:
    locale = negotiate_locale(explicit="lb", user_locale="fr", accept_language="de", default="en")
    assert locale == "lb"


def test_negotiate_locale_profile_beats_browser() -> None:
    locale = negotiate_locale(explicit=None, user_locale="fr", accept_language="de", default="en")
    assert locale == "fr"


def test_negotiate_locale_unknown_explicit_choice_is_ignored() -> None:
    locale = negotiate_locale(explicit="xx", user_locale=None, accept_language="de", default="en")
    assert locale == "de"


def test_negotiate_locale_no_header_gives_default() -> None:
    locale = negotiate_locale(explicit=None, user_locale=None, accept_language=None, default="fr")
    assert locale == "fr"


# --- gettext ---------------------------------------------------------------------------------


def test_gettext_translates_in_each_locale() -> None:
    found = {}
    for locale in ("de", "fr", "en", "lb"):
        with use_locale(locale):
            found[locale] = gettext("Page not found")
    assert found == {
        "de": "Seite nicht gefunden",
        "fr": "Page introuvable",
        "en": "Page not found",
        "lb": "Säit net fonnt",
    }


def test_gettext_unknown_message_returns_source_text() -> None:
    with use_locale("de"):
        assert gettext("A sentence nobody translated") == "A sentence nobody translated"


def test_ngettext_chooses_plural_form_per_locale() -> None:
    singular, plural = "%(places)s place", "%(places)s places"
    with use_locale("de"):
        german = [ngettext(singular, plural, n) % {"places": n} for n in (1, 2)]
    with use_locale("fr"):
        # French uses the singular for 0 and 1.
        french = [ngettext(singular, plural, n) % {"places": n} for n in (0, 1, 2)]
    assert german == ["1 Platz", "2 Plätze"]
    assert french == ["0 place", "1 place", "2 places"]


def test_lazy_gettext_translates_when_rendered() -> None:
    label = lazy_gettext("Log in")
    with use_locale("fr"):
        french = str(label)
    with use_locale("lb"):
        luxembourgish = str(label)
    assert (french, luxembourgish) == ("Se connecter", "Aloggen")


def test_lazy_gettext_is_escaped_in_html() -> None:
    assert lazy_gettext("<b>").__html__() == "&lt;b&gt;"


def test_use_locale_restores_previous_locale() -> None:
    before = current_locale.get()
    with use_locale("lb"):
        inside = current_locale.get()
    assert (inside, current_locale.get()) == ("lb", before)


def test_compile_catalog_ignores_fuzzy_entries() -> None:
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Log in"\nmsgstr "Anmelden"\n\n'
        '#, fuzzy\nmsgid "Log out"\nmsgstr "Anmelden"\n'
    )
    translations = compile_catalog(io.BytesIO(po.encode()), "de")
    assert [translations.gettext("Log in"), translations.gettext("Log out")] == [
        "Anmelden",
        "Log out",
    ]


def test_catalogs_are_compiled_from_po_files_only() -> None:
    mo_files = sorted(str(path) for path in i18n.LOCALES_DIR.rglob("*.mo"))
    assert mo_files == []


# --- middleware ------------------------------------------------------------------------------


async def _echo_locale(request: Request) -> Response:
    return PlainTextResponse(f"{request.state.locale} {current_locale.get()} {gettext('Log in')}")


async def _profile_locale(request: Request) -> Response:
    set_request_locale(request, "lb")
    return PlainTextResponse(f"{request.state.locale} {gettext('Log in')}")


def _client(default_locale: str = "en") -> httpx.AsyncClient:
    app = Starlette(
        routes=[Route("/", _echo_locale), Route("/profile", _profile_locale)],
        middleware=[Middleware(LocaleMiddleware, default_locale=default_locale)],
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_middleware_uses_accept_language() -> None:
    async with _client() as client:
        response = await client.get("/", headers={"Accept-Language": FIREFOX_SWISS_FRENCH})
    assert response.text == "fr fr Se connecter"
    assert response.headers["content-language"] == "fr"
    assert response.headers["vary"] == "Accept-Language, Cookie"


async def test_middleware_cookie_beats_accept_language() -> None:
    async with _client() as client:
        response = await client.get(
            "/", headers={"Accept-Language": "fr", "Cookie": "lang=de; other=1"}
        )
    assert response.text == "de de Anmelden"
    assert response.headers["content-language"] == "de"


async def test_middleware_without_preferences_uses_default() -> None:
    async with _client(default_locale="lb") as client:
        response = await client.get("/", headers={"Cookie": "lang=klingon"})
    assert response.text == "lb lb Aloggen"


async def test_middleware_override_sets_content_language() -> None:
    async with _client() as client:
        response = await client.get("/profile", headers={"Accept-Language": "de"})
    assert response.text == "lb Aloggen"
    assert response.headers["content-language"] == "lb"


async def test_middleware_merges_existing_vary_header() -> None:
    async def endpoint(request: Request) -> Response:
        return PlainTextResponse("x", headers={"Vary": "Origin, cookie"})

    app = Starlette(
        routes=[Route("/", endpoint)],
        middleware=[Middleware(LocaleMiddleware, default_locale="en")],
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/")
    assert response.headers.get_list("vary") == ["Origin, cookie, Accept-Language"]


async def test_middleware_resets_locale_after_request() -> None:
    before = current_locale.get()
    async with _client() as client:
        await client.get("/", headers={"Accept-Language": "lb"})
    assert current_locale.get() == before


# --- templates -------------------------------------------------------------------------------


def test_templates_autoescape_every_file_type() -> None:
    env = make_templates(Settings()).env
    canary = "\"><svg onload=x>'"
    text_template = env.get_template("mail/verify.txt").render(name=canary, link="L")
    from_string = env.from_string("{{ value }}").render(value=canary)
    assert "&#34;&gt;&lt;svg onload=x&gt;&#39;" in text_template
    assert from_string == "&#34;&gt;&lt;svg onload=x&gt;&#39;"


def test_templates_translate_with_placeholders_escaped() -> None:
    env = make_templates(Settings()).env
    template = env.from_string("{% trans name=name %}Welcome back, {{ name }}.{% endtrans %}")
    with use_locale("de"):
        rendered = template.render(name="<Ann>")
    assert rendered == "Willkommen zurück, &lt;Ann&gt;."


def test_templates_filters_follow_active_locale() -> None:
    env = make_templates(Settings()).env
    template = env.from_string("{{ day | format_date }} / {{ n | format_number }}")
    with use_locale("fr"):
        rendered = template.render(day=dt.date(2026, 3, 14), n=1234567)
    assert rendered == "14 mars 2026 / 1\u202f234\u202f567"


# --- formatting ------------------------------------------------------------------------------


def _in_each_locale(function, *args):  # type: ignore[no-untyped-def]
    found = {}
    for locale in ("de", "fr", "en", "lb"):
        with use_locale(locale):
            found[locale] = function(*args)
    return found


def test_format_date_uses_cldr_long_format() -> None:
    assert _in_each_locale(format_date, dt.date(2026, 3, 14)) == {
        "de": "14. März 2026",
        "fr": "14 mars 2026",
        "en": "March 14, 2026",
        "lb": "14. Mäerz 2026",
    }


def test_format_date_range_spells_out_the_month() -> None:
    # CLDR puts thin spaces (U+2009) around the dash where a language wants spaces.
    assert _in_each_locale(format_date_range, dt.date(2026, 3, 14), dt.date(2026, 3, 15)) == {
        "de": "14.–15. März 2026",
        "fr": "14–15 mars 2026",
        "en": "March 14\u2009–\u200915, 2026",
        "lb": "14.–15. Mäerz 2026",
    }


def test_format_date_range_across_months() -> None:
    with use_locale("lb"):
        assert format_date_range(dt.date(2026, 3, 31), dt.date(2026, 4, 2)) == (
            "31. Mäerz\u2009–\u20092. Abrëll 2026"
        )


def test_format_date_range_single_day() -> None:
    with use_locale("de"):
        assert format_date_range(dt.date(2026, 3, 14), dt.date(2026, 3, 14)) == "14. März 2026"


def test_format_datetime_shows_luxembourg_time() -> None:
    moment = dt.datetime(2026, 3, 14, 8, 30, tzinfo=dt.UTC)
    with use_locale("de"):
        assert format_datetime(moment, "short") == "14.03.26, 09:30"


def test_format_decimal_uses_locale_separators() -> None:
    assert _in_each_locale(format_decimal, Decimal("1234.5")) == {
        "de": "1.234,5",
        "fr": "1\u202f234,5",
        "en": "1,234.5",
        "lb": "1.234,5",
    }


def test_format_number_groups_thousands() -> None:
    with use_locale("en"):
        assert format_number(1234567) == "1,234,567"


def test_locale_name_is_written_in_its_own_language() -> None:
    names = [locale_name(code) for code in ("de", "fr", "en", "lb")]
    assert names == ["Deutsch", "Français", "English", "Lëtzebuergesch"]
