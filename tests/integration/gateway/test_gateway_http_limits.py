"""Over real HTTP: usage plan burst and quota, stage throttling, reserved concurrency."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import requests

from tests.integration.gateway.gateway_stack import Stack

TIMEOUT = 20


def _concurrently(count: int, call: Any) -> list[requests.Response]:
    """Start ``count`` calls together (a barrier releases them at once) and collect the answers."""
    barrier = threading.Barrier(count)
    results: list[requests.Response | BaseException] = [RuntimeError("not run")] * count

    def run(index: int) -> None:
        barrier.wait(timeout=TIMEOUT)
        try:
            results[index] = call(index)
        except BaseException as exc:  # reported by the assertion below
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    responses = [r for r in results if isinstance(r, requests.Response)]
    assert len(responses) == count, results
    return responses


def _item_count(clients: dict[str, Any], table: str) -> int:
    count: int = clients["dynamodb"].scan(TableName=table, Select="COUNT")["Count"]
    return count


def test_burst_plus_one_is_throttled_and_writes_nothing(
    base_url: str, stack: Stack, clients: dict[str, Any]
) -> None:
    before = _item_count(clients, stack.table)
    headers = {"x-api-key": stack.keys["burst"]}
    responses = _concurrently(
        4,
        lambda i: requests.post(
            f"{base_url}/items", headers=headers, data=f"burst-{i}", timeout=TIMEOUT
        ),
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 3, 429: 1}, [(r.status_code, r.text) for r in responses]
    throttled = next(r for r in responses if r.status_code == 429)
    assert throttled.json() == {"message": "Too Many Requests"}
    assert throttled.headers["x-amzn-ErrorType"] == "TooManyRequestsException"
    assert _item_count(clients, stack.table) == before + 3


def test_quota_exhaustion_is_limit_exceeded(base_url: str, stack: Stack) -> None:
    headers = {"x-api-key": stack.keys["quota"]}
    statuses = [
        requests.get(f"{base_url}/echo", headers=headers, timeout=TIMEOUT).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    over = requests.get(f"{base_url}/echo", headers=headers, timeout=TIMEOUT)
    assert over.status_code == 429
    assert over.json() == {"message": "Limit Exceeded"}


def test_stage_method_throttle_applies_without_keys(base_url: str) -> None:
    responses = _concurrently(
        3, lambda _: requests.get(f"{base_url}/stagelimited", timeout=TIMEOUT)
    )
    assert Counter(r.status_code for r in responses) == {200: 2, 429: 1}


def test_other_methods_are_not_limited_by_that_stage_setting(base_url: str) -> None:
    statuses = [requests.get(f"{base_url}/open", timeout=TIMEOUT).status_code for _ in range(4)]
    assert statuses == [200] * 4


def test_reserved_concurrency_throttles_the_function(base_url: str) -> None:
    # Reserved concurrency 1: while one invocation sleeps, a second one is throttled by Lambda,
    # which API Gateway reports as 500 Internal server error.
    def call(index: int) -> requests.Response:
        if index == 1:
            threading.Event().wait(0.5)  # let the first invocation take the only slot
        return requests.get(f"{base_url}/limited?seconds=1.5", timeout=TIMEOUT)

    responses = _concurrently(2, call)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 500], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 500)
    assert refused.json() == {"message": "Internal server error"}
