"""If-Match races: of writers holding the same version exactly one wins; no update is lost.

Lambda runs one invocation at a time per container (Powertools keeps the current event on the
resolver), so concurrent *containers* are modelled two ways: real threads against the service
and DynamoDB (the conditional writes race for real), and many HTTP clients whose
read-modify-write cycles interleave through the handler.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from items_api import container
from items_api.errors import VersionMismatchError
from items_api.models import ItemPatch, ItemWrite
from items_api.service import ItemService, Precondition

from .conftest import Api

THREADS = 8
WRITES_PER_THREAD = 3
TENANT = "tenantA1"


def _race_round(service: ItemService, item_id: str, version: int) -> tuple[Counter[str], list[int]]:
    """THREADS writers released together, all conditioned on ``version``."""
    barrier = threading.Barrier(THREADS)
    outcomes: Counter[str] = Counter()
    winners: list[int] = []
    lock = threading.Lock()

    def write(index: int) -> None:
        barrier.wait()
        try:
            result = service.patch(
                TENANT, item_id, ItemPatch(name=f"w{index}"), Precondition((version,))
            )
        except VersionMismatchError:
            with lock:
                outcomes["412"] += 1
        else:
            with lock:
                outcomes["200"] += 1
                winners.append(result["version"])

    threads = [threading.Thread(target=write, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes, winners


def test_racing_writers_with_same_version_exactly_one_wins(api: Api) -> None:
    del api  # activates the DynamoDB call guard
    service = container.get_service()
    item_id = service.create(TENANT, ItemWrite(name="contended"))["id"]

    for round_number in range(3):
        version = service.get(TENANT, item_id)["version"]
        outcomes, winners = _race_round(service, item_id, version)
        assert outcomes == {"200": 1, "412": THREADS - 1}, round_number
        assert winners == [version + 1]
    assert service.get(TENANT, item_id)["version"] == 4


def test_optimistic_increments_lose_nothing(api: Api) -> None:
    """Every thread read-modify-writes a counter with If-Match and retries on 412."""
    del api
    service = container.get_service()
    item_id = service.create(TENANT, ItemWrite(name="counter", attributes={"count": 0}))["id"]
    written_versions: list[int] = []
    conflicts: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker() -> None:
        start.wait()
        done = 0
        while done < WRITES_PER_THREAD:
            current = service.get(TENANT, item_id)
            try:
                updated = service.patch(
                    TENANT,
                    item_id,
                    ItemPatch(attributes={"count": current["attributes"]["count"] + 1}),
                    Precondition((current["version"],)),
                )
            except VersionMismatchError:
                with lock:
                    conflicts.append(1)
                continue
            with lock:
                written_versions.append(updated["version"])
            done += 1

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    final = service.get(TENANT, item_id)
    total = THREADS * WRITES_PER_THREAD
    assert len(written_versions) == total
    # Exactly one successful write per version, no gaps, no duplicates.
    assert sorted(written_versions) == list(range(2, total + 2))
    assert final["version"] == total + 1  # == 1 + number of successful writes
    assert final["attributes"]["count"] == total  # no increment was lost


def test_unconditional_concurrent_writes_are_all_counted(api: Api) -> None:
    del api
    service = container.get_service()
    item_id = service.create(TENANT, ItemWrite(name="blind"))["id"]
    versions: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        start.wait()
        result = service.patch(TENANT, item_id, ItemPatch(description=f"d{index}"), None)
        with lock:
            versions.append(result["version"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(versions) == list(range(2, THREADS + 2))
    assert service.get(TENANT, item_id)["version"] == THREADS + 1


def _http_round(api: Api, path: str, clients: int, invocation: Any) -> list[int]:
    barrier = threading.Barrier(clients)
    statuses: list[int] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        with invocation:
            etag = api.get(path).headers["etag"]
        barrier.wait()  # every client now holds the same ETag
        with invocation:
            response = api.request(
                "PATCH", path, body={"name": f"c{index}"}, headers={"If-Match": etag}
            )
        with lock:
            statuses.append(response.status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


def test_interleaved_http_clients_through_the_handler(api: Api) -> None:
    """Clients GET, then all PATCH with the ETag they saw: one 200 per round, the rest 412."""
    item_id = api.create({"name": "http"}).body["id"]
    path = f"/items/{item_id}"
    invocation = threading.Lock()  # one invocation at a time, like one Lambda container
    clients = 6
    successes = 0

    for _ in range(3):
        statuses = _http_round(api, path, clients, invocation)
        assert sorted(statuses) == [200] + [412] * (clients - 1)
        successes += 1

    final = api.get(path)
    assert final.body["version"] == successes + 1
    assert final.headers["etag"] == f'"{successes + 1}"'
