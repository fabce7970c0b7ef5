"""The data plane: one request in, one response out, driven by the config read from the emulator."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config as BotoConfig

from harness.gateway.admission import API_KEY_HEADER, admit
from harness.gateway.config import GatewayConfig, load_gateway_config
from harness.gateway.events import (
    GatewayRequest,
    build_proxy_event,
    new_extended_request_id,
    new_trace_id,
)
from harness.gateway.responses import (
    GatewayError,
    HttpResponse,
    MalformedProxyResponse,
    map_proxy_result,
)
from harness.gateway.routing import RouteTable
from harness.gateway.throttling import LimiterRegistry
from harness.progress import say
from harness.runtime import (
    CloudWatchLogSink,
    CodeDirectory,
    CodeMismatchError,
    EmulatorTarget,
    FunctionPool,
    FunctionSpec,
    Invocation,
    InvocationStatus,
    load_function_spec,
    select_code,
)
from harness.runtime.pool import DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_MAX_WORKERS

PREFIX = "gateway"
# API Gateway's payload limit for REST APIs.
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
FAKE_CREDENTIAL = "testing"


@dataclass
class _State:
    config: GatewayConfig
    routes: RouteTable
    pools: dict[str, FunctionPool] = field(default_factory=dict)
    # Functions we refuse to run (code mismatch), with the reason, by ARN.
    refused: dict[str, str] = field(default_factory=dict)


class Gateway:
    """Serves one stage of one REST API. Thread-safe; ``reload()`` swaps the config atomically."""

    def __init__(
        self,
        *,
        endpoint: str,
        rest_api_id: str,
        stage: str,
        zip_paths: Sequence[Path],
        region: str = "us-east-1",
        account_id: str = "123456789012",
        account_concurrency: int = DEFAULT_ACCOUNT_CONCURRENCY,
        max_workers: int = DEFAULT_MAX_WORKERS,
        ship_logs: bool = True,
    ) -> None:
        self.rest_api_id = rest_api_id
        self.stage = stage
        self._region = region
        self._account_id = account_id
        self._zip_paths = [Path(path) for path in zip_paths]
        self._account_concurrency = account_concurrency
        self._max_workers = max_workers
        self._target = EmulatorTarget(endpoint=endpoint, region=region)
        session = boto3.session.Session(
            aws_access_key_id=FAKE_CREDENTIAL,
            aws_secret_access_key=FAKE_CREDENTIAL,
            region_name=region,
        )
        boto_config = BotoConfig(
            retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=30
        )
        self._apigateway = session.client("apigateway", endpoint_url=endpoint, config=boto_config)
        self._lambda = session.client("lambda", endpoint_url=endpoint, config=boto_config)
        self._log_sink = (
            CloudWatchLogSink(session.client("logs", endpoint_url=endpoint, config=boto_config))
            if ship_logs
            else None
        )
        self._limiters = LimiterRegistry()
        self._code_dirs: dict[str, CodeDirectory] = {}
        self._reload_lock = threading.Lock()
        self._state: _State | None = None
        try:
            self.reload(strict=True)
        except BaseException:
            self.close()
            raise

    # -- configuration ---------------------------------------------------------------------------

    @property
    def config(self) -> GatewayConfig:
        assert self._state is not None  # noqa: S101 - set in __init__
        return self._state.config

    def pool(self, function_arn: str) -> FunctionPool:
        assert self._state is not None  # noqa: S101 - set in __init__
        return self._state.pools[function_arn]

    def reload(self, *, strict: bool = False) -> bool:
        """Re-read the deployed config; returns True when anything changed.

        With ``strict`` a function whose code does not match the zip raises CodeMismatchError;
        otherwise that function is refused (502) until the code and the zip agree again.
        """
        with self._reload_lock:
            config = load_gateway_config(
                self._apigateway, self.rest_api_id, self.stage, self._account_id, self._region
            )
            old = self._state
            specs = {
                arn: load_function_spec(self._lambda, arn) for arn in sorted(config.function_arns())
            }
            pools: dict[str, FunctionPool] = {}
            refused: dict[str, str] = {}
            for arn, spec in specs.items():
                current = old.pools.get(arn) if old else None
                if current is not None and current.spec == spec:
                    pools[arn] = current
                    continue
                try:
                    pools[arn] = self._new_pool(spec)
                except CodeMismatchError as exc:
                    if strict:
                        for pool in pools.values():
                            if old is None or pool not in old.pools.values():
                                pool.close()
                        raise
                    refused[arn] = str(exc)
                    if old is None or old.refused.get(arn) != refused[arn]:
                        say(PREFIX, str(exc))
            changed = (
                old is None or old.config != config or old.pools != pools or old.refused != refused
            )
            if changed:
                self._state = _State(
                    config=config, routes=RouteTable(config.resources), pools=pools, refused=refused
                )
            if old is not None:
                for arn, pool in old.pools.items():
                    if pools.get(arn) is not pool:
                        pool.close()
            return changed

    def _new_pool(self, spec: FunctionSpec) -> FunctionPool:
        zip_path = select_code(spec, self._zip_paths)
        code = self._code_dirs.get(spec.code_sha256)
        if code is None:
            code = self._code_dirs[spec.code_sha256] = CodeDirectory(zip_path)
        return FunctionPool(
            spec,
            str(code.path),
            self._target,
            self._log_sink,
            account_concurrency=self._account_concurrency,
            max_workers=self._max_workers,
        )

    # -- requests -----------------------------------------------------------------------------

    def handle(self, request: GatewayRequest) -> HttpResponse:
        request_id = str(uuid.uuid4())
        extended_id = new_extended_request_id()
        trace_id = request.header("x-amzn-trace-id") or new_trace_id()
        response = self._handle(request, request_id, extended_id, trace_id)
        response.headers.extend(
            [
                ("x-amzn-RequestId", request_id),
                ("x-amz-apigw-id", extended_id),
                ("X-Amzn-Trace-Id", trace_id),
            ]
        )
        return response

    def _handle(
        self, request: GatewayRequest, request_id: str, extended_id: str, trace_id: str
    ) -> HttpResponse:
        state = self._state
        assert state is not None  # noqa: S101 - set in __init__
        if len(request.body) > MAX_PAYLOAD_BYTES:
            return GatewayError.REQUEST_TOO_LARGE.response()
        route = state.routes.match(request.method, request.path)
        if route is None:
            return GatewayError.MISSING_AUTHENTICATION_TOKEN.response()
        admission = admit(state.config, route, request.header(API_KEY_HEADER), self._limiters)
        if admission.refusal is not None:
            return admission.refusal.response()
        integration = route.method.integration
        arn = integration.function_arn if integration is not None else None
        if integration is None or integration.type != "AWS_PROXY" or arn is None:
            say(PREFIX, f"{request.method} {route.resource.path}: only AWS_PROXY Lambda is served")
            return GatewayError.INTERNAL.response()
        pool = state.pools.get(arn)
        if pool is None:
            say(PREFIX, state.refused.get(arn, f"no function {arn}"))
            return GatewayError.INTEGRATION_FAILURE.response()
        event = build_proxy_event(
            request,
            route,
            state.config,
            request_id=request_id,
            api_key=admission.api_key,
            trace_id=trace_id,
            extended_request_id=extended_id,
        )
        return _proxy(pool, event, integration.timeout_ms / 1000)

    def close(self) -> None:
        state = self._state
        if state is not None:
            for pool in state.pools.values():
                pool.close(force=True)
        if self._log_sink is not None:
            self._log_sink.close()
        for code in self._code_dirs.values():
            code.remove()


def _proxy(pool: FunctionPool, event: dict[str, Any], timeout_seconds: float) -> HttpResponse:
    """Invoke the function and answer with its result, or with the error API Gateway would send."""
    invocation = _invoke_within(pool, event, timeout_seconds)
    if invocation is None:
        return GatewayError.INTEGRATION_TIMEOUT.response()
    if invocation.status is InvocationStatus.THROTTLED:
        # Lambda answered 429 TooManyRequestsException; API Gateway turns it into a 500.
        return GatewayError.INTERNAL.response()
    if invocation.status is InvocationStatus.FUNCTION_ERROR or invocation.payload is None:
        return GatewayError.INTEGRATION_FAILURE.response()
    try:
        return map_proxy_result(invocation.payload)
    except MalformedProxyResponse as exc:
        say(
            PREFIX,
            f"Execution failed due to configuration error: Malformed Lambda proxy response ({exc})",
        )
        return GatewayError.INTEGRATION_FAILURE.response()


def _invoke_within(pool: FunctionPool, event: dict[str, Any], seconds: float) -> Invocation | None:
    """Invoke, giving up after the integration timeout (the function keeps running, as on AWS)."""
    if pool.spec.timeout_seconds < seconds:
        # The function's own timeout fires first; no need for a second thread.
        return pool.invoke(event)
    outcome: list[Invocation] = []
    done = threading.Event()

    def run() -> None:
        outcome.append(pool.invoke(event))
        done.set()

    threading.Thread(target=run, name="integration", daemon=True).start()
    return outcome[0] if done.wait(seconds) else None
