"""Stack lifecycle: a private working copy of terraform/, driven through tftest.

Each stack gets its own directory (and so its own state) under the cache, which is what lets
pytest-xdist workers and several `up` sessions run side by side. The emulator provider
override is written into that copy only, never into terraform/.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tftest

from harness.paths import TERRAFORM_DIR, cache_dir
from harness.progress import phase, say
from harness.target import Target
from harness.toolchain import Toolchain

PREFIX = "stack"
OVERRIDE_FILE = "zz_emulator_override.tf"
VARS_FILE = "harness.auto.tfvars.json"
_KEEP = {"terraform.tfstate", "terraform.tfstate.backup", ".terraform", ".terraform.lock.hcl"}


class StackError(RuntimeError):
    """A terraform command failed; the message carries its output."""


class _ProcessGroupTerraform(tftest.TerraformTest):
    """tftest, with every CLI run in a process group of its own.

    A terminal's Ctrl-C then reaches only the harness, which forwards SIGINT to the CLI (so it
    halts gracefully and saves state), waits, and finally kills whatever is left in the group:
    provider plugins the CLI started would otherwise outlive an interrupted run.
    """

    GRACE_SECONDS = 60.0

    def execute_command(self, cmd: str, *cmd_args: str) -> tftest.TerraformCommandOutput:
        process = subprocess.Popen(
            [self.binary, cmd, *cmd_args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.tfdir,
            env=self.env,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        try:
            out, err = process.communicate()
        except BaseException:
            _stop_group(process, self.GRACE_SECONDS)
            raise
        finally:
            _kill_group(process.pid)
        if process.returncode in (1, 11):
            message = f"Error running command {cmd}: {process.returncode} {out} {err}"
            raise tftest.TerraformTestError(message, err)
        return tftest.TerraformCommandOutput(process.returncode, out, err)


def _stop_group(process: subprocess.Popen[str], grace_seconds: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.wait()


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


@dataclass
class Stack:
    name: str
    target: Target
    toolchain: Toolchain
    variables: dict[str, Any]
    source_dir: Path = TERRAFORM_DIR
    workdir: Path | None = None

    @classmethod
    def of_product(cls, name: str, target: Target, toolchain: Toolchain, **variables: Any) -> Stack:
        """The root stack in terraform/, named ``name``, with a freshly built Lambda package.

        ``variables`` override or extend the inputs every caller needs (name_prefix, region,
        lambda_package_path).
        """
        from harness import package

        inputs: dict[str, Any] = {
            "name_prefix": name,
            "region": target.region,
            "lambda_package_path": str(package.build()),
        }
        return cls(name=name, target=target, toolchain=toolchain, variables={**inputs, **variables})

    def __post_init__(self) -> None:
        if self.workdir is None:
            self.workdir = cache_dir() / "stacks" / self.name
        self._tf = _ProcessGroupTerraform(
            tfdir=str(self.workdir),
            binary=str(self.toolchain.cli.path),
            env={**self.toolchain.env(), **self.target.env()},
        )

    @property
    def dir(self) -> Path:
        assert_path = self.workdir
        if assert_path is None:  # pragma: no cover - set in __post_init__
            raise StackError("stack has no working directory")
        return assert_path

    # -- working copy -------------------------------------------------------------------------
    def sync(self) -> None:
        """Mirror terraform/ into the working copy, keeping its state and provider install."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for entry in self.dir.iterdir():
            if entry.name in _KEEP:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in self.source_dir.iterdir():
            if entry.name in _KEEP or entry.name.startswith("."):
                continue
            if entry.is_dir():
                shutil.copytree(
                    entry, self.dir / entry.name, ignore=shutil.ignore_patterns(".terraform*")
                )
            elif entry.suffix in {".tf", ".json", ".hcl"} and not entry.name.endswith(
                "_override.tf"
            ):
                shutil.copy2(entry, self.dir / entry.name)
        override = self.target.provider_override()
        if override is not None:
            (self.dir / OVERRIDE_FILE).write_text(override)
        (self.dir / VARS_FILE).write_text(json.dumps(self.variables, indent=2, sort_keys=True))

    # -- terraform commands -------------------------------------------------------------------
    def _run(self, title: str, command: str, *args: str) -> tftest.TerraformCommandOutput:
        with phase(PREFIX, f"{self.name}: {title}"):
            try:
                return self._tf.execute_command(command, *args)
            except tftest.TerraformTestError as error:
                details = "\n".join(str(part) for part in error.args if part)
                raise StackError(f"{command} failed for stack {self.name}:\n{details}") from error

    def init(self) -> None:
        self.sync()
        self._run("init", "init", "-input=false", "-no-color")

    def apply(self, *targets: str) -> None:
        """Apply everything, or only ``targets`` (resource addresses) and their dependencies."""
        title = f"apply {', '.join(targets)}" if targets else "apply"
        flags = [f"-target={address}" for address in targets]
        self._run(title, "apply", "-input=false", "-no-color", "-auto-approve", *flags)

    def plan_exit_code(self) -> tuple[int, str]:
        """`plan -detailed-exitcode`: 0 no changes, 2 changes (1 raises)."""
        result = self._run("plan", "plan", "-input=false", "-no-color", "-detailed-exitcode")
        return int(result.retcode), str(result.out)

    def plan_json(self) -> dict[str, Any]:
        """`show -json` of a fresh plan: what the policy and cost checks read."""
        plan_file = self.dir / "harness.tfplan"
        self._run("plan", "plan", "-input=false", "-no-color", f"-out={plan_file}")
        shown = self._run("show plan", "show", "-json", "-no-color", str(plan_file))
        plan_file.unlink(missing_ok=True)
        parsed: dict[str, Any] = json.loads(shown.out)
        return parsed

    def outputs(self) -> dict[str, Any]:
        """Output values, sensitive ones included (the harness needs the API key)."""
        result = self._tf.execute_command("output", "-json", "-no-color")
        raw: dict[str, dict[str, Any]] = json.loads(result.out)
        return {name: value["value"] for name, value in raw.items()}

    def destroy(self) -> None:
        self._run("destroy", "destroy", "-input=false", "-no-color", "-auto-approve")

    def state_resources(self) -> list[str]:
        result = self._tf.execute_command("state", "list")
        return [line for line in result.out.splitlines() if line.strip()]

    def remove_workdir(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def deployed(stack: Stack, keep: bool = False) -> Iterator[Stack]:
    """Init + apply, yield, then destroy (always, unless keep) — Terratest's defer Destroy."""
    try:
        stack.init()
        stack.apply()
        yield stack
    finally:
        if keep:
            say(PREFIX, f"{stack.name}: kept (state in {stack.dir})")
        else:
            stack.destroy()
            stack.remove_workdir()


def quiet_tftest_logging() -> None:
    """tftest logs every terraform line at INFO; keep that for debug runs only."""
    logging.getLogger("tftest").setLevel(logging.WARNING)
