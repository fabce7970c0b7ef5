"""Fixtures: environment, an in-process moto DynamoDB table per the Terraform contract, a guard
that records every DynamoDB call the handler makes (and fails the test on Scan or on anything
outside ``REQUIRED_DYNAMODB_ACTIONS``), and an ``api`` helper that drives ``lambda_handler``
with real API Gateway v1 proxy events."""

from __future__ import annotations

import importlib
import io
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto import mock_aws

from harness.aws.dynamodb import create_items_table

from .events import FakeLambdaContext, HttpResponse, build_event, to_http

TABLE_NAME = "items-test"
REGION = "eu-west-1"


class ForbiddenDynamoDBCallError(AssertionError):
    pass


def create_contract_table(client: Any, name: str = TABLE_NAME) -> None:
    """The table exactly as the Terraform `dynamodb` module creates it."""
    create_items_table(client, name)


@pytest.fixture(autouse=True)
def lambda_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_PROFILE",
        "CURSOR_SIGNING_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TABLE_NAME", TABLE_NAME)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "items-api")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "ServerlessDataApi")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "INFO")
    monkeypatch.setenv("IDEMPOTENCY_TTL_SECONDS", "3600")


@pytest.fixture(scope="session")
def _clients() -> tuple[Any, Any]:
    """(test-side client, handler client), created once: client creation is the slow part."""
    import boto3

    from items_api import storage

    with pytest.MonkeyPatch.context() as patch:  # moto's fake credentials, bound at creation
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.delenv("AWS_SESSION_TOKEN", raising=False)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        patch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
        return boto3.client("dynamodb", region_name=REGION), storage.new_client(REGION)


@pytest.fixture
def _atomic_moto() -> Iterator[None]:
    """Serialise moto's item requests, as DynamoDB makes each one atomic.

    Real DynamoDB evaluates a condition, applies the write and builds ReturnValues atomically;
    moto's in-process handler does not lock (two threads can pass the same condition, or read
    ALL_NEW after another thread's write). Locking each whole request restores the server's
    guarantee and nothing more: code that read-then-wrote without a condition would still lose
    updates and fail the race tests. Function-scoped: nothing leaks to other suites.
    """
    from moto.dynamodb.responses import DynamoHandler

    lock = threading.RLock()
    originals = {
        name: getattr(DynamoHandler, name)
        for name in ("put_item", "get_item", "update_item", "delete_item", "query")
    }

    def locked(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return original(*args, **kwargs)

        return wrapper

    with pytest.MonkeyPatch.context() as patch:
        for name, original in originals.items():
            patch.setattr(DynamoHandler, name, locked(original))
        yield


@pytest.fixture
def aws(lambda_env: None, _clients: tuple[Any, Any], _atomic_moto: None) -> Iterator[Any]:
    """A fresh moto backend with the contract table; yields the test-side DynamoDB client."""
    from items_api import container, storage

    test_client, handler_client = _clients
    with mock_aws():
        create_contract_table(test_client)
        container.reset(client=False)
        storage.set_client(handler_client)
        yield test_client
        container.reset()


@pytest.fixture
def dynamo_calls(aws: Any) -> Iterator[list[str]]:
    """Every DynamoDB operation the handler's client performs, in order.

    Autouse through `api`: the test fails if any call is a Scan (raised at call time, so the
    request cannot succeed) or is outside REQUIRED_DYNAMODB_ACTIONS (checked at teardown).
    """
    from items_api import storage

    calls: list[str] = []

    def _record(model: Any, **_: Any) -> None:
        calls.append(model.name)
        if model.name == "Scan":
            raise ForbiddenDynamoDBCallError("the handler must never Scan")

    events = storage.get_client().meta.events
    events.register("before-call.dynamodb", _record)
    yield calls
    events.unregister("before-call.dynamodb", _record)
    allowed = {action.split(":", 1)[1] for action in storage.REQUIRED_DYNAMODB_ACTIONS}
    assert "Scan" not in calls, "the handler called Scan"
    unexpected = sorted(set(calls) - allowed)
    assert not unexpected, f"DynamoDB actions outside the IAM policy: {unexpected}"


@pytest.fixture
def handler(aws: Any) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    module = importlib.import_module("items_api.app")
    return module.lambda_handler  # type: ignore[no-any-return]


class Api:
    """Drives lambda_handler the way API Gateway would."""

    def __init__(self, handler: Callable[[dict[str, Any], Any], dict[str, Any]]) -> None:
        self._handler = handler
        self.last_event: dict[str, Any] | None = None

    def request(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        event = build_event(method, path, **kwargs)
        self.last_event = event
        return to_http(self._handler(event, FakeLambdaContext()))

    def create(self, body: Any = None, **kwargs: Any) -> HttpResponse:
        return self.request("POST", "/items", body=body or {"name": "widget"}, **kwargs)

    def get(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("GET", path, **kwargs)


@pytest.fixture
def api(handler: Any, dynamo_calls: list[str]) -> Api:
    del dynamo_calls  # the guard is active for every test that uses the API
    return Api(handler)


@pytest.fixture
def log_lines(handler: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[dict[str, Any]]]:
    """Structured log records the Powertools Logger writes (its stream was bound at import)."""
    from items_api.observability import logger

    stream = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", stream)

    def _read() -> list[dict[str, Any]]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    return _read


@pytest.fixture(autouse=True)
def _scan_guard_everywhere(request: pytest.FixtureRequest) -> None:
    """Any test that touches AWS gets the Scan / IAM guard, even if it skips `api`."""
    if "aws" in request.fixturenames and "dynamo_calls" not in request.fixturenames:
        request.getfixturevalue("dynamo_calls")
