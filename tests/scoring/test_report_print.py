"""The report a jury chair prints and signs, printed by a real browser (Debian's Chromium).

Every column of every result table must reach the paper: the tables are printed on
landscape A4 pages (277 mm wide inside their margins, 1047 CSS pixels), where the ranking of
the sample jury (15 columns, German headings) once needed 1572 pixels and lost its tie notes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from scoring.cli import main
from scoring.i18n import set_language
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

SAMPLE = Path(__file__).parents[2] / "data" / "sample-jury"
LANDSCAPE_A4 = {"width": 1047, "height": 740}  # 297 x 210 mm less 10 mm margins, in px

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is absent (apt-get install -y chromium; .ci/run installs it)",
    ),
]


def sample_report(out: Path, language: str) -> Path:
    rubric = str(SAMPLE / "rubric.toml")
    argv = ["rank", str(SAMPLE), "-c", rubric, "-o", str(out), "--lang", language]
    try:
        assert main([*argv, "--samples", "20", "--no-charts"]) == 0
    finally:
        set_language("en")  # main() sets the process-wide language
    return out / "report.html"


@pytest.mark.parametrize("language", ["de", "fr"])
async def test_every_column_of_the_result_tables_reaches_the_printed_page(
    tmp_path: Path, language: str
) -> None:
    out = tmp_path / "out"
    sample_report(out, language)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport=LANDSCAPE_A4)
            await page.goto((out / "report.html").as_uri())
            await page.emulate_media(media="print")
            widths = await page.evaluate(
                "[...document.querySelectorAll('section.results table')]"
                ".map(t => [t.scrollWidth, t.parentElement.clientWidth])"
            )
        finally:
            await browser.close()

    # The ranking, the four challenges' rankings, stability, agreement and jurors.
    assert len(widths) == 8
    assert [table <= room for table, room in widths] == [True] * 8


async def test_on_a_phone_only_the_wide_tables_scroll_not_the_page(tmp_path: Path) -> None:
    # The German criteria table (long labels) made the whole page 462 px wide on 390.
    report = sample_report(tmp_path / "out", "de")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844})
            await page.goto(report.as_uri())
            width = await page.evaluate("document.documentElement.scrollWidth")
        finally:
            await browser.close()

    assert width == 390
