"""DynamoDB access: keys, condition expressions, marshalling and pagination.

The only module (with :mod:`items_api.idempotency`) that talks to DynamoDB. It uses a low-level
``botocore`` client, created once per container; ``boto3`` itself is never imported on the
request path (it costs ~75 ms of cold start and buys nothing here). ``AWS_ENDPOINT_URL`` is
honoured by botocore natively.

Single-table layout (table keys ``PK``/``SK``; TTL attribute ``expires_at``)::

    item               PK = TENANT#<apiKeyId>       SK = ITEM#<ulid>
    idempotency record PK = IDEMPOTENCY#<apiKeyId>  SK = KEY#items.create#<md5>  (+ expires_at)

``GSI1`` (``GSI1PK``/``GSI1SK``) is part of the table contract but is not written by this
version of the handler, so the sparse index stays empty.
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import ClientError

from items_api import cursor
from items_api.errors import (
    InvalidCursorError,
    ItemConflictError,
    ItemNotFoundError,
    VersionMismatchError,
)
from items_api.ulid import ULID_PATTERN

if TYPE_CHECKING:
    from items_api.models import ItemData

REQUIRED_DYNAMODB_ACTIONS: tuple[str, ...] = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
)
"""Every DynamoDB action the function (including Powertools idempotency) may call."""

TENANT_PREFIX = "TENANT#"
ITEM_PREFIX = "ITEM#"
IDEMPOTENCY_PREFIX = "IDEMPOTENCY#"
TTL_ATTRIBUTE = "expires_at"
ENTITY_ITEM = "ITEM"

_ITEM_SK = re.compile(r"^ITEM#" + ULID_PATTERN.pattern[1:])
_CONDITION_FAILED = "ConditionalCheckFailedException"

_CLIENT_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"mode": "standard", "max_attempts": 3},
    tcp_keepalive=True,
)
_client: Any = None
_client_lock = threading.Lock()


def get_client() -> Any:
    """The container-wide DynamoDB client (created on first use, then reused)."""
    global _client  # noqa: PLW0603 - one client per container is the point
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = new_client()
    return _client


def new_client(region_name: str | None = None) -> Any:
    """A fresh DynamoDB client with the handler's timeouts and retry policy.

    The region is ``region_name``, else ``AWS_REGION`` (what Lambda and most emulators set),
    else botocore's own resolution (``AWS_DEFAULT_REGION``, config files).
    """
    import botocore.session  # deferred: botocore's session/client machinery is heavy

    session = botocore.session.get_session()
    region = region_name or os.environ.get("AWS_REGION") or None
    return session.create_client("dynamodb", region_name=region, config=_CLIENT_CONFIG)


def set_client(client: Any) -> None:
    """Use ``client`` for all storage calls (tests and benchmarks inject stubs/shared clients)."""
    global _client  # noqa: PLW0603
    _client = client


def reset_client() -> None:
    """Forget the cached client (tests, or after changing the endpoint/credentials)."""
    set_client(None)


def tenant_pk(tenant: str) -> str:
    return f"{TENANT_PREFIX}{tenant}"


def item_sk(item_id: str) -> str:
    return f"{ITEM_PREFIX}{item_id}"


def _to_dynamo(item: ItemData, tenant: str) -> dict[str, dict[str, str]]:
    record = {
        "PK": {"S": tenant_pk(tenant)},
        "SK": {"S": item_sk(item["id"])},
        "entity": {"S": ENTITY_ITEM},
        "id": {"S": item["id"]},
        "name": {"S": item["name"]},
        "attributes": {"S": json.dumps(item["attributes"], separators=(",", ":"))},
        "version": {"N": str(item["version"])},
        "created_at": {"S": item["created_at"]},
        "updated_at": {"S": item["updated_at"]},
    }
    if item["description"] is not None:
        record["description"] = {"S": item["description"]}
    return record


def _from_dynamo(record: dict[str, Any]) -> ItemData:
    description = record.get("description")
    return {
        "id": record["id"]["S"],
        "name": record["name"]["S"],
        "description": None if description is None else description["S"],
        "attributes": json.loads(record["attributes"]["S"]),
        "version": int(record["version"]["N"]),
        "created_at": record["created_at"]["S"],
        "updated_at": record["updated_at"]["S"],
    }


def _condition_failed(exc: ClientError) -> bool:
    return bool(exc.response.get("Error", {}).get("Code") == _CONDITION_FAILED)


def _version_condition(
    expected_versions: tuple[int, ...] | None,
    values: dict[str, dict[str, str]],
) -> str:
    condition = "attribute_exists(PK)"
    if expected_versions is not None:
        placeholders = []
        for index, version in enumerate(expected_versions):
            values[f":v{index}"] = {"N": str(version)}
            placeholders.append(f":v{index}")
        condition += f" AND #version IN ({', '.join(placeholders)})"
    return condition


def _raise_for_failed_condition(exc: ClientError, item_id: str) -> None:
    old = exc.response.get("Item")
    if not old:
        raise ItemNotFoundError(f"item {item_id} not found") from exc
    current = int(old["version"]["N"])
    raise VersionMismatchError(
        f"item {item_id} is at version {current}; If-Match does not match",
        current_version=current,
    ) from exc


class ItemRepository:
    """Items of one table. Every method is exactly one DynamoDB call."""

    def __init__(self, client: Any, table_name: str, cursor_secret: bytes) -> None:
        self._client = client
        self._table = table_name
        self._cursor_secret = cursor_secret

    def put_new(self, tenant: str, item: ItemData) -> None:
        """PutItem guarded by ``attribute_not_exists(PK)`` (never overwrites)."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_to_dynamo(item, tenant),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as exc:
            if _condition_failed(exc):
                raise ItemConflictError(f"item {item['id']} already exists") from exc
            raise

    def get(self, tenant: str, item_id: str) -> ItemData | None:
        """Strongly consistent GetItem (an ETag read here is current)."""
        response = self._client.get_item(
            TableName=self._table,
            Key={"PK": {"S": tenant_pk(tenant)}, "SK": {"S": item_sk(item_id)}},
            ConsistentRead=True,
        )
        record = response.get("Item")
        return None if record is None else _from_dynamo(record)

    def update(
        self,
        tenant: str,
        item_id: str,
        *,
        set_fields: dict[str, Any],
        remove_fields: tuple[str, ...],
        expected_versions: tuple[int, ...] | None,
        updated_at: str,
    ) -> ItemData:
        """Atomic UpdateItem: sets/removes fields and increments ``version``.

        The condition is ``attribute_exists(PK)`` (no upsert) plus, when ``expected_versions``
        is given, ``version IN (...)``: of concurrent writers holding the same version exactly
        one succeeds. Failures are told apart without an extra read thanks to
        ``ReturnValuesOnConditionCheckFailure=ALL_OLD``.
        """
        names = {"#version": "version", "#updated_at": "updated_at"}
        values: dict[str, dict[str, str]] = {":one": {"N": "1"}, ":updated_at": {"S": updated_at}}
        assignments = ["#version = #version + :one", "#updated_at = :updated_at"]
        for field, value in set_fields.items():
            names[f"#{field}"] = field
            if field == "attributes":
                values[f":{field}"] = {"S": json.dumps(value, separators=(",", ":"))}
            else:
                values[f":{field}"] = {"S": str(value)}
            assignments.append(f"#{field} = :{field}")
        expression = "SET " + ", ".join(assignments)
        if remove_fields:
            for field in remove_fields:
                names[f"#{field}"] = field
            expression += " REMOVE " + ", ".join(f"#{field}" for field in remove_fields)
        condition = _version_condition(expected_versions, values)
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key={"PK": {"S": tenant_pk(tenant)}, "SK": {"S": item_sk(item_id)}},
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if _condition_failed(exc):
                _raise_for_failed_condition(exc, item_id)
            raise
        return _from_dynamo(response["Attributes"])

    def delete(
        self, tenant: str, item_id: str, *, expected_versions: tuple[int, ...] | None
    ) -> ItemData:
        """DeleteItem guarded like :meth:`update`; returns the deleted item."""
        values: dict[str, dict[str, str]] = {}
        condition = _version_condition(expected_versions, values)
        kwargs: dict[str, Any] = {}
        if values:
            kwargs["ExpressionAttributeNames"] = {"#version": "version"}
            kwargs["ExpressionAttributeValues"] = values
        try:
            response = self._client.delete_item(
                TableName=self._table,
                Key={"PK": {"S": tenant_pk(tenant)}, "SK": {"S": item_sk(item_id)}},
                ConditionExpression=condition,
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **kwargs,
            )
        except ClientError as exc:
            if _condition_failed(exc):
                _raise_for_failed_condition(exc, item_id)
            raise
        return _from_dynamo(response["Attributes"])

    def list(
        self, tenant: str, *, limit: int, cursor_token: str | None
    ) -> tuple[list[ItemData], str | None]:
        """One Query on the tenant partition, newest first; returns (items, next cursor).

        Asks for ``limit + 1`` rows so the last page carries no cursor. The cursor is decoded
        and checked (signature, partition, sort-key shape) before anything is sent to DynamoDB.
        """
        pk = tenant_pk(tenant)
        kwargs: dict[str, Any] = {}
        if cursor_token is not None:
            kwargs["ExclusiveStartKey"] = self._decode_cursor(cursor_token, pk)
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": pk}, ":prefix": {"S": ITEM_PREFIX}},
            ScanIndexForward=False,
            Limit=limit + 1,
            **kwargs,
        )
        records = response.get("Items", [])
        items = [_from_dynamo(record) for record in records[:limit]]
        next_key: dict[str, str] | None = None
        if len(records) > limit:
            next_key = {"PK": pk, "SK": item_sk(items[-1]["id"])}
        elif "LastEvaluatedKey" in response and items:
            last = response["LastEvaluatedKey"]
            next_key = {"PK": last["PK"]["S"], "SK": last["SK"]["S"]}
        token = None
        if next_key is not None:
            token = cursor.encode(next_key, scope=pk, secret=self._cursor_secret)
        return items, token

    def _decode_cursor(self, token: str, pk: str) -> dict[str, dict[str, str]]:
        key = cursor.decode(token, scope=pk, secret=self._cursor_secret)
        if set(key) != {"PK", "SK"} or key["PK"] != pk:
            raise InvalidCursorError("cursor does not belong to this tenant")
        if not _ITEM_SK.match(key["SK"]):
            raise InvalidCursorError("cursor is malformed")
        return {"PK": {"S": key["PK"]}, "SK": {"S": key["SK"]}}
