"""The deployed REST API as the emulator holds it, read with boto3 into plain, frozen values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# API Gateway's own ceiling on an integration, whatever timeoutInMillis says.
DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000
_LAMBDA_URI = re.compile(
    r"^arn:aws[\w-]*:apigateway:[\w-]+:lambda:path/[^/]+/functions/(?P<fn>.+)/invocations$"
)


@dataclass(frozen=True)
class Throttle:
    """A token bucket's parameters. ``None`` means no limit at this level."""

    rate_per_second: float
    burst: int


@dataclass(frozen=True)
class Quota:
    limit: int
    period: str  # DAY | WEEK | MONTH
    offset: int = 0


@dataclass(frozen=True)
class Integration:
    type: str  # AWS_PROXY is the only one served; others answer 500 like a misconfigured API
    uri: str
    timeout_ms: int = DEFAULT_INTEGRATION_TIMEOUT_MS

    @property
    def function_arn(self) -> str | None:
        match = _LAMBDA_URI.match(self.uri)
        return match.group("fn") if match else None


@dataclass(frozen=True)
class Method:
    http_method: str
    api_key_required: bool
    authorization_type: str
    integration: Integration | None


@dataclass(frozen=True)
class Resource:
    id: str
    path: str
    methods: Mapping[str, Method] = field(default_factory=dict)


@dataclass(frozen=True)
class UsagePlan:
    id: str
    throttle: Throttle | None
    quota: Quota | None
    # Per-method limits of this plan on this stage, keyed "resourcePath/HTTPMETHOD".
    method_throttles: Mapping[str, Throttle] = field(default_factory=dict)
    key_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ApiKey:
    id: str
    value: str
    enabled: bool


@dataclass(frozen=True)
class GatewayConfig:
    rest_api_id: str
    stage: str
    account_id: str
    region: str
    resources: tuple[Resource, ...]
    stage_variables: Mapping[str, str]
    # Stage method settings, keyed "*/*" or "resourcePath/HTTPMETHOD" (path without its leading /).
    stage_throttles: Mapping[str, Throttle]
    usage_plans: tuple[UsagePlan, ...]
    api_keys: Mapping[str, ApiKey]  # by value
    binary_media_types: tuple[str, ...] = ()
    deployment_id: str = ""

    def function_arns(self) -> set[str]:
        return {
            arn
            for resource in self.resources
            for method in resource.methods.values()
            if method.integration is not None and (arn := method.integration.function_arn)
        }

    def plan_for_key(self, key_id: str) -> UsagePlan | None:
        for plan in self.usage_plans:
            if key_id in plan.key_ids:
                return plan
        return None


def method_key(resource_path: str, http_method: str) -> str:
    """The key AWS uses for per-method settings: ``items/{id}/GET`` (no leading slash)."""
    return f"{resource_path.strip('/')}/{http_method}".lstrip("/")


def _normalise_method_key(raw: str) -> str:
    # Stage settings arrive JSON-pointer escaped ("~1items~1{id}/GET") from some writers.
    return raw.replace("~1", "/").lstrip("/")


class ConfigError(RuntimeError):
    """The REST API or stage the gateway was asked to serve does not exist in the emulator."""


def _throttle(rate: Any, burst: Any) -> Throttle | None:
    # Terraform and the console write -1 for "not set"; a missing value means the same.
    if rate is None or burst is None or float(rate) < 0 or int(burst) < 0:
        return None
    return Throttle(float(rate), int(burst))


def _integration(raw: Mapping[str, Any] | None) -> Integration | None:
    if not raw:
        return None
    timeout = int(raw.get("timeoutInMillis") or DEFAULT_INTEGRATION_TIMEOUT_MS)
    return Integration(
        type=str(raw.get("type", "")), uri=str(raw.get("uri", "")), timeout_ms=timeout
    )


def _resources(client: Any, rest_api_id: str) -> tuple[Resource, ...]:
    resources = []
    for page in client.get_paginator("get_resources").paginate(
        restApiId=rest_api_id, embed=["methods"]
    ):
        for item in page["items"]:
            methods = {}
            for verb, embedded in (item.get("resourceMethods") or {}).items():
                raw = embedded
                if "methodIntegration" not in raw and "apiKeyRequired" not in raw:
                    # Some emulators list method names only; ask for the method itself.
                    raw = client.get_method(
                        restApiId=rest_api_id, resourceId=item["id"], httpMethod=verb
                    )
                methods[verb] = Method(
                    http_method=verb,
                    api_key_required=bool(raw.get("apiKeyRequired", False)),
                    authorization_type=str(raw.get("authorizationType", "NONE")),
                    integration=_integration(raw.get("methodIntegration")),
                )
            resources.append(Resource(id=item["id"], path=item["path"], methods=methods))
    return tuple(resources)


def _usage_plans(client: Any, rest_api_id: str, stage: str) -> tuple[UsagePlan, ...]:
    plans = []
    for page in client.get_paginator("get_usage_plans").paginate():
        for raw in page["items"]:
            stages = [
                s
                for s in raw.get("apiStages") or []
                if s.get("apiId") == rest_api_id and s.get("stage") == stage
            ]
            if not stages:
                continue
            method_throttles = {}
            for path_method, limits in (stages[0].get("throttle") or {}).items():
                limit = _throttle(limits.get("rateLimit"), limits.get("burstLimit"))
                if limit is not None:
                    method_throttles[_normalise_method_key(path_method)] = limit
            throttle = raw.get("throttle") or {}
            quota = raw.get("quota")
            key_ids = frozenset(
                key["id"]
                for key_page in client.get_paginator("get_usage_plan_keys").paginate(
                    usagePlanId=raw["id"]
                )
                for key in key_page["items"]
            )
            plans.append(
                UsagePlan(
                    id=raw["id"],
                    throttle=_throttle(throttle.get("rateLimit"), throttle.get("burstLimit")),
                    quota=Quota(
                        int(quota["limit"]), str(quota["period"]), int(quota.get("offset") or 0)
                    )
                    if quota
                    else None,
                    method_throttles=method_throttles,
                    key_ids=key_ids,
                )
            )
    return tuple(plans)


def load_gateway_config(
    apigateway_client: Any, rest_api_id: str, stage: str, account_id: str, region: str
) -> GatewayConfig:
    """Read everything the data plane needs for one stage of one REST API."""
    client = apigateway_client
    try:
        api = client.get_rest_api(restApiId=rest_api_id)
        stage_raw = client.get_stage(restApiId=rest_api_id, stageName=stage)
    except client.exceptions.NotFoundException as exc:
        raise ConfigError(
            f"REST API {rest_api_id} stage {stage!r} is not in the emulator: {exc}"
        ) from exc
    stage_throttles = {}
    for key, settings in (stage_raw.get("methodSettings") or {}).items():
        limit = _throttle(settings.get("throttlingRateLimit"), settings.get("throttlingBurstLimit"))
        if limit is not None:
            stage_throttles[_normalise_method_key(key)] = limit
    keys = {}
    for page in client.get_paginator("get_api_keys").paginate(includeValues=True):
        for raw in page["items"]:
            keys[raw["value"]] = ApiKey(
                id=raw["id"], value=raw["value"], enabled=bool(raw.get("enabled"))
            )
    return GatewayConfig(
        rest_api_id=rest_api_id,
        stage=stage,
        account_id=account_id,
        region=region,
        resources=_resources(client, rest_api_id),
        stage_variables=dict(stage_raw.get("variables") or {}),
        stage_throttles=stage_throttles,
        usage_plans=_usage_plans(client, rest_api_id, stage),
        api_keys=keys,
        binary_media_types=tuple(api.get("binaryMediaTypes") or ()),
        deployment_id=str(stage_raw.get("deploymentId") or ""),
    )
