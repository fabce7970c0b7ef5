"""Configuration, read once per container (at cold start) from the environment.

Two groups: :class:`ObservabilitySettings` (all optional; needed to build the Powertools
Logger/Metrics/Tracer, and by tools such as the OpenAPI export) and :class:`Settings` (what a
request needs; ``TABLE_NAME`` is required and checked when ``items_api.app`` is imported).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_SERVICE_NAME = "items-api"
DEFAULT_METRICS_NAMESPACE = "ServerlessDataApi"
DEFAULT_IDEMPOTENCY_TTL_SECONDS = 3600
_TRUTHY = frozenset({"1", "true", "yes", "on", "y", "t"})


class ConfigError(RuntimeError):
    """The function is mis-deployed (a required environment variable is missing or invalid)."""


@dataclass(frozen=True, slots=True)
class ObservabilitySettings:
    service_name: str = DEFAULT_SERVICE_NAME
    metrics_namespace: str = DEFAULT_METRICS_NAMESPACE
    tracing_enabled: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    table_name: str
    idempotency_ttl_seconds: int = DEFAULT_IDEMPOTENCY_TTL_SECONDS
    cursor_signing_key: bytes = b""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUTHY


def load_observability_settings(environ: Mapping[str, str] | None = None) -> ObservabilitySettings:
    """Service name, metrics namespace and whether to trace.

    Tracing is on only inside Lambda (``AWS_LAMBDA_FUNCTION_NAME`` set) and only unless
    ``POWERTOOLS_TRACE_DISABLED`` is truthy - the same rule Powertools' Tracer applies, decided
    here so that ``aws_xray_sdk`` is never imported when it would be a no-op.
    """
    env = os.environ if environ is None else environ
    return ObservabilitySettings(
        service_name=env.get("POWERTOOLS_SERVICE_NAME", "") or DEFAULT_SERVICE_NAME,
        metrics_namespace=env.get("POWERTOOLS_METRICS_NAMESPACE", "") or DEFAULT_METRICS_NAMESPACE,
        tracing_enabled=bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
        and not _flag(env.get("POWERTOOLS_TRACE_DISABLED")),
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from ``environ`` (default: ``os.environ``).

    Raises :class:`ConfigError` with an actionable message when ``TABLE_NAME`` is missing or
    ``IDEMPOTENCY_TTL_SECONDS`` is not a positive integer.
    """
    env = os.environ if environ is None else environ
    table_name = env.get("TABLE_NAME", "").strip()
    if not table_name:
        raise ConfigError(
            "TABLE_NAME environment variable is required (name of the single DynamoDB table)"
        )
    raw_ttl = env.get("IDEMPOTENCY_TTL_SECONDS", str(DEFAULT_IDEMPOTENCY_TTL_SECONDS)).strip()
    try:
        ttl = int(raw_ttl)
    except ValueError:
        ttl = 0
    if ttl <= 0:
        raise ConfigError(f"IDEMPOTENCY_TTL_SECONDS must be a positive integer, got {raw_ttl!r}")
    # Pagination cursors are HMAC-signed. Without an explicit secret the key is derived from the
    # table name: tampering is still detected, and the tenant check in `storage` is what
    # actually prevents crossing partitions. Set CURSOR_SIGNING_KEY to make cursors unforgeable.
    signing_key = env.get("CURSOR_SIGNING_KEY", "") or f"items-api-cursor:{table_name}"
    return Settings(
        table_name=table_name,
        idempotency_ttl_seconds=ttl,
        cursor_signing_key=signing_key.encode(),
    )


@functools.cache
def get_settings() -> Settings:
    """The container-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return load_settings()
