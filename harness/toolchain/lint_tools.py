"""Build the Go linters (tflint + its AWS ruleset, terraform-docs, actionlint) offline.

Each is built by ``gobuild`` from its committed wrapper module under ``tools/<name>/``; the
pinned version is read back from that go.mod, so the wrapper is the one place a version lives.
tflint finds a plugin that ``.tflint.hcl`` declares with ``source`` + ``version`` at
``<plugin dir>/<source>/<version>/tflint-ruleset-<name>`` and only downloads (and checks the
signature of) plugins on ``tflint --init``, which we never run: the ruleset we built ourselves is
placed there and ``TFLINT_PLUGIN_DIR`` points at it.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from harness.paths import REPO_ROOT, TOOLS_DIR
from harness.progress import phase
from harness.toolchain import gobuild
from harness.toolchain.errors import ToolchainError

PREFIX = "toolchain"
TFLINT_CONFIG = REPO_ROOT / ".tflint.hcl"
AWS_RULESET_MODULE = "github.com/terraform-linters/tflint-ruleset-aws"
_FALLBACK = "install {name} {version} from its release page and put it on PATH"


def pinned_version(wrapper: str, module: str, tools_dir: Path = TOOLS_DIR) -> str:
    """The version of ``module`` that ``tools/<wrapper>/go.mod`` requires, e.g. ``v0.64.0``."""
    go_mod = tools_dir / wrapper / "go.mod"
    try:
        text = go_mod.read_text()
    except FileNotFoundError:
        raise ToolchainError(
            f"{go_mod} is missing: restore tools/{wrapper}/ from git (it pins {module})"
        ) from None
    match = re.search(rf"^\s*(?:require\s+)?{re.escape(module)}\s+(v\S+)", text, re.MULTILINE)
    if match is None:
        raise ToolchainError(f"{go_mod} does not require {module}: the wrapper module is broken")
    return match.group(1)


def _tool(wrapper: str, module: str, package: str, binary: str, *ldflags: str) -> gobuild.GoTool:
    version = pinned_version(wrapper, module)
    return gobuild.GoTool(
        wrapper=wrapper,
        package=package,
        binary=binary,
        ldflags=tuple(flag.format(version=version.removeprefix("v")) for flag in ldflags),
        fallback=_FALLBACK.format(name=binary, version=version),
    )


def tflint_tool() -> gobuild.GoTool:
    tflint = "github.com/terraform-linters/tflint"
    return _tool("tflint", tflint, tflint, "tflint")


def aws_ruleset_tool() -> gobuild.GoTool:
    return _tool("tflint-ruleset-aws", AWS_RULESET_MODULE, AWS_RULESET_MODULE, "tflint-ruleset-aws")


def terraform_docs_tool() -> gobuild.GoTool:
    module = "github.com/terraform-docs/terraform-docs"
    return _tool("terraform-docs", module, module, "terraform-docs")


def actionlint_tool() -> gobuild.GoTool:
    module = "github.com/rhysd/actionlint"
    # Without the version flag the binary reports our wrapper's "(devel)" version.
    return _tool(
        "actionlint",
        module,
        f"{module}/cmd/actionlint",
        "actionlint",
        "-X github.com/rhysd/actionlint.version={version}",
    )


def declared_aws_ruleset_version(config: Path = TFLINT_CONFIG) -> str:
    """The ``version`` of the ``plugin "aws"`` block in ``.tflint.hcl``."""
    try:
        text = config.read_text()
    except FileNotFoundError:
        raise ToolchainError(f"{config} is missing: restore it from git") from None
    block = re.search(r'plugin\s+"aws"\s*\{(?P<body>[^}]*)\}', text)
    version = re.search(r'^\s*version\s*=\s*"([^"]+)"', block["body"], re.M) if block else None
    if version is None:
        raise ToolchainError(f'{config} has no plugin "aws" block with a version: restore it')
    return version.group(1)


def place_plugin(binary: Path, plugin_dir: Path, version: str) -> Path:
    """Put the ruleset where tflint looks for ``source`` + ``version`` plugins; return its path."""
    target = plugin_dir / AWS_RULESET_MODULE / version.removeprefix("v") / "tflint-ruleset-aws"
    if target.exists() and target.samefile(binary):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    try:
        os.link(binary, partial)  # same cache directory tree: a hard link costs nothing
    except OSError:
        shutil.copy2(binary, partial)
    partial.replace(target)
    return target


@dataclass(frozen=True)
class LintTools:
    tflint: Path
    tflint_plugin_dir: Path
    aws_ruleset_version: str  # without the leading "v", as .tflint.hcl spells it
    terraform_docs: Path
    actionlint: Path

    def tflint_env(self) -> dict[str, str]:
        """Environment for a tflint run that finds our ruleset and never reaches the network."""
        return {"TFLINT_PLUGIN_DIR": str(self.tflint_plugin_dir)}

    def export_lines(self) -> list[str]:
        """Shell lines that make ``tflint``, ``terraform-docs`` and ``actionlint`` work by hand."""
        dirs = dict.fromkeys(
            str(p.parent) for p in (self.tflint, self.terraform_docs, self.actionlint)
        )
        return [
            f"export TFLINT_PLUGIN_DIR={self.tflint_plugin_dir}",
            f"export TFLINT_CONFIG_FILE={TFLINT_CONFIG}",
            f'export PATH="{":".join(dirs)}:$PATH"',
        ]


def ensure_lint_tools(tflint_config: Path = TFLINT_CONFIG) -> LintTools:
    """Build (first run) or find (every later run) the linters; one at a time, Go is CPU-bound."""
    pinned = pinned_version("tflint-ruleset-aws", AWS_RULESET_MODULE).removeprefix("v")
    declared = declared_aws_ruleset_version(tflint_config)
    if declared != pinned:
        raise ToolchainError(
            f'{tflint_config} asks for plugin "aws" {declared} but tools/tflint-ruleset-aws '
            f'pins {pinned}: set version = "{pinned}" there (or re-pin the wrapper)'
        )
    with phase(PREFIX, "linters (tflint, tflint-ruleset-aws, terraform-docs, actionlint)"):
        tflint = gobuild.build(tflint_tool())
        ruleset = gobuild.build(aws_ruleset_tool())
        terraform_docs = gobuild.build(terraform_docs_tool())
        actionlint = gobuild.build(actionlint_tool())
    # Next to the ruleset build it came from, so a re-pin never sees a stale plugin.
    plugin_dir = ruleset.parent / "plugins"
    place_plugin(ruleset, plugin_dir, pinned)
    return LintTools(
        tflint=tflint,
        tflint_plugin_dir=plugin_dir,
        aws_ruleset_version=pinned,
        terraform_docs=terraform_docs,
        actionlint=actionlint,
    )
