"""Buckets for rate/burst limits and per-period quota counters, as API Gateway has them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from harness.gateway.config import Quota, Throttle

Clock = Callable[[], float]


class TokenBucket:
    """Holds up to ``burst`` tokens, refilled at ``rate`` per second; each request takes one."""

    def __init__(self, limits: Throttle, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.limits = limits
        self._tokens = float(limits.burst)
        self._updated = clock()

    def retune(self, limits: Throttle) -> None:
        """New limits after a re-apply; tokens already earned are kept, up to the new burst."""
        with self._lock:
            self._refill()
            self.limits = limits
            self._tokens = min(self._tokens, float(limits.burst))

    def try_take(self) -> bool:
        with self._lock:
            self._refill()
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False

    def give_back(self) -> None:
        """Return a token taken for a request that a later check refused."""
        with self._lock:
            self._tokens = min(float(self.limits.burst), self._tokens + 1.0)

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._updated = now
        self._tokens = min(
            float(self.limits.burst), self._tokens + elapsed * self.limits.rate_per_second
        )


def period_start(period: str, now: datetime) -> datetime:
    """UTC start of the quota period holding ``now``: the day, the ISO week (Monday), the month."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "DAY":
        return day
    if period == "WEEK":
        return day - timedelta(days=day.weekday())
    if period == "MONTH":
        return day.replace(day=1)
    raise ValueError(f"unknown quota period {period!r}")


class QuotaCounter:
    """Requests used by one key in the current period; resets when the period rolls over.

    ``offset`` is what AWS documents: requests subtracted from the limit in the first period.
    """

    def __init__(
        self, quota: Quota, wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._now = wall_clock
        self._lock = threading.Lock()
        self.quota = quota
        self._first_period = period_start(quota.period, wall_clock())
        self._period = self._first_period
        self.used = 0

    def retune(self, quota: Quota) -> None:
        with self._lock:
            if quota.period != self.quota.period:
                self._first_period = self._period = period_start(quota.period, self._now())
                self.used = 0
            self.quota = quota

    def remaining(self) -> int:
        with self._lock:
            self._roll()
            return max(0, self._limit() - self.used)

    def try_consume(self) -> bool:
        with self._lock:
            self._roll()
            if self.used >= self._limit():
                return False
            self.used += 1
            return True

    def _limit(self) -> int:
        offset = self.quota.offset if self._period == self._first_period else 0
        return self.quota.limit - offset

    def _roll(self) -> None:
        current = period_start(self.quota.period, self._now())
        if current != self._period:
            self._period = current
            self.used = 0


class LimiterRegistry:
    """Buckets and counters by name, kept across config reloads so a re-apply keeps usage."""

    def __init__(
        self, clock: Clock = time.monotonic, wall_clock: Callable[[], datetime] | None = None
    ) -> None:
        self._clock = clock
        self._wall_clock = wall_clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._buckets: dict[str, TokenBucket] = {}
        self._quotas: dict[str, QuotaCounter] = {}

    def bucket(self, name: str, limits: Throttle) -> TokenBucket:
        with self._lock:
            bucket = self._buckets.get(name)
            if bucket is None:
                bucket = self._buckets[name] = TokenBucket(limits, self._clock)
            elif bucket.limits != limits:
                bucket.retune(limits)
            return bucket

    def quota(self, name: str, quota: Quota) -> QuotaCounter:
        with self._lock:
            counter = self._quotas.get(name)
            if counter is None:
                counter = self._quotas[name] = QuotaCounter(quota, self._wall_clock)
            elif counter.quota != quota:
                counter.retune(quota)
            return counter
