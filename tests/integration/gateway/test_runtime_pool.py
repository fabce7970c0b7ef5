"""The runtime on its own (real worker processes, no emulator): failures, limits, logging."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from harness.runtime import EmulatorTarget, FunctionPool, FunctionSpec, InvocationStatus

SOURCE = """
import ctypes
import logging
import os
import time

def ok(event, context):
    logging.getLogger().warning("stdlib logging line")
    return {"statusCode": 200, "body": os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]}

def segfault(event, context):
    ctypes.string_at(0)

def sleep(event, context):
    time.sleep(event["seconds"])
    return {"statusCode": 200}

def unmarshallable(event, context):
    return {"statusCode": 200, "body": object()}
"""


class ListSink:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def emit(self, group: str, stream: str, message: str, timestamp_ms: int | None = None) -> None:
        with self._lock:
            self.lines.append(message)


@pytest.fixture
def task_root(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


def _pool(
    task_root: Path,
    handler: str,
    sink: ListSink,
    *,
    reserved: int | None = None,
    timeout: int = 2,
    max_workers: int = 4,
) -> FunctionPool:
    spec = FunctionSpec(
        name="unit-fn",
        arn="arn:aws:lambda:us-east-1:123456789012:function:unit-fn",
        handler=handler,
        runtime="python3.12",
        timeout_seconds=timeout,
        memory_mb=256,
        code_sha256="not-checked-here",
        reserved_concurrency=reserved,
    )
    target = EmulatorTarget("http://127.0.0.1:9", "us-east-1")
    return FunctionPool(spec, str(task_root), target, sink, max_workers=max_workers)


@pytest.fixture
def sink() -> ListSink:
    return ListSink()


def _wait_for_a_worker(pool: FunctionPool, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not pool.worker_pids():
        assert time.monotonic() < deadline, "no worker started"
        time.sleep(0.05)


def test_cold_then_warm_with_memory_and_lambda_logging(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "app.ok", sink)
    try:
        cold = pool.invoke({})
        warm = pool.invoke({})
    finally:
        pool.close(force=True)
    assert cold.status is InvocationStatus.OK
    assert cold.payload is not None
    assert '"256"' in cold.payload
    assert cold.init_duration_ms is not None
    assert cold.init_duration_ms > 0
    assert warm.init_duration_ms is None
    assert cold.worker_pid == warm.worker_pid
    logging_lines = [line for line in sink.lines if line.startswith("[WARNING]")]
    assert len(logging_lines) == 2
    assert logging_lines[1].endswith(f"\t{warm.request_id}\tstdlib logging line")
    report = next(
        line for line in sink.lines if line.startswith(f"REPORT RequestId: {cold.request_id}")
    )
    assert "Memory Size: 256 MB" in report
    assert "Init Duration:" in report


def test_import_error_is_a_function_error(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "missing_module.handler", sink)
    try:
        invocation = pool.invoke({})
    finally:
        pool.close(force=True)
    assert invocation.status is InvocationStatus.FUNCTION_ERROR
    assert invocation.error is not None
    assert invocation.error["errorType"] == "Runtime.ImportModuleError"
    assert any("Runtime.ImportModuleError" in line for line in sink.lines)


def test_segfault_is_reported_and_the_worker_replaced(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "app.segfault", sink)
    try:
        first = pool.invoke({})
        second = pool.invoke({})
    finally:
        pool.close(force=True)
    assert first.status is InvocationStatus.FUNCTION_ERROR
    assert first.error is not None
    assert "signal: segmentation fault" in first.error["errorMessage"]
    assert second.status is InvocationStatus.FUNCTION_ERROR
    assert first.worker_pid != second.worker_pid
    assert pool.worker_pids() == []


def test_timeout_reports_status_and_peak_memory(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "app.sleep", sink, timeout=1)
    try:
        invocation = pool.invoke({"seconds": 5})
    finally:
        pool.close(force=True)
    assert invocation.status is InvocationStatus.FUNCTION_ERROR
    assert 1000 <= invocation.duration_ms < 3000
    assert any(line.endswith("Task timed out after 1.00 seconds") for line in sink.lines)
    report = next(line for line in sink.lines if line.startswith("REPORT"))
    assert "Status: timeout" in report
    assert "Max Memory Used: 0 MB" not in report


def test_unmarshallable_result_is_a_marshal_error(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "app.unmarshallable", sink)
    try:
        invocation = pool.invoke({})
    finally:
        pool.close(force=True)
    assert invocation.error is not None
    assert invocation.error["errorType"] == "Runtime.MarshalError"


def test_reserved_concurrency_throttles_excess(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "app.sleep", sink, reserved=1)
    busy = threading.Thread(target=pool.invoke, args=({"seconds": 1},))
    try:
        busy.start()
        _wait_for_a_worker(pool)
        throttled = pool.invoke({"seconds": 0})
        busy.join(timeout=10)
        after = pool.invoke({"seconds": 0})
    finally:
        pool.close(force=True)
    assert throttled.status is InvocationStatus.THROTTLED
    assert after.status is InvocationStatus.OK
    assert pool.throttled_count == 1


def test_reserved_concurrency_zero_throttles_everything(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "app.ok", sink, reserved=0)
    assert pool.invoke({}).status is InvocationStatus.THROTTLED
    assert sink.lines == []  # the code never ran


def test_forced_close_stops_busy_workers(task_root: Path, sink: ListSink) -> None:
    pool = _pool(task_root, "app.sleep", sink, timeout=10)
    results = []
    busy = threading.Thread(target=lambda: results.append(pool.invoke({"seconds": 8})))
    busy.start()
    _wait_for_a_worker(pool)
    pool.close(force=True)
    busy.join(timeout=5)
    assert not busy.is_alive()
    assert results[0].status is InvocationStatus.FUNCTION_ERROR
    assert pool.worker_pids() == []


def test_local_worker_cap_queues_instead_of_throttling(task_root: Path, sink: ListSink) -> None:
    # Unreserved: AWS would scale out, so running out of local workers must wait, not throttle.
    pool = _pool(task_root, "app.sleep", sink, timeout=5, max_workers=1)
    results = []
    busy = threading.Thread(target=lambda: results.append(pool.invoke({"seconds": 0.5})))
    try:
        busy.start()
        _wait_for_a_worker(pool)
        queued = pool.invoke({"seconds": 0})
        busy.join(timeout=10)
    finally:
        pool.close(force=True)
    assert queued.status is InvocationStatus.OK
    assert results[0].status is InvocationStatus.OK
    assert queued.worker_pid == results[0].worker_pid  # the one worker served both
    assert pool.throttled_count == 0
