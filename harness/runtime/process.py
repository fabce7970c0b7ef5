"""The parent side of one worker: spawn it, send an invocation, wait with a deadline, kill it."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.runtime.worker import OUTPUT_SENTINEL

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
# AWS gives the init phase 10 s before it gives up on an execution environment.
INIT_TIMEOUT_SECONDS = 10.0
# After the result arrives, how long to wait for the last lines of the function's output.
_OUTPUT_DRAIN_SECONDS = 2.0
# How the Lambda service words the signal that ended a runtime ("signal: segmentation fault").
_SIGNAL_WORDS = {"SIGSEGV": "segmentation fault", "SIGKILL": "killed", "SIGABRT": "aborted"}


class WorkerDied(RuntimeError):
    """The worker process exited (crash, os._exit, signal) before it answered."""

    def __init__(self, exit_status: str) -> None:
        super().__init__(f"Runtime exited with error: {exit_status}")
        self.exit_status = exit_status


class WorkerTimedOut(RuntimeError):
    """The worker did not answer before the deadline; it has been killed."""


@dataclass(frozen=True)
class WorkerAnswer:
    message: dict[str, Any]


OutputCallback = Callable[[str], None]


class WorkerProcess:
    """A running execution environment. The pool lends it to one caller at a time."""

    def __init__(self, env: dict[str, str], cwd: str, on_output: OutputCallback) -> None:
        request_read, self._request_write = os.pipe()
        self._response_read, response_write = os.pipe()
        self.started = time.monotonic()
        try:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-u",
                    str(WORKER_SCRIPT),
                    str(request_read),
                    str(response_write),
                ],
                pass_fds=(request_read, response_write),
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            os.close(request_read)
            os.close(response_write)
        self.pid = self._process.pid
        self._killed = False
        self.peak_mb_at_exit = 0
        self._buffer = b""
        self._on_output = on_output
        self._drained = threading.Event()
        self._drained_for = ""
        self._reader = threading.Thread(
            target=self._read_output, name=f"worker-{self.pid}-output", daemon=True
        )
        self._reader.start()

    def wait_ready(self, timeout: float = INIT_TIMEOUT_SECONDS) -> dict[str, Any]:
        """The worker's first message: ``ready`` or ``init_error``."""
        return self._receive(time.monotonic() + timeout)

    def invoke(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send one invocation and return its result; WorkerTimedOut or WorkerDied otherwise."""
        self._drained.clear()
        self._drained_for = str(message["request_id"])
        try:
            os.write(self._request_write, json.dumps(message).encode() + b"\n")
        except BrokenPipeError as exc:
            raise WorkerDied(self._exit_status()) from exc
        answer = self._receive(deadline)
        self._drained.wait(_OUTPUT_DRAIN_SECONDS)
        return answer

    def peak_memory_mb(self) -> int:
        """The process's peak resident set (VmHWM), read before it is killed; 0 if unknown."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
        return 0

    def terminate_now(self) -> None:
        """SIGKILL the worker but leave its pipes to the thread using it, which then sees EOF."""
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)

    def alive(self) -> bool:
        return self._process.poll() is None

    def kill(self) -> None:
        """Stop the worker by PID (its whole session) and reap it. Safe to call twice."""
        if self._killed:
            return
        self._killed = True
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
        for fd in (self._request_write, self._response_read):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._reader.join(timeout=2)

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.peak_mb_at_exit = self.peak_memory_mb()
                self.kill()
                raise WorkerTimedOut
            ready, _, _ = select.select([self._response_read], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._response_read, 1 << 20)
            if not chunk:
                # Let the output reader pass on the dying words (a traceback, a fatal error).
                self._process.wait(timeout=5)
                self._reader.join(timeout=_OUTPUT_DRAIN_SECONDS)
                raise WorkerDied(self._exit_status())
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        message: dict[str, Any] = json.loads(line)
        return message

    def _exit_status(self) -> str:
        code = self._process.poll()
        if code is None:
            return "unknown"
        if code < 0:
            name = signal.Signals(-code).name
            return f"signal: {_SIGNAL_WORDS.get(name, name.removeprefix('SIG').lower())}"
        return f"exit status {code}"

    def _read_output(self) -> None:
        stream = self._process.stdout
        if stream is None:
            return
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line.startswith(OUTPUT_SENTINEL):
                if line.removeprefix(OUTPUT_SENTINEL) == self._drained_for:
                    self._drained.set()
                continue
            self._on_output(line)
        self._drained.set()
