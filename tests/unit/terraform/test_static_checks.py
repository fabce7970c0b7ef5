"""fmt and validate for the root stack and each module, plus the module conventions.

validate runs in a temporary copy after `init -backend=false`, so no .terraform directory or
lock file ever lands in the repository. Modules validate without any provider configuration.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.paths import TERRAFORM_DIR
from harness.toolchain import Toolchain
from tests.unit.terraform.conftest import MODULES, run_cli

STANDARD_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
TARGETS = (".", *(f"modules/{name}" for name in MODULES))


def test_every_file_is_canonically_formatted(toolchain: Toolchain) -> None:
    result = run_cli(toolchain, TERRAFORM_DIR, "fmt", "-check", "-recursive", "-diff", "-no-color")

    assert result.returncode == 0, f"terraform fmt would change:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("relative", TARGETS)
def test_configuration_is_valid_without_warnings(
    toolchain: Toolchain, terraform_copy: Path, relative: str
) -> None:
    directory = terraform_copy / relative

    init = run_cli(toolchain, directory, "init", "-backend=false", "-input=false", "-no-color")
    assert init.returncode == 0, init.stdout + init.stderr
    result = run_cli(toolchain, directory, "validate", "-json", "-no-color")

    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report["diagnostics"], indent=2)
    # Warnings include deprecations, i.e. attributes the next provider major removes.
    assert report["warning_count"] == 0, json.dumps(report["diagnostics"], indent=2)
    assert not (TERRAFORM_DIR / relative / ".terraform").exists()


def test_the_five_modules_follow_the_standard_module_structure() -> None:
    modules = sorted(path.name for path in (TERRAFORM_DIR / "modules").iterdir() if path.is_dir())

    assert modules == sorted(MODULES)
    for relative in TARGETS:
        for name in STANDARD_FILES:
            assert (TERRAFORM_DIR / relative / name).is_file(), f"{relative}/{name} is missing"


def _blocks(text: str, kind: str) -> dict[str, str]:
    """name -> body of each top-level `<kind> "name" { ... }` block (brace matched)."""
    blocks: dict[str, str] = {}
    for match in re.finditer(rf'^{kind} "([^"]+)" \{{', text, flags=re.MULTILINE):
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            index += 1
        blocks[match.group(1)] = text[match.end() : index - 1]
    return blocks


@pytest.mark.parametrize("relative", TARGETS)
def test_every_variable_is_described_and_typed_and_every_output_described(
    relative: str,
) -> None:
    directory = TERRAFORM_DIR / relative
    variables = _blocks((directory / "variables.tf").read_text(), "variable")
    outputs = _blocks((directory / "outputs.tf").read_text(), "output")

    assert variables
    assert outputs
    for name, body in variables.items():
        assert re.search(r"^\s+description\s+=", body, re.MULTILINE), f"variable {name}"
        assert re.search(r"^\s+type\s+=", body, re.MULTILINE), f"variable {name}"
    for name, body in outputs.items():
        assert re.search(r"^\s+description\s+=", body, re.MULTILINE), f"output {name}"


def test_api_key_values_are_sensitive_outputs() -> None:
    for relative in (".", "modules/api_gateway"):
        outputs = _blocks((TERRAFORM_DIR / relative / "outputs.tf").read_text(), "output")
        assert re.search(r"sensitive\s+=\s+true", outputs["api_keys"]), relative


@pytest.mark.parametrize("relative", TARGETS)
def test_readme_has_the_terraform_docs_markers(relative: str) -> None:
    readme = (TERRAFORM_DIR / relative / "README.md").read_text()

    begin, end = readme.find("<!-- BEGIN_TF_DOCS -->"), readme.find("<!-- END_TF_DOCS -->")
    assert 0 <= begin < end
    assert "## Inputs" in readme[begin:end]
    assert "## Outputs" in readme[begin:end]
