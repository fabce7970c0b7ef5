"""The README's main-job command, run as a person runs it: up, smoke check, Ctrl-C, teardown."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.emulator.process import is_alive
from harness.paths import REPO_ROOT, cache_dir

pytestmark = pytest.mark.e2e

BANNER = "serverless-data-api is up on emulator"
CLEAN = "orphan audit: nothing left behind"


def _processes_in(directory: Path) -> list[int]:
    """PIDs whose working directory is inside ``directory`` (terraform, provider plugins)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = Path(os.readlink(proc / "cwd"))
        except OSError:  # gone, or not ours to read
            continue
        if cwd == directory or directory in cwd.parents:
            found.append(int(proc.name))
    return found


def _emulator_pid(output: str) -> int:
    match = re.search(r"moto listening on \S+ \(pid (\d+)", output)
    assert match is not None, output
    return int(match[1])


def _start_up(log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "harness", "up", *args],
            cwd=REPO_ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, like a terminal's foreground job
        )


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = log.read_text(errors="replace")
        if text in content:
            return content
        if process.poll() is not None:
            pytest.fail(f"`up` exited with {process.returncode} before {text!r}:\n{content}")
        time.sleep(0.5)
    process.kill()
    pytest.fail(f"`up` did not print {text!r} within {seconds:.0f}s:\n{log.read_text()}")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_interrupt_after_up_destroys_everything_and_leaves_no_process(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    log = tmp_path / "up.log"
    name = f"sda-up{os.getpid() % 10000}"
    process = _start_up(log, "--name", name)
    output = _wait_for(log, BANNER, process, seconds=600)
    assert re.search(r"base URL : http://127\.0\.0\.1:\d+/v1", output)
    assert re.search(r"API key  : \S{20,}", output)
    assert "curl -s -X POST" in output
    emulator_pid = _emulator_pid(output)

    os.killpg(process.pid, stop_signal)  # SIGINT is what Ctrl-C in a terminal sends
    assert process.wait(timeout=300) == 0, log.read_text()
    final = log.read_text()
    assert "destroy: done" in final
    assert CLEAN in final
    assert not is_alive(emulator_pid)
    workdir = cache_dir() / "stacks" / name
    assert not workdir.exists(), "a cleanly destroyed stack's working copy is removed"


def test_ctrl_c_during_apply_leaves_nothing_running(tmp_path: Path) -> None:
    log = tmp_path / "up.log"
    name = f"sda-int{os.getpid() % 10000}"
    process = _start_up(log, "--name", name)
    output = _wait_for(log, ": apply ...", process, seconds=600)
    emulator_pid = _emulator_pid(output)

    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=300)
    assert not is_alive(emulator_pid), log.read_text()
    workdir = cache_dir() / "stacks" / name
    assert _processes_in(workdir) == [], "terraform or a provider plugin outlived Ctrl-C"
