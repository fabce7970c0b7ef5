"""Idempotent creates: Powertools idempotency over the single table, tenant-scoped.

Imported lazily, only by requests that carry an ``Idempotency-Key`` header (Powertools'
idempotency utility pulls in jmespath and boto3, which a plain request does not need).

Records live in their own partition per tenant (``PK = IDEMPOTENCY#<apiKeyId>``,
``SK = KEY#items.create#<md5 of [tenant, key]>``), expire through the table's TTL attribute
``expires_at`` and carry a hash of the validated request body, so:

* the same key and body replays the first response (one item is created);
* the same key with another body raises ``IdempotencyValidationError`` (mapped to 422);
* a key whose first request is still running raises ``IdempotencyAlreadyInProgressError`` (409);
* tenant B using tenant A's key value gets its own record (different PK and hash).

The persistence layer only calls PutItem (conditional, ``ReturnValuesOnConditionCheckFailure``),
GetItem (consistent), UpdateItem and DeleteItem - all within ``REQUIRED_DYNAMODB_ACTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from items_api.errors import IdempotencyKeyInProgressError, IdempotencyKeyReusedError
from items_api.storage import IDEMPOTENCY_PREFIX, TTL_ATTRIBUTE

KEY_PREFIX = "items.create"
_SEP = "#"


class TenantScopedPersistenceLayer(DynamoDBPersistenceLayer):
    """Puts each tenant's idempotency records in that tenant's own partition.

    Powertools hashes ``[tenant, key]`` (``event_key_jmespath``) into ``<prefix>#<md5>``; this
    subclass prepends the tenant to that key and splits it back out into the partition key.
    Tenant ids are validated upstream to contain no ``#``.
    """

    def _get_hashed_idempotency_key(self, data: dict[str, Any]) -> str | None:
        hashed = super()._get_hashed_idempotency_key(data)
        if hashed is None:  # pragma: no cover - the key is always present (checked upstream)
            return None
        return f"{data['tenant']}{_SEP}{hashed}"

    def _get_key(self, idempotency_key: str) -> dict[str, Any]:
        tenant, _, rest = idempotency_key.partition(_SEP)
        return {
            "PK": {"S": f"{IDEMPOTENCY_PREFIX}{tenant}"},
            "SK": {"S": f"KEY#{rest}"},
        }


class IdempotentCreator:
    """Wraps a create callable so that it runs at most once per (tenant, Idempotency-Key)."""

    def __init__(self, client: Any, table_name: str, ttl_seconds: int) -> None:
        self.config = IdempotencyConfig(
            event_key_jmespath="[tenant, key]",
            payload_validation_jmespath="body",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=ttl_seconds,
        )
        self.persistence = TenantScopedPersistenceLayer(
            table_name=table_name,
            key_attr="PK",
            sort_key_attr="SK",
            static_pk_value="unused",  # replaced per tenant by _get_key
            expiry_attr=TTL_ATTRIBUTE,
            status_attr="idempotency_status",
            data_attr="idempotency_response",
            validation_key_attr="idempotency_body_hash",
            boto3_client=client,
        )

    def run(
        self,
        create: Callable[[], dict[str, Any]],
        *,
        tenant: str,
        key: str,
        body: dict[str, Any],
        lambda_context: Any,
    ) -> dict[str, Any]:
        """Run ``create`` once for ``(tenant, key)``; replay its result for identical retries."""

        def _create(request: dict[str, Any]) -> dict[str, Any]:
            del request  # hashed by Powertools; the closure has what `create` needs
            return create()

        # Per invocation: in-progress records expire with the invocation's remaining time, so
        # a retry after a Lambda timeout is not locked out until the full TTL.
        self.config.register_lambda_context(lambda_context)
        wrapped = idempotent_function(
            _create,
            data_keyword_argument="request",
            persistence_store=self.persistence,
            config=self.config,
            key_prefix=KEY_PREFIX,
        )
        try:
            result: dict[str, Any] = wrapped(request={"tenant": tenant, "key": key, "body": body})
        except IdempotencyValidationError as exc:
            raise IdempotencyKeyReusedError(
                "Idempotency-Key was already used with a different request body"
            ) from exc
        except IdempotencyAlreadyInProgressError as exc:
            raise IdempotencyKeyInProgressError(
                "a request with this Idempotency-Key is still in progress; retry later"
            ) from exc
        return result
