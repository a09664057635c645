"""Log-in throttling: after N failed log-ins for one account from one IP, refuse further tries for a while.

Counted per (account, IP) rather than per IP so one noisy office NAT does not lock everyone out, and
per account rather than per typed identifier so switching between handle and email gains nothing.
The counter lives in the store of counts every process shares (agora.core.sqlitecache.counters():
Redis in production, an SQLite file in the embedded profile), so all workers see it, and it expires
on its own; the window starts at the first failure.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from agora.core.sqlitecache import counters


def _key(account: str, ip: str) -> str:
    digest = hashlib.sha256(f"{account.strip().lower()}|{ip}".encode()).hexdigest()[:32]
    return f"login-fail:{digest}"


def failures(account: str, ip: str) -> int:
    return int(counters().get(_key(account, ip), 0))


def is_locked(account: str, ip: str) -> bool:
    return failures(account, ip) >= settings.AGORA.login_failure_limit


def record_failure(account: str, ip: str) -> int:
    key = _key(account, ip)
    cache = counters()
    # add() is a no-op when the key exists, so the window is not extended by later failures.
    cache.add(key, 0, timeout=settings.AGORA.login_lock_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=settings.AGORA.login_lock_seconds)
        return 1


def clear_failures(account: str, ip: str) -> None:
    counters().delete(_key(account, ip))


# Per-IP budgets for other account forms that cost us something (an account row, an email sent).
SIGNUPS_PER_IP = (10, 3600)  # accounts created per IP per hour
PASSWORD_RESETS_PER_IP = (5, 3600)  # reset emails asked for per IP per hour


def spend(bucket: str, ip: str, budget: tuple[int, int]) -> bool:
    """Count one use of a per-IP budget; False once it is spent."""
    limit, window = budget
    key = f"throttle:{bucket}:{ip}"
    cache = counters()
    cache.add(key, 0, timeout=window)
    # Count first, then compare: two processes cannot both see the last use free.
    try:
        used = cache.incr(key)
    except ValueError:  # expired in between: a new window starts
        cache.set(key, 1, timeout=window)
        used = 1
    return used <= limit
