"""Lambda entry point: ``items_api.app.lambda_handler``.

Cold start: configuration is read (and validated) once at import, then the resolver and the
Powertools Logger/Metrics are created; the DynamoDB client is created on the first request and
reused for the life of the container.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from aws_lambda_powertools.logging import correlation_paths

from items_api.config import get_settings

SETTINGS = get_settings()  # fail fast (ConfigError) when TABLE_NAME is missing

from items_api.observability import logger, metrics, tracer  # noqa: E402 - after the fail-fast config check
from items_api.routes import app, handle  # noqa: E402 - likewise

__all__ = ["app", "lambda_handler"]


# The API Gateway request id (requestContext.requestId) is the correlation id. The path is
# Powertools' constant, walked directly: jmespath would cost ~15 us on every request.
_CORRELATION_PATH = tuple(correlation_paths.API_GATEWAY_REST.split("."))


def _correlation_id(event: dict[str, Any]) -> str | None:
    value: Any = event
    for key in _CORRELATION_PATH:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    logger.set_correlation_id(_correlation_id(event))
    return handle(event, context)


# Outermost first: X-Ray segment (AWS only), Lambda context keys in every log record (state is
# cleared per invocation; the event itself is never logged), then the EMF flush with the cold
# start metric.
lambda_handler = cast(
    "Callable[[dict[str, Any], Any], dict[str, Any]]",
    tracer.capture_lambda_handler(
        logger.inject_lambda_context(log_event=False, clear_state=True)(
            metrics.log_metrics(capture_cold_start_metric=True)(_handler)
        )
    ),
)
