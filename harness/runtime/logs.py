"""Lambda-style log lines, shipped to CloudWatch Logs in the emulator off the request path."""

from __future__ import annotations

import contextlib
import math
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

# put_log_events accepts at most 10,000 events and 1 MiB per call; stay well inside both.
_MAX_EVENTS_PER_CALL = 1000
_MAX_BYTES_PER_CALL = 512 * 1024
# CloudWatch truncates longer events; we do it ourselves so one big line cannot fail a batch.
_MAX_MESSAGE_BYTES = 256 * 1024 - 26


class LogSink(Protocol):
    """Where log lines go: CloudWatch Logs in the emulator, or a list in tests."""

    def emit(
        self, group: str, stream: str, message: str, timestamp_ms: int | None = None
    ) -> None: ...


def new_log_stream_name(version: str = "$LATEST", now: datetime | None = None) -> str:
    """AWS's stream name for one execution environment: ``YYYY/MM/DD/[$LATEST]<32 hex>``."""
    day = (now or datetime.now(UTC)).strftime("%Y/%m/%d")
    return f"{day}/[{version}]{secrets.token_hex(16)}"


def start_line(request_id: str, version: str = "$LATEST") -> str:
    return f"START RequestId: {request_id} Version: {version}"


def end_line(request_id: str) -> str:
    return f"END RequestId: {request_id}"


@dataclass(frozen=True)
class Report:
    request_id: str
    duration_ms: float
    memory_size_mb: int
    max_memory_used_mb: int
    init_duration_ms: float | None = None
    status: str | None = None  # "timeout" or "error", as AWS adds for failed invocations

    @property
    def billed_duration_ms(self) -> int:
        # Billed in 1 ms steps, rounded up; at least 1 ms.
        return max(1, math.ceil(self.duration_ms))

    def line(self) -> str:
        parts = [
            f"REPORT RequestId: {self.request_id}",
            f"Duration: {self.duration_ms:.2f} ms",
            f"Billed Duration: {self.billed_duration_ms} ms",
            f"Memory Size: {self.memory_size_mb} MB",
            f"Max Memory Used: {self.max_memory_used_mb} MB",
        ]
        if self.init_duration_ms is not None:
            parts.append(f"Init Duration: {self.init_duration_ms:.2f} ms")
        if self.status is not None:
            parts.append(f"Status: {self.status}")
        return "\t".join(parts) + "\t"


@dataclass(frozen=True)
class _Event:
    group: str
    stream: str
    timestamp_ms: int
    message: str


class CloudWatchLogSink:
    """Collects log events and writes them with put_log_events from one background thread.

    Requests only append to a list; the thread flushes every ``flush_interval`` seconds, creating
    groups and streams on first use (the Lambda service does the same when it may).
    """

    def __init__(self, logs_client: Any, flush_interval: float = 0.2) -> None:
        self._client = logs_client
        self._interval = flush_interval
        self._pending: list[_Event] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._known_groups: set[str] = set()
        self._known_streams: set[tuple[str, str]] = set()
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name="lambda-log-sink", daemon=True)
        self._thread.start()

    def emit(self, group: str, stream: str, message: str, timestamp_ms: int | None = None) -> None:
        encoded = message.encode("utf-8", "replace")
        if len(encoded) > _MAX_MESSAGE_BYTES:
            message = encoded[:_MAX_MESSAGE_BYTES].decode("utf-8", "ignore")
        stamp = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
        with self._lock:
            self._pending.append(_Event(group, stream, stamp, message))

    def flush(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        by_stream: dict[tuple[str, str], list[_Event]] = defaultdict(list)
        for event in batch:
            by_stream[(event.group, event.stream)].append(event)
        for (group, stream), events in by_stream.items():
            try:
                self._ensure_stream(group, stream)
                self._put(group, stream, events)
            except Exception:
                self.failures += 1

    def close(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)
        self.flush()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._interval)
            self.flush()

    def _ensure_stream(self, group: str, stream: str) -> None:
        errors = self._client.exceptions
        if group not in self._known_groups:
            with contextlib.suppress(errors.ResourceAlreadyExistsException):
                self._client.create_log_group(logGroupName=group)
            self._known_groups.add(group)
        if (group, stream) not in self._known_streams:
            with contextlib.suppress(errors.ResourceAlreadyExistsException):
                self._client.create_log_stream(logGroupName=group, logStreamName=stream)
            self._known_streams.add((group, stream))

    def _put(self, group: str, stream: str, events: list[_Event]) -> None:
        # Stable sort: lines with the same millisecond keep the order they were written in.
        events.sort(key=lambda event: event.timestamp_ms)
        chunk: list[dict[str, Any]] = []
        size = 0
        for event in events:
            event_size = len(event.message.encode()) + 26
            if chunk and (
                len(chunk) >= _MAX_EVENTS_PER_CALL or size + event_size > _MAX_BYTES_PER_CALL
            ):
                self._client.put_log_events(
                    logGroupName=group, logStreamName=stream, logEvents=chunk
                )
                chunk, size = [], 0
            chunk.append({"timestamp": event.timestamp_ms, "message": event.message})
            size += event_size
        if chunk:
            self._client.put_log_events(logGroupName=group, logStreamName=stream, logEvents=chunk)
