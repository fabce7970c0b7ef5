"""Pagination cursors: opaque, signed, tenant-bound; forgeries are 400 and never followed."""

from __future__ import annotations

import base64
import json

import pytest

from items_api import cursor
from items_api.errors import InvalidCursorError

from .conftest import Api

SECRET = b"k"
SCOPE = "TENANT#tenantA1"
KEY = {"PK": "TENANT#tenantA1", "SK": "ITEM#01ARZ3NDEKTSV4RRFFQ69G5FAV"}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_round_trip() -> None:
    token = cursor.encode(KEY, scope=SCOPE, secret=SECRET)
    assert token.count(".") == 1
    assert "ITEM#" not in token  # opaque to the client
    assert cursor.decode(token, scope=SCOPE, secret=SECRET) == KEY


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # flipped MAC
        lambda t: "x" + t,  # flipped payload
        lambda t: t.replace(".", ""),
        lambda t: t + ".x",
        lambda t: "",
        lambda t: "é." + t.split(".")[1],
        lambda t: t.split(".")[0] + ".!!!",
    ],
)
def test_tampering_is_detected(mutate: object) -> None:
    token = cursor.encode(KEY, scope=SCOPE, secret=SECRET)
    with pytest.raises(InvalidCursorError):
        cursor.decode(mutate(token), scope=SCOPE, secret=SECRET)  # type: ignore[operator]


def test_cursor_is_bound_to_scope_and_secret() -> None:
    token = cursor.encode(KEY, scope=SCOPE, secret=SECRET)
    with pytest.raises(InvalidCursorError):
        cursor.decode(token, scope="TENANT#tenantB2", secret=SECRET)
    with pytest.raises(InvalidCursorError):
        cursor.decode(token, scope=SCOPE, secret=b"other")


def test_too_long_cursor_is_refused() -> None:
    with pytest.raises(InvalidCursorError):
        cursor.decode("a" * 600 + ".b", scope=SCOPE, secret=SECRET)


def test_validly_signed_non_object_payload_is_refused() -> None:
    payload = json.dumps(["PK", "SK"]).encode()
    token = f"{_b64(payload)}.{_b64(cursor._mac(SECRET, SCOPE, payload))}"
    with pytest.raises(InvalidCursorError):
        cursor.decode(token, scope=SCOPE, secret=SECRET)


def _signed(key: dict[str, str], scope: str, secret: bytes) -> str:
    return cursor.encode(key, scope=scope, secret=secret)


def test_forged_cursor_pointing_at_another_partition_is_400(
    api: Api, dynamo_calls: list[str]
) -> None:
    """Even with the signing key (the default key is derivable), PK must be the caller's."""
    from items_api.config import get_settings

    secret = get_settings().cursor_signing_key
    forged = _signed(
        {"PK": "TENANT#tenantB2", "SK": "ITEM#01ARZ3NDEKTSV4RRFFQ69G5FAV"},
        scope="TENANT#tenantA1",
        secret=secret,
    )
    response = api.get("/items", query={"cursor": forged})
    assert response.status == 400
    assert response.error_code == "INVALID_CURSOR"
    assert "Query" not in dynamo_calls


@pytest.mark.parametrize(
    "key",
    [
        {"PK": "TENANT#tenantA1", "SK": "IDEMPOTENCY#x"},
        {"PK": "TENANT#tenantA1", "SK": "ITEM#not-a-ulid"},
        {"PK": "TENANT#tenantA1"},
        {"PK": "TENANT#tenantA1", "SK": "ITEM#01ARZ3NDEKTSV4RRFFQ69G5FAV", "GSI1PK": "x"},
    ],
)
def test_signed_cursor_with_unexpected_key_shape_is_400(
    api: Api, key: dict[str, str], dynamo_calls: list[str]
) -> None:
    from items_api.config import get_settings

    token = _signed(key, scope="TENANT#tenantA1", secret=get_settings().cursor_signing_key)
    response = api.get("/items", query={"cursor": token})
    assert response.status == 400
    assert response.error_code == "INVALID_CURSOR"
    assert "Query" not in dynamo_calls


def test_cursor_signed_with_configured_secret(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from items_api import container

    for _ in range(2):
        api.create({"name": "a"})
    default_cursor = api.get("/items", query={"limit": "1"}).body["next_cursor"]

    monkeypatch.setenv("CURSOR_SIGNING_KEY", "a-real-secret")
    container.reset(client=False)

    assert api.get("/items", query={"cursor": default_cursor}).error_code == "INVALID_CURSOR"
    fresh = api.get("/items", query={"limit": "1"}).body["next_cursor"]
    assert api.get("/items", query={"cursor": fresh}).status == 200
