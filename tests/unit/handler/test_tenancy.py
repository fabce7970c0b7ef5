"""A key (tenant) can never read, list, change or delete another key's items."""

from __future__ import annotations

from typing import Any

from .conftest import TABLE_NAME, Api

A = "tenantA1"
B = "tenantB2"


def test_other_tenant_cannot_get_list_change_or_delete(api: Api, aws: Any) -> None:
    item = api.create({"name": "secret of A"}, api_key_id=A).body
    path = f"/items/{item['id']}"

    assert api.get(path, api_key_id=B).status == 404
    assert api.get("/items", api_key_id=B).body == {"items": [], "next_cursor": None}
    assert api.request("PUT", path, body={"name": "pwned"}, api_key_id=B).status == 404
    assert api.request("PATCH", path, body={"name": "pwned"}, api_key_id=B).status == 404
    assert (
        api.request(
            "PATCH", path, body={"name": "pwned"}, headers={"If-Match": "*"}, api_key_id=B
        ).status
        == 404
    )
    assert api.request("DELETE", path, api_key_id=B).status == 404
    assert api.request("DELETE", path, headers={"If-Match": '"1"'}, api_key_id=B).status == 404

    # A's item is untouched, and B wrote nothing anywhere in the table.
    assert api.get(path, api_key_id=A).body == item
    b_rows = aws.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{B}"}},
    )["Items"]
    assert b_rows == []


def test_lists_are_partitioned_per_tenant(api: Api) -> None:
    a_ids = {api.create({"name": "a"}, api_key_id=A).body["id"] for _ in range(3)}
    b_ids = {api.create({"name": "b"}, api_key_id=B).body["id"] for _ in range(2)}

    assert {i["id"] for i in api.get("/items", api_key_id=A).body["items"]} == a_ids
    assert {i["id"] for i in api.get("/items", api_key_id=B).body["items"]} == b_ids


def test_other_tenants_cursor_is_refused_and_never_followed(
    api: Api, dynamo_calls: list[str]
) -> None:
    for _ in range(3):
        api.create({"name": "a"}, api_key_id=A)
    cursor = api.get("/items", query={"limit": "1"}, api_key_id=A).body["next_cursor"]
    assert cursor
    queries_before = dynamo_calls.count("Query")

    response = api.get("/items", query={"cursor": cursor}, api_key_id=B)

    assert response.status == 400
    assert response.error_code == "INVALID_CURSOR"
    assert dynamo_calls.count("Query") == queries_before
    # ...while the owner can follow it.
    assert api.get("/items", query={"cursor": cursor}, api_key_id=A).status == 200
