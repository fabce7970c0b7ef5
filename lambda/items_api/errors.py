"""The closed set of domain errors. Only the routing layer maps them to HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: every domain error has a stable machine-readable ``code``."""

    code = "DOMAIN_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ItemNotFoundError(DomainError):
    """The item does not exist in the caller's tenant partition."""

    code = "NOT_FOUND"


class VersionMismatchError(DomainError):
    """An ``If-Match`` precondition did not hold (the caller's version is stale)."""

    code = "PRECONDITION_FAILED"

    def __init__(self, message: str, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class ItemConflictError(DomainError):
    """A create collided with an existing item (a server-side id clash; never client data)."""

    code = "CONFLICT"


class InvalidCursorError(DomainError):
    """A pagination cursor is undecodable, tampered with or belongs to another tenant."""

    code = "INVALID_CURSOR"


class IdempotencyKeyInProgressError(DomainError):
    """A request with the same Idempotency-Key is still being processed."""

    code = "IDEMPOTENCY_KEY_IN_PROGRESS"


class IdempotencyKeyReusedError(DomainError):
    """The Idempotency-Key was already used with a different request body."""

    code = "IDEMPOTENCY_KEY_REUSED"
