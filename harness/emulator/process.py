"""Start the emulator process, wait until it answers, and stop it by PID."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from harness.paths import REPO_ROOT, logs_dir
from harness.progress import say

PREFIX = "emulator"
EMULATOR_REGION = "us-east-1"
# moto's default account; fixed so ARNs in tests and golden files are stable.
EMULATOR_ACCOUNT_ID = "123456789012"
# The emulator accepts any key pair; these are never real credentials.
FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"  # noqa: S105
START_TIMEOUT_SECONDS = 60.0


class EmulatorError(RuntimeError):
    """The emulator did not start or answer; the message says where its log is."""


@dataclass(frozen=True)
class Emulator:
    endpoint: str
    port: int
    pid: int
    log_path: Path
    region: str = EMULATOR_REGION
    account_id: str = EMULATOR_ACCOUNT_ID

    def client_env(self) -> dict[str, str]:
        """Environment for an AWS SDK or CLI aimed at this emulator (fake credentials only here)."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    def reset(self) -> None:
        """Forget every resource (moto's reset API)."""
        requests.post(f"{self.endpoint}/moto-api/reset", timeout=10).raise_for_status()

    def stop(self) -> None:
        _terminate(self.pid)
        say(PREFIX, f"stopped (pid {self.pid})")


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _terminate(pid: int, grace_seconds: float = 10.0) -> None:
    if not is_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            finished = pid if not is_alive(pid) else 0
        if finished == pid:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _wait_until_answering(endpoint: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError(f"the emulator exited with {process.returncode}; see {log}")
        try:
            # Cheap, always-present route that proves the moto app (not just the socket) is up.
            if requests.get(f"{endpoint}/moto-api/data.json", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise EmulatorError(
        f"the emulator did not answer within {START_TIMEOUT_SECONDS:.0f}s; see {log}"
    )


def start(host: str = "127.0.0.1") -> Emulator:
    """Start an emulator on a free loopback port and return once it answers HTTP."""
    log_path = logs_dir() / f"emulator-{os.getpid()}-{time.time_ns()}.log"
    ready = Path(tempfile.mkdtemp(prefix="sda-emulator-")) / "ready.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "harness.emulator.server",
                "--host",
                host,
                "--ready-file",
                str(ready),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=REPO_ROOT,
            start_new_session=True,  # Ctrl-C in the terminal reaches us, and we stop it in order.
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not ready.exists():
            if process.poll() is not None:
                raise EmulatorError(
                    f"the emulator exited with {process.returncode}; see {log_path}"
                )
            if time.monotonic() > deadline:
                raise EmulatorError(f"the emulator did not bind a port; see {log_path}")
            time.sleep(0.05)
        port = int(json.loads(ready.read_text())["port"])
        endpoint = f"http://{host}:{port}"
        _wait_until_answering(endpoint, process, log_path)
    except BaseException:
        _terminate(process.pid)
        raise
    finally:
        ready.unlink(missing_ok=True)
        ready.parent.rmdir()
    say(PREFIX, f"moto listening on {endpoint} (pid {process.pid}, log {log_path})")
    return Emulator(endpoint=endpoint, port=port, pid=process.pid, log_path=log_path)


@contextmanager
def running(host: str = "127.0.0.1") -> Iterator[Emulator]:
    """An emulator for the duration of the block; always stopped, even on Ctrl-C."""
    emulator = start(host)
    try:
        yield emulator
    finally:
        emulator.stop()
