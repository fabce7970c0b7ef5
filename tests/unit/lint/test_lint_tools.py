"""Pins: the wrapper go.mod is the one place a version lives; .tflint.hcl must agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.toolchain import gobuild
from harness.toolchain.errors import ToolchainError
from harness.toolchain.lint_tools import (
    AWS_RULESET_MODULE,
    aws_ruleset_tool,
    declared_aws_ruleset_version,
    ensure_lint_tools,
    pinned_version,
    place_plugin,
)


def test_tflint_config_declares_the_pinned_ruleset_version() -> None:
    pinned = pinned_version("tflint-ruleset-aws", AWS_RULESET_MODULE)

    assert declared_aws_ruleset_version() == pinned.removeprefix("v")


def test_a_config_asking_for_another_ruleset_version_is_refused(tmp_path: Path) -> None:
    config = tmp_path / ".tflint.hcl"
    config.write_text('plugin "aws" {\n  enabled = true\n  version = "0.1.0"\n  source = "x"\n}\n')

    with pytest.raises(ToolchainError, match=r"asks for plugin \"aws\" 0\.1\.0 but"):
        ensure_lint_tools(config)


def test_a_wrapper_that_does_not_require_its_module_is_reported(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "go.mod").write_text("module example.com/x\n\ngo 1.26\n")

    with pytest.raises(ToolchainError, match=r"does not require github\.com/y/z"):
        pinned_version("x", "github.com/y/z", tools_dir=tmp_path)


def test_placing_the_plugin_is_idempotent(tmp_path: Path) -> None:
    binary = tmp_path / "bin" / "tflint-ruleset-aws"
    binary.parent.mkdir()
    binary.write_bytes(b"#!/bin/sh\n")
    binary.chmod(0o755)

    first = place_plugin(binary, tmp_path / "plugins", "v1.2.3")
    second = place_plugin(binary, tmp_path / "plugins", "1.2.3")

    assert (
        first
        == second
        == tmp_path / "plugins" / AWS_RULESET_MODULE / "1.2.3" / "tflint-ruleset-aws"
    )
    assert first.samefile(binary)


def test_a_refused_module_names_the_tool_and_what_to_do(tmp_path: Path) -> None:
    tool = aws_ruleset_tool()
    log = "go: reading https://proxy.golang.org/github.com/x/@v/v1.info: 403 Forbidden\n"

    error = gobuild._classify_failure(tool, log, tmp_path / "build.log")

    assert "refused a module for tflint-ruleset-aws" in str(error)
    assert "install tflint-ruleset-aws v0.48.0 from its release page" in str(error)
    assert "TF_BINARY" not in str(error)
