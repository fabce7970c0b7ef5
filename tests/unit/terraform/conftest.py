"""Run the Terraform-compatible CLI on throw-away copies of terraform/, never in the repo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.paths import TERRAFORM_DIR
from harness.toolchain import Toolchain

MODULES = ("dynamodb", "iam", "lambda", "api_gateway", "monitoring")


def run_cli(toolchain: Toolchain, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One CLI command, offline (the provider comes from the toolchain's mirror)."""
    return subprocess.run(
        [str(toolchain.cli.path), *args],
        cwd=cwd,
        env={**toolchain.env(), "TF_INPUT": "0"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def terraform_copy(tmp_path: Path) -> Path:
    """A copy of terraform/ without any local state or provider install."""
    copy = tmp_path / "terraform"
    shutil.copytree(
        TERRAFORM_DIR,
        copy,
        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "*_override.tf"),
    )
    return copy
