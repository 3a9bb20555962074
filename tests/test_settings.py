"""Settings read from the environment: defaults, refusals that say what to set, trusted proxies."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from hackathon.settings import (
    DEFAULT_SENDER,
    PROJECT_ROOT,
    Settings,
    SettingsError,
    SmtpSettings,
)

SMTP = {"SMTP_HOST": "mail.example.org"}
KEY = {"SECRET_KEY": "k" * 48}
HTTPS = {"BASE_URL": "https://hack.example.org"}


def load_run_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run", PROJECT_ROOT / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_embedded_default_keeps_one_generated_secret_under_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    first = Settings.from_environ({"DATA_DIR": str(data_dir)})
    second = Settings.from_environ({"DATA_DIR": str(data_dir)})

    assert first.database_url == f"sqlite+aiosqlite:///{data_dir / 'hackathon.db'}"
    assert first.secret_key == second.secret_key == (data_dir / "secret_key").read_text().strip()
    assert len(first.secret_key) >= 43
    assert oct((data_dir / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert (first.base_url, first.default_locale, first.debug, first.production) == (
        "http://127.0.0.1:8000", "en", False, False,
    )  # fmt: skip
    assert (first.smtp.configured, first.smtp.sender, first.forwarded_allow_ips) == (
        False, DEFAULT_SENDER, (),
    )  # fmt: skip


def test_values_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_environ(
        {
            **KEY, **SMTP, "DATA_DIR": str(tmp_path), "BASE_URL": "https://hack.example.org/",
            "DEFAULT_LOCALE": "lb", "PRODUCTION": "true", "SMTP_PORT": "465", "SMTP_TLS": "true",
            "SMTP_STARTTLS": "false", "FORWARDED_ALLOW_IPS": "10.0.0.1, 192.168.0.0/16",
        }
    )  # fmt: skip

    assert (settings.base_url, settings.https, settings.default_locale) == (
        "https://hack.example.org", True, "lb",
    )  # fmt: skip
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.use_tls) == (
        "mail.example.org", 465, True,
    )  # fmt: skip
    assert settings.smtp.starttls is False
    assert settings.forwarded_allow_ips == ("10.0.0.1", "192.168.0.0/16")
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({**SMTP, **HTTPS, "PRODUCTION": "true"}, "SECRET_KEY must be set in production mode"),
        ({**KEY, **HTTPS, "PRODUCTION": "true"}, "PRODUCTION=true needs a mail server"),
        (
            {"DEFAULT_LOCALE": "nl"},
            "DEFAULT_LOCALE='nl' is not supported; use one of de, fr, en, lb",
        ),
        ({"FORWARDED_ALLOW_IPS": "proxy.local"}, "FORWARDED_ALLOW_IPS: 'proxy.local' is not an IP"),
        ({"FORWARDED_ALLOW_IPS": "10.0.0.1/8"}, "FORWARDED_ALLOW_IPS: '10.0.0.1/8' is not an IP"),
        ({"FORWARDED_ALLOW_IPS": "*"}, "FORWARDED_ALLOW_IPS: '*' is not an IP"),
        ({**KEY, **SMTP, **HTTPS, "PRODUCTION": "1", "DEBUG": "1"}, "would show tracebacks"),
        (
            {**KEY, **SMTP, "PRODUCTION": "true"},
            "needs BASE_URL to be the public https:// address of the site (it is '')",
        ),
        (
            {**KEY, **SMTP, "PRODUCTION": "true", "BASE_URL": "http://hack.example.org"},
            "needs BASE_URL to be the public https:// address of the site (it is 'http://hack",
        ),
    ],
)
def test_refusals_name_what_to_set(environ: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_environ({**environ, "DATA_DIR": str(tmp_path)})


def test_production_settings_built_directly_are_checked_too() -> None:
    smtp = SmtpSettings(host="mail.example.org")

    with pytest.raises(SettingsError, match="would show tracebacks"):
        Settings(production=True, debug=True, base_url="https://x.example.org", smtp=smtp)
    with pytest.raises(SettingsError, match="needs BASE_URL to be the public https"):
        Settings(production=True, smtp=smtp)
    assert Settings(production=True, base_url="https://x.example.org", smtp=smtp).https


def test_base_url_defaults_to_the_local_address_outside_production(tmp_path: Path) -> None:
    local = Settings.from_environ({"DATA_DIR": str(tmp_path)}, local_url="http://127.0.0.1:8790")
    given = Settings.from_environ(
        {"DATA_DIR": str(tmp_path), **HTTPS}, local_url="http://127.0.0.1:8790"
    )

    assert (local.base_url, given.base_url) == ("http://127.0.0.1:8790", "https://hack.example.org")


def test_run_py_refuses_bad_settings_with_one_line_and_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PRODUCTION", "true")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.delenv("SMTP_HOST", raising=False)

    with pytest.raises(SystemExit) as exit_info:
        load_run_py().main(["--no-demo"])

    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("Error: PRODUCTION=true needs a mail server")
    assert list(tmp_path.iterdir()) == []


async def _client_host(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.client.host if request.client else "")


async def seen_client(
    trusted: str, peer: str, monkeypatch: pytest.MonkeyPatch, forwarded: str = "203.0.113.9"
) -> str:
    """The client address the app sees when ``peer`` sends X-Forwarded-For: ``forwarded``."""
    # uvicorn alone would trust 127.0.0.1 from its own variable: run.py must not let it.
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    settings = Settings(forwarded_allow_ips=tuple(filter(None, trusted.split(","))))
    app = Starlette(routes=[Route("/", _client_host)])
    config = load_run_py().server_config(app, settings, host="127.0.0.1", port=8000)
    config.load()
    transport = httpx.ASGITransport(app=config.loaded_app, client=(peer, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/", headers={"X-Forwarded-For": forwarded})
    return response.text


async def test_forwarded_for_counts_only_from_trusted_proxies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = {
        (trusted, peer): await seen_client(trusted, peer, monkeypatch)
        for trusted, peer in [
            ("", "127.0.0.1"),
            ("10.0.0.1", "10.0.0.1"),
            ("10.0.0.0/8", "10.1.2.3"),
            ("10.0.0.1", "198.51.100.7"),
        ]
    }

    assert seen == {
        ("", "127.0.0.1"): "127.0.0.1",
        ("10.0.0.1", "10.0.0.1"): "203.0.113.9",
        ("10.0.0.0/8", "10.1.2.3"): "203.0.113.9",
        ("10.0.0.1", "198.51.100.7"): "198.51.100.7",
    }
    # The proxy appends the address it saw; what the client wrote before it is not believed.
    assert await seen_client("10.0.0.1", "10.0.0.1", monkeypatch, "1.2.3.4, 203.0.113.9") == (
        "203.0.113.9"
    )


def test_local_base_url_for_the_address_served() -> None:
    local_base_url = load_run_py().local_base_url

    hosts = ("127.0.0.1", "0.0.0.0", "::", "::1", "hack.lan")  # noqa: S104 (names, no binding)

    assert [local_base_url(host, 8790) for host in hosts] == [
        "http://127.0.0.1:8790",
        "http://127.0.0.1:8790",
        "http://127.0.0.1:8790",
        "http://[::1]:8790",
        "http://hack.lan:8790",
    ]
