"""What the emulator says about a function, and the checked, unpacked code that goes with it."""

from __future__ import annotations

import base64
import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT_SECONDS = 3
DEFAULT_MEMORY_MB = 128


class CodeMismatchError(RuntimeError):
    """The zip on disk is not the code the emulator holds for the function."""


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    arn: str
    handler: str
    runtime: str
    timeout_seconds: int
    memory_mb: int
    code_sha256: str
    environment: Mapping[str, str] = field(default_factory=dict)
    reserved_concurrency: int | None = None
    version: str = "$LATEST"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.name}"


def spec_from_get_function(response: Mapping[str, Any]) -> FunctionSpec:
    """Build a spec from a ``lambda.get_function`` response."""
    config = response["Configuration"]
    concurrency = response.get("Concurrency") or {}
    reserved = concurrency.get("ReservedConcurrentExecutions")
    return FunctionSpec(
        name=config["FunctionName"],
        arn=config["FunctionArn"],
        handler=config["Handler"],
        runtime=config.get("Runtime", ""),
        timeout_seconds=int(config.get("Timeout") or DEFAULT_TIMEOUT_SECONDS),
        memory_mb=int(config.get("MemorySize") or DEFAULT_MEMORY_MB),
        code_sha256=config["CodeSha256"],
        environment=dict((config.get("Environment") or {}).get("Variables") or {}),
        reserved_concurrency=None if reserved is None else int(reserved),
        version=config.get("Version", "$LATEST"),
    )


def load_function_spec(lambda_client: Any, function: str) -> FunctionSpec:
    """Read a function's configuration (name or ARN) from the emulator."""
    return spec_from_get_function(lambda_client.get_function(FunctionName=function))


def code_sha256(zip_path: Path) -> str:
    """base64(SHA-256(zip)), the form AWS reports as CodeSha256."""
    return base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode()


def select_code(spec: FunctionSpec, zip_paths: list[Path]) -> Path:
    """The zip whose digest is the function's CodeSha256; refuse when none is."""
    seen = []
    for path in zip_paths:
        digest = code_sha256(path)
        if digest == spec.code_sha256:
            return path
        seen.append(f"{path} has {digest}")
    raise CodeMismatchError(
        f"refusing to run {spec.name}: the emulator holds code with CodeSha256 "
        f"{spec.code_sha256}, but {'; '.join(seen) or 'no zip was given'}. "
        "Re-package and re-apply so the zip and the deployed function agree."
    )


class CodeDirectory:
    """A zip unpacked once into a private temporary directory (the function's task root)."""

    def __init__(self, zip_path: Path) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="sda-lambda-task-"))
        with zipfile.ZipFile(zip_path) as archive:
            for member in archive.infolist():
                target = (self.path / member.filename).resolve()
                if not target.is_relative_to(self.path.resolve()):
                    raise CodeMismatchError(
                        f"{zip_path}: entry {member.filename} escapes the task root"
                    )
            archive.extractall(self.path)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
