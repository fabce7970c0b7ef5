"""Who may call a method, and how often: API keys, usage plans, stage throttling, quotas.

AWS applies limits in this order: the usage plan's per-method limit for the key (else the plan's
limit for the key), then the stage's limit for the method (its own setting, else ``*/*``; each
method has its own bucket), then the account's 10,000 rps / 5,000 burst. A request refused at
any step never reaches the integration.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.gateway.config import ApiKey, GatewayConfig, Throttle, method_key
from harness.gateway.responses import GatewayError
from harness.gateway.routing import RouteMatch
from harness.gateway.throttling import LimiterRegistry, QuotaCounter, TokenBucket

ACCOUNT_THROTTLE = Throttle(rate_per_second=10_000.0, burst=5_000)
API_KEY_HEADER = "x-api-key"


@dataclass(frozen=True)
class Admission:
    refusal: GatewayError | None
    api_key: ApiKey | None = None


@dataclass(frozen=True)
class _KeyLimits:
    api_key: ApiKey
    buckets: list[TokenBucket]
    quota: QuotaCounter | None


def _key_limits(
    config: GatewayConfig, this_method: str, api_key_value: str | None, limiters: LimiterRegistry
) -> _KeyLimits | GatewayError:
    """The caller's key and its usage plan's limits, or FORBIDDEN."""
    api_key = config.api_keys.get(api_key_value) if api_key_value else None
    if api_key is None or not api_key.enabled:
        return GatewayError.FORBIDDEN
    plan = config.plan_for_key(api_key.id)
    if plan is None:  # a valid key that no usage plan of this stage includes
        return GatewayError.FORBIDDEN
    name = f"plan:{plan.id}:key:{api_key.id}"
    buckets = []
    per_method = plan.method_throttles.get(this_method)
    if per_method is not None:
        buckets.append(limiters.bucket(f"{name}:{this_method}", per_method))
    elif plan.throttle is not None:
        buckets.append(limiters.bucket(name, plan.throttle))
    quota = limiters.quota(name, plan.quota) if plan.quota is not None else None
    return _KeyLimits(api_key, buckets, quota)


def admit(
    config: GatewayConfig, route: RouteMatch, api_key_value: str | None, limiters: LimiterRegistry
) -> Admission:
    this_method = method_key(route.resource.path, route.method.http_method)
    key_limits: _KeyLimits | None = None
    if route.method.api_key_required:
        found = _key_limits(config, this_method, api_key_value, limiters)
        if isinstance(found, GatewayError):
            return Admission(found)
        key_limits = found
    api_key = key_limits.api_key if key_limits else None
    buckets = list(key_limits.buckets) if key_limits else []
    # Stage limits apply per method: "*/*" is each method's default, not one shared bucket.
    stage_limit = config.stage_throttles.get(this_method) or config.stage_throttles.get("*/*")
    if stage_limit is not None:
        stage_name = f"stage:{config.rest_api_id}:{config.stage}:{this_method}"
        buckets.append(limiters.bucket(stage_name, stage_limit))
    buckets.append(limiters.bucket("account", ACCOUNT_THROTTLE))
    taken: list[TokenBucket] = []
    for bucket in buckets:
        if not bucket.try_take():
            _give_back(taken)
            return Admission(GatewayError.THROTTLED, api_key)
        taken.append(bucket)
    if key_limits and key_limits.quota and not key_limits.quota.try_consume():
        _give_back(taken)
        return Admission(GatewayError.QUOTA_EXCEEDED, api_key)
    return Admission(None, api_key)


def _give_back(taken: list[TokenBucket]) -> None:
    # A refused request is not charged to the buckets it had already passed.
    for bucket in taken:
        bucket.give_back()
