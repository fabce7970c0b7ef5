"""One emulator, one boto3-built REST API and one running gateway for the HTTP tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from harness.emulator import Emulator, running
from harness.gateway import RunningGateway, serve
from tests.integration.gateway.gateway_stack import STAGE, Stack, StackBuilder, build_zip


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    with running() as emu:
        yield emu


@pytest.fixture(scope="session")
def clients(emulator: Emulator) -> dict[str, Any]:
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=emulator.region
    )
    return {
        name: session.client(name, endpoint_url=emulator.endpoint)
        for name in ("apigateway", "lambda", "iam", "dynamodb", "logs")
    }


@pytest.fixture(scope="session")
def function_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = build_zip(tmp_path_factory.mktemp("code") / "functions.zip")
    return path


def new_builder(clients: dict[str, Any], zip_path: Path) -> StackBuilder:
    return StackBuilder(clients, zip_path, prefix=f"gw{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="session")
def stack(clients: dict[str, Any], function_zip: Path) -> Stack:
    b = new_builder(clients, function_zip)
    b.function("echo", "echo", timeout=3)
    b.function("sleeper", "sleeper", timeout=1)
    b.function("slow", "sleeper", timeout=3)
    b.function("crasher", "crasher")
    b.function("raiser", "raiser")
    b.function("malformed", "malformed")
    b.function("binary", "binary")
    b.function("writer", "writer", timeout=10)
    b.function("limited", "sleeper", timeout=3, reserved=1)
    b.method("/echo", "ANY", "echo")
    b.method("/echo/{id}", "GET", "echo")
    b.method("/open", "GET", "echo", key_required=False)
    b.method("/files/{proxy+}", "ANY", "echo")
    b.method("/items", "POST", "writer")
    b.method("/items/{id}", "PUT", "writer")
    b.method("/slow", "GET", "sleeper", key_required=False)
    b.method("/slowgw", "GET", "slow", key_required=False, timeout_ms=500)
    b.method("/crash", "GET", "crasher", key_required=False)
    b.method("/raise", "GET", "raiser", key_required=False)
    b.method("/malformed", "GET", "malformed", key_required=False)
    b.method("/binary", "GET", "binary", key_required=False)
    b.method("/limited", "GET", "limited", key_required=False)
    b.method("/stagelimited", "GET", "echo", key_required=False)
    b.deploy(stage_throttles={"/stagelimited/GET": (0.01, 2)})
    b.plan("main", ["main", "disabled", "loader"], disabled=("disabled",))
    b.plan("burst", ["burst"], throttle=(0.01, 3))
    b.plan("quota", ["quota"], quota=3)
    b.key("orphan")
    return b.stack


@pytest.fixture(scope="session")
def gateway(emulator: Emulator, stack: Stack) -> Iterator[RunningGateway]:
    with serve(
        endpoint=emulator.endpoint,
        rest_api_id=stack.api_id,
        stage=STAGE,
        zip_path=stack.zip_path,
        reload_seconds=0,
    ) as running_gateway:
        yield running_gateway


@pytest.fixture(scope="session")
def base_url(gateway: RunningGateway) -> str:
    return gateway.base_url
