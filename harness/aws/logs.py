"""CloudWatch Logs facts a test asserts on."""

from __future__ import annotations

from harness.target import Target


def retention_days(target: Target, log_group_name: str) -> int | None:
    client = target.client("logs")
    for group in client.describe_log_groups(logGroupNamePrefix=log_group_name)["logGroups"]:
        if group["logGroupName"] == log_group_name:
            retention = group.get("retentionInDays")
            return int(retention) if retention is not None else None
    raise LookupError(f"log group {log_group_name} does not exist")
