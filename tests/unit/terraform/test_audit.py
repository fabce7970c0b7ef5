"""The orphan audit finds a stack's resources by name prefix and by Stack tag, and only those.

Runs in-process against moto (no Terraform): each test creates resources with boto3 the way the
stack would, or the way a half-failed teardown would leave them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from harness import audit
from harness.target import Target

REGION = "us-east-1"
PREFIX = "sda-au"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@pytest.fixture
def target(monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    # moto is consistent at once: no need to wait out AWS's eventual consistency here.
    monkeypatch.setattr(audit, "AWS_SETTLE_SECONDS", 0.0)
    with mock_aws():
        yield Target.for_aws(REGION)


def _table(name: str, tags: dict[str, str] | None = None) -> None:
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": key, "Value": value} for key, value in (tags or {}).items()],
    )


def test_nothing_found_in_an_empty_account(target: Target) -> None:
    assert audit.find_leftovers(target, PREFIX) == []


def test_each_service_is_enumerated_by_name_prefix(target: Target) -> None:
    _table(f"{PREFIX}-items")
    iam = boto3.client("iam", region_name=REGION)
    iam.create_role(RoleName=f"{PREFIX}-items-api", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(
        RoleName=f"{PREFIX}-items-api",
        PolicyName=f"{PREFIX}-items-api-least-privilege",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            }
        ),
    )
    boto3.client("logs", region_name=REGION).create_log_group(
        logGroupName=f"/aws/lambda/{PREFIX}-items-api"
    )
    apigateway = boto3.client("apigateway", region_name=REGION)
    api_id = apigateway.create_rest_api(name=f"{PREFIX}-api")["id"]
    key_id = apigateway.create_api_key(name=f"{PREFIX}-api-default")["id"]
    plan_id = apigateway.create_usage_plan(name=f"{PREFIX}-api-default")["id"]
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    cloudwatch.put_dashboard(DashboardName=f"{PREFIX}-overview", DashboardBody='{"widgets": []}')
    cloudwatch.put_metric_alarm(
        AlarmName=f"{PREFIX}-lambda-errors",
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )

    assert audit.find_leftovers(target, PREFIX) == sorted(
        [
            f"apigateway api key {PREFIX}-api-default ({key_id})",
            f"apigateway rest api {PREFIX}-api ({api_id})",
            f"apigateway usage plan {PREFIX}-api-default ({plan_id})",
            f"cloudwatch alarm {PREFIX}-lambda-errors",
            f"cloudwatch dashboard {PREFIX}-overview",
            f"dynamodb table {PREFIX}-items",
            f"iam role {PREFIX}-items-api (inline policies: {PREFIX}-items-api-least-privilege)",
            f"logs log group /aws/lambda/{PREFIX}-items-api",
        ]
    )


def test_a_resource_with_another_name_is_found_by_its_stack_tag(target: Target) -> None:
    _table("renamed-by-hand", tags={"Stack": PREFIX})
    boto3.client("iam", region_name=REGION).create_role(
        RoleName="some-role",
        AssumeRolePolicyDocument=TRUST,
        Tags=[{"Key": "Stack", "Value": PREFIX}],
    )
    boto3.client("apigateway", region_name=REGION).create_api_key(
        name="hand-made-key", tags={"Stack": PREFIX}
    )

    found = audit.find_leftovers(target, PREFIX)

    assert "dynamodb table renamed-by-hand" in found
    assert "iam role some-role" in found
    assert any(item.startswith("apigateway api key hand-made-key (") for item in found)
    assert len(found) == 3, found


def test_other_stacks_are_not_reported_even_with_a_longer_prefix(target: Target) -> None:
    _table(f"{PREFIX}x-items")  # stack "sda-aux", not "sda-au"
    _table("sda-other-items", tags={"Stack": "sda-other"})
    boto3.client("logs", region_name=REGION).create_log_group(
        logGroupName=f"/aws/lambda/{PREFIX}x-items-api"
    )

    assert audit.find_leftovers(target, PREFIX) == []
    assert audit.find_leftovers(target, f"{PREFIX}x") == [
        f"dynamodb table {PREFIX}x-items",
        f"logs log group /aws/lambda/{PREFIX}x-items-api",
    ]


def test_every_page_is_read(target: Target) -> None:
    client = boto3.client("dynamodb", region_name=REGION)
    for index in range(105):  # ListTables returns at most 100 names per page
        _table(f"filler-{index:03d}")
    _table(f"{PREFIX}-items")

    assert len(client.list_tables()["TableNames"]) == 100
    assert audit.find_leftovers(target, PREFIX) == [f"dynamodb table {PREFIX}-items"]


def test_on_aws_a_finding_is_looked_at_again_until_it_settles(
    target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IAM's list APIs can show a just-deleted role for a few seconds; the audit waits that out."""
    _table(f"{PREFIX}-items")
    sleeps: list[float] = []

    def delete_while_waiting(seconds: float) -> None:
        sleeps.append(seconds)
        boto3.client("dynamodb", region_name=REGION).delete_table(TableName=f"{PREFIX}-items")

    monkeypatch.setattr("harness.audit.sleep", delete_while_waiting)

    assert audit.find_leftovers(target, PREFIX, settle_seconds=10) == []
    assert sleeps == [audit.SETTLE_POLL_SECONDS]


def test_with_no_settle_time_the_first_look_is_the_answer(target: Target) -> None:
    _table(f"{PREFIX}-items")

    assert audit.find_leftovers(target, PREFIX, settle_seconds=0) == [
        f"dynamodb table {PREFIX}-items"
    ]


def test_an_empty_prefix_is_refused(target: Target) -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        audit.find_leftovers(target, "")


def test_the_cli_exits_1_and_prints_each_finding(
    target: Target, capsys: pytest.CaptureFixture[str]
) -> None:
    _table(f"{PREFIX}-items")

    assert audit.main(["--prefix", PREFIX, "--region", REGION]) == 1
    assert capsys.readouterr().out == f"dynamodb table {PREFIX}-items\n"
    assert audit.main(["--prefix", "sda-none", "--region", REGION]) == 0
