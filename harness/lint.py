"""The IaC checks of the lint session: terraform fmt and validate, tflint (+ AWS ruleset),
actionlint, module docs.

Each ``run_*`` prints what the tool printed under a one-line heading and returns a
``CheckResult`` whose ``returncode`` is non-zero on findings; ``python -m harness.lint`` runs them
all and exits non-zero when any failed. Nothing here reaches the network: the linters come from
``ensure_lint_tools()`` (built once from tools/, cached afterwards), terraform and the provider
from ``harness.toolchain.ensure()`` (the offline mirror).

    python -m harness.lint [all]           # fmt, validate, tflint, actionlint, docs --check
    python -m harness.lint tflint docs     # a subset
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness import docs, toolchain
from harness.paths import REPO_ROOT, TERRAFORM_DIR
from harness.toolchain.errors import ToolchainError
from harness.toolchain.lint_tools import TFLINT_CONFIG, LintTools, ensure_lint_tools

WORKFLOWS_DIR = REPO_ROOT / ".github" / "workflows"


@dataclass(frozen=True)
class CheckResult:
    name: str
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _report(result: CheckResult) -> CheckResult:
    verdict = "ok" if result.ok else f"FAILED (exit {result.returncode})"
    print(f"== {result.name}: {verdict}", flush=True)
    if result.output.strip():
        print(result.output.rstrip(), flush=True)
    return result


def _run(
    name: str,
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    quiet_success: bool = False,
) -> CheckResult:
    completed = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    result = CheckResult(name, completed.returncode, completed.stdout + completed.stderr)
    return result if quiet_success and result.ok else _report(result)


def run_terraform_fmt(
    chain: toolchain.Toolchain | None = None, terraform_dir: Path = TERRAFORM_DIR
) -> CheckResult:
    """``fmt -check -recursive``: read-only; the diff shows what ``terraform fmt`` would change."""
    chain = chain or toolchain.ensure()
    command = [str(chain.cli.path), "fmt", "-check", "-recursive", "-diff", "-no-color"]
    return _run("terraform fmt", [*command, str(terraform_dir)], cwd=REPO_ROOT, env=chain.env())


def run_terraform_validate(
    chain: toolchain.Toolchain | None = None, terraform_dir: Path = TERRAFORM_DIR
) -> CheckResult:
    """``init -backend=false`` + ``validate`` in a scratch copy (terraform/ gets no .terraform)."""
    chain = chain or toolchain.ensure()
    with tempfile.TemporaryDirectory(prefix="sda-validate-") as scratch:
        work = Path(scratch) / "terraform"
        shutil.copytree(
            terraform_dir, work, ignore=shutil.ignore_patterns(".terraform*", "*_override.tf")
        )
        cli = str(chain.cli.path)
        init = _run(
            "terraform init -backend=false",
            [cli, "init", "-backend=false", "-input=false", "-no-color"],
            cwd=work,
            env=chain.env(),
            quiet_success=True,
        )
        if not init.ok:
            return init
        return _run("terraform validate", [cli, "validate", "-no-color"], cwd=work, env=chain.env())


def run_tflint(
    tools: LintTools | None = None,
    terraform_dir: Path = TERRAFORM_DIR,
    config: Path = TFLINT_CONFIG,
) -> CheckResult:
    """tflint over terraform/ and every directory below it, with the AWS ruleset, offline."""
    tools = tools or ensure_lint_tools(config)
    command = [
        str(tools.tflint),
        f"--config={config.resolve()}",  # absolute: --recursive runs in each directory
        f"--chdir={terraform_dir}",
        "--recursive",
        "--format=compact",
        "--no-color",
    ]
    # TFLINT_PLUGIN_DIR wins over ~/.tflint.d, so a developer's own plugins never interfere.
    env = {**tools.tflint_env(), "TFLINT_LOG": ""}
    return _run("tflint", command, cwd=REPO_ROOT, env=env)


def run_actionlint(
    tools: LintTools | None = None,
    workflows_dir: Path = WORKFLOWS_DIR,
) -> CheckResult:
    """actionlint over every workflow file.

    shellcheck and pyflakes integration is off on purpose: GitHub's runners have shellcheck and
    most laptops do not, and a check that passes here must not fail there.
    """
    tools = tools or ensure_lint_tools()
    files = sorted([*workflows_dir.glob("*.yml"), *workflows_dir.glob("*.yaml")])
    if not files:
        return _report(CheckResult("actionlint", 1, f"no workflow files in {workflows_dir}"))
    command = [str(tools.actionlint), "-no-color", "-shellcheck=", "-pyflakes=", *map(str, files)]
    return _run("actionlint", command, cwd=workflows_dir.parent.parent)


def check_docs(tools: LintTools | None = None, terraform_dir: Path = TERRAFORM_DIR) -> CheckResult:
    """Fail when a module README's terraform-docs section is stale (or missing)."""
    tools = tools or ensure_lint_tools()
    outcome = docs.sync(docs.module_dirs(terraform_dir), tools.terraform_docs, check=True)
    return _report(CheckResult("terraform-docs", 0 if outcome.ok else 1, outcome.text()))


CHECKS: dict[str, Callable[[LintTools, toolchain.Toolchain], CheckResult]] = {
    "fmt": lambda _tools, chain: run_terraform_fmt(chain),
    "validate": lambda _tools, chain: run_terraform_validate(chain),
    "tflint": lambda tools, _chain: run_tflint(tools),
    "actionlint": lambda tools, _chain: run_actionlint(tools),
    "docs": lambda tools, _chain: check_docs(tools),
}


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:])
    if not names or names == ["all"]:
        names = list(CHECKS)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        print(f"unknown check(s) {unknown}; choose from {list(CHECKS)}", file=sys.stderr)
        return 2
    try:
        chain = toolchain.ensure()
        tools = ensure_lint_tools()
    except ToolchainError as error:
        print(f"lint: {error}", file=sys.stderr)
        return 1
    failed = [name for name in names if not CHECKS[name](tools, chain).ok]
    if failed:
        print(f"lint: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
