"""Wiring: the per-container service instance and its dependencies (created on first use)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from items_api import storage
from items_api.config import get_settings
from items_api.service import ItemService

if TYPE_CHECKING:
    from items_api.idempotency import IdempotentCreator

_lock = threading.Lock()
_service: ItemService | None = None
_creator: IdempotentCreator | None = None


def _idempotent_creator() -> IdempotentCreator:
    global _creator  # noqa: PLW0603 - per-container singleton
    if _creator is None:
        with _lock:
            if _creator is None:
                # Deferred: Powertools idempotency (jmespath, boto3) loads on the first
                # request that carries an Idempotency-Key, not at cold start.
                from items_api.idempotency import IdempotentCreator

                settings = get_settings()
                _creator = IdempotentCreator(
                    storage.get_client(), settings.table_name, settings.idempotency_ttl_seconds
                )
    return _creator


def get_service() -> ItemService:
    global _service  # noqa: PLW0603 - per-container singleton
    if _service is None:
        with _lock:
            if _service is None:
                settings = get_settings()
                repository = storage.ItemRepository(
                    storage.get_client(), settings.table_name, settings.cursor_signing_key
                )
                _service = ItemService(repository, idempotency=_idempotent_creator)
    return _service


def reset(*, client: bool = True) -> None:
    """Drop cached dependencies (tests): settings, service and, unless told not to, the client."""
    global _service, _creator  # noqa: PLW0603
    with _lock:
        _service = None
        _creator = None
    if client:
        storage.reset_client()
    get_settings.cache_clear()
