"""Token buckets and quota periods with fake clocks: exact, no sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.gateway.config import Quota, Throttle
from harness.gateway.throttling import LimiterRegistry, QuotaCounter, TokenBucket, period_start


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeWallClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_bucket_allows_burst_then_refuses() -> None:
    bucket = TokenBucket(Throttle(rate_per_second=1.0, burst=3), FakeClock())
    assert [bucket.try_take() for _ in range(4)] == [True, True, True, False]


def test_bucket_refills_at_rate_up_to_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(Throttle(rate_per_second=2.0, burst=2), clock)
    assert bucket.try_take()
    assert bucket.try_take()
    assert not bucket.try_take()
    clock.now += 0.5  # one token at 2/s
    assert bucket.try_take()
    assert not bucket.try_take()
    clock.now += 100  # never more than the burst
    assert [bucket.try_take() for _ in range(3)] == [True, True, False]


def test_bucket_with_zero_burst_refuses_everything() -> None:
    bucket = TokenBucket(Throttle(rate_per_second=100.0, burst=0), FakeClock())
    assert not bucket.try_take()


def test_give_back_restores_a_token() -> None:
    bucket = TokenBucket(Throttle(rate_per_second=0.0, burst=1), FakeClock())
    assert bucket.try_take()
    bucket.give_back()
    assert bucket.try_take()
    assert not bucket.try_take()


def test_retune_caps_tokens_to_new_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(Throttle(rate_per_second=0.0, burst=10), clock)
    bucket.retune(Throttle(rate_per_second=0.0, burst=2))
    assert [bucket.try_take() for _ in range(3)] == [True, True, False]


@pytest.mark.parametrize(
    ("period", "moment", "start"),
    [
        ("DAY", datetime(2026, 12, 3, 16, 5, tzinfo=UTC), datetime(2026, 12, 3, tzinfo=UTC)),
        # 2026-12-03 is a Thursday; the ISO week starts on Monday the 30th of November.
        ("WEEK", datetime(2026, 12, 3, 16, 5, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)),
        ("MONTH", datetime(2026, 12, 31, 23, 59, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
    ],
)
def test_period_start(period: str, moment: datetime, start: datetime) -> None:
    assert period_start(period, moment) == start


def test_period_start_rejects_unknown_period() -> None:
    with pytest.raises(ValueError, match="YEAR"):
        period_start("YEAR", datetime(2026, 1, 1, tzinfo=UTC))


def test_quota_exhausts_and_resets_next_day() -> None:
    wall = FakeWallClock(datetime(2026, 12, 3, 23, 59, tzinfo=UTC))
    counter = QuotaCounter(Quota(limit=2, period="DAY"), wall)
    assert [counter.try_consume() for _ in range(3)] == [True, True, False]
    assert counter.remaining() == 0
    wall.now += timedelta(minutes=2)
    assert counter.remaining() == 2
    assert counter.try_consume()


def test_quota_offset_applies_to_first_period_only() -> None:
    wall = FakeWallClock(datetime(2026, 12, 3, 12, tzinfo=UTC))
    counter = QuotaCounter(Quota(limit=5, period="MONTH", offset=3), wall)
    assert counter.remaining() == 2
    wall.now = datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert counter.remaining() == 5


def test_registry_keeps_state_across_identical_lookups() -> None:
    registry = LimiterRegistry(clock=FakeClock())
    limits = Throttle(rate_per_second=0.0, burst=1)
    assert registry.bucket("k", limits).try_take()
    assert not registry.bucket("k", limits).try_take()
    assert registry.bucket("other", limits).try_take()
