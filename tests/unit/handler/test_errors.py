"""Every failure has the envelope and the documented status / code; no client mistake is 5xx."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from items_api import routes, service
from items_api.models import ATTRIBUTES_MAX_BYTES

from .conftest import Api
from .events import HttpResponse

UNKNOWN_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def assert_envelope(response: HttpResponse, status: int, code: str, api: Api) -> None:
    assert response.status == status, response.body
    assert response.headers["content-type"] == "application/json"
    assert set(response.body) == {"error"}
    error = response.body["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert api.last_event is not None
    assert error["request_id"] == api.last_event["requestContext"]["requestId"]


def test_malformed_json_is_400(api: Api) -> None:
    response = api.request("POST", "/items", raw_body='{"name": "a",')
    assert_envelope(response, 400, "MALFORMED_JSON", api)
    assert response.body["error"]["details"] is None


def test_malformed_json_on_put_is_400(api: Api) -> None:
    response = api.request("PUT", f"/items/{UNKNOWN_ID}", raw_body="not json")
    assert_envelope(response, 400, "MALFORMED_JSON", api)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "101"}, "query.limit"),
        ({"limit": "ten"}, "query.limit"),
        ({"cursor": "x" * 513}, "query.cursor"),
    ],
)
def test_bad_query_parameter_is_400_with_details(
    api: Api, query: dict[str, str], field: str
) -> None:
    response = api.get("/items", query=query)
    assert_envelope(response, 400, "INVALID_QUERY_PARAMETER", api)
    assert [detail["field"] for detail in response.body["error"]["details"]] == [field]


@pytest.mark.parametrize("cursor", ["garbage", "a.b", "....", "e30.AAAA", "%%%.###"])
def test_undecodable_cursor_is_400(api: Api, cursor: str, dynamo_calls: list[str]) -> None:
    response = api.get("/items", query={"cursor": cursor})
    assert_envelope(response, 400, "INVALID_CURSOR", api)
    assert "Query" not in dynamo_calls


@pytest.mark.parametrize("header", ["3", "abc", '"3', '"x"', '"3", bogus'])
def test_unparsable_if_match_is_400(api: Api, header: str) -> None:
    item_id = api.create().body["id"]
    response = api.request(
        "PATCH", f"/items/{item_id}", body={"name": "b"}, headers={"If-Match": header}
    )
    assert_envelope(response, 400, "INVALID_HEADER", api)
    assert api.get(f"/items/{item_id}").body["version"] == 1


def test_bad_idempotency_key_header_is_400(api: Api) -> None:
    response = api.create({"name": "a"}, headers={"Idempotency-Key": "has space"})
    assert_envelope(response, 400, "INVALID_HEADER", api)
    assert response.body["error"]["details"][0]["field"] == "header.idempotency-key"


def test_missing_api_key_id_is_403_and_touches_nothing(api: Api, dynamo_calls: list[str]) -> None:
    for method, path in [("GET", "/items"), ("POST", "/items"), ("GET", f"/items/{UNKNOWN_ID}")]:
        response = api.request(
            method, path, body={"name": "x"} if method == "POST" else None, api_key_id=None
        )
        assert_envelope(response, 403, "FORBIDDEN", api)
    assert dynamo_calls == []


@pytest.mark.parametrize("api_key_id", ["", "a#b", "x" * 129, "tenant/other"])
def test_malformed_api_key_id_is_403(api: Api, api_key_id: str) -> None:
    response = api.get("/items", api_key_id=api_key_id)
    assert_envelope(response, 403, "FORBIDDEN", api)


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_unknown_item_is_404(api: Api, method: str) -> None:
    body = {"name": "x"} if method in {"PUT", "PATCH"} else None
    response = api.request(method, f"/items/{UNKNOWN_ID}", body=body)
    assert_envelope(response, 404, "NOT_FOUND", api)


@pytest.mark.parametrize("item_id", ["not-a-ulid", "01arz3ndektsv4rrffq69g5fav", "8" + "0" * 25])
def test_malformed_item_id_is_404_without_a_database_call(
    api: Api, item_id: str, dynamo_calls: list[str]
) -> None:
    assert_envelope(api.get(f"/items/{item_id}"), 404, "NOT_FOUND", api)
    assert_envelope(api.request("DELETE", f"/items/{item_id}"), 404, "NOT_FOUND", api)
    assert dynamo_calls == []


def test_unknown_route_is_404(api: Api) -> None:
    assert_envelope(api.get("/widgets"), 404, "ROUTE_NOT_FOUND", api)
    assert_envelope(api.get("/items/a/b"), 404, "ROUTE_NOT_FOUND", api)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/items", "GET, POST"),
        ("PUT", "/items", "GET, POST"),
        ("POST", f"/items/{UNKNOWN_ID}", "DELETE, GET, PATCH, PUT"),
    ],
)
def test_wrong_method_on_known_path_is_405_with_allow(
    api: Api, method: str, path: str, allow: str
) -> None:
    response = api.request(method, path, body={"name": "x"}, content_type="text/plain")
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED", api)
    assert response.headers["allow"] == allow


def test_stale_if_match_is_412_with_current_etag(api: Api) -> None:
    item_id = api.create().body["id"]
    api.request("PATCH", f"/items/{item_id}", body={"name": "v2"})
    path = f"/items/{item_id}"

    for method, body in [("PUT", {"name": "x"}), ("PATCH", {"name": "x"}), ("DELETE", None)]:
        response = api.request(method, path, body=body, headers={"If-Match": '"1"'})
        assert_envelope(response, 412, "PRECONDITION_FAILED", api)
        assert response.headers["etag"] == '"2"'
    assert api.get(path).body["name"] == "v2"


def test_weak_etag_never_matches_so_412(api: Api) -> None:
    item_id = api.create().body["id"]
    response = api.request(
        "PATCH", f"/items/{item_id}", body={"name": "b"}, headers={"If-Match": 'W/"1"'}
    )
    assert_envelope(response, 412, "PRECONDITION_FAILED", api)
    assert response.headers["etag"] == '"1"'


def test_weak_etag_on_missing_item_is_404(api: Api) -> None:
    response = api.request("DELETE", f"/items/{UNKNOWN_ID}", headers={"If-Match": 'W/"1"'})
    assert_envelope(response, 404, "NOT_FOUND", api)


def test_body_over_64_kib_is_413(api: Api, dynamo_calls: list[str]) -> None:
    big = json.dumps({"name": "a", "description": "x" * (routes.MAX_BODY_BYTES)})
    response = api.request("POST", "/items", raw_body=big)
    assert_envelope(response, 413, "PAYLOAD_TOO_LARGE", api)
    base64_response = api.request("POST", "/items", raw_body=big, base64_body=True)
    assert_envelope(base64_response, 413, "PAYLOAD_TOO_LARGE", api)
    assert dynamo_calls == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_non_json_content_type_on_writes_is_415(
    api: Api, method: str, content_type: str | None
) -> None:
    path = "/items" if method == "POST" else f"/items/{UNKNOWN_ID}"
    response = api.request(method, path, raw_body="name=a", content_type=content_type)
    assert_envelope(response, 415, "UNSUPPORTED_MEDIA_TYPE", api)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["body.name"]),
        ({"name": ""}, ["body.name"]),
        ({"name": "x" * 201}, ["body.name"]),
        ({"name": 5}, ["body.name"]),
        ({"name": "a", "colour": "red"}, ["body.colour"]),
        ({"name": "a", "attributes": [1, 2]}, ["body.attributes"]),
        ({"name": "a", "description": "d" * 2001}, ["body.description"]),
        ({"name": "a", "attributes": {"blob": "x" * ATTRIBUTES_MAX_BYTES}}, ["body.attributes"]),
        ([1, 2], ["body"]),
    ],
)
def test_invalid_create_body_is_422_with_field_details(
    api: Api, body: Any, fields: list[str], dynamo_calls: list[str]
) -> None:
    response = api.request("POST", "/items", body=body)
    assert_envelope(response, 422, "VALIDATION_FAILED", api)
    details = response.body["error"]["details"]
    assert [detail["field"] for detail in details] == fields
    assert all(detail["message"] and detail["type"] for detail in details)
    assert dynamo_calls == []


@pytest.mark.parametrize(
    "body",
    [{}, {"name": None}, {"attributes": None}, {"version": 7}, {"name": ""}],
)
def test_invalid_patch_body_is_422(api: Api, body: dict[str, Any]) -> None:
    item_id = api.create().body["id"]
    response = api.request("PATCH", f"/items/{item_id}", body=body)
    assert_envelope(response, 422, "VALIDATION_FAILED", api)
    assert response.body["error"]["details"]


def test_empty_body_on_create_is_a_client_error(api: Api) -> None:
    response = api.request("POST", "/items", raw_body="")
    assert 400 <= response.status < 500
    assert response.error_code in {"MALFORMED_JSON", "VALIDATION_FAILED"}


def test_id_collision_on_create_is_409(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "new_ulid", lambda: UNKNOWN_ID)
    assert api.create().status == 201
    assert_envelope(api.create(), 409, "CONFLICT", api)


def test_unexpected_error_is_500_without_internals_and_logged_with_stack(
    api: Api, monkeypatch: pytest.MonkeyPatch, log_lines: Callable[[], list[dict[str, Any]]]
) -> None:
    def boom(*_: Any, **__: Any) -> None:
        raise RuntimeError("db password is hunter2")

    monkeypatch.setattr(service.ItemService, "get", boom)
    response = api.get(f"/items/{UNKNOWN_ID}")

    assert_envelope(response, 500, "INTERNAL_ERROR", api)
    assert "hunter2" not in json.dumps(response.body)
    assert "RuntimeError" not in json.dumps(response.body)
    errors = [entry for entry in log_lines() if entry["level"] == "ERROR" and "exception" in entry]
    assert errors, "the unexpected error must be logged with its stack"
    assert "Traceback" in errors[0]["exception"]
    assert errors[0]["correlation_id"] == response.body["error"]["request_id"]


def test_failure_outside_the_resolver_is_still_an_enveloped_500(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_resolve(*_: Any, **__: Any) -> None:
        raise RuntimeError("resolver exploded")

    monkeypatch.setattr(routes.app, "resolve", broken_resolve)
    assert_envelope(api.get("/items"), 500, "INTERNAL_ERROR", api)


def test_powertools_service_errors_keep_their_4xx_status(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aws_lambda_powertools.event_handler.exceptions import BadRequestError

    def bad(*_: Any, **__: Any) -> None:
        raise BadRequestError("nope")

    monkeypatch.setattr(service.ItemService, "list", bad)
    response = api.get("/items")
    assert_envelope(response, 400, "BAD_REQUEST", api)
    assert response.body["error"]["message"] == "nope"
