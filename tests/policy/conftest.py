"""Fixtures of the policy regression checks: plans of the real root stack, and the golden file.

How the plan is obtained (and why)
----------------------------------
The golden check must read the product's real root wiring: ``terraform/`` as users deploy it,
with ``module.iam`` fed the table ARN from ``module.dynamodb`` and the log group ARN from
``module.lambda``. In a plan of a fresh stack those ARNs, and so the whole policy document,
are "(known after apply)". So the fixture first applies the stack in the emulator, then plans
the full root and reads ``show -json``: ``planned_values`` then holds the concrete policy.

The apply is targeted at ``module.iam.aws_iam_role_policy.this``. Terraform always includes a
target's whole dependency closure, so this creates exactly what the policy is computed from
(the table, the log group, the role and the policy itself, whatever the wiring becomes), and
nothing the policy cannot depend on. That keeps the gate fast (no function, API or alarms to
create and destroy) and independent of how much of Lambda and API Gateway the emulator
implements. The plan that follows is an ordinary, untargeted plan of the whole root module, so
everything else in the root (e.g. a new ``aws_iam_role_policy_attachment`` on the role, or a
second policy) shows up in it and is checked.

Both tracing variants come from the same applied stack: the second plan only flips
``tracing_enabled``, and the data source that renders the policy is re-read with known inputs.
The stack is destroyed at the end of the session, also when a test failed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from harness import package
from harness.policy import Placeholders
from harness.stack import Stack
from harness.target import Target
from harness.toolchain import Toolchain
from tests.policy.support import POLICY_ADDRESS, VARIANTS, PolicyPlans

_STUB_HANDLER = '"""Stand-in handler: the policy checks never invoke the function."""\n'


def _package(directory: Path) -> Path:
    """The real deployment zip, or a stub when lambda/items_api is not there yet.

    The zip's content cannot change the role's policy; the plan only hashes it.
    """
    output = directory / "lambda.zip"
    try:
        return package.build(output=output)
    except FileNotFoundError:
        src = directory / "src"
        (src / package.PACKAGE_NAME).mkdir(parents=True)
        (src / package.PACKAGE_NAME / "__init__.py").write_text("")
        (src / package.PACKAGE_NAME / "app.py").write_text(_STUB_HANDLER)
        return package.build(output=output, src_dir=src)


@pytest.fixture(scope="session")
def policy_plans(
    toolchain: Toolchain, target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PolicyPlans]:
    """Apply the policy's dependency closure of terraform/, plan the whole root per variant."""
    name = f"sda-pol-{secrets.token_hex(3)}"  # unique per run and per xdist worker
    zip_path = _package(tmp_path_factory.mktemp("policy-package"))
    stack = Stack(
        name=name,
        target=target,
        toolchain=toolchain,
        variables={
            "name_prefix": name,
            "lambda_package_path": str(zip_path),
            "tracing_enabled": True,
        },
    )
    account_id = str(target.client("sts").get_caller_identity()["Account"])
    try:
        stack.init()
    except BaseException:
        stack.remove_workdir()  # nothing was created yet
        raise
    try:
        stack.apply(POLICY_ADDRESS)  # and, through the graph, everything the policy refers to
        plans: dict[str, Mapping[str, Any]] = {}
        for variant, tracing in VARIANTS.items():
            stack.variables["tracing_enabled"] = tracing
            stack.sync()
            plans[variant] = stack.plan_json()
        yield PolicyPlans(
            stack_name=name,
            placeholders=Placeholders(
                account_id=account_id, region=target.region, name_prefix=name
            ),
            plans=plans,
        )
    finally:
        try:
            stack.destroy()
        finally:
            stack.remove_workdir()
