"""Pydantic models: request bodies (validated by the resolver) and documented response shapes.

Responses are built as plain dicts (:class:`ItemData`) on the hot path; the response models
below exist so the OpenAPI document describes them exactly.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypedDict

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
ATTRIBUTES_MAX_BYTES = 16 * 1024
"""Cap on ``attributes`` serialized as compact UTF-8 JSON (exceeding it is a 422)."""

Name = Annotated[
    str,
    Field(min_length=1, max_length=NAME_MAX_LENGTH, description="Display name, 1..200 chars."),
]
Description = Annotated[
    str,
    Field(max_length=DESCRIPTION_MAX_LENGTH, description="Free text, up to 2000 chars."),
]
Attributes = Annotated[
    dict[str, Any],
    Field(description="Arbitrary JSON object, at most 16 KiB serialized."),
]


def attributes_size(attributes: dict[str, Any]) -> int:
    """Size in bytes of ``attributes`` as stored (compact JSON, UTF-8)."""
    return len(json.dumps(attributes, separators=(",", ":"), ensure_ascii=False).encode())


def _check_attributes(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is not None and attributes_size(value) > ATTRIBUTES_MAX_BYTES:
        raise ValueError(f"attributes must be at most {ATTRIBUTES_MAX_BYTES} bytes serialized")
    return value


class ItemWrite(BaseModel):
    """Body of ``POST /items`` and ``PUT /items/{id}`` (a full representation)."""

    model_config = ConfigDict(extra="forbid", title="ItemWrite")

    name: Name
    description: Description | None = None
    attributes: Attributes = Field(default_factory=dict)

    @field_validator("attributes")
    @classmethod
    def _attributes_cap(cls, value: dict[str, Any]) -> dict[str, Any]:
        _check_attributes(value)
        return value


class ItemPatch(BaseModel):
    """Body of ``PATCH /items/{id}``: top-level merge; absent fields are left unchanged.

    ``description: null`` removes the description; ``attributes`` replaces the whole object.
    """

    model_config = ConfigDict(extra="forbid", title="ItemPatch")

    name: Name | None = None
    description: Description | None = None
    attributes: Attributes | None = None

    @field_validator("attributes")
    @classmethod
    def _attributes_cap(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return _check_attributes(value)

    @model_validator(mode="after")
    def _not_empty_and_no_null_name(self) -> ItemPatch:
        if not self.model_fields_set:
            raise ValueError("at least one of name, description, attributes is required")
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be null")
        if "attributes" in self.model_fields_set and self.attributes is None:
            raise ValueError("attributes cannot be null (send {} to clear)")
        return self


class ItemData(TypedDict):
    """An item as returned by the API (the shape of :class:`Item`)."""

    id: str
    name: str
    description: str | None
    attributes: dict[str, Any]
    version: int
    created_at: str
    updated_at: str


class Item(BaseModel):
    """An item as returned by the API."""

    id: str = Field(description="Server-generated ULID (sortable by creation time).")
    name: str
    description: str | None
    attributes: dict[str, Any]
    version: int = Field(ge=1, description="Starts at 1; +1 on every write; the ETag value.")
    created_at: str = Field(json_schema_extra={"format": "date-time"})
    updated_at: str = Field(json_schema_extra={"format": "date-time"})


class ItemPage(BaseModel):
    """One page of ``GET /items`` (newest first)."""

    items: list[Item]
    next_cursor: str | None = Field(
        description="Opaque; pass as ?cursor= to get the next page. null on the last page."
    )


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. VALIDATION_FAILED.")
    message: str
    details: list[dict[str, Any]] | None = Field(
        description="Field-level problems for VALIDATION_FAILED, otherwise null."
    )
    request_id: str | None = Field(description="API Gateway request id (quote it to support).")


class ErrorEnvelope(BaseModel):
    """The body of every non-2xx response."""

    error: ErrorBody
