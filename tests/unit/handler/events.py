"""Builders for realistic API Gateway REST (payload v1) proxy events and a Lambda context."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from items_api.routes import route_template

API_KEY_VALUES = {"tenantA1": "AKIAsecretvalueA1xxxxxx", "tenantB2": "AKIAsecretvalueB2yyyyyy"}


def build_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    raw_body: str | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str | list[str]] | None = None,
    api_key_id: str | None = "tenantA1",
    content_type: str | None = "application/json",
    base64_body: bool = False,
    request_id: str | None = None,
) -> dict[str, Any]:
    """An event shaped exactly like API Gateway REST sends it for a proxy integration."""
    request_id = request_id or str(uuid.uuid4())
    text = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    all_headers = {
        "Accept": "application/json",
        "Host": "abc123.execute-api.eu-west-1.amazonaws.com",
        "User-Agent": "pytest",
        "X-Amzn-Trace-Id": "Root=1-5f84c7a9-0e5b1e8b2a9e1d7f3c4b5a69",
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    if api_key_id is not None:
        all_headers["x-api-key"] = API_KEY_VALUES.get(api_key_id, "someapikeyvalue")
    if text is not None and content_type is not None:
        all_headers["Content-Type"] = content_type
    all_headers.update(headers or {})
    single_query: dict[str, str] | None = None
    multi_query: dict[str, list[str]] | None = None
    if query:
        multi_query = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
        single_query = {k: v[-1] for k, v in multi_query.items()}
    resource = route_template(path) or "/{proxy+}"
    path_parameters: dict[str, str] | None = None
    if resource == "/items/{id}":
        path_parameters = {"id": path.rstrip("/").rsplit("/", 1)[1]}
    elif resource == "/{proxy+}":
        path_parameters = {"proxy": path.lstrip("/")}
    if text is not None and base64_body:
        text = base64.b64encode(text.encode()).decode()
    identity: dict[str, Any] = {
        "accessKey": None,
        "accountId": None,
        "apiKey": API_KEY_VALUES.get(api_key_id or ""),
        "apiKeyId": api_key_id,
        "caller": None,
        "cognitoAuthenticationProvider": None,
        "cognitoAuthenticationType": None,
        "cognitoIdentityId": None,
        "cognitoIdentityPoolId": None,
        "principalOrgId": None,
        "sourceIp": "203.0.113.7",
        "user": None,
        "userAgent": "pytest",
        "userArn": None,
    }
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": single_query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc123",
            "extendedRequestId": "Ab1CdEfGhIjKlM=",
            "httpMethod": method,
            "identity": identity,
            "path": f"/v1{path}",
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "requestTime": "03/Dec/2026:16:00:00 +0000",
            "requestTimeEpoch": 1796313600000,
            "resourceId": "a1b2c3",
            "resourcePath": resource,
            "stage": "v1",
        },
        "body": text,
        "isBase64Encoded": base64_body,
    }


@dataclass
class FakeLambdaContext:
    function_name: str = "items-api"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:items-api"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/items-api"
    log_stream_name: str = "2026/12/03/[$LATEST]abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: Any
    raw: dict[str, Any]

    @property
    def error_code(self) -> str | None:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return str(self.body["error"]["code"])
        return None


def to_http(raw: dict[str, Any]) -> HttpResponse:
    headers: dict[str, str] = {}
    for key, value in (raw.get("headers") or {}).items():
        headers[key.lower()] = value
    for key, values in (raw.get("multiValueHeaders") or {}).items():
        headers[key.lower()] = ", ".join(values)
    text = raw.get("body") or ""
    if raw.get("isBase64Encoded"):
        text = base64.b64decode(text).decode()
    body = json.loads(text) if text else None
    return HttpResponse(status=int(raw["statusCode"]), headers=headers, body=body, raw=raw)
