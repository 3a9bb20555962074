"""The account flow in a real browser on a phone-sized screen, in French then Luxembourgish.

run.py serves the app (embedded SQLite, no demo data); Debian's Chromium, driven by
Playwright's async API, signs up, follows the confirmation link the outbox printed, logs
in and out, and switches the language. Every page must fit 390 px without sideways scrolling.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.test_run import run_py, wait_for_link

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
# As root in a container, without the GPU, and without the background traffic a closed
# network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is absent (apt-get install -y chromium; .ci/run installs it)",
    ),
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


async def fits_the_screen(page: Page) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def test_sign_up_confirm_log_in_and_out_on_a_phone(browser: Browser, tmp_path: Path) -> None:
    fitting: dict[str, bool] = {}
    context = await browser.new_context(viewport=PHONE, locale="fr-FR")
    page = await context.new_page()
    with run_py(tmp_path / "data", "--no-demo") as (base, log):
        await page.goto(base + "/")
        await expect(page.locator("html")).to_have_attribute("lang", "fr")
        fitting["home"] = await fits_the_screen(page)

        await page.locator("#main").get_by_role("link", name="S’inscrire").click()
        await page.get_by_label("Nom").fill("Ada Lovelace")
        await page.get_by_label("Adresse e-mail").fill("ada@example.org")
        await page.get_by_label("Mot de passe").fill("correct horse battery 42")
        await page.get_by_label("J’accepte les conditions").check()
        fitting["signup"] = await fits_the_screen(page)
        await page.get_by_role("button", name="Créer le compte").click()
        await expect(page).to_have_url(base + "/login")

        link = wait_for_link(log)
        await page.goto(link)
        fitting["verify"] = await fits_the_screen(page)
        await page.get_by_role("button", name="Confirmer mon adresse").click()
        await expect(
            page.get_by_text("Merci : votre adresse e-mail est confirmée.")
        ).to_be_visible()

        await page.goto(base + "/login")
        await page.get_by_label("Adresse e-mail").fill("ada@example.org")
        await page.get_by_label("Mot de passe").fill("correct horse battery 42")
        fitting["login"] = await fits_the_screen(page)
        await page.get_by_role("button", name="Se connecter").click()
        await expect(page.get_by_text("Connexion réussie.")).to_be_visible()
        await page.goto(base + "/profile")
        await expect(page.get_by_label("Nom")).to_have_value("Ada Lovelace")
        fitting["profile"] = await fits_the_screen(page)

        await page.get_by_role("button", name="Lëtzebuergesch").click()
        await expect(page.locator("html")).to_have_attribute("lang", "lb")
        await page.reload()
        await expect(page.locator("html")).to_have_attribute("lang", "lb")
        await page.get_by_role("button", name="Ausloggen").click()
        await expect(page.get_by_text("Dir sidd ausgeloggt.")).to_be_visible()
        await page.goto(base + "/profile")
        await expect(page).to_have_url(re.compile(re.escape(base) + r"/login\?next="))
    await context.close()

    assert fitting == dict.fromkeys(["home", "signup", "verify", "login", "profile"], True)
