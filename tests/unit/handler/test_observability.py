"""Logs: JSON with the API Gateway request id as correlation id; never the API key value or
item bodies at INFO. Metrics: EMF with per-operation counts, never an empty flush."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import Api
from .events import API_KEY_VALUES

Logs = Callable[[], list[dict[str, Any]]]


def _emf(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith('{"_aws"')]


def test_refusals_are_logged_with_correlation_id_but_no_secrets(api: Api, log_lines: Logs) -> None:
    secret_name = "TOP-SECRET-ITEM-NAME"
    item_id = api.create({"name": secret_name, "attributes": {"ssn": "123-45-6789"}}).body["id"]
    api.request(
        "PATCH", f"/items/{item_id}", body={"name": secret_name}, headers={"If-Match": '"9"'}
    )
    request_id = api.last_event["requestContext"]["requestId"] if api.last_event else None

    records = log_lines()
    text = json.dumps(records)
    refused = [r for r in records if r["message"] == "request refused"]
    assert refused
    assert refused[-1]["status"] == 412
    assert refused[-1]["correlation_id"] == request_id
    assert refused[-1]["tenant"] == "tenantA1"
    for secret in [*API_KEY_VALUES.values(), secret_name, "123-45-6789"]:
        assert secret not in text


def test_failures_are_counted_by_class(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    api.get("/items/01ARZ3NDEKTSV4RRFFQ69G5FAV")
    [blob] = [b for b in _emf(capsys.readouterr().out) if "ColdStart" not in b]
    assert blob["GetItem"] == [1.0]
    assert blob["Http4xx"] == [1.0]


def test_successful_requests_are_quiet_at_info(api: Api, log_lines: Logs) -> None:
    api.create({"name": "quiet"})
    assert log_lines() == []


def test_metrics_are_emf_with_per_operation_counts(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "No application metrics to publish"
        item_id = api.create({"name": "m"}).body["id"]
        api.get(f"/items/{item_id}")
        api.get("/nowhere")  # no route: still a non-empty flush

    blobs = _emf(capsys.readouterr().out)
    app_blobs = [b for b in blobs if "ColdStart" not in b]
    assert len(app_blobs) == 3
    directive = app_blobs[0]["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "ServerlessDataApi"
    assert app_blobs[0]["service"] == "items-api"
    assert app_blobs[0]["CreateItem"] == [1.0]
    assert "Http4xx" not in app_blobs[0]
    assert app_blobs[1]["GetItem"] == [1.0]
    assert app_blobs[2]["Http4xx"] == [1.0]
    assert "GetItem" not in app_blobs[2]
