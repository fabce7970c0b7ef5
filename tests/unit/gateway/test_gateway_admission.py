"""API keys, usage plans, stage throttles and quotas decide before anything is invoked."""

from __future__ import annotations

from harness.gateway.admission import admit
from harness.gateway.config import (
    ApiKey,
    GatewayConfig,
    Method,
    Quota,
    Resource,
    Throttle,
    UsagePlan,
)
from harness.gateway.responses import GatewayError
from harness.gateway.routing import RouteMatch
from harness.gateway.throttling import LimiterRegistry

KEYS = {
    "good": ApiKey("k-good", "good", True),
    "off": ApiKey("k-off", "off", False),
    "lonely": ApiKey("k-lonely", "lonely", True),
    "tight": ApiKey("k-tight", "tight", True),
    "quota": ApiKey("k-quota", "quota", True),
}
PLANS = (
    UsagePlan("p-open", throttle=None, quota=None, key_ids=frozenset({"k-good", "k-off"})),
    UsagePlan(
        "p-tight",
        throttle=Throttle(0.0, 2),
        quota=None,
        method_throttles={"items/GET": Throttle(0.0, 1)},
        key_ids=frozenset({"k-tight"}),
    ),
    UsagePlan("p-quota", throttle=None, quota=Quota(2, "DAY"), key_ids=frozenset({"k-quota"})),
)


def _config(stage_throttles: dict[str, Throttle] | None = None) -> GatewayConfig:
    return GatewayConfig(
        rest_api_id="api",
        stage="v1",
        account_id="123456789012",
        region="us-east-1",
        resources=(),
        stage_variables={},
        stage_throttles=stage_throttles or {},
        usage_plans=PLANS,
        api_keys=KEYS,
    )


def _route(path: str = "/items", verb: str = "POST", key_required: bool = True) -> RouteMatch:
    method = Method(
        verb, api_key_required=key_required, authorization_type="NONE", integration=None
    )
    return RouteMatch(Resource(id="r", path=path, methods={verb: method}), method, {})


def _refusals(
    config: GatewayConfig, route: RouteMatch, key: str | None, times: int
) -> list[GatewayError | None]:
    limiters = LimiterRegistry(clock=lambda: 0.0)
    return [admit(config, route, key, limiters).refusal for _ in range(times)]


def test_valid_key_is_admitted_and_returned() -> None:
    admission = admit(_config(), _route(), "good", LimiterRegistry())
    assert admission.refusal is None
    assert admission.api_key == KEYS["good"]


def test_missing_unknown_disabled_or_planless_key_is_forbidden() -> None:
    for key in (None, "", "nope", "off", "lonely"):
        assert admit(_config(), _route(), key, LimiterRegistry()).refusal is GatewayError.FORBIDDEN


def test_method_without_key_requirement_ignores_keys() -> None:
    admission = admit(_config(), _route(key_required=False), None, LimiterRegistry())
    assert admission.refusal is None
    assert admission.api_key is None


def test_plan_throttle_refuses_after_burst() -> None:
    assert _refusals(_config(), _route(), "tight", 3) == [None, None, GatewayError.THROTTLED]


def test_plan_method_throttle_overrides_plan_throttle() -> None:
    refusals = _refusals(_config(), _route("/items", "GET"), "tight", 2)
    assert refusals == [None, GatewayError.THROTTLED]


def test_stage_throttle_applies_to_every_caller() -> None:
    config = _config({"*/*": Throttle(0.0, 1)})
    assert _refusals(config, _route(key_required=False), None, 2) == [None, GatewayError.THROTTLED]


def test_stage_star_setting_gives_each_method_its_own_bucket() -> None:
    # AWS: per-stage limits are applied at the method level; "*/*" is every method's default.
    config = _config({"*/*": Throttle(0.0, 1)})
    limiters = LimiterRegistry(clock=lambda: 0.0)
    post, get = (
        _route("/items", "POST", key_required=False),
        _route("/items", "GET", key_required=False),
    )
    assert admit(config, post, None, limiters).refusal is None
    assert admit(config, get, None, limiters).refusal is None
    assert admit(config, post, None, limiters).refusal is GatewayError.THROTTLED
    assert admit(config, get, None, limiters).refusal is GatewayError.THROTTLED


def test_stage_method_setting_overrides_star() -> None:
    config = _config({"*/*": Throttle(0.0, 1), "items/POST": Throttle(0.0, 3)})
    refusals = _refusals(config, _route(key_required=False), None, 4)
    assert refusals == [None, None, None, GatewayError.THROTTLED]


def test_quota_exhaustion_is_limit_exceeded() -> None:
    assert _refusals(_config(), _route(), "quota", 3) == [None, None, GatewayError.QUOTA_EXCEEDED]


def test_throttled_request_does_not_use_quota() -> None:
    limiters = LimiterRegistry(clock=lambda: 0.0)
    config = _config({"*/*": Throttle(0.0, 1)})
    assert admit(config, _route(), "quota", limiters).refusal is None
    assert admit(config, _route(), "quota", limiters).refusal is GatewayError.THROTTLED
    config_without_stage_limit = _config()
    # One quota unit is left: the throttled request above did not spend it.
    assert admit(config_without_stage_limit, _route(), "quota", limiters).refusal is None
    assert (
        admit(config_without_stage_limit, _route(), "quota", limiters).refusal
        is GatewayError.QUOTA_EXCEEDED
    )
