"""Build the Lambda deployment package: a byte-for-byte reproducible zip of lambda/items_api.

Only our code goes in: Powertools and pydantic come from the AWS-managed Powertools layer on
AWS, and from the virtualenv in the local runtime, so the zip stays a few tens of KB.
"""

from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from pathlib import Path

from harness.paths import BUILD_DIR, LAMBDA_SRC_DIR

PACKAGE_NAME = "items_api"
DEFAULT_OUTPUT = BUILD_DIR / "lambda.zip"
# The earliest timestamp a zip can hold: the same source gives the same bytes on any machine.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def source_files(src_dir: Path = LAMBDA_SRC_DIR) -> list[Path]:
    package = src_dir / PACKAGE_NAME
    if not package.is_dir():
        raise FileNotFoundError(f"{package} does not exist: nothing to package")
    return sorted(path for path in package.rglob("*.py") if "__pycache__" not in path.parts)


def build(output: Path = DEFAULT_OUTPUT, src_dir: Path = LAMBDA_SRC_DIR) -> Path:
    """Write the zip (only when its bytes change) and return its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    # Per-process scratch name: xdist workers build the same zip at the same time.
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    with zipfile.ZipFile(
        partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9
    ) as archive:
        for path in source_files(src_dir):
            info = zipfile.ZipInfo(path.relative_to(src_dir).as_posix(), date_time=_EPOCH)
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever the building OS
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    if output.exists() and output.read_bytes() == partial.read_bytes():
        partial.unlink()
    else:
        partial.replace(output)
    return output


def sha256_base64(path: Path) -> str:
    """The digest AWS reports as a function's CodeSha256 (base64 of the SHA-256)."""
    return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
