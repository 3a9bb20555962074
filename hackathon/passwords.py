"""Password hashing (argon2id) and the password policy (SECURITY.md A1, A2).

Hashing and verifying cost tens of milliseconds of CPU on purpose, so both run
in a worker thread: on the event loop, 20 concurrent logins stalled every other
request for almost half a second.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from collections import deque
from functools import cache
from pathlib import Path

import anyio
import anyio.to_thread
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from hackathon.i18n import gettext as _

MIN_LENGTH = 12
# Long enough for any passphrase, short enough that nobody makes us hash a megabyte.
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

# argon2id with OWASP's first recommended setting, which ASVS appendix C accepts
# (m=19 MiB, t=2, p=1): about 25 ms per check here, cheap enough that 20 concurrent
# logins stay responsive on two cores. Hashes made with other parameters are
# rehashed at the next login.
TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1
hasher = PasswordHasher(
    time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM, type=Type.ID
)

# (thread name, operation, fingerprint of the hash) of the last hash operations: tests read
# it to show that the event loop never does the work itself and that unknown accounts cost
# a real verify. A fingerprint, not the hash, so the log holds nothing worth stealing.
recent_operations: deque[tuple[str, str, str]] = deque(maxlen=32)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, *, email: str = "") -> list[str]:
    """Messages saying what to change; empty when the password is acceptable."""
    if len(password) < MIN_LENGTH:
        return [_("Use at least 12 characters.")]
    if len(password) > MAX_LENGTH:
        return [_("Use at most 128 characters.")]
    lowered = password.lower()
    if lowered in common_passwords() or (email and lowered == email.lower()):
        return [_("This password is too common. Choose a longer phrase of your own.")]
    return []


def fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:12]


def _hash(password: str) -> str:
    password_hash = hasher.hash(password)
    recent_operations.append((threading.current_thread().name, "hash", fingerprint(password_hash)))
    return password_hash


def _verify(password_hash: str, password: str) -> bool:
    recent_operations.append(
        (threading.current_thread().name, "verify", fingerprint(password_hash))
    )
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Twenty hashes in twenty threads on two cores starve the event loop's own thread of
# CPU; one fewer hashing thread than cores leaves it a core to answer other requests.
HASHING_THREADS = max(1, (os.cpu_count() or 2) - 1)
_limiters: dict[int, anyio.CapacityLimiter] = {}


def _limiter() -> anyio.CapacityLimiter:
    # One limiter per event loop: a limiter belongs to the loop that created it.
    loop_id = id(asyncio.get_running_loop())
    if loop_id not in _limiters:
        _limiters.clear()
        _limiters[loop_id] = anyio.CapacityLimiter(HASHING_THREADS)
    return _limiters[loop_id]


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hash, password, limiter=_limiter())


async def verify_password(password_hash: str, password: str) -> bool:
    return await anyio.to_thread.run_sync(_verify, password_hash, password, limiter=_limiter())


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    return hasher.hash("dummy password for unknown accounts")


async def verify_dummy(password: str) -> bool:
    """Spend the same time as a real check, so an unknown e-mail cannot be told apart."""
    dummy = await anyio.to_thread.run_sync(dummy_hash, limiter=_limiter())
    await verify_password(dummy, password)
    return False
