"""Every route, happy paths, through lambda_handler with API Gateway v1 proxy events."""

from __future__ import annotations

from typing import Any

from items_api.ulid import decode_timestamp, is_ulid

from .conftest import TABLE_NAME, Api


def _items_in_table(aws: Any, tenant: str = "tenantA1") -> list[dict[str, Any]]:
    response = aws.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant}"}},
    )
    return list(response["Items"])


def test_create_returns_201_with_etag_location_and_server_fields(api: Api, aws: Any) -> None:
    response = api.create({"name": "widget", "description": "blue", "attributes": {"size": 3}})

    assert response.status == 201
    body = response.body
    assert is_ulid(body["id"])
    assert decode_timestamp(body["id"]) > 0
    assert body["name"] == "widget"
    assert body["description"] == "blue"
    assert body["attributes"] == {"size": 3}
    assert body["version"] == 1
    assert body["created_at"] == body["updated_at"]
    assert body["created_at"].endswith("Z")
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/items/{body['id']}"
    assert response.headers["content-type"] == "application/json"
    stored = _items_in_table(aws)
    assert len(stored) == 1
    assert stored[0]["SK"]["S"] == f"ITEM#{body['id']}"
    assert stored[0]["version"]["N"] == "1"


def test_create_accepts_charset_and_base64_bodies(api: Api) -> None:
    response = api.create(
        {"name": "encoded"},
        content_type="application/json; charset=utf-8",
        base64_body=True,
    )
    assert response.status == 201
    assert response.body["name"] == "encoded"


def test_get_returns_item_and_etag(api: Api) -> None:
    created = api.create({"name": "a", "attributes": {"nested": {"x": [1, 2.5, None, True]}}})
    response = api.get(f"/items/{created.body['id']}")

    assert response.status == 200
    assert response.body == created.body
    assert response.headers["etag"] == '"1"'


def test_list_is_newest_first_with_default_limit_20(api: Api) -> None:
    ids = [api.create({"name": f"item-{i}"}).body["id"] for i in range(22)]

    response = api.get("/items")

    assert response.status == 200
    listed = [item["id"] for item in response.body["items"]]
    assert listed == list(reversed(ids))[:20]
    assert response.body["next_cursor"]


def test_list_pages_through_everything_with_cursor(api: Api) -> None:
    ids = [api.create({"name": f"item-{i}"}).body["id"] for i in range(7)]

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": "3"} | ({"cursor": cursor} if cursor else {})
        page = api.get("/items", query=query)
        assert page.status == 200
        assert len(page.body["items"]) <= 3
        seen += [item["id"] for item in page.body["items"]]
        cursor = page.body["next_cursor"]
        pages += 1
        if cursor is None:
            break

    assert seen == list(reversed(ids))
    assert pages == 3  # 3 + 3 + 1: the last page carries no cursor


def test_list_exact_page_has_no_dangling_cursor(api: Api) -> None:
    for i in range(3):
        api.create({"name": f"item-{i}"})
    page = api.get("/items", query={"limit": "3"})
    assert len(page.body["items"]) == 3
    assert page.body["next_cursor"] is None


def test_list_empty(api: Api) -> None:
    response = api.get("/items")
    assert response.status == 200
    assert response.body == {"items": [], "next_cursor": None}


def test_list_limit_bounds_accepted(api: Api) -> None:
    for i in range(2):
        api.create({"name": f"item-{i}"})
    assert len(api.get("/items", query={"limit": "1"}).body["items"]) == 1
    assert len(api.get("/items", query={"limit": "100"}).body["items"]) == 2


def test_put_replaces_whole_item_and_bumps_version(api: Api) -> None:
    created = api.create({"name": "a", "description": "old", "attributes": {"k": 1}}).body

    response = api.request("PUT", f"/items/{created['id']}", body={"name": "b"})

    assert response.status == 200
    assert response.body["name"] == "b"
    assert response.body["description"] is None  # omitted -> removed on a full replace
    assert response.body["attributes"] == {}
    assert response.body["version"] == 2
    assert response.body["created_at"] == created["created_at"]
    assert response.body["updated_at"] >= created["updated_at"]
    assert response.headers["etag"] == '"2"'
    assert api.get(f"/items/{created['id']}").body == response.body


def test_put_with_description_sets_it(api: Api) -> None:
    created = api.create({"name": "a"}).body
    response = api.request(
        "PUT", f"/items/{created['id']}", body={"name": "a", "description": "now set"}
    )
    assert response.body["description"] == "now set"


def test_patch_changes_only_given_fields(api: Api) -> None:
    created = api.create({"name": "a", "description": "keep", "attributes": {"k": 1}}).body

    response = api.request("PATCH", f"/items/{created['id']}", body={"attributes": {"k": 2}})

    assert response.status == 200
    assert response.body["name"] == "a"
    assert response.body["description"] == "keep"
    assert response.body["attributes"] == {"k": 2}
    assert response.body["version"] == 2
    assert response.headers["etag"] == '"2"'


def test_patch_null_description_removes_it(api: Api) -> None:
    created = api.create({"name": "a", "description": "gone soon"}).body
    response = api.request("PATCH", f"/items/{created['id']}", body={"description": None})
    assert response.status == 200
    assert response.body["description"] is None
    assert api.get(f"/items/{created['id']}").body["description"] is None


def test_delete_returns_204_then_item_is_gone(api: Api, aws: Any) -> None:
    created = api.create({"name": "a"}).body

    response = api.request("DELETE", f"/items/{created['id']}")

    assert response.status == 204
    assert response.body is None
    assert api.get(f"/items/{created['id']}").status == 404
    assert _items_in_table(aws) == []


def test_if_match_star_and_current_version_are_honoured(api: Api) -> None:
    item_id = api.create({"name": "a"}).body["id"]
    path = f"/items/{item_id}"

    star = api.request("PATCH", path, body={"name": "b"}, headers={"If-Match": "*"})
    listed = api.request("PUT", path, body={"name": "c"}, headers={"If-Match": '"9", "2"'})
    deleted = api.request("DELETE", path, headers={"if-match": '"3"'})

    assert (star.status, star.headers["etag"]) == (200, '"2"')
    assert (listed.status, listed.headers["etag"]) == (200, '"3"')
    assert deleted.status == 204


def test_each_request_is_one_dynamodb_call(api: Api, dynamo_calls: list[str]) -> None:
    item_id = api.create({"name": "a"}).body["id"]
    api.get(f"/items/{item_id}")
    api.get("/items")
    api.request("PUT", f"/items/{item_id}", body={"name": "b"}, headers={"If-Match": '"1"'})
    api.request("PATCH", f"/items/{item_id}", body={"name": "c"})
    api.request("DELETE", f"/items/{item_id}", headers={"If-Match": '"3"'})

    assert dynamo_calls == ["PutItem", "GetItem", "Query", "UpdateItem", "UpdateItem", "DeleteItem"]
