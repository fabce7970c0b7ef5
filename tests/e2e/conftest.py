"""The ephemeral stack: unique per run and per xdist worker, applied once per worker,
destroyed in the finalizer whatever happened, then audited for leftovers.

Where the emulator and AWS differ (the URL the API answers on), it is decided here: on the
emulator the project's local API Gateway serves the deployed REST API; on AWS the stage URL.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from harness import audit, package
from harness.endpoint import api_base_url
from harness.stack import Stack, StackError, quiet_tftest_logging
from harness.target import Target
from harness.toolchain import Toolchain

# Per-client limits the tests rely on. "crud" and "other" get room for quick sequential calls;
# "burst" keeps the product default (burst 10, 5 rps) that the 429 test exercises; "tiny" has a
# quota of 5 requests a day for the "Limit Exceeded" test.
CLIENTS: dict[str, dict[str, Any]] = {
    "crud": {"burst_limit": 200, "rate_limit": 100},
    "other": {"burst_limit": 200, "rate_limit": 100},
    "burst": {},
    "tiny": {"quota_limit": 5, "burst_limit": 50, "rate_limit": 50},
}


@dataclass(frozen=True)
class DeployedApi:
    base_url: str
    keys: dict[str, str]
    outputs: dict[str, Any]
    target: Target
    stack_name: str

    @property
    def table_name(self) -> str:
        return str(self.outputs["table_name"])


def unique_stack_name(worker: str) -> str:
    """sda-<worker>-<6 hex>: unique per run and per xdist worker, short enough for every name."""
    return f"sda-{worker.replace('gw', 'w')}-{secrets.token_hex(3)}"


@pytest.fixture(scope="session")
def stack_name(worker_id: str) -> str:
    return unique_stack_name("w" if worker_id == "master" else worker_id)


@pytest.fixture(scope="session")
def stack(toolchain: Toolchain, target: Target, stack_name: str) -> Iterator[Stack]:
    """Applied once per worker; destroyed and audited at the end, even after failures or Ctrl-C."""
    quiet_tftest_logging()
    deployed = Stack.of_product(
        stack_name,
        target,
        toolchain,
        environment="test",
        clients=CLIENTS,
        enable_dashboard=True,
        enable_alarms=True,
        tracing_enabled=target.kind == "aws",
        tags={"Suite": "e2e"},
    )
    try:
        deployed.init()
        deployed.apply()
        yield deployed
    finally:
        _destroy_and_audit(deployed, target)


def _destroy_and_audit(deployed: Stack, target: Target) -> None:
    failures: list[str] = []
    try:
        deployed.destroy()
    except StackError as error:
        failures.append(f"destroy failed:\n{error}")
    leftovers = audit.find_leftovers(target, deployed.name)
    if leftovers:
        failures.append("resources left behind:\n  " + "\n  ".join(leftovers))
    if failures:
        raise AssertionError(
            f"stack {deployed.name} did not tear down cleanly:\n" + "\n".join(failures)
        )
    deployed.remove_workdir()


@pytest.fixture(scope="session")
def api(stack: Stack, target: Target) -> Iterator[DeployedApi]:
    outputs = stack.outputs()
    with api_base_url(target, outputs, package.DEFAULT_OUTPUT) as base_url:
        yield DeployedApi(
            base_url=base_url,
            keys=dict(outputs["api_keys"]),
            outputs=outputs,
            target=target,
            stack_name=stack.name,
        )


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """xdist's worker id ("gw0", ...) or "master"; defined here so plain pytest works too."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None:
        return os.environ.get("PYTEST_XDIST_WORKER", "master")
    return str(workerinput["workerid"])
