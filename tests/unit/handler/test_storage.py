"""Storage layer alone: client wiring, AWS failures, and the 1 MB page edge of Query."""

from __future__ import annotations

from typing import Any

import pytest

from items_api import container, routes, storage

from .conftest import REGION, Api

ITEM_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _record(item_id: str = ITEM_ID) -> dict[str, Any]:
    return {
        "PK": {"S": "TENANT#t1"},
        "SK": {"S": f"ITEM#{item_id}"},
        "id": {"S": item_id},
        "name": {"S": "n"},
        "attributes": {"S": "{}"},
        "version": {"N": "1"},
        "created_at": {"S": "2026-01-01T00:00:00.000Z"},
        "updated_at": {"S": "2026-01-01T00:00:00.000Z"},
    }


class FakeQueryClient:
    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response
        self.calls: list[dict[str, Any]] = []

    def query(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return self.response


def test_short_page_cut_by_dynamodb_still_returns_a_cursor() -> None:
    """DynamoDB stops a Query at 1 MB: fewer rows than asked, but LastEvaluatedKey is set."""
    last = {"PK": {"S": "TENANT#t1"}, "SK": {"S": f"ITEM#{ITEM_ID}"}}
    client = FakeQueryClient({"Items": [_record()], "LastEvaluatedKey": last})
    repository = storage.ItemRepository(client, "table", b"secret")

    items, token = repository.list("t1", limit=20, cursor_token=None)

    assert [item["id"] for item in items] == [ITEM_ID]
    assert token is not None
    assert client.calls[0]["Limit"] == 21
    assert client.calls[0]["ScanIndexForward"] is False
    # The cursor resumes exactly after the last row, in the same partition.
    repository.list("t1", limit=20, cursor_token=token)
    assert client.calls[1]["ExclusiveStartKey"] == last


def test_client_is_created_once_per_container_with_the_lambda_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "ap-southeast-2")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    storage.reset_client()
    try:
        first = storage.get_client()
        assert storage.get_client() is first
        assert first.meta.region_name == "ap-southeast-2"
        assert first.meta.config.retries["mode"] == "standard"
        assert first.meta.config.connect_timeout == 2
    finally:
        storage.reset_client()


def test_aws_endpoint_url_is_honoured_natively(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = storage.new_client(REGION)
    assert client.meta.endpoint_url == "http://127.0.0.1:4566"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/items", None),
        ("POST", "/items", {"name": "x"}),
        ("GET", f"/items/{ITEM_ID}", None),
        ("PUT", f"/items/{ITEM_ID}", {"name": "x"}),
        ("DELETE", f"/items/{ITEM_ID}", None),
    ],
)
def test_aws_failures_are_500_without_internals(
    api: Api, monkeypatch: pytest.MonkeyPatch, method: str, path: str, body: Any
) -> None:
    monkeypatch.setenv("TABLE_NAME", "no-such-table")
    container.reset(client=False)

    response = api.request(method, path, body=body)

    assert response.status == 500
    assert response.error_code == "INTERNAL_ERROR"
    assert "no-such-table" not in response.raw["body"]
    assert "ResourceNotFound" not in response.raw["body"]


def test_null_headers_on_a_write_are_415(handler: Any, dynamo_calls: list[str]) -> None:
    from .events import FakeLambdaContext, build_event, to_http

    event = build_event("POST", "/items", body={"name": "x"})
    event["headers"] = None
    event["multiValueHeaders"] = None
    response = to_http(handler(event, FakeLambdaContext()))
    assert response.status == 415
    assert dynamo_calls == []


def test_powertools_content_type_refusal_is_also_415(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: if the preflight let a non-JSON write through, it is still a 415."""
    monkeypatch.setattr(routes, "preflight", lambda event: None)
    response = api.request("POST", "/items", raw_body="a=b", content_type="text/plain")
    assert response.status == 415
    assert response.error_code == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"requestContext": {"requestId": "abc"}}, "abc"),
        ({"requestContext": {}}, None),
        ({"requestContext": None}, None),
        ({}, None),
    ],
)
def test_correlation_id_is_the_api_gateway_request_id(
    handler: Any, event: dict[str, Any], expected: str | None
) -> None:
    from items_api.app import _correlation_id

    assert _correlation_id(event) == expected
