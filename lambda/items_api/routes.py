"""HTTP layer: the Powertools resolver, routes, headers (ETag / If-Match) and the error envelope.

Every non-2xx response has the body
``{"error": {"code": ..., "message": ..., "details": [...] | null, "request_id": ...}}``.
Checks that must happen before Powertools parses the body (tenant, size, content type) run in
:func:`preflight`; everything else is mapped by the resolver's exception handlers.
"""

from __future__ import annotations

import json
import re
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Header, Query

from items_api import container, errors
from items_api.models import ErrorEnvelope, Item, ItemPage, ItemPatch, ItemWrite
from items_api.observability import count, logger
from items_api.service import DEFAULT_LIMIT, MAX_LIMIT, MIN_LIMIT, Precondition

if TYPE_CHECKING:
    from collections.abc import Mapping

    from items_api.models import ItemData

MAX_BODY_BYTES = 64 * 1024
"""Request bodies above this many bytes are refused with 413 before being parsed."""
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENCY_KEY_PATTERN = rf"^[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}$"
"""1..255 visible ASCII characters (e.g. a UUID)."""
JSON_CONTENT_TYPE = "application/json"
TENANT_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
"""API key ids are short alphanumerics; anything else (e.g. containing '#') is refused."""

# Method sets of the two API Gateway resources; drives 405 + Allow and the 415 check.
ROUTES: dict[str, frozenset[str]] = {
    "/items": frozenset({"GET", "POST"}),
    "/items/{id}": frozenset({"DELETE", "GET", "PATCH", "PUT"}),
}
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
_ITEM_PATH = re.compile(r"^/items/[^/]+/?$")
_COLLECTION_PATH = re.compile(r"^/items/?$")

app = APIGatewayRestResolver(enable_validation=True)


# -- envelope ---------------------------------------------------------------------------------


def _request_id(event: Mapping[str, Any] | None) -> str | None:
    context = (event or {}).get("requestContext") or {}
    request_id = context.get("requestId")
    return request_id if isinstance(request_id, str) else None


def error_body(
    code: str,
    message: str,
    request_id: str | None,
    details: list[dict[str, Any]] | None = None,
) -> str:
    payload = {
        "error": {"code": code, "message": message, "details": details, "request_id": request_id}
    }
    return json.dumps(payload, separators=(",", ":"))


def _error(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    request_id = _request_id(app.current_event.raw_event)
    return Response(
        status_code=status,
        content_type=JSON_CONTENT_TYPE,
        body=error_body(code, message, request_id, details),
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def proxy_error(
    event: Mapping[str, Any],
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A complete API Gateway proxy response, for failures outside the resolver."""
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": JSON_CONTENT_TYPE,
            "Cache-Control": "no-store",
            **(headers or {}),
        },
        "body": error_body(code, message, _request_id(event)),
        "isBase64Encoded": False,
    }


def etag(version: int) -> str:
    return f'"{version}"'


def _item_response(item: ItemData, status: int = 200, **headers: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type=JSON_CONTENT_TYPE,
        body=json.dumps(item, separators=(",", ":"), sort_keys=True),
        headers={"ETag": etag(item["version"]), "Cache-Control": "no-store", **headers},
    )


# -- request helpers --------------------------------------------------------------------------


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    if not headers:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted and isinstance(value, str):
            return value
    return None


def route_template(path: str) -> str | None:
    """The API Gateway resource a request path belongs to (``None`` if none)."""
    if _COLLECTION_PATH.match(path):
        return "/items"
    if _ITEM_PATH.match(path):
        return "/items/{id}"
    return None


def tenant_of(event: Mapping[str, Any]) -> str | None:
    """``requestContext.identity.apiKeyId`` if present and well-formed, else ``None``."""
    identity = ((event.get("requestContext") or {}).get("identity")) or {}
    tenant = identity.get("apiKeyId")
    if isinstance(tenant, str) and TENANT_PATTERN.match(tenant):
        return tenant
    return None


def _body_size(event: Mapping[str, Any]) -> int:
    body = event.get("body")
    if not isinstance(body, str):
        return 0
    if event.get("isBase64Encoded"):
        return (len(body) * 3) // 4
    return len(body.encode())


def preflight(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """Refuse what must never reach the resolver; ``None`` means "go ahead".

    Order: tenant (403), body size (413), content type of writes on real routes (415).
    """
    if tenant_of(event) is None:
        return proxy_error(
            event, 403, "FORBIDDEN", "requests must be made with a valid API key (apiKeyId)"
        )
    if _body_size(event) > MAX_BODY_BYTES:
        return proxy_error(
            event,
            413,
            "PAYLOAD_TOO_LARGE",
            f"request body must be at most {MAX_BODY_BYTES} bytes",
        )
    method = str(event.get("httpMethod", "")).upper()
    template = route_template(str(event.get("path", "")))
    if method in _WRITE_METHODS and template is not None and method in ROUTES[template]:
        content_type = _header(event.get("headers"), "content-type") or ""
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != JSON_CONTENT_TYPE:
            return proxy_error(
                event,
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "request body must be sent with Content-Type: application/json",
            )
    return None


def _tenant() -> str:
    tenant = tenant_of(app.current_event.raw_event)
    if tenant is None:  # pragma: no cover - preflight already refused it
        raise ServiceError(403, "requests must be made with a valid API key (apiKeyId)")
    return tenant


class InvalidHeaderError(Exception):
    """A request header that cannot be parsed (400 INVALID_HEADER)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_if_match(value: str | None) -> Precondition | None:
    """Parse ``If-Match``: ``*``, or a list of strong ETags ``"<version>"``.

    Weak tags (``W/"3"``) never match under the strong comparison RFC 9110 requires for
    If-Match, so they are dropped (the request then gets 412). Anything unparsable is a 400.
    """
    if value is None:
        return None
    value = value.strip()
    if value == "*":
        return Precondition(None)
    versions: list[int] = []
    for raw in value.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            continue
        if len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit():
            versions.append(int(tag[1:-1]))
            continue
        raise InvalidHeaderError("If-Match must be '*' or a list of ETags such as \"3\"")
    return Precondition(tuple(versions[:100]))  # DynamoDB's IN takes at most 100 operands


_ERROR_RESPONSES: dict[int, Any] = {
    status: {
        "description": description,
        "content": {JSON_CONTENT_TYPE: {"model": ErrorEnvelope}},
    }
    for status, description in {
        400: "Malformed JSON, cursor, header or query parameter",
        403: "No tenant (API key id) on the request",
        404: "Unknown item or route",
        409: "Idempotency-Key in progress / id conflict",
        412: "If-Match does not match the current version",
        413: "Body larger than 64 KiB",
        415: "Content-Type is not application/json",
        422: "Validation failed (field-level details) / Idempotency-Key reused",
        500: "Unexpected error (no internals; quote request_id)",
    }.items()
}


def _responses(ok_status: int, description: str, model: Any, *errors_: int) -> dict[int, Any]:
    """OpenAPI responses of a route: its success plus the error statuses it can produce.

    422 is always listed so that Powertools' default 422 schema is replaced by the envelope.
    """
    ok: dict[str, Any] = {"description": description}
    if model is not None:
        ok["content"] = {JSON_CONTENT_TYPE: {"model": model}}
    codes = (400, 403, 422, 500, *errors_)
    return {ok_status: ok} | {code: _ERROR_RESPONSES[code] for code in sorted(set(codes))}


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='Optional. "*" or the ETag of the version being changed (412 if stale).',
    ),
]


# -- routes -----------------------------------------------------------------------------------


@app.post(
    "/items",
    summary="Create an item",
    operation_id="createItem",
    responses=_responses(201, "Created (ETag and Location set)", Item, 409, 413, 415),
)
def create_item(
    item: ItemWrite,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Optional. Retries with the same key and body replay the first "
            "response; the same key with another body is refused with 422.",
        ),
    ] = None,
) -> Response[Any]:
    count("CreateItem")
    created = container.get_service().create(
        _tenant(),
        item,
        idempotency_key=idempotency_key,
        lambda_context=app.lambda_context,
    )
    return _item_response(created, 201, Location=f"/items/{created['id']}")


@app.get(
    "/items",
    summary="List items, newest first",
    operation_id="listItems",
    responses=_responses(200, "One page of items", ItemPage),
)
def list_items(
    limit: Annotated[
        int, Query(ge=MIN_LIMIT, le=MAX_LIMIT, description="Page size, 1..100.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=512, description="Opaque next_cursor of the previous page."),
    ] = None,
) -> Response[Any]:
    count("ListItems")
    items, next_cursor = container.get_service().list(_tenant(), limit=limit, cursor=cursor)
    return Response(
        status_code=200,
        content_type=JSON_CONTENT_TYPE,
        body=json.dumps(
            {"items": items, "next_cursor": next_cursor}, separators=(",", ":"), sort_keys=True
        ),
        headers={"Cache-Control": "no-store"},
    )


@app.get(
    "/items/<id>",
    summary="Get an item",
    operation_id="getItem",
    responses=_responses(200, "The item (ETag set)", Item, 404),
    # The only input is the path id, a plain string the domain checks (not a ULID -> 404).
    # Skipping Powertools' request/response validation here saves ~90 us on the hottest route.
    enable_validation=False,
)
def get_item(id: str) -> Response[Any]:
    count("GetItem")
    return _item_response(container.get_service().get(_tenant(), id))


@app.put(
    "/items/<id>",
    summary="Replace an item",
    operation_id="replaceItem",
    responses=_responses(200, "The updated item (new ETag)", Item, 404, 412, 413, 415),
)
def replace_item(id: str, item: ItemWrite, if_match: IfMatch = None) -> Response[Any]:
    count("ReplaceItem")
    updated = container.get_service().replace(_tenant(), id, item, parse_if_match(if_match))
    return _item_response(updated)


@app.patch(
    "/items/<id>",
    summary="Update some fields of an item",
    operation_id="patchItem",
    responses=_responses(200, "The updated item (new ETag)", Item, 404, 412, 413, 415),
)
def patch_item(id: str, item: ItemPatch, if_match: IfMatch = None) -> Response[Any]:
    count("PatchItem")
    updated = container.get_service().patch(_tenant(), id, item, parse_if_match(if_match))
    return _item_response(updated)


@app.delete(
    "/items/<id>",
    summary="Delete an item",
    operation_id="deleteItem",
    responses=_responses(204, "Deleted", None, 404, 412),
)
def delete_item(id: str, if_match: IfMatch = None) -> Response[Any]:
    count("DeleteItem")
    container.get_service().delete(_tenant(), id, parse_if_match(if_match))
    return Response(status_code=204, body="", headers={"Cache-Control": "no-store"})


# -- error mapping ----------------------------------------------------------------------------

_DOMAIN_STATUS: dict[type[errors.DomainError], int] = {
    errors.ItemNotFoundError: 404,
    errors.VersionMismatchError: 412,
    errors.ItemConflictError: 409,
    errors.InvalidCursorError: 400,
    errors.IdempotencyKeyInProgressError: 409,
    errors.IdempotencyKeyReusedError: 422,
}


def _domain_error(exc: errors.DomainError) -> Response[str]:
    status = _DOMAIN_STATUS.get(type(exc), 400)
    headers: dict[str, str] = {}
    if isinstance(exc, errors.VersionMismatchError) and exc.current_version is not None:
        headers["ETag"] = etag(exc.current_version)
    if isinstance(exc, errors.IdempotencyKeyInProgressError):
        headers["Retry-After"] = "1"
    return _error(status, exc.code, exc.message, headers=headers)


def _bad_header(exc: InvalidHeaderError) -> Response[str]:
    return _error(400, "INVALID_HEADER", exc.message)


def _detail(error: Mapping[str, Any]) -> dict[str, Any]:
    loc = [str(part) for part in error.get("loc", ())]
    return {"field": ".".join(loc), "message": str(error.get("msg", "")), "type": error.get("type")}


def _unsupported_content_type(exc: RequestUnsupportedContentType) -> Response[str]:
    del exc
    return _error(415, "UNSUPPORTED_MEDIA_TYPE", "request body must be application/json")


def _validation_error(exc: RequestValidationError) -> Response[str]:
    raw = list(exc.errors())
    if any(error.get("type") == "json_invalid" for error in raw):
        return _error(400, "MALFORMED_JSON", "request body is not valid JSON")
    details = [_detail(error) for error in raw]
    sources = {str(error.get("loc", ("body",))[0]) for error in raw}
    if sources <= {"body"}:
        return _error(422, "VALIDATION_FAILED", "request body failed validation", details)
    if "query" in sources:
        return _error(400, "INVALID_QUERY_PARAMETER", "invalid query parameter", details)
    return _error(400, "INVALID_HEADER", "invalid request header", details)


@app.not_found
def _route_not_found(exc: NotFoundError) -> Response[str]:
    del exc
    event = app.current_event
    template = route_template(event.path)
    if template is not None:
        allowed = ", ".join(sorted(ROUTES[template]))
        return _error(
            405,
            "METHOD_NOT_ALLOWED",
            f"{event.http_method} is not allowed on {template}",
            headers={"Allow": allowed},
        )
    return _error(404, "ROUTE_NOT_FOUND", f"no route for {event.http_method} {event.path}")


_SERVICE_ERROR_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND"}


def _unexpected(exc: Exception) -> Response[str]:
    if isinstance(exc, ServiceError) and exc.status_code < 500:
        code = _SERVICE_ERROR_CODES.get(exc.status_code, "BAD_REQUEST")
        return _error(exc.status_code, code, str(exc.msg))
    logger.exception("unhandled error", extra={"error_type": type(exc).__name__})
    return _error(500, "INTERNAL_ERROR", "internal error; quote request_id to support")


# Registered as calls (not decorators): the Powertools decorator is untyped for mypy.
app.exception_handler(errors.DomainError)(_domain_error)
app.exception_handler(InvalidHeaderError)(_bad_header)
app.exception_handler(RequestUnsupportedContentType)(_unsupported_content_type)
app.exception_handler(RequestValidationError)(_validation_error)
app.exception_handler(Exception)(_unexpected)


# -- entry ------------------------------------------------------------------------------------


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Preflight, resolve, account (metrics + one log line); never raises."""
    started = time.perf_counter()
    try:
        response = preflight(event)
        if response is None:
            response = app.resolve(event, context)
    except Exception:
        logger.exception("unhandled error outside the resolver")
        response = proxy_error(
            event, 500, "INTERNAL_ERROR", "internal error; quote request_id to support"
        )
    status = int(response.get("statusCode", 500))
    if status >= HTTPStatus.BAD_REQUEST:
        # 2xx are counted by their operation metric alone (one add_metric on the hot path);
        # failures add their class, so even an unrouted request flushes a non-empty EMF blob.
        count(f"Http{status // 100}xx")
        fields = {
            "method": event.get("httpMethod"),
            "resource": event.get("resource"),
            "status": status,
            "tenant": tenant_of(event),
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            logger.error("request failed", extra=fields)
        else:
            logger.info("request refused", extra=fields)
    return response
