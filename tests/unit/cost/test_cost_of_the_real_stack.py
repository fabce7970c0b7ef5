"""The root stack, planned (never applied) on the current target: $0/month idle by default,
and the dashboard adds exactly its list price."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal

import pytest

from harness import cost, pricing
from harness.pricing import cli
from harness.stack import Stack
from harness.target import Target
from harness.toolchain import Toolchain


@pytest.fixture(scope="module")
def planned_stack(toolchain: Toolchain, target: Target) -> Iterator[Stack]:
    stack = Stack.of_product(f"sda-cost-{os.getpid()}", target, toolchain)
    try:
        stack.init()
        yield stack
    finally:
        stack.remove_workdir()


def plan_with(stack: Stack, **variables: object) -> dict[str, object]:
    stack.variables = {**stack.variables, **variables}
    stack.sync()  # rewrites the variables file, keeps the initialised providers
    return stack.plan_json()


@pytest.mark.slow
def test_the_default_stack_costs_nothing_idle_and_the_dashboard_adds_its_price(
    planned_stack: Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    table = pricing.load()
    default = cost.build_report(plan_with(planned_stack, enable_dashboard=False), table=table)
    with_dashboard = cost.build_report(plan_with(planned_stack, enable_dashboard=True), table=table)

    with capsys.disabled():  # the figures are worth seeing in the test log
        print("\n" + cli.render_text(default))

    assert default.idle_total == Decimal(0)
    assert with_dashboard.idle_total - default.idle_total == table["cloudwatch_dashboard"].price
    memory = next(fact for fact in default.facts if fact.startswith("Lambda"))
    assert "arm64" in memory
