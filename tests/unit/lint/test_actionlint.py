"""actionlint over workflow files: the repository's own, and a broken one."""

from __future__ import annotations

import re
from pathlib import Path

from harness.lint import WORKFLOWS_DIR, run_actionlint
from harness.toolchain.lint_tools import LintTools


def test_the_repository_workflows_pass(lint_tools: LintTools) -> None:
    result = run_actionlint(lint_tools)

    assert result.ok, result.output


def test_a_broken_workflow_fails_with_the_line_named(lint_tools: LintTools, tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "broken.yml").write_text(
        "on: push\n"
        "permissions:\n"
        "  contents: raed\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - run: echo ${{ matrix.missing }}\n"
    )

    result = run_actionlint(lint_tools, workflows_dir=workflows)

    assert result.returncode == 1
    assert "broken.yml:3:" in result.output  # the misspelt permission level
    assert "broken.yml:8:" in result.output  # a matrix property that does not exist


def test_an_empty_workflow_directory_is_an_error(lint_tools: LintTools, tmp_path: Path) -> None:
    result = run_actionlint(lint_tools, workflows_dir=tmp_path)

    assert not result.ok
    assert "no workflow files" in result.output


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_noted() -> None:
    files = [*WORKFLOWS_DIR.glob("*.yml"), *WORKFLOWS_DIR.parent.glob("actions/*/action.yml")]
    uses = [
        (path.name, line.strip())
        for path in files
        for line in path.read_text().splitlines()
        if re.match(r"\s*(- )?uses:", line) and "uses: ./" not in line
    ]
    pinned = re.compile(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")

    assert len(uses) >= 5
    assert [use for use in uses if not pinned.fullmatch(use[1])] == []
