"""Golden IAM policy: the Lambda execution role of the real root stack, from `show -json`.

The plans come from the ``policy_plans`` fixture (tests/policy/conftest.py explains how and
why: an applied stack in the emulator, so the table and log group ARNs are concrete). Every
check reports readable lines (``+ dynamodb:Scan on arn:...:table/${name}-items``), never a
JSON blob.

Changing the golden file is a review of IAM: ``SDA_UPDATE_GOLDEN=1 pytest
tests/policy/test_golden_policy.py`` rewrites it from the plans and then fails on purpose, so
the new file is read in ``git diff`` before anything passes with it.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import pytest

from harness import policy
from tests.policy.support import GOLDEN_FILE, UPDATE_ENV_VAR, VARIANTS, PolicyPlans, load_golden

HANDLER_DYNAMODB_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
}
GOLDEN_ABOUT = [
    "Golden permissions of the Lambda execution role (tests/policy/test_golden_policy.py),",
    "from `terraform show -json` of a plan of terraform/ (the root) against an applied stack.",
    "${account_id}, ${region} and ${name} (name_prefix) replace the stack-specific values.",
    "Changing this file widens or narrows what the function may do: review it as IAM, not as",
    "a snapshot. Regenerate: SDA_UPDATE_GOLDEN=1 pytest tests/policy/test_golden_policy.py",
]

variants = pytest.mark.parametrize("variant", list(VARIANTS))


def _report(title: str, lines: list[str]) -> str:
    return f"{title}:\n  " + "\n  ".join(lines)


def _own_arns(plans: PolicyPlans, variant: str) -> tuple[str, str]:
    """The ARNs of this stack's table and of its function's log group, from the plan."""
    plan = plans.plans[variant]
    name = plans.stack_name
    table_arn = policy.resource_value(plan, "aws_dynamodb_table", "name", f"{name}-items", "arn")
    function = policy.extract_lambda_role(plan).function_address
    function_name = next(
        res["values"]["function_name"]
        for res in policy.planned_resources(plan)
        if res.get("address") == function
    )
    log_group_arn = policy.resource_value(
        plan, "aws_cloudwatch_log_group", "name", f"/aws/lambda/{function_name}", "arn"
    )
    return table_arn, log_group_arn


# -- against the plans of the real root stack ---------------------------------------------------
@pytest.mark.slow
def test_golden_file_is_current_or_rewritten_on_request(policy_plans: PolicyPlans) -> None:
    """With SDA_UPDATE_GOLDEN=1, rewrite the golden file from the plans and fail for review."""
    if os.environ.get(UPDATE_ENV_VAR) != "1":
        assert GOLDEN_FILE.is_file(), f"{GOLDEN_FILE} is missing; create it with {UPDATE_ENV_VAR}=1"
        assert set(load_golden()) == {"_about", *VARIANTS}
        return
    rendered: dict[str, Any] = {"_about": GOLDEN_ABOUT}
    for variant, plan in policy_plans.plans.items():
        permissions = policy.extract_lambda_role(plan)
        rendered[variant] = policy.golden_variant(permissions, policy_plans.placeholders)
    GOLDEN_FILE.write_text(json.dumps(rendered, indent=2) + "\n", encoding="utf-8")
    pytest.fail(
        f"{GOLDEN_FILE} rewritten from the plans: review `git diff {GOLDEN_FILE}`, then run "
        f"again without {UPDATE_ENV_VAR}"
    )


@pytest.mark.slow
@variants
def test_plan_has_the_variants_tracing_setting(policy_plans: PolicyPlans, variant: str) -> None:
    assert policy_plans.plans[variant]["variables"]["tracing_enabled"]["value"] is VARIANTS[variant]


@pytest.mark.slow
@variants
def test_lambda_role_policy_matches_golden(policy_plans: PolicyPlans, variant: str) -> None:
    permissions = policy.extract_lambda_role(policy_plans.plans[variant])
    lines = policy.compare_to_golden(load_golden()[variant], permissions, policy_plans.placeholders)
    assert lines == [], _report(
        f"the role {permissions.role_name} ({variant}) differs from {GOLDEN_FILE.name} "
        "(+ granted by the plan only, - in the golden file only)",
        lines,
    )


@pytest.mark.slow
@variants
def test_lambda_role_policy_has_no_wildcards_outside_xray(
    policy_plans: PolicyPlans, variant: str
) -> None:
    found = policy.extract_lambda_role(policy_plans.plans[variant]).grants()
    lines = policy.wildcard_findings(found)
    assert lines == [], _report(f"wildcards in the role's policy ({variant})", lines)


@pytest.mark.slow
@variants
def test_lambda_role_policy_stays_on_own_table_indexes_and_log_group(
    policy_plans: PolicyPlans, variant: str
) -> None:
    table_arn, log_group_arn = _own_arns(policy_plans, variant)
    found = policy.extract_lambda_role(policy_plans.plans[variant]).grants()
    lines = policy.scope_findings(found, table_arn, log_group_arn)
    assert lines == [], _report(f"grants beyond this stack's own resources ({variant})", lines)
    dynamodb_resources = {g.resource for g in found if g.service == "dynamodb"}
    assert dynamodb_resources == {table_arn, f"{table_arn}/index/*"}
    assert {g.resource for g in found if g.service == "logs"} == {f"{log_group_arn}:*"}


@pytest.mark.slow
@variants
def test_xray_is_granted_exactly_when_tracing_is_on(
    policy_plans: PolicyPlans, variant: str
) -> None:
    found = policy.extract_lambda_role(policy_plans.plans[variant]).grants()
    xray = {(g.action, g.resource) for g in found if g.service == "xray"}
    if VARIANTS[variant]:
        assert xray == {("xray:PutTraceSegments", "*"), ("xray:PutTelemetryRecords", "*")}
    else:
        assert xray == set()


@pytest.mark.slow
def test_golden_check_fails_readably_on_a_bad_copy_of_the_real_plan(
    policy_plans: PolicyPlans,
) -> None:
    """The gate has teeth: Scan and a '*' resource injected into the real plan are caught."""
    plan: dict[str, Any] = copy.deepcopy(dict(policy_plans.plans["tracing_enabled"]))
    permissions = policy.extract_lambda_role(plan)
    (policy_address,) = permissions.inline_policies
    table_arn, _ = _own_arns(policy_plans, "tracing_enabled")
    for res in policy.planned_resources(plan):
        if res.get("address") == policy_address:
            document = json.loads(res["values"]["policy"])
            document["Statement"].append(
                {"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": table_arn}
            )
            document["Statement"].append(
                {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "*"}
            )
            res["values"]["policy"] = json.dumps(document)
    bad = policy.extract_lambda_role(plan)
    golden_table = "arn:aws:dynamodb:${region}:${account_id}:table/${name}-items"
    assert policy.compare_to_golden(
        load_golden()["tracing_enabled"], bad, policy_plans.placeholders
    ) == ["+ dynamodb:GetItem on *", f"+ dynamodb:Scan on {golden_table}"]
    assert policy.wildcard_findings(bad.grants()) == [
        '! dynamodb:GetItem on *: "*" resource outside X-Ray'
    ]


# -- the golden file itself (fast: no stack) ----------------------------------------------------
def _golden_grants(variant: str) -> frozenset[policy.Grant]:
    return policy.grants(load_golden()[variant]["policy"])


@variants
def test_golden_file_is_least_privilege_itself(variant: str) -> None:
    """Nobody can bless a wildcard or a managed policy into the golden file."""
    found = _golden_grants(variant)
    lines = policy.wildcard_findings(found)
    assert lines == [], _report(f"wildcards in {GOLDEN_FILE.name} ({variant})", lines)
    assert load_golden()[variant]["managed_policy_arns"] == []
    expected_services = {"dynamodb", "logs", "xray"} if VARIANTS[variant] else {"dynamodb", "logs"}
    assert {g.service for g in found} == expected_services


@variants
def test_golden_dynamodb_actions_are_exactly_the_handlers_declared_needs(variant: str) -> None:
    """REQUIRED_DYNAMODB_ACTIONS (lambda/items_api/storage.py) and the golden file agree."""
    from items_api.storage import (
        REQUIRED_DYNAMODB_ACTIONS,
    )  # here: a missing name fails this test only

    assert isinstance(REQUIRED_DYNAMODB_ACTIONS, tuple)
    assert set(REQUIRED_DYNAMODB_ACTIONS) == HANDLER_DYNAMODB_ACTIONS
    granted = {g.action for g in _golden_grants(variant)}
    lines = policy.action_set_findings(granted, REQUIRED_DYNAMODB_ACTIONS, "dynamodb")
    assert lines == [], _report(f"{GOLDEN_FILE.name} ({variant}) vs the handler", lines)
