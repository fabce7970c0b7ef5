"""Checkov in its own virtualenv, installed once per lock file into the shared cache.

Checkov's pins clash with the project's dev lock (checkov 3.3.30 needs ``packaging<24``,
pytest 9.2 needs ``packaging>=24``), so it never goes into ``.venv``. Instead
``requirements/checkov.lock`` pins it and every transitive package, and ``ensure_checkov()``
builds ``<cache>/venvs/checkov-<sha12 of the lock>/`` with ``uv venv`` + ``uv pip install``.
A changed lock gets a fresh directory instead of a half-upgraded one.

Virtualenvs are not relocatable (console scripts carry absolute shebangs), so the venv is
built in place under an exclusive file lock rather than in a staging directory; a marker
file written last says the install is complete, so an interrupted install is redone.

Regenerate the lock with::

    .venv/bin/uv pip compile - -o requirements/checkov.lock --python-version 3.11 \\
        --no-header <<< "checkov==3.3.30"
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from harness.paths import REPO_ROOT, cache_dir
from harness.progress import phase, say
from harness.toolchain.errors import ToolchainError

PREFIX = "toolchain"
LOCK_FILE = REPO_ROOT / "requirements" / "checkov.lock"
INSTALL_TIMEOUT_SECONDS = 900
_MARKER = ".installed.json"


def lock_digest(lock_file: Path = LOCK_FILE) -> str:
    """First 12 hex digits of the lock file's SHA-256: the cache key."""
    try:
        return hashlib.sha256(lock_file.read_bytes()).hexdigest()[:12]
    except OSError as error:
        raise ToolchainError(
            f"cannot read {lock_file}: {error}; restore requirements/checkov.lock from git"
        ) from error


def pinned_version(lock_file: Path = LOCK_FILE) -> str:
    """The checkov version the lock pins exactly."""
    match = re.search(r"^checkov==(\S+)\s*$", lock_file.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise ToolchainError(f"{lock_file} does not pin checkov==<version>; recompile the lock")
    return match.group(1)


def venv_dir(lock_file: Path = LOCK_FILE) -> Path:
    return cache_dir() / "venvs" / f"checkov-{lock_digest(lock_file)}"


def executable(venv: Path) -> Path:
    return venv / "bin" / "checkov"


def uv_binary() -> str:
    """``uv`` from the project virtualenv (it is in requirements/dev.lock), else from PATH."""
    beside = Path(sys.executable).parent / "uv"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("uv")
    if found is None:
        raise ToolchainError(
            "uv not found (neither beside the running Python nor on PATH): it installs "
            "checkov; rebuild .venv with ./nox (uv is pinned in requirements/dev.lock)"
        )
    return found


def _installed(venv: Path, digest: str, version: str) -> bool:
    marker = venv / _MARKER
    if not marker.is_file() or not executable(venv).is_file():
        return False
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded.get("lock") == digest and recorded.get("version") == version)


def _uv_error_line(output: str) -> str:
    """The most telling line of uv's error output (a refused download, no solution, ...)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if line.startswith(("error:", "\u00d7")):  # uv marks errors with a multiplication sign
            detail = " ".join(lines[index + 1 : index + 3])
            return f"{line.removeprefix('error:').strip()} {detail}".strip()
    return lines[-1] if lines else "no output"


def _run_uv(argv: list[str], what: str) -> None:
    env = {**os.environ, "UV_NO_PROGRESS": "1"}
    env.pop("VIRTUAL_ENV", None)  # uv must target the venv we name, not the caller's
    try:
        proc = subprocess.run(  # fixed argv, no shell
            argv,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired as error:
        raise ToolchainError(
            f"{what} timed out after {INSTALL_TIMEOUT_SECONDS}s; check that PyPI is reachable, "
            "then re-run"
        ) from error
    except OSError as error:
        raise ToolchainError(f"{what} could not start: {error}; check the uv install") from error
    if proc.returncode != 0:
        raise ToolchainError(
            f"{what} failed: {_uv_error_line(proc.stderr + proc.stdout)}; check that PyPI is "
            "reachable (uv's index settings) and serves every pin of the lock file"
        )


def ensure_checkov(lock_file: Path = LOCK_FILE) -> Path:
    """Install the pinned checkov if needed; return the path of its ``checkov`` executable.

    Idempotent: a second call that finds the install prints one line and runs nothing.
    Concurrent callers (xdist workers, two clones) serialise on a file lock.
    """
    started = time.monotonic()
    version = pinned_version(lock_file)
    digest = lock_digest(lock_file)
    venv = venv_dir(lock_file)
    if _installed(venv, digest, version):
        say(PREFIX, f"checkov {version}: cached at {venv}")
        return executable(venv)

    uv = uv_binary()
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f"{venv.name}.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if _installed(venv, digest, version):  # another process finished it meanwhile
            say(PREFIX, f"checkov {version}: cached at {venv}")
            return executable(venv)
        shutil.rmtree(venv, ignore_errors=True)  # a leftover without a marker is incomplete
        with phase(PREFIX, f"checkov {version}: virtualenv at {venv}"):
            _run_uv(
                [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
                f"`uv venv {venv}`",
            )
        with phase(PREFIX, f"checkov {version}: uv pip install -r {lock_file.name}"):
            _run_uv(
                [
                    uv,
                    "pip",
                    "install",
                    "--quiet",
                    "--python",
                    str(venv / "bin" / "python"),
                    "--no-deps",  # the lock is the complete set: nothing else comes in
                    "-r",
                    str(lock_file),
                ],
                f"installing checkov {version} from {lock_file.name}",
            )
        if not executable(venv).is_file():
            raise ToolchainError(
                f"checkov {version} installed but {executable(venv)} is missing; delete {venv} "
                "and re-run"
            )
        (venv / _MARKER).write_text(
            json.dumps({"lock": digest, "package": "checkov", "version": version}),
            encoding="utf-8",
        )
    say(PREFIX, f"checkov {version}: ready in {time.monotonic() - started:.1f}s")
    return executable(venv)


def main() -> int:
    """``python -m harness.toolchain.checkov``: install (if needed) and print the path."""
    try:
        print(ensure_checkov())
    except ToolchainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
