"""The hashicorp/aws provider in a filesystem mirror, so `init` never needs a registry.

The cache holds ``provider-mirror/<host>/hashicorp/aws/<version>/<os_arch>/`` for both
``registry.terraform.io`` and ``registry.opentofu.org`` (OpenTofu expands ``hashicorp/aws``
to its own registry host). The binary itself comes from a prebuilt local mirror; the cache
only links to it.

Why not build it from source like OpenTofu: the provider's go.mod declares the module path
``github.com/hashicorp/terraform-provider-aws`` without a ``/v6`` suffix, so its v5/v6 tags
are not valid module versions, and the Go module proxy reachable here serves only v1.60.0
(2019, plugin protocol 4, unusable). See tools/README.md.
"""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from pathlib import Path

from harness.paths import cache_dir
from harness.progress import say
from harness.toolchain.errors import ToolchainError

PREFIX = "toolchain"
PROVIDER_NAMESPACE = "hashicorp"
PROVIDER_TYPE = "aws"
REGISTRY_HOSTS = ("registry.terraform.io", "registry.opentofu.org")
# terraform/versions.tf accepts this range; the first match, newest first, is used.
MIN_MAJOR, MAX_MAJOR = 5, 6
MIN_VERSION = (5, 100, 0)

# Local mirrors searched for a prebuilt provider, after SDA_PROVIDER_MIRRORS (colon-separated):
# Terraform's implied local mirror directories, then a machine-image location.
SYSTEM_MIRRORS = (
    Path.home() / ".terraform.d" / "plugins",
    Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    / "terraform"
    / "plugins",
    Path("/usr/local/share/terraform/plugins"),
    Path("/usr/share/terraform/plugins"),
    Path("/opt/tf-plugins"),
)
_BINARY_RE = re.compile(r"^terraform-provider-aws_v(\d+)\.(\d+)\.(\d+)_x5$")


@dataclass(frozen=True)
class Provider:
    version: str
    binary: Path
    mirror: Path


def os_arch() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    if arch is None:
        raise ToolchainError(f"unsupported CPU architecture {machine!r}: amd64 or arm64 only")
    return f"{platform.system().lower()}_{arch}"


def mirror_dir() -> Path:
    return cache_dir() / "provider-mirror"


def _candidates(root: Path) -> list[tuple[tuple[int, int, int], Path]]:
    found: list[tuple[tuple[int, int, int], Path]] = []
    for host in REGISTRY_HOSTS:
        platform_dirs = root / host / PROVIDER_NAMESPACE / PROVIDER_TYPE
        if not platform_dirs.is_dir():
            continue
        for binary in platform_dirs.glob(f"*/{os_arch()}/terraform-provider-aws_v*_x5"):
            match = _BINARY_RE.match(binary.name)
            if not match:
                continue
            version = (int(match[1]), int(match[2]), int(match[3]))
            if version >= MIN_VERSION and version[0] <= MAX_MAJOR and os.access(binary, os.X_OK):
                found.append((version, binary.resolve()))
    return found


def search_mirrors() -> Path | None:
    """The newest acceptable prebuilt provider binary in the known local mirrors."""
    roots = [Path(p) for p in os.environ.get("SDA_PROVIDER_MIRRORS", "").split(":") if p]
    roots.extend(SYSTEM_MIRRORS)
    for root in roots:
        candidates = sorted(_candidates(root), reverse=True)
        if candidates:
            return candidates[0][1]
    return None


def _version_of(binary: Path) -> str:
    match = _BINARY_RE.match(binary.name)
    if match is None:
        raise ToolchainError(f"{binary} is not named terraform-provider-aws_vX.Y.Z_x5")
    return ".".join(match.groups())


def _link_into_mirror(binary: Path, version: str) -> Path:
    mirror = mirror_dir()
    for host in REGISTRY_HOSTS:
        target_dir = mirror / host / PROVIDER_NAMESPACE / PROVIDER_TYPE / version / os_arch()
        target_dir.mkdir(parents=True, exist_ok=True)
        link = target_dir / f"terraform-provider-aws_v{version}_x5"
        if link.is_symlink() and link.resolve() == binary.resolve():
            continue
        link.unlink(missing_ok=True)
        link.symlink_to(binary)
    return mirror


def ensure_provider() -> Provider:
    """A mirror in the cache holding an acceptable hashicorp/aws provider."""
    ours = sorted(_candidates(mirror_dir()), reverse=True)
    if ours:
        cached_version, cached_binary = ours[0]
        text = ".".join(str(part) for part in cached_version)
        say(PREFIX, f"hashicorp/aws {text}: cached in {mirror_dir()}")
        return Provider(version=text, binary=cached_binary, mirror=mirror_dir())
    binary = search_mirrors()
    if binary is None:
        searched = ", ".join(str(root) for root in SYSTEM_MIRRORS)
        raise ToolchainError(
            f"no hashicorp/aws provider >= 5.100 (< 7) for {os_arch()} in a local mirror "
            f"(searched SDA_PROVIDER_MIRRORS, {searched}): put terraform-provider-aws_vX.Y.Z_x5 "
            "in <mirror>/registry.terraform.io/hashicorp/aws/X.Y.Z/<os_arch>/ and set "
            "SDA_PROVIDER_MIRRORS=<mirror> (see README, Troubleshooting)"
        )
    say(PREFIX, f"hashicorp/aws: using the prebuilt provider at {binary}")
    version = _version_of(binary)
    return Provider(version=version, binary=binary, mirror=_link_into_mirror(binary, version))
