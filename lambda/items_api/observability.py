"""Powertools Logger, Metrics and Tracer singletons (one per container).

* Logger: JSON; correlation id = API Gateway ``requestContext.requestId`` (set in ``app``). The
  event is never logged (``log_event=False`` is forced, so ``POWERTOOLS_LOGGER_LOG_EVENT`` cannot
  leak API key values) and item bodies are never logged at INFO.
* Metrics: CloudWatch embedded metric format; cold start + one count per operation
  (``CreateItem`` ... ``DeleteItem``) + ``Http4xx`` / ``Http5xx`` counts for failures, so a
  flush is never empty (no "No application metrics" warning).
* Tracer: the Powertools X-Ray tracer in AWS. Locally (``POWERTOOLS_TRACE_DISABLED=true``) or
  outside Lambda it is a no-op stand-in, so neither ``aws_xray_sdk`` nor its import cost is
  paid at cold start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from items_api.config import ObservabilitySettings, load_observability_settings

F = TypeVar("F", bound=Callable[..., Any])

SETTINGS = load_observability_settings()

logger = Logger(service=SETTINGS.service_name)
metrics = Metrics(namespace=SETTINGS.metrics_namespace, service=SETTINGS.service_name)


class NoopTracer:
    """Same decorator surface as ``aws_lambda_powertools.Tracer``, doing nothing."""

    def capture_lambda_handler(self, handler: F) -> F:
        return handler

    def capture_method(self, method: F) -> F:
        return method

    def put_annotation(self, key: str, value: str | float | bool) -> None:
        del key, value


def build_tracer(settings: ObservabilitySettings = SETTINGS) -> Any:
    """The Powertools Tracer when tracing is on, else a :class:`NoopTracer`."""
    if settings.tracing_enabled:
        from aws_lambda_powertools import Tracer  # imports aws_xray_sdk (~100+ ms)

        return Tracer(service=settings.service_name)
    return NoopTracer()


tracer = build_tracer()


def count(name: str) -> None:
    """Add one to the per-invocation count metric ``name``."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
