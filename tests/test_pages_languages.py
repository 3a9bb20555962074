"""Every page renders in each of the four languages, with `<html lang>` and translated text.

The language is chosen the way a visitor chooses it: the `lang` cookie set by the
language switcher. Each check is an exact <title> (page string + the layout's brand)
and one sentence of the page body.
"""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from hackathon.domain.events import ensure_demo_event
from tests.web_fixtures import signed_in_client

LOCALES = ("de", "fr", "en", "lb")
N = "\u00a0"  # French puts a no-break space before ? ! : ;

BRAND = {
    "de": "QuattroPole-Hackathon",
    "fr": "Hackathon QuattroPole",
    "en": "QuattroPole Hackathon",
    "lb": "QuattroPole-Hackathon",
}

# page -> locale -> (title, a sentence of the body)
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "home": {
        "de": ("QuattroPole Health Hackathon 2027", "Mitmachen"),
        "fr": ("QuattroPole Health Hackathon 2027", "Participer"),
        "en": ("QuattroPole Health Hackathon 2027", "Take part"),
        "lb": ("QuattroPole Health Hackathon 2027", "Matmaachen"),
    },
    "signup": {
        "de": ("Registrieren", "Konto erstellen"),
        "fr": ("S’inscrire", "Créer le compte"),
        "en": ("Sign up", "Create account"),
        "lb": ("Umellen", "Kont opmaachen"),
    },
    "login": {
        "de": ("Anmelden", "Passwort vergessen?"),
        "fr": ("Se connecter", f"Mot de passe oublié{N}?"),
        "en": ("Log in", "Forgot your password?"),
        "lb": ("Aloggen", "Passwuert vergiess?"),
    },
    "reset": {
        "de": ("Passwort zurücksetzen", "Link senden"),
        "fr": ("Réinitialiser votre mot de passe", "Envoyer le lien"),
        "en": ("Reset your password", "Send the link"),
        "lb": ("Passwuert zrécksetzen", "Link schécken"),
    },
    "profile": {
        "de": ("Ihr Profil", "Passwort ändern"),
        "fr": ("Votre profil", "Changer votre mot de passe"),
        "en": ("Your profile", "Change your password"),
        "lb": ("Äre Profil", "Äert Passwuert änneren"),
    },
    "admin": {
        "de": ("Personen und Rollen", "Ihre eigenen Rollen können Sie nicht ändern."),
        "fr": ("Personnes et rôles", "Vous ne pouvez pas modifier vos propres rôles."),
        "en": ("Users and roles", "You cannot change your own roles."),
        "lb": ("Persounen a Rollen", "Är eege Rolle kënnt Dir net änneren."),
    },
    "verify": {
        "de": ("E-Mail-Adresse bestätigen", "Meine Adresse bestätigen"),
        "fr": ("Confirmez votre adresse e-mail", "Confirmer mon adresse"),
        "en": ("Confirm your e-mail address", "Confirm my address"),
        "lb": ("Confirméiert Är E-Mail-Adress", "Meng Adress confirméieren"),
    },
    "invalid_link": {
        "de": ("Link ungültig", "Dieser Link funktioniert nicht mehr"),
        "fr": ("Lien non valable", "Ce lien ne fonctionne plus"),
        "en": ("Link not valid", "This link does not work any more"),
        "lb": ("Link net gülteg", "Dëse Link funktionéiert net méi"),
    },
    "csrf": {
        "de": ("Formular abgelaufen", "Dieses Formular ist abgelaufen"),
        "fr": ("Formulaire expiré", "Ce formulaire a expiré"),
        "en": ("Form expired", "This form has expired"),
        "lb": ("Formulaire ofgelaf", "Dëse Formulaire ass ofgelaf"),
    },
    "403": {
        "de": ("Zugriff verweigert", "wenden Sie sich an das Organisationsteam."),
        "fr": ("Accès refusé", "adressez-vous à l’équipe d’organisation."),
        "en": ("Access denied", "ask an organizer."),
        "lb": ("Zougrëff refuséiert", "frot d'Organisateuren."),
    },
    "404": {
        "de": ("Seite nicht gefunden", "Zurück zur Startseite"),
        "fr": ("Page introuvable", "Retour à la page d’accueil"),
        "en": ("Page not found", "Back to the home page"),
        "lb": ("Säit net fonnt", "Zréck op d'Startsäit"),
    },
    "413": {
        "de": ("Datei zu groß", "Bitte senden Sie eine kleinere Datei."),
        "fr": ("Fichier trop volumineux", "Veuillez envoyer un fichier plus petit."),
        "en": ("File too large", "Please send a smaller file."),
        "lb": ("Fichier ze grouss", "Schéckt w.e.g. e méi klenge Fichier."),
    },
    "429": {
        "de": ("Zu viele Versuche", "Bitte warten Sie 15 Minuten"),
        "fr": ("Trop de tentatives", "Veuillez patienter 15 minutes"),
        "en": ("Too many attempts", "Please wait 15 minutes"),
        "lb": ("Ze vill Versich", "Waart w.e.g. 15 Minutten"),
    },
    "500": {
        "de": ("Etwas ist schiefgelaufen", "Bei uns ist ein unerwarteter Fehler aufgetreten."),
        "fr": ("Une erreur s’est produite", "Une erreur inattendue s’est produite de notre côté."),
        "en": ("Something went wrong", "An unexpected error happened on our side."),
        "lb": ("Eppes ass schifgaangen", "Bei eis ass en onerwaarte Feeler geschitt."),
    },
}


def _in_language(client: httpx.AsyncClient, locale: str) -> httpx.AsyncClient:
    client.cookies.set("lang", locale)
    return client


def assert_page_in(html: str, page: str, locale: str) -> None:
    title, sentence = EXPECTED[page][locale]
    assert re.findall(r'<html lang="(\w+)">', html) == [locale]
    assert re.findall(r"<title>(.*?)</title>", html) == [f"{title} – {BRAND[locale]}"]
    assert sentence in html


@pytest.mark.parametrize("locale", LOCALES)
async def test_home_page_in_each_language(
    client: httpx.AsyncClient, app: Starlette, locale: str
) -> None:
    async with app.state.database.write() as conn:
        await ensure_demo_event(conn)

    response = await _in_language(client, locale).get("/")

    assert (response.status_code, response.headers["content-language"]) == (200, locale)
    assert_page_in(response.text, "home", locale)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    ("page", "path"), [("signup", "/signup"), ("login", "/login"), ("reset", "/reset")]
)
async def test_account_pages_in_each_language(
    client: httpx.AsyncClient, page: str, path: str, locale: str
) -> None:
    response = await _in_language(client, locale).get(path)

    assert response.status_code == 200
    assert_page_in(response.text, page, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_verify_page_in_each_language(client: httpx.AsyncClient, locale: str) -> None:
    response = await _in_language(client, locale).get("/verify?token=abc")

    assert response.status_code == 200
    assert_page_in(response.text, "verify", locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_invalid_link_page_in_each_language(client: httpx.AsyncClient, locale: str) -> None:
    response = await _in_language(client, locale).get("/reset/confirm?token=unknown")

    assert response.status_code == 400
    assert_page_in(response.text, "invalid_link", locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_csrf_refusal_page_in_each_language(client: httpx.AsyncClient, locale: str) -> None:
    response = await _in_language(client, locale).post("/login", data={"email": "a@b.c"})

    assert response.status_code == 403
    assert_page_in(response.text, "csrf", locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_profile_page_in_each_language(app: Starlette, locale: str) -> None:
    client = await signed_in_client(app, "pia@example.org")
    try:
        response = await _in_language(client, locale).get("/profile")
    finally:
        await client.aclose()

    assert response.status_code == 200
    assert_page_in(response.text, "profile", locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_admin_users_page_in_each_language(app: Starlette, locale: str) -> None:
    client = await signed_in_client(app, "olga@example.org", roles=("organizer",))
    try:
        response = await _in_language(client, locale).get("/admin/users")
    finally:
        await client.aclose()

    assert response.status_code == 200
    assert_page_in(response.text, "admin", locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_forbidden_page_in_each_language(app: Starlette, locale: str) -> None:
    client = await signed_in_client(app, "pia@example.org")
    try:
        response = await _in_language(client, locale).get("/admin/users")
    finally:
        await client.aclose()

    assert response.status_code == 403
    assert_page_in(response.text, "403", locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_not_found_page_in_each_language(client: httpx.AsyncClient, locale: str) -> None:
    response = await _in_language(client, locale).get("/no-such-page")

    assert response.status_code == 404
    assert_page_in(response.text, "404", locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_too_large_page_in_each_language(client: httpx.AsyncClient, locale: str) -> None:
    body = b"x" * (2 * 1024 * 1024 + 1)

    response = await _in_language(client, locale).post(
        "/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert response.status_code == 413
    assert_page_in(response.text, "413", locale)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("status", [429, 500])
async def test_error_templates_in_each_language(app: Starlette, status: int, locale: str) -> None:
    # Throttling and crashes are shown by other tests; here only their pages' language.
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [],
        "query_string": b"",
        "app": app,
        "state": {"locale": locale, "user": None, "csrf_token": "t", "flashes": []},
    }
    request = Request(scope)

    response = app.state.templates.TemplateResponse(
        request, f"errors/{status}.html", status_code=status
    )

    assert_page_in(bytes(response.body).decode(), str(status), locale)


async def test_crash_page_is_shown_in_the_visitors_language(app: Starlette) -> None:
    # A crash is answered outside every middleware, where the locale context is gone:
    # the page must still follow the locale the request negotiated.
    async def crash(request: Request) -> None:
        raise RuntimeError("boom")

    app.router.routes.append(Route("/crash-for-test", crash))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.cookies.set("lang", "lb")
        response = await client.get("/crash-for-test")

    assert response.status_code == 500
    assert_page_in(response.text, "500", "lb")
