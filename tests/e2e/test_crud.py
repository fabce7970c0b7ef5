"""CRUD through the deployed API over HTTP, as a client with an API key sees it."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.e2e.conftest import DeployedApi

pytestmark = pytest.mark.e2e


class Client:
    def __init__(self, api: DeployedApi, key: str) -> None:
        self.base_url = api.base_url
        self.headers = {"x-api-key": key}

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.base_url}{path}", headers=headers, timeout=60, **kwargs
        )


@pytest.fixture
def crud(api: DeployedApi) -> Client:
    return Client(api, api.keys["crud"])


@pytest.fixture
def other(api: DeployedApi) -> Client:
    return Client(api, api.keys["other"])


def test_create_read_update_delete_round_trip(crud: Client) -> None:
    created = crud.call("POST", "/items", json={"name": "first", "attributes": {"size": 3}})
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["name"] == "first"
    assert item["version"] == 1
    assert created.headers["ETag"] == '"1"'

    fetched = crud.call("GET", f"/items/{item['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == item

    updated = crud.call(
        "PATCH", f"/items/{item['id']}", json={"name": "renamed"}, headers={"If-Match": '"1"'}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["name"] == "renamed"
    assert updated.json()["attributes"] == {"size": 3}
    assert updated.headers["ETag"] == '"2"'

    deleted = crud.call("DELETE", f"/items/{item['id']}", headers={"If-Match": '"2"'})
    assert deleted.status_code == 204
    gone = crud.call("GET", f"/items/{item['id']}")
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "NOT_FOUND"


def test_stale_if_match_is_refused_and_changes_nothing(crud: Client) -> None:
    item = crud.call("POST", "/items", json={"name": "v1"}).json()
    assert crud.call(
        "PUT", f"/items/{item['id']}", json={"name": "v2"}, headers={"If-Match": '"1"'}
    ).ok

    stale = crud.call(
        "PUT", f"/items/{item['id']}", json={"name": "lost"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "PRECONDITION_FAILED"
    current = crud.call("GET", f"/items/{item['id']}").json()
    assert (current["name"], current["version"]) == ("v2", 2)


def test_list_pages_through_every_item_newest_first(crud: Client, other: Client) -> None:
    names = [f"page-{index}" for index in range(5)]
    created_ids = [crud.call("POST", "/items", json={"name": name}).json()["id"] for name in names]

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(50):  # bounded: the stack holds far fewer items than 50 pages of 2
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = crud.call("GET", "/items", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["items"]) <= 2
        seen.extend(entry["id"] for entry in body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert cursor is None
    positions = [seen.index(item_id) for item_id in created_ids]
    assert positions == sorted(positions, reverse=True), "newest first"
    assert not set(created_ids) & {
        entry["id"] for entry in other.call("GET", "/items", params={"limit": 100}).json()["items"]
    }


def test_requests_without_an_api_key_are_forbidden(api: DeployedApi) -> None:
    response = requests.get(f"{api.base_url}/items", timeout=60)
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}


def test_another_tenants_key_cannot_read_change_or_delete_an_item(
    crud: Client, other: Client
) -> None:
    item = crud.call("POST", "/items", json={"name": "private"}).json()
    path = f"/items/{item['id']}"
    # Another tenant's item is indistinguishable from a missing one: no existence leak.
    assert other.call("GET", path).status_code == 404
    assert (
        other.call("PUT", path, json={"name": "x"}, headers={"If-Match": '"1"'}).status_code == 404
    )
    assert other.call("DELETE", path, headers={"If-Match": '"1"'}).status_code == 404
    assert crud.call("GET", path).json()["name"] == "private"


def test_forged_cursor_is_refused(crud: Client) -> None:
    response = crud.call("GET", "/items", params={"cursor": "eyJQSyI6IlRFTkFOVCNvdGhlciJ9"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_CURSOR"
