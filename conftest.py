"""Suite-wide options and fixtures: one switch for the target, shared by unit and e2e tests.

`--target emulator` (default) starts our embedded AWS on loopback; `--target aws` uses the
default credential chain and `--region`. Tests never branch on the target: what differs
(endpoints, credentials) lives here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from harness import toolchain as toolchain_module
from harness.emulator import Emulator, running
from harness.target import Target
from harness.toolchain import Toolchain


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("serverless-data-api")
    group.addoption(
        "--target",
        choices=("emulator", "aws"),
        default=os.environ.get("SDA_TARGET", "emulator"),
        help="where e2e stacks are deployed (default: the embedded emulator)",
    )
    group.addoption(
        "--region",
        default=os.environ.get("AWS_REGION", "us-east-1"),
        help="AWS region for --target aws",
    )


@pytest.fixture(scope="session")
def toolchain() -> Toolchain:
    """The CLI and offline provider mirror (built on first use, cached afterwards)."""
    return toolchain_module.ensure()


@pytest.fixture(scope="session")
def emulator(request: pytest.FixtureRequest) -> Iterator[Emulator | None]:
    """One emulator per test process (per xdist worker), or None on real AWS."""
    if request.config.getoption("--target") != "emulator":
        yield None
        return
    with running() as started:
        yield started


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest, emulator: Emulator | None) -> Target:
    if emulator is not None:
        return Target.for_emulator(emulator)
    return Target.for_aws(str(request.config.getoption("--region")))
