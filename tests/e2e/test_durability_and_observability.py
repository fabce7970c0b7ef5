"""The settings that make the stack production-grade are really on, as AWS reports them."""

from __future__ import annotations

import pytest
import requests
from tenacity import Retrying, stop_after_delay, wait_fixed

from harness.aws import cloudwatch, dynamodb, logs
from tests.e2e.conftest import DeployedApi

pytestmark = pytest.mark.e2e


def test_point_in_time_recovery_is_enabled(api: DeployedApi) -> None:
    assert dynamodb.pitr_enabled(api.target, api.table_name)


def test_function_log_group_keeps_logs_for_the_configured_retention(api: DeployedApi) -> None:
    assert logs.retention_days(api.target, api.outputs["log_group_name"]) == 14


def test_dashboard_has_exactly_eight_widgets(api: DeployedApi) -> None:
    assert api.outputs["dashboard_name"], "the e2e stack enables the dashboard"
    assert cloudwatch.dashboard_widget_count(api.target, api.outputs["dashboard_name"]) == 8


def test_alarms_watch_the_failure_modes_that_matter(api: DeployedApi) -> None:
    alarm_names = list(api.outputs["alarm_names"].values())
    metrics = set(cloudwatch.alarm_metrics(api.target, alarm_names).values())
    assert len(metrics) == len(alarm_names)
    expected = {
        ("AWS/Lambda", "Errors"),
        ("AWS/Lambda", "Throttles"),
        ("AWS/ApiGateway", "5XXError"),
    }
    assert expected <= metrics
    latency = {("AWS/Lambda", "Duration"), ("AWS/ApiGateway", "Latency")}
    assert metrics & latency, f"no p99 latency alarm among {sorted(metrics)}"
    throttling = {
        ("AWS/DynamoDB", "ThrottledRequests"),
        ("AWS/DynamoDB", "ReadThrottleEvents"),
        ("AWS/DynamoDB", "WriteThrottleEvents"),
    }
    assert metrics & throttling, f"no DynamoDB throttling alarm among {sorted(metrics)}"


def test_function_reports_billed_durations_in_its_log_group(api: DeployedApi) -> None:
    """The REPORT lines the cost report reads (`cost --duration-from-log-group`) are there."""
    for _ in range(3):
        requests.get(f"{api.base_url}/items", headers={"x-api-key": api.keys["crud"]}, timeout=60)
    durations = _wait_for_report_lines(api, minimum=3)
    assert all(duration >= 1 for duration in durations)


def _wait_for_report_lines(api: DeployedApi, minimum: int) -> list[int]:
    # Log delivery is asynchronous on AWS (and batched by the local runtime): bounded wait.
    for attempt in Retrying(stop=stop_after_delay(120), wait=wait_fixed(2), reraise=True):
        with attempt:
            durations = logs.billed_durations_ms(api.target, api.outputs["log_group_name"])
            assert len(durations) >= minimum, durations
    return durations
