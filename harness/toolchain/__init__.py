"""Locate or build everything the IaC workflow needs, offline after the first run.

``ensure()`` is idempotent: with everything cached it finishes in seconds and builds nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from harness.paths import cache_dir
from harness.progress import phase
from harness.toolchain import cli as cli_module
from harness.toolchain import provider as provider_module
from harness.toolchain.cli import Cli
from harness.toolchain.errors import ToolchainError
from harness.toolchain.provider import Provider

__all__ = ["Cli", "Provider", "Toolchain", "ToolchainError", "ensure", "write_cli_config"]

PREFIX = "toolchain"


@dataclass(frozen=True)
class Toolchain:
    cli: Cli
    provider: Provider
    cli_config_file: Path

    def env(self) -> dict[str, str]:
        """Environment that makes a plain `terraform`/`tofu` call work offline."""
        return {
            "TF_BINARY": str(self.cli.path),
            "TF_CLI_CONFIG_FILE": str(self.cli_config_file),
            "PATH": f"{self.cli.path.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
        }

    def export_lines(self) -> list[str]:
        env = self.env()
        return [
            f"export TF_BINARY={env['TF_BINARY']}",
            f"export TF_CLI_CONFIG_FILE={env['TF_CLI_CONFIG_FILE']}",
            f'export PATH="{self.cli.path.parent}:$PATH"',
        ]


def write_cli_config(provider: Provider) -> Path:
    """A CLI config whose provider_installation only ever reads the local mirror for aws."""
    sources = ", ".join(
        f'"{host}/{provider_module.PROVIDER_NAMESPACE}/{provider_module.PROVIDER_TYPE}"'
        for host in provider_module.REGISTRY_HOSTS
    )
    text = (
        "# Written by harness.toolchain; safe to delete, it is rewritten on the next run.\n"
        "disable_checkpoint = true\n\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{provider.mirror}"\n'
        f"    include = [{sources}]\n"
        "  }\n"
        "  direct {\n"
        f"    exclude = [{sources}]\n"
        "  }\n"
        "}\n"
    )
    path = cache_dir() / "cli.tfrc"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def ensure(build_cli: bool = True) -> Toolchain:
    """Find or build the CLI and the provider mirror, and write the CLI config."""
    with phase(PREFIX, "Terraform-compatible CLI"):
        cli = cli_module.locate(build_if_missing=build_cli)
    with phase(PREFIX, "hashicorp/aws provider mirror"):
        provider = provider_module.ensure_provider()
    config = write_cli_config(provider)
    return Toolchain(cli=cli, provider=provider, cli_config_file=config)
