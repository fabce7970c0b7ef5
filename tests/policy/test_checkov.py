"""Checkov over terraform/: zero failed checks, and every suppression inline and justified.

Checkov runs from its own virtualenv (harness.toolchain.checkov: its pins clash with the dev
lock), offline: external modules are not downloaded, nothing is fetched from the Prisma/
Bridgecrew platform (no API key, --skip-download), every proxy variable points at a port
nobody listens on, and HOME is an empty directory so no personal ~/.checkov.yaml can add skips.
The repository's .checkov.yaml (read from the working directory) carries no skip lists:
suppressions are ``#checkov:skip=CKV_...: why`` comments inside the resource they concern.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.paths import REPO_ROOT, TERRAFORM_DIR
from harness.toolchain.checkov import ensure_checkov

DEAD_PROXY = "http://127.0.0.1:9"
TIMEOUT_SECONDS = 600
MIN_JUSTIFICATION_CHARS = 20
CONFIG_FILES = [REPO_ROOT / name for name in (".checkov.yaml", ".checkov.yml")] + [
    TERRAFORM_DIR / name for name in (".checkov.yaml", ".checkov.yml")
]
# Config keys that would hide findings outside the .tf files a reviewer reads.
FORBIDDEN_CONFIG_KEYS = ("skip-check", "soft-fail", "soft-fail-on", "check", "skip-path",
                         "baseline", "skip-framework", "enable-secret-scan-all-files")  # fmt: skip


@pytest.fixture(scope="session")
def checkov() -> Path:
    """The pinned checkov executable (installed on first use into the shared cache)."""
    return ensure_checkov()


@pytest.fixture(scope="module")
def report(checkov: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("checkov-home")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BC_", "PRISMA_", "CKV_", "CHECKOV_"))
    }
    env.update(
        HOME=str(home),
        HTTPS_PROXY=DEAD_PROXY, HTTP_PROXY=DEAD_PROXY, https_proxy=DEAD_PROXY,
        http_proxy=DEAD_PROXY, NO_PROXY="", no_proxy="",
    )  # fmt: skip
    argv = [
        str(checkov),
        "--directory", "terraform",
        "--framework", "terraform",
        "--download-external-modules", "false",
        "--skip-download",
        "--compact",  # not --quiet: skipped checks must be listed with their comments
        "--output", "json",
    ]  # fmt: skip
    proc = subprocess.run(  # fixed argv, no shell
        argv,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    # Exit code 1 means "some check failed", which the tests below report readably.
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        pytest.fail(
            f"checkov exited {proc.returncode} without a report:\n{proc.stderr[-3000:]}",
            pytrace=False,
        )
    parsed = json.loads(proc.stdout)
    reports = parsed if isinstance(parsed, list) else [parsed]
    terraform = [item for item in reports if item.get("check_type", "terraform") == "terraform"]
    assert len(terraform) == 1, f"expected one terraform report, got {proc.stdout[:500]}"
    found: dict[str, Any] = terraform[0]
    return found


def _where(check: dict[str, Any]) -> str:
    start, end = check.get("file_line_range") or (0, 0)
    return f"terraform{check.get('file_path', '?')}:{start}-{end}"


def _describe(check: dict[str, Any]) -> str:
    text = (
        f"{check['check_id']} {check.get('check_name', '')}\n"
        f"      {check.get('resource', '?')} at {_where(check)}"
    )
    if check.get("guideline"):
        text += f"\n      guide: {check['guideline']}"
    return text


def test_checkov_scanned_the_stack(report: dict[str, Any]) -> None:
    summary = report.get("summary", report)
    assert summary.get("parsing_errors", 0) == 0, f"checkov could not parse: {summary}"
    assert summary.get("resource_count", 0) >= 20, f"checkov scanned too little: {summary}"


def test_checkov_finds_no_failed_checks(report: dict[str, Any]) -> None:
    failed = report.get("results", {}).get("failed_checks", [])
    if failed:
        lines = [_describe(check) for check in failed]
        pytest.fail(
            f"{len(failed)} failed Checkov check(s); fix them, or suppress with a justified "
            "`#checkov:skip=<ID>: <why>` line inside the resource:\n  - " + "\n  - ".join(lines),
            pytrace=False,
        )


def unjustified(skipped: list[dict[str, Any]]) -> list[str]:
    """Skipped checks whose inline comment gives no real reason."""
    lines = []
    for check in skipped:
        comment = str(check.get("check_result", {}).get("suppress_comment", "")).strip()
        if comment == "No comment provided" or len(comment) < MIN_JUSTIFICATION_CHARS:
            lines.append(f"{_describe(check)}\n      justification: {comment!r}")
    return lines


def test_every_suppression_is_inline_and_justified(report: dict[str, Any]) -> None:
    results = report.get("results", {})
    assert "passed_checks" in results, "checkov ran quiet: skipped checks would not be listed"
    skipped = results.get("skipped_checks", [])
    assert len(skipped) == report.get("summary", {}).get("skipped", 0)
    lines = unjustified(skipped)
    assert not lines, (
        "each `#checkov:skip=<ID>: <why>` needs a real justification "
        f"(>= {MIN_JUSTIFICATION_CHARS} characters):\n  - " + "\n  - ".join(lines)
    )


def test_unjustified_skips_are_reported() -> None:
    """The justification check has teeth (records shaped like checkov 3.3's JSON)."""

    def record(comment: str) -> dict[str, Any]:
        return {
            "check_id": "CKV_AWS_117",
            "check_name": "Ensure that AWS Lambda function is configured inside a VPC",
            "resource": "module.lambda.aws_lambda_function.this",
            "file_path": "/modules/lambda/main.tf",
            "file_line_range": [22, 60],
            "check_result": {"result": "SKIPPED", "suppress_comment": comment},
        }

    assert unjustified([record(" no VPC resources to reach; a VPC adds NAT cost")]) == []
    assert unjustified([record("No comment provided"), record(" ok")]) == [
        "CKV_AWS_117 Ensure that AWS Lambda function is configured inside a VPC\n"
        "      module.lambda.aws_lambda_function.this at terraform/modules/lambda/main.tf:22-60"
        f"\n      justification: {comment!r}"
        for comment in ("No comment provided", "ok")
    ]


def test_no_checkov_config_hides_findings() -> None:
    """Skips live next to the resource they concern, never in a config file."""
    offending = []
    for path in CONFIG_FILES:
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = re.match(r"^\s*([A-Za-z-]+)\s*:", line)
            if match and match.group(1) in FORBIDDEN_CONFIG_KEYS:
                offending.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert not offending, "config keys that hide Checkov findings:\n  " + "\n  ".join(offending)
