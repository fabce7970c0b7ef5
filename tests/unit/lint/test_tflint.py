"""tflint with the AWS ruleset, found offline in TFLINT_PLUGIN_DIR (no `tflint --init`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.lint import run_tflint
from harness.toolchain.lint_tools import AWS_RULESET_MODULE, LintTools

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


def write_module(directory: Path, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "versions.tf").write_text(VERSIONS_TF)
    (directory / "main.tf").write_text(body)
    return directory


def test_the_ruleset_sits_where_tflint_looks_for_a_pinned_plugin(lint_tools: LintTools) -> None:
    plugin = (
        lint_tools.tflint_plugin_dir
        / AWS_RULESET_MODULE
        / lint_tools.aws_ruleset_version
        / "tflint-ruleset-aws"
    )

    assert plugin.is_file()
    assert plugin.stat().st_mode & 0o111


def test_aws_and_terraform_rules_flag_a_known_bad_module(
    lint_tools: LintTools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty HOME: the plugin can only come from TFLINT_PLUGIN_DIR, never ~/.tflint.d.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    module = write_module(
        tmp_path / "bad",
        'variable "untyped" {}\n\n'
        'resource "aws_instance" "web" {\n'
        '  ami           = "ami-0ff8a91507f77f867"\n'
        '  instance_type = "t1.2xlarge"\n'
        "}\n",
    )

    result = run_tflint(lint_tools, terraform_dir=module)

    assert result.returncode != 0
    assert "aws_instance_invalid_type" in result.output  # from the AWS ruleset plugin
    assert "terraform_typed_variables" in result.output  # from the recommended preset


def test_modules_called_by_the_root_are_linted_too(lint_tools: LintTools, tmp_path: Path) -> None:
    root = write_module(tmp_path / "root", 'module "table" {\n  source = "./modules/table"\n}\n')
    write_module(
        root / "modules" / "table",
        'resource "aws_dynamodb_table" "this" {\n'
        '  name         = "t"\n'
        '  billing_mode = "ON_DEMAND"\n'
        '  hash_key     = "PK"\n'
        '  attribute {\n    name = "PK"\n    type = "S"\n  }\n'
        "}\n",
    )

    result = run_tflint(lint_tools, terraform_dir=root)

    assert result.returncode != 0
    assert "aws_dynamodb_table_invalid_billing_mode" in result.output


def test_a_clean_module_passes(lint_tools: LintTools, tmp_path: Path) -> None:
    module = write_module(
        tmp_path / "clean",
        'variable "name" {\n  type        = string\n  description = "Table name."\n}\n\n'
        'resource "aws_dynamodb_table" "this" {\n'
        "  name         = var.name\n"
        '  billing_mode = "PAY_PER_REQUEST"\n'
        '  hash_key     = "PK"\n'
        '  attribute {\n    name = "PK"\n    type = "S"\n  }\n'
        "}\n",
    )

    result = run_tflint(lint_tools, terraform_dir=module)

    assert result.ok, result.output
