"""Orphan audit: everything a stack may have left behind, found by name prefix and Stack tag.

The Resource Groups Tagging API does not list IAM roles, API Gateway API keys and usage plans,
or CloudWatch dashboards (on AWS or in moto), so each service the stack uses is enumerated
directly, every page of it, and a resource counts as the stack's when its name starts with
``<prefix>-`` (or is ``<prefix>``) or when it carries ``Stack = <prefix>``. The tagging API then
sweeps up anything else tagged with the stack. Works unchanged against real AWS (read-only).

    python -m harness.audit --prefix sda-dev [--region us-east-1] [--endpoint http://127.0.0.1:PORT]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from time import monotonic, sleep
from typing import Any

from harness.target import Target

STACK_TAG = "Stack"
# How long the audit waits for AWS's eventually consistent list APIs to stop showing deleted
# resources, and how often it looks again meanwhile.
AWS_SETTLE_SECONDS = 30.0
SETTLE_POLL_SECONDS = 5.0
Check = Callable[[Target, str], list[str]]


def owned_name(name: str, prefix: str) -> bool:
    """True for ``<prefix>`` and ``<prefix>-...``, never for ``<prefix>x-...``."""
    return name == prefix or name.startswith(f"{prefix}-")


def _tag_matches(tags: Mapping[str, str] | None, prefix: str) -> bool:
    return bool(tags) and (tags or {}).get(STACK_TAG) == prefix


def _tag_list_to_dict(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in tags or []}


def _pages(client: Any, operation: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    yield from client.get_paginator(operation).paginate(**kwargs)


# -- DynamoDB ----------------------------------------------------------------------------------
def dynamodb_tables(target: Target, prefix: str) -> list[str]:
    client = target.client("dynamodb")
    found = []
    for page in _pages(client, "list_tables"):
        for name in page.get("TableNames", []):
            if owned_name(name, prefix) or _tag_matches(_dynamodb_tags(client, name), prefix):
                found.append(f"dynamodb table {name}")
    return found


def _dynamodb_tags(client: Any, table_name: str) -> dict[str, str]:
    arn = client.describe_table(TableName=table_name)["Table"]["TableArn"]
    tags: list[dict[str, str]] = []
    for page in _pages(client, "list_tags_of_resource", ResourceArn=arn):
        tags.extend(page.get("Tags", []))
    return _tag_list_to_dict(tags)


# -- Lambda ------------------------------------------------------------------------------------
def lambda_functions(target: Target, prefix: str) -> list[str]:
    client = target.client("lambda")
    found = []
    for page in _pages(client, "list_functions"):
        for function in page.get("Functions", []):
            name = function["FunctionName"]
            if owned_name(name, prefix) or _tag_matches(
                client.list_tags(Resource=function["FunctionArn"]).get("Tags"), prefix
            ):
                found.append(f"lambda function {name}")
    return found


# -- IAM ---------------------------------------------------------------------------------------
def iam_roles(target: Target, prefix: str) -> list[str]:
    client = target.client("iam")
    found = []
    for page in _pages(client, "list_roles"):
        for role in page.get("Roles", []):
            name = role["RoleName"]
            if owned_name(name, prefix) or _tag_matches(_iam_role_tags(client, name), prefix):
                found.append(f"iam role {name}{_iam_role_policies(client, name)}")
    return found


def _iam_role_tags(client: Any, role_name: str) -> dict[str, str]:
    tags: list[dict[str, str]] = []
    for page in _pages(client, "list_role_tags", RoleName=role_name):
        tags.extend(page.get("Tags", []))
    return _tag_list_to_dict(tags)


def _iam_role_policies(client: Any, role_name: str) -> str:
    inline = [
        name
        for page in _pages(client, "list_role_policies", RoleName=role_name)
        for name in page.get("PolicyNames", [])
    ]
    attached = [
        policy["PolicyArn"]
        for page in _pages(client, "list_attached_role_policies", RoleName=role_name)
        for policy in page.get("AttachedPolicies", [])
    ]
    parts = []
    if inline:
        parts.append("inline policies: " + ", ".join(sorted(inline)))
    if attached:
        parts.append("attached policies: " + ", ".join(sorted(attached)))
    return f" ({'; '.join(parts)})" if parts else ""


def iam_policies(target: Target, prefix: str) -> list[str]:
    """Customer managed policies (the stack creates none; a leftover one is still an orphan)."""
    client = target.client("iam")
    found = []
    for page in _pages(client, "list_policies", Scope="Local"):
        for policy in page.get("Policies", []):
            if owned_name(policy["PolicyName"], prefix):
                found.append(f"iam policy {policy['PolicyName']}")
    return found


# -- CloudWatch Logs ---------------------------------------------------------------------------
def log_groups(target: Target, prefix: str) -> list[str]:
    """Groups with a path segment owned by the stack, e.g. /aws/lambda/<prefix>-items-api."""
    client = target.client("logs")
    found = []
    for page in _pages(client, "describe_log_groups"):
        for group in page.get("logGroups", []):
            name = group["logGroupName"]
            if any(owned_name(segment, prefix) for segment in name.split("/")):
                found.append(f"logs log group {name}")
    return found


# -- API Gateway -------------------------------------------------------------------------------
def rest_apis(target: Target, prefix: str) -> list[str]:
    client = target.client("apigateway")
    return [
        f"apigateway rest api {api['name']} ({api['id']})"
        for page in _pages(client, "get_rest_apis")
        for api in page.get("items", [])
        if owned_name(api["name"], prefix) or _tag_matches(api.get("tags"), prefix)
    ]


def api_keys(target: Target, prefix: str) -> list[str]:
    client = target.client("apigateway")
    return [
        f"apigateway api key {key.get('name', '')} ({key['id']})"
        for page in _pages(client, "get_api_keys")
        for key in page.get("items", [])
        if owned_name(key.get("name", ""), prefix) or _tag_matches(key.get("tags"), prefix)
    ]


def usage_plans(target: Target, prefix: str) -> list[str]:
    client = target.client("apigateway")
    return [
        f"apigateway usage plan {plan.get('name', '')} ({plan['id']})"
        for page in _pages(client, "get_usage_plans")
        for plan in page.get("items", [])
        if owned_name(plan.get("name", ""), prefix) or _tag_matches(plan.get("tags"), prefix)
    ]


# -- CloudWatch --------------------------------------------------------------------------------
def dashboards(target: Target, prefix: str) -> list[str]:
    """Dashboards cannot be tagged: found by name only."""
    client = target.client("cloudwatch")
    return [
        f"cloudwatch dashboard {entry['DashboardName']}"
        for page in _pages(client, "list_dashboards", DashboardNamePrefix=prefix)
        for entry in page.get("DashboardEntries", [])
        if owned_name(entry["DashboardName"], prefix)
    ]


def alarms(target: Target, prefix: str) -> list[str]:
    """Alarms by name here; tagged alarms with other names come back from the tagging API."""
    client = target.client("cloudwatch")
    found = []
    for page in _pages(client, "describe_alarms", AlarmNamePrefix=prefix):
        for alarm in [*page.get("MetricAlarms", []), *page.get("CompositeAlarms", [])]:
            if owned_name(alarm["AlarmName"], prefix):
                found.append(f"cloudwatch alarm {alarm['AlarmName']}")
    return found


# -- Everything else the tagging API knows -----------------------------------------------------
def tagged_arns(target: Target, prefix: str) -> list[str]:
    client = target.client("resourcegroupstaggingapi")
    return [
        mapping["ResourceARN"]
        for page in _pages(
            client, "get_resources", TagFilters=[{"Key": STACK_TAG, "Values": [prefix]}]
        )
        for mapping in page.get("ResourceTagMappingList", [])
    ]


# ARN forms whose resource name is in the ARN, described like the direct checks describe them.
_NAMED_ARNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^arn:[^:]+:dynamodb:[^:]*:[^:]*:table/(?P<name>[^/]+)$"), "dynamodb table"),
    (re.compile(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:(?P<name>[^:]+)$"), "lambda function"),
    (re.compile(r"^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(?P<name>[^:]+)(:\*)?$"), "logs log group"),
    (re.compile(r"^arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:(?P<name>.+)$"), "cloudwatch alarm"),
)


def describe_tagged(arn: str, findings: Iterable[str]) -> str | None:
    """How a tagged ARN is reported; None when a direct check already reported it."""
    for pattern, kind in _NAMED_ARNS:
        match = pattern.match(arn)
        if match:
            return f"{kind} {match['name']}"
    resource_id = arn.rstrip("/").rsplit("/", 1)[-1]
    if any(finding.endswith(f"({resource_id})") for finding in findings):
        return None
    return f"tagged resource {arn}"


CHECKS: tuple[Check, ...] = (
    dynamodb_tables,
    lambda_functions,
    iam_roles,
    iam_policies,
    log_groups,
    rest_apis,
    api_keys,
    usage_plans,
    dashboards,
    alarms,
)


def find_leftovers(
    target: Target, name_prefix: str, settle_seconds: float | None = None
) -> list[str]:
    """Human-readable descriptions of every resource of the stack that still exists, sorted.

    Empty means the teardown was clean. On AWS, list APIs (IAM's above all) are eventually
    consistent and can show a just-deleted resource for a few seconds, so while anything is
    found the audit looks again every few seconds for up to ``settle_seconds`` (default: 30 on
    AWS, 0 on the emulator, which is consistent at once) and reports what is still there.
    """
    if not name_prefix:
        raise ValueError("name_prefix must not be empty: it would match every resource")
    if settle_seconds is None:
        settle_seconds = 0.0 if target.kind == "emulator" else AWS_SETTLE_SECONDS
    deadline = monotonic() + settle_seconds
    while True:
        findings = _scan(target, name_prefix)
        if not findings or monotonic() >= deadline:
            return findings
        sleep(min(SETTLE_POLL_SECONDS, max(0.0, deadline - monotonic())))


def _scan(target: Target, name_prefix: str) -> list[str]:
    findings: set[str] = set()
    for check in CHECKS:
        findings.update(check(target, name_prefix))
    for arn in tagged_arns(target, name_prefix):
        described = describe_tagged(arn, findings)
        if described is not None:
            findings.add(described)
    return sorted(findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness.audit",
        description="List resources a stack left behind (exit 1 if there are any).",
    )
    parser.add_argument("--prefix", required=True, help="the stack's name_prefix")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument(
        "--endpoint",
        help="an emulator endpoint (e.g. http://127.0.0.1:5000); default: real AWS",
    )
    args = parser.parse_args(argv)
    if args.endpoint:
        os.environ["AWS_ENDPOINT_URL"] = args.endpoint
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    findings = find_leftovers(Target.for_aws(args.region), args.prefix)
    for finding in findings:
        print(finding)
    if not findings:
        print(f"no resources of stack {args.prefix} found")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
