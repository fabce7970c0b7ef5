"""POST with Idempotency-Key: Powertools idempotency on the same table, tenant-scoped."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from items_api import storage
from items_api.config import get_settings

from .conftest import TABLE_NAME, Api
from .events import FakeLambdaContext


def _rows(aws: Any, pk: str) -> list[dict[str, Any]]:
    return list(
        aws.query(
            TableName=TABLE_NAME,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
        )["Items"]
    )


def test_same_key_and_body_replays_first_response_and_creates_one_item(api: Api, aws: Any) -> None:
    body = {"name": "order", "attributes": {"qty": 2}}
    first = api.create(body, headers={"Idempotency-Key": "key-1"})
    second = api.create(body, headers={"Idempotency-Key": "key-1"})

    assert first.status == second.status == 201
    assert second.body == first.body
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["location"] == first.headers["location"]
    assert second.raw["body"] == first.raw["body"]
    assert len(_rows(aws, "TENANT#tenantA1")) == 1


def test_equivalent_json_with_other_formatting_is_the_same_body(api: Api, aws: Any) -> None:
    first = api.request(
        "POST",
        "/items",
        raw_body='{"name":"a","attributes":{"x":1,"y":2}}',
        headers={"Idempotency-Key": "fmt"},
    )
    second = api.request(
        "POST",
        "/items",
        raw_body='{ "attributes": {"y": 2, "x": 1}, "name": "a" }',
        headers={"Idempotency-Key": "fmt"},
    )
    assert second.body["id"] == first.body["id"]
    assert len(_rows(aws, "TENANT#tenantA1")) == 1


def test_same_key_with_another_body_is_422(api: Api, aws: Any) -> None:
    api.create({"name": "first"}, headers={"Idempotency-Key": "key-2"})
    response = api.create({"name": "second"}, headers={"Idempotency-Key": "key-2"})

    assert response.status == 422
    assert response.error_code == "IDEMPOTENCY_KEY_REUSED"
    assert response.body["error"]["request_id"]
    assert [row["name"]["S"] for row in _rows(aws, "TENANT#tenantA1")] == ["first"]


def test_different_keys_create_different_items(api: Api, aws: Any) -> None:
    one = api.create({"name": "x"}, headers={"Idempotency-Key": "k-a"})
    two = api.create({"name": "x"}, headers={"Idempotency-Key": "k-b"})
    assert one.body["id"] != two.body["id"]
    assert len(_rows(aws, "TENANT#tenantA1")) == 2


def test_without_key_every_post_creates(api: Api, aws: Any) -> None:
    api.create({"name": "x"})
    api.create({"name": "x"})
    assert len(_rows(aws, "TENANT#tenantA1")) == 2


def test_keys_are_tenant_scoped(api: Api, aws: Any) -> None:
    a = api.create({"name": "same"}, headers={"Idempotency-Key": "shared"}, api_key_id="tenantA1")
    b = api.create({"name": "same"}, headers={"Idempotency-Key": "shared"}, api_key_id="tenantB2")
    b_other_body = api.create(
        {"name": "other"}, headers={"Idempotency-Key": "shared-2"}, api_key_id="tenantB2"
    )
    a_reuse = api.create(
        {"name": "different"}, headers={"Idempotency-Key": "shared-2"}, api_key_id="tenantA1"
    )

    assert a.status == b.status == 201
    assert a.body["id"] != b.body["id"]  # B did not get A's replay
    assert api.get(f"/items/{b.body['id']}", api_key_id="tenantB2").status == 200
    assert b_other_body.status == a_reuse.status == 201  # no cross-tenant "reuse" either
    assert len(_rows(aws, "TENANT#tenantA1")) == 2
    assert len(_rows(aws, "TENANT#tenantB2")) == 2
    assert len(_rows(aws, "IDEMPOTENCY#tenantA1")) == 2
    assert len(_rows(aws, "IDEMPOTENCY#tenantB2")) == 2


def test_record_lives_in_its_own_partition_with_ttl(api: Api, aws: Any) -> None:
    before = int(time.time())
    created = api.create({"name": "x"}, headers={"Idempotency-Key": "ttl"})

    [record] = _rows(aws, "IDEMPOTENCY#tenantA1")
    assert record["SK"]["S"].startswith("KEY#items.create#")
    assert "ttl" not in record["SK"]["S"]  # the raw key is hashed, never stored
    expires_at = int(record["expires_at"]["N"])
    ttl = get_settings().idempotency_ttl_seconds
    assert before + ttl - 5 <= expires_at <= int(time.time()) + ttl + 5
    assert record["idempotency_status"]["S"] == "COMPLETED"
    assert created.body["id"] in record["idempotency_response"]["S"]
    assert record["idempotency_body_hash"]["S"]


def test_in_progress_key_is_409_then_replays(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A retry that arrives while the first request is still running is told to retry later."""
    started = threading.Event()
    release = threading.Event()
    real_put_new = storage.ItemRepository.put_new

    def slow_put_new(self: storage.ItemRepository, tenant: str, item: Any) -> None:
        started.set()
        assert release.wait(10)
        real_put_new(self, tenant, item)

    monkeypatch.setattr(storage.ItemRepository, "put_new", slow_put_new)
    from items_api import container

    service = container.get_service()
    from items_api.models import ItemWrite

    results: list[Any] = []

    def first_request() -> None:
        results.append(
            service.create(
                "tenantA1",
                ItemWrite(name="slow"),
                idempotency_key="busy",
                lambda_context=FakeLambdaContext(),
            )
        )

    worker = threading.Thread(target=first_request)
    worker.start()
    try:
        assert started.wait(10)
        response = api.create({"name": "slow"}, headers={"Idempotency-Key": "busy"})
    finally:
        release.set()
        worker.join(10)

    assert response.status == 409
    assert response.error_code == "IDEMPOTENCY_KEY_IN_PROGRESS"
    assert response.headers["retry-after"] == "1"
    replay = api.create({"name": "slow"}, headers={"Idempotency-Key": "busy"})
    assert replay.status == 201
    assert replay.body["id"] == results[0]["id"]


def test_failed_create_releases_the_key(
    api: Api, monkeypatch: pytest.MonkeyPatch, aws: Any
) -> None:
    calls = {"n": 0}
    real_put_new = storage.ItemRepository.put_new

    def flaky(self: storage.ItemRepository, tenant: str, item: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("transient")
        real_put_new(self, tenant, item)

    monkeypatch.setattr(storage.ItemRepository, "put_new", flaky)
    failed = api.create({"name": "x"}, headers={"Idempotency-Key": "retry-me"})
    retried = api.create({"name": "x"}, headers={"Idempotency-Key": "retry-me"})

    assert failed.status == 500
    assert retried.status == 201
    assert len(_rows(aws, "TENANT#tenantA1")) == 1


def test_invalid_body_never_reaches_the_idempotency_store(
    api: Api, aws: Any, dynamo_calls: list[str]
) -> None:
    response = api.create({"name": ""}, headers={"Idempotency-Key": "bad-body"})
    assert response.status == 422
    assert dynamo_calls == []
    assert _rows(aws, "IDEMPOTENCY#tenantA1") == []


def test_idempotency_uses_only_allowed_actions(api: Api, dynamo_calls: list[str]) -> None:
    api.create({"name": "x"}, headers={"Idempotency-Key": "acts"})
    api.create({"name": "x"}, headers={"Idempotency-Key": "acts"})
    api.create({"name": "y"}, headers={"Idempotency-Key": "acts"})
    assert set(dynamo_calls) <= {"PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query"}
    assert dynamo_calls[:3] == ["PutItem", "PutItem", "UpdateItem"]
