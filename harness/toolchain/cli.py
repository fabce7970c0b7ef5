"""Find (or build) the Terraform-compatible CLI: terraform or OpenTofu >= 1.8."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.progress import say
from harness.toolchain import gobuild
from harness.toolchain.errors import ToolchainError

PREFIX = "toolchain"
MIN_VERSION = (1, 8, 0)
OPENTOFU_VERSION = "1.12.6"
OPENTOFU = gobuild.GoTool(
    wrapper="opentofu",
    package="github.com/opentofu/opentofu/cmd/tofu",
    binary="tofu",
    # Without this the binary calls itself a -dev prerelease.
    ldflags=("-X github.com/opentofu/opentofu/version.dev=no",),
)


@dataclass(frozen=True)
class Cli:
    path: Path
    kind: str  # "terraform" or "opentofu"
    version: tuple[int, int, int]

    @property
    def version_text(self) -> str:
        return ".".join(str(part) for part in self.version)

    @property
    def registry_host(self) -> str:
        """The host that `hashicorp/aws` expands to for this CLI."""
        return "registry.opentofu.org" if self.kind == "opentofu" else "registry.terraform.io"


def probe(binary: Path) -> Cli:
    """Ask a binary what it is. Raises ToolchainError when it is not a usable CLI."""
    try:
        result = subprocess.run(
            [str(binary), "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            # A stale TF_CLI_CONFIG_FILE makes the CLI print warnings into the JSON on stdout.
            env={**os.environ, "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull},
        )
    except OSError as error:
        raise ToolchainError(f"cannot run {binary}: {error}; check TF_BINARY") from error
    if result.returncode != 0:
        raise ToolchainError(f"`{binary} version -json` failed: {result.stderr.strip()[:200]}")
    try:
        text = json.loads(result.stdout)["terraform_version"]
    except (json.JSONDecodeError, KeyError) as error:
        raise ToolchainError(f"{binary} does not look like terraform or tofu") from error
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", text)
    if not match:
        raise ToolchainError(f"cannot parse the version {text!r} printed by {binary}")
    major, minor, patch = (int(part) for part in match.groups())
    kind = "opentofu" if "tofu" in binary.name else "terraform"
    return Cli(path=binary, kind=kind, version=(major, minor, patch))


def _acceptable(cli: Cli) -> bool:
    return cli.version >= MIN_VERSION


def locate(build_if_missing: bool = True) -> Cli:
    """TF_BINARY, else terraform/tofu >= 1.8 on PATH, else OpenTofu built from source."""
    override = os.environ.get("TF_BINARY")
    if override:
        cli = probe(Path(override))
        if not _acceptable(cli):
            raise ToolchainError(
                f"TF_BINARY={override} is version {cli.version_text}; >= 1.8 is required"
            )
        say(PREFIX, f"using TF_BINARY: {cli.kind} {cli.version_text} at {cli.path}")
        return cli
    for name in ("tofu", "terraform"):
        found = shutil.which(name)
        if found is None:
            continue
        cli = probe(Path(found))
        if _acceptable(cli):
            say(PREFIX, f"using {cli.kind} {cli.version_text} from PATH ({cli.path})")
            return cli
        say(PREFIX, f"ignoring {found}: version {cli.version_text} is older than 1.8")
    if not build_if_missing:
        raise ToolchainError(
            "no terraform/tofu >= 1.8 found; run `./nox -s toolchain` to build one"
        )
    say(PREFIX, f"no terraform/tofu >= 1.8 on PATH: OpenTofu {OPENTOFU_VERSION} (tools/opentofu)")
    return probe(gobuild.build(OPENTOFU))


def build_opentofu() -> Cli:
    """OpenTofu from tools/opentofu, whatever is on PATH (used to test both CLIs)."""
    return probe(gobuild.build(OPENTOFU))
