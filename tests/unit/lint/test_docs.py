"""terraform-docs sections between the markers: regenerated, and stale ones detected."""

from __future__ import annotations

from pathlib import Path

from harness import docs
from harness.lint import check_docs
from harness.toolchain.lint_tools import LintTools

VARIABLES_TF = """\
variable "table_name" {
  description = "Name of the table."
  type        = string
}
"""
README = (
    "# table\n\nProse the module author wrote.\n\n"
    "<!-- BEGIN_TF_DOCS -->\n<!-- END_TF_DOCS -->\n\nMore prose.\n"
)


def module(tmp_path: Path) -> Path:
    root = tmp_path / "terraform"
    root.mkdir()
    (root / "variables.tf").write_text(VARIABLES_TF)
    (root / "README.md").write_text(README)
    return root


def test_regenerating_fills_the_markers_and_keeps_the_prose(
    lint_tools: LintTools, tmp_path: Path
) -> None:
    root = module(tmp_path)

    outcome = docs.sync([root], lint_tools.terraform_docs, check=False)
    text = (root / "README.md").read_text()

    assert outcome.updated == [root / "README.md"]
    assert "table\\_name" in text or "table_name" in text
    assert text.startswith("# table\n\nProse the module author wrote.\n")
    assert text.endswith("<!-- END_TF_DOCS -->\n\nMore prose.\n")


def test_check_passes_when_fresh_and_names_the_readme_when_stale(
    lint_tools: LintTools, tmp_path: Path
) -> None:
    root = module(tmp_path)
    docs.sync([root], lint_tools.terraform_docs, check=False)
    assert check_docs(lint_tools, terraform_dir=root).ok

    (root / "variables.tf").write_text(
        VARIABLES_TF + 'variable "ttl" {\n  description = "TTL attribute."\n  type = string\n}\n'
    )
    before = (root / "README.md").read_text()
    result = check_docs(lint_tools, terraform_dir=root)

    assert result.returncode == 1
    assert f"STALE: {root / 'README.md'}" in result.output
    assert "input_ttl" in result.output  # the diff shows the missing row
    assert (root / "README.md").read_text() == before  # --check never writes


def test_a_readme_without_markers_is_an_error_not_a_silent_append(
    lint_tools: LintTools, tmp_path: Path
) -> None:
    root = module(tmp_path)
    (root / "README.md").write_text("# table\n\nNo markers here.\n")

    outcome = docs.sync([root], lint_tools.terraform_docs, check=False)

    assert not outcome.ok
    assert "no <!-- BEGIN_TF_DOCS -->" in outcome.text()
    assert (root / "README.md").read_text() == "# table\n\nNo markers here.\n"


def test_module_dirs_are_the_root_and_each_module_with_tf_files(tmp_path: Path) -> None:
    root = module(tmp_path)
    for name in ("b", "a"):
        (root / "modules" / name).mkdir(parents=True)
        (root / "modules" / name / "main.tf").write_text("")
    (root / "modules" / "notes").mkdir()

    assert docs.module_dirs(root) == [root, root / "modules" / "a", root / "modules" / "b"]
