"""Over real HTTP: API keys, routes, the proxy event and the response mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.integration.gateway.gateway_stack import Stack

TIMEOUT = 20
FIXTURE = Path(__file__).parents[2] / "unit" / "gateway" / "fixtures" / "aws_rest_proxy_event.json"


def _keys_of(value: Any) -> Any:
    """The shape of a JSON value: nested key sets, leaves replaced by their JSON type."""
    if isinstance(value, dict):
        return {key: _keys_of(item) for key, item in value.items()}
    return type(value).__name__


def _message(response: requests.Response) -> str:
    message: str = response.json()["message"]
    return message


@pytest.mark.parametrize("key_name", [None, "unknown", "disabled", "orphan"])
def test_bad_keys_are_forbidden(base_url: str, stack: Stack, key_name: str | None) -> None:
    headers = {}
    if key_name == "unknown":
        headers["x-api-key"] = "not-a-key-at-all"
    elif key_name is not None:
        headers["x-api-key"] = stack.keys[key_name]
    response = requests.get(f"{base_url}/echo", headers=headers, timeout=TIMEOUT)
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}
    assert response.headers["x-amzn-ErrorType"] == "ForbiddenException"


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/nowhere"), ("DELETE", "/open"), ("GET", "/echo/a/b")]
)
def test_unknown_route_is_missing_authentication_token(
    base_url: str, method: str, path: str
) -> None:
    response = requests.request(method, f"{base_url}{path}", timeout=TIMEOUT)
    assert response.status_code == 403
    assert _message(response) == "Missing Authentication Token"


def test_unknown_stage_is_forbidden(gateway: Any) -> None:
    response = requests.get(f"http://127.0.0.1:{gateway.port}/nostage/open", timeout=TIMEOUT)
    assert response.status_code == 403
    assert _message(response) == "Forbidden"


def test_event_shape_matches_recorded_aws_event(base_url: str, stack: Stack) -> None:
    response = requests.post(
        f"{base_url}/files/hello/world?name=me&multivalueName=you&multivalueName=me",
        headers={
            "x-api-key": stack.keys["main"],
            "Content-Type": "application/json",
            "headerName": "headerValue",
        },
        data='{"a": 1}',
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    event = response.json()["event"]
    recorded = json.loads(FIXTURE.read_text())
    assert _keys_of(event)["requestContext"] == _keys_of(recorded)["requestContext"]
    assert set(event) == set(recorded)
    assert event["resource"] == "/files/{proxy+}"
    assert event["path"] == "/files/hello/world"
    assert event["httpMethod"] == "POST"
    assert event["pathParameters"] == {"proxy": "hello/world"}
    assert event["queryStringParameters"] == recorded["queryStringParameters"]
    assert event["multiValueQueryStringParameters"] == recorded["multiValueQueryStringParameters"]
    assert event["headers"]["headerName"] == "headerValue"
    assert event["multiValueHeaders"]["headerName"] == ["headerValue"]
    assert event["stageVariables"] == {"env": "test"}
    assert event["body"] == '{"a": 1}'
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["stage"] == "v1"
    assert context["path"] == "/v1/files/hello/world"
    assert context["apiId"] == stack.api_id
    assert context["resourcePath"] == "/files/{proxy+}"
    assert context["identity"]["apiKey"] == stack.keys["main"]
    assert context["identity"]["apiKeyId"] == stack.key_ids["main"]
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert response.headers["x-amzn-RequestId"] == context["requestId"]


def test_function_sees_lambda_environment_and_context(
    base_url: str, stack: Stack, emulator: Any
) -> None:
    response = requests.get(
        f"{base_url}/echo/42", headers={"x-api-key": stack.keys["main"]}, timeout=TIMEOUT
    )
    assert response.status_code == 200
    payload = response.json()
    env, context = payload["env"], payload["context"]
    assert payload["event"]["pathParameters"] == {"id": "42"}
    assert env["AWS_ENDPOINT_URL"] == emulator.endpoint
    assert env["FIXTURE_MARKER"] == "echo"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert env["_HANDLER"] == "handlers.echo"
    assert context["function_name"] == env["AWS_LAMBDA_FUNCTION_NAME"]
    assert context["invoked_function_arn"] == stack.functions["echo"]
    assert 0 < context["remaining_ms"] <= 3000
    assert context["log_group_name"] == f"/aws/lambda/{context['function_name']}"
    assert context["log_stream_name"] == env["AWS_LAMBDA_LOG_STREAM_NAME"]


def test_response_headers_and_multi_value_headers(base_url: str) -> None:
    response = requests.get(f"{base_url}/open", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["X-Echo"] == "yes"
    assert response.raw.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    assert response.json()["event"]["requestContext"]["identity"]["apiKey"] is None


def test_base64_response_is_decoded(base_url: str) -> None:
    response = requests.get(f"{base_url}/binary", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.content == bytes(range(256))


def test_payload_over_10_mb_is_413(base_url: str, stack: Stack) -> None:
    response = requests.post(
        f"{base_url}/echo",
        headers={"x-api-key": stack.keys["main"]},
        data=b"x" * (10 * 1024 * 1024 + 1),
        timeout=TIMEOUT,
    )
    assert response.status_code == 413
    assert _message(response) == "Request Too Long"


def test_payload_just_under_the_limit_is_served(base_url: str, stack: Stack) -> None:
    body = b"y" * (1024 * 1024)
    response = requests.post(
        f"{base_url}/echo", headers={"x-api-key": stack.keys["main"]}, data=body, timeout=TIMEOUT
    )
    assert response.status_code == 200
    assert len(response.json()["event"]["body"]) == len(body)
