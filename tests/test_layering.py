"""The rules of the house about imports (DESIGN.md, rule 1 and 2), checked on every module.

Imports flow one way: tables <- queries <- domain <- views. Views never touch SQLAlchemy;
queries and domain never touch HTTP; SQL is written only in queries/ (plus the schema, the
engine and the migrations); the scoring library imports nothing of the web app.
"""

from __future__ import annotations

import ast
from pathlib import Path

from hackathon.settings import PROJECT_ROOT

# Where SQL may be built: everything else may name a connection type, nothing more.
SQL_ALLOWED = {"hackathon/tables.py", "hackathon/db.py", "hackathon/migrate.py"}
SQL_ALLOWED_DIRS = ("hackathon/queries/", "hackathon/migrations/")
CONNECTION_TYPES = ("sqlalchemy.ext.asyncio", "sqlalchemy.engine")

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "hackathon/tables.py": (
        "hackathon.queries",
        "hackathon.domain",
        "hackathon.views",
        "starlette",
    ),
    "hackathon/queries/": ("hackathon.domain", "hackathon.views", "hackathon.auth", "starlette"),
    "hackathon/domain/": ("hackathon.views", "hackathon.auth", "starlette"),
    "hackathon/views/": ("sqlalchemy",),
    "scoring/": ("hackathon", "starlette", "sqlalchemy"),
}


def modules(root: Path, *folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (root / folder).rglob("*.py"))


def imported(root: Path, path: Path) -> set[str]:
    """Every module ``path`` imports, by full dotted name (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}".rstrip(".")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_breaches(root: Path) -> set[str]:
    return {
        f"{relative} imports {name}"
        for path in modules(root, "hackathon", "scoring")
        for relative in [path.relative_to(root).as_posix()]
        for where, banned in FORBIDDEN.items()
        if relative.startswith(where)
        for name in imported(root, path)
        if any(under(name, prefix) for prefix in banned)
    }


def sql_breaches(root: Path) -> set[str]:
    return {
        f"{relative} imports {name}"
        for path in modules(root, "hackathon")
        for relative in [path.relative_to(root).as_posix()]
        if relative not in SQL_ALLOWED and not relative.startswith(SQL_ALLOWED_DIRS)
        for name in imported(root, path)
        if under(name, "sqlalchemy") and not any(under(name, ok) for ok in CONNECTION_TYPES)
    }


def test_imports_flow_one_way() -> None:
    assert layer_breaches(PROJECT_ROOT) == set()


def test_sql_is_built_only_in_queries_schema_engine_and_migrations() -> None:
    assert sql_breaches(PROJECT_ROOT) == set()


def test_the_checks_find_breaches(tmp_path: Path) -> None:
    files = {
        "hackathon/views/bad.py": "from sqlalchemy import select\nfrom ..queries import x\n",
        "hackathon/domain/bad.py": "from starlette.requests import Request\n",
        "hackathon/queries/fine.py": "from sqlalchemy import select\n",
        "scoring/bad.py": "import hackathon.db\n",
    }
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source)

    assert layer_breaches(tmp_path) == {
        "hackathon/views/bad.py imports sqlalchemy",
        "hackathon/views/bad.py imports sqlalchemy.select",
        "hackathon/domain/bad.py imports starlette.requests",
        "hackathon/domain/bad.py imports starlette.requests.Request",
        "scoring/bad.py imports hackathon.db",
    }
    # The views' relative import of queries is allowed: it resolves to hackathon.queries.
    assert sql_breaches(tmp_path) == {
        "hackathon/views/bad.py imports sqlalchemy",
        "hackathon/views/bad.py imports sqlalchemy.select",
    }
