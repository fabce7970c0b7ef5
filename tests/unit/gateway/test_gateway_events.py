"""The proxy event equals AWS's documented REST API event, field for field, modulo ids and times."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventModel

from harness.gateway.config import ApiKey, GatewayConfig, Method, Resource
from harness.gateway.events import GatewayRequest, build_proxy_event, is_binary
from harness.gateway.routing import RouteTable

FIXTURE = Path(__file__).parent / "fixtures" / "aws_rest_proxy_event.json"
VOLATILE = ("requestId", "extendedRequestId", "requestTime", "requestTimeEpoch")


def _recorded() -> dict[str, Any]:
    event: dict[str, Any] = json.loads(FIXTURE.read_text())
    return event


def _config(binary_media_types: tuple[str, ...] = ()) -> GatewayConfig:
    method = Method(
        http_method="ANY", api_key_required=True, authorization_type="NONE", integration=None
    )
    return GatewayConfig(
        rest_api_id="gy415nuibc",
        stage="testStage",
        account_id="123456789012",
        region="us-east-1",
        resources=(Resource(id="roq9wj", path="/{proxy+}", methods={"ANY": method}),),
        stage_variables={"stageVariableName": "stageVariableValue"},
        stage_throttles={},
        usage_plans=(),
        api_keys={},
        binary_media_types=binary_media_types,
    )


def _request_from(recorded: dict[str, Any]) -> GatewayRequest:
    headers = [
        (name, value) for name, values in recorded["multiValueHeaders"].items() for value in values
    ]
    return GatewayRequest(
        method="POST",
        path="/hello/world",
        query="name=me&multivalueName=you&multivalueName=me",
        headers=headers,
        body=recorded["body"].encode(),
        source_ip="192.168.196.186",
    )


def _without_volatile(event: dict[str, Any]) -> dict[str, Any]:
    stable = copy.deepcopy(event)
    for key in VOLATILE:
        stable["requestContext"].pop(key)
    return stable


def _build(
    request: GatewayRequest, config: GatewayConfig, api_key: ApiKey | None
) -> dict[str, Any]:
    route = RouteTable(config.resources).match(request.method, request.path)
    assert route is not None
    return build_proxy_event(
        request,
        route,
        config,
        request_id="0f1e2d3c-0000-4000-8000-000000000000",
        api_key=api_key,
        now=datetime(2026, 12, 3, 16, 0, 0, 123000, tzinfo=UTC),
    )


def test_event_equals_the_recorded_aws_event() -> None:
    recorded = _recorded()
    identity = recorded["requestContext"]["identity"]
    key = ApiKey(id=identity["apiKeyId"], value=identity["apiKey"], enabled=True)
    event = _build(_request_from(recorded), _config(), key)
    assert _without_volatile(event) == _without_volatile(recorded)
    assert list(event) == list(recorded)


def test_volatile_fields_have_aws_formats() -> None:
    event = _build(_request_from(_recorded()), _config(), None)
    context = event["requestContext"]
    assert context["requestTime"] == "03/Dec/2026:16:00:00 +0000"
    assert context["requestTimeEpoch"] == 1796313600123
    assert len(context["extendedRequestId"]) == 16
    assert context["extendedRequestId"].endswith("=")


def test_event_validates_against_powertools_model() -> None:
    event = _build(_request_from(_recorded()), _config(), None)
    parsed = APIGatewayProxyEventModel.model_validate(event)
    assert parsed.requestContext.stage == "testStage"


def test_empty_request_gives_nulls_like_aws() -> None:
    request = GatewayRequest(method="GET", path="/a", headers=[("Host", "h.example")])
    event = _build(request, _config(), None)
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    # Added by API Gateway's front end, as on AWS.
    assert event["headers"]["X-Forwarded-For"] == "127.0.0.1"
    assert event["headers"]["X-Amzn-Trace-Id"].startswith("Root=1-")


def test_key_is_hidden_from_methods_that_do_not_require_it() -> None:
    config = _config()
    open_method = Method(
        http_method="ANY", api_key_required=False, authorization_type="NONE", integration=None
    )
    config = GatewayConfig(
        **{
            **config.__dict__,
            "resources": (Resource(id="r", path="/{proxy+}", methods={"ANY": open_method}),),
        }
    )
    event = _build(GatewayRequest(method="GET", path="/x"), config, ApiKey("id1", "value1", True))
    assert event["requestContext"]["identity"]["apiKey"] is None
    assert event["requestContext"]["identity"]["apiKeyId"] is None


def test_binary_media_type_body_is_base64() -> None:
    payload = bytes(range(256))
    request = GatewayRequest(
        method="POST", path="/up", headers=[("Content-Type", "image/png")], body=payload
    )
    event = _build(request, _config(binary_media_types=("image/*",)), None)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == payload


def test_is_binary_matching() -> None:
    assert is_binary("application/octet-stream; charset=x", ("application/octet-stream",))
    assert is_binary("image/png", ("*/*",))
    assert not is_binary("application/json", ("image/*",))
    assert not is_binary(None, ("*/*",))
