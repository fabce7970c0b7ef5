"""The root stack's lifecycle: apply, no drift, destroy, no orphans; three times in a row.

One working directory is initialised once and reused across the cycles, as a person running
`terraform apply` / `destroy` repeatedly would. The dashboard is switched on so that every
resource type of the product takes part.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

import pytest

from harness import audit
from harness.stack import Stack, StackError, quiet_tftest_logging
from harness.target import Target
from harness.toolchain import Toolchain

CYCLES = 3
# 32 resources by default (terraform/README.md), plus the dashboard.
EXPECTED_RESOURCES = 33


def expected_findings(prefix: str) -> set[str]:
    """What the audit must report while the stack is up (ids in parentheses stripped)."""
    return {
        f"dynamodb table {prefix}-items",
        f"lambda function {prefix}-items-api",
        f"iam role {prefix}-items-api (inline policies: {prefix}-items-api-least-privilege)",
        f"logs log group /aws/lambda/{prefix}-items-api",
        f"apigateway rest api {prefix}-api",
        f"apigateway api key {prefix}-api-default",
        f"apigateway usage plan {prefix}-api-default",
        f"cloudwatch dashboard {prefix}-overview",
        *(
            f"cloudwatch alarm {prefix}-{alarm}"
            for alarm in (
                "lambda-errors",
                "lambda-throttles",
                "api-5xx",
                "api-latency-p99",
                "dynamodb-throttles",
            )
        ),
    }


@pytest.fixture
def lifecycle_stack(toolchain: Toolchain, target: Target) -> Iterator[Stack]:
    quiet_tftest_logging()
    name = f"sda-lc-{secrets.token_hex(3)}"
    stack = Stack.of_product(name, target, toolchain, environment="test", enable_dashboard=True)
    stack.init()
    try:
        yield stack
    finally:
        # Whatever failed above, leave nothing behind (destroy of an empty state is a no-op).
        try:
            stack.destroy()
        except StackError as error:
            pytest.fail(f"final destroy of {name} failed:\n{error}")
        leftovers = audit.find_leftovers(target, name)
        stack.remove_workdir()
        assert leftovers == [], f"{name} left resources behind: {leftovers}"


@pytest.mark.e2e
@pytest.mark.slow
def test_three_apply_destroy_cycles_show_no_drift_and_leave_no_orphans(
    lifecycle_stack: Stack, target: Target
) -> None:
    prefix = lifecycle_stack.name
    for cycle in range(1, CYCLES + 1):
        lifecycle_stack.apply()

        outputs = lifecycle_stack.outputs()
        managed = [name for name in lifecycle_stack.state_resources() if ".data." not in name]
        assert len(managed) == EXPECTED_RESOURCES, managed
        assert re.fullmatch(
            rf"https://{outputs['rest_api_id']}\.execute-api\.{target.region}\.amazonaws\.com/v1",
            outputs["api_base_url"],
        )
        leftovers = audit.find_leftovers(target, prefix, settle_seconds=0)
        found = {re.sub(r" \([a-z0-9]+\)$", "", item) for item in leftovers}
        assert found == expected_findings(prefix), f"cycle {cycle}: the audit sees {found}"

        exit_code, plan = lifecycle_stack.plan_exit_code()
        assert exit_code == 0, f"cycle {cycle}: a second plan wants changes:\n{plan}"

        lifecycle_stack.destroy()
        assert audit.find_leftovers(target, prefix) == [], f"cycle {cycle} left orphans"
        assert lifecycle_stack.state_resources() == []
