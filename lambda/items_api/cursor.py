"""Opaque, signed pagination cursors.

A cursor is ``base64url(json(key)) "." base64url(hmac_sha256(secret, scope "\\n" payload)[:16])``
where ``key`` is DynamoDB's ``LastEvaluatedKey`` flattened to ``{attribute: string}`` and
``scope`` is the caller's tenant partition. A cursor minted for one tenant therefore fails the
signature check for any other tenant; on top of that the storage layer checks that the decoded
key lies inside the caller's partition before following it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping

from items_api.errors import InvalidCursorError

MAX_CURSOR_LENGTH = 512
_MAC_BYTES = 16


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _mac(secret: bytes, scope: str, payload: bytes) -> bytes:
    return hmac.new(secret, scope.encode() + b"\n" + payload, hashlib.sha256).digest()[:_MAC_BYTES]


def encode(key: Mapping[str, str], *, scope: str, secret: bytes) -> str:
    """Sign and encode a flattened ``LastEvaluatedKey``."""
    payload = json.dumps(dict(key), separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64encode(payload)}.{_b64encode(_mac(secret, scope, payload))}"


def decode(token: str, *, scope: str, secret: bytes) -> dict[str, str]:
    """Verify and decode a cursor; raise :class:`InvalidCursorError` on any defect."""
    if not token or len(token) > MAX_CURSOR_LENGTH or token.count(".") != 1:
        raise InvalidCursorError("cursor is malformed")
    payload_part, mac_part = token.split(".")
    try:
        payload = _b64decode(payload_part)
        mac = _b64decode(mac_part)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise InvalidCursorError("cursor is malformed") from exc
    if not hmac.compare_digest(mac, _mac(secret, scope, payload)):
        raise InvalidCursorError("cursor signature does not match")
    try:
        key = json.loads(payload)
    except ValueError as exc:  # pragma: no cover - only reachable with a valid signature
        raise InvalidCursorError("cursor is malformed") from exc
    if not isinstance(key, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in key.items()
    ):
        raise InvalidCursorError("cursor is malformed")
    return key
