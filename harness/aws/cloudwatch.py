"""CloudWatch dashboards and alarms, as plain values."""

from __future__ import annotations

import json

from harness.target import Target


def dashboard_widget_count(target: Target, dashboard_name: str) -> int:
    body = target.client("cloudwatch").get_dashboard(DashboardName=dashboard_name)["DashboardBody"]
    return len(json.loads(body)["widgets"])


def alarm_metrics(target: Target, alarm_names: list[str]) -> dict[str, tuple[str, str]]:
    """alarm name -> (namespace, metric name), for every alarm that exists."""
    client = target.client("cloudwatch")
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(alarm_names), 100):
        page = client.describe_alarms(AlarmNames=alarm_names[start : start + 100])
        for alarm in page["MetricAlarms"]:
            if "MetricName" in alarm:
                found[alarm["AlarmName"]] = (alarm["Namespace"], alarm["MetricName"])
            else:  # metric-math alarms name their metrics inside Metrics[]
                stat = next(
                    m["MetricStat"]["Metric"] for m in alarm["Metrics"] if "MetricStat" in m
                )
                found[alarm["AlarmName"]] = (stat["Namespace"], stat["MetricName"])
    return found
