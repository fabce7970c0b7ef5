"""terraform fmt -check and init -backend=false + validate, as the lint session runs them."""

from __future__ import annotations

from pathlib import Path

from harness.lint import run_terraform_fmt, run_terraform_validate
from harness.toolchain import Toolchain

VERSIONS_TF = """\
terraform {
  required_version = ">= 1.8"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100"
    }
  }
}
"""


def module(tmp_path: Path, main_tf: str) -> Path:
    directory = tmp_path / "terraform"
    directory.mkdir()
    (directory / "versions.tf").write_text(VERSIONS_TF)
    (directory / "main.tf").write_text(main_tf)
    return directory


def test_fmt_check_fails_on_a_misaligned_file_without_rewriting_it(
    toolchain: Toolchain, tmp_path: Path
) -> None:
    unformatted = 'variable "name" {\n  type = string\n  description    = "x"\n}\n'
    directory = module(tmp_path, unformatted)

    result = run_terraform_fmt(toolchain, terraform_dir=directory)

    assert result.returncode != 0
    assert "main.tf" in result.output
    assert (directory / "main.tf").read_text() == unformatted


def test_validate_catches_an_undeclared_variable_and_leaves_no_init_behind(
    toolchain: Toolchain, tmp_path: Path
) -> None:
    directory = module(tmp_path, 'output "name" {\n  value = var.missing\n}\n')

    result = run_terraform_validate(toolchain, terraform_dir=directory)

    assert result.returncode != 0
    assert "undeclared input variable" in result.output
    assert not (directory / ".terraform").exists()
