"""Start the web app on the embedded default: SQLite under data/, migrated, with demo data.

    python run.py [--host 127.0.0.1] [--port 8000] [--database-url URL] [--no-demo]

Only this script migrates on its own; the app itself refuses an outdated database
(production runs `hackathon migrate` as a deliberate step).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys

import uvicorn
from starlette.types import ASGIApp

from hackathon import demo
from hackathon.app import create_app
from hackathon.db import safe_url
from hackathon.migrate import upgrade
from hackathon.settings import Settings, SettingsError


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the hackathon web app.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--database-url", help="instead of DATABASE_URL / data/hackathon.db")
    parser.add_argument("--no-demo", action="store_true", help="do not create demo data")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    environ = dict(os.environ)
    if args.database_url:
        environ["DATABASE_URL"] = args.database_url
    try:
        # Mailed links must lead back here: without BASE_URL, they use the address served.
        settings = Settings.from_environ(environ, local_url=local_base_url(args.host, args.port))
    except SettingsError as error:
        print(f"Error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"Database: {safe_url(settings.database_url)}", flush=True)
    upgrade(settings.database_url)
    if not args.no_demo:
        show_demo_accounts(settings)
    config = server_config(create_app(settings), settings, host=args.host, port=args.port)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: uvicorn has shut down
        uvicorn.Server(config).run()


def local_base_url(host: str, port: int) -> str:
    """The address a browser on this machine uses to reach ``host``:``port``.

    >>> local_base_url("0.0.0.0", 8790), local_base_url("::1", 8000)
    ('http://127.0.0.1:8790', 'http://[::1]:8000')
    """
    # Served on every interface, this machine reaches it on loopback.
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (compared, not bound)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def server_config(app: ASGIApp, settings: Settings, *, host: str, port: int) -> uvicorn.Config:
    """uvicorn's configuration: X-Forwarded-For counts only from FORWARDED_ALLOW_IPS.

    Both proxy options are always passed: left out, uvicorn would read its own
    environment variable and trust 127.0.0.1, and settings.py must stay the only reader.
    """
    trusted = ",".join(settings.forwarded_allow_ips)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted,
    )


def show_demo_accounts(settings: Settings) -> None:
    created = asyncio.run(demo.ensure_demo(settings))
    path = demo.credentials_path(settings)
    if created:
        text = demo.format_credentials(created)
    elif path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        return
    print(f"Demo accounts (also in {path}):\n{text}", flush=True)


if __name__ == "__main__":
    main()
