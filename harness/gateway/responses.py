"""HTTP responses: API Gateway's own error answers, and the mapping of a proxy function's result."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


class GatewayError(Enum):
    """Default gateway responses: status, message and the x-amzn-ErrorType AWS sends."""

    MISSING_AUTHENTICATION_TOKEN = (
        403,
        "Missing Authentication Token",
        "MissingAuthenticationTokenException",
    )
    FORBIDDEN = (403, "Forbidden", "ForbiddenException")  # INVALID_API_KEY
    THROTTLED = (429, "Too Many Requests", "TooManyRequestsException")
    QUOTA_EXCEEDED = (429, "Limit Exceeded", "LimitExceededException")
    REQUEST_TOO_LARGE = (413, "Request Too Long", "RequestTooLongException")
    INTEGRATION_FAILURE = (502, "Internal server error", "InternalServerErrorException")
    INTEGRATION_TIMEOUT = (504, "Endpoint request timed out", "InternalServerErrorException")
    INTERNAL = (500, "Internal server error", "InternalServerErrorException")

    @property
    def status(self) -> int:
        return self.value[0]

    @property
    def message(self) -> str:
        return self.value[1]

    def response(self) -> HttpResponse:
        return HttpResponse(
            status=self.status,
            headers=[("Content-Type", "application/json"), ("x-amzn-ErrorType", self.value[2])],
            body=json.dumps({"message": self.message}).encode(),
        )


class MalformedProxyResponse(ValueError):
    """The function answered, but not in the proxy output format; API Gateway answers 502."""


_ALLOWED_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise MalformedProxyResponse(f"header value {value!r} is not a string")


def _status(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise MalformedProxyResponse(f"statusCode {raw!r} is not an integer")
    try:
        status = int(raw)
    except ValueError as exc:
        raise MalformedProxyResponse(f"statusCode {raw!r} is not an integer") from exc
    if not 100 <= status <= 599:
        raise MalformedProxyResponse(f"statusCode {status} is not an HTTP status")
    return status


def _headers(result: dict[str, Any]) -> list[tuple[str, str]]:
    single = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        raise MalformedProxyResponse("headers and multiValueHeaders must be objects")
    headers: list[tuple[str, str]] = []
    multi_names = {name.lower() for name in multi}
    for name, value in single.items():
        # When both maps name a header, the multi-value map's values win (AWS's merge rule).
        if name.lower() not in multi_names:
            headers.append((str(name), _header_value(value)))
    for name, values in multi.items():
        if not isinstance(values, list):
            raise MalformedProxyResponse(f"multiValueHeaders[{name!r}] is not a list")
        headers.extend((str(name), _header_value(value)) for value in values)
    return headers


def _body(result: dict[str, Any]) -> bytes:
    body = result.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise MalformedProxyResponse("body is not a string")
    if result.get("isBase64Encoded") is True:
        try:
            return base64.b64decode(body, validate=True)
        except binascii.Error as exc:
            raise MalformedProxyResponse("isBase64Encoded is true but body is not base64") from exc
    return body.encode("utf-8")


def map_proxy_result(payload_json: str) -> HttpResponse:
    """The client's response for the function's JSON result; MalformedProxyResponse if invalid."""
    try:
        result = json.loads(payload_json)
    except ValueError as exc:
        raise MalformedProxyResponse("the result is not JSON") from exc
    if not isinstance(result, dict):
        raise MalformedProxyResponse("the result is not a JSON object")
    unknown = set(result) - _ALLOWED_KEYS
    if unknown:
        raise MalformedProxyResponse(f"unexpected keys {sorted(unknown)}")
    if "statusCode" not in result:
        raise MalformedProxyResponse("statusCode is missing")
    status = _status(result["statusCode"])
    headers = _headers(result)
    body = _body(result)
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "application/json"))
    return HttpResponse(status=status, headers=headers, body=body)
