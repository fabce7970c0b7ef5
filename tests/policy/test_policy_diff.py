"""harness.policy on synthetic `show -json` plans: extraction, normalisation, readable diffs.

Fast (no terraform): each test builds a plan shaped like the real one and checks the exact
lines a reviewer would read when the role's permissions drift.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from harness import policy
from harness.policy import Grant, Placeholders, PolicyExtractionError

ACCOUNT = "123456789012"
REGION = "eu-west-3"
NAME = "sda-unit"
TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{NAME}-items"
LOG_GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{NAME}-items-api"
ROLE_NAME = f"{NAME}-items-api"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
VALUES = Placeholders(account_id=ACCOUNT, region=REGION, name_prefix=NAME)

G_TABLE = "arn:aws:dynamodb:${region}:${account_id}:table/${name}-items"
G_LOGS = "arn:aws:logs:${region}:${account_id}:log-group:/aws/lambda/${name}-items-api:*"
CRUD = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
        "dynamodb:UpdateItem"]  # fmt: skip


def role_policy(tracing: bool = True) -> dict[str, Any]:
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ItemsTableCrudOnTableAndIndexes",
            "Effect": "Allow",
            "Action": list(reversed(CRUD)),
            "Resource": [f"{TABLE_ARN}/index/*", TABLE_ARN],
        },
        {
            "Sid": "WriteOwnLogGroupOnly",
            "Effect": "Allow",
            "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
            "Resource": f"{LOG_GROUP_ARN}:*",
        },
    ]
    if tracing:
        statements.append(
            {
                "Effect": "Allow",
                "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                "Resource": "*",
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def resource(address: str, type_: str, values: dict[str, Any]) -> dict[str, Any]:
    name = address.rsplit(".", 1)[-1]
    return {"address": address, "mode": "managed", "type": type_, "name": name, "values": values}


def make_plan(document: dict[str, Any] | None = None, tracing: bool = True) -> dict[str, Any]:
    """A plan of an applied stack, shaped like terraform 1.11's `show -json` output."""
    document = role_policy(tracing) if document is None else document
    iam = [
        resource("module.iam.aws_iam_role.this", "aws_iam_role", {
            "name": ROLE_NAME, "arn": ROLE_ARN, "managed_policy_arns": [],
            # Computed from the live role: may be stale in a plan, so it must be ignored.
            "inline_policy": [{"name": "stale", "policy": json.dumps({"Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})}],
        }),
        resource("module.iam.aws_iam_role_policy.this", "aws_iam_role_policy", {
            "name": f"{ROLE_NAME}-least-privilege", "role": ROLE_NAME,
            "policy": json.dumps(document),
        }),
    ]  # fmt: skip
    other = [
        resource("module.dynamodb.aws_dynamodb_table.this", "aws_dynamodb_table", {
            "name": f"{NAME}-items", "arn": TABLE_ARN}),
        resource("module.lambda.aws_cloudwatch_log_group.this", "aws_cloudwatch_log_group", {
            "name": f"/aws/lambda/{NAME}-items-api", "arn": LOG_GROUP_ARN}),
        resource("module.lambda.aws_lambda_function.this", "aws_lambda_function", {
            "function_name": f"{NAME}-items-api", "role": ROLE_ARN}),
        # Another role's policy in the same plan is not the function's business.
        resource("aws_iam_role_policy.unrelated", "aws_iam_role_policy", {
            "role": "someone-else", "policy": json.dumps({"Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"}]})}),
    ]  # fmt: skip
    return {
        "format_version": "1.2",
        "variables": {"tracing_enabled": {"value": tracing}},
        "planned_values": {
            "root_module": {
                "resources": [other[3]],
                "child_modules": [
                    {"address": "module.dynamodb", "resources": [other[0]]},
                    {"address": "module.iam", "resources": iam},
                    {"address": "module.lambda", "resources": [other[1], other[2]]},
                ],
            }
        },
        "resource_changes": [],
        "configuration": {
            "root_module": {
                "module_calls": {
                    "iam": {
                        "module": {
                            "resources": [
                                {"address": "aws_iam_role.this", "type": "aws_iam_role",
                                 "expressions": {"name": {"references": ["local.name"]}}},
                            ]
                        }
                    }
                }
            }
        },
    }  # fmt: skip


def golden(tracing: bool = True) -> dict[str, Any]:
    statements: list[dict[str, Any]] = [
        {"Effect": "Allow", "Action": CRUD, "Resource": [G_TABLE, f"{G_TABLE}/index/*"]},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": [G_LOGS]},
    ]  # fmt: skip
    if tracing:
        statements.append(
            {
                "Effect": "Allow",
                "Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
                "Resource": ["*"],
            }
        )
    return {"managed_policy_arns": [], "policy": {"Version": "2012-10-17", "Statement": statements}}


def policy_document(plan: dict[str, Any]) -> dict[str, Any]:
    for module in plan["planned_values"]["root_module"]["child_modules"]:
        for res in module["resources"]:
            if res["type"] == "aws_iam_role_policy":
                loaded: dict[str, Any] = json.loads(res["values"]["policy"])
                return loaded
    raise AssertionError("no aws_iam_role_policy in the synthetic plan")


def with_policy(plan: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    mutated = copy.deepcopy(plan)
    for module in mutated["planned_values"]["root_module"]["child_modules"]:
        for res in module["resources"]:
            if res["type"] == "aws_iam_role_policy":
                res["values"]["policy"] = json.dumps(document)
    return mutated


def add_statement(plan: dict[str, Any], statement: dict[str, Any]) -> dict[str, Any]:
    document = policy_document(plan)
    document["Statement"].append(statement)
    return with_policy(plan, document)


def diff(plan: dict[str, Any], tracing: bool = True) -> list[str]:
    return policy.compare_to_golden(golden(tracing), policy.extract_lambda_role(plan), VALUES)


# -- extraction ---------------------------------------------------------------------------------
def test_extracts_only_the_functions_role_policy() -> None:
    found = policy.extract_lambda_role(make_plan())
    assert found.function_address == "module.lambda.aws_lambda_function.this"
    assert found.role_name == ROLE_NAME
    assert list(found.inline_policies) == ["module.iam.aws_iam_role_policy.this"]
    assert {g.service for g in found.grants()} == {"dynamodb", "logs", "xray"}


def test_unchanged_policy_gives_no_lines_in_either_tracing_mode() -> None:
    assert diff(make_plan(tracing=True), tracing=True) == []
    assert diff(make_plan(tracing=False), tracing=False) == []


def test_unknown_policy_in_a_fresh_plan_is_an_error_not_an_empty_pass() -> None:
    plan = make_plan()
    iam = plan["planned_values"]["root_module"]["child_modules"][1]["resources"]
    del iam[1]["values"]["policy"]
    plan["resource_changes"] = [
        {"address": "module.iam.aws_iam_role_policy.this",
         "change": {"actions": ["create"], "after_unknown": {"policy": True}}}
    ]  # fmt: skip
    with pytest.raises(PolicyExtractionError, match=r"\(known after apply\).*applied stack"):
        policy.extract_lambda_role(plan)


def test_unknown_role_arn_is_an_error() -> None:
    plan = make_plan()
    lam = plan["planned_values"]["root_module"]["child_modules"][2]["resources"][1]
    del lam["values"]["role"]
    with pytest.raises(PolicyExtractionError, match="known after apply"):
        policy.extract_lambda_role(plan)


def test_a_plan_without_exactly_one_function_is_an_error() -> None:
    plan = make_plan()
    plan["planned_values"]["root_module"]["child_modules"][2]["resources"].pop()
    with pytest.raises(PolicyExtractionError, match="exactly one aws_lambda_function"):
        policy.extract_lambda_role(plan)


def test_role_managed_outside_the_stack_is_an_error() -> None:
    plan = make_plan()
    lam = plan["planned_values"]["root_module"]["child_modules"][2]["resources"][1]
    lam["values"]["role"] = f"arn:aws:iam::{ACCOUNT}:role/hand-made"
    with pytest.raises(PolicyExtractionError, match="not \\(exactly once\\) an aws_iam_role"):
        policy.extract_lambda_role(plan)


# -- readable diffs of bad policies ---------------------------------------------------------------
def test_injected_scan_is_one_readable_plus_line() -> None:
    plan = make_plan()
    document = policy_document(plan)
    document["Statement"][0]["Action"].append("dynamodb:Scan")
    assert diff(with_policy(plan, document)) == [
        f"+ dynamodb:Scan on {G_TABLE}",
        f"+ dynamodb:Scan on {G_TABLE}/index/*",
    ]


def test_dynamodb_star_action_is_reported_and_flagged_as_wildcard() -> None:
    plan = add_statement(make_plan(), {"Effect": "Allow", "Action": "dynamodb:*",
                                       "Resource": TABLE_ARN})  # fmt: skip
    assert diff(plan) == [f"+ dynamodb:* on {G_TABLE}"]
    found = policy.extract_lambda_role(plan).grants()
    assert policy.wildcard_findings(found) == [f"! dynamodb:* on {TABLE_ARN}: wildcard action"]


def test_star_resource_outside_xray_is_reported_and_flagged() -> None:
    plan = add_statement(make_plan(), {"Effect": "Allow", "Action": ["dynamodb:GetItem"],
                                       "Resource": "*"})  # fmt: skip
    assert diff(plan) == ["+ dynamodb:GetItem on *"]
    assert policy.wildcard_findings(policy.extract_lambda_role(plan).grants()) == [
        '! dynamodb:GetItem on *: "*" resource outside X-Ray'
    ]


def test_xray_star_resource_is_not_a_wildcard_finding() -> None:
    assert policy.wildcard_findings(policy.extract_lambda_role(make_plan()).grants()) == []


def test_xray_granted_while_tracing_is_off_shows_as_added() -> None:
    assert diff(make_plan(tracing=True), tracing=False) == [
        "+ xray:PutTelemetryRecords on *",
        "+ xray:PutTraceSegments on *",
    ]


def test_another_tables_resource_and_a_removed_action_show_both_ways() -> None:
    plan = make_plan()
    document = policy_document(plan)
    document["Statement"][0]["Action"].remove("dynamodb:Query")
    document["Statement"][0]["Resource"].append(TABLE_ARN.replace("-items", "-other"))
    assert diff(with_policy(plan, document)) == [
        f"- dynamodb:Query on {G_TABLE}",
        f"- dynamodb:Query on {G_TABLE}/index/*",
        "+ dynamodb:DeleteItem on arn:aws:dynamodb:${region}:${account_id}:table/${name}-other",
        "+ dynamodb:GetItem on arn:aws:dynamodb:${region}:${account_id}:table/${name}-other",
        "+ dynamodb:PutItem on arn:aws:dynamodb:${region}:${account_id}:table/${name}-other",
        "+ dynamodb:UpdateItem on arn:aws:dynamodb:${region}:${account_id}:table/${name}-other",
    ]


def test_another_log_group_and_another_account_are_not_normalised_away() -> None:
    foreign = "arn:aws:logs:eu-west-3:999999999999:log-group:/aws/lambda/x:*"
    plan = add_statement(make_plan(), {"Effect": "Allow", "Action": "logs:PutLogEvents",
                                       "Resource": foreign})  # fmt: skip
    assert diff(plan) == [
        "+ logs:PutLogEvents on arn:aws:logs:${region}:999999999999:log-group:/aws/lambda/x:*"
    ]


def test_condition_notaction_and_deny_are_spelled_out() -> None:
    plan = add_statement(make_plan(), {
        "Effect": "Allow", "NotAction": "iam:*", "Resource": TABLE_ARN,
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    })  # fmt: skip
    plan = add_statement(plan, {"Effect": "Deny", "Action": "dynamodb:Scan", "Resource": "*"})
    assert diff(plan) == [
        "+ DENY dynamodb:Scan on *",
        "+ every action except iam:* on "
        + G_TABLE
        + ' when {"StringEquals":{"aws:SourceAccount":"${account_id}"}}',
    ]
    found = policy.extract_lambda_role(plan).grants()
    assert policy.wildcard_findings(found) == [
        f"! every action except iam:* on {TABLE_ARN} when "
        '{"StringEquals":{"aws:SourceAccount":"123456789012"}}: NotAction grants every other action'
    ]


def test_managed_policy_attachment_and_inline_block_are_reported() -> None:
    plan = make_plan()
    managed = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
    plan["planned_values"]["root_module"]["resources"].append(
        resource("aws_iam_role_policy_attachment.extra", "aws_iam_role_policy_attachment",
                 {"role": ROLE_NAME, "policy_arn": managed})
    )  # fmt: skip
    config_role = plan["configuration"]["root_module"]["module_calls"]["iam"]["module"]
    config_role["resources"][0]["expressions"]["inline_policy"] = [{"policy": {}}]
    assert diff(plan) == [
        f"+ managed policy {managed} attached to the role",
        "+ inline_policy block on module.iam.aws_iam_role.this: grants there bypass this "
        "check; use aws_iam_role_policy",
    ]


def test_a_second_inline_policy_on_the_role_is_merged_into_the_diff() -> None:
    plan = make_plan()
    plan["planned_values"]["root_module"]["resources"].append(
        resource("aws_iam_role_policy.sneaky", "aws_iam_role_policy", {
            "role": ROLE_NAME, "policy": json.dumps({"Statement": {
                "Effect": "Allow", "Action": "dynamodb:Scan", "Resource": TABLE_ARN}})})
    )  # fmt: skip
    assert diff(plan) == [f"+ dynamodb:Scan on {G_TABLE}"]


def test_action_names_compare_case_insensitively_resources_do_not() -> None:
    assert Grant("DynamoDB:getitem", "*") == Grant("dynamodb:GetItem", "*")
    assert Grant("dynamodb:GetItem", "arn:x:Table") != Grant("dynamodb:GetItem", "arn:x:table")


# -- normalisation, golden rendering, scope and handler checks -----------------------------------
def test_normalise_replaces_account_region_and_whole_word_name_only() -> None:
    text = f"{TABLE_ARN} {NAME}x-items arn:aws:iam::aws:policy/P {LOG_GROUP_ARN}:*"
    assert policy.normalise_text(text, VALUES) == (
        "arn:aws:dynamodb:${region}:${account_id}:table/${name}-items "
        f"{NAME}x-items arn:aws:iam::aws:policy/P "
        "arn:aws:logs:${region}:${account_id}:log-group:/aws/lambda/${name}-items-api:*"
    )


def test_golden_variant_of_the_plan_is_the_stable_canonical_form() -> None:
    rendered = policy.golden_variant(policy.extract_lambda_role(make_plan()), VALUES)
    assert rendered == golden(tracing=True) | {"policy": rendered["policy"]}
    assert policy.grants(rendered["policy"]) == policy.grants(golden(tracing=True)["policy"])
    assert [s["Action"] for s in rendered["policy"]["Statement"]] == [
        ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
        CRUD,
        ["logs:CreateLogStream", "logs:PutLogEvents"],
    ]


def test_scope_findings_catch_other_tables_services_and_log_groups() -> None:
    plan = add_statement(make_plan(), {"Effect": "Allow", "Action": ["s3:GetObject"],
                                       "Resource": "arn:aws:s3:::bucket/*"})  # fmt: skip
    plan = add_statement(plan, {"Effect": "Allow", "Action": "logs:PutLogEvents",
                                "Resource": f"{LOG_GROUP_ARN}-other:*"})  # fmt: skip
    found = policy.extract_lambda_role(plan).grants()
    assert policy.scope_findings(found, TABLE_ARN, LOG_GROUP_ARN) == [
        f"! logs:PutLogEvents on {LOG_GROUP_ARN}-other:*: outside {LOG_GROUP_ARN}:*",
        "! s3:GetObject on arn:aws:s3:::bucket/*: service 's3' is not one the function needs",
    ]
    clean = policy.extract_lambda_role(make_plan()).grants()
    assert policy.scope_findings(clean, TABLE_ARN, LOG_GROUP_ARN) == []


def test_action_set_findings_against_the_handlers_declared_needs() -> None:
    needed = ("dynamodb:GetItem", "dynamodb:Query")
    granted = ["dynamodb:getitem", "dynamodb:Scan", "logs:PutLogEvents"]
    assert policy.action_set_findings(granted, needed, "dynamodb") == [
        "+ dynamodb:Scan is granted but the handler does not declare it",
        "- dynamodb:Query is needed by the handler but not granted",
    ]
