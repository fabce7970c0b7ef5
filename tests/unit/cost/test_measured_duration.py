"""`cost --duration-from-log-group`: the median Billed Duration of real REPORT lines."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest
from moto import mock_aws

from harness.pricing.cli import measured_duration_ms

GROUP = "/aws/lambda/sda-x-items-api"


@pytest.fixture
def logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("logs", region_name="us-east-1")
        client.create_log_group(logGroupName=GROUP)
        client.create_log_stream(logGroupName=GROUP, logStreamName="s")
        yield client


def _put(client: Any, messages: list[str]) -> None:
    now_ms = int(time.time() * 1000)  # CloudWatch refuses events older than 14 days
    events = [{"timestamp": now_ms + i, "message": m} for i, m in enumerate(messages)]
    client.put_log_events(logGroupName=GROUP, logStreamName="s", logEvents=events)


def _report(billed: int) -> str:
    return (
        f"REPORT RequestId: r-{billed}\tDuration: {billed - 0.5:.2f} ms\t"
        f"Billed Duration: {billed} ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\t"
    )


def test_median_billed_duration_ignores_other_lines(logs: Any) -> None:
    _put(logs, ["START RequestId: r", _report(12), "app line", _report(7), _report(30)])
    assert measured_duration_ms(GROUP, "us-east-1") == Decimal(12)


def test_no_report_lines_is_a_clear_error(logs: Any) -> None:
    _put(logs, ["START RequestId: r", "END RequestId: r"])
    with pytest.raises(SystemExit, match="no REPORT lines"):
        measured_duration_ms(GROUP, "us-east-1")
