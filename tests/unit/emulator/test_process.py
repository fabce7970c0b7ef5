"""The emulator binds loopback on a free port, answers AWS calls, and is stopped by PID."""

from __future__ import annotations

import os

import boto3
import pytest
import requests

from harness.emulator import EMULATOR_ACCOUNT_ID, running
from harness.emulator.process import is_alive


def test_two_emulators_run_side_by_side_and_stop_by_pid() -> None:
    with running() as first, running() as second:
        assert first.port != second.port
        assert first.endpoint.startswith("http://127.0.0.1:")
        sts = boto3.client("sts", **_client_kwargs(first.client_env()))
        assert sts.get_caller_identity()["Account"] == EMULATOR_ACCOUNT_ID
        pids = (first.pid, second.pid)
    assert not any(is_alive(pid) for pid in pids)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{first.endpoint}/moto-api/data.json", timeout=2)


def test_reset_forgets_resources() -> None:
    with running() as emulator:
        dynamodb = boto3.client("dynamodb", **_client_kwargs(emulator.client_env()))
        dynamodb.create_table(
            TableName="t",
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        assert dynamodb.list_tables()["TableNames"] == ["t"]
        emulator.reset()
        assert dynamodb.list_tables()["TableNames"] == []


def test_fake_credentials_are_only_in_the_emulator_env() -> None:
    with running() as emulator:
        env = emulator.client_env()
    assert env["AWS_ENDPOINT_URL"] == emulator.endpoint
    assert "AWS_ENDPOINT_URL" not in os.environ  # nothing leaks into this process


def _client_kwargs(env: dict[str, str]) -> dict[str, str]:
    return {
        "endpoint_url": env["AWS_ENDPOINT_URL"],
        "region_name": env["AWS_REGION"],
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
    }
