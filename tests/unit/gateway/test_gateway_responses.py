"""Mapping a proxy function's result to HTTP, and the 502 for anything AWS would reject."""

from __future__ import annotations

import base64
import json

import pytest

from harness.gateway.responses import GatewayError, MalformedProxyResponse, map_proxy_result


def test_maps_status_headers_and_body() -> None:
    response = map_proxy_result(
        json.dumps(
            {
                "statusCode": 201,
                "headers": {"Content-Type": "text/plain", "X-One": "1", "X-Both": "single"},
                "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"], "X-Both": ["m1", "m2"]},
                "body": "created",
            }
        )
    )
    assert response.status == 201
    assert response.body == b"created"
    assert ("Set-Cookie", "a=1") in response.headers
    assert ("Set-Cookie", "b=2") in response.headers
    # The multi-value map wins when both name a header.
    assert [v for k, v in response.headers if k == "X-Both"] == ["m1", "m2"]
    assert response.header("content-type") == "text/plain"


def test_base64_body_is_decoded() -> None:
    raw = bytes(range(10))
    response = map_proxy_result(
        json.dumps(
            {"statusCode": 200, "body": base64.b64encode(raw).decode(), "isBase64Encoded": True}
        )
    )
    assert response.body == raw


def test_defaults_content_type_and_empty_body() -> None:
    response = map_proxy_result(json.dumps({"statusCode": 204}))
    assert response.body == b""
    assert response.header("Content-Type") == "application/json"


@pytest.mark.parametrize(
    "result",
    [
        "not json",
        json.dumps(["a list"]),
        json.dumps(None),
        json.dumps({"body": "no status"}),
        json.dumps({"statusCode": "abc"}),
        json.dumps({"statusCode": True}),
        json.dumps({"statusCode": 99}),
        json.dumps({"statusCode": 200, "body": {"a": 1}}),
        json.dumps({"statusCode": 200, "headers": ["x"]}),
        json.dumps({"statusCode": 200, "headers": {"X": {"nested": 1}}}),
        json.dumps({"statusCode": 200, "multiValueHeaders": {"X": "not-a-list"}}),
        json.dumps({"statusCode": 200, "body": "%%%", "isBase64Encoded": True}),
        json.dumps({"statusCode": 200, "unexpected": 1}),
    ],
)
def test_malformed_results_are_rejected(result: str) -> None:
    with pytest.raises(MalformedProxyResponse):
        map_proxy_result(result)


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (GatewayError.MISSING_AUTHENTICATION_TOKEN, 403, "Missing Authentication Token"),
        (GatewayError.FORBIDDEN, 403, "Forbidden"),
        (GatewayError.THROTTLED, 429, "Too Many Requests"),
        (GatewayError.QUOTA_EXCEEDED, 429, "Limit Exceeded"),
        (GatewayError.INTEGRATION_FAILURE, 502, "Internal server error"),
        (GatewayError.INTEGRATION_TIMEOUT, 504, "Endpoint request timed out"),
    ],
)
def test_gateway_errors_have_aws_bodies(error: GatewayError, status: int, message: str) -> None:
    response = error.response()
    assert response.status == status
    assert json.loads(response.body) == {"message": message}
    assert response.header("x-amzn-ErrorType")
