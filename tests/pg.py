"""A throwaway PostgreSQL cluster for the test session.

initdb and pg_ctl from the machine's PostgreSQL binaries, run as an
unprivileged user (the server refuses to run as root), listening on
127.0.0.1 on a free port with its socket in the cluster's own temporary
directory, durability off for speed, and removed at the end.
"""

from __future__ import annotations

import asyncio
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

SUPERUSER = "postgres"
UNPRIVILEGED_USER = "nobody"


def find_bin_dir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then Debian's versioned dirs."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    bin_dir: Path
    root: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        """The same address for asyncpg itself."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", UNPRIVILEGED_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{tail}"
            )

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.root}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(bin_dir: Path) -> Cluster:
    """Start a fresh cluster; the caller must call ``stop()``."""
    # Not under pytest's basetemp (private to root) nor TMPDIR (may be): the server runs as
    # nobody. mkdtemp makes a fresh directory of mode 0700, so /tmp is safe here.
    as_root = os.geteuid() == 0
    parent = "/tmp" if as_root else None  # noqa: S108
    root = Path(tempfile.mkdtemp(prefix="hackathon-pg-", dir=parent))
    if as_root:
        user = pwd.getpwnam(UNPRIVILEGED_USER)
        os.chown(root, user.pw_uid, user.pw_gid)
    cluster = Cluster(bin_dir=bin_dir, root=root, port=_free_port())
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


# Everything a test could change about a database's schema, in one checksum.
SCHEMA_FINGERPRINT = """
SELECT md5(string_agg(item, '|' ORDER BY item)) FROM (
    SELECT 'r:' || n.nspname || '.' || c.relname || ':' || c.relkind::text AS item
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    UNION ALL
    SELECT 'a:' || a.attrelid::regclass || '.' || a.attname || ':'
        || format_type(a.atttypid, a.atttypmod) || a.attnotnull::text
        || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'c:' || conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint
    WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'f:' || oid::regprocedure FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 't:' || tgname FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'v:' || version_num FROM alembic_version
) AS schema_items
"""
# DELETE beats TRUNCATE on tiny tables; the replica role skips foreign-key triggers.
EMPTY_TABLES = """
DO $$
DECLARE name text;
BEGIN
    SET LOCAL session_replication_role = replica;
    FOR name IN SELECT quote_ident(tablename) FROM pg_tables
                WHERE schemaname = 'public' AND tablename != 'alembic_version' LOOP
        EXECUTE 'DELETE FROM ' || name;
    END LOOP;
    FOR name IN SELECT quote_ident(sequencename) FROM pg_sequences WHERE schemaname = 'public' LOOP
        EXECUTE 'ALTER SEQUENCE ' || name || ' RESTART';
    END LOOP;
END $$;
"""


class DatabaseFactory:
    """Fresh migrated databases: clones of the template, recycled when a test is done.

    Cloning costs 0.15-0.5 s; emptying a used database whose schema the test
    left alone costs a tenth of that. A database is recycled only when its
    schema fingerprint still equals a fresh clone's, all its tables are
    emptied and its sequences restarted, so it is as good as new. Any doubt
    (a changed schema, an error) drops it instead.
    """

    def __init__(self, cluster: Cluster, template: str) -> None:
        self.cluster = cluster
        self.template = template
        self._numbers = itertools.count(1)
        self._spare: list[str] = []
        self._fresh_fingerprint: str | None = None

    def take(self) -> str:
        """The name of a fresh database; hand it back with ``recycle``."""
        if self._spare:
            return self._spare.pop()
        name = f"t_{os.getpid()}_{next(self._numbers)}"
        admin_sql(self.cluster, f"CREATE DATABASE {name} TEMPLATE {self.template}")
        if self._fresh_fingerprint is None:
            self._fresh_fingerprint = in_thread(self._fingerprint, name)
        return name

    def recycle(self, name: str) -> None:
        if in_thread(self._empty, name):
            self._spare.append(name)
        else:
            admin_sql(self.cluster, f"DROP DATABASE {name} WITH (FORCE)")

    async def _fingerprint(self, name: str) -> str:
        conn = await asyncpg.connect(self.cluster.dsn(name))
        try:
            return str(await conn.fetchval(SCHEMA_FINGERPRINT))
        finally:
            await conn.close()

    async def _empty(self, name: str) -> bool:
        """Empty ``name`` if its schema is untouched; False when it must be dropped."""
        admin = await asyncpg.connect(self.cluster.dsn())
        try:  # connections a test leaked would hold locks on the tables
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid != pg_backend_pid()",
                name,
            )
        finally:
            await admin.close()
        conn = await asyncpg.connect(self.cluster.dsn(name))
        try:
            if await conn.fetchval(SCHEMA_FINGERPRINT) != self._fresh_fingerprint:
                return False
            await conn.execute(EMPTY_TABLES)
            return True
        except asyncpg.PostgresError:
            return False
        finally:
            await conn.close()


def in_thread(function: Any, *args: Any) -> Any:
    """Run a coroutine function to completion in a thread of its own.

    The caller may be inside pytest-asyncio's running loop, where asyncio.run
    is not allowed.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, function(*args)).result()


def admin_sql(cluster: Cluster, *statements: str) -> None:
    """Run statements on the cluster's maintenance database, from synchronous code."""

    async def run() -> None:
        conn = await asyncpg.connect(cluster.dsn())
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    in_thread(run)
