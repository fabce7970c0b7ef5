"""Usage plans hold: beyond the burst, requests are answered 429 and write nothing; beyond the
quota, 429 Limit Exceeded."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from harness.aws import dynamodb
from tests.e2e.conftest import DeployedApi

pytestmark = pytest.mark.e2e

BURST = 10  # the product default the "burst" client keeps
FIRED = 3 * BURST


def test_burst_beyond_limit_is_throttled_and_throttled_requests_write_nothing(
    api: DeployedApi,
) -> None:
    key = api.keys["burst"]
    tenant = f"TENANT#{api.outputs['api_key_ids']['burst']}"
    before = dynamodb.count_items(api.target, api.table_name, tenant)

    def create(index: int) -> requests.Response:
        return requests.post(
            f"{api.base_url}/items",
            json={"name": f"burst-{index}"},
            headers={"x-api-key": key},
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=FIRED) as pool:
        responses = list(pool.map(create, range(FIRED)))

    statuses = [response.status_code for response in responses]
    throttled = [response for response in responses if response.status_code == 429]
    created = statuses.count(201)
    assert throttled, f"{FIRED} simultaneous requests were all admitted: {statuses}"
    assert set(statuses) <= {201, 429}, statuses
    assert {response.json()["message"] for response in throttled} == {"Too Many Requests"}
    # Each admitted request wrote exactly one item; each throttled one wrote nothing.
    assert dynamodb.count_items(api.target, api.table_name, tenant) == before + created


def test_quota_exhaustion_answers_limit_exceeded(api: DeployedApi) -> None:
    key = api.keys["tiny"]  # quota: 5 requests a day
    statuses: list[int] = []
    messages: list[str] = []
    # AWS counts quota usage asynchronously, so a few requests past the limit may still get in;
    # 15 attempts bound the test either way.
    for _ in range(15):
        response = requests.get(f"{api.base_url}/items", headers={"x-api-key": key}, timeout=60)
        statuses.append(response.status_code)
        if response.status_code == 429:
            messages.append(response.json()["message"])
            if messages[-1] == "Limit Exceeded":
                break
    assert messages, f"never throttled: {statuses}"
    assert messages[-1] == "Limit Exceeded", statuses
    assert statuses[:5] == [200] * 5, "the first five requests of the day are within the quota"
