"""The Lambda proxy integration event (payload version 1.0) built the way a REST API builds it."""

from __future__ import annotations

import base64
import fnmatch
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from harness.gateway.config import ApiKey, GatewayConfig
from harness.gateway.routing import RouteMatch


@dataclass(frozen=True)
class GatewayRequest:
    """An HTTP request as the gateway received it, with the stage already taken off the path."""

    method: str
    path: str  # stage-relative, e.g. "/items/42"
    query: str = ""
    headers: Sequence[tuple[str, str]] = field(default_factory=tuple)
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"
    port: int = 443

    def header(self, name: str) -> str | None:
        """The last value of a header, matched without regard to case."""
        wanted = name.lower()
        value = None
        for key, item in self.headers:
            if key.lower() == wanted:
                value = item
        return value


def new_trace_id() -> str:
    return f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}"


def new_extended_request_id() -> str:
    # AWS's look: 16 characters ending with "=".
    return base64.b64encode(secrets.token_bytes(12)).decode()[:15] + "="


def _multi(
    pairs: Sequence[tuple[str, str]],
) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not pairs:
        return None, None
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for key, value in pairs:
        single[key] = value  # the single-value map keeps the last value, as a REST API does
        multi.setdefault(key, []).append(value)
    return single, multi


def is_binary(content_type: str | None, binary_media_types: Sequence[str]) -> bool:
    if not content_type or not binary_media_types:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return any(fnmatch.fnmatchcase(media_type, pattern.lower()) for pattern in binary_media_types)


def _with_edge_headers(request: GatewayRequest, trace_id: str) -> list[tuple[str, str]]:
    """The client's headers plus the ones API Gateway's front end adds on the way in."""
    headers = list(request.headers)
    present = {name.lower() for name, _ in headers}
    added = {
        "X-Amzn-Trace-Id": trace_id,
        "X-Forwarded-For": request.source_ip,
        "X-Forwarded-Port": str(request.port),
        "X-Forwarded-Proto": "http",
    }
    headers.extend((name, value) for name, value in added.items() if name.lower() not in present)
    return headers


def build_proxy_event(
    request: GatewayRequest,
    route: RouteMatch,
    config: GatewayConfig,
    *,
    request_id: str,
    api_key: ApiKey | None,
    trace_id: str | None = None,
    extended_request_id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    moment = now or datetime.now(UTC)
    headers, multi_headers = _multi(_with_edge_headers(request, trace_id or new_trace_id()))
    query, multi_query = _multi(parse_qsl(request.query, keep_blank_values=True))
    body: str | None = None
    encoded = False
    if request.body:
        if is_binary(request.header("content-type"), config.binary_media_types):
            body, encoded = base64.b64encode(request.body).decode(), True
        else:
            body = request.body.decode("utf-8", "replace")
    host = (
        request.header("host") or f"{config.rest_api_id}.execute-api.{config.region}.amazonaws.com"
    )
    return {
        "resource": route.resource.path,
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": route.path_parameters or None,
        "stageVariables": dict(config.stage_variables) or None,
        "requestContext": {
            "resourceId": route.resource.id,
            "resourcePath": route.resource.path,
            "httpMethod": request.method,
            "extendedRequestId": extended_request_id or new_extended_request_id(),
            "requestTime": moment.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{config.stage}{request.path}",
            "accountId": config.account_id,
            "protocol": request.protocol,
            "stage": config.stage,
            "domainPrefix": host.split(".", 1)[0],
            "requestTimeEpoch": int(moment.timestamp() * 1000),
            "requestId": request_id,
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                # Only methods that require a key see it, as with $context.identity.apiKey.
                "apiKey": api_key.value if api_key and route.method.api_key_required else None,
                "apiKeyId": api_key.id if api_key and route.method.api_key_required else None,
                "sourceIp": request.source_ip,
                "principalOrgId": None,
                "accessKey": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": request.header("user-agent"),
                "user": None,
            },
            "domainName": host,
            "apiId": config.rest_api_id,
        },
        "body": body,
        "isBase64Encoded": encoded,
    }
