"""Build a Go program through a committed wrapper module under ``tools/<name>/``.

Upstream modules such as OpenTofu carry ``replace`` directives, which ``go install
module@version`` refuses. A wrapper module of ours requires the upstream module at the
pinned version, repeats its replace directives and lists the program as a ``tool``; its
go.sum pins every byte. The binary lands in the shared cache, keyed by the wrapper's
go.mod + go.sum and the Go version, so every clone on the machine reuses one build.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from harness.paths import TOOLS_DIR, cache_dir, logs_dir
from harness.progress import phase, say
from harness.toolchain.errors import ToolchainError

PREFIX = "toolchain"
# Linking the large programs (OpenTofu, providers) peaks at a few GiB of temporary files.
MIN_FREE_BYTES = 6 * 1024**3
_REFUSED_MARKERS = (
    "403 Forbidden",
    "404 Not Found",
    "410 Gone",
    "not available",
    "unknown revision",
)


@dataclass(frozen=True)
class GoTool:
    """A Go program built from ``tools/<wrapper>/``."""

    wrapper: str
    package: str
    binary: str
    ldflags: tuple[str, ...] = field(default=())
    # What to tell the user to do instead when the build cannot succeed.
    fallback: str = "install terraform/tofu >= 1.8 yourself and set TF_BINARY"

    @property
    def wrapper_dir(self) -> Path:
        return TOOLS_DIR / self.wrapper


def go_version() -> tuple[int, int, int]:
    """The local Go version, or a ToolchainError when Go is missing."""
    go = shutil.which("go")
    if go is None:
        raise ToolchainError(
            "Go is not installed: install Go >= 1.26 (https://go.dev/doc/install or your "
            "package manager) and put `go` on PATH, or provide terraform/tofu >= 1.8 via TF_BINARY"
        )
    out = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, check=True)
    match = re.match(r"go(\d+)\.(\d+)(?:\.(\d+))?", out.stdout.strip())
    if not match:
        raise ToolchainError(f"cannot parse the Go version {out.stdout.strip()!r}: reinstall Go")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def required_go(wrapper_dir: Path) -> tuple[int, int, int]:
    text = (wrapper_dir / "go.mod").read_text()
    match = re.search(r"^go (\d+)\.(\d+)(?:\.(\d+))?$", text, re.MULTILINE)
    if not match:
        raise ToolchainError(f"{wrapper_dir}/go.mod has no go directive: the wrapper is broken")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def _fmt(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)


def cache_key(tool: GoTool, go: tuple[int, int, int]) -> str:
    digest = hashlib.sha256()
    for name in ("go.mod", "go.sum"):
        digest.update((tool.wrapper_dir / name).read_bytes())
    digest.update(" ".join((tool.package, *tool.ldflags, _fmt(go))).encode())
    return digest.hexdigest()[:12]


def built_path(tool: GoTool) -> Path:
    go = go_version()
    return cache_dir() / "bin" / f"{tool.wrapper}-{cache_key(tool, go)}" / tool.binary


def _check_disk(path: Path) -> None:
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_BYTES:
        raise ToolchainError(
            f"only {free / 1024**3:.1f} GiB free under {path}; the build needs "
            f"{MIN_FREE_BYTES / 1024**3:.0f} GiB: free disk space or point SDA_CACHE_DIR and "
            "GOCACHE at a larger disk"
        )


def _classify_failure(tool: GoTool, log_text: str, log_path: Path) -> ToolchainError:
    if "no space left on device" in log_text:
        return ToolchainError(
            f"building {tool.binary} ran out of disk space (log: {log_path}): free space or "
            "set SDA_CACHE_DIR/GOCACHE to a larger disk, then run `./nox -s toolchain` again"
        )
    if any(marker in log_text for marker in _REFUSED_MARKERS):
        refused = next(
            (line.strip() for line in log_text.splitlines() if "reading https://" in line),
            "a module download was refused",
        )
        return ToolchainError(
            f"the Go module proxy refused a module for {tool.binary}: {refused} (log: "
            f"{log_path}); check GOPROXY/GOFLAGS, or {tool.fallback}"
        )
    return ToolchainError(
        f"building {tool.binary} failed (log: {log_path}); fix the error shown there, "
        f"or {tool.fallback}"
    )


def build(tool: GoTool) -> Path:
    """Return the cached binary, building it first when the cache does not have it."""
    go = go_version()
    needed = required_go(tool.wrapper_dir)
    if go < needed:
        raise ToolchainError(
            f"Go {_fmt(go)} is too old to build {tool.binary}: it needs Go >= {_fmt(needed)}; "
            "upgrade Go, or set GOTOOLCHAIN=go" + _fmt(needed)
        )
    target = cache_dir() / "bin" / f"{tool.wrapper}-{cache_key(tool, go)}" / tool.binary
    if target.exists():
        say(PREFIX, f"{tool.binary}: cached at {target}")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _check_disk(target.parent)
    log_path = logs_dir() / f"build-{tool.wrapper}.log"
    # Per process: concurrent builds of one tool (pytest-xdist workers) must not share a file.
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    ldflags = " ".join(("-s", "-w", *tool.ldflags))
    command = ["go", "build", "-v", "-trimpath", f"-ldflags={ldflags}", "-o", str(partial)]
    command.append(tool.package)
    env = {**os.environ, "GOFLAGS": "-mod=readonly", "CGO_ENABLED": "0"}
    compiled = 0

    with phase(PREFIX, f"building {tool.binary} from tools/{tool.wrapper} (log: {log_path})"):
        with log_path.open("w") as log:
            process = subprocess.Popen(
                command,
                cwd=tool.wrapper_dir,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            if process.stdout is None:  # pragma: no cover - PIPE always gives a stream
                raise ToolchainError(f"could not read the output of {' '.join(command)}")
            stop = threading.Event()

            def report() -> None:
                while not stop.wait(20):
                    say(PREFIX, f"{tool.binary}: {compiled} packages compiled so far")

            reporter = threading.Thread(target=report, daemon=True)
            reporter.start()
            try:
                for line in process.stdout:
                    log.write(line)
                    if not line.startswith(("go: ", "#")):
                        compiled += 1
                returncode = process.wait()
            except BaseException:
                process.kill()
                process.wait()
                partial.unlink(missing_ok=True)
                raise
            finally:
                stop.set()
        if returncode != 0:
            partial.unlink(missing_ok=True)
            raise _classify_failure(tool, log_path.read_text(errors="replace"), log_path)
        partial.rename(target)
    return target
