"""The Go-built linters must be usable: a missing or unbuildable tool FAILS these tests with
its one-line reason (never a skip, which would hide a broken lint session)."""

from __future__ import annotations

import pytest

from harness.toolchain.errors import ToolchainError
from harness.toolchain.lint_tools import LintTools, ensure_lint_tools


@pytest.fixture(scope="session")
def lint_tools() -> LintTools:
    problem = ""
    try:
        return ensure_lint_tools()
    except ToolchainError as error:
        problem = str(error)
    pytest.fail(f"the lint tools are unusable: {problem}", pytrace=False)
