"""`python -m harness toolchain` (the `toolchain` nox session): idempotent, prints exports."""

from __future__ import annotations

import re
import subprocess
import sys

from harness.paths import REPO_ROOT


def _run_toolchain() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", "toolchain", "--with-opentofu"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,  # the first run on a fresh machine builds OpenTofu
    )


def test_second_run_builds_nothing_and_prints_the_export_lines() -> None:
    _run_toolchain()
    second = _run_toolchain()
    assert "building " not in second.stderr, second.stderr
    assert "tofu: cached at" in second.stderr
    assert re.search(r"hashicorp/aws \d+\.\d+\.\d+: cached in ", second.stderr), second.stderr
    exports = second.stdout.splitlines()
    assert any(line.startswith("export TF_BINARY=") for line in exports)
    assert any(line.startswith("export TF_CLI_CONFIG_FILE=") for line in exports)
