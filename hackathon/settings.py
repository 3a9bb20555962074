"""Settings: the only module that reads the environment.

Every other module receives a ``Settings`` instance (tests build their own with
``Settings.from_environ({...})``), so nothing reads ``os.environ`` behind the
caller's back.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config, Environ

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# From a source checkout data/ sits beside the code; an installed package (a wheel in
# site-packages) keeps it in the directory it is started from, never inside the venv.
DATA_DIR = (
    PROJECT_ROOT / "data" if (PROJECT_ROOT / "pyproject.toml").is_file() else Path("data").resolve()
)
LOCALES = ("de", "fr", "en", "lb")
DEFAULT_SENDER = "QuattroPole Hackathon <noreply@localhost>"
LOCAL_URL = "http://127.0.0.1:8000"


def _sqlite_url(data_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{data_dir / 'hackathon.db'}"


DEFAULT_DATABASE_URL = _sqlite_url(DATA_DIR)


class SettingsError(Exception):
    """The environment asks for something that cannot work; the message says what to set."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    username: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    use_tls: bool = False
    sender: str = DEFAULT_SENDER

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = field(default="", repr=False)
    base_url: str = LOCAL_URL
    default_locale: str = "en"
    debug: bool = False
    production: bool = False
    data_dir: Path = DATA_DIR
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    # Peers whose X-Forwarded-For is believed (reverse proxies); empty: nobody's.
    forwarded_allow_ips: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Here rather than in from_environ: no way of building production settings skips it.
        if self.production and not self.smtp.configured:
            raise SettingsError(
                "PRODUCTION=true needs a mail server, or confirmation and password-reset "
                "mail would only be written to the outbox on this machine: set SMTP_HOST, "
                "and SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_STARTTLS or SMTP_TLS "
                "and SMTP_SENDER as your mail provider requires."
            )
        if self.production and self.debug:
            raise SettingsError(
                "PRODUCTION=true and DEBUG=true together would show tracebacks to visitors: "
                "remove DEBUG (or set DEBUG=false)."
            )
        if self.production and not self.https:
            raise SettingsError(
                "PRODUCTION=true needs BASE_URL to be the public https:// address of the site "
                f"(it is {self.base_url!r}): mailed links lead there, and only over https does "
                "the session cookie get its __Host- prefix and Secure flag, and is HSTS sent."
            )

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, *, local_url: str = LOCAL_URL
    ) -> Settings:
        """Read settings from ``environ`` (default: the process environment).

        ``local_url`` is BASE_URL when the environment gives none, outside production: the
        address a local server listens on (run.py passes its host and port).
        """
        source = os.environ if environ is None else environ
        config = Config(environ=Environ(dict(source)))
        data_dir = Path(config("DATA_DIR", default=str(DATA_DIR)))
        production = config("PRODUCTION", cast=bool, default=False)
        default_locale = config("DEFAULT_LOCALE", default="en")
        if default_locale not in LOCALES:
            raise SettingsError(
                f"DEFAULT_LOCALE={default_locale!r} is not supported; "
                f"use one of {', '.join(LOCALES)}."
            )
        secret_key = config("SECRET_KEY", default="")
        if not secret_key:
            if production:
                raise SettingsError(
                    "SECRET_KEY must be set in production mode (PRODUCTION=true): "
                    "generate one with "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
                )
            secret_key = _stored_secret_key(data_dir)
        return cls(
            database_url=config("DATABASE_URL", default=_sqlite_url(data_dir)),
            secret_key=secret_key,
            base_url=config("BASE_URL", default="" if production else local_url).rstrip("/"),
            default_locale=default_locale,
            debug=config("DEBUG", cast=bool, default=False),
            production=production,
            data_dir=data_dir,
            smtp=SmtpSettings(
                host=config("SMTP_HOST", default=""),
                port=config("SMTP_PORT", cast=int, default=587),
                username=config("SMTP_USERNAME", default=""),
                password=config("SMTP_PASSWORD", default=""),
                starttls=config("SMTP_STARTTLS", cast=bool, default=True),
                use_tls=config("SMTP_TLS", cast=bool, default=False),
                sender=config("SMTP_SENDER", default=DEFAULT_SENDER),
            ),
            forwarded_allow_ips=_trusted_proxies(config("FORWARDED_ALLOW_IPS", default="")),
        )


def _trusted_proxies(value: str) -> tuple[str, ...]:
    """Addresses or networks (CIDR) of the reverse proxies, separated by commas.

    Checked as strictly as uvicorn reads them (a network with host bits, "10.0.0.1/8",
    would silently trust nobody there); "*" is refused: uvicorn would then take the
    left-most X-Forwarded-For entry, which the client writes itself.
    """
    entries = tuple(entry.strip() for entry in value.split(",") if entry.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry)
        except ValueError:
            raise SettingsError(
                f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network (with no "
                "host bits: 10.0.0.0/8, not 10.0.0.1/8); list the addresses of your reverse "
                "proxies separated by commas, e.g. FORWARDED_ALLOW_IPS=127.0.0.1,10.0.0.0/8."
            ) from None
    return entries


def _stored_secret_key(data_dir: Path) -> str:
    """The embedded default keeps one generated key under data/ so sessions survive restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
