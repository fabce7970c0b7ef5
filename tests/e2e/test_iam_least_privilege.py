"""The Lambda role can do exactly what the handler needs, on its own table and log group only.

Asked of the IAM policy simulator: the real one on AWS, our extension on the emulator.
"""

from __future__ import annotations

import pytest

from harness.aws import iam
from tests.e2e.conftest import DeployedApi

pytestmark = pytest.mark.e2e

HANDLER_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
)
FORBIDDEN_ACTIONS = (
    "dynamodb:Scan",
    "dynamodb:DeleteTable",
    "dynamodb:CreateTable",
    "dynamodb:UpdateTable",
    "dynamodb:BatchWriteItem",
    "dynamodb:DescribeTable",
)


def _arns(api: DeployedApi) -> dict[str, str]:
    table_arn = str(api.outputs["table_arn"])
    prefix, _, table = table_arn.rpartition("/")
    region, account = table_arn.split(":")[3:5]
    group = str(api.outputs["log_group_name"])
    return {
        "table": table_arn,
        "index": f"{table_arn}/index/GSI1",
        "other_table": f"{prefix}/{table}-not-mine",
        "own_logs": f"arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:2026/01/01/x",
        "other_logs": (
            f"arn:aws:logs:{region}:{account}:log-group:/aws/lambda/someone-else:log-stream:x"
        ),
    }


def test_handler_actions_are_allowed_on_the_table_and_its_indexes_only(api: DeployedApi) -> None:
    arns = _arns(api)
    decisions = iam.simulate_role(
        api.target,
        api.outputs["lambda_role_arn"],
        HANDLER_ACTIONS,
        [arns["table"], arns["index"], arns["other_table"]],
    )
    for action in HANDLER_ACTIONS:
        assert decisions[(action, arns["table"])] == "allowed", action
        assert decisions[(action, arns["index"])] == "allowed", action
        assert decisions[(action, arns["other_table"])] == "implicitDeny", action


def test_scan_and_table_management_are_denied(api: DeployedApi) -> None:
    arns = _arns(api)
    decisions = iam.simulate_role(
        api.target, api.outputs["lambda_role_arn"], FORBIDDEN_ACTIONS, [arns["table"]]
    )
    assert {decisions[(action, arns["table"])] for action in FORBIDDEN_ACTIONS} == {"implicitDeny"}


def test_logs_can_be_written_to_the_functions_own_log_group_only(api: DeployedApi) -> None:
    arns = _arns(api)
    actions = ("logs:CreateLogStream", "logs:PutLogEvents")
    decisions = iam.simulate_role(
        api.target, api.outputs["lambda_role_arn"], actions, [arns["own_logs"], arns["other_logs"]]
    )
    for action in actions:
        assert decisions[(action, arns["own_logs"])] == "allowed", action
        assert decisions[(action, arns["other_logs"])] == "implicitDeny", action
    creates_groups = iam.simulate_role(
        api.target, api.outputs["lambda_role_arn"], ["logs:CreateLogGroup"], [arns["own_logs"]]
    )
    assert set(creates_groups.values()) == {"implicitDeny"}
