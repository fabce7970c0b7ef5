"""Domain rules: what create / read / replace / patch / delete / list mean.

Knows nothing about HTTP. Talks to storage through :class:`~items_api.storage.ItemRepository`
and raises only the domain errors in :mod:`items_api.errors`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from items_api.errors import ItemNotFoundError, VersionMismatchError
from items_api.ulid import is_ulid, new_ulid

if TYPE_CHECKING:
    from collections.abc import Callable

    from items_api.idempotency import IdempotentCreator
    from items_api.models import ItemData, ItemPatch, ItemWrite
    from items_api.storage import ItemRepository

MIN_LIMIT = 1
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def utc_now() -> str:
    """RFC 3339 UTC timestamp with millisecond precision, e.g. 2026-01-02T03:04:05.678Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Precondition:
    """A parsed ``If-Match``: ``None`` versions means "any existing version" (``*``)."""

    __slots__ = ("versions",)

    def __init__(self, versions: tuple[int, ...] | None) -> None:
        self.versions = versions


class ItemService:
    def __init__(
        self,
        repository: ItemRepository,
        idempotency: Callable[[], IdempotentCreator] | None = None,
    ) -> None:
        self._repository = repository
        self._idempotency = idempotency

    # -- create ------------------------------------------------------------------------------

    def create(
        self,
        tenant: str,
        data: ItemWrite,
        *,
        idempotency_key: str | None = None,
        lambda_context: Any = None,
    ) -> ItemData:
        if idempotency_key is None or self._idempotency is None:
            return self._create(tenant, data)
        creator = self._idempotency()
        body = data.model_dump(mode="json")
        result = creator.run(
            lambda: dict(self._create(tenant, data)),
            tenant=tenant,
            key=idempotency_key,
            body=body,
            lambda_context=lambda_context,
        )
        return cast("ItemData", result)  # a replayed response is the stored ItemData JSON

    def _create(self, tenant: str, data: ItemWrite) -> ItemData:
        now = utc_now()
        item: ItemData = {
            "id": new_ulid(),
            "name": data.name,
            "description": data.description,
            "attributes": data.attributes,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        self._repository.put_new(tenant, item)
        return item

    # -- read --------------------------------------------------------------------------------

    def get(self, tenant: str, item_id: str) -> ItemData:
        item = self._repository.get(tenant, item_id) if is_ulid(item_id) else None
        if item is None:
            raise ItemNotFoundError(f"item {item_id} not found")
        return item

    def list(
        self, tenant: str, *, limit: int, cursor: str | None
    ) -> tuple[list[ItemData], str | None]:
        return self._repository.list(tenant, limit=limit, cursor_token=cursor)

    # -- write -------------------------------------------------------------------------------

    def replace(
        self, tenant: str, item_id: str, data: ItemWrite, precondition: Precondition | None
    ) -> ItemData:
        set_fields: dict[str, Any] = {"name": data.name, "attributes": data.attributes}
        remove: tuple[str, ...] = ()
        if data.description is None:
            remove = ("description",)
        else:
            set_fields["description"] = data.description
        return self._update(tenant, item_id, set_fields, remove, precondition)

    def patch(
        self, tenant: str, item_id: str, data: ItemPatch, precondition: Precondition | None
    ) -> ItemData:
        set_fields: dict[str, Any] = {}
        remove: tuple[str, ...] = ()
        for field in sorted(data.model_fields_set):
            value = getattr(data, field)
            if value is None:  # only description may be null (the model rejects the others)
                remove += (field,)
            else:
                set_fields[field] = value
        return self._update(tenant, item_id, set_fields, remove, precondition)

    def delete(self, tenant: str, item_id: str, precondition: Precondition | None) -> ItemData:
        versions = self._expected_versions(tenant, item_id, precondition)
        return self._repository.delete(tenant, item_id, expected_versions=versions)

    def _update(
        self,
        tenant: str,
        item_id: str,
        set_fields: dict[str, Any],
        remove: tuple[str, ...],
        precondition: Precondition | None,
    ) -> ItemData:
        versions = self._expected_versions(tenant, item_id, precondition)
        return self._repository.update(
            tenant,
            item_id,
            set_fields=set_fields,
            remove_fields=remove,
            expected_versions=versions,
            updated_at=utc_now(),
        )

    def _expected_versions(
        self, tenant: str, item_id: str, precondition: Precondition | None
    ) -> tuple[int, ...] | None:
        """Versions the write is conditioned on (``None``: item must merely exist)."""
        if not is_ulid(item_id):
            raise ItemNotFoundError(f"item {item_id} not found")
        if precondition is None or precondition.versions is None:
            return None
        if not precondition.versions:
            # Only weak or unknown tags: they can never match, but 404 beats 412 for a missing item.
            current = self.get(tenant, item_id)
            raise VersionMismatchError(
                f"item {item_id} is at version {current['version']}; If-Match does not match",
                current_version=current["version"],
            )
        return precondition.versions
