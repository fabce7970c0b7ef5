"""Module READMEs: terraform-docs tables between ``<!-- BEGIN_TF_DOCS -->`` markers.

terraform-docs renders from ``.terraform-docs.yml``, which injects between the markers and
leaves the prose around them alone. We render each module in a scratch copy and compare, so
``--check`` can say which README is stale and show the diff without touching the tree.

    python -m harness.docs            # regenerate stale README sections
    python -m harness.docs --check    # fail (exit 1) naming each stale README
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.paths import REPO_ROOT, TERRAFORM_DIR

CONFIG = REPO_ROOT / ".terraform-docs.yml"
BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
README = "README.md"
MAX_DIFF_LINES = 60


def module_dirs(terraform_dir: Path = TERRAFORM_DIR) -> list[Path]:
    """The root module and every module under ``modules/`` (directories holding .tf files)."""
    dirs = [terraform_dir]
    modules = terraform_dir / "modules"
    if modules.is_dir():
        dirs += sorted(d for d in modules.iterdir() if d.is_dir() and any(d.glob("*.tf")))
    return dirs


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


class DocsError(RuntimeError):
    """terraform-docs could not render a module."""


def render(module_dir: Path, terraform_docs: Path, config: Path = CONFIG) -> str:
    """What the module's README should contain: its current text with fresh tables."""
    readme = module_dir / README
    with tempfile.TemporaryDirectory(prefix="sda-docs-") as scratch:
        work = Path(scratch)
        for source in module_dir.iterdir():
            if source.is_file() and (source.suffix == ".tf" or source.name.endswith(".tf.json")):
                shutil.copy2(source, work / source.name)
        if readme.exists():
            shutil.copy2(readme, work / README)
        completed = subprocess.run(
            [str(terraform_docs), f"--config={config.resolve()}", str(work)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            output = (
                (completed.stdout + completed.stderr)
                .strip()
                .replace(str(work), _display(module_dir))
            )
            raise DocsError(f"terraform-docs failed on {_display(module_dir)}: {output}")
        return (work / README).read_text()


@dataclass
class Outcome:
    fresh: list[Path] = field(default_factory=list)
    stale: list[tuple[Path, str]] = field(default_factory=list)  # (README, diff)
    updated: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.stale and not self.errors

    def text(self) -> str:
        lines = [f"up to date: {_display(path)}" for path in self.fresh]
        lines += [f"regenerated: {_display(path)}" for path in self.updated]
        for path, diff in self.stale:
            lines.append(f"STALE: {_display(path)} (run `python -m harness.docs` and commit it)")
            lines.append(diff)
        lines += [f"ERROR: {error}" for error in self.errors]
        return "\n".join(lines)


def _diff(readme: Path, current: str, wanted: str) -> str:
    if not current:
        return f"  {_display(readme)} does not exist"
    lines = list(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            wanted.splitlines(keepends=True),
            fromfile=f"{_display(readme)} (committed)",
            tofile=f"{_display(readme)} (generated)",
            n=1,
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        hidden = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"... ({hidden} more diff lines)\n"]
    return "".join(lines).rstrip()


def sync(dirs: Sequence[Path], terraform_docs: Path, check: bool, config: Path = CONFIG) -> Outcome:
    """Compare (check) or regenerate (not check) each module's README section."""
    outcome = Outcome()
    for module_dir in dirs:
        readme = module_dir / README
        current = readme.read_text() if readme.exists() else ""
        if current and (BEGIN not in current or END not in current):
            outcome.errors.append(
                f"{_display(readme)} has no {BEGIN} / {END} markers: add both where the tables go"
            )
            continue
        try:
            wanted = render(module_dir, terraform_docs, config)
        except DocsError as error:
            outcome.errors.append(str(error))
            continue
        if wanted == current:
            outcome.fresh.append(readme)
        elif check:
            outcome.stale.append((readme, _diff(readme, current, wanted)))
        else:
            readme.write_text(wanted)
            outcome.updated.append(readme)
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.docs", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail on stale READMEs, change nothing"
    )
    parser.add_argument("--terraform-dir", type=Path, default=TERRAFORM_DIR)
    args = parser.parse_args(argv)

    from harness.toolchain.errors import ToolchainError
    from harness.toolchain.lint_tools import ensure_lint_tools

    try:
        tools = ensure_lint_tools()
    except ToolchainError as error:
        print(f"docs: {error}", file=sys.stderr)
        return 1
    outcome = sync(module_dirs(args.terraform_dir), tools.terraform_docs, check=args.check)
    print(outcome.text())
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
