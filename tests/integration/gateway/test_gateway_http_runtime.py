"""Over real HTTP: warm starts, logs in CloudWatch Logs, writes under load, code checks, reloads."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from harness.emulator import Emulator
from harness.gateway import RunningGateway, serve
from harness.runtime import CodeMismatchError
from tests.integration.gateway.gateway_stack import STAGE, Stack, StackBuilder, build_zip

TIMEOUT = 20


def _eventually(check: Callable[[], Any], seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def _log_messages(clients: dict[str, Any], group: str) -> list[str]:
    try:
        events = clients["logs"].filter_log_events(logGroupName=group)["events"]
    except clients["logs"].exceptions.ResourceNotFoundException:
        return []
    return [event["message"] for event in events]


def test_second_request_is_warm(base_url: str, stack: Stack, gateway: RunningGateway) -> None:
    headers = {"x-api-key": stack.keys["main"]}
    first = requests.get(f"{base_url}/echo/warm-1", headers=headers, timeout=TIMEOUT).json()
    second = requests.get(f"{base_url}/echo/warm-2", headers=headers, timeout=TIMEOUT).json()
    assert first["pid"] == second["pid"]
    pool = gateway.gateway.pool(stack.functions["echo"])
    assert second["pid"] in pool.worker_pids()


def test_logs_reach_the_log_group_with_start_end_report(
    base_url: str, stack: Stack, clients: dict[str, Any]
) -> None:
    headers = {"x-api-key": stack.keys["main"]}
    first = requests.get(f"{base_url}/echo/log-1", headers=headers, timeout=TIMEOUT).json()
    second = requests.get(f"{base_url}/echo/log-2", headers=headers, timeout=TIMEOUT).json()
    group = first["context"]["log_group_name"]
    ids = [first["context"]["aws_request_id"], second["context"]["aws_request_id"]]

    def both_reported() -> list[str]:
        messages = _log_messages(clients, group)
        done = all(any(m.startswith(f"REPORT RequestId: {i}") for m in messages) for i in ids)
        return messages if done else []

    messages = _eventually(both_reported)
    assert messages, f"no REPORT lines for {ids} in {group}"
    for request_id in ids:
        assert f"START RequestId: {request_id} Version: $LATEST" in messages
        assert f"END RequestId: {request_id}" in messages
        assert f"echo {request_id}" in messages
        start = messages.index(f"START RequestId: {request_id} Version: $LATEST")
        own = messages.index(f"echo {request_id}")
        end = messages.index(f"END RequestId: {request_id}")
        assert start < own < end
    reports = {i: next(m for m in messages if m.startswith(f"REPORT RequestId: {i}")) for i in ids}
    pattern = (
        r"REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\t"
        r"Memory Size: 128 MB\tMax Memory Used: \d+ MB\t"
    )
    assert re.match(pattern, reports[ids[1]])
    assert "Init Duration" not in reports[ids[1]]  # warm
    streams = clients["logs"].describe_log_streams(logGroupName=group)["logStreams"]
    assert any(s["logStreamName"] == first["context"]["log_stream_name"] for s in streams)
    assert re.fullmatch(
        r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", first["context"]["log_stream_name"]
    )
    # Some REPORT in the group is a cold start with its Init Duration.
    assert any("Init Duration: " in m for m in messages if m.startswith("REPORT"))
    assert "init: handlers module imported" in messages


def test_put_then_read_back_from_dynamodb(
    base_url: str, stack: Stack, clients: dict[str, Any]
) -> None:
    headers = {"x-api-key": stack.keys["main"]}
    response = requests.put(
        f"{base_url}/items/round-trip", headers=headers, data="hello", timeout=TIMEOUT
    )
    assert response.status_code == 201
    assert response.json() == {"id": "round-trip", "body": "hello"}
    item = clients["dynamodb"].get_item(TableName=stack.table, Key={"id": {"S": "round-trip"}})[
        "Item"
    ]
    assert item["body"] == {"S": "hello"}


def test_concurrent_writes_are_all_stored(
    base_url: str, stack: Stack, clients: dict[str, Any]
) -> None:
    headers = {"x-api-key": stack.keys["loader"]}
    clients_count, per_client = 6, 8
    failures: list[str] = []

    def client(index: int) -> None:
        with requests.Session() as session:
            for n in range(per_client):
                item_id = f"load-{index}-{n}"
                r = session.put(
                    f"{base_url}/items/{item_id}", headers=headers, data=item_id, timeout=TIMEOUT
                )
                if r.status_code != 201:
                    failures.append(f"{item_id}: {r.status_code} {r.text}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    for index in range(clients_count):
        for n in range(per_client):
            item_id = f"load-{index}-{n}"
            item = clients["dynamodb"].get_item(TableName=stack.table, Key={"id": {"S": item_id}})
            assert item["Item"]["body"] == {"S": item_id}


def test_code_mismatch_is_refused(emulator: Emulator, stack: Stack, tmp_path: Path) -> None:
    stale = build_zip(tmp_path / "stale.zip", extra="\n# a different build\n")
    with pytest.raises(CodeMismatchError, match="CodeSha256"):
        serve(
            endpoint=emulator.endpoint,
            rest_api_id=stack.api_id,
            stage=STAGE,
            zip_path=stale,
            reload_seconds=0,
        )


def test_gateway_follows_a_redeploy(
    emulator: Emulator, clients: dict[str, Any], tmp_path: Path
) -> None:
    builder = StackBuilder(
        clients, build_zip(tmp_path / "v1.zip"), prefix=f"reload{int(time.time() * 1000) % 10**8}"
    )
    builder.function("echo", "echo")
    builder.method("/first", "GET", "echo", key_required=False)
    builder.method("/keyed", "GET", "echo")
    builder.deploy()
    builder.plan("p", ["k"])
    api = builder.stack
    with serve(
        endpoint=emulator.endpoint,
        rest_api_id=api.api_id,
        stage=STAGE,
        zip_path=api.zip_path,
        reload_seconds=0.5,
    ) as gw:
        assert requests.get(f"{gw.base_url}/second", timeout=TIMEOUT).status_code == 403
        assert (
            requests.get(
                f"{gw.base_url}/keyed", headers={"x-api-key": api.keys["k"]}, timeout=TIMEOUT
            ).status_code
            == 200
        )
        # Change the API: the key disabled, then a new route (so once the route is served,
        # the reload that served it has seen the key change too).
        builder.apigw.update_api_key(
            apiKey=api.key_ids["k"],
            patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}],
        )
        builder.method("/second", "GET", "echo", key_required=False)
        builder.deploy()
        served = _eventually(
            lambda: requests.get(f"{gw.base_url}/second", timeout=TIMEOUT).status_code == 200
        )
        assert served, "the background reload did not pick up the new route"
        keyed = requests.get(
            f"{gw.base_url}/keyed", headers={"x-api-key": api.keys["k"]}, timeout=TIMEOUT
        )
        assert keyed.status_code == 403
        # New code deployed for the function: the gateway needs the matching zip to serve it.
        new_zip = build_zip(tmp_path / "v2.zip", extra="\nVERSION = 2\n")
        builder.lam.update_function_code(
            FunctionName=api.functions["echo"], ZipFile=new_zip.read_bytes()
        )
        gw.reload()
        assert requests.get(f"{gw.base_url}/first", timeout=TIMEOUT).status_code == 502
        api.zip_path.write_bytes(new_zip.read_bytes())
        gw.reload()
        response = requests.get(f"{gw.base_url}/first", timeout=TIMEOUT)
        assert response.status_code == 200
        assert json.loads(response.text)["event"]["resource"] == "/first"


def test_cli_serves_until_sigterm(emulator: Emulator, stack: Stack) -> None:
    command = [
        sys.executable,
        "-m",
        "harness.gateway",
        "--endpoint",
        emulator.endpoint,
        "--rest-api-id",
        stack.api_id,
        "--stage",
        STAGE,
        "--zip",
        str(stack.zip_path),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", base_url), base_url
        response = requests.get(f"{base_url}/open", timeout=TIMEOUT)
        assert response.status_code == 200
        worker_pid = response.json()["pid"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # the worker went with the gateway
