"""CloudWatch Logs facts a test asserts on."""

from __future__ import annotations

import re
from typing import Any

from harness.target import Target


def retention_days(target: Target, log_group_name: str) -> int | None:
    client = target.client("logs")
    for group in client.describe_log_groups(logGroupNamePrefix=log_group_name)["logGroups"]:
        if group["logGroupName"] == log_group_name:
            retention = group.get("retentionInDays")
            return int(retention) if retention is not None else None
    raise LookupError(f"log group {log_group_name} does not exist")


_BILLED = re.compile(r"^REPORT RequestId: \S+\s+Duration: [\d.]+ ms\s+Billed Duration: (\d+) ms")


def billed_durations_ms(target: Target, log_group_name: str, limit: int = 1000) -> list[int]:
    """Billed Duration of the newest ``limit`` invocations, from Lambda's REPORT lines.

    Works the same on AWS and on the emulator, where the local runtime writes the same lines.
    """
    client = target.client("logs")
    durations: list[int] = []
    kwargs: dict[str, Any] = {"logGroupName": log_group_name, "filterPattern": '"REPORT RequestId"'}
    while len(durations) < limit:
        page = client.filter_log_events(**kwargs)
        for event in page["events"]:
            match = _BILLED.match(event["message"])
            if match:
                durations.append(int(match[1]))
        if "nextToken" not in page:
            break
        kwargs["nextToken"] = page["nextToken"]
    return durations[-limit:]
