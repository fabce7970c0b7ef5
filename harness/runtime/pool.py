"""Execution environments of one function: warm reuse, a concurrency limit, replacement."""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from harness.runtime.environment import EmulatorTarget, lambda_environment
from harness.runtime.function import FunctionSpec
from harness.runtime.logs import (
    LogSink,
    Report,
    end_line,
    new_log_stream_name,
    start_line,
)
from harness.runtime.process import WorkerDied, WorkerProcess, WorkerTimedOut

# The default Lambda concurrency quota of an AWS account; unreserved functions share it.
DEFAULT_ACCOUNT_CONCURRENCY = 1000
# Worker processes one function may run at once on this machine. This is a local resource
# limit, not an AWS one: beyond it invocations wait for a free worker instead of being throttled.
DEFAULT_MAX_WORKERS = max(8, 2 * (os.cpu_count() or 1))


class InvocationStatus(Enum):
    OK = "ok"
    FUNCTION_ERROR = "function_error"  # unhandled exception, timeout, crash, failed init
    THROTTLED = "throttled"  # Lambda's 429 TooManyRequestsException: the code never ran


@dataclass(frozen=True)
class Invocation:
    request_id: str
    status: InvocationStatus
    payload: str | None = None  # the handler's return value as JSON text
    error: dict[str, Any] | None = None
    duration_ms: float = 0.0
    init_duration_ms: float | None = None
    worker_pid: int | None = None


class FunctionThrottled(RuntimeError):
    pass


@dataclass
class _Environment:
    log_stream: str
    process: WorkerProcess | None = None
    pending_init_ms: float | None = None
    healthy: bool = True
    invocations: int = field(default=0)


class FunctionPool:
    """Runs invocations of one function in worker processes built from its unpacked code."""

    def __init__(
        self,
        spec: FunctionSpec,
        task_root: str,
        target: EmulatorTarget,
        log_sink: LogSink | None = None,
        *,
        account_concurrency: int = DEFAULT_ACCOUNT_CONCURRENCY,
        max_workers: int = DEFAULT_MAX_WORKERS,
    ) -> None:
        self.spec = spec
        self._task_root = task_root
        self._target = target
        self._sink = log_sink
        self.concurrency_limit = (
            spec.reserved_concurrency
            if spec.reserved_concurrency is not None
            else account_concurrency
        )
        self.max_workers = max(1, max_workers)
        self._lock = threading.Condition()
        self._idle: list[_Environment] = []
        self._all: list[_Environment] = []
        self._closed = False
        self.throttled_count = 0

    # -- public API -------------------------------------------------------------------------

    def invoke(self, event: Any, request_id: str | None = None) -> Invocation:
        request_id = request_id or str(uuid.uuid4())
        try:
            environment = self._acquire()
        except FunctionThrottled:
            return Invocation(request_id, InvocationStatus.THROTTLED)
        try:
            return self._run(environment, event, request_id)
        finally:
            self._release(environment)

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [env.process.pid for env in self._all if env.process is not None]

    def close(self, *, force: bool = False) -> None:
        """Stop idle workers now; busy ones when their invocation ends, or now with ``force``."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = [env for env in self._all if env not in idle] if force else []
        for environment in idle:
            self._discard(environment)
        for environment in busy:
            if environment.process is not None:
                environment.process.terminate_now()

    # -- environments ---------------------------------------------------------------------------

    def _acquire(self) -> _Environment:
        """An idle environment, else a new one; FunctionThrottled where Lambda would throttle."""
        deadline = time.monotonic() + self.spec.timeout_seconds
        with self._lock:
            while True:
                if self._closed:
                    raise FunctionThrottled
                if self._idle:
                    return self._idle.pop()  # most recently used first: the warmest one
                # Every environment is busy: is there concurrency left for one more?
                if len(self._all) >= self.concurrency_limit:
                    self.throttled_count += 1
                    raise FunctionThrottled
                if len(self._all) < self.max_workers:
                    environment = _Environment(log_stream=new_log_stream_name(self.spec.version))
                    self._all.append(environment)
                    return environment
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._lock.wait(remaining):
                    self.throttled_count += 1
                    raise FunctionThrottled

    def _release(self, environment: _Environment) -> None:
        with self._lock:
            keep = environment.healthy and not self._closed
            if keep:
                self._idle.append(environment)
            else:
                self._all.remove(environment)
            self._lock.notify()
        if not keep:
            self._discard(environment)

    def _discard(self, environment: _Environment) -> None:
        if environment.process is not None:
            environment.process.kill()
            environment.process = None

    def _log(self, environment: _Environment, line: str) -> None:
        if self._sink is not None:
            self._sink.emit(self.spec.log_group_name, environment.log_stream, line)

    def _start_process(self, environment: _Environment) -> dict[str, Any] | None:
        """Cold start: spawn and initialise; returns the init error, if any."""
        env = lambda_environment(self.spec, self._target, self._task_root, environment.log_stream)
        process = WorkerProcess(env, self._task_root, lambda line: self._log(environment, line))
        environment.process = process
        try:
            first = process.wait_ready()
        except (WorkerTimedOut, WorkerDied) as exc:
            environment.healthy = False
            return {"errorType": "Runtime.ExitError", "errorMessage": str(exc) or "init timed out"}
        environment.pending_init_ms = (time.monotonic() - process.started) * 1000
        if first.get("type") != "ready":
            environment.healthy = False
            error: dict[str, Any] = first.get("error") or {"errorType": "Runtime.Unknown"}
            return error
        return None

    # -- one invocation -------------------------------------------------------------------------

    def _run(self, environment: _Environment, event: Any, request_id: str) -> Invocation:
        init_error = self._start_process(environment) if environment.process is None else None
        self._log(environment, start_line(request_id, self.spec.version))
        started = time.monotonic()
        if init_error is not None:
            outcome = _Outcome(error=init_error, status_word="error")
        else:
            outcome = self._call_worker(environment, event, request_id, started)
        duration_ms = (time.monotonic() - started) * 1000
        process = environment.process
        init_ms, environment.pending_init_ms = environment.pending_init_ms, None
        environment.invocations += 1
        self._log(environment, end_line(request_id))
        report = Report(
            request_id=request_id,
            duration_ms=duration_ms,
            memory_size_mb=self.spec.memory_mb,
            max_memory_used_mb=outcome.max_memory_used_mb
            or (process.peak_mb_at_exit if process else 0),
            init_duration_ms=init_ms,
            status=outcome.status_word,
        )
        self._log(environment, report.line())
        return Invocation(
            request_id,
            InvocationStatus.FUNCTION_ERROR if outcome.error else InvocationStatus.OK,
            payload=outcome.payload,
            error=outcome.error,
            duration_ms=duration_ms,
            init_duration_ms=init_ms,
            worker_pid=process.pid if process is not None else None,
        )

    def _call_worker(
        self, environment: _Environment, event: Any, request_id: str, started: float
    ) -> _Outcome:
        process = environment.process
        assert process is not None  # noqa: S101 - started by _run
        message = {
            "request_id": request_id,
            "event": event,
            "deadline_epoch_ms": int((time.time() + self.spec.timeout_seconds) * 1000),
            "arn": self.spec.arn,
            "trace_id": _trace_id(),
        }
        try:
            result = process.invoke(message, started + self.spec.timeout_seconds)
        except WorkerTimedOut:
            environment.healthy = False
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            text = (
                f"{stamp} {request_id} Task timed out after {self.spec.timeout_seconds:.2f} seconds"
            )
            self._log(environment, text)
            error = {"errorMessage": text, "errorType": "Sandbox.Timedout"}
            return _Outcome(error=error, status_word="timeout")
        except WorkerDied as exc:
            environment.healthy = False
            text = f"RequestId: {request_id} Error: {exc}"
            self._log(environment, f"{text}\nRuntime.ExitError")
            error = {"errorMessage": text, "errorType": "Runtime.ExitError"}
            return _Outcome(error=error, status_word="error")
        memory = int(result.get("max_memory_used_mb") or 0)
        if result.get("error"):
            return _Outcome(error=dict(result["error"]), max_memory_used_mb=memory)
        return _Outcome(payload=str(result["payload"]), max_memory_used_mb=memory)


@dataclass(frozen=True)
class _Outcome:
    payload: str | None = None
    error: dict[str, Any] | None = None
    status_word: str | None = None  # REPORT's "Status:", set for timeouts and crashes
    max_memory_used_mb: int = 0


def _trace_id() -> str:
    root = f"1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"
    return f"Root={root};Parent={uuid.uuid4().hex[:16]};Sampled=0"
