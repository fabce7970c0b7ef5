"""Bad input fails at `plan` with the variable's own validation message and creates nothing.

Each case plans the real root stack against the target (the emulator by default) with one bad
value; the stack is named uniquely, and afterwards the orphan audit finds nothing by that name
or by its Stack tag.
"""

from __future__ import annotations

import re
import secrets
import zipfile
from pathlib import Path
from typing import Any

import pytest

from harness import audit
from harness.stack import Stack, StackError
from harness.target import Target
from harness.toolchain import Toolchain

# The four the issue names, one plan each: the single bad value alone must fail the plan.
CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "invalid name_prefix": (
        {"name_prefix": "Bad_Prefix"},
        ["name_prefix must be 3-24 characters of lower-case letters, digits and '-'"],
    ),
    "negative quota": (
        {"clients": {"default": {"quota_limit": -5}}},
        ["Each client's quota_limit must be a whole number greater than 0."],
    ),
    "unknown client field": (
        {"clients": {"default": {"quota": 5}}},
        [
            'Unknown client attribute(s) ["quota"]: a client accepts only quota_limit, '
            "quota_period, burst_limit, rate_limit and enabled."
        ],
    ),
    "bad retention": (
        {"log_retention_days": 13},
        ["log_retention_days must be one of 1, 3, 5, 7, 14, 30,"],
    ),
    # Other rules, several per plan (each plan costs a provider start). OpenTofu reports only the
    # first failing rule of a variable, so each plan breaks at most one rule per variable.
    "other rules together": (
        {
            "name_prefix": "sda-" + "x" * 30,
            "clients": {"Team_A": {}},
            "tags": {"Stack": "someone-else"},
            "lambda_timeout_seconds": 30,
        },
        [
            "name_prefix must be 3-24 characters",
            "Client names must match ^[a-z][a-z0-9-]{0,31}$",
            "tags must not set Project, Stack, Environment or ManagedBy",
            "lambda_timeout_seconds must be a whole number between 1 and 29.",
        ],
    ),
    "more rules together": (
        {
            "clients": {"weekly": {"quota_period": "YEAR"}},
            "lambda_memory_mb": 64,
            "reserved_concurrency": -1,
            "alarm_sns_topic_arn": "not-an-arn",
        },
        [
            "Each client's quota_period must be DAY, WEEK or MONTH.",
            "lambda_memory_mb must be a whole number between 128 and 10240.",
            "reserved_concurrency must be null (unreserved) or a whole number >= 0.",
            "alarm_sns_topic_arn must be an SNS topic ARN",
        ],
    ),
}


@pytest.fixture(scope="module")
def package_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in deployment zip: these plans fail before any code would be deployed."""
    path = tmp_path_factory.mktemp("package") / "lambda.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("items_api/app.py", "def lambda_handler(event, context):\n    return {}\n")
    return path


def _plain(text: str) -> str:
    """CLI output with line wrapping and the diagnostic frame removed."""
    lines = [re.sub(r"^[\s│╷╵]+", "", line) for line in text.splitlines()]
    return re.sub(r"\s+", " ", " ".join(lines))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_fails_at_plan_with_the_validation_message_and_creates_nothing(
    case: str, toolchain: Toolchain, target: Target, package_zip: Path, tmp_path: Path
) -> None:
    overrides, messages = CASES[case]
    stack_name = f"sda-bad-{secrets.token_hex(3)}"
    variables = {
        "name_prefix": stack_name,
        "region": target.region,
        "lambda_package_path": str(package_zip),
        **overrides,
    }
    stack = Stack(
        name=stack_name,
        target=target,
        toolchain=toolchain,
        variables=variables,
        workdir=tmp_path / "stack",
    )
    stack.init()

    with pytest.raises(StackError) as failed:
        stack.plan_exit_code()

    # StackError wraps tftest's error, whose args are (message with stdout, stderr).
    cause = failed.value.__cause__
    output = _plain("\n".join(str(part) for part in (cause.args if cause else failed.value.args)))
    assert "Invalid value for variable" in output
    for message in messages:
        assert message in output
    assert not (stack.dir / "terraform.tfstate").exists()
    assert audit.find_leftovers(target, stack_name) == []
    assert audit.find_leftovers(target, str(variables["name_prefix"])) == []
